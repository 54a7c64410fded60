#!/usr/bin/env python3
"""Check every model of the peer corpus (build_corpus.py) against its exporter's own executor.

For each model:

* ``blendc --check``: does every node import and lower, and does it map onto blend_net
  (the accelerator column is recorded as it is: mapping these models is the hardware-coverage
  issue's work, not this one's);
* the golden executor (``blend-run``) against the reference — qonnx's ``execute_onnx`` for
  graphs with QONNX/FINN custom ops, onnxruntime otherwise — on the model's inputs: every
  output element compared, the fraction that differ and the largest difference recorded, the
  class (argmax) agreement and, where the corpus has labels, the accuracy;
* layer by layer, teacher-forced: the reference graph is executed node by node (qonnx's
  ``execute_node``), and at every quantizer (Quant, BipolarQuant, QuantizeLinear) its output is
  compared with the golden executor's value of the same ONNX node (``blend-run --trace``) and then
  replaced by it, so each layer is judged on identical inputs. Binary networks are chaotic — one
  flipped sign early changes most logits of an untrained model — so this per-layer agreement,
  not the end-to-end one, is what the documented error bound (docs/semantics.md §8) speaks
  about for models that are not integer-exact.

Integer-exact models (explicit quantizers everywhere, no float join) must agree bit for bit at
the output; the others within the bound, with the fractions recorded.

Usage: check_corpus.py --corpus build/corpus [--build build] [--json OUT] [--markdown OUT]
                       [--only NAME,...] [--layer-images N]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def tool(build, name):
    return str(Path(build) / "bin" / name)


def has_custom_ops(model):
    return any(n.domain not in ("", "ai.onnx") for n in model.graph.node)


def qonnx_model(path):
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.transformation.infer_shapes import InferShapes
    return ModelWrapper(str(path)).transform(InferShapes())


def reference_outputs(path, x):
    """The exporter's executor on every input: qonnx for custom ops, else onnxruntime."""
    model = onnx.load(str(path))
    out = model.graph.output[0].name
    if has_custom_ops(model):
        from qonnx.core.onnx_exec import execute_onnx
        mw = qonnx_model(path)
        name = mw.graph.input[0].name
        return np.concatenate([execute_onnx(mw, {name: x[i:i + 1]})[out]
                               for i in range(len(x))])
    sess = ort.InferenceSession(str(path))
    name = sess.get_inputs()[0].name
    return np.concatenate([sess.run(None, {name: x[i:i + 1]})[0] for i in range(len(x))])


