"""Accuracy regression on real data: the bundled Fashion-MNIST BlendNet
(models/onnx/blendnet_fmnist.onnx, trained by models/train_fmnist.py) through the golden
executor on the first 1,000 test images of Debian's dataset-fashion-mnist.

The golden executor is deterministic integer arithmetic, so the number of correct predictions is
pinned exactly: any change in import, lowering or execution that changes a single prediction
fails here. Agreement with onnxruntime on the float graph must stay at or above 99%.
"""

import pathlib
import subprocess
import sys

import numpy as np
import onnxruntime as ort

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "models"))
from train_fmnist import load  # noqa: E402

IMAGES = 1000
PINNED_CORRECT = 869  # 86.90%, measured with models/evaluate_fmnist.py --limit 1000


def test_golden_accuracy_is_pinned(tool, root, tmp_path):
    model = root / "models" / "onnx" / "blendnet_fmnist.onnx"
    images, labels = load("t10k")
    images, labels = images[:IMAGES], labels[:IMAGES]
    np.save(tmp_path / "x.npy", images)
    subprocess.run([tool("blend-run"), str(model), "--input", str(tmp_path / "x.npy"),
                    "--output", str(tmp_path / "y.npy")], check=True)
    golden = np.load(tmp_path / "y.npy").argmax(1)
    assert int((golden == labels).sum()) == PINNED_CORRECT

    session = ort.InferenceSession(str(model))
    ref = np.concatenate([session.run(None, {"x": images[i:i + 1]})[0]
                          for i in range(IMAGES)]).argmax(1)
    assert np.mean(ref == golden) >= 0.99
