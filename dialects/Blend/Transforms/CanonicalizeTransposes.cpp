//===- CanonicalizeTransposes.cpp - cancel and sink layout transposes -----===//
//
// Exporters insert transposes around per-feature ops of rank-3 activations
// (BatchNorm1d on [B, N, F]) and around MLP-Mixer's token mixing. Transposes
// around a batch norm are layout only: the batch norm moves to the
// untransposed tensor with its channel axis permuted, and the pair cancels.
// A transpose of a dequantized tensor is real data movement; it moves above
// the dequantize so that it permutes exact storage.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/Passes.h"
#include "dialects/Blend/Transforms/PatternUtils.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace blend {
#define GEN_PASS_DEF_CANONICALIZETRANSPOSES
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;

namespace {

RankedTensorType withElementType(Value shaped, Type element) {
  return RankedTensorType::get(cast<RankedTensorType>(shaped.getType()).getShape(),
                               element);
}

/// transpose(transpose(x, p), q) → transpose(x, r) with r[i] = p[q[i]].
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp outer,
                                PatternRewriter &rewriter) const override {
    auto inner = outer.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(outer, "input is not a transpose");
    ArrayRef<int64_t> p = inner.getPermutation(), q = outer.getPermutation();
    SmallVector<int64_t> r;
    for (int64_t i : q)
      r.push_back(p[i]);
    rewriter.replaceOpWithNewOp<TransposeOp>(outer, outer.getType(),
                                             inner.getInput(),
                                             rewriter.getDenseI64ArrayAttr(r));
    return success();
  }
};

/// batch_norm(transpose(x, P), axis a) → transpose(batch_norm(x, axis P[a])).
struct BatchNormBeforeTranspose : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto transpose = bn.getInput().getDefiningOp<TransposeOp>();
    if (!transpose)
      return rewriter.notifyMatchFailure(bn, "input is not a transpose");
    Value x = transpose.getInput();
    int64_t axis = transpose.getPermutation()[bn.getAxis()];
    auto resultType = cast<RankedTensorType>(bn.getType());
    auto moved = rewriter.create<BatchNormOp>(
        bn.getLoc(), withElementType(x, resultType.getElementType()), x,
        bn.getScale(), bn.getBias(), bn.getMean(), bn.getVariance(),
        bn.getEpsilonAttr(), rewriter.getI64IntegerAttr(axis));
    rewriter.replaceOpWithNewOp<TransposeOp>(bn, resultType, moved,
                                             transpose.getPermutationAttr());
    return success();
  }
};

/// transpose(dequantize(e)) → dequantize(transpose(e)).
struct TransposeBeforeDequantize : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto deq = transpose.getInput().getDefiningOp<DequantizeOp>();
    if (!deq)
      return rewriter.notifyMatchFailure(transpose, "input is not dequantized");
    moveAboveDequantize(rewriter, transpose, deq.getInput());
    return success();
  }
};

/// transpose(channel_scale(e, s, axis a), P) → channel_scale(transpose(e, P),
/// s, axis i) with P[i] = a: per-channel weight scales follow their channel
/// through a weight transpose (MatMul weights exported as W^T).
struct TransposeBeforeChannelScale : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto cs = transpose.getInput().getDefiningOp<ChannelScaleOp>();
    if (!cs)
      return rewriter.notifyMatchFailure(transpose, "input is not scaled");
    ArrayRef<int64_t> perm = transpose.getPermutation();
    int64_t axis = llvm::find(perm, int64_t(cs.getAxis())) - perm.begin();
    Value e = cs.getInput();
    auto exactType = withElementType(
        transpose, cast<RankedTensorType>(e.getType()).getElementType());
    Value moved = rewriter.create<TransposeOp>(
        transpose.getLoc(), exactType, e, transpose.getPermutationAttr());
    rewriter.replaceOpWithNewOp<ChannelScaleOp>(
        transpose, transpose.getType(), moved, cs.getScalesAttr(),
        rewriter.getI64IntegerAttr(axis));
    return success();
  }
};

struct CanonicalizeTransposesPass
    : blend::impl::CanonicalizeTransposesBase<CanonicalizeTransposesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ComposeTransposes, BatchNormBeforeTranspose,
                 TransposeBeforeDequantize, TransposeBeforeChannelScale>(
        &getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