def blend_run(build, path, x, tmp, flags, trace=None):
    np.save(tmp / "x.npy", x)
    cmd = [tool(build, "blend-run"), str(path), "--input", str(tmp / "x.npy"), "--output",
           str(tmp / "y.npy"), *flags]
    if trace:
        cmd += ["--trace", str(trace)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        return None, r.stderr.strip()
    return np.load(tmp / "y.npy"), ""


def check(build, path, flags):
    r = subprocess.run([tool(build, "blendc"), str(path), "--check", *flags],
                       capture_output=True, text=True)
    lines = r.stdout.splitlines()
    summary = next((l for l in lines if l.startswith("summary:")), "")
    accel = next((l for l in lines if l.startswith("accelerator:")), r.stderr.strip())
    refused = [l for l in lines if re.search(r"\s refused \s", l)]
    return r.returncode, summary, accel, refused, r.stdout


def trace_index(trace_dir):
    """ONNX node name → the golden executor's last traced value at that node."""
    values = {}
    for line in (Path(trace_dir) / "index.tsv").read_text().splitlines():
        file, loc = line.split("\t")
        m = re.match(r'loc\("([^"]+)"\("', loc)
        if m and "constant" not in file:
            values[m.group(1)] = Path(trace_dir) / file
    return values


QUANTIZERS = ("Quant", "BipolarQuant", "QuantizeLinear")


def layer_agreement(build, path, ref_path, x, tmp, flags, images):
    """Teacher-forced per-quantizer comparison (see the module docstring): `ref_path` executed
    node by node, its quantizers compared with and replaced by the golden values of `path`'s
    nodes of the same name. Returns {node: [differing, total, max |step|]} over `images`."""
    from qonnx.core.onnx_exec import execute_node
    from qonnx.util.basic import get_preferred_qonnx_opset
    mw = qonnx_model(ref_path)
    graph = mw.graph
    opsets = mw.get_opset_imports()
    result = {}
    for n in range(min(images, len(x))):
        trace = tmp / f"trace{n}"
        y, err = blend_run(build, path, x[n:n + 1], tmp, flags, trace=trace)
        if y is None:
            raise RuntimeError(err)
        golden = trace_index(trace)
        context = mw.make_empty_exec_context()
        context[graph.input[0].name] = x[n:n + 1]
        for node in graph.node:
            execute_node(node, context, graph,
                         opsets.get(node.domain, get_preferred_qonnx_opset()))
            if node.op_type not in QUANTIZERS or node.name not in golden:
                continue
            out = node.output[0]
            ref = np.asarray(context[out])
            q = np.load(golden[node.name])
            if q.size != ref.size:
                continue
            q = q.reshape(ref.shape)
            if node.op_type == "Quant":
                scale = float(np.asarray(context[node.input[1]]).ravel()[0])
                forced, steps = (q * np.float32(scale)).astype(np.float32), \
                    np.abs(np.round(ref / scale) - q)
            elif node.op_type == "BipolarQuant":
                scale = float(np.asarray(context[node.input[1]]).ravel()[0])
                forced = ((2 * q - 1) * np.float32(scale)).astype(np.float32)
                steps = (forced != ref).astype(np.float64) * 2
            else:  # QuantizeLinear: the stored integers
                forced = q.astype(ref.dtype)
                steps = np.abs(ref.astype(np.int64) - q.astype(np.int64))
            entry = result.setdefault(node.name, [0, 0, 0.0])
            entry[0] += int((steps > 0).sum())
            entry[1] += int(steps.size)
            entry[2] = max(entry[2], float(steps.max()))
            context[out] = forced
    return result


def evaluate(build, corpus, entry, layer_images):
    path = corpus / f"{entry['name']}.onnx"
    data = np.load(corpus / f"{entry['name']}.npz")
    x = data["x"]
    flags = ["--sign-zero=plus-one"] if entry.get("sign_zero") == "plus-one" else []
    row = dict(entry)
    rc, summary, accel, refused, _ = check(build, path, flags)
    row.update(check_rc=rc, check_summary=summary, accelerator=accel, refused=refused)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        y, err = blend_run(build, path, x, tmp, flags)
        row["golden_error"] = err
        if y is None:
            return row
        ref_path = ROOT / entry["reference_model"] if entry.get("reference_model") else path
        ref = reference_outputs(ref_path, x).astype(np.float32).reshape(y.shape)
        diff = y != ref
        row.update(outputs=int(diff.size), differ=int(diff.sum()),
                   max_abs=float(np.abs(y - ref).max()))
        if y.ndim == 2 and y.shape[1] > 1:
            row["argmax_agree"] = float((y.argmax(1) == ref.argmax(1)).mean())
        if "labels" in data:
            pred = y.reshape(len(x), -1)
            pred = pred.argmax(1) if pred.shape[1] > 1 else pred[:, 0]
            row["label_accuracy"] = float((pred == data["labels"]).mean())
        if not entry.get("exact"):
            row["layers"] = layer_agreement(build, path, ref_path, x, tmp, flags,
                                            layer_images)
    return row


def summary(rows):
    """One sentence of counts over the table."""
    ok = [r for r in rows if not r.get("golden_error")]
    exact = [r for r in ok if r.get("exact") and r.get("differ") == 0]
    layered = [r for r in ok if r.get("layers")
               and max(v[2] for v in r["layers"].values()) <= 1]
    maps = [r for r in rows if r.get("accelerator", "").startswith("accelerator: maps")]
    return (f"**{len(rows)} models: {len(ok)} import and lower to integer ops; "
            f"{len(exact)} of {sum(1 for r in rows if r.get('exact'))} integer-exact ones are "
            f"bit-identical to their executor; {len(layered)} of "
            f"{sum(1 for r in rows if not r.get('exact'))} with float joins agree within one "
            f"step at every quantizer; {len(maps)} map onto the accelerator.**\n\n")


def markdown(rows):
    out = [summary(rows) + "| model | source | imports + lowers | golden vs reference (outputs) | "
           "per-layer (teacher-forced) | accelerator |",
           "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        imports = "yes" if not r.get("golden_error") else "**no**: " + r["golden_error"]
        if r.get("golden_error"):
            golden = "–"
        else:
            golden = (f"{r['differ']} of {r['outputs']} differ"
                      + (" (bit-identical)" if r["differ"] == 0 else
                         f", max {r['max_abs']:.3g}"))
            if "argmax_agree" in r:
                golden += f"; argmax agrees {100 * r['argmax_agree']:.0f} %"
            if "label_accuracy" in r:
                golden += f"; labels {100 * r['label_accuracy']:.0f} %"
        if r.get("layers"):
            d = sum(v[0] for v in r["layers"].values())
            n = sum(v[1] for v in r["layers"].values())
            m = max(v[2] for v in r["layers"].values())
            layers = (f"{len(r['layers'])} quantizers: {d} of {n} values differ "
                      f"({100 * d / max(n, 1):.3f} %), at most {m:g} step")
        else:
            layers = "exact model: output compared" if r.get("exact") else "–"
        accel = r.get("accelerator", "").replace("accelerator: ", "")
        accel = "maps onto blend_net" if accel.startswith("maps") else accel
        out.append(f"| `{r['name']}` | {r['source']} | {imports} | {golden} | {layers} | "
                   f"{accel.replace('|', '/')} |")
    return "\n".join(out) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", default="build/corpus")
    p.add_argument("--build", default=os.environ.get("BLEND_BUILD_DIR", "build"))
    p.add_argument("--only", default="")
    p.add_argument("--json")
    p.add_argument("--markdown")
    p.add_argument("--layer-images", type=int, default=2)
    args = p.parse_args(argv)
    corpus = Path(args.corpus)
    manifest = json.loads((corpus / "manifest.json").read_text())
    only = [s for s in args.only.split(",") if s]
    rows = []
    for entries in manifest["builders"].values():
        for entry in entries:
            if only and entry["name"] not in only:
                continue
            row = evaluate(args.build, corpus, entry, args.layer_images)
            rows.append(row)
            print(json.dumps({k: row.get(k) for k in
                              ("name", "differ", "outputs", "max_abs", "golden_error",
                               "accelerator")}), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    if args.markdown:
        Path(args.markdown).write_text(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
