//===- Elementwise.cpp - ONNX elementwise, comparison and plumbing ops ----===//
//
// Add → blend.add; comparisons and Where → `arith.cmpf` / `arith.select` on
// tensors (a pass recognizes the binarizer patterns among them); Identity and
// Constant are plumbing. Scalar constants are broadcast to the other operand's
// shape here; general broadcasting of non-constant tensors is refused.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/OnnxImporter.h"

#include "dialects/Blend/BlendOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace blend;

/// Returns input `inputIndex` with shape `shape`: itself when it already has
/// that shape, or — for a constant — the constant broadcast to `shape` by
/// numpy's rules (as an `arith.constant`); failure otherwise.
static FailureOr<Value> broadcastTo(NodeBinder &b, int inputIndex,
                                    ArrayRef<int64_t> shape) {
  auto value = b.tensorInput(inputIndex);
  if (failed(value))
    return failure();
  RankedTensorType type = value->getType();
  if (type.getShape() == shape)
    return Value(*value);
  ArrayRef<int64_t> from = type.getShape();
  bool broadcastable = from.size() <= shape.size();
  for (size_t d = 0; broadcastable && d < from.size(); ++d) {
    int64_t f = from[from.size() - 1 - d], t = shape[shape.size() - 1 - d];
    broadcastable = f == t || f == 1;
  }
  if (broadcastable && b.isConstantInput(inputIndex)) {
    FailureOr<DenseElementsAttr> data = b.constantInput(inputIndex);
    if (failed(data))
      return failure();
    SmallVector<Attribute> values(data->getValues<Attribute>());
    int64_t rank = int64_t(shape.size()), offset = rank - int64_t(from.size());
    SmallVector<int64_t> strides(from.size(), 1);
    for (int64_t d = int64_t(from.size()) - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * from[d + 1];
    int64_t count = 1;
    for (int64_t d : shape)
      count *= d;
    SmallVector<Attribute> expanded;
    expanded.reserve(count);
    SmallVector<int64_t> index(rank, 0);
    for (int64_t n = 0; n < count; ++n) {
      int64_t source = 0;
      for (size_t d = 0; d < from.size(); ++d)
        if (from[d] != 1)
          source += index[offset + d] * strides[d];
      expanded.push_back(values[source]);
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < shape[d])
          break;
        index[d] = 0;
      }
    }
    auto expandedType = RankedTensorType::get(shape, data->getElementType());
    return Value(b.builder().create<arith::ConstantOp>(
        b.loc(), DenseElementsAttr::get(expandedType, expanded)));
  }
  (void)b.error("input '" + b.node().input(inputIndex) +
                "' would need broadcasting, which blend supports only for "
                "constants");
  return failure();
}

/// Sub / Mul / Div of a float tensor by a tensor or a constant (broadcast to
/// it) → arith.subf / mulf / divf on tensors. Multiplying or dividing an
/// exact value by a positive constant stays exact (a per-channel scale);
/// anything else computes in float and is reported by blend-verify-integer.
template <typename OpT>
static LogicalResult importArith(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  auto lhs = b.tensorInput(0);
  if (failed(lhs))
    return failure();
  if (!isa<FloatType>(lhs->getType().getElementType()))
    return b.error("operands must be float tensors");
  FailureOr<Value> rhs = broadcastTo(b, 1, lhs->getType().getShape());
  if (failed(rhs))
    return failure();
  if (cast<RankedTensorType>(rhs->getType()).getElementType() !=
      lhs->getType().getElementType())
    return b.error("operands must have one element type");
  b.setOutput(0, b.builder().create<OpT>(b.loc(), *lhs, *rhs));
  return success();
}

