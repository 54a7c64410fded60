//===- Driver.h - shared front half of blendc and blend-run -----*- C++ -*-===//
//
// Loading a model (`.onnx` → import → optional lowering) and reporting errors
// the way every blend tool does: one line per diagnostic on stderr,
// "<tool>: error: <file>: node '<name>': <message>".
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_DRIVER_DRIVER_H
#define BLEND_COMPILER_DRIVER_DRIVER_H

#include "compiler/Import/OnnxImporter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <string>

namespace blend {

/// `text` as it may go to a terminal: printable ASCII and well-formed UTF-8
/// of printable characters as they are; every other byte — control
/// characters (an escape sequence in a node name), DEL, C1 controls, bytes
/// that are not UTF-8 — as `\xNN`. Every blend tool prints its one-line
/// errors through it, so a file cannot write to the user's terminal.
std::string printable(llvm::StringRef text);

/// Loads every dialect blend IR may contain into `context`.
void loadBlendDialects(mlir::MLIRContext &context);

/// Prints each MLIR diagnostic as one line "<tool>: error: <where>: <msg>",
/// where <where> is "<file>: node '<name>'" for ops imported from ONNX.
class ToolDiagnosticHandler : public mlir::ScopedDiagnosticHandler {
public:
  ToolDiagnosticHandler(mlir::MLIRContext &context, llvm::StringRef tool);
};

/// The command-line flags of the model reader, defined once for every tool
/// that imports ONNX (blendc, blend-run): a tool declares one global
/// `ImportFlags flags(itsCategory);` and passes `flags.options()` to
/// loadModel.
class ImportFlags {
public:
  explicit ImportFlags(llvm::cl::OptionCategory &category);
  ImportOptions options() const;

  /// Values of --sign-zero.
  enum class SignZero { Zero, PlusOne };

private:
  llvm::cl::opt<SignZero> signZero;
};

/// How far `loadModel` takes the model.
enum class ModelStage {
  Imported, ///< graph-level ops as imported from ONNX
  Integer,  ///< after the blend-lower-to-integer pipeline
};

/// Loads `path` (.onnx or .mlir) and brings it to `stage`. On failure the
/// diagnostics have been reported (errors are printed with `tool` as the
/// prefix) and null is returned.
/// `inputShapes` are overrides "NAME=D0xD1x..." for graph inputs with
/// dynamic or missing dimensions (blendc/blend-run --input-shape).
mlir::OwningOpRef<mlir::ModuleOp>
loadModel(mlir::MLIRContext &context, llvm::StringRef path, ModelStage stage,
          llvm::StringRef tool, llvm::ArrayRef<std::string> inputShapes = {},
          const ImportOptions &options = {});

} // namespace blend

#endif // BLEND_COMPILER_DRIVER_DRIVER_H
