//===- Quantization.cpp - ONNX QuantizeLinear / DequantizeLinear ----------===//
//
// The QDQ form of quantized models. An integer tensor never exists on its own
// in blend IR: QuantizeLinear yields a `!blend.fixed` value that carries its
// scale and zero point, and a DequantizeLinear of an integer initializer
// re-types the constant as fixed-point. Scales and zero points must be
// compile-time constants; per-axis (per-channel) and blocked quantization are
// refused by name.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/OnnxImporter.h"

#include "dialects/Blend/BlendOps.h"
#include "runtime/golden/Kernels.h"

#include "llvm/Support/FormatVariadic.h"

#include <cstdio>

using namespace mlir;
using namespace blend;

/// A real number for messages: up to 9 significant digits, no padding.
static std::string formatReal(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.9g", value);
  return buffer;
}

/// Scale and zero point of a QDQ node (inputs 1 and 2), with the storage type
/// given by the zero point's type (ONNX: uint8 when it is absent).
struct QuantParams {
  double scale;
  int64_t zeroPoint;
  IntegerType storage;
  /// All scales (one, or one per slice along `axis` for per-axis weights).
  std::vector<double> scales;
};

/// The axis of a per-axis QDQ node (ONNX default 1), normalized.
static FailureOr<int64_t> perAxis(NodeBinder &b, int64_t rank,
                                  size_t count) {
  int64_t axis = b.intAttr("axis").value_or(1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank) {
    (void)b.error("axis is out of range");
    return failure();
  }
  return axis;
}

static FailureOr<QuantParams> quantParams(NodeBinder &b,
                                          bool allowPerAxis = false) {
  // `axis` only matters for per-axis scales, which are refused below.
  if (auto bs = b.intAttr("block_size"); bs && *bs != 0) {
    (void)b.error("blocked quantization (block_size) is not supported");
    return failure();
  }
  FailureOr<std::vector<double>> scale = b.constantDoubles(1);
  if (failed(scale))
    return failure();
  if (scale->empty()) {
    (void)b.error("the scale is an empty tensor");
    return failure();
  }
  if (scale->size() != 1 && !allowPerAxis) {
    (void)b.error(llvm::formatv("per-axis quantization ({0} scales) is "
                                "supported on constant weights only",
                                scale->size()));
    return failure();
  }
  QuantParams params{(*scale)[0], 0,
                     IntegerType::get(b.context(), 8, IntegerType::Unsigned),
                     *scale};
  if (!(params.scale > 0.0)) {
    (void)b.error("scale " + formatReal(params.scale) + " must be positive");
    return failure();
  }
  if (b.hasInput(2)) {
    FailureOr<Value> zp = b.input(2);
    FailureOr<std::vector<double>> zpValues = b.constantDoubles(2);
    if (failed(zp) || failed(zpValues))
      return failure();
    if (zpValues->empty()) { // found by the onnx fuzzer: [0] of nothing
      (void)b.error("the zero point is an empty tensor");
      return failure();
    }
    if (zpValues->size() != 1 &&
        llvm::any_of(*zpValues, [](double z) { return z != 0.0; })) {
      (void)b.error("per-axis zero points other than 0 are not supported");
      return failure();
    }
    auto zpType = dyn_cast<IntegerType>(
        cast<RankedTensorType>(zp->getType()).getElementType());
    if (!zpType || zpType.isSignless() ||
        (zpType.getWidth() != 8 && zpType.getWidth() != 16 &&
         zpType.getWidth() != 32)) {
      (void)b.error("zero point must be an int8, uint8, int16 or int32 "
                    "tensor");
      return failure();
    }
    params.storage = zpType;
    params.zeroPoint = int64_t((*zpValues)[0]);
  } else if (auto dtype = b.intAttr("output_dtype"); dtype && *dtype != 0) {
    if (*dtype == onnx::TensorProto::INT8)
      params.storage = IntegerType::get(b.context(), 8, IntegerType::Signed);
    else if (*dtype != onnx::TensorProto::UINT8) {
      (void)b.error(llvm::formatv("output_dtype {0} is not supported (int8 "
                                  "or uint8)",
                                  *dtype));
      return failure();
    }
  }
  return params;
}