/// PRelu(x, slope) = x >= 0 ? x : slope·x, as cmpf + mulf + select.
static LogicalResult importPRelu(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  auto x = b.floatTensorInput(0);
  if (failed(x))
    return failure();
  FailureOr<Value> slope = broadcastTo(b, 1, x->getType().getShape());
  if (failed(slope))
    return failure();
  OpBuilder &builder = b.builder();
  auto zero = builder.create<arith::ConstantOp>(
      b.loc(), DenseElementsAttr::get(x->getType(), 0.0f));
  Value positive = builder.create<arith::CmpFOp>(
      b.loc(), arith::CmpFPredicate::OGE, *x, zero);
  Value scaled = builder.create<arith::MulFOp>(b.loc(), *x, *slope);
  b.setOutput(0, builder.create<arith::SelectOp>(b.loc(), positive, *x, scaled));
  return success();
}

static LogicalResult importAdd(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  auto lhs = b.tensorInput(0);
  if (failed(lhs))
    return failure();
  if (!isa<FloatType>(lhs->getType().getElementType()))
    return b.error("Add operands must be float tensors");
  FailureOr<Value> rhs = broadcastTo(b, 1, lhs->getType().getShape());
  if (failed(rhs))
    return failure();
  if (cast<RankedTensorType>(rhs->getType()).getElementType() !=
      lhs->getType().getElementType())
    return b.error("Add operands must have one element type");
  b.setOutput(0, b.builder().create<AddOp>(b.loc(), lhs->getType(), *lhs,
                                           *rhs));
  return success();
}

/// Comparisons of a float tensor with a tensor or scalar constant.
static OnnxOpHandler compare(arith::CmpFPredicate predicate) {
  return [predicate](NodeBinder &b) -> LogicalResult {
    if (failed(b.onlyAttributes({})))
      return failure();
    auto lhs = b.tensorInput(0);
    if (failed(lhs))
      return failure();
    if (!isa<FloatType>(lhs->getType().getElementType()))
      return b.error("only float comparisons are supported");
    FailureOr<Value> rhs = broadcastTo(b, 1, lhs->getType().getShape());
    if (failed(rhs))
      return failure();
    b.setOutput(0, b.builder().create<arith::CmpFOp>(b.loc(), predicate, *lhs,
                                                     *rhs));
    return success();
  };
}

static LogicalResult importWhere(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  auto cond = b.tensorInput(0);
  if (failed(cond))
    return failure();
  if (!cond->getType().getElementType().isInteger(1))
    return b.error("the condition must be a boolean tensor");
  ArrayRef<int64_t> shape = cond->getType().getShape();
  FailureOr<Value> lhs = broadcastTo(b, 1, shape);
  FailureOr<Value> rhs = broadcastTo(b, 2, shape);
  if (failed(lhs) || failed(rhs))
    return failure();
  if (lhs->getType() != rhs->getType())
    return b.error("both branches must have one type");
  b.setOutput(0, b.builder().create<arith::SelectOp>(b.loc(), *cond, *lhs,
                                                     *rhs));
  return success();
}

/// Flatten(axis) → blend.reshape to [prod(dims < axis), prod(dims >= axis)].
static LogicalResult importFlatten(NodeBinder &b) {
  if (failed(b.onlyAttributes({"axis"})))
    return failure();
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  ArrayRef<int64_t> shape = x->getType().getShape();
  int64_t axis = b.intAttr("axis").value_or(1);
  if (axis < 0)
    axis += int64_t(shape.size());
  if (axis < 0 || axis > int64_t(shape.size()))
    return b.error("axis is out of range");
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < int64_t(shape.size()); ++d)
    (d < axis ? outer : inner) *= shape[d];
  auto type = RankedTensorType::get({outer, inner}, x->getType().getElementType());
  b.setOutput(0, b.builder().create<ReshapeOp>(b.loc(), type, *x));
  return success();
}

/// Relu → blend.clip [0, inf).
static LogicalResult importRelu(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  auto x = b.floatTensorInput(0);
  if (failed(x))
    return failure();
  OpBuilder &builder = b.builder();
  b.setOutput(0, builder.create<ClipOp>(b.loc(), x->getType(), *x,
                                        builder.getF64FloatAttr(0.0),
                                        builder.getF64FloatAttr(INFINITY)));
  return success();
}

