//===- ExportNetwork.cpp - a finished blend.network → its schedule ---------===//
//
// `blend-translate --export-network` (schedule.bin) and
// `--export-network-text` (its textual twin): the network schedule of a
// module whose blend.network the network passes finished (`blend-opt
// --blend-lower-to-network` or `--blend-map-to-target`); the emitter only
// reads it.
//
//===----------------------------------------------------------------------===//

#include "codegen/ExportSchedule/ExportNetwork.h"

#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/NetworkIR.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Tools/mlir-translate/Translation.h"

using namespace mlir;
using namespace blend;
using namespace blend::schedule;

FailureOr<Network> blend::readFinishedNetwork(ModuleOp module) {
  NetworkOp net = findNetwork(module);
  if (!net || !readHardware(net).pe) {
    emitError(module.getLoc(),
              "no finished blend.network to export; run blend-opt "
              "--blend-lower-to-network on the lowered module first");
    return failure();
  }
  return readNetwork(net);
}

void blend::registerExportNetworkTranslation() {
  static TranslateFromMLIRRegistration binary(
      "export-network",
      "emit the network schedule (schedule.bin of blend_net)",
      [](ModuleOp module, llvm::raw_ostream &os) {
        FailureOr<Network> net = readFinishedNetwork(module);
        if (failed(net))
          return failure();
        std::vector<uint8_t> bytes = encode(*net);
        os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
        return success();
      },
      registerBlendIRDialects);
  static TranslateFromMLIRRegistration text(
      "export-network-text",
      "emit the textual twin of a network schedule (blend_net)",
      [](ModuleOp module, llvm::raw_ostream &os) {
        FailureOr<Network> net = readFinishedNetwork(module);
        if (failed(net))
          return failure();
        os << toText(*net);
        return success();
      },
      registerBlendIRDialects);
}
