//===- BlendOps.cpp - blend op verifiers and folders ----------------------===//
//
// Verifiers for every blend op. Beyond shapes and attributes they enforce the
// precision rules of docs/dialect.md: which element types may meet in one op,
// and that every exact integer result is wide enough for the bound of the
// value it holds (a proof by interval arithmetic, not a guess), so no later
// stage can silently overflow.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/NetworkIR.h"
#include "runtime/golden/Kernels.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace blend;

#include "dialects/Blend/BlendEnums.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/Blend/BlendOps.cpp.inc"
#include "dialects/Blend/BlendInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// Human-readable name of a numeric kind, for diagnostics.
static StringRef kindName(NumericKind kind) {
  switch (kind) {
  case NumericKind::Binary:
    return "binary";
  case NumericKind::Fixed:
    return "fixed-point";
  case NumericKind::Integer:
    return "integer";
  case NumericKind::Float:
    return "float";
  case NumericKind::Other:
    break;
  }
  return "unsupported";
}

/// Scales computed on different paths (importer, folding, hand-written IR)
/// may differ in the last bits; they are metadata, not data, so compare them
/// with a tight relative tolerance.
static bool sameScale(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

/// Every blend op works on static shapes: the accelerator has no dynamic sizes.
static LogicalResult verifyStatic(Operation *op) {
  auto check = [&](Type type) -> LogicalResult {
    auto shaped = dyn_cast<RankedTensorType>(type);
    if (shaped && !shaped.hasStaticShape())
      return op->emitOpError("requires static shapes, got ") << shaped;
    return success();
  };
  for (Type type : op->getOperandTypes())
    if (failed(check(type)))
      return failure();
  for (Type type : op->getResultTypes())
    if (failed(check(type)))
      return failure();
  return success();
}

/// Checks `axis` against `type`'s rank and each per-channel array's length
/// (1, or the size of that axis).
static LogicalResult
verifyPerChannel(Operation *op, RankedTensorType type, int64_t axis,
                 ArrayRef<std::pair<StringRef, size_t>> arrays) {
  if (axis < 0 || axis >= type.getRank())
    return op->emitOpError("axis ")
           << axis << " is out of range for rank " << type.getRank();
  int64_t channels = type.getDimSize(axis);
  for (auto [name, size] : arrays)
    if (size != 1 && int64_t(size) != channels)
      return op->emitOpError()
             << "'" << name << "' has " << size
             << " entries; expected 1 or the channel count " << channels;
  return success();
}

/// Checks a 2-D sliding window over NCHW and the output shape it implies.
/// `outChannels` is the expected output channel count; `padBelowKernel`
/// demands pads smaller than the kernel (pooling windows must touch data).
static LogicalResult verifyWindow(Operation *op, RankedTensorType input,
                                  ArrayRef<int64_t> kernel,
                                  ArrayRef<int64_t> strides,
                                  ArrayRef<int64_t> pads,
                                  RankedTensorType result, int64_t outChannels,
                                  bool padBelowKernel) {
  if (input.getRank() != 4)
    return op->emitOpError("expects an NCHW input of rank 4, got rank ")
           << input.getRank();
  if (result.getRank() != 4)
    return op->emitOpError("expects an NCHW result of rank 4, got rank ")
           << result.getRank();
  if (kernel.size() != 2 || llvm::any_of(kernel, [](int64_t k) { return k < 1; }))
    return op->emitOpError("kernel must be two positive sizes [KH, KW]");
  if (strides.size() != 2 ||
      llvm::any_of(strides, [](int64_t s) { return s < 1; }))
    return op->emitOpError("strides must be two positive values [SH, SW]");
  if (pads.size() != 4 || llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return op->emitOpError(
        "pads must be four non-negative values [top, left, bottom, right]");
  if (padBelowKernel && (pads[0] >= kernel[0] || pads[2] >= kernel[0] ||
                         pads[1] >= kernel[1] || pads[3] >= kernel[1]))
    return op->emitOpError("pads must be smaller than the kernel");

  int64_t expected[4] = {input.getDimSize(0), outChannels, 0, 0};
  for (int axis = 0; axis < 2; ++axis) {
    int64_t padded = input.getDimSize(2 + axis) + pads[axis] + pads[axis + 2];
    if (padded < kernel[axis])
      return op->emitOpError("kernel ")
             << kernel[axis] << " is larger than the padded input extent "
             << padded << " along " << (axis == 0 ? "H" : "W");
    expected[2 + axis] = (padded - kernel[axis]) / strides[axis] + 1;
  }
  if (result.getShape() != ArrayRef<int64_t>(expected))
    return op->emitOpError("result shape ")
           << result << " does not match the expected shape ["
           << expected[0] << ", " << expected[1] << ", " << expected[2] << ", "
           << expected[3] << "]";
  return success();
}

/// Precision rules shared by conv2d and matmul, for a reduction of length
/// `reduction` (see the op descriptions). `bias` may be null.
static LogicalResult verifyLinearPrecision(Operation *op, Type input,
                                           Type weight, Type bias, Type result,
                                           int64_t reduction) {
  NumericKind inKind = getNumericKind(input);
  NumericKind wKind = getNumericKind(weight);
  if (inKind == NumericKind::Integer || inKind == NumericKind::Other)
    return op->emitOpError("input must be binary, fixed-point or float, got ")
           << input;
  if (inKind != wKind)
    return op->emitOpError("mixes a ")
           << kindName(inKind) << " input with " << kindName(wKind)
           << " weights; both must be binary, fixed-point or float";

  if (inKind == NumericKind::Float) {
    if (weight != input || result != input || (bias && bias != input))
      return op->emitOpError(
          "float operands, bias and result must share one float type");
    return success();
  }

  // Exact flavours: bound |Σ products + bias| and check the result holds it.
  if (inKind == NumericKind::Binary) {
    if (getNumericKind(result) != NumericKind::Integer)
      return op->emitOpError("binary operands accumulate into a signed "
                             "integer result, got ")
             << result;
    if (bias && getNumericKind(bias) != NumericKind::Integer)
      return op->emitOpError("bias of a binary layer must be a signed "
                             "integer tensor, got ")
             << bias;
  } else {
    auto in = cast<FixedType>(input);
    auto w = cast<FixedType>(weight);
    auto out = dyn_cast<FixedType>(result);
    if (w.getZeroPoint() != 0)
      return op->emitOpError("fixed-point weights must have zero point 0, "
                             "got ")
             << w.getZeroPoint();
    if (!out || !out.isSigned() || out.getZeroPoint() != 0)
      return op->emitOpError("fixed-point operands accumulate into a signed "
                             "fixed-point result with zero point 0, got ")
             << result;
    double productScale = in.getScaleValue() * w.getScaleValue();
    if (!sameScale(out.getScaleValue(), productScale))
      return op->emitOpError("result scale ")
             << out.getScaleValue() << " must equal input scale × weight scale = "
             << productScale;
    if (bias) {
      auto b = dyn_cast<FixedType>(bias);
      if (!b || b.getZeroPoint() != 0 ||
          !sameScale(b.getScaleValue(), productScale))
        return op->emitOpError("bias of a fixed-point layer must be "
                               "fixed-point with zero point 0 and scale ")
               << productScale << ", got " << bias;
    }
  }
  uint64_t bound = getLinearAccumulatorBound(input, weight, bias, reduction);
  unsigned width = isa<FixedType>(result) ? cast<FixedType>(result).getWidth()
                                         : result.getIntOrFloatBitWidth();
  uint64_t capacity = uint64_t(getSignedRange(std::min(width, 64u)).max);
  if (bound > capacity)
    return op->emitOpError("accumulator ")
           << result << " cannot hold the bound " << bound
           << " (reduction length " << reduction << "); widen the result";
  return success();
}

/// Element type of a tensor-typed value.
static Type elementOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  auto valueType = cast<ShapedType>(getValue().getType());
  RankedTensorType resultType = getType();
  if (valueType.getShape() != resultType.getShape())
    return emitOpError("value shape does not match the result shape: ")
           << valueType << " vs " << resultType;
  Type stored = valueType.getElementType();
  Type element = resultType.getElementType();
  if (isa<BinaryType>(element)) {
    if (!stored.isInteger(1))
      return emitOpError("binary constants are stored as i1 (1 is +1), got ")
             << stored;
    return success();
  }
  if (auto fixed = dyn_cast<FixedType>(element)) {
    auto storedInt = dyn_cast<IntegerType>(stored);
    if (!storedInt || storedInt.getWidth() != fixed.getWidth() ||
        (!storedInt.isSignless() &&
         storedInt.getSignedness() != fixed.getStorageType().getSignedness()))
      return emitOpError("fixed-point constants are stored in their storage "
                         "integer type ")
             << fixed.getStorageType() << ", got " << stored;
    return success();
  }
  auto storedInt = dyn_cast<IntegerType>(stored);
  auto elementInt = dyn_cast<IntegerType>(element);
  if (storedInt && elementInt && storedInt.isSignless() &&
      storedInt.getWidth() == elementInt.getWidth())
    return success();
  if (stored != element)
    return emitOpError("value element type ")
           << stored << " does not match the result element type " << element;
  return success();
}

std::optional<DenseElementsAttr> blend::getDenseElements(Attribute attr) {
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(attr))
    return dense;
  auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(attr);
  if (!resource)
    return std::nullopt;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  Type element = resource.getType().getElementType();
  if (!blob || !(element.isF32() || (element.isInteger() &&
                                      element.getIntOrFloatBitWidth() % 8 == 0)))
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  int64_t bytes = resource.getType().getNumElements() *
                  int64_t(element.getIntOrFloatBitWidth() / 8);
  if (int64_t(data.size()) != bytes)
    return std::nullopt;
  return DenseElementsAttr::getFromRawBuffer(resource.getType(), data);
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

/// binarize(float constant) is a binary constant (x >= 0 -> +1): how exported
/// models spell binary weights, Where(W >= 0, 1, -1) on a float initializer.
OpFoldResult BinarizeOp::fold(FoldAdaptor adaptor) {
  std::optional<DenseElementsAttr> dense = getDenseElements(adaptor.getInput());
  DenseElementsAttr input = dense ? *dense : DenseElementsAttr();
  if (!input || !isa<FloatType>(input.getElementType()))
    return {};
  SmallVector<bool> bits;
  for (APFloat x : input.getValues<APFloat>())
    bits.push_back(!x.isNegative() || x.isZero());
  return DenseElementsAttr::get(
      RankedTensorType::get(getType().getShape(),
                            IntegerType::get(getContext(), 1)),
      ArrayRef<bool>(bits));
}

/// quantize(constant) is a fixed-point constant: each element is quantized by
/// the contract's rule (golden::quantize, docs/semantics.md §3), so a weight
/// exported as QuantizeLinear/DequantizeLinear of a float initializer folds to
/// exactly the integers onnxruntime would compute.
OpFoldResult QuantizeOp::fold(FoldAdaptor adaptor) {
  std::optional<DenseElementsAttr> dense = getDenseElements(adaptor.getInput());
  DenseElementsAttr input = dense ? *dense : DenseElementsAttr();
  if (!input || !input.getElementType().isF32())
    return {};
  auto fixed = cast<FixedType>(getType().getElementType());
  auto storage = IntegerType::get(getContext(), fixed.getWidth());
  golden::StorageRange range{fixed.getStorageMin(), fixed.getStorageMax()};
  float scale = float(fixed.getScaleValue());
  SmallVector<APInt> values;
  for (float x : input.getValues<float>())
    values.push_back(APInt(fixed.getWidth(),
                           uint64_t(golden::quantize(x, scale, fixed.getZeroPoint(),
                                                     range)),
                           /*isSigned=*/true));
  return DenseElementsAttr::get(
      RankedTensorType::get(getType().getShape(), storage), values);
}

//===----------------------------------------------------------------------===//
// Linear layers
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  auto weight = cast<RankedTensorType>(getWeight().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  if (weight.getRank() != 4)
    return emitOpError("expects OIHW weights of rank 4, got rank ")
           << weight.getRank();
  if (input.getRank() == 4 && input.getDimSize(1) != weight.getDimSize(1))
    return emitOpError("input has ")
           << input.getDimSize(1) << " channels but the weights expect "
           << weight.getDimSize(1);
  if (getBias()) {
    auto bias = cast<RankedTensorType>(getBias().getType());
    if (bias.getRank() != 1 || bias.getDimSize(0) != weight.getDimSize(0))
      return emitOpError("bias must have shape [")
             << weight.getDimSize(0) << "], got " << bias;
  }
  int64_t kernel[2] = {weight.getDimSize(2), weight.getDimSize(3)};
  if (failed(verifyWindow(*this, input, kernel, getStrides(), getPads(),
                          result, weight.getDimSize(0),
                          /*padBelowKernel=*/false)))
    return failure();
  int64_t reduction = weight.getDimSize(1) * kernel[0] * kernel[1];
  return verifyLinearPrecision(*this, input.getElementType(),
                               weight.getElementType(),
                               getBias() ? elementOf(getBias()) : Type(),
                               result.getElementType(), reduction);
}

LogicalResult MatMulOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  auto rhs = cast<RankedTensorType>(getRhs().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  if (lhs.getRank() != 2 && lhs.getRank() != 3)
    return emitOpError("lhs must have rank 2 or 3, got rank ") << lhs.getRank();
  if (rhs.getRank() != 2)
    return emitOpError("rhs must be a [K, N] matrix, got rank ")
           << rhs.getRank();
  int64_t k = lhs.getShape().back();
  if (rhs.getDimSize(0) != k)
    return emitOpError("reduction sizes differ: lhs has K = ")
           << k << ", rhs has K = " << rhs.getDimSize(0);
  SmallVector<int64_t> expected(lhs.getShape().drop_back());
  expected.push_back(rhs.getDimSize(1));
  if (result.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape ")
           << result << " does not match lhs × rhs";
  if (getBias()) {
    auto bias = cast<RankedTensorType>(getBias().getType());
    if (bias.getRank() != 1 || bias.getDimSize(0) != rhs.getDimSize(1))
      return emitOpError("bias must have shape [")
             << rhs.getDimSize(1) << "], got " << bias;
  }
  return verifyLinearPrecision(*this, lhs.getElementType(),
                               rhs.getElementType(),
                               getBias() ? elementOf(getBias()) : Type(),
                               result.getElementType(), k);
}

//===----------------------------------------------------------------------===//
// Normalization, thresholds, requantization
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  if (getResult().getType().getShape() != input.getShape())
    return emitOpError("result shape must equal the input shape");
  if (getEpsilon().convertToDouble() < 0.0 ||
      !std::isfinite(getEpsilon().convertToDouble()))
    return emitOpError("epsilon must be finite and non-negative");
  int64_t axis = getAxis();
  if (axis < 0 || axis >= input.getRank())
    return emitOpError("axis ")
           << axis << " is out of range for rank " << input.getRank();
  int64_t channels = input.getDimSize(axis);
  for (auto [name, value] :
       {std::pair<StringRef, Value>{"scale", getScale()},
        {"bias", getBias()},
        {"mean", getMean()},
        {"variance", getVariance()}}) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getRank() != 1 || type.getDimSize(0) != channels)
      return emitOpError("'")
             << name << "' must have shape [" << channels << "], got " << type;
  }
  return success();
}

