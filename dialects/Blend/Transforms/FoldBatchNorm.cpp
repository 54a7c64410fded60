//===- FoldBatchNorm.cpp - batch norm → threshold / requant ---------------===//
//
// docs/semantics.md §6–§7 as rewrite patterns. A batch norm on an exact value
// x = s·(q − zp) is the affine map y = a·(x − μ) + β with a = γ/σ. Followed by
// a binarizer it is an integer threshold on q; added to a second such affine
// map (the Blend module join) it is evaluated on a common power-of-two grid by
// two requants and an exact add. The integer constants are derived in double
// precision; the rounding error of each is accounted for in the per-channel
// error bound the join records.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/Passes.h"
#include "dialects/Blend/Transforms/PatternUtils.h"
#include "runtime/golden/Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace blend {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;

namespace {

/// Storage-level view of an exact value: x = scale · (q − zeroPoint) with q
/// in [qMin, qMax].
struct ExactView {
  Value value;
  double scale = 1.0;
  /// Per-channel factors on top of `scale` along `axis` (channel_scale of an
  /// exact value, from per-channel weight scales); empty when none.
  std::vector<double> channelScales;
  int64_t axis = -1;
  int64_t zeroPoint = 0;
  double scaleAt(size_t c) const {
    return channelScales.empty() ? scale : scale * channelScales[c];
  }
  /// True when a per-channel op along `a` may use this view.
  bool fitsAxis(int64_t a) const { return channelScales.empty() || axis == a; }
  int64_t qMin = 0, qMax = 0;
  /// Largest |q − zp| over the storage range.
  uint64_t magnitude() const {
    return IntRange{qMin - zeroPoint, qMax - zeroPoint}.magnitude();
  }
};

/// The exact value behind dequantize(e), for signed-integer or fixed e.
static std::optional<ExactView> exactView(Value floatValue) {
  Value exact;
  ExactView view;
  if (auto deq = floatValue.getDefiningOp<DequantizeOp>()) {
    exact = deq.getInput();
  } else if (auto cs = floatValue.getDefiningOp<ChannelScaleOp>()) {
    exact = cs.getInput();
    auto type = cast<RankedTensorType>(exact.getType());
    view.axis = int64_t(cs.getAxis());
    for (int64_t c = 0; c < type.getDimSize(view.axis); ++c)
      view.channelScales.push_back(
          cs.getScales()[cs.getScales().size() == 1 ? 0 : c]);
  } else {
    return std::nullopt;
  }
  Type elem = cast<RankedTensorType>(exact.getType()).getElementType();
  view.value = exact;
  // One factor for every channel is a plain scale: no channel axis.
  double uniform = 1.0;
  if (!view.channelScales.empty() &&
      llvm::all_of(view.channelScales,
                   [&](double c) { return c == view.channelScales[0]; })) {
    uniform = view.channelScales[0];
    view.channelScales.clear();
    view.axis = -1;
  }
  if (auto fixed = dyn_cast<FixedType>(elem)) {
    view.scale = fixed.getScaleValue() * uniform;
    view.zeroPoint = fixed.getZeroPoint();
    view.qMin = fixed.getStorageMin();
    view.qMax = fixed.getStorageMax();
    return view;
  }
  if (elem.isSignedInteger() && elem.getIntOrFloatBitWidth() <= 62) {
    view.scale = uniform;
    IntRange range = getSignedRange(elem.getIntOrFloatBitWidth());
    view.qMin = range.min;
    view.qMax = range.max;
    return view;
  }
  return std::nullopt;
}

/// Per-channel affine form y = a·(x − μ) + β of a constant batch norm.
struct Affine {
  std::vector<double> a, mean, beta;
  /// The channel axis of the batch norm.
  int64_t axis = 1;
};

static std::optional<Affine> affineOf(BatchNormOp bn) {
  auto gamma = getFloatValues(bn.getScale());
  auto beta = getFloatValues(bn.getBias());
  auto mean = getFloatValues(bn.getMean());
  auto var = getFloatValues(bn.getVariance());
  if (!gamma || !beta || !mean || !var)
    return std::nullopt;
  double eps = bn.getEpsilon().convertToDouble();
  Affine affine;
  for (size_t c = 0; c < gamma->size(); ++c) {
    double sigma = std::sqrt((*var)[c] + eps);
    if (!(sigma > 0.0))
      return std::nullopt;
    affine.a.push_back((*gamma)[c] / sigma);
  }
  affine.mean = *mean;
  affine.beta = *beta;
  affine.axis = bn.getAxis();
  return affine;
}

/// Channel c of a batch norm on x = s·(q − zp) as a map of the storage:
/// y = a·(s·v − μ) + β = slope·v + offset with v = q − zp.
struct StorageAffine {
  double slope, offset;
};
static StorageAffine onStorage(const Affine &f, const ExactView &x, size_t c) {
  return {f.a[c] * x.scaleAt(c), f.beta[c] - f.a[c] * f.mean[c]};
}

/// An affine map of an exact value: y = a_c·(x − μ_c) + β_c per channel c of
/// `f.axis` of the exact value `x` (whose shape the chain may reshape).
struct ExactBatchNorm {
  ExactView x;
  Affine f;
  /// Every channel has the same map (the axis is only a default).
  bool uniform = false;

