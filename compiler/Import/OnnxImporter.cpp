//===- OnnxImporter.cpp - ONNX graph to blend IR --------------------------===//
//
// The graph walk, the handler table and the NodeBinder. Initializers become
// `blend.constant` ops on first use; graph inputs become function arguments
// (static shapes only); every node is dispatched through OnnxOpTable. Nothing
// is ever dropped silently: an op without a handler, an attribute a handler
// does not know, or an output a handler did not bind is an error.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/OnnxImporter.h"
#include "compiler/Import/ConstantFolding.h"
#include "compiler/Import/Limits.h"
#include "compiler/Import/OnnxModel.h"

#include "dialects/Blend/BlendOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <cstring>

using namespace mlir;
using namespace blend;

//===----------------------------------------------------------------------===//
// GraphImporter
//===----------------------------------------------------------------------===//

namespace blend {
/// State of one graph import: the value map, initializers and the builder.
class GraphImporter {
public:
  GraphImporter(const onnx::ModelProto &model, StringRef path,
                MLIRContext *ctx, const ImportOptions &options)
      : builder(ctx), options(options), model(model), path(path.str()),
        ctx(ctx) {}

  llvm::Expected<OwningOpRef<ModuleOp>> run();

  /// The SSA value of ONNX tensor `name`, importing an initializer on first
  /// use.
  FailureOr<Value> lookup(StringRef name, Location loc);
  /// The constant data of `name` if it is an initializer or Constant output.
  std::optional<DenseElementsAttr> constantData(StringRef name);

  OpBuilder builder;
  ImportOptions options;
  std::string errorMessage;
  llvm::StringMap<Value> values;
  /// Constant data by tensor name (initializers on first use, Constant nodes)
  /// and the blend element type each is imported as.
  llvm::StringMap<DenseElementsAttr> constants;
  llvm::StringMap<Type> constantTypes;

  /// Makes `name` a constant tensor with `tensor`'s data (a Constant node).
  LogicalResult registerConstant(StringRef name,
                                 const onnx::TensorProto &tensor) {
    FailureOr<DenseElementsAttr> attr = convertTensor(tensor);
    if (failed(attr))
      return failure();
    constants[name] = *attr;
    constantTypes[name] = elementType(tensor.data_type());
    return success();
  }

  /// Large initializers (weights) become `dense_resource` blobs, so the IR
  /// keeps them out of line; small ones and splats stay dense.
  ElementsAttr asResource(StringRef name, DenseElementsAttr data) {
    Type element = data.getElementType();
    bool byteSized = element.isF32() || (element.isInteger() &&
                                         element.getIntOrFloatBitWidth() % 8 == 0);
    if (data.isSplat() || data.getNumElements() < 1024 || !byteSized)
      return data;
    ArrayRef<char> raw = data.getRawData();
    std::string key;
    for (char c : name)
      key += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return DenseResourceElementsAttr::get(
        data.getType(), key.empty() ? "weights" : key,
        HeapAsmResourceBlob::allocateAndCopyWithAlign(
            raw, element.getIntOrFloatBitWidth() / 8));
  }

  /// Converts an ONNX tensor to a dense attribute; failure sets errorMessage.
  FailureOr<DenseElementsAttr> convertTensor(const onnx::TensorProto &tensor);
  /// The blend element type for an ONNX data type (si8 for INT8, ...).
  Type elementType(int32_t dataType);

  const onnx::ModelProto &model;
  std::string path;
  MLIRContext *ctx;

  /// True when every present input of `node` is a constant.
  bool allInputsConstant(const onnx::NodeProto &node) {
    bool any = false;
    for (const std::string &input : node.input()) {
      if (input.empty())
        continue;
      if (!constantData(input))
        return false;
      any = true;
    }
    return any;
  }

  /// Nodes evaluated at import because all their inputs were constant.
  std::vector<std::string> constantNodes;

  /// Tensor names some node or the graph output reads.
  llvm::StringSet<> used;

  /// Notes for the user about how the model was read (shown by
  /// `blendc --check` and the report); stored on the module.
  std::vector<std::string> notes;

  /// Opset version the model imports for `domain`, -1 when none.
  int64_t getOpsetVersionFor(StringRef domain) const {
    return getOpsetVersion(model, domain);
  }