LogicalResult ThresholdOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  if (getFlip().size() != getThresholds().size())
    return emitOpError("'flip' must have one entry per threshold (")
           << getThresholds().size() << "), got " << getFlip().size();
  return verifyPerChannel(*this, input, getAxis(),
                          {{"thresholds", getThresholds().size()}});
}

/// Largest |multiplier| the requant datapath accepts: it must fit a signed
/// 32-bit register.
static constexpr int64_t kMaxMultiplier = (int64_t(1) << 31) - 1;
/// Largest shift: a right shift of a 63-bit product.
static constexpr int64_t kMaxShift = 62;
/// Bound on |t| = |v · multiplier + bias| (exclusive): exact in int64_t with
/// room for the rounding increment.
static constexpr int64_t kMaxIntermediate = int64_t(1) << 62;

LogicalResult RequantOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  if (failed(verifyPerChannel(*this, input, getAxis(),
                              {{"multiplier", getMultiplier().size()},
                               {"shift", getShift().size()},
                               {"bias", getBias().size()}})))
    return failure();
  if (getMultiplier().empty() || getShift().empty() || getBias().empty())
    return emitOpError("'multiplier', 'shift' and 'bias' need at least one "
                       "entry each");
  uint64_t maxMultiplier = 0;
  for (int64_t m : getMultiplier()) {
    if (m < -kMaxMultiplier || m > kMaxMultiplier)
      return emitOpError("multiplier ")
             << m << " does not fit a signed 32-bit register";
    maxMultiplier = std::max<uint64_t>(maxMultiplier, std::abs(m));
  }
  for (int64_t s : getShift())
    if (s < 0 || s > kMaxShift)
      return emitOpError("shift ") << s << " must be in [0, " << kMaxShift
                                   << "]";
  uint64_t maxBias = 0;
  for (int64_t b : getBias()) {
    if (b <= -kMaxIntermediate || b >= kMaxIntermediate)
      return emitOpError("bias ") << b << " does not fit 62 bits";
    maxBias = std::max<uint64_t>(maxBias, std::abs(b));
  }
  // t = (q − zp) · multiplier + bias must be exact in int64_t.
  uint64_t magnitude = getValueRange(input.getElementType())->magnitude();
  uint64_t bound = llvm::SaturatingMultiplyAdd(magnitude, maxMultiplier, maxBias);
  if (bound >= uint64_t(kMaxIntermediate))
    return emitOpError("intermediate bound ")
           << bound << " exceeds 62 bits; narrow the input or the multiplier";
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise and pooling
//===----------------------------------------------------------------------===//