  /// The same map expressed along `axis` of the exact value (when uniform).
  bool retarget(int64_t axis) {
    if (axis == f.axis)
      return true;
    if (!uniform)
      return false;
    int64_t channels =
        cast<RankedTensorType>(x.value.getType()).getDimSize(axis);
    f.a.assign(size_t(channels), f.a[0]);
    f.beta.assign(size_t(channels), f.beta[0]);
    f.mean.assign(size_t(channels), f.mean[0]);
    f.axis = axis;
    return true;
  }
};

/// Maps `axis` of shape `from` to the same data axis of shape `to` when the
/// reshape only inserts or drops size-1 dimensions; nullopt otherwise.
static std::optional<int64_t> mapAxis(ArrayRef<int64_t> from,
                                      ArrayRef<int64_t> to, int64_t axis) {
  if (from == to)
    return axis;
  SmallVector<int64_t> a, b, bIndex;
  int64_t k = -1;
  for (int64_t d = 0; d < int64_t(from.size()); ++d)
    if (from[d] != 1) {
      if (d == axis)
        k = int64_t(a.size());
      a.push_back(from[d]);
    }
  for (int64_t d = 0; d < int64_t(to.size()); ++d)
    if (to[d] != 1) {
      b.push_back(to[d]);
      bIndex.push_back(d);
    }
  if (a != b || k < 0)
    return std::nullopt;
  return bIndex[k];
}

/// A constant operand of a tensor of `shape` as per-channel values: one
/// value (splat: axis −1) or one per index of the single axis it varies
/// along; nullopt when it varies along several.
static std::optional<std::pair<int64_t, std::vector<double>>>
channelConstant(Value c, ArrayRef<int64_t> shape) {
  std::optional<std::vector<double>> values = getFloatValues(c);
  if (!values || values->empty())
    return std::nullopt;
  if (llvm::all_of(*values, [&](double v) { return v == (*values)[0]; }))
    return std::make_pair(int64_t(-1), std::vector<double>{(*values)[0]});
  ArrayRef<int64_t> cShape = cast<RankedTensorType>(c.getType()).getShape();
  if (cShape != shape)
    return std::nullopt;
  for (int64_t axis = 0; axis < int64_t(shape.size()); ++axis) {
    if (shape[axis] == 1)
      continue;
    size_t inner = 1, channels = size_t(shape[axis]);
    for (size_t d = axis + 1; d < shape.size(); ++d)
      inner *= size_t(shape[d]);
    std::vector<double> perChannel(channels);
    for (size_t c = 0; c < channels; ++c)
      perChannel[c] = (*values)[c * inner];
    bool ok = true;
    for (size_t i = 0; ok && i < values->size(); ++i)
      ok = (*values)[i] == perChannel[(i / inner) % channels];
    if (ok)
      return std::make_pair(axis, perChannel);
  }
  return std::nullopt;
}

/// The affine chain behind `value`: float ops with per-channel constants
/// (batch_norm, arith add / sub / mul / div, blend.add of a constant) and
/// reshapes that keep the channel axis, down to an exact value (dequantize
/// or channel_scale). This is how a batch norm folded by an exporter into a
/// float bias (Conv + bias → Sign), FINN's BN → MultiThreshold pairs with
/// Unsqueeze/Squeeze between them, and Brevitas's TensorNorm reach the
/// integer folds. The composition is computed in double precision (as the
/// single batch norm always was, docs/semantics.md §6–§8). At least one
/// affine op must be present unless `allowIdentity` (a join operand may be
/// the bare exact value: a skip path whose batch norm the exporter folded
/// into its weights).
static std::optional<ExactBatchNorm>
matchExactBatchNorm(Value value, bool allowIdentity = false) {
  SmallVector<Operation *> chain;
  Value v = value;
  std::optional<ExactView> base;
  while (true) {
    if ((base = exactView(v)))
      break;
    Operation *op = v.getDefiningOp();
    if (!op || op->getNumResults() != 1)
      return std::nullopt;
    Value next;
    if (auto bn = dyn_cast<BatchNormOp>(op))
      next = bn.getInput();
    else if (auto reshape = dyn_cast<ReshapeOp>(op))
      next = reshape.getInput();
    else if (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp,
                 AddOp>(op) &&
             op->getNumOperands() == 2) {
      bool c0 = getFloatConstant(op->getOperand(0)).has_value();
      bool c1 = getFloatConstant(op->getOperand(1)).has_value();
      if (c0 == c1 || (c0 && isa<arith::DivFOp>(op)))
        return std::nullopt;
      next = op->getOperand(c0 ? 1 : 0);
    } else {
      return std::nullopt;
    }
    chain.push_back(op);
    v = next;
  }
  if (!allowIdentity &&
      llvm::all_of(chain, [](Operation *op) { return isa<ReshapeOp>(op); }))
    return std::nullopt;
  // Compose forward: y = A[c]·real(x) + B[c] along `axis` of the exact
  // value's shape (−1 while every constant so far is uniform).
  ArrayRef<int64_t> baseShape =
      cast<RankedTensorType>(base->value.getType()).getShape();
  int64_t axis = base->channelScales.empty() ? -1 : base->axis;
  std::vector<double> A{1.0}, B{0.0};
  if (axis >= 0) {
    A.assign(base->channelScales.size(), 1.0);
    B.assign(base->channelScales.size(), 0.0);
  }
  SmallVector<int64_t> shape(baseShape);
  // Brings the state to per-channel form along `a` (base coordinates).
  auto widen = [&](int64_t a) {
    if (axis >= 0)
      return axis == a;
    axis = a;
    A.assign(size_t(baseShape[a]), A[0]);
    B.assign(size_t(baseShape[a]), B[0]);
    return true;
  };
  // The base axis of `a`, an axis of the current shape.
  auto toBase = [&](int64_t a) { return mapAxis(shape, baseShape, a); };
  for (Operation *op : llvm::reverse(chain)) {
    ArrayRef<int64_t> outShape =
        cast<RankedTensorType>(op->getResult(0).getType()).getShape();
    if (isa<ReshapeOp>(op)) {
      if (axis >= 0 && !mapAxis(baseShape, outShape, axis))
        return std::nullopt;
      shape.assign(outShape.begin(), outShape.end());
      continue;
    }
    // Per-channel factors k[c] (or one) along `a` (base coordinates).
    std::vector<double> slope, offset;
    int64_t a = -1;
    if (auto bn = dyn_cast<BatchNormOp>(op)) {
      std::optional<Affine> f = affineOf(bn);
      if (!f)
        return std::nullopt;
      // One channel, or equal parameters for all, is no axis at all.
      bool uniform = llvm::all_of(f->a, [&](double v) { return v == f->a[0]; }) &&
                     llvm::all_of(f->beta, [&](double v) { return v == f->beta[0]; }) &&
                     llvm::all_of(f->mean, [&](double v) { return v == f->mean[0]; });
      if (uniform) {
        f->a.resize(1);
        f->beta.resize(1);
        f->mean.resize(1);
      } else {
        std::optional<int64_t> mapped = toBase(f->axis);
        if (!mapped)
          return std::nullopt;
        a = *mapped;
      }
      for (size_t c = 0; c < f->a.size(); ++c) {
        slope.push_back(f->a[c]);
        offset.push_back(f->beta[c] - f->a[c] * f->mean[c]);
      }
    } else {
      bool lhsConstant = getFloatConstant(op->getOperand(0)).has_value();
      Value constant = op->getOperand(lhsConstant ? 0 : 1);
      auto k = channelConstant(constant, shape);
      if (!k)
        return std::nullopt;
      if (k->first >= 0) {
        std::optional<int64_t> mapped = toBase(k->first);
        if (!mapped)
          return std::nullopt;
        a = *mapped;
      }
      for (double kc : k->second) {
        if (isa<arith::MulFOp>(op)) {
          slope.push_back(kc);
          offset.push_back(0.0);
        } else if (isa<arith::DivFOp>(op)) {
          if (kc == 0.0)
            return std::nullopt;
          slope.push_back(1.0 / kc);
          offset.push_back(0.0);
        } else if (isa<arith::SubFOp>(op)) {
          slope.push_back(lhsConstant ? -1.0 : 1.0);
          offset.push_back(lhsConstant ? kc : -kc);
        } else {
          slope.push_back(1.0);
          offset.push_back(kc);
        }
      }
    }
    if (a >= 0 && !widen(a))
      return std::nullopt;
    for (size_t c = 0; c < A.size(); ++c) {
      size_t kc = slope.size() == 1 ? 0 : c;
      if (slope.size() != 1 && slope.size() != A.size())
        return std::nullopt;
      A[c] = slope[kc] * A[c];
      B[c] = slope[kc] * B[c] + offset[kc];
    }
    shape.assign(outShape.begin(), outShape.end());
  }
  bool uniform = axis < 0;
  if (uniform) {
    axis = baseShape.size() >= 2 ? 1 : 0;
    A.assign(size_t(baseShape[axis]), A[0]);
    B.assign(size_t(baseShape[axis]), B[0]);
  }
  if (!base->fitsAxis(axis))
    return std::nullopt;
  Affine f;
  f.a = A;
  f.beta = B;
  f.mean.assign(A.size(), 0.0);
  f.axis = axis;
  return ExactBatchNorm{*base, f, uniform};
}

/// `exact` with the shape of `like` (a reshape when the affine chain changed
/// the rank, e.g. FINN's Unsqueeze → BN → Squeeze).
static Value withShapeOf(PatternRewriter &rewriter, Location loc, Value exact,
                         Value like) {
  auto type = cast<RankedTensorType>(exact.getType());
  ArrayRef<int64_t> shape = cast<RankedTensorType>(like.getType()).getShape();
  if (type.getShape() == shape)
    return exact;
  return rewriter.create<ReshapeOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), exact);
}

