//===- WriteAccelerator.cpp - the accelerator directory -------------------===//
//
// Assembles the accelerator directory from the emitters (schedule, Verilog
// top, report) and the embedded template and harness sources.
//
//===----------------------------------------------------------------------===//

#include "codegen/Accelerator/WriteAccelerator.h"

#include "codegen/Accelerator/EmbeddedFiles.h"
#include "codegen/ExportSchedule/ExportNetwork.h"
#include "codegen/ExportSchedule/ExportSchedule.h"
#include "codegen/ExportVerilog/ExportVerilog.h"
#include "codegen/Report/Report.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <map>

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

/// The accelerator in one of its two forms.
struct Generated {
  std::optional<schedule::Schedule> module; ///< blend_accel
  std::optional<schedule::Network> network; ///< blend_net
  /// The importer's notes on how the model was read (blend.import_notes).
  std::vector<std::string> notes;
};

llvm::Error writeAll(const Generated &g, llvm::StringRef dir,
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

llvm::Error blend::writeAccelerator(ModuleOp module, llvm::StringRef outDir,
                                    llvm::StringRef source,
                                    const TargetInfo &target) {
  Generated g;
  if (auto notes = module->getAttrOfType<ArrayAttr>("blend.import_notes"))
    for (Attribute note : notes)
      g.notes.push_back(cast<StringAttr>(note).str());
  // A network datapath with whole tensors failed on block RAM alone (row
  // stripes, which store less, are tried then).
  bool memoryBound = false;
  if (isSingleModuleForm(module)) {
    FailureOr<schedule::Schedule> s = buildSchedule(module);
    if (succeeded(s))
      g.module = std::move(*s);
  } else {
    // Every datapath is estimated — Pe = the widest layer's output channels
    // or capped (output-channel tiles), each (Lanes, FixCh), folded (narrow
    // passes share their reduction among lane groups, which costs memory
    // copies) on both paths, on the skip path only or not, the descriptor
    // RAM in 8 banks or 1, pixel pairs or not (where the products fit 9
    // bits), and, when whole tensors do not fit the block RAM, row stripes —
    // and the one that fits the part with the fewest estimated cycles wins
    // (the cycle model is exact), fewer DSP48E2 on a tie. If none fits, the
    // refusal describes the narrowest.
    static const unsigned kPeCaps[] = {0, 128, 64, 32, 16};
    // Folds: both paths, the skip path only (the binary memory's lane-group
    // copies cost block RAM), or none.
    struct Width {
      unsigned lanes, fixedChannels, maxFold;
      bool foldMain;
    };
    static const Width kWidths[] = {
        {8, 4, 4, true}, {8, 4, 4, false}, {8, 4, 1, true},
        {4, 4, 4, true}, {4, 4, 4, false}, {4, 4, 1, true},
        {4, 2, 4, true}, {4, 2, 4, false}, {4, 2, 1, true},
        {2, 2, 4, true}, {2, 2, 4, false}, {2, 2, 1, true},
        {2, 1, 4, true}, {2, 1, 4, false}, {2, 1, 1, true},
        {1, 1, 4, true}, {1, 1, 4, false}, {1, 1, 1, true}};
    bool modelError = false;
    uint32_t widest = 0;
    std::optional<schedule::Network> best;
    // One formed network per FixCh: the datapaths differ after formation.
    std::map<unsigned, OwningOpRef<ModuleOp>> formed;
    auto build =
        [&](const NetworkOptions &options) -> FailureOr<schedule::Network> {
      auto it = formed.find(options.fixedChannels);
      if (it == formed.end()) {
        FailureOr<OwningOpRef<ModuleOp>> f =
            formNetwork(module, options.fixedChannels);
        if (failed(f))
          return failure();
        it = formed.emplace(options.fixedChannels, std::move(*f)).first;
      }
      return buildNetwork(*it->second, options);
    };
    uint64_t bestCycles = UINT64_MAX;
    uint32_t bestDsp = UINT32_MAX;
    // Estimates a built network's hardware variants: the descriptor RAM in
    // eight banks (6 fetch cycles per pass) or, when those banks' block RAM
    // does not fit, in one (42); pixel pairs where blend-pack-dsp chose them
    // or, when their second accumulators and banked memory do not fit, none.
    // Keeps the fastest that fits and, until one fits, the last tried (the
    // narrowest) for the refusal.
    auto consider = [&](const schedule::Network &net, bool striped) {
      for (auto [banks, pairs] :
           {std::pair{8u, true}, {1u, true}, {8u, false}, {1u, false}}) {
        if (!pairs && !net.hardware.pairs)
          continue; // the same as the pair variant
        schedule::Network candidate = net;
        candidate.hardware.descBanks = banks;
        if (!pairs) {
          candidate.hardware.pairs = 0;
          for (schedule::Pass &p : candidate.passes)
            p[schedule::PassField::SkipPair] = 0;
        }
        ResourceEstimate res = estimateResources(candidate, target.lutXnor);
        bool logicFits = res.dsp() <= target.dspAvailable() &&
                         res.lut <= target.lut && res.ff <= target.ff;
        bool fits = logicFits && res.bram36 <= target.bram36Available();
        if (!fits && logicFits)
          memoryBound = true;
        uint64_t cycles = estimateCycles(candidate);
        if (fits && (cycles < bestCycles ||
                     (cycles == bestCycles && res.dsp() < bestDsp))) {
          best = std::move(candidate);
          bestCycles = cycles;
          bestDsp = res.dsp();
        } else if (!best && !striped) {
          g.network = std::move(candidate); // the smallest tried, for the
                                            // refusal
        }
      }
    };
    // Row stripes: as --stripes says, or — when no datapath fits with the
    // whole tensors in memory — the fastest stripe count that fits.
    std::vector<unsigned> stripeCounts;
    if (target.stripes)
      stripeCounts = {target.stripes};
    else
      stripeCounts = {1};
    for (size_t sc = 0; sc < stripeCounts.size() && !modelError; ++sc) {
      unsigned stripes = stripeCounts[sc];
      bool autoStripes = !target.stripes && stripes > 1;
      // Kept halo rows (every row computed once, but every striped tensor
      // held between stripes) or computed again; unstriped, neither.
      std::vector<bool> halos;
      if (stripes <= 1)
        halos = {true};
      else if (target.keepRows)
        halos = {*target.keepRows};
      else
        halos = {true, false};
      for (size_t hc = 0; hc < halos.size() && !modelError; ++hc)
        for (unsigned cap : kPeCaps) {
          if (cap && widest && cap >= widest)
            continue; // the same hardware as without the cap
          for (const Width &width : kWidths) {
            NetworkOptions options{width.lanes,   width.fixedChannels, cap,
                                   width.maxFold, width.foldMain,      stripes,
                                   halos[hc]};
            FailureOr<schedule::Network> net = failure();
            if (cap || autoStripes) {
              // A capped Pe the model cannot use (a streamed output wider than
              // the cap) or a stripe count it cannot (more stripes than the
              // cut tensor has rows) is only skipped.
              ScopedDiagnosticHandler quiet(
                  module.getContext(), [](Diagnostic &) { return success(); });
              net = build(options);
              if (failed(net))
                break;
            } else {
              net = build(options);
              if (failed(net)) {
                modelError = true; // reported already (independent of widths)
                break;
              }
              widest = std::max(widest, net->hardware.pe);
            }
            consider(*net, autoStripes);
          }
          if (modelError)
            break;
        }
      // Nothing fits with whole tensors and only block RAM is short: try row
      // stripes, which store less.
      if (!best && !target.stripes && memoryBound && stripeCounts.size() == 1)
        stripeCounts.insert(stripeCounts.end(), {2, 4, 8, 16, 32});
    }
    if (best)
      g.network = std::move(best);
    if (modelError)
      g.network.reset();
  }
  // The mapping refusal was reported as a diagnostic at the op (one line);
  // the error carries no second message.
  if (!g.module && !g.network)
    return llvm::make_error<llvm::StringError>(
        "", std::make_error_code(std::errc::invalid_argument));
  auto refuse = [&](const llvm::Twine &why) {
    return llvm::make_error<llvm::StringError>((source + ": " + why).str(),
                                               llvm::inconvertibleErrorCode());
  };
  if (target.dspFamily != "DSP48E2")
    return refuse(target.part + " has " + target.dspFamily +
                  " blocks; this version generates DSP48E2 (UltraScale+) "
                  "RTL only");
  ResourceEstimate res = g.network
                             ? estimateResources(*g.network, target.lutXnor)
                             : estimateResources(*g.module, target.lutXnor);
  if (res.dsp() > target.dspAvailable() ||
      res.bram36 > target.bram36Available() || res.lut > target.lut ||
      res.ff > target.ff) {
    // For a network: which datapath these numbers describe (the narrowest
    // blendc tried).
    std::string which;
    if (g.network)
      which = llvm::formatv(" (the narrowest datapath tried: Pe {0}, {1} "
                            "post-processing lanes, {2} fixed-point channels "
                            "per beat)",
                            g.network->hardware.pe, g.network->hardware.lanes,
                            g.network->hardware.fixedChannels)
                  .str();
    if (g.network && g.network->hardware.stripes)
      which += llvm::formatv(", in {0} row stripes",
                             schedule::rowStripeCount(*g.network))
                   .str();
    else if (g.network && !target.stripes && memoryBound)
      which += "; in 2 to 32 row stripes it does not fit either";
    return refuse(llvm::formatv(
        "the design does not fit {0}: it needs {1} DSP48E2 (engines {2}, "
        "requant {3}, control {4}), {5} RAMB36, about {6} LUT and {7} FF{13}; "
        "available: {8} DSP48E2{9}, {10} RAMB36{14}, {11} LUT, {12} FF",
        target.part, res.dsp(), res.dspEngines, res.dspRequant, res.dspControl,
        res.bram36, res.lut, res.ff, target.dspAvailable(),
        target.dspBudget ? " (--dsp-budget)" : "", target.bram36Available(),
        target.lut, target.ff, which,
        target.bramBudget ? " (--bram-budget)" : ""));
  }

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
