#!/usr/bin/env python3
"""Top-1 accuracy of the exported Fashion-MNIST BlendNet under onnxruntime and under blend's
golden executor (blend-run), on the same test images, and their agreement.

    evaluate_fmnist.py [--model models/onnx/blendnet_fmnist.onnx] [--limit N]
"""

import argparse
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from train_fmnist import load  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", default=str(ROOT / "models/onnx/blendnet_fmnist.onnx"))
    p.add_argument("--limit", type=int, default=10000)
    p.add_argument("--blend-run", default=str(ROOT / "build/bin/blend-run"))
    args = p.parse_args(argv)
    images, labels = load("t10k")
    images, labels = images[:args.limit], labels[:args.limit]

    session = ort.InferenceSession(args.model)
    start = time.time()
    ort_logits = np.concatenate([session.run(None, {"x": images[i:i + 1]})[0]
                                 for i in range(len(images))])
    ort_time = time.time() - start

    with tempfile.TemporaryDirectory() as tmp:
        np.save(f"{tmp}/x.npy", images)
        start = time.time()
        subprocess.run([args.blend_run, args.model, "--input", f"{tmp}/x.npy", "--output",
                        f"{tmp}/y.npy"], check=True)
        golden_time = time.time() - start
        golden_logits = np.load(f"{tmp}/y.npy")

    ort_pred, golden_pred = ort_logits.argmax(1), golden_logits.argmax(1)
    n = len(labels)
    print(f"images: {n}")
    print(f"onnxruntime accuracy: {100 * np.mean(ort_pred == labels):.2f}% ({ort_time:.1f} s)")
    print(f"golden accuracy:      {100 * np.mean(golden_pred == labels):.2f}% ({golden_time:.1f} s)")
    print(f"argmax agreement golden vs onnxruntime: {100 * np.mean(ort_pred == golden_pred):.2f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