/// binarize(batch_norm(dequantize(e))) → threshold(e).
struct BatchNormThreshold : OpRewritePattern<BinarizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BinarizeOp binarize,
                                PatternRewriter &rewriter) const override {
    std::optional<ExactBatchNorm> match =
        matchExactBatchNorm(binarize.getInput());
    if (!match)
      return rewriter.notifyMatchFailure(
          binarize, "input is not a constant batch norm of an exact value");
    const ExactView *x = &match->x;
    const Affine *affine = &match->f;
    SmallVector<int64_t> tau;
    SmallVector<bool> flip;
    // A binarizer imported from ONNX Sign must never see an exact 0: record
    // the channels where q = θ is reachable (θ an integer within the storage
    // range); blend-verify-integer refuses them at the Sign node.
    bool fromSign = binarize->hasAttr("blend.sign");
    SmallVector<int64_t> zeroChannels;
    for (size_t c = 0; c < affine->a.size(); ++c) {
      double a = affine->a[c], beta = affine->beta[c];
      if (a == 0.0) {
        // Constant output: always +1 (q ≥ qMin) or always −1 (q ≥ qMax + 1).
        tau.push_back(beta >= 0.0 ? x->qMin : x->qMax + 1);
        flip.push_back(false);
        continue;
      }
      double theta = double(x->zeroPoint) +
                     (affine->mean[c] - beta / a) / x->scaleAt(c);
      if (fromSign && theta == std::floor(theta) && theta >= double(x->qMin) &&
          theta <= double(x->qMax))
        zeroChannels.push_back(int64_t(c));
      // Clamp before converting: thresholds beyond the range saturate.
      double lo = double(x->qMin) - 1.0, hi = double(x->qMax) + 1.0;
      if (a > 0.0) {
        tau.push_back(int64_t(std::clamp(std::ceil(theta), lo, hi)));
        flip.push_back(false);
      } else {
        tau.push_back(int64_t(std::clamp(std::floor(theta), lo, hi)));
        flip.push_back(true);
      }
    }
    auto exactType = cast<RankedTensorType>(x->value.getType());
    auto threshold = rewriter.create<ThresholdOp>(
        binarize.getLoc(),
        RankedTensorType::get(exactType.getShape(),
                              binarize.getType().getElementType()),
        x->value, rewriter.getDenseI64ArrayAttr(tau),
        rewriter.getDenseBoolArrayAttr(flip),
        rewriter.getI64IntegerAttr(affine->axis));
    if (!zeroChannels.empty())
      threshold->setAttr("blend.sign_sees_zero",
                         rewriter.getDenseI64ArrayAttr(zeroChannels));
    rewriter.replaceOp(binarize, withShapeOf(rewriter, binarize.getLoc(),
                                             threshold, binarize));
    return success();
  }
};

