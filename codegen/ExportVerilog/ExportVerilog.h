//===- ExportVerilog.h - the generated accelerator top ----------*- C++ -*-===//
//
// Emits blend_accel_top.sv: the top-level module of an accelerator, which
// fixes blend_accel's parameters to the values the compiler chose for the
// model (schedule::Hardware) and exposes the cfg and AXI4-Stream ports. The
// emitter only prints; parameter choice happens in buildSchedule.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_CODEGEN_EXPORTVERILOG_EXPORTVERILOG_H
#define BLEND_CODEGEN_EXPORTVERILOG_EXPORTVERILOG_H

#include "runtime/ScheduleFormat.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace blend {

/// Prints the top module for `hardware`; `source` names the model in the
/// header comment.
void printAcceleratorTop(const schedule::Hardware &hardware,
                         llvm::StringRef source, llvm::raw_ostream &os,
                         bool lutXnor = false);

/// Prints the whole-network top (blend_net_top) for `hardware`.
void printNetworkTop(const schedule::NetworkHardware &hardware,
                     llvm::StringRef source, llvm::raw_ostream &os,
                     bool lutXnor = false);

/// `blend-translate --export-verilog`: the top for a lowered module.
mlir::LogicalResult exportVerilog(mlir::ModuleOp module, llvm::raw_ostream &os);

/// Registers the translation.
void registerExportVerilogTranslation();

} // namespace blend

#endif // BLEND_CODEGEN_EXPORTVERILOG_EXPORTVERILOG_H
