//===- Compiled.cpp - the golden executor's fast path ---------------------===//
//
// Every exact tensor is an int32 buffer (the compiler proves each exact type's
// range; types wider than 32 bits take the reference path), products and
// requantization intermediates are computed in int64 where the contract needs
// it. Kernels:
//  * binary convolution: each output pixel's receptive field is packed into a
//    bit stream (tap-major, channel-minor; taps outside the input read zero
//    bits), so an output is base − 2·popcount(patch ⊕ weights) over
//    ⌈K·C/64⌉ words whatever C is (C = 16 packs 9 taps into 3 words instead
//    of 9), with the padding correction folded into a precomputed base;
//  * fixed-point convolution: im2col of the centered input (padding is 0),
//    then a row-oriented int32 GEMM the compiler vectorizes;
//  * matmuls: the same two ideas on rows;
//  * per-channel ops: parameters hoisted per channel, contiguous inner loops.
//
//===----------------------------------------------------------------------===//

#include "compiler/Golden/Compiled.h"
#include "compiler/Golden/Storage.h"
#include "runtime/golden/Kernels.h"

#include "dialects/Blend/BlendOps.h"

#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <chrono>
#include <cstring>

using namespace mlir;
using namespace blend;
using namespace blend::golden;

namespace {

using Workspace = CompiledWorkspace;
using Program = CompiledProgram;

/// Storage width of an exact element type (binary: 1).
unsigned storageWidth(Type type) {
  if (auto fixed = dyn_cast<FixedType>(type))
    return fixed.getWidth();
  if (isa<BinaryType>(type))
    return 1;
  return type.getIntOrFloatBitWidth();
}

/// (outer, channels, inner) of a shape split at `axis`.
struct ChannelSplit {
  int64_t outer = 1, channels = 1, inner = 1;
};
ChannelSplit splitAt(ArrayRef<int64_t> shape, int64_t axis) {
  ChannelSplit s;
  s.channels = shape[axis];
  for (int64_t d = 0; d < axis; ++d)
    s.outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d)
    s.inner *= shape[d];
  return s;
}

/// A per-channel array expanded to `channels` entries.
template <typename T>
std::vector<T> expand(ArrayRef<T> values, int64_t channels) {
  if (values.size() == 1)
    return std::vector<T>(size_t(channels), values[0]);
  return std::vector<T>(values.begin(), values.end());
}

inline int64_t popcount(uint64_t v) { return __builtin_popcountll(v); }

// Hot loops are compiled for AVX-512 and AVX2 as well as the x86-64-v2
// baseline; the loader picks the best clone for the CPU it runs on.
#if defined(__x86_64__) && defined(__clang__)
#define BLEND_VECTOR_CLONES                                                    \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define BLEND_VECTOR_CLONES
#endif

/// out[o][q] = bias + Σ_k w[o][k]·x[k][q] with bias = bias[q] when
/// `biasPerColumn`, else bias[o]: the scalar weight times a contiguous row,
/// four reduction steps per pass over the output row. Exact in int32: every
/// partial sum is a sub-sum of the bounded total.
BLEND_VECTOR_CLONES
void gemmRows(const int32_t *w, const int32_t *x, const int32_t *bias,
              bool biasPerColumn, int32_t *out, int64_t O, int64_t K,
              int64_t P) {
  for (int64_t o = 0; o < O; ++o) {
    int32_t *dst = out + o * P;
    const int32_t *wo = w + o * K;
    for (int64_t q = 0; q < P; ++q)
      dst[q] = biasPerColumn ? bias[q] : bias[o];
    int64_t k = 0;
    for (; k + 4 <= K; k += 4) {
      const int32_t w0 = wo[k], w1 = wo[k + 1], w2 = wo[k + 2], w3 = wo[k + 3];
      const int32_t *x0 = x + k * P, *x1 = x0 + P, *x2 = x1 + P, *x3 = x2 + P;
      for (int64_t q = 0; q < P; ++q)
        dst[q] += w0 * x0[q] + w1 * x1[q] + w2 * x2[q] + w3 * x3[q];
    }
    for (; k < K; ++k) {
      const int32_t wk = wo[k];
      const int32_t *xk = x + k * P;
      for (int64_t q = 0; q < P; ++q)
        dst[q] += wk * xk[q];
    }
  }
}

/// One channel's run of a requant: y = clamp(round((x·m + bias) / 2^shift) +
/// zpOut). Rounding by adding before the arithmetic shift: half up adds
/// 2^(shift−1); half to even adds 2^(shift−1) − 1 plus the parity of the
/// floor, which rounds exactly the ties with an odd floor up (Kernels.cpp's
/// roundShift is the reference; the two are compared on every bundled model).
BLEND_VECTOR_CLONES
void requantRow(const int32_t *x, int32_t *y, int64_t n, int64_t mul,
                int64_t bias, int64_t shift, bool halfEven, bool floorMode,
                int64_t zpOut, StorageRange range) {
  const int64_t lo = range.min - zpOut, hi = range.max - zpOut;
  if (shift == 0) {
    for (int64_t i = 0; i < n; ++i)
      y[i] = int32_t(std::clamp(int64_t(x[i]) * mul + bias, lo, hi) + zpOut);
    return;
  }
  const int64_t half = int64_t(1) << (shift - 1);
  if (floorMode) {
    for (int64_t i = 0; i < n; ++i)
      y[i] = int32_t(std::clamp((int64_t(x[i]) * mul + bias) >> shift, lo, hi) +
                     zpOut);
    return;
  }
  if (!halfEven) {
    const int64_t add = bias + half;
    for (int64_t i = 0; i < n; ++i)
      y[i] = int32_t(std::clamp((int64_t(x[i]) * mul + add) >> shift, lo, hi) +
                     zpOut);
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    int64_t t = int64_t(x[i]) * mul + bias;
    int64_t r = (t + (half - 1) + ((t >> shift) & 1)) >> shift;
    y[i] = int32_t(std::clamp(r, lo, hi) + zpOut);
  }
}

