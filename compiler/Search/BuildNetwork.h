//===- BuildNetwork.h - one blend_net datapath for a lowered model -*- C++ -*-===//
//
// Maps a whole lowered model onto blend_net (docs/hardware.md, "Whole
// networks") by running `blend-lower-to-network` on a copy: every tensor the
// hardware must hold becomes the output of one layer step (blend-form-network),
// wide layers are tiled (blend-tile), the first layers striped
// (blend-stripe), DSP lanes packed and folded (blend-pack-dsp), and tensors
// placed by a liveness-aware first fit (blend-allocate-buffers). Anything
// outside that form is reported at its op (its ONNX node). The datapath
// search (DatapathSearch.h) calls this once per candidate datapath.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_SEARCH_BUILDNETWORK_H
#define BLEND_COMPILER_SEARCH_BUILDNETWORK_H

#include "runtime/ScheduleFormat.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LogicalResult.h"

namespace blend {


/// The datapath widths blend_net is generated with (docs/hardware.md).
struct NetworkOptions {
  unsigned lanes = 8;         ///< post-processing channels per cycle (power of 2)
  unsigned fixedChannels = 4; ///< fixed-point input channels per beat (1..8)
  /// At most this many output channels in parallel (0: as many as the widest
  /// layer has); wider layers run in output-channel tiles of Pe channels.
  unsigned maxPe = 0;
  /// At most this many lane groups share the reduction of a pass narrower
  /// than Pe (1: no folding; 2 or 4).
  unsigned maxFold = 4;
  /// Whether binary paths fold too (their lane group 1 reads its own copies
  /// of the binary memory); false: only skip paths fold.
  bool foldMain = true;
  /// Row stripes of the first layers (1: none; blend-stripe).
  unsigned stripes = 1;
  /// Striped tensors keep the rows a later stripe reads (copy steps)
  /// instead of computing them again.
  bool keepRows = true;
  /// Descriptor RAM banks: 8 (6 fetch cycles per pass) or 1 (42).
  unsigned descBanks = 8;
  /// Pixel pairs where blend-pack-dsp finds them faster.
  bool pairPixels = true;
};

/// A copy of `module` with @main's blend.network formed
/// (blend-form-network), or failure after a diagnostic at the op that does
/// not map. Datapaths built from it with buildNetwork share the formation.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
formNetwork(mlir::ModuleOp module, unsigned fixedChannels);

/// Builds the network schedule of one datapath from `module`, which holds a
/// network formed with `options.fixedChannels` (formNetwork) and stays as it
/// is; fails after emitting a diagnostic at the op that does not map.
mlir::FailureOr<schedule::Network>
buildNetwork(mlir::ModuleOp module, const NetworkOptions &options);

/// Lowers @main of `module` in place onto the blend_net datapath `options`
/// describe (`blend-lower-to-network` with those options: what blendc's
/// search chose), or fails after a diagnostic.
mlir::LogicalResult lowerOntoNetwork(mlir::ModuleOp module,
                                     const NetworkOptions &options);

} // namespace blend

#endif // BLEND_COMPILER_SEARCH_BUILDNETWORK_H
