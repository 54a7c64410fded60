#!/usr/bin/env python3
"""Synthesize a generated accelerator with yosys and put its resources next to blendc's
estimate (report.json), as a Markdown table.

    bench/synthesis_vs_estimate.py [--model models/onnx/blend_module.onnx] [--target xczu3eg]
                                   [--blendc-args "--dsp-budget 41"]
                                   [-o bench/results/synthesis_vs_estimate.md]
    bench/synthesis_vs_estimate.py --sweep     # the five single-module accelerators
    bench/synthesis_vs_estimate.py --components   # the templates blend_net's model sums

yosys `synth_xilinx -family xcup -flatten` maps the generated RTL (rtl/*.sv, top
blend_net_top) to UltraScale+ cells; DSP48E2 and RAMB36E2/RAMB18E2 counts are compared with
the estimate (RAMB18 counted as half a RAMB36), and LUT / FF cells with blendc's calibrated
fabric model. The bar from the accelerator issue is 15 %.
"""

import argparse
import datetime
import json
import pathlib
import re
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def cells(stat: str) -> dict:
    counts = {}
    for name, count in re.findall(r"^\s+(\w+)\s+(\d+)$", stat, re.M):
        counts[name] = counts.get(name, 0) + int(count)
    return counts


SWEEP = [(16, 32, 1, "binary"), (50, 9, 2, "int8"), (7, 5, 1, "int8"), (32, 16, 1, "binary"),
         (64, 8, 1, "int8")]


def sweep(output: str) -> int:
    """Five single Blend modules (one-step programs of blend_net), one section each: the shapes the
    retired single-module core's fabric model was calibrated on, kept as held-out checks."""
    import sys
    with tempfile.TemporaryDirectory() as tmp:
        for k, (c, size, stride, out) in enumerate(SWEEP):
            flags = ["--channels", str(c), "--size", str(size), "--stride", str(stride),
                     "--output", out]
            model = f"{tmp}/m{k}.onnx"
            subprocess.run([sys.executable, str(ROOT / "models/blend_module.py"), "-o", model]
                           + flags, check=True, stdout=subprocess.DEVNULL)
            label = "`models/blend_module.py " + " ".join(flags) + "`"
            subprocess.run([sys.executable, __file__, "--model", model, "--label", label, "-o",
                            output] + (["--append"] if k else []),
                           check=True)
    return 0


# Templates synthesized alone: (label, top, parameters). blend_net's LUT/FF model
# (dialects/Blend/CostModel/CostModel.cpp, estimateResources) takes its per-lane slopes from these.
COMPONENTS = [
    ("binary engine, Pe 16", "blend_binary_engine", {"Pe": 16, "AccWidth": 11}),
    ("binary engine, Pe 32", "blend_binary_engine", {"Pe": 32, "AccWidth": 11}),
    ("binary engine, Pe 16, LUT XNORs", "blend_binary_engine",
     {"Pe": 16, "AccWidth": 11, "LutXnor": 1}),
    ("fixed engine, Pe 16, 1 channel", "blend_fixed_engine",
     {"Pe": 16, "AccWidth": 28, "Channels": 1}),
    ("fixed engine, Pe 16, 4 channels", "blend_fixed_engine",
     {"Pe": 16, "AccWidth": 28, "Channels": 4}),
    ("post-processing, Pe 16, 1 lane", "blend_netpost",
     {"Pe": 16, "Lanes": 1, "AccB": 11, "AccF": 28, "MaxC": 16, "Words": 1, "CDepth": 64,
      "AddrBits": 12}),
    ("post-processing, Pe 16, 4 lanes", "blend_netpost",
     {"Pe": 16, "Lanes": 4, "AccB": 11, "AccF": 28, "MaxC": 16, "Words": 1, "CDepth": 64,
      "AddrBits": 12}),
    ("post-processing, Pe 32, 4 lanes", "blend_netpost",
     {"Pe": 32, "Lanes": 4, "AccB": 11, "AccF": 28, "MaxC": 32, "Words": 1, "CDepth": 64,
      "AddrBits": 12}),
]


