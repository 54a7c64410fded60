//===- EstimateCost.cpp - cycles and resources on the network's ops --------===//
//
// Annotates a finished blend.network with the cost model of
// dialects/Blend/CostModel (docs/hardware.md, "Cycle model"): each pass gets its
// cycles and what bounds them, the network the cycles of one image and the
// resources the core takes. The model is exact against Verilator on every
// co-simulated model, so these numbers are what the simulation will count;
// blendc's datapath search and report use the same functions.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/CostModel/CostModel.h"
#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/NetworkIR.h"
#include "dialects/Blend/Passes.h"

namespace blend {
#define GEN_PASS_DEF_ESTIMATECOST
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;
using namespace blend::schedule;

namespace {

struct EstimateCostPass : blend::impl::EstimateCostBase<EstimateCostPass> {
  using EstimateCostBase::EstimateCostBase;
  void runOnOperation() override {
    NetworkOp net =
        requireNetwork(getOperation(), "estimate", NetworkStage::Allocated);
    if (!net)
      return signalPassFailure();
    // The cost model reads the fields, the hardware and the input only.
    Network network;
    network.hardware = readHardware(net);
    network.input.h = uint32_t(net.getInput().getH());
    network.input.w = uint32_t(net.getInput().getW());
    SmallVector<StepOp> ops(net.getBlock().getOps<StepOp>());
    for (StepOp op : ops)
      network.steps.push_back(readFields(op));

    Builder b(net.getContext());
    for (auto [op, p] : llvm::zip(ops, network.steps)) {
      StepCost cost = estimateStepCost(p, network.hardware);
      op->setAttr("blend.cycles", b.getI64IntegerAttr(int64_t(cost.cycles)));
      op->setAttr("blend.bound", b.getStringAttr(cost.bound));
    }
    ResourceEstimate r = estimateResources(network, lutXnor);
    net->setAttr("blend.cycles",
                 b.getI64IntegerAttr(int64_t(estimateCycles(network))));
    net->setAttr("blend.load_cycles",
                 b.getI64IntegerAttr(int64_t(estimateLoadCycles(network))));
    net->setAttr(
        "blend.resources",
        b.getDictionaryAttr(
            {b.getNamedAttr("dsp_engines", b.getI64IntegerAttr(r.dspEngines)),
             b.getNamedAttr("dsp_requant", b.getI64IntegerAttr(r.dspRequant)),
             b.getNamedAttr("dsp_control", b.getI64IntegerAttr(r.dspControl)),
             b.getNamedAttr("dsp", b.getI64IntegerAttr(r.dsp())),
             b.getNamedAttr("ramb36", b.getI64IntegerAttr(r.bram36)),
             b.getNamedAttr("lut", b.getI64IntegerAttr(r.lut)),
             b.getNamedAttr("ff", b.getI64IntegerAttr(r.ff))}));
    // Per unit: [DSP48E2, RAMB18 halves, LUT, FF].
    SmallVector<NamedAttribute> units;
    for (const UnitResources &u : r.units)
      units.push_back(b.getNamedAttr(
          u.unit, b.getDenseI64ArrayAttr({int64_t(u.dsp), int64_t(u.ramb18),
                                          u.lut, u.ff})));
    net->setAttr("blend.unit_resources", b.getDictionaryAttr(units));
  }
};

} // namespace
