//===- ExportNetwork.cpp - blend integer IR → a network schedule ----------===//
//
// The network exporter drives `blend-lower-to-network` (blend-form-network,
// blend-tile, blend-pack-dsp, blend-allocate-buffers; compiler/Pipelines) on
// a copy of the module and reads the finished blend.network into the
// schedule's records. Every decision is made in those passes, each testable
// with blend-opt; the exporter only reads.
//
//===----------------------------------------------------------------------===//

#include "codegen/ExportSchedule/ExportNetwork.h"

#include "codegen/ExportSchedule/ExportSchedule.h"
#include "compiler/Pipelines/Pipelines.h"
#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/NetworkIR.h"
#include "dialects/Blend/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;
using namespace blend;
using namespace blend::schedule;

bool blend::isSingleModuleForm(ModuleOp module) {
  ScopedDiagnosticHandler quiet(module.getContext(),
                                [](Diagnostic &) { return success(); });
  return succeeded(buildSchedule(module));
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
  OwningOpRef<ModuleOp> formed;
  NetworkOp net = findNetwork(module);
  if (!net) {
    FailureOr<OwningOpRef<ModuleOp>> f =
        formNetwork(module, options.fixedChannels);
    if (failed(f))
      return failure();
    formed = std::move(*f);
    net = findNetwork(*formed);
  } else if (readHardware(net).pe) {
    return readNetwork(net); // finished
  } else if (readHardware(net).fixedChannels != options.fixedChannels) {
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
  pipeline.fixedChannels = options.fixedChannels;
  pipeline.lanes = options.lanes;
  pipeline.maxPe = options.maxPe;
  pipeline.maxFold = options.maxFold;
  pipeline.foldMain = options.foldMain;
  pipeline.stripes = options.stripes;
  pipeline.stripeKeepRows = options.keepRows;
  buildNetworkDatapathPipeline(pm, pipeline);
  if (failed(pm.run(*work)))
    return failure();
  return readNetwork(findNetwork(*work));
}

void blend::registerExportNetworkTranslation() {
  static llvm::cl::opt<unsigned> maxPe(
      "network-max-pe",
      llvm::cl::desc("--export-network-text: at most this many output "
                     "channels in parallel (output-channel tiles beyond)"),
      llvm::cl::init(0));
  static llvm::cl::opt<unsigned> maxFold(
      "network-max-fold",
      llvm::cl::desc("--export-network-text: at most this many lane groups "
                     "share a narrow pass's skip-path reduction (1: none)"),
      llvm::cl::init(4));
  static TranslateFromMLIRRegistration text(
      "export-network-text",
      "emit the textual twin of a network schedule (blend_net)",
      [](ModuleOp module, llvm::raw_ostream &os) {
        NetworkOptions options;
        options.maxPe = maxPe;
        options.maxFold = maxFold;
        FailureOr<Network> net = buildNetwork(module, options);
        if (failed(net))
          return failure();
        os << toText(*net);
        return success();
      },
      [](DialectRegistry &registry) {
        registry.insert<BlendDialect, func::FuncDialect, arith::ArithDialect,
                        math::MathDialect>();
      });
}
