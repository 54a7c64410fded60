//===- Pipelines.cpp - blend pass pipelines -------------------------------===//
//
// Pipeline construction and registration. The order matters: binarizers are
// recognized first so that exact operands are visible to ExactLinear, whose
// dequantized accumulators are what FoldBatchNorm folds. On the way to
// blend_net, Pe must be known (blend-tile) before lane groups can be chosen
// (blend-pack-dsp), and the memories are sized last.
//
//===----------------------------------------------------------------------===//

#include "compiler/Pipelines/Pipelines.h"

#include "dialects/Blend/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void blend::buildLowerToIntegerPipeline(OpPassManager &pm) {
  OpPassManager &fpm = pm.nest<func::FuncOp>();
  fpm.addPass(createRecognizeBinarizers());
  fpm.addPass(createCanonicalizerPass());
  fpm.addPass(createCanonicalizeTransposes());
  fpm.addPass(createExactLinear());
  fpm.addPass(createFoldBatchNorm());
  fpm.addPass(createCanonicalizerPass());
  fpm.addPass(createCSEPass());
  fpm.addPass(createVerifyInteger());
  fpm.addPass(createFuseModules());
}

void blend::buildLowerToNetworkPipeline(OpPassManager &pm,
                                        const LowerToNetworkOptions &options) {
  pm.addPass(createFormNetwork({options.fixedChannels}));
  buildNetworkDatapathPipeline(pm, options);
}

void blend::buildNetworkDatapathPipeline(
    OpPassManager &pm, const LowerToNetworkOptions &options) {
  pm.addPass(createTileNetwork({options.lanes, options.maxPe}));
  pm.addPass(createStripeNetwork(
      {options.stripes, options.stripeCut, options.stripeKeepRows}));
  pm.addPass(
      createPackDsp({options.maxFold, options.foldMain, options.packRows,
                     options.pairPixels}));
  pm.addPass(createAllocateBuffers({options.descBanks}));
}

void blend::registerBlendPassesAndPipelines() {
  registerBlendPasses();
  PassPipelineRegistration<>(
      "blend-lower-to-integer",
      "Lower imported ONNX graph ops to blend integer layer ops",
      buildLowerToIntegerPipeline);
  PassPipelineRegistration<LowerToNetworkOptions>(
      "blend-lower-to-network",
      "Map integer layer ops onto blend_net: layer steps, tiles, DSP "
      "packing, memory allocation",
      buildLowerToNetworkPipeline);
}
