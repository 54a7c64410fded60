#!/usr/bin/env python3
"""Rewrite a standard-ONNX BlendNet/BlendMixer export into QONNX, the form Brevitas and qonnx
write, with the same function:

* every QuantizeLinear → DequantizeLinear pair becomes a ``Quant`` (scale, zero point, bit width
  as inputs; ``narrow`` = 1 on weights, as Brevitas's default int8 weight quantizer; ``ROUND``);
* every ``Where(x >= 0, 1, -1)`` binarizer (activations and binary weights) becomes
  ``BipolarQuant(x, 1)``;
* with ``--multithreshold`` (BlendNet-20), each Blend module's ``BatchNorm → BipolarQuant``
  between the two binary convolutions becomes a bipolar ``MultiThreshold`` (one threshold per
  channel, out_scale 2, out_bias -1), as FINN's streamlining absorbs a batch norm into thresholds.
  A channel with a negative BN gain compares ``x <= θ``, which MultiThreshold cannot say; as
  streamlining does, the preceding binary convolution's weights of that channel are negated so
  the test becomes ``-x >= -θ``.

All custom ops use domain ``qonnx.custom_op.general`` (opset 1). qonnx's ``execute_onnx`` runs
the result; ``test/python/test_qonnx_models.py`` checks it against onnxruntime on the standard
file and blend's golden executor on both.

Usage:
    to_qonnx.py models/onnx/blendnet20.onnx -o models/onnx/blendnet20_qonnx.onnx --multithreshold
    to_qonnx.py models/onnx/blendmixer.onnx -o models/onnx/blendmixer_qonnx.onnx
"""

import argparse
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

DOMAIN = "qonnx.custom_op.general"


