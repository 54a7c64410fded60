#!/usr/bin/env python3
"""The ONNX standard's node tests (Debian package libonnx-testdata) as an external test suite
for blend's importer.

For every single-node test of an op that `blendc --supported-ops` lists (domain ai.onnx), the
test's model is imported by `blendc --emit=import` and its graph evaluated in float32 by
`blend-run --no-lower`; the outputs must match the test's expected outputs (rtol 1e-3,
atol 1e-5 — onnx's backend-test tolerance, with atol relaxed from 1e-7 for float32
reassociation), or the importer must refuse the model with a one-line error naming the file,
node and op. blend compiles models with constant weights, so when the importer asks for a
constant the test is retried with every graph input but the first turned into an initializer
holding the test's data ("constant operands").

Outcome per test: pass, refused (clear error), wrong (outputs differ), crash (no clear error).

    scripts/onnx_node_tests.py [--build build] [--markdown FILE] [--only OP ...]
"""

import argparse
import collections
import pathlib
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

DATA = pathlib.Path("/usr/share/libonnx-testdata/data/node")
# A refusal is exit code 1 and one line naming the file, and the node when a node is at fault
# (graph-level errors — an input type, a dynamic shape, the opset — name the graph input).
ERROR = re.compile(r"^blendc: error: [^:]+\.onnx: .+$")


def supported_ops(blendc):
    out = subprocess.run([blendc, "--supported-ops"], check=True, capture_output=True,
                         text=True).stdout
    return {line.split("::")[1].split()[0] for line in out.splitlines()
            if line.startswith("ai.onnx::")}


def load_case(test_dir):
    model = onnx.load(test_dir / "model.onnx")
    data = test_dir / "test_data_set_0"
    inputs = [numpy_helper.to_array(onnx.load_tensor(str(p)))
              for p in sorted(data.glob("input_*.pb"), key=lambda p: int(p.stem.split("_")[1]))]
    outputs = [numpy_helper.to_array(onnx.load_tensor(str(p)))
               for p in sorted(data.glob("output_*.pb"), key=lambda p: int(p.stem.split("_")[1]))]
    return model, inputs, outputs


