"""Whole networks on the accelerator (blend_net): the RTL, simulated by Verilator through
blend-sim, must give byte-identical outputs to the golden executor (blend-run), and every
layer step's tensor must equal the golden executor's value of the same op (the per-layer tap
comparison). Also: the compiler's per-layer cycle estimates against the simulated cycles, random
AXI4-Stream stalls, and a corrupted golden trace that the tap comparison must name.

Models: the trained Fashion-MNIST BlendNet (200 real test images), BlendNet-20 and BlendMixer in
both export styles (standard ONNX and QONNX; 20 random images), all bundled in models/onnx/;
BlendNet-20 also under a DSP budget (output-channel tiles and folded steps together). Pixel
pairs (four products per DSP): a 4-bit test network (test/Codegen/pixel-pairs.mlir) and the
4-bit BlendNet-20 variant.
"""

import json
import pathlib
import re
import subprocess

import numpy as np
import pytest

from train_fmnist import load

MODELS = pathlib.Path(__file__).resolve().parents[2] / "models" / "onnx"


def compile_and_simulate(tool, tmp_path, model, x, extra=(), blendc_args=()):
    """blendc + blend-sim on `x`; returns (rtl outputs, golden outputs, sim stdout, report)."""
    accel = tmp_path / "accel"
    subprocess.run([tool("blendc"), str(model), "-o", str(accel), *blendc_args], check=True)
    np.save(tmp_path / "x.npy", x)
    trace = tmp_path / "trace"
    subprocess.run([tool("blend-run"), str(model), "--input", str(tmp_path / "x.npy"),
                    "--output", str(tmp_path / "golden.npy"), "--trace", str(trace)],
                   check=True)
    sim = subprocess.run([tool("blend-sim"), str(accel), "--input", str(tmp_path / "x.npy"),
                          "--output", str(tmp_path / "rtl.npy"), "--layer-cycles",
                          "--golden-trace", str(trace), *extra],
                         check=True, capture_output=True, text=True)
    report = json.loads((accel / "report.json").read_text())
    return (tmp_path / "rtl.npy").read_bytes(), (tmp_path / "golden.npy").read_bytes(), \
        sim.stdout, report


def layer_cycles(stdout):
    return {int(m.group(1)): int(m.group(2))
            for m in re.finditer(r"layer-cycles: step (\d+) (\d+)", stdout)}


def check_cost_model(stdout, report):
    """Every layer's estimate within 10% of Verilator (the model is exact today: assert 1%)."""
    measured = layer_cycles(stdout)
    assert len(measured) == len(report["layers"])
    for layer in report["layers"]:
        sim = measured[layer["index"]]
        assert abs(layer["estimated_cycles"] - sim) <= 0.01 * sim, (layer["index"], sim)
    # blend-sim --layer-cycles writes the simulated cycles into the report.
    for layer in report["layers"]:
        assert layer["simulated_cycles"] == measured[layer["index"]]
    images = [int(c) for c in re.findall(r"^cycles: (\d+)$", stdout, re.M)]
    assert report["simulated_cycles_per_image"] == images[0]
    assert images and all(abs(c - report["estimated_cycles_per_image"]) <= 0.01 * c
                          for c in images)


def test_fmnist_network_is_bit_exact_on_200_test_images(tool, tmp_path):
    images, labels = load("t10k")
    x = images[:200]
    rtl, golden, stdout, report = compile_and_simulate(
        tool, tmp_path, MODELS / "blendnet_fmnist.onnx", x)
    assert rtl == golden
    assert "taps: all 8 layer steps match the golden trace" in stdout
    check_cost_model(stdout, report)
    # The hardware classifies like the golden executor (85-87% on these images).
    predictions = np.load(tmp_path / "rtl.npy").argmax(1)
    assert 0.8 <= np.mean(predictions == labels[:200]) <= 0.95


@pytest.mark.parametrize("model", ["blendnet20.onnx", "blendnet20_qonnx.onnx"])
def test_blendnet20_is_bit_exact_on_20_random_images(tool, tmp_path, model):
    x = np.random.RandomState(20).uniform(-1, 1, (20, 3, 32, 32)).astype(np.float32)
    rtl, golden, stdout, report = compile_and_simulate(tool, tmp_path, MODELS / model, x)
    assert rtl == golden
    assert "taps: all 20 layer steps match the golden trace" in stdout
    assert [layer["op"] for layer in report["layers"]].count("threshold") == 9
    check_cost_model(stdout, report)


