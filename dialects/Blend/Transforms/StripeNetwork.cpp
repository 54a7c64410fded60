//===- StripeNetwork.cpp - row stripes (spatial tiling) -------------------===//
//
// A network whose tensors do not fit the activation memory runs its first
// layers in row stripes: the passes up to a cut tensor run once per stripe,
// each on the band of rows the stripe's share of the cut tensor needs, and
// only the cut tensor is stored whole. Bands are computed backwards from the
// cut: a tensor's band is the union of the kernel windows of its readers'
// bands, clipped to the tensor (the halo rows are computed again by the
// neighbouring stripe). The input's band comes from the host in a load pass.
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

namespace blend {
#define GEN_PASS_DEF_STRIPENETWORK
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;
using namespace blend::schedule;

namespace {

using F = PassField;

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
  if (auto pass = buffer.getDefiningOp<NetPassOp>())
    return readFields(pass)[F::OH];
  auto net = cast<NetworkOp>(buffer.getParentRegion()->getParentOp());
  return readNetwork(net).input.h;
}

struct StripeNetworkPass : blend::impl::StripeNetworkBase<StripeNetworkPass> {
  using StripeNetworkBase::StripeNetworkBase;

  void runOnOperation() override {
    if (stripes <= 1)
      return;
    NetworkOp net =
        requireNetwork(getOperation(), "stripe", NetworkStage::Tiled);
    if (!net)
      return signalPassFailure();
    SmallVector<NetPassOp> ops(net.getBlock().getOps<NetPassOp>());
    Value input = net.getInputBuffer();

    // Cuts: a pass ending its tiles after which no pass reads the input or
    // an earlier tensor, every pass up to it a convolution.
    llvm::DenseMap<Operation *, int64_t> index;
    for (auto [i, op] : llvm::enumerate(ops))
      index[op] = int64_t(i);
    auto definedAt = [&](Value v) -> int64_t {
      if (auto op = v.getDefiningOp<NetPassOp>())
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
      schedule::Pass p = readFields(ops[i]);
      if (p[F::Transpose] || p[F::Stream] || p[F::SkipShared] || p[F::Load] ||
          p[F::FullHeight])
        break; // nothing from here on may be striped
      if (readFields(ops[i + 1])[F::OutOffset] == 0 &&
          earliest[i + 1] >= int64_t(i))
        cuts.push_back(int64_t(i));
    }
    if (cuts.empty()) {
      emitError(net.getLoc(), "cannot run in row stripes: no tensor after "
                              "the first passes (convolutions) is the only "
                              "one the rest of the network reads");
      return signalPassFailure();
    }
    int64_t cutAt = -1;
    if (cut >= 0) {
      if (!llvm::is_contained(cuts, int64_t(cut))) {
        InFlightDiagnostic d = emitError(net.getLoc())
                               << "cannot cut the row stripes at pass " << int(cut)
                               << ": the rest of the network reads an "
                                  "earlier tensor, or a pass up to it is not "
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
        schedule::Pass p = readFields(ops[size_t(c)]);
        if (4 * p[F::OH] * p[F::OW] <= inputPixels) {
          cutAt = c;
          break;
        }
      }
    }
    NetPassOp cutOp = ops[size_t(cutAt)];
    Value cutRoot = storageRoot(cutOp.getResult());
    int64_t cutRows = rowsOf(cutRoot);
    if (int64_t(stripes) > cutRows) {
      emitError(net.getLoc(), "cannot run in ")
          << unsigned(stripes) << " row stripes: the cut tensor has " << cutRows
          << " rows";
      return signalPassFailure();
    }
    SmallVector<NetPassOp> prefix(ops.begin(), ops.begin() + cutAt + 1);

    // The stripes take the prefix's place (a cut is never the last pass).
    OpBuilder builder(ops[size_t(cutAt) + 1]);
    Value lastWhole; // the cut tensor as the previous stripe left it
    int64_t inputW = readNetwork(net).input.w;
    for (int64_t s = 0; s < int64_t(stripes); ++s) {
      // Bands, backwards from the cut tensor's share.
      llvm::DenseMap<Value, Band> band;
      band[cutRoot] = {s * cutRows / int64_t(stripes),
                       (s + 1) * cutRows / int64_t(stripes)};
      for (NetPassOp op : llvm::reverse(prefix)) {
        Band out = band.lookup(storageRoot(op.getResult()));
        if (out.empty())
          continue;
        schedule::Pass p = readFields(op);
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
      schedule::Pass load;
      load[F::Load] = 1;
      load[F::OH] = in.end - in.begin;
      load[F::OW] = inputW;
      load[F::RowBegin] = in.begin;
      load[F::FullHeight] = rowsOf(input);
      load.op = "load";
      NetPassOp loadOp = createPass(builder, net.getLoc(), load, {}, {});
      map.map(input, loadOp.getResult());
      for (NetPassOp op : prefix) {
        Value root = storageRoot(op.getResult());
        Band out = band.lookup(root);
        if (out.empty())
          continue; // this stripe needs none of it
        schedule::Pass p = readFields(op);
        int64_t fullRows = p[F::OH];
        p[F::OH] = out.end - out.begin;
        p[F::RowBegin] = out.begin;
        p[F::FullHeight] = fullRows;
        // A path reads its source's band: its first kernel row lies
        // row_off rows into the band.
        if (Value m = op.getMain()) {
          Band src = band.lookup(storageRoot(m));
          p[F::MainH] = src.end - src.begin;
          p[F::MainRowOffset] = out.begin * p[F::MainStride] - src.begin;
        }
        if (Value k = op.getSkip()) {
          Band src = band.lookup(storageRoot(k));
          p[F::SkipH] = src.end - src.begin;
          p[F::SkipRowOffset] = out.begin * p[F::SkipStride] - src.begin;
        }
        Operation *clone = builder.clone(*op, map);
        auto stripe = cast<NetPassOp>(clone);
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
    for (NetPassOp op : llvm::reverse(prefix))
      op.erase();
    NetworkHardware h = readHardware(net);
    h.stripes = 1;
    writeHardware(net, h);
  }
};

} // namespace
