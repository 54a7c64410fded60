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
};

static FailureOr<QuantParams> quantParams(NodeBinder &b) {
  // `axis` only matters for per-axis scales, which are refused below.
  if (auto bs = b.intAttr("block_size"); bs && *bs != 0) {
    (void)b.error("blocked quantization (block_size) is not supported");
    return failure();
  }
  FailureOr<std::vector<double>> scale = b.constantDoubles(1);
  if (failed(scale))
    return failure();
  if (scale->size() != 1) {
    (void)b.error(llvm::formatv("per-axis quantization ({0} scales) is not "
                                "supported yet; use one scale per tensor",
                                scale->size()));
    return failure();
  }
  QuantParams params{(*scale)[0], 0,
                     IntegerType::get(b.context(), 8, IntegerType::Unsigned)};
  if (!(params.scale > 0.0)) {
    (void)b.error("scale " + formatReal(params.scale) + " must be positive");
    return failure();
  }
  if (b.hasInput(2)) {
    FailureOr<Value> zp = b.input(2);
    FailureOr<std::vector<double>> zpValues = b.constantDoubles(2);
    if (failed(zp) || failed(zpValues))
      return failure();
    if (zpValues->size() != 1) {
      (void)b.error("per-axis zero points are not supported yet");
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
  FailureOr<QuantParams> params = quantParams(b);
  if (failed(x) || failed(params))
    return failure();
  if (!x->getType().getElementType().isF32())
    return b.error("QuantizeLinear input must be float32");
  auto fixed = FixedType::getChecked(
      [&] { return emitError(b.loc()); }, b.context(), params->storage,
      APFloat(params->scale), params->zeroPoint);
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
  FailureOr<QuantParams> params = quantParams(b);
  if (failed(x) || failed(params))
    return failure();
  Type element = x->getType().getElementType();
  auto floatType = RankedTensorType::get(x->getType().getShape(),
                                         b.builder().getF32Type());
  Value fixedValue;
  if (auto fixed = dyn_cast<FixedType>(element)) {
    // The output of a QuantizeLinear: the parameters must agree.
    if (fixed.getScaleValue() != params->scale ||
        fixed.getZeroPoint() != params->zeroPoint ||
        fixed.getStorageType() != params->storage)
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
        APFloat(params->scale), params->zeroPoint);
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
