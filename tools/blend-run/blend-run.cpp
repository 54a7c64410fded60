//===- blend-run.cpp - run a model with the golden executor ---------------===//
//
//   blend-run MODEL.onnx --input X.npy --output Y.npy [--threads N] [--trace DIR]
//   blend-run MODEL.onnx --idx-images F --idx-labels F [--limit N] [--threads N]
//
// Imports and lowers the model exactly as blendc does, then executes the
// integer layer ops on every image of X (shape = the model input, or a batch
// of N along axis 0 when the model's batch is 1). Y stacks the outputs as
// float32. --trace writes every op's result (storage integers as float32) to
// DIR/NNN_<op>.npy with an index, for localizing mismatches.
// --reference runs the plain int64 interpreter instead of the compiled fast
// kernels (the two agree bit for bit; test/golden/fast-vs-reference.test).
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Driver.h"
#include "runtime/IdxIO.h"
#include "runtime/NpyIO.h"
#include "compiler/Golden/Executor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/WithColor.h"

#include <atomic>
#include <thread>

using namespace llvm;
using namespace blend;

namespace {
cl::OptionCategory category("blend-run options");
cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.onnx|.mlir>"),
                               cl::Required, cl::cat(category));
cl::opt<std::string> inputPath("input", cl::desc("Input tensor(s), .npy"),
                               cl::value_desc("X.npy"), cl::cat(category));
cl::opt<std::string> outputPath("output", cl::desc("Output tensor(s), .npy "
                                                   "(float32)"),
                                cl::value_desc("Y.npy"), cl::cat(category));
cl::opt<std::string> idxImages(
    "idx-images",
    cl::desc("Classify the images of an IDX file (gzip accepted; pixels are "
             "fed as pixel/255) and print the accuracy"),
    cl::value_desc("file"), cl::cat(category));
cl::opt<std::string> idxLabels("idx-labels",
                               cl::desc("Labels for --idx-images (IDX)"),
                               cl::value_desc("file"), cl::cat(category));
cl::opt<int64_t> limit("limit", cl::desc("Use the first N images only"),
                       cl::init(-1), cl::cat(category));
cl::opt<unsigned> threads("threads",
                          cl::desc("Images executed in parallel (default 1)"),
                          cl::init(1), cl::cat(category));
cl::opt<bool> reference(
    "reference",
    cl::desc("Execute with the reference interpreter (plain int64 loops) "
             "instead of the compiled fast kernels; both give the same bits"),
    cl::init(false), cl::cat(category));
ImportFlags importFlags(category);
cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Fix a graph input's dynamic dimensions: NAME=D0xD1x... "
             "(repeatable)"),
    cl::value_desc("NAME=DIMS"), cl::cat(category));
cl::opt<bool> noLower(
    "no-lower",
    cl::desc("Execute the imported graph in float32 without lowering it to "
             "integer ops (ONNX's semantics as blend's importer understood "
             "them; used by the ONNX node-test suite)"),
    cl::init(false), cl::cat(category));
cl::opt<bool> profile(
    "profile",
    cl::desc("Print the time spent per kernel (fast path) after the run"),
    cl::init(false), cl::cat(category));
cl::opt<std::string> traceDir("trace",
                              cl::desc("Write every op's result of the first "
                                       "image to DIR (storage values as "
                                       "float32 .npy)"),
                              cl::value_desc("DIR"), cl::cat(category));

int fail(const Twine &message) {
  WithColor::error(errs(), "blend-run")
      << blend::printable(message.str()) << "\n";
  return 1;
}

/// State of the --trace writer.
struct Tracer {
  std::string dir;
  unsigned index = 0;
  std::string listing;
  bool failed = false;
};

