"""The bundled QONNX exports (models/to_qonnx.py: Quant, BipolarQuant, MultiThreshold) against
qonnx's own executor and against their standard-ONNX twins.

* qonnx's ``execute_onnx`` on the QONNX file gives onnxruntime's logits on the standard file
  (to float rounding): the rewrite keeps the function.
* blend imports both files into the same integer program: the golden executor's outputs are
  bit-identical, including an all-zero image (binarizer ties) and a saturating one.
* Module by module, as in test_blendnet20_modules.py: each module of the QONNX file, cut with
  onnx.utils.Extractor and run by qonnx's executor on the golden executor's own input to that
  module, is within one int8 step of the golden executor in < 0.2 % of the outputs.
"""

import subprocess
import warnings

import numpy as np
import onnx
import onnx.utils
import onnxruntime as ort
import pytest

warnings.filterwarnings("ignore")  # qonnx warns about the exporter's dynamic Reshape shapes

from qonnx.core.modelwrapper import ModelWrapper  # noqa: E402
from qonnx.core.onnx_exec import execute_onnx  # noqa: E402
from qonnx.transformation.infer_shapes import InferShapes  # noqa: E402

STEP = 1.0 / 16
DOMAIN_QONNX = "qonnx.custom_op.general"
IMAGES = 20
MODELS = {
    "blendnet20": ["/quant_stem/DequantizeLinear_output_0"]
    + [f"/layers/layers.{k}/quant/DequantizeLinear_output_0" for k in range(9)],
    "blendmixer": ["/quant_embed/DequantizeLinear_output_0"]
    + [f"/layers/layers.{k}/{p}/quant/DequantizeLinear_output_0"
       for k in range(4) for p in ("token_mlp", "channel_mlp")],
}


def images():
    rng = np.random.default_rng(23)
    x = rng.uniform(0, 1, size=(IMAGES, 3, 32, 32))
    return np.concatenate([x, np.zeros((1, 3, 32, 32)), np.full((1, 3, 32, 32), 40.0)]) \
        .astype(np.float32)


def blend_run(tool, model, x, tmp):
    np.save(tmp / "x.npy", x)
    subprocess.run([tool("blend-run"), str(model), "--input", str(tmp / "x.npy"), "--output",
                    str(tmp / "y.npy")], check=True)
    return np.load(tmp / "y.npy")


def cut(model, inputs, outputs, shapes=None):
    """A sub-model of a shape-inferred QONNX model that qonnx can execute; `shapes` declares
    boundary shapes that shape inference could not derive (the mixer's dynamic Reshape)."""
    sub = onnx.utils.Extractor(model).extract_model(inputs, outputs)
    io = {v.name for v in sub.graph.input} | {v.name for v in sub.graph.output}
    keep = [v for v in sub.graph.value_info if v.name not in io]
    del sub.graph.value_info[:]
    sub.graph.value_info.extend(keep)
    for v in list(sub.graph.input) + list(sub.graph.output):
        if shapes and v.name in shapes:
            v.CopyFrom(onnx.helper.make_tensor_value_info(v.name, onnx.TensorProto.FLOAT,
                                                          shapes[v.name]))
    return sub


@pytest.fixture(scope="module", params=sorted(MODELS))
def qonnx_model(request, root):
    name = request.param
    path = root / "models" / "onnx" / f"{name}_qonnx.onnx"
    wrapper = ModelWrapper(str(path)).transform(InferShapes())
    return name, path, wrapper


def test_qonnx_ops_are_used(qonnx_model):
    name, _, wrapper = qonnx_model
    ops = {n.op_type for n in wrapper.graph.node}
    assert {"Quant", "BipolarQuant"} <= ops
    assert not ops & {"QuantizeLinear", "DequantizeLinear", "Where"}
    if name == "blendnet20":
        assert "MultiThreshold" in ops


