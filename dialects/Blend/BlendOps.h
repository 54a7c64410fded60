//===- BlendOps.h - blend operations ----------------------------*- C++ -*-===//
//
// Declares the blend ops generated from BlendOps.td, together with the dialect,
// its element types and enums they depend on.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_BLENDOPS_H
#define BLEND_DIALECTS_BLEND_BLENDOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/Blend/BlendDialect.h"
#include "dialects/Blend/BlendTypes.h"

#include "dialects/Blend/BlendEnums.h.inc"

#include "runtime/ScheduleFormat.h"

#define GET_ATTRDEF_CLASSES
#include "dialects/Blend/BlendAttrs.h.inc"

#include "dialects/Blend/BlendInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/Blend/BlendOps.h.inc"

#include <optional>

namespace blend {
/// The elements of a constant attribute as a DenseElementsAttr: dense
/// attributes as they are, `dense_resource` blobs (how the importer keeps
/// large initializers out of line) decoded; nullopt for anything else.
std::optional<mlir::DenseElementsAttr> getDenseElements(mlir::Attribute attr);
} // namespace blend

#endif // BLEND_DIALECTS_BLEND_BLENDOPS_H
