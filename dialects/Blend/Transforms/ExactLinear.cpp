//===- ExactLinear.cpp - float conv/matmul of exact operands → exact ------===//
//
// After import, a binary convolution is a float conv2d whose input is
// dequantize(binary) and whose weights are ±1 float constants; a fixed-point
// one has both operands dequantized from fixed-point values. Both become the
// exact op on the underlying values, with the narrowest accumulator type that
// holds the proven bound (getLinearAccumulatorBound, shared with the
// verifier), followed by a dequantize so float consumers stay valid until the
// batch-norm folding reaches them.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/Passes.h"
#include "dialects/Blend/Transforms/PatternUtils.h"
#include "runtime/golden/Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace blend {
#define GEN_PASS_DEF_EXACTLINEAR
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;

namespace {

/// Exact operands found behind a float linear op, or failure.
struct ExactOperands {
  Value input, weight, bias;
  Type accumulator;
  /// Positive per-output-channel weight scales (empty: none); the exact
  /// layer runs on unscaled weights and blend.channel_scale applies these.
  std::vector<double> channelScales;
  /// A float bias kept exact: added in float behind the layer, where the
  /// batch-norm folds take it into the threshold or requant it reaches
  /// (docs/semantics.md §4) instead of rounding it to the product grid.
  Value floatBias;
};

/// True when a binarizer reads `v` through float affine ops (batch norms,
/// arithmetic with constants, reshapes): the place where rounding a float
/// bias to the accumulator grid before the threshold would change the model.
static bool reachesBinarizer(Value v) {
  SmallVector<Value> work{v};
  llvm::DenseSet<Value> seen;
  while (!work.empty()) {
    Value x = work.pop_back_val();
    if (!seen.insert(x).second)
      continue;
    for (Operation *user : x.getUsers()) {
      if (isa<BinarizeOp>(user))
        return true;
      bool affine = isa<BatchNormOp, ReshapeOp>(user) ||
                    (isa<arith::AddFOp, arith::SubFOp, arith::MulFOp,
                         arith::DivFOp, AddOp>(user) &&
                     llvm::any_of(user->getOperands(), [](Value o) {
                       return getFloatConstant(o).has_value();
                     }));
      if (affine && user->getOperand(0) == x)
        work.push_back(user->getResult(0));
      else if (affine && isa<arith::AddFOp, arith::MulFOp, AddOp>(user))
        work.push_back(user->getResult(0));
    }
  }
  return false;
}

/// Float weights that are, per output channel, integers times one scale up
/// to float32 rounding: what an exporter leaves after folding a batch norm
/// into int8 weights (w = q·s·γ/σ, PyTorch's eval-mode Conv-BN fusion). The
/// integers (|q| ≤ 127) as si8 fixed-point with the recovered per-channel
/// scales, or nothing. The recovered layer computes Σ x·q·σ_c exactly, which
/// differs from the float graph by its float32 rounding only.
static std::optional<std::pair<Value, std::vector<double>>>
scaledIntegerWeights(PatternRewriter &rewriter, Location loc, Value weight,
                     int64_t channelDim) {
  std::optional<std::vector<double>> values = getFloatValues(weight);
  if (!values || values->empty())
    return std::nullopt;
  auto type = cast<RankedTensorType>(weight.getType());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = shape[channelDim], inner = 1;
  for (size_t d = channelDim + 1; d < shape.size(); ++d)
    inner *= shape[d];
  std::vector<double> peak(size_t(channels), 0.0), scales(size_t(channels), 1.0);
  for (size_t i = 0; i < values->size(); ++i) {
    size_t c = size_t((int64_t(i) / inner) % channels);
    if (!std::isfinite((*values)[i]))
      return std::nullopt; // a NaN / Inf weight has no integer grid
    peak[c] = std::max(peak[c], std::fabs((*values)[i]));
  }
  std::vector<int64_t> q(values->size());
  for (int64_t c = 0; c < channels; ++c) {
    if (peak[size_t(c)] == 0.0)
      continue; // an all-zero channel: integers 0 at any scale
    bool found = false;
    for (int k = 1; k <= 127 && !found; ++k) {
      double sigma = peak[size_t(c)] / k;
      found = true;
      for (size_t i = 0; found && i < values->size(); ++i) {
        if ((int64_t(i) / inner) % channels != c)
          continue;
        double r = (*values)[i] / sigma;
        found = std::fabs(r - std::nearbyint(r)) <= 1e-3;
        q[i] = int64_t(std::nearbyint(r));
      }
      if (found)
        scales[size_t(c)] = sigma;
    }
    if (!found)
      return std::nullopt;
  }
  SmallVector<APInt> ints;
  for (int64_t v : q)
    ints.push_back(APInt(8, uint64_t(v), /*isSigned=*/true));
  auto fixed = FixedType::get(
      IntegerType::get(rewriter.getContext(), 8, IntegerType::Signed), 1.0);
  Value constant = rewriter.create<ConstantOp>(
      loc, RankedTensorType::get(shape, fixed),
      DenseElementsAttr::get(
          RankedTensorType::get(shape, rewriter.getIntegerType(8)), ints));
  return std::make_pair(constant, scales);
}

/// Weights w[..] = α[c]·(±1) with one α > 0 per output channel (α = 1: plain
/// ±1 binary weights; `channelDim`
/// of the weight tensor: 0 for OIHW conv weights, 1 for [K, N] matmul
/// weights), as eval-mode exports fold a batch norm into a binary layer:
/// the binary weights and α, or nothing.
static std::optional<std::pair<Value, std::vector<double>>>
scaledBinaryWeights(PatternRewriter &rewriter, Location loc, Value weight,
                    int64_t channelDim) {
  std::optional<std::vector<double>> values = getFloatValues(weight);
  if (!values || values->empty())
    return std::nullopt;
  auto type = cast<RankedTensorType>(weight.getType());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = shape[channelDim], inner = 1;
  for (size_t d = channelDim + 1; d < shape.size(); ++d)
    inner *= shape[d];
  std::vector<double> alpha(size_t(channels), -1.0);
  SmallVector<bool> bits;
  for (size_t i = 0; i < values->size(); ++i) {
    int64_t c = (int64_t(i) / inner) % channels;
    double v = (*values)[i], m = std::fabs(v);
    if (!(m > 0.0))
      return std::nullopt;
    if (alpha[c] < 0)
      alpha[c] = m;
    else if (alpha[c] != m)
      return std::nullopt;
    bits.push_back(v > 0);
  }
  auto storage = DenseElementsAttr::get(
      RankedTensorType::get(shape, rewriter.getI1Type()), ArrayRef<bool>(bits));
  Value binary = rewriter.create<ConstantOp>(
      loc, RankedTensorType::get(shape, BinaryType::get(rewriter.getContext())),
      storage);
  return std::make_pair(binary, alpha);
}

/// Float constant weights that are all small integers (±1 from a bipolar
/// weight quantizer, or integer-valued weights) as a fixed-point constant of
/// scale 1: the narrowest signed type holding them. Null otherwise.
static Value integerWeights(PatternRewriter &rewriter, Location loc,
                            Value weight) {
  std::optional<std::vector<double>> values = getFloatValues(weight);
  if (!values || values->empty())
    return {};
  uint64_t magnitude = 0;
  for (double v : *values) {
    if (v != std::floor(v) || std::fabs(v) > 127.0)
      return {};
    magnitude = std::max<uint64_t>(magnitude, uint64_t(std::fabs(v)));
  }
  unsigned width = std::max(2u, getMinimalSignedWidth(magnitude));
  auto type = cast<RankedTensorType>(weight.getType());
  SmallVector<APInt> ints;
  for (double v : *values)
    ints.push_back(APInt(width, uint64_t(int64_t(v)), /*isSigned=*/true));
  auto fixed = FixedType::get(
      IntegerType::get(rewriter.getContext(), width, IntegerType::Signed), 1.0);
  return rewriter.create<ConstantOp>(
      loc, RankedTensorType::get(type.getShape(), fixed),
      DenseElementsAttr::get(
          RankedTensorType::get(type.getShape(), rewriter.getIntegerType(width)),
          ints));
}

/// A binary constant as si2 fixed-point ±1 of scale 1, or null when `w` is
/// not a constant.
static Value binaryAsFixed(PatternRewriter &rewriter, Location loc, Value w) {
  auto constant = w.getDefiningOp<ConstantOp>();
  std::optional<DenseElementsAttr> dense =
      constant ? getDenseElements(constant.getValue()) : std::nullopt;
  if (!dense || !*dense)
    return {};
  auto type = cast<RankedTensorType>(w.getType());
  SmallVector<APInt> ints;
  for (APInt bit : dense->getValues<APInt>())
    ints.push_back(APInt(2, bit.isZero() ? uint64_t(-1) : 1, /*isSigned=*/true));
  auto fixed = FixedType::get(
      IntegerType::get(rewriter.getContext(), 2, IntegerType::Signed), 1.0);
  return rewriter.create<ConstantOp>(
      loc, RankedTensorType::get(type.getShape(), fixed),
      DenseElementsAttr::get(
          RankedTensorType::get(type.getShape(), rewriter.getIntegerType(2)),
          ints));
}

/// The exact weights and per-output-channel scales behind
/// channel_scale(w, s, axis = channelDim), or nothing.
static std::optional<std::pair<Value, std::vector<double>>>
channelScaledWeights(Value weight, int64_t channelDim) {
  auto cs = weight.getDefiningOp<ChannelScaleOp>();
  if (!cs || int64_t(cs.getAxis()) != channelDim)
    return std::nullopt;
  auto type = cast<RankedTensorType>(weight.getType());
  std::vector<double> scales(size_t(type.getDimSize(channelDim)));
  for (size_t c = 0; c < scales.size(); ++c)
    scales[c] = cs.getScales()[cs.getScales().size() == 1 ? 0 : c];
  return std::make_pair(cs.getInput(), scales);
}

/// The exact value behind a dequantize, or null.
static Value exactSource(Value value) {
  if (auto deq = value.getDefiningOp<DequantizeOp>())
    return deq.getInput();
  return {};
}

/// A float constant bias as a fixed-point constant at the product scale:
/// round(b / scale), half to even (an approximation of at most half a
/// product step, docs/semantics.md §4). Null when `bias` is not a float
/// constant or does not fit 32 bits.
static Value quantizeFloatBias(PatternRewriter &rewriter, Location loc,
                               Value bias, double scale,
                               ArrayRef<double> channelScales = {}) {
  std::optional<std::vector<double>> values = getFloatValues(bias);
  if (!values)
    return {};
  SmallVector<APInt> q;
  uint64_t magnitude = 0;
  for (auto [i, b] : llvm::enumerate(*values)) {
    // With per-channel weight scales the bias is in units of s_x·s_w[c].
    double unit = scale * (channelScales.empty() ? 1.0 : channelScales[i]);
    double r = std::nearbyint(b / unit);
    if (!(std::fabs(r) < 2147483647.0))
      return {};
    q.push_back(APInt(32, uint64_t(int64_t(r)), /*isSigned=*/true));
    magnitude = std::max<uint64_t>(magnitude, uint64_t(std::fabs(r)));
  }
  auto type = cast<RankedTensorType>(bias.getType());
  unsigned width = getMinimalSignedWidth(magnitude);
  SmallVector<APInt> narrowed;
  for (const APInt &v : q)
    narrowed.push_back(v.trunc(width));
  auto storage = RankedTensorType::get(type.getShape(),
                                       rewriter.getIntegerType(width));
  auto fixed = FixedType::get(
      IntegerType::get(rewriter.getContext(), width, IntegerType::Signed), scale);
  return rewriter.create<ConstantOp>(
      loc, RankedTensorType::get(type.getShape(), fixed),
      DenseElementsAttr::get(storage, narrowed));
}

/// Finds exact operands for a float linear op with `reduction` terms.
static FailureOr<ExactOperands> matchExact(PatternRewriter &rewriter,
                                           Operation *op, Value input,
                                           Value weight, Value bias,
                                           int64_t reduction,
                                           int64_t channelDim) {
  Value x = exactSource(input);
  // One positive factor for every channel on a fixed-point input (a scale
  // ExactScale moved onto it): the exact layer's product scale takes it.
  double inputFactor = 1.0;
  if (auto cs = input.getDefiningOp<ChannelScaleOp>();
      !x && cs && isa<FixedType>(cast<RankedTensorType>(cs.getInput().getType())
                                     .getElementType()) &&
      llvm::all_of(cs.getScales(),
                   [&](double f) { return f == cs.getScales()[0]; })) {
    x = cs.getInput();
    inputFactor = cs.getScales()[0];
  }
  if (!x)
    return rewriter.notifyMatchFailure(op, "input is not dequantized");
  Type xElem = cast<RankedTensorType>(x.getType()).getElementType();
  ExactOperands ops;
  ops.input = x;
  // Per-channel scaled weights: channel_scale(exact) from the importer.
  Value scaledFixed;
  if (auto scaled = channelScaledWeights(weight, channelDim)) {
    Type wElem = cast<RankedTensorType>(scaled->first.getType()).getElementType();
    if (isa<BinaryType>(xElem) != isa<BinaryType>(wElem))
      return rewriter.notifyMatchFailure(op, "binary and fixed operands mixed");
    ops.channelScales = scaled->second;
    if (isa<BinaryType>(wElem))
      ops.weight = scaled->first;
    else
      scaledFixed = scaled->first;
  }
  if (isa<BinaryType>(xElem)) {
    if (bias) {
      // A float bias (a batch norm folded by the exporter) stays exact.
      if (!getFloatConstant(bias))
        return rewriter.notifyMatchFailure(op, "binary layer with a non-constant bias");
      ops.floatBias = bias;
    }
    if (!ops.weight) {
      // ±1 float constants, already-binary weights seen through a
      // dequantize, or ±α per output channel.
      Value w = exactSource(weight);
      if (w &&
          isa<BinaryType>(cast<RankedTensorType>(w.getType()).getElementType()))
        ops.weight = w;
      else if (auto scaled = scaledBinaryWeights(rewriter, op->getLoc(), weight,
                                                 channelDim)) {
        ops.weight = scaled->first;
        // ±1 weights need no scale.
        if (llvm::any_of(scaled->second, [](double a) { return a != 1.0; }))
          ops.channelScales = scaled->second;
      }
    }
    if (!ops.weight)
      return rewriter.notifyMatchFailure(
          op, "weights are not ±1, nor ±α per output channel");
    uint64_t bound = getLinearAccumulatorBound(
        xElem, BinaryType::get(rewriter.getContext()), Type(), reduction);
    ops.accumulator = IntegerType::get(rewriter.getContext(),
                                       getMinimalSignedWidth(bound),
                                       IntegerType::Signed);
    return ops;
  }
  auto xFixed = dyn_cast<FixedType>(xElem);
  Value w = scaledFixed ? scaledFixed : exactSource(weight);
  // ±1 (or other integer-valued) float weights on a fixed-point input, as a
  // bipolar weight quantizer on an 8-bit first layer (FINN's CNV) exports.
  if (!w && xFixed)
    w = integerWeights(rewriter, op->getLoc(), weight);
  if (!w && xFixed && ops.channelScales.empty())
    if (auto scaled = scaledIntegerWeights(rewriter, op->getLoc(), weight,
                                           channelDim)) {
      w = scaled->first;
      ops.channelScales = scaled->second;
    }
  // Binary (±1) constant weights on a fixed-point input (a bipolar weight
  // quantizer behind an n-bit activation: BNN-PYNQ's w1a2): the same ±1 as
  // 2-bit fixed-point weights.
  if (w && xFixed &&
      isa<BinaryType>(cast<RankedTensorType>(w.getType()).getElementType()))
    w = binaryAsFixed(rewriter, op->getLoc(), w);
  if (!xFixed || !w)
    return rewriter.notifyMatchFailure(op, "operands are not both exact");
  auto wFixed = dyn_cast<FixedType>(
      cast<RankedTensorType>(w.getType()).getElementType());
  if (!wFixed || wFixed.getZeroPoint() != 0)
    return rewriter.notifyMatchFailure(op, "weights are not symmetric fixed");
  ops.weight = w;
  double scale = xFixed.getScaleValue() * wFixed.getScaleValue();
  // The input's uniform factor scales every output channel.
  if (inputFactor != 1.0) {
    int64_t channels =
        cast<RankedTensorType>(w.getType()).getDimSize(channelDim);
    if (ops.channelScales.empty())
      ops.channelScales.assign(size_t(channels), 1.0);
    for (double &c : ops.channelScales)
      c *= inputFactor;
  }
  Type biasElem;
  if (bias && getFloatConstant(bias) && reachesBinarizer(op->getResult(0))) {
    // The float bias decides a threshold: keep it exact (added in float
    // behind the layer, folded with the batch norms).
    ops.floatBias = bias;
    bias = Value();
  }
  if (bias) {
    ops.bias = ops.channelScales.empty() ? exactSource(bias) : Value();
    if (!ops.bias)
      ops.bias = quantizeFloatBias(rewriter, op->getLoc(), bias, scale,
                                   ops.channelScales);
    auto bFixed = ops.bias ? dyn_cast<FixedType>(cast<RankedTensorType>(
                                                     ops.bias.getType())
                                                     .getElementType())
                           : FixedType();
    if (!bFixed || bFixed.getZeroPoint() != 0 ||
        std::abs(bFixed.getScaleValue() - scale) > 1e-9 * scale)
      return rewriter.notifyMatchFailure(
          op, "bias is not fixed-point at the product scale");
    biasElem = bFixed;
  }
  uint64_t bound = getLinearAccumulatorBound(xFixed, wFixed, biasElem,
                                             reduction);
  auto storage = IntegerType::get(rewriter.getContext(),
                                  getMinimalSignedWidth(bound),
                                  IntegerType::Signed);
  ops.accumulator = FixedType::get(storage, scale);
  return ops;
}

/// Replaces `op` by the real value of its exact accumulator: dequantize, or
/// channel_scale when the weights carried per-channel scales; then the
/// float bias kept exact, broadcast along `axis`.
static void replaceWithReal(PatternRewriter &rewriter, Operation *op,
                            Value acc, const ExactOperands &ops, int64_t axis) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  Value real;
  if (ops.channelScales.empty())
    real = rewriter.create<DequantizeOp>(op->getLoc(), type, acc);
  else
    real = rewriter.create<ChannelScaleOp>(
        op->getLoc(), type, acc, rewriter.getDenseF64ArrayAttr(ops.channelScales),
        rewriter.getI64IntegerAttr(axis));
  if (ops.floatBias) {
    std::vector<double> bias = *getFloatValues(ops.floatBias);
    int64_t inner = 1, channels = type.getDimSize(axis);
    for (int64_t d = axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
    SmallVector<float> expanded(size_t(type.getNumElements()));
    for (size_t i = 0; i < expanded.size(); ++i)
      expanded[i] = float(bias[bias.size() == 1 ? 0
                                                 : size_t((int64_t(i) / inner) %
                                                          channels)]);
    Value b = rewriter.create<arith::ConstantOp>(
        op->getLoc(), DenseElementsAttr::get(type, ArrayRef<float>(expanded)));
    real = rewriter.create<arith::AddFOp>(op->getLoc(), real, b);
  }
  rewriter.replaceOp(op, real);
}

struct ExactConv : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2DOp conv,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(conv.getType());
    if (!isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(conv, "already exact");
    auto wType = cast<RankedTensorType>(conv.getWeight().getType());
    int64_t reduction =
        wType.getDimSize(1) * wType.getDimSize(2) * wType.getDimSize(3);
    FailureOr<ExactOperands> ops =
        matchExact(rewriter, conv, conv.getInput(), conv.getWeight(),
                   conv.getBias(), reduction, /*channelDim=*/0);
    if (failed(ops))
      return failure();
    auto accType =
        RankedTensorType::get(resultType.getShape(), ops->accumulator);
    Value acc = rewriter.create<Conv2DOp>(
        conv.getLoc(), accType, ops->input, ops->weight, ops->bias,
        conv.getStridesAttr(), conv.getPadsAttr());
    replaceWithReal(rewriter, conv, acc, *ops, /*axis=*/1);
    return success();
  }
};

