//===- Target.h - what a design is built for, and the design ----*- C++ -*-===//
//
// The part, clock and budgets a design is estimated against (filled by blendc
// from the device database, compiler/Target, and its options), and the
// accelerator the datapath search picks (compiler/Search) for the emitters
// (codegen) to write: no MLIR, so every layer above can name them.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_COSTMODEL_TARGET_H
#define BLEND_DIALECTS_BLEND_COSTMODEL_TARGET_H

#include "runtime/ScheduleFormat.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blend {

/// Which core runs a single Blend module (whole networks: blend_net).
enum class CoreChoice { Auto, Network, Module };

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
  /// --core: the faster core that fits, or the one named.
  CoreChoice core = CoreChoice::Auto;
  uint32_t dspAvailable() const {
    return dspBudget ? std::min(dspBudget, dsp) : dsp;
  }
  uint32_t bram36Available() const {
    return bramBudget ? std::min(bramBudget, bram36) : bram36;
  }
};

/// The accelerator chosen for a model: one of the two cores, and the
/// importer's notes on how the model was read (for the report).
struct AcceleratorDesign {
  std::optional<schedule::Schedule> module; ///< blend_accel
  std::optional<schedule::Network> network; ///< blend_net
  std::vector<std::string> notes;
};

} // namespace blend

#endif // BLEND_DIALECTS_BLEND_COSTMODEL_TARGET_H
