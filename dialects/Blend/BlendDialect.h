//===- BlendDialect.h - blend dialect declaration ---------------*- C++ -*-===//
//
// Declares the blend dialect class. Types live in BlendTypes.h, ops in
// BlendOps.h; include BlendOps.h to get all three.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_BLENDDIALECT_H
#define BLEND_DIALECTS_BLEND_BLENDDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Blend/BlendDialect.h.inc"

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace blend {
/// The dialects blend IR is written in (blend, func, arith, math): what
/// blend-opt, blend-translate and every emitter load.
void registerBlendIRDialects(mlir::DialectRegistry &registry);
} // namespace blend

#endif // BLEND_DIALECTS_BLEND_BLENDDIALECT_H
