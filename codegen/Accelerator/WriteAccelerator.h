//===- WriteAccelerator.h - the accelerator directory -----------*- C++ -*-===//
//
// Writes everything blendc promises in -o DIR:
//   rtl/        blend_net_top.sv (generated) and the rtl_templates
//   tb/         the Verilator harness (host driver) and the runtime sources it
//               compiles with (schedule format, .npy I/O, golden kernels)
//   schedule.bin, report.json, report.md, README.md
// The directory appears atomically: everything is written to a sibling
// temporary directory that is renamed into place only when complete, so a
// failed run leaves nothing behind. An existing DIR is replaced only if an
// earlier blendc run wrote it (it holds the .blendc marker).
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_CODEGEN_ACCELERATOR_WRITEACCELERATOR_H
#define BLEND_CODEGEN_ACCELERATOR_WRITEACCELERATOR_H

#include "codegen/Report/Report.h"

#include "llvm/Support/Error.h"

namespace blend {

/// Writes the accelerator directory of `design` (chosen by the datapath
/// search, compiler/Search, for design.target) into `outDir`: RTL,
/// schedule.bin, report, host driver. Errors name the path.
llvm::Error writeAccelerator(const AcceleratorDesign &design,
                             llvm::StringRef outDir, llvm::StringRef source);

} // namespace blend

#endif // BLEND_CODEGEN_ACCELERATOR_WRITEACCELERATOR_H
