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


def conv2d(x, w, stride, pad):
    """Direct NCHW convolution; zero padding, no dilation, one group."""
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.zeros((n, c, h + 2 * pad, wd + 2 * pad), dtype=np.float64)
    xp[:, :, pad:pad + h, pad:pad + wd] = x
    oh = (h + 2 * pad - kh) // stride + 1
    ow = (wd + 2 * pad - kw) // stride + 1
    out = np.zeros((n, o, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
            out += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])
    return out


def quantize(x, scale):
    return np.clip(np.round(x / scale), -128, 127)  # np.round: half to even


def reference(model: onnx.ModelProto, x: np.ndarray, stride: int, output: str):
    p = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    s_in = p["x_scale"]
    xq = quantize(x.astype(np.float64), s_in) * s_in
    xb = np.where(xq >= 0, 1.0, -1.0)

    def bn(v, prefix):
        g, b, m, var = (p[f"{prefix}_{k}"][None, :, None, None]
                        for k in ("gamma", "beta", "mean", "var"))
        return g * (v - m) / np.sqrt(var + 1e-5) + b

    main = bn(conv2d(xb, p["main_weight"], stride, 1), "main_bn")
    skip_w = p["skip_weight_q"] * p["skip_weight_scale"]
    skip = bn(conv2d(xq, skip_w, stride, 0), "skip_bn")
    total = main + skip
    if output == "binary":
        return total, np.where(total >= 0, 1.0, -1.0)
    s_out = p["y_scale"]
    return total, quantize(total, s_out) * s_out


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