struct ExactMatMul : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp matmul,
                                PatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(matmul.getType());
    if (!isa<FloatType>(resultType.getElementType()))
      return rewriter.notifyMatchFailure(matmul, "already exact");
    int64_t reduction =
        cast<RankedTensorType>(matmul.getRhs().getType()).getDimSize(0);
    FailureOr<ExactOperands> ops =
        matchExact(rewriter, matmul, matmul.getLhs(), matmul.getRhs(),
                   matmul.getBias(), reduction, /*channelDim=*/1);
    if (failed(ops))
      return failure();
    auto accType =
        RankedTensorType::get(resultType.getShape(), ops->accumulator);
    Value acc = rewriter.create<MatMulOp>(matmul.getLoc(), accType, ops->input,
                                          ops->weight, ops->bias);
    replaceWithReal(rewriter, matmul, acc, *ops, resultType.getRank() - 1);
    return success();
  }
};

/// avg_pool2d(dequantize(e)) without padding → dequantize(sum_pool2d(e)):
/// the window sum is exact, and the scale s/(KH·KW) makes it the average.
struct ExactAvgPool : OpRewritePattern<AvgPool2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AvgPool2DOp pool,
                                PatternRewriter &rewriter) const override {
    Value e = exactSource(pool.getInput());
    if (!e || llvm::any_of(pool.getPads(), [](int64_t p) { return p != 0; }))
      return rewriter.notifyMatchFailure(pool, "not exact or padded");
    Type in = cast<RankedTensorType>(e.getType()).getElementType();
    if (isa<BinaryType>(in))
      return rewriter.notifyMatchFailure(pool, "binary input");
    auto resultType = cast<RankedTensorType>(pool.getType());
    Value sum = createSumPool(rewriter, pool, e);
    rewriter.replaceOpWithNewOp<DequantizeOp>(pool, resultType, sum);
    return success();
  }
};