  /// Honours a QONNX datatype annotation on graph input `name`
  /// (quantization_annotation, key finn_datatype): an integer type (INTn,
  /// UINTn, BINARY) or BIPOLAR declares that the input only takes those
  /// values, so the argument is read through an exact quantizer marked
  /// `blend.declared` (the executor refuses inputs outside the declared
  /// set) and every later node sees exact values. FLOAT32 and SCALEDINT
  /// declare nothing; any other type is refused by name.
  llvm::Error applyInputAnnotation(BlockArgument arg, StringRef name);

private:
  llvm::StringMap<const onnx::TensorProto *> initializers;
  FailureOr<RankedTensorType> valueInfoType(const onnx::ValueInfoProto &info);
  /// @main with one argument per graph input that is not an initializer
  /// (older exporters list initializers as inputs too), annotations applied;
  /// the builder is left at the end of its body.
  llvm::Expected<func::FuncOp> createMain(ModuleOp module, Location loc);
  /// Imports one node: folded when it computes on constants only, else by
  /// its handler in the op table.
  llvm::Error importNode(const onnx::NodeProto &node);
  /// Returns the graph outputs from @main and records the constant nodes
  /// and the notes on the module.
  llvm::Error finishMain(ModuleOp module, func::FuncOp func, Location loc);
  /// Empty, or the refusal of a linear layer whose weights or bias depend
  /// on a graph input (blend needs them at compile time).
  static std::string checkConstantWeights(func::FuncOp func);
  llvm::Error fail(const Twine &message) {
    return llvm::make_error<llvm::StringError>((path + ": " + message).str(),
                                               llvm::inconvertibleErrorCode());
  }
};
} // namespace blend

llvm::Error GraphImporter::applyInputAnnotation(BlockArgument arg,
                                                StringRef name) {
  std::string datatype;
  for (const onnx::TensorAnnotation &a : model.graph().quantization_annotation())
    if (a.tensor_name() == name)
      for (const onnx::StringStringEntryProto &entry :
           a.quant_parameter_tensor_names())
        if (entry.key() == "finn_datatype")
          datatype = entry.value();
  if (datatype.empty() || datatype == "FLOAT32" ||
      StringRef(datatype).starts_with("SCALEDINT"))
    return llvm::Error::success();
  StringRef dt(datatype);
  bool isSigned = dt.consume_front("INT");
  bool isUnsigned = !isSigned && dt.consume_front("UINT");
  unsigned bits = 0;
  bool bipolar = datatype == "BIPOLAR", binary = datatype == "BINARY";
  if ((isSigned || isUnsigned) && (dt.getAsInteger(10, bits) || bits < 1 ||
                                   bits > 24 || (isSigned && bits < 2)))
    return fail("graph input '" + name.str() + "' is annotated " + datatype +
                ", which blend does not read (INT2..INT24, UINT1..UINT24, "
                "BINARY, BIPOLAR, FLOAT32)");
  if (!isSigned && !isUnsigned && !bipolar && !binary)
    return fail("graph input '" + name.str() + "' is annotated " + datatype +
                ", which blend does not read (INT2..INT24, UINT1..UINT24, "
                "BINARY, BIPOLAR, FLOAT32)");
  // BIPOLAR is ±1 (si2 holds it exactly), BINARY is {0, 1}.
  if (bipolar) {
    isSigned = true;
    bits = 2;
  } else if (binary) {
    isUnsigned = true;
    bits = 1;
  }
  auto type = cast<RankedTensorType>(arg.getType());
  auto storage = IntegerType::get(ctx, bits,
                                  isSigned ? IntegerType::Signed
                                           : IntegerType::Unsigned);
  auto fixed = FixedType::get(storage, 1.0, 0, /*narrow=*/bipolar);
  Location loc = NameLoc::get(StringAttr::get(ctx, name),
                              FileLineColLoc::get(ctx, path, 0, 0));
  auto q = builder.create<QuantizeOp>(
      loc, RankedTensorType::get(type.getShape(), fixed), arg);
  q->setAttr("blend.declared", builder.getStringAttr(datatype));
  values[name] = builder.create<DequantizeOp>(loc, type, q);
  notes.push_back("graph input '" + name.str() + "' is annotated " + datatype +
                  ": read as exact " + (bipolar ? "+-1 values" : "integers") +
                  "; inputs outside that set are refused");
  return llvm::Error::success();
}

