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
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

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
                                   "pass (network accelerators)"),
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

  // The core: blend_net (whole networks) or blend_accel (one Blend module).
  SmallString<256> netTop(dir);
  sys::path::append(netTop, "rtl", "blend_net_top.sv");
  bool network = sys::fs::exists(netTop);
  std::string topModule = network ? "blend_net_top" : "blend_accel_top";
  if (!network && (layerCycles || !tapsDir.empty() || !goldenTrace.empty()))
    return fail("--layer-cycles, --taps and --golden-trace need a network "
                "accelerator (blend_net)");

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
    std::vector<std::string> args = {
        *verilator, "--cc", "--exe", "--build", "-j", "2", "-O2",
        "--top-module", topModule, "--Mdir", std::string(buildDir),
        "-o", "Vblend_sim", "-CFLAGS", "-std=c++17 -O2 -I" + std::string(tbDir),
        "-MAKEFLAGS", "OPT_FAST=-O2"};
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
  int rc = sys::ExecuteAndWait(binary, runArgv, std::nullopt, {}, 0, 0,
                               &message);
  if (rc < 0)
    return fail("cannot run the simulator: " + message);
  return rc;
}