/// out[o][q] = base[o][q] − 2·Σ_k popcount(patches[k][q] ⊕ w[o][k]): for each
/// weight word one pass over a contiguous row of patch words, which the
/// compiler vectorizes (VPOPCNTQ on AVX-512 CPUs that have it).
#if defined(__x86_64__) && defined(__clang__)
__attribute__((target_clones("avx512vpopcntdq", "arch=x86-64-v3", "default")))
#endif
void binaryGemm(const uint64_t *patches, const uint64_t *w,
                const int32_t *base, int32_t *out, int64_t O, int64_t words,
                int64_t P) {
  for (int64_t o = 0; o < O; ++o) {
    int32_t *dst = out + o * P;
    const int32_t *bo = base + o * P;
    for (int64_t q = 0; q < P; ++q)
      dst[q] = bo[q];
    for (int64_t k = 0; k < words; ++k) {
      const uint64_t wk = w[o * words + k];
      const uint64_t *row = patches + k * P;
      for (int64_t q = 0; q < P; ++q)
        dst[q] -= 2 * int32_t(__builtin_popcountll(row[q] ^ wk));
    }
  }
}

class Compiler {
public:
  Compiler(Program &program, const llvm::DenseMap<Value, Tensor> &constants)
      : program(program), constants(constants) {}

  LogicalResult compile(func::FuncOp func, std::string &whyNot);
  LogicalResult compileBlock(Block &body, std::string &whyNot);

private:
  int slotOf(Value v) { return slotIndex.lookup(v); }
  int addSlot(Value v);
  LogicalResult addStep(Operation *op, std::string &whyNot);
  /// The slots of the op being compiled: its first operand's (in; -1 when
  /// none) and its result's (out).
  struct StepSlots {
    int in, out;
    Program::Slot outSlot, inSlot;
  };
  /// One method per op kind (addStep dispatches); each sets `fn`, or fails
  /// where no fast kernel applies.
  LogicalResult compileQuantize(QuantizeOp op, const StepSlots &slots);
  LogicalResult compileDequantize(DequantizeOp op, const StepSlots &slots);
  LogicalResult compileBinarize(BinarizeOp op, const StepSlots &slots);
  LogicalResult compileThreshold(ThresholdOp op, const StepSlots &slots);
  LogicalResult compileRequant(RequantOp op, const StepSlots &slots);
  LogicalResult compileChannelScale(ChannelScaleOp op, const StepSlots &slots);
  LogicalResult compileMultiThreshold(MultiThresholdOp op,
                                      const StepSlots &slots);
  LogicalResult compileConcat(ConcatOp op, const StepSlots &slots);
  LogicalResult compileClip(ClipOp op, const StepSlots &slots);
  LogicalResult compileAdd(AddOp op, const StepSlots &slots);
  LogicalResult compileReshape(ReshapeOp op, const StepSlots &slots);
  LogicalResult compileTranspose(TransposeOp op, const StepSlots &slots);
  LogicalResult compileSumPool2D(SumPool2DOp op, const StepSlots &slots);
  LogicalResult compileMaxPool2D(MaxPool2DOp op, const StepSlots &slots);
  LogicalResult compileConv2D(Conv2DOp op, const StepSlots &slots);
  LogicalResult compileMatMul(MatMulOp op, const StepSlots &slots);
  const Program::Slot &slot(Value v) { return program.slots[slotOf(v)]; }
  /// Constant data of `v` as int64 (weights, biases).
  const std::vector<int64_t> *constantInts(Value v) {
    auto it = constants.find(v);
    return it == constants.end() ? nullptr : &it->second.ints;
  }

  LogicalResult pooling(ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> pads, bool isMax,
                        const Program::Slot &inSlot,
                        const Program::Slot &outSlot, int in, int out);
  void conv(Conv2DOp op, int in, int out);
  void binaryConv(Conv2DOp op, int in, int out);
  void fixedConv(Conv2DOp op, int in, int out);
  void matmul(MatMulOp op, int in, int out);

  Program &program;
  const llvm::DenseMap<Value, Tensor> &constants;
  llvm::DenseMap<Value, int> slotIndex;
  std::function<void(const Program &, Workspace &)> fn;
};

int Compiler::addSlot(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  Program::Slot s;
  s.shape.assign(type.getShape().begin(), type.getShape().end());
  s.elementType = type.getElementType();
  s.isFloat = isa<FloatType>(s.elementType);
  s.size = type.getNumElements();
  int index = int(program.slots.size());
  program.slots.push_back(std::move(s));
  program.constInts.emplace_back();
  program.constFloats.emplace_back();
  slotIndex[v] = index;
  return index;
}

