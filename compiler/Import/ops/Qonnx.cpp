//===- Qonnx.cpp - QONNX / Brevitas quantization ops ----------------------===//
//
// The custom ops Brevitas and qonnx write (domains qonnx.custom_op.general,
// the older finn.custom_op.general, and Brevitas's onnx.brevitas):
//
//  * Quant / IntQuant(x, scale, zeropt, bitwidth): fake quantization,
//    y = (clamp(round(x / s + zp)) − zp)·s. On a constant (weights) every
//    attribute combination is folded here with qonnx's exact float32
//    arithmetic; on an activation it becomes blend.quantize + dequantize,
//    which is the same function when zp = 0 and the rounding is ROUND (ties
//    to even); a narrow range is the fixed-point type's `narrow` flag (qonnx
//    clamps to [min_int, max_int] before rounding, which for integer bounds
//    equals rounding then saturating). Other activation forms are refused.
//  * BipolarQuant(x, scale): y = (x ≥ 0 ? 1 : −1)·s → blend.binarize on
//    activations (s = 1); folded on constants.
//  * MultiThreshold(x, thresholds): y = out_scale·#{t : x ≥ θ_c,t} + out_bias.
//    The bipolar form (one threshold per channel, out_scale 2, out_bias −1,
//    as FINN's streamlining writes a BatchNorm + sign) is
//    binarize(batch_norm(x; γ = 1, β = −θ, μ = 0, σ² = 1, ε = 0)), which the
//    passes lower to an exact integer threshold like any batch norm.
//
// Trunc and multi-level MultiThreshold are refused by name (not supported
// yet), never approximated.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/OnnxImporter.h"

#include "dialects/Blend/BlendOps.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace blend;

/// A single constant value of input `i` (a scalar or one-element tensor).
static FailureOr<double> scalarInput(NodeBinder &b, int i, StringRef what) {
  FailureOr<std::vector<double>> values = b.constantDoubles(i);
  if (failed(values))
    return failure();
  if (values->size() != 1) {
    (void)b.error(llvm::formatv("{0} has {1} values; only one per tensor is "
                                "supported yet",
                                what, values->size()));
    return failure();
  }
  return (*values)[0];
}

/// The integer range of a `bits`-wide Quant: [−2^(b−1) (+1 if narrow),
/// 2^(b−1) − 1] signed, [0, 2^b − 1 (−1 if narrow)] unsigned (qonnx's
/// min_int / max_int).
static std::pair<int64_t, int64_t> quantRange(bool isSigned, bool narrow,
                                              unsigned bits) {
  if (isSigned)
    return {-(int64_t(1) << (bits - 1)) + (narrow ? 1 : 0),
            (int64_t(1) << (bits - 1)) - 1};
  return {0, (int64_t(1) << bits) - 1 - (narrow ? 1 : 0)};
}

/// qonnx's resolve_rounding_mode on a float32 value.
static std::optional<float> roundWith(StringRef mode, float v) {
  if (mode == "ROUND" || mode == "HALF_EVEN")
    return std::nearbyint(v); // default mode: ties to even, as np.round
  if (mode == "FLOOR")
    return std::floor(v);
  if (mode == "CEIL")
    return std::ceil(v);
  if (mode == "ROUND_TO_ZERO")
    return std::trunc(v);
  return std::nullopt;
}