/// Clip(x, min, max) with constant (or omitted) bounds → blend.clip.
/// The fixed-point type whose storage range is exactly [lo, hi] with the
/// scale and zero point of `like`: a signed or unsigned width, narrow or
/// not (QCDQ's sub-8-bit ranges); null when no such type exists.
static FixedType fixedTypeForRange(FixedType like, int64_t lo, int64_t hi) {
  MLIRContext *ctx = like.getContext();
  for (unsigned width = 1; width <= 32; ++width)
    for (bool isSigned : {false, true})
      for (bool narrow : {false, true}) {
        if ((isSigned && width < 2) || (!isSigned && narrow && width < 2))
          continue;
        int64_t min = isSigned ? -(int64_t(1) << (width - 1)) + (narrow ? 1 : 0)
                               : 0;
        int64_t max = isSigned ? (int64_t(1) << (width - 1)) - 1
                               : (int64_t(1) << width) - 1 - (narrow ? 1 : 0);
        if (min != lo || max != hi || like.getZeroPoint() < min ||
            like.getZeroPoint() > max)
          continue;
        return FixedType::get(
            IntegerType::get(ctx, width,
                             isSigned ? IntegerType::Signed : IntegerType::Unsigned),
            like.getScaleValue(), like.getZeroPoint(), narrow);
      }
  return {};
}

/// Clip of a quantized (integer) tensor, as QCDQ exports write sub-8-bit
/// quantizers: QuantizeLinear → Clip(q, lo, hi) → DequantizeLinear. Clamping
/// the rounded integer to [lo, hi] is the QuantizeLinear into the type with
/// exactly that range (clamp∘clamp); other ranges clip the exact value.
static LogicalResult importIntegerClip(NodeBinder &b,
                                       TypedValue<RankedTensorType> x) {
  auto fixed = dyn_cast<FixedType>(x.getType().getElementType());
  if (!fixed)
    return b.error("Clip of an integer tensor is supported on QuantizeLinear "
                   "outputs (QCDQ); this input is not quantized");
  int64_t bounds[2] = {fixed.getStorageMin(), fixed.getStorageMax()};
  for (int i = 0; i < 2; ++i) {
    if (!b.hasInput(i + 1))
      continue;
    FailureOr<std::vector<double>> v = b.constantDoubles(i + 1);
    if (failed(v))
      return failure();
    if (v->size() != 1 || (*v)[0] != std::floor((*v)[0]))
      return b.error(i == 0 ? "min must be an integer scalar"
                            : "max must be an integer scalar");
    bounds[i] = std::clamp(int64_t((*v)[0]), fixed.getStorageMin(),
                           fixed.getStorageMax());
  }
  if (bounds[0] > bounds[1])
    bounds[0] = bounds[1]; // ONNX: min > max sets every output to max
  OpBuilder &builder = b.builder();
  if (FixedType narrowed = fixedTypeForRange(fixed, bounds[0], bounds[1])) {
    if (auto quantize = x.getDefiningOp<QuantizeOp>()) {
      b.setOutput(0, builder.create<QuantizeOp>(
                         b.loc(),
                         RankedTensorType::get(x.getType().getShape(), narrowed),
                         quantize.getInput()));
      return success();
    }
  }
  auto real = [&](int64_t q) {
    return fixed.getScaleValue() * double(q - fixed.getZeroPoint());
  };
  b.setOutput(0, builder.create<ClipOp>(b.loc(), x.getType(), x,
                                        builder.getF64FloatAttr(real(bounds[0])),
                                        builder.getF64FloatAttr(real(bounds[1]))));
  return success();
}

