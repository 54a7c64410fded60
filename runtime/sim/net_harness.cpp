//===- net_harness.cpp - host driver + Verilator testbench of blend_net ---===//
//
//   Vblend_sim schedule.bin X.npy Y.npy [--stall-seed N] [--layer-cycles]
//              [--taps DIR] [--golden-trace DIR]
//
// Plays the host of a whole-network accelerator (blend_net) against its
// Verilated RTL: loads schedule.bin through the cfg port, quantizes each image
// exactly as the golden executor does (blend::golden::quantize), streams it in
// one pixel per beat, collects the streamed output values (32 bits per beat),
// dequantizes them (blend::golden::dequantize) and writes Y.npy with the writer
// blend-run uses, so equal results give byte-identical files. Prints
// "cycles: N" per image (first input beat to last output beat).
//
// Co-simulation taps: every value every step produces appears on the tap port.
// --taps DIR writes image 0's per-step tensors (storage integers as float32,
// NCHW, the golden --trace format); --golden-trace DIR compares them with a
// `blend-run --trace DIR` of the same input and names the first layer that
// differs (exit status 1). --layer-cycles prints image 0's cycles per step.
// blendc copies this file into accel/tb/harness.cpp for network accelerators.
//
//===----------------------------------------------------------------------===//

#include "Vblend_net_top.h"
#include "verilated.h"

#include "runtime/NpyIO.h"
#include "runtime/ScheduleFormat.h"
#include "runtime/golden/Kernels.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

using namespace blend;
using schedule::StepField;

