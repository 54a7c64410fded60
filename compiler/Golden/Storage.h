//===- Storage.h - storage facts of blend element types ---------*- C++ -*-===//
//
// The zero point and storage range of an exact element type, shared by the
// reference interpreter (Executor.cpp) and the fast path (Compiled.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_GOLDEN_STORAGE_H
#define BLEND_COMPILER_GOLDEN_STORAGE_H

#include "runtime/golden/Kernels.h"

#include "dialects/Blend/BlendTypes.h"

namespace blend::golden {

/// Storage range of an exact element type (binary: {0, 1}).
inline StorageRange storageRangeOf(mlir::Type type) {
  if (auto fixed = mlir::dyn_cast<FixedType>(type))
    return {fixed.getStorageMin(), fixed.getStorageMax()};
  if (mlir::isa<BinaryType>(type))
    return {0, 1};
  IntRange r = getSignedRange(type.getIntOrFloatBitWidth());
  return {r.min, r.max};
}

/// Zero point of an exact element type (0 unless fixed-point).
inline int64_t zeroPointOf(mlir::Type type) {
  if (auto fixed = mlir::dyn_cast<FixedType>(type))
    return fixed.getZeroPoint();
  return 0;
}

} // namespace blend::golden

#endif // BLEND_COMPILER_GOLDEN_STORAGE_H
