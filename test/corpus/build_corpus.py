#!/usr/bin/env python3
"""Build the peer-model corpus: models exported by the tools our users have.

Every model here is made by someone else's exporter (Brevitas 0.13's QONNX and QCDQ exports,
qonnx's cleanup, PyTorch's torch.onnx) or shipped by FINN (`finn-plus-tests`), never by
blend's own scripts. Each entry writes:

    <out>/<name>.onnx         the model as the tool wrote it
    <out>/<name>.npz          `x`: test inputs; optional `labels`: expected labels

and one line in <out>/manifest.json: name, source, reference executor (`qonnx` for graphs with
QONNX/FINN custom ops, `onnxruntime` for standard ONNX), whether the graph is integer-exact
(explicit quantizers from input to output, so golden == reference bit for bit) and a short
description. Building takes about a minute; the directory is a cache (`--force` rebuilds).

Usage: build_corpus.py [-o build/corpus] [--only NAME,...] [--force]
"""

import argparse
import hashlib
import json
import os
import sys
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
os.environ.setdefault("PYTHONWARNINGS", "ignore")

import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

VERSION = 1  # bump to invalidate every cached model


def calibrate(model, shape, seed, batches=4, low=0.0, high=1.0):
    """Random batch-norm affine parameters (some negative gammas, so thresholds flip) and
    running statistics calibrated on random inputs, as training would leave them (blendnet.py
    does the same for the bundled models)."""
    torch.manual_seed(seed)
    bns = [m for m in model.modules() if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d))]
    with torch.no_grad():
        for m in bns:
            n = m.num_features
            m.weight.uniform_(0.5, 1.5).mul_(torch.where(torch.rand(n) < 0.2, -1.0, 1.0))
            m.bias.normal_(0.0, 0.2)
            m.momentum = None
        model.train()
        for _ in range(batches):
            model(torch.rand(32, *shape[1:]) * (high - low) + low)
    return model.eval()


def inputs_for(shape, seed, count=20, kind="unit"):
    rng = np.random.default_rng(seed)
    if kind == "unit":
        x = rng.uniform(0, 1, size=(count,) + tuple(shape[1:]))
    elif kind == "uint8":
        x = rng.integers(0, 256, size=(count,) + tuple(shape[1:]))
    elif kind == "bipolar":
        x = 2 * rng.integers(0, 2, size=(count,) + tuple(shape[1:])) - 1
    else:
        raise ValueError(kind)
    return x.astype(np.float32)


# --------------------------------------------------------------------------------------
# Brevitas BNN-PYNQ (brevitas_examples.bnn_pynq): TFC / SFC / LFC / CNV
# --------------------------------------------------------------------------------------

BNN_PYNQ = {
    "tfc": ("1w1a", "1w2a", "2w2a"),
    "sfc": ("1w1a", "1w2a", "2w2a"),
    "lfc": ("1w1a", "1w2a"),
    "cnv": ("1w1a", "1w2a", "2w2a"),
}


def bnn_pynq(arch, prec):
    from brevitas_examples.bnn_pynq.models import model_with_cfg
    model, _ = model_with_cfg(f"{arch}_{prec}", pretrained=False)
    shape = (1, 3, 32, 32) if arch == "cnv" else (1, 1, 28, 28)
    seed = int(hashlib.sha256(f"{arch}{prec}".encode()).hexdigest()[:6], 16)
    calibrate(model, shape, seed)
    with torch.no_grad():  # TensorNorm: realistic statistics too
        tn = model.features[-1] if arch != "cnv" else model.linear_features[-1]
        tn.weight.fill_(0.75)
        tn.bias.fill_(0.1)
        tn.running_mean.fill_(0.5)
        tn.running_var.fill_(16.0)
    return model, shape


