//===- BlendTypes.cpp - blend element types -------------------------------===//
//
// Parsing, printing and verification of `!blend.fixed`, and the numeric-kind
// and integer-range queries used by op verifiers. The scale is printed with
// the fewest digits (at least six) that read back to the same double, so the
// textual IR round-trips bit-exactly.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/BlendOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace blend;

#define GET_TYPEDEF_CLASSES
#include "dialects/Blend/BlendTypes.cpp.inc"

void BlendDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialects/Blend/BlendTypes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Integer ranges
//===----------------------------------------------------------------------===//

uint64_t IntRange::magnitude() const {
  uint64_t lo = min < 0 ? uint64_t(0) - uint64_t(min) : uint64_t(min);
  uint64_t hi = max < 0 ? uint64_t(0) - uint64_t(max) : uint64_t(max);
  return std::max(lo, hi);
}

IntRange blend::getSignedRange(unsigned width) {
  assert(width >= 1 && width <= 64 && "signed width out of range");
  if (width == 64)
    return {INT64_MIN, INT64_MAX};
  return {-(int64_t(1) << (width - 1)), (int64_t(1) << (width - 1)) - 1};
}

bool blend::fitsSigned(const IntRange &range, unsigned width) {
  IntRange limits = getSignedRange(width);
  return range.min >= limits.min && range.max <= limits.max;
}

unsigned blend::getMinimalSignedWidth(uint64_t bound) {
  unsigned width = 2;
  while (width < 64 && uint64_t(getSignedRange(width).max) < bound)
    ++width;
  return width;
}

uint64_t blend::getLinearAccumulatorBound(Type input, Type weight, Type bias,
                                          int64_t reduction) {
  uint64_t perProduct = llvm::SaturatingMultiply(
      getValueRange(input)->magnitude(), getValueRange(weight)->magnitude());
  uint64_t biasMagnitude = bias ? getValueRange(bias)->magnitude() : 0;
  return llvm::SaturatingMultiplyAdd(perProduct, uint64_t(reduction),
                                     biasMagnitude);
}

NumericKind blend::getNumericKind(Type type) {
  if (isa<BinaryType>(type))
    return NumericKind::Binary;
  if (isa<FixedType>(type))
    return NumericKind::Fixed;
  if (type.isSignedInteger())
    return NumericKind::Integer;
  if (isa<FloatType>(type))
    return NumericKind::Float;
  return NumericKind::Other;
}

std::optional<IntRange> blend::getValueRange(Type type) {
  if (isa<BinaryType>(type))
    return IntRange{-1, 1};
  if (auto fixed = dyn_cast<FixedType>(type))
    return IntRange{fixed.getStorageMin() - fixed.getZeroPoint(),
                    fixed.getStorageMax() - fixed.getZeroPoint()};
  if (type.isSignedInteger() && type.getIntOrFloatBitWidth() <= 64)
    return getSignedRange(type.getIntOrFloatBitWidth());
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// FixedType
//===----------------------------------------------------------------------===//

int64_t FixedType::getStorageMin() const {
  return isSigned() ? getSignedRange(getWidth()).min + (getNarrow() ? 1 : 0)
                    : 0;
}

int64_t FixedType::getStorageMax() const {
  return isSigned() ? getSignedRange(getWidth()).max
                    : int64_t((uint64_t(1) << getWidth()) - 1) -
                          (getNarrow() ? 1 : 0);
}

uint64_t FixedType::getMaxMagnitude() const {
  return IntRange{getStorageMin() - getZeroPoint(),
                  getStorageMax() - getZeroPoint()}
      .magnitude();
}

/// Widest storage we accept: ranges (including zero-point offsets) must fit in
/// int64_t with room to spare.
static constexpr unsigned kMaxFixedWidth = 62;

LogicalResult
FixedType::verify(function_ref<InFlightDiagnostic()> emitError,
                  IntegerType storageType, APFloat scale, int64_t zeroPoint,
                  bool narrow) {
  if (storageType.isSignless())
    return emitError() << "fixed-point storage type must state its "
                          "signedness (e.g. si8 or ui8), got "
                       << storageType;
  unsigned width = storageType.getWidth();
  unsigned minWidth = storageType.isSigned() ? 2 : 1;
  if (width < minWidth || width > kMaxFixedWidth)
    return emitError() << "fixed-point storage width must be in [" << minWidth
                       << ", " << kMaxFixedWidth << "], got " << width;
  if (&scale.getSemantics() != &APFloat::IEEEdouble())
    return emitError() << "fixed-point scale must be a double";
  double value = scale.convertToDouble();
  if (!std::isfinite(value) || value <= 0.0)
    return emitError() << "fixed-point scale must be positive and finite, got "
                       << value;
  if (narrow && !storageType.isSigned() && width < 2)
    return emitError() << "a narrow unsigned fixed-point type needs at least "
                          "2 bits, got "
                       << storageType;
  int64_t lo = storageType.isSigned()
                   ? getSignedRange(width).min + (narrow ? 1 : 0)
                   : 0;
  int64_t hi = storageType.isSigned()
                   ? getSignedRange(width).max
                   : int64_t((uint64_t(1) << width) - 1) - (narrow ? 1 : 0);
  if (zeroPoint < lo || zeroPoint > hi)
    return emitError() << "zero point " << zeroPoint
                       << " is outside the storage range [" << lo << ", " << hi
                       << "] of " << storageType;
  return success();
}

/// Formats `value` in scientific notation with at least 6 and otherwise the
/// fewest fraction digits that parse back to the same double.
static std::string formatExactDouble(double value) {
  char buffer[64];
  for (int digits = 6; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof(buffer), "%.*e", digits, value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  return buffer;
}

/// `!blend.fixed<si8, 1.250000e-02>`, `!blend.fixed<ui8, 0.5, zp = 128>`,
/// `!blend.fixed<si2, 1.0, narrow>`.
Type FixedType::parse(AsmParser &parser) {
  MLIRContext *ctx = parser.getContext();
  IntegerType storage;
  double scale = 0.0;
  int64_t zeroPoint = 0;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseType(storage) || parser.parseComma() ||
      parser.parseFloat(scale))
    return {};
  bool narrow = false;
  while (succeeded(parser.parseOptionalComma())) {
    if (!narrow && succeeded(parser.parseOptionalKeyword("narrow"))) {
      narrow = true;
      continue;
    }
    if (parser.parseKeyword("zp") || parser.parseEqual() ||
        parser.parseInteger(zeroPoint))
      return {};
  }
  if (parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(loc); }, ctx, storage,
                    APFloat(scale), zeroPoint, narrow);
}

void FixedType::print(AsmPrinter &printer) const {
  printer << "<" << getStorageType() << ", "
          << formatExactDouble(getScaleValue());
  if (getZeroPoint() != 0)
    printer << ", zp = " << getZeroPoint();
  if (getNarrow())
    printer << ", narrow";
  printer << ">";
}