void traceOp(void *user, mlir::Operation *op,
             const std::vector<golden::Tensor> &results) {
  auto *tracer = static_cast<Tracer *>(user);
  for (const golden::Tensor &t : results) {
    std::string name = formatv("{0:D3}_{1}.npy", tracer->index++,
                               op->getName().stripDialect());
    NpyArray array{t.shape, t.floats};
    if (array.data.empty())
      array.data.assign(t.ints.begin(), t.ints.end());
    SmallString<256> path(tracer->dir);
    sys::path::append(path, name);
    std::string error;
    if (!writeNpyFloat32(std::string(path), array, error))
      tracer->failed = true;
    std::string loc;
    raw_string_ostream os(loc);
    op->getLoc().print(os);
    tracer->listing += name + "\t" + os.str() + "\n";
  }
}
/// A result as float32: float results as they are, exact results (an
/// undequantized output, e.g. of --no-lower) as their storage integers.
std::vector<float> resultFloats(const golden::Tensor &t) {
  if (!t.floats.empty() || t.ints.empty())
    return t.floats;
  return std::vector<float>(t.ints.begin(), t.ints.end());
}

/// Splits a comma-separated list of paths.
SmallVector<std::string> splitList(StringRef list) {
  SmallVector<StringRef> parts;
  list.split(parts, ',', -1, /*KeepEmpty=*/false);
  return SmallVector<std::string>(parts.begin(), parts.end());
}

/// Models with several inputs or outputs: one execution, --input and
/// --output list one .npy per function argument / result (no batching).
int runOnce(mlir::ModuleOp module, mlir::func::FuncOp func) {
  SmallVector<std::string> inputs = splitList(inputPath),
                           outputs = splitList(outputPath);
  if (!idxImages.empty() || inputs.size() != func.getNumArguments() ||
      outputs.size() != func.getNumResults())
    return fail(formatv("{0}: the model has {1} inputs and {2} outputs; give "
                        "as many comma-separated files to --input and "
                        "--output",
                        modelPath, func.getNumArguments(),
                        func.getNumResults()));
  std::vector<golden::Tensor> args;
  std::string error;
  for (auto [path, type] : llvm::zip(inputs, func.getArgumentTypes())) {
    NpyArray array;
    if (!readNpy(path, array, error))
      return fail(error);
    auto tensorType = cast<mlir::RankedTensorType>(type);
    if (!isa<mlir::FloatType>(tensorType.getElementType()))
      return fail(modelPath + ": blend-run feeds float32 inputs only");
    if (ArrayRef<int64_t>(array.shape) != tensorType.getShape())
      return fail(path + ": shape does not match the model input");
    golden::Tensor t;
    t.shape = array.shape;
    t.elementType = tensorType.getElementType();
    t.floats = std::move(array.data);
    args.push_back(std::move(t));
  }
  mlir::FailureOr<std::unique_ptr<golden::Program>> program =
      golden::Program::prepare(module, reference
                                           ? golden::Program::Mode::Reference
                                           : golden::Program::Mode::Fast);
  if (failed(program))
    return 1;
  auto results = (*program)->run(args);
  if (failed(results))
    return 1;
  for (auto [path, result] : llvm::zip(outputs, *results)) {
    NpyArray array;
    array.shape = result.shape;
    array.data = resultFloats(result);
    std::string tmp = path + ".tmp";
    if (!writeNpyFloat32(tmp, array, error))
      return fail(error);
    if (std::error_code ec = sys::fs::rename(tmp, path))
      return fail(path + ": " + ec.message());
  }
  return 0;
}

/// The images to run: an .npy array, or (--idx-images) MNIST-style images
/// scaled to [0, 1] with their labels. False after printing the error.
bool loadInputs(NpyArray &input, std::vector<uint8_t> &labels) {
  std::string error;
  if (idxImages.empty()) {
    if (readNpy(inputPath, input, error) &&
        checkFinite(inputPath, input, error))
      return true;
    fail(error);
    return false;
  }
  IdxArray images, labelArray;
  if (!readIdx(idxImages, images, error) ||
      !readIdx(idxLabels, labelArray, error)) {
    fail(error);
    return false;
  }
  if (images.shape.size() != 3 || labelArray.shape.size() != 1 ||
      labelArray.shape[0] != images.shape[0]) {
    fail(idxImages + ": expected N x H x W images and N labels");
    return false;
  }
  int64_t count = images.shape[0];
  if (limit >= 0)
    count = std::min<int64_t>(count, limit);
  input.shape = {count, 1, images.shape[1], images.shape[2]};
  size_t pixels = size_t(count * images.shape[1] * images.shape[2]);
  input.data.resize(pixels);
  for (size_t i = 0; i < pixels; ++i)
    input.data[i] = float(images.data[i]) / 255.0f;
  labels.assign(labelArray.data.begin(), labelArray.data.begin() + count);
  return true;
}

