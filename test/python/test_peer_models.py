"""Other people's models: the peer corpus (test/corpus/build_corpus.py) — Brevitas 0.13's
BNN-PYNQ networks in QONNX, cleaned QONNX and QCDQ, FINN's trained TFC-w1a1 (FINN-ONNX), the
cybsec MLP from FINN's state dict, BlendNet-20 and BlendMixer written with Brevitas layers,
and PyTorch eval-mode exports (BN folded, torch.sign) of the bundled models — each checked
against its exporter's own executor by test/corpus/check_corpus.py:

* every model imports and lowers to integer ops (``blendc --check`` exit status aside: the
  accelerator column is the hardware-coverage issue's);
* integer-exact models (explicit quantizers, no float join) give their executor's outputs
  bit for bit; FINN's TFC-w1a1 classifies its four shipped samples as FINN expects;
* the others (float Blend-module joins, BN folded into float weights) agree layer by layer
  (teacher-forced) within one quantization step at < 0.2 % of the values;
* the models that map onto blend_net today are pinned, and one of them (the eval export of
  BlendNet-20: recovered int8 weights, float biases before Sign, an epilogue multiply) runs in
  RTL bit-exactly; a bundled model given host pre- and post-processing (x / 255 before the
  input quantizer, an affine map and TopK after the output) runs in RTL bit-exactly and gives
  onnxruntime's classes.

The corpus is built once into $BLEND_BUILD_DIR/corpus (about a minute; kept as a cache).
"""

import importlib.util
import json
import re
import pathlib
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS_SRC = ROOT / "test" / "corpus"


def load(name):
    spec = importlib.util.spec_from_file_location(name, CORPUS_SRC / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(CORPUS_SRC))
    spec.loader.exec_module(module)
    return module


build_corpus = load("build_corpus")
check_corpus = load("check_corpus")

# The models that map onto blend_net today (blendc --check's last line): everything else is
# refused with a one-line reason that names the construct (max pooling, binary or uint8
# inputs, thresholds after fixed-point layers, ...). The FC stacks on a 1xN input with
# fixed-point activations (BNN-PYNQ's TFC/SFC/LFC w1a2 and w2a2, in every export form) map.
FC_STACKS = {f"{net}_{wa}_{form}" for net in ("tfc", "sfc", "lfc") for wa in ("1w2a", "2w2a")
             for form in ("qonnx", "qonnx_clean")} | {"tfc_2w2a_qcdq", "sfc_2w2a_qcdq"}
FC_STACKS -= {"lfc_2w2a_qonnx", "lfc_2w2a_qonnx_clean"}  # not in the corpus
# The cybsec MLP also needs its bipolar input's offset requant folded into the host's quantizer
# and its last layer's threshold (BN + sign) on the fixed-point path.
# FINN's trained TFC-w1a1 also needs its image threshold (UINT8 pixels >= 128) sent by the host
# as q - 128 (the binary path reads the sign) and its plain-integer logits streamed out.
# The w1a1 stacks binarize their input (BipolarQuant): the host does it (x >= 0 ? +1 : -1).
W1A1 = {f"{net}_1w1a_{form}" for net in ("tfc", "sfc", "lfc") for form in ("qonnx", "qonnx_clean")}
# FINN's CNV (BNN-PYNQ) also needs its max pools between convolutions (pool steps) and its
# first linear layer over the last 1x1 map as a binary path; every export of it maps.
CNV = {f"cnv_{wa}_{form}" for wa in ("1w1a", "1w2a", "2w2a") for form in ("qonnx", "qonnx_clean")}
CNV |= {"cnv_2w2a_qcdq"}
MAPS = {"torch_eval_blendnet20", "torch_eval_blendmixer", "cybsec_mlp_w2a2",
        "finn_tfc_w1a1"} | FC_STACKS | W1A1 | CNV


