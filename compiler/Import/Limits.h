//===- Limits.h - the sizes blendc accepts from a file ----------*- C++ -*-===//
//
// Every size read from an ONNX file is checked against these limits before
// anything is allocated or looped over for it: a graph input's shape, an
// initializer's dimensions, the shape an op handler gives its result, the
// broadcast shape of a constant fold. A model beyond them is refused with a
// one-line error that names the tensor and the limit (docs/limits.md), never
// by an allocator. The limits sit far above what any blend target can hold
// (the largest part's block RAM is 11 Mbit; 2^24 int8 values are 134 Mbit).
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_IMPORT_LIMITS_H
#define BLEND_COMPILER_IMPORT_LIMITS_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace blend::limits {

/// The most dimensions of a tensor.
inline constexpr int64_t kMaxRank = 8;
/// The most elements of one tensor (activation or constant).
inline constexpr int64_t kMaxElements = int64_t(1) << 24;
/// The largest extent of one dimension (also of a tensor with a zero
/// dimension elsewhere, which holds no elements but would be looped over).
inline constexpr int64_t kMaxDimension = kMaxElements;

/// Why `shape` is beyond the limits ("dimension 2 is 1048576, more than the
/// 16777216 blendc accepts"), or nullopt when it is within them. A negative
/// (dynamic) dimension is beyond them too: blend compiles static shapes.
std::optional<std::string> checkShape(llvm::ArrayRef<int64_t> shape);

} // namespace blend::limits

#endif // BLEND_COMPILER_IMPORT_LIMITS_H
