//===- CheckModel.h - blendc --check ----------------------------*- C++ -*-===//
//
// `blendc model.onnx --check`: one line per ONNX node saying what blend does
// with it (evaluated at import, done by the host, an integer op, folded into
// its neighbours, refused and why), then whether the model maps onto the
// accelerator. Writes nothing else.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_TOOLS_BLENDC_CHECKMODEL_H
#define BLEND_TOOLS_BLENDC_CHECKMODEL_H

#include "compiler/Import/OnnxImporter.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

namespace blend {

/// Checks `path` and prints the per-node table to `os`; returns the exit
/// code: 0 when every node imports and lowers and the model maps onto
/// blend_net, 1 otherwise.
int checkModel(mlir::MLIRContext &context, llvm::StringRef path,
               llvm::ArrayRef<std::string> inputShapes,
               const ImportOptions &options, llvm::raw_ostream &os);

} // namespace blend

#endif // BLEND_TOOLS_BLENDC_CHECKMODEL_H
