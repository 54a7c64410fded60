//===- OnnxModel.cpp - loading and checking ONNX model files --------------===//
//
// Protobuf parsing with a size limit large enough for real weight files, and
// the structural checks of OnnxModel.h. Every error names the file.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/OnnxModel.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <onnx/defs/parser.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <climits>

using namespace blend;

/// Builds the "<path>: <message>" error every loader failure uses.
static llvm::Error fileError(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::make_error<llvm::StringError>(
      (path + ": " + message).str(), llvm::inconvertibleErrorCode());
}

static bool isDefaultDomain(llvm::StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

int64_t blend::getOpsetVersion(const onnx::ModelProto &model,
                               llvm::StringRef domain) {
  bool wantDefault = isDefaultDomain(domain);
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    if (wantDefault ? isDefaultDomain(opset.domain())
                    : opset.domain() == domain)
      return opset.version();
  return -1;
}

static llvm::Expected<onnx::ModelProto> checkModel(llvm::StringRef path,
                                                   onnx::ModelProto &model);

/// Reads the data of initializers stored outside the model (ONNX external
/// data: `location` relative to the model's directory, optional `offset` and
/// `length`) into raw_data, so the importer sees ordinary tensors.
static llvm::Error loadExternalData(llvm::StringRef path,
                                    onnx::ModelProto &model) {
  llvm::SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  for (onnx::TensorProto &tensor : *model.mutable_graph()->mutable_initializer()) {
    if (tensor.data_location() != onnx::TensorProto::EXTERNAL)
      continue;
    std::string location;
    uint64_t offset = 0;
    int64_t length = -1;
    for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset")
        offset = std::strtoull(entry.value().c_str(), nullptr, 10);
      else if (entry.key() == "length")
        length = std::strtoll(entry.value().c_str(), nullptr, 10);
    }
    if (location.empty() || llvm::sys::path::is_absolute(location) ||
        llvm::StringRef(location).contains(".."))
      return fileError(path, "tensor '" + tensor.name() +
                                 "' has an invalid external data location '" +
                                 location + "'");
    llvm::SmallString<256> file(dir);
    llvm::sys::path::append(file, location);
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> data =
        llvm::MemoryBuffer::getFile(file, /*IsText=*/false,
                                    /*RequiresNullTerminator=*/false);
    if (!data)
      return fileError(path, "external data file '" + file + "' of tensor '" +
                                 tensor.name() + "' cannot be read: " +
                                 data.getError().message());
    uint64_t size = (*data)->getBufferSize();
    uint64_t bytes = length < 0 ? size - std::min(offset, size) : uint64_t(length);
    if (offset > size || bytes > size - offset)
      return fileError(path, "external data file '" + file + "' is too short for tensor '" +
                                 tensor.name() + "' (offset " + llvm::Twine(offset) +
                                 ", length " + llvm::Twine(bytes) + ", file size " +
                                 llvm::Twine(size) + ")");
    tensor.set_raw_data(std::string((*data)->getBufferStart() + offset, bytes));
    tensor.clear_external_data();
    tensor.set_data_location(onnx::TensorProto::DEFAULT);
  }
  return llvm::Error::success();
}

llvm::Expected<onnx::ModelProto> blend::loadOnnxModel(llvm::StringRef path) {
  if (!llvm::sys::fs::exists(path))
    return fileError(path, "no such file");
  if (llvm::sys::fs::is_directory(path))
    return fileError(path, "is a directory, expected an .onnx file");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fileError(path, "cannot read: " + buffer.getError().message());
  if ((*buffer)->getBufferSize() == 0)
    return fileError(path, "file is empty, expected a binary ONNX model");

  onnx::ModelProto model;
  if (path.ends_with(".onnxtext")) {
    // ONNX's textual syntax. Lines starting with "//" are dropped first, so
    // lit RUN/CHECK lines can live in the same file (as in onnx-mlir).
    std::string text;
    llvm::StringRef rest = (*buffer)->getBuffer();
    while (!rest.empty()) {
      auto [line, tail] = rest.split('\n');
      if (!line.ltrim().starts_with("//"))
        text += line.str() + "\n";
      rest = tail;
    }
    std::string parseError;
    try { // libonnx's parser may throw on malformed numbers
      onnx::Status status = onnx::OnnxParser::Parse(model, text.c_str());
      if (!status.IsOK())
        parseError = status.ErrorMessage();
    } catch (const std::exception &e) {
      parseError = e.what();
    }
    if (!parseError.empty()) {
      llvm::StringRef first = llvm::StringRef(parseError).trim();
      return fileError(path, "not valid ONNX text: " +
                                 first.substr(0, first.find('\n')) + " (" +
                                 first.rsplit('\n').second.trim() + ")");
    }
    return checkModel(path, model);
  }
  google::protobuf::io::ArrayInputStream raw((*buffer)->getBufferStart(),
                                             int((*buffer)->getBufferSize()));
  google::protobuf::io::CodedInputStream coded(&raw);
  coded.SetTotalBytesLimit(INT_MAX);
  if (!model.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage())
    return fileError(path, "not a valid ONNX protobuf (truncated or corrupt)");
  if (llvm::Error error = loadExternalData(path, model))
    return std::move(error);
  return checkModel(path, model);
}

