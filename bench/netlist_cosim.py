#!/usr/bin/env python3
"""Whole-network co-simulation of the *synthesized netlist* of a generated blend_net core.

    bench/netlist_cosim.py [--model test/Codegen/export-network.mlir] [--images 4]
                           [-o bench/results/netlist_cosim.md]

blendc generates the accelerator; yosys synthesizes its RTL generically (`synth -flatten`:
gates and flip-flops, memories mapped to registers) into one netlist; blend-sim --netlist runs
that netlist in Verilator (built with -O0: Verilator 5.006's DFG and gate optimizers
mis-simulate yosys netlists, rtl_templates/README.md) on random images, compares every
layer's tensor with the golden executor's trace and the outputs byte for byte, and the cycles
with the source RTL's simulation. It checks what no source-level test can: that yosys
synthesizes blend_net's control (counters, muxes, the fold and packed-row selects) into logic
that computes the same network. Slow (minutes per step for even a small core), so it is a
script with a recorded result, not part of `make test`.
"""

import argparse
import datetime
import pathlib
import re
import shutil
import subprocess
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
BIN = ROOT / "build" / "bin"


def input_shape(model: pathlib.Path):
    """The model input's [1, C, H, W] shape (blend IR or ONNX)."""
    if model.suffix == ".mlir":
        m = re.search(r"func\.func @main\(%\w+: tensor<([0-9x]+)xf32>", model.read_text())
        return [int(d) for d in m.group(1).split("x")]
    import onnx
    dims = onnx.load(str(model)).graph.input[0].type.tensor_type.shape.dim
    return [d.dim_value or 1 for d in dims]


def run(cmd, check=True):
    start = time.time()
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout + proc.stderr, time.time() - start


def layer_cycles(stdout):
    return [int(c) for c in re.findall(r"layer-cycles: step \d+ (\d+)", stdout)]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=str(ROOT / "test/Codegen/export-network.mlir"))
    p.add_argument("--images", type=int, default=4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-o", "--output")
    args = p.parse_args(argv)
    model = pathlib.Path(args.model).resolve()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        accel = tmp / "accel"
        run([BIN / "blendc", model, "-o", accel])
        shape = input_shape(model)
        rng = np.random.default_rng(args.seed)
        x = (rng.random([args.images] + shape[1:]) * 8 - 4).astype(np.float32)
        np.save(tmp / "x.npy", x)
        run([BIN / "blend-run", model, "--input", tmp / "x.npy", "--output", tmp / "golden.npy",
             "--trace", tmp / "trace"])
        src_out, src_time = run([BIN / "blend-sim", accel, "--input", tmp / "x.npy", "--output",
                                 tmp / "rtl.npy", "--layer-cycles", "--golden-trace", tmp / "trace"])

        sources = " ".join(str(f) for f in sorted((accel / "rtl").glob("*.sv")))
        netlist = tmp / "net.v"
        stat, synth_time = run(["yosys", "-q", "-p",
                                f"read_verilog -sv -nosynthesis {sources}; "
                                f"synth -flatten -top blend_net_top; "
                                f"write_verilog -noattr {netlist}; tee -o {tmp / 'stat.txt'} stat"])
        stat = (tmp / "stat.txt").read_text()
        cells = int(re.search(r"Number of cells:\s+(\d+)", stat).group(1))

        gate = tmp / "accel_netlist"
        shutil.copytree(accel, gate, ignore=shutil.ignore_patterns("rtl", "sim-build"))
        (gate / "rtl").mkdir()
        shutil.copy(netlist, gate / "rtl" / "blend_net_top.sv")
        # A mismatch makes blend-sim name the first differing layer and exit 1.
        net_out, net_time = run([BIN / "blend-sim", gate, "--netlist", "--input", tmp / "x.npy",
                                 "--output", tmp / "rtl_netlist.npy", "--layer-cycles",
                                 "--golden-trace", tmp / "trace"], check=False)

        golden = (tmp / "golden.npy").read_bytes()
        produced = tmp / "rtl_netlist.npy"
        identical = produced.exists() and produced.read_bytes() == golden
        source_identical = (tmp / "rtl.npy").read_bytes() == golden
        src_cycles, net_cycles = layer_cycles(src_out), layer_cycles(net_out)
        taps = re.search(r"^taps: .*$", net_out, re.M)
        taps = taps.group(0) if taps else net_out.strip().splitlines()[-1]

    rows = [
        ("model", f"`{model.relative_to(ROOT) if model.is_relative_to(ROOT) else model}`"),
        ("random images", str(args.images)),
        ("netlist cells (yosys `synth -flatten`)", f"{cells:,}"),
        ("yosys synthesis", f"{synth_time:.0f} s"),
        ("netlist build + simulation (Verilator -O0)", f"{net_time:.0f} s"),
        ("outputs byte-identical to the golden executor (netlist)", "yes" if identical else "**NO**"),
        ("outputs byte-identical to the golden executor (source RTL)",
         "yes" if source_identical else "**NO**"),
        ("per-layer cycles, netlist = source RTL", "yes" if net_cycles == src_cycles else
         f"**NO** ({net_cycles} vs {src_cycles})"),
        ("per-layer tap comparison (netlist)", taps),
        ("cycles of the first image (per layer)", ", ".join(map(str, net_cycles))),
    ]
    text = [f"# Whole-network netlist co-simulation ({datetime.date.today()})", "",
            "`bench/netlist_cosim.py` — blendc → yosys generic synthesis → Verilator on the netlist, "
            "every layer's tensor compared with the golden executor (blend-sim --golden-trace).", "",
            "| | |", "| --- | --- |"] + [f"| {a} | {b} |" for a, b in rows]
    report = "\n".join(text) + "\n"
    print(report)
    if args.output:
        pathlib.Path(args.output).write_text(report)
    return 0 if identical and source_identical and net_cycles == src_cycles else 1


if __name__ == "__main__":
    raise SystemExit(main())
