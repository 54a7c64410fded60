//===- ExportVerilog.h - the generated accelerator top ----------*- C++ -*-===//
//
// Emits blend_net_top.sv: the top-level module of an accelerator, which
// fixes blend_net's parameters to the values the datapath search chose for
// the model (schedule::NetworkHardware) and exposes the cfg, AXI4-Stream and
// co-simulation tap ports. The emitter only prints.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_CODEGEN_EXPORTVERILOG_EXPORTVERILOG_H
#define BLEND_CODEGEN_EXPORTVERILOG_EXPORTVERILOG_H

#include "runtime/ScheduleFormat.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace blend {

/// Prints the whole-network top (blend_net_top) for `hardware`.
void printNetworkTop(const schedule::NetworkHardware &hardware,
                     llvm::StringRef source, llvm::raw_ostream &os,
                     bool lutXnor = false);

/// `blend-translate --export-verilog`: the top for a finished network.
mlir::LogicalResult exportVerilog(mlir::ModuleOp module, llvm::raw_ostream &os);

/// Registers the translation.
void registerExportVerilogTranslation();

} // namespace blend

#endif // BLEND_CODEGEN_EXPORTVERILOG_EXPORTVERILOG_H
