//===- Pipelines.h - blend pass pipelines -----------------------*- C++ -*-===//
//
// The named pipelines that blendc and blend-run drive, registered with
// blend-opt so each is runnable (and lit-testable) on its own.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_PIPELINES_PIPELINES_H
#define BLEND_COMPILER_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace blend {

/// Imported graph ops → integer layer ops: recognize binarizers, make linear
/// layers exact, fold batch norms, clean up, and verify that no float op
/// remains inside the model (`blend-lower-to-integer`).
void buildLowerToIntegerPipeline(mlir::OpPassManager &pm);

/// The options of `blend-lower-to-network` (docs/hardware.md).
struct LowerToNetworkOptions
    : public mlir::PassPipelineOptions<LowerToNetworkOptions> {
  Option<unsigned> fixedChannels{
      *this, "fixed-channels",
      llvm::cl::desc("Fixed-point input channels per beat (1..8)"),
      llvm::cl::init(4)};
  Option<unsigned> lanes{
      *this, "lanes",
      llvm::cl::desc("Post-processing channels per cycle (a power of two)"),
      llvm::cl::init(8)};
  Option<unsigned> maxPe{
      *this, "max-pe",
      llvm::cl::desc("At most this many output channels in parallel (0: the "
                     "widest layer's)"),
      llvm::cl::init(0)};
  Option<unsigned> maxFold{
      *this, "max-fold",
      llvm::cl::desc("At most this many lane groups share a narrow step's "
                     "reduction (1, 2 or 4)"),
      llvm::cl::init(4)};
  Option<bool> foldMain{
      *this, "fold-main",
      llvm::cl::desc("Fold binary paths too (false: skip paths only)"),
      llvm::cl::init(true)};
  Option<bool> packRows{
      *this, "pack-rows",
      llvm::cl::desc("Pack 3x3 binary kernel rows into 16/32/64-bit slots"),
      llvm::cl::init(true)};
  Option<bool> pairPixels{
      *this, "pair-pixels",
      llvm::cl::desc("Two output pixels per beat (four products per DSP) in "
                     "skip paths whose products fit 9 bits"),
      llvm::cl::init(true)};
  Option<unsigned> descBanks{
      *this, "desc-banks",
      llvm::cl::desc("Descriptor RAM banks, 1 or 8 (fields fetched per "
                     "cycle)"),
      llvm::cl::init(8)};
  Option<unsigned> stripes{
      *this, "stripes",
      llvm::cl::desc("Run the first layers in this many row stripes (1: "
                     "none; blend-stripe)"),
      llvm::cl::init(1)};
  Option<bool> stripeKeepRows{
      *this, "stripe-keep-rows",
      llvm::cl::desc("Keep the rows a later stripe reads instead of "
                     "computing them again (blend-stripe keep-rows)"),
      llvm::cl::init(true)};
  Option<int> stripeCut{
      *this, "stripe-cut",
      llvm::cl::desc("The last striped step (-1: blend-stripe chooses)"),
      llvm::cl::init(-1)};
};

/// Integer layer ops → a blend.network ready for export: form the layer
/// passes, then the datapath pipeline (`blend-lower-to-network`).
void buildLowerToNetworkPipeline(mlir::OpPassManager &pm,
                                 const LowerToNetworkOptions &options);

/// A formed blend.network → one datapath: choose Lanes and Pe and tile, pack
/// DSP lanes, allocate the memories (blendc runs this once per candidate
/// datapath on one formed network).
void buildNetworkDatapathPipeline(mlir::OpPassManager &pm,
                                  const LowerToNetworkOptions &options);

/// Registers every blend pass and pipeline with the global registry.
void registerBlendPassesAndPipelines();

} // namespace blend

#endif // BLEND_COMPILER_PIPELINES_PIPELINES_H
