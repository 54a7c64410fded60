//===- Passes.h - the datapath search as a pass -----------------*- C++ -*-===//

#ifndef BLEND_COMPILER_SEARCH_PASSES_H
#define BLEND_COMPILER_SEARCH_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace blend {

#define GEN_PASS_DECL
#include "compiler/Search/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/Search/Passes.h.inc"

} // namespace blend

#endif // BLEND_COMPILER_SEARCH_PASSES_H
