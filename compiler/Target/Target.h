//===- Target.h - FPGA parts blendc can target ------------------*- C++ -*-===//
//
// The device database: real parts with the resources the accelerator uses,
// and the check that a generated design fits one. Counts come from the
// vendors' product tables (DSP slices, 36 Kb block RAMs, UltraRAMs, LUTs,
// flip-flops) for the parts of the boards named.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_TARGET_TARGET_H
#define BLEND_COMPILER_TARGET_TARGET_H

#include "dialects/Blend/CostModel/Target.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace blend {

/// One FPGA part.
struct TargetPart {
  const char *name;      ///< part name, e.g. "xczu3eg"
  const char *board;     ///< a board that carries it
  const char *dspFamily; ///< "DSP48E2" (UltraScale+) or "DSP48E1" (7-series)
  uint32_t dsp, bram36, uram, lut, ff;
};

/// Every part in the database.
llvm::ArrayRef<TargetPart> targetParts();

/// The part called `name`, or null.
const TargetPart *lookupTarget(llvm::StringRef name);

/// "xczu3eg, xczu7ev, ..." for the refusal of an unknown part.
std::string knownTargetNames();

/// A design target on the whole of `part` (no budgets, 200 MHz, the
/// defaults of TargetInfo): blendc and blend-map-to-target then apply
/// their options.
TargetInfo targetInfoFor(const TargetPart &part);

} // namespace blend

#endif // BLEND_COMPILER_TARGET_TARGET_H
