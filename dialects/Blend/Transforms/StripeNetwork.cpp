//===- StripeNetwork.cpp - row stripes (spatial tiling) -------------------===//
//
// A network whose tensors do not fit the activation memory runs its first
// layers in row stripes: the passes up to a cut tensor run once per stripe,
// each on the band of rows the stripe's share of the cut tensor needs, and
// only the cut tensor is stored whole. Bands are computed backwards from the
// cut: a tensor's band is the union of the kernel windows of its readers'
// bands, clipped to the tensor (the halo rows are computed again by the
// neighbouring stripe). The input's band comes from the host in a load step.
// A path whose source band starts below its kernel window reads with a row
// offset, so the padding of every layer is exactly the unstriped one and the
// result is bit-identical.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/NetworkIR.h"
#include "dialects/Blend/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace blend {
#define GEN_PASS_DEF_STRIPENETWORK
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;
using namespace blend::schedule;

namespace {

using F = StepField;

/// A band of rows [begin, end) of a tensor.
struct Band {
  int64_t begin = 0, end = 0;
  bool empty() const { return end <= begin; }
  void unite(Band other) {
    if (other.empty())
      return;
    if (empty()) {
      *this = other;
      return;
    }
    begin = std::min(begin, other.begin);
    end = std::max(end, other.end);
  }
};

/// The rows of a source of `rows` rows that output rows `out` of a path
/// with kernel height `k`, stride `s` and padding `pad` read.
Band window(Band out, int64_t k, int64_t s, int64_t pad, int64_t rows) {
  return {std::max<int64_t>(0, out.begin * s - pad),
          std::min<int64_t>(rows, (out.end - 1) * s - pad + k)};
}

/// The rows of a tensor (the input or a pass's, all its tiles).
int64_t rowsOf(Value buffer) {
  if (auto pass = buffer.getDefiningOp<StepOp>())
    return readFields(pass)[F::OH];
  auto net = cast<NetworkOp>(buffer.getParentRegion()->getParentOp());
  return readNetwork(net).input.h;
}

/// The rows a tensor's storage holds in one stripe, [begin, end), of which
/// the stripe computes (or loads) [computed, end); the rows before are kept
/// from the previous stripe.
struct Held {
  int64_t begin = 0, computed = 0, end = 0;
};

/// A path reading a tensor: the reader's tensor and the kernel geometry.
struct Reader {
  Value root;
  int64_t k, stride, pad;
};

/// The width (pixels per row) of a tensor.
int64_t widthOf(Value buffer) {
  if (auto pass = buffer.getDefiningOp<StepOp>())
    return readFields(pass)[F::OW];
  auto net = cast<NetworkOp>(buffer.getParentRegion()->getParentOp());
  return readNetwork(net).input.w;
}

/// The load step that takes image rows `rows` of `input` from the stream.
schedule::Step loadPass(Value input, Band rows) {
  schedule::Step load;
  load[F::Load] = kLoadStream;
  load[F::OH] = rows.end - rows.begin;
  load[F::OW] = widthOf(input);
  load[F::RowBegin] = rows.begin;
  load[F::FullHeight] = rowsOf(input);
  load.op = "load";
  return load;
}

/// `op`'s fields for a stripe computing its rows `out`, each path reading
/// the rows `held(source tensor)` its source holds: its first kernel row
/// lies row_off rows into them.
schedule::Step stripeFields(StepOp op, Band out,
                            llvm::function_ref<Band(Value)> held) {
  schedule::Step p = readFields(op);
  int64_t fullRows = p[F::OH];
  p[F::OH] = out.end - out.begin;
  p[F::RowBegin] = out.begin;
  p[F::FullHeight] = fullRows;
  if (Value m = op.getMain()) {
    Band src = held(storageRoot(m));
    p[F::MainH] = src.end - src.begin;
    p[F::MainRowOffset] = out.begin * p[F::MainStride] - src.begin;
  }
  if (Value k = op.getSkip()) {
    Band src = held(storageRoot(k));
    p[F::SkipH] = src.end - src.begin;
    p[F::SkipRowOffset] = out.begin * p[F::SkipStride] - src.begin;
  }
  return p;
}

struct StripeNetworkPass : blend::impl::StripeNetworkBase<StripeNetworkPass> {
  using StripeNetworkBase::StripeNetworkBase;