/// Quant on constant weights with one scale per output channel (Brevitas's
/// per-channel weight quantizers: scale of shape [C, 1, 1, 1] or [C]): the
/// integers, folded with qonnx's float32 arithmetic, under blend.channel_scale.
static LogicalResult importPerChannelQuant(NodeBinder &b,
                                           DenseElementsAttr scaleData) {
  RankedTensorType type = cast<RankedTensorType>((*b.tensorInput(0)).getType());
  ArrayRef<int64_t> sShape = scaleData.getType().getShape();
  // The channel axis: the one scale dimension that is not 1 (aligned right).
  int64_t axis = -1, offset = type.getRank() - int64_t(sShape.size());
  for (size_t d = 0; d < sShape.size(); ++d)
    if (sShape[d] != 1) {
      if (axis >= 0 || offset < 0)
        return b.error("scales must vary along one axis");
      axis = offset + int64_t(d);
    }
  if (sShape.size() == 1)
    axis = 0; // a [C] scale on weights: the output channels
  if (axis < 0 || axis >= type.getRank() ||
      type.getDimSize(axis) != scaleData.getNumElements())
    return b.error("the scale does not match a weight axis");
  FailureOr<double> zeroPoint = scalarInput(b, 2, "zero point");
  FailureOr<double> bitWidth = scalarInput(b, 3, "bit width");
  FailureOr<std::vector<double>> scales = b.constantDoubles(1);
  FailureOr<std::vector<double>> values = b.constantDoubles(0);
  if (failed(zeroPoint) || failed(bitWidth) || failed(scales) || failed(values))
    return failure();
  if (*zeroPoint != 0.0)
    return b.error("per-channel weights need zero point 0");
  if (*bitWidth != std::floor(*bitWidth) || *bitWidth < 2 || *bitWidth > 32)
    return b.error("per-channel weights need an integer bit width from 2 to 32");
  if (llvm::any_of(*scales, [](double v) { return !(v > 0.0); }))
    return b.error("per-channel scales must be positive");
  if (llvm::any_of(*values, [](double v) { return std::isnan(v); }))
    return b.error("the constant to quantize holds a NaN");
  bool isSigned = b.intAttr("signed").value_or(1) != 0;
  bool narrow = b.intAttr("narrow").value_or(0) != 0;
  std::string mode = b.stringAttr("rounding_mode").value_or("ROUND");
  if (!roundWith(mode, 0.0f))
    return b.error("rounding_mode '" + mode + "' is not supported");
  unsigned bits = unsigned(*bitWidth);
  auto [qMin, qMax] = quantRange(isSigned, narrow, bits);
  int64_t inner = 1, channels = type.getDimSize(axis);
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  SmallVector<APInt> ints;
  for (size_t i = 0; i < values->size(); ++i) {
    float sc = float((*scales)[(int64_t(i) / inner) % channels]);
    float y = std::clamp(float((*values)[i]) / sc, float(qMin), float(qMax));
    ints.push_back(APInt(bits, uint64_t(int64_t(*roundWith(mode, y))), isSigned));
  }
  auto storage = IntegerType::get(b.context(), bits,
                                  isSigned ? IntegerType::Signed
                                           : IntegerType::Unsigned);
  OpBuilder &builder = b.builder();
  Value exact = builder.create<ConstantOp>(
      b.loc(),
      RankedTensorType::get(type.getShape(), FixedType::get(storage, 1.0)),
      DenseElementsAttr::get(
          RankedTensorType::get(type.getShape(), IntegerType::get(b.context(), bits)),
          ints));
  SmallVector<double> scaleValues;
  for (double v : *scales)
    scaleValues.push_back(double(float(v)));
  b.setOutput(0, builder.create<ChannelScaleOp>(
                     b.loc(), type, exact, builder.getDenseF64ArrayAttr(scaleValues),
                     builder.getI64IntegerAttr(axis)));
  return success();
}

