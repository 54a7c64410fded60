// blend_netpost_tb.cpp — blend_netpost against the golden kernels, with random stalls.
//
// A Verilator C++ testbench (Pe = 8, Lanes = 2, AccB = 12, AccF = 24, MaxC = 16, Tiled = 1).
// Per step it loads random per-channel constants for entries cbase .. cbase + O - 1 through the
// cfg port (entry * 16 + field), then offers random accumulator vectors on the enabled paths,
// each side at random times (the unit must join them; a disabled path is neither waited for
// nor added), while out_ready is randomly low. The reference is blend::golden::requantize:
//   p = requant(acc; mult, shift, bias) on the join grid for each enabled path, sum = p_main +
//   p_skip, out = requant(sum; out mult, shift, bias) + zp clamped, binary = sum >= 0;
// streamed steps must produce Lanes 32-bit values per beat (0/1 for binary outputs, lanes
// beyond O zero) with out_last on the last beat; memory steps one write per pixel at dst + n
// with the int8 bytes (or out's low byte) of channels < O and the bits (binary, or out >= zp),
// zero beyond O, and — a tile at offset_i — the words shifted and the byte enables covering
// exactly its channels. Every committed group appears on the tap port; done_o once, at the
// end. Five steps: binary to memory (half-even skip path), int8 streamed (half-even main
// path), main path only (half-even output), skip path only, a tile. Exits non-zero on the
// first mismatch.
#include "Vblend_netpost.h"
#include "verilated.h"

#include "runtime/golden/Kernels.h"

#include <cstdint>
#include <cstdio>
#include <random>
#include <type_traits>
#include <vector>

namespace {
constexpr int kPe = 8, kLanes = 2, kAccB = 12, kAccF = 24, kMaxC = 16, kPixels = 120;

template <typename T> void setBits(T &port, int lsb, int width, uint64_t value) {
  for (int i = 0; i < width; ++i) {
    int bit = lsb + i;
    uint64_t b = (value >> i) & 1;
    if constexpr (std::is_integral_v<T>) {
      port = T((port & ~(T(1) << bit)) | (T(b) << bit));
    } else {
      port[bit / 32] = (port[bit / 32] & ~(1u << (bit % 32))) | (uint32_t(b) << (bit % 32));
    }
  }
}

template <typename T> uint64_t getBits(const T &port, int lsb, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) {
    int bit = lsb + i;
    uint64_t b;
    if constexpr (std::is_integral_v<T>)
      b = (uint64_t(port) >> bit) & 1;
    else
      b = (port[bit / 32] >> (bit % 32)) & 1;
    v |= b << i;
  }
  return v;
}

int64_t randomSigned(std::mt19937_64 &rng, int width) {
  return int64_t(rng() % (uint64_t(1) << width)) - (int64_t(1) << (width - 1));
}

struct Step {
  const char *name;
  bool mainEn, skipEn, binary, stream;
  int channels, cbase, rounding, offset;
};

struct Constants {
  int64_t mm, ms, mb, sm, ss, sb, om, os, ob;
};

using blend::golden::Rounding;

/// One step through the unit: its constants loaded, its stimulus and the
/// expected results computed with the golden kernels, then run under random
/// stalls with every output checked.
class PassRun {
public:
  PassRun(Vblend_netpost &dut, std::mt19937_64 &rng, const Step &step)
      : dut(dut), rng(rng), step(step), o(step.channels),
        groups((o + kLanes - 1) / kLanes) {}

  /// Runs the step; false after printing the first mismatch. `values`
  /// counts the checked output values.
  bool run(long &values);

private:
  static constexpr int64_t kJoinMin = -(1 << 19), kJoinMax = (1 << 19) - 1;
  static constexpr int kDst = 5;

  void tick() {
    dut.clk_i = 0;
    dut.eval();
    dut.clk_i = 1;
    dut.eval();
  }
  Rounding rule(int bit) const {
    return (step.rounding >> bit) & 1 ? Rounding::HalfEven : Rounding::HalfUp;
  }
  void loadConstants();
  void configure();
  void computeExpected();
  void drive();
  bool checkBeat();
  bool checkWrite();
  bool fail(const char *what, long index) {
    std::printf("FAIL: %s: %s (%ld)\n", step.name, what, index);
    return false;
  }

  Vblend_netpost &dut;
  std::mt19937_64 &rng;
  const Step &step;
  const int o, groups;
  int64_t zp = 0, outMin = 0, outMax = 0;
  std::vector<Constants> k;
  // out: the streamed value (0/1 for binary outputs); bytes / bits: the
  // memory's view (the output requant's low byte; the binary output, or
  // out >= zp).
  std::vector<std::vector<int64_t>> mainAcc, skipAcc, out, bytes;
  std::vector<std::vector<int>> bits;
  size_t mainNext = 0, skipNext = 0;
  long gotBeats = 0, gotWrites = 0, taps = 0, dones = 0;
};

