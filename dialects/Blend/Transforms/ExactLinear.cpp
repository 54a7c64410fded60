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

#include "mlir/IR/PatternMatch.h"
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
};

/// A ±1 float constant re-typed as a binary constant, or null.
static Value binaryWeights(PatternRewriter &rewriter, Location loc,
                           Value weight) {
  std::optional<std::vector<double>> values = getFloatValues(weight);
  if (!values || llvm::any_of(*values, [](double v) {
        return v != 1.0 && v != -1.0;
      }))
    return {};
  auto type = cast<RankedTensorType>(weight.getType());
  SmallVector<bool> bits;
  for (double v : *values)
    bits.push_back(v > 0);
  auto storage = DenseElementsAttr::get(
      RankedTensorType::get(type.getShape(), rewriter.getI1Type()),
      ArrayRef<bool>(bits));
  return rewriter.create<ConstantOp>(
      loc,
      RankedTensorType::get(type.getShape(),
                            BinaryType::get(rewriter.getContext())),
      storage);
}

/// The exact value behind a dequantize, or null.
static Value exactSource(Value value) {
  if (auto deq = value.getDefiningOp<DequantizeOp>())
    return deq.getInput();
  return {};
}

/// Finds exact operands for a float linear op with `reduction` terms.
static FailureOr<ExactOperands> matchExact(PatternRewriter &rewriter,
                                           Operation *op, Value input,
                                           Value weight, Value bias,
                                           int64_t reduction) {
  Value x = exactSource(input);
  if (!x)
    return rewriter.notifyMatchFailure(op, "input is not dequantized");
  Type xElem = cast<RankedTensorType>(x.getType()).getElementType();
  ExactOperands ops;
  ops.input = x;
  if (isa<BinaryType>(xElem)) {
    if (bias)
      return rewriter.notifyMatchFailure(op, "binary layer with a float bias");
    // ±1 float constants, or already-binary weights seen through a dequantize.
    Value w = exactSource(weight);
    if (w && isa<BinaryType>(cast<RankedTensorType>(w.getType()).getElementType()))
      ops.weight = w;
    else
      ops.weight = binaryWeights(rewriter, op->getLoc(), weight);
    if (!ops.weight)
      return rewriter.notifyMatchFailure(op, "weights are not all ±1");
    uint64_t bound = getLinearAccumulatorBound(
        xElem, BinaryType::get(rewriter.getContext()), Type(), reduction);
    ops.accumulator = IntegerType::get(rewriter.getContext(),
                                       getMinimalSignedWidth(bound),
                                       IntegerType::Signed);
    return ops;
  }
  auto xFixed = dyn_cast<FixedType>(xElem);
  Value w = exactSource(weight);
  if (!xFixed || !w)
    return rewriter.notifyMatchFailure(op, "operands are not both exact");
  auto wFixed = dyn_cast<FixedType>(
      cast<RankedTensorType>(w.getType()).getElementType());
  if (!wFixed || wFixed.getZeroPoint() != 0)
    return rewriter.notifyMatchFailure(op, "weights are not symmetric fixed");
  ops.weight = w;
  double scale = xFixed.getScaleValue() * wFixed.getScaleValue();
  Type biasElem;
  if (bias) {
    ops.bias = exactSource(bias);
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
                   conv.getBias(), reduction);
    if (failed(ops))
      return failure();
    auto accType =
        RankedTensorType::get(resultType.getShape(), ops->accumulator);
    Value acc = rewriter.create<Conv2DOp>(
        conv.getLoc(), accType, ops->input, ops->weight, ops->bias,
        conv.getStridesAttr(), conv.getPadsAttr());
    rewriter.replaceOpWithNewOp<DequantizeOp>(conv, resultType, acc);
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
                   matmul.getBias(), reduction);
    if (failed(ops))
      return failure();
    auto accType =
        RankedTensorType::get(resultType.getShape(), ops->accumulator);
    Value acc = rewriter.create<MatMulOp>(matmul.getLoc(), accType, ops->input,
                                          ops->weight, ops->bias);
    rewriter.replaceOpWithNewOp<DequantizeOp>(matmul, resultType, acc);
    return success();
  }
};

struct ExactLinearPass : blend::impl::ExactLinearBase<ExactLinearPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExactConv, ExactMatMul>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
