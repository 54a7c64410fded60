//===- ModuleIR.h - the single-module form's schedule from IR ---*- C++ -*-===//
//
// blend_accel executes one Blend module (binary 3x3 main path, fixed-point 1x1
// skip path, joined and binarized or requantized). buildSchedule reads a
// lowered @main of exactly that form into the schedule's records, the way
// NetworkIR reads a blend.network; it decides nothing beyond checking the
// form, so the datapath search (compiler/Search) asks it which core a model
// takes and the emitters (codegen/ExportSchedule) print its result.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_MODULEIR_H
#define BLEND_DIALECTS_BLEND_MODULEIR_H

#include "runtime/ScheduleFormat.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

namespace blend {

/// The single-module schedule of `module`'s @main, or failure after a
/// diagnostic at the op that does not fit the form.
mlir::FailureOr<schedule::Schedule> buildSchedule(mlir::ModuleOp module);

} // namespace blend

#endif // BLEND_DIALECTS_BLEND_MODULEIR_H
