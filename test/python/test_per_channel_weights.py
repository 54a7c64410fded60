"""Per-output-channel weight scales, as exporters write them:

* a binary convolution whose weights arrive as ±α per output channel (a batch norm's gain
  folded into the binary weights, as eval-mode exports do) → binary convolution + the α folded
  into the output requantization;
* int8 weights with per-channel scales (QuantizeLinear/DequantizeLinear with axis 0, as
  torch.fake_quantize_per_channel_affine exports) → int8 convolution on the integer weights,
  the scales folded with the batch norm into a per-channel requant.

Both lower completely; on 30 random images the binary branch equals onnxruntime exactly and
the int8 branch differs by at most one step (the batch-norm near-tie case of the contract)."""

import subprocess

import numpy as np
import onnxruntime as ort
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        w1, alpha = torch.randn(8, 8, 3, 3), torch.rand(8) + 0.5
        self.register_buffer("wb", torch.where(w1 >= 0, 1.0, -1.0) * alpha.view(-1, 1, 1, 1))
        self.register_buffer("w2", torch.randn(8, 8, 1, 1))
        self.register_buffer("sc", self.w2.abs().amax(dim=(1, 2, 3)) / 127)
        self.bn = nn.BatchNorm2d(8)

    def forward(self, x):
        x = torch.fake_quantize_per_tensor_affine(x, 1 / 16, 0, -128, 127)
        b = torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))
        a = torch.fake_quantize_per_tensor_affine(
            nn.functional.conv2d(b, self.wb, None, 1, 1), 1 / 8, 0, -128, 127)
        w = torch.fake_quantize_per_channel_affine(
            self.w2, self.sc, torch.zeros(8, dtype=torch.int32), 0, -128, 127)
        c = torch.fake_quantize_per_tensor_affine(
            self.bn(nn.functional.conv2d(x, w)), 1 / 16, 0, -128, 127)
        return a, c


def test_per_channel_weights_lower_and_match(tool, tmp_path):
    model = Model().eval()
    with torch.no_grad():
        model.bn.running_mean.normal_()
        model.bn.running_var.uniform_(0.5, 2)
        model.bn.weight.normal_()
        model.bn.bias.normal_()
    path = tmp_path / "model.onnx"
    torch.onnx.export(model, torch.rand(1, 8, 6, 6), str(path), opset_version=13,
                      input_names=["x"], output_names=["a", "c"])
    mlir = subprocess.run([tool("blendc"), str(path), "--emit=mlir"], check=True,
                          capture_output=True, text=True).stdout
    assert "tensor<8x8x3x3x!blend.binary>" in mlir          # ±α became binary weights
    assert "tensor<8x8x1x1x!blend.fixed<si8, 1.000000e+00>>" in mlir  # integer weights
    session = ort.InferenceSession(str(path))
    rng = np.random.default_rng(1)
    differing = 0
    for _ in range(30):
        x = rng.uniform(-4, 4, size=(1, 8, 6, 6)).astype(np.float32)
        np.save(tmp_path / "x.npy", x)
        subprocess.run([tool("blend-run"), str(path), "--input", str(tmp_path / "x.npy"),
                        "--output", f"{tmp_path}/a.npy,{tmp_path}/c.npy"], check=True)
        ref_a, ref_c = session.run(None, {"x": x})
        assert np.array_equal(np.load(tmp_path / "a.npy"), ref_a)
        diff = np.abs(np.load(tmp_path / "c.npy") - ref_c)
        assert diff.max() <= 1 / 16 + 1e-7
        differing += int((diff > 0).sum())
    assert differing <= 0.01 * 30 * ref_c.size