LogicalResult Compiler::compile(func::FuncOp func, std::string &whyNot) {
  Block &body = func.getBody().front();
  for (BlockArgument arg : body.getArguments())
    program.inputs.push_back(addSlot(arg));
  if (failed(compileBlock(body, whyNot)))
    return failure();
  for (Value v : body.getTerminator()->getOperands())
    program.outputs.push_back(slotOf(v));
  return success();
}

LogicalResult Compiler::compileBlock(Block &body, std::string &whyNot) {
  for (Operation &op : body.without_terminator()) {
    if (auto fused = dyn_cast<BlendModuleOp>(op)) {
      // A fused module runs its body: its arguments and results alias the
      // slots of its inputs and yielded values.
      for (auto [arg, input] :
           llvm::zip(fused.getBlock().getArguments(), fused.getInputs()))
        slotIndex[arg] = slotOf(input);
      if (failed(compileBlock(fused.getBlock(), whyNot)))
        return failure();
      for (auto [result, yielded] :
           llvm::zip(fused.getResults(), fused.getYield().getValues()))
        slotIndex[result] = slotOf(yielded);
      continue;
    }
    for (Value r : op.getResults()) {
      auto type = dyn_cast<RankedTensorType>(r.getType());
      if (!type) {
        whyNot = "a result is not a ranked tensor";
        return failure();
      }
      if (!isa<FloatType>(type.getElementType()) &&
          storageWidth(type.getElementType()) > 32) {
        whyNot = "an exact type is wider than 32 bits";
        return failure();
      }
    }
    if (failed(addStep(&op, whyNot)))
      return failure();
  }
  return success();
}

LogicalResult Compiler::addStep(Operation *op, std::string &whyNot) {
  if (auto c = dyn_cast<ConstantOp>(op)) {
    int s = addSlot(c.getResult());
    const Tensor &t = constants.find(c.getResult())->second;
    program.slots[s].isConstant = true;
    if (program.slots[s].isFloat)
      program.constFloats[s] = t.floats;
    else
      program.constInts[s].assign(t.ints.begin(), t.ints.end());
    program.steps.push_back({op, {s}, nullptr}); // traced, nothing to run
    return success();
  }
  for (Value operand : op->getOperands())
    if (!slotIndex.count(operand)) {
      whyNot = "an operand is defined outside the function body";
      return failure();
    }
  fn = nullptr;
  Value result = op->getResult(0);
  int in = op->getNumOperands() ? slotOf(op->getOperand(0)) : -1;
  int out = addSlot(result);
  StepSlots slots{in, out, program.slots[out],
                  in >= 0 ? program.slots[in] : Program::Slot()};

  LogicalResult ok =
      llvm::TypeSwitch<Operation *, LogicalResult>(op)
          .Case([&](QuantizeOp x) { return compileQuantize(x, slots); })
          .Case([&](DequantizeOp x) { return compileDequantize(x, slots); })
          .Case([&](BinarizeOp x) { return compileBinarize(x, slots); })
          .Case([&](ThresholdOp t) { return compileThreshold(t, slots); })
          .Case([&](RequantOp r) { return compileRequant(r, slots); })
          .Case(
              [&](ChannelScaleOp cs) { return compileChannelScale(cs, slots); })
          .Case([&](MultiThresholdOp mt) {
            return compileMultiThreshold(mt, slots);
          })
          .Case([&](ConcatOp c) { return compileConcat(c, slots); })
          .Case([&](ClipOp c) { return compileClip(c, slots); })
          .Case([&](AddOp a) { return compileAdd(a, slots); })
          .Case([&](ReshapeOp x) { return compileReshape(x, slots); })
          .Case([&](TransposeOp t) { return compileTranspose(t, slots); })
          .Case([&](SumPool2DOp pool) { return compileSumPool2D(pool, slots); })
          .Case([&](MaxPool2DOp pool) { return compileMaxPool2D(pool, slots); })
          .Case([&](Conv2DOp c) { return compileConv2D(c, slots); })
          .Case([&](MatMulOp m) { return compileMatMul(m, slots); })
          .Default([&](Operation *) { return failure(); });
  if (failed(ok) || !fn) {
    whyNot = "no fast kernel for '" + op->getName().getStringRef().str() + "'";
    return failure();
  }
  program.steps.push_back({op, {out}, std::move(fn)});
  return success();
}

LogicalResult Compiler::compileQuantize(QuantizeOp, const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  const Program::Slot &outSlot = slots.outSlot;
  if (!inSlot.isFloat)
    return failure();
  auto fixed = cast<FixedType>(outSlot.elementType);
  float scale = float(fixed.getScaleValue());
  int64_t zp = fixed.getZeroPoint();
  StorageRange range = storageRangeOf(fixed);
  int64_t n = outSlot.size;
  fn = [=](const Program &p, Workspace &w) {
    const float *x = p.floats(w, in);
    int32_t *y = w.ints[out].data();
    for (int64_t i = 0; i < n; ++i)
      y[i] = int32_t(quantize(x[i], scale, zp, range));
  };
  return success();
}