LogicalResult AddOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  auto rhs = cast<RankedTensorType>(getRhs().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  if (lhs.getShape() != rhs.getShape() || lhs.getShape() != result.getShape())
    return emitOpError("operands and result must have the same shape");
  Type a = lhs.getElementType(), b = rhs.getElementType(),
       out = result.getElementType();
  NumericKind kind = getNumericKind(a);
  if (getNumericKind(b) != kind || getNumericKind(out) != kind)
    return emitOpError("operands and result must be of one numeric kind, got ")
           << a << ", " << b << " -> " << out;
  if (kind == NumericKind::Float) {
    if (a != b || a != out)
      return emitOpError("float operands and result must share one type");
    return success();
  }
  IntRange ra = *getValueRange(a), rb = *getValueRange(b);
  IntRange sum{ra.min + rb.min, ra.max + rb.max};
  if (kind == NumericKind::Integer) {
    if (!fitsSigned(sum, out.getIntOrFloatBitWidth()))
      return emitOpError("result ")
             << out << " cannot hold every sum in [" << sum.min << ", "
             << sum.max << "]";
    return success();
  }
  auto fa = cast<FixedType>(a), fb = cast<FixedType>(b),
       fo = cast<FixedType>(out);
  if (!sameScale(fa.getScaleValue(), fb.getScaleValue()) ||
      !sameScale(fa.getScaleValue(), fo.getScaleValue()))
    return emitOpError("fixed-point operands and result must share one scale");
  if (sum.min + fo.getZeroPoint() < fo.getStorageMin() ||
      sum.max + fo.getZeroPoint() > fo.getStorageMax())
    return emitOpError("result ")
           << out << " cannot hold every sum in [" << sum.min << ", "
           << sum.max << "]";
  return success();
}

