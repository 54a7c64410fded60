//===- HostBoundary.cpp - the host's float steps around the model ---------===//

#include "dialects/Blend/HostBoundary.h"

#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/Transforms/PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace blend;
using schedule::HostStep;

namespace {

bool isFloatTensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && isa<FloatType>(type.getElementType());
}

bool isConstant(Value v) { return getFloatConstant(v).has_value(); }

/// The one tensor (non-constant) operand of a host step, or null.
Value tensorOperand(Operation *op) {
  Value tensor;
  for (Value operand : op->getOperands()) {
    if (isConstant(operand))
      continue;
    if (tensor)
      return {};
    tensor = operand;
  }
  return tensor;
}

} // namespace

bool blend::isHostStep(Operation *op, bool epilogue) {
  if (op->getNumResults() != 1)
    return false;
  if (auto argmax = dyn_cast<ArgMaxOp>(op))
    return epilogue && isFloatTensor(argmax.getInput());
  if (!isFloatTensor(op->getResult(0)))
    return false;
  if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp, AddOp>(
          op))
    return llvm::count_if(op->getOperands(), isConstant) == 1;
  if (auto bn = dyn_cast<BatchNormOp>(op))
    return isFloatTensor(bn.getInput()) &&
           llvm::all_of(op->getOperands().drop_front(), isConstant);
  if (isa<ClipOp, ReshapeOp, TransposeOp>(op))
    return isFloatTensor(op->getOperand(0));
  return false;
}

bool HostBoundary::isHost(Operation *op) const {
  return llvm::is_contained(prologue, op) || llvm::is_contained(inputs, op) ||
         llvm::is_contained(outputs, op) || llvm::is_contained(epilogue, op);
}

HostBoundary blend::findHostBoundary(func::FuncOp func) {
  HostBoundary b;
  Block &body = func.getBody().front();
  // Forward from the arguments: host steps on host values, then the ops
  // that make the first exact values.
  llvm::SmallPtrSet<Value, 16> host(body.getArguments().begin(),
                                    body.getArguments().end());
  for (Operation &op : body) {
    if (isa<QuantizeOp, BinarizeOp>(op) && host.contains(op.getOperand(0))) {
      b.inputs.push_back(&op);
      continue;
    }
    if (!isHostStep(&op, /*epilogue=*/false))
      continue;
    Value tensor = tensorOperand(&op);
    if (tensor && host.contains(tensor)) {
      b.prologue.push_back(&op);
      host.insert(op.getResult(0));
    }
  }
  // Backward from the returned values: host steps (each read only by host
  // steps or the return) back to an exact value's conversion to float.
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  llvm::SmallPtrSet<Operation *, 16> chain;
  for (Value result : ret.getOperands()) {
    SmallVector<Operation *> ops;
    Value v = result;
    Operation *def = v.getDefiningOp();
    while (def && !llvm::is_contained(b.prologue, def) &&
           isHostStep(def, /*epilogue=*/true)) {
      ops.push_back(def);
      v = tensorOperand(def);
      def = v ? v.getDefiningOp() : nullptr;
    }
    if (!def || !isa<DequantizeOp, ChannelScaleOp>(def))
      continue;
    chain.insert(ops.begin(), ops.end());
    if (!llvm::is_contained(b.outputs, def))
      b.outputs.push_back(def);
  }
  // Keep the steps whose results only host steps or the return read.
  for (Operation &op : body)
    if (chain.contains(&op) &&
        llvm::all_of(op.getUsers(), [&](Operation *user) {
          return chain.contains(user) || isa<func::ReturnOp>(user);
        }))
      b.epilogue.push_back(&op);
  llvm::erase_if(b.outputs, [&](Operation *op) {
    return !llvm::all_of(op->getUsers(), [&](Operation *user) {
      return llvm::is_contained(b.epilogue, user) || isa<func::ReturnOp>(user);
    });
  });
  return b;
}

namespace {

/// A constant operand as float32 values, one if all are equal.
std::vector<float> compressConstant(Value constant) {
  std::optional<std::vector<double>> values = getFloatValues(constant);
  std::vector<float> out;
  if (!values)
    return out;
  for (double v : *values)
    out.push_back(float(v));
  if (!out.empty() && llvm::all_of(out, [&](float v) {
        return std::memcmp(&v, &out[0], sizeof(float)) == 0;
      }))
    out.resize(1);
  return out;
}

std::vector<int64_t> shapeOf(Value v) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(v.getType()).getShape();
  return {shape.begin(), shape.end()};
}

