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

#include <algorithm>
#include <cstdint>
#include <string>

namespace blend {

/// Cycle estimate for one image, first input beat to last output beat.
uint64_t estimateCycles(const schedule::Schedule &s);

/// DSP48E2 blocks in the two engines (one per binary lane, one per two
/// fixed-point lanes); the post-processing multipliers come on top and are
/// counted by synthesis.
uint32_t engineDsps(const schedule::Hardware &hw);

/// Estimated resources of the generated accelerator (docs/hardware.md).
struct ResourceEstimate {
  uint32_t dspEngines = 0;  ///< XNOR lanes + INT8-packed multipliers
  uint32_t dspRequant = 0;  ///< the three requant multipliers
  uint32_t dspControl = 0;  ///< address and size multipliers
  uint32_t bram36 = 0;      ///< activation + binary buffers, in RAMB36 units
  uint32_t lut = 0, ff = 0; ///< fabric logic (calibrated model, see Report.cpp)
  uint32_t dsp() const { return dspEngines + dspRequant + dspControl; }
};
ResourceEstimate estimateResources(const schedule::Schedule &s,
                                   bool lutXnor = false);

/// Where the design goes: the part and the clock the latency is quoted at.
struct TargetInfo {
  std::string part, board, dspFamily;
  uint32_t dsp = 0, bram36 = 0, lut = 0, ff = 0;
  double clockMhz = 200.0;
  /// DSPs the design may use (--dsp-budget); 0 = the whole part.
  uint32_t dspBudget = 0;
  /// Binary XNORs in LUTs rather than DSP48E2 logic mode (--binary-impl lut).
  bool lutXnor = false;
  uint32_t dspAvailable() const {
    return dspBudget ? std::min(dspBudget, dsp) : dsp;
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

/// The cost model of one layer pass (docs/hardware.md): descriptor fetch, the
/// first output pixel, then the slowest of the two controllers and the
/// post-processing unit per pixel, then the pipeline drain.
struct PassCost {
  uint64_t cycles = 0;
  uint64_t binaryBeatsPerPixel = 0, fixedBeatsPerPixel = 0, postPerPixel = 0;
  uint64_t binaryMacs = 0, fixedMacs = 0;
  const char *bound = ""; ///< "binary", "fixed" or "post-processing"
};
PassCost estimatePassCost(const schedule::Pass &pass,
                          const schedule::NetworkHardware &hardware);

/// Cycles to load one image (one pixel per beat).
uint64_t estimateLoadCycles(const schedule::Network &net);

/// Cycle estimate for one image: load plus every pass.
uint64_t estimateCycles(const schedule::Network &net);

ResourceEstimate estimateResources(const schedule::Network &net,
                                   bool lutXnor = false);

void printReportJson(const schedule::Network &net, llvm::StringRef source,
                     const TargetInfo &target, llvm::raw_ostream &os);
void printReportMarkdown(const schedule::Network &net, llvm::StringRef source,
                         const TargetInfo &target, llvm::raw_ostream &os);

} // namespace blend

#endif // BLEND_CODEGEN_REPORT_REPORT_H
