//===- PackDsp.cpp - what each DSP lane computes in a beat ----------------===//
//
// Two decisions about the engines' DSP lanes (docs/hardware.md):
//
// * Packed kernel rows. A binary beat XNORs 48-bit words in DSP48E2 logic
//   mode. A 3x3 kernel over C <= 64 channels wastes most of a word when each
//   tap takes its own; packing a kernel row's three taps back to back into
//   slots of S bits (channel c of tap kx is bit S·kx + c of the row's 3·S
//   bits, S/16 words) takes a row in S/16 beats instead of 3 taps' worth.
// * Lane groups. A pass with O ≤ Pe/2 output channels leaves lanes idle; F
//   lane groups each compute the same O outputs over their part of the
//   receptive field in the same beat and blend_fold sums them, which divides
//   the beats per pixel by up to F.
//
// * Pixel pairs. A skip path whose every product w·(q − zp) fits 9 bits
//   signed can give a DSP two activations (two output pixels of a row) as
//   well as two weights: four products per DSP (blend_fixed_engine), which
//   halves its beats per pixel.
//
// The first two re-lay the weight rows the engines read; the descriptor says
// how.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/CostModel/CostModel.h"
#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/NetworkIR.h"
#include "dialects/Blend/Passes.h"

namespace blend {
#define GEN_PASS_DEF_PACKDSP
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;
using namespace blend::schedule;

namespace {

using Step = blend::schedule::Step;

using F = StepField;

/// The slot a 3x3 binary kernel row over `c` channels packs its taps into
/// when that takes fewer beats than one (tap, word) per beat: S = 16 for
/// C <= 16 (1 beat per row instead of 3), 32 for C <= 32 (2 instead of 3),
/// 64 for 48 < C <= 64 (4 instead of 6); 0: no packing.
int64_t packedSlot(int64_t k, int64_t c) {
  if (k != 3)
    return 0;
  if (c <= 16)
    return 16;
  if (c <= 32)
    return 32;
  if (c > 48 && c <= 64)
    return 64;
  return 0;
}

/// Re-lays the binary weights of `p` from (tap, 48-bit word) rows into packed
/// kernel rows of `slot`-bit slots.
void packKernelRows(Step &p, int64_t slot) {
  int64_t o = p[F::O], c = p[F::MainC], words = p[F::MainWords];
  int64_t rowWords = slot / 16;
  std::vector<uint64_t> packed(size_t(o * 3 * rowWords), 0);
  for (int64_t oc = 0; oc < o; ++oc)
    for (int64_t ky = 0; ky < 3; ++ky)
      for (int64_t kx = 0; kx < 3; ++kx)
        for (int64_t ch = 0; ch < c; ++ch) {
          uint64_t word =
              p.binaryWeights[size_t((oc * 9 + ky * 3 + kx) * words + ch / 48)];
          if (!((word >> (ch % 48)) & 1))
            continue;
          int64_t bit = slot * kx + ch;
          packed[size_t((oc * 3 + ky) * rowWords + bit / 48)] |= uint64_t(1)
                                                                  << (bit % 48);
        }
  p.binaryWeights = std::move(packed);
  p[F::MainPack] = slot;
  p[F::MainWords] = rowWords;
}

/// The binary path folds over 2 lane groups when its kernel is at least 2x2
/// and a beat is a packed kernel row (group 1 takes the next row) or one word
/// of a tap (C <= 48; group 1 takes the next tap in raster order), through
/// copies of the binary memory.
void foldMainPath(Step &p, NetworkHardware &h, int64_t maxFold) {
  int64_t pe = h.pe;
  int64_t o = p[F::O], k = p[F::MainK], slot = p[F::MainPack];
  if (maxFold < 2 || pe % 4 != 0 || 2 * o > pe || k < 2 ||
      slot > 32 || (!slot && p[F::MainWords] != 1))
    return;
  // A part is a packed kernel row of `words` words, or a tap of one word.
  size_t words = slot ? size_t(p[F::MainWords]) : 1;
  size_t oldRows = binaryWeightRows(p);
  p[F::MainFold] = 2;
  size_t rows = binaryWeightRows(p);
  std::vector<uint64_t> w(size_t(2 * o) * rows, 0);
  for (int64_t g = 0; g < 2; ++g)
    for (int64_t oc = 0; oc < o; ++oc)
      for (size_t row = 0; row < rows; ++row) {
        // Group g's beat `row` is word row % words of part 2·(row / words) + g.
        size_t from = (2 * (row / words) + size_t(g)) * words + row % words;
        if (from < oldRows)
          w[size_t(g * o + oc) * rows + row] =
              p.binaryWeights[size_t(oc) * oldRows + from];
      }
  p.binaryWeights = std::move(w);
  h.mainFolds = 2;
}

/// The skip path folds over F lane groups. A pass over one channel group
/// with kernel rows of at least 2 taps gives each group one tap of F
/// adjacent taps of a row (row split: ceil(KW/F) beats per kernel row,
/// through activation-memory copies); a pass over more channel groups gives
/// each group other channel groups of the same tap (channel split). F is the
/// smallest power of two with the fewest beats.
void foldSkipPath(Step &p, NetworkHardware &h, int64_t maxFold) {
  int64_t pe = h.pe;
  int64_t fix = h.fixedChannels;
  int64_t o = p[F::O], groups = p[F::SkipCGroups];
  int64_t kw = p[F::SkipKW];
  bool shared = p[F::SkipShared];
  // The folds the datapath allows for this pass (lane groups of an even
  // number of lanes that hold O).
  auto allowed = [&](int64_t f) {
    return f <= maxFold && pe % (2 * f) == 0 && o * f <= pe;
  };
  int64_t fold = 1;
  bool rowSplit = false;
  if (groups == 1 && !shared && kw >= 2) {
    for (int64_t f : {2, 4})
      if (allowed(f) && (kw + f - 1) / f < (kw + fold - 1) / fold)
        fold = f, rowSplit = true;
  } else if (groups > 1) {
    for (int64_t f : {2, 4})
      if (allowed(f) &&
          (groups + f - 1) / f < (groups + fold - 1) / fold)
        fold = f;
  }
  if (fold == 1)
    return;
  size_t oldRows = fixedWeightRows(p);
  p[F::SkipFold] = fold;
  p[F::SkipRowSplit] = rowSplit;
  size_t rows = fixedWeightRows(p);
  int64_t beatsPerTap = (groups + fold - 1) / fold;
  int64_t beatsPerRow = (kw + fold - 1) / fold; // row split
  std::vector<int8_t> w(size_t(fold * o) * rows * size_t(fix), 0);
  for (int64_t g = 0; g < fold; ++g)
    for (int64_t oc = 0; oc < o; ++oc)
      for (size_t row = 0; row < rows; ++row) {
        // The old row (tap·groups + channel group) this lane-row takes.
        int64_t from;
        if (rowSplit) {
          int64_t kx = (int64_t(row) % beatsPerRow) * fold + g;
          if (kx >= kw)
            continue;
          from = (int64_t(row) / beatsPerRow) * kw + kx;
        } else {
          int64_t tap = int64_t(row) / beatsPerTap;
          int64_t cg = (int64_t(row) % beatsPerTap) * fold + g;
          if (cg >= groups)
            continue;
          from = tap * groups + cg;
        }
        for (int64_t f = 0; f < fix; ++f)
          w[((size_t(g * o + oc) * rows) + row) * size_t(fix) + size_t(f)] =
              p.fixedWeights[(size_t(oc) * oldRows + size_t(from)) *
                                 size_t(fix) +
                             size_t(f)];
      }
  p.fixedWeights = std::move(w);
  h.folds = std::max<uint32_t>(h.folds, uint32_t(fold));
  if (rowSplit)
    h.fixedCopies =
        std::max<uint32_t>(h.fixedCopies, uint32_t(std::min(kw, fold) - 1));
}

/// Whether pass `p` (op `op`) may compute pixel pairs: an unfolded, unshared
/// skip path over at least two pixels whose products w·(q − zp) all lie in
/// [-255, 255] (|w| at most the weights' largest magnitude, |q − zp| at most
/// the op's skip_magnitude), and whose pairs' two taps always sit at
/// addresses of different parity (different activation banks).
bool canPairPixels(const Step &p, StepOp op) {
  std::optional<int64_t> magnitude = op.getSkipMagnitude();
  if (!p[F::SkipEnable] || p[F::SkipFold] > 1 || p[F::SkipRowSplit] ||
      p[F::SkipShared] || p[F::OH] * p[F::OW] < 2 || !magnitude ||
      !pairTapsInOtherBank(p))
    return false;
  int64_t wmax = 0;
  for (int8_t w : p.fixedWeights)
    wmax = std::max<int64_t>(wmax, w < 0 ? -int64_t(w) : int64_t(w));
  return wmax * *magnitude <= 255;
}

struct PackDspPass : blend::impl::PackDspBase<PackDspPass> {
  using PackDspBase::PackDspBase;
  void runOnOperation() override {
    NetworkOp net = requireNetwork(getOperation(), "pack", NetworkStage::Tiled);
    if (!net)
      return signalPassFailure();
    if (maxFold != 1 && maxFold != 2 && maxFold != 4) {
      emitError(net.getLoc(), "blend_net folds a reduction over 1, 2 or 4 "
                              "lane groups, not ")
          << unsigned(maxFold);
      return signalPassFailure();
    }
    NetworkHardware h = readHardware(net);
    h.folds = 1;
    h.fixedCopies = 0;
    h.mainFolds = 1;
    h.packBits = 16;
    h.pairs = 0;
    // Pair-capable hardware, to price each pass's pair mode.
    NetworkHardware paired = h;
    paired.pairs = 1;
    for (StepOp op : net.getBlock().getOps<StepOp>()) {
      schedule::Step p = readStep(op);
      p[F::MainFold] = 1;
      p[F::SkipFold] = 1;
      if (!p[F::Transpose] && !p[F::Pool]) {
        if (int64_t slot = packedSlot(p[F::MainK], p[F::MainC]);
            packRows && p[F::MainEnable] && !p[F::MainPack] && slot) {
          packKernelRows(p, slot);
          h.packBits = std::max<uint32_t>(h.packBits, uint32_t(slot));
        }
        if (p[F::MainEnable])
          foldMainPath(p, h, foldMain ? int64_t(maxFold) : 1);
        if (p[F::SkipEnable])
          foldSkipPath(p, h, maxFold);
        p[F::SkipPair] = 0;
        if (pairPixels && canPairPixels(p, op)) {
          uint64_t single = estimateStepCost(p, paired).cycles;
          p[F::SkipPair] = 1;
          if (estimateStepCost(p, paired).cycles < single)
            h.pairs = 1;
          else
            p[F::SkipPair] = 0;
        }
      }
      writeStep(op, p);
    }
    writeHardware(net, h);
  }
};

} // namespace
