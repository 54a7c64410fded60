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

std::string blend::printable(StringRef text) {
  std::string out;
  out.reserve(text.size());
  auto hex = [&](unsigned char c) {
    static const char digits[] = "0123456789abcdef";
    out += "\\x";
    out += digits[c >> 4];
    out += digits[c & 15];
  };
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f)
        hex(c);
      else
        out += char(c);
      ++i;
      continue;
    }
    // A UTF-8 sequence: its length from the lead byte, continuation bytes
    // 10xxxxxx, the shortest form, no surrogates, at most U+10FFFF, and not
    // a C1 control (U+0080..U+009F).
    size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    uint32_t code = n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
    bool ok = n && c <= 0xf4 && i + n <= text.size();
    for (size_t k = 1; ok && k < n; ++k) {
      auto t = static_cast<unsigned char>(text[i + k]);
      ok = (t & 0xc0) == 0x80;
      code = code << 6 | (t & 0x3f);
    }
    ok = ok && !(n == 3 && code < 0x800) && !(n == 4 && code < 0x10000) &&
         !(code >= 0xd800 && code <= 0xdfff) && code <= 0x10ffff &&
         !(code >= 0x80 && code <= 0x9f);
    if (!ok) {
      hex(c);
      ++i;
      continue;
    }
    out.append(text.data() + i, n);
    i += n;
  }
  return out;
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
    os << printable(describe(diag.getLocation()) + ": " + diag.str()) << "\n";
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
          << printable(llvm::toString(model.takeError())) << "\n";
      return nullptr;
    }
    if (llvm::Error error = overrideInputShapes(*model, path, inputShapes)) {
      llvm::WithColor::error(llvm::errs(), tool)
          << printable(llvm::toString(std::move(error))) << "\n";
      return nullptr;
    }
    llvm::Expected<OwningOpRef<ModuleOp>> imported =
        importOnnxModel(*model, path, &context, options);
    if (!imported) {
      llvm::WithColor::error(llvm::errs(), tool)
          << printable(llvm::toString(imported.takeError())) << "\n";
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
