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