Type GraphImporter::elementType(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return builder.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return builder.getF64Type();
  case onnx::TensorProto::FLOAT16:
    return builder.getF16Type();
  case onnx::TensorProto::INT8:
    return IntegerType::get(ctx, 8, IntegerType::Signed);
  case onnx::TensorProto::UINT8:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case onnx::TensorProto::INT16:
    return IntegerType::get(ctx, 16, IntegerType::Signed);
  case onnx::TensorProto::INT32:
    return IntegerType::get(ctx, 32, IntegerType::Signed);
  case onnx::TensorProto::INT64:
    return IntegerType::get(ctx, 64, IntegerType::Signed);
  case onnx::TensorProto::BOOL:
    return builder.getI1Type();
  default:
    return {};
  }
}

/// Reads element `i` of a little-endian raw buffer.
template <typename T> static T readRaw(const std::string &raw, size_t i) {
  T value;
  std::memcpy(&value, raw.data() + i * sizeof(T), sizeof(T));
  return value;
}

FailureOr<DenseElementsAttr>
GraphImporter::convertTensor(const onnx::TensorProto &tensor) {
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    errorMessage = "tensor '" + tensor.name() +
                   "' keeps its data in an external file, which blend does "
                   "not read; re-save the model with the data embedded";
    return failure();
  }
  Type element = elementType(tensor.data_type());
  if (!element) {
    errorMessage = llvm::formatv("tensor '{0}' has unsupported ONNX data type "
                                 "{1}",
                                 tensor.name(), tensor.data_type());
    return failure();
  }
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; })) {
    errorMessage = "tensor '" + tensor.name() + "' has a negative dimension";
    return failure();
  }
  if (std::optional<std::string> why = limits::checkShape(shape)) {
    errorMessage = "tensor '" + tensor.name() + "' is too large: " + *why;
    return failure();
  }
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  // Attributes store signless integers; the signedness lives in the blend
  // result type of the constant.
  Type storage = element;
  if (auto intType = dyn_cast<IntegerType>(element))
    storage = IntegerType::get(ctx, intType.getWidth());
  auto type = RankedTensorType::get(shape, storage);
  const std::string &raw = tensor.raw_data();
  bool hasRaw = tensor.has_raw_data();
  auto sizeError = [&](size_t have) {
    errorMessage = llvm::formatv("tensor '{0}' holds {1} values but its shape "
                                 "needs {2}",
                                 tensor.name(), have, count);
    return failure();
  };

  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT: {
    SmallVector<float> data;
    if (hasRaw) {
      if (raw.size() != size_t(count) * 4)
        return sizeError(raw.size() / 4);
      for (int64_t i = 0; i < count; ++i)
        data.push_back(readRaw<float>(raw, i));
    } else {
      data.assign(tensor.float_data().begin(), tensor.float_data().end());
    }
    if (int64_t(data.size()) != count)
      return sizeError(data.size());
    return DenseElementsAttr::get(type, ArrayRef<float>(data));
  }
  case onnx::TensorProto::DOUBLE: {
    SmallVector<double> data;
    if (hasRaw) {
      if (raw.size() != size_t(count) * 8)
        return sizeError(raw.size() / 8);
      for (int64_t i = 0; i < count; ++i)
        data.push_back(readRaw<double>(raw, i));
    } else {
      data.assign(tensor.double_data().begin(), tensor.double_data().end());
    }
    if (int64_t(data.size()) != count)
      return sizeError(data.size());
    return DenseElementsAttr::get(type, ArrayRef<double>(data));
  }
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::BOOL: {
    unsigned width = cast<IntegerType>(storage).getWidth();
    bool isSigned = tensor.data_type() != onnx::TensorProto::UINT8 &&
                    tensor.data_type() != onnx::TensorProto::BOOL;
    SmallVector<APInt> data;
    size_t bytes = width == 1 ? 1 : width / 8;
    if (hasRaw) {
      if (raw.size() != size_t(count) * bytes)
        return sizeError(raw.size() / bytes);
      for (int64_t i = 0; i < count; ++i) {
        uint64_t bits = 0;
        std::memcpy(&bits, raw.data() + i * bytes, bytes);
        data.push_back(APInt(64, bits).trunc(std::max(width, 1u)));
      }
    } else if (tensor.data_type() == onnx::TensorProto::INT64) {
      for (int64_t v : tensor.int64_data())
        data.push_back(APInt(64, uint64_t(v), /*isSigned=*/true));
    } else {
      for (int32_t v : tensor.int32_data())
        data.push_back(APInt(32, uint64_t(int64_t(v)), /*isSigned=*/true)
                           .trunc(width));
    }
    (void)isSigned;
    if (int64_t(data.size()) != count)
      return sizeError(data.size());
    return DenseElementsAttr::get(type, data);
  }
  default:
    break;
  }
  errorMessage = "tensor '" + tensor.name() + "' has an unsupported data type";
  return failure();
}

