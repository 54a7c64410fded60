#!/usr/bin/env python3
"""PyTorch definitions of BlendNet-20 and BlendMixer, and their standard-ONNX export.

Every choice the BlendNet/NeuroBlend paper leaves open is made here and explained in
docs/models.md. Building blocks:

* ``QuantAct``     — int8 activations: fake-quantization with a fixed power-of-two scale
                     (exports as QuantizeLinear/DequantizeLinear).
* ``BinaryAct``    — x >= 0 -> +1, else -1, with the clipped straight-through gradient
                     (exports as GreaterOrEqual + Where).
* ``BinaryConv2d`` / ``BinaryLinear`` — +-1 weights (sign of the latent real weights, STE).
* ``QuantConv2d``  / ``QuantLinear``  — int8 symmetric per-tensor weights.
* ``BlendBlock``   — the Blend module of BlendNet-20: main path binarize -> binary 3x3 conv ->
                     BN -> binarize -> binary 3x3 conv -> BN; skip path int8 1x1 conv (same
                     stride) -> BN; add; BN between modules; int8 requantization.
* ``BlendMLP``     — the same idea on an MLP: binary Linear-BN-binarize-Linear-BN main path,
                     int8 Linear-BN skip path, add.

Usage:
    blendnet.py export --model blendnet20 -o models/onnx/blendnet20.onnx
    blendnet.py export --model blendnet20 --image-size 64 -o models/onnx/blendnet20_64.onnx
    blendnet.py export --model blendmixer -o models/onnx/blendmixer.onnx
(random weights and batch-norm statistics from --seed; training lives in issue-5 scripts).
"""

import argparse
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

ACT_SCALE = 1.0 / 16  # int8 activations cover [-8, 8)


class QuantAct(nn.Module):
    """Symmetric int8 fake-quantization with a fixed power-of-two scale."""

    def __init__(self, scale: float = ACT_SCALE):
        super().__init__()
        self.scale = scale

    def forward(self, x):
        return torch.fake_quantize_per_tensor_affine(x, self.scale, 0, -128, 127)


class _SignSTE(torch.autograd.Function):
    """x >= 0 -> +1 else -1; gradient passes where |x| <= 1 (clipped STE)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x.abs() <= 1).to(grad.dtype)

    @staticmethod
    def symbolic(g, x):
        zero = g.op("Constant", value_t=torch.tensor(0.0))
        one = g.op("Constant", value_t=torch.tensor(1.0))
        minus_one = g.op("Constant", value_t=torch.tensor(-1.0))
        return g.op("Where", g.op("GreaterOrEqual", x, zero), one, minus_one)


def sign_ste(x):
    return _SignSTE.apply(x)


class BinaryAct(nn.Module):
    def forward(self, x):
        return sign_ste(x)


def _quantize_weight_int8(w):
    """Symmetric per-tensor int8 fake-quantization of a weight tensor. The scale maps max|w| to
    127, so -128 is never produced although ONNX's int8 range (-128..127) is declared."""
    scale = (w.detach().abs().max() / 127.0).clamp(min=1e-8)
    return torch.fake_quantize_per_tensor_affine(w, float(scale), 0, -128, 127)


class BinaryConv2d(nn.Conv2d):
    """Convolution with +-1 weights (no bias: the following BN carries it)."""

    def __init__(self, cin, cout, stride=1):
        super().__init__(cin, cout, 3, stride=stride, padding=1, bias=False)

    def forward(self, x):
        return F.conv2d(x, sign_ste(self.weight), None, self.stride, self.padding)


class QuantConv2d(nn.Conv2d):
    """Convolution with int8 weights."""

    def forward(self, x):
        return F.conv2d(x, _quantize_weight_int8(self.weight), None, self.stride, self.padding)


class BinaryLinear(nn.Linear):
    def __init__(self, fin, fout):
        super().__init__(fin, fout, bias=False)

    def forward(self, x):
        return F.linear(x, sign_ste(self.weight))


class QuantLinear(nn.Linear):
    def forward(self, x):
        return F.linear(x, _quantize_weight_int8(self.weight), self.bias)


