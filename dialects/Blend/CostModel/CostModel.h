//===- CostModel.h - cycles and resources of the generated cores -*- C++ -*-===//
//
// The compiler's knowledge of the hardware it generates, as formulas over the
// schedule (docs/hardware.md): cycles per image and per layer step (exact
// against Verilator), and the DSP48E2 / RAMB36 / LUT / FF the cores take
// (checked against yosys synthesis). blendc's datapath search, the reports
// and blend-estimate-cost all use these. Plain C++ over the schedule's
// records.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_COSTMODEL_COSTMODEL_H
#define BLEND_DIALECTS_BLEND_COSTMODEL_COSTMODEL_H

#include "runtime/ScheduleFormat.h"

#include <cstdint>
#include <vector>

namespace blend {

/// One unit's share of a whole-network estimate.
struct UnitResources {
  const char *unit;
  uint32_t dsp = 0;
  uint32_t ramb18 = 0;     ///< block RAM in RAMB18 halves
  int64_t lut = 0, ff = 0; ///< rounded; control can be negative (calibrated)
};

/// Estimated resources of the generated accelerator (docs/hardware.md).
struct ResourceEstimate {
  uint32_t dspEngines = 0;  ///< XNOR lanes + INT8-packed multipliers
  uint32_t dspRequant = 0;  ///< the three requant multipliers
  uint32_t dspControl = 0;  ///< address and size multipliers
  uint32_t bram36 = 0;      ///< activation + binary buffers, in RAMB36 units
  uint32_t lut = 0, ff = 0; ///< fabric logic (calibrated model, see CostModel.cpp)
  uint32_t dsp() const { return dspEngines + dspRequant + dspControl; }
  /// blend_net: the binary and fixed-point engines (with their weight RAMs),
  /// post-processing (with its constants), the activation memories, the
  /// transposer and control; the totals above are their sums (LUT and FF
  /// rounded once, so the units' rounded values may differ by one).
  std::vector<UnitResources> units;
};

/// The cost model of one layer step (docs/hardware.md): descriptor fetch, the
/// first output pixel, then the slowest of the two controllers and the
/// post-processing unit per pixel, then the pipeline drain.
struct StepCost {
  uint64_t cycles = 0;
  uint64_t binaryBeatsPerPixel = 0, fixedBeatsPerPixel = 0, postPerPixel = 0;
  uint64_t binaryMacs = 0, fixedMacs = 0;
  const char *bound = ""; ///< "binary", "fixed" or "post-processing"
};
StepCost estimateStepCost(const schedule::Step &step,
                          const schedule::NetworkHardware &hardware);

/// Cycles to load one image (one pixel per beat).
uint64_t estimateLoadCycles(const schedule::Network &net);

/// Cycle estimate for one image: load plus every step.
uint64_t estimateCycles(const schedule::Network &net);

ResourceEstimate estimateResources(const schedule::Network &net,
                                   bool lutXnor = false);

} // namespace blend

#endif // BLEND_DIALECTS_BLEND_COSTMODEL_COSTMODEL_H