namespace {

[[noreturn]] void die(const std::string &message) {
  std::fprintf(stderr, "blend-sim: error: %s\n", message.c_str());
  std::exit(1);
}

/// Sets byte `index` of an input port of any Verilator width.
template <typename T> void setByte(T &port, unsigned index, uint8_t value) {
  if constexpr (std::is_integral_v<T>) {
    T mask = T(0xff) << (8 * index);
    port = T((port & ~mask) | (T(value) << (8 * index)));
  } else {
    uint32_t &word = port[index / 4];
    unsigned shift = (index % 4) * 8;
    word = (word & ~(0xffu << shift)) | (uint32_t(value) << shift);
  }
}

/// 32-bit word `index` of an output port of any Verilator width.
template <typename T> uint32_t word(const T &port, unsigned index) {
  if constexpr (std::is_integral_v<T>)
    return uint32_t(uint64_t(port) >> (32 * index));
  else
    return port[index];
}

std::string describe(const schedule::Step &p, size_t i) {
  return "layer step " + std::to_string(i) + " (" + p.op + " at " + p.location +
         ")";
}

/// One step's tap values of image 0, NCHW.
NpyArray tapTensor(const schedule::Step &p, const std::vector<int64_t> &values,
                   uint32_t rank) {
  int64_t o = p[StepField::O], oh = p[StepField::OH], ow = p[StepField::OW];
  NpyArray a;
  a.shape = rank == 2 ? std::vector<int64_t>{1, o}
                      : std::vector<int64_t>{1, o, oh, ow};
  a.data.assign(size_t(o * oh * ow), 0.0f);
  // Taps arrive in (row, column, channel) order; a pixel-major tensor (rank-3
  // [1, P, C] tokens) is traced in that order too.
  for (size_t k = 0; k < values.size() && k < a.data.size(); ++k) {
    int64_t c = int64_t(k) % o, pix = int64_t(k) / o;
    a.data[p.channelLast ? k : size_t(c * oh * ow + pix)] = float(values[k]);
  }
  return a;
}

/// One layer's output as the golden executor traces it: the steps first ..
/// last (its output-channel tiles, OutOffset > 0 after the first) merged into
/// one tensor, values in (pixel, channel) order.
struct LayerTaps {
  size_t first, last;
  schedule::Step header; ///< the first step, with O = all the layer's channels
  std::vector<int64_t> values;
  std::string incomplete; ///< a tile that produced too few values
};

std::vector<LayerTaps>
mergeTiles(const schedule::Network &net,
           const std::vector<std::vector<int64_t>> &taps) {
  std::vector<LayerTaps> layers;
  for (size_t i = 0; i < net.steps.size();) {
    if (net.steps[i][StepField::Load]) {
      ++i; // a load step (row stripes) produces no values
      continue;
    }
    size_t j = i + 1;
    while (j < net.steps.size() && net.steps[j][StepField::OutOffset] > 0)
      ++j;
    LayerTaps layer{i, j - 1, net.steps[i], {}, {}};
    int64_t channels = 0;
    for (size_t k = i; k < j; ++k)
      channels = std::max(channels, net.steps[k][StepField::OutOffset] +
                                        net.steps[k][StepField::O]);
    const schedule::Step &p = net.steps[i];
    int64_t pixels = p[StepField::OH] * p[StepField::OW];
    layer.header[StepField::O] = channels;
    layer.values.assign(size_t(pixels * channels), 0);
    for (size_t k = i; k < j; ++k) {
      int64_t o = net.steps[k][StepField::O];
      int64_t offset = net.steps[k][StepField::OutOffset];
      if (int64_t(taps[k].size()) != o * pixels && layer.incomplete.empty())
        layer.incomplete = "layer step " + std::to_string(k) + " produced " +
                           std::to_string(taps[k].size()) + " of " +
                           std::to_string(o * pixels) + " values";
      for (size_t v = 0; v < taps[k].size() && int64_t(v) < o * pixels; ++v)
        layer.values[size_t(int64_t(v) / o * channels + offset +
                            int64_t(v) % o)] = taps[k][v];
    }
    layers.push_back(std::move(layer));
    i = j;
  }
  return layers;
}

/// Compares image 0's taps with a golden trace; returns the first differing
/// step's report, or "" when every step matches.
std::string compareWithTrace(const schedule::Network &net,
                             const std::vector<std::vector<int64_t>> &taps,
                             const std::string &dir) {
  std::ifstream index(dir + "/index.tsv");
  if (!index)
    die(dir + "/index.tsv: cannot read (run blend-run --trace " + dir + ")");
  std::vector<std::pair<std::string, std::string>> entries; // file, location
  std::string line;
  while (std::getline(index, line)) {
    size_t tab = line.find('\t');
    if (tab != std::string::npos)
      entries.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  size_t from = 0;
  for (const LayerTaps &layer : mergeTiles(net, taps)) {
    const schedule::Step &p = layer.header;
    size_t i = layer.first;
    size_t found = entries.size();
    // The next entry of the op in trace order; a later row stripe of a layer
    // (row stripes run the first layers again) from the start.
    for (size_t step = 0; step < 2 && found == entries.size(); ++step)
      for (size_t k = step ? 0 : from; k < entries.size(); ++k) {
        const std::string &file = entries[k].first;
        std::string op = file.size() > 8 ? file.substr(4, file.size() - 8) : "";
        if (op == p.op && entries[k].second == p.location) {
          found = k;
          break;
        }
      }
    if (found == entries.size())
      die(describe(p, i) + ": not in the golden trace " + dir);
    from = found + 1;
    NpyArray golden;
    std::string error;
    if (!readNpy(dir + "/" + entries[found].first, golden, error))
      die(error);
    if (int64_t full = p[StepField::FullHeight];
        full && golden.shape.size() == 4 && golden.shape[2] == full) {
      // A row stripe: rows row_begin .. row_begin + oh - 1 of the layer.
      int64_t c = golden.shape[1], w = golden.shape[3];
      int64_t begin = p[StepField::RowBegin], rows = p[StepField::OH];
      NpyArray band;
      band.shape = {1, c, rows, w};
      for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t y = 0; y < rows; ++y)
          for (int64_t x = 0; x < w; ++x)
            band.data.push_back(
                golden.data[size_t((ch * full + begin + y) * w + x)]);
      golden = std::move(band);
    }
    NpyArray rtl = tapTensor(
        p, layer.values,
        layer.last + 1 == net.steps.size() ? net.hardware.outputRank : 4);
    if (!layer.incomplete.empty())
      return describe(p, i) + ": " + layer.incomplete;
    if (golden.data.size() != rtl.data.size())
      return describe(p, i) + ": golden tensor has " +
             std::to_string(golden.data.size()) + " values, RTL " +
             std::to_string(rtl.data.size());
    size_t differ = 0, first = 0;
    for (size_t k = 0; k < rtl.data.size(); ++k)
      if (rtl.data[k] != golden.data[k] && differ++ == 0)
        first = k;
    if (differ) {
      int64_t o = p[StepField::O], hw = p[StepField::OH] * p[StepField::OW];
      std::ostringstream os;
      int64_t channel =
          p.channelLast ? int64_t(first) % o : int64_t(first) / hw;
      int64_t pixel = p.channelLast ? int64_t(first) / o : int64_t(first) % hw;
      os << describe(p, i) << ": " << differ << " of " << rtl.data.size()
         << " values differ; first at channel " << channel << ", pixel "
         << pixel << " (of " << o << "x" << p[StepField::OH] << "x"
         << p[StepField::OW];
      if (p[StepField::FullHeight])
        os << ", rows " << p[StepField::RowBegin] << ".."
           << p[StepField::RowBegin] + p[StepField::OH] - 1 << " of "
           << p[StepField::FullHeight];
      os << "): rtl " << rtl.data[first] << ", golden " << golden.data[first];
      return os.str();
    }
  }
  return "";
}

/// The command line.
struct Options {
  std::string schedulePath, inputPath, outputPath;
  uint64_t stallSeed = 0;
  std::string tapsDir, traceDir;
  bool layerCycles = false;
};

Options parseOptions(int argc, char **argv) {
  Options options;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--stall-seed" && i + 1 < argc)
      options.stallSeed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--taps" && i + 1 < argc)
      options.tapsDir = argv[++i];
    else if (a == "--golden-trace" && i + 1 < argc)
      options.traceDir = argv[++i];
    else if (a == "--layer-cycles")
      options.layerCycles = true;
    else if (!a.empty() && a[0] != '+')
      args.push_back(a);
  }
  if (args.size() != 3)
    die("usage: Vblend_sim schedule.bin X.npy Y.npy [--stall-seed N] "
        "[--layer-cycles] [--taps DIR] [--golden-trace DIR]");
  options.schedulePath = args[0];
  options.inputPath = args[1];
  options.outputPath = args[2];
  return options;
}

