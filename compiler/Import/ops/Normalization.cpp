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

void blend::registerNormalizationOps(OnnxOpTable &table) {
  table.onOp("", "BatchNormalization", 11, importBatchNorm);
}