/// avg_pool2d(affine(e)) → affine(dequantize(sum_pool2d(e))): a per-channel
/// affine map commutes with averaging over a window, so the pool of a float
/// join (Brevitas's BlendNet: BN after the add, pooled, then quantized for
/// the classifier) is the exact window sum of the join's integers under the
/// same affine map, which the quantizer then folds. The composed map is a
/// batch norm with double-precision parameters (γ = a, β = b, μ = 0, σ² = 1).
struct AvgPoolOfAffine : OpRewritePattern<AvgPool2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AvgPool2DOp pool,
                                PatternRewriter &rewriter) const override {
    if (llvm::any_of(pool.getPads(), [](int64_t p) { return p != 0; }))
      return rewriter.notifyMatchFailure(pool, "padded");
    std::optional<ExactBatchNorm> match = matchExactBatchNorm(pool.getInput());
    if (!match || match->f.axis != 1 || !match->x.channelScales.empty())
      return rewriter.notifyMatchFailure(pool, "not a channel affine of an exact value");
    Value e = match->x.value;
    auto eType = cast<RankedTensorType>(e.getType());
    if (isa<BinaryType>(eType.getElementType()) || eType.getRank() != 4 ||
        eType.getShape() !=
            cast<RankedTensorType>(pool.getInput().getType()).getShape())
      return rewriter.notifyMatchFailure(pool, "not an NCHW exact value");
    Value sum = createSumPool(rewriter, pool, e);
    auto resultType = cast<RankedTensorType>(pool.getType());
    Value real = rewriter.create<DequantizeOp>(pool.getLoc(), resultType, sum);
    size_t channels = match->f.a.size();
    auto vecType = RankedTensorType::get({int64_t(channels)}, rewriter.getF64Type());
    auto vec = [&](ArrayRef<double> v) -> Value {
      return rewriter.create<ConstantOp>(pool.getLoc(), vecType,
                                         DenseElementsAttr::get(vecType, v));
    };
    std::vector<double> zeros(channels, 0.0), ones(channels, 1.0);
    rewriter.replaceOpWithNewOp<BatchNormOp>(
        pool, resultType, real, vec(match->f.a), vec(match->f.beta),
        vec(zeros), vec(ones), rewriter.getF64FloatAttr(0.0),
        rewriter.getI64IntegerAttr(1));
    return success();
  }
};