/// reshape(dequantize(e)) → dequantize(reshape(e)).
struct ReshapeExact : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp reshape,
                                PatternRewriter &rewriter) const override {
    Value e = exactSource(reshape.getInput());
    if (!e)
      return rewriter.notifyMatchFailure(reshape, "input not dequantized");
    moveAboveDequantize(rewriter, reshape, e);
    return success();
  }
};

/// max_pool2d(dequantize(e)) → dequantize(max_pool2d(e)): dequantization is
/// monotone (scale > 0), and padding never wins a max.
struct ExactMaxPool : OpRewritePattern<MaxPool2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPool2DOp pool,
                                PatternRewriter &rewriter) const override {
    Value e = exactSource(pool.getInput());
    if (!e)
      return rewriter.notifyMatchFailure(pool, "input not dequantized");
    moveAboveDequantize(rewriter, pool, e);
    return success();
  }
};

/// clip(dequantize(e)) → dequantize(clip(e)) when every bound that can bind is
/// a value of e's grid (Relu's 0 always is), so the clamp stays exact.
struct ExactClip : OpRewritePattern<ClipOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ClipOp clip,
                                PatternRewriter &rewriter) const override {
    Value e = exactSource(clip.getInput());
    if (!e)
      return rewriter.notifyMatchFailure(clip, "input not dequantized");
    Type element = cast<RankedTensorType>(e.getType()).getElementType();
    if (isa<BinaryType>(element))
      return rewriter.notifyMatchFailure(clip, "binary input");
    double min = clip.getMin().convertToDouble();
    double max = clip.getMax().convertToDouble();
    auto [lo, hi] = ClipOp::getStorageBounds(element, min, max);
    double scale = 1.0;
    int64_t zp = 0, qMin = 0, qMax = 0;
    if (auto fixed = dyn_cast<FixedType>(element)) {
      scale = fixed.getScaleValue();
      zp = fixed.getZeroPoint();
      qMin = fixed.getStorageMin();
      qMax = fixed.getStorageMax();
    } else {
      IntRange r = getSignedRange(element.getIntOrFloatBitWidth());
      qMin = r.min;
      qMax = r.max;
    }
    auto real = [&](int64_t q) { return scale * double(q - zp); };
    bool minBinds = std::isfinite(min) && min > real(qMin);
    bool maxBinds = std::isfinite(max) && max < real(qMax);
    if (lo > hi || (minBinds && real(lo) != min) || (maxBinds && real(hi) != max))
      return rewriter.notifyMatchFailure(clip, "a bound is off the grid");
    auto type = cast<RankedTensorType>(clip.getType());
    Value moved = rewriter.create<ClipOp>(clip.getLoc(), e.getType(), e,
                                          clip.getMinAttr(), clip.getMaxAttr());
    rewriter.replaceOpWithNewOp<DequantizeOp>(clip, type, moved);
    return success();
  }
};