LogicalResult MaxPool2DOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  if (input.getElementType() != result.getElementType())
    return emitOpError("result element type must equal the input's, got ")
           << result.getElementType() << " for " << input.getElementType();
  return verifyWindow(*this, input, getKernel(), getStrides(), getPads(),
                      result, input.getRank() == 4 ? input.getDimSize(1) : 0,
                      /*padBelowKernel=*/true);
}

LogicalResult AvgPool2DOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  return verifyWindow(*this, input, getKernel(), getStrides(), getPads(),
                      result, input.getRank() == 4 ? input.getDimSize(1) : 0,
                      /*padBelowKernel=*/true);
}

LogicalResult SumPool2DOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  if (failed(verifyWindow(*this, input, getKernel(), getStrides(),
                          ArrayRef<int64_t>{0, 0, 0, 0}, result,
                          input.getRank() == 4 ? input.getDimSize(1) : 0,
                          /*padBelowKernel=*/false)))
    return failure();
  int64_t taps = getKernel()[0] * getKernel()[1];
  auto out = cast<FixedType>(result.getElementType());
  Type in = input.getElementType();
  double inScale = isa<FixedType>(in) ? cast<FixedType>(in).getScaleValue() : 1.0;
  if (out.getZeroPoint() != 0 || !out.isSigned() ||
      !sameScale(out.getScaleValue(), inScale / double(taps)))
    return emitOpError("result must be signed fixed-point with zero point 0 and "
                       "scale input scale / ")
           << taps << " = " << inScale / double(taps);
  uint64_t bound = getValueRange(in)->magnitude() * uint64_t(taps);
  if (bound > uint64_t(getSignedRange(out.getWidth()).max))
    return emitOpError("result ")
           << out << " cannot hold the bound " << bound << " of a window sum";
  return success();
}

