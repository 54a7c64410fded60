//===- OnnxModel.h - loading and checking ONNX model files ------*- C++ -*-===//
//
// Reads an ONNX ModelProto from disk and performs the checks every later stage
// relies on (a parseable protobuf, a graph, an opset we accept), reporting
// failures as one-line messages that name the file. Also summarizes a graph's
// operators for `blendc --list-ops`.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_IMPORT_ONNXMODEL_H
#define BLEND_COMPILER_IMPORT_ONNXMODEL_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

namespace blend {

/// Range of default-domain ("ai.onnx") opset versions the importer accepts.
inline constexpr int64_t kMinOnnxOpset = 11;
inline constexpr int64_t kMaxOnnxOpset = 21;

/// Loads `path` as a binary ONNX model (or ONNX text, for `.onnxtext`) and
/// checks that it has a graph and a
/// default-domain opset in [kMinOnnxOpset, kMaxOnnxOpset]. Errors are
/// `StringError`s of the form "<path>: <what is wrong>".
llvm::Expected<onnx::ModelProto> loadOnnxModel(llvm::StringRef path);

/// Applies shape overrides "NAME=D0xD1x..." to graph inputs: every dynamic
/// or missing dimension takes the given size; a static dimension must agree;
/// the rank must match. Errors name the file and the input.
llvm::Error overrideInputShapes(onnx::ModelProto &model, llvm::StringRef path,
                                llvm::ArrayRef<std::string> overrides);

/// One row of an operator inventory: how often (domain, op_type) occurs.
struct OpCount {
  /// Operator domain; "" is the default ONNX domain.
  std::string domain;
  /// Operator type, e.g. "Conv".
  std::string opType;
  /// Number of nodes with this domain and type.
  unsigned count = 0;
};

/// Counts the graph's nodes per (domain, op type), in order of first use.
std::vector<OpCount> countOperators(const onnx::GraphProto &graph);

/// The opset version the model imports for `domain` ("" or "ai.onnx" for the
/// default domain), or -1 when it imports none.
int64_t getOpsetVersion(const onnx::ModelProto &model, llvm::StringRef domain);

} // namespace blend

#endif // BLEND_COMPILER_IMPORT_ONNXMODEL_H
