//===- LoweredIR.cpp - queries over lowered blend IR ----------------------===//

#include "dialects/Blend/LoweredIR.h"

#include "dialects/Blend/BlendOps.h"

using namespace mlir;
using namespace blend;

Value lowered::resolve(Value v) {
  if (auto result = dyn_cast<OpResult>(v))
    if (auto fused = dyn_cast<BlendModuleOp>(result.getOwner()))
      return resolve(fused.getYield().getValues()[result.getResultNumber()]);
  if (auto arg = dyn_cast<BlockArgument>(v))
    if (auto fused = dyn_cast<BlendModuleOp>(arg.getOwner()->getParentOp()))
      return resolve(fused.getInputs()[arg.getArgNumber()]);
  return v;
}

Type lowered::elementOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getElementType();
}

std::vector<int64_t> lowered::perChannel(ArrayRef<int64_t> values,
                                         int64_t channels) {
  std::vector<int64_t> out(channels);
  for (int64_t c = 0; c < channels; ++c)
    out[c] = values.size() == 1 ? values[0] : values[c];
  return out;
}

FailureOr<std::vector<int64_t>> lowered::constantInts(Value v) {
  auto constant = defining<ConstantOp>(v);
  std::optional<DenseElementsAttr> dense =
      constant ? getDenseElements(constant.getValue()) : std::nullopt;
  if (!dense || !*dense)
    return failure();
  bool isSigned = true;
  if (auto fixed = dyn_cast<FixedType>(elementOf(v)))
    isSigned = fixed.isSigned();
  else if (isa<BinaryType>(elementOf(v)))
    isSigned = false;
  std::vector<int64_t> out;
  for (APInt x : dense->getValues<APInt>())
    out.push_back(isSigned ? x.getSExtValue() : int64_t(x.getZExtValue()));
  return out;
}