/// schedule.bin, decoded and validated.
schedule::Network loadSchedule(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    die(path + ": cannot read");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  schedule::Network net;
  std::string error;
  if (!schedule::decode(bytes, net, error))
    die(path + ": " + error);
  return net;
}

/// The raw model inputs: the quantizer's N x C x H x W, or what the host's
/// pre-processing (the schedule's prologue) starts from.
struct Inputs {
  NpyArray x;
  std::vector<int64_t> rawShape;
  int64_t rawPerImage = 1;
};

Inputs loadInputs(const std::string &path, const schedule::Network &net) {
  const schedule::InputQuant &iq = net.input;
  Inputs in;
  std::string error;
  if (!readNpy(path, in.x, error) || !checkFinite(path, in.x, error))
    die(error);
  in.rawShape = net.prologue.empty()
                    ? std::vector<int64_t>{1, iq.c, iq.h, iq.w}
                    : net.prologueShape;
  for (size_t d = 1; d < in.rawShape.size(); ++d)
    in.rawPerImage *= in.rawShape[d];
  bool shapeOk = in.x.shape.size() == in.rawShape.size() && !in.x.shape.empty();
  for (size_t d = 1; shapeOk && d < in.rawShape.size(); ++d)
    shapeOk = in.x.shape[d] == in.rawShape[d];
  if (!shapeOk) {
    std::string dims;
    for (size_t d = 1; d < in.rawShape.size(); ++d)
      dims += " x " + std::to_string(in.rawShape[d]);
    die(path + ": expected N" + dims + " float inputs");
  }
  return in;
}