std::optional<DenseElementsAttr> GraphImporter::constantData(StringRef name) {
  auto it = constants.find(name);
  if (it != constants.end())
    return it->second;
  auto init = initializers.find(name);
  if (init == initializers.end())
    return std::nullopt;
  if (failed(registerConstant(name, *init->second)))
    return std::nullopt;
  return constants[name];
}

FailureOr<Value> GraphImporter::lookup(StringRef name, Location loc) {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  if (!constants.count(name) && !initializers.count(name)) {
    errorMessage = ("input '" + name + "' is not produced by any earlier node, "
                    "graph input or initializer")
                       .str();
    return failure();
  }
  std::optional<DenseElementsAttr> data = constantData(name);
  if (!data)
    return failure();
  Type element = constantTypes.lookup(name);
  auto type = RankedTensorType::get(data->getType().getShape(), element);
  Value value = builder.create<ConstantOp>(loc, type, asResource(name, *data));
  values[name] = value;
  return value;
}

FailureOr<RankedTensorType>
GraphImporter::valueInfoType(const onnx::ValueInfoProto &info) {
  if (!info.type().has_tensor_type()) {
    errorMessage = "graph input '" + info.name() + "' is not a tensor";
    return failure();
  }
  const onnx::TypeProto::Tensor &tensor = info.type().tensor_type();
  Type element = elementType(tensor.elem_type());
  if (!element || !isa<FloatType>(element)) {
    errorMessage = "graph input '" + info.name() +
                   "' must be a float tensor (quantization happens inside "
                   "the graph)";
    return failure();
  }
  if (!tensor.has_shape()) {
    errorMessage = "graph input '" + info.name() + "' has no shape";
    return failure();
  }
  SmallVector<int64_t> shape;
  for (const auto &dim : tensor.shape().dim()) {
    if (!dim.has_dim_value() || dim.dim_value() <= 0) {
      errorMessage = "graph input '" + info.name() +
                     "' has a dynamic or missing dimension" +
                     (dim.has_dim_param() ? " '" + dim.dim_param() + "'" : "") +
                     "; blend compiles static shapes only";
      return failure();
    }
    shape.push_back(dim.dim_value());
  }
  if (std::optional<std::string> why = limits::checkShape(shape)) {
    errorMessage = "graph input '" + info.name() + "' is too large: " + *why;
    return failure();
  }
  return RankedTensorType::get(shape, element);
}

llvm::Expected<func::FuncOp> GraphImporter::createMain(ModuleOp module,
                                                      Location loc) {
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &input : model.graph().input()) {
    if (initializers.count(input.name()))
      continue;
    FailureOr<RankedTensorType> type = valueInfoType(input);
    if (failed(type))
      return fail(errorMessage);
    argTypes.push_back(*type);
    argNames.push_back(input.name());
  }
  builder.setInsertionPointToEnd(module.getBody());
  auto func = builder.create<func::FuncOp>(
      loc, "main", builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    values[name] = body->getArgument(i);
    func.setArgAttr(i, "blend.name", builder.getStringAttr(name));
  }
  builder.setInsertionPointToEnd(body);
  for (auto [i, name] : llvm::enumerate(argNames))
    if (llvm::Error error = applyInputAnnotation(body->getArgument(i), name))
      return std::move(error);
  return func;
}