/// The per-channel constant `values` of a batch norm along `axis`, one per
/// element of `shape` (or one when all are equal).
std::vector<float> alongAxis(const std::vector<float> &values,
                             ArrayRef<int64_t> shape, int64_t axis) {
  if (llvm::all_of(values, [&](float v) { return v == values[0]; }))
    return {values[0]};
  int64_t count = 1, inner = 1;
  for (int64_t d : shape)
    count *= d;
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  std::vector<float> out(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i)
    out[size_t(i)] = values[size_t((i / inner) % shape[axis])];
  return out;
}

LogicalResult appendStep(Operation *op, std::vector<HostStep> &steps) {
  std::vector<int64_t> shape = shapeOf(op->getResult(0));
  auto elementwise = [&](HostStep::Kind kind, Value constant) {
    steps.push_back({kind, shape, compressConstant(constant), {}});
    return success();
  };
  auto constantOf = [&](Operation *binary) {
    return isConstant(binary->getOperand(0)) ? binary->getOperand(0)
                                             : binary->getOperand(1);
  };
  bool lhsConstant = op->getNumOperands() == 2 && isConstant(op->getOperand(0));
  if (isa<arith::AddFOp, AddOp>(op))
    return elementwise(HostStep::Kind::Add, constantOf(op));
  if (isa<arith::MulFOp>(op))
    return elementwise(HostStep::Kind::Mul, constantOf(op));
  if (isa<arith::SubFOp>(op))
    return elementwise(lhsConstant ? HostStep::Kind::SubFrom
                                   : HostStep::Kind::Sub,
                       constantOf(op));
  if (isa<arith::DivFOp>(op))
    return elementwise(lhsConstant ? HostStep::Kind::DivFrom
                                   : HostStep::Kind::Div,
                       constantOf(op));
  if (auto clip = dyn_cast<ClipOp>(op)) {
    // The golden executor's clip: min(max(x, lo), hi).
    float lo = float(clip.getMin().convertToDouble());
    float hi = float(clip.getMax().convertToDouble());
    if (std::isfinite(lo))
      steps.push_back({HostStep::Kind::Max, shape, {lo}, {}});
    if (std::isfinite(hi))
      steps.push_back({HostStep::Kind::Min, shape, {hi}, {}});
    return success();
  }
  if (auto bn = dyn_cast<BatchNormOp>(op)) {
    // The golden executor's float batch norm, step by step:
    // (x − μ) / sqrt(σ² + ε) · γ + β in float32.
    auto floats = [](Value v) {
      std::vector<float> out;
      // Held here: a range-for over *getFloatValues(v) would read a
      // destroyed temporary.
      std::optional<std::vector<double>> values = getFloatValues(v);
      for (double d : *values)
        out.push_back(float(d));
      return out;
    };
    std::vector<float> mean = floats(bn.getMean()), var = floats(bn.getVariance()),
                       gamma = floats(bn.getScale()), beta = floats(bn.getBias());
    float eps = float(bn.getEpsilon().convertToDouble());
    std::vector<float> sigma;
    for (float v : var)
      sigma.push_back(std::sqrt(v + eps));
    int64_t axis = bn.getAxis();
    steps.push_back({HostStep::Kind::Sub, shape, alongAxis(mean, shape, axis), {}});
    steps.push_back({HostStep::Kind::Div, shape, alongAxis(sigma, shape, axis), {}});
    steps.push_back({HostStep::Kind::Mul, shape, alongAxis(gamma, shape, axis), {}});
    steps.push_back({HostStep::Kind::Add, shape, alongAxis(beta, shape, axis), {}});
    return success();
  }
  if (isa<ReshapeOp>(op)) {
    steps.push_back({HostStep::Kind::Reshape, shape, {}, {}});
    return success();
  }
  if (auto t = dyn_cast<TransposeOp>(op)) {
    ArrayRef<int64_t> perm = t.getPermutation();
    steps.push_back({HostStep::Kind::Transpose, shape, {}, {perm.begin(), perm.end()}});
    return success();
  }
  if (auto a = dyn_cast<ArgMaxOp>(op)) {
    steps.push_back({HostStep::Kind::ArgMax, shape, {}, {int64_t(a.getAxis())}});
    return success();
  }
  return op->emitOpError("has no host step form");
}

} // namespace

LogicalResult blend::hostSteps(Value start, Value end,
                               std::vector<HostStep> &steps) {
  SmallVector<Operation *> chain;
  for (Value v = end; v != start;) {
    Operation *op = v.getDefiningOp();
    Value tensor = op ? tensorOperand(op) : Value();
    if (!op || !tensor)
      return emitError(end.getLoc(), "the host steps do not form one chain "
                                     "from the model input");
    chain.push_back(op);
    v = tensor;
  }
  for (Operation *op : llvm::reverse(chain))
    if (failed(appendStep(op, steps)))
      return failure();
  return success();
}