LogicalResult Compiler::compileDequantize(DequantizeOp,
                                          const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  const Program::Slot &outSlot = slots.outSlot;
  if (inSlot.isFloat)
    return failure();
  bool binary = isa<BinaryType>(inSlot.elementType);
  float scale = 1.0f;
  int64_t zp = zeroPointOf(inSlot.elementType);
  if (auto fixed = dyn_cast<FixedType>(inSlot.elementType))
    scale = float(fixed.getScaleValue());
  int64_t n = outSlot.size;
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *x = p.ints(w, in);
    float *y = w.floats[out].data();
    for (int64_t i = 0; i < n; ++i)
      y[i] = binary ? (x[i] ? 1.0f : -1.0f) : dequantize(x[i], scale, zp);
  };
  return success();
}

LogicalResult Compiler::compileBinarize(BinarizeOp, const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  const Program::Slot &outSlot = slots.outSlot;
  if (inSlot.isFloat)
    return failure();
  int64_t zp = zeroPointOf(inSlot.elementType), n = outSlot.size;
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *x = p.ints(w, in);
    int32_t *y = w.ints[out].data();
    for (int64_t i = 0; i < n; ++i)
      y[i] = x[i] >= zp;
  };
  return success();
}

LogicalResult Compiler::compileThreshold(ThresholdOp t,
                                         const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  ChannelSplit s = splitAt(inSlot.shape, t.getAxis());
  std::vector<int64_t> tau = expand(t.getThresholds(), s.channels);
  std::vector<bool> flip = expand(t.getFlip(), s.channels);
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *x = p.ints(w, in);
    int32_t *y = w.ints[out].data();
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t c = 0; c < s.channels; ++c) {
        int64_t base = (o * s.channels + c) * s.inner;
        int64_t th = tau[c];
        if (flip[c])
          for (int64_t i = 0; i < s.inner; ++i)
            y[base + i] = x[base + i] <= th;
        else
          for (int64_t i = 0; i < s.inner; ++i)
            y[base + i] = x[base + i] >= th;
      }
  };
  return success();
}

LogicalResult Compiler::compileRequant(RequantOp r, const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  const Program::Slot &outSlot = slots.outSlot;
  ChannelSplit s = splitAt(inSlot.shape, r.getAxis());
  std::vector<int64_t> m = expand(r.getMultiplier(), s.channels);
  std::vector<int64_t> sh = expand(r.getShift(), s.channels);
  std::vector<int64_t> b = expand(r.getBias(), s.channels);
  int64_t zpIn = zeroPointOf(inSlot.elementType);
  int64_t zpOut = zeroPointOf(outSlot.elementType);
  StorageRange range = storageRangeOf(outSlot.elementType);
  bool halfEven = r.getRounding() == RoundingMode::HalfEven;
  bool floorMode = r.getRounding() == RoundingMode::Floor;
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *x = p.ints(w, in);
    int32_t *y = w.ints[out].data();
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t c = 0; c < s.channels; ++c) {
        int64_t base = (o * s.channels + c) * s.inner;
        const int64_t mul = m[c], bias = b[c] - zpIn * m[c];
        // t = (q − zp_in)·m + bias, folded as q·m + (bias − zp_in·m).
        requantRow(x + base, y + base, s.inner, mul, bias, sh[c], halfEven,
                   floorMode, zpOut, range);
      }
  };
  return success();
}

LogicalResult Compiler::compileChannelScale(ChannelScaleOp cs,
                                            const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  // The output of a model whose last layer has per-channel weight
  // scales: the real value as float, as the reference computes it.
  ChannelSplit split = splitAt(inSlot.shape, int64_t(cs.getAxis()));
  std::vector<double> scales = expand(cs.getScales(), split.channels);
  bool binary = isa<BinaryType>(inSlot.elementType);
  float scale = 1.0f;
  int64_t zp = zeroPointOf(inSlot.elementType);
  if (auto fixed = dyn_cast<FixedType>(inSlot.elementType))
    scale = float(fixed.getScaleValue());
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *x = p.ints(w, in);
    float *y = w.floats[out].data();
    for (int64_t o = 0; o < split.outer; ++o)
      for (int64_t c = 0; c < split.channels; ++c)
        for (int64_t i = 0; i < split.inner; ++i) {
          int64_t k = (o * split.channels + c) * split.inner + i;
          float real =
              binary ? (x[k] ? 1.0f : -1.0f) : dequantize(x[k], scale, zp);
          y[k] = real * float(scales[c]);
        }
  };
  return success();
}

