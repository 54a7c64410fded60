#!/usr/bin/env python3
"""Writes a single Blend module as a standard ONNX graph, the way a PyTorch
export of a QDQ-quantized model spells it.

    x (float, 1xCxHxW)
      -> QuantizeLinear/DequantizeLinear (int8, per-tensor scale)      = xq
    main path: GreaterOrEqual(xq, 0) ? +1 : -1   (Where)             binarize
               Conv 3x3, +-1 weights, pad 1, stride S                binary conv
               BatchNormalization (some gamma < 0)
    skip path: Conv 1x1, int8 weights via DequantizeLinear, stride S fixed-point conv
               BatchNormalization
    Add
    output:    binarized again (Where +-1), or QuantizeLinear/DequantizeLinear int8

Random weights and batch-norm statistics from a seeded generator, so every
shape is reproducible. Usage:

    blend_module.py -o models/onnx/blend_module.onnx                # C=16, 32x32
    blend_module.py -o m.onnx --channels 50 --size 9 --stride 2 --output int8
"""

import argparse
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def build(channels: int, size: int, stride: int, output: str, seed: int) -> onnx.ModelProto:
    rng = np.random.default_rng(seed)
    c = channels
    inits = []

    def const(name, array):
        inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    # Input quantizer: int8, symmetric, scale chosen for roughly unit-variance inputs.
    s_in = const("x_scale", np.float32(1.0 / 32))
    zp_in = const("x_zero_point", np.int8(0))
    # Binary main-path weights: exactly +-1.
    w_bin = np.where(rng.random((c, c, 3, 3)) < 0.5, -1.0, 1.0).astype(np.float32)
    const("main_weight", w_bin)
    # Skip-path weights: int8 values with a per-tensor scale.
    w_q = rng.integers(-127, 128, size=(c, c, 1, 1), dtype=np.int8)
    const("skip_weight_q", w_q)
    const("skip_weight_scale", np.float32(1.0 / 256))
    const("skip_weight_zero_point", np.int8(0))

    def bn_params(prefix):
        gamma = rng.uniform(0.5, 1.5, c) * np.where(rng.random(c) < 0.25, -1.0, 1.0)
        beta = rng.normal(0.0, 0.5, c)
        mean = rng.normal(0.0, 0.5 * np.sqrt(9 * c), c)
        var = rng.uniform(0.5, 2.0, c) * 9 * c
        return [const(f"{prefix}_{n}", v.astype(np.float32))
                for n, v in (("gamma", gamma), ("beta", beta), ("mean", mean), ("var", var))]

    main_bn = bn_params("main_bn")
    skip_bn = bn_params("skip_bn")
    const("zero", np.float32(0.0))
    const("plus_one", np.float32(1.0))
    const("minus_one", np.float32(-1.0))

    nodes = [
        helper.make_node("QuantizeLinear", ["x", s_in, zp_in], ["x_q"], name="quant_in"),
        helper.make_node("DequantizeLinear", ["x_q", s_in, zp_in], ["xq"], name="dequant_in"),
        # Main path.
        helper.make_node("GreaterOrEqual", ["xq", "zero"], ["x_nonneg"], name="binarize_ge"),
        helper.make_node("Where", ["x_nonneg", "plus_one", "minus_one"], ["x_bin"],
                         name="binarize_where"),
        helper.make_node("Conv", ["x_bin", "main_weight"], ["main_acc"], name="main_conv",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[stride, stride]),
        helper.make_node("BatchNormalization", ["main_acc"] + main_bn, ["main_out"],
                         name="main_bn", epsilon=1e-5),
        # Skip path.
        helper.make_node("DequantizeLinear",
                         ["skip_weight_q", "skip_weight_scale", "skip_weight_zero_point"],
                         ["skip_weight"], name="dequant_skip_weight"),
        helper.make_node("Conv", ["xq", "skip_weight"], ["skip_acc"], name="skip_conv",
                         kernel_shape=[1, 1], pads=[0, 0, 0, 0], strides=[stride, stride]),
        helper.make_node("BatchNormalization", ["skip_acc"] + skip_bn, ["skip_out"],
                         name="skip_bn", epsilon=1e-5),
        helper.make_node("Add", ["main_out", "skip_out"], ["sum"], name="join"),
    ]
    if output == "binary":
        nodes += [
            helper.make_node("GreaterOrEqual", ["sum", "zero"], ["y_nonneg"], name="out_ge"),
            helper.make_node("Where", ["y_nonneg", "plus_one", "minus_one"], ["y"],
                             name="out_where"),
        ]
    else:
        const("y_scale", np.float32(1.0 / 16))
        const("y_zero_point", np.int8(0))
        nodes += [
            helper.make_node("QuantizeLinear", ["sum", "y_scale", "y_zero_point"], ["y_q"],
                             name="quant_out"),
            helper.make_node("DequantizeLinear", ["y_q", "y_scale", "y_zero_point"], ["y"],
                             name="dequant_out"),
        ]

    out_size = (size + 2 - 3) // stride + 1
    graph = helper.make_graph(
        nodes, f"blend_module_c{c}_s{size}_stride{stride}_{output}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, c, size, size])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, c, out_size, out_size])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="blend/models/blend_module.py")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-o", "--output-file", required=True, help="where to write the .onnx")
    p.add_argument("--channels", type=int, default=16)
    p.add_argument("--size", type=int, default=32, help="input height and width")
    p.add_argument("--stride", type=int, choices=(1, 2), default=1)
    p.add_argument("--output", choices=("binary", "int8"), default="binary",
                   help="binarize the module output or requantize it to int8")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if args.channels < 1 or args.size < 1:
        p.error("--channels and --size must be positive")
    model = build(args.channels, args.size, args.stride, args.output, args.seed)
    onnx.save(model, args.output_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