class Graph:
    def __init__(self, model):
        self.model = model
        self.graph = model.graph
        self.consts = {i.name: numpy_helper.to_array(i) for i in self.graph.initializer}
        for n in self.graph.node:
            if n.op_type == "Constant":
                self.consts[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
        self.inits = {i.name: i for i in self.graph.initializer}

    def producer(self, name):
        for n in self.graph.node:
            if name in n.output:
                return n
        return None

    def consumers(self, name):
        return [n for n in self.graph.node if name in n.input]

    def add_const(self, name, array):
        self.graph.initializer.append(numpy_helper.from_array(np.asarray(array), name))
        self.consts[name] = np.asarray(array)
        return name


def replace_qdq(g: Graph, bits: int = 8) -> int:
    """``bits`` < 8 narrows every fixed-point quantizer to that width: the scale grows by
    2^(8 - bits) and the zero point shrinks by it, so the real range stays about the same."""
    count = 0
    shrink = 2 ** (8 - bits)
    for q in [n for n in g.graph.node if n.op_type == "QuantizeLinear"]:
        users = g.consumers(q.output[0])
        if len(users) != 1 or users[0].op_type != "DequantizeLinear":
            raise SystemExit(f"{q.name}: QuantizeLinear without its DequantizeLinear")
        dq = users[0]
        zp = g.consts[q.input[2]]
        signed = int(zp.dtype == np.int8)
        if 8 * zp.dtype.itemsize != 8:
            raise SystemExit(f"{q.name}: only 8-bit QuantizeLinear is converted")
        weight = q.input[0] in g.inits
        name = q.name.replace("QuantizeLinear", "Quant")
        scale = g.add_const(name + "_scale", np.float32(g.consts[q.input[1]] * shrink))
        zeropt = g.add_const(name + "_zeropt", np.float32(np.round(zp.astype(np.float64) / shrink)))
        bitwidth = g.add_const(name + "_bitwidth", np.float32(bits))
        node = helper.make_node("Quant", [q.input[0], scale, zeropt, bitwidth], [dq.output[0]],
                                name=name, domain=DOMAIN, signed=signed, narrow=int(weight),
                                rounding_mode="ROUND")
        g.graph.node.insert(list(g.graph.node).index(q), node)
        g.graph.node.remove(q)
        g.graph.node.remove(dq)
        count += 1
    return count


def replace_binarizers(g: Graph) -> int:
    count = 0
    for where in [n for n in g.graph.node if n.op_type == "Where"]:
        cmp = g.producer(where.input[0])
        if (cmp is None or cmp.op_type != "GreaterOrEqual"
                or float(g.consts.get(cmp.input[1], np.nan)) != 0.0
                or float(g.consts.get(where.input[1], np.nan)) != 1.0
                or float(g.consts.get(where.input[2], np.nan)) != -1.0):
            raise SystemExit(f"{where.name}: not a Where(x >= 0, 1, -1) binarizer")
        name = where.name.replace("Where", "BipolarQuant")
        scale = g.add_const(name + "_scale", np.float32(1.0))
        node = helper.make_node("BipolarQuant", [cmp.input[0], scale], [where.output[0]],
                                name=name, domain=DOMAIN)
        g.graph.node.insert(list(g.graph.node).index(where), node)
        g.graph.node.remove(where)
        if len(g.consumers(cmp.output[0])) == 0:
            g.graph.node.remove(cmp)
        count += 1
    return count


def bn_to_multithreshold(g: Graph) -> int:
    """BatchNormalization → BipolarQuant after a binary Conv → MultiThreshold (sign-flipping
    the Conv's weights of negative-gain channels)."""
    count = 0
    for bq in [n for n in g.graph.node if n.op_type == "BipolarQuant"]:
        bn = g.producer(bq.input[0])
        if bn is None or bn.op_type != "BatchNormalization" or len(g.consumers(bn.output[0])) != 1:
            continue
        conv = g.producer(bn.input[0])
        if conv is None or conv.op_type != "Conv" or len(g.consumers(conv.output[0])) != 1:
            continue
        wq = g.producer(conv.input[1])
        if wq is None or wq.op_type != "BipolarQuant" or wq.input[0] not in g.inits:
            continue  # only binary convolutions
        gamma, beta, mean, var = (g.consts[n].astype(np.float64) for n in bn.input[1:5])
        eps = next((a.f for a in bn.attribute if a.name == "epsilon"), 1e-5)
        a = gamma / np.sqrt(var + eps)
        if np.any(a == 0):
            continue
        theta = mean - beta / a  # y >= 0  <=>  x >= theta (a > 0), x <= theta (a < 0)
        neg = a < 0
        latent = g.consts[wq.input[0]].copy()
        if np.any(latent[neg] == 0):
            raise SystemExit(f"{conv.name}: a zero latent weight cannot be sign-flipped")
        latent[neg] = -latent[neg]
        g.inits[wq.input[0]].CopyFrom(numpy_helper.from_array(latent, wq.input[0]))
        g.consts[wq.input[0]] = latent
        theta = np.where(neg, -theta, theta).astype(np.float32).reshape(-1, 1)
        name = bn.name.replace("BatchNormalization", "MultiThreshold")
        thresholds = g.add_const(name + "_thresholds", theta)
        node = helper.make_node("MultiThreshold", [conv.output[0], thresholds], [bq.output[0]],
                                name=name, domain=DOMAIN, out_dtype="BIPOLAR", out_scale=2.0,
                                out_bias=-1.0, data_layout="NCHW")
        g.graph.node.insert(list(g.graph.node).index(bn), node)
        g.graph.node.remove(bn)
        g.graph.node.remove(bq)
        count += 1
    return count


def convert(model: onnx.ModelProto, multithreshold: bool, bits: int = 8) -> onnx.ModelProto:
    g = Graph(model)
    quants = replace_qdq(g, bits)
    bipolars = replace_binarizers(g)
    thresholds = bn_to_multithreshold(g) if multithreshold else 0
    # Drop Constant nodes nothing reads any more.
    used = {i for n in g.graph.node for i in n.input} | {o.name for o in g.graph.output}
    for n in [n for n in g.graph.node if n.op_type == "Constant" and n.output[0] not in used]:
        g.graph.node.remove(n)
    model.opset_import.append(helper.make_opsetid(DOMAIN, 1))
    print(f"{quants} Quant, {bipolars} BipolarQuant, {thresholds} MultiThreshold")
    return model


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--multithreshold", action="store_true",
                   help="express BN + binarize between binary convolutions as MultiThreshold")
    p.add_argument("--bits", type=int, default=8, choices=range(2, 9), metavar="2..8",
                   help="width of every fixed-point quantizer (default 8: the export's own); "
                        "narrower widths rescale each quantizer to keep its real range")
    args = p.parse_args(argv)
    model = convert(onnx.load(args.input), args.multithreshold, args.bits)
    onnx.save(model, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
