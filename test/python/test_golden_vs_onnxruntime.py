"""blend-run (the golden executor) against onnxruntime on Blend modules.

For each shape, 50 random inputs run through both. The contract
(docs/semantics.md §8) says outputs are equal except where the float
pre-activation z of the output stage lies within the documented error bound of
a decision boundary. So: every output far from a boundary must be identical,
every differing output must be explained by the bound, and such outputs must
be rare. The bound per channel is the one the compiler records in the IR
(`blend.error_bound`), read back from `blendc --emit=mlir`.
"""

import re
import subprocess

import numpy as np
import onnx
import onnxruntime as ort
import pytest

import blend_module
from blend_reference import reference

IMAGES = 50
SHAPES = [
    (16, 32, 1, "binary"),   # the bundled module
    (16, 32, 2, "int8"),     # stride 2, requantized output
    (50, 9, 2, "binary"),    # C not a multiple of 48, odd size, stride 2
    (7, 5, 1, "int8"),       # tiny, mostly border outputs
]


def error_bounds(tool, path):
    """Per-channel error bound (real units) recorded by blend-fold-batchnorm."""
    ir = subprocess.run([tool("blendc"), str(path), "--emit=mlir"], capture_output=True,
                        text=True, check=True).stdout
    m = re.search(r"blend\.error_bound = array<f64: ([^>]*)>", ir)
    assert m, "the lowered module records no error bound"
    return np.array([float(v) for v in m.group(1).split(",")])


@pytest.mark.parametrize("channels,size,stride,output", SHAPES)
def test_golden_matches_onnxruntime_within_contract(tool, tmp_path, channels, size, stride,
                                                   output):
    model = blend_module.build(channels, size, stride, output, seed=channels + size)
    path = tmp_path / "m.onnx"
    onnx.save(model, path)
    rng = np.random.default_rng(1000 + channels)
    x = rng.normal(0.0, 1.5, size=(IMAGES, channels, size, size)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    subprocess.run([tool("blend-run"), str(path), "--input", str(tmp_path / "x.npy"),
                    "--output", str(tmp_path / "y.npy")], check=True)
    golden = np.load(tmp_path / "y.npy")

    session = ort.InferenceSession(model.SerializeToString())
    ort_out = np.concatenate([session.run(None, {"x": x[i:i + 1]})[0] for i in range(IMAGES)])
    assert golden.shape == ort_out.shape

    bound = error_bounds(tool, path)[None, :, None, None]
    z = np.concatenate([reference(model, x[i:i + 1], stride, output)[0] for i in range(IMAGES)])
    # Float32 rounding of the ONNX graph itself, generously.
    slack = bound + 2.0 ** -18 * (1.0 + np.abs(z))
    if output == "binary":
        near_boundary = np.abs(z) <= slack
    else:
        step = 1.0 / 16
        frac = z / step - np.floor(z / step)
        # The output requant's multiplier has 18 bits: relative error 2^-17.
        near_boundary = (np.abs(frac - 0.5) * step <= slack + 2.0 ** -16 * np.abs(z))

    differ = golden != ort_out
    unexplained = differ & ~near_boundary
    assert not unexplained.any(), (
        f"{unexplained.sum()} outputs differ from onnxruntime outside the documented bound; "
        f"first at {np.argwhere(unexplained)[0]}")
    assert differ.mean() < 1e-3, f"{differ.sum()} of {differ.size} outputs differ"
    if output == "int8":
        # Differences are single quantization steps, never more.
        assert np.abs(golden - ort_out).max() <= 1.0 / 16 + 1e-7


def test_bundled_model_is_the_generator_default(root, tmp_path):
    """models/onnx/blend_module.onnx is exactly what the script writes."""
    bundled = onnx.load(root / "models" / "onnx" / "blend_module.onnx")
    fresh = blend_module.build(16, 32, 1, "binary", seed=0)
    assert bundled.SerializeToString() == fresh.SerializeToString()