llvm::Error GraphImporter::importNode(const onnx::NodeProto &node) {
  std::string nodeName =
      node.name().empty()
          ? node.op_type() + "<" + (node.output_size() ? node.output(0) : "") +
                ">"
          : node.name();
  auto where = [&]() {
    return "node '" + nodeName + "' (" +
           (node.domain().empty() ? "" : node.domain() + "::") +
           node.op_type() + "): ";
  };
  int64_t opset = getOpsetVersionFor(node.domain());
  if (opset < 0 && isQonnxDomain(node.domain())) {
    // qonnx and FINN execute their custom ops without an opset_import
    // entry (FINN-ONNX files have none); their ops are version 1.
    opset = 1;
    std::string note = "domain '" + node.domain() +
                       "' has no opset_import entry; its ops were read as "
                       "version 1, as qonnx and FINN do";
    if (!llvm::is_contained(notes, note))
      notes.push_back(note);
  }
  if (opset < 0)
    return fail(where() + "the model imports no opset for domain '" +
                node.domain() + "'");
  NodeBinder binder(*this, node, opset);
  errorMessage.clear();
  // A standard node over constants only is evaluated here (ConstantFolding).
  if (isFoldableOnConstants(node) && allInputsConstant(node)) {
    if (failed(foldConstantNode(binder)))
      return fail(where() + (errorMessage.empty() ? "constant folding failed"
                                                  : errorMessage));
    constantNodes.push_back(nodeName);
    return llvm::Error::success();
  }
  std::string reason;
  const OnnxOpHandler *handler =
      OnnxOpTable::get().lookup(node.domain(), node.op_type(), opset, reason);
  if (!handler)
    return fail(where() + reason);
  if (failed((*handler)(binder)))
    return fail(where() +
                (errorMessage.empty() ? "import failed" : errorMessage));
  // Outputs nothing reads may stay unbound (TopK's values beside its
  // indices); every other output must have been produced, within the limits.
  for (const std::string &output : node.output()) {
    if (!output.empty() && used.contains(output) && !values.count(output) &&
        !constants.count(output))
      return fail(where() + "output '" + output +
                  "' is not supported by blend's handler for this op");
    auto it = values.find(output);
    if (it == values.end())
      continue;
    if (auto type = dyn_cast<ShapedType>(it->second.getType()))
      if (std::optional<std::string> why = limits::checkShape(type.getShape()))
        return fail(where() + "output '" + output + "' is too large: " + *why);
  }
  return llvm::Error::success();
}

llvm::Error GraphImporter::finishMain(ModuleOp module, func::FuncOp func,
                                      Location loc) {
  const onnx::GraphProto &graph = model.graph();
  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    auto it = values.find(output.name());
    Value result;
    if (it != values.end()) {
      result = it->second;
    } else if (constantData(output.name())) {
      // A constant output (a Constant node, or a folded shape computation).
      FailureOr<Value> constant = lookup(output.name(), loc);
      if (failed(constant))
        return fail(errorMessage);
      result = *constant;
    } else {
      return fail("graph output '" + output.name() + "' is never produced");
    }
    results.push_back(result);
    resultTypes.push_back(result.getType());
  }
  builder.create<func::ReturnOp>(loc, results);
  auto strings = [&](ArrayRef<std::string> list) {
    SmallVector<Attribute> attrs;
    for (const std::string &text : list)
      attrs.push_back(builder.getStringAttr(text));
    return builder.getArrayAttr(attrs);
  };
  if (!constantNodes.empty())
    module->setAttr("blend.constant_nodes", strings(constantNodes));
  if (!notes.empty())
    module->setAttr("blend.import_notes", strings(notes));
  func.setType(
      builder.getFunctionType(func.getArgumentTypes(), resultTypes));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "blend.name", builder.getStringAttr(output.name()));
  return llvm::Error::success();
}