LogicalResult Compiler::compileMultiThreshold(MultiThresholdOp mt,
                                              const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  const Program::Slot &outSlot = slots.outSlot;
  auto fixedOut = dyn_cast<FixedType>(outSlot.elementType);
  if (inSlot.isFloat || !fixedOut)
    return failure();
  ChannelSplit split = splitAt(inSlot.shape, int64_t(mt.getAxis()));
  int64_t steps = int64_t(mt.getSteps());
  ArrayRef<double> th = mt.getThresholds();
  bool perChannel = int64_t(th.size()) != steps;
  // Storage thresholds, per channel and step.
  std::vector<int64_t> tau(size_t(split.channels * steps));
  for (int64_t c = 0; c < split.channels; ++c)
    for (int64_t t = 0; t < steps; ++t)
      tau[c * steps + t] = ClipOp::getStorageBounds(
                               inSlot.elementType,
                               th[(perChannel ? c * steps : 0) + t], INFINITY)
                               .first;
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *x = p.ints(w, in);
    int32_t *y = w.ints[out].data();
    for (int64_t o = 0; o < split.outer; ++o)
      for (int64_t c = 0; c < split.channels; ++c) {
        const int64_t *tc = &tau[c * steps];
        int64_t base = (o * split.channels + c) * split.inner;
        for (int64_t i = 0; i < split.inner; ++i) {
          int64_t count = 0;
          for (int64_t t = 0; t < steps; ++t)
            count += x[base + i] >= tc[t];
          y[base + i] = int32_t(count);
        }
      }
  };
  return success();
}

LogicalResult Compiler::compileConcat(ConcatOp c, const StepSlots &slots) {
  int out = slots.out;
  const Program::Slot &outSlot = slots.outSlot;
  if (outSlot.isFloat)
    return failure();
  int64_t axis = c.getAxis(), outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= outSlot.shape[d];
  std::vector<std::pair<int, int64_t>> parts; // slot, row length
  for (Value input : c.getInputs())
    parts.push_back({slotOf(input), slot(input).size / outer});
  int64_t rowOut = outSlot.size / outer;
  fn = [=](const Program &p, Workspace &w) {
    int32_t *y = w.ints[out].data();
    int64_t offset = 0;
    for (auto [s, row] : parts) {
      const int32_t *x = p.ints(w, s);
      for (int64_t o = 0; o < outer; ++o)
        std::memcpy(y + o * rowOut + offset, x + o * row,
                    size_t(row) * sizeof(int32_t));
      offset += row;
    }
  };
  return success();
}

LogicalResult Compiler::compileClip(ClipOp c, const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  const Program::Slot &outSlot = slots.outSlot;
  if (inSlot.isFloat)
    return failure();
  std::pair<int64_t, int64_t> bounds =
      ClipOp::getStorageBounds(inSlot.elementType, c.getMin().convertToDouble(),
                               c.getMax().convertToDouble());
  int64_t lo = bounds.first, hi = bounds.second;
  int64_t n = outSlot.size;
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *x = p.ints(w, in);
    int32_t *y = w.ints[out].data();
    for (int64_t i = 0; i < n; ++i)
      y[i] = int32_t(std::min<int64_t>(std::max<int64_t>(x[i], lo), hi));
  };
  return success();
}

LogicalResult Compiler::compileAdd(AddOp a, const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  const Program::Slot &outSlot = slots.outSlot;
  if (outSlot.isFloat)
    return failure();
  int rhs = slotOf(a.getRhs());
  int64_t zl = zeroPointOf(inSlot.elementType),
          zr = zeroPointOf(program.slots[rhs].elementType),
          zo = zeroPointOf(outSlot.elementType);
  int32_t offset = int32_t(zo - zl - zr);
  int64_t n = outSlot.size;
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *l = p.ints(w, in), *r = p.ints(w, rhs);
    int32_t *y = w.ints[out].data();
    for (int64_t i = 0; i < n; ++i)
      y[i] = l[i] + r[i] + offset;
  };
  return success();
}

LogicalResult Compiler::compileReshape(ReshapeOp, const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  const Program::Slot &outSlot = slots.outSlot;
  if (inSlot.isFloat)
    return failure();
  int64_t n = outSlot.size;
  fn = [=](const Program &p, Workspace &w) {
    std::memcpy(w.ints[out].data(), p.ints(w, in), n * sizeof(int32_t));
  };
  return success();
}

LogicalResult Compiler::compileTranspose(TransposeOp t,
                                         const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  const Program::Slot &outSlot = slots.outSlot;
  if (inSlot.isFloat)
    return failure();
  // The gather offsets are fixed at compile time.
  auto offsets = std::make_shared<std::vector<int64_t>>(size_t(outSlot.size));
  forEachTransposed(inSlot.shape,
                    std::vector<int64_t>(t.getPermutation().begin(),
                                         t.getPermutation().end()),
                    [&](int64_t n, int64_t offset) { (*offsets)[n] = offset; });
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *x = p.ints(w, in);
    int32_t *y = w.ints[out].data();
    const int64_t *o = offsets->data();
    for (size_t n = 0; n < offsets->size(); ++n)
      y[n] = x[o[n]];
  };
  return success();
}

LogicalResult Compiler::compileSumPool2D(SumPool2DOp pool,
                                         const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  const Program::Slot &outSlot = slots.outSlot;
  return pooling(pool.getKernel(), pool.getStrides(), {0, 0, 0, 0},
                 /*isMax=*/false, inSlot, outSlot, in, out);
}

LogicalResult Compiler::compileMaxPool2D(MaxPool2DOp pool,
                                         const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  const Program::Slot &outSlot = slots.outSlot;
  if (inSlot.isFloat)
    return failure();
  return pooling(pool.getKernel(), pool.getStrides(), pool.getPads(),
                 /*isMax=*/true, inSlot, outSlot, in, out);
}

