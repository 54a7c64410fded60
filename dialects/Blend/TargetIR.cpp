//===- TargetIR.cpp - #blend.target ↔ TargetInfo --------------------------===//

#include "dialects/Blend/TargetIR.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace blend;

llvm::StringRef blend::binaryImplName(BinaryImpl impl) {
  switch (impl) {
  case BinaryImpl::Dsp:
    return "dsp";
  case BinaryImpl::Lut:
    return "lut";
  case BinaryImpl::Auto:
    break;
  }
  return "auto";
}

BinaryImpl blend::parseBinaryImpl(llvm::StringRef name) {
  return name == "lut"   ? BinaryImpl::Lut
         : name == "dsp" ? BinaryImpl::Dsp
                         : BinaryImpl::Auto;
}

TargetAttr blend::getTargetAttr(MLIRContext *context,
                                const TargetInfo &target) {
  Builder b(context);
  llvm::StringRef halo =
      !target.keepRows ? "auto" : (*target.keepRows ? "keep" : "recompute");
  return TargetAttr::get(context, target.part, target.board, target.dspFamily,
                         target.dsp, target.bram36, target.lut, target.ff,
                         b.getF64FloatAttr(target.clockMhz), target.dspBudget,
                         target.bramBudget, binaryImplName(target.binaryImpl),
                         target.stripes, halo);
}

TargetInfo blend::getTargetInfo(TargetAttr attr) {
  TargetInfo t;
  t.part = attr.getPart().str();
  t.board = attr.getBoard().str();
  t.dspFamily = attr.getDspFamily().str();
  t.dsp = attr.getDsp();
  t.bram36 = attr.getBram36();
  t.lut = attr.getLut();
  t.ff = attr.getFf();
  t.clockMhz = attr.getClockMhz().getValueAsDouble();
  t.dspBudget = attr.getDspBudget();
  t.bramBudget = attr.getBramBudget();
  t.binaryImpl = parseBinaryImpl(attr.getBinaryImpl());
  t.stripes = attr.getStripes();
  if (attr.getStripeHalo() != "auto")
    t.keepRows = attr.getStripeHalo() == "keep";
  return t;
}

TargetAttr blend::getModuleTarget(ModuleOp module) {
  return module->getAttrOfType<TargetAttr>(kTargetAttrName);
}

void blend::setModuleTarget(ModuleOp module, const TargetInfo &target) {
  module->setAttr(kTargetAttrName,
                  getTargetAttr(module.getContext(), target));
}