@pytest.fixture(scope="module")
def mixer_dir(tmp_path_factory):
    """One directory for both BlendMixer files: their RTL is identical, so the second
    blend-sim run reuses the first one's Verilator build."""
    return tmp_path_factory.mktemp("mixer")


@pytest.mark.parametrize("model", ["blendmixer.onnx", "blendmixer_qonnx.onnx"])
def test_blendmixer_is_bit_exact_on_20_random_images(tool, mixer_dir, model):
    """BlendMixer on the xczu3eg: token mixing reads the transpose of what channel mixing
    wrote (8 transpose steps), and the 256-channel hidden layers do not fit the part at
    Pe 256, so they run in output-channel tiles. Those hidden tensors are binary and read by
    binary paths only: the activation memory stores 128 bytes of the 256-channel words
    (ByteC), the transposer and the skip paths read within them."""
    x = np.random.RandomState(21).uniform(-1, 1, (20, 3, 32, 32)).astype(np.float32)
    rtl, golden, stdout, report = compile_and_simulate(tool, mixer_dir, MODELS / model, x)
    assert rtl == golden
    steps = len(report["layers"])
    assert f"taps: all {steps} layer steps match the golden trace" in stdout
    check_cost_model(stdout, report)
    layers = report["layers"]
    assert [layer["bound_by"] for layer in layers].count("transpose") == 8
    assert report["hardware"]["pe"] < 256
    assert report["hardware"]["byte_channels"] == 128 < report["hardware"]["max_channels"]
    assert any(layer["descriptor"]["out_offset"] > 0 for layer in layers)

    # A fault in a transposed tensor is named at its transpose step: the first one, the
    # token mixer's input (the stem's output, in output-channel tiles, transposed).
    first_transpose = next(layer["index"] for layer in layers
                           if layer["bound_by"] == "transpose")
    assert layers[first_transpose]["op"] == "reshape"
    trace = mixer_dir / "trace"
    index = [line.split("\t") for line in (trace / "index.tsv").read_text().splitlines()]
    victim = next(name for name, _ in index if re.match(r"\d+_reshape\.npy", name))
    values = np.load(trace / victim)
    values.flat[7] = values.flat[7] + 1
    np.save(trace / victim, values)
    sim = subprocess.run([tool("blend-sim"), str(mixer_dir / "accel"), "--input",
                          str(mixer_dir / "x.npy"), "--output", str(mixer_dir / "rtl2.npy"),
                          "--golden-trace", str(trace)], capture_output=True, text=True)
    assert sim.returncode == 1
    assert f"first differing layer: layer step {first_transpose} (reshape" in sim.stderr
    assert "1 of 8192 values differ" in sim.stderr


def test_pixel_pairs_of_a_4bit_network_are_bit_exact(tool, tmp_path, root):
    """test/Codegen/pixel-pairs.mlir: ui4/si4 layers whose products fit 9 bits. Its stem (3x3,
    pad 1, 5x5: pairs wrap to the next row, padding on either pixel, a lone 25th pixel) and its
    valid 3x3 convolution compute two pixels per beat (four products per DSP), bit-exact on
    every layer, with the cost model exact."""
    x = np.random.RandomState(5).uniform(-3, 3, (20, 3, 5, 5)).astype(np.float32)
    rtl, golden, stdout, report = compile_and_simulate(
        tool, tmp_path, root / "test" / "Codegen" / "pixel-pairs.mlir", x)
    assert rtl == golden
    assert "taps: all 5 layer steps match the golden trace" in stdout
    check_cost_model(stdout, report)
    assert report["hardware"]["pixel_pairs"]
    assert [layer["descriptor"]["s_pair"] for layer in report["layers"]] == [1, 0, 0, 1, 0]
    assert "pixel pairs" in report["layers"][0]["shape"]


