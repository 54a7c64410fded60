"""Model definitions written the way users write them in Brevitas / PyTorch, for the peer
corpus (build_corpus.py). None of these uses blend's own export scripts."""

import torch
import torch.nn as nn


def cybsec_mlp(input_size=593, hidden=64, weight_bit_width=2, act_bit_width=2, num_classes=1):
    """The MLP of FINN's cybersecurity notebooks (end2end_example/cybersecurity), layer for
    layer, so the state dict that finn-plus-tests ships loads into it."""
    from brevitas.nn import QuantLinear, QuantReLU
    return nn.Sequential(
        QuantLinear(input_size, hidden, bias=True, weight_bit_width=weight_bit_width),
        nn.BatchNorm1d(hidden),
        nn.Dropout(0.5),
        QuantReLU(bit_width=act_bit_width),
        QuantLinear(hidden, hidden, bias=True, weight_bit_width=weight_bit_width),
        nn.BatchNorm1d(hidden),
        nn.Dropout(0.5),
        QuantReLU(bit_width=act_bit_width),
        QuantLinear(hidden, hidden, bias=True, weight_bit_width=weight_bit_width),
        nn.BatchNorm1d(hidden),
        nn.Dropout(0.5),
        QuantReLU(bit_width=act_bit_width),
        QuantLinear(hidden, num_classes, bias=True, weight_bit_width=weight_bit_width),
    )


class CybSecMLPForExport(nn.Module):
    """FINN's export wrapper: bipolar {-1, 1} inputs shifted to {0, 1}, a bipolar output."""

    def __init__(self, pretrained):
        super().__init__()
        from brevitas.nn import QuantIdentity
        self.pretrained = pretrained
        self.qnt_output = QuantIdentity(quant_type="binary", scaling_impl_type="const",
                                        bit_width=1, min_val=-1.0, max_val=1.0)

    def forward(self, x):
        x = (x + torch.tensor([1.0])) / 2.0
        return self.qnt_output(self.pretrained(x))


# --------------------------------------------------------------------------------------
# BlendNet-20 and BlendMixer written with Brevitas layers, as a user would write them
# --------------------------------------------------------------------------------------

def _brevitas():
    from brevitas.nn import QuantConv2d, QuantIdentity, QuantLinear
    from brevitas.quant import (Int8ActPerTensorFloat, Int8WeightPerTensorFloat,
                                SignedBinaryActPerTensorConst, SignedBinaryWeightPerTensorConst)
    return (QuantConv2d, QuantIdentity, QuantLinear, Int8ActPerTensorFloat,
            Int8WeightPerTensorFloat, SignedBinaryActPerTensorConst,
            SignedBinaryWeightPerTensorConst)


class BrevitasBlendBlock(nn.Module):
    """A Blend module in Brevitas: binary 3x3 main path (bipolar activations and weights), int8
    1x1 skip path, explicit batch norms on both paths and after the add, an int8 output
    quantizer with a learned scale (None for the last block: its float join is pooled)."""

    def __init__(self, cin, cout, stride, quant_out=True):
        super().__init__()
        (QuantConv2d, QuantIdentity, _, Int8Act, Int8Weight, BinAct, BinWeight) = _brevitas()
        self.bin1 = QuantIdentity(act_quant=BinAct)
        self.conv1 = QuantConv2d(cin, cout, 3, stride=stride, padding=1, bias=False,
                                 weight_quant=BinWeight)
        self.bn1 = nn.BatchNorm2d(cout)
        self.bin2 = QuantIdentity(act_quant=BinAct)
        self.conv2 = QuantConv2d(cout, cout, 3, padding=1, bias=False, weight_quant=BinWeight)
        self.bn2 = nn.BatchNorm2d(cout)
        self.skip = QuantConv2d(cin, cout, 1, stride=stride, bias=False, weight_quant=Int8Weight)
        self.bn_skip = nn.BatchNorm2d(cout)
        self.bn_out = nn.BatchNorm2d(cout)
        self.quant = QuantIdentity(act_quant=Int8Act) if quant_out else nn.Identity()

    def forward(self, x):
        main = self.bn1(self.conv1(self.bin1(x)))
        main = self.bn2(self.conv2(self.bin2(main)))
        skip = self.bn_skip(self.skip(x))
        return self.quant(self.bn_out(main + skip))