/// concat(dequantize(e_1), ..., dequantize(e_n)) with one exact element type
/// → dequantize(concat(e_1, ..., e_n)).
struct ExactConcat : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp concat,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> exact;
    Type element;
    for (Value input : concat.getInputs()) {
      Value e = exactSource(input);
      if (!e)
        return rewriter.notifyMatchFailure(concat, "an input is not exact");
      Type t = cast<RankedTensorType>(e.getType()).getElementType();
      if (element && t != element)
        return rewriter.notifyMatchFailure(concat, "exact types differ");
      element = t;
      exact.push_back(e);
    }
    auto type = cast<RankedTensorType>(concat.getType());
    Value moved = rewriter.create<ConcatOp>(
        concat.getLoc(), RankedTensorType::get(type.getShape(), element), exact,
        concat.getAxisAttr());
    rewriter.replaceOpWithNewOp<DequantizeOp>(concat, type, moved);
    return success();
  }
};

/// x·c and x/c for an exact x and a positive constant c → a channel_scale
/// of x: the real value s·(q − zp)·c needs no arithmetic on q.
template <typename OpT>
struct ExactScale : OpRewritePattern<OpT> {
  using OpRewritePattern<OpT>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!type || type.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "not a ranked tensor");
    Value x = op.getLhs(), c = op.getRhs();
    if (std::is_same_v<OpT, arith::MulFOp> && getSplatFloat(x))
      std::swap(x, c);
    std::optional<double> factor = getSplatFloat(c);
    if (!factor || !(*factor > 0.0) || !std::isfinite(*factor))
      return rewriter.notifyMatchFailure(op, "not a positive constant factor");
    if (std::is_same_v<OpT, arith::DivFOp>)
      factor = 1.0 / *factor;
    Value e;
    SmallVector<double> scales{*factor};
    int64_t axis = type.getRank() >= 2 ? 1 : 0;
    if (auto deq = x.template getDefiningOp<DequantizeOp>()) {
      e = deq.getInput();
    } else if (auto cs = x.template getDefiningOp<ChannelScaleOp>()) {
      e = cs.getInput();
      axis = int64_t(cs.getAxis());
      scales.assign(cs.getScales().begin(), cs.getScales().end());
      for (double &s : scales)
        s *= *factor;
    }
    if (!e)
      return rewriter.notifyMatchFailure(op, "input is not exact");
    rewriter.template replaceOpWithNewOp<ChannelScaleOp>(
        op, type, e, rewriter.getDenseF64ArrayAttr(scales),
        rewriter.getI64IntegerAttr(axis));
    return success();
  }
};

