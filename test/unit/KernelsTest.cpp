//===- KernelsTest.cpp - the numeric contract, hand-checked ---------------===//
//
// Each rule of docs/semantics.md against hand-computed cases, and the
// rounding rules against an independent double-precision computation over
// random values. These pin the exact bits that the ONNX comparison (which
// allows the documented tolerance) cannot see.
//
//===----------------------------------------------------------------------===//

#include "runtime/golden/Kernels.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace blend::golden;

TEST_CASE("half_up rounds ties towards +infinity", "[kernels]") {
  CHECK(roundShift(5, 1, Rounding::HalfUp) == 3);   // 2.5
  CHECK(roundShift(-5, 1, Rounding::HalfUp) == -2); // -2.5
  CHECK(roundShift(7, 2, Rounding::HalfUp) == 2);   // 1.75
  CHECK(roundShift(-7, 2, Rounding::HalfUp) == -2); // -1.75
  CHECK(roundShift(-6, 2, Rounding::HalfUp) == -1); // -1.5
  CHECK(roundShift(9, 0, Rounding::HalfUp) == 9);
}

TEST_CASE("floor truncates towards -infinity", "[kernels]") {
  CHECK(roundShift(7, 2, Rounding::Floor) == 1);   // 1.75
  CHECK(roundShift(-7, 2, Rounding::Floor) == -2); // -1.75
  CHECK(roundShift(-8, 2, Rounding::Floor) == -2); // -2
  CHECK(roundShift(5, 1, Rounding::Floor) == 2);   // 2.5
  CHECK(roundShift(9, 0, Rounding::Floor) == 9);
}

TEST_CASE("half_even rounds ties to the even neighbour", "[kernels]") {
  CHECK(roundShift(5, 1, Rounding::HalfEven) == 2);   // 2.5
  CHECK(roundShift(7, 1, Rounding::HalfEven) == 4);   // 3.5
  CHECK(roundShift(-5, 1, Rounding::HalfEven) == -2); // -2.5
  CHECK(roundShift(-7, 1, Rounding::HalfEven) == -4); // -3.5
  CHECK(roundShift(10, 2, Rounding::HalfEven) == 2);  // 2.5
  CHECK(roundShift(11, 2, Rounding::HalfEven) == 3);  // 2.75
}

TEST_CASE("rounding matches an independent computation", "[kernels]") {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> value(-(int64_t(1) << 50),
                                               int64_t(1) << 50);
  for (int i = 0; i < 20000; ++i) {
    int64_t t = value(rng);
    int64_t shift = i % 20;
    double exact = std::ldexp(double(t), -int(shift)); // exact below 2^53
    double up = std::floor(exact + 0.5);
    double even = std::nearbyint(exact); // default mode: ties to even
    INFO("t = " << t << ", shift = " << shift);
    CHECK(roundShift(t, shift, Rounding::HalfUp) == int64_t(up));
    CHECK(roundShift(t, shift, Rounding::HalfEven) == int64_t(even));
  }
}

TEST_CASE("requantize multiplies, adds the bias, rounds and saturates",
          "[kernels]") {
  StorageRange s8{-128, 127};
  // (3·5 + 2) / 4 = 4.25 → 4
  CHECK(requantize(3, 5, 2, 2, Rounding::HalfUp, 0, s8) == 4);
  // bias is in output steps of 2^-shift: (1·1 + 1) / 4 = 0.5 → 1 (half up)
  CHECK(requantize(1, 1, 2, 1, Rounding::HalfUp, 0, s8) == 1);
  CHECK(requantize(1, 1, 2, 1, Rounding::HalfEven, 0, s8) == 0);
  // negative multiplier, zero point out
  CHECK(requantize(10, -3, 1, 0, Rounding::HalfUp, 5, s8) == -10);
  // saturation, both ends, never wrap-around
  CHECK(requantize(1000, 1, 0, 0, Rounding::HalfUp, 0, s8) == 127);
  CHECK(requantize(-1000, 1, 0, 0, Rounding::HalfUp, 0, s8) == -128);
  CHECK(requantize(300, 1, 0, 0, Rounding::HalfUp, 0, {0, 255}) == 255);
}

TEST_CASE("quantize is QuantizeLinear: float32 division, ties to even",
          "[kernels]") {
  StorageRange s8{-128, 127};
  CHECK(quantize(0.5f / 32, 1.0f / 32, 0, s8) == 0);  // 0.5 → 0
  CHECK(quantize(1.5f / 32, 1.0f / 32, 0, s8) == 2);  // 1.5 → 2
  CHECK(quantize(2.5f / 32, 1.0f / 32, 0, s8) == 2);  // 2.5 → 2
  CHECK(quantize(-2.5f / 32, 1.0f / 32, 0, s8) == -2);
  CHECK(quantize(100.0f, 1.0f / 32, 0, s8) == 127);
  CHECK(quantize(-100.0f, 1.0f / 32, 0, s8) == -128);
  CHECK(quantize(0.0f, 0.5f, 128, {0, 255}) == 128);
  CHECK(dequantize(-3, 0.25f, 1) == -1.0f);
}