std::string GraphImporter::checkConstantWeights(func::FuncOp func) {
  std::string weightError;
  func.walk([&](Operation *op) {
    if (!weightError.empty() || !isa<Conv2DOp, MatMulOp>(op))
      return;
    for (unsigned i = 1; i < op->getNumOperands(); ++i) {
      SmallVector<Value> work{op->getOperand(i)};
      llvm::DenseSet<Value> seen;
      while (!work.empty()) {
        Value v = work.pop_back_val();
        if (!seen.insert(v).second)
          continue;
        if (auto arg = dyn_cast<BlockArgument>(v)) {
          // Locations are node-name(op-type(file)); see nodeLocation.
          std::string node = "?", opType = "?";
          if (auto name = dyn_cast<NameLoc>(op->getLoc())) {
            node = name.getName().str();
            if (auto type = dyn_cast<NameLoc>(name.getChildLoc()))
              opType = type.getName().str();
          }
          auto input = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                         "blend.name");
          weightError = llvm::formatv(
              "node '{0}' ({1}): the {2} depend on graph input '{3}'; blend "
              "needs constant weights (initializers)",
              node, opType, i == 1 ? "weights" : "bias",
              input ? input.getValue().str() : std::string("?"));
          return;
        }
        for (Value operand : v.getDefiningOp()->getOperands())
          work.push_back(operand);
      }
    }
  });
  return weightError;
}

llvm::Expected<OwningOpRef<ModuleOp>> GraphImporter::run() {
  const onnx::GraphProto &graph = model.graph();
  for (const onnx::TensorProto &init : graph.initializer())
    initializers[init.name()] = &init;
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &input : node.input())
      used.insert(input);
  for (const onnx::ValueInfoProto &output : graph.output())
    used.insert(output.name());

  Location fileLoc = FileLineColLoc::get(ctx, path, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  (*module)->setAttr("blend.source", builder.getStringAttr(path));
  llvm::Expected<func::FuncOp> func = createMain(*module, fileLoc);
  if (!func)
    return func.takeError();
  for (const onnx::NodeProto &node : graph.node())
    if (llvm::Error error = importNode(node))
      return std::move(error);
  if (llvm::Error error = finishMain(*module, *func, fileLoc))
    return std::move(error);
  if (failed(mlir::verify(*module)))
    return fail("the imported graph does not verify (see the diagnostics "
                "above)");
  // Weights must be known at compile time: a linear layer whose weights (or
  // bias) depend on a graph input cannot be compiled.
  std::string weightError = checkConstantWeights(*func);
  if (!weightError.empty())
    return fail(weightError);
  return module;
}

//===----------------------------------------------------------------------===//
// NodeBinder
//===----------------------------------------------------------------------===//

/// Location of a node: loc("<node name>"("<op type>"(file))), so every
/// diagnostic can name the file, the node and its ONNX op type.
static Location nodeLocation(GraphImporter &importer,
                             const onnx::NodeProto &node) {
  std::string name = node.name().empty()
                         ? node.op_type() + "<" +
                               (node.output_size() ? node.output(0) : "") + ">"
                         : node.name();
  std::string opType =
      (node.domain().empty() ? "" : node.domain() + "::") + node.op_type();
  Location file = FileLineColLoc::get(importer.ctx, importer.path, 0, 0);
  return NameLoc::get(StringAttr::get(importer.ctx, name),
                      NameLoc::get(StringAttr::get(importer.ctx, opType), file));
}

NodeBinder::NodeBinder(GraphImporter &importer, const onnx::NodeProto &node,
                       int64_t opset)
    : importer(importer), nodeProto(node), opsetVersion(opset),
      location(nodeLocation(importer, node)) {}

OpBuilder &NodeBinder::builder() { return importer.builder; }
MLIRContext *NodeBinder::context() { return importer.ctx; }

bool NodeBinder::isOutputUsed(int i) const {
  return i < nodeProto.output_size() && !nodeProto.output(i).empty() &&
         importer.used.contains(nodeProto.output(i));
}

bool NodeBinder::hasInput(int i) const {
  return i < nodeProto.input_size() && !nodeProto.input(i).empty();
}

FailureOr<Value> NodeBinder::input(int i) {
  if (!hasInput(i)) {
    (void)error(llvm::formatv("required input #{0} is missing", i));
    return failure();
  }
  return importer.lookup(nodeProto.input(i), location);
}

FailureOr<TypedValue<RankedTensorType>> NodeBinder::tensorInput(int i) {
  FailureOr<Value> value = input(i);
  if (failed(value))
    return failure();
  auto typed = dyn_cast<TypedValue<RankedTensorType>>(*value);
  if (!typed || !typed.getType().hasStaticShape()) {
    (void)error("input '" + nodeProto.input(i) +
                "' must be a tensor with a static shape");
    return failure();
  }
  return typed;
}

