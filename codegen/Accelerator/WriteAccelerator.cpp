//===- WriteAccelerator.cpp - the accelerator directory -------------------===//
//
// Assembles the accelerator directory from the emitters (schedule, Verilog
// top, report) and the embedded template and harness sources.
//
//===----------------------------------------------------------------------===//

#include "codegen/Accelerator/WriteAccelerator.h"

#include "codegen/Accelerator/EmbeddedFiles.h"
#include "codegen/ExportVerilog/ExportVerilog.h"
#include "codegen/Report/Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace blend;

namespace {
/// Name of the marker file that identifies a blendc output directory.
constexpr const char *kMarker = ".blendc";

llvm::Error pathError(const llvm::Twine &path, const llvm::Twine &what) {
  return llvm::make_error<llvm::StringError>((path + ": " + what).str(),
                                             llvm::inconvertibleErrorCode());
}

/// Writes `contents` to dir/relative, creating parent directories.
llvm::Error writeFile(llvm::StringRef dir, llvm::StringRef relative,
                      llvm::function_ref<void(llvm::raw_ostream &)> contents) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, relative);
  if (std::error_code ec =
          llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path)))
    return pathError(path, ec.message());
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return pathError(path, ec.message());
  contents(os);
  os.close();
  if (os.has_error())
    return pathError(path, "write failed");
  return llvm::Error::success();
}

/// Where an embedded file goes in the accelerator directory, or "" if it is
/// not part of one.
std::string destinationOf(llvm::StringRef path, bool network) {
  // Each core takes its own top-level templates and host driver.
  static const char *const moduleOnly[] = {"rtl_templates/blend_accel.sv",
                                           "rtl_templates/blend_postproc.sv",
                                           "runtime/sim/harness.cpp"};
  static const char *const networkOnly[] = {
      "rtl_templates/blend_net.sv", "rtl_templates/blend_netpost.sv",
      "rtl_templates/blend_ram_be.sv", "rtl_templates/blend_fold.sv",
      "runtime/sim/net_harness.cpp"};
  for (const char *only :
       network ? llvm::ArrayRef(moduleOnly) : llvm::ArrayRef(networkOnly))
    if (path == only)
      return "";
  if (path.starts_with("rtl_templates/") && !path.contains("/tb/"))
    return ("rtl/" + llvm::sys::path::filename(path)).str();
  if (path == "runtime/sim/harness.cpp" ||
      path == "runtime/sim/net_harness.cpp")
    return "tb/harness.cpp";
  if (path.starts_with("runtime/"))
    return ("tb/" + path).str();
  return "";
}

llvm::Error writeAll(const AcceleratorDesign &g, llvm::StringRef dir,
                     llvm::StringRef source, const TargetInfo &target) {
  bool network = g.network.has_value();
  for (unsigned i = 0; i < kNumEmbeddedFiles; ++i) {
    std::string dest = destinationOf(kEmbeddedFiles[i].path, network);
    if (dest.empty())
      continue;
    const char *text = kEmbeddedFiles[i].contents;
    if (llvm::Error e = writeFile(dir, dest, [&](llvm::raw_ostream &os) {
          os.write(text, std::strlen(text));
        }))
      return e;
  }
  llvm::StringRef topName = network ? "blend_net_top" : "blend_accel_top";
  if (llvm::Error e = writeFile(
          dir, ("rtl/" + topName + ".sv").str(), [&](llvm::raw_ostream &os) {
            if (network)
              printNetworkTop(g.network->hardware, source, os, target.lutXnor);
            else
              printAcceleratorTop(g.module->hardware, source, os,
                                  target.lutXnor);
          }))
    return e;
  std::vector<uint8_t> bytes =
      network ? schedule::encode(*g.network) : schedule::encode(*g.module);
  // The host driver decodes and validates schedule.bin before it runs
  // anything; a schedule it would refuse is the compiler's bug, caught here.
  if (network) {
    schedule::Network check;
    std::string why;
    if (!schedule::decode(bytes, check, why))
      return llvm::make_error<llvm::StringError>(
          "internal error: the generated network schedule is invalid (" +
              why + ")",
          llvm::inconvertibleErrorCode());
  }
  if (llvm::Error e =
          writeFile(dir, "schedule.bin", [&](llvm::raw_ostream &os) {
            os.write(reinterpret_cast<const char *>(bytes.data()),
                     bytes.size());
          }))
    return e;
  if (llvm::Error e = writeFile(dir, "report.json", [&](llvm::raw_ostream &os) {
        if (network)
          printReportJson(*g.network, source, target, os, g.notes);
        else
          printReportJson(*g.module, source, target, os);
      }))
    return e;
  if (llvm::Error e = writeFile(dir, "report.md", [&](llvm::raw_ostream &os) {
        if (network)
          printReportMarkdown(*g.network, source, target, os, g.notes);
        else
          printReportMarkdown(*g.module, source, target, os);
      }))
    return e;
  if (llvm::Error e = writeFile(dir, "README.md", [&](llvm::raw_ostream &os) {
        os << "# Accelerator generated by blendc\n\n"
           << "From `" << source << "`.\n\n"
           << "- `rtl/` — SystemVerilog; top module `" << topName << "`.\n"
           << "- `schedule.bin` — weights and constants, loaded through the "
              "cfg port by the host driver.\n"
           << "- `tb/` — the Verilator host driver (`harness.cpp`) and the "
              "runtime sources it uses.\n"
           << "- `report.json`, `report.md` — shape, parameters, estimates.\n\n"
           << "Simulate: `blend-sim . --input X.npy --output Y.npy`; compare "
              "with `blend-run MODEL --input X.npy --output Y.npy`.\n";
      }))
    return e;
  return writeFile(dir, kMarker, [&](llvm::raw_ostream &os) {
    os << "written by blendc from " << source << "\n";
  });
}
} // namespace

llvm::Error blend::writeAccelerator(const AcceleratorDesign &g,
                                    llvm::StringRef outDir,
                                    llvm::StringRef source,
                                    const TargetInfo &target) {
  bool exists = llvm::sys::fs::exists(outDir);
  if (exists) {
    llvm::SmallString<256> marker(outDir);
    llvm::sys::path::append(marker, kMarker);
    if (!llvm::sys::fs::is_directory(outDir) || !llvm::sys::fs::exists(marker))
      return pathError(outDir, "exists and was not written by blendc; "
                               "refusing to overwrite it");
  }
  llvm::SmallString<256> tmp(outDir);
  while (!tmp.empty() && llvm::sys::path::is_separator(tmp.back()))
    tmp.pop_back();
  tmp += ".blendc-tmp-" + std::to_string(llvm::sys::Process::getProcessId());
  llvm::sys::fs::remove_directories(tmp);
  if (llvm::Error e = writeAll(g, tmp, source, target)) {
    llvm::sys::fs::remove_directories(tmp);
    return e;
  }
  if (exists)
    if (std::error_code ec = llvm::sys::fs::remove_directories(outDir)) {
      llvm::sys::fs::remove_directories(tmp);
      return pathError(outDir, "cannot replace: " + ec.message());
    }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, outDir)) {
    llvm::sys::fs::remove_directories(tmp);
    return pathError(outDir, ec.message());
  }
  return llvm::Error::success();
}
