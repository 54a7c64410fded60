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

#define GET_OP_CLASSES
#include "dialects/Blend/BlendOps.h.inc"

#endif // BLEND_DIALECTS_BLEND_BLENDOPS_H