class BlendBlock(nn.Module):
    """One Blend module of BlendNet-20 (docs/models.md)."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bin1 = BinaryAct()
        self.conv1 = BinaryConv2d(cin, cout, stride)
        self.bn1 = nn.BatchNorm2d(cout)
        self.bin2 = BinaryAct()
        self.conv2 = BinaryConv2d(cout, cout, 1)
        self.bn2 = nn.BatchNorm2d(cout)
        self.skip = QuantConv2d(cin, cout, 1, stride=stride, bias=False)
        self.bn_skip = nn.BatchNorm2d(cout)
        self.bn_out = nn.BatchNorm2d(cout)  # BN between consecutive modules
        self.quant = QuantAct()

    def forward(self, x):
        main = self.bn1(self.conv1(self.bin1(x)))
        main = self.bn2(self.conv2(self.bin2(main)))
        skip = self.bn_skip(self.skip(x))
        return self.quant(self.bn_out(main + skip))


class BlendNet20(nn.Module):
    """ResNet-20 topology for 3x32x32: stem, 3 stages x 3 Blend modules (16/32/64), head."""

    def __init__(self, num_classes=10, in_channels=3, widths=(16, 32, 64), blocks=3,
                 input_scale=1.0 / 32):
        super().__init__()
        self.quant_in = QuantAct(input_scale)
        self.stem = QuantConv2d(in_channels, widths[0], 3, padding=1, bias=False)
        self.bn_stem = nn.BatchNorm2d(widths[0])
        self.quant_stem = QuantAct()
        layers, cin = [], widths[0]
        for stage, width in enumerate(widths):
            for block in range(blocks):
                stride = 2 if stage > 0 and block == 0 else 1
                layers.append(BlendBlock(cin, width, stride))
                cin = width
        self.layers = nn.Sequential(*layers)
        self.head = QuantLinear(cin, num_classes)

    def forward(self, x):
        x = self.quant_stem(self.bn_stem(self.stem(self.quant_in(x))))
        x = self.layers(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.head(x)


class BlendMLP(nn.Module):
    """Binary two-layer MLP main path with an int8 linear skip path, over the last dim."""

    def __init__(self, dim, hidden):
        super().__init__()
        self.bin1, self.fc1, self.bn1 = BinaryAct(), BinaryLinear(dim, hidden), nn.BatchNorm1d(hidden)
        self.bin2, self.fc2, self.bn2 = BinaryAct(), BinaryLinear(hidden, dim), nn.BatchNorm1d(dim)
        self.skip, self.bn_skip = QuantLinear(dim, dim, bias=False), nn.BatchNorm1d(dim)
        self.quant = QuantAct()

    @staticmethod
    def _bn(bn, x):  # BatchNorm1d over the feature (last) dimension of [B, N, F]
        return bn(x.transpose(1, 2)).transpose(1, 2)

    def forward(self, x):
        main = self._bn(self.bn1, self.fc1(self.bin1(x)))
        main = self._bn(self.bn2, self.fc2(self.bin2(main)))
        skip = self._bn(self.bn_skip, self.skip(x))
        return self.quant(main + skip)


class MixerLayer(nn.Module):
    def __init__(self, tokens, dim, token_hidden, channel_hidden):
        super().__init__()
        self.token_mlp = BlendMLP(tokens, token_hidden)
        self.channel_mlp = BlendMLP(dim, channel_hidden)

    def forward(self, x):  # x: [B, tokens, dim]
        x = self.token_mlp(x.transpose(1, 2)).transpose(1, 2)
        return self.channel_mlp(x)


class BlendMixer(nn.Module):
    """MLP-Mixer for 32x32: 4x4 patches (64 tokens), width 128, 4 layers (docs/models.md)."""

    def __init__(self, num_classes=10, in_channels=3, patch=4, dim=128, layers=4,
                 token_hidden=64, channel_hidden=256, image=32):
        super().__init__()
        tokens = (image // patch) ** 2
        self.quant_in = QuantAct(1.0 / 32)
        self.embed = QuantConv2d(in_channels, dim, patch, stride=patch, bias=False)
        self.bn_embed = nn.BatchNorm2d(dim)
        self.quant_embed = QuantAct()
        self.layers = nn.Sequential(*[MixerLayer(tokens, dim, token_hidden, channel_hidden)
                                      for _ in range(layers)])
        self.head = QuantLinear(dim, num_classes)

    def forward(self, x):
        x = self.quant_embed(self.bn_embed(self.embed(self.quant_in(x))))  # [B, dim, 8, 8]
        x = x.flatten(2).transpose(1, 2)                                     # [B, tokens, dim]
        x = self.layers(x)
        return self.head(x.mean(dim=1))


def build(name: str, seed: int) -> nn.Module:
    """An untrained model with realistic batch-norm statistics.

    Random affine parameters (some negative gammas, so thresholds flip), then the running
    statistics are calibrated on a batch of random images, as training would leave them:
    uncalibrated statistics give gains of ~10 on binary accumulators, which turns every
    one-step rounding tie into a saturated output a few layers later.
    """
    torch.manual_seed(seed)
    model = {"blendnet20": BlendNet20, "blendmixer": BlendMixer}[name]()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                n = m.num_features
                m.weight.uniform_(0.5, 1.5).mul_(torch.where(torch.rand(n) < 0.2, -1.0, 1.0))
                m.bias.normal_(0.0, 0.2)
                m.momentum = None  # cumulative average over the calibration batches
        model.train()
        for _ in range(4):
            model(torch.rand(32, 3, 32, 32))
    return model.eval()


def export(model: nn.Module, path: str, opset: int = 13, image_shape=(1, 3, 32, 32)):
    image = torch.rand(*image_shape)
    torch.onnx.export(model, image, path, opset_version=opset, input_names=["x"],
                      output_names=["logits"], do_constant_folding=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export", help="write a standard ONNX file (torch.onnx.export)")
    e.add_argument("--model", choices=("blendnet20", "blendmixer"), required=True)
    e.add_argument("-o", "--output", required=True)
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--opset", type=int, default=13)
    e.add_argument("--image-size", type=int, default=32,
                   help="input height and width (BlendNet-20 only: its global pool makes the "
                        "same weights work at any size; the batch norms are calibrated at 32)")
    args = p.parse_args(argv)
    if args.image_size != 32 and args.model != "blendnet20":
        p.error("--image-size: BlendMixer's token count is fixed by its weights")
    export(build(args.model, args.seed), args.output, args.opset,
           image_shape=(1, 3, args.image_size, args.image_size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