def test_pool_steps_are_bit_exact(tool, tmp_path, root):
    """test/Codegen/pool-steps.mlir: a 2x2/2 max pool of the int8 input (signed byte max) and
    a 3x3/1 max pool of a binary tensor (OR of the bits, overlapping windows) between layers:
    every layer's tensor equals the golden executor's, the outputs are byte-identical, and the
    pool steps' cycles equal the cost model's."""
    x = np.random.RandomState(7).uniform(-40, 40, (20, 3, 8, 8)).astype(np.float32)
    rtl, golden, stdout, report = compile_and_simulate(
        tool, tmp_path, root / "test" / "Codegen" / "pool-steps.mlir", x)
    assert rtl == golden
    assert "taps: all 4 layer steps match the golden trace" in stdout
    check_cost_model(stdout, report)
    measured = layer_cycles(stdout)
    pools = [layer for layer in report["layers"] if layer["descriptor"]["pool"]]
    assert [layer["descriptor"]["pool"] for layer in pools] == [2, 1]
    assert all(layer["estimated_cycles"] == measured[layer["index"]] for layer in pools)
    assert report["hardware"]["pool_channels"] == 8
    # The outputs vary with the input: the pools are not passing constants along.
    assert len({tuple(v) for v in np.load(tmp_path / "rtl.npy").reshape(20, -1)}) > 10


def test_row_stripes_of_a_small_network_are_bit_exact(tool, tmp_path, root):
    """test/Codegen/pixel-pairs.mlir in two row stripes (blendc --stripes 2): each stripe loads
    its band of input rows (0..4, then 0..4 again: the valid 3x3 layer's halo reaches every
    row) and computes the first four layers on it, pixel pairs included; the last striped
    layer is stored whole and the head reads it. Bit-exact on every stripe's rows of every
    layer, the cost model exact (load steps included). Halo rows computed again
    (--stripe-halo recompute)."""
    x = np.random.RandomState(8).uniform(-3, 3, (20, 3, 5, 5)).astype(np.float32)
    rtl, golden, stdout, report = compile_and_simulate(
        tool, tmp_path, root / "test" / "Codegen" / "pixel-pairs.mlir", x,
        blendc_args=("--stripes", "2", "--stripe-halo", "recompute"))
    assert rtl == golden
    assert "taps: all 11 layer steps match the golden trace" in stdout
    check_cost_model(stdout, report)
    assert report["hardware"]["row_stripes"] == 2
    loads = [layer for layer in report["layers"] if layer["descriptor"]["load"]]
    assert [layer["index"] for layer in loads] == [0, 5]
    rows = [(layer["descriptor"]["row_begin"], layer["descriptor"]["oh"])
            for layer in report["layers"] if layer["op"] == "requant" and
            layer["descriptor"]["ow"] == 3]
    assert rows == [(0, 1), (1, 2)]  # the cut tensor's 3 rows, split
    assert report["load_cycles"] == 0  # the load steps take the input


def test_row_stripes_keeping_halo_rows_are_bit_exact_and_faster(tool, tmp_path, root):
    """The same network in two row stripes that keep their halo rows (--stripe-halo keep):
    the second stripe loads no input row again (stripe 0 loaded rows 0..4), copy steps move
    the rows the second stripe's kernel windows read to the top of each tensor's storage, and
    each layer computes every row once. Bit-exact on every stripe's rows, the cost model exact
    (copy steps included), and fewer cycles than computing the halo again."""
    x = np.random.RandomState(9).uniform(-3, 3, (20, 3, 5, 5)).astype(np.float32)
    model = root / "test" / "Codegen" / "pixel-pairs.mlir"
    rtl, golden, stdout, report = compile_and_simulate(
        tool, tmp_path, model, x, blendc_args=("--stripes", "2", "--stripe-halo", "keep"))
    assert rtl == golden
    assert re.search(r"taps: all \d+ layer steps match the golden trace", stdout)
    check_cost_model(stdout, report)
    assert report["hardware"]["row_stripes"] == 2
    descriptors = [layer["descriptor"] for layer in report["layers"]]
    loaded = [d["row_begin"] + y for d in descriptors if d["load"] == 1 for y in range(d["oh"])]
    assert loaded == [0, 1, 2, 3, 4]  # every input row once
    assert sum(d["load"] == 2 for d in descriptors) >= 1  # kept rows moved up
    # Each striped layer computes each of its rows exactly once over the stripes.
    rows = {}
    for layer in report["layers"]:
        d = layer["descriptor"]
        if d["full_h"] and not d["load"]:
            rows.setdefault((layer["location"], d["out_offset"]), []).extend(
                range(d["row_begin"], d["row_begin"] + d["oh"]))
    for computed in rows.values():
        assert sorted(computed) == list(range(len(computed)))
    recompute = subprocess.run(
        [tool("blendc"), str(model), "-o", str(tmp_path / "recompute"), "--stripes", "2",
         "--stripe-halo", "recompute"], check=True, capture_output=True)
    slower = json.loads((tmp_path / "recompute" / "report.json").read_text())
    assert report["estimated_cycles_per_image"] < slower["estimated_cycles_per_image"]