  /// Emits the stripes with every striped tensor's rows kept between
  /// stripes: each row of each layer is computed once. A stripe computes
  /// the rows its share of the cut tensor needs that earlier stripes have
  /// not; the rows a later kernel window still reads stay in the tensor's
  /// storage, moved to its top by a copy step when the rows before them are
  /// no longer read. Returns the cut tensor after the last stripe.
  Value emitKeepingRows(OpBuilder &builder, NetworkOp net,
                        ArrayRef<StepOp> prefix, Value cutRoot,
                        int64_t cutRows) {
    Value input = net.getInputBuffer();
    // The tensors (input first, then in program order) and their readers.
    SmallVector<Value> tensors{input};
    llvm::DenseMap<Value, SmallVector<Reader>> readers;
    for (StepOp op : prefix) {
      Value root = storageRoot(op.getResult());
      if (root == op.getResult() && root != cutRoot)
        tensors.push_back(root);
      schedule::Step p = readFields(op);
      if (Value m = op.getMain())
        readers[storageRoot(m)].push_back(
            {root, p[F::MainK], p[F::MainStride], p[F::MainPad]});
      if (Value k = op.getSkip())
        readers[storageRoot(k)].push_back(
            {root, p[F::SkipKH], p[F::SkipStride], p[F::SkipPad]});
    }
    // The plan: per stripe, what each tensor holds and computes.
    int64_t n = int64_t(stripes);
    std::vector<llvm::DenseMap<Value, Held>> plan(static_cast<size_t>(n));
    llvm::DenseMap<Value, int64_t> done, heldRows; // rows computed; storage
    for (int64_t s = 0; s < n; ++s) {
      // Backwards from the cut's share: the rows each tensor must reach.
      llvm::DenseMap<Value, int64_t> needed;
      needed[cutRoot] = (s + 1) * cutRows / n;
      for (StepOp op : llvm::reverse(prefix)) {
        Value root = storageRoot(op.getResult());
        Band out{done.lookup(root), needed.lookup(root)};
        if (out.empty())
          continue;
        schedule::Step p = readFields(op);
        auto need = [&](Value src, int64_t k, int64_t st, int64_t pad) {
          Value r = storageRoot(src);
          int64_t &e = needed[r];
          e = std::max(e, window(out, k, st, pad, rowsOf(r)).end);
        };
        if (Value m = op.getMain())
          need(m, p[F::MainK], p[F::MainStride], p[F::MainPad]);
        if (Value k = op.getSkip())
          need(k, p[F::SkipKH], p[F::SkipStride], p[F::SkipPad]);
      }
      // What each tensor holds: from the first row a reader's next kernel
      // window reads (or its first new row) to the rows it must reach.
      for (Value t : tensors) {
        Held h;
        h.computed = done.lookup(t);
        h.end = std::max(h.computed, needed.lookup(t));
        h.begin = h.computed;
        for (const Reader &r : readers.lookup(t))
          h.begin = std::min(
              h.begin,
              std::max<int64_t>(0, done.lookup(r.root) * r.stride - r.pad));
        plan[size_t(s)][t] = h;
        heldRows[t] = std::max(heldRows.lookup(t), h.end - h.begin);
      }
      plan[size_t(s)][cutRoot] = {0, done.lookup(cutRoot),
                                  needed.lookup(cutRoot)};
      for (auto &[t, h] : plan[size_t(s)])
        done[t] = h.end;
    }

    // Emission. cur: each tensor's storage as the passes so far left it.
    llvm::DenseMap<Value, Value> cur;
    auto setBand = [&](StepOp op, Value t, const Held &h) {
      op.setBandBegin(h.begin);
      op.setBandRows(heldRows.lookup(t));
    };
    // Kept rows move to the top of the storage once the rows above them
    // are read no more.
    auto keep = [&](Value t, int64_t s, Location loc) {
      const Held &h = plan[size_t(s)].find(t)->second;
      if (s == 0 || h.computed <= h.begin)
        return;
      int64_t before = plan[size_t(s) - 1].find(t)->second.begin;
      if (h.begin == before)
        return; // already at the top
      schedule::Step copy;
      copy[F::Load] = kLoadCopy;
      copy[F::OH] = h.computed - h.begin;
      copy[F::OW] = widthOf(t);
      copy[F::RowBegin] = h.begin;
      copy[F::FullHeight] = rowsOf(t);
      copy[F::SkipRowOffset] = h.begin - before;
      copy.op = "copy";
      StepOp op = createStep(builder, loc, copy, {}, {}, cur[t]);
      setBand(op, t, h);
      cur[t] = op.getResult();
    };
    Value lastWhole;
    for (int64_t s = 0; s < n; ++s) {
      IRMapping map;
      // The input: kept rows, then the new rows from the host.
      const Held &in = plan[size_t(s)].find(input)->second;
      keep(input, s, net.getLoc());
      if (in.end > in.computed) {
        StepOp op = createStep(builder, net.getLoc(),
                                  loadPass(input, {in.computed, in.end}), {},
                                  {}, cur[input]);
        setBand(op, input, in);
        cur[input] = op.getResult();
      }
      map.map(input, cur[input]);
      for (StepOp op : prefix) {
        Value root = storageRoot(op.getResult());
        bool firstTile = root == op.getResult();
        const Held &h = plan[size_t(s)].find(root)->second;
        if (root != cutRoot && firstTile)
          keep(root, s, op.getLoc());
        if (h.end <= h.computed) {
          // Nothing new: its readers read what the storage holds.
          map.map(op.getResult(), root == cutRoot ? lastWhole : cur[root]);
          continue;
        }
        schedule::Step p =
            stripeFields(op, {h.computed, h.end}, [&](Value src) {
              const Held &held = plan[size_t(s)].find(src)->second;
              return Band{held.begin, held.end};
            });
        auto stripe = cast<StepOp>(builder.clone(*op, map));
        writeFields(stripe, p);
        if (root == cutRoot) {
          stripe.setWhole(true);
          if (firstTile && lastWhole)
            stripe.getIntoMutable().assign(lastWhole);
          lastWhole = stripe.getResult();
        } else {
          setBand(stripe, root, h);
          if (firstTile && cur[root])
            stripe.getIntoMutable().assign(cur[root]);
          cur[root] = stripe.getResult();
        }
        map.map(op.getResult(), stripe.getResult());
      }
    }
    return lastWhole;
  }

