//===- LoweredIR.h - queries over lowered blend IR --------------*- C++ -*-===//
//
// The small questions the single-module exporter and blend-form-network ask
// of a lowered module: what a
// value stands for outside fused Blend modules, which op defines it, its
// element type, a per-channel attribute broadcast to the channels, and the
// storage integers of a constant.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_LOWEREDIR_H
#define BLEND_DIALECTS_BLEND_LOWEREDIR_H

#include "mlir/IR/Value.h"
#include "mlir/Support/LogicalResult.h"

#include <vector>

namespace blend::lowered {

/// The value `v` stands for outside fused Blend modules: a result of a
/// blend.blend_module is the value its body yields, a body argument is the
/// module's input.
mlir::Value resolve(mlir::Value v);

/// The op of type OpT defining `v` (through fused modules), or null.
template <typename OpT> OpT defining(mlir::Value v) {
  return resolve(v).getDefiningOp<OpT>();
}

/// Element type of a ranked tensor value.
mlir::Type elementOf(mlir::Value v);

/// `values` (one per channel, or one for all) broadcast to `channels`.
std::vector<int64_t> perChannel(llvm::ArrayRef<int64_t> values,
                                int64_t channels);

/// The storage integers of a blend.constant (signed unless the element type
/// is unsigned fixed-point or binary), or failure when `v` is not constant.
mlir::FailureOr<std::vector<int64_t>> constantInts(mlir::Value v);

} // namespace blend::lowered

#endif // BLEND_DIALECTS_BLEND_LOWEREDIR_H
