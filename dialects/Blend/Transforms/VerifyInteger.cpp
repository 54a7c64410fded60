//===- VerifyInteger.cpp - nothing float may remain inside the model ------===//
//
// The promise to users is that the accelerator computes exactly what the
// golden executor computes, in integers. Float is allowed only at the model
// boundary, the host's share (HostBoundary.h): float steps from an argument
// to its quantizer or binarizer, and from the output dequantizer to the
// return. Any other float-valued or foreign op is reported at its ONNX
// node's location, naming the op, so an unrecognized pattern is never
// silently executed.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/HostBoundary.h"
#include "dialects/Blend/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace blend {
#define GEN_PASS_DEF_VERIFYINTEGER
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;

namespace {

/// True for a value whose element type is a float.
static bool isFloatValued(Value value) {
  auto type = dyn_cast<ShapedType>(value.getType());
  return type && isa<FloatType>(type.getElementType());
}

/// Ops allowed in the integer part of a function.
static bool isIntegerLayerOp(Operation *op) {
  if (!isa<BlendDialect>(op->getDialect()))
    return false;
  if (isa<BatchNormOp, AvgPool2DOp, QuantizeOp, DequantizeOp>(op))
    return false;
  return llvm::none_of(op->getOperands(), isFloatValued) &&
         llvm::none_of(op->getResults(), isFloatValued);
}

struct VerifyIntegerPass : blend::impl::VerifyIntegerBase<VerifyIntegerPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    HostBoundary host = findHostBoundary(func);
    // Host pre-processing must end in quantizers: a float value of the
    // prologue read by anything else would be computed in float.
    for (Operation *op : host.prologue)
      for (Operation *user : op->getUsers()) {
        if (isa<func::ReturnOp>(user)) {
          op->emitError() << "the model input reaches its output without a "
                             "quantizer: there is nothing for the "
                             "accelerator to compute";
          return signalPassFailure();
        }
        if (!host.isHost(user)) {
          user->emitError()
              << "'" << user->getName()
              << "' computes in float on the host's pre-processed input; "
                 "blend runs the input's float steps on the host only up to "
                 "the first quantizer or binarizer";
          return signalPassFailure();
        }
      }
    WalkResult result = func.walk([&](Operation *op) {
      // ONNX Sign(0) = 0: a Sign whose input can be exactly 0 has no binary
      // meaning (docs/semantics.md §10).
      if (auto t = dyn_cast<ThresholdOp>(op))
        if (auto zeros = t->getAttrOfType<DenseI64ArrayAttr>("blend.sign_sees_zero")) {
          op->emitError() << "Sign's input is exactly 0 for some inputs (channel "
                          << zeros.asArrayRef().front()
                          << " reaches its threshold exactly), where ONNX Sign "
                             "gives 0, which is not a binary value; export the "
                             "binarizer as Where(x >= 0, 1, -1), or compile "
                             "with --sign-zero=plus-one if the model was "
                             "trained with sign(0) = +1";
          return WalkResult::interrupt();
        }
      if (auto b = dyn_cast<BinarizeOp>(op);
          b && b->hasAttr("blend.sign") &&
          !isa<FloatType>(cast<RankedTensorType>(b.getInput().getType())
                              .getElementType())) {
        op->emitError() << "Sign of a quantized value is 0 where the value is "
                           "0, which is not a binary value; export the "
                           "binarizer as Where(x >= 0, 1, -1), or compile "
                           "with --sign-zero=plus-one if the model was "
                           "trained with sign(0) = +1";
        return WalkResult::interrupt();
      }
      // Constants are reported through the ops that use them.
      if (isa<func::FuncOp, func::ReturnOp>(op) || isIntegerLayerOp(op) ||
          op->hasTrait<OpTrait::ConstantLike>() || host.isHost(op))
        return WalkResult::advance();
      op->emitError() << "'" << op->getName()
                      << "' still computes in float after lowering; blend "
                         "executes only integer layer ops between the input "
                         "quantizer and the output dequantizer";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