def components(output: str) -> int:
    rtl = ROOT / "rtl_templates"
    sources = " ".join(str(rtl / f) for f in ["blend_dsp48e2.sv", "blend_ram.sv",
                                             "blend_requant.sv", "blend_binary_engine.sv",
                                             "blend_fixed_engine.sv", "blend_netpost.sv"])
    lines = ["# blend_net templates synthesized alone", "",
             f"yosys `synth_xilinx -family xcup -flatten`, {datetime.date.today()}. "
             "Rerun: `bench/synthesis_vs_estimate.py --components`.", "",
             "| template | LUT | FF | DSP48E2 |", "| --- | --- | --- | --- |"]
    with tempfile.TemporaryDirectory() as tmp:
        for label, top, params in COMPONENTS:
            chparam = " ".join(f"chparam -set {k} {v} {top};" for k, v in params.items())
            subprocess.run(["yosys", "-q", "-p",
                            f"read_verilog -sv {sources}; {chparam} synth_xilinx -family xcup "
                            f"-flatten -top {top}; tee -o {tmp}/stat.txt stat"], check=True)
            stat = cells((pathlib.Path(tmp) / "stat.txt").read_text())
            luts = sum(v for k, v in stat.items() if re.fullmatch(r"LUT[1-6]", k))
            ffs = sum(v for k, v in stat.items() if re.fullmatch(r"FD[A-Z]+", k))
            lines.append(f"| {label} | {luts} | {ffs} | {stat.get('DSP48E2', 0)} |")
            print(lines[-1], flush=True)
    pathlib.Path(output).write_text("\n".join(lines) + "\n")
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=str(ROOT / "models/onnx/blend_module.onnx"))
    p.add_argument("--label", help="how to name the model in the table (default: its path)")
    p.add_argument("--append", action="store_true",
                   help="append a section to the output instead of replacing it")
    p.add_argument("--target", default="xczu3eg")
    p.add_argument("--blendc", default=str(ROOT / "build/bin/blendc"))
    p.add_argument("--blendc-args", default="",
                   help="more blendc options, e.g. \"--dsp-budget 41\"")
    p.add_argument("-o", "--output", default=str(ROOT / "bench/results/synthesis_vs_estimate.md"))
    p.add_argument("--sweep", action="store_true",
                   help="synthesize the five calibration configurations into --output")
    p.add_argument("--components", action="store_true",
                   help="synthesize blend_net's templates alone into --output")
    args = p.parse_args()
    if args.sweep:
        return sweep(args.output)
    if args.components:
        return components(args.output)
    with tempfile.TemporaryDirectory() as tmp:
        accel = pathlib.Path(tmp) / "accel"
        subprocess.run([args.blendc, args.model, "-o", str(accel), "--target", args.target]
                       + args.blendc_args.split(), check=True)
        report = json.loads((accel / "report.json").read_text())
        sources = " ".join(str(f) for f in sorted((accel / "rtl").glob("*.sv")))
        top = "blend_net_top"
        start = time.perf_counter()
        subprocess.run(["yosys", "-q", "-p",
                        f"read_verilog -sv {sources}; synth_xilinx -family xcup -flatten "
                        f"-top {top}; tee -o {tmp}/stat.txt stat"], check=True)
        seconds = time.perf_counter() - start
        stat = cells((pathlib.Path(tmp) / "stat.txt").read_text())
    est = report["resources_estimated"]
    dsp = stat.get("DSP48E2", 0)
    bram = stat.get("RAMB36E2", 0) + 0.5 * stat.get("RAMB18E2", 0)
    luts = sum(v for k, v in stat.items() if re.fullmatch(r"LUT[1-6]", k))
    ffs = sum(v for k, v in stat.items() if re.fullmatch(r"FD[A-Z]+", k))

    def row(name, estimate, synthesized):
        if estimate is None:
            return f"| {name} | — | {synthesized:g} | — |"
        if not synthesized:
            return f"| {name} | {estimate:g} | 0 | {'exact' if not estimate else 'n/a'} |"
        gap = (estimate - synthesized) / synthesized * 100
        return f"| {name} | {estimate:g} | {synthesized:g} | {gap:+.1f} % |"

    model = pathlib.Path(args.model)
    model = model.relative_to(ROOT) if model.is_relative_to(ROOT) else model
    if args.label:
        model = args.label
    lines = [
        "# Synthesis vs blendc's estimate",
        "",
        f"Model {model if args.label else '`' + str(model) + '`'}, target {args.target}; yosys `synth_xilinx -family xcup -flatten` "
        f"({seconds:.0f} s), {datetime.date.today()}. Rerun: `bench/synthesis_vs_estimate.py`.",
        "",
        "| resource | estimate | synthesized | estimate − synth |",
        "| --- | --- | --- | --- |",
        row("DSP48E2", est["dsp48"], dsp),
        row("block RAM (RAMB36 equivalents)", est["bram36"], bram),
        row("LUT", est["lut"], luts),
        row("FF", est["ff"], ffs),
        "",
        f"Estimate breakdown: {est['dsp48_engines']} engine DSPs, {est['dsp48_requant']} requant, "
        f"{est['dsp48_control']} control/address; synthesized cells: "
        + ", ".join(f"{k} {v}" for k, v in sorted(stat.items()) if k.startswith(("DSP", "RAMB"))),
    ]
    out = pathlib.Path(args.output)
    text = "\n".join(lines) + "\n"
    if args.append and out.exists():
        text = out.read_text() + "\n" + "\n".join(lines[2:]) + "\n"
    out.write_text(text)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