/// Quant / IntQuant.
static LogicalResult importQuant(NodeBinder &b) {
  if (failed(b.onlyAttributes({"signed", "narrow", "rounding_mode"})))
    return failure();
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  if (!x->getType().getElementType().isF32())
    return b.error("the input must be float32");
  FailureOr<DenseElementsAttr> scaleData = b.constantInput(1);
  if (failed(scaleData))
    return failure();
  if (scaleData->getNumElements() > 1 && b.isConstantInput(0))
    return importPerChannelQuant(b, *scaleData);
  FailureOr<double> scale = scalarInput(b, 1, "scale");
  FailureOr<double> zeroPoint = scalarInput(b, 2, "zero point");
  FailureOr<double> bitWidth = scalarInput(b, 3, "bit width");
  if (failed(scale) || failed(zeroPoint) || failed(bitWidth))
    return failure();
  bool isSigned = b.intAttr("signed").value_or(1) != 0;
  bool narrow = b.intAttr("narrow").value_or(0) != 0;
  std::string mode = b.stringAttr("rounding_mode").value_or("ROUND");
  if (!(*scale > 0.0) || !std::isfinite(*scale))
    return b.error("scale must be positive and finite");
  if (*zeroPoint != std::floor(*zeroPoint))
    return b.error("the zero point must be an integer");
  if (!(std::fabs(*zeroPoint) <= 0x1p32)) // and finite (found by the fuzzer)
    return b.error("the zero point must lie within 32-bit integers");
  if (*bitWidth != std::floor(*bitWidth) || *bitWidth < 1 || *bitWidth > 32)
    return b.error(llvm::formatv("bit width {0} is not supported (an integer "
                                 "from 1 to 32)",
                                 *bitWidth));
  if (!roundWith(mode, 0.0f))
    return b.error("rounding_mode '" + mode + "' is not supported (ROUND, "
                   "HALF_EVEN, FLOOR, CEIL, ROUND_TO_ZERO)");
  unsigned bits = unsigned(*bitWidth);
  int64_t zp = int64_t(*zeroPoint);
  OpBuilder &builder = b.builder();
  RankedTensorType floatType = x->getType();
  float s32 = float(*scale), zp32 = float(*zeroPoint);

  // qonnx turns a signed 1-bit Quant into a bipolar one: (x/s + zp ≥ 0 ? ±1).
  if (bits == 1 && isSigned) {
    if (zp != 0)
      return b.error("a signed 1-bit Quant with a non-zero zero point is not "
                     "supported");
    if (*scale != 1.0 && !b.isConstantInput(0))
      return b.error("a bipolar activation with scale other than 1 is not "
                     "supported yet");
  }

  auto [qMin, qMax] = quantRange(isSigned, narrow, bits);

  if (b.isConstantInput(0)) {
    // Weights: fold with qonnx's float32 arithmetic, clamp, then round.
    FailureOr<std::vector<double>> values = b.constantDoubles(0);
    if (failed(values))
      return failure();
    // NaN has no quantized value (rounding it to an integer is undefined:
    // found by the onnx fuzzer).
    if (llvm::any_of(*values, [](double v) { return std::isnan(v); }))
      return b.error("the constant to quantize holds a NaN");
    if (bits == 1 && isSigned) {
      SmallVector<float> folded;
      for (double v : *values)
        folded.push_back((float(v) / s32 + zp32 >= 0.0f ? 1.0f : -1.0f) * s32);
      b.setOutput(0, builder.create<ConstantOp>(
                         b.loc(), floatType,
                         DenseElementsAttr::get(floatType, ArrayRef<float>(folded))));
      return success();
    }
    auto storage = IntegerType::get(b.context(), bits,
                                    isSigned ? IntegerType::Signed
                                             : IntegerType::Unsigned);
    auto fixed = FixedType::getChecked([&] { return emitError(b.loc()); },
                                       b.context(), storage, APFloat(*scale), zp,
                                       /*narrow=*/false);
    if (!fixed)
      return b.error("invalid quantization parameters");
    SmallVector<APInt> ints;
    for (double v : *values) {
      float y = float(v) / s32 + zp32;
      y = std::clamp(y, float(qMin), float(qMax));
      int64_t q = int64_t(*roundWith(mode, y));
      ints.push_back(APInt(bits, uint64_t(q), /*isSigned=*/isSigned));
    }
    auto storageType = RankedTensorType::get(floatType.getShape(),
                                             IntegerType::get(b.context(), bits));
    Value constant = builder.create<ConstantOp>(
        b.loc(), RankedTensorType::get(floatType.getShape(), fixed),
        DenseElementsAttr::get(storageType, ints));
    b.setOutput(0, builder.create<DequantizeOp>(b.loc(), floatType, constant));
    return success();
  }

  // Activations.
  if (bits == 1 && isSigned) {
    auto binary = RankedTensorType::get(floatType.getShape(),
                                        BinaryType::get(b.context()));
    Value v = builder.create<BinarizeOp>(b.loc(), binary, *x);
    b.setOutput(0, builder.create<DequantizeOp>(b.loc(), floatType, v));
    return success();
  }
  if (zp != 0)
    return b.error("a non-zero zero point on an activation Quant is not "
                   "supported: qonnx rounds x/s + zp in float32, which differs "
                   "from rounding x/s");
  if (mode != "ROUND" && mode != "HALF_EVEN")
    return b.error("rounding_mode '" + mode + "' on an activation is not "
                   "supported (only ROUND, ties to even)");
  auto storage = IntegerType::get(b.context(), bits,
                                  isSigned ? IntegerType::Signed
                                           : IntegerType::Unsigned);
  auto fixed = FixedType::getChecked([&] { return emitError(b.loc()); },
                                     b.context(), storage, APFloat(*scale), int64_t(0),
                                     narrow);
  if (!fixed)
    return b.error("invalid quantization parameters");
  Value q = builder.create<QuantizeOp>(
      b.loc(), RankedTensorType::get(floatType.getShape(), fixed), *x);
  b.setOutput(0, builder.create<DequantizeOp>(b.loc(), floatType, q));
  return success();
}