/// conv2d(pad(x, spatial zeros)) → conv2d(x) with the pads added: the
/// convolution's padding contributes nothing, exactly like zeros.
struct FoldPadIntoConv : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2DOp conv,
                                PatternRewriter &rewriter) const override {
    auto pad = conv.getInput().getDefiningOp<PadOp>();
    if (!pad || pad.getValue().convertToDouble() != 0.0)
      return rewriter.notifyMatchFailure(conv, "input is not zero-padded");
    ArrayRef<int64_t> p = pad.getPads(); // [n, c, h, w] begins, then ends
    if (p.size() != 8 || p[0] || p[1] || p[4] || p[5])
      return rewriter.notifyMatchFailure(conv, "pads batch or channels");
    ArrayRef<int64_t> cp = conv.getPads(); // [top, left, bottom, right]
    SmallVector<int64_t> pads{cp[0] + p[2], cp[1] + p[3], cp[2] + p[6],
                              cp[3] + p[7]};
    rewriter.modifyOpInPlace(conv, [&] {
      conv.getInputMutable().assign(pad.getInput());
      conv.setPadsAttr(rewriter.getDenseI64ArrayAttr(pads));
    });
    return success();
  }
};

/// multi_threshold(dequantize(e)) → dequantize(multi_threshold(e)) with the
/// fixed-point result of scale out_scale and zero point −out_bias/out_scale
/// (which must be an integer): the counts are exact comparisons on q.
struct ExactMultiThreshold : OpRewritePattern<MultiThresholdOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MultiThresholdOp mt,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(mt.getType());
    if (!isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(mt, "already exact");
    Value e = exactSource(mt.getInput());
    if (!e || isa<BinaryType>(cast<RankedTensorType>(e.getType()).getElementType()))
      return rewriter.notifyMatchFailure(mt, "input is not an exact value");
    double scale = mt.getOutScale().convertToDouble();
    double zp = -mt.getOutBias().convertToDouble() / scale;
    if (zp != std::round(zp) || std::fabs(zp) > 1e9)
      return rewriter.notifyMatchFailure(mt, "out_bias is not a multiple of out_scale");
    // The storage is the count 0 .. steps; the zero point makes its real
    // value out_scale·(count − zp) = out_scale·count + out_bias.
    // (The storage type must also hold the zero point.)
    int64_t steps = int64_t(mt.getSteps()), z = int64_t(zp);
    IntegerType storage =
        z >= 0 ? IntegerType::get(getContext(),
                                  llvm::Log2_64(uint64_t(std::max(steps, z))) + 1,
                                  IntegerType::Unsigned)
               : IntegerType::get(getContext(),
                                  getMinimalSignedWidth(uint64_t(std::max(steps, -z))),
                                  IntegerType::Signed);
    auto fixed = FixedType::get(storage, scale, z);
    Value exact = rewriter.create<MultiThresholdOp>(
        mt.getLoc(), RankedTensorType::get(type.getShape(), fixed), e,
        mt.getThresholdsAttr(), mt.getStepsAttr(), mt.getAxisAttr(),
        mt.getOutScaleAttr(), mt.getOutBiasAttr());
    rewriter.replaceOpWithNewOp<DequantizeOp>(mt, type, exact);
    return success();
  }
};