/// Image `n` after the host's pre-processing (float32, as the golden
/// executor runs it), quantized as the golden executor does.
std::vector<int8_t> hostQuantize(const schedule::Network &net,
                                 const Inputs &in, int64_t n,
                                 const std::string &schedulePath) {
  const schedule::InputQuant &iq = net.input;
  const int64_t perImage = int64_t(iq.c) * iq.h * iq.w;
  std::vector<float> image(in.x.data.begin() + n * in.rawPerImage,
                           in.x.data.begin() + (n + 1) * in.rawPerImage);
  std::vector<int64_t> shape = in.rawShape;
  std::string error;
  if (!schedule::applyHostSteps(net.prologue, image, shape, error))
    die(schedulePath + ": " + error);
  if (int64_t(image.size()) != perImage)
    die(schedulePath + ": the host prologue does not end at the input "
                       "quantizer's shape");
  const golden::StorageRange range{iq.qMin, iq.qMax};
  std::vector<int8_t> q(perImage);
  for (int64_t i = 0; i < perImage; ++i)
    q[i] = int8_t(
        golden::quantize(image[i], float(iq.scale), iq.zeroPoint, range));
  return q;
}

/// The Verilated core with its host: configuration through the cfg port,
/// images streamed in, outputs and (for image 0) taps and per-step cycles
/// collected.
class Simulation {
public:
  Simulation(const schedule::Network &net, uint64_t stallSeed)
      : taps(net.steps.size()), passCycles(net.steps.size(), 0),
        net(net), stallSeed(stallSeed), rng(stallSeed),
        tapGroups(net.steps.size(), 0) {
    const schedule::Step &last = net.steps.back();
    o = last[StepField::O];
    oh = last[StepField::OH];
    ow = last[StepField::OW];
    lanes = net.hardware.lanes;
    groups = (o + lanes - 1) / lanes;
    rows = schedule::inputRowOrder(net);
  }

  /// Reset, then schedule.bin through the cfg port.
  void configure() {
    top.rst_ni = 0;
    top.cfg_we_i = 0;
    top.s_axis_tvalid_i = 0;
    top.m_axis_tready_i = 0;
    for (int i = 0; i < 4; ++i)
      tick();
    top.rst_ni = 1;
    tick();
    std::vector<schedule::CfgWrite> writes = schedule::configWrites(net);
    for (const schedule::CfgWrite &w : writes) {
      top.cfg_we_i = 1;
      top.cfg_addr_i = w.address;
      top.cfg_wdata_i = w.data;
      tick();
    }
    top.cfg_we_i = 0;
    tick();
    std::printf("config: %zu writes, %zu steps\n", writes.size(),
                net.steps.size());
  }

  uint64_t outputsPerImage() const { return uint64_t(o * oh * ow); }

  /// Streams image `n` (quantized `q`) and writes its dequantized outputs
  /// from `out` on; returns its cycles.
  uint64_t runImage(int64_t n, const std::vector<int8_t> &q, float *out);

  void finish() { top.final(); }

  /// Image 0's values per step, as the tap port showed them.
  std::vector<std::vector<int64_t>> taps;
  /// Image 0's cycles per step, and its cycles outside steps (input load).
  std::vector<uint64_t> passCycles;
  uint64_t loadCycles = 0;

private:
  void tick() {
    top.clk_i = 0;
    top.eval();
    top.clk_i = 1;
    top.eval();
    ++cycles;
  }
  bool coin(unsigned oneIn) { return stallSeed != 0 && rng() % oneIn == 0; }
  void collectTap();
  void collectOutput(int64_t n, uint64_t received, float *out);

  const schedule::Network &net;
  uint64_t stallSeed;
  std::mt19937_64 rng;
  Vblend_net_top top;
  uint64_t cycles = 0;
  std::vector<uint64_t> tapGroups;
  int64_t o = 0, oh = 0, ow = 0, lanes = 1, groups = 1;
  /// The image rows in stream order (a striped core takes each stripe's
  /// band, overlapping rows again).
  std::vector<int64_t> rows;
};