def test_64x64_blendnet20_fits_only_in_row_stripes_and_is_bit_exact(tool, tmp_path):
    """models/onnx/blendnet20_64_qonnx.onnx (the bundled BlendNet-20's weights at 64x64):
    whole tensors need more block RAM than the xczu3eg has, so blendc runs its first stage in
    row stripes (the input streamed band by band, the halo rows computed again) and keeps the
    first 32x32 tensor whole. Bit-exact on 20 random images, every stripe of every layer, and
    the cost model exact."""
    model = MODELS / "blendnet20_64_qonnx.onnx"
    whole = subprocess.run([tool("blendc"), str(model), "-o", str(tmp_path / "whole"),
                            "--stripes", "1"], capture_output=True, text=True)
    assert whole.returncode != 0
    assert "the design does not fit xczu3eg" in whole.stderr
    assert not (tmp_path / "whole").exists()
    x = np.random.RandomState(64).uniform(-1, 1, (20, 3, 64, 64)).astype(np.float32)
    rtl, golden, stdout, report = compile_and_simulate(tool, tmp_path, model, x)
    assert rtl == golden
    check_cost_model(stdout, report)
    assert re.search(r"taps: all \d+ layer steps match the golden trace", stdout)
    stripes = report["hardware"]["row_stripes"]
    assert stripes >= 2
    assert report["resources_estimated"]["bram36"] <= 216
    # blendc keeps the halo rows (faster here than computing them again): every input row
    # arrives exactly once, in order, and the copy steps move the kept rows.
    descriptors = [layer["descriptor"] for layer in report["layers"]]
    loaded = [d["row_begin"] + y for d in descriptors if d["load"] == 1 for y in range(d["oh"])]
    assert loaded == list(range(64))
    assert any(d["load"] == 2 for d in descriptors)


def test_4bit_blendnet20_in_pixel_pairs_is_bit_exact_and_faster(tool, tmp_path):
    """models/onnx/blendnet20_w4_qonnx.onnx (BlendNet-20 with every fixed-point quantizer 4 bits
    wide: models/to_qonnx.py --bits 4) on the xczu3eg: blendc's search keeps the pair core.
    Stage 3's joins (binary 3x3 and the 1x1 skip, fixed-bound at 16 beats per pixel) run in
    pixel pairs while the main path runs beside them; bit-exact on 20 random images, every
    layer's taps, the cost model exact, and fewer cycles than the same datapath without pairs
    (estimated side by side: the model is exact)."""
    model = MODELS / "blendnet20_w4_qonnx.onnx"
    x = np.random.RandomState(23).uniform(-1, 1, (20, 3, 32, 32)).astype(np.float32)
    rtl, golden, stdout, report = compile_and_simulate(tool, tmp_path, model, x)
    assert rtl == golden
    assert "taps: all 20 layer steps match the golden trace" in stdout
    check_cost_model(stdout, report)
    hw = report["hardware"]
    assert hw["pixel_pairs"]
    paired = [layer["index"] for layer in report["layers"] if layer["descriptor"]["s_pair"]]
    assert paired == [16, 18]
    assert all(report["layers"][i]["descriptor"]["main_en"] for i in paired)
    # The same datapath without pairs, through the pipeline and the cost model.
    mlir = subprocess.run([tool("blendc"), str(model), "--emit=mlir"], check=True,
                          capture_output=True, text=True).stdout
    (tmp_path / "w4.mlir").write_text(mlir)
    options = (f"lanes={hw['post_lanes']} fixed-channels={hw['fixed_channels_per_beat']} "
               f"max-fold={hw['skip_fold_groups']} desc-banks={hw['descriptor_banks']}")
    cycles = {}
    for pairs in ("true", "false"):
        out = subprocess.run(
            [tool("blend-opt"), f"--blend-lower-to-network={options} pair-pixels={pairs}",
             "--blend-estimate-cost", str(tmp_path / "w4.mlir")],
            check=True, capture_output=True, text=True).stdout
        cycles[pairs] = int(re.search(r"blend.cycles = (\d+) : i64", out).group(1))
    assert cycles["true"] == report["estimated_cycles_per_image"]
    assert cycles["true"] < cycles["false"], cycles