/// Integer constants approximating a real multiplier r (and a real bias b, in
/// output steps) as m / 2^shift and bias / 2^shift, with |m| < 2^(bits−1).
struct FixedMultiplier {
  int64_t multiplier = 0, shift = 0, bias = 0;
  /// |m − r·2^shift| and |bias − b·2^shift|.
  double multiplierError = 0, biasError = 0;
};

static FixedMultiplier quantizeMultiplier(double r, double b, unsigned bits,
                                          uint64_t inputMagnitude) {
  const double limit = std::ldexp(1.0, int(bits) - 1) - 1.0;
  FixedMultiplier best;
  for (int shift = 0; shift <= 40; ++shift) {
    double m = std::round(std::ldexp(r, shift));
    double bias = std::round(std::ldexp(b, shift));
    if (std::fabs(m) > limit)
      break;
    // Keep |q|·|m| + |bias| well inside 62 bits.
    if (double(inputMagnitude) * std::fabs(m) + std::fabs(bias) >
        std::ldexp(1.0, 60))
      break;
    best.multiplier = int64_t(m);
    best.bias = int64_t(bias);
    best.shift = shift;
    best.multiplierError = std::fabs(m - std::ldexp(r, shift));
    best.biasError = std::fabs(bias - std::ldexp(b, shift));
  }
  return best;
}