static LogicalResult importClip(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  if (!isa<FloatType>(x->getType().getElementType()))
    return importIntegerClip(b, *x);
  double bounds[2] = {-INFINITY, INFINITY};
  for (int i = 0; i < 2; ++i) {
    if (!b.hasInput(i + 1))
      continue;
    FailureOr<std::vector<double>> v = b.constantDoubles(i + 1);
    if (failed(v))
      return failure();
    if (v->size() != 1)
      return b.error(i == 0 ? "min must be a scalar" : "max must be a scalar");
    bounds[i] = (*v)[0];
  }
  OpBuilder &builder = b.builder();
  if (!(bounds[0] <= bounds[1])) {
    // ONNX: min > max sets every output to max.
    bounds[0] = bounds[1];
  }
  b.setOutput(0, builder.create<ClipOp>(b.loc(), x->getType(), *x,
                                        builder.getF64FloatAttr(bounds[0]),
                                        builder.getF64FloatAttr(bounds[1])));
  return success();
}

/// Sign(x) → blend.binarize marked `blend.sign`: ONNX's Sign(0) = 0 is not a
/// binary value, so a Sign is kept only where its input provably never is 0
/// (docs/semantics.md §10). Constant inputs fold here; on activations the
/// lowering checks the input (blend-verify-integer reports a Sign that can
/// see 0 at this node).
static LogicalResult importSign(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  auto x = b.floatTensorInput(0);
  if (failed(x))
    return failure();
  RankedTensorType type = x->getType();
  OpBuilder &builder = b.builder();
  if (b.isConstantInput(0)) {
    FailureOr<std::vector<double>> values = b.constantDoubles(0);
    if (failed(values))
      return failure();
    SmallVector<float> signs;
    for (double v : *values) {
      if (v == 0.0)
        return b.error("the constant input has exact zeros, where ONNX Sign "
                       "gives 0, which is not a binary value");
      signs.push_back(v > 0 ? 1.0f : -1.0f);
    }
    b.setOutput(0, builder.create<arith::ConstantOp>(
                       b.loc(), DenseElementsAttr::get(type, ArrayRef<float>(signs))));
    return success();
  }
  auto binary = RankedTensorType::get(type.getShape(), BinaryType::get(b.context()));
  auto binarize = builder.create<BinarizeOp>(b.loc(), binary, *x);
  if (b.options().signZeroPlusOne)
    b.note("Sign(0) is read as +1, not ONNX's 0 (--sign-zero=plus-one): the "
           "model's ONNX semantics were changed here");
  else
    binarize->setAttr("blend.sign", builder.getUnitAttr());
  b.setOutput(0, builder.create<DequantizeOp>(b.loc(), type, binarize));
  return success();
}

/// Erf → math.erf (float only).
static LogicalResult importErf(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  auto x = b.floatTensorInput(0);
  if (failed(x))
    return failure();
  b.setOutput(0, b.builder().create<math::ErfOp>(b.loc(), *x));
  return success();
}

/// Gelu (opset 20) as its definition on tensors: x·(1 + erf(x/√2))/2, or the
/// tanh approximation x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))/2 (float only).
static LogicalResult importGelu(NodeBinder &b) {
  if (failed(b.onlyAttributes({"approximate"})))
    return failure();
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  RankedTensorType type = x->getType();
  if (!type.getElementType().isF32())
    return b.error("only float32 inputs are supported");
  std::string approximate = b.stringAttr("approximate").value_or("none");
  if (approximate != "none" && approximate != "tanh")
    return b.error("approximate = '" + approximate + "' is not a valid value");
  OpBuilder &builder = b.builder();
  Location loc = b.loc();
  auto splat = [&](float v) -> Value {
    return builder.create<arith::ConstantOp>(loc, DenseElementsAttr::get(type, v));
  };
  Value inner;
  if (approximate == "none") {
    inner = builder.create<math::ErfOp>(
        loc, builder.create<arith::MulFOp>(loc, *x, splat(float(M_SQRT1_2))));
  } else {
    Value cube = builder.create<arith::MulFOp>(
        loc, builder.create<arith::MulFOp>(loc, *x, *x), *x);
    Value sum = builder.create<arith::AddFOp>(
        loc, *x, builder.create<arith::MulFOp>(loc, cube, splat(0.044715f)));
    inner = builder.create<math::TanhOp>(
        loc, builder.create<arith::MulFOp>(
                 loc, sum, splat(float(std::sqrt(2.0 / M_PI)))));
  }
  Value one = builder.create<arith::AddFOp>(loc, inner, splat(1.0f));
  Value half = builder.create<arith::MulFOp>(loc, *x, splat(0.5f));
  b.setOutput(0, builder.create<arith::MulFOp>(loc, half, one));
  return success();
}

