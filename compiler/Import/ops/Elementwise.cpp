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

using namespace mlir;
using namespace blend;

/// Returns `value` with shape `shape`: itself when it already has that shape,
/// a splat `arith.constant` when it is a single-element constant; failure
/// otherwise.
static FailureOr<Value> broadcastTo(NodeBinder &b, int inputIndex,
                                    ArrayRef<int64_t> shape) {
  auto value = b.tensorInput(inputIndex);
  if (failed(value))
    return failure();
  RankedTensorType type = value->getType();
  if (type.getShape() == shape)
    return Value(*value);
  if (type.getNumElements() == 1) {
    if (auto constant = value->getDefiningOp<ConstantOp>()) {
      auto data = cast<DenseElementsAttr>(constant.getValue());
      auto splatType = RankedTensorType::get(shape, data.getElementType());
      auto splat = DenseElementsAttr::get(splatType,
                                          data.getValues<Attribute>()[0]);
      return Value(b.builder().create<arith::ConstantOp>(b.loc(), splat));
    }
  }
  (void)b.error("input '" + b.node().input(inputIndex) +
                "' would need broadcasting, which blend supports only for "
                "single-element constants");
  return failure();
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

void blend::registerElementwiseOps(OnnxOpTable &table) {
  table.onOp("", "Add", 11, importAdd);
  table.onOp("", "Greater", 11, compare(arith::CmpFPredicate::OGT));
  table.onOp("", "GreaterOrEqual", 12, compare(arith::CmpFPredicate::OGE));
  table.onOp("", "Less", 11, compare(arith::CmpFPredicate::OLT));
  table.onOp("", "LessOrEqual", 12, compare(arith::CmpFPredicate::OLE));
  table.onOp("", "Where", 11, importWhere);
  table.onOp("", "Identity", 11, importIdentity);
  table.onOp("", "Flatten", 11, importFlatten);
  table.onOp("", "Constant", 11, importConstant);
}
