//===- OnnxImporter.h - ONNX graph to blend IR ------------------*- C++ -*-===//
//
// Imports an ONNX ModelProto into a `func.func @main` of blend graph-level ops
// (plus elementwise `arith` ops on tensors for comparisons and selects, which
// passes later recognize as binarizers). The mapping is a table of handlers
// keyed by (domain, op type, since-version), in the manner of torch-mlir's
// ONNX importer: each op family registers its handlers from its own file in
// compiler/Import/ops/, and a NodeBinder gives handlers typed access to
// inputs and attributes. Every failure is a one-line error naming the file,
// the node and its op type.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_IMPORT_ONNXIMPORTER_H
#define BLEND_COMPILER_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace blend {

class GraphImporter;

/// Choices a user makes about how a model is read.
struct ImportOptions {
  /// ONNX Sign(0) = 0, which is not a binary value, so blend refuses a Sign
  /// whose input can be 0. With this set (`--sign-zero=plus-one`), every
  /// Sign on an activation maps 0 to +1, as models trained with a
  /// sign(x ≥ 0) binarizer but exported with Sign expect; each such Sign is
  /// named in the import notes (and so in the report).
  bool signZeroPlusOne = false;
};

/// Typed access to one ONNX node's inputs, attributes and outputs for a
/// handler. Errors are returned as failure() after `error()` recorded the
/// message; the importer adds the file, node name and op type.
class NodeBinder {
public:
  NodeBinder(GraphImporter &importer, const onnx::NodeProto &node,
             int64_t opset);

  /// The node being imported.
  const onnx::NodeProto &node() const { return nodeProto; }
  /// The opset version of the node's domain in this model.
  int64_t opset() const { return opsetVersion; }
  /// Builder positioned at the end of the function body, with the node's
  /// location.
  mlir::OpBuilder &builder();
  mlir::Location loc() const { return location; }
  mlir::MLIRContext *context();

  /// Number of inputs, counting empty (omitted optional) names.
  int numInputs() const { return nodeProto.input_size(); }
  /// True when input `i` exists and is not the empty name.
  bool hasInput(int i) const;
  /// The value of input `i`, which must be present.
  mlir::FailureOr<mlir::Value> input(int i);
  /// Input `i` as a ranked tensor value with static shape.
  mlir::FailureOr<mlir::TypedValue<mlir::RankedTensorType>> tensorInput(int i);
  /// tensorInput(i) that must also have a float element type.
  mlir::FailureOr<mlir::TypedValue<mlir::RankedTensorType>>
  floatTensorInput(int i);
  /// The constant data behind input `i` (an initializer or a Constant node), or
  /// failure with an error naming the input when it is not constant.
  mlir::FailureOr<mlir::DenseElementsAttr> constantInput(int i);
  /// A constant input converted to doubles (any numeric element type).
  mlir::FailureOr<std::vector<double>> constantDoubles(int i);
  /// A constant integer input (shapes, axes, indices) as int64 values.
  mlir::FailureOr<std::vector<int64_t>> constantInts(int i);
  /// True when input `i` is present and has constant data.
  bool isConstantInput(int i);
  /// The blend element type constant input `i` is imported as (its ONNX
  /// data type, signedness included), without materializing it as an op;
  /// null when the input is not a constant.
  mlir::Type constantElementType(int i);

  /// Attribute accessors; `std::nullopt` when absent.
  std::optional<int64_t> intAttr(llvm::StringRef name) const;
  std::optional<float> floatAttr(llvm::StringRef name) const;
  std::optional<std::string> stringAttr(llvm::StringRef name) const;
  std::optional<std::vector<int64_t>> intsAttr(llvm::StringRef name) const;
  const onnx::AttributeProto *attr(llvm::StringRef name) const;

  /// Fails unless every attribute of the node is in `known`: attributes we
  /// do not understand must never be silently ignored.
  mlir::LogicalResult onlyAttributes(llvm::ArrayRef<llvm::StringRef> known);

  /// True when a later node or the graph output reads output `i`.
  bool isOutputUsed(int i) const;

  /// Binds output `i` of the node to `value`.
  void setOutput(int i, mlir::Value value);
  /// Binds output `i` to constant data (materialized on first use).
  mlir::LogicalResult setConstantOutput(int i, const onnx::TensorProto &tensor);
  /// Binds output `i` to a constant INT64 tensor (shape computations).
  mlir::LogicalResult setConstantInts(int i, llvm::ArrayRef<int64_t> values,
                                      llvm::ArrayRef<int64_t> shape);

  /// The options the model is imported with.
  const ImportOptions &options() const;

  /// Adds a note about how this node was read (shown by `blendc --check`
  /// and in the report).
  void note(const llvm::Twine &message);

  /// Records an error message for this node and returns failure().
  mlir::LogicalResult error(const llvm::Twine &message);

private:
  GraphImporter &importer;
  const onnx::NodeProto &nodeProto;
  int64_t opsetVersion;
  mlir::Location location;
};

/// A node handler: imports one node, or fails after NodeBinder::error().
using OnnxOpHandler = std::function<mlir::LogicalResult(NodeBinder &)>;

/// The handler table, keyed by (domain, op type); each entry lists handlers by
/// the opset version they are valid from.
class OnnxOpTable {
public:
  /// Registers `handler` for `opType` in `domain` ("" = ai.onnx) from opset
  /// `sinceVersion` on (until a later registration takes over).
  void onOp(llvm::StringRef domain, llvm::StringRef opType,
            int64_t sinceVersion, OnnxOpHandler handler);

  /// The handler for a node at `opset`; nullptr with `reason` set when none.
  const OnnxOpHandler *lookup(llvm::StringRef domain, llvm::StringRef opType,
                              int64_t opset, std::string &reason) const;

  /// The table with every handler blend has.
  static const OnnxOpTable &get();

  /// Every registered (domain, op type, since-version), sorted.
  struct Registration {
    std::string domain, opType;
    int64_t sinceVersion;
  };
  std::vector<Registration> registrations() const;

private:
  struct Entry {
    int64_t sinceVersion;
    OnnxOpHandler handler;
  };
  llvm::StringMap<std::vector<Entry>> entries;
};

/// True for the custom-op domains of qonnx, FINN and Brevitas
/// (qonnx.custom_op.general, finn.custom_op.general, onnx.brevitas).
bool isQonnxDomain(llvm::StringRef domain);

/// Op families register their handlers (one function per file in ops/).
void registerConvOps(OnnxOpTable &table);
void registerNormalizationOps(OnnxOpTable &table);
void registerQuantizationOps(OnnxOpTable &table);
void registerElementwiseOps(OnnxOpTable &table);
void registerShapeOps(OnnxOpTable &table);
void registerQonnxOps(OnnxOpTable &table);

/// Imports `model` (loaded from `path`, used in messages and locations) into a
/// new module holding `func.func @main`. The context must have the blend,
/// func and arith dialects loaded.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxModel(const onnx::ModelProto &model, llvm::StringRef path,
                mlir::MLIRContext *context, const ImportOptions &options = {});

} // namespace blend

#endif // BLEND_COMPILER_IMPORT_ONNXIMPORTER_H