def export_bnn_pynq(out, arch, prec):
    from brevitas.export import export_onnx_qcdq, export_qonnx
    from qonnx.util.cleanup import cleanup
    model, shape = bnn_pynq(arch, prec)
    x = torch.rand(*shape)
    name = f"{arch}_{prec}"
    entries = []
    raw = out / f"{name}_qonnx.onnx"
    export_qonnx(model, x, str(raw))
    entries.append((raw.stem, "Brevitas 0.13 export_qonnx", "qonnx"))
    clean = out / f"{name}_qonnx_clean.onnx"
    cleanup(str(raw), out_file=str(clean))
    entries.append((clean.stem, "Brevitas export_qonnx + qonnx cleanup", "qonnx"))
    if prec == "2w2a":  # Brevitas exports no QCDQ for binary quantizers
        qcdq = out / f"{name}_qcdq.onnx"
        export_onnx_qcdq(model, x, str(qcdq))
        entries.append((qcdq.stem, "Brevitas 0.13 export_onnx_qcdq", "onnxruntime"))
    data = inputs_for(shape, 7)
    for stem, _, _ in entries:
        np.savez(out / f"{stem}.npz", x=data)
    return [dict(name=s, source=src, reference=ref, exact=True,
                 family=f"BNN-PYNQ {arch.upper()}-{prec}") for s, src, ref in entries]


# --------------------------------------------------------------------------------------
# finn-plus-tests: FINN's trained TFC-w1a1 (FINN-ONNX) and the cybsec MLP state dict
# --------------------------------------------------------------------------------------

def finn_tests_dir():
    import tests  # the finn-plus-tests wheel installs a top-level `tests` package
    d = Path(tests.__file__).resolve().parent / "example_data"
    if not (d / "build_dataflow" / "model.onnx").exists():
        raise RuntimeError("finn-plus-tests is not installed (scripts/requirements-nodeps.txt)")
    return d


def export_finn_tfc(out):
    import shutil
    d = finn_tests_dir() / "build_dataflow"
    shutil.copy(d / "model.onnx", out / "finn_tfc_w1a1.onnx")
    x = np.load(d / "input.npy").astype(np.float32)
    labels = np.load(d / "expected_output.npy").reshape(-1)
    np.savez(out / "finn_tfc_w1a1.npz", x=x, labels=labels)
    return [dict(name="finn_tfc_w1a1", source="finn-plus-tests 1.6 (FINN-ONNX, trained)",
                 reference="qonnx", exact=True, family="FINN TFC-w1a1")]


def export_cybsec(out):
    from brevitas.export import export_qonnx
    from qonnx.core.datatype import DataType
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.util.cleanup import cleanup
    from peer_models import CybSecMLPForExport, cybsec_mlp
    state = torch.load(finn_tests_dir() / "cybsec-mlp" / "state_dict.pth", map_location="cpu")
    model = cybsec_mlp()
    model.load_state_dict(state["models_state_dict"][0])
    # FINN's notebook pads the 593 inputs to 600 so the first layer folds evenly.
    with torch.no_grad():
        w = model[0].weight.data
        model[0].weight = torch.nn.Parameter(torch.nn.functional.pad(w, (0, 7)))
        model[0].in_features = 600
    wrapped = CybSecMLPForExport(model).eval()
    path = out / "cybsec_mlp_w2a2.onnx"
    x = torch.from_numpy(inputs_for((1, 600), 3, count=1, kind="bipolar"))
    export_qonnx(wrapped, x, str(path))
    cleanup(str(path), out_file=str(path))
    mw = ModelWrapper(str(path))
    mw.set_tensor_datatype(mw.graph.input[0].name, DataType["BIPOLAR"])
    mw.save(str(path))
    np.savez(out / "cybsec_mlp_w2a2.npz", x=inputs_for((1, 600), 5, count=64, kind="bipolar"))
    return [dict(name="cybsec_mlp_w2a2", source="FINN cybsec-mlp state dict (finn-plus-tests), "
                 "Brevitas export_qonnx + cleanup, BIPOLAR input annotation",
                 reference="qonnx", exact=True, family="cybsec MLP w2a2")]


