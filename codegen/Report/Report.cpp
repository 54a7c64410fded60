//===- Report.cpp - the accelerator report --------------------------------===//
//
// report.json and report.md from a schedule and the cost model
// (dialects/Blend/CostModel): per layer the estimated cycles and what bounds them,
// the resources against the part's budget, the clock and the latency.
//
//===----------------------------------------------------------------------===//

#include "codegen/Report/Report.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>

using namespace blend;
using namespace blend::schedule;

static llvm::json::Object partJson(const TargetInfo &target) {
  return llvm::json::Object{{"part", target.part},
                            {"board", target.board},
                            {"dsp_family", target.dspFamily},
                            {"dsp48", target.dsp},
                            {"bram36", target.bram36},
                            {"lut", target.lut},
                            {"ff", target.ff},
                            {"dsp48_budget", target.dspAvailable()},
                            {"bram36_budget", target.bram36Available()}};
}

static llvm::json::Object resourcesJson(const ResourceEstimate &res) {
  llvm::json::Object object{{"dsp48", res.dsp()},
                            {"dsp48_engines", res.dspEngines},
                            {"dsp48_requant", res.dspRequant},
                            {"dsp48_control", res.dspControl},
                            {"bram36", res.bram36},
                            {"lut", res.lut},
                            {"ff", res.ff}};
  if (!res.units.empty()) {
    llvm::json::Array units;
    for (const UnitResources &u : res.units)
      units.push_back(llvm::json::Object{{"unit", u.unit},
                                         {"dsp48", u.dsp},
                                         {"bram36", double(u.ramb18) / 2.0},
                                         {"lut", u.lut},
                                         {"ff", u.ff}});
    object["units"] = std::move(units);
  }
  return object;
}

//===----------------------------------------------------------------------===//
// Whole networks
//===----------------------------------------------------------------------===//
/// "binary 3x3 s1 16ch 28x28 + fixed 1x1 s1" style summary of a step.
static std::string passShape(const Step &p) {
  using F = StepField;
  std::string text;
  if (p[F::Load] == kLoadCopy)
    return llvm::formatv("keep rows {0}..{1} of {2} for the next stripe (move "
                         "{3} pixels up)",
                         p[F::RowBegin], p[F::RowBegin] + p[F::OH] - 1,
                         p[F::FullHeight], p[F::OH] * p[F::OW]);
  if (p[F::Load])
    return llvm::formatv("load image rows {0}..{1} of {2} ({3} pixels)",
                         p[F::RowBegin], p[F::RowBegin] + p[F::OH] - 1,
                         p[F::FullHeight], p[F::OH] * p[F::OW]);
  if (p[F::Pool])
    return llvm::formatv("max pool {0}x{1}/{2} {3}x{4}x{5} ({6})",
                         p[F::SkipKH], p[F::SkipKW], p[F::SkipStride],
                         p[F::SkipC], p[F::SkipH], p[F::SkipW],
                         p[F::Pool] == kPoolBinary ? "binary: OR"
                                                   : "int8 max");
  if (p[F::Transpose])
    return llvm::formatv("transpose {0} pixels x {1} ch → {1} pixels x {0} ch",
                         p[F::O], p[F::OW]);
  if (p[F::MainEnable])
    text += llvm::formatv("binary {0}x{0}/{1} {2}x{3}x{4}", p[F::MainK],
                          p[F::MainStride], p[F::MainC], p[F::MainH],
                          p[F::MainW]);
  if (p[F::SkipEnable]) {
    if (!text.empty())
      text += " + ";
    text += llvm::formatv("{0} {1}x{2}/{3} {4}x{5}x{6}",
                          p[F::SkipShared] ? "pool+fc" : "int8", p[F::SkipKH],
                          p[F::SkipKW], p[F::SkipStride], p[F::SkipC],
                          p[F::SkipH], p[F::SkipW]);
  }
  text += llvm::formatv(" → {0}x{1}x{2} {3}", p[F::O], p[F::OH], p[F::OW],
                        p[F::Stream]      ? "streamed"
                        : p[F::OutBinary] ? "binary"
                                          : "int8");
  if (p[F::OutOffset])
    text += llvm::formatv(" (channels {0}+)", p[F::OutOffset]);
  if (p[F::MainFold] > 1)
    text += llvm::formatv(" (binary folded x{0})", p[F::MainFold]);
  if (p[F::SkipFold] > 1) {
    std::string split;
    if (p[F::SkipRowSplit]) {
      int64_t beats = (p[F::SkipKW] + p[F::SkipFold] - 1) / p[F::SkipFold];
      split = beats == 1 ? ", a kernel row per beat"
                         : llvm::formatv(", a kernel row in {0} beats", beats)
                               .str();
    }
    text += llvm::formatv(" (skip folded x{0}{1})", p[F::SkipFold], split);
  }
  if (p[F::SkipPair])
    text += " (skip in pixel pairs, 4 products per DSP)";
  if (p[F::FullHeight])
    text += llvm::formatv(" (row stripe: rows {0}..{1} of {2})",
                          p[F::RowBegin], p[F::RowBegin] + p[F::OH] - 1,
                          p[F::FullHeight]);
  return text;
}