@pytest.fixture(scope="module")
def corpus(tool):
    build = pathlib.Path(tool("blendc")).parents[1]
    out = build / "corpus"
    subprocess.run([sys.executable, str(CORPUS_SRC / "build_corpus.py"), "-o", str(out)],
                   check=True)
    return build, out, json.loads((out / "manifest.json").read_text())


@pytest.mark.parametrize("builder", sorted(build_corpus.BUILDERS))
def test_peer_model_against_its_exporter(corpus, builder):
    build, out, manifest = corpus
    for entry in manifest["builders"][builder]:
        row = check_corpus.evaluate(str(build), out, entry, layer_images=1)
        name = entry["name"]
        assert not row["golden_error"], f"{name}: {row['golden_error']}"
        assert not row["refused"], f"{name}: blendc --check refuses nodes: {row['refused']}"
        if entry["exact"]:
            assert row["differ"] == 0, \
                f"{name}: {row['differ']} of {row['outputs']} outputs differ"
        else:
            layers = row["layers"]
            assert layers, f"{name}: no quantizer was compared"
            differ = sum(v[0] for v in layers.values())
            total = sum(v[1] for v in layers.values())
            worst = max(v[2] for v in layers.values())
            assert worst <= 1, f"{name}: a quantizer differs by {worst} steps"
            assert differ <= 0.002 * total, f"{name}: {differ} of {total} values differ"
        if "label_accuracy" in row:
            assert row["label_accuracy"] == 1.0, f"{name}: FINN's expected labels missed"
        maps = row["accelerator"].startswith("accelerator: maps")
        assert maps == (name in MAPS), f"{name}: {row['accelerator']}"


def cosimulate(tool, model, x, tmp_path, flags=(), accel="accel", trace=False):
    """blendc (into tmp_path / accel unless it exists), blend-run and blend-sim on inputs x:
    asserts RTL == golden byte for byte and cycles == the estimate on every image (with
    `trace`, also every layer step of the first image equal to the golden trace); returns
    the report and the RTL outputs."""
    np.save(tmp_path / "x.npy", x)
    if not (tmp_path / accel).exists():
        subprocess.run([tool("blendc"), str(model), "-o", str(tmp_path / accel), *flags],
                       check=True)
    golden_trace = ["--trace", str(tmp_path / "trace")] if trace else []
    subprocess.run([tool("blend-run"), str(model), *flags, "--input", str(tmp_path / "x.npy"),
                    "--output", str(tmp_path / "golden.npy"), *golden_trace], check=True)
    compare = ["--golden-trace", str(tmp_path / "trace")] if trace else []
    sim = subprocess.run([tool("blend-sim"), str(tmp_path / accel), "--input",
                          str(tmp_path / "x.npy"), "--output", str(tmp_path / "rtl.npy"),
                          *compare], check=True, capture_output=True, text=True)
    assert (tmp_path / "rtl.npy").read_bytes() == (tmp_path / "golden.npy").read_bytes()
    report = json.loads((tmp_path / accel / "report.json").read_text())
    cycles = [int(c) for c in re.findall(r"cycles: (\d+)", sim.stdout)]
    assert cycles == [report["estimated_cycles_per_image"]] * len(x)
    if trace:
        assert f"taps: all {len(report['layers'])} layer steps match the golden trace" \
            in sim.stdout
    return report, np.load(tmp_path / "rtl.npy")


def test_eval_export_runs_bit_exactly_in_rtl(corpus, tool, tmp_path):
    """PyTorch's eval export of BlendNet-20 (BN folded into the weights: int8 × per-channel
    scales recovered, ±α binary weights, float biases folded exactly into the thresholds,
    the classifier's per-channel scales as a host multiply): the same accelerator as the
    bundled export's, byte-identical to the golden executor."""
    build, out, _ = corpus
    model = out / "torch_eval_blendnet20.onnx"
    x = np.load(out / "torch_eval_blendnet20.npz")["x"][:3]
    report, _ = cosimulate(tool, model, x, tmp_path, ["--sign-zero=plus-one"])
    assert report["host"]["after_output_dequantizer"] == ["x * c[10 values]"]
    assert sum("Sign(0) is read as +1" in n for n in report["import_notes"]) == 18


