//===- BlendAttrs.cpp - blend attributes ----------------------------------===//
//
// `#blend.target`: the part a design is built for and its budgets, as IR
// (BlendAttrs.td). The verifier keeps the textual form honest: a budget
// above the part, an unknown binary implementation or halo policy is an
// error at parse time, not a surprise in the datapath search.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/BlendOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace blend;

#define GET_ATTRDEF_CLASSES
#include "dialects/Blend/BlendAttrs.cpp.inc"

void BlendDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/Blend/BlendAttrs.cpp.inc"
      >();
}

LogicalResult
TargetAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                   llvm::StringRef part, llvm::StringRef board,
                   llvm::StringRef dspFamily, unsigned dsp, unsigned bram36,
                   unsigned lut, unsigned ff, FloatAttr clockMhz,
                   unsigned dspBudget, unsigned bramBudget,
                   llvm::StringRef binaryImpl, unsigned stripes,
                   llvm::StringRef stripeHalo) {
  if (part.empty())
    return emitError() << "a target needs a part";
  if (!dsp || !bram36 || !lut || !ff)
    return emitError() << "target '" << part
                       << "': dsp, bram36, lut and ff must be positive";
  if (!clockMhz || !(clockMhz.getValueAsDouble() > 0.0 &&
                     clockMhz.getValueAsDouble() <= 1000.0))
    return emitError() << "target '" << part
                       << "': clock_mhz must be in (0, 1000]";
  if (binaryImpl != "dsp" && binaryImpl != "lut")
    return emitError() << "target '" << part
                       << "': binary_impl must be \"dsp\" or \"lut\", not \""
                       << binaryImpl << "\"";
  if (stripeHalo != "auto" && stripeHalo != "keep" &&
      stripeHalo != "recompute")
    return emitError() << "target '" << part
                       << "': stripe_halo must be \"auto\", \"keep\" or "
                          "\"recompute\", not \""
                       << stripeHalo << "\"";
  if (stripes > 256)
    return emitError() << "target '" << part << "': stripes must be 0..256";
  return success();
}