LogicalResult Compiler::compileConv2D(Conv2DOp c, const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  if (inSlot.isFloat || !constantInts(c.getWeight()) ||
      (c.getBias() && !constantInts(c.getBias())))
    return failure();
  conv(c, in, out);
  return success();
}

LogicalResult Compiler::compileMatMul(MatMulOp m, const StepSlots &slots) {
  int in = slots.in;
  int out = slots.out;
  const Program::Slot &inSlot = slots.inSlot;
  if (inSlot.isFloat || !constantInts(m.getRhs()) ||
      (m.getBias() && !constantInts(m.getBias())))
    return failure();
  matmul(m, in, out);
  return success();
}

} // namespace

/// Sum (exact, zero point subtracted) or max over each window of an NCHW
/// tensor; padding never contributes.
LogicalResult Compiler::pooling(ArrayRef<int64_t> kernel,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> pads, bool isMax,
                                const Program::Slot &inSlot,
                                const Program::Slot &outSlot, int in, int out) {
  std::array<int64_t, 2> k{kernel[0], kernel[1]}, s{strides[0], strides[1]},
      p{pads[0], pads[1]};
  int64_t N = inSlot.shape[0], C = inSlot.shape[1], H = inSlot.shape[2],
          W = inSlot.shape[3], OH = outSlot.shape[2], OW = outSlot.shape[3];
  int64_t zp = zeroPointOf(inSlot.elementType);
  fn = [=](const Program &prog, Workspace &w) {
    const int32_t *x = prog.ints(w, in);
    int32_t *y = w.ints[out].data();
    size_t idx = 0;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t c = 0; c < C; ++c) {
        const int32_t *plane = x + (n * C + c) * H * W;
        for (int64_t oy = 0; oy < OH; ++oy)
          for (int64_t ox = 0; ox < OW; ++ox) {
            int64_t acc = isMax ? INT64_MIN : 0;
            for (int64_t i = 0; i < k[0]; ++i) {
              int64_t iy = oy * s[0] + i - p[0];
              if (iy < 0 || iy >= H)
                continue;
              for (int64_t j = 0; j < k[1]; ++j) {
                int64_t ix = ox * s[1] + j - p[1];
                if (ix < 0 || ix >= W)
                  continue;
                int64_t q = plane[iy * W + ix];
                acc = isMax ? std::max(acc, q) : acc + (q - zp);
              }
            }
            y[idx++] = int32_t(acc);
          }
      }
  };
  return success();
}

void Compiler::conv(Conv2DOp op, int in, int out) {
  if (isa<BinaryType>(program.slots[in].elementType))
    binaryConv(op, in, out);
  else
    fixedConv(op, in, out);
}

void Compiler::binaryConv(Conv2DOp op, int in, int out) {
  const Program::Slot &x = program.slots[in], &y = program.slots[out];
  const std::vector<int64_t> &weight = *constantInts(op.getWeight());
  auto wType = cast<RankedTensorType>(op.getWeight().getType());
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t O = wType.getDimSize(0), KH = wType.getDimSize(2),
                KW = wType.getDimSize(3);
  const int64_t OH = y.shape[2], OW = y.shape[3];
  const int64_t SH = op.getStrides()[0], SW = op.getStrides()[1];
  const int64_t PT = op.getPads()[0], PL = op.getPads()[1];
  const int64_t taps = KH * KW, bits = taps * C, words = (bits + 63) / 64;
  const int64_t cw = (C + 63) / 64; // words per pixel's channel vector
  // Weights as streams: bit t·C + c of output channel o's stream is
  // weight[o][c][t] (t = i·KW + j).
  auto packed = std::make_shared<std::vector<uint64_t>>(size_t(O * words), 0);
  for (int64_t o = 0; o < O; ++o)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t t = 0; t < taps; ++t)
        if (weight[(o * C + c) * taps + t]) {
          int64_t bit = t * C + c;
          (*packed)[o * words + bit / 64] |= uint64_t(1) << (bit % 64);
        }
  // Padding, fixed at compile time: an invalid tap has patch bits 0, so it
  // counts popcount(w_o,tap) disagreements that must not count. base[o][q]
  // = (valid bits at q) + 2·(weight ones on q's invalid taps) makes every
  // output base − 2·popcount(patch ⊕ w_o) with no mask in the inner loop.
  const int64_t P = OH * OW;
  auto base = std::make_shared<std::vector<int32_t>>(size_t(O * P), 0);
  for (int64_t oy = 0; oy < OH; ++oy)
    for (int64_t ox = 0; ox < OW; ++ox)
      for (int64_t o = 0; o < O; ++o) {
        int64_t value = 0;
        for (int64_t i = 0; i < KH; ++i)
          for (int64_t j = 0; j < KW; ++j) {
            int64_t iy = oy * SH + i - PT, ix = ox * SW + j - PL;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W) {
              value += C;
              continue;
            }
            for (int64_t c = 0; c < C; ++c)
              value += 2 * (weight[(o * C + c) * taps + i * KW + j] != 0);
          }
        (*base)[o * P + oy * OW + ox] = int32_t(value);
      }
  // Channel vectors live in a zero-bordered image, so taps outside the input
  // read zero bits without a bounds check.
  const int64_t Hp = std::max(H + PT, (OH - 1) * SH + KH);
  const int64_t Wp = std::max(W + PL, (OW - 1) * SW + KW);
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *xs = p.ints(w, in);
    int32_t *ys = w.ints[out].data();
    std::vector<uint64_t> pix(size_t(Hp * Wp * cw));
    std::vector<uint64_t> patchesT(size_t(words * P));
    for (int64_t n = 0; n < N; ++n) {
      std::fill(pix.begin(), pix.end(), 0);
      for (int64_t c = 0; c < C; ++c) {
        const int32_t *plane = xs + (n * C + c) * H * W;
        uint64_t bit = uint64_t(1) << (c % 64);
        for (int64_t y = 0; y < H; ++y) {
          uint64_t *dst = pix.data() + ((y + PT) * Wp + PL) * cw + c / 64;
          for (int64_t x = 0; x < W; ++x)
            dst[x * cw] |= plane[y * W + x] ? bit : 0;
        }
      }
      // Receptive fields as bit streams (tap-major, channel-minor), written
      // word-major (patchesT[k][q]) by a streaming bit writer.
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          const int64_t q = oy * OW + ox;
          uint64_t cur = 0;
          int64_t fill = 0, k = 0;
          for (int64_t i = 0; i < KH; ++i) {
            const uint64_t *row =
                pix.data() + ((oy * SH + i) * Wp + ox * SW) * cw;
            for (int64_t j = 0; j < KW; ++j)
              for (int64_t ch = 0; ch < cw; ++ch) {
                const uint64_t v = row[j * cw + ch];
                const int64_t len = std::min<int64_t>(64, C - 64 * ch);
                cur |= v << fill;
                const int64_t next = fill + len;
                if (next >= 64) {
                  patchesT[k++ * P + q] = cur;
                  cur = next > 64 ? v >> (64 - fill) : 0;
                  fill = next - 64;
                } else {
                  fill = next;
                }
              }
          }
          if (fill > 0)
            patchesT[k * P + q] = cur;
        }
      binaryGemm(patchesT.data(), packed->data(), base->data(), ys + n * O * P,
                 O, words, P);
    }
  };
}