void PassRun::loadConstants() {
  k.resize(size_t(o));
  for (int c = 0; c < o; ++c) {
    Constants &q = k[c];
    // Even channels: small multipliers and shifts (frequent ties, the
    // rounding rules differ); odd channels: wide ones (products far beyond
    // the join grid: clamping).
    if (c % 2 == 0)
      q = {randomSigned(rng, 6), int64_t(1 + rng() % 3), randomSigned(rng, 8),
           randomSigned(rng, 6), int64_t(1 + rng() % 3), randomSigned(rng, 8),
           randomSigned(rng, 6), int64_t(1 + rng() % 3), randomSigned(rng, 8)};
    else
      q = {randomSigned(rng, 18), int64_t(rng() % 12), randomSigned(rng, 30),
           randomSigned(rng, 18), int64_t(10 + rng() % 12), randomSigned(rng, 30),
           randomSigned(rng, 18), int64_t(12 + rng() % 8), randomSigned(rng, 20)};
    if (step.binary) // a binarized layer: the output requant is the identity
      q.om = 1, q.os = 0, q.ob = 0;
    const int64_t fields[9] = {q.mm, q.ms, q.mb, q.sm, q.ss, q.sb, q.om, q.os, q.ob};
    for (int f = 0; f < 9; ++f) {
      dut.cfg_we_i = 1;
      dut.cfg_addr_i = uint32_t((step.cbase + c) * 16 + f);
      dut.cfg_wdata_i = uint64_t(fields[f]);
      tick();
    }
  }
  dut.cfg_we_i = 0;
}

void PassRun::configure() {
  zp = step.binary ? 0 : 3;
  outMin = step.binary ? INT32_MIN : -128;
  outMax = step.binary ? INT32_MAX : 127;
  dut.main_en_i = step.mainEn;
  dut.skip_en_i = step.skipEn;
  dut.out_binary_i = step.binary;
  dut.stream_i = step.stream;
  dut.channels_i = uint16_t(o);
  dut.pixels_i = kPixels;
  dut.cbase_i = uint32_t(step.cbase);
  dut.rounding_i = uint8_t(step.rounding);
  dut.join_min_i = uint32_t(kJoinMin);
  dut.join_max_i = uint32_t(kJoinMax);
  dut.out_zp_i = uint32_t(zp);
  dut.out_min_i = uint32_t(outMin);
  dut.out_max_i = uint32_t(outMax);
  dut.dst_i = uint8_t(kDst);
  dut.offset_i = uint16_t(step.offset);
}

void PassRun::computeExpected() {
  mainAcc.assign(kPixels, {}), skipAcc.assign(kPixels, {});
  out.assign(kPixels, {}), bytes.assign(kPixels, {}), bits.assign(kPixels, {});
  for (int p = 0; p < kPixels; ++p)
    for (int c = 0; c < o; ++c) {
      // Accumulators of every magnitude up to their width.
      int64_t a = randomSigned(rng, 1 + int(rng() % kAccB));
      int64_t b = randomSigned(rng, 1 + int(rng() % kAccF));
      mainAcc[p].push_back(a), skipAcc[p].push_back(b);
      const Constants &q = k[c];
      int64_t pm = step.mainEn ? blend::golden::requantize(a, q.mm, q.ms, q.mb, rule(0), 0,
                                                           {kJoinMin, kJoinMax})
                               : 0;
      int64_t ps = step.skipEn ? blend::golden::requantize(b, q.sm, q.ss, q.sb, rule(1), 0,
                                                           {kJoinMin, kJoinMax})
                               : 0;
      int64_t sum = pm + ps;
      int64_t v = blend::golden::requantize(sum, q.om, q.os, q.ob, rule(2), zp,
                                            {outMin, outMax});
      out[p].push_back(step.binary ? int64_t(sum >= 0) : v);
      bytes[p].push_back(v);
      bits[p].push_back(step.binary ? sum >= 0 : v >= zp);
    }
}

void PassRun::drive() {
  dut.main_valid_i = step.mainEn && mainNext < size_t(kPixels) && rng() % 3 != 0;
  dut.skip_valid_i = step.skipEn && skipNext < size_t(kPixels) && rng() % 3 != 0;
  for (int c = 0; c < kPe; ++c) {
    setBits(dut.main_acc_i, c * kAccB, kAccB,
            c < o && mainNext < size_t(kPixels) ? uint64_t(mainAcc[mainNext][c]) : rng());
    setBits(dut.skip_acc_i, c * kAccF, kAccF,
            c < o && skipNext < size_t(kPixels) ? uint64_t(skipAcc[skipNext][c]) : rng());
  }
  dut.out_ready_i = rng() % 4 != 0;
}

