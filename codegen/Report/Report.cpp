//===- Report.cpp - the accelerator report --------------------------------===//
//
// The cycle model of blend_accel (docs/hardware.md): loading takes one beat
// per input pixel; post-processing starts once the first output pixel is
// computed (the slower engine: 9 taps × words beats, or C beats); from then
// on, per output pixel, the slowest of the binary controller, the fixed-point
// controller and the post-processing unit (O channels + 1 cycle to accept the
// next pixel) sets the rate; a fixed pipeline fill/drain is added. Checked
// against Verilator on every co-simulated model (test/python).
//
//===----------------------------------------------------------------------===//

#include "codegen/Report/Report.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

using namespace blend;
using namespace blend::schedule;

/// Fixed latency of one image: controller and buffer read stage, engine
/// pipeline (4), result handoff, post-processing stages (2), output register.
static constexpr uint64_t kPipelineCycles = 7;

uint64_t blend::estimateCycles(const Schedule &s) {
  const BlendModule &l = s.layer;
  uint64_t words = BlendModule::wordsFor(l.c);
  uint64_t firstPixel = std::max<uint64_t>(9 * words, l.c);
  uint64_t perPixel = std::max<uint64_t>({9 * words, l.c, uint64_t(l.o) + 1});
  return uint64_t(l.h) * l.w + firstPixel + uint64_t(l.oh) * l.ow * perPixel +
         kPipelineCycles;
}

uint32_t blend::engineDsps(const Hardware &hw) {
  return hw.pe + (hw.pe + 1) / 2;
}

/// DSP48E2 blocks for an a x b signed multiply (27 x 18 signed per block).
static uint32_t multiplierDsps(uint32_t a, uint32_t b) {
  return ((a + 24) / 26) * ((b + 15) / 17);
}

/// RAMB36 blocks for a depth x width memory: the cheapest of the RAMB36
/// aspect ratios 32K x 1 ... 512 x 72.
static uint32_t ramb36For(uint32_t depth, uint32_t width) {
  static const uint32_t kConfigs[][2] = {{32768, 1}, {16384, 2}, {8192, 4},
                                         {4096, 9},  {2048, 18}, {1024, 36},
                                         {512, 72}};
  uint32_t best = UINT32_MAX;
  for (const auto &config : kConfigs)
    best = std::min(best, ((depth + config[0] - 1) / config[0]) *
                              ((width + config[1] - 1) / config[1]));
  return best;
}

ResourceEstimate blend::estimateResources(const Schedule &s) {
  const Hardware &hw = s.hardware;
  ResourceEstimate r;
  r.dspEngines = engineDsps(hw);
  // blend_requant multiplies InWidth x 32 bits: main path, skip path, output.
  r.dspRequant = multiplierDsps(hw.accBinary, 32) +
                 multiplierDsps(hw.accFixed, 32) + multiplierDsps(32, 32);
  // blend_accel's address/size products: 7 of 16 x 16 bits, one 32 x 16.
  r.dspControl = 7 + multiplierDsps(32, 16);
  // Activation buffer (MaxPix x 8·MaxC bits) and binary buffer (MaxPix x
  // 48·words bits), each in the best RAMB36 aspect ratio. Memories of at most
  // 64 words synthesize to distributed RAM (LUTs), not block RAM.
  uint32_t words = (hw.maxChannels + 47) / 48;
  uint64_t bufferBits =
      uint64_t(hw.maxPixels) * (8 * hw.maxChannels + 48 * words);
  bool distributed = hw.maxPixels <= 64;
  r.bram36 = distributed ? 0
                         : ramb36For(hw.maxPixels, 8 * hw.maxChannels) +
                               ramb36For(hw.maxPixels, 48 * words);
  // Fabric logic grows with the engine width Pe (XNOR popcount trees, the
  // post-processing datapath, the per-channel constant registers), plus the
  // LUT RAM of distributed buffers. Coefficients are a least-squares fit to
  // yosys synth_xilinx of five generated accelerators (C = Pe = 7, 16, 32,
  // 50, 64; 5x5 to 32x32), which they reproduce within 1.3 %
  // (bench/synthesis_vs_estimate.py).
  double lutram = distributed ? double(bufferBits) / 64.0 : 0.0;
  r.lut = uint32_t(5069.0 + 236.4 * hw.pe + 3.03 * lutram + 0.5);
  r.ff = uint32_t(595.4 + 157.0 * hw.pe + 1.58 * lutram + 0.5);
  return r;
}