LogicalResult ReshapeOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  if (input.getElementType() != result.getElementType())
    return emitOpError("element type must not change");
  if (input.getNumElements() != result.getNumElements())
    return emitOpError("element count changes from ")
           << input.getNumElements() << " to " << result.getNumElements();
  return success();
}

LogicalResult TransposeOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  ArrayRef<int64_t> perm = getPermutation();
  if (input.getElementType() != result.getElementType())
    return emitOpError("element type must not change");
  if (int64_t(perm.size()) != input.getRank() ||
      result.getRank() != input.getRank())
    return emitOpError("permutation has ")
           << perm.size() << " entries for rank " << input.getRank();
  SmallVector<bool> seen(perm.size(), false);
  for (auto [i, p] : llvm::enumerate(perm)) {
    if (p < 0 || p >= input.getRank() || seen[p])
      return emitOpError("permutation is not a permutation of [0, ")
             << input.getRank() << ")";
    seen[p] = true;
    if (result.getDimSize(i) != input.getDimSize(p))
      return emitOpError("result dimension ")
             << i << " is " << result.getDimSize(i) << ", expected "
             << input.getDimSize(p) << " (input dimension " << p << ")";
  }
  return success();
}

/// transpose(constant) is the permuted constant, for every element type
/// (binary weights arrive as Transpose(Where(W >= 0, 1, -1)) from PyTorch).
OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPermutation();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, int64_t(perm.size()))))
    return getInput();
  std::optional<DenseElementsAttr> dense = getDenseElements(adaptor.getInput());
  if (!dense)
    return {};
  DenseElementsAttr input = *dense;
  auto inType = cast<RankedTensorType>(getInput().getType());
  auto outType = cast<RankedTensorType>(getType());
  if (input.isSplat())
    return input.reshape(RankedTensorType::get(outType.getShape(),
                                               input.getElementType()));
  SmallVector<Attribute> in(input.getValues<Attribute>());
  SmallVector<Attribute> out(in.size());
  golden::forEachTransposed(
      std::vector<int64_t>(inType.getShape().begin(), inType.getShape().end()),
      std::vector<int64_t>(perm.begin(), perm.end()),
      [&](int64_t n, int64_t offset) { out[n] = in[offset]; });
  return DenseElementsAttr::get(
      RankedTensorType::get(outType.getShape(), input.getElementType()), out);
}

LogicalResult ClipOp::verify() {
  double lo = getMin().convertToDouble(), hi = getMax().convertToDouble();
  if (std::isnan(lo) || std::isnan(hi) || lo > hi)
    return emitOpError("needs min <= max, got [") << lo << ", " << hi << "]";
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getInput().getType() == getType() ? getInput() : getResult();
  }
  return getInput().getType() == getType() ? getInput() : OpFoldResult();
}