void Simulation::collectTap() {
  if (!top.tap_valid_o || top.tap_step_o >= taps.size())
    return;
  size_t i = top.tap_step_o;
  int64_t passO = net.steps[i][StepField::O];
  if (net.steps[i][StepField::Transpose] || net.steps[i][StepField::Pool]) {
    // A transpose or pool step shows each output pixel as int8 values, 4
    // per lane (a pool of a binary tensor: its bits as 0/1).
    int64_t perBeat = 4 * lanes;
    int64_t g =
        int64_t(tapGroups[i]++ % uint64_t((passO + perBeat - 1) / perBeat));
    for (int64_t b = 0; b < perBeat && g * perBeat + b < passO; ++b) {
      taps[i].push_back(int64_t(
          int8_t(word(top.tap_data_o, unsigned(b / 4)) >> (8 * (b % 4)))));
    }
    return;
  }
  int64_t g = int64_t(tapGroups[i]++ % uint64_t((passO + lanes - 1) / lanes));
  for (int64_t l = 0; l < lanes && g * lanes + l < passO; ++l)
    taps[i].push_back(int64_t(int32_t(word(top.tap_data_o, unsigned(l)))));
}

void Simulation::collectOutput(int64_t n, uint64_t received, float *out) {
  int64_t g = int64_t(received % groups), pix = int64_t(received / groups);
  for (int64_t l = 0; l < lanes; ++l) {
    int32_t v = int32_t(word(top.m_axis_tdata_o, unsigned(l)));
    int64_t c = g * lanes + l;
    if (c >= o) {
      if (v != 0)
        die("a lane beyond the output channels is not zero");
      continue;
    }
    out[c * oh * ow + pix] =
        net.output.binary ? (v ? 1.0f : -1.0f)
                          : golden::dequantize(v, float(net.output.scale),
                                               net.output.zeroPoint);
  }
  bool isLast = received + 1 == uint64_t(groups * oh * ow);
  if (bool(top.m_axis_tlast_o) != isLast)
    die("tlast " + std::string(isLast ? "missing on" : "set before") +
        " the last output of image " + std::to_string(n));
}

uint64_t Simulation::runImage(int64_t n, const std::vector<int8_t> &q,
                              float *out) {
  const schedule::InputQuant &iq = net.input;
  const uint64_t beatsPerImage = uint64_t(groups * oh * ow);
  const uint64_t pixels = uint64_t(rows.size()) * iq.w;
  uint64_t sent = 0, received = 0;
  const uint64_t start = cycles;
  const uint64_t timeout = 200000000;
  while (received < beatsPerImage) {
    if (cycles - start > timeout)
      die("timeout: image " + std::to_string(n) + " produced " +
          std::to_string(received) + " of " +
          std::to_string(outputsPerImage()) + " outputs");
    bool offer = sent < pixels && !coin(4);
    top.s_axis_tvalid_i = offer;
    if (offer) {
      uint64_t y0 = uint64_t(rows[sent / iq.w]), x0 = sent % iq.w;
      for (uint32_t c = 0; c < net.hardware.maxChannels; ++c)
        setByte(top.s_axis_tdata_i, c,
                c < iq.c ? uint8_t(q[(c * iq.h + y0) * iq.w + x0]) : 0);
    }
    top.m_axis_tready_i = !coin(3);
    top.clk_i = 0;
    top.eval();
    bool inFire = top.s_axis_tvalid_i && top.s_axis_tready_o;
    bool outFire = top.m_axis_tvalid_o && top.m_axis_tready_i;
    if (n == 0) {
      if (top.run_o && top.tap_step_o < passCycles.size())
        ++passCycles[top.tap_step_o];
      else if (!top.run_o && sent > 0)
        ++loadCycles;
      collectTap();
    }
    if (outFire)
      collectOutput(n, received++, out);
    tick();
    if (inFire)
      ++sent;
  }
  return cycles - start;
}