class BrevitasBlendNet20(nn.Module):
    """BlendNet-20 (ResNet-20 topology) in Brevitas: int8 input quantizer and stem, nine Blend
    modules, global average pool of the last (float) join, the classifier's int8 input
    quantizer after the pool, an int8 classifier with a float bias."""

    def __init__(self, num_classes=10, widths=(16, 32, 64), blocks=3):
        super().__init__()
        (QuantConv2d, QuantIdentity, QuantLinear, Int8Act, Int8Weight, _, _) = _brevitas()
        self.quant_in = QuantIdentity(act_quant=Int8Act)
        self.stem = QuantConv2d(3, widths[0], 3, padding=1, bias=False, weight_quant=Int8Weight)
        self.bn_stem = nn.BatchNorm2d(widths[0])
        self.quant_stem = QuantIdentity(act_quant=Int8Act)
        layers, cin = [], widths[0]
        for stage, width in enumerate(widths):
            for block in range(blocks):
                stride = 2 if stage > 0 and block == 0 else 1
                last = stage == len(widths) - 1 and block == blocks - 1
                layers.append(BrevitasBlendBlock(cin, width, stride, quant_out=not last))
                cin = width
        self.layers = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.quant_pool = QuantIdentity(act_quant=Int8Act)
        self.head = QuantLinear(cin, num_classes, bias=True, weight_quant=Int8Weight)

    def forward(self, x):
        x = self.quant_stem(self.bn_stem(self.stem(self.quant_in(x))))
        x = self.layers(x)
        x = self.quant_pool(torch.flatten(self.pool(x), 1))
        return self.head(x)


class BrevitasBlendMLP(nn.Module):
    """The BlendMixer module in Brevitas: binary Linear-BN-binarize-Linear-BN main path, int8
    Linear-BN skip path over the last dimension, add, int8 output quantizer."""

    def __init__(self, dim, hidden):
        super().__init__()
        (_, QuantIdentity, QuantLinear, Int8Act, Int8Weight, BinAct, BinWeight) = _brevitas()
        self.bin1 = QuantIdentity(act_quant=BinAct)
        self.fc1 = QuantLinear(dim, hidden, bias=False, weight_quant=BinWeight)
        self.bn1 = nn.BatchNorm1d(hidden)
        self.bin2 = QuantIdentity(act_quant=BinAct)
        self.fc2 = QuantLinear(hidden, dim, bias=False, weight_quant=BinWeight)
        self.bn2 = nn.BatchNorm1d(dim)
        self.skip = QuantLinear(dim, dim, bias=False, weight_quant=Int8Weight)
        self.bn_skip = nn.BatchNorm1d(dim)
        self.quant = QuantIdentity(act_quant=Int8Act)

    @staticmethod
    def _bn(bn, x):
        return bn(x.transpose(1, 2)).transpose(1, 2)

    def forward(self, x):
        main = self._bn(self.bn1, self.fc1(self.bin1(x)))
        main = self._bn(self.bn2, self.fc2(self.bin2(main)))
        skip = self._bn(self.bn_skip, self.skip(x))
        return self.quant(main + skip)


