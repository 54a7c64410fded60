//===- Normalization.cpp - ONNX normalization handlers --------------------===//
//
// BatchNormalization (inference form) → blend.batch_norm. Training mode and
// the running-statistics outputs are refused: an accelerator only infers.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/OnnxImporter.h"

#include "dialects/Blend/BlendOps.h"

using namespace mlir;
using namespace blend;

static LogicalResult importBatchNorm(NodeBinder &b) {
  if (failed(b.onlyAttributes({"epsilon", "momentum", "training_mode",
                               "spatial"})))
    return failure();
  if (b.intAttr("training_mode").value_or(0) != 0)
    return b.error("training_mode = 1 is not supported (inference only)");
  if (b.intAttr("spatial").value_or(1) != 1)
    return b.error("spatial = 0 is not supported");
  if (b.node().output_size() > 1)
    return b.error("only the inference form with a single output is "
                   "supported");
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  if (x->getType().getRank() < 2)
    return b.error("input must have a channel axis (rank >= 2)");
  SmallVector<Value, 4> params;
  for (int i = 1; i <= 4; ++i) {
    auto p = b.tensorInput(i);
    if (failed(p))
      return failure();
    params.push_back(*p);
  }
  double epsilon = b.floatAttr("epsilon").value_or(1e-5f);
  Value y = b.builder().create<BatchNormOp>(
      b.loc(), x->getType(), *x, params[0], params[1], params[2], params[3],
      b.builder().getF64FloatAttr(epsilon), b.builder().getI64IntegerAttr(1));
  b.setOutput(0, y);
  return success();
}

/// LayerNormalization (opset 17) → blend.layer_norm (float only). Scale and
/// bias broadcast over the normalized axes; the optional Mean and InvStdDev
/// outputs are refused.
static LogicalResult importLayerNorm(NodeBinder &b) {
  if (failed(b.onlyAttributes({"axis", "epsilon", "stash_type"})))
    return failure();
  if (b.node().output_size() > 1)
    for (int i = 1; i < b.node().output_size(); ++i)
      if (!b.node().output(i).empty())
        return b.error("the Mean / InvStdDev outputs are not supported");
  if (b.intAttr("stash_type").value_or(1) != 1)
    return b.error("stash_type other than float32 is not supported");
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  RankedTensorType type = x->getType();
  if (!type.getElementType().isF32())
    return b.error("only float32 inputs are supported");
  int64_t rank = type.getRank(), axis = b.intAttr("axis").value_or(-1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return b.error("axis is out of range");
  auto normalized = RankedTensorType::get(type.getShape().drop_front(axis),
                                          type.getElementType());
  auto operand = [&](int i) -> FailureOr<Value> {
    auto v = b.tensorInput(i);
    if (failed(v))
      return failure();
    if (v->getType() == normalized)
      return Value(*v);
    // Broadcast a constant to the normalized shape (e.g. a scalar).
    if (!b.isConstantInput(i)) {
      (void)b.error("scale and bias must have the normalized shape");
      return failure();
    }
    FailureOr<std::vector<double>> values = b.constantDoubles(i);
    if (failed(values))
      return failure();
    std::vector<float> out(size_t(normalized.getNumElements()));
    for (size_t k = 0; k < out.size(); ++k)
      out[k] = float((*values)[values->size() == 1 ? 0 : k % values->size()]);
    return Value(b.builder().create<ConstantOp>(
        b.loc(), normalized,
        DenseElementsAttr::get(normalized, ArrayRef<float>(out))));
  };
  FailureOr<Value> scale = operand(1);
  if (failed(scale))
    return failure();
  Value bias;
  if (b.hasInput(2)) {
    FailureOr<Value> v = operand(2);
    if (failed(v))
      return failure();
    bias = *v;
  }
  OpBuilder &builder = b.builder();
  b.setOutput(0, builder.create<LayerNormOp>(
                     b.loc(), type, *x, *scale, bias,
                     builder.getI64IntegerAttr(axis),
                     builder.getF64FloatAttr(b.floatAttr("epsilon").value_or(1e-5f))));
  return success();
}

void blend::registerNormalizationOps(OnnxOpTable &table) {
  table.onOp("", "BatchNormalization", 11, importBatchNorm);
  table.onOp("", "LayerNormalization", 17, importLayerNorm);
}
