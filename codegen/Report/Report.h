//===- Report.h - the accelerator report ------------------------*- C++ -*-===//
//
// report.json and report.md: what was built (layer, hardware parameters), the
// compiler's cycle estimate for one image, and the structural DSP48E2 count of
// the compute engines. Estimates are formulas over the schedule, documented in
// docs/hardware.md, so a simulation can check them.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_CODEGEN_REPORT_REPORT_H
#define BLEND_CODEGEN_REPORT_REPORT_H

#include "runtime/ScheduleFormat.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdint>

namespace blend {

/// Cycle estimate for one image, first input beat to last output beat.
uint64_t estimateCycles(const schedule::Schedule &s);

/// DSP48E2 blocks in the two engines (one per binary lane, one per two
/// fixed-point lanes); the post-processing multipliers come on top and are
/// counted by synthesis.
uint32_t engineDsps(const schedule::Hardware &hw);

/// Writes report.json.
void printReportJson(const schedule::Schedule &s, llvm::StringRef source,
                     llvm::raw_ostream &os);

/// Writes report.md.
void printReportMarkdown(const schedule::Schedule &s, llvm::StringRef source,
                         llvm::raw_ostream &os);

} // namespace blend

#endif // BLEND_CODEGEN_REPORT_REPORT_H