namespace {
/// threshold(reshape(x)) -> reshape(threshold(x)) when the reshape only
/// appends unit dimensions after the threshold's axis 1.
struct ThresholdBeforeUnitReshape : OpRewritePattern<ThresholdOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ThresholdOp op,
                                PatternRewriter &rewriter) const override {
    auto reshape = op.getInput().getDefiningOp<ReshapeOp>();
    if (!reshape || op.getAxis() != 1)
      return failure();
    auto in = cast<RankedTensorType>(reshape.getInput().getType());
    auto out = cast<RankedTensorType>(reshape.getType());
    auto unitTail = [](RankedTensorType t) {
      for (int64_t d = 2; d < t.getRank(); ++d)
        if (t.getDimSize(d) != 1)
          return false;
      return t.getRank() >= 2;
    };
    if (!unitTail(in) || !unitTail(out) || in.getRank() >= out.getRank() ||
        in.getDimSize(0) != out.getDimSize(0) ||
        in.getDimSize(1) != out.getDimSize(1))
      return failure();
    auto type = RankedTensorType::get(in.getShape(),
                                      op.getType().getElementType());
    auto early = rewriter.create<ThresholdOp>(
        op.getLoc(), type, reshape.getInput(), op.getThresholdsAttr(),
        op.getFlipAttr(), op.getAxisAttr());
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), early.getResult());
    return success();
  }
};
} // namespace

void ThresholdOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *ctx) {
  patterns.add<ThresholdBeforeUnitReshape>(ctx);
}

OpFoldResult ClipOp::fold(FoldAdaptor) {
  auto fixed = dyn_cast<FixedType>(getInput().getType().getElementType());
  if (!fixed)
    return {};
  auto [lo, hi] = getStorageBounds(fixed, getMin().convertToDouble(),
                                   getMax().convertToDouble());
  if (lo <= fixed.getStorageMin() && hi >= fixed.getStorageMax())
    return getInput();
  return {};
}

std::pair<int64_t, int64_t> ClipOp::getStorageBounds(Type element, double min,
                                                     double max) {
  double scale = 1.0;
  int64_t zp = 0;
  IntRange range = getSignedRange(64);
  if (auto fixed = dyn_cast<FixedType>(element)) {
    scale = fixed.getScaleValue();
    zp = fixed.getZeroPoint();
    range = {fixed.getStorageMin(), fixed.getStorageMax()};
  } else {
    range = getSignedRange(element.getIntOrFloatBitWidth());
  }
  auto real = [&](int64_t q) { return scale * double(q - zp); };
  int64_t lo = range.min, hi = range.max;
  if (std::isfinite(min) && min > real(range.min)) {
    double guess = std::ceil(min / scale) + double(zp);
    lo = int64_t(std::clamp(guess, double(range.min), double(range.max) + 1));
    // Settle the exact boundary in the same double arithmetic `real` uses.
    while (lo > range.min && real(lo - 1) >= min)
      --lo;
    while (lo <= range.max && real(lo) < min)
      ++lo;
  }
  if (std::isfinite(max) && max < real(range.max)) {
    double guess = std::floor(max / scale) + double(zp);
    hi = int64_t(std::clamp(guess, double(range.min) - 1, double(range.max)));
    while (hi < range.max && real(hi + 1) <= max)
      ++hi;
    while (hi >= range.min && real(hi) > max)
      --hi;
  }
  return {lo, hi};
}

LogicalResult ConcatOp::verify() {
  if (failed(verifyStatic(*this)))
    return failure();
  auto result = cast<RankedTensorType>(getResult().getType());
  int64_t axis = getAxis();
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  if (axis < 0 || axis >= result.getRank())
    return emitOpError("axis ") << axis << " is out of range for rank "
                                << result.getRank();
  int64_t total = 0;
  for (Value input : getInputs()) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getElementType() != result.getElementType())
      return emitOpError("every input must have the result's element type");
    if (type.getRank() != result.getRank())
      return emitOpError("every input must have the result's rank");
    for (int64_t d = 0; d < result.getRank(); ++d)
      if (d != axis && type.getDimSize(d) != result.getDimSize(d))
        return emitOpError("input dimension ")
               << d << " is " << type.getDimSize(d) << ", expected "
               << result.getDimSize(d);
    total += type.getDimSize(axis);
  }
  if (total != result.getDimSize(axis))
    return emitOpError("result dimension ")
           << axis << " is " << result.getDimSize(axis)
           << ", the inputs add up to " << total;
  return success();
}

LogicalResult BlendModuleOp::verify() {
  Block &block = getBlock();
  if (block.getNumArguments() != getInputs().size())
    return emitOpError("body has ")
           << block.getNumArguments() << " arguments for "
           << getInputs().size() << " inputs";
  for (auto [arg, input] : llvm::zip(block.getArguments(), getInputs()))
    if (arg.getType() != input.getType())
      return emitOpError("body argument type ")
             << arg.getType() << " differs from input type " << input.getType();
  YieldOp yield = getYield();
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("yields ")
           << yield.getValues().getTypes() << " for results "
           << getResultTypes();
  return success();
}

YieldOp BlendModuleOp::getYield() {
  return cast<YieldOp>(getBlock().getTerminator());
}

LogicalResult ChannelScaleOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  if (failed(verifyPerChannel(*this, input, getAxis(),
                              {{"scales", getScales().size()}})))
    return failure();
  for (double s : getScales())
    if (!(s > 0.0) || !std::isfinite(s))
      return emitOpError("scales must be positive and finite, got ") << s;
  return success();
}

