//===- CheckModel.cpp - blendc --check: every node, what blend does with it ===//
//
// The first thing a user runs on their own model. Each ONNX node gets one
// line saying where it ends up:
//
//   constant     evaluated at import (all its inputs were constants)
//   host         the input quantizer, the output dequantizer, or a float
//                step the host does before or after them (HostBoundary.h)
//   integer      an integer layer op of the golden executor / accelerator
//   folded       absorbed into its neighbours' integer ops (a batch norm
//                into a threshold, a DequantizeLinear into a type, ...)
//   refused      the reason, as blendc would print it
//   not reached  after the node where import stopped
//
// then whether the integer program maps onto blend_net. The exit code is 1
// when any node or the mapping is refused, so scripts can gate on it.
//
//===----------------------------------------------------------------------===//

#include "tools/blendc/CheckModel.h"

#include "compiler/Import/ConstantFolding.h"
#include "compiler/Import/OnnxModel.h"
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Search/BuildNetwork.h"
#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/HostBoundary.h"
#include "dialects/Blend/NetworkIR.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"

#include <map>
#include <set>

using namespace mlir;
using namespace blend;

namespace {

/// The ONNX node a location names (the importer's node(op(file)) form).
std::string nodeOf(Location loc) {
  if (auto fused = dyn_cast<FusedLoc>(loc))
    return fused.getLocations().empty() ? "" : nodeOf(fused.getLocations()[0]);
  if (auto name = dyn_cast<NameLoc>(loc))
    if (isa<NameLoc>(name.getChildLoc()))
      return name.getName().str();
  return "";
}

/// The node name the importer uses (ONNX names may be empty).
std::string nodeName(const onnx::NodeProto &node) {
  if (!node.name().empty())
    return node.name();
  return node.op_type() + "<" + (node.output_size() ? node.output(0) : "") +
         ">";
}

/// Collects error diagnostics (the first one's node and message).
struct Capture {
  Capture(MLIRContext &ctx)
      : handler(&ctx, [this](Diagnostic &diag) {
          if (diag.getSeverity() == DiagnosticSeverity::Error && message.empty()) {
            message = diag.str();
            node = nodeOf(diag.getLocation());
          }
          return success();
        }) {}
  ScopedDiagnosticHandler handler;
  std::string message, node;
};

struct Row {
  std::string status, detail;
};

} // namespace

namespace {

/// What --check learned about the model, filled step by step.
struct ModelCheck {
  ModelCheck(MLIRContext &context, StringRef path,
             const onnx::GraphProto &graph)
      : context(context), path(path), graph(graph) {}

  MLIRContext &context;
  StringRef path;
  const onnx::GraphProto &graph;
  std::map<std::string, Row> rows;
  bool refused = false;
  OwningOpRef<ModuleOp> module;
  /// Where import or lowering stopped (node empty: not at a node).
  std::string stopNode, stopMessage;
  std::set<std::string> constants;
  std::vector<std::string> notes;
  std::map<std::string, std::string> host, integer;

  void findUnhandledOps(const onnx::ModelProto &model);
  void importAndLower(const onnx::ModelProto &model,
                      const ImportOptions &options);
  void classifyNodes();
  void assignRows();
  void printTable(raw_ostream &os);
  void checkAccelerator(raw_ostream &os);
};

} // namespace

/// Ops without a handler, all of them at once (import stops at the first).
void ModelCheck::findUnhandledOps(const onnx::ModelProto &model) {
  const OnnxOpTable &table = OnnxOpTable::get();
  for (const onnx::NodeProto &node : graph.node()) {
    int64_t opset = getOpsetVersion(model, node.domain());
    if (opset < 0 && isQonnxDomain(node.domain()))
      opset = 1;
    std::string reason;
    if (opset >= 0 && !isFoldableOnConstants(node) &&
        !table.lookup(node.domain(), node.op_type(), opset, reason)) {
      rows[nodeName(node)] = {"refused", reason};
      refused = true;
    }
  }
}

/// Imports and lowers to integer ops; a refusal names its node.
void ModelCheck::importAndLower(const onnx::ModelProto &model,
                                const ImportOptions &options) {
  {
    Capture capture(context);
    llvm::Expected<OwningOpRef<ModuleOp>> imported =
        importOnnxModel(model, path, &context, options);
    if (!imported) {
      stopMessage = llvm::toString(imported.takeError());
      // "<file>: node '<name>' (<op>): <why>"
      StringRef text(stopMessage);
      size_t at = text.find("node '");
      if (at != StringRef::npos) {
        StringRef rest = text.drop_front(at + 6);
        stopNode = rest.take_until([](char c) { return c == '\''; }).str();
        size_t colon = rest.find("): ");
        if (colon != StringRef::npos)
          stopMessage = rest.drop_front(colon + 3).str();
      }
      refused = true;
      return;
    }
    module = std::move(*imported);
  }
  Capture capture(context);
  PassManager pm(&context);
  buildLowerToIntegerPipeline(pm);
  if (failed(pm.run(*module))) {
    stopNode = capture.node;
    stopMessage = capture.message;
    refused = true;
    module = nullptr;
  }
}