def test_qonnx_executor_matches_onnxruntime_on_the_standard_file(qonnx_model, root):
    name, _, wrapper = qonnx_model
    session = ort.InferenceSession(str(root / "models" / "onnx" / f"{name}.onnx"))
    x = images()
    for i in range(len(x)):
        got = execute_onnx(wrapper, {"x": x[i:i + 1]})["logits"]
        ref = session.run(None, {"x": x[i:i + 1]})[0]
        assert np.abs(got - ref).max() <= 1e-5 * max(1.0, np.abs(ref).max()), f"image {i}"


def test_golden_is_bit_identical_to_the_standard_file(qonnx_model, tool, root, tmp_path):
    name, path, _ = qonnx_model
    x = images()
    golden_qonnx = blend_run(tool, path, x, tmp_path)
    golden_std = blend_run(tool, root / "models" / "onnx" / f"{name}.onnx", x, tmp_path)
    assert golden_qonnx.tobytes() == golden_std.tobytes()


def test_each_module_within_one_step_of_qonnx(qonnx_model, tool, tmp_path):
    name, _, wrapper = qonnx_model
    modules_within_one_step(tool, tmp_path, wrapper, MODELS[name], STEP)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_4bit_variant_each_module_within_one_step_of_qonnx(name, tool, root, tmp_path):
    """models/to_qonnx.py --bits 4: every fixed-point quantizer 4 bits wide (ui4 / si4
    activations, narrow si4 weights: what blend-pack-dsp pairs pixels for). blend imports the
    narrow Quant nodes; module by module, the golden executor is within one 4-bit step (16
    int8 steps) of qonnx's executor."""
    import sys
    sys.path.insert(0, str(root / "models"))
    from to_qonnx import convert
    model = convert(onnx.load(str(root / "models" / "onnx" / f"{name}.onnx")),
                    multithreshold=name == "blendnet20", bits=4)
    path = tmp_path / f"{name}_w4.onnx"
    onnx.save(model, path)
    wrapper = ModelWrapper(str(path)).transform(InferShapes())
    bits = {int(wrapper.get_initializer(n.input[3])) for n in wrapper.graph.node
            if n.op_type == "Quant"}
    assert bits == {4}
    modules_within_one_step(tool, tmp_path, wrapper, MODELS[name], 16 * STEP)


def modules_within_one_step(tool, tmp_path, wrapper, boundaries, step):
    """Each module, cut at `boundaries` and run by qonnx on the golden executor's own input to
    it, is within `step` of the golden executor in < 0.2 % of the outputs."""
    x = images()[:IMAGES]
    golden = {}
    for b in boundaries:
        onnx.save(cut(wrapper.model, ["x"], [b]), tmp_path / "cut.onnx")
        golden[b] = blend_run(tool, tmp_path / "cut.onnx", x, tmp_path)
    for k in range(1, len(boundaries)):
        src, dst = boundaries[k - 1], boundaries[k]
        shapes = {b: (1,) + golden[b].shape[1:] for b in (src, dst)}
        sub = ModelWrapper(cut(wrapper.model, [src], [dst], shapes))
        ref = np.concatenate([execute_onnx(sub, {src: golden[src][i:i + 1]})[dst]
                              for i in range(len(x))])
        diff = np.abs(golden[dst] - ref)
        assert diff.max() <= step + 1e-7, f"{dst}: a difference of {diff.max() / step} steps"
        assert np.mean(diff > 0) < 2e-3, f"{dst}: {int((diff > 0).sum())} values differ"