void Compiler::fixedConv(Conv2DOp op, int in, int out) {
  const Program::Slot &x = program.slots[in], &y = program.slots[out];
  const std::vector<int64_t> &weight = *constantInts(op.getWeight());
  auto wType = cast<RankedTensorType>(op.getWeight().getType());
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t O = wType.getDimSize(0), KH = wType.getDimSize(2),
                KW = wType.getDimSize(3);
  const int64_t OH = y.shape[2], OW = y.shape[3], P = OH * OW;
  const int64_t SH = op.getStrides()[0], SW = op.getStrides()[1];
  const int64_t PT = op.getPads()[0], PL = op.getPads()[1];
  const int64_t K = C * KH * KW;
  const int32_t zp = int32_t(zeroPointOf(x.elementType));
  auto w32 =
      std::make_shared<std::vector<int32_t>>(weight.begin(), weight.end());
  std::vector<int32_t> bias(size_t(O), 0);
  if (op.getBias()) {
    const std::vector<int64_t> &b = *constantInts(op.getBias());
    for (int64_t o = 0; o < O; ++o)
      bias[o] = int32_t(b.size() == 1 ? b[0] : b[o]);
  }
  const bool direct =
      KH == 1 && KW == 1 && SH == 1 && SW == 1 && PT == 0 && PL == 0 && zp == 0;
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *xs = p.ints(w, in);
    int32_t *ys = w.ints[out].data();
    std::vector<int32_t> col(direct ? 0 : size_t(K * P));
    for (int64_t n = 0; n < N; ++n) {
      const int32_t *cols = xs + n * C * H * W;
      if (!direct) {
        // col[k][p] = x[c][iy][ix] − zp, or 0 outside the input.
        for (int64_t c = 0; c < C; ++c)
          for (int64_t i = 0; i < KH; ++i)
            for (int64_t j = 0; j < KW; ++j) {
              int32_t *row = col.data() + ((c * KH + i) * KW + j) * P;
              const int32_t *plane = cols + c * H * W;
              for (int64_t oy = 0; oy < OH; ++oy) {
                int64_t iy = oy * SH + i - PT;
                int32_t *dst = row + oy * OW;
                if (iy < 0 || iy >= H) {
                  std::fill(dst, dst + OW, 0);
                  continue;
                }
                for (int64_t ox = 0; ox < OW; ++ox) {
                  int64_t ix = ox * SW + j - PL;
                  dst[ox] = (ix < 0 || ix >= W) ? 0 : plane[iy * W + ix] - zp;
                }
              }
            }
        cols = col.data();
      }
      gemmRows(w32->data(), cols, bias.data(), /*biasPerColumn=*/false,
               ys + n * O * P, O, K, P);
    }
  };
}