bool PassRun::checkBeat() {
  const long beats = long(kPixels) * groups;
  long p = gotBeats / groups, g = gotBeats % groups;
  for (int l = 0; l < kLanes; ++l) {
    int c = int(g) * kLanes + l;
    uint32_t want = c < o ? uint32_t(out[p][c]) : 0;
    uint32_t got = uint32_t(getBits(dut.out_data_o, l * 32, 32));
    if (got != want) {
      std::printf("FAIL: %s: pixel %ld channel %d: got %d, expected %d\n", step.name, p, c,
                  int32_t(got), int32_t(want));
      return false;
    }
  }
  bool last = gotBeats + 1 == beats;
  if (bool(dut.out_last_o) != last || bool(dut.done_o) != last)
    return fail("out_last / done on the wrong beat", gotBeats);
  ++gotBeats;
  return true;
}

bool PassRun::checkWrite() {
  long p = gotWrites;
  if (int(dut.mem_waddr_o) != (kDst + p) % 64)
    return fail("a pixel written at the wrong address", p);
  for (int c = 0; c < kMaxC; ++c) {
    int tc = c - step.offset; // the tile's channel
    bool in = tc >= 0 && tc < o;
    uint64_t wantByte = in ? uint64_t(bytes[p][tc]) & 0xff : 0;
    uint64_t wantBit = in ? uint64_t(bits[p][tc]) : 0;
    if (getBits(dut.act_wdata_o, c * 8, 8) != wantByte ||
        getBits(dut.bin_wdata_o, c, 1) != wantBit || getBits(dut.act_be_o, c, 1) != uint64_t(in)) {
      std::printf("FAIL: %s: pixel %ld channel %d: byte %02llx bit %llu be %llu, expected "
                  "%02llx %llu %d\n",
                  step.name, p, c, (unsigned long long)getBits(dut.act_wdata_o, c * 8, 8),
                  (unsigned long long)getBits(dut.bin_wdata_o, c, 1),
                  (unsigned long long)getBits(dut.act_be_o, c, 1), (unsigned long long)wantByte,
                  (unsigned long long)wantBit, int(in));
      return false;
    }
  }
  for (int b = 0; b < 6; ++b) {
    bool in = b * 8 >= step.offset && b * 8 < step.offset + o;
    if (getBits(dut.bin_be_o, b, 1) != uint64_t(in))
      return fail("a binary byte enable is wrong", b);
  }
  if (bool(dut.done_o) != (p + 1 == kPixels))
    return fail("done on the wrong write", p);
  ++gotWrites;
  return true;
}

bool PassRun::run(long &values) {
  loadConstants();
  configure();
  computeExpected();
  const long beats = long(kPixels) * groups;
  dut.start_i = 1;
  tick();
  dut.start_i = 0;
  for (long cycle = 0; (step.stream ? gotBeats : gotWrites * groups) < beats || dones == 0;
       ++cycle) {
    if (cycle > 200000)
      return fail("timeout", cycle);
    drive();
    dut.clk_i = 0;
    dut.eval();
    bool mainFire = dut.main_valid_i && dut.main_ready_o;
    bool skipFire = dut.skip_valid_i && dut.skip_ready_o;
    if (step.mainEn && step.skipEn && mainFire != skipFire)
      return fail("the join accepted one side without the other", cycle);
    taps += dut.tap_valid_o;
    dones += dut.done_o;
    if (step.stream && dut.mem_we_o)
      return fail("a streamed step wrote the memory", cycle);
    if (dut.out_valid_o && dut.out_ready_i) {
      if (!checkBeat())
        return false;
      values += kLanes;
    }
    if (dut.mem_we_o) {
      if (!checkWrite())
        return false;
      values += o;
    }
    tick();
    if (mainFire || (!step.mainEn && skipFire))
      ++mainNext;
    if (skipFire || (!step.skipEn && mainFire))
      ++skipNext;
  }
  if (dones != 1 || taps != beats)
    return fail("done not once, or taps not one per group", taps);
  for (int i = 0; i < 8; ++i) // drain
    tick();
  return true;
}
} // namespace

int main(int argc, char **argv) {
  Verilated::commandArgs(argc, argv);
  std::mt19937_64 rng(2026);
  const Step steps[] = {
      {"binary to memory, half-even skip path", true, true, true, false, 8, 0, 2, 0},
      {"int8 streamed, half-even main path", true, true, false, true, 5, 2, 1, 0},
      {"main path only, half-even output", true, false, false, false, 7, 4, 4, 0},
      {"skip path only, half-even paths", false, true, false, true, 3, 6, 3, 0},
      {"a tile at channel 8", true, true, false, false, 8, 8, 0, 8},
  };
  Vblend_netpost dut;
  dut.rst_ni = 0;
  for (int i = 0; i < 2; ++i) {
    dut.clk_i = 0;
    dut.eval();
    dut.clk_i = 1;
    dut.eval();
  }
  dut.rst_ni = 1;
  long values = 0;
  for (const Step &step : steps) {
    PassRun run(dut, rng, step);
    if (!run.run(values))
      return 1;
  }
  std::printf("PASS: blend_netpost, 5 steps, %ld values bit-exact (join, binarize, int8, "
              "streamed and written, tiles)\n",
              values);
  return 0;
}