LogicalResult ArgMaxOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  int64_t axis = getAxis();
  if (axis < 0 || axis >= input.getRank())
    return emitOpError("axis ") << axis << " is out of range for rank "
                                << input.getRank();
  if (result.getRank() != input.getRank())
    return emitOpError("keeps the input's rank");
  for (int64_t d = 0; d < input.getRank(); ++d)
    if (result.getDimSize(d) != (d == axis ? 1 : input.getDimSize(d)))
      return emitOpError("result dimension ")
             << d << " must be " << (d == axis ? 1 : input.getDimSize(d));
  return success();
}

LogicalResult PadOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getResult().getType());
  ArrayRef<int64_t> pads = getPads();
  int64_t rank = input.getRank();
  if (int64_t(pads.size()) != 2 * rank || result.getRank() != rank)
    return emitOpError("needs 2 x rank = ") << 2 * rank << " pads";
  for (int64_t d = 0; d < rank; ++d) {
    if (pads[d] < 0 || pads[d + rank] < 0)
      return emitOpError("pads must be non-negative");
    if (result.getDimSize(d) != input.getDimSize(d) + pads[d] + pads[d + rank])
      return emitOpError("result dimension ") << d << " is wrong";
  }
  return success();
}

LogicalResult MultiThresholdOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  int64_t steps = int64_t(getSteps());
  if (steps < 1)
    return emitOpError("needs at least one threshold step");
  int64_t axis = int64_t(getAxis());
  if (axis < 0 || axis >= input.getRank())
    return emitOpError("axis ") << axis << " is out of range";
  int64_t count = int64_t(getThresholds().size());
  if (count != steps && count != steps * input.getDimSize(axis))
    return emitOpError("has ")
           << count << " thresholds; expected steps or steps x channels";
  double scale = getOutScale().convertToDouble(), bias = getOutBias().convertToDouble();
  if (!(scale > 0.0))
    return emitOpError("out_scale must be positive");
  Type element = cast<RankedTensorType>(getResult().getType()).getElementType();
  if (auto fixed = dyn_cast<FixedType>(element)) {
    if (isa<FloatType>(input.getElementType()))
      return emitOpError("a fixed-point result needs an exact input");
    if (!sameScale(fixed.getScaleValue(), scale) ||
        std::fabs(double(-fixed.getZeroPoint()) * scale - bias) > 1e-9 * scale)
      return emitOpError("result type must have scale out_scale and zero point "
                         "-out_bias/out_scale");
    if (fixed.getStorageMin() > 0 || fixed.getStorageMax() < steps)
      return emitOpError("result storage cannot hold the counts 0 .. steps");
  }
  return success();
}

/// A requant that maps every value to itself folds away: same type in and
/// out, every multiplier 2^shift with no bias (t / 2^shift = v exactly, so the
/// rounding never acts; the same storage range, so it never saturates). The
/// quantize → dequantize of equal scales leaves such identities behind.
OpFoldResult RequantOp::fold(FoldAdaptor) {
  if (getInput().getType() != getType())
    return {};
  for (int64_t b : getBias())
    if (b != 0)
      return {};
  ArrayRef<int64_t> m = getMultiplier(), sh = getShift();
  size_t channels = std::max(m.size(), sh.size());
  for (size_t c = 0; c < channels; ++c) {
    int64_t shift = sh[sh.size() == 1 ? 0 : c];
    int64_t mult = m[m.size() == 1 ? 0 : c];
    if (shift < 0 || shift > 62 || mult != (int64_t(1) << shift))
      return {};
  }
  return getInput();
}

//===----------------------------------------------------------------------===//
// Hardware-level ops
//===----------------------------------------------------------------------===//

LogicalResult NetworkOp::verify() {
  Block &body = getBlock();
  if (body.getNumArguments() != 1 ||
      !isa<BufferType>(body.getArgument(0).getType()))
    return emitOpError("takes the input image as its body's one "
                       "!blend.buffer argument");
  for (Operation &op : body)
    if (!isa<StepOp>(op))
      return op.emitOpError("is not a step; a blend.network holds only "
                            "blend.layer_step, blend.transpose_step, "
                            "blend.load_step, blend.copy_step and "
                            "blend.pool_step ops");
  return success();
}