/// The structural checks every loaded model must pass.
static llvm::Expected<onnx::ModelProto> checkModel(llvm::StringRef path,
                                                   onnx::ModelProto &model) {
  if (!model.has_graph() || model.graph().node_size() == 0)
    return fileError(path, "the model has no graph nodes; is this an ONNX "
                           "model file?");
  int64_t opset = getOpsetVersion(model, "");
  if (opset < 0)
    return fileError(path, "the model imports no default-domain (ai.onnx) "
                           "opset");
  if (opset < kMinOnnxOpset || opset > kMaxOnnxOpset)
    return fileError(path, "ai.onnx opset " + llvm::Twine(opset) +
                               " is outside the supported range [" +
                               llvm::Twine(kMinOnnxOpset) + ", " +
                               llvm::Twine(kMaxOnnxOpset) + "]");
  return std::move(model);
}

std::vector<OpCount> blend::countOperators(const onnx::GraphProto &graph) {
  std::vector<OpCount> rows;
  for (const onnx::NodeProto &node : graph.node()) {
    auto it = std::find_if(rows.begin(), rows.end(), [&](const OpCount &row) {
      return row.domain == node.domain() && row.opType == node.op_type();
    });
    if (it == rows.end())
      rows.push_back({node.domain(), node.op_type(), 1});
    else
      ++it->count;
  }
  return rows;
}

llvm::Error blend::overrideInputShapes(onnx::ModelProto &model,
                                       llvm::StringRef path,
                                       llvm::ArrayRef<std::string> overrides) {
  for (const std::string &spec : overrides) {
    auto [name, dims] = llvm::StringRef(spec).split('=');
    llvm::SmallVector<llvm::StringRef> parts;
    dims.split(parts, 'x');
    llvm::SmallVector<int64_t> shape;
    for (llvm::StringRef part : parts) {
      int64_t d;
      if (part.getAsInteger(10, d) || d <= 0)
        return fileError(path, "--input-shape '" + spec +
                                   "' is not NAME=D0xD1x... with positive sizes");
      shape.push_back(d);
    }
    if (name.empty() || shape.empty())
      return fileError(path, "--input-shape '" + spec +
                                 "' is not NAME=D0xD1x... with positive sizes");
    onnx::ValueInfoProto *input = nullptr;
    for (onnx::ValueInfoProto &vi : *model.mutable_graph()->mutable_input())
      if (vi.name() == name)
        input = &vi;
    if (!input || !input->type().has_tensor_type())
      return fileError(path, "--input-shape names '" + name +
                                 "', which is not a tensor input of the graph");
    onnx::TensorShapeProto *tshape =
        input->mutable_type()->mutable_tensor_type()->mutable_shape();
    if (tshape->dim_size() != 0 && tshape->dim_size() != int(shape.size()))
      return fileError(path, "--input-shape gives '" + name + "' rank " +
                                 llvm::Twine(shape.size()) + ", the model declares rank " +
                                 llvm::Twine(tshape->dim_size()));
    if (tshape->dim_size() == 0)
      for (size_t d = 0; d < shape.size(); ++d)
        tshape->add_dim();
    for (int d = 0; d < tshape->dim_size(); ++d) {
      onnx::TensorShapeProto::Dimension *dim = tshape->mutable_dim(d);
      if (dim->has_dim_value() && dim->dim_value() > 0 &&
          dim->dim_value() != shape[d])
        return fileError(path, "--input-shape gives '" + name + "' dimension " +
                                   llvm::Twine(d) + " = " + llvm::Twine(shape[d]) +
                                   ", the model fixes it to " +
                                   llvm::Twine(dim->dim_value()));
      dim->set_dim_value(shape[d]);
    }
  }
  return llvm::Error::success();
}
