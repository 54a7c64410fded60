//===- DatapathSearch.cpp - the fastest blend_net datapath that fits -------===//
//
// blendc's one decision above the passes: which datapath to generate. Every
// candidate — Pe = the widest layer's output channels or capped (output-
// channel tiles), each (Lanes, FixCh), folded or not, the descriptor RAM in 8
// banks or 1, pixel pairs or not, and, when whole tensors do not fit the
// block RAM, row stripes with kept or recomputed halos — is built by the
// network passes (BuildNetwork.h) and estimated by the cost model, which is
// exact; the fastest that fits the part wins, fewer DSP48E2 on a tie. The
// binary XNORs run in DSP48E2 logic mode unless no such datapath fits (or
// --binary-impl says lut): then the same search runs with them in LUTs.
//
//===----------------------------------------------------------------------===//

#include "compiler/Search/DatapathSearch.h"

#include "compiler/Search/BuildNetwork.h"
#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/CostModel/CostModel.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>
#include <memory>

using namespace mlir;
using namespace blend;

namespace {

/// The blend_net datapath candidates. Pe = the widest layer's output
/// channels (0) or capped (output-channel tiles).
constexpr unsigned kPeCaps[] = {0, 128, 64, 32, 16};

/// (Lanes, FixCh) with folds on both paths, the skip path only (the binary
/// memory's lane-group copies cost block RAM), or none.
struct Width {
  unsigned lanes, fixedChannels, maxFold;
  bool foldMain;
};
constexpr Width kWidths[] = {
    {8, 4, 4, true}, {8, 4, 4, false}, {8, 4, 1, true},
    {4, 4, 4, true}, {4, 4, 4, false}, {4, 4, 1, true},
    {4, 2, 4, true}, {4, 2, 4, false}, {4, 2, 1, true},
    {2, 2, 4, true}, {2, 2, 4, false}, {2, 2, 1, true},
    {2, 1, 4, true}, {2, 1, 4, false}, {2, 1, 1, true},
    {1, 1, 4, true}, {1, 1, 4, false}, {1, 1, 1, true}};

/// Every blend_net datapath for one model, estimated: each built by the
/// passes with its options (BuildNetwork.h), the fastest that fits the part
/// kept (fewer DSP48E2 on a tie; the cycle model is exact).
class NetworkSearch {
public:
  NetworkSearch(ModuleOp module, const TargetInfo &target)
      : module(module), target(target) {}

  /// Runs the search; fails when the model does not map at all (reported
  /// at its op already).
  LogicalResult run();

  /// The fastest datapath that fits, and the options that build it.
  std::optional<schedule::Network> best;
  NetworkOptions bestOptions;
  /// Until one fits: the last unstriped candidate tried (the narrowest),
  /// whose numbers the refusal gives.
  std::optional<schedule::Network> narrowest;
  /// A candidate with whole tensors failed on block RAM alone.
  bool memoryBound = false;
  /// Row stripes shrink the activation memories only: some memory-bound
  /// candidate's other block RAM (weights, constants, descriptors) fits the
  /// part. Else the least of that other block RAM, in RAMB36.
  bool stripesMayFit = false;
  uint32_t leastOtherBram = UINT32_MAX;

private:
  FailureOr<schedule::Network> build(const NetworkOptions &options);
  FailureOr<schedule::Network> buildQuietly(const NetworkOptions &options);
  LogicalResult searchWidths(unsigned stripes, bool keepRows, bool autoStripes);
  void consider(const schedule::Network &net, NetworkOptions options,
                bool striped);
  void estimate(schedule::Network candidate, const NetworkOptions &options,
                bool striped, bool &fits);

  ModuleOp module;
  const TargetInfo &target;
  /// One formed network per FixCh: the datapaths differ after formation.
  std::map<unsigned, OwningOpRef<ModuleOp>> formed;
  uint32_t widest = 0;
  uint64_t bestCycles = UINT64_MAX;
  uint32_t bestDsp = UINT32_MAX;
};

} // namespace

FailureOr<schedule::Network>
NetworkSearch::build(const NetworkOptions &options) {
  auto it = formed.find(options.fixedChannels);
  if (it == formed.end()) {
    FailureOr<OwningOpRef<ModuleOp>> f =
        formNetwork(module, options.fixedChannels);
    if (failed(f))
      return failure();
    it = formed.emplace(options.fixedChannels, std::move(*f)).first;
  }
  return buildNetwork(*it->second, options);
}

FailureOr<schedule::Network>
NetworkSearch::buildQuietly(const NetworkOptions &options) {
  ScopedDiagnosticHandler quiet(module.getContext(),
                                [](Diagnostic &) { return success(); });
  return build(options);
}