static LogicalResult importIdentity(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  FailureOr<Value> x = b.input(0);
  if (failed(x))
    return failure();
  b.setOutput(0, *x);
  return success();
}

static LogicalResult importConstant(NodeBinder &b) {
  const onnx::AttributeProto *value = b.attr("value");
  if (!value || b.node().attribute_size() != 1)
    return b.error("only Constant nodes with a 'value' tensor attribute are "
                   "supported");
  return b.setConstantOutput(0, value->t());
}

/// TopK(x, k = 1) → blend.argmax for its indices output (FINN ends its
/// classifiers this way). The values output and k > 1 are refused by name.
static LogicalResult importTopK(NodeBinder &b) {
  if (failed(b.onlyAttributes({"axis", "largest", "sorted"})))
    return failure();
  auto x = b.tensorInput(0);
  FailureOr<std::vector<int64_t>> k = b.constantInts(1);
  if (failed(x) || failed(k))
    return failure();
  if (k->size() != 1 || (*k)[0] != 1)
    return b.error("only k = 1 (an argmax) is supported");
  if (b.intAttr("largest").value_or(1) != 1)
    return b.error("largest = 0 (the smallest element) is not supported");
  if (b.isOutputUsed(0))
    return b.error("the values output is used; blend supports TopK's "
                   "indices output (an argmax) only");
  RankedTensorType type = x->getType();
  int64_t rank = type.getRank();
  int64_t axis = b.intAttr("axis").value_or(-1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return b.error("axis is out of range");
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = 1;
  OpBuilder &builder = b.builder();
  auto si64 = IntegerType::get(b.context(), 64, IntegerType::Signed);
  b.setOutput(1, builder.create<ArgMaxOp>(b.loc(),
                                          RankedTensorType::get(shape, si64), *x,
                                          builder.getI64IntegerAttr(axis)));
  return success();
}

void blend::registerElementwiseOps(OnnxOpTable &table) {
  table.onOp("", "Add", 11, importAdd);
  table.onOp("", "Sub", 11, importArith<arith::SubFOp>);
  table.onOp("", "Mul", 11, importArith<arith::MulFOp>);
  table.onOp("", "Div", 11, importArith<arith::DivFOp>);
  table.onOp("", "PRelu", 11, importPRelu);
  table.onOp("", "Erf", 13, importErf);
  table.onOp("", "Gelu", 20, importGelu);
  table.onOp("", "Greater", 11, compare(arith::CmpFPredicate::OGT));
  table.onOp("", "GreaterOrEqual", 12, compare(arith::CmpFPredicate::OGE));
  table.onOp("", "Less", 11, compare(arith::CmpFPredicate::OLT));
  table.onOp("", "LessOrEqual", 12, compare(arith::CmpFPredicate::OLE));
  table.onOp("", "Where", 11, importWhere);
  table.onOp("", "Identity", 11, importIdentity);
  table.onOp("", "Relu", 11, importRelu);
  table.onOp("", "Sign", 11, importSign);
  table.onOp("", "Clip", 11, importClip);
  table.onOp("", "TopK", 11, importTopK);
  table.onOp("", "Flatten", 11, importFlatten);
  table.onOp("", "Constant", 11, importConstant);
}
