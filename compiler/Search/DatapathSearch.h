//===- DatapathSearch.h - the fastest datapath that fits the part -*- C++ -*-===//
//
// Chooses the accelerator for a lowered model: the blend_net datapath with
// the fewest estimated cycles that fits the target's DSP, block RAM, LUT and
// FF budgets, with the binary XNORs in DSP48E2 logic mode when such a
// datapath fits, else in LUTs (docs/hardware.md, "Datapath search"). The
// emitters (codegen/Accelerator) only write what this returns.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_SEARCH_DATAPATHSEARCH_H
#define BLEND_COMPILER_SEARCH_DATAPATHSEARCH_H

#include "compiler/Search/BuildNetwork.h"
#include "dialects/Blend/CostModel/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

namespace blend {

/// The accelerator for the lowered `module` on `target`. A model that does
/// not map is reported as a diagnostic at its op and the error is then
/// empty (nothing more to print); a part of the wrong DSP family, or a
/// design that fits no datapath (with the numbers), is an error naming
/// `source`.
/// When `chosen` is given it receives the options that build the winner
/// (lowerOntoNetwork); the design's target has the binary implementation
/// resolved (never BinaryImpl::Auto).
llvm::Expected<AcceleratorDesign>
mapOntoAccelerator(mlir::ModuleOp module, llvm::StringRef source,
                   const TargetInfo &target, NetworkOptions *chosen = nullptr);

} // namespace blend

#endif // BLEND_COMPILER_SEARCH_DATAPATHSEARCH_H
