//===- Report.h - the accelerator report ------------------------*- C++ -*-===//
//
// report.json and report.md: what was built (layer, hardware parameters), the
// compiler's cycle estimate for one image, and the resources it takes against
// the part's budget. The estimates come from dialects/Blend/CostModel.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_CODEGEN_REPORT_REPORT_H
#define BLEND_CODEGEN_REPORT_REPORT_H

#include "dialects/Blend/CostModel/CostModel.h"
#include "runtime/ScheduleFormat.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace blend {

/// Where the design goes: the part and the clock the latency is quoted at.
struct TargetInfo {
  std::string part, board, dspFamily;
  uint32_t dsp = 0, bram36 = 0, lut = 0, ff = 0;
  double clockMhz = 200.0;
  /// DSPs the design may use (--dsp-budget); 0 = the whole part.
  uint32_t dspBudget = 0;
  /// Binary XNORs in LUTs rather than DSP48E2 logic mode (--binary-impl lut).
  bool lutXnor = false;
  /// RAMB36 the design may use (--bram-budget); 0 = the whole part.
  uint32_t bramBudget = 0;
  /// Row stripes of the first layers (--stripes): 0 = only when the whole
  /// tensors do not fit, 1 = never, N = always N.
  uint32_t stripes = 0;
  /// Striped tensors keep the rows a later stripe reads (copy passes), or
  /// each stripe computes its halo rows again (--stripe-halo); unset: both
  /// are estimated and the faster that fits is taken.
  std::optional<bool> keepRows;
  uint32_t dspAvailable() const {
    return dspBudget ? std::min(dspBudget, dsp) : dsp;
  }
  uint32_t bram36Available() const {
    return bramBudget ? std::min(bramBudget, bram36) : bram36;
  }
};

/// Writes report.json.
void printReportJson(const schedule::Schedule &s, llvm::StringRef source,
                     const TargetInfo &target, llvm::raw_ostream &os);

/// Writes report.md.
void printReportMarkdown(const schedule::Schedule &s, llvm::StringRef source,
                         const TargetInfo &target, llvm::raw_ostream &os);

//===----------------------------------------------------------------------===//
// Whole networks (blend_net)
//===----------------------------------------------------------------------===//

/// `notes` are the importer's notes on how the model was read (changed
/// semantics, annotations, defaulted opsets); the reports list them beside
/// the host's pre- and post-processing steps.
void printReportJson(const schedule::Network &net, llvm::StringRef source,
                     const TargetInfo &target, llvm::raw_ostream &os,
                     llvm::ArrayRef<std::string> notes = {});
void printReportMarkdown(const schedule::Network &net, llvm::StringRef source,
                         const TargetInfo &target, llvm::raw_ostream &os,
                         llvm::ArrayRef<std::string> notes = {});

} // namespace blend

#endif // BLEND_CODEGEN_REPORT_REPORT_H
