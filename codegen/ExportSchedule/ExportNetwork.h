//===- ExportNetwork.h - a finished blend.network → its schedule -*- C++ -*-===//
//
// The network schedule (blend_net) of a module whose blend.network the
// network passes have finished (`blend-lower-to-network`, driven by blendc's
// datapath search or by blend-opt). Read-only: choosing the datapath is
// compiler/Search's.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_CODEGEN_EXPORTSCHEDULE_EXPORTNETWORK_H
#define BLEND_CODEGEN_EXPORTSCHEDULE_EXPORTNETWORK_H

#include "runtime/ScheduleFormat.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

namespace blend {

/// The schedule of `module`'s finished blend.network, or failure after an
/// error saying the network passes have not run.
mlir::FailureOr<schedule::Network> readFinishedNetwork(mlir::ModuleOp module);

/// Registers `blend-translate --export-network-text`.
void registerExportNetworkTranslation();

} // namespace blend

#endif // BLEND_CODEGEN_EXPORTSCHEDULE_EXPORTNETWORK_H
