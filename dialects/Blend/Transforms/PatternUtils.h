//===- PatternUtils.h - small matchers shared by blend passes ---*- C++ -*-===//
//
// Constant matchers used by several rewrite patterns: splat float constants
// (from `arith.constant` or `blend.constant`) and constant float vectors.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_TRANSFORMS_PATTERNUTILS_H
#define BLEND_DIALECTS_BLEND_TRANSFORMS_PATTERNUTILS_H

#include "dialects/Blend/BlendOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>
#include <vector>

namespace blend {

/// The float constant data behind `value` (arith.constant or a float
/// blend.constant), if any.
inline std::optional<mlir::DenseElementsAttr> getFloatConstant(mlir::Value value) {
  mlir::Attribute attr;
  if (auto c = value.getDefiningOp<mlir::arith::ConstantOp>())
    attr = c.getValue();
  else if (auto c = value.getDefiningOp<ConstantOp>())
    attr = c.getValue();
  std::optional<mlir::DenseElementsAttr> dense = getDenseElements(attr);
  if (!dense || !mlir::isa<mlir::FloatType>(dense->getElementType()))
    return std::nullopt;
  return dense;
}

/// The value of a splat float constant.
inline std::optional<double> getSplatFloat(mlir::Value value) {
  std::optional<mlir::DenseElementsAttr> dense = getFloatConstant(value);
  if (!dense || !dense->isSplat())
    return std::nullopt;
  return dense->getSplatValue<llvm::APFloat>().convertToDouble();
}

/// All elements of a float constant as doubles.
inline std::optional<std::vector<double>> getFloatValues(mlir::Value value) {
  std::optional<mlir::DenseElementsAttr> dense = getFloatConstant(value);
  if (!dense)
    return std::nullopt;
  std::vector<double> out;
  for (llvm::APFloat v : dense->getValues<llvm::APFloat>())
    out.push_back(v.convertToDouble());
  return out;
}

/// For an op that only moves or selects values (reshape, transpose, max
/// pool) and reads `op(dequantize(exact))`: replaces it by
/// `dequantize(op(exact))`, the same op on the exact storage, which gives the
/// same real values because dequantization is monotone and elementwise.
inline void moveAboveDequantize(mlir::PatternRewriter &rewriter,
                                mlir::Operation *op, mlir::Value exact) {
  auto type = mlir::cast<mlir::RankedTensorType>(op->getResult(0).getType());
  mlir::Operation *moved = rewriter.clone(*op);
  moved->setOperand(0, exact);
  moved->getResult(0).setType(mlir::RankedTensorType::get(
      type.getShape(),
      mlir::cast<mlir::RankedTensorType>(exact.getType()).getElementType()));
  rewriter.replaceOpWithNewOp<DequantizeOp>(op, type, moved->getResult(0));
}

/// The exact window sum of `pool`'s windows over `exact` (fixed-point or
/// integer, not binary): blend.sum_pool2d with scale s/(KH·KW), so its real
/// value is the average. The caller checks that the pool has no padding.
inline mlir::Value createSumPool(mlir::PatternRewriter &rewriter,
                                 AvgPool2DOp pool, mlir::Value exact) {
  mlir::Type in =
      mlir::cast<mlir::RankedTensorType>(exact.getType()).getElementType();
  int64_t taps = pool.getKernel()[0] * pool.getKernel()[1];
  double scale = mlir::isa<FixedType>(in)
                     ? mlir::cast<FixedType>(in).getScaleValue()
                     : 1.0;
  uint64_t bound = getValueRange(in)->magnitude() * uint64_t(taps);
  auto fixed = FixedType::get(
      mlir::IntegerType::get(rewriter.getContext(), getMinimalSignedWidth(bound),
                             mlir::IntegerType::Signed),
      scale / double(taps));
  auto resultType = mlir::cast<mlir::RankedTensorType>(pool.getType());
  return rewriter.create<SumPool2DOp>(
      pool.getLoc(), mlir::RankedTensorType::get(resultType.getShape(), fixed),
      exact, pool.getKernelAttr(), pool.getStridesAttr());
}

} // namespace blend

#endif // BLEND_DIALECTS_BLEND_TRANSFORMS_PATTERNUTILS_H
