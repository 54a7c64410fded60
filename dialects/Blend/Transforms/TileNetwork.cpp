//===- TileNetwork.cpp - Lanes, Pe and output-channel tiles ---------------===//
//
// blend_net computes Pe output channels of a pass in parallel and
// post-processes Lanes of them per cycle. This pass chooses both from the
// network's layers (Lanes no wider than the widest layer needs, Pe that
// layer's channels rounded up to Lanes, or a cap) and splits every pass wider
// than Pe into output-channel tiles: passes of at most Pe channels with their
// share of the weights and constants, reading the same tensors and writing
// channel slices of one tensor (masked writes). The tiles chain through
// `into`, and the tensor's readers read the last tile, so the tensor's live
// range stays one def-use chain.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/NetworkIR.h"
#include "dialects/Blend/Passes.h"

#include "mlir/IR/Builders.h"

namespace blend {
#define GEN_PASS_DEF_TILENETWORK
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;
using namespace blend::schedule;

namespace {

using Step = blend::schedule::Step;

using F = StepField;

/// Replaces `op` (wider than `pe`) by tiles of at most `pe` channels.
void splitIntoTiles(StepOp op, int64_t pe, size_t fixedChannels) {
  Step p = readStep(op);
  int64_t o = p[F::O];
  size_t rowsB = binaryWeightRows(p), rowsF = fixedWeightRows(p);
  OpBuilder builder(op);
  Value written;
  for (int64_t o0 = 0; o0 < o; o0 += pe) {
    int64_t n = std::min(pe, o - o0);
    Step t = p;
    t[F::O] = n;
    t[F::OutOffset] = o0;
    auto slice = [&](auto &v, size_t per) {
      using T = typename std::decay_t<decltype(v)>::value_type;
      v = std::vector<T>(v.begin() + o0 * per, v.begin() + (o0 + n) * per);
    };
    for (auto *a : {&t.mainMultiplier, &t.mainShift, &t.mainBias,
                    &t.skipMultiplier, &t.skipShift, &t.skipBias,
                    &t.outMultiplier, &t.outShift, &t.outBias})
      slice(*a, 1);
    slice(t.binaryWeights, rowsB);
    slice(t.fixedWeights, rowsF * fixedChannels);
    StepOp tile = createStep(builder, op.getLoc(), t, op.getMain(),
                                op.getSkip(), written);
    tile.setMainAccWidthAttr(op.getMainAccWidthAttr());
    tile.setSkipAccWidthAttr(op.getSkipAccWidthAttr());
    tile.setSkipMagnitudeAttr(op.getSkipMagnitudeAttr());
    written = tile.getResult();
  }
  op.getResult().replaceAllUsesWith(written);
  op.erase();
}

struct TileNetworkPass : blend::impl::TileNetworkBase<TileNetworkPass> {
  using TileNetworkBase::TileNetworkBase;
  void runOnOperation() override {
    NetworkOp net = requireNetwork(getOperation(), "tile", NetworkStage::Formed);
    if (!net)
      return signalPassFailure();
    if (lanes == 0 || (lanes & (lanes - 1)) != 0) {
      emitError(net.getLoc(), "blend_net needs a power-of-two lane count, not ")
          << unsigned(lanes);
      return signalPassFailure();
    }
    NetworkHardware h = readHardware(net);
    // No more lanes than the widest layer has channels.
    int64_t maxO = 1;
    SmallVector<StepOp> passes(net.getBlock().getOps<StepOp>());
    for (StepOp op : passes) {
      schedule::Step p = readFields(op);
      if (!p[F::Transpose] && !p[F::Pool])
        maxO = std::max(maxO, p[F::O]);
    }
    int64_t l = lanes;
    while (l > 1 && l / 2 >= maxO)
      l /= 2;
    // Pe: the widest layer's channels, or the cap; a layer wider than Pe
    // runs in output-channel tiles of Pe channels, which write whole bytes of
    // the binary memory (Pe a multiple of 8).
    int64_t pe = (maxO + l - 1) / l * l;
    if (maxPe && pe > int64_t(maxPe)) {
      int64_t step = std::max<int64_t>(l, 8);
      pe = int64_t(maxPe) / step * step;
      if (pe < step) {
        emitError(net.getLoc(), "cannot be mapped to the accelerator: a cap of ")
            << unsigned(maxPe) << " output channels is below the " << step
            << " an output-channel tile needs";
        return signalPassFailure();
      }
      for (StepOp op : passes) {
        schedule::Step p = readFields(op);
        if (p[F::Transpose] || p[F::Pool] || p[F::O] <= pe)
          continue; // the movers write whole pixels
        if (p[F::Stream]) {
          emitError(net.getLoc(), "cannot be mapped to the accelerator: the streamed "
                        "model output has ")
              << p[F::O] << " channels, more than the " << pe
              << " the engines compute at once";
          return signalPassFailure();
        }
        splitIntoTiles(op, pe, h.fixedChannels);
        h.tiled = 1;
      }
    }
    h.lanes = uint32_t(l);
    h.pe = uint32_t(pe);
    writeHardware(net, h);
  }
};

} // namespace