LogicalResult NetworkSearch::run() {
  // Row stripes: as --stripes says, or — when no datapath fits with the
  // whole tensors in memory and only block RAM is short — the fastest
  // stripe count that fits.
  std::vector<unsigned> stripeCounts = {target.stripes ? target.stripes : 1};
  for (size_t sc = 0; sc < stripeCounts.size(); ++sc) {
    unsigned stripes = stripeCounts[sc];
    bool autoStripes = !target.stripes && stripes > 1;
    // Kept halo rows (every row computed once, but every striped tensor
    // held between stripes) or computed again; unstriped, neither.
    std::vector<bool> halos = {true};
    if (stripes > 1)
      halos = target.keepRows ? std::vector<bool>{*target.keepRows}
                              : std::vector<bool>{true, false};
    for (bool keepRows : halos)
      if (failed(searchWidths(stripes, keepRows, autoStripes)))
        return failure();
    if (!best && !target.stripes && memoryBound && stripesMayFit &&
        stripeCounts.size() == 1)
      stripeCounts.insert(stripeCounts.end(), {2, 4, 8, 16, 32});
  }
  return success();
}

LogicalResult NetworkSearch::searchWidths(unsigned stripes, bool keepRows,
                                          bool autoStripes) {
  for (unsigned cap : kPeCaps) {
    if (cap && widest && cap >= widest)
      continue; // the same hardware as without the cap
    for (const Width &width : kWidths) {
      NetworkOptions options{width.lanes,   width.fixedChannels, cap,
                             width.maxFold, width.foldMain,      stripes,
                             keepRows};
      // A capped Pe the model cannot use (a streamed output wider than the
      // cap) or a stripe count it cannot (more stripes than the cut tensor
      // has rows) is only skipped; the uncapped, unstriped datapath failing
      // means the model does not map (reported, independent of widths).
      bool optional = cap || autoStripes;
      FailureOr<schedule::Network> net =
          optional ? buildQuietly(options) : build(options);
      if (failed(net)) {
        if (optional)
          break;
        return failure();
      }
      if (!optional)
        widest = std::max(widest, net->hardware.pe);
      consider(*net, options, autoStripes);
    }
  }
  return success();
}

void NetworkSearch::consider(const schedule::Network &net,
                             NetworkOptions options, bool striped) {
  // The network as built, then — only where it does not fit — its
  // variants, each built by the passes with its options: the descriptor RAM
  // in one bank (42 fetch cycles per pass instead of 6, less block RAM) and
  // no pixel pairs (no second accumulators or banked memory). Each has more
  // cycles (blend-pack-dsp pairs a pass only where that is faster), so it
  // cannot win where the network as built fits.
  bool fits = false;
  estimate(net, options, striped, fits);
  for (auto [banks, pairs] : {std::pair{1u, true}, {8u, false}, {1u, false}}) {
    if (fits)
      return;
    if (!pairs && !net.hardware.pairs)
      continue; // the same as the pair variant
    options.descBanks = banks;
    options.pairPixels = pairs;
    // The default variant built, so these do too; a failure would only drop
    // the variant.
    FailureOr<schedule::Network> variant = buildQuietly(options);
    if (succeeded(variant)) {
      bool variantFits = false;
      estimate(std::move(*variant), options, striped, variantFits);
    }
  }
}

void NetworkSearch::estimate(schedule::Network candidate,
                             const NetworkOptions &options, bool striped,
                             bool &fits) {
  ResourceEstimate res = estimateResources(candidate, target.lutXnor());
  bool logicFits = res.dsp() <= target.dspAvailable() &&
                   res.lut <= target.lut && res.ff <= target.ff;
  fits = logicFits && res.bram36 <= target.bram36Available();
  if (!fits && logicFits) {
    memoryBound = true;
    uint32_t otherHalves = 0;
    for (const UnitResources &u : res.units)
      if (llvm::StringRef(u.unit) != "activation memories")
        otherHalves += u.ramb18;
    uint32_t other = (otherHalves + 1) / 2;
    stripesMayFit |= other < target.bram36Available();
    leastOtherBram = std::min(leastOtherBram, other);
  }
  uint64_t cycles = estimateCycles(candidate);
  if (fits && (cycles < bestCycles ||
               (cycles == bestCycles && res.dsp() < bestDsp))) {
    best = std::move(candidate);
    bestOptions = options;
    bestCycles = cycles;
    bestDsp = res.dsp();
  } else if (!best && !striped) {
    narrowest = std::move(candidate);
  }
}

