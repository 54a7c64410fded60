//===- OnnxModelTest.cpp - ONNX model loader unit tests -------------------===//
//
// Writes small models with the protobuf API, then checks that the loader
// accepts them, rejects truncated/corrupt/out-of-range files with a message
// that names the file, and counts operators correctly.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/OnnxModel.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace blend;

namespace {
/// A model with two Relu nodes and one Add at the given opset.
onnx::ModelProto makeModel(int64_t opset) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  auto *import = model.add_opset_import();
  import->set_domain("");
  import->set_version(opset);
  onnx::GraphProto *graph = model.mutable_graph();
  graph->set_name("tiny");
  auto addNode = [&](const char *op, std::initializer_list<const char *> ins,
                     const char *out) {
    onnx::NodeProto *node = graph->add_node();
    node->set_op_type(op);
    for (const char *in : ins)
      node->add_input(in);
    node->add_output(out);
  };
  addNode("Relu", {"x"}, "a");
  addNode("Relu", {"a"}, "b");
  addNode("Add", {"a", "b"}, "y");
  return model;
}

/// A temporary file removed when the object dies.
struct TempFile {
  llvm::SmallString<128> path;
  explicit TempFile(const std::string &bytes) {
    int fd;
    REQUIRE_FALSE(llvm::sys::fs::createTemporaryFile("blend-unit", "onnx", fd,
                                                     path));
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << bytes;
  }
  ~TempFile() { llvm::sys::fs::remove(path); }
};

std::string errorOf(llvm::StringRef path) {
  llvm::Expected<onnx::ModelProto> model = loadOnnxModel(path);
  REQUIRE_FALSE(static_cast<bool>(model));
  return llvm::toString(model.takeError());
}
} // namespace

TEST_CASE("a valid model loads and its operators are counted", "[onnx]") {
  TempFile file(makeModel(13).SerializeAsString());
  llvm::Expected<onnx::ModelProto> model = loadOnnxModel(file.path);
  REQUIRE(static_cast<bool>(model));
  CHECK(getOpsetVersion(*model, "") == 13);
  CHECK(getOpsetVersion(*model, "ai.onnx") == 13);
  CHECK(getOpsetVersion(*model, "qonnx.custom_op.general") == -1);
  std::vector<OpCount> rows = countOperators(model->graph());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].opType == "Relu");
  CHECK(rows[0].count == 2);
  CHECK(rows[1].opType == "Add");
  CHECK(rows[1].count == 1);
}

TEST_CASE("truncated and corrupt files are rejected with the path", "[onnx]") {
  std::string bytes = makeModel(13).SerializeAsString();
  TempFile truncated(bytes.substr(0, bytes.size() / 2));
  std::string message = errorOf(truncated.path);
  CHECK(message.find(truncated.path.str().str()) == 0);
  CHECK(message.find("not a valid ONNX protobuf") != std::string::npos);

  TempFile garbage(std::string("\xff\xff\xff\xff garbage", 13));
  CHECK(errorOf(garbage.path).find("not a valid ONNX protobuf") !=
        std::string::npos);

  TempFile empty("");
  CHECK(errorOf(empty.path).find("file is empty") != std::string::npos);
}

TEST_CASE("opsets outside [11, 21] are rejected", "[onnx]") {
  TempFile old(makeModel(9).SerializeAsString());
  CHECK(errorOf(old.path).find("ai.onnx opset 9 is outside the supported "
                               "range [11, 21]") != std::string::npos);
  TempFile future(makeModel(22).SerializeAsString());
  CHECK(errorOf(future.path).find("opset 22") != std::string::npos);
  TempFile edge(makeModel(21).SerializeAsString());
  CHECK(static_cast<bool>(loadOnnxModel(edge.path)));
}

TEST_CASE("a missing file is reported as such", "[onnx]") {
  CHECK(errorOf("/nonexistent/model.onnx") ==
        "/nonexistent/model.onnx: no such file");
}
