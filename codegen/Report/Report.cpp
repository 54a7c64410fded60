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

void blend::printReportJson(const Schedule &s, llvm::StringRef source,
                            llvm::raw_ostream &os) {
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
  llvm::json::Object root{
      {"source", source},
      {"schedule_version",
       std::to_string(kVersionMajor) + "." + std::to_string(kVersionMinor)},
      {"layers", llvm::json::Array{std::move(layer)}},
      {"hardware", std::move(hardware)},
      {"estimated_cycles_per_image", int64_t(estimateCycles(s))}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

void blend::printReportMarkdown(const Schedule &s, llvm::StringRef source,
                                llvm::raw_ostream &os) {
  const BlendModule &l = s.layer;
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
     << " DSP48E2 (post-processing multipliers come on top; counted by "
        "synthesis).\n\n"
     << "Run it: `blend-sim <this directory> --input X.npy --output Y.npy` "
        "prints the simulated cycles per image.\n";
}
