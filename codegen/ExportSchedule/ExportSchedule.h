//===- ExportSchedule.h - blend integer IR → schedule.bin -------*- C++ -*-===//
//
// Prints the single-module schedule (blend_accel) of a lowered module:
// hardware parameters sized for the model, the host quantizer and
// dequantizer, and the layer descriptor with packed weights and per-channel
// constants, as read by buildSchedule (dialects/Blend/ModuleIR.h). Anything
// outside the form is reported at its op (its ONNX node).
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_CODEGEN_EXPORTSCHEDULE_EXPORTSCHEDULE_H
#define BLEND_CODEGEN_EXPORTSCHEDULE_EXPORTSCHEDULE_H

#include "runtime/ScheduleFormat.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/Support/raw_ostream.h"

namespace blend {

/// `blend-translate --export-schedule`: the binary schedule.
mlir::LogicalResult exportSchedule(mlir::ModuleOp module, llvm::raw_ostream &os);

/// `blend-translate --export-schedule-text`: its textual twin.
mlir::LogicalResult exportScheduleText(mlir::ModuleOp module,
                                       llvm::raw_ostream &os);

/// Registers both translations.
void registerExportScheduleTranslations();

} // namespace blend

#endif // BLEND_CODEGEN_EXPORTSCHEDULE_EXPORTSCHEDULE_H