/// The host's steps as one line each (report.json "host" lists).
static llvm::json::Array hostStepsJson(const std::vector<HostStep> &steps) {
  llvm::json::Array out;
  for (const HostStep &step : steps)
    out.push_back(describeHostStep(step));
  return out;
}

void blend::printReportJson(const Network &net, llvm::StringRef source,
                            const TargetInfo &target, llvm::raw_ostream &os,
                            llvm::ArrayRef<std::string> notes) {
  const NetworkHardware &hw = net.hardware;
  llvm::json::Array layers;
  uint64_t binaryMacs = 0, fixedMacs = 0;
  for (size_t i = 0; i < net.steps.size(); ++i) {
    const Step &p = net.steps[i];
    StepCost cost = estimateStepCost(p, hw);
    binaryMacs += cost.binaryMacs;
    fixedMacs += cost.fixedMacs;
    llvm::json::Object fields;
    for (uint32_t f = 0; f < uint32_t(StepField::Count); ++f)
      fields[stepFieldName(StepField(f))] = p.fields[f];
    layers.push_back(llvm::json::Object{
        {"index", int64_t(i)},
        {"op", p.op},
        {"location", p.location},
        {"shape", passShape(p)},
        {"estimated_cycles", int64_t(cost.cycles)},
        {"bound_by", cost.bound},
        {"binary_macs", int64_t(cost.binaryMacs)},
        {"fixed_macs", int64_t(cost.fixedMacs)},
        {"binary_engine_utilization",
         cost.cycles ? double(cost.binaryMacs) /
                           (double(cost.cycles) * 48.0 * hw.pe)
                     : 0.0},
        {"descriptor", std::move(fields)}});
  }
  ResourceEstimate res = estimateResources(net, target.lutXnor());
  uint64_t cycles = estimateCycles(net);
  llvm::json::Object hardware{
      {"core", "blend_net"},
      {"max_channels", hw.maxChannels},
      {"byte_channels", hw.byteChannels},
      {"pe", hw.pe},
      {"post_lanes", hw.lanes},
      {"fixed_channels_per_beat", hw.fixedChannels},
      {"memory_pixels", hw.depth},
      {"binary_weight_words_per_lane", hw.binaryWeightDepth},
      {"fixed_weights_per_lane", hw.fixedWeightDepth},
      {"constant_entries", hw.constantDepth},
      {"steps", hw.maxSteps},
      {"acc_binary_bits", hw.accBinary},
      {"acc_fixed_bits", hw.accFixed},
      {"engine_dsp48e2", res.dspEngines},
      {"binary_impl", target.lutXnor() ? "lut" : "dsp"},
      {"peak_binary_macs_per_cycle", int64_t(48) * hw.pe},
      // Pixel pairs double the fixed engine's products per beat.
      {"peak_fixed_macs_per_cycle",
       int64_t(hw.pe) * hw.fixedChannels * (hw.pairs ? 2 : 1)},
      {"pixel_pairs", hw.pairs != 0},
      {"row_stripes", rowStripeCount(net)},
      {"descriptor_banks", hw.descBanks},
      {"transpose_pixels", hw.transposePixels},
      {"pool_channels", hw.poolChannels},
      {"output_channel_tiles", hw.tiled != 0},
      {"skip_fold_groups", hw.folds},
      {"skip_row_copies", hw.fixedCopies},
      {"binary_fold_groups", hw.mainFolds}};
  llvm::json::Object root{
      {"source", source},
      {"target", partJson(target)},
      {"clock_mhz", target.clockMhz},
      {"resources_estimated", resourcesJson(res)},
      {"latency_us_per_image", double(cycles) / target.clockMhz},
      {"schedule_version",
       std::to_string(kVersionMajor) + "." + std::to_string(kVersionMinor)},
      {"load_cycles", int64_t(estimateLoadCycles(net))},
      {"layers", std::move(layers)},
      {"binary_macs", int64_t(binaryMacs)},
      {"fixed_macs", int64_t(fixedMacs)},
      {"hardware", std::move(hardware)},
      {"estimated_cycles_per_image", int64_t(cycles)},
      {"host",
       llvm::json::Object{{"before_input_quantizer", hostStepsJson(net.prologue)},
                          {"after_output_dequantizer",
                           hostStepsJson(net.epilogue)}}},
      {"import_notes", llvm::json::Array(notes)}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

void blend::printReportMarkdown(const Network &net, llvm::StringRef source,
                                const TargetInfo &target, llvm::raw_ostream &os,
                                llvm::ArrayRef<std::string> notes) {
  const NetworkHardware &hw = net.hardware;
  ResourceEstimate res = estimateResources(net, target.lutXnor());
  uint64_t cycles = estimateCycles(net);
  os << "# blend accelerator report\n\n"
     << "Model: `" << source << "` — whole network on `blend_net`, "
     << net.steps.size() << " layer steps.\n\n"
     << "| # | layer (IR op, ONNX node) | shape | estimated cycles | bound by "
        "|\n| --- | --- | --- | --- | --- |\n"
     << "| – | load | " << net.input.c << "x" << net.input.h << "x"
     << net.input.w << " int8 | " << estimateLoadCycles(net) << " | "
     << (hw.stripes ? "in the load steps (row stripes)"
                    : "AXI stream (one pixel per beat)")
     << " |\n";
  for (size_t i = 0; i < net.steps.size(); ++i) {
    const Step &p = net.steps[i];
    StepCost cost = estimateStepCost(p, hw);
    os << "| " << i << " | " << p.op << " `" << p.location << "` | "
       << passShape(p) << " | " << cost.cycles << " | " << cost.bound
       << " |\n";
  }
  os << "\nTotal: " << cycles << " cycles per image = "
     << llvm::formatv("{0:F1}", double(cycles) / target.clockMhz) << " us at "
     << llvm::formatv("{0:F0}", target.clockMhz) << " MHz on " << target.part
     << " (" << target.board << ").\n\n"
     << "Hardware: MaxC " << hw.maxChannels << " (" << hw.byteChannels
     << " stored as bytes), Pe " << hw.pe
     << ", post-processing lanes " << hw.lanes << ", fixed-point channels "
        "per beat "
     << hw.fixedChannels << ", binary XNORs in "
     << (target.lutXnor() ? "LUTs" : "DSP48E2 logic mode")
     << ", activation memory " << hw.depth
     << " pixels, accumulators "
     << hw.accBinary << "/" << hw.accFixed << " bits"
     << (hw.transposePixels
             ? llvm::formatv(", a transposer for up to {0} pixels",
                             hw.transposePixels)
                   .str()
             : std::string())
     << (hw.tiled ? ", layers wider than Pe in output-channel tiles" : "")
     << (hw.folds > 1
             ? llvm::formatv(", skip paths folded over up to {0} lane groups",
                             hw.folds)
                   .str()
             : std::string())
     << (hw.mainFolds > 1 ? ", binary paths folded over 2 lane groups" : "")
     << (hw.pairs ? ", skip paths in pixel pairs where the products fit 9 "
                    "bits (two activation banks)"
                  : "")
     << (hw.stripes
             ? llvm::formatv(", the first layers in {0} row stripes (the "
                             "input streamed band by band)",
                             rowStripeCount(net))
                   .str()
             : std::string())
     << ".\n\n"
     << "| resource | estimated | part |\n| --- | --- | --- |\n"
     << "| DSP48E2 | " << res.dsp() << " (engines " << res.dspEngines
     << ", requant " << res.dspRequant << ", control " << res.dspControl
     << ") | " << target.dspAvailable()
     << (target.dspBudget ? " (--dsp-budget)" : "") << " |\n"
     << "| RAMB36 | " << res.bram36 << " | " << target.bram36Available()
     << (target.bramBudget ? " (--bram-budget)" : "") << " |\n"
     << "| LUT | " << res.lut << " | " << target.lut << " |\n"
     << "| FF | " << res.ff << " | " << target.ff << " |\n\n"
     << "Per unit (estimated). The control row also carries the whole-core "
        "calibration: the controllers' logic minus what flattening saves "
        "across the units measured alone, negative on the calibrated cores "
        "(docs/hardware.md, \"Resources\").\n\n"
     << "| unit | DSP48E2 | RAMB36 | LUT | FF |\n| --- | --- | --- | --- | --- "
        "|\n";
  for (const UnitResources &u : res.units)
    os << "| " << u.unit << " | " << u.dsp << " | "
       << llvm::formatv("{0:F1}", double(u.ramb18) / 2.0) << " | " << u.lut
       << " | " << u.ff << " |\n";
  if (!net.prologue.empty() || !net.epilogue.empty()) {
    os << "\n## What the host does\n\n"
       << "The model computes in float before its first quantizer or after "
          "its output dequantizer; the host does that part, in float32, in "
          "this order (schedule.bin records it; blend-sim applies it):\n\n";
    auto list = [&](const char *when, const std::vector<HostStep> &steps) {
      if (steps.empty())
        return;
      os << "- " << when << ":";
      for (size_t i = 0; i < steps.size(); ++i)
        os << (i ? ", " : " ") << "`" << describeHostStep(steps[i]) << "`";
      os << "\n";
    };
    list("to each raw input, before quantizing it", net.prologue);
    list("to each dequantized output", net.epilogue);
  }
  if (!notes.empty()) {
    os << "\n## How the model was read\n\n";
    for (const std::string &note : notes)
      os << "- " << note << "\n";
  }
  os << "\nRun it: `blend-sim <this directory> --input X.npy --output Y.npy "
        "--layer-cycles` prints the simulated cycles per image and per "
        "layer.\n";
}
