#!/usr/bin/env python3
"""Train a small BlendNet on Fashion-MNIST (Debian's dataset-fashion-mnist) and export it.

    train_fmnist.py [--epochs 3] [-o models/onnx/blendnet_fmnist.onnx]

Model: BlendNet (models/blendnet.py) for 1x28x28 inputs with one Blend module per stage,
widths 16/32/64 (strides 1/2/2: 28x28, 14x14, 7x7), int8 stem and classifier. The input is
pixel/255 as float 1x1x28x28; the graph quantizes it (scale 1/128). CPU only (Debian's torch),
a few minutes on 2 cores; seeded. Writes the ONNX file and a training log next to it (.log) with
the float model's test accuracy, and the test set as .npy files for the evaluation scripts.
"""

import argparse
import gzip
import pathlib
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from blendnet import BlendNet20, export  # noqa: E402

DATA = pathlib.Path("/usr/share/datasets/fashion-mnist")


def load_idx(path: pathlib.Path) -> np.ndarray:
    """Reads a (gzipped) IDX file into a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(split: str):
    images = load_idx(DATA / f"{split}-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    labels = load_idx(DATA / f"{split}-labels-idx1-ubyte.gz").astype(np.int64)
    return images[:, None, :, :], labels


def build_model() -> nn.Module:
    return BlendNet20(num_classes=10, in_channels=1, widths=(16, 32, 64), blocks=1,
                      input_scale=1.0 / 128)


def accuracy(model, images, labels, batch=1000) -> float:
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(images), batch):
            logits = model(torch.from_numpy(images[i:i + batch]))
            correct += int((logits.argmax(1).numpy() == labels[i:i + batch]).sum())
    return correct / len(images)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--output", default="models/onnx/blendnet_fmnist.onnx")
    args = p.parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    out = pathlib.Path(args.output)
    log = open(out.with_suffix(".log"), "w")

    def say(msg):
        print(msg, flush=True)
        log.write(msg + "\n")
        log.flush()

    train_x, train_y = load("train")
    test_x, test_y = load("t10k")
    model = build_model()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps = args.epochs * (len(train_x) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=steps)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(args.seed)
    say(f"train_fmnist: {args.epochs} epochs, batch 128, Adam + one-cycle, seed {args.seed}")
    for epoch in range(args.epochs):
        model.train()
        order = rng.permutation(len(train_x))
        start, total = time.time(), 0.0
        for i in range(0, len(order) - 127, 128):
            idx = order[i:i + 128]
            x, y = torch.from_numpy(train_x[idx]), torch.from_numpy(train_y[idx])
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss)
        acc = accuracy(model, test_x, test_y)
        say(f"epoch {epoch + 1}: mean loss {total / (len(order) // 128):.4f}, "
            f"float test accuracy {100 * acc:.2f}%, {time.time() - start:.0f} s")
    model.eval()
    export(model, str(out), image_shape=(1, 1, 28, 28))
    say(f"float (PyTorch) test accuracy: {100 * accuracy(model, test_x, test_y):.2f}% "
        f"(10000 images); exported {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
