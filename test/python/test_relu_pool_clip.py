"""A QDQ model with the ops fixed-point paths of user models carry besides convolutions —
Conv → BatchNorm → Relu → QuantizeLinear (Brevitas's QuantReLU pattern), MaxPool, Clip — exported
by torch.onnx.export, lowered completely to integer ops and run by the golden executor:
identical to onnxruntime on every output of 50 random images (every step is exact: the
requant folds the batch norm and Relu's clamp commutes with the rounding, max pooling and the
grid-aligned clip commute with dequantization)."""

import subprocess

import numpy as np
import onnxruntime as ort
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)

    def forward(self, x):
        x = torch.fake_quantize_per_tensor_affine(x, 1 / 32, 0, -128, 127)
        w = torch.fake_quantize_per_tensor_affine(self.conv.weight, 0.01, 0, -128, 127)
        y = torch.relu(self.bn(nn.functional.conv2d(x, w, None, 1, 1)))
        y = torch.fake_quantize_per_tensor_affine(y, 1 / 16, 0, -128, 127)
        y = nn.functional.max_pool2d(y, 2)
        y = torch.clamp(y, -1.0, 0.75)
        return torch.fake_quantize_per_tensor_affine(y, 1 / 16, 0, -128, 127)


def test_relu_maxpool_clip_are_exact(tool, tmp_path):
    torch.manual_seed(3)
    model = Model().eval()
    with torch.no_grad():
        model.bn.running_mean.normal_()
        model.bn.running_var.uniform_(0.5, 2)
        model.bn.weight.normal_()
        model.bn.bias.normal_()
    path = tmp_path / "model.onnx"
    torch.onnx.export(model, torch.rand(1, 3, 8, 8), str(path), opset_version=13,
                      input_names=["x"], output_names=["y"])
    mlir = subprocess.run([tool("blendc"), str(path), "--emit=mlir"], check=True,
                          capture_output=True, text=True).stdout
    # --emit=mlir runs blend-verify-integer: no float op is left between quantize and dequantize.
    assert "blend.clip" in mlir and "blend.max_pool2d" in mlir and "blend.batch_norm" not in mlir
    x = np.random.default_rng(0).uniform(-2, 2, size=(50, 3, 8, 8)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    subprocess.run([tool("blend-run"), str(path), "--input", str(tmp_path / "x.npy"),
                    "--output", str(tmp_path / "y.npy")], check=True)
    golden = np.load(tmp_path / "y.npy")
    session = ort.InferenceSession(str(path))
    ref = np.concatenate([session.run(None, {"x": x[i:i + 1]})[0] for i in range(len(x))])
    assert golden.shape == ref.shape
    assert np.array_equal(golden, ref)
