#!/usr/bin/env python3
"""Where pixel pairs (four <=4-bit products per DSP48E2) pay off: for 4-bit variants of the
bundled models (models/to_qonnx.py --bits 4) and their 8-bit originals, on each target, the
datapath blendc picks, and that same datapath built with and without pairs (blend-opt
--blend-lower-to-network=... pair-pixels=true|false --blend-estimate-cost): estimated cycles
per image (the cycle model is exact against Verilator on every co-simulated pass) and the
resource estimate, against the part's budget.

    bench/pixel_pairs.py [--targets xczu3eg xczu7ev] [-o bench/results/pixel_pairs.md]

The measured side is bench/blendnet20_accelerator.py --model
models/onnx/blendnet20_w4_qonnx.onnx (Verilator, bit-exact against the golden executor) and
test/python/test_network_cosim.py.
"""

import argparse
import datetime
import json
import pathlib
import re
import subprocess
import sys
import tempfile

import onnx

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "models"))
from to_qonnx import convert  # noqa: E402

# (label, 8-bit source, QONNX conversion flags)
MODELS = [
    ("BlendNet-20", "blendnet20.onnx", True),
    ("Fashion-MNIST BlendNet", "blendnet_fmnist.onnx", False),
    ("BlendMixer", "blendmixer.onnx", False),
]
PARTS = {"xczu3eg": (360, 216, 70560), "xczu7ev": (1728, 312, 230400),
         "xczu9eg": (2520, 912, 274080)}


def estimate(bin_dir, mlir, options):
    out = subprocess.run([f"{bin_dir}/blend-opt", f"--blend-lower-to-network={options}",
                          "--blend-estimate-cost", str(mlir)],
                         check=True, capture_output=True, text=True).stdout
    cycles = int(re.search(r"blend.cycles = (\d+) : i64", out).group(1))
    res = re.search(r"blend.resources = \{([^}]*)\}", out).group(1)
    values = dict((k, int(v)) for k, v in re.findall(r"(\w+) = (\d+) : i64", res))
    return cycles, values


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--targets", nargs="+", default=["xczu3eg", "xczu7ev"])
    p.add_argument("--bin", default=str(ROOT / "build/bin"))
    p.add_argument("-o", "--output", default=str(ROOT / "bench/results/pixel_pairs.md"))
    args = p.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for label, source, multithreshold in MODELS:
            for bits in (8, 4):
                model = ROOT / "models" / "onnx" / source
                if bits == 4:
                    model = tmp / f"{source}.w4.onnx"
                    onnx.save(convert(onnx.load(str(ROOT / "models" / "onnx" / source)),
                                      multithreshold, bits=4), model)
                mlir = tmp / "model.mlir"
                mlir.write_text(subprocess.run([f"{args.bin}/blendc", str(model), "--emit=mlir"],
                                               check=True, capture_output=True,
                                               text=True).stdout)
                for target in args.targets:
                    accel = tmp / "accel"
                    subprocess.run(["rm", "-rf", str(accel)], check=True)
                    subprocess.run([f"{args.bin}/blendc", str(model), "-o", str(accel),
                                    "--target", target], check=True, capture_output=True)
                    report = json.loads((accel / "report.json").read_text())
                    hw = report["hardware"]
                    options = (f"lanes={hw['post_lanes']} "
                               f"fixed-channels={hw['fixed_channels_per_beat']} "
                               f"max-pe={hw['pe']} max-fold={hw['skip_fold_groups']} "
                               f"desc-banks={hw['descriptor_banks']}")
                    on = estimate(args.bin, mlir, options + " pair-pixels=true")
                    off = estimate(args.bin, mlir, options + " pair-pixels=false")
                    paired = sum(1 for layer in report["layers"] if layer["descriptor"]["s_pair"])
                    rows.append((label, bits, target, report["estimated_cycles_per_image"],
                                 hw["pixel_pairs"], paired, len(report["layers"]), on, off))
                    print(rows[-1][:7], on[0], off[0], flush=True)

    def fits(target, res):
        dsp, bram, lut = PARTS[target]
        return res["dsp"] <= dsp and res["ramb36"] <= bram and res["lut"] <= lut

    lines = [
        "# Pixel pairs: where four products per DSP pay off",
        "",
        f"`bench/pixel_pairs.py`, {datetime.date.today()}. For each model (8-bit as bundled, and "
        "its 4-bit variant from `models/to_qonnx.py --bits 4`) and target: blendc's pick, and "
        "the same datapath (Pe, Lanes, FixCh, folds, descriptor banks) built with and without "
        "pixel pairs — estimated cycles per image (exact against Verilator) and the resource "
        "estimate (DSP48E2 / RAMB36 / LUT; ✗ where it exceeds the part).",
        "",
        "| model | bits | target | blendc picks | pairs in core (passes) | with pairs: cycles, "
        "DSP / RAMB36 / LUT | without: cycles, DSP / RAMB36 / LUT | pairs save |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, bits, target, picked, pairs, paired, passes, on, off in rows:
        def cell(est):
            cycles, res = est
            mark = "" if fits(target, res) else " ✗"
            return (f"{cycles:,}, {res['dsp']} / {res['ramb36']} / {res['lut']:,}{mark}")
        save = (1 - on[0] / off[0]) * 100 if off[0] else 0.0
        lines.append(f"| {label} | {bits} | {target} | {picked:,} | "
                     f"{'yes' if pairs else 'no'} ({paired} of {passes}) | {cell(on)} | "
                     f"{cell(off)} | {save:.1f} % |")
    lines += [
        "",
        "Pairs apply only where every product w·(q − zp) fits [−255, 255]: no 8-bit layer of "
        "the bundled models qualifies (their rows show the same cycles both ways). In the 4-bit "
        "variants they apply to unfolded, fixed-bound skip paths; blendc keeps them only when "
        "the pair core fits and is faster. A pair core's activation memory is two banks of half "
        "the depth; when half the depth is just over a multiple of 512 pixels (BlendMixer: "
        "1,088 pixels, two banks of 544) each bank takes two 512-row stacks of block RAM where "
        "the single memory took three, which is what keeps BlendMixer W4's pair core off the "
        "xczu3eg and the xczu7ev (its fixed-bound mixing layers would save 30 % and 11 %). On "
        "the xczu9eg BlendMixer runs at Pe 256 with its skip paths folded: nothing to pair.",
    ]
    pathlib.Path(args.output).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
