//===- harness.cpp - host driver + Verilator testbench of an accelerator --===//
//
//   Vblend_sim schedule.bin X.npy Y.npy [--stall-seed N]
//
// Plays the host of a blend accelerator against its Verilated RTL: loads
// schedule.bin through the cfg port, quantizes each input image exactly as the
// golden executor does (blend::golden::quantize), streams it in one pixel per
// beat, collects the output stream, dequantizes it (blend::golden::dequantize)
// and writes Y.npy with the same writer blend-run uses, so equal results give
// byte-identical files. Prints "cycles: N" per image (first input beat to last
// output beat). With --stall-seed, tvalid/tready are randomly deasserted to
// exercise every handshake. blendc copies this file into accel/tb/; blend-sim
// compiles it with the model.
//
//===----------------------------------------------------------------------===//

#include "Vblend_accel_top.h"
#include "verilated.h"

#include "runtime/NpyIO.h"
#include "runtime/ScheduleFormat.h"
#include "runtime/golden/Kernels.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

using namespace blend;

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

/// The simulated accelerator with a cycle counter.
struct Accelerator {
  Vblend_accel_top top;
  uint64_t cycles = 0;

  /// One clock cycle: evaluate the falling edge, then the rising edge.
  void tick() {
    top.clk_i = 0;
    top.eval();
    top.clk_i = 1;
    top.eval();
    ++cycles;
  }
};
} // namespace