/// The host's post-processing of each image's dequantized output.
void applyEpilogue(const schedule::Network &net, NpyArray &y,
                   uint64_t outputsPerImage, const std::string &schedulePath) {
  if (net.epilogue.empty())
    return;
  const int64_t images = y.shape[0];
  NpyArray post;
  std::string error;
  for (int64_t n = 0; n < images; ++n) {
    std::vector<float> image(y.data.begin() + n * outputsPerImage,
                             y.data.begin() + (n + 1) * outputsPerImage);
    std::vector<int64_t> shape = y.shape;
    shape[0] = 1;
    if (!schedule::applyHostSteps(net.epilogue, image, shape, error))
      die(schedulePath + ": " + error);
    if (n == 0) {
      post.shape = shape;
      post.shape[0] = images;
    }
    post.data.insert(post.data.end(), image.begin(), image.end());
  }
  y = std::move(post);
}

/// --taps DIR: one file per layer (its output-channel tiles merged), named
/// after its first step.
void writeTaps(const schedule::Network &net,
               const std::vector<std::vector<int64_t>> &taps,
               const std::string &dir) {
  std::string error;
  for (const LayerTaps &layer : mergeTiles(net, taps)) {
    char name[64];
    std::snprintf(name, sizeof(name), "/step%03zu.npy", layer.first);
    if (!writeNpyFloat32(dir + name,
                         tapTensor(layer.header, layer.values,
                                   layer.last + 1 == net.steps.size()
                                       ? net.hardware.outputRank
                                       : 4),
                         error))
      die(error);
  }
}

} // namespace

int main(int argc, char **argv) {
  Verilated::commandArgs(argc, argv);
  const Options options = parseOptions(argc, argv);
  const schedule::Network net = loadSchedule(options.schedulePath);
  const Inputs in = loadInputs(options.inputPath, net);
  const int64_t images = in.x.shape[0];

  Simulation sim(net, options.stallSeed);
  sim.configure();
  const schedule::Step &last = net.steps.back();
  const int64_t o = last[StepField::O], oh = last[StepField::OH],
                ow = last[StepField::OW];
  NpyArray y;
  y.shape = net.hardware.outputRank == 2
                ? std::vector<int64_t>{images, o}
                : std::vector<int64_t>{images, o, oh, ow};
  y.data.resize(size_t(images) * sim.outputsPerImage());
  for (int64_t n = 0; n < images; ++n) {
    std::vector<int8_t> q = hostQuantize(net, in, n, options.schedulePath);
    uint64_t cycles =
        sim.runImage(n, q, y.data.data() + n * sim.outputsPerImage());
    std::printf("cycles: %llu\n", static_cast<unsigned long long>(cycles));
  }
  sim.finish();
  applyEpilogue(net, y, sim.outputsPerImage(), options.schedulePath);

  if (options.layerCycles) {
    std::printf("layer-cycles: load %llu\n",
                static_cast<unsigned long long>(sim.loadCycles));
    for (size_t i = 0; i < net.steps.size(); ++i)
      std::printf("layer-cycles: step %zu %llu\n", i,
                  static_cast<unsigned long long>(sim.passCycles[i]));
  }
  if (!options.tapsDir.empty())
    writeTaps(net, sim.taps, options.tapsDir);
  if (!options.traceDir.empty()) {
    std::string first = compareWithTrace(net, sim.taps, options.traceDir);
    if (!first.empty()) {
      std::fprintf(stderr, "blend-sim: first differing layer: %s\n",
                   first.c_str());
      return 1;
    }
    std::printf("taps: all %zu layer steps match the golden trace\n",
                net.steps.size());
  }

  std::string tmp = options.outputPath + ".tmp";
  std::string error;
  if (!writeNpyFloat32(tmp, y, error))
    die(error);
  if (std::rename(tmp.c_str(), options.outputPath.c_str()) != 0)
    die(options.outputPath + ": cannot write");
  return 0;
}