FailureOr<TypedValue<RankedTensorType>> NodeBinder::floatTensorInput(int i) {
  FailureOr<TypedValue<RankedTensorType>> value = tensorInput(i);
  if (succeeded(value) && !isa<FloatType>(value->getType().getElementType())) {
    (void)error("only float inputs are supported");
    return failure();
  }
  return value;
}

FailureOr<DenseElementsAttr> NodeBinder::constantInput(int i) {
  if (!hasInput(i)) {
    (void)error(llvm::formatv("required input #{0} is missing", i));
    return failure();
  }
  std::optional<DenseElementsAttr> data =
      importer.constantData(nodeProto.input(i));
  if (!data) {
    if (importer.errorMessage.empty())
      (void)error("input '" + nodeProto.input(i) +
                  "' must be a constant (an initializer or a Constant node); "
                  "blend needs its value at compile time");
    return failure();
  }
  return *data;
}

FailureOr<std::vector<double>> NodeBinder::constantDoubles(int i) {
  FailureOr<DenseElementsAttr> data = constantInput(i);
  if (failed(data))
    return failure();
  std::vector<double> out;
  Type element = data->getElementType();
  if (isa<FloatType>(element)) {
    for (APFloat v : data->getValues<APFloat>())
      out.push_back(v.convertToDouble());
    return out;
  }
  // Integer constants: signedness comes from the ONNX data type, which the
  // importer records in the constant's blend type; raw attributes are
  // signless, so ask the initializer's declared type.
  bool isUnsigned = false;
  if (FailureOr<Value> v = input(i); succeeded(v))
    isUnsigned = cast<RankedTensorType>(v->getType())
                     .getElementType()
                     .isUnsignedInteger();
  for (APInt v : data->getValues<APInt>())
    out.push_back(isUnsigned || v.getBitWidth() == 1 ? double(v.getZExtValue())
                                                     : double(v.getSExtValue()));
  return out;
}

FailureOr<std::vector<int64_t>> NodeBinder::constantInts(int i) {
  FailureOr<DenseElementsAttr> data = constantInput(i);
  if (failed(data))
    return failure();
  if (!isa<IntegerType>(data->getElementType())) {
    (void)error("input '" + nodeProto.input(i) + "' must be an integer tensor");
    return failure();
  }
  std::vector<int64_t> out;
  for (APInt v : data->getValues<APInt>())
    out.push_back(v.getSExtValue());
  return out;
}

Type NodeBinder::constantElementType(int i) {
  if (!isConstantInput(i))
    return {};
  return importer.constantTypes.lookup(nodeProto.input(i));
}

bool NodeBinder::isConstantInput(int i) {
  return hasInput(i) && importer.constantData(nodeProto.input(i)).has_value();
}

const onnx::AttributeProto *NodeBinder::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : nodeProto.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

std::optional<int64_t> NodeBinder::intAttr(StringRef name) const {
  if (const onnx::AttributeProto *a = attr(name))
    return a->i();
  return std::nullopt;
}

std::optional<float> NodeBinder::floatAttr(StringRef name) const {
  if (const onnx::AttributeProto *a = attr(name))
    return a->f();
  return std::nullopt;
}

std::optional<std::string> NodeBinder::stringAttr(StringRef name) const {
  if (const onnx::AttributeProto *a = attr(name))
    return a->s();
  return std::nullopt;
}

std::optional<std::vector<int64_t>>
NodeBinder::intsAttr(StringRef name) const {
  if (const onnx::AttributeProto *a = attr(name))
    return std::vector<int64_t>(a->ints().begin(), a->ints().end());
  return std::nullopt;
}

LogicalResult NodeBinder::onlyAttributes(ArrayRef<StringRef> known) {
  for (const onnx::AttributeProto &a : nodeProto.attribute())
    if (!llvm::is_contained(known, a.name()))
      return error("attribute '" + a.name() +
                   "' is not supported by blend for this op");
  return success();
}

