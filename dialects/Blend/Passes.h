//===- Passes.h - blend pass declarations -----------------------*- C++ -*-===//
//
// Generated pass declarations and registration for dialects/Blend/Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_PASSES_H
#define BLEND_DIALECTS_BLEND_PASSES_H

#include "dialects/Blend/BlendOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace blend {

#define GEN_PASS_DECL
#include "dialects/Blend/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/Blend/Passes.h.inc"

} // namespace blend

#endif // BLEND_DIALECTS_BLEND_PASSES_H