def test_trunc_matches_qonnx(tool, tmp_path):
    """QONNX Trunc (opset 1, FLOOR and ROUND) after an 8-bit Quant: blend's quantize + requant
    by 2^-k with floor / half-even rounding gives qonnx's values exactly."""
    from onnx import TensorProto, helper
    for mode in ("FLOOR", "ROUND"):
        nodes = [
            helper.make_node("Quant", ["x", "s", "z", "b8"], ["q"], domain=DOMAIN_QONNX,
                             signed=1, narrow=0, rounding_mode="ROUND"),
            helper.make_node("Trunc", ["q", "s", "z", "b8", "b5"], ["y"],
                             domain=DOMAIN_QONNX, rounding_mode=mode),
        ]
        inits = [helper.make_tensor("s", TensorProto.FLOAT, [], [1 / 16]),
                 helper.make_tensor("z", TensorProto.FLOAT, [], [0.0]),
                 helper.make_tensor("b8", TensorProto.FLOAT, [], [8.0]),
                 helper.make_tensor("b5", TensorProto.FLOAT, [], [5.0])]
        graph = helper.make_graph(
            nodes, "trunc", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 8])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 8])], inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                        helper.make_opsetid(DOMAIN_QONNX, 1)])
        path = tmp_path / f"trunc_{mode}.onnx"
        onnx.save(model, path)
        x = np.random.default_rng(4).uniform(-8, 8, size=(10, 4, 8)).astype(np.float32)
        wrapper = ModelWrapper(str(path)).transform(InferShapes())
        for i in range(len(x)):
            np.save(tmp_path / "xi.npy", x[i:i + 1])
            subprocess.run([tool("blend-run"), str(path), "--input", str(tmp_path / "xi.npy"),
                            "--output", str(tmp_path / "yi.npy")], check=True)
            ref = execute_onnx(wrapper, {"x": x[i:i + 1]})["y"]
            assert np.array_equal(np.load(tmp_path / "yi.npy"), ref), mode


def test_multilevel_multithreshold_matches_qonnx(tool, tmp_path):
    """A 2-bit MultiThreshold (3 thresholds per channel, out_scale 0.5, out_bias -1, as FINN
    streamlines a 2-bit activation) on an int8 tensor becomes blend.multi_threshold with a
    fixed-point result and gives qonnx's values exactly (thresholds off the int8 grid)."""
    from onnx import TensorProto, helper
    rng = np.random.default_rng(9)
    thresholds = np.sort(rng.uniform(-4, 4, size=(4, 3)), axis=1).astype(np.float32)
    nodes = [
        helper.make_node("Quant", ["x", "s", "z", "b8"], ["q"], domain=DOMAIN_QONNX,
                         signed=1, narrow=0, rounding_mode="ROUND"),
        helper.make_node("MultiThreshold", ["q", "t"], ["y"], domain=DOMAIN_QONNX,
                         out_dtype="INT2", out_scale=0.5, out_bias=-1.0),
    ]
    inits = [helper.make_tensor("s", TensorProto.FLOAT, [], [1 / 16]),
             helper.make_tensor("z", TensorProto.FLOAT, [], [0.0]),
             helper.make_tensor("b8", TensorProto.FLOAT, [], [8.0]),
             onnx.numpy_helper.from_array(thresholds, "t")]
    graph = helper.make_graph(
        nodes, "mt", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 5, 5])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 5, 5])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                    helper.make_opsetid(DOMAIN_QONNX, 1)])
    path = tmp_path / "mt.onnx"
    onnx.save(model, path)
    mlir = subprocess.run([tool("blendc"), str(path), "--emit=mlir"], check=True,
                          capture_output=True, text=True).stdout
    assert "blend.multi_threshold" in mlir and "zp = 2>" in mlir
    wrapper = ModelWrapper(str(path)).transform(InferShapes())
    x = rng.uniform(-6, 6, size=(20, 4, 5, 5)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    subprocess.run([tool("blend-run"), str(path), "--input", str(tmp_path / "x.npy"),
                    "--output", str(tmp_path / "y.npy")], check=True)
    golden = np.load(tmp_path / "y.npy")
    ref = np.concatenate([execute_onnx(wrapper, {"x": x[i:i + 1]})["y"] for i in range(len(x))])
    assert np.array_equal(golden, ref)
