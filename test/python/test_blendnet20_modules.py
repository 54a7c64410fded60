"""BlendNet-20 (bundled export) through the golden executor, module by module.

The stem and each of the 9 Blend modules are compared with onnxruntime *given the golden
executor's own input to that module* (onnx.utils.extract_model cuts the graph at module
boundaries): a deep binary network amplifies every near-tie rounding difference (one int8 step
at q = 0 flips a binarizer), so an end-to-end comparison cannot tell a cascade of legitimate
ties from a bug; a per-module one can. Contract (docs/semantics.md §8): int8 outputs differ from
onnxruntime by at most one quantization step, and rarely.
"""

import subprocess

import numpy as np
import onnx.utils
import onnxruntime as ort
import pytest

STEP = 1.0 / 16  # int8 activation scale of every module output
STEM = "/quant_stem/DequantizeLinear_output_0"
MODULES = [f"/layers/layers.{k}/quant/DequantizeLinear_output_0" for k in range(9)]


@pytest.fixture(scope="module")
def golden_outputs(tool, root, tmp_path_factory):
    """Golden-executor outputs of the stem and of every module, for 20 random images."""
    tmp = tmp_path_factory.mktemp("blendnet20")
    model = root / "models" / "onnx" / "blendnet20.onnx"
    x = np.random.default_rng(11).uniform(0, 1, size=(20, 3, 32, 32)).astype(np.float32)
    np.save(tmp / "x.npy", x)
    outputs = {}
    for name in [STEM] + MODULES:
        cut = tmp / "cut.onnx"
        onnx.utils.extract_model(str(model), str(cut), ["x"], [name])
        subprocess.run([tool("blend-run"), str(cut), "--input", str(tmp / "x.npy"), "--output",
                        str(tmp / "y.npy")], check=True)
        outputs[name] = np.load(tmp / "y.npy")
    return model, x, outputs, tmp


def test_stem_is_exact(golden_outputs):
    model, x, golden, tmp = golden_outputs
    onnx.utils.extract_model(str(model), str(tmp / "stem.onnx"), ["x"], [STEM])
    session = ort.InferenceSession(str(tmp / "stem.onnx"))
    ref = np.concatenate([session.run(None, {"x": x[i:i + 1]})[0] for i in range(len(x))])
    assert np.abs(golden[STEM] - ref).max() <= STEP + 1e-7
    assert np.mean(golden[STEM] != ref) < 1e-3


@pytest.mark.parametrize("k", range(9))
def test_each_module_within_one_step(golden_outputs, k):
    model, _, golden, tmp = golden_outputs
    src, dst = ([STEM] + MODULES)[k], MODULES[k]
    sub = tmp / f"module{k}.onnx"
    onnx.utils.extract_model(str(model), str(sub), [src], [dst])
    session = ort.InferenceSession(str(sub))
    ref = np.concatenate([session.run(None, {src: golden[src][i:i + 1]})[0]
                          for i in range(len(golden[src]))])
    diff = np.abs(golden[dst] - ref)
    assert diff.max() <= STEP + 1e-7, f"module {k}: a difference of {diff.max() / STEP} steps"
    assert np.mean(diff > 0) < 2e-3, f"module {k}: {int((diff > 0).sum())} values differ"


def test_head_matches_given_the_golden_body(tool, golden_outputs, root):
    """GlobalAveragePool → Flatten → int8 Gemm: the exact sum-pool and the int8 matmul with
    its bias quantized at the product scale give onnxruntime's logits to float rounding."""
    model, x, golden, tmp = golden_outputs
    np.save(tmp / "x.npy", x)
    subprocess.run([tool("blend-run"), str(model), "--input", str(tmp / "x.npy"), "--output",
                    str(tmp / "logits.npy")], check=True)
    logits = np.load(tmp / "logits.npy")
    onnx.utils.extract_model(str(model), str(tmp / "head.onnx"), [MODULES[-1]], ["logits"])
    session = ort.InferenceSession(str(tmp / "head.onnx"))
    ref = np.concatenate([session.run(None, {MODULES[-1]: golden[MODULES[-1]][i:i + 1]})[0]
                          for i in range(len(x))])
    assert logits.shape == (len(x), 10)
    assert np.abs(logits - ref).max() <= 1e-5 * max(1.0, np.abs(ref).max())
    assert (logits.argmax(1) == ref.argmax(1)).all()