/// BipolarQuant(x, scale).
static LogicalResult importBipolarQuant(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  auto x = b.tensorInput(0);
  FailureOr<std::vector<double>> scale = b.constantDoubles(1);
  if (failed(x) || failed(scale))
    return failure();
  RankedTensorType floatType = x->getType();
  if (!floatType.getElementType().isF32())
    return b.error("the input must be float32");
  OpBuilder &builder = b.builder();
  bool unitScale = scale->size() == 1 && (*scale)[0] == 1.0;
  if (b.isConstantInput(0) && !unitScale) {
    // ±s weights (per tensor, or broadcast along the last axes).
    FailureOr<std::vector<double>> values = b.constantDoubles(0);
    if (failed(values))
      return failure();
    if (values->size() % scale->size() != 0)
      return b.error("the scale does not broadcast to the input");
    size_t inner = values->size() / scale->size();
    SmallVector<float> folded;
    for (size_t i = 0; i < values->size(); ++i)
      folded.push_back(((*values)[i] >= 0.0 ? 1.0f : -1.0f) *
                       float((*scale)[scale->size() == 1 ? 0 : i / inner]));
    b.setOutput(0, builder.create<ConstantOp>(
                       b.loc(), floatType,
                       DenseElementsAttr::get(floatType, ArrayRef<float>(folded))));
    return success();
  }
  if (!unitScale)
    return b.error("a bipolar activation with a scale other than 1 is not "
                   "supported yet");
  // binarize folds on constants; x ≥ 0 → +1 (also for x = 0, as qonnx).
  auto binary = RankedTensorType::get(floatType.getShape(),
                                      BinaryType::get(b.context()));
  Value v = builder.create<BinarizeOp>(b.loc(), binary, *x);
  b.setOutput(0, builder.create<DequantizeOp>(b.loc(), floatType, v));
  return success();
}

/// MultiThreshold, bipolar form.
static LogicalResult importMultiThreshold(NodeBinder &b) {
  if (failed(b.onlyAttributes(
          {"out_dtype", "out_scale", "out_bias", "data_layout"})))
    return failure();
  auto x = b.tensorInput(0);
  auto thresholds = b.constantDoubles(1);
  if (failed(x) || failed(thresholds))
    return failure();
  FailureOr<DenseElementsAttr> thresholdData = b.constantInput(1);
  if (failed(thresholdData))
    return failure();
  RankedTensorType floatType = x->getType();
  if (!floatType.getElementType().isF32())
    return b.error("the input must be float32");
  int64_t rank = floatType.getRank();
  if (rank == 0)
    return b.error("the input must have a channel axis (it is a scalar)");
  std::string layout = b.stringAttr("data_layout").value_or("");
  int64_t axis;
  if (layout.empty() || layout == "NCHW" || layout == "NC")
    axis = rank >= 2 ? 1 : 0;
  else if (layout == "NHWC" || layout == "NWC")
    axis = rank - 1;
  else
    return b.error("data_layout '" + layout + "' is not supported");
  ArrayRef<int64_t> tShape = thresholdData->getType().getShape();
  if (tShape.size() != 2)
    return b.error("thresholds must have shape [C, T]");
  int64_t channels = floatType.getDimSize(axis);
  if (tShape[0] != channels && tShape[0] != 1)
    return b.error(llvm::formatv("thresholds have {0} rows for {1} channels",
                                 tShape[0], channels));
  float outScale = b.floatAttr("out_scale").value_or(1.0f);
  float outBias = b.floatAttr("out_bias").value_or(0.0f);
  OpBuilder &builder = b.builder();
  if (tShape[1] != 1 || outScale != 2.0f || outBias != -1.0f) {
    // Multi-level (or non-bipolar) thresholds: blend.multi_threshold.
    if (!(outScale > 0.0f))
      return b.error("out_scale must be positive");
    b.setOutput(0, builder.create<MultiThresholdOp>(
                       b.loc(), floatType, *x,
                       builder.getDenseF64ArrayAttr(*thresholds),
                       builder.getI64IntegerAttr(tShape[1]),
                       builder.getI64IntegerAttr(axis),
                       builder.getF64FloatAttr(outScale),
                       builder.getF64FloatAttr(outBias)));
    return success();
  }
  auto vecType = RankedTensorType::get({channels}, builder.getF32Type());
  SmallVector<float> minusTheta, zeros(size_t(channels), 0.0f),
      ones(size_t(channels), 1.0f);
  for (int64_t c = 0; c < channels; ++c)
    minusTheta.push_back(-float((*thresholds)[tShape[0] == 1 ? 0 : c]));
  auto vec = [&](ArrayRef<float> v) -> Value {
    return builder.create<ConstantOp>(b.loc(), vecType,
                                      DenseElementsAttr::get(vecType, v));
  };
  // y = 1·(x − 0)/sqrt(1 + 0) − θ = x − θ exactly; binarize: x ≥ θ → +1.
  Value shifted = builder.create<BatchNormOp>(
      b.loc(), floatType, *x, vec(ones), vec(minusTheta), vec(zeros), vec(ones),
      builder.getF64FloatAttr(0.0), builder.getI64IntegerAttr(axis));
  auto binary = RankedTensorType::get(floatType.getShape(),
                                      BinaryType::get(b.context()));
  Value v = builder.create<BinarizeOp>(b.loc(), binary, shifted);
  b.setOutput(0, builder.create<DequantizeOp>(b.loc(), floatType, v));
  return success();
}