def test_lut_xnors_are_bit_exact_and_free_the_binary_dsps(tool, tmp_path):
    """--binary-impl lut: the binary lanes' XNORs in LUTs, same cycles, same bits."""
    images, _ = load("t10k")
    rtl, golden, stdout, report = compile_and_simulate(
        tool, tmp_path, MODELS / "blendnet_fmnist.onnx", images[:20],
        blendc_args=("--binary-impl", "lut"))
    assert rtl == golden
    assert "taps: all 8 layer steps match the golden trace" in stdout
    check_cost_model(stdout, report)
    hw = report["hardware"]
    assert hw["binary_impl"] == "lut"
    # Engines: only the fixed-point banks remain, ceil(Pe/2) DSPs per channel per beat.
    assert hw["engine_dsp48e2"] == (hw["pe"] + 1) // 2 * hw["fixed_channels_per_beat"]


def test_tiles_and_folds_under_a_dsp_budget_are_bit_exact(tool, tmp_path):
    """--dsp-budget 200: the fastest BlendNet-20 datapath that fits is Pe 32 — the 64-channel
    layers in output-channel tiles, the narrower ones folded (binary lane group 1 reading its
    byte-enable copies of the binary memory), the stem's 3-tap kernel rows split over two
    lane groups in 2 beats (taps 0 and 1 — tap 1 through an activation-memory copy — then 2)."""
    x = np.random.RandomState(21).uniform(-1, 1, (3, 3, 32, 32)).astype(np.float32)
    rtl, golden, stdout, report = compile_and_simulate(
        tool, tmp_path, MODELS / "blendnet20.onnx", x, blendc_args=("--dsp-budget", "200"))
    assert rtl == golden
    assert "taps: all 26 layer steps match the golden trace" in stdout
    check_cost_model(stdout, report)
    hw = report["hardware"]
    assert (hw["pe"], hw["output_channel_tiles"], hw["binary_fold_groups"]) == (32, True, 2)
    shapes = [layer["shape"] for layer in report["layers"]]
    assert sum("(channels 32+)" in s for s in shapes) == 6  # stage 3's second tiles
    assert sum("binary folded x2" in s for s in shapes) == 6  # stage 1 (O 16 <= Pe / 2)
    assert "skip folded x2, a kernel row in 2 beats" in shapes[0]
    assert hw["skip_row_copies"] == 1


def test_random_stalls_change_nothing(tool, tmp_path):
    x = np.random.RandomState(3).uniform(-1, 1, (2, 3, 32, 32)).astype(np.float32)
    rtl, golden, _, _ = compile_and_simulate(tool, tmp_path, MODELS / "blendnet20.onnx", x,
                                             extra=("--stall-seed", "11"))
    assert rtl == golden


def test_tap_comparison_names_the_first_differing_layer(tool, tmp_path):
    """Corrupt one value of one layer in the golden trace: the comparison must fail there."""
    x = np.random.RandomState(4).uniform(0, 1, (1, 1, 28, 28)).astype(np.float32)
    compile_and_simulate(tool, tmp_path, MODELS / "blendnet_fmnist.onnx", x)
    trace = tmp_path / "trace"
    index = [line.split("\t") for line in (trace / "index.tsv").read_text().splitlines()]
    # The second threshold: the second Blend module's first binary layer, step 3
    # (stem, threshold, join, threshold, ...).
    thresholds = [name for name, _ in index if re.match(r"\d+_threshold\.npy", name)]
    victim = thresholds[1]
    values = np.load(trace / victim)
    values.flat[5] = 1 - values.flat[5]
    np.save(trace / victim, values)
    sim = subprocess.run([tool("blend-sim"), str(tmp_path / "accel"), "--input",
                          str(tmp_path / "x.npy"), "--output", str(tmp_path / "rtl2.npy"),
                          "--golden-trace", str(trace)], capture_output=True, text=True)
    assert sim.returncode == 1
    assert "first differing layer: layer step 3" in sim.stderr
    assert "1 of" in sim.stderr