/// add(batch_norm(dequantize(e1)), batch_norm(dequantize(e2))) → the join of
/// docs/semantics.md §7.
struct BatchNormJoin : OpRewritePattern<AddOp> {
  BatchNormJoin(MLIRContext *ctx, unsigned multiplierBits, unsigned joinBits)
      : OpRewritePattern(ctx), multiplierBits(multiplierBits),
        joinBits(joinBits) {}

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(add.getType());
    if (!isa<FloatType>(resultType.getElementType()) ||
        resultType.getRank() < 2)
      return rewriter.notifyMatchFailure(add, "not a float NC... add");
    std::optional<ExactBatchNorm> norms[2] = {
        matchExactBatchNorm(add.getLhs(), /*allowIdentity=*/true),
        matchExactBatchNorm(add.getRhs(), /*allowIdentity=*/true)};
    if (!norms[0] || !norms[1])
      return rewriter.notifyMatchFailure(
          add, "operands are not constant batch norms of exact values");
    const ExactView *x[2] = {&norms[0]->x, &norms[1]->x};
    for (const ExactView *view : x)
      if (cast<RankedTensorType>(view->value.getType()).getShape() !=
          resultType.getShape())
        return rewriter.notifyMatchFailure(add, "a path changes the shape");
    int64_t axis = norms[0]->uniform ? norms[1]->f.axis : norms[0]->f.axis;
    if (!norms[0]->retarget(axis) || !norms[1]->retarget(axis))
      return rewriter.notifyMatchFailure(
          add, "the batch norms normalize different axes");

    int64_t channels = resultType.getDimSize(axis);
    // z = A1·v1 + A2·v2 + B with v = q − zp, A = a·s.
    std::vector<double> A[2], B(channels);
    uint64_t V[2];
    for (int i = 0; i < 2; ++i) {
      V[i] = x[i]->magnitude();
      for (int64_t c = 0; c < channels; ++c) {
        StorageAffine g = onStorage(norms[i]->f, *x[i], c);
        A[i].push_back(g.slope);
        B[c] += g.offset;
      }
    }
    // Choose the grid s_c = 2^−k: every path bound within half the join
    // width, every real multiplier A/s_c within the multiplier width.
    double pathLimit = std::ldexp(1.0, int(joinBits) - 2);
    double multLimit = std::ldexp(1.0, int(multiplierBits) - 1) - 1.0;
    double maxScale = INFINITY; // largest allowed 2^k
    for (int64_t c = 0; c < channels; ++c)
      for (int i = 0; i < 2; ++i) {
        double bound = std::fabs(A[i][c]) * double(V[i]) +
                       (i == 0 ? std::fabs(B[c]) : 0.0);
        if (bound > 0)
          maxScale = std::min(maxScale, pathLimit / bound);
        if (A[i][c] != 0)
          maxScale = std::min(maxScale, multLimit / std::fabs(A[i][c]));
      }
    if (!std::isfinite(maxScale))
      maxScale = 1.0;
    int k = int(std::floor(std::log2(maxScale)));
    double gridScale = std::ldexp(1.0, -k);

    auto pathType = RankedTensorType::get(
        resultType.getShape(),
        FixedType::get(IntegerType::get(getContext(), joinBits,
                                        IntegerType::Signed),
                       gridScale));
    Value paths[2];
    std::vector<double> errorBound(channels, gridScale); // two ½-step roundings
    for (int i = 0; i < 2; ++i) {
      SmallVector<int64_t> m, sh, bias;
      for (int64_t c = 0; c < channels; ++c) {
        FixedMultiplier fm = quantizeMultiplier(
            A[i][c] / gridScale, i == 0 ? B[c] / gridScale : 0.0,
            multiplierBits, V[i]);
        m.push_back(fm.multiplier);
        sh.push_back(fm.shift);
        bias.push_back(fm.bias);
        errorBound[c] += gridScale *
                         (fm.multiplierError * double(V[i]) + fm.biasError) /
                         std::ldexp(1.0, int(fm.shift));
      }
      paths[i] = rewriter.create<RequantOp>(
          add.getLoc(), pathType, x[i]->value, rewriter.getDenseI64ArrayAttr(m),
          rewriter.getDenseI64ArrayAttr(sh), rewriter.getDenseI64ArrayAttr(bias),
          RoundingModeAttr::get(getContext(), RoundingMode::HalfUp),
          rewriter.getI64IntegerAttr(axis));
    }
    auto sumType = RankedTensorType::get(
        resultType.getShape(),
        FixedType::get(IntegerType::get(getContext(), joinBits + 1,
                                        IntegerType::Signed),
                       gridScale));
    auto sum = rewriter.create<AddOp>(add.getLoc(), sumType, paths[0], paths[1]);
    sum->setAttr("blend.error_bound",
                 rewriter.getDenseF64ArrayAttr(errorBound));
    rewriter.replaceOpWithNewOp<DequantizeOp>(add, resultType, sum);
    return success();
  }

  unsigned multiplierBits, joinBits;
};

