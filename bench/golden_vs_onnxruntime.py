#!/usr/bin/env python3
"""Golden executor vs onnxruntime throughput on the same model, side by side in one run.

    bench/golden_vs_onnxruntime.py [--model models/onnx/blendnet20.onnx] [--images 400]
                                   [--repeats 3] [-o bench/results/golden_vs_onnxruntime.md]

For 1 and 2 threads, each measurement is repeated and interleaved (golden, onnxruntime,
golden, ...) so both see the same machine load; the median is reported. Golden time excludes
import and lowering (a 1-image run is timed and subtracted); onnxruntime runs one image per
call with intra-op threads = T, the same batch-1 setting. Results go to a Markdown table.
"""

import argparse
import datetime
import pathlib
import platform
import statistics
import subprocess
import tempfile
import time

import numpy as np
import onnxruntime as ort

ROOT = pathlib.Path(__file__).resolve().parents[1]


def time_golden(blend_run, model, x_path, y_path, threads):
    start = time.perf_counter()
    subprocess.run([blend_run, model, "--input", x_path, "--output", y_path,
                    "--threads", str(threads)], check=True)
    return time.perf_counter() - start


def time_ort(model, x, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(model, options)
    name = session.get_inputs()[0].name
    session.run(None, {name: x[:1]})  # warm-up
    start = time.perf_counter()
    for i in range(len(x)):
        session.run(None, {name: x[i:i + 1]})
    return time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=str(ROOT / "models/onnx/blendnet20.onnx"))
    p.add_argument("--images", type=int, default=400)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--blend-run", default=str(ROOT / "build/bin/blend-run"))
    p.add_argument("-o", "--output", default=str(ROOT / "bench/results/golden_vs_onnxruntime.md"))
    args = p.parse_args()

    session = ort.InferenceSession(args.model)
    shape = [d if isinstance(d, int) else 1 for d in session.get_inputs()[0].shape]
    x = np.random.default_rng(0).uniform(0, 1, size=[args.images] + shape[1:]).astype(np.float32)
    rows = []
    profile = ""
    with tempfile.TemporaryDirectory() as tmp:
        np.save(f"{tmp}/x.npy", x)
        np.save(f"{tmp}/x1.npy", x[:1])
        overhead = statistics.median(
            time_golden(args.blend_run, args.model, f"{tmp}/x1.npy", f"{tmp}/y1.npy", 1)
            for _ in range(args.repeats))
        for threads in (1, 2):
            golden, runtime = [], []
            for _ in range(args.repeats):
                golden.append(time_golden(args.blend_run, args.model, f"{tmp}/x.npy",
                                          f"{tmp}/y.npy", threads) - overhead)
                runtime.append(time_ort(args.model, x, threads))
            g, r = args.images / statistics.median(golden), args.images / statistics.median(runtime)
            rows.append((threads, g, r, g / r))
            print(f"threads {threads}: golden {g:.0f} img/s, onnxruntime {r:.0f} img/s, "
                  f"ratio {g / r:.2f}x", flush=True)
        # Where the golden executor spends its time (one thread, same images).
        profile = subprocess.run([args.blend_run, args.model, "--input", f"{tmp}/x.npy",
                                  "--output", f"{tmp}/y.npy", "--profile"], check=True,
                                 capture_output=True, text=True).stderr
        print(profile, end="")

    model = pathlib.Path(args.model).relative_to(ROOT) if args.model.startswith(str(ROOT)) \
        else args.model
    lines = [
        "# Golden executor vs onnxruntime",
        "",
        f"Model `{model}`, {args.images} random images, batch 1, median of {args.repeats} "
        f"interleaved runs; {datetime.date.today()}, {platform.processor() or platform.machine()}, "
        f"onnxruntime {ort.__version__}. Golden time excludes import + lowering "
        f"({overhead:.2f} s, timed separately). Rerun: `bench/golden_vs_onnxruntime.py`.",
        "",
        "| threads | golden (img/s) | onnxruntime (img/s) | golden / onnxruntime |",
        "| --- | --- | --- | --- |",
    ] + [f"| {t} | {g:.0f} | {r:.0f} | {q:.2f}x |" for t, g, r, q in rows] + [
        "",
        f"Per-kernel time of the golden executor (`blend-run --profile`, 1 thread, "
        f"{args.images} images):",
        "",
        "```",
        profile.rstrip(),
        "```",
    ]
    pathlib.Path(args.output).write_text("\n".join(lines) + "\n")
    print(f"written {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
