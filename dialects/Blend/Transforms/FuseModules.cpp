//===- FuseModules.cpp - one blend.blend_module per Blend module ----------===//
//
// Finds each Blend module of an integer-lowered function by its join (an add
// of two requants) and moves its ops into the body of a blend.blend_module,
// so later stages (the accelerator export, the report, the golden executor's
// trace) see the module as one unit. Fusion only groups ops; it never changes
// what is computed.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace blend {
#define GEN_PASS_DEF_FUSEMODULES
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;

namespace {

bool isBinary(Value v) {
  return isa<BinaryType>(cast<RankedTensorType>(v.getType()).getElementType());
}

/// The input of a binary (`binary` true) or fixed-point linear op producing
/// `v`, or null.
Value linearInput(Value v, bool binary) {
  Operation *op = v.getDefiningOp();
  if (!op || !isa<Conv2DOp, MatMulOp>(op))
    return {};
  Value input = op->getOperand(0);
  return isBinary(input) == binary ? input : Value();
}

/// True when the backward slice of `path` (through non-constant ops) reaches
/// a binary linear op.
bool reachesBinaryLinear(Value path, Value stop) {
  SmallVector<Value> work{path};
  llvm::DenseSet<Value> seen;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (v == stop || !seen.insert(v).second)
      continue;
    Operation *op = v.getDefiningOp();
    if (!op || op->hasTrait<OpTrait::ConstantLike>())
      continue;
    if (isa<Conv2DOp, MatMulOp>(op) && isBinary(op->getOperand(0)))
      return true;
    for (Value operand : op->getOperands())
      work.push_back(operand);
  }
  return false;
}

/// The module input behind the skip-path operand of a join: the input of its
/// fixed-point linear op, or (identity shortcut) the requant's own input.
Value skipInput(Value operand) {
  auto rq = operand.getDefiningOp<RequantOp>();
  if (!rq)
    return {};
  if (Value x = linearInput(rq.getInput(), /*binary=*/false))
    return x;
  return rq.getInput();
}

struct FuseModulesPass : blend::impl::FuseModulesBase<FuseModulesPass> {
  void runOnOperation() override {
    SmallVector<AddOp> joins;
    getOperation().walk([&](AddOp add) {
      if (!add->getParentOfType<BlendModuleOp>())
        joins.push_back(add);
    });
    for (AddOp add : joins)
      (void)fuse(add);
  }

  LogicalResult fuse(AddOp add) {
    // Which operand is the skip path: the other must reach a binary layer.
    Value input;
    for (int skip = 0; skip < 2 && !input; ++skip) {
      Value x = skipInput(add->getOperand(skip));
      Value main = add->getOperand(1 - skip);
      if (x && main.getDefiningOp<RequantOp>() && reachesBinaryLinear(main, x))
        input = x;
    }
    if (!input)
      return failure();

    // The output: the join's single requant / threshold / binarize user.
    Operation *last = add;
    if (add->hasOneUse()) {
      Operation *user = *add->getUsers().begin();
      if (isa<RequantOp, ThresholdOp, BinarizeOp>(user))
        last = user;
    }

    // The module: the backward slice of `last` down to `input` (constants
    // stay outside and are read by the body).
    llvm::SetVector<Operation *> members;
    SmallVector<Operation *> work{last};
    while (!work.empty()) {
      Operation *op = work.pop_back_val();
      if (!members.insert(op))
        continue;
      for (Value operand : op->getOperands()) {
        if (operand == input)
          continue;
        Operation *def = operand.getDefiningOp();
        if (!def || def->getBlock() != add->getBlock())
          return failure(); // reads a function argument or another region
        if (def->hasTrait<OpTrait::ConstantLike>())
          continue;
        work.push_back(def);
      }
    }
    // Closed: no inner value is used outside (except the output).
    for (Operation *op : members)
      if (op != last)
        for (Operation *user : op->getUsers())
          if (!members.contains(user))
            return failure();

    // Body in program order.
    SmallVector<Operation *> ordered;
    for (Operation &op : *add->getBlock())
      if (members.contains(&op))
        ordered.push_back(&op);
    OpBuilder builder(last);
    Value output = last->getResult(0);
    auto fused = builder.create<BlendModuleOp>(
        last->getLoc(), TypeRange{output.getType()}, ValueRange{input});
    Block *body = builder.createBlock(&fused.getBody(), {}, {input.getType()},
                                      {input.getLoc()});
    IRMapping mapping;
    mapping.map(input, body->getArgument(0));
    for (Operation *op : ordered)
      builder.clone(*op, mapping);
    builder.create<YieldOp>(last->getLoc(), mapping.lookup(output));
    output.replaceAllUsesWith(fused.getResult(0));
    for (Operation *op : llvm::reverse(ordered))
      op->erase();
    return success();
  }
};
} // namespace
