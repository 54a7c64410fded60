//===- Pipelines.h - blend pass pipelines -----------------------*- C++ -*-===//
//
// The named pipelines that blendc and blend-run drive, registered with
// blend-opt so each is runnable (and lit-testable) on its own.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_PIPELINES_PIPELINES_H
#define BLEND_COMPILER_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace blend {

/// Imported graph ops → integer layer ops: recognize binarizers, make linear
/// layers exact, fold batch norms, clean up, and verify that no float op
/// remains inside the model (`blend-lower-to-integer`).
void buildLowerToIntegerPipeline(mlir::OpPassManager &pm);

/// Registers every blend pass and pipeline with the global registry.
void registerBlendPassesAndPipelines();

} // namespace blend

#endif // BLEND_COMPILER_PIPELINES_PIPELINES_H
