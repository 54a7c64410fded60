//===- blend-translate.cpp - blend translation driver ---------------------===//
//
// mlir-translate for blend: the home of every emitter (`exportX(ModuleOp,
// raw_ostream&)` registered as a TranslateFromMLIRRegistration), so emitter
// output is FileCheck-testable. Emitters register themselves in
// registerBlendTranslations() as they land (Verilog, schedule, report).
//
//===----------------------------------------------------------------------===//

#include "codegen/ExportSchedule/ExportNetwork.h"
#include "codegen/ExportVerilog/ExportVerilog.h"
#include "dialects/Blend/BlendOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"

/// Registers every blend emitter with the translation registry.
static void registerBlendTranslations() {
  blend::registerExportVerilogTranslation();
  blend::registerExportNetworkTranslation();
  // The dialects an emitter may read; emitters are added next to this list.
  static mlir::TranslateFromMLIRRegistration roundTrip(
      "blend-to-mlir", "print blend IR after parsing and verification",
      [](mlir::ModuleOp module, llvm::raw_ostream &os) {
        module->print(os);
        os << "\n";
        return mlir::success();
      },
      blend::registerBlendIRDialects);
}

int main(int argc, char **argv) {
  registerBlendTranslations();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "blend translation driver\n"));
}