@pytest.mark.parametrize("name", ["tfc_2w2a_qonnx_clean", "sfc_1w2a_qonnx", "cybsec_mlp_w2a2",
                                  "tfc_1w1a_qonnx_clean"])
def test_fc_stack_runs_bit_exactly_in_rtl(corpus, tool, tmp_path, name):
    """A fully-connected stack on a vector input, as Brevitas exports BNN-PYNQ's TFC / SFC
    (2-bit activations, 2-bit or bipolar weights, 784 inputs sent as 56 channels x 14 pixels)
    and FINN's cybsec MLP (600 bipolar inputs shifted to {0, 2} by the host's quantizer, a
    threshold after its last fixed-point layer, a binary output) and the w1a1 TFC (the host
    binarizes the input, binary layers with thresholds): 20 inputs byte-identical to
    the golden executor (which check_corpus holds bit-identical to qonnx's executor), cycles
    equal to the estimate; it also compiles for the xczu7ev."""
    _, out, _ = corpus
    model = out / f"{name}.onnx"
    for target in ("xczu3eg", "xczu7ev"):
        subprocess.run([tool("blendc"), str(model), "-o", str(tmp_path / target), "--target",
                        target], check=True)
    cosimulate(tool, model, np.load(out / f"{name}.npz")["x"][:20], tmp_path, accel="xczu3eg")


def test_cnv_w1a1_runs_bit_exactly_in_rtl(corpus, tool, tmp_path):
    """FINN's CNV-w1a1 as Brevitas exports it (cleaned QONNX): an int8 first layer with a
    threshold on the fixed-point path, binary 3x3 convolutions with thresholds, two 2x2 max
    pools of binary tensors (pool steps: OR of the bits) and a binary FC stack, compiled for the
    xczu3eg (Ultra96): 4 CIFAR-sized inputs byte-identical to the golden executor (which
    check_corpus holds bit-identical to qonnx's executor), every layer step equal to the golden
    trace, cycles equal to the estimate. Only its 3-channel image is ever read as bytes, so
    the activation memory stores 4 bytes of each 512-channel word (ByteC), which is what
    lets the network fit the xczu3eg's 216 RAMB36."""
    _, out, _ = corpus
    model = out / "cnv_1w1a_qonnx_clean.onnx"
    x = np.load(out / "cnv_1w1a_qonnx_clean.npz")["x"][:4]
    subprocess.run([tool("blendc"), str(model), "-o", str(tmp_path / "accel"), "--target",
                    "xczu3eg"], check=True)
    # Every layer step's tensor, the pools' included, equals the golden executor's.
    report, _ = cosimulate(tool, model, x, tmp_path, trace=True)
    assert report["hardware"]["byte_channels"] < report["hardware"]["max_channels"]
    pools = [layer for layer in report["layers"] if layer["descriptor"]["pool"]]
    assert [(p["descriptor"]["pool"], p["descriptor"]["s_kh"], p["descriptor"]["o"])
            for p in pools] == [(1, 2, 64), (1, 2, 128)]
    assert report["hardware"]["pool_channels"] == 128


