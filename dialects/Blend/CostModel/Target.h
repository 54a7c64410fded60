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

/// Where the binary XNORs run: DSP48E2 logic mode (48 per DSP, the paper's
/// low-power form) or LUTs (one DSP per binary lane less). Auto: DSP48E2,
/// or LUTs when no DSP48E2 datapath fits the part and budgets.
enum class BinaryImpl { Auto, Dsp, Lut };

/// Where the design goes: the part and the clock the latency is quoted at.
struct TargetInfo {
  std::string part, board, dspFamily;
  uint32_t dsp = 0, bram36 = 0, lut = 0, ff = 0;
  double clockMhz = 200.0;
  /// DSPs the design may use (--dsp-budget); 0 = the whole part.
  uint32_t dspBudget = 0;
  /// Where the binary XNORs run (--binary-impl); the search resolves Auto.
  BinaryImpl binaryImpl = BinaryImpl::Auto;
  /// RAMB36 the design may use (--bram-budget); 0 = the whole part.
  uint32_t bramBudget = 0;
  /// Row stripes of the first layers (--stripes): 0 = only when the whole
  /// tensors do not fit, 1 = never, N = always N.
  uint32_t stripes = 0;
  /// Striped tensors keep the rows a later stripe reads (copy steps), or
  /// each stripe computes its halo rows again (--stripe-halo); unset: both
  /// are estimated and the faster that fits is taken.
  std::optional<bool> keepRows;
  uint32_t dspAvailable() const {
    return dspBudget ? std::min(dspBudget, dsp) : dsp;
  }
  uint32_t bram36Available() const {
    return bramBudget ? std::min(bramBudget, bram36) : bram36;
  }
  /// Binary XNORs in LUTs (only Lut; the search resolves Auto first).
  bool lutXnor() const { return binaryImpl == BinaryImpl::Lut; }
};

/// The accelerator chosen for a model: the blend_net program, the target
/// it was chosen for (with the binary implementation resolved), and the
/// importer's notes on how the model was read (for the report).
struct AcceleratorDesign {
  schedule::Network network;
  TargetInfo target;
  std::vector<std::string> notes;
};

} // namespace blend

#endif // BLEND_DIALECTS_BLEND_COSTMODEL_TARGET_H