/// The refusal of a model that fits no datapath of the part, with the
/// numbers of `net`, the narrowest datapath tried, and of its form with the
/// binary XNORs in LUTs when that was tried too (`lutNet`; else, with the
/// XNORs in DSP48E2s, a hint that LUTs free some).
static std::string fitRefusal(const schedule::Network &net,
                              const TargetInfo &target, bool memoryBound,
                              bool stripesMayFit, uint32_t leastOtherBram,
                              const schedule::Network *lutNet) {
  ResourceEstimate res = estimateResources(net, target.lutXnor());
  std::string which =
      llvm::formatv(" (the narrowest datapath tried: Pe {0}, {1} "
                    "post-processing lanes, {2} fixed-point channels per "
                    "beat)",
                    net.hardware.pe, net.hardware.lanes,
                    net.hardware.fixedChannels)
          .str();
  if (net.hardware.stripes)
    which += llvm::formatv(", in {0} row stripes", schedule::rowStripeCount(net))
                 .str();
  else if (!target.stripes && memoryBound && stripesMayFit)
    which += "; in 2 to 32 row stripes it does not fit either";
  else if (!target.stripes && memoryBound)
    which += llvm::formatv("; row stripes would not help: its weights, "
                           "constants and descriptors alone take at least "
                           "{0} RAMB36",
                           leastOtherBram)
                 .str();
  if (lutNet) {
    ResourceEstimate lut = estimateResources(*lutNet, /*lutXnor=*/true);
    which += llvm::formatv("; with the binary XNORs in LUTs: {0} DSP48E2, "
                           "{1} RAMB36, about {2} LUT",
                           lut.dsp(), lut.bram36, lut.lut)
                 .str();
  } else if (!target.lutXnor()) {
    which += "; --binary-impl lut would free one DSP48E2 per binary lane";
  }
  return llvm::formatv(
      "the design does not fit {0}: it needs {1} DSP48E2 (engines {2}, "
      "requant {3}, control {4}), {5} RAMB36, about {6} LUT and {7} FF{13}; "
      "available: {8} DSP48E2{9}, {10} RAMB36{14}, {11} LUT, {12} FF",
      target.part, res.dsp(), res.dspEngines, res.dspRequant, res.dspControl,
      res.bram36, res.lut, res.ff, target.dspAvailable(),
      target.dspBudget ? " (--dsp-budget)" : "", target.bram36Available(),
      target.lut, target.ff, which,
      target.bramBudget ? " (--bram-budget)" : "");
}

llvm::Expected<AcceleratorDesign>
blend::mapOntoAccelerator(ModuleOp module, llvm::StringRef source,
                          const TargetInfo &target, NetworkOptions *chosen) {
  auto refuse = [&](const llvm::Twine &why) {
    return llvm::make_error<llvm::StringError>((source + ": " + why).str(),
                                               llvm::inconvertibleErrorCode());
  };
  // A part the RTL cannot use is refused before any datapath is tried.
  if (target.dspFamily != "DSP48E2")
    return refuse(target.part + " has " + target.dspFamily +
                  " blocks; this version generates DSP48E2 (UltraScale+) RTL "
                  "only");
  AcceleratorDesign g;
  if (auto notes = module->getAttrOfType<ArrayAttr>("blend.import_notes"))
    for (Attribute note : notes)
      g.notes.push_back(cast<StringAttr>(note).str());
  // The XNORs in DSP48E2 logic mode first (unless --binary-impl lut); in
  // LUTs when that was asked for, or (auto) when nothing fits otherwise.
  g.target = target;
  if (g.target.binaryImpl == BinaryImpl::Auto)
    g.target.binaryImpl = BinaryImpl::Dsp;
  auto search = std::make_unique<NetworkSearch>(module, g.target);
  // A model that does not map was reported at its op (one line); the error
  // carries no second message.
  if (failed(search->run()))
    return llvm::make_error<llvm::StringError>(
        "", std::make_error_code(std::errc::invalid_argument));
  std::unique_ptr<NetworkSearch> lutSearch;
  TargetInfo lut = g.target;
  lut.binaryImpl = BinaryImpl::Lut;
  if (!search->best && target.binaryImpl == BinaryImpl::Auto) {
    lutSearch = std::make_unique<NetworkSearch>(module, lut);
    if (succeeded(lutSearch->run()) && lutSearch->best) {
      g.target = lut;
      g.notes.push_back(
          "The binary XNORs run in LUTs: no datapath with them in DSP48E2 "
          "logic mode fits " +
          target.part + " and its budgets (--binary-impl dsp insists).");
      search = std::move(lutSearch);
    }
  }
  if (!search->best) {
    if (!search->narrowest)
      return refuse("no datapath of blend_net fits");
    const schedule::Network *lutNet =
        lutSearch && lutSearch->narrowest ? &*lutSearch->narrowest : nullptr;
    return refuse(fitRefusal(*search->narrowest, g.target,
                             search->memoryBound, search->stripesMayFit,
                             search->leastOtherBram, lutNet));
  }
  g.network = std::move(*search->best);
  if (chosen)
    *chosen = search->bestOptions;
  return g;
}
