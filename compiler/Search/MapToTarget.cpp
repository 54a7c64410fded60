//===- MapToTarget.cpp - the datapath search as a pass --------------------===//
//
// `blend-map-to-target` (Passes.td): the target becomes IR (#blend.target on
// the module), the search picks the datapath, and @main is lowered onto it
// in place, so `blend-opt` reproduces blendc's choice and
// `blend-translate --export-network` its schedule.bin.
//
//===----------------------------------------------------------------------===//

#include "compiler/Search/Passes.h"

#include "compiler/Search/BuildNetwork.h"
#include "compiler/Search/DatapathSearch.h"
#include "compiler/Target/Target.h"
#include "dialects/Blend/NetworkIR.h"
#include "dialects/Blend/TargetIR.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

namespace blend {
#define GEN_PASS_DEF_MAPTOTARGET
#include "compiler/Search/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;

namespace {

struct MapToTargetPass : blend::impl::MapToTargetBase<MapToTargetPass> {
  using MapToTargetBase::MapToTargetBase;

  /// The target from the options (the device database) or from the module.
  FailureOr<TargetInfo> resolveTarget(ModuleOp module) {
    if (target.empty()) {
      if (TargetAttr attr = getModuleTarget(module))
        return getTargetInfo(attr);
      return emitError(module.getLoc(),
                       "no target: give target=PART or set the module's "
                       "blend.target");
    }
    const TargetPart *part = lookupTarget(target);
    if (!part)
      return emitError(module.getLoc(), "unknown target '")
             << target << "' (known parts: " << knownTargetNames() << ")";
    TargetInfo t = targetInfoFor(*part);
    t.clockMhz = clockMhz;
    t.dspBudget = dspBudget;
    t.bramBudget = bramBudget;
    t.binaryImpl = parseBinaryImpl(binaryImpl);
    t.stripes = stripes;
    if (stripeHalo != "auto")
      t.keepRows = stripeHalo == "keep";
    // The attribute's verifier checks the options (binary-impl, halo, clock).
    if (failed(TargetAttr::verify(
            [&] { return emitError(module.getLoc()); }, t.part, t.board,
            t.dspFamily, t.dsp, t.bram36, t.lut, t.ff,
            Builder(module.getContext()).getF64FloatAttr(clockMhz),
            t.dspBudget, t.bramBudget, binaryImpl, t.stripes, stripeHalo)))
      return failure();
    return t;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<TargetInfo> t = resolveTarget(module);
    if (failed(t))
      return signalPassFailure();
    setModuleTarget(module, *t);
    llvm::StringRef source = "the module";
    if (auto attr = module->getAttrOfType<StringAttr>("blend.source"))
      source = attr.getValue();
    NetworkOptions chosen;
    llvm::Expected<AcceleratorDesign> design =
        mapOntoAccelerator(module, source, *t, &chosen);
    if (!design) {
      std::string message = llvm::toString(design.takeError());
      if (!message.empty()) // empty: reported at the op already
        emitError(module.getLoc(), message);
      return signalPassFailure();
    }
    // The target as the search resolved it (where the XNORs run).
    setModuleTarget(module, design->target);
    if (failed(lowerOntoNetwork(module, chosen)))
      return signalPassFailure();
    // The network in the IR is the one the search estimated, field for field.
    NetworkOp net = findNetwork(module);
    if (!net || schedule::encode(readNetwork(net)) !=
                    schedule::encode(design->network)) {
      emitError(module.getLoc(),
                "internal error: the lowered network differs from the one "
                "the datapath search chose");
      return signalPassFailure();
    }
  }
};

} // namespace