  void runOnOperation() override {
    if (stripes <= 1)
      return;
    NetworkOp net =
        requireNetwork(getOperation(), "stripe", NetworkStage::Tiled);
    if (!net)
      return signalPassFailure();
    SmallVector<StepOp> ops(net.getBlock().getOps<StepOp>());
    Value input = net.getInputBuffer();

    // Cuts: a pass ending its tiles after which no pass reads the input or
    // an earlier tensor, every pass up to it a convolution.
    llvm::DenseMap<Operation *, int64_t> index;
    for (auto [i, op] : llvm::enumerate(ops))
      index[op] = int64_t(i);
    auto definedAt = [&](Value v) -> int64_t {
      if (auto op = v.getDefiningOp<StepOp>())
        return index.lookup(op);
      return -1;
    };
    // earliest[i]: the earliest pass whose tensor pass i or a later one
    // reads (-1: the input).
    std::vector<int64_t> earliest(ops.size() + 1, INT64_MAX);
    for (int64_t i = int64_t(ops.size()) - 1; i >= 0; --i) {
      earliest[size_t(i)] = earliest[size_t(i) + 1];
      for (Value v : {ops[size_t(i)].getMain(), ops[size_t(i)].getSkip()})
        if (v)
          earliest[size_t(i)] = std::min(earliest[size_t(i)], definedAt(v));
    }
    SmallVector<int64_t> cuts;
    for (size_t i = 0; i + 1 < ops.size(); ++i) {
      schedule::Step p = readFields(ops[i]);
      if (p[F::Transpose] || p[F::Pool] || p[F::Stream] || p[F::SkipShared] ||
          p[F::Load] || p[F::FullHeight])
        break; // nothing from here on may be striped
      if (readFields(ops[i + 1])[F::OutOffset] == 0 &&
          earliest[i + 1] >= int64_t(i))
        cuts.push_back(int64_t(i));
    }
    if (cuts.empty()) {
      emitError(net.getLoc(), "cannot run in row stripes: no tensor after "
                              "the first steps (convolutions) is the only "
                              "one the rest of the network reads");
      return signalPassFailure();
    }
    int64_t cutAt = -1;
    if (cut >= 0) {
      if (!llvm::is_contained(cuts, int64_t(cut))) {
        InFlightDiagnostic d = emitError(net.getLoc())
                               << "cannot cut the row stripes at step " << int(cut)
                               << ": the rest of the network reads an "
                                  "earlier tensor, or a step up to it is not "
                                  "a convolution; possible cuts:";
        for (int64_t c : cuts)
          d << " " << c;
        return signalPassFailure();
      }
      cutAt = cut;
    } else {
      int64_t inputPixels = rowsOf(input) * readNetwork(net).input.w;
      cutAt = cuts.back();
      for (int64_t c : cuts) {
        schedule::Step p = readFields(ops[size_t(c)]);
        if (4 * p[F::OH] * p[F::OW] <= inputPixels) {
          cutAt = c;
          break;
        }
      }
    }
    StepOp cutOp = ops[size_t(cutAt)];
    Value cutRoot = storageRoot(cutOp.getResult());
    int64_t cutRows = rowsOf(cutRoot);
    if (int64_t(stripes) > cutRows) {
      emitError(net.getLoc(), "cannot run in ")
          << unsigned(stripes) << " row stripes: the cut tensor has " << cutRows
          << " rows";
      return signalPassFailure();
    }
    SmallVector<StepOp> prefix(ops.begin(), ops.begin() + cutAt + 1);

    // The stripes take the prefix's place (a cut is never the last pass).
    OpBuilder builder(ops[size_t(cutAt) + 1]);
    Value lastWhole; // the cut tensor as the previous stripe left it
    if (keepRows)
      lastWhole = emitKeepingRows(builder, net, prefix, cutRoot, cutRows);
    for (int64_t s = 0; s < int64_t(stripes) && !keepRows; ++s) {
      // Bands, backwards from the cut tensor's share.
      llvm::DenseMap<Value, Band> band;
      band[cutRoot] = {s * cutRows / int64_t(stripes),
                       (s + 1) * cutRows / int64_t(stripes)};
      for (StepOp op : llvm::reverse(prefix)) {
        Band out = band.lookup(storageRoot(op.getResult()));
        if (out.empty())
          continue;
        schedule::Step p = readFields(op);
        if (Value m = op.getMain())
          band[storageRoot(m)].unite(window(out, p[F::MainK], p[F::MainStride],
                                            p[F::MainPad],
                                            rowsOf(storageRoot(m))));
        if (Value k = op.getSkip())
          band[storageRoot(k)].unite(window(out, p[F::SkipKH], p[F::SkipStride],
                                            p[F::SkipPad],
                                            rowsOf(storageRoot(k))));
      }
      // The input band, from the host.
      IRMapping map;
      Band in = band.lookup(input);
      StepOp loadOp =
          createStep(builder, net.getLoc(), loadPass(input, in), {}, {});
      map.map(input, loadOp.getResult());
      for (StepOp op : prefix) {
        Value root = storageRoot(op.getResult());
        Band out = band.lookup(root);
        if (out.empty())
          continue; // this stripe needs none of it
        schedule::Step p =
            stripeFields(op, out, [&](Value src) { return band.lookup(src); });
        Operation *clone = builder.clone(*op, map);
        auto stripe = cast<StepOp>(clone);
        writeFields(stripe, p);
        if (root == cutRoot) {
          stripe.setWhole(true);
          // The first tile of a later stripe writes into the previous
          // stripe's tensor.
          if (!op.getInto() && lastWhole)
            stripe.getIntoMutable().assign(lastWhole);
          lastWhole = stripe.getResult();
        }
        map.map(op.getResult(), stripe.getResult());
      }
    }
    cutOp.getResult().replaceAllUsesWith(lastWhole);
    for (StepOp op : llvm::reverse(prefix))
      op.erase();
    NetworkHardware h = readHardware(net);
    h.stripes = 1;
    writeHardware(net, h);
  }
};

} // namespace
