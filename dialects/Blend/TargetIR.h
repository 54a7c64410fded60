//===- TargetIR.h - #blend.target ↔ TargetInfo ------------------*- C++ -*-===//
//
// The target a design is built for lives in the IR as the module's
// `blend.target` attribute (BlendAttrs.td), so every pass can see the part
// and its budgets; the cost model and the datapath search work on the plain
// TargetInfo (CostModel/Target.h). These convert between the two.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_TARGETIR_H
#define BLEND_DIALECTS_BLEND_TARGETIR_H

#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/CostModel/Target.h"

#include "mlir/IR/BuiltinOps.h"

namespace blend {

/// The module attribute that holds the target.
inline constexpr llvm::StringLiteral kTargetAttrName = "blend.target";

TargetAttr getTargetAttr(mlir::MLIRContext *context, const TargetInfo &target);

/// `binary_impl`'s spelling ("auto", "dsp", "lut") and back (anything else:
/// Auto; TargetAttr's verifier refuses it).
llvm::StringRef binaryImplName(BinaryImpl impl);
BinaryImpl parseBinaryImpl(llvm::StringRef name);
TargetInfo getTargetInfo(TargetAttr attr);

/// The module's target, or null when none was set.
TargetAttr getModuleTarget(mlir::ModuleOp module);
void setModuleTarget(mlir::ModuleOp module, const TargetInfo &target);

} // namespace blend

#endif // BLEND_DIALECTS_BLEND_TARGETIR_H
