//===- NetworkIR.h - blend.network <-> the schedule's records ---*- C++ -*-===//
//
// A blend.network holds exactly what the schedule's Network record holds, as
// attributes: the datapath (#blend.datapath), the host's input and output
// dictionaries of the network op, and per blend.layer_step its descriptor
// (#blend.step), the per-channel constants and the weight arrays. The network passes (blend-tile,
// blend-stripe, blend-pack-dsp, blend-allocate-buffers) read a pass into a
// schedule::Step, change it with the same code the schedule format defines
// (weight rows, lane groups), and write it back; the exporter reads the
// finished network. One mapping, used both ways, so nothing is spelled twice.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECTS_BLEND_NETWORKIR_H
#define BLEND_DIALECTS_BLEND_NETWORKIR_H

#include "dialects/Blend/BlendOps.h"
#include "runtime/ScheduleFormat.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>

namespace blend {

/// The descriptor fields, constants, weights and traced op of `op`.
schedule::Step readStep(StepOp op);

/// Only the descriptor fields of `op` (constants and weights stay empty):
/// the cheap read for decisions over the fields.
schedule::Step readFields(StepOp op);

/// Sets `op`'s fields, constants, weights and traced op from `pass` (its
/// operands and location stay).
void writeStep(StepOp op, const schedule::Step &pass);

/// Sets only `op`'s descriptor fields from `pass`.
void writeFields(StepOp op, const schedule::Step &pass);

/// A new blend.layer_step holding `pass`, reading `main` / `skip` (either may
/// be null), writing into `into` (null: a tensor of its own).
StepOp createStep(mlir::OpBuilder &builder, mlir::Location loc,
                     const schedule::Step &pass, mlir::Value main,
                     mlir::Value skip, mlir::Value into = {});

schedule::NetworkHardware readHardware(NetworkOp op);
void writeHardware(NetworkOp op, const schedule::NetworkHardware &hardware);

/// The whole network as the schedule encodes it.
schedule::Network readNetwork(NetworkOp op);

/// The host quantizer and dequantizer records (#blend.host_input,
/// #blend.host_output), with the host's float steps before the quantizer /
/// after the dequantizer (and, for the input, the raw shape they start
/// from; both absent when there are none).
HostInputAttr inputAttr(mlir::MLIRContext *ctx,
                        const schedule::InputQuant &input,
                        const std::vector<schedule::HostStep> &prologue = {},
                        llvm::ArrayRef<int64_t> rawShape = {});
HostOutputAttr
outputAttr(mlir::MLIRContext *ctx, const schedule::OutputDequant &output,
           const std::vector<schedule::HostStep> &epilogue = {});

/// The raw model input's shape when the host pre-processes it, else empty.
std::vector<int64_t> hostInputShape(NetworkOp op);

/// A pass's per-channel constants (#blend.constants; an empty array is
/// left out).
/// Every per-channel constant array by name (`main_multiplier`, ...,
/// `out_bias`), null where the attribute has none.
llvm::SmallVector<std::pair<llvm::StringRef, mlir::DenseI64ArrayAttr>>
constantArrays(ChannelConstantsAttr constants);
ChannelConstantsAttr constantsAttr(mlir::MLIRContext *ctx,
                                   const schedule::Step &pass);

/// The blend.network of `module` (at most one), or null.
NetworkOp findNetwork(mlir::ModuleOp module);

/// How far the network passes have taken a blend.network.
enum class NetworkStage { Formed, Tiled, Allocated };

/// The blend.network of `module` a network pass works on, or null after an
/// error at the module or network saying which earlier pass is missing
/// (`action`: what the asking pass does, e.g. "tile").
NetworkOp requireNetwork(mlir::ModuleOp module, llvm::StringRef action,
                         NetworkStage needed);

/// Pixels of the tensor `buffer` holds: the input image's H·W, or the
/// producing pass's OH·OW.
int64_t bufferPixels(mlir::Value buffer);

/// The first pass of the output-channel tiles that write `buffer`'s storage
/// (the pass itself when it is not a tile after the first), or the input.
mlir::Value storageRoot(mlir::Value buffer);

} // namespace blend

#endif // BLEND_DIALECTS_BLEND_NETWORKIR_H