LogicalResult NodeBinder::setConstantOutput(int i,
                                           const onnx::TensorProto &tensor) {
  if (i >= nodeProto.output_size() || nodeProto.output(i).empty())
    return success();
  return importer.registerConstant(nodeProto.output(i), tensor);
}

LogicalResult NodeBinder::setConstantInts(int i, ArrayRef<int64_t> values,
                                          ArrayRef<int64_t> shape) {
  onnx::TensorProto tensor;
  tensor.set_data_type(onnx::TensorProto::INT64);
  for (int64_t d : shape)
    tensor.add_dims(d);
  for (int64_t v : values)
    tensor.add_int64_data(v);
  return setConstantOutput(i, tensor);
}

void NodeBinder::setOutput(int i, Value value) {
  if (i < nodeProto.output_size() && !nodeProto.output(i).empty())
    importer.values[nodeProto.output(i)] = value;
}

const ImportOptions &NodeBinder::options() const { return importer.options; }

void NodeBinder::note(const Twine &message) {
  std::string name = nodeProto.name().empty()
                         ? nodeProto.op_type() + "<" +
                               (nodeProto.output_size() ? nodeProto.output(0)
                                                        : "") +
                               ">"
                         : nodeProto.name();
  importer.notes.push_back("node '" + name + "' (" + nodeProto.op_type() +
                           "): " + message.str());
}

LogicalResult NodeBinder::error(const Twine &message) {
  importer.errorMessage = message.str();
  return failure();
}

//===----------------------------------------------------------------------===//
// OnnxOpTable
//===----------------------------------------------------------------------===//

/// Table key: "domain::OpType" with the default domain spelled "".
static std::string tableKey(StringRef domain, StringRef opType) {
  StringRef d = domain == "ai.onnx" ? "" : domain;
  return (d + "::" + opType).str();
}

void OnnxOpTable::onOp(StringRef domain, StringRef opType,
                       int64_t sinceVersion, OnnxOpHandler handler) {
  std::vector<Entry> &list = entries[tableKey(domain, opType)];
  list.push_back({sinceVersion, std::move(handler)});
  llvm::sort(list, [](const Entry &a, const Entry &b) {
    return a.sinceVersion < b.sinceVersion;
  });
}

const OnnxOpHandler *OnnxOpTable::lookup(StringRef domain, StringRef opType,
                                         int64_t opset,
                                         std::string &reason) const {
  auto it = entries.find(tableKey(domain, opType));
  if (it == entries.end()) {
    reason = "op '" + opType.str() + "'" +
             (domain.empty() || domain == "ai.onnx"
                  ? std::string()
                  : " of domain '" + domain.str() + "'") +
             " is not supported by blend";
    return nullptr;
  }
  const Entry *best = nullptr;
  for (const Entry &entry : it->second)
    if (entry.sinceVersion <= opset)
      best = &entry;
  if (!best) {
    reason = llvm::formatv("op '{0}' is supported from opset {1}, the model "
                           "uses opset {2}",
                           opType, it->second.front().sinceVersion, opset);
    return nullptr;
  }
  return &best->handler;
}

std::vector<OnnxOpTable::Registration> OnnxOpTable::registrations() const {
  std::vector<Registration> out;
  for (const auto &entry : entries) {
    auto [domain, opType] = entry.getKey().split("::");
    for (const Entry &e : entry.getValue())
      out.push_back({domain.empty() ? "ai.onnx" : domain.str(), opType.str(),
                     e.sinceVersion});
  }
  llvm::sort(out, [](const Registration &a, const Registration &b) {
    return std::tie(a.domain, a.opType, a.sinceVersion) <
           std::tie(b.domain, b.opType, b.sinceVersion);
  });
  return out;
}

const OnnxOpTable &OnnxOpTable::get() {
  static const OnnxOpTable table = [] {
    OnnxOpTable t;
    registerConvOps(t);
    registerNormalizationOps(t);
    registerQuantizationOps(t);
    registerElementwiseOps(t);
    registerShapeOps(t);
    registerQonnxOps(t);
    return t;
  }();
  return table;
}

llvm::Expected<OwningOpRef<ModuleOp>>
blend::importOnnxModel(const onnx::ModelProto &model, StringRef path,
                       MLIRContext *context, const ImportOptions &options) {
  GraphImporter importer(model, path, context, options);
  return importer.run();
}