int main(int argc, char **argv) {
  Verilated::commandArgs(argc, argv);
  std::vector<std::string> args;
  uint64_t stallSeed = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--stall-seed" && i + 1 < argc)
      stallSeed = std::strtoull(argv[++i], nullptr, 10);
    else if (!a.empty() && a[0] != '+')
      args.push_back(a);
  }
  if (args.size() != 3)
    die("usage: Vblend_sim schedule.bin X.npy Y.npy [--stall-seed N]");

  std::ifstream in(args[0], std::ios::binary);
  if (!in)
    die(args[0] + ": cannot read");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  schedule::Schedule s;
  std::string error;
  if (!schedule::decode(bytes, s, error))
    die(args[0] + ": " + error);
  const schedule::BlendModule &l = s.layer;

  NpyArray x;
  if (!readNpy(args[1], x, error))
    die(error);
  const int64_t perImage = int64_t(s.input.c) * s.input.h * s.input.w;
  bool singleImage = x.shape.size() == 4 && x.shape[0] == 1;
  if (x.shape.size() != 4 || x.shape[1] != s.input.c ||
      x.shape[2] != s.input.h || x.shape[3] != s.input.w)
    die(args[1] + ": expected N x " + std::to_string(s.input.c) + " x " +
        std::to_string(s.input.h) + " x " + std::to_string(s.input.w) +
        " float inputs");
  (void)singleImage;
  const int64_t images = x.shape[0];

  Accelerator acc;
  std::mt19937_64 rng(stallSeed);
  auto coin = [&](unsigned oneIn) {
    return stallSeed != 0 && rng() % oneIn == 0;
  };

  // Reset, then load the schedule through the cfg port.
  acc.top.rst_ni = 0;
  acc.top.cfg_we_i = 0;
  acc.top.s_axis_tvalid_i = 0;
  acc.top.m_axis_tready_i = 0;
  for (int i = 0; i < 4; ++i)
    acc.tick();
  acc.top.rst_ni = 1;
  acc.tick();
  std::vector<schedule::CfgWrite> writes = schedule::configWrites(s);
  for (const schedule::CfgWrite &w : writes) {
    acc.top.cfg_we_i = 1;
    acc.top.cfg_addr_i = w.address;
    acc.top.cfg_wdata_i = w.data;
    acc.tick();
  }
  acc.top.cfg_we_i = 0;
  acc.tick();
  std::printf("config: %zu writes\n", writes.size());

  const uint64_t outputsPerImage = uint64_t(l.o) * l.oh * l.ow;
  // Beats per output pixel: one per int8 value, or eight binary values each.
  const uint64_t beatsPerPixel = l.outputInt8 ? l.o : (l.o + 7) / 8;
  const uint64_t beatsPerImage = beatsPerPixel * l.oh * l.ow;
  NpyArray y;
  y.shape = {images, int64_t(l.o), int64_t(l.oh), int64_t(l.ow)};
  y.data.resize(size_t(images) * outputsPerImage);
  const float inScale = float(s.input.scale);
  const float outScale = float(s.output.scale);
  const golden::StorageRange inRange{s.input.qMin, s.input.qMax};

  for (int64_t n = 0; n < images; ++n) {
    // Quantize on the host, exactly as the golden executor.
    std::vector<int8_t> q(perImage);
    for (int64_t i = 0; i < perImage; ++i)
      q[i] = int8_t(golden::quantize(x.data[n * perImage + i], inScale,
                                     s.input.zeroPoint, inRange));
    const uint64_t pixels = uint64_t(l.h) * l.w;
    uint64_t sent = 0, received = 0;
    const uint64_t start = acc.cycles;
    const uint64_t timeout = 64 * (pixels + outputsPerImage * 64) + 100000;
    while (received < beatsPerImage) {
      if (acc.cycles - start > timeout)
        die("timeout: image " + std::to_string(n) + " produced " +
            std::to_string(received) + " of " +
            std::to_string(outputsPerImage) + " outputs");
      // Drive the input beat (one pixel, channel c in byte c) and the sink.
      bool offer = sent < pixels && !coin(4);
      acc.top.s_axis_tvalid_i = offer;
      if (offer) {
        uint64_t y0 = sent / l.w, x0 = sent % l.w;
        for (uint32_t c = 0; c < l.c; ++c)
          setByte(acc.top.s_axis_tdata_i, c,
                  uint8_t(q[(c * l.h + y0) * l.w + x0]));
      }
      acc.top.m_axis_tready_i = !coin(3);
      acc.top.clk_i = 0;
      acc.top.eval();
      bool inFire = acc.top.s_axis_tvalid_i && acc.top.s_axis_tready_o;
      bool outFire = acc.top.m_axis_tvalid_o && acc.top.m_axis_tready_i;
      if (outFire) {
        // Beats arrive in (row, column, channel) order; a binary beat packs
        // channels 8j..8j+7 (bit k = channel 8j + k).
        uint64_t beat = received % beatsPerPixel, pix = received / beatsPerPixel;
        uint64_t oy = pix / l.ow, ox = pix % l.ow;
        uint8_t d = acc.top.m_axis_tdata_o;
        auto store = [&](uint64_t o, float value) {
          y.data[n * outputsPerImage + (o * l.oh + oy) * l.ow + ox] = value;
        };
        if (l.outputInt8) {
          store(beat, golden::dequantize(int8_t(d), outScale, s.output.zeroPoint));
        } else {
          for (uint64_t k = 0; k < 8 && 8 * beat + k < l.o; ++k)
            store(8 * beat + k, ((d >> k) & 1) ? 1.0f : -1.0f);
          if (8 * beat + 8 > l.o && (d >> (l.o - 8 * beat)) != 0)
            die("unused bits of a partial binary beat are not zero");
        }
        bool last = received + 1 == beatsPerImage;
        if (bool(acc.top.m_axis_tlast_o) != last)
          die("tlast " + std::string(last ? "missing on" : "set before") +
              " the last output of image " + std::to_string(n));
        ++received;
      }
      acc.tick();
      if (inFire)
        ++sent;
    }
    std::printf("cycles: %llu\n",
                static_cast<unsigned long long>(acc.cycles - start));
  }
  acc.top.final();

  std::string tmp = args[2] + ".tmp";
  if (!writeNpyFloat32(tmp, y, error))
    die(error);
  if (std::rename(tmp.c_str(), args[2].c_str()) != 0)
    die(args[2] + ": cannot write");
  return 0;
}
