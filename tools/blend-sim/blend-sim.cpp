//===- blend-sim.cpp - simulate a generated accelerator -------------------===//
//
//   blend-sim ACCEL_DIR --input X.npy --output Y.npy [--stall-seed N]
//
// Builds the accelerator's Verilator model together with its host driver
// (ACCEL_DIR/tb/harness.cpp) once, caching the build in ACCEL_DIR/sim-build
// keyed by a hash of every RTL and harness source, then runs it: the driver
// loads schedule.bin, streams the images of X, writes Y (float32, the same
// writer as blend-run) and prints "cycles: N" per image.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>

using namespace llvm;

namespace {
cl::OptionCategory category("blend-sim options");
cl::opt<std::string> accelDir(cl::Positional, cl::desc("<accelerator dir>"),
                              cl::Required, cl::cat(category));
cl::opt<std::string> inputPath("input", cl::desc("Input images, .npy (NCHW)"),
                               cl::value_desc("X.npy"), cl::Required,
                               cl::cat(category));
cl::opt<std::string> outputPath("output", cl::desc("Outputs, .npy (float32)"),
                                cl::value_desc("Y.npy"), cl::Required,
                                cl::cat(category));
cl::opt<bool> layerCycles("layer-cycles",
                          cl::desc("Print the first image's cycles per layer "
                                   "step (network accelerators)"),
                          cl::cat(category));
cl::opt<std::string> tapsDir("taps",
                             cl::desc("Write the first image's per-layer "
                                      "tensors to DIR (network accelerators)"),
                             cl::value_desc("DIR"), cl::cat(category));
cl::opt<std::string> goldenTrace(
    "golden-trace",
    cl::desc("Compare the first image's per-layer tensors with a blend-run "
             "--trace DIR of the same input; name the first differing layer"),
    cl::value_desc("DIR"), cl::cat(category));
cl::opt<bool> netlist(
    "netlist",
    cl::desc("rtl/ holds a synthesized netlist: Verilator warnings (lint, "
             "style, UNOPTFLAT) do not stop the build"),
    cl::cat(category));
cl::opt<unsigned> stallSeed("stall-seed",
                            cl::desc("Randomly stall the AXI4-Stream "
                                     "handshakes (0: never)"),
                            cl::init(0), cl::cat(category));

int fail(const Twine &message) {
  WithColor::error(errs(), "blend-sim") << message << "\n";
  return 1;
}

/// Regular files under dir/sub with one of `extensions`, sorted.
std::vector<std::string> filesUnder(StringRef dir, StringRef sub,
                                    ArrayRef<StringRef> extensions) {
  SmallString<256> root(dir);
  sys::path::append(root, sub);
  std::vector<std::string> files;
  std::error_code ec;
  for (sys::fs::recursive_directory_iterator it(root, ec), end;
       it != end && !ec; it.increment(ec))
    if (llvm::is_contained(extensions, sys::path::extension(it->path())))
      files.push_back(it->path());
  llvm::sort(files);
  return files;
}

/// Writes `text` to `path` through a temporary and a rename.
bool writeAtomically(StringRef path, StringRef text) {
  std::string tmp = (path + ".tmp").str();
  {
    std::error_code ec;
    raw_fd_ostream os(tmp, ec);
    if (ec) {
      fail(tmp + ": " + ec.message());
      return false;
    }
    os << text;
  }
  if (std::error_code ec = sys::fs::rename(tmp, path)) {
    fail(path + ": " + ec.message());
    return false;
  }
  return true;
}

/// Adds the simulated cycles (the first image, from the driver's
/// "layer-cycles:" and "cycles:" lines) to dir/report.json — a
/// "simulated_cycles" per layer, "simulated_cycles_per_image" and
/// "simulated_load_cycles" — and a table of estimated against simulated
/// cycles to dir/report.md (replacing an earlier one).
bool recordSimulatedCycles(StringRef dir, StringRef log) {
  std::map<int64_t, int64_t> steps;
  int64_t load = -1, image = -1;
  SmallVector<StringRef> lines;
  log.split(lines, '\n');
  for (StringRef line : lines) {
    int64_t a = 0, b = 0;
    if (line.consume_front("layer-cycles: step ")) {
      auto [index, cycles] = line.split(' ');
      if (!index.getAsInteger(10, a) && !cycles.trim().getAsInteger(10, b))
        steps[a] = b;
    } else if (line.consume_front("layer-cycles: load ")) {
      if (!line.trim().getAsInteger(10, a))
        load = a;
    } else if (image < 0 && line.consume_front("cycles: ")) {
      if (!line.trim().getAsInteger(10, a))
        image = a;
    }
  }
  SmallString<256> jsonPath(dir), mdPath(dir);
  sys::path::append(jsonPath, "report.json");
  sys::path::append(mdPath, "report.md");
  auto text = MemoryBuffer::getFile(jsonPath);
  if (!text)
    return true; // an accelerator directory without a report: nothing to add
  Expected<json::Value> parsed = json::parse((*text)->getBuffer());
  json::Object *root = parsed ? parsed->getAsObject() : nullptr;
  json::Array *layers = root ? root->getArray("layers") : nullptr;
  if (!layers) {
    consumeError(parsed.takeError());
    fail(jsonPath + ": not a network report (no \"layers\" array)");
    return false;
  }
  std::string table;
  raw_string_ostream md(table);
  md << "## Simulated (blend-sim --layer-cycles, Verilator, first image)\n\n"
     << "| # | layer | estimated cycles | simulated cycles | difference |\n"
     << "| --- | --- | --- | --- | --- |\n";
  for (json::Value &entry : *layers) {
    json::Object *layer = entry.getAsObject();
    if (!layer)
      continue;
    std::optional<int64_t> index = layer->getInteger("index");
    std::optional<int64_t> estimate = layer->getInteger("estimated_cycles");
    if (!index || !steps.count(*index))
      continue;
    int64_t sim = steps[*index];
    (*layer)["simulated_cycles"] = sim;
    std::optional<StringRef> op = layer->getString("op");
    md << "| " << *index << " | " << (op ? *op : "") << " | "
       << estimate.value_or(0) << " | " << sim << " | ";
    if (estimate && sim)
      md << format("%+.2f %%", 100.0 * double(*estimate - sim) / double(sim));
    md << " |\n";
  }
  if (image >= 0)
    (*root)["simulated_cycles_per_image"] = image;
  if (load >= 0)
    (*root)["simulated_load_cycles"] = load;
  md << "\nLoad: " << load << " cycles; whole image: " << image
     << " cycles simulated";
  if (std::optional<int64_t> est = root->getInteger("estimated_cycles_per_image"))
    md << ", " << *est << " estimated";
  md << ".\n";

  std::string out;
  raw_string_ostream os(out);
  os << formatv("{0:2}", json::Value(std::move(*root))) << "\n";
  if (!writeAtomically(jsonPath, out))
    return false;
  if (auto mdText = MemoryBuffer::getFile(mdPath)) {
    StringRef body = (*mdText)->getBuffer();
    size_t at = body.find("\n## Simulated (blend-sim");
    std::string merged = (at == StringRef::npos ? body : body.substr(0, at + 1)).str();
    if (!StringRef(merged).ends_with("\n\n"))
      merged += "\n";
    merged += md.str();
    if (!writeAtomically(mdPath, merged))
      return false;
  }
  return true;
}
} // namespace

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "blend-sim: run a blendc accelerator in "
                              "Verilator\n");

  SmallString<256> dir(accelDir);
  if (std::error_code ec = sys::fs::make_absolute(dir))
    return fail(accelDir + ": " + ec.message());
  SmallString<256> schedulePath(dir), marker(dir);
  sys::path::append(schedulePath, "schedule.bin");
  sys::path::append(marker, ".blendc");
  if (!sys::fs::exists(schedulePath) || !sys::fs::exists(marker))
    return fail(accelDir + ": not an accelerator directory written by blendc "
                           "(no schedule.bin / .blendc)");

  std::vector<std::string> rtl = filesUnder(dir, "rtl", {".sv"});
  std::vector<std::string> cpp = filesUnder(dir, "tb", {".cpp"});
  std::vector<std::string> headers = filesUnder(dir, "tb", {".h"});
  if (rtl.empty() || cpp.empty())
    return fail(accelDir + ": rtl/ or tb/ is missing");

  // The cache key: every source's path and contents, and the tool version.
  SHA256 hash;
  for (const std::vector<std::string> *list : {&rtl, &cpp, &headers})
    for (const std::string &file : *list) {
      auto buffer = MemoryBuffer::getFile(file);
      if (!buffer)
        return fail(file + ": " + buffer.getError().message());
      hash.update(file);
      hash.update((*buffer)->getBuffer());
    }
  std::array<uint8_t, 32> digest = hash.final();
  std::string key = toHex(digest);

  // The core's top (older blendc versions also wrote blend_accel_top).
  SmallString<256> netTop(dir);
  sys::path::append(netTop, "rtl", "blend_net_top.sv");
  if (!sys::fs::exists(netTop))
    return fail(accelDir + ": no rtl/blend_net_top.sv (written by an older "
                           "blendc for its single-module core); run blendc "
                           "again");
  std::string topModule = "blend_net_top";

  SmallString<256> buildDir(dir), stampPath(dir), binary(dir);
  sys::path::append(buildDir, "sim-build");
  sys::path::append(stampPath, "sim-build", "stamp");
  sys::path::append(binary, "sim-build", "Vblend_sim");
  auto stamp = MemoryBuffer::getFile(stampPath);
  bool cached = stamp && (*stamp)->getBuffer().trim() == key &&
                sys::fs::can_execute(binary);
  if (!cached) {
    ErrorOr<std::string> verilator = sys::findProgramByName("verilator");
    if (!verilator)
      return fail("verilator is not on PATH (scripts/bootstrap.sh installs "
                  "it)");
    sys::fs::remove_directories(buildDir);
    if (std::error_code ec = sys::fs::create_directories(buildDir))
      return fail(buildDir + ": " + ec.message());
    SmallString<256> tbDir(dir), log(buildDir);
    sys::path::append(tbDir, "tb");
    sys::path::append(log, "build.log");
    // A netlist: -O0, Verilator 5.006's DFG and gate optimizers mis-simulate
    // yosys gate netlists (rtl_templates/README.md); its C++ (hundreds of
    // thousands of gates) is compiled unoptimized, which builds several
    // times faster and runs a few images fast enough.
    std::string level = netlist ? "-O0" : "-O2";
    std::vector<std::string> args = {
        *verilator, "--cc", "--exe", "--build", "-j", "2", level,
        "--top-module", topModule, "--Mdir", std::string(buildDir),
        "-o", "Vblend_sim", "-CFLAGS", "-std=c++17 -O2 -I" + std::string(tbDir),
        "-MAKEFLAGS", "OPT_FAST=" + level};
    if (netlist)
      args.insert(args.end(), {"-Wno-fatal", "-Wno-lint", "-Wno-style"});
    args.insert(args.end(), rtl.begin(), rtl.end());
    args.insert(args.end(), cpp.begin(), cpp.end());
    std::vector<StringRef> argv(args.begin(), args.end());
    outs() << "blend-sim: building the Verilator model (cached in "
           << buildDir << ")\n";
    outs().flush();
    std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log),
                                            StringRef(log)};
    std::string message;
    int rc = sys::ExecuteAndWait(*verilator, argv, std::nullopt, redirects, 0,
                                 0, &message);
    if (rc != 0) {
      auto text = MemoryBuffer::getFile(log);
      if (text) {
        StringRef all = (*text)->getBuffer();
        errs() << all.substr(all.size() > 4000 ? all.size() - 4000 : 0);
      }
      return fail("the Verilator build failed (log: " + log + ")");
    }
    std::error_code ec;
    raw_fd_ostream os(stampPath, ec);
    if (ec)
      return fail(stampPath + ": " + ec.message());
    os << key << "\n";
  }

  std::vector<std::string> runArgs = {std::string(binary),
                                      std::string(schedulePath), inputPath,
                                      outputPath};
  if (stallSeed != 0) {
    runArgs.push_back("--stall-seed");
    runArgs.push_back(std::to_string(stallSeed));
  }
  if (layerCycles)
    runArgs.push_back("--layer-cycles");
  if (!tapsDir.empty()) {
    if (std::error_code ec = sys::fs::create_directories(tapsDir))
      return fail(tapsDir + ": " + ec.message());
    runArgs.push_back("--taps");
    runArgs.push_back(tapsDir);
  }
  if (!goldenTrace.empty()) {
    runArgs.push_back("--golden-trace");
    runArgs.push_back(goldenTrace);
  }
  std::vector<StringRef> runArgv(runArgs.begin(), runArgs.end());
  std::string message;
  // With --layer-cycles the driver's output is kept to write the simulated
  // cycles into the accelerator's report.
  SmallString<256> runLog;
  std::optional<StringRef> runRedirects[3];
  if (layerCycles) {
    if (std::error_code ec =
            sys::fs::createTemporaryFile("blend-sim", "log", runLog))
      return fail("cannot create a temporary file: " + ec.message());
    runRedirects[1] = StringRef(runLog);
  }
  int rc = sys::ExecuteAndWait(binary, runArgv, std::nullopt,
                               layerCycles ? ArrayRef(runRedirects)
                                           : ArrayRef<std::optional<StringRef>>(),
                               0, 0, &message);
  if (layerCycles) {
    auto text = MemoryBuffer::getFile(runLog);
    sys::fs::remove(runLog);
    if (text) {
      outs() << (*text)->getBuffer();
      outs().flush();
      if (rc == 0 && !recordSimulatedCycles(dir, (*text)->getBuffer()))
        return 1;
    }
  }
  if (rc < 0)
    return fail("cannot run the simulator: " + message);
  return rc;
}