/// x ± c, x·c, x / c (either operand order) with x the dequantized value of
/// a small-range exact e (≤ 256 codes: an annotated graph input, a 2-bit
/// activation) → dequantize(requant(e)) when the float32 result of every
/// code is exactly a point of one grid, q' = ±(q − zp) + b at a scale s':
/// the cybsec MLP's (x + 1) / 2 of a BIPOLAR input is {0, 1}. The check
/// evaluates the op on every code with the golden executor's float32
/// arithmetic, so the exact form gives the float graph's values bit for bit.
template <typename OpT>
struct ExactOnGrid : OpRewritePattern<OpT> {
  ExactOnGrid(MLIRContext *ctx) : OpRewritePattern<OpT>(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || !isa<FloatType>(type.getElementType()) ||
        op->getNumOperands() != 2)
      return rewriter.notifyMatchFailure(op, "not a binary float op");
    bool lhsConstant = getSplatFloat(op->getOperand(0)).has_value();
    std::optional<double> c = getSplatFloat(op->getOperand(lhsConstant ? 0 : 1));
    Value e = exactSource(op->getOperand(lhsConstant ? 1 : 0));
    if (!c || !e)
      return rewriter.notifyMatchFailure(op, "not exact op splat constant");
    // A positive factor is a scale (ExactScale): no integer op needed.
    if ((std::is_same_v<OpT, arith::MulFOp> ||
         (std::is_same_v<OpT, arith::DivFOp> && !lhsConstant)) &&
        *c > 0.0)
      return rewriter.notifyMatchFailure(op, "a positive scale");
    auto fixed = dyn_cast<FixedType>(cast<RankedTensorType>(e.getType()).getElementType());
    if (!fixed || fixed.getStorageMax() - fixed.getStorageMin() > 255)
      return rewriter.notifyMatchFailure(op, "not a small-range fixed-point value");
    float cf = float(*c), scale = float(fixed.getScaleValue());
    auto apply = [&](float x) -> float {
      float a = lhsConstant ? cf : x, b = lhsConstant ? x : cf;
      if (std::is_same_v<OpT, arith::SubFOp>)
        return a - b;
      if (std::is_same_v<OpT, arith::MulFOp>)
        return a * b;
      if (std::is_same_v<OpT, arith::DivFOp>)
        return a / b;
      return a + b; // arith.addf, blend.add
    };
    int64_t qMin = fixed.getStorageMin(), qMax = fixed.getStorageMax();
    if (qMax == qMin)
      return rewriter.notifyMatchFailure(op, "a single code");
    std::vector<float> y;
    for (int64_t q = qMin; q <= qMax; ++q)
      y.push_back(apply(golden::dequantize(q, scale, fixed.getZeroPoint())));
    float step = y[1] - y[0];
    double grid = std::fabs(double(step));
    if (!(grid > 0.0) || !std::isfinite(grid))
      return rewriter.notifyMatchFailure(op, "no grid");
    int64_t sign = step > 0 ? 1 : -1;
    double first = double(y[0]) / grid;
    if (first != std::nearbyint(first))
      return rewriter.notifyMatchFailure(op, "off the grid");
    int64_t bias = int64_t(first) - sign * (qMin - fixed.getZeroPoint());
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (int64_t q = qMin; q <= qMax; ++q) {
      int64_t target = sign * (q - fixed.getZeroPoint()) + bias;
      if (golden::dequantize(target, float(grid), 0) != y[size_t(q - qMin)])
        return rewriter.notifyMatchFailure(op, "not affine on one grid");
      lo = std::min(lo, target);
      hi = std::max(hi, target);
    }
    MLIRContext *ctx = rewriter.getContext();
    IntegerType storage =
        lo >= 0 ? IntegerType::get(ctx, std::max(1u, unsigned(llvm::Log2_64(uint64_t(hi)) + 1)),
                                   IntegerType::Unsigned)
                : IntegerType::get(ctx, getMinimalSignedWidth(uint64_t(std::max(-lo, hi))),
                                   IntegerType::Signed);
    if (hi == 0 && lo >= 0)
      storage = IntegerType::get(ctx, 1, IntegerType::Unsigned);
    auto out = FixedType::get(storage, grid);
    Value requant = rewriter.create<RequantOp>(
        op.getLoc(), RankedTensorType::get(type.getShape(), out), e,
        rewriter.getDenseI64ArrayAttr({sign}), rewriter.getDenseI64ArrayAttr({0}),
        rewriter.getDenseI64ArrayAttr({bias}),
        RoundingModeAttr::get(ctx, RoundingMode::HalfUp),
        rewriter.getI64IntegerAttr(type.getRank() >= 2 ? 1 : 0));
    rewriter.replaceOpWithNewOp<DequantizeOp>(op, type, requant);
    return success();
  }
};

struct ExactLinearPass : blend::impl::ExactLinearBase<ExactLinearPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExactConv, ExactMatMul, ExactAvgPool, ExactMaxPool, ExactClip,
                 ExactConcat, ReshapeExact, FoldPadIntoConv, ExactMultiThreshold,
                 ExactScale<arith::MulFOp>,
                 ExactScale<arith::DivFOp>, ExactOnGrid<arith::AddFOp>,
                 ExactOnGrid<arith::SubFOp>, ExactOnGrid<arith::MulFOp>,
                 ExactOnGrid<arith::DivFOp>, ExactOnGrid<AddOp>>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