def export_brevitas_blend(out, which):
    from brevitas.export import export_qonnx
    from qonnx.util.cleanup import cleanup
    import peer_models
    torch.manual_seed(11)
    model = {"blendnet20": peer_models.BrevitasBlendNet20,
             "blendmixer": peer_models.BrevitasBlendMixer}[which]()
    shape = (1, 3, 32, 32)
    peer_models.calibrate_brevitas(model, shape, seed=5)
    name = f"brevitas_{which}"
    raw = out / f"{name}_qonnx.onnx"
    export_qonnx(model, torch.rand(*shape), str(raw))
    clean = out / f"{name}_qonnx_clean.onnx"
    cleanup(str(raw), out_file=str(clean))
    data = inputs_for(shape, 9)
    entries = []
    for path, source in ((raw, "Brevitas 0.13 export_qonnx"),
                         (clean, "Brevitas export_qonnx + qonnx cleanup")):
        np.savez(out / f"{path.stem}.npz", x=data)
        # The Blend module joins are float (BN, add, BN): not integer-exact.
        entries.append(dict(name=path.stem, source=source, reference="qonnx", exact=False,
                            family=f"{'BlendNet-20' if which == 'blendnet20' else 'BlendMixer'}"
                                   " in Brevitas"))
    return entries


def export_eval(out, which):
    """torch.onnx eval-mode export of an inference copy of a bundled model (BN folded into
    the weights, Sign binarizers)."""
    sys.path.insert(0, str(HERE.parent.parent / "models"))
    import blendnet
    import peer_models
    model = peer_models.inference_copy(blendnet.build(which, seed=0))
    name = f"torch_eval_{which}"
    path = out / f"{name}.onnx"
    torch.onnx.export(model, torch.rand(1, 3, 32, 32), str(path), opset_version=13,
                      input_names=["x"], output_names=["logits"], do_constant_folding=True,
                      training=torch.onnx.TrainingMode.EVAL)
    np.savez(out / f"{name}.npz", x=inputs_for((1, 3, 32, 32), 13))
    # The reference is the bundled standard export of the same weights, whose binarizers
    # are x >= 0 -> +1: what --sign-zero=plus-one reads the Signs as.
    return [dict(name=name, source="torch.onnx.export (eval mode, BN folded, torch.sign)",
                 reference="onnxruntime", exact=False,
                 reference_model=f"models/onnx/{which}.onnx",
                 family=f"{'BlendNet-20' if which == 'blendnet20' else 'BlendMixer'} "
                        "(bundled weights)", sign_zero="plus-one")]


BUILDERS = {}
for arch, precs in BNN_PYNQ.items():
    for prec in precs:
        BUILDERS[f"{arch}_{prec}"] = (lambda a, p: lambda out: export_bnn_pynq(out, a, p))(arch, prec)
BUILDERS["finn_tfc_w1a1"] = export_finn_tfc
BUILDERS["cybsec_mlp_w2a2"] = export_cybsec
BUILDERS["brevitas_blendnet20"] = lambda out: export_brevitas_blend(out, "blendnet20")
BUILDERS["brevitas_blendmixer"] = lambda out: export_brevitas_blend(out, "blendmixer")
BUILDERS["torch_eval_blendnet20"] = lambda out: export_eval(out, "blendnet20")
BUILDERS["torch_eval_blendmixer"] = lambda out: export_eval(out, "blendmixer")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output", default="build/corpus")
    p.add_argument("--only", default="")
    p.add_argument("--force", action="store_true")
    args = p.parse_args(argv)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    if manifest.get("version") != VERSION:
        manifest = {"version": VERSION, "builders": {}}
    only = [s for s in args.only.split(",") if s]
    for key, build in BUILDERS.items():
        if only and key not in only:
            continue
        if key in manifest["builders"] and not args.force:
            continue
        torch.manual_seed(0)
        entries = build(out)
        manifest["builders"][key] = entries
        manifest_path.write_text(json.dumps(manifest, indent=1))
        print(f"built {key}: " + ", ".join(e["name"] for e in entries), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
