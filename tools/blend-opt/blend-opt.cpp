//===- blend-opt.cpp - blend optimizer driver -----------------------------===//
//
// mlir-opt for the blend dialect: parses, verifies, runs passes and prints IR.
// Every blend pass is runnable from here, so each is testable with lit and
// FileCheck; `blendc` is only a driver over the same pipeline.
//
//===----------------------------------------------------------------------===//

#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Search/Passes.h"
#include "dialects/Blend/BlendOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  blend::registerBlendPassesAndPipelines();
  blend::registerBlendSearchPasses();

  mlir::DialectRegistry registry;
  blend::registerBlendIRDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "blend optimizer driver\n", registry));
}
