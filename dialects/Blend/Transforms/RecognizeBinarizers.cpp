//===- RecognizeBinarizers.cpp - compare+select → binarize/threshold ------===//
//
// Exporters write a binarizer as `Where(x >= 0, 1, -1)`. On a float x this is
// exactly blend.binarize (x ≥ 0 → +1). On a dequantized fixed-point x, any
// comparison with a real constant c is an exact integer comparison of the
// storage q, so it becomes blend.threshold (docs/semantics.md §6): the ONNX
// float comparison v ⋚ c with v = s·(q − zp) is q ⋚ θ, θ = zp + c/s.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/Passes.h"
#include "dialects/Blend/Transforms/PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace blend {
#define GEN_PASS_DEF_RECOGNIZEBINARIZERS
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;

namespace {

/// The comparison of a select that yields +1 when it holds: the predicate is
/// inverted when the select's branches are (−1, +1).
static std::optional<arith::CmpFPredicate>
plusOnePredicate(arith::SelectOp select, arith::CmpFOp cmp) {
  std::optional<double> t = getSplatFloat(select.getTrueValue());
  std::optional<double> f = getSplatFloat(select.getFalseValue());
  if (!t || !f)
    return std::nullopt;
  arith::CmpFPredicate pred = cmp.getPredicate();
  if (*t == 1.0 && *f == -1.0)
    return pred;
  if (*t == -1.0 && *f == 1.0) {
    switch (pred) {
    case arith::CmpFPredicate::OGE:
      return arith::CmpFPredicate::OLT;
    case arith::CmpFPredicate::OGT:
      return arith::CmpFPredicate::OLE;
    case arith::CmpFPredicate::OLE:
      return arith::CmpFPredicate::OGT;
    case arith::CmpFPredicate::OLT:
      return arith::CmpFPredicate::OGE;
    default:
      return std::nullopt;
    }
  }
  return std::nullopt;
}

/// select(cmp(dequantize(q), c), ±1, ∓1) on fixed-point q → threshold on q
/// (or binarize when the test is q ≥ zp).
struct FixedPointComparison : OpRewritePattern<arith::SelectOp> {
  FixedPointComparison(MLIRContext *ctx)
      : OpRewritePattern(ctx, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(arith::SelectOp select,
                                PatternRewriter &rewriter) const override {
    auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
    if (!cmp)
      return rewriter.notifyMatchFailure(select, "condition is not a cmpf");
    auto deq = cmp.getLhs().getDefiningOp<DequantizeOp>();
    std::optional<double> c = getSplatFloat(cmp.getRhs());
    if (!deq || !c)
      return rewriter.notifyMatchFailure(select, "not dequantize vs constant");
    auto fixed = dyn_cast<FixedType>(
        cast<RankedTensorType>(deq.getInput().getType()).getElementType());
    std::optional<arith::CmpFPredicate> pred = plusOnePredicate(select, cmp);
    if (!fixed || !pred)
      return rewriter.notifyMatchFailure(select, "not a ±1 binarizer");

    Value q = deq.getInput();
    auto qType = cast<RankedTensorType>(q.getType());
    if (qType.getRank() == 0)
      return rewriter.notifyMatchFailure(select, "scalar comparison");
    auto binType =
        RankedTensorType::get(qType.getShape(), BinaryType::get(getContext()));
    double theta = double(fixed.getZeroPoint()) + *c / fixed.getScaleValue();
    // A NaN or astronomically large threshold (a constant from the file) has
    // no integer form: the comparison stays float and is refused by name
    // later (converting it would be undefined: found by the onnx fuzzer).
    if (!std::isfinite(theta) || std::abs(theta) > 0x1p40)
      return rewriter.notifyMatchFailure(select, "threshold out of range");
    Value bits;
    if (*pred == arith::CmpFPredicate::OGE && *c == 0.0) {
      bits = rewriter.create<BinarizeOp>(select.getLoc(), binType, q);
    } else {
      int64_t tau;
      bool flip;
      switch (*pred) {
      case arith::CmpFPredicate::OGE: // q ≥ θ
        tau = int64_t(std::ceil(theta)), flip = false;
        break;
      case arith::CmpFPredicate::OGT: // q > θ
        tau = int64_t(std::floor(theta)) + 1, flip = false;
        break;
      case arith::CmpFPredicate::OLE: // q ≤ θ
        tau = int64_t(std::floor(theta)), flip = true;
        break;
      case arith::CmpFPredicate::OLT: // q < θ
        tau = int64_t(std::ceil(theta)) - 1, flip = true;
        break;
      default:
        return rewriter.notifyMatchFailure(select, "unsupported predicate");
      }
      bits = rewriter.create<ThresholdOp>(
          select.getLoc(), binType, q, rewriter.getDenseI64ArrayAttr({tau}),
          rewriter.getDenseBoolArrayAttr({flip}),
          // One threshold for all channels; any valid axis will do.
          rewriter.getI64IntegerAttr(qType.getRank() >= 2 ? 1 : 0));
    }
    rewriter.replaceOpWithNewOp<DequantizeOp>(select, select.getType(), bits);
    return success();
  }
};

/// select(x >= 0, +1, −1) on float x → dequantize(binarize(x)).
struct FloatSignBinarizer : OpRewritePattern<arith::SelectOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::SelectOp select,
                                PatternRewriter &rewriter) const override {
    auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
    if (!cmp)
      return rewriter.notifyMatchFailure(select, "condition is not a cmpf");
    std::optional<double> c = getSplatFloat(cmp.getRhs());
    std::optional<arith::CmpFPredicate> pred = plusOnePredicate(select, cmp);
    if (!c || *c != 0.0 || !pred || *pred != arith::CmpFPredicate::OGE)
      return rewriter.notifyMatchFailure(select, "not select(x >= 0, 1, -1)");
    auto xType = cast<RankedTensorType>(cmp.getLhs().getType());
    auto binType =
        RankedTensorType::get(xType.getShape(), BinaryType::get(getContext()));
    Value bits =
        rewriter.create<BinarizeOp>(select.getLoc(), binType, cmp.getLhs());
    rewriter.replaceOpWithNewOp<DequantizeOp>(select, select.getType(), bits);
    return success();
  }
};

struct RecognizeBinarizersPass
    : blend::impl::RecognizeBinarizersBase<RecognizeBinarizersPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FixedPointComparison, FloatSignBinarizer>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