def test_cnv_w1a2_is_refused_at_once_with_the_numbers(corpus, tool, tmp_path):
    """CNV-w1a2 keeps its binary weights as bytes on the fixed-point path (2-bit activations):
    more block RAM than the xczu3eg has for the weights alone. The search sees that row stripes
    (which shrink only the activation memories) cannot help and says so, instead of trying
    every stripe count (minutes); nothing is written."""
    _, out, _ = corpus
    r = subprocess.run([tool("blendc"), str(out / "cnv_1w2a_qonnx_clean.onnx"), "-o",
                        str(tmp_path / "accel"), "--target", "xczu3eg"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert "the design does not fit xczu3eg" in r.stderr
    assert re.search(r"row stripes would not help: its weights, constants and descriptors "
                     r"alone take at least \d+ RAMB36", r.stderr)
    assert not (tmp_path / "accel").exists()


def test_finn_tfc_w1a1_gives_its_labels_in_rtl(corpus, tool, tmp_path):
    """FINN's trained TFC-w1a1 (finn-plus-tests, FINN-ONNX with MultiThreshold and a TopK
    output): its four shipped MNIST samples classified as FINN expects by the RTL, and with 16
    random UINT8 images byte-identical to the golden executor, cycles equal to the estimate."""
    _, out, _ = corpus
    model = out / "finn_tfc_w1a1.onnx"
    data = np.load(out / "finn_tfc_w1a1.npz")
    rng = np.random.default_rng(7)
    x = np.concatenate([data["x"], rng.integers(0, 256, (16, 1, 28, 28)).astype(np.float32)])
    _, rtl = cosimulate(tool, model, x, tmp_path)
    assert rtl.reshape(-1)[:4].tolist() == data["labels"].tolist()


def host_steps_model(path):
    """The bundled Fashion-MNIST BlendNet with host work on both sides: raw pixels divided by
    255 before its input quantizer, then after its logits (x − m) · 0.5 and TopK(k = 1)."""
    m = onnx.load(str(ROOT / "models" / "onnx" / "blendnet_fmnist.onnx"))
    g = m.graph
    g.input[0].name = "raw"
    g.initializer.extend([
        numpy_helper.from_array(np.array(255.0, np.float32), "c255"),
        numpy_helper.from_array(np.linspace(-1, 1, 10).astype(np.float32), "mean"),
        numpy_helper.from_array(np.array(0.5, np.float32), "half"),
        numpy_helper.from_array(np.array([1], np.int64), "k1")])
    g.node.insert(0, helper.make_node("Div", ["raw", "c255"], ["x"], name="pre_div"))
    g.node.extend([
        helper.make_node("Sub", ["logits", "mean"], ["centered"], name="post_sub"),
        helper.make_node("Mul", ["centered", "half"], ["scaled"], name="post_mul"),
        helper.make_node("TopK", ["scaled", "k1"], ["values", "cls"], name="post_topk",
                         axis=-1)])
    del g.output[:]
    g.output.extend([helper.make_tensor_value_info("cls", TensorProto.INT64, [1, 1])])
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


def test_host_steps_run_around_the_rtl(tool, tmp_path):
    model = tmp_path / "fmnist_host.onnx"
    host_steps_model(model)
    rng = np.random.default_rng(3)
    x = np.round(rng.uniform(0, 255, (5, 1, 28, 28))).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    subprocess.run([tool("blendc"), str(model), "-o", str(tmp_path / "accel")], check=True)
    subprocess.run([tool("blend-run"), str(model), "--input", str(tmp_path / "x.npy"),
                    "--output", str(tmp_path / "golden.npy")], check=True)
    subprocess.run([tool("blend-sim"), str(tmp_path / "accel"), "--input",
                    str(tmp_path / "x.npy"), "--output", str(tmp_path / "rtl.npy")],
                   check=True, capture_output=True)
    assert (tmp_path / "rtl.npy").read_bytes() == (tmp_path / "golden.npy").read_bytes()
    sess = ort.InferenceSession(str(model))
    ref = np.concatenate([sess.run(None, {"raw": x[i:i + 1]})[0] for i in range(len(x))])
    assert np.array_equal(np.load(tmp_path / "rtl.npy").astype(np.int64), ref)
    report = json.loads((tmp_path / "accel" / "report.json").read_text())
    assert report["host"] == {
        "before_input_quantizer": ["x / 255"],
        "after_output_dequantizer": ["x - c[10 values]", "x * 0.5",
                                     "argmax over axis 1 (the class index)"]}
    # The same cycles as the model without host work (bench/results: 9,172).
    assert report["estimated_cycles_per_image"] == 9172