void blend::printReportJson(const Schedule &s, llvm::StringRef source,
                            const TargetInfo &target, llvm::raw_ostream &os) {
  const BlendModule &l = s.layer;
  uint64_t words = BlendModule::wordsFor(l.c);
  uint64_t binaryMacs = uint64_t(l.oh) * l.ow * l.o * l.c * 9;
  uint64_t fixedMacs = uint64_t(l.oh) * l.ow * l.o * l.c;
  llvm::json::Object layer{
      {"kind", "blend_module"}, {"c", l.c},       {"o", l.o},
      {"h", l.h},               {"w", l.w},       {"stride", l.stride},
      {"oh", l.oh},             {"ow", l.ow},
      {"output", l.outputInt8 ? "int8" : "binary"},
      {"binary_macs", int64_t(binaryMacs)},
      {"fixed_macs", int64_t(fixedMacs)}};
  llvm::json::Object hardware{
      {"max_channels", s.hardware.maxChannels},
      {"pe", s.hardware.pe},
      {"max_pixels", s.hardware.maxPixels},
      {"acc_binary_bits", s.hardware.accBinary},
      {"acc_fixed_bits", s.hardware.accFixed},
      {"binary_words_per_tap", int64_t(words)},
      {"engine_dsp48e2", engineDsps(s.hardware)},
      {"peak_binary_macs_per_cycle", int64_t(48) * s.hardware.pe},
      {"peak_fixed_macs_per_cycle", int64_t(s.hardware.pe)}};
  ResourceEstimate res = estimateResources(s);
  uint64_t cycles = estimateCycles(s);
  llvm::json::Object resources{
      {"dsp48", res.dsp()},          {"dsp48_engines", res.dspEngines},
      {"dsp48_requant", res.dspRequant}, {"dsp48_control", res.dspControl},
      {"bram36", res.bram36}, {"lut", res.lut}, {"ff", res.ff}};
  llvm::json::Object part{{"part", target.part},       {"board", target.board},
                          {"dsp_family", target.dspFamily},
                          {"dsp48", target.dsp},       {"bram36", target.bram36},
                          {"lut", target.lut},         {"ff", target.ff},
                          {"dsp48_budget", target.dspAvailable()}};
  llvm::json::Object root{
      {"source", source},
      {"target", std::move(part)},
      {"clock_mhz", target.clockMhz},
      {"resources_estimated", std::move(resources)},
      {"latency_us_per_image", double(cycles) / target.clockMhz},
      {"schedule_version",
       std::to_string(kVersionMajor) + "." + std::to_string(kVersionMinor)},
      {"layers", llvm::json::Array{std::move(layer)}},
      {"hardware", std::move(hardware)},
      {"estimated_cycles_per_image", int64_t(estimateCycles(s))}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

void blend::printReportMarkdown(const Schedule &s, llvm::StringRef source,
                                const TargetInfo &target,
                                llvm::raw_ostream &os) {
  const BlendModule &l = s.layer;
  ResourceEstimate res = estimateResources(s);
  os << "# blend accelerator report\n\n"
     << "Model: `" << source << "`\n\n"
     << "| layer | shape | output | estimated cycles / image |\n"
     << "| --- | --- | --- | --- |\n"
     << "| blend_module | " << l.c << "x" << l.h << "x" << l.w << " → " << l.o
     << "x" << l.oh << "x" << l.ow << ", stride " << l.stride << " | "
     << (l.outputInt8 ? "int8" : "binary") << " | " << estimateCycles(s)
     << " |\n\n"
     << "Hardware: MaxC " << s.hardware.maxChannels << ", Pe "
     << s.hardware.pe << ", MaxPix " << s.hardware.maxPixels
     << ", accumulators " << s.hardware.accBinary << "/"
     << s.hardware.accFixed << " bits; engines use "
     << engineDsps(s.hardware)
     << " DSP48E2.\n\n"
     << "Target " << target.part << " (" << target.board << ") at "
     << llvm::formatv("{0:F0}", target.clockMhz) << " MHz: " << estimateCycles(s) << " cycles = "
     << llvm::formatv("{0:F1}", double(estimateCycles(s)) / target.clockMhz)
     << " us per image.\n\n"
     << "| resource | estimated | part |\n| --- | --- | --- |\n"
     << "| DSP48E2 | " << res.dsp() << " (engines " << res.dspEngines
     << ", requant " << res.dspRequant << ", control " << res.dspControl
     << ") | " << target.dspAvailable()
     << (target.dspBudget ? " (--dsp-budget)" : "") << " |\n"
     << "| RAMB36 | " << res.bram36 << " | " << target.bram36 << " |\n"
     << "| LUT | " << res.lut << " | " << target.lut << " |\n"
     << "| FF | " << res.ff << " | " << target.ff << " |\n\n"
     << "Run it: `blend-sim <this directory> --input X.npy --output Y.npy` "
        "prints the simulated cycles per image.\n";
}
