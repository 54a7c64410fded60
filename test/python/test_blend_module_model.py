"""The bundled Blend-module model means what models/blend_module.py says it means.

An independent numpy implementation of the module (quantize, binarize, direct
convolutions with explicit zero padding, batch norm, add, output stage) is
compared with onnxruntime on the generated ONNX graph, for several shapes. This
pins down the float semantics that the integer contract (docs/semantics.md) must
later reproduce.
"""

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import numpy_helper

import blend_module
from blend_reference import reference


@pytest.mark.parametrize("channels,size,stride,output", [
    (16, 32, 1, "binary"),
    (16, 32, 2, "int8"),
    (50, 9, 2, "binary"),
    (7, 5, 1, "int8"),
])
def test_numpy_reference_matches_onnxruntime(channels, size, stride, output):
    model = blend_module.build(channels, size, stride, output, seed=channels)
    session = ort.InferenceSession(model.SerializeToString())
    rng = np.random.default_rng(size)
    near_count = total_count = 0
    for _ in range(10):
        x = rng.normal(0.0, 1.5, size=(1, channels, size, size)).astype(np.float32)
        got = session.run(None, {"x": x})[0]
        pre, want = reference(model, x, stride, output)
        assert got.shape == want.shape
        # onnxruntime computes in float32, the reference in float64: outputs may
        # differ only where the pre-activation sits within float32 rounding of a
        # decision boundary (0 for the binarizer, a half step for int8).
        if output == "binary":
            boundary_distance = np.abs(pre)
        else:
            step = 1.0 / 16
            boundary_distance = np.abs(pre / step - np.floor(pre / step) - 0.5) * step
        near = boundary_distance < 1e-4
        assert np.array_equal(got[~near], want[~near])
        near_count += int(near.sum())
        total_count += near.size
    assert near_count / total_count < 0.01


def test_binary_weights_are_plus_minus_one():
    model = blend_module.build(16, 8, 1, "binary", seed=3)
    w = next(numpy_helper.to_array(t) for t in model.graph.initializer if t.name == "main_weight")
    assert set(np.unique(w)) == {-1.0, 1.0}


def test_some_batch_norm_scales_are_negative():
    """The threshold sign flip must be exercised by the bundled model."""
    model = blend_module.build(16, 32, 1, "binary", seed=0)
    gammas = [numpy_helper.to_array(t) for t in model.graph.initializer if t.name.endswith("gamma")]
    assert all((g < 0).any() and (g > 0).any() for g in gammas)
