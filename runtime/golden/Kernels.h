//===- Kernels.h - the numeric contract, one function per rule --*- C++ -*-===//
//
// docs/semantics.md in code. Every rule of the contract has exactly one
// implementation here; the golden executor calls these, the passes' tests and
// the RTL testbench generators compare against them. No function here depends
// on MLIR, so anything may link it.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_RUNTIME_GOLDEN_KERNELS_H
#define BLEND_RUNTIME_GOLDEN_KERNELS_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace blend::golden {

/// Requantization rounding rules (docs/semantics.md §5).
enum class Rounding { HalfEven, HalfUp, Floor };

/// Storage range of an integer type.
struct StorageRange {
  int64_t min, max;
};

/// §3: q = clamp(rint(x / s) + zp) with x / s in float32 and ties to even,
/// exactly as onnxruntime's QuantizeLinear.
int64_t quantize(float x, float scale, int64_t zeroPoint, StorageRange range);

/// §3: float32(q − zp) · float32(s), as onnxruntime's DequantizeLinear.
float dequantize(int64_t q, float scale, int64_t zeroPoint);

/// §5: round(t / 2^shift) for t = v·m + bias, with the given rule.
int64_t roundShift(int64_t t, int64_t shift, Rounding rounding);

/// §5: the whole requant of one value: clamp(round((v·m + bias) / 2^shift) +
/// zpOut) with v = q − zpIn.
int64_t requantize(int64_t v, int64_t multiplier, int64_t shift, int64_t bias,
                   Rounding rounding, int64_t zeroPointOut, StorageRange range);

/// §6: +1 (true) iff q ≥ τ, or q ≤ τ when flipped; ties give +1.
inline bool threshold(int64_t q, int64_t tau, bool flip) {
  return flip ? q <= tau : q >= tau;
}

/// Shapes of a 2-D convolution or pooling window over NCHW.
struct ConvGeometry {
  int64_t n, c, h, w;     ///< input
  int64_t o, kh, kw;      ///< output channels, kernel
  int64_t sh, sw;         ///< strides
  int64_t pt, pl;         ///< top and left padding (bottom/right implied)
  int64_t oh, ow;         ///< output size
};

/// §2: binary convolution. `input` and `weight` hold storage bits (1 ↔ +1);
/// taps outside the input contribute nothing. Returns accumulators, NCHW.
std::vector<int64_t> binaryConv2d(const std::vector<int64_t> &input,
                                  const std::vector<int64_t> &weight,
                                  const ConvGeometry &g);

/// §4: fixed-point convolution Σ (q_x − zp_x)·q_w + bias[o] (bias may be
/// empty). Padding contributes nothing.
std::vector<int64_t> fixedConv2d(const std::vector<int64_t> &input,
                                 int64_t inputZeroPoint,
                                 const std::vector<int64_t> &weight,
                                 const std::vector<int64_t> &bias,
                                 const ConvGeometry &g);

/// The same results as binaryConv2d, computed on bit-packed words: each
/// pixel's channels are packed 64 per word (zero above C), each tap adds
/// C − 2·popcount(a XOR w) over its valid positions. Checked against
/// binaryConv2d in the unit tests; this is what the executor runs.
std::vector<int64_t> binaryConv2dPacked(const std::vector<int64_t> &input,
                                        const std::vector<int64_t> &weight,
                                        const ConvGeometry &g);

/// The same results as fixedConv2d, with loops ordered for speed (weights
/// outermost, contiguous rows innermost). Checked against fixedConv2d.
std::vector<int64_t> fixedConv2dFast(const std::vector<int64_t> &input,
                                     int64_t inputZeroPoint,
                                     const std::vector<int64_t> &weight,
                                     const std::vector<int64_t> &bias,
                                     const ConvGeometry &g);

/// Calls fn(outIndex, inOffset) for every element of the transpose of a
/// row-major tensor of shape `in` by `perm` (output dimension i is input
/// dimension perm[i]), in output order. The one index walk behind
/// blend.transpose's folder and both executors.
template <typename Fn>
void forEachTransposed(const std::vector<int64_t> &in,
                       const std::vector<int64_t> &perm, Fn fn) {
  size_t rank = in.size();
  std::vector<int64_t> strides(rank, 1), index(rank, 0), out(rank);
  for (size_t d = rank; d-- > 1;)
    strides[d - 1] = strides[d] * in[d];
  int64_t count = 1;
  for (size_t d = 0; d < rank; ++d) {
    out[d] = in[perm[d]];
    count *= out[d];
  }
  for (int64_t n = 0; n < count; ++n) {
    int64_t offset = 0;
    for (size_t d = 0; d < rank; ++d)
      offset += index[d] * strides[perm[d]];
    fn(n, offset);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < out[d])
        break;
      index[d] = 0;
    }
  }
}

} // namespace blend::golden

#endif // BLEND_RUNTIME_GOLDEN_KERNELS_H
