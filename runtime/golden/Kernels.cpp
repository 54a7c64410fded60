//===- Kernels.cpp - the numeric contract, one function per rule ----------===//
//
// Reference implementations: clear loops over exact int64 arithmetic, written
// to be obviously right rather than fast (the fast bit-packed kernels are
// checked against these).
//
//===----------------------------------------------------------------------===//

#include "runtime/golden/Kernels.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace blend::golden;

int64_t blend::golden::quantize(float x, float scale, int64_t zeroPoint,
                                StorageRange range) {
  float scaled = x / scale;            // float32 division, as onnxruntime
  float rounded = std::nearbyint(scaled); // default mode: ties to even
  if (std::isnan(rounded))
    return std::clamp<int64_t>(zeroPoint, range.min, range.max);
  double q = double(rounded) + double(zeroPoint);
  q = std::clamp(q, double(range.min), double(range.max));
  return int64_t(q);
}

float blend::golden::dequantize(int64_t q, float scale, int64_t zeroPoint) {
  return float(q - zeroPoint) * scale;
}

int64_t blend::golden::roundShift(int64_t t, int64_t shift,
                                  Rounding rounding) {
  assert(shift >= 0 && shift <= 62 && "shift out of range");
  if (shift == 0)
    return t;
  // Arithmetic shift floors for negative t (C++20 semantics, and what every
  // supported compiler does for C++17).
  int64_t floor = t >> shift;
  int64_t remainder = t - (floor << shift); // in [0, 2^shift)
  int64_t half = int64_t(1) << (shift - 1);
  if (rounding == Rounding::Floor)
    return floor;
  if (rounding == Rounding::HalfUp)
    return remainder >= half ? floor + 1 : floor;
  if (remainder > half || (remainder == half && (floor & 1)))
    return floor + 1;
  return floor;
}

int64_t blend::golden::requantize(int64_t v, int64_t multiplier,
                                  int64_t shift, int64_t bias,
                                  Rounding rounding, int64_t zeroPointOut,
                                  StorageRange range) {
  int64_t t = v * multiplier + bias; // exact: the op verifier bounds |t| < 2^62
  int64_t r = roundShift(t, shift, rounding) + zeroPointOut;
  return std::clamp(r, range.min, range.max);
}

/// Calls `tap(inIndex, weightIndex)` for every valid tap of output
/// (n, o, y, x), iterating channels innermost.
template <typename Tap>
static void forEachTap(const ConvGeometry &g, int64_t n, int64_t o, int64_t y,
                       int64_t x, Tap tap) {
  for (int64_t i = 0; i < g.kh; ++i) {
    int64_t iy = y * g.sh + i - g.pt;
    if (iy < 0 || iy >= g.h)
      continue;
    for (int64_t j = 0; j < g.kw; ++j) {
      int64_t ix = x * g.sw + j - g.pl;
      if (ix < 0 || ix >= g.w)
        continue;
      for (int64_t c = 0; c < g.c; ++c)
        tap(((n * g.c + c) * g.h + iy) * g.w + ix,
            ((o * g.c + c) * g.kh + i) * g.kw + j);
    }
  }
}

/// Runs `acc = init(o); tap(acc, in, w) for every valid tap` for every output
/// position, NCHW order.
template <typename Init, typename Tap>
static std::vector<int64_t> convolve(const ConvGeometry &g, Init init,
                                     Tap tap) {
  std::vector<int64_t> out(g.n * g.o * g.oh * g.ow);
  size_t k = 0;
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t o = 0; o < g.o; ++o)
      for (int64_t y = 0; y < g.oh; ++y)
        for (int64_t x = 0; x < g.ow; ++x) {
          int64_t acc = init(o);
          forEachTap(g, n, o, y, x,
                     [&](int64_t in, int64_t w) { tap(acc, in, w); });
          out[k++] = acc;
        }
  return out;
}

std::vector<int64_t>
blend::golden::binaryConv2d(const std::vector<int64_t> &input,
                            const std::vector<int64_t> &weight,
                            const ConvGeometry &g) {
  return convolve(
      g, [](int64_t) { return int64_t(0); },
      [&](int64_t &acc, int64_t in, int64_t w) {
        acc += (input[in] == weight[w]) ? 1 : -1; // XNOR → ±1 product
      });
}

std::vector<int64_t>
blend::golden::fixedConv2d(const std::vector<int64_t> &input,
                           int64_t inputZeroPoint,
                           const std::vector<int64_t> &weight,
                           const std::vector<int64_t> &bias,
                           const ConvGeometry &g) {
  return convolve(
      g, [&](int64_t o) { return bias.empty() ? int64_t(0) : bias[o]; },
      [&](int64_t &acc, int64_t in, int64_t w) {
        acc += (input[in] - inputZeroPoint) * weight[w];
      });
}

/// Output columns x with 0 <= x·stride + offset < extent, as [begin, end).
static std::pair<int64_t, int64_t> validRange(int64_t outExtent, int64_t stride,
                                              int64_t offset, int64_t extent) {
  int64_t begin = 0, end = outExtent;
  while (begin < end && begin * stride + offset < 0)
    ++begin;
  while (end > begin && (end - 1) * stride + offset >= extent)
    --end;
  return {begin, end};
}

