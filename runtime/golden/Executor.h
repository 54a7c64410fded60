//===- Executor.h - golden execution of blend integer IR --------*- C++ -*-===//
//
// Runs `func.func @main` of a lowered blend module on concrete tensors, op by
// op, with the kernels of Kernels.h. It accepts exactly what the
// blend-verify-integer pass allows (integer layer ops, plus quantize of
// arguments and dequantize of results) and refuses anything else with a
// diagnostic at the op. This is the reference every RTL bit is compared with.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_RUNTIME_GOLDEN_EXECUTOR_H
#define BLEND_RUNTIME_GOLDEN_EXECUTOR_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace blend::golden {

/// A dense tensor in row-major order. Exact element types keep their storage
/// integers in `ints` (binary: 1 ↔ +1, 0 ↔ −1); float types use `floats`.
struct Tensor {
  std::vector<int64_t> shape;
  mlir::Type elementType;
  std::vector<int64_t> ints;
  std::vector<float> floats;

  /// Number of elements.
  int64_t size() const;
};

/// Executes the `@main` function of `module`. Inputs must match the
/// function's argument shapes (float tensors). On failure a diagnostic was
/// emitted at the offending op.
mlir::FailureOr<std::vector<Tensor>> execute(mlir::ModuleOp module,
                                             const std::vector<Tensor> &inputs);

/// Per-op trace hook: called after each op with its results (for --trace).
using TraceFn = void (*)(void *user, mlir::Operation *op,
                         const std::vector<Tensor> &results);
mlir::FailureOr<std::vector<Tensor>>
execute(mlir::ModuleOp module, const std::vector<Tensor> &inputs,
        TraceFn trace, void *user);

/// A lowered module prepared for repeated execution: every constant (the
/// weights) is decoded once. `run` only reads the program and the IR, so
/// several threads may run images on one program at the same time.
class Program {
public:
  /// Prepares @main of `module`; fails (with a diagnostic) on a constant the
  /// executor cannot decode.
  static mlir::FailureOr<std::unique_ptr<Program>> prepare(mlir::ModuleOp module);

  /// Executes one set of inputs.
  mlir::FailureOr<std::vector<Tensor>> run(const std::vector<Tensor> &inputs,
                                           TraceFn trace = nullptr,
                                           void *user = nullptr) const;

  ~Program();

private:
  Program() = default;
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace blend::golden

#endif // BLEND_RUNTIME_GOLDEN_EXECUTOR_H
