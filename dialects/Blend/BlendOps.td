//===- BlendOps.td - blend operations ----------------------*- tablegen -*-===//
//
// Graph-level ops (conv2d, matmul, batch_norm, add, pooling, quantize,
// binarize) keep the meaning of the ONNX nodes they come from; integer layer
// ops (threshold, requant) are the bit-exact contract that the golden executor
// and the RTL implement. Precision travels in element types (BlendTypes.td);
// every verifier checks shapes, attributes and precisions, and every integer
// result must be wide enough for the proven bound of its value.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_OPS_TD
#define BLEND_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "dialects/Blend/BlendDialect.td"
include "dialects/Blend/BlendTypes.td"
include "dialects/Blend/BlendAttrs.td"
include "dialects/Blend/BlendInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Blend_BinaryTensor : RankedTensorOf<[Blend_BinaryType]>;
def Blend_FixedTensor : RankedTensorOf<[Blend_FixedType]>;
def Blend_FloatTensor : RankedTensorOf<[AnyFloat]>;
/// Exact integer values: signed accumulators or fixed-point storage.
def Blend_IntegerLikeTensor : RankedTensorOf<[AnySignedInteger, Blend_FixedType]>;
/// Anything a real-valued graph op may consume.
def Blend_ValueTensor
    : RankedTensorOf<[AnyFloat, AnySignedInteger, Blend_FixedType, Blend_BinaryType]>;

//===----------------------------------------------------------------------===//
// Constants and precision changes
//===----------------------------------------------------------------------===//