/// Trunc (QONNX opset 1; rounding FLOOR or ROUND):
/// y = (round_mode(round(x/s + zp) / 2^(in − out)) − zp)·s, as qonnx computes
/// it. With zp = 0 this is quantize(x) to in_bits, then a requant by 2^−k
/// with that rounding, at scale s — exact integer ops after lowering.
static LogicalResult importTrunc(NodeBinder &b) {
  if (failed(b.onlyAttributes({"rounding_mode"})))
    return failure();
  if (b.opset() != 1)
    return b.error(llvm::formatv("Trunc of QONNX opset {0} is not supported "
                                 "(opset 1)",
                                 b.opset()));
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  if (!x->getType().getElementType().isF32())
    return b.error("the input must be float32");
  FailureOr<double> scale = scalarInput(b, 1, "scale");
  FailureOr<double> zeroPoint = scalarInput(b, 2, "zero point");
  FailureOr<double> inBits = scalarInput(b, 3, "input bit width");
  FailureOr<double> outBits = scalarInput(b, 4, "output bit width");
  if (failed(scale) || failed(zeroPoint) || failed(inBits) || failed(outBits))
    return failure();
  if (*zeroPoint != 0.0)
    return b.error("a non-zero zero point is not supported");
  if (!(*scale > 0.0))
    return b.error("scale must be positive");
  if (*inBits != std::floor(*inBits) || *outBits != std::floor(*outBits) ||
      *outBits < 2 || *inBits < *outBits || *inBits > 32)
    return b.error("bit widths must be integers with 2 <= output <= input <= 32");
  std::string mode = b.stringAttr("rounding_mode").value_or("FLOOR");
  RoundingMode rounding;
  if (mode == "FLOOR")
    rounding = RoundingMode::Floor;
  else if (mode == "ROUND" || mode == "HALF_EVEN")
    rounding = RoundingMode::HalfEven;
  else
    return b.error("rounding_mode '" + mode + "' is not supported (FLOOR, ROUND)");
  MLIRContext *ctx = b.context();
  OpBuilder &builder = b.builder();
  RankedTensorType floatType = x->getType();
  auto inFixed = FixedType::get(
      IntegerType::get(ctx, unsigned(*inBits), IntegerType::Signed),
      double(float(*scale)));
  // Trunc v1 does not clamp: rounding to nearest can reach 2^(out−1), one past
  // the out_bits range, so that output gets one more bit.
  unsigned outWidth =
      unsigned(*outBits) + (rounding == RoundingMode::Floor ? 0 : 1);
  auto outFixed = FixedType::get(
      IntegerType::get(ctx, outWidth, IntegerType::Signed),
      double(float(*scale)));
  // qonnx rounds x/s without clamping to the input width; a value outside it
  // is not a valid Trunc input, so saturation at in_bits is the contract.
  Value q = builder.create<QuantizeOp>(
      b.loc(), RankedTensorType::get(floatType.getShape(), inFixed), *x);
  int64_t k = int64_t(*inBits - *outBits);
  Value t = builder.create<RequantOp>(
      b.loc(), RankedTensorType::get(floatType.getShape(), outFixed), q,
      builder.getDenseI64ArrayAttr({1}), builder.getDenseI64ArrayAttr({k}),
      builder.getDenseI64ArrayAttr({0}), RoundingModeAttr::get(ctx, rounding),
      builder.getI64IntegerAttr(floatType.getRank() >= 2 ? 1 : 0));
  b.setOutput(0, builder.create<DequantizeOp>(b.loc(), floatType, t));
  return success();
}

static constexpr StringLiteral kQonnxDomains[] = {
    "qonnx.custom_op.general", "finn.custom_op.general", "onnx.brevitas"};

bool blend::isQonnxDomain(StringRef domain) {
  return llvm::is_contained(kQonnxDomains, domain);
}

void blend::registerQonnxOps(OnnxOpTable &table) {
  for (StringRef domain : kQonnxDomains) {
    table.onOp(domain, "Quant", 1, importQuant);
    table.onOp(domain, "IntQuant", 1, importQuant);
    table.onOp(domain, "BipolarQuant", 1, importBipolarQuant);
    table.onOp(domain, "MultiThreshold", 1, importMultiThreshold);
    table.onOp(domain, "Trunc", 1, importTrunc);
  }
}
