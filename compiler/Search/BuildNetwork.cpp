//===- BuildNetwork.cpp - one blend_net datapath for a lowered model ------===//
//
// Drives `blend-lower-to-network` (compiler/Pipelines) on a copy of the module
// and reads the finished blend.network into the schedule's records. Every
// decision is made in those passes, each testable with blend-opt.
//
//===----------------------------------------------------------------------===//

#include "compiler/Search/BuildNetwork.h"

#include "compiler/Pipelines/Pipelines.h"
#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/NetworkIR.h"
#include "dialects/Blend/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;
using namespace blend;
using namespace blend::schedule;

/// The pipeline options of a datapath.
static void setPipelineOptions(const NetworkOptions &options,
                               LowerToNetworkOptions &pipeline) {
  pipeline.fixedChannels = options.fixedChannels;
  pipeline.lanes = options.lanes;
  pipeline.maxPe = options.maxPe;
  pipeline.maxFold = options.maxFold;
  pipeline.foldMain = options.foldMain;
  pipeline.stripes = options.stripes;
  pipeline.stripeKeepRows = options.keepRows;
  pipeline.descBanks = options.descBanks;
  pipeline.pairPixels = options.pairPixels;
}

FailureOr<OwningOpRef<ModuleOp>> blend::formNetwork(ModuleOp module,
                                                   unsigned fixedChannels) {
  if (!module.lookupSymbol<func::FuncOp>("main")) {
    emitError(module.getLoc(), "no func.func @main to export");
    return failure();
  }
  // The pass adds a blend.network next to @main; the caller's module stays
  // as it is.
  OwningOpRef<ModuleOp> work = module.clone();
  PassManager pm(module.getContext());
  pm.addPass(createFormNetwork({fixedChannels}));
  if (failed(pm.run(*work)))
    return failure();
  return work;
}

FailureOr<Network> blend::buildNetwork(ModuleOp module,
                                      const NetworkOptions &options) {
  NetworkOp net = findNetwork(module);
  if (!net || readHardware(net).pe) {
    emitError(module.getLoc(), "expected a network formed by "
                               "blend-form-network and not yet lowered");
    return failure();
  }
  if (readHardware(net).fixedChannels != options.fixedChannels) {
    emitError(net.getLoc(), "the network was formed for ")
        << readHardware(net).fixedChannels
        << " fixed-point channels per beat, not " << options.fixedChannels;
    return failure();
  }
  // The datapath passes on a module holding only a copy of the network.
  OwningOpRef<ModuleOp> work = ModuleOp::create(net.getLoc());
  work->push_back(net->clone());
  PassManager pm(module.getContext());
  LowerToNetworkOptions pipeline;
  setPipelineOptions(options, pipeline);
  buildNetworkDatapathPipeline(pm, pipeline);
  if (failed(pm.run(*work)))
    return failure();
  return readNetwork(findNetwork(*work));
}

LogicalResult blend::lowerOntoNetwork(ModuleOp module,
                                      const NetworkOptions &options) {
  PassManager pm(module.getContext());
  LowerToNetworkOptions pipeline;
  setPipelineOptions(options, pipeline);
  buildLowerToNetworkPipeline(pm, pipeline);
  return pm.run(module);
}
