//===- HostBoundary.h - the host's float steps around the model -*- C++ -*-===//
//
// Exporters leave float arithmetic at both ends of a quantized model: input
// pre-processing before the first quantizer (BNN-PYNQ's 2x − 1, FINN's
// x / 255, a Flatten of the image, the cybsec MLP's (x + 1) / 2) and an
// affine map or an argmax after the last dequantizer (Brevitas's TensorNorm,
// FINN's TopK). None of it can be integer: it is the host's share of the
// model, executed by the host in float32 exactly as the ONNX graph orders it
// (so the results are onnxruntime's bit for bit), and recorded in the
// schedule so the host driver knows it.
//
// This file answers, for a lowered @main, which ops are that share:
//
//   argument ─► prologue (float steps) ─► input converters (quantize,
//   binarize) ══ integer layer ops ══► output converters (dequantize,
//   channel_scale) ─► epilogue (float steps, argmax) ─► return
//
// A host step is a float op with one tensor operand and constants only:
// elementwise arithmetic with a constant (add, sub, mul, div in either operand
// order), a float clip, a batch norm with constant parameters, a reshape, a
// transpose, and (epilogue only) an argmax. blend-verify-integer, the golden
// executor, blend-form-network and the report all use this one definition.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_HOSTBOUNDARY_H
#define BLEND_DIALECTS_BLEND_HOSTBOUNDARY_H

#include "runtime/ScheduleFormat.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace blend {

/// The host's share of a function, each list in program order.
struct HostBoundary {
  /// Float ops from the arguments to the input converters.
  llvm::SmallVector<mlir::Operation *> prologue;
  /// quantize / binarize ops whose input is an argument or a prologue value.
  llvm::SmallVector<mlir::Operation *> inputs;
  /// dequantize / channel_scale ops whose result reaches a returned value
  /// through epilogue ops only.
  llvm::SmallVector<mlir::Operation *> outputs;
  /// Float ops (and argmaxes) from the output converters to the return.
  llvm::SmallVector<mlir::Operation *> epilogue;

  bool isHost(mlir::Operation *op) const;
};

/// True when `op` may run on the host between an argument and its quantizer
/// (`epilogue` false) or between a dequantizer and the return (true).
bool isHostStep(mlir::Operation *op, bool epilogue);

/// The host boundary of `func`.
HostBoundary findHostBoundary(mlir::func::FuncOp func);

/// The chain of host steps from `start` (exclusive: an argument or an output
/// converter's result) to `end` (inclusive), as the host executes them:
/// batch norms become their four elementwise steps with the golden
/// executor's float32 constants. Fails with a diagnostic at an op that has
/// no host form (a branch, a per-element pattern it cannot record).
mlir::LogicalResult
hostSteps(mlir::Value start, mlir::Value end,
          std::vector<schedule::HostStep> &steps);

} // namespace blend

#endif // BLEND_DIALECTS_BLEND_HOSTBOUNDARY_H
