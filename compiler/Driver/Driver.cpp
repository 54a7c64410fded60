//===- Driver.cpp - shared front half of blendc and blend-run -------------===//
//
// Model loading for the user-facing tools. `.mlir` inputs (blend IR written by
// hand or by `blendc --emit`) skip the importer, which keeps every later stage
// testable without an ONNX file.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Driver.h"

#include "compiler/Import/OnnxImporter.h"
#include "compiler/Import/OnnxModel.h"
#include "compiler/Pipelines/Pipelines.h"
#include "dialects/Blend/BlendOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace blend;

void blend::loadBlendDialects(MLIRContext &context) {
  context.loadDialect<BlendDialect, func::FuncDialect, arith::ArithDialect,
                      math::MathDialect>();
}

/// "<file>: node '<name>' (<op type>)" for an op imported from ONNX (see the
/// importer's nodeLocation), else the location as MLIR prints it.
static std::string describe(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    if (auto opType = dyn_cast<NameLoc>(name.getChildLoc()))
      if (auto file = dyn_cast<FileLineColLoc>(opType.getChildLoc()))
        return (file.getFilename().getValue() + ": node '" +
                name.getName().getValue() + "' (" +
                opType.getName().getValue() + ")")
            .str();
  // A graph input (the importer's declared-input quantizer).
  if (auto name = dyn_cast<NameLoc>(loc))
    if (auto file = dyn_cast<FileLineColLoc>(name.getChildLoc()))
      return (file.getFilename().getValue() + ": graph input '" +
              name.getName().getValue() + "'")
          .str();
  if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    if (file.getLine() == 0)
      return file.getFilename().str();
    return (file.getFilename().getValue() + ":" + Twine(file.getLine()) + ":" +
            Twine(file.getColumn()))
        .str();
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

ToolDiagnosticHandler::ToolDiagnosticHandler(MLIRContext &context,
                                             StringRef tool)
    : ScopedDiagnosticHandler(&context) {
  std::string name = tool.str();
  setHandler([name](Diagnostic &diag) {
    llvm::raw_ostream &os = llvm::errs();
    switch (diag.getSeverity()) {
    case DiagnosticSeverity::Error:
      llvm::WithColor::error(os, name);
      break;
    case DiagnosticSeverity::Warning:
      llvm::WithColor::warning(os, name);
      break;
    default:
      llvm::WithColor::note(os, name);
      break;
    }
    os << describe(diag.getLocation()) << ": " << diag.str() << "\n";
    return success();
  });
}

ImportFlags::ImportFlags(llvm::cl::OptionCategory &category)
    : signZero(
          "sign-zero",
          llvm::cl::desc("What ONNX Sign gives for an input of exactly 0"),
          llvm::cl::values(
              clEnumValN(SignZero::Zero, "zero",
                         "0, as ONNX defines it (default): a Sign whose input "
                         "can be 0 is refused, 0 is not a binary value"),
              clEnumValN(SignZero::PlusOne, "plus-one",
                         "+1, for models trained with sign(x >= 0) but "
                         "exported with Sign; the report names every Sign "
                         "read this way")),
          llvm::cl::init(SignZero::Zero), llvm::cl::cat(category)) {}

ImportOptions ImportFlags::options() const {
  ImportOptions options;
  options.signZeroPlusOne = signZero == SignZero::PlusOne;
  return options;
}

OwningOpRef<ModuleOp> blend::loadModel(MLIRContext &context, StringRef path,
                                       ModelStage stage, StringRef tool,
                                       ArrayRef<std::string> inputShapes,
                                       const ImportOptions &options) {
  loadBlendDialects(context);
  OwningOpRef<ModuleOp> module;
  if (path.ends_with(".mlir")) {
    if (!inputShapes.empty()) {
      llvm::WithColor::error(llvm::errs(), tool)
          << path << ": --input-shape applies to ONNX models only\n";
      return nullptr;
    }
    module = parseSourceFile<ModuleOp>(path, &context);
    if (!module)
      return nullptr;
  } else {
    llvm::Expected<onnx::ModelProto> model = loadOnnxModel(path);
    if (!model) {
      llvm::WithColor::error(llvm::errs(), tool)
          << llvm::toString(model.takeError()) << "\n";
      return nullptr;
    }
    if (llvm::Error error = overrideInputShapes(*model, path, inputShapes)) {
      llvm::WithColor::error(llvm::errs(), tool)
          << llvm::toString(std::move(error)) << "\n";
      return nullptr;
    }
    llvm::Expected<OwningOpRef<ModuleOp>> imported =
        importOnnxModel(*model, path, &context, options);
    if (!imported) {
      llvm::WithColor::error(llvm::errs(), tool)
          << llvm::toString(imported.takeError()) << "\n";
      return nullptr;
    }
    module = std::move(*imported);
  }
  if (stage == ModelStage::Integer) {
    PassManager pm(&context);
    buildLowerToIntegerPipeline(pm);
    if (failed(pm.run(*module)))
      return nullptr;
  }
  return module;
}