/// binarize(dequantize(e)) → binarize(e); binarize(dequantize(b)) → b.
struct BinarizeExact : OpRewritePattern<BinarizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BinarizeOp binarize,
                                PatternRewriter &rewriter) const override {
    // Positive per-channel scales never change a sign.
    Value e;
    if (auto deq = binarize.getInput().getDefiningOp<DequantizeOp>())
      e = deq.getInput();
    else if (auto cs = binarize.getInput().getDefiningOp<ChannelScaleOp>())
      e = cs.getInput();
    if (!e)
      return rewriter.notifyMatchFailure(binarize, "input not exact");
    if (isa<BinaryType>(cast<RankedTensorType>(e.getType()).getElementType())) {
      rewriter.replaceOp(binarize, e);
      return success();
    }
    // Read before the replacement erases `binarize` (ASan found the read
    // after it: test/fuzz/regressions/onnx/binarize-sign-use-after-free.onnx).
    bool sign = binarize->hasAttr("blend.sign");
    auto exact =
        rewriter.replaceOpWithNewOp<BinarizeOp>(binarize, binarize.getType(), e);
    if (sign)
      exact->setAttr("blend.sign", rewriter.getUnitAttr());
    return success();
  }
};

/// quantize(dequantize(f)) → requant(f) with m/2^shift ≈ s_f / s_out.
struct RequantizeExact : OpRewritePattern<QuantizeOp> {
  RequantizeExact(MLIRContext *ctx, unsigned multiplierBits)
      : OpRewritePattern(ctx), multiplierBits(multiplierBits) {}
  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    std::optional<ExactView> x = exactView(quantize.getInput());
    if (!x)
      return rewriter.notifyMatchFailure(quantize, "input not exact");
    auto outType = cast<RankedTensorType>(quantize.getType());
    auto out = cast<FixedType>(outType.getElementType());
    if (outType.getRank() == 0)
      return rewriter.notifyMatchFailure(quantize, "scalar");
    // One multiplier, or one per channel along the view's axis.
    size_t channels = std::max<size_t>(1, x->channelScales.size());
    SmallVector<int64_t> m, sh, zeros(channels, 0);
    for (size_t c = 0; c < channels; ++c) {
      FixedMultiplier fm = quantizeMultiplier(
          x->scaleAt(c) / out.getScaleValue(), 0.0, multiplierBits,
          x->magnitude());
      if (fm.multiplier == 0)
        return rewriter.notifyMatchFailure(quantize, "ratio not representable");
      m.push_back(fm.multiplier);
      sh.push_back(fm.shift);
    }
    int64_t axis = x->channelScales.empty()
                       ? (outType.getRank() >= 2 ? 1 : 0) // any valid axis
                       : x->axis;
    rewriter.replaceOpWithNewOp<RequantOp>(
        quantize, quantize.getType(), x->value,
        rewriter.getDenseI64ArrayAttr(m), rewriter.getDenseI64ArrayAttr(sh),
        rewriter.getDenseI64ArrayAttr(zeros),
        RoundingModeAttr::get(getContext(), RoundingMode::HalfEven),
        rewriter.getI64IntegerAttr(axis));
    return success();
  }
  unsigned multiplierBits;
};

