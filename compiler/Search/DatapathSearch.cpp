//===- DatapathSearch.cpp - the fastest blend_net datapath that fits -------===//
//
// blendc's one decision above the passes: which datapath to generate. Every
// candidate — Pe = the widest layer's output channels or capped (output-
// channel tiles), each (Lanes, FixCh), folded or not, the descriptor RAM in 8
// banks or 1, pixel pairs or not, and, when whole tensors do not fit the
// block RAM, row stripes with kept or recomputed halos — is built by the
// network passes (BuildNetwork.h) and estimated by the cost model, which is
// exact; the fastest that fits the part wins, fewer DSP48E2 on a tie. The
// single-module form of one Blend module takes blend_accel instead.
//
//===----------------------------------------------------------------------===//

#include "compiler/Search/DatapathSearch.h"

#include "compiler/Search/BuildNetwork.h"
#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/CostModel/CostModel.h"
#include "dialects/Blend/ModuleIR.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>

using namespace mlir;
using namespace blend;

llvm::Expected<AcceleratorDesign>
blend::mapOntoAccelerator(ModuleOp module, llvm::StringRef source,
                          const TargetInfo &target, NetworkOptions *chosen) {
  // A part the RTL cannot use is refused before any datapath is tried.
  if (target.dspFamily != "DSP48E2")
    return llvm::make_error<llvm::StringError>(
        (source + ": " + target.part + " has " + target.dspFamily +
         " blocks; this version generates DSP48E2 (UltraScale+) RTL only")
            .str(),
        llvm::inconvertibleErrorCode());
  AcceleratorDesign g;
  if (auto notes = module->getAttrOfType<ArrayAttr>("blend.import_notes"))
    for (Attribute note : notes)
      g.notes.push_back(cast<StringAttr>(note).str());
  // A network datapath with whole tensors failed on block RAM alone (row
  // stripes, which store less, are tried then).
  bool memoryBound = false;
  if (isSingleModuleForm(module)) {
    FailureOr<schedule::Schedule> s = buildSchedule(module);
    if (succeeded(s))
      g.module = std::move(*s);
  } else {
    // Every datapath is estimated — Pe = the widest layer's output channels
    // or capped (output-channel tiles), each (Lanes, FixCh), folded (narrow
    // passes share their reduction among lane groups, which costs memory
    // copies) on both paths, on the skip path only or not, the descriptor
    // RAM in 8 banks or 1, pixel pairs or not (where the products fit 9
    // bits), and, when whole tensors do not fit the block RAM, row stripes —
    // and the one that fits the part with the fewest estimated cycles wins
    // (the cycle model is exact), fewer DSP48E2 on a tie. If none fits, the
    // refusal describes the narrowest.
    static const unsigned kPeCaps[] = {0, 128, 64, 32, 16};
    // Folds: both paths, the skip path only (the binary memory's lane-group
    // copies cost block RAM), or none.
    struct Width {
      unsigned lanes, fixedChannels, maxFold;
      bool foldMain;
    };
    static const Width kWidths[] = {
        {8, 4, 4, true}, {8, 4, 4, false}, {8, 4, 1, true},
        {4, 4, 4, true}, {4, 4, 4, false}, {4, 4, 1, true},
        {4, 2, 4, true}, {4, 2, 4, false}, {4, 2, 1, true},
        {2, 2, 4, true}, {2, 2, 4, false}, {2, 2, 1, true},
        {2, 1, 4, true}, {2, 1, 4, false}, {2, 1, 1, true},
        {1, 1, 4, true}, {1, 1, 4, false}, {1, 1, 1, true}};
    bool modelError = false;
    uint32_t widest = 0;
    std::optional<schedule::Network> best;
    NetworkOptions bestOptions;
    // One formed network per FixCh: the datapaths differ after formation.
    std::map<unsigned, OwningOpRef<ModuleOp>> formed;
    auto build =
        [&](const NetworkOptions &options) -> FailureOr<schedule::Network> {
      auto it = formed.find(options.fixedChannels);
      if (it == formed.end()) {
        FailureOr<OwningOpRef<ModuleOp>> f =
            formNetwork(module, options.fixedChannels);
        if (failed(f))
          return failure();
        it = formed.emplace(options.fixedChannels, std::move(*f)).first;
      }
      return buildNetwork(*it->second, options);
    };
    uint64_t bestCycles = UINT64_MAX;
    uint32_t bestDsp = UINT32_MAX;
    // Estimates a built network and its hardware variants, each built by
    // the passes with its options (nothing is edited after them): the
    // descriptor RAM in eight banks (6 fetch cycles per pass) or, when those
    // banks' block RAM does not fit, in one (42); pixel pairs where
    // blend-pack-dsp chose them or, when their second accumulators and
    // banked memory do not fit, none. Keeps the fastest that fits and, until
    // one fits, the last tried (the narrowest) for the refusal.
    auto consider = [&](const schedule::Network &net, NetworkOptions options,
                        bool striped) {
      for (auto [banks, pairs] :
           {std::pair{8u, true}, {1u, true}, {8u, false}, {1u, false}}) {
        if (!pairs && !net.hardware.pairs)
          continue; // the same as the pair variant
        std::optional<schedule::Network> variant;
        if (banks == 8 && pairs) {
          variant = net; // built with the default options
        } else {
          options.descBanks = banks;
          options.pairPixels = pairs;
          // The default variant built, so these do too; a failure would
          // only drop the variant.
          ScopedDiagnosticHandler quiet(
              module.getContext(), [](Diagnostic &) { return success(); });
          FailureOr<schedule::Network> built = build(options);
          if (failed(built))
            continue;
          variant = std::move(*built);
        }
        schedule::Network &candidate = *variant;
        ResourceEstimate res = estimateResources(candidate, target.lutXnor);
        bool logicFits = res.dsp() <= target.dspAvailable() &&
                         res.lut <= target.lut && res.ff <= target.ff;
        bool fits = logicFits && res.bram36 <= target.bram36Available();
        if (!fits && logicFits)
          memoryBound = true;
        uint64_t cycles = estimateCycles(candidate);
        if (fits && (cycles < bestCycles ||
                     (cycles == bestCycles && res.dsp() < bestDsp))) {
          best = std::move(candidate);
          bestOptions = options;
          bestOptions.descBanks = banks;
          bestOptions.pairPixels = pairs;
          bestCycles = cycles;
          bestDsp = res.dsp();
        } else if (!best && !striped) {
          g.network = std::move(candidate); // the smallest tried, for the
                                            // refusal
        }
        // Every other variant has more cycles (42 fetch cycles instead of
        // 6; blend-pack-dsp pairs a pass only where that is faster), so it
        // can only win where this one does not fit: not built then.
        if (fits && banks == 8 && pairs)
          break;
      }
    };
    // Row stripes: as --stripes says, or — when no datapath fits with the
    // whole tensors in memory — the fastest stripe count that fits.
    std::vector<unsigned> stripeCounts;
    if (target.stripes)
      stripeCounts = {target.stripes};
    else
      stripeCounts = {1};
    for (size_t sc = 0; sc < stripeCounts.size() && !modelError; ++sc) {
      unsigned stripes = stripeCounts[sc];
      bool autoStripes = !target.stripes && stripes > 1;
      // Kept halo rows (every row computed once, but every striped tensor
      // held between stripes) or computed again; unstriped, neither.
      std::vector<bool> halos;
      if (stripes <= 1)
        halos = {true};
      else if (target.keepRows)
        halos = {*target.keepRows};
      else
        halos = {true, false};
      for (size_t hc = 0; hc < halos.size() && !modelError; ++hc)
        for (unsigned cap : kPeCaps) {
          if (cap && widest && cap >= widest)
            continue; // the same hardware as without the cap
          for (const Width &width : kWidths) {
            NetworkOptions options{width.lanes,   width.fixedChannels, cap,
                                   width.maxFold, width.foldMain,      stripes,
                                   halos[hc]};
            FailureOr<schedule::Network> net = failure();
            if (cap || autoStripes) {
              // A capped Pe the model cannot use (a streamed output wider than
              // the cap) or a stripe count it cannot (more stripes than the
              // cut tensor has rows) is only skipped.
              ScopedDiagnosticHandler quiet(
                  module.getContext(), [](Diagnostic &) { return success(); });
              net = build(options);
              if (failed(net))
                break;
            } else {
              net = build(options);
              if (failed(net)) {
                modelError = true; // reported already (independent of widths)
                break;
              }
              widest = std::max(widest, net->hardware.pe);
            }
            consider(*net, options, autoStripes);
          }
          if (modelError)
            break;
        }
      // Nothing fits with whole tensors and only block RAM is short: try row
      // stripes, which store less.
      if (!best && !target.stripes && memoryBound && stripeCounts.size() == 1)
        stripeCounts.insert(stripeCounts.end(), {2, 4, 8, 16, 32});
    }
    if (best) {
      g.network = std::move(best);
      if (chosen)
        *chosen = bestOptions;
    }
    if (modelError)
      g.network.reset();
  }
  // The mapping refusal was reported as a diagnostic at the op (one line);
  // the error carries no second message.
  if (!g.module && !g.network)
    return llvm::make_error<llvm::StringError>(
        "", std::make_error_code(std::errc::invalid_argument));
  auto refuse = [&](const llvm::Twine &why) {
    return llvm::make_error<llvm::StringError>((source + ": " + why).str(),
                                               llvm::inconvertibleErrorCode());
  };
  ResourceEstimate res = g.network
                             ? estimateResources(*g.network, target.lutXnor)
                             : estimateResources(*g.module, target.lutXnor);
  if (res.dsp() > target.dspAvailable() ||
      res.bram36 > target.bram36Available() || res.lut > target.lut ||
      res.ff > target.ff) {
    // For a network: which datapath these numbers describe (the narrowest
    // blendc tried).
    std::string which;
    if (g.network)
      which = llvm::formatv(" (the narrowest datapath tried: Pe {0}, {1} "
                            "post-processing lanes, {2} fixed-point channels "
                            "per beat)",
                            g.network->hardware.pe, g.network->hardware.lanes,
                            g.network->hardware.fixedChannels)
                  .str();
    if (g.network && g.network->hardware.stripes)
      which += llvm::formatv(", in {0} row stripes",
                             schedule::rowStripeCount(*g.network))
                   .str();
    else if (g.network && !target.stripes && memoryBound)
      which += "; in 2 to 32 row stripes it does not fit either";
    return refuse(llvm::formatv(
        "the design does not fit {0}: it needs {1} DSP48E2 (engines {2}, "
        "requant {3}, control {4}), {5} RAMB36, about {6} LUT and {7} FF{13}; "
        "available: {8} DSP48E2{9}, {10} RAMB36{14}, {11} LUT, {12} FF",
        target.part, res.dsp(), res.dspEngines, res.dspRequant, res.dspControl,
        res.bram36, res.lut, res.ff, target.dspAvailable(),
        target.dspBudget ? " (--dsp-budget)" : "", target.bram36Available(),
        target.lut, target.ff, which,
        target.bramBudget ? " (--bram-budget)" : ""));
  }
  return g;
}