void Compiler::matmul(MatMulOp op, int in, int out) {
  const Program::Slot &a = program.slots[in];
  const std::vector<int64_t> &weight = *constantInts(op.getRhs());
  auto wType = cast<RankedTensorType>(op.getRhs().getType());
  const int64_t K = wType.getDimSize(0), Nn = wType.getDimSize(1);
  const int64_t rows = a.size / K;
  std::vector<int32_t> bias(size_t(Nn), 0);
  if (op.getBias()) {
    const std::vector<int64_t> &b = *constantInts(op.getBias());
    for (int64_t j = 0; j < Nn; ++j)
      bias[j] = int32_t(b.size() == 1 ? b[0] : b[j]);
  }
  if (isa<BinaryType>(a.elementType)) {
    const int64_t words = (K + 63) / 64;
    // Column j of the weights as a bit stream over k.
    auto packed =
        std::make_shared<std::vector<uint64_t>>(size_t(Nn * words), 0);
    for (int64_t k = 0; k < K; ++k)
      for (int64_t j = 0; j < Nn; ++j)
        if (weight[k * Nn + j])
          (*packed)[j * words + k / 64] |= uint64_t(1) << (k % 64);
    fn = [=](const Program &p, Workspace &w) {
      const int32_t *xs = p.ints(w, in);
      int32_t *ys = w.ints[out].data();
      std::vector<uint64_t> row(static_cast<size_t>(words));
      for (int64_t r = 0; r < rows; ++r) {
        std::fill(row.begin(), row.end(), 0);
        for (int64_t k = 0; k < K; ++k)
          row[k / 64] |= uint64_t(xs[r * K + k] != 0) << (k % 64);
        for (int64_t j = 0; j < Nn; ++j) {
          const uint64_t *wj = packed->data() + j * words;
          int64_t disagree = 0;
          for (int64_t q = 0; q < words; ++q)
            disagree += popcount(row[q] ^ wj[q]); // bits above K are 0 in both
          ys[r * Nn + j] = int32_t(bias[j] + K - 2 * disagree);
        }
      }
    };
    return;
  }
  const int32_t zp = int32_t(zeroPointOf(a.elementType));
  auto w32 =
      std::make_shared<std::vector<int32_t>>(weight.begin(), weight.end());
  fn = [=](const Program &p, Workspace &w) {
    const int32_t *xs = p.ints(w, in);
    std::vector<int32_t> centered;
    if (zp != 0) {
      centered.assign(xs, xs + rows * K);
      for (int32_t &v : centered)
        v -= zp;
      xs = centered.data();
    }
    // out[r][j] = bias[j] + Σ_k a[r][k]·w[k][j], one output row at a time.
    for (int64_t r = 0; r < rows; ++r)
      gemmRows(xs + r * K, w32->data(), bias.data(), /*biasPerColumn=*/true,
               w.ints[out].data() + r * Nn, 1, K, Nn);
  };
}

std::unique_ptr<CompiledProgram>
blend::golden::compileProgram(func::FuncOp func,
                              const llvm::DenseMap<Value, Tensor> &constants,
                              std::string &whyNot) {
  auto program = std::make_unique<CompiledProgram>();
  Compiler compiler(*program, constants);
  if (failed(compiler.compile(func, whyNot)))
    return nullptr;
  return program;
}

CompiledWorkspace blend::golden::makeWorkspace(const CompiledProgram &program) {
  CompiledWorkspace w;
  w.stepNanos.assign(program.steps.size(), 0);
  w.ints.resize(program.slots.size());
  w.floats.resize(program.slots.size());
  for (size_t s = 0; s < program.slots.size(); ++s) {
    const CompiledProgram::Slot &slot = program.slots[s];
    if (slot.isConstant)
      continue;
    if (slot.isFloat)
      w.floats[s].resize(size_t(slot.size));
    else
      w.ints[s].resize(size_t(slot.size));
  }
  return w;
}

static Tensor toTensor(const CompiledProgram &program,
                       const CompiledWorkspace &w, int slot) {
  const CompiledProgram::Slot &s = program.slots[slot];
  Tensor t;
  t.shape = s.shape;
  t.elementType = s.elementType;
  if (s.isFloat) {
    const float *data = program.floats(w, slot);
    t.floats.assign(data, data + s.size);
  } else {
    const int32_t *data = program.ints(w, slot);
    t.ints.assign(data, data + s.size);
  }
  return t;
}

std::vector<Tensor>
blend::golden::runCompiled(const CompiledProgram &program, CompiledWorkspace &w,
                           const std::vector<Tensor> &inputs, TraceFn trace,
                           void *user) {
  for (auto [slot, input] : llvm::zip(program.inputs, inputs)) {
    if (program.slots[slot].isFloat)
      w.floats[slot] = input.floats;
    else
      w.ints[slot].assign(input.ints.begin(), input.ints.end());
  }
  for (const CompiledProgram::Step &step : program.steps) {
    if (step.run) {
      if (w.profile) {
        auto start = std::chrono::steady_clock::now();
        step.run(program, w);
        w.stepNanos[&step - program.steps.data()] +=
            uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now() - start)
                         .count());
      } else {
        step.run(program, w);
      }
    }
    if (trace) {
      std::vector<Tensor> results;
      for (int r : step.results)
        results.push_back(toTensor(program, w, r));
      trace(user, step.op, results);
    }
  }
  std::vector<Tensor> outputs;
  for (int slot : program.outputs)
    outputs.push_back(toTensor(program, w, slot));
  return outputs;
}
