//===- Executor.h - golden execution of blend integer IR --------*- C++ -*-===//
//
// Runs `func.func @main` of a lowered blend module on concrete tensors, op by
// op, with the kernels of Kernels.h. It accepts exactly what the
// blend-verify-integer pass allows (integer layer ops, plus quantize of
// arguments and dequantize of results) and refuses anything else with a
// diagnostic at the op. This is the reference every RTL bit is compared with.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_GOLDEN_EXECUTOR_H
#define BLEND_COMPILER_GOLDEN_EXECUTOR_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <memory>
#include <string>
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
  /// How a program executes: compiled into the fast kernels of Compiled.h
  /// when every op and type allows it, else by the reference interpreter;
  /// `Reference` forces the interpreter (the two agree bit for bit).
  enum class Mode { Fast, Reference };

  /// Prepares @main of `module`; fails (with a diagnostic) on a constant the
  /// executor cannot decode.
  static mlir::FailureOr<std::unique_ptr<Program>>
  prepare(mlir::ModuleOp module, Mode mode = Mode::Fast);

  /// Reusable per-thread buffers: pass one to run() for every image a
  /// thread executes so buffers are allocated once.
  struct Workspace;
  struct WorkspaceDeleter {
    void operator()(Workspace *workspace) const;
  };
  using WorkspacePtr = std::unique_ptr<Workspace, WorkspaceDeleter>;
  WorkspacePtr makeWorkspace() const;

  /// Executes one set of inputs.
  mlir::FailureOr<std::vector<Tensor>> run(const std::vector<Tensor> &inputs,
                                           TraceFn trace = nullptr,
                                           void *user = nullptr) const;
  mlir::FailureOr<std::vector<Tensor>> run(const std::vector<Tensor> &inputs,
                                           Workspace &workspace,
                                           TraceFn trace = nullptr,
                                           void *user = nullptr) const;

  /// Per-kernel time of the fast path: enable on a workspace before running,
  /// then `profileReport` sums the workspaces' times by kernel (op and
  /// operand kind, e.g. "conv2d binary") into a table.
  static void enableProfile(Workspace &workspace);
  std::string profileReport(llvm::ArrayRef<const Workspace *> workspaces) const;

  /// True when the fast path runs this program; otherwise `whyReference()`
  /// says which op or type kept it on the reference interpreter.
  bool isCompiled() const;
  const std::string &whyReference() const;

  ~Program();

private:
  Program() = default;
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace blend::golden

#endif // BLEND_COMPILER_GOLDEN_EXECUTOR_H
