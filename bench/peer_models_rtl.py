#!/usr/bin/env python3
"""The peer corpus on the accelerator: every corpus model that maps onto blend_net, compiled for
the xczu3eg and the xczu7ev and co-simulated (Verilator, the xczu3eg core) against the golden
executor, into results/peer_models_rtl.md.

For each model: `blendc --check` decides whether it maps; then `blendc -o DIR --target T` for
both parts, `blend-run` (golden) and `blend-sim` (RTL) on the model's first N corpus inputs
(20; 4 for CNV), every output byte compared, the simulated cycles of every image against the
report's estimate, and the estimated resources of both cores.

Usage: bench/peer_models_rtl.py [--build build] [--images 20] [--only NAME ...]
                                [-o bench/results/peer_models_rtl.md]
"""

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("xczu3eg", "xczu7ev")


def run(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)


def flags_for(name):
    # The eval exports read Sign(0) as +1, as the bundled standard exports do.
    return ["--sign-zero=plus-one"] if name.startswith("torch_eval_") else []


def measure(bin_dir, corpus, name, images, work):
    model = corpus / f"{name}.onnx"
    flags = flags_for(name)
    check = run([bin_dir / "blendc", model, "--check", *flags])
    verdict = next((l for l in check.stdout.splitlines() if l.startswith("accelerator:")), "")
    if not verdict.startswith("accelerator: maps"):
        return None
    count = 4 if name.startswith("cnv") else images
    x = np.load(corpus / f"{name}.npz")["x"][:count]
    np.save(work / "x.npy", x)
    row = {"name": name, "images": len(x)}
    for part in PARTS:
        out = work / part
        r = run([bin_dir / "blendc", model, "-o", out, "--target", part, *flags])
        if r.returncode:
            row[part] = {"error": (r.stderr.strip().splitlines() or ["?"])[-1]}
            continue
        rep = json.loads((out / "report.json").read_text())
        res = rep["resources_estimated"]
        row[part] = {"cycles": rep["estimated_cycles_per_image"], "steps": len(rep["layers"]),
                     "dsp": res["dsp48"], "bram": res["bram36"], "lut": res["lut"],
                     "pe": rep["hardware"]["pe"], "maxc": rep["hardware"]["max_channels"]}
    # The xczu3eg core is co-simulated, or the xczu7ev one when only it fits.
    sim_part = next((part for part in PARTS if "cycles" in row[part]), None)
    if not sim_part:
        return row
    row["sim_part"] = sim_part
    run([bin_dir / "blend-run", model, *flags, "--input", work / "x.npy", "--output",
         work / "golden.npy"], check=True)
    sim = run([bin_dir / "blend-sim", work / sim_part, "--input", work / "x.npy", "--output",
               work / "rtl.npy"])
    row["sim_rc"] = sim.returncode
    if sim.returncode:  # what went wrong, for the table
        row["sim_error"] = (sim.stderr.strip().splitlines() or ["?"])[-1][:300]
    row["identical"] = sim.returncode == 0 and \
        (work / "rtl.npy").read_bytes() == (work / "golden.npy").read_bytes()
    row["sim_cycles"] = sorted({int(c) for c in re.findall(r"cycles: (\d+)", sim.stdout)})
    return row


def markdown(rows, images):
    ok = [r for r in rows if r.get("identical")]
    exact = [r for r in ok if r["sim_cycles"] == [r[r["sim_part"]]["cycles"]]]
    out = [f"# The peer corpus on blend_net\n\n`bench/peer_models_rtl.py` on "
           f"{datetime.date.today()} ({platform.machine()}, {os.cpu_count()} cores). Every "
           f"corpus model (test/corpus/, bench/results/peer_models.md) that `blendc --check` "
           f"maps, compiled for the xczu3eg and the xczu7ev; the xczu3eg core (the xczu7ev "
           f"core where only that fits) co-simulated in "
           f"Verilator against the golden executor on the model's first {images} corpus inputs "
           f"(CNV: 4), every output byte compared (the golden executor is itself bit-identical "
           f"to qonnx's executor on these integer-exact models, or within one step per "
           f"quantizer for the eval exports: peer_models.md). Resources are the cost model's "
           f"estimates.\n\n",
           f"**{len(rows)} models map; {len(ok)} byte-identical in RTL; {len(exact)} with "
           f"simulated cycles = estimate on every image.**\n\n",
           "| model | inputs | RTL vs golden | cycles (est. = sim) | steps | Pe / MaxC | "
           "DSP48E2 / RAMB36 / LUT (xczu3eg) | xczu7ev: cycles, DSP / RAMB36 / LUT |\n",
           "| --- | --- | --- | --- | --- | --- | --- | --- |\n"]
    for r in rows:
        a, b = r.get("xczu3eg", {}), r.get("xczu7ev", {})
        if "sim_part" not in r:
            out.append(f"| `{r['name']}` | – | refused for both parts: {a.get('error')} "
                       f"/ {b.get('error')} | | | | | |\n")
            continue
        s = r[r["sim_part"]]
        verdict = ("byte-identical" if r.get("identical") else
                   f"DIFFERS (rc {r.get('sim_rc')}: {r.get('sim_error', '')})")
        if r["sim_part"] != "xczu3eg":
            verdict += f" ({r['sim_part']} core)"
        sims = r.get("sim_cycles", [])
        cyc = f"{s['cycles']:,}" + ("" if sims == [s["cycles"]] else f" (sim {sims})")
        three = (f"{a['dsp']} / {a['bram']} / {a['lut']:,}" if "cycles" in a
                 else f"refused: {a.get('error')}")
        seven = (f"{b['cycles']:,}, {b['dsp']} / {b['bram']} / {b['lut']:,}" if "cycles" in b
                 else f"refused: {b.get('error')}")
        out.append(f"| `{r['name']}` | {r['images']} | {verdict} | {cyc} | {s['steps']} | "
                   f"{s['pe']} / {s['maxc']} | {three} | {seven} |\n")
    return "".join(out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.environ.get("BLEND_BUILD_DIR", str(ROOT / "build")))
    p.add_argument("--images", type=int, default=20)
    p.add_argument("--only", nargs="*")
    p.add_argument("-o", "--output",
                   default=str(ROOT / "bench" / "results" / "peer_models_rtl.md"))
    args = p.parse_args(argv)
    build = Path(args.build)
    corpus = build / "corpus"
    subprocess.run([sys.executable, str(ROOT / "test" / "corpus" / "build_corpus.py"), "-o",
                    str(corpus)], check=True)
    names = args.only or sorted(m.stem for m in corpus.glob("*.onnx"))
    rows = []
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            row = measure(build / "bin", corpus, name, args.images, Path(tmp))
        if row:
            print(json.dumps(row), flush=True)
            rows.append(row)
    Path(args.output).write_text(markdown(rows, args.images))
    print(f"wrote {args.output}")
    return 0 if all(r.get("identical") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