def Blend_ConstantOp : Blend_Op<"constant", [ConstantLike, Pure]> {
  let summary = "a constant tensor of any blend element type";
  let description = [{
    Holds weights and other constants. `value` stores the raw storage: `i1` for
    `!blend.binary` (1 is +1), the storage integer of a `!blend.fixed` type
    (same width; signless is accepted), or exactly the result element type for
    builtin types. Dense resources (`dense_resource<...>`) are accepted, so
    large weights stay out of the textual IR.

    ```mlir
    %w = blend.constant dense<[[true, false]]> : tensor<1x2xi1>
           -> tensor<1x2x!blend.binary>
    %s = blend.constant dense<[3, -7]> : tensor<2xi8>
           -> tensor<2x!blend.fixed<si8, 6.250000e-02>>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs RankedTensorOf<[AnyFloat, AnySignedInteger, AnyUnsignedInteger,
                                      Blend_FixedType, Blend_BinaryType]>:$result);
  let assemblyFormat = "$value attr-dict `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Blend_QuantizeOp : Blend_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "float to fixed-point: q = saturate(round_half_even(x / scale) + zp)";
  let description = [{
    The graph-level twin of ONNX `QuantizeLinear`: divides by the result type's
    scale, rounds half to even, adds the zero point and saturates to the
    storage range.

    ```mlir
    %q = blend.quantize %x : tensor<1x16xf32> -> tensor<1x16x!blend.fixed<si8, 1.250000e-02>>
    ```
  }];
  let arguments = (ins Blend_FloatTensor:$input);
  let results = (outs Blend_FixedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def Blend_DequantizeOp : Blend_Op<"dequantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "exact value to float: scale · (q − zp), ±1, or the integer itself";
  let description = [{
    The real value of an exact tensor as float: `scale · (q − zp)` for
    fixed-point (ONNX `DequantizeLinear`), ±1 for binary, the integer for a
    signed accumulator. Passes use it to keep float consumers valid while they
    lower producers to exact ops; after lowering only the model outputs keep
    one.

    ```mlir
    %x = blend.dequantize %q : tensor<1x16x!blend.fixed<si8, 1.250000e-02>> -> tensor<1x16xf32>
    %b = blend.dequantize %a : tensor<1x16x!blend.binary> -> tensor<1x16xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[Blend_FixedType, Blend_BinaryType, AnySignedInteger]>:$input);
  let results = (outs Blend_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def Blend_BinarizeOp : Blend_Op<"binarize", [Pure, SameOperandsAndResultShape]> {
  let summary = "sign binarizer: x ≥ 0 → +1, x < 0 → −1";
  let description = [{
    Maps a real, fixed-point or integer value to a binary one. Zero maps to +1
    (unlike ONNX `Sign`, whose `Sign(0) = 0`; docs/semantics.md says when an
    ONNX `Sign` may be imported as this op). For fixed-point inputs the test is
    on the real value, i.e. `q ≥ zp`.

    ```mlir
    %b = blend.binarize %x : tensor<1x16x8x8xf32> -> tensor<1x16x8x8x!blend.binary>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnySignedInteger, Blend_FixedType]>:$input);
  let results = (outs Blend_BinaryTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear layers
//===----------------------------------------------------------------------===//

def Blend_Conv2DOp : Blend_Op<"conv2d", [Pure]> {
  let summary = "2-D convolution over NCHW, binary, fixed-point or float";
  let description = [{
    `result[n, o, y, x] = bias[o] + Σ_{c, i, j} input[n, c, y·sh + i − pt,
    x·sw + j − pl] · weight[o, c, i, j]`, summed over the taps that fall inside
    the input (zero padding contributes nothing, also for binary inputs).
    `pads` is `[top, left, bottom, right]`; output size is
    `floor((H + top + bottom − KH) / SH) + 1`.

    The operands' element types choose the flavour, and fix the result's:
    * binary × binary → signed integer accumulator `siN`, where
      `2^(N−1) − 1 ≥ C·KH·KW` (each product is ±1);
    * fixed × fixed → `!blend.fixed<siN, s_in·s_w>`, with N wide enough for
      `C·KH·KW · max|q_in − zp_in| · max|q_w − zp_w| + max|bias|` (weights and
      bias must have zero point 0; the bias is fixed-point with scale `s_in·s_w`);
    * float × float → the same float type.

    ```mlir
    %acc = blend.conv2d %a, %w strides [1, 1] pads [1, 1, 1, 1]
        : (tensor<1x16x32x32x!blend.binary>, tensor<16x16x3x3x!blend.binary>)
        -> tensor<1x16x32x32xsi16>
    ```
  }];
  let arguments = (ins Blend_ValueTensor:$input, Blend_ValueTensor:$weight,
                       Optional<Blend_ValueTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads);
  let results = (outs Blend_ValueTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `strides` $strides `pads` $pads attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Blend_MatMulOp : Blend_Op<"matmul", [Pure]> {
  let summary = "matrix product [.., M, K] × [K, N] (+ bias[N]), binary, fixed-point or float";
  let description = [{
    The fully-connected layer of classifiers and of MLP-Mixer's token- and
    channel-mixing MLPs. `lhs` has rank 2 or 3 (a leading batch), `rhs` is the
    `[K, N]` weight matrix. Precision rules are those of `blend.conv2d` with
    the reduction length `K`.

    ```mlir
    %y = blend.matmul %x, %w
        : (tensor<1x64x!blend.binary>, tensor<64x10x!blend.binary>) -> tensor<1x10xsi8>
    ```
  }];
  let arguments = (ins Blend_ValueTensor:$lhs, Blend_ValueTensor:$rhs,
                       Optional<Blend_ValueTensor>:$bias);
  let results = (outs Blend_ValueTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalization, thresholds and requantization
//===----------------------------------------------------------------------===//

def Blend_BatchNormOp : Blend_Op<"batch_norm", [Pure]> {
  let summary = "inference batch normalization along one channel axis";
  let description = [{
    `result = scale[c] · (x − mean[c]) / sqrt(variance[c] + epsilon) + bias[c]`
    with `c` the index along `axis` (1 for NCHW). Integer and fixed-point inputs
    are read as their real values. This op is float-valued; passes fold it into
    `blend.threshold` (before a binarizer) or `blend.requant` (before a
    fixed-point consumer).

    ```mlir
    %y = blend.batch_norm %x, %g, %b, %m, %v {epsilon = 1.0e-05 : f64}
        : (tensor<1x16x8x8xsi16>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
           tensor<16xf32>) -> tensor<1x16x8x8xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnySignedInteger, Blend_FixedType]>:$input,
                       Blend_FloatTensor:$scale, Blend_FloatTensor:$bias,
                       Blend_FloatTensor:$mean, Blend_FloatTensor:$variance,
                       F64Attr:$epsilon, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs Blend_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Blend_ThresholdOp : Blend_Op<"threshold", [Pure, SameOperandsAndResultShape]> {
  let summary = "per-channel integer threshold producing binary values";
  let description = [{
    The integer form of "batch norm, then sign": along `axis`, channel `c`
    outputs +1 iff `q ≥ thresholds[c]` when `flip[c]` is false, and iff
    `q ≤ thresholds[c]` when it is true (a negative BN scale). `q` is the
    accumulator, or the raw storage of a fixed-point input. A single threshold
    (and flip) applies to every channel.

    ```mlir
    %b = blend.threshold %acc thresholds [3, -2] flip [false, true]
        : tensor<1x2x4x4xsi16> -> tensor<1x2x4x4x!blend.binary>
    ```
  }];
  let arguments = (ins Blend_IntegerLikeTensor:$input,
                       DenseI64ArrayAttr:$thresholds, DenseBoolArrayAttr:$flip,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs Blend_BinaryTensor:$result);
  let assemblyFormat = [{
    $input `thresholds` $thresholds `flip` $flip attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  // A threshold along axis 1 of a reshape that only appends unit dimensions
  // ([1, C] -> [1, C, 1], FINN's MultiThreshold layout) runs before it.
  let hasCanonicalizer = 1;
}

def Blend_RequantOp : Blend_Op<"requant", [Pure, SameOperandsAndResultShape]> {
  let summary = "integer requantization: multiply, shift, round, saturate";
  let description = [{
    Along `axis`, channel `c` computes, in exact integer arithmetic,
    `v = q − zp_in` (`zp_in = 0` for an accumulator input),
    `t = v · multiplier[c] + bias[c]` (the DSP `A·B + C` form, so the bias
    keeps `shift` fraction bits), `r = round(t / 2^shift[c])` with the
    `rounding` rule, and `result = saturate(r + zp_out)` to the result's
    storage range. A single value of any array applies to every channel. The
    verifier proves `|t| < 2^62`, so a 64-bit implementation is exact. See
    docs/semantics.md §5.

    ```mlir
    %q = blend.requant %acc multiplier [19275] shift [20] bias [0] rounding half_even
        : tensor<1x16x8x8xsi32> -> tensor<1x16x8x8x!blend.fixed<si8, 5.000000e-02>>
    ```
  }];
  let arguments = (ins Blend_IntegerLikeTensor:$input,
                       DenseI64ArrayAttr:$multiplier, DenseI64ArrayAttr:$shift,
                       DenseI64ArrayAttr:$bias, Blend_RoundingMode:$rounding,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs Blend_FixedTensor:$result);
  let assemblyFormat = [{
    $input `multiplier` $multiplier `shift` $shift `bias` $bias `rounding` $rounding
    attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise and pooling
//===----------------------------------------------------------------------===//

def Blend_AddOp : Blend_Op<"add", [Pure, Commutative]> {
  let summary = "exact elementwise addition of two same-shaped tensors";
  let description = [{
    Joins the main and skip paths of a Blend module. Float + float gives the same
    float type. Integer + integer and fixed + fixed (equal scales) are exact:
    the result type must hold every possible sum, `(q_a − zp_a) + (q_b − zp_b)
    + zp_out`, without saturation — the verifier checks the bound.

    ```mlir
    %s = blend.add %a, %b : tensor<1x16x8x8xsi16>, tensor<1x16x8x8xsi16> -> tensor<1x16x8x8xsi17>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnySignedInteger, Blend_FixedType]>:$lhs,
                       RankedTensorOf<[AnyFloat, AnySignedInteger, Blend_FixedType]>:$rhs);
  let results = (outs RankedTensorOf<[AnyFloat, AnySignedInteger, Blend_FixedType]>:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Blend_MaxPool2DOp : Blend_Op<"max_pool2d", [Pure]> {
  let summary = "2-D max pooling over NCHW (padding never wins)";
  let description = [{
    Maximum over each `kernel` window; padded positions are ignored (as in
    ONNX `MaxPool`). Works on every element type; for binary inputs it is the
    OR of the bits. The result element type equals the input's.

    ```mlir
    %p = blend.max_pool2d %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0]
        : tensor<1x16x8x8x!blend.binary> -> tensor<1x16x4x4x!blend.binary>
    ```
  }];
  let arguments = (ins Blend_ValueTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads);
  let results = (outs Blend_ValueTensor:$result);
  let assemblyFormat = [{
    $input `kernel` $kernel `strides` $strides `pads` $pads attr-dict
    `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Blend_AvgPool2DOp : Blend_Op<"avg_pool2d", [Pure]> {
  let summary = "2-D average pooling over NCHW, float-valued";
  let description = [{
    Mean over each `kernel` window. With `count_include_pad` false (ONNX's
    default) the divisor is the number of taps inside the input. Global average
    pooling is the case `kernel = [H, W]`. Integer inputs are read as their real
    values; the result is float (a lowering turns it into a sum and a requant).

    ```mlir
    %g = blend.avg_pool2d %x kernel [8, 8] strides [1, 1] pads [0, 0, 0, 0]
        : tensor<1x64x8x8xf32> -> tensor<1x64x1x1xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnySignedInteger, Blend_FixedType]>:$input,
                       DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs Blend_FloatTensor:$result);
  let assemblyFormat = [{
    $input `kernel` $kernel `strides` $strides `pads` $pads attr-dict
    `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Blend_SumPool2DOp : Blend_Op<"sum_pool2d", [Pure]> {
  let summary = "exact 2-D sum pooling: the integer form of average pooling";
  let description = [{
    Sums `q − zp` over each `kernel` window of an exact input (no padding, so
    every window has `KH·KW` taps). The result is fixed-point with scale
    `s_in / (KH·KW)` and zero point 0, so its real value is exactly the average
    of the window's real values; the verifier checks the scale and that the
    storage holds `KH·KW · max|q − zp|`.

    ```mlir
    %s = blend.sum_pool2d %q kernel [8, 8] strides [1, 1]
        : tensor<1x64x8x8x!blend.fixed<si8, 6.250000e-02>>
        -> tensor<1x64x1x1x!blend.fixed<si15, 9.765625e-04>>
    ```
  }];
  let arguments = (ins Blend_IntegerLikeTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides);
  let results = (outs Blend_FixedTensor:$result);
  let assemblyFormat = [{
    $input `kernel` $kernel `strides` $strides attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Blend_ReshapeOp : Blend_Op<"reshape", [Pure]> {
  let summary = "reinterpret a tensor's shape (row-major), element type unchanged";
  let description = [{
    ONNX `Flatten` and `Reshape` with constant shapes. The element count and the
    element type are preserved; data stays in row-major order.

    ```mlir
    %f = blend.reshape %x : tensor<1x64x1x1xf32> -> tensor<1x64xf32>
    ```
  }];
  let arguments = (ins Blend_ValueTensor:$input);
  let results = (outs Blend_ValueTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  // reshape(reshape(x)) is one reshape; a reshape to its own type is x.
  let hasFolder = 1;
}

def Blend_TransposeOp : Blend_Op<"transpose", [Pure]> {
  let summary = "permute a tensor's dimensions, element type unchanged";
  let description = [{
    ONNX `Transpose`: `result` dimension `i` is `input` dimension
    `permutation[i]`. Element values are moved, never changed, so it applies to
    every element type. A transpose of a constant folds; the
    `blend-canonicalize-transposes` pass cancels pairs, moves transposes across
    batch norms and above dequantizers, so that only real data movement stays.

    ```mlir
    %t = blend.transpose %x permutation [0, 2, 1]
        : tensor<1x64x128x!blend.fixed<si8, 6.250000e-02>>
        -> tensor<1x128x64x!blend.fixed<si8, 6.250000e-02>>
    ```
  }];
  let arguments = (ins Blend_ValueTensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs Blend_ValueTensor:$result);
  let assemblyFormat = [{
    $input `permutation` $permutation attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Blend_ClipOp : Blend_Op<"clip", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "clamp real values to [min, max] (ONNX Clip and Relu)";
  let description = [{
    `result = min(max(x, min), max)` on the real value; `min`/`max` may be
    infinite (Relu is `min = 0, max = inf`). On an exact input `x = s·(q − zp)`
    the clamp acts on the storage with the integer bounds
    `q_lo = min{q : s·(q − zp) ≥ min}` and `q_hi = max{q : s·(q − zp) ≤ max}`
    (within the storage range), which is the same function.

    ```mlir
    %r = blend.clip %x min 0.0 max 0x7FF0000000000000
        : tensor<1x16x8x8x!blend.fixed<si8, 6.250000e-02>>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnySignedInteger, Blend_FixedType]>:$input,
                       F64Attr:$min, F64Attr:$max);
  let results = (outs RankedTensorOf<[AnyFloat, AnySignedInteger, Blend_FixedType]>:$result);
  let assemblyFormat = "$input `min` $min `max` $max attr-dict `:` type($input)";
  let hasVerifier = 1;
  // A clamp that keeps every storage value of an exact type (a Relu after a
  // requant to an unsigned type) folds to its input.
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The storage bounds [q_lo, q_hi] of the clamp on an exact element type
    /// (clamped to the storage range; q_lo > q_hi when the interval holds no
    /// representable value).
    static std::pair<int64_t, int64_t> getStorageBounds(mlir::Type element,
                                                        double min, double max);
  }];
}

def Blend_ConcatOp : Blend_Op<"concat", [Pure]> {
  let summary = "concatenate tensors along one axis, element type unchanged";
  let description = [{
    ONNX `Concat` of activations. Every input has the result's element type
    and rank, and the same sizes except along `axis`, where they add up.

    ```mlir
    %c = blend.concat %a, %b axis 1
        : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x16x4x4xf32>
    ```
  }];
  let arguments = (ins Variadic<Blend_ValueTensor>:$inputs, I64Attr:$axis);
  let results = (outs Blend_ValueTensor:$result);
  let assemblyFormat = [{
    $inputs `axis` $axis attr-dict `:` functional-type($inputs, results)
  }];
  let hasVerifier = 1;
}

def Blend_ChannelScaleOp : Blend_Op<"channel_scale", [Pure, SameOperandsAndResultShape]> {
  let summary = "exact value times a positive per-channel real scale, as float";
  let description = [{
    `result = real(x) · scales[c]` along `axis`, where `real(x)` is the value
    of an exact input (`s·(q − zp)`, ±1, or the integer). This is how
    per-channel weight scales (ONNX per-axis DequantizeLinear, Brevitas
    per-channel Quant, ±α binary weights of a batch norm folded into a
    convolution) survive lowering: the linear layer runs on the integer or
    binary weights and the scale moves behind it, where batch-norm folding
    and requantization absorb it per channel.

    ```mlir
    %y = blend.channel_scale %acc scales [0.5, 0.25] axis 1
        : tensor<1x2x4x4xsi8> -> tensor<1x2x4x4xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnySignedInteger, Blend_FixedType, Blend_BinaryType]>:$input,
                       DenseF64ArrayAttr:$scales, I64Attr:$axis);
  let results = (outs Blend_FloatTensor:$result);
  let assemblyFormat = [{
    $input `scales` $scales `axis` $axis attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Blend_ArgMaxOp : Blend_Op<"argmax", [Pure]> {
  let summary = "index of the largest value along one axis (ONNX TopK with k = 1)";
  let description = [{
    The position of the largest element along `axis`, that axis kept with
    size 1; of equal largest elements the lowest index wins (onnxruntime's
    TopK order). The input is float (the host's dequantized logits) or exact;
    the result is a signed 64-bit integer tensor. FINN and many deployment
    flows end a classifier with `TopK(k = 1)`: its indices output imports as
    this op, computed by the host after the output dequantizer.

    ```mlir
    %i = blend.argmax %logits axis 1 : tensor<1x10xf32> -> tensor<1x1xsi64>
    ```
  }];
  let arguments = (ins Blend_ValueTensor:$input, I64Attr:$axis);
  let results = (outs RankedTensorOf<[SI64]>:$result);
  let assemblyFormat = [{
    $input `axis` $axis attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Blend_PadOp : Blend_Op<"pad", [Pure]> {
  let summary = "constant padding (ONNX Pad, mode constant)";
  let description = [{
    Pads every dimension by `pads` = begins of dimensions 0..r-1, then ends
    (ONNX order) with `value`. Float-valued; a zero pad of the spatial
    dimensions right before a convolution folds into the convolution's own
    padding (which contributes nothing, exactly like zeros), so it never
    reaches the integer program.

    ```mlir
    %p = blend.pad %x pads [0, 0, 1, 1, 0, 0, 1, 1] value 0.0
        : tensor<1x8x4x4xf32> -> tensor<1x8x6x6xf32>
    ```
  }];
  let arguments = (ins Blend_FloatTensor:$input, DenseI64ArrayAttr:$pads, F64Attr:$value);
  let results = (outs Blend_FloatTensor:$result);
  let assemblyFormat = [{
    $input `pads` $pads `value` $value attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Blend_LayerNormOp : Blend_Op<"layer_norm", [Pure]> {
  let summary = "layer normalization over the trailing axes from `axis` (float)";
  let description = [{
    ONNX `LayerNormalization`: `(x − mean) / sqrt(var + epsilon) · scale + bias`
    with mean and variance over the axes `axis..rank−1`. Its statistics depend
    on the data, so it has no exact integer form: blend imports and evaluates
    it in float, and `blend-verify-integer` refuses a model that still needs
    it after lowering (docs/models.md: BlendMixer normalizes with BatchNorm).

    ```mlir
    %y = blend.layer_norm %x, %g, %b {axis = 2 : i64, epsilon = 1.0e-05 : f64}
        : (tensor<1x64x128xf32>, tensor<128xf32>, tensor<128xf32>) -> tensor<1x64x128xf32>
    ```
  }];
  let arguments = (ins Blend_FloatTensor:$input, Blend_FloatTensor:$scale,
                       Optional<Blend_FloatTensor>:$bias, I64Attr:$axis,
                       F64Attr:$epsilon);
  let results = (outs Blend_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Blend_MultiThresholdOp : Blend_Op<"multi_threshold", [Pure, SameOperandsAndResultShape]> {
  let summary = "multi-level thresholds: out_scale · #{t : x ≥ θ_c,t} + out_bias";
  let description = [{
    QONNX/FINN `MultiThreshold`: along `axis`, channel `c` counts the
    thresholds `θ_c,0 … θ_c,steps−1` (`thresholds` holds `steps` values per
    channel, or one row for all) that the real value of `x` reaches, and
    outputs `out_scale · count + out_bias`. With a float result it is the
    graph-level op; with a `!blend.fixed` result (scale `out_scale`, zero point
    `−out_bias / out_scale`) on an exact input it is the integer layer op whose
    storage output is `count` itself (its real value `out_scale·(count − zp)`
    is the output), the comparisons being made exactly on `q` (the first `q`
    whose real value reaches each threshold).

    ```mlir
    %y = blend.multi_threshold %acc thresholds [-2.0, 0.0, 2.0] steps 3 axis 1
        out_scale 1.0 out_bias -2.0
        : tensor<1x4x8x8xsi8> -> tensor<1x4x8x8x!blend.fixed<ui2, 1.0, zp = 2>>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnySignedInteger, Blend_FixedType]>:$input,
                       DenseF64ArrayAttr:$thresholds, I64Attr:$steps, I64Attr:$axis,
                       F64Attr:$out_scale, F64Attr:$out_bias);
  let results = (outs RankedTensorOf<[AnyFloat, Blend_FixedType]>:$result);
  let assemblyFormat = [{
    $input `thresholds` $thresholds `steps` $steps `axis` $axis `out_scale` $out_scale
    `out_bias` $out_bias attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fused Blend modules
//===----------------------------------------------------------------------===//

def Blend_YieldOp : Blend_Op<"yield", [Pure, Terminator,
                                        HasParent<"BlendModuleOp">]> {
  let summary = "the results of a blend.blend_module body";
  let arguments = (ins Variadic<AnyRankedTensor>:$values);
  let assemblyFormat = "$values attr-dict `:` type($values)";
}

def Blend_BlendModuleOp : Blend_Op<"blend_module", [
    SingleBlock, RecursiveMemoryEffects]> {
  let summary = "one Blend module: binary main path and fixed-point skip path, joined";
  let description = [{
    The unit the accelerator executes: the integer layer ops of one Blend
    module (binarizer or thresholds, binary convolutions or matmuls on the
    main path, the fixed-point convolution or matmul of the skip path, the
    requants onto the join grid, the exact add, and the output requant or
    threshold), grouped by `blend-fuse-modules`. The body's block arguments
    are the module inputs; weights are constants defined outside. Executing
    the op is executing its body.

    ```mlir
    %y = blend.blend_module(%x) : (tensor<1x16x32x32x!blend.fixed<si8, 6.250000e-02>>)
        -> tensor<1x16x32x32x!blend.fixed<si8, 6.250000e-02>> {
    ^bb0(%in: tensor<1x16x32x32x!blend.fixed<si8, 6.250000e-02>>):
      ...
      blend.yield %out : tensor<1x16x32x32x!blend.fixed<si8, 6.250000e-02>>
    }
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `(` $inputs `)` attr-dict `:` functional-type($inputs, $results) $body
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    mlir::Block &getBlock() { return getBody().front(); }
    YieldOp getYield();
  }];
}


//===----------------------------------------------------------------------===//
// Hardware-level ops: a network as blend_net executes it
//===----------------------------------------------------------------------===//

def Blend_NetworkOp : Blend_Op<"network", [
    SingleBlock, NoTerminator, IsolatedFromAbove]> {
  let summary = "a whole network as a program of blend_net layer steps";
  let description = [{
    The hardware-level form of `@main` (docs/hardware.md, "Whole networks"):
    its body is the ordered list of step ops (`blend.layer_step`, `blend.transpose_step`, `blend.load_step`, `blend.copy_step`, `blend.pool_step`) the accelerator
    executes, its block argument the input image in the activation memory.
    `blend-form-network` creates it next to `@main`; `blend-tile`,
    `blend-stripe`, `blend-pack-dsp` and `blend-allocate-buffers` refine it;
    the schedule exporter (`blend-translate --export-network`) only reads it.

    * `hardware` — blend_net's parameters as far as the passes so far chose
      them (`#blend.datapath`: `fixed_channels`, `lanes`, `pe`, `folds`, ...,
      `depth`; names as in the schedule's text dump, docs/schedule-format.md),
    * `input` — the host quantizer and the float steps before it
      (`#blend.host_input`),
    * `output` — the host dequantizer and the float steps after it
      (`#blend.host_output`).

    ```mlir
    blend.network {hardware = #blend.datapath<fixed_channels = 4, lanes = 8>,
                   input = #blend.host_input<scale = 1.0 : f64, ..., c = 1, h = 8, w = 8>,
                   output = #blend.host_output<binary = 0, ..., c = 10, h = 1, w = 1>} {
    ^bb0(%in: !blend.buffer):
      %0 = blend.layer_step skip(%in) {fields = #blend.step<o = 8, ...>, ...}
      %1 = blend.layer_step skip(%0) {fields = #blend.step<stream = 1, ...>, ...}
    }
    ```
  }];
  let arguments = (ins Blend_DatapathAttr:$hardware,
                       Blend_HostInputAttr:$input, Blend_HostOutputAttr:$output);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    mlir::Block &getBlock() { return getBody().front(); }
    /// The input image's buffer (the body's only argument).
    mlir::Value getInputBuffer() { return getBlock().getArgument(0); }
  }];
}

/// The five kinds of step share their operands and records (so the network
/// passes treat them alike, Blend_StepOpInterface); each verifies what its
/// kind may hold.
class Blend_StepOpBase<string mnemonic, string kindSummary>
    : Blend_Op<mnemonic, [AttrSizedOperandSegments, HasParent<"NetworkOp">,
                          Blend_StepOpInterface]> {
  let summary = kindSummary;
  let arguments = (ins Optional<Blend_BufferType>:$main,
                       Optional<Blend_BufferType>:$skip,
                       Optional<Blend_BufferType>:$into,
                       Blend_StepAttr:$fields,
                       Blend_ChannelConstantsAttr:$constants,
                       OptionalAttr<SignlessIntElementsAttr<64>>:$binary_weights,
                       OptionalAttr<SignlessIntElementsAttr<8>>:$fixed_weights,
                       StrAttr:$traced_op, UnitAttr:$channel_last,
                       OptionalAttr<I64Attr>:$main_acc_width,
                       OptionalAttr<I64Attr>:$skip_acc_width,
                       OptionalAttr<I64Attr>:$skip_magnitude,
                       UnitAttr:$whole,
                       OptionalAttr<I64Attr>:$band_begin,
                       OptionalAttr<I64Attr>:$band_rows);
  let results = (outs Blend_BufferType:$result);
  let assemblyFormat = [{
    (`main` `(` $main^ `)`)? (`skip` `(` $skip^ `)`)? (`into` `(` $into^ `)`)?
    attr-dict
  }];
  let hasVerifier = 1;
}

def Blend_LayerStepOp : Blend_StepOpBase<"layer_step",
    "one layer step of blend_net: a descriptor with its weights"> {
  let description = [{
    One output tensor (or one output-channel tile of it): the binary main path
    reading `main`, the fixed-point skip path reading `skip`, their join and
    output stage — or, with `transpose = 1`, a transpose of `skip`. `into` is
    the tensor an output-channel tile after the first writes its channels of
    (`out_offset` > 0); the result is then the same storage.

    * `fields` — the descriptor (`#blend.step`: the fields by name,
      docs/schedule-format.md; a missing field is 0),
    * `constants` — per-channel `main_`, `skip_`, `out_` `multiplier`,
      `shift`, `bias` arrays of `o` entries (`#blend.constants`; a missing
      one is all 0; a transpose has none),
    * `binary_weights` (48-bit rows as i64) and `fixed_weights` (i8), laid out
      per lane as the schedule stores them,
    * `traced_op` and the op's location — the IR op whose value the pass
      produces, which the co-simulation taps compare against,
    * `main_acc_width` / `skip_acc_width` — the paths' accumulator widths,
    * `skip_magnitude` — the largest |q − zp| the skip path reads (its source
      tensor's storage range): with the weights it bounds every product, which
      decides whether `blend-pack-dsp` may pair pixels (four products per DSP),
    * `whole` — a row stripe of a tensor stored whole (`full_h` rows): the
      pass writes rows `row_begin` .. `row_begin + oh − 1` of it; a stripe
      after the first writes `into` the previous stripe's tensor
      (`blend-stripe`),
    * `band_begin`, `band_rows` — a row stripe of a tensor whose rows are
      kept between stripes (`blend-stripe{keep-rows}`): its storage of
      `band_rows` rows holds the layer's rows from `band_begin` on, and the
      pass writes its rows `row_begin` .. `row_begin + oh − 1` there; every
      stripe after the first writes `into` the previous stripe's storage. A
      copy step (`load = 2`) moves the rows kept for the next stripe to the
      top of that storage.

    ```mlir
    %1 = blend.layer_step main(%0) skip(%0) {fields = #blend.step<main_en = 1,
        o = 16, oh = 8, ow = 8, skip_en = 1, ...>,
        constants = #blend.constants<main_multiplier = [...], ...>,
        binary_weights = dense<...> : tensor<144xi64>,
        fixed_weights = dense<...> : tensor<576xi8>, traced_op = "binarize"}
    ```
  }];
}

def Blend_TransposeStepOp : Blend_StepOpBase<"transpose_step",
    "a transpose step: O pixels of OW channels become OW pixels of O channels"> {
  let description = [{
    Reads `skip` (a tensor of O pixels x OW channels) and writes its
    transpose (docs/hardware.md, "Layouts and transpose steps"): the
    descriptor has `transpose = 1`; no constants, no weights.

    ```mlir
    %t = blend.transpose_step skip(%x) {fields = #blend.step<o = 8, oh = 1,
        ow = 16, transpose = 1, ...>, constants = #blend.constants<>,
        traced_op = "transpose"}
    ```
  }];
}

def Blend_LoadStepOp : Blend_StepOpBase<"load_step",
    "a load step: input rows of a row-striped network from the stream"> {
  let description = [{
    Takes OH x OW input pixels from the AXI4-Stream into the memory at its
    result (docs/hardware.md, "Row stripes"): `load = 1`, no inputs, rows
    `row_begin` .. of the image.

    ```mlir
    %l = blend.load_step {fields = #blend.step<load = 1, oh = 6, ow = 32,
        row_begin = 0, ...>, constants = #blend.constants<>, traced_op = "load"}
    ```
  }];
}

def Blend_CopyStepOp : Blend_StepOpBase<"copy_step",
    "a copy step: the rows a stripe keeps for the next one's halo"> {
  let description = [{
    Moves OH x OW pixels from `s_src` to the top of a kept-rows stripe's
    storage (`into`, `band_begin` / `band_rows`; `load = 2`): the rows the
    next stripe reads again (docs/hardware.md, "Row stripes").

    ```mlir
    %c = blend.copy_step into(%b) {fields = #blend.step<load = 2, oh = 2,
        ...>, constants = #blend.constants<>, band_begin = 4, band_rows = 6,
        traced_op = "copy"}
    ```
  }];
}

def Blend_PoolStepOp : Blend_StepOpBase<"pool_step",
    "a pool step: the max of each window of a stored tensor"> {
  let description = [{
    Reads `skip` (C = `s_c` channels of `s_h` x `s_w` pixels) and writes the
    max of every `s_kh` x `s_kw` window at stride `s_stride` (no padding) as
    `oh` x `ow` pixels of `o` = C channels (docs/hardware.md, "Pool steps"):
    `pool` says what the tensor holds — 1 +-1 bits (the max is their OR),
    2 signed bytes. No constants, no weights.

    ```mlir
    %p = blend.pool_step skip(%x) {fields = #blend.step<o = 64, oh = 14,
        ow = 14, pool = 1, s_c = 64, s_h = 28, s_w = 28, s_kh = 2, s_kw = 2,
        s_stride = 2, ...>, constants = #blend.constants<>,
        traced_op = "max_pool2d"}
    ```
  }];
}

#endif // BLEND_OPS_TD
