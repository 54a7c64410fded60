//===- ExportSchedule.h - blend integer IR → schedule.bin -------*- C++ -*-===//
//
// Reads a lowered module (blend integer layer ops) and produces the schedule
// the accelerator executes: hardware parameters sized for the model, the host
// quantizer and dequantizer, and the layer descriptor with packed weights and
// per-channel constants. The emitter only reads the IR; anything outside the
// form the hardware executes is reported at its op (its ONNX node) and the
// export fails.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_CODEGEN_EXPORTSCHEDULE_EXPORTSCHEDULE_H
#define BLEND_CODEGEN_EXPORTSCHEDULE_EXPORTSCHEDULE_H

#include "runtime/ScheduleFormat.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/Support/raw_ostream.h"

namespace blend {

/// Builds the schedule of `module`'s @main, or fails after emitting a
/// diagnostic at the op that does not fit.
mlir::FailureOr<schedule::Schedule> buildSchedule(mlir::ModuleOp module);

/// `blend-translate --export-schedule`: the binary schedule.
mlir::LogicalResult exportSchedule(mlir::ModuleOp module, llvm::raw_ostream &os);

/// `blend-translate --export-schedule-text`: its textual twin.
mlir::LogicalResult exportScheduleText(mlir::ModuleOp module,
                                       llvm::raw_ostream &os);

/// Registers both translations.
void registerExportScheduleTranslations();

} // namespace blend

#endif // BLEND_CODEGEN_EXPORTSCHEDULE_EXPORTSCHEDULE_H
