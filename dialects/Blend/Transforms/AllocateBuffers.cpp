//===- AllocateBuffers.cpp - blend_net's memories, sized and placed -------===//
//
// The last network pass: weight rows and constant entries go one pass after
// another; the memories' widths and depths follow from the passes; and the
// tensors are placed in the activation memory by a liveness-aware first fit.
// A tensor's live range is its def-use chain — from the pass that writes it
// (the first of its output-channel tiles) to the last pass that reads it — so
// a skip tensor stays alive while the main path runs and its join reads it,
// and any address whose tensor is dead is reused.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/NetworkIR.h"
#include "dialects/Blend/Passes.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

namespace blend {
#define GEN_PASS_DEF_ALLOCATEBUFFERS
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;
using namespace blend::schedule;

namespace {

using Step = blend::schedule::Step;

using F = StepField;

/// One tensor the activation memory holds.
struct Tensor {
  Value root;   ///< the input, or the first pass writing it
  int64_t pass; ///< that pass's index (−1: the input)
  int64_t pixels;
  int64_t lastUse; ///< the last pass writing or reading it
  int64_t base = 0;
};

/// Liveness-aware first fit: each tensor takes the lowest addresses free
/// from its first pass to its last use.
int64_t placeTensors(std::vector<Tensor> &tensors, ArrayRef<Step> passes) {
  struct Region {
    int64_t base, size, lastUse;
  };
  std::vector<Region> live;
  int64_t depth = 1;
  for (Tensor &t : tensors) {
    if (t.pass >= 0 && passes[size_t(t.pass)][F::Stream])
      continue; // streamed out, never stored
    llvm::erase_if(live, [&](const Region &r) { return r.lastUse < t.pass; });
    llvm::sort(
        live, [](const Region &a, const Region &b) { return a.base < b.base; });
    int64_t base = 0;
    for (const Region &r : live) {
      if (base + t.pixels <= r.base)
        break;
      base = std::max(base, r.base + r.size);
    }
    live.push_back({base, t.pixels, t.lastUse});
    depth = std::max(depth, base + t.pixels);
    t.base = base;
  }
  return depth;
}

struct AllocateBuffersPass
    : blend::impl::AllocateBuffersBase<AllocateBuffersPass> {
  using AllocateBuffersBase::AllocateBuffersBase;
  void runOnOperation() override {
    NetworkOp net =
        requireNetwork(getOperation(), "allocate", NetworkStage::Tiled);
    if (!net)
      return signalPassFailure();
    NetworkHardware h = readHardware(net);
    SmallVector<StepOp> ops(net.getBlock().getOps<StepOp>());
    std::vector<schedule::Step> passes;
    llvm::DenseMap<Operation *, int64_t> index;
    for (StepOp op : ops) {
      index[op] = int64_t(passes.size());
      passes.push_back(readFields(op));
    }

    // Widths: the channels of every tensor read or written, of those read
    // as bytes (a skip path, the transposer, an int8 pool: only those are
    // stored as bytes), the accumulators.
    int64_t maxC = int64_t(readNetwork(net).input.c), trP = 0, maxO = 1;
    uint32_t accB = 9, accF = 17;
    int64_t poolC = 0, byteC = 0;
    for (auto [op, p] : llvm::zip(ops, passes)) {
      if (p[F::Pool]) {
        maxC = std::max(maxC, p[F::SkipC]);
        poolC = std::max(poolC, p[F::SkipC]);
        if (p[F::Pool] == kPoolBytes)
          byteC = std::max(byteC, p[F::SkipC]);
        continue;
      }
      if (p[F::Transpose]) {
        trP = std::max(trP, p[F::O]);
        byteC = std::max({byteC, p[F::O], p[F::OW]});
        continue;
      }
      if (p[F::Load])
        continue;
      maxO = std::max(maxO, p[F::OutOffset] + p[F::O]);
      if (p[F::MainEnable]) {
        maxC = std::max(maxC, p[F::MainC]);
        accB = std::max<uint32_t>(accB,
                                  uint32_t(op.getMainAccWidth().value_or(0)));
      }
      if (p[F::SkipEnable]) {
        maxC = std::max(maxC, p[F::SkipC]);
        byteC = std::max(byteC, p[F::SkipC]);
        accF = std::max<uint32_t>(accF,
                                  uint32_t(op.getSkipAccWidth().value_or(0)));
      }
    }
    // Weight rows and constant entries, in execution order. The row stripes
    // of a layer (blend-stripe) hold the same weights and constants (the
    // same attributes, laid out alike): they share one copy.
    uint32_t bw = 0, fw = 0, cb = 0;
    std::vector<std::pair<StepOp, size_t>> stored; // first of each copy
    for (auto [op, p] : llvm::zip(ops, passes)) {
      if (schedule::movesDataOnly(p))
        continue; // no weights, no constants
      StepOp cur = op;
      auto same = llvm::find_if(stored, [&, &p = p](const auto &s) {
        StepOp o = s.first;
        const schedule::Step &q = passes[s.second];
        return o.getBinaryWeightsAttr() == cur.getBinaryWeightsAttr() &&
               o.getFixedWeightsAttr() == cur.getFixedWeightsAttr() &&
               o.getConstants() == cur.getConstants() &&
               binaryWeightRows(q) == binaryWeightRows(p) &&
               fixedWeightRows(q) == fixedWeightRows(p) &&
               weightLanes(q, true) == weightLanes(p, true) &&
               weightLanes(q, false) == weightLanes(p, false) &&
               q[F::O] == p[F::O] && q[F::MainFold] == p[F::MainFold] &&
               q[F::SkipFold] == p[F::SkipFold];
      });
      if (same != stored.end()) {
        const schedule::Step &q = passes[same->second];
        p[F::MainWeightBase] = q[F::MainWeightBase];
        p[F::SkipWeightBase] = q[F::SkipWeightBase];
        p[F::ConstBase] = q[F::ConstBase];
        continue;
      }
      if (p[F::FullHeight])
        stored.push_back({op, size_t(index[op])});
      p[F::MainWeightBase] = bw;
      p[F::SkipWeightBase] = fw;
      p[F::ConstBase] = cb;
      bw += uint32_t(binaryWeightRows(p));
      fw += uint32_t(fixedWeightRows(p));
      cb += uint32_t((p[F::O] + h.lanes - 1) / h.lanes * h.lanes);
    }
    int64_t fix = h.fixedChannels;
    maxC = std::max({maxC, int64_t(h.pe), trP, maxO});
    maxC = (maxC + fix - 1) / fix * fix;
    byteC = std::clamp((byteC + fix - 1) / fix * fix, fix, maxC);
    h.transposePixels = uint32_t(trP);
    h.byteChannels = uint32_t(byteC);
    h.poolChannels = uint32_t(poolC);
    h.maxChannels = uint32_t(maxC);
    h.binaryWeightDepth = std::max<uint32_t>(bw, 1);
    h.fixedWeightDepth = std::max<uint32_t>(fw, 1);
    h.constantDepth = std::max<uint32_t>(cb, 1);
    h.maxSteps = uint32_t(passes.size());
    h.accBinary = accB;
    h.accFixed = accF;
    if (descBanks != 1 && descBanks != 8) {
      emitError(net.getLoc(), "the descriptor RAM has 1 or 8 banks, not ")
          << unsigned(descBanks);
      return signalPassFailure();
    }
    h.descBanks = descBanks;

    // The tensors in the order their first pass runs, with their live ranges.
    std::vector<Tensor> tensors;
    llvm::DenseMap<Value, size_t> tensorOf;
    auto lastUse = [&](Value v, int64_t from) {
      for (Operation *user : v.getUsers())
        from = std::max(from, index.lookup(user));
      return from;
    };
    // A striped network takes its input in load steps: the whole image is
    // never stored.
    Value input = net.getInputBuffer();
    tensorOf[input] = 0;
    tensors.push_back({input, -1, input.use_empty() ? 0 : bufferPixels(input),
                       lastUse(input, -1)});
    for (StepOp op : ops) {
      int64_t at = index[op];
      Value root = storageRoot(op.getResult());
      if (root == op.getResult()) {
        tensorOf[root] = tensors.size();
        tensors.push_back({root, at, bufferPixels(root), at});
      }
      Tensor &t = tensors[tensorOf.lookup(root)];
      t.lastUse = lastUse(op.getResult(), std::max(t.lastUse, at));
    }
    h.depth = uint32_t(placeTensors(tensors, passes));
    h.inputBase = uint32_t(tensors[0].base);
    auto baseOf = [&](Value v) {
      return tensors[tensorOf.lookup(storageRoot(v))].base;
    };
    for (auto [op, p] : llvm::zip(ops, passes)) {
      // A stripe of a tensor stored whole writes its rows of it; one of a
      // tensor whose rows are kept, its rows from band_begin on.
      int64_t firstRow = op.getWhole() ? 0 : op.getBandBegin().value_or(-1);
      if (!p[F::Stream])
        p[F::Dst] =
            baseOf(op.getResult()) +
            (firstRow >= 0 ? (p[F::RowBegin] - firstRow) * p[F::OW] : 0);
      // A copy step moves the kept rows up from s_row_off rows below.
      if (p[F::Load] == schedule::kLoadCopy)
        p[F::SkipSrc] = p[F::Dst] + p[F::SkipRowOffset] * p[F::OW];
      if (Value v = op.getMain())
        p[F::MainSrc] = baseOf(v);
      if (Value v = op.getSkip())
        p[F::SkipSrc] = baseOf(v);
      writeFields(op, p);
    }
    writeHardware(net, h);
  }
};

} // namespace
