//===- BlendTypes.h - blend element types -----------------------*- C++ -*-===//
//
// `!blend.binary` and `!blend.fixed<...>`, plus the small queries every pass
// and verifier asks of an element type: which numeric kind it is and what
// integer range it spans.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_BLENDTYPES_H
#define BLEND_DIALECTS_BLEND_BLENDTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#include <cstdint>
#include <optional>

#define GET_TYPEDEF_CLASSES
#include "dialects/Blend/BlendTypes.h.inc"

namespace blend {

/// The numeric kind of an element type, as the op verifiers see it.
enum class NumericKind {
  Binary,  ///< !blend.binary
  Fixed,   ///< !blend.fixed<...>
  Integer, ///< builtin signed integer (an exact accumulator)
  Float,   ///< builtin float
  Other,   ///< anything else (rejected by the ops)
};

/// Classifies `type` (an element type, not a tensor).
NumericKind getNumericKind(mlir::Type type);

/// Inclusive range of the integer values an element type can hold: storage range
/// minus zero point for fixed types, [-1, 1] for binary, the two's-complement
/// range for signed integers. std::nullopt for floats and other types.
struct IntRange {
  /// Smallest value.
  int64_t min;
  /// Largest value.
  int64_t max;
  /// Largest absolute value.
  uint64_t magnitude() const;
};
std::optional<IntRange> getValueRange(mlir::Type type);

/// Two's-complement range of a signed integer of `width` bits (1..64).
IntRange getSignedRange(unsigned width);

/// True when a signed storage of `width` bits holds every value of `range`.
bool fitsSigned(const IntRange &range, unsigned width);

/// The narrowest signed width (>= 2) whose range holds [-bound, bound].
unsigned getMinimalSignedWidth(uint64_t bound);

/// Bound on |Σ_{k<reduction} a_k·w_k + bias| for a linear layer whose input,
/// weight and (optional, may be null) bias element types are exact (binary or
/// fixed-point, zero points included). Saturates at UINT64_MAX. This is the
/// single definition that op verifiers and lowering passes share.
uint64_t getLinearAccumulatorBound(mlir::Type input, mlir::Type weight,
                                   mlir::Type bias, int64_t reduction);

} // namespace blend

#endif // BLEND_DIALECTS_BLEND_BLENDTYPES_H