std::vector<int64_t>
blend::golden::binaryConv2dPacked(const std::vector<int64_t> &input,
                                  const std::vector<int64_t> &weight,
                                  const ConvGeometry &g) {
  const int64_t words = (g.c + 63) / 64;
  // Activations: [n][word][y][x]; weights: [o][i][j][word]. Bits above C are
  // zero in both, so they never count as disagreements.
  std::vector<uint64_t> a(size_t(g.n * words * g.h * g.w), 0);
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t c = 0; c < g.c; ++c) {
      const int64_t *src = &input[(n * g.c + c) * g.h * g.w];
      uint64_t *dst = &a[(n * words + c / 64) * g.h * g.w];
      uint64_t bit = uint64_t(1) << (c % 64);
      for (int64_t p = 0; p < g.h * g.w; ++p)
        if (src[p])
          dst[p] |= bit;
    }
  std::vector<uint64_t> w(size_t(g.o * g.kh * g.kw * words), 0);
  for (int64_t o = 0; o < g.o; ++o)
    for (int64_t c = 0; c < g.c; ++c)
      for (int64_t t = 0; t < g.kh * g.kw; ++t)
        if (weight[(o * g.c + c) * g.kh * g.kw + t])
          w[(o * g.kh * g.kw + t) * words + c / 64] |= uint64_t(1) << (c % 64);

  // acc = Σ_valid taps (C − 2·disagreements): count valid taps and the
  // disagreements separately, tap by tap, over branch-free rows.
  std::vector<int64_t> out(size_t(g.n * g.o * g.oh * g.ow), 0);
  std::vector<int64_t> validTaps(size_t(g.oh * g.ow), 0);
  for (int64_t i = 0; i < g.kh; ++i)
    for (int64_t j = 0; j < g.kw; ++j) {
      auto [x0, x1] = validRange(g.ow, g.sw, j - g.pl, g.w);
      for (int64_t y = 0; y < g.oh; ++y) {
        int64_t iy = y * g.sh + i - g.pt;
        if (iy < 0 || iy >= g.h)
          continue;
        for (int64_t x = x0; x < x1; ++x)
          ++validTaps[y * g.ow + x];
      }
    }
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t o = 0; o < g.o; ++o) {
      int64_t *plane = &out[(n * g.o + o) * g.oh * g.ow];
      for (int64_t i = 0; i < g.kh; ++i)
        for (int64_t j = 0; j < g.kw; ++j) {
          auto [x0, x1] = validRange(g.ow, g.sw, j - g.pl, g.w);
          for (int64_t k = 0; k < words; ++k) {
            uint64_t wv = w[((o * g.kh + i) * g.kw + j) * words + k];
            const uint64_t *plane_a = &a[(n * words + k) * g.h * g.w];
            for (int64_t y = 0; y < g.oh; ++y) {
              int64_t iy = y * g.sh + i - g.pt;
              if (iy < 0 || iy >= g.h)
                continue;
              // Index arithmetic (a row pointer before the array would be UB).
              const int64_t base = iy * g.w + j - g.pl;
              int64_t *dst = plane + y * g.ow;
              for (int64_t x = x0; x < x1; ++x)
                dst[x] -= 2 * __builtin_popcountll(plane_a[base + x * g.sw] ^ wv);
            }
          }
        }
      for (int64_t p = 0; p < g.oh * g.ow; ++p)
        plane[p] += g.c * validTaps[p];
    }
  return out;
}

std::vector<int64_t>
blend::golden::fixedConv2dFast(const std::vector<int64_t> &input,
                               int64_t inputZeroPoint,
                               const std::vector<int64_t> &weight,
                               const std::vector<int64_t> &bias,
                               const ConvGeometry &g) {
  std::vector<int64_t> out(size_t(g.n * g.o * g.oh * g.ow));
  std::vector<int64_t> centered(input.size());
  for (size_t k = 0; k < input.size(); ++k)
    centered[k] = input[k] - inputZeroPoint;
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t o = 0; o < g.o; ++o) {
      int64_t *plane = &out[(n * g.o + o) * g.oh * g.ow];
      int64_t b = bias.empty() ? 0 : bias[o];
      std::fill(plane, plane + g.oh * g.ow, b);
      for (int64_t c = 0; c < g.c; ++c) {
        const int64_t *src = &centered[(n * g.c + c) * g.h * g.w];
        for (int64_t i = 0; i < g.kh; ++i)
          for (int64_t j = 0; j < g.kw; ++j) {
            int64_t wv = weight[((o * g.c + c) * g.kh + i) * g.kw + j];
            if (wv == 0)
              continue;
            auto [x0, x1] = validRange(g.ow, g.sw, j - g.pl, g.w);
            for (int64_t y = 0; y < g.oh; ++y) {
              int64_t iy = y * g.sh + i - g.pt;
              if (iy < 0 || iy >= g.h)
                continue;
              const int64_t base = iy * g.w + j - g.pl;
              int64_t *dst = plane + y * g.ow;
              for (int64_t x = x0; x < x1; ++x)
                dst[x] += wv * src[base + x * g.sw];
            }
          }
      }
    }
  return out;
}
