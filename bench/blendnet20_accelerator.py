#!/usr/bin/env python3
"""BlendNet-20 on the accelerator: cycles per image measured in Verilator, the latency at the
target clock, the compute roofline of the generated engines and the achieved fraction, the
compiler's per-layer estimate next to the simulated cycles, blendc's compile time, and the
Verilator simulation rate. Every simulated output is checked byte for byte against the golden
executor (a benchmark of a wrong accelerator is worthless).

    bench/blendnet20_accelerator.py [--model models/onnx/blendnet20.onnx] [--images 20]
                                    [--target xczu3eg] [--clock-mhz 200] [--label L]
                                    [-o bench/results/blendnet20_accelerator.md]

The published BlendNet-20 design needs 0.38 ms per image, about 76,000 cycles at 200 MHz; the
accelerator issue's first bar is 76,000 cycles, its target 38,000.
"""

import argparse
import datetime
import json
import pathlib
import re
import statistics
import subprocess
import tempfile
import time

import numpy as np
import onnx

ROOT = pathlib.Path(__file__).resolve().parents[1]
PUBLISHED_CYCLES = 76_000


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=str(ROOT / "models/onnx/blendnet20.onnx"))
    p.add_argument("--images", type=int, default=20)
    p.add_argument("--label", default="", help="title (default: the model file's name)")
    p.add_argument("--target", default="xczu3eg")
    p.add_argument("--clock-mhz", type=float, default=200.0)
    p.add_argument("--bin", default=str(ROOT / "build/bin"))
    p.add_argument("-o", "--output",
                   default=str(ROOT / "bench/results/blendnet20_accelerator.md"))
    args = p.parse_args()
    blendc, blend_sim, blend_run = (f"{args.bin}/{t}" for t in ("blendc", "blend-sim", "blend-run"))

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        # Compile time: median of five runs.
        compile_s = []
        for k in range(5):
            start = time.perf_counter()
            subprocess.run([blendc, args.model, "-o", str(tmp / "accel"), "--target", args.target,
                            "--clock-mhz", str(args.clock_mhz)], check=True)
            compile_s.append(time.perf_counter() - start)
        report = json.loads((tmp / "accel" / "report.json").read_text())

        model = onnx.load(args.model, load_external_data=False)
        dims = model.graph.input[0].type.tensor_type.shape.dim
        shape = [args.images] + [d.dim_value for d in dims[1:]]
        x = np.random.RandomState(0).uniform(-1, 1, shape).astype(np.float32)
        np.save(tmp / "x.npy", x)
        subprocess.run([blend_run, args.model, "--input", str(tmp / "x.npy"), "--output",
                        str(tmp / "golden.npy")], check=True)
        # Build the Verilator model once, untimed.
        subprocess.run([blend_sim, str(tmp / "accel"), "--input", str(tmp / "x.npy"),
                        "--output", str(tmp / "warm.npy")], check=True, capture_output=True)
        start = time.perf_counter()
        sim = subprocess.run([blend_sim, str(tmp / "accel"), "--input", str(tmp / "x.npy"),
                              "--output", str(tmp / "rtl.npy"), "--layer-cycles"],
                             check=True, capture_output=True, text=True)
        sim_s = time.perf_counter() - start
        if (tmp / "rtl.npy").read_bytes() != (tmp / "golden.npy").read_bytes():
            raise SystemExit("the accelerator's outputs differ from the golden executor's")

    cycles = [int(c) for c in re.findall(r"^cycles: (\d+)$", sim.stdout, re.M)]
    layers = {int(i): int(c) for i, c in re.findall(r"layer-cycles: step (\d+) (\d+)", sim.stdout)}
    load = int(re.search(r"layer-cycles: load (\d+)", sim.stdout).group(1))
    hw = report["hardware"]
    per_image = statistics.median(cycles)
    binary_macs, fixed_macs = report["binary_macs"], report["fixed_macs"]
    peak_b, peak_f = hw["peak_binary_macs_per_cycle"], hw["peak_fixed_macs_per_cycle"]
    roofline = max(binary_macs / peak_b, fixed_macs / peak_f)
    est = report["resources_estimated"]

    lines = [
        f"# {args.label or pathlib.Path(args.model).stem} on the accelerator",
        "",
        f"`{pathlib.Path(args.model).relative_to(ROOT) if pathlib.Path(args.model).is_relative_to(ROOT) else args.model}`, "
        f"target {args.target} at {args.clock_mhz:g} MHz, {args.images} random images, "
        f"{datetime.date.today()}; every output byte-identical to the golden executor. "
        "Rerun: `bench/blendnet20_accelerator.py"
        + ("" if pathlib.Path(args.model).stem == "blendnet20" else
           f" --model {pathlib.Path(args.model).name} --target {args.target}") + "`.",
        "",
        "| metric | value |",
        "| --- | --- |",
        f"| cycles per image (Verilator) | **{per_image:,.0f}** (min {min(cycles):,}, max {max(cycles):,}) |",
        f"| compiler estimate | {report['estimated_cycles_per_image']:,} |",
        f"| latency at {args.clock_mhz:g} MHz | {per_image / args.clock_mhz:.1f} µs |",
        *([f"| published design (0.38 ms) | ≈ {PUBLISHED_CYCLES:,} cycles — first bar; target 38,000 |",
           f"| speed-up over the published design | {PUBLISHED_CYCLES / per_image:.2f}× |"]
          if "blendnet20" in pathlib.Path(args.model).stem and shape[-2:] == [32, 32] else
          ["| published design | no latency published for this model "
           f"({'x'.join(map(str, shape[1:]))} input) |"]),
        f"| binary / fixed-point MACs per image | {binary_macs:,} / {fixed_macs:,} |",
        f"| engine peaks (MACs/cycle) | binary {peak_b:,} (Pe {hw['pe']} × 48), "
        f"fixed {peak_f} (Pe × {hw['fixed_channels_per_beat']}"
        f"{' × 2 pixels: pixel pairs' if hw.get('pixel_pairs') else ''}) |",
        f"| compute roofline | {roofline:,.0f} cycles |",
        f"| achieved fraction of the roofline | {roofline / per_image:.1%} |",
        f"| resources (estimate) | {est['dsp48']} DSP48E2, {est['bram36']} RAMB36, "
        f"{est['lut']:,} LUT, {est['ff']:,} FF |",
        *([f"| row stripes | {hw['row_stripes']} (load steps stream the input bands; "
           f"{sum(l['estimated_cycles'] for l in report['layers'] if l['op'] == 'load'):,} cycles of them) |"]
          if hw.get("row_stripes") else []),
        f"| blendc compile time (median of 5) | {statistics.median(compile_s) * 1000:.0f} ms |",
        f"| Verilator simulation | {args.images / sim_s:.1f} images/s "
        f"({per_image * args.images / sim_s / 1e6:.2f} M cycles/s, 2-core machine) |",
        "",
        "Per layer (first image): the compiler's cost model against Verilator.",
        "",
        "| # | layer | estimated | simulated | error | bound by |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    # A striped core has no load phase: its input arrives in load steps.
    if not hw.get("row_stripes"):
        lines.append(f"| – | load (one pixel per beat) | {report['load_cycles']:,} | {load:,} | "
                     f"{(report['load_cycles'] - load) / load:+.1%} | AXI stream |")
    for layer in report["layers"]:
        simulated = layers[layer["index"]]
        error = (layer["estimated_cycles"] - simulated) / simulated
        lines.append(f"| {layer['index']} | {layer['op']}: {layer['shape']} | "
                     f"{layer['estimated_cycles']:,} | {simulated:,} | {error:+.1%} | "
                     f"{layer['bound_by']} |")
    out = pathlib.Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
