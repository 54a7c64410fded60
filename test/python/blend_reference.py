"""Independent float64 numpy reference of the Blend module written by
models/blend_module.py: quantize, binarize, direct convolutions with explicit
zero padding, batch norm, add, output stage. Shared by the model test and the
golden-executor comparison."""

import numpy as np
from onnx import numpy_helper


def conv2d(x, w, stride, pad):
    """Direct NCHW convolution; zero padding, no dilation, one group."""
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.zeros((n, c, h + 2 * pad, wd + 2 * pad), dtype=np.float64)
    xp[:, :, pad:pad + h, pad:pad + wd] = x
    oh = (h + 2 * pad - kh) // stride + 1
    ow = (wd + 2 * pad - kw) // stride + 1
    out = np.zeros((n, o, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
            out += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])
    return out


def quantize(x, scale):
    return np.clip(np.round(x / scale), -128, 127)  # np.round: half to even


def reference(model, x: np.ndarray, stride: int, output: str):
    """Returns (pre-activation z of the output stage, module output), float64."""
    p = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    s_in = p["x_scale"]
    xq = quantize(x.astype(np.float64), s_in) * s_in
    xb = np.where(xq >= 0, 1.0, -1.0)

    def bn(v, prefix):
        g, b, m, var = (p[f"{prefix}_{k}"][None, :, None, None]
                        for k in ("gamma", "beta", "mean", "var"))
        return g * (v - m) / np.sqrt(var + 1e-5) + b

    main = bn(conv2d(xb, p["main_weight"], stride, 1), "main_bn")
    skip_w = p["skip_weight_q"] * p["skip_weight_scale"]
    skip = bn(conv2d(xq, skip_w, stride, 0), "skip_bn")
    total = main + skip
    if output == "binary":
        return total, np.where(total >= 0, 1.0, -1.0)
    s_out = p["y_scale"]
    return total, quantize(total, s_out) * s_out