class BrevitasBlendMixer(nn.Module):
    """BlendMixer (MLP-Mixer, 4x4 patches of 32x32, width 128, 4 layers) in Brevitas."""

    def __init__(self, num_classes=10, patch=4, dim=128, layers=4, token_hidden=64,
                 channel_hidden=256, image=32):
        super().__init__()
        (QuantConv2d, QuantIdentity, QuantLinear, Int8Act, Int8Weight, _, _) = _brevitas()
        tokens = (image // patch) ** 2
        self.quant_in = QuantIdentity(act_quant=Int8Act)
        self.embed = QuantConv2d(3, dim, patch, stride=patch, bias=False, weight_quant=Int8Weight)
        self.bn_embed = nn.BatchNorm2d(dim)
        self.quant_embed = QuantIdentity(act_quant=Int8Act)
        self.token_mlps = nn.ModuleList(BrevitasBlendMLP(tokens, token_hidden) for _ in range(layers))
        self.channel_mlps = nn.ModuleList(BrevitasBlendMLP(dim, channel_hidden) for _ in range(layers))
        self.quant_pool = QuantIdentity(act_quant=Int8Act)
        self.head = QuantLinear(dim, num_classes, bias=True, weight_quant=Int8Weight)

    def forward(self, x):
        x = self.quant_embed(self.bn_embed(self.embed(self.quant_in(x))))
        x = x.flatten(2).transpose(1, 2)
        for token, channel in zip(self.token_mlps, self.channel_mlps):
            x = token(x.transpose(1, 2)).transpose(1, 2)
            x = channel(x)
        return self.head(self.quant_pool(x.mean(dim=1)))


def calibrate_brevitas(model, shape, seed, batches=4):
    """Batch-norm statistics as training would leave them (random affine parameters, running
    statistics from random images), then Brevitas's own post-training calibration of the
    activation scales (brevitas.graph.calibrate.calibration_mode)."""
    from brevitas.graph.calibrate import calibration_mode
    torch.manual_seed(seed)
    bns = [m for m in model.modules() if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d))]
    with torch.no_grad():
        for m in bns:
            n = m.num_features
            m.weight.uniform_(0.5, 1.5).mul_(torch.where(torch.rand(n) < 0.2, -1.0, 1.0))
            m.bias.normal_(0.0, 0.2)
            m.momentum = None
        model.train()
        for _ in range(batches):
            model(torch.rand(32, *shape[1:]))
        model.eval()
        with calibration_mode(model):
            for _ in range(batches):
                model(torch.rand(32, *shape[1:]))
    return model.eval()


# --------------------------------------------------------------------------------------
# PyTorch eval-mode exports of the bundled models: batch norms folded into the weights
# --------------------------------------------------------------------------------------

class SignBinarize(nn.Module):
    """The binarizer many users write: torch.sign (ONNX Sign; sign(0) = 0)."""

    def forward(self, x):
        return torch.sign(x)


def inference_copy(model):
    """An inference-only copy of a bundled BlendNet-20 (models/blendnet.py) as users deploy
    one: binary and int8 weights precomputed into plain nn.Conv2d / nn.Linear (so
    torch.onnx's eval export folds every following batch norm into them: ±α weights and a
    float bias), binarizers written with torch.sign, the int8 activation quantizers kept."""
    import copy
    import blendnet  # models/blendnet.py
    m = copy.deepcopy(model)

    def plain(layer, weight):
        if isinstance(layer, nn.Conv2d):
            out = nn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                            layer.stride, layer.padding, bias=layer.bias is not None)
        else:
            out = nn.Linear(layer.in_features, layer.out_features, bias=layer.bias is not None)
        out.weight.data = weight.detach().clone()
        if layer.bias is not None:
            out.bias.data = layer.bias.detach().clone()
        return out

    for name, module in list(m.named_modules()):
        for child_name, child in list(module.named_children()):
            if isinstance(child, (blendnet.BinaryConv2d, blendnet.BinaryLinear)):
                setattr(module, child_name, plain(child, torch.sign(child.weight)))
            elif isinstance(child, (blendnet.QuantConv2d, blendnet.QuantLinear)):
                setattr(module, child_name,
                        plain(child, blendnet._quantize_weight_int8(child.weight)))
            elif isinstance(child, blendnet.BinaryAct):
                setattr(module, child_name, SignBinarize())
    return m.eval()