/// How many images `input` holds for a model input of shape `want`: 1 for
/// exactly that shape, N for a batch Nx... of a batch-1 input, 0 (after
/// printing the error) otherwise.
int64_t imageCount(const NpyArray &input, ArrayRef<int64_t> want) {
  if (ArrayRef<int64_t>(input.shape) == want)
    return 1;
  if (want[0] == 1 && input.shape.size() == want.size() &&
      ArrayRef<int64_t>(input.shape).drop_front() == want.drop_front())
    return input.shape[0];
  std::string have, expect;
  for (int64_t d : input.shape)
    have += std::to_string(d) + "x";
  for (int64_t d : want)
    expect += std::to_string(d) + "x";
  have.pop_back(), expect.pop_back();
  fail(inputPath + ": shape " + have + " does not match the model input " +
       expect + " (or a batch Nx... of it)");
  return 0;
}

/// Runs `images` images of `input` through @main (`func`) on --threads
/// workers into `output` (its shape set); the trace, if requested, records
/// image 0. False after a diagnostic.
bool runImages(mlir::ModuleOp module, mlir::func::FuncOp func,
               const NpyArray &input, int64_t images, bool showProgress,
               Tracer &tracer, NpyArray &output) {
  auto inType = cast<mlir::RankedTensorType>(func.getArgumentTypes()[0]);
  auto outType = cast<mlir::RankedTensorType>(func.getResultTypes()[0]);
  ArrayRef<int64_t> want = inType.getShape();
  int64_t perImage = inType.getNumElements();
  int64_t perOutput = outType.getNumElements();
  output.shape.assign(outType.getShape().begin(), outType.getShape().end());
  if (images > 1)
    output.shape[0] = images * output.shape[0];
  output.data.resize(size_t(images * perOutput));

  // Images are independent: worker t runs images t, t + T, ... on one
  // prepared program (only read).
  mlir::FailureOr<std::unique_ptr<golden::Program>> program =
      golden::Program::prepare(module, reference
                                           ? golden::Program::Mode::Reference
                                           : golden::Program::Mode::Fast);
  if (failed(program))
    return false;
  std::atomic<bool> ok{true};
  std::atomic<int64_t> done{0};
  unsigned count = std::max(1u, std::min<unsigned>(threads, unsigned(images)));
  std::vector<golden::Program::WorkspacePtr> workspaces;
  for (unsigned t = 0; t < count; ++t) {
    workspaces.push_back((*program)->makeWorkspace());
    if (profile)
      golden::Program::enableProfile(*workspaces.back());
  }
  auto progressBar = [&](int64_t finished) {
    int64_t bars = finished * 50 / images;
    errs() << "\r[" << std::string(bars, '#') << std::string(50 - bars, ' ')
           << "] " << finished << "/" << images;
    errs().flush();
  };
  auto worker = [&](unsigned t, unsigned count) {
    golden::Program::Workspace *workspace = workspaces[t].get();
    for (int64_t n = t; n < images && ok; n += count) {
      golden::Tensor x;
      x.shape.assign(want.begin(), want.end());
      x.elementType = inType.getElementType();
      x.floats.assign(input.data.begin() + n * perImage,
                      input.data.begin() + (n + 1) * perImage);
      auto result = (n == 0 && !traceDir.empty())
                        ? (*program)->run({x}, *workspace, traceOp, &tracer)
                        : (*program)->run({x}, *workspace);
      if (failed(result)) {
        ok = false;
        return;
      }
      const std::vector<float> y = resultFloats((*result)[0]);
      std::copy(y.begin(), y.end(), output.data.begin() + n * perOutput);
      int64_t finished = ++done;
      if (showProgress && t == 0 &&
          (finished * 50 / images) != ((finished - 1) * 50 / images))
        progressBar(finished);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < count; ++t)
    pool.emplace_back(worker, t, count);
  worker(0, count);
  for (std::thread &th : pool)
    th.join();
  if (!ok)
    return false;
  if (showProgress)
    errs() << "\r[" << std::string(50, '#') << "] " << images << "/"
           << images << "\n";
  if (profile) {
    std::vector<const golden::Program::Workspace *> all;
    for (auto &w : workspaces)
      all.push_back(w.get());
    errs() << (*program)->profileReport(all);
  }
  return true;
}

/// Prints the top-1 accuracy of `output` (N rows of scores) on `labels`.
void printAccuracy(const NpyArray &output, const std::vector<uint8_t> &labels,
                   int64_t images) {
  int64_t classes = int64_t(output.data.size()) / images, correct = 0;
  for (int64_t n = 0; n < images; ++n) {
    const float *row = &output.data[n * classes];
    int64_t best = std::max_element(row, row + classes) - row;
    correct += best == int64_t(labels[n]);
  }
  outs() << formatv("accuracy: {0:F2}% ({1} images)\n",
                    100.0 * double(correct) / double(images), images);
}

/// Writes the trace index (--trace) and --output, the latter through a
/// temporary renamed into place, so a failure leaves no partial file.
int writeOutputs(const Tracer &tracer, const NpyArray &output) {
  if (!traceDir.empty()) {
    SmallString<256> index(traceDir.getValue());
    sys::path::append(index, "index.tsv");
    std::error_code ec;
    raw_fd_ostream os(index, ec);
    if (ec || tracer.failed)
      return fail(traceDir + ": cannot write the trace");
    os << tracer.listing;
  }
  std::string tmp = outputPath + ".tmp", error;
  if (!writeNpyFloat32(tmp, output, error))
    return fail(error);
  if (std::error_code ec = sys::fs::rename(tmp, outputPath))
    return fail(outputPath + ": " + ec.message());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "blend-run: execute a model with the bit-exact "
                              "golden executor\n");

  mlir::MLIRContext context;
  ToolDiagnosticHandler diagnostics(context, "blend-run");
  mlir::OwningOpRef<mlir::ModuleOp> module =
      loadModel(context, modelPath,
                noLower ? ModelStage::Imported : ModelStage::Integer,
                "blend-run", inputShapes, importFlags.options());
  if (!module)
    return 1;
  auto func = module->lookupSymbol<mlir::func::FuncOp>("main");
  if (!func)
    return fail(modelPath + ": no main function");
  if (func.getNumArguments() != 1 || func.getNumResults() != 1)
    return runOnce(*module, func);
  auto inType = cast<mlir::RankedTensorType>(func.getArgumentTypes()[0]);
  if (!isa<mlir::FloatType>(inType.getElementType()))
    return fail(modelPath + ": blend-run feeds float32 inputs only");

  bool classify = !idxImages.empty();
  if (classify == !inputPath.empty() || (classify && idxLabels.empty()) ||
      (!classify && outputPath.empty()))
    return fail("use either --input X.npy --output Y.npy, or --idx-images F "
                "--idx-labels F");
  NpyArray input;
  std::vector<uint8_t> labels;
  if (!loadInputs(input, labels))
    return 1;
  int64_t images = imageCount(input, inType.getShape());
  if (images == 0)
    return 1;

  Tracer tracer;
  if (!traceDir.empty()) {
    if (std::error_code ec = sys::fs::create_directories(traceDir))
      return fail(traceDir + ": " + ec.message());
    tracer.dir = traceDir;
  }
  bool showProgress = classify && images >= 200 &&
                      sys::Process::StandardErrIsDisplayed();
  NpyArray output;
  if (!runImages(*module, func, input, images, showProgress, tracer, output))
    return 1;
  if (classify) {
    printAccuracy(output, labels, images);
    if (outputPath.empty())
      return 0;
  }
  return writeOutputs(tracer, output);
}
