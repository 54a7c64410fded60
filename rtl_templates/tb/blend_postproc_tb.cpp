// blend_postproc_tb.cpp — blend_postproc against the golden kernels, with random stalls.
//
// A Verilator C++ testbench (Pe = 5, AccB = 12, AccF = 24). For int8 and binary output modes it
// loads random per-channel constants through the cfg port, then feeds random accumulator
// vectors on the main and skip inputs, each side offering its next pixel independently and at
// random times (the unit must join them), while out_ready is randomly low. Every output beat is
// compared with blend::golden::requantize / the >= 0 binarizer, including the eight-per-beat
// packing of binary outputs and out_last on each image's last beat. Exits non-zero on mismatch.
#include "Vblend_postproc.h"
#include "verilated.h"

#include "runtime/golden/Kernels.h"

#include <cstdint>
#include <cstdio>
#include <deque>
#include <random>
#include <type_traits>
#include <vector>

namespace {
constexpr int kPe = 5, kAccB = 12, kAccF = 24, kPixels = 300;

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

int64_t randomSigned(std::mt19937_64 &rng, int width) {
  return int64_t(rng() % (uint64_t(1) << width)) - (int64_t(1) << (width - 1));
}
} // namespace

int main(int argc, char **argv) {
  Verilated::commandArgs(argc, argv);
  std::mt19937_64 rng(99);
  long beats = 0;
  for (int mode = 0; mode < 2; ++mode) { // 0: binary, 1: int8
    Vblend_postproc dut;
    auto tick = [&] {
      dut.clk_i = 0;
      dut.eval();
      dut.clk_i = 1;
      dut.eval();
    };
    dut.rst_ni = 0;
    tick();
    tick();
    dut.rst_ni = 1;
    // Per-channel constants: join grid 20 bits.
    const int64_t joinMin = -(1 << 19), joinMax = (1 << 19) - 1;
    int64_t mm[kPe], msh[kPe], mb[kPe], sm[kPe], ssh[kPe], sb[kPe], om[kPe], osh[kPe];
    for (int o = 0; o < kPe; ++o) {
      mm[o] = randomSigned(rng, 18), msh[o] = rng() % 12, mb[o] = randomSigned(rng, 30);
      sm[o] = randomSigned(rng, 18), ssh[o] = 10 + rng() % 12, sb[o] = randomSigned(rng, 30);
      om[o] = randomSigned(rng, 18), osh[o] = 12 + rng() % 8;
      const int64_t fields[8] = {mm[o], msh[o], mb[o], sm[o], ssh[o], sb[o], om[o], osh[o]};
      for (int f = 0; f < 8; ++f) {
        dut.cfg_we_i = 1;
        dut.cfg_addr_i = o * 8 + f;
        dut.cfg_wdata_i = uint64_t(fields[f]);
        tick();
      }
    }
    dut.cfg_we_i = 0;
    const bool halfEven = mode == 1;
    const int64_t zp = 3, outMin = -128, outMax = 127;
    dut.channels_i = kPe;
    dut.pixels_i = kPixels;
    dut.out_int8_i = mode;
    dut.out_half_even_i = halfEven;
    dut.out_zp_i = uint32_t(zp);
    dut.out_min_i = uint32_t(outMin);
    dut.out_max_i = uint32_t(outMax);
    dut.join_min_i = uint32_t(joinMin);
    dut.join_max_i = uint32_t(joinMax);

    // Stimulus and expected beats.
    std::vector<std::vector<int64_t>> mainAcc(kPixels), skipAcc(kPixels);
    std::deque<uint8_t> expected;
    for (int p = 0; p < kPixels; ++p) {
      uint8_t pack = 0;
      for (int o = 0; o < kPe; ++o) {
        int64_t a = randomSigned(rng, kAccB), b = randomSigned(rng, kAccF);
        mainAcc[p].push_back(a), skipAcc[p].push_back(b);
        using blend::golden::Rounding;
        int64_t pm = blend::golden::requantize(a, mm[o], msh[o], mb[o], Rounding::HalfUp, 0,
                                               {joinMin, joinMax});
        int64_t ps = blend::golden::requantize(b, sm[o], ssh[o], sb[o], Rounding::HalfUp, 0,
                                               {joinMin, joinMax});
        int64_t sum = pm + ps;
        if (mode == 1) {
          expected.push_back(uint8_t(blend::golden::requantize(
              sum, om[o], osh[o], 0, halfEven ? Rounding::HalfEven : Rounding::HalfUp, zp,
              {outMin, outMax})));
        } else {
          pack |= uint8_t((sum >= 0 ? 1 : 0) << (o % 8));
          if (o % 8 == 7 || o == kPe - 1) {
            expected.push_back(pack);
            pack = 0;
          }
        }
      }
    }
    const size_t total = expected.size();

    size_t mainNext = 0, skipNext = 0, got = 0;
    for (long cycle = 0; got < total; ++cycle) {
      if (cycle > 200000) {
        std::printf("FAIL: timeout (mode %d, %zu of %zu beats)\n", mode, got, total);
        return 1;
      }
      dut.main_valid_i = mainNext < kPixels && rng() % 3 != 0;
      dut.skip_valid_i = skipNext < kPixels && rng() % 3 != 0;
      if (mainNext < kPixels)
        for (int o = 0; o < kPe; ++o)
          setBits(dut.main_acc_i, o * kAccB, kAccB, uint64_t(mainAcc[mainNext][o]));
      if (skipNext < kPixels)
        for (int o = 0; o < kPe; ++o)
          setBits(dut.skip_acc_i, o * kAccF, kAccF, uint64_t(skipAcc[skipNext][o]));
      dut.out_ready_i = rng() % 4 != 0;
      dut.clk_i = 0;
      dut.eval();
      bool mainFire = dut.main_valid_i && dut.main_ready_o;
      bool skipFire = dut.skip_valid_i && dut.skip_ready_o;
      if (mainFire != skipFire) {
        std::printf("FAIL: the join accepted one side without the other\n");
        return 1;
      }
      if (dut.out_valid_o && dut.out_ready_i) {
        uint8_t want = expected[got];
        bool last = got + 1 == total;
        if (dut.out_data_o != want || bool(dut.out_last_o) != last) {
          std::printf("FAIL: mode %d beat %zu: got 0x%02x last %d, expected 0x%02x last %d\n",
                      mode, got, dut.out_data_o, int(dut.out_last_o), want, int(last));
          return 1;
        }
        ++got, ++beats;
      }
      tick();
      if (mainFire)
        ++mainNext, ++skipNext;
    }
  }
  std::printf("PASS: blend_postproc, %ld output beats (binary packed and int8) bit-exact\n", beats);
  return 0;
}
