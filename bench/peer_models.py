#!/usr/bin/env python3
"""The peer corpus (test/corpus/): other people's models through blend, one table.

Builds the corpus with the real exporters (build_corpus.py, cached under build/corpus), checks
every model against its exporter's own executor (check_corpus.py: outputs, and layer by layer
teacher-forced for the models with float joins) and records whether it maps onto the
accelerator, into results/peer_models.md.

Usage: bench/peer_models.py [--build build] [--layer-images 2] [-o bench/results/peer_models.md]
"""

import argparse
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "test" / "corpus"))

import check_corpus  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.environ.get("BLEND_BUILD_DIR", str(ROOT / "build")))
    p.add_argument("--layer-images", type=int, default=2)
    p.add_argument("-o", "--output", default=str(ROOT / "bench" / "results" / "peer_models.md"))
    args = p.parse_args(argv)
    corpus = Path(args.build) / "corpus"
    subprocess.run([sys.executable, str(ROOT / "test" / "corpus" / "build_corpus.py"), "-o",
                    str(corpus)], check=True)
    table = Path(args.output).with_suffix(".table.tmp")
    check_corpus.main(["--corpus", str(corpus), "--build", args.build, "--markdown", str(table),
                       "--layer-images", str(args.layer_images)])
    rows = table.read_text()
    table.unlink()
    header = f"""# Peer models: other people's exports through blend

`bench/peer_models.py` on {datetime.date.today()} ({platform.machine()}, {os.cpu_count()} cores).
The corpus is built by `test/corpus/build_corpus.py` with Brevitas 0.13.4, qonnx 1.0, torch
{__import__('torch').__version__} and finn-plus-tests 1.6; every model is checked by
`test/corpus/check_corpus.py` against its exporter's executor (qonnx `execute_onnx` for graphs
with QONNX/FINN ops, onnxruntime otherwise) on 20 inputs (FINN's TFC: its 4 shipped samples;
the cybsec MLP: 64 random bipolar vectors). Weights are random with batch-norm statistics
calibrated on random inputs (the BNN-PYNQ pretrained checkpoints are on GitHub, which this
machine cannot reach), except FINN's TFC-w1a1 and the cybsec MLP, which are trained.

- *golden vs reference*: every output element compared; integer-exact models (explicit
  quantizers, no float join) must be bit-identical. For the eval exports the reference is the
  bundled standard export of the same weights, whose binarizers read 0 as +1 — what
  `--sign-zero=plus-one` reads their Signs as.
- *per-layer*: for models with float Blend-module joins or BN folded into float weights, the
  reference graph runs node by node and every quantizer's output is compared with the golden
  executor's value of that node, then replaced by it (each layer judged on identical inputs;
  docs/semantics.md §8 bounds these differences). Untrained binary networks are chaotic, so the
  end-to-end argmax agreement of those models says little; the per-layer numbers are the
  measure.
- *accelerator*: `blendc --check`'s verdict on mapping the integer program onto blend_net (the
  constructs refused here are the hardware-coverage issue's); the models that map are compiled
  and co-simulated in `results/peer_models_rtl.md` (`bench/peer_models_rtl.py`).

"""
    Path(args.output).write_text(header + rows)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