def with_constant_operands(model, inputs):
    """Every graph input but the first becomes an initializer with the test's data."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    graph_inputs = [i for i in m.graph.input
                    if i.name not in {t.name for t in m.graph.initializer}]
    for vi, value in zip(graph_inputs[1:], inputs[1:]):
        m.graph.initializer.append(numpy_helper.from_array(value, vi.name))
    keep = graph_inputs[:1]
    del m.graph.input[:]
    m.graph.input.extend(keep)
    return m, inputs[:1]


def run_case(blendc, blend_run, model, inputs, expected, tmp):
    """Returns (outcome, detail)."""
    path = tmp / "model.onnx"
    onnx.save(model, path)
    imp = subprocess.run([blendc, str(path), "--emit=import"], capture_output=True, text=True)
    if imp.returncode != 0:
        lines = imp.stderr.strip().splitlines()
        if imp.returncode == 1 and len(lines) == 1 and ERROR.match(lines[0]):
            return "refused", lines[0].split(".onnx: ", 1)[1]
        return "crash", f"exit {imp.returncode}: {imp.stderr.strip()[:300]}"
    in_paths, out_paths = [], []
    for k, value in enumerate(inputs):
        if value.dtype != np.float32:
            return "refused", f"input {k} is {value.dtype} (blend-run feeds float32)"
        np.save(tmp / f"in{k}.npy", value)
        in_paths.append(str(tmp / f"in{k}.npy"))
    out_paths = [str(tmp / f"out{k}.npy") for k in range(len(expected))]
    run = subprocess.run([blend_run, str(path), "--no-lower", "--input", ",".join(in_paths),
                          "--output", ",".join(out_paths)], capture_output=True, text=True)
    if run.returncode != 0:
        lines = run.stderr.strip().splitlines()
        if run.returncode == 1 and lines:
            return "refused", lines[-1][:300]
        return "crash", f"blend-run exit {run.returncode}: {run.stderr.strip()[:300]}"
    for k, want in enumerate(expected):
        got = np.load(out_paths[k])
        if got.shape != want.shape:
            return "wrong", f"output {k}: shape {got.shape}, expected {want.shape}"
        if not np.allclose(got, want.astype(np.float32), rtol=1e-3, atol=1e-5):
            return "wrong", f"output {k}: max |diff| {np.abs(got - want).max():.3g}"
    return "pass", ""


def collect(build, only=None):
    """{op: [(test name, outcome, detail)]} for every single-node test of a supported op."""
    blendc = str(pathlib.Path(build) / "bin" / "blendc")
    blend_run = str(pathlib.Path(build) / "bin" / "blend-run")
    ops = supported_ops(blendc)
    if only:
        ops &= set(only)

    results = collections.defaultdict(list)  # op -> [(test, outcome, detail)]
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = pathlib.Path(tmpdir)
        for test_dir in sorted(DATA.iterdir()):
            if not (test_dir / "model.onnx").exists():
                continue
            nodes = onnx.load(test_dir / "model.onnx").graph.node
            if len(nodes) != 1 or nodes[0].domain not in ("", "ai.onnx") \
                    or nodes[0].op_type not in ops:
                continue
            try:
                model, inputs, expected = load_case(test_dir)
            except Exception:  # sequence / optional test data: only tensors are blend's
                model, inputs, expected = onnx.load(test_dir / "model.onnx"), None, None
            if inputs is None:
                outcome, detail = run_case(blendc, blend_run, model, [], [], tmp)
                if outcome == "pass":
                    outcome, detail = "wrong", "accepted a model with non-tensor values"
                results[nodes[0].op_type].append((test_dir.name, outcome, detail))
                continue
            outcome, detail = run_case(blendc, blend_run, model, inputs, expected, tmp)
            if outcome == "refused" and len(inputs) > 1:
                # Weights, shapes, axes and indices are constants in the models blend
                # compiles: retry with them as initializers.
                m2, in2 = with_constant_operands(model, inputs)
                o2, d2 = run_case(blendc, blend_run, m2, in2, expected, tmp)
                outcome, detail = o2, "constant operands" + (f"; {d2}" if d2 else "")
            results[nodes[0].op_type].append((test_dir.name, outcome, detail))
    return results


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=str(pathlib.Path(__file__).resolve().parents[1] / "build"))
    p.add_argument("--markdown", help="write the per-op table and the refused cases here")
    p.add_argument("--only", nargs="*", help="ops to run (default: all supported)")
    args = p.parse_args(argv)
    results = collect(args.build, args.only)

    kinds = ("pass", "refused", "wrong", "crash")
    lines = ["| op | tests | pass | refused | wrong | crash |", "| --- | --- | --- | --- | --- | --- |"]
    totals = collections.Counter()
    for op in sorted(results):
        c = collections.Counter(o for _, o, _ in results[op])
        totals.update(c)
        lines.append(f"| {op} | {len(results[op])} | " + " | ".join(str(c[k]) for k in kinds) + " |")
    lines.append(f"| **total** | {sum(totals.values())} | " +
                 " | ".join(str(totals[k]) for k in kinds) + " |")
    detail_lines = []
    for op in sorted(results):
        for name, outcome, detail in results[op]:
            if outcome != "pass":
                detail_lines.append(f"- `{name}` — {outcome}: {detail}")
    print("\n".join(lines))
    print("\n".join(detail_lines))
    if args.markdown:
        pathlib.Path(args.markdown).write_text(
            "# ONNX node tests through blend's importer\n\n"
            "Generated by `scripts/onnx_node_tests.py` (see its header for the rules).\n\n" +
            "\n".join(lines) + "\n\n## Not passing, with the reason\n\n" +
            "\n".join(detail_lines) + "\n")
    return 0 if totals["wrong"] == 0 and totals["crash"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