TEST_CASE("threshold ties give +1 in both directions", "[kernels]") {
  CHECK(threshold(5, 5, false));
  CHECK(threshold(5, 5, true));
  CHECK_FALSE(threshold(4, 5, false));
  CHECK_FALSE(threshold(6, 5, true));
}

TEST_CASE("binary convolution counts only valid taps at the border",
          "[kernels]") {
  // One channel, 2x2 input of +1 (bit 1), 3x3 kernel of +1, pad 1, stride 1:
  // every output window covers exactly the 4 input pixels → acc = 4. With
  // −1 padding it would be 4 − 5 = −1; with a weight of −1 at the centre it
  // is 4 − 2 = 2.
  ConvGeometry g{1, 1, 2, 2, 1, 3, 3, 1, 1, 1, 1, 2, 2};
  std::vector<int64_t> ones(4, 1), kernel(9, 1);
  CHECK(binaryConv2d(ones, kernel, g) == std::vector<int64_t>{4, 4, 4, 4});
  kernel[4] = 0; // centre weight −1
  CHECK(binaryConv2d(ones, kernel, g) == std::vector<int64_t>{2, 2, 2, 2});
  // Stride 2 on a 3x3 input with pad 1: every output window (rows/cols
  // {-1,0,1} or {1,2,3}) keeps 2x2 valid taps — all +1·+1.
  ConvGeometry g3{1, 1, 3, 3, 1, 3, 3, 2, 2, 1, 1, 2, 2};
  std::vector<int64_t> in9(9, 1), k9(9, 1);
  CHECK(binaryConv2d(in9, k9, g3) == std::vector<int64_t>{4, 4, 4, 4});
}

TEST_CASE("fixed-point convolution subtracts the input zero point",
          "[kernels]") {
  // 1x1 conv, two channels: (q − zp)·w summed, plus bias.
  ConvGeometry g{1, 2, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1};
  std::vector<int64_t> in{130, 120}, w{3, -2}, bias{7};
  // (130−128)·3 + (120−128)·(−2) + 7 = 6 + 16 + 7 = 29
  CHECK(fixedConv2d(in, 128, w, bias, g) == std::vector<int64_t>{29});
}

TEST_CASE("packed and fast convolutions equal the reference kernels",
          "[kernels]") {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 60; ++trial) {
    ConvGeometry g{};
    g.n = 1 + trial % 2;
    g.c = 1 + int64_t(rng() % 140); // across one, two and three 64-bit words
    g.o = 1 + int64_t(rng() % 9);
    g.h = 1 + int64_t(rng() % 9);
    g.w = 1 + int64_t(rng() % 9);
    g.kh = 1 + int64_t(rng() % 3);
    g.kw = 1 + int64_t(rng() % 3);
    g.sh = 1 + int64_t(rng() % 2);
    g.sw = 1 + int64_t(rng() % 2);
    g.pt = int64_t(rng() % 2);
    g.pl = int64_t(rng() % 2);
    int64_t pb = int64_t(rng() % 2), pr = int64_t(rng() % 2);
    if (g.h + g.pt + pb < g.kh || g.w + g.pl + pr < g.kw)
      continue;
    g.oh = (g.h + g.pt + pb - g.kh) / g.sh + 1;
    g.ow = (g.w + g.pl + pr - g.kw) / g.sw + 1;
    std::vector<int64_t> bits(g.n * g.c * g.h * g.w), wbits(g.o * g.c * g.kh * g.kw);
    std::vector<int64_t> q(bits.size()), wq(wbits.size()), bias(g.o);
    for (auto &v : bits) v = int64_t(rng() % 2);
    for (auto &v : wbits) v = int64_t(rng() % 2);
    for (auto &v : q) v = int64_t(rng() % 256) - 128;
    for (auto &v : wq) v = int64_t(rng() % 255) - 127;
    for (auto &v : bias) v = int64_t(rng() % 2001) - 1000;
    INFO("trial " << trial << " c=" << g.c);
    CHECK(binaryConv2dPacked(bits, wbits, g) == binaryConv2d(bits, wbits, g));
    CHECK(fixedConv2dFast(q, 3, wq, bias, g) == fixedConv2d(q, 3, wq, bias, g));
    CHECK(fixedConv2dFast(q, 0, wq, {}, g) == fixedConv2d(q, 0, wq, {}, g));
  }
}
