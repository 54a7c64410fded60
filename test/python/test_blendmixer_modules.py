"""BlendMixer (bundled export) through the golden executor, module by module.

As for BlendNet-20 (test_blendnet20_modules.py), the patch embedding and each of the 8 BlendMLPs
(token and channel mixing of 4 mixer layers) are compared with onnxruntime *given the golden
executor's own input to that module*, on 20 random images. The export computes its reshape
target at run time (Shape → Slice → Concat → Reshape), so onnx's shape inference leaves the
module boundaries untyped: the cuts are made with onnx.utils.Extractor after declaring them.

onnxruntime runs with graph optimizations disabled: its optimizer rewrites a cut BlendMLP so
that 6.5 % of the int8 outputs move by one step (measured: the unoptimized cut agrees with the
full optimized model on 99.96 % of outputs, the optimized cut on 93.4 %); the unoptimized
session is the ONNX semantics. Contract (docs/semantics.md §8): outputs differ from onnxruntime
by at most one int8 step, and rarely.
"""

import subprocess

import numpy as np
import onnx
import onnx.utils
import onnxruntime as ort
import pytest

STEP = 1.0 / 16  # int8 activation scale of every module output
EMBED = "/quant_embed/DequantizeLinear_output_0"
MODULES = [f"/layers/layers.{k}/{part}/quant/DequantizeLinear_output_0"
           for k in range(4) for part in ("token_mlp", "channel_mlp")]
IMAGES = 20


def reference_session(model):
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(model.SerializeToString(), options)


@pytest.fixture(scope="module")
def mixer(tool, root, tmp_path_factory):
    """The extractor, the random images and the golden outputs of every module boundary."""
    tmp = tmp_path_factory.mktemp("blendmixer")
    model = onnx.shape_inference.infer_shapes(
        onnx.load(root / "models" / "onnx" / "blendmixer.onnx"), data_prop=True)
    typed = {v.name for v in model.graph.value_info}
    for name in [EMBED] + MODULES:
        if name not in typed:
            model.graph.value_info.append(
                onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    extractor = onnx.utils.Extractor(model)
    x = np.random.default_rng(5).uniform(0, 1, size=(IMAGES, 3, 32, 32)).astype(np.float32)
    np.save(tmp / "x.npy", x)
    golden = {}
    for name in [EMBED] + MODULES + ["logits"]:
        onnx.save(extractor.extract_model(["x"], [name]), tmp / "cut.onnx")
        subprocess.run([tool("blend-run"), str(tmp / "cut.onnx"), "--input",
                        str(tmp / "x.npy"), "--output", str(tmp / "y.npy")], check=True)
        golden[name] = np.load(tmp / "y.npy")
    return extractor, x, golden


def run_cut(extractor, src, dst, inputs):
    session = reference_session(extractor.extract_model([src], [dst]))
    return np.concatenate([session.run(None, {src: inputs[i:i + 1]})[0]
                           for i in range(len(inputs))])


def test_patch_embedding_is_exact(mixer):
    extractor, x, golden = mixer
    ref = run_cut(extractor, "x", EMBED, x)
    assert golden[EMBED].shape == (IMAGES, 128, 8, 8)
    assert np.abs(golden[EMBED] - ref).max() <= STEP + 1e-7
    assert np.mean(golden[EMBED] != ref) < 1e-3


@pytest.mark.parametrize("k", range(len(MODULES)))
def test_each_blend_mlp_within_one_step(mixer, k):
    extractor, _, golden = mixer
    src, dst = ([EMBED] + MODULES)[k], MODULES[k]
    ref = run_cut(extractor, src, dst, golden[src])
    assert golden[dst].shape == ref.shape
    diff = np.abs(golden[dst] - ref)
    assert diff.max() <= STEP + 1e-7, f"module {k}: a difference of {diff.max() / STEP} steps"
    assert np.mean(diff > 0) < 2e-3, f"module {k}: {int((diff > 0).sum())} values differ"


def test_head_matches_given_the_golden_body(mixer):
    """ReduceMean over tokens → int8 Gemm: the exact sum-pool and the int8 matmul give
    onnxruntime's logits to float rounding."""
    extractor, _, golden = mixer
    ref = run_cut(extractor, MODULES[-1], "logits", golden[MODULES[-1]])
    logits = golden["logits"]
    assert logits.shape == (IMAGES, 10)
    assert np.abs(logits - ref).max() <= 1e-5 * max(1.0, np.abs(ref).max())
    assert (logits.argmax(1) == ref.argmax(1)).all()