/// Where each node of the lowered module ended up: evaluated at import, the
/// host's share, or integer ops.
void ModelCheck::classifyNodes() {
  if (auto names = (*module)->getAttrOfType<ArrayAttr>("blend.constant_nodes"))
    for (Attribute a : names)
      constants.insert(cast<StringAttr>(a).str());
  if (auto list = (*module)->getAttrOfType<ArrayAttr>("blend.import_notes"))
    for (Attribute a : list)
      notes.push_back(cast<StringAttr>(a).str());
  auto func = module->lookupSymbol<func::FuncOp>("main");
  HostBoundary boundary = findHostBoundary(func);
  for (Operation *op : boundary.prologue)
    host[nodeOf(op->getLoc())] = "before the input quantizer";
  for (Operation *op : boundary.epilogue)
    host[nodeOf(op->getLoc())] = "after the output dequantizer";
  func.walk([&](Operation *op) {
    if (isa<func::FuncOp, func::ReturnOp, ConstantOp, YieldOp>(op) ||
        boundary.isHost(op) || op->getNumResults() == 0)
      return;
    std::string node = nodeOf(op->getLoc());
    if (node.empty() || host.count(node))
      return;
    std::string &ops = integer[node];
    std::string name = op->getName().stripDialect().str();
    if (ops.find(name) == std::string::npos)
      ops += (ops.empty() ? "" : ", ") + name;
  });
  // The host's quantizer and dequantizer, for nodes that became nothing
  // else (a Gemm's integer matmul shares its node with the dequantizer).
  for (auto [ops, what] :
       {std::make_pair(&boundary.inputs, "the input quantizer"),
        std::make_pair(&boundary.outputs, "the output dequantizer")})
    for (Operation *op : *ops) {
      std::string node = nodeOf(op->getLoc());
      if (!integer.count(node) && !host.count(node))
        host[node] = what;
    }
}

/// One row per node, in graph order.
void ModelCheck::assignRows() {
  bool reached = true;
  for (const onnx::NodeProto &node : graph.node()) {
    std::string name = nodeName(node);
    Row &row = rows[name];
    if (row.status == "refused")
      continue;
    if (name == stopNode) {
      row = {"refused", stopMessage};
      reached = false;
      continue;
    }
    if (!module) {
      row = {reached || !stopNode.empty() ? "imported" : "not reached",
             stopNode.empty() ? "" : "lowering stopped at '" + stopNode + "'"};
      if (!reached)
        row = {"not reached", "import stopped at '" + stopNode + "'"};
      continue;
    }
    if (constants.count(name))
      row = {"constant", "evaluated at import"};
    else if (host.count(name))
      row = {"host", host[name]};
    else if (integer.count(name))
      row = {"integer", integer[name]};
    else
      row = {"folded", "into its neighbours' integer ops"};
  }
}

void ModelCheck::printTable(raw_ostream &os) {
  if (!stopMessage.empty() && stopNode.empty())
    os << "refused: " << stopMessage << "\n";
  size_t nameWidth = 4, opWidth = 2;
  for (const onnx::NodeProto &node : graph.node()) {
    nameWidth = std::max(nameWidth, nodeName(node).size());
    opWidth = std::max(opWidth, node.op_type().size() +
                                    (node.domain().empty()
                                         ? 0
                                         : node.domain().size() + 2));
  }
  nameWidth = std::min<size_t>(nameWidth, 60);
  auto line = [&](StringRef name, StringRef op, StringRef status,
                  StringRef detail) {
    os << llvm::left_justify(name, unsigned(nameWidth)) << "  "
       << llvm::left_justify(op, unsigned(opWidth)) << "  "
       << llvm::left_justify(status, 11) << "  " << detail << "\n";
  };
  line("node", "op", "status", "detail");
  std::map<std::string, unsigned> counts;
  for (const onnx::NodeProto &node : graph.node()) {
    std::string name = nodeName(node);
    const Row &row = rows[name];
    std::string op = (node.domain().empty() ? "" : node.domain() + "::") +
                     node.op_type();
    line(name, op, row.status, row.detail);
    ++counts[row.status];
  }
  os << "summary: " << graph.node_size() << " nodes:";
  bool first = true;
  for (const auto &[status, n] : counts) {
    os << (first ? " " : ", ") << n << " " << status;
    first = false;
  }
  os << "\n";
  for (const std::string &note : notes)
    os << "note: " << note << "\n";
}

/// Whether the integer program maps onto blend_net.
void ModelCheck::checkAccelerator(raw_ostream &os) {
  if (!module) {
    os << "accelerator: not tried (the model does not lower to integer "
          "ops)\n";
    return;
  }
  Capture capture(context);
  FailureOr<OwningOpRef<ModuleOp>> formed = formNetwork(*module, 4);
  if (failed(formed)) {
    StringRef why(capture.message);
    why.consume_front("cannot be mapped to the accelerator: ");
    os << "accelerator: refused: "
       << (capture.node.empty() ? "" : "node '" + capture.node + "': ") << why
       << "\n";
    refused = true;
    return;
  }
  NetworkOp net = findNetwork(**formed);
  size_t passes = llvm::range_size(net.getBlock().getOps<StepOp>());
  os << "accelerator: maps onto blend_net (" << passes
     << " layer steps before tiling); blendc " << path
     << " -o DIR builds it\n";
}

int blend::checkModel(MLIRContext &context, StringRef path,
                      ArrayRef<std::string> inputShapes,
                      const ImportOptions &options, raw_ostream &os) {
  llvm::Expected<onnx::ModelProto> model = loadOnnxModel(path);
  if (!model) {
    os << "blendc --check: " << llvm::toString(model.takeError()) << "\n";
    return 1;
  }
  if (llvm::Error error = overrideInputShapes(*model, path, inputShapes)) {
    os << "blendc --check: " << llvm::toString(std::move(error)) << "\n";
    return 1;
  }
  ModelCheck check(context, path, model->graph());
  check.findUnhandledOps(*model);
  if (!check.refused)
    check.importAndLower(*model, options);
  if (check.module)
    check.classifyNodes();
  check.assignRows();
  check.printTable(os);
  check.checkAccelerator(os);
  return check.refused ? 1 : 0;
}