/// quantize(batch_norm(dequantize(e))) → requant(e): per channel, the affine
/// map y = A·(q − zp) + B followed by QuantizeLinear's rounding becomes
/// m/2^shift ≈ A/s_out and bias/2^shift ≈ B/s_out, rounding half to even.
struct RequantizeAffine : OpRewritePattern<QuantizeOp> {
  RequantizeAffine(MLIRContext *ctx, unsigned multiplierBits)
      : OpRewritePattern(ctx, /*benefit=*/2), multiplierBits(multiplierBits) {}
  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    std::optional<ExactBatchNorm> match =
        matchExactBatchNorm(quantize.getInput());
    if (!match)
      return rewriter.notifyMatchFailure(
          quantize, "input is not a constant batch norm of an exact value");
    const ExactView &x = match->x;
    auto out = cast<FixedType>(
        cast<RankedTensorType>(quantize.getType()).getElementType());
    SmallVector<int64_t> m, sh, bias;
    for (size_t c = 0; c < match->f.a.size(); ++c) {
      StorageAffine g = onStorage(match->f, x, c);
      double a = g.slope;
      FixedMultiplier fm = quantizeMultiplier(
          g.slope / out.getScaleValue(), g.offset / out.getScaleValue(),
          multiplierBits, x.magnitude());
      if (a != 0.0 && fm.multiplier == 0)
        return rewriter.notifyMatchFailure(
            quantize, "scale ratio not representable with the multiplier width");
      m.push_back(fm.multiplier);
      sh.push_back(fm.shift);
      bias.push_back(fm.bias);
    }
    auto exactType = cast<RankedTensorType>(x.value.getType());
    Value requant = rewriter.create<RequantOp>(
        quantize.getLoc(),
        RankedTensorType::get(exactType.getShape(), out), x.value,
        rewriter.getDenseI64ArrayAttr(m), rewriter.getDenseI64ArrayAttr(sh),
        rewriter.getDenseI64ArrayAttr(bias),
        RoundingModeAttr::get(getContext(), RoundingMode::HalfEven),
        rewriter.getI64IntegerAttr(match->f.axis));
    rewriter.replaceOp(quantize, withShapeOf(rewriter, quantize.getLoc(),
                                             requant, quantize));
    return success();
  }
  unsigned multiplierBits;
};

/// quantize(clip(x, lo, hi)) → clip(quantize(x)) clamped to quantize(lo) and
/// quantize(hi): rounding is monotone, so clamping before or after it gives
/// the same integers (Brevitas's QuantReLU: Relu then Quant).
struct QuantizeThroughClip : OpRewritePattern<QuantizeOp> {
  QuantizeThroughClip(MLIRContext *ctx)
      : OpRewritePattern(ctx, /*benefit=*/3) {}
  LogicalResult matchAndRewrite(QuantizeOp quantize,
                                PatternRewriter &rewriter) const override {
    auto clip = quantize.getInput().getDefiningOp<ClipOp>();
    if (!clip)
      return rewriter.notifyMatchFailure(quantize, "input is not a clip");
    auto fixed = cast<FixedType>(
        cast<RankedTensorType>(quantize.getType()).getElementType());
    golden::StorageRange range{fixed.getStorageMin(), fixed.getStorageMax()};
    float scale = float(fixed.getScaleValue());
    double min = clip.getMin().convertToDouble();
    double max = clip.getMax().convertToDouble();
    // The grid values of the quantized bounds (open bounds stay open).
    auto bound = [&](double v) {
      if (!std::isfinite(v))
        return v;
      int64_t q = golden::quantize(float(v), scale, fixed.getZeroPoint(), range);
      return fixed.getScaleValue() * double(q - fixed.getZeroPoint());
    };
    Value q = rewriter.create<QuantizeOp>(quantize.getLoc(), quantize.getType(),
                                          clip.getInput());
    rewriter.replaceOpWithNewOp<ClipOp>(quantize, quantize.getType(), q,
                                        rewriter.getF64FloatAttr(bound(min)),
                                        rewriter.getF64FloatAttr(bound(max)));
    return success();
  }
};

struct FoldBatchNormPass : blend::impl::FoldBatchNormBase<FoldBatchNormPass> {
  using FoldBatchNormBase::FoldBatchNormBase;
  void runOnOperation() override {
    if (multiplierBits < 2 || multiplierBits > 32 || joinBits < 4 ||
        joinBits > 48) {
      getOperation().emitError("blend-fold-batchnorm: multiplier-bits must "
                               "be in [2, 32] and join-bits in [4, 48]");
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<BatchNormThreshold, BinarizeExact, QuantizeThroughClip,
                 AvgPoolOfAffine>(&getContext());
    patterns.add<BatchNormJoin>(&getContext(), multiplierBits, joinBits);
    patterns.add<RequantizeExact, RequantizeAffine>(&getContext(),
                                                    multiplierBits);
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
