//===- Compiled.h - the golden executor's fast path -------------*- C++ -*-===//
//
// A lowered function compiled once into a list of steps over int32 buffers:
// weights pre-packed (binary weights as bit streams, fixed-point weights as
// int32 rows), per-channel parameters hoisted, buffers reused between images
// through a Workspace. The arithmetic is the contract of Kernels.h; the
// reference interpreter (Executor.cpp) computes the same bits with int64
// loops, and test/golden checks the two agree bit for bit on every bundled
// model. Programs outside the fast path (an exact type wider than 32 bits,
// an op without a fast kernel) run on the reference interpreter instead.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_GOLDEN_COMPILED_H
#define BLEND_COMPILER_GOLDEN_COMPILED_H

#include "compiler/Golden/Executor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace blend::golden {

/// Per-thread buffers of a compiled program (one per slot), reused across
/// runs: a kernel always writes its whole output.
struct CompiledWorkspace {
  std::vector<std::vector<int32_t>> ints;
  std::vector<std::vector<float>> floats;
  /// Nanoseconds spent in each step, when `profile` is set.
  bool profile = false;
  std::vector<uint64_t> stepNanos;
};

/// The compiled form of a lowered function.
struct CompiledProgram {
  /// One SSA value of the function.
  struct Slot {
    std::vector<int64_t> shape;
    mlir::Type elementType;
    bool isFloat = false;
    bool isConstant = false;
    int64_t size = 0;
  };
  std::vector<Slot> slots;
  /// Constant data by slot (empty for non-constant slots).
  std::vector<std::vector<int32_t>> constInts;
  std::vector<std::vector<float>> constFloats;

  struct Step {
    mlir::Operation *op;
    std::vector<int> results;
    std::function<void(const CompiledProgram &, CompiledWorkspace &)> run;
  };
  std::vector<Step> steps;
  std::vector<int> inputs, outputs;

  const int32_t *ints(const CompiledWorkspace &w, int slot) const {
    return slots[slot].isConstant ? constInts[slot].data() : w.ints[slot].data();
  }
  const float *floats(const CompiledWorkspace &w, int slot) const {
    return slots[slot].isConstant ? constFloats[slot].data()
                                  : w.floats[slot].data();
  }
};

/// Compiles `func`; null with `whyNot` set when the function is outside the
/// fast path. `constants` are the decoded blend.constant values.
std::unique_ptr<CompiledProgram>
compileProgram(mlir::func::FuncOp func,
               const llvm::DenseMap<mlir::Value, Tensor> &constants,
               std::string &whyNot);

/// Buffers sized for `program`.
CompiledWorkspace makeWorkspace(const CompiledProgram &program);

/// Runs one set of inputs (shapes already checked by the caller).
std::vector<Tensor> runCompiled(const CompiledProgram &program,
                                CompiledWorkspace &workspace,
                                const std::vector<Tensor> &inputs,
                                TraceFn trace, void *user);

} // namespace blend::golden

#endif // BLEND_COMPILER_GOLDEN_COMPILED_H