/// What every step must hold: the stripe and tile records, operands that
/// match the descriptor, weights and constants of the descriptor's shape,
/// and a fit to the network's datapath.
static LogicalResult verifyStep(StepOp step) {
  Operation *op = step.getOperation();
  using schedule::StepField;
  schedule::Step p;
  llvm::copy(step.getFields().getValues(), p.fields.begin());
  bool laterStripe = step.getWhole() && p[StepField::RowBegin] > 0;
  bool band = step.getBandBegin().has_value();
  if (band != step.getBandRows().has_value() || (band && step.getWhole()))
    return op->emitOpError(
        "a kept-rows stripe has band_begin and band_rows, and "
        "is not a whole tensor's");
  // A kept-rows stripe after the first writes into the previous stripe's
  // storage; which stripe it is, the pass alone does not say.
  if (!band &&
      bool(step.getInto()) != (p[StepField::OutOffset] > 0 || laterStripe))
    return op->emitOpError(
        "writes into an earlier tile's tensor exactly when its "
        "out_offset is positive, or into an earlier row "
        "stripe's exactly when it is a whole tensor's stripe "
        "with row_begin > 0");
  if (step.getWhole() &&
      p[StepField::RowBegin] + p[StepField::OH] > p[StepField::FullHeight])
    return op->emitOpError(
        "a whole tensor's stripe lies inside its full_h rows");
  if (band &&
      (int64_t(*step.getBandBegin()) < 0 ||
       int64_t(p[StepField::RowBegin]) < int64_t(*step.getBandBegin()) ||
       int64_t(p[StepField::RowBegin]) - int64_t(*step.getBandBegin()) +
               int64_t(p[StepField::OH]) >
           int64_t(*step.getBandRows())))
    return op->emitOpError(
        "a kept-rows stripe's rows lie inside its storage "
        "(band_begin <= row_begin, row_begin - band_begin + oh "
        "<= band_rows)");
  if (p[StepField::Load] == schedule::kLoadCopy && (!step.getInto() || !band))
    return op->emitOpError("a copy step moves rows inside a kept-rows stripe's "
                           "storage: it writes into it and has band_begin");
  if (p[StepField::Load] &&
      (step.getMain() || step.getSkip() || (step.getInto() && !band)))
    return op->emitOpError("a load step reads no tensor");
  bool moves = p[StepField::Transpose] || p[StepField::Pool];
  if (moves && (step.getMain() || !step.getSkip()))
    return op->emitOpError("a transpose or a pool reads one tensor, as "
                           "skip(...)");
  if (!moves &&
      (bool(step.getMain()) != bool(p[StepField::MainEnable]) ||
       bool(step.getSkip()) != bool(p[StepField::SkipEnable])))
    return op->emitOpError("reads a tensor on exactly the enabled paths");
  auto net = cast<NetworkOp>(op->getParentOp());
  schedule::NetworkHardware h = readHardware(net);
  int64_t binary = step.getBinaryWeightsAttr()
                       ? step.getBinaryWeightsAttr().getNumElements()
                       : 0;
  int64_t fixed = step.getFixedWeightsAttr()
                      ? step.getFixedWeightsAttr().getNumElements()
                      : 0;
  if (size_t(binary) != weightLanes(p, true) * binaryWeightRows(p) ||
      size_t(fixed) !=
          weightLanes(p, false) * fixedWeightRows(p) * h.fixedChannels)
    return op->emitOpError("weight arrays do not match the step's shape (")
           << binary << " binary rows, " << fixed << " fixed-point bytes)";
  ChannelConstantsAttr k = step.getConstants();
  for (auto [name, a] : constantArrays(k)) {
    if (!a)
      continue;
    if (schedule::movesDataOnly(p))
      return op->emitOpError("a transpose, load, copy or pool step has no "
                             "per-channel constants");
    if (a.size() != p[StepField::O])
      return op->emitOpError("constant '")
             << name << "' is not a per-channel constant array of "
             << p[StepField::O] << " i64 values";
  }
  return success();
}

/// The descriptor's kind: 0 a layer step, 1 a transpose, 2 a load, 3 a copy,
/// 4 a pool.
static int stepKind(StepAttr fields) {
  using schedule::StepField;
  if (fields.get(StepField::Pool))
    return 4;
  if (fields.get(StepField::Transpose))
    return 1;
  if (fields.get(StepField::Load) == schedule::kLoadStream)
    return 2;
  if (fields.get(StepField::Load) == schedule::kLoadCopy)
    return 3;
  return 0;
}

/// A step of kind `kind` (stepKind) whose descriptor agrees, and every
/// step's rules (verifyStep).
static LogicalResult verifyStepOfKind(StepOp step, int kind,
                                      llvm::StringRef what) {
  if (stepKind(step.getFields()) != kind)
    return step->emitOpError("holds ")
           << what << "; its descriptor is another kind of step (transpose, "
           << "load, copy and pool are their own ops)";
  return verifyStep(step);
}

LogicalResult LayerStepOp::verify() {
  return verifyStepOfKind(*this, 0, "a layer step (transpose = 0, load = 0)");
}
LogicalResult TransposeStepOp::verify() {
  return verifyStepOfKind(*this, 1, "a transpose (transpose = 1)");
}
LogicalResult LoadStepOp::verify() {
  return verifyStepOfKind(*this, 2, "a load of input rows (load = 1)");
}
LogicalResult CopyStepOp::verify() {
  return verifyStepOfKind(*this, 3, "a copy of kept rows (load = 2)");
}
LogicalResult PoolStepOp::verify() {
  return verifyStepOfKind(*this, 4, "a max pool (pool = 1 or 2)");
}