static LogicalResult importQuantizeLinear(NodeBinder &b) {
  if (failed(b.onlyAttributes({"axis", "saturate", "block_size",
                               "output_dtype"})))
    return failure();
  auto x = b.tensorInput(0);
  FailureOr<QuantParams> params = quantParams(b, /*allowPerAxis=*/true);
  if (failed(x) || failed(params))
    return failure();
  if (!x->getType().getElementType().isF32())
    return b.error("QuantizeLinear input must be float32");
  if (params->scales.size() > 1) {
    // Per-axis weights: fold to the integer tensor (the DequantizeLinear that
    // follows turns it into a channel_scale of the exact weights).
    if (!b.isConstantInput(0))
      return b.error(llvm::formatv("per-axis quantization ({0} scales) is "
                                   "supported on constant weights only",
                                   params->scales.size()));
    FailureOr<int64_t> axis =
        perAxis(b, x->getType().getRank(), params->scales.size());
    FailureOr<std::vector<double>> values = b.constantDoubles(0);
    if (failed(axis) || failed(values))
      return failure();
    RankedTensorType type = x->getType();
    int64_t inner = 1, channels = type.getDimSize(*axis);
    if (int64_t(params->scales.size()) != channels)
      return b.error("the number of scales does not match the axis size");
    for (int64_t d = *axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
    unsigned width = params->storage.getWidth();
    bool isSigned = params->storage.isSigned();
    IntRange range = isSigned ? getSignedRange(width)
                              : IntRange{0, (int64_t(1) << width) - 1};
    SmallVector<APInt> q;
    for (size_t i = 0; i < values->size(); ++i) {
      int64_t c = (int64_t(i) / inner) % channels;
      q.push_back(APInt(width,
                        uint64_t(golden::quantize(float((*values)[i]),
                                                  float(params->scales[c]), 0,
                                                  {range.min, range.max})),
                        isSigned));
    }
    auto intType = RankedTensorType::get(type.getShape(), params->storage);
    b.setOutput(0, b.builder().create<ConstantOp>(
                       b.loc(), intType,
                       DenseElementsAttr::get(
                           RankedTensorType::get(type.getShape(),
                                                 IntegerType::get(b.context(), width)),
                           q)));
    return success();
  }
  auto fixed = FixedType::getChecked(
      [&] { return emitError(b.loc()); }, b.context(), params->storage,
      APFloat(params->scale), params->zeroPoint, false);
  if (!fixed)
    return b.error("invalid quantization parameters");
  auto type = RankedTensorType::get(x->getType().getShape(), fixed);
  b.setOutput(0, b.builder().create<QuantizeOp>(b.loc(), type, *x));
  return success();
}

static LogicalResult importDequantizeLinear(NodeBinder &b) {
  if (failed(b.onlyAttributes({"axis", "block_size", "output_dtype"})))
    return failure();
  auto x = b.tensorInput(0);
  FailureOr<QuantParams> params = quantParams(b, /*allowPerAxis=*/true);
  if (failed(x) || failed(params))
    return failure();
  if (params->scales.size() > 1) {
    // Per-axis integer weights: the exact weights (scale 1) with the scales
    // per channel, which the lowering moves behind the linear layer.
    auto constant = x->getDefiningOp<ConstantOp>();
    auto intType = dyn_cast<IntegerType>(x->getType().getElementType());
    if (!constant || !intType || intType.isSignless())
      return b.error(llvm::formatv("per-axis quantization ({0} scales) is "
                                   "supported on constant weights only",
                                   params->scales.size()));
    FailureOr<int64_t> axis =
        perAxis(b, x->getType().getRank(), params->scales.size());
    if (failed(axis))
      return failure();
    if (int64_t(params->scales.size()) != x->getType().getDimSize(*axis))
      return b.error("the number of scales does not match the axis size");
    if (llvm::any_of(params->scales, [](double s) { return !(s > 0.0); }))
      return b.error("per-axis scales must be positive");
    auto fixed = FixedType::get(intType, 1.0);
    Value exact = b.builder().create<ConstantOp>(
        b.loc(), RankedTensorType::get(x->getType().getShape(), fixed),
        constant.getValue());
    b.setOutput(0, b.builder().create<ChannelScaleOp>(
                       b.loc(),
                       RankedTensorType::get(x->getType().getShape(),
                                             b.builder().getF32Type()),
                       exact, b.builder().getDenseF64ArrayAttr(params->scales),
                       b.builder().getI64IntegerAttr(*axis)));
    return success();
  }
  Type element = x->getType().getElementType();
  auto floatType = RankedTensorType::get(x->getType().getShape(),
                                         b.builder().getF32Type());
  Value fixedValue;
  if (auto fixed = dyn_cast<FixedType>(element)) {
    // The output of a QuantizeLinear (possibly clipped to a narrower range,
    // QCDQ): the parameters must agree and the range lie within the storage.
    int64_t storageMin = params->storage.isSigned()
                             ? -(int64_t(1) << (params->storage.getWidth() - 1))
                             : 0;
    int64_t storageMax =
        params->storage.isSigned()
            ? (int64_t(1) << (params->storage.getWidth() - 1)) - 1
            : (int64_t(1) << params->storage.getWidth()) - 1;
    if (fixed.getScaleValue() != params->scale ||
        fixed.getZeroPoint() != params->zeroPoint ||
        fixed.getStorageMin() < storageMin || fixed.getStorageMax() > storageMax)
      return b.error("dequantizes with scale " + formatReal(params->scale) +
                     " / zero point " + llvm::Twine(params->zeroPoint) +
                     ", but its input was quantized with scale " +
                     formatReal(fixed.getScaleValue()) + " / zero point " +
                     llvm::Twine(fixed.getZeroPoint()) +
                     "; mismatched QDQ pairs are not supported");
    fixedValue = *x;
  } else if (auto constant = x->getDefiningOp<ConstantOp>();
             constant && isa<IntegerType>(element)) {
    // An integer initializer (weights, biases): re-type it as fixed-point.
    auto intType = cast<IntegerType>(element);
    if (intType.getWidth() != params->storage.getWidth() ||
        intType.getSignedness() != params->storage.getSignedness())
      return b.error("zero point type does not match the quantized input's "
                     "type");
    auto fixed = FixedType::getChecked(
        [&] { return emitError(b.loc()); }, b.context(), intType,
        APFloat(params->scale), params->zeroPoint, false);
    if (!fixed)
      return b.error("invalid quantization parameters");
    fixedValue = b.builder().create<ConstantOp>(
        b.loc(), RankedTensorType::get(x->getType().getShape(), fixed),
        constant.getValue());
  } else {
    return b.error("DequantizeLinear input must be a QuantizeLinear output "
                   "or an integer initializer");
  }
  b.setOutput(0, b.builder().create<DequantizeOp>(b.loc(), floatType,
                                                  fixedValue));
  return success();
}

void blend::registerQuantizationOps(OnnxOpTable &table) {
  table.onOp("", "QuantizeLinear", 11, importQuantizeLinear);
  table.onOp("", "DequantizeLinear", 11, importDequantizeLinear);
}
