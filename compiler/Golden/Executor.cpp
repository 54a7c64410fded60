//===- Executor.cpp - golden execution of blend integer IR ----------------===//
//
// An interpreter over blend integer layer ops. Each op handler reads its
// operands' storage, applies the contract via Kernels.h, and writes storage
// of its result type; there is no float arithmetic between the input
// quantizer and the output dequantizer.
//
//===----------------------------------------------------------------------===//

#include "compiler/Golden/Executor.h"
#include "compiler/Golden/Compiled.h"
#include "compiler/Golden/Storage.h"
#include "runtime/golden/Kernels.h"

#include "dialects/Blend/BlendOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace blend;
using namespace blend::golden;

int64_t Tensor::size() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

namespace {

/// Calls fn(flat index, channel) for every element of a tensor of `shape`,
/// walking (outer, channel, inner) so no division is needed per element.
template <typename Fn>
void forEachWithChannel(ArrayRef<int64_t> shape, int64_t axis, Fn fn) {
  int64_t outer = 1, inner = 1, channels = shape[axis];
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  int64_t flat = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t i = 0; i < inner; ++i)
        fn(flat++, c);
}

/// Per-channel array access with broadcast of a single entry.
template <typename T> T at(ArrayRef<T> values, int64_t c) {
  return values.size() == 1 ? values[0] : values[c];
}

class Interpreter {
public:
  Interpreter(const llvm::DenseMap<Value, Tensor> &constants, TraceFn trace,
              void *user)
      : constants(constants), trace(trace), user(user) {}

  FailureOr<std::vector<Tensor>> run(func::FuncOp func,
                                     const std::vector<Tensor> &inputs);

private:
  LogicalResult step(Operation *op);
  LogicalResult runBlock(Block &block);
  Tensor resultFor(Value result) {
    auto type = cast<RankedTensorType>(result.getType());
    Tensor t;
    t.shape.assign(type.getShape().begin(), type.getShape().end());
    t.elementType = type.getElementType();
    if (isa<FloatType>(t.elementType))
      t.floats.resize(t.size());
    else
      t.ints.resize(t.size());
    return t;
  }
  const Tensor &get(Value v) {
    auto it = values.find(v);
    return it != values.end() ? it->second : constants.find(v)->second;
  }

public:
  /// Decodes a blend.constant into `out`.
  static LogicalResult decodeConstant(ConstantOp op, Tensor &out);

private:
  LogicalResult conv(Conv2DOp op);
  LogicalResult matmul(MatMulOp op);
  LogicalResult maxPool(MaxPool2DOp op);
  LogicalResult argMax(ArgMaxOp op);
  /// One method per op kind (step dispatches).
  LogicalResult execReshape(ReshapeOp r);
  LogicalResult execErfOrTanh(Operation *m);
  LogicalResult execLayerNorm(LayerNormOp ln);
  LogicalResult execMultiThreshold(MultiThresholdOp mt);
  LogicalResult execPad(PadOp pad);
  LogicalResult execChannelScale(ChannelScaleOp cs);
  LogicalResult execConcat(ConcatOp c);
  LogicalResult execClip(ClipOp c);
  LogicalResult execAvgPool2D(AvgPool2DOp p);
  LogicalResult execBatchNorm(BatchNormOp bn);
  LogicalResult execArithConstant(arith::ConstantOp c);
  LogicalResult execFloatArith(Operation *a);
  LogicalResult execArithCmpF(arith::CmpFOp c);
  LogicalResult execArithSelect(arith::SelectOp sel);
  LogicalResult execTranspose(TransposeOp t);
  LogicalResult execSumPool2D(SumPool2DOp p);
  LogicalResult execQuantize(QuantizeOp q);
  LogicalResult execDequantize(DequantizeOp d);
  LogicalResult execBinarize(BinarizeOp b);
  LogicalResult execThreshold(ThresholdOp t);
  LogicalResult execRequant(RequantOp r);
  LogicalResult execAdd(AddOp a);

  llvm::DenseMap<Value, Tensor> values;
  const llvm::DenseMap<Value, Tensor> &constants;
  TraceFn trace;
  void *user;
};

LogicalResult Interpreter::decodeConstant(ConstantOp op, Tensor &t) {
  std::optional<DenseElementsAttr> denseOr = getDenseElements(op.getValue());
  if (!denseOr)
    return op.emitOpError("golden executor cannot read this constant's data");
  DenseElementsAttr dense = *denseOr;
  auto type = cast<RankedTensorType>(op.getType());
  t.shape.assign(type.getShape().begin(), type.getShape().end());
  t.elementType = type.getElementType();
  if (isa<FloatType>(t.elementType))
    t.floats.resize(t.size());
  else
    t.ints.resize(t.size());
  if (isa<FloatType>(t.elementType)) {
    size_t i = 0;
    for (APFloat v : dense.getValues<APFloat>())
      t.floats[i++] = v.convertToFloat();
  } else {
    bool isSigned = true;
    if (auto fixed = dyn_cast<FixedType>(t.elementType))
      isSigned = fixed.isSigned();
    else if (isa<BinaryType>(t.elementType) ||
             t.elementType.isUnsignedInteger())
      isSigned = false;
    size_t i = 0;
    for (APInt v : dense.getValues<APInt>())
      t.ints[i++] = isSigned ? v.getSExtValue() : int64_t(v.getZExtValue());
  }
  return success();
}

LogicalResult Interpreter::conv(Conv2DOp op) {
  const Tensor &x = get(op.getInput());
  const Tensor &w = get(op.getWeight());
  Tensor out = resultFor(op.getResult());
  ConvGeometry g{x.shape[0],      x.shape[1],         x.shape[2],
                 x.shape[3],      w.shape[0],         w.shape[2],
                 w.shape[3],      op.getStrides()[0], op.getStrides()[1],
                 op.getPads()[0], op.getPads()[1],    out.shape[2],
                 out.shape[3]};
  if (isa<BinaryType>(x.elementType)) {
    out.ints = binaryConv2dPacked(x.ints, w.ints, g);
  } else if (isa<FixedType>(x.elementType)) {
    std::vector<int64_t> bias;
    if (op.getBias())
      bias = get(op.getBias()).ints;
    out.ints =
        fixedConv2dFast(x.ints, zeroPointOf(x.elementType), w.ints, bias, g);
  } else if (isa<FloatType>(x.elementType)) {
    // The imported graph in float32 (blend-run --no-lower).
    const std::vector<float> *bias =
        op.getBias() ? &get(op.getBias()).floats : nullptr;
    size_t k = 0;
    for (int64_t n = 0; n < g.n; ++n)
      for (int64_t o = 0; o < g.o; ++o)
        for (int64_t y = 0; y < g.oh; ++y)
          for (int64_t xo = 0; xo < g.ow; ++xo) {
            float acc = bias ? (*bias)[o] : 0.0f;
            for (int64_t c = 0; c < g.c; ++c)
              for (int64_t i = 0; i < g.kh; ++i) {
                int64_t iy = y * g.sh + i - g.pt;
                if (iy < 0 || iy >= g.h)
                  continue;
                for (int64_t j = 0; j < g.kw; ++j) {
                  int64_t ix = xo * g.sw + j - g.pl;
                  if (ix < 0 || ix >= g.w)
                    continue;
                  acc += x.floats[((n * g.c + c) * g.h + iy) * g.w + ix] *
                         w.floats[((o * g.c + c) * g.kh + i) * g.kw + j];
                }
              }
            out.floats[k++] = acc;
          }
  } else {
    return op.emitOpError("golden executor runs only binary, fixed-point and "
                          "float convolutions");
  }
  values[op.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::matmul(MatMulOp op) {
  const Tensor &a = get(op.getLhs());
  const Tensor &w = get(op.getRhs());
  Tensor out = resultFor(op.getResult());
  int64_t k = w.shape[0], n = w.shape[1], rows = a.size() / k;
  if (isa<FloatType>(a.elementType)) {
    const std::vector<float> *bias =
        op.getBias() ? &get(op.getBias()).floats : nullptr;
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < n; ++j) {
        float acc = bias ? (*bias)[j] : 0.0f;
        for (int64_t i = 0; i < k; ++i)
          acc += a.floats[r * k + i] * w.floats[i * n + j];
        out.floats[r * n + j] = acc;
      }
    values[op.getResult()] = std::move(out);
    return success();
  }
  bool binary = isa<BinaryType>(a.elementType);
  if (!binary && !isa<FixedType>(a.elementType))
    return op.emitOpError("golden executor runs only binary and fixed-point "
                          "matmuls");
  int64_t zp = zeroPointOf(a.elementType);
  const std::vector<int64_t> *bias =
      op.getBias() ? &get(op.getBias()).ints : nullptr;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < n; ++j) {
      int64_t acc = bias ? (*bias)[j] : 0;
      for (int64_t i = 0; i < k; ++i) {
        int64_t av = a.ints[r * k + i], wv = w.ints[i * n + j];
        acc += binary ? (av == wv ? 1 : -1) : (av - zp) * wv;
      }
      out.ints[r * n + j] = acc;
    }
  values[op.getResult()] = std::move(out);
  return success();
}

/// Reduces every kernel window of an NCHW tensor: acc = combine(acc, q) over
/// the window's taps inside the input (padding never contributes).
template <typename Combine>
static void reduceWindows(const Tensor &x, Tensor &out, ArrayRef<int64_t> k,
                          ArrayRef<int64_t> s, ArrayRef<int64_t> p,
                          int64_t init, Combine combine) {
  int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  int64_t OH = out.shape[2], OW = out.shape[3];
  size_t idx = 0;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t y = 0; y < OH; ++y)
        for (int64_t xo = 0; xo < OW; ++xo) {
          int64_t acc = init;
          for (int64_t i = 0; i < k[0]; ++i)
            for (int64_t j = 0; j < k[1]; ++j) {
              int64_t iy = y * s[0] + i - p[0], ix = xo * s[1] + j - p[1];
              if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                acc = combine(acc, x.ints[((n * C + c) * H + iy) * W + ix]);
            }
          out.ints[idx++] = acc;
        }
}

/// Max or average over every window of a float NCHW tensor (padding never
/// wins a max; the average divides by the taps inside the input, or by the
/// whole window when `countPad`).
static void floatWindows(const Tensor &x, Tensor &out, ArrayRef<int64_t> k,
                         ArrayRef<int64_t> s, ArrayRef<int64_t> p, bool average,
                         bool countPad) {
  int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  int64_t OH = out.shape[2], OW = out.shape[3];
  size_t idx = 0;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t y = 0; y < OH; ++y)
        for (int64_t xo = 0; xo < OW; ++xo) {
          float acc = average ? 0.0f : -INFINITY;
          int64_t taps = 0;
          for (int64_t i = 0; i < k[0]; ++i)
            for (int64_t j = 0; j < k[1]; ++j) {
              int64_t iy = y * s[0] + i - p[0], ix = xo * s[1] + j - p[1];
              if (iy < 0 || iy >= H || ix < 0 || ix >= W)
                continue;
              float v = x.floats[((n * C + c) * H + iy) * W + ix];
              acc = average ? acc + v : std::max(acc, v);
              ++taps;
            }
          if (average) {
            int64_t divisor = taps;
            if (countPad) {
              // ONNX counts padded taps, not positions beyond the padded input.
              int64_t h0 = y * s[0] - p[0], w0 = xo * s[1] - p[1];
              int64_t h1 = std::min(h0 + k[0], H + p[2]);
              int64_t w1 = std::min(w0 + k[1], W + p[3]);
              divisor = (h1 - h0) * (w1 - w0);
            }
            acc /= float(divisor);
          }
          out.floats[idx++] = acc;
        }
}

LogicalResult Interpreter::maxPool(MaxPool2DOp op) {
  const Tensor &x = get(op.getInput());
  Tensor out = resultFor(op.getResult());
  if (isa<FloatType>(x.elementType))
    floatWindows(x, out, op.getKernel(), op.getStrides(), op.getPads(),
                 /*average=*/false, false);
  else
    reduceWindows(x, out, op.getKernel(), op.getStrides(), op.getPads(),
                  INT64_MIN,
                  [](int64_t a, int64_t q) { return std::max(a, q); });
  values[op.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::argMax(ArgMaxOp op) {
  const Tensor &x = get(op.getInput());
  Tensor out = resultFor(op.getResult());
  int64_t axis = op.getAxis(), extent = x.shape[axis], inner = 1;
  for (size_t d = axis + 1; d < x.shape.size(); ++d)
    inner *= x.shape[d];
  bool isFloat = isa<FloatType>(x.elementType);
  for (int64_t o = 0; o < out.size(); ++o) {
    int64_t base = (o / inner) * extent * inner + o % inner, best = 0;
    // The first of equal largest values wins (onnxruntime's TopK order).
    for (int64_t k = 1; k < extent; ++k) {
      int64_t i = base + k * inner, j = base + best * inner;
      if (isFloat ? x.floats[i] > x.floats[j] : x.ints[i] > x.ints[j])
        best = k;
    }
    out.ints[o] = best;
  }
  values[op.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::step(Operation *op) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](ConstantOp) { return success(); }) // decoded by Program
      .Case([&](Conv2DOp c) { return conv(c); })
      .Case([&](MatMulOp m) { return matmul(m); })
      .Case([&](MaxPool2DOp m) { return maxPool(m); })
      .Case([&](ArgMaxOp a) { return argMax(a); })
      .Case([&](ReshapeOp r) { return execReshape(r); })
      .Case<math::ErfOp, math::TanhOp>(
          [&](Operation *m) { return execErfOrTanh(m); })
      .Case([&](LayerNormOp ln) { return execLayerNorm(ln); })
      .Case([&](MultiThresholdOp mt) { return execMultiThreshold(mt); })
      .Case([&](PadOp pad) { return execPad(pad); })
      .Case([&](ChannelScaleOp cs) { return execChannelScale(cs); })
      .Case([&](ConcatOp c) { return execConcat(c); })
      .Case([&](ClipOp c) { return execClip(c); })
      .Case([&](AvgPool2DOp p) { return execAvgPool2D(p); })
      .Case([&](BatchNormOp bn) { return execBatchNorm(bn); })
      .Case([&](arith::ConstantOp c) { return execArithConstant(c); })
      .Case<arith::AddFOp, arith::SubFOp, arith::MulFOp, arith::DivFOp>(
          [&](Operation *a) { return execFloatArith(a); })
      .Case([&](arith::CmpFOp c) { return execArithCmpF(c); })
      .Case([&](arith::SelectOp sel) { return execArithSelect(sel); })
      .Case([&](TransposeOp t) { return execTranspose(t); })
      .Case([&](SumPool2DOp p) { return execSumPool2D(p); })
      .Case([&](QuantizeOp q) { return execQuantize(q); })
      .Case([&](DequantizeOp d) { return execDequantize(d); })
      .Case([&](BinarizeOp b) { return execBinarize(b); })
      .Case([&](ThresholdOp t) { return execThreshold(t); })
      .Case([&](RequantOp r) { return execRequant(r); })
      .Case([&](AddOp a) { return execAdd(a); })
      .Default([&](Operation *other) {
        return other->emitOpError(
            "is not executable by the golden executor; lower the model to "
            "integer layer ops first (blend-lower-to-integer)");
      });
}

LogicalResult Interpreter::execReshape(ReshapeOp r) {
  Tensor out = get(r.getInput());
  auto type = cast<RankedTensorType>(r.getType());
  out.shape.assign(type.getShape().begin(), type.getShape().end());
  values[r.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execErfOrTanh(Operation *m) {
  const Tensor &x = get(m->getOperand(0));
  Tensor out = resultFor(m->getResult(0));
  bool erf = isa<math::ErfOp>(m);
  for (int64_t i = 0; i < out.size(); ++i)
    out.floats[i] = erf ? std::erf(x.floats[i]) : std::tanh(x.floats[i]);
  values[m->getResult(0)] = std::move(out);
  return success();
}

LogicalResult Interpreter::execLayerNorm(LayerNormOp ln) {
  const Tensor &x = get(ln.getInput());
  const std::vector<float> &g = get(ln.getScale()).floats;
  const std::vector<float> *bias =
      ln.getBias() ? &get(ln.getBias()).floats : nullptr;
  Tensor out = resultFor(ln.getResult());
  int64_t inner = 1;
  for (size_t d = size_t(ln.getAxis()); d < x.shape.size(); ++d)
    inner *= x.shape[d];
  double eps = ln.getEpsilon().convertToDouble();
  for (int64_t o = 0; o < x.size() / inner; ++o) {
    const float *row = &x.floats[o * inner];
    double mean = 0, var = 0;
    for (int64_t i = 0; i < inner; ++i)
      mean += row[i];
    mean /= double(inner);
    for (int64_t i = 0; i < inner; ++i)
      var += (row[i] - mean) * (row[i] - mean);
    var /= double(inner);
    double inv = 1.0 / std::sqrt(var + eps);
    for (int64_t i = 0; i < inner; ++i)
      out.floats[o * inner + i] =
          float((row[i] - mean) * inv * g[i] + (bias ? (*bias)[i] : 0.0f));
  }
  values[ln.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execMultiThreshold(MultiThresholdOp mt) {
  const Tensor &x = get(mt.getInput());
  Tensor out = resultFor(mt.getResult());
  int64_t steps = int64_t(mt.getSteps());
  ArrayRef<double> th = mt.getThresholds();
  bool perChannel = int64_t(th.size()) != steps;
  double outScale = mt.getOutScale().convertToDouble();
  double outBias = mt.getOutBias().convertToDouble();
  bool floatIn = isa<FloatType>(x.elementType);
  auto fixedOut = dyn_cast<FixedType>(out.elementType);
  forEachWithChannel(x.shape, int64_t(mt.getAxis()), [&](int64_t i, int64_t c) {
    int64_t count = 0;
    for (int64_t t = 0; t < steps; ++t) {
      double theta = th[(perChannel ? c * steps : 0) + t];
      if (floatIn)
        count += x.floats[i] >= float(theta);
      else
        count += x.ints[i] >=
                 ClipOp::getStorageBounds(x.elementType, theta, INFINITY).first;
    }
    if (fixedOut)
      out.ints[i] = count;
    else
      out.floats[i] = float(outScale * double(count) + outBias);
  });
  values[mt.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execPad(PadOp pad) {
  const Tensor &x = get(pad.getInput());
  Tensor out = resultFor(pad.getResult());
  std::fill(out.floats.begin(), out.floats.end(),
            float(pad.getValue().convertToDouble()));
  size_t rank = x.shape.size();
  ArrayRef<int64_t> pads = pad.getPads();
  SmallVector<int64_t> index(rank, 0), outStrides(rank, 1);
  for (int64_t d = int64_t(rank) - 2; d >= 0; --d)
    outStrides[d] = outStrides[d + 1] * out.shape[d + 1];
  for (int64_t n = 0, e = x.size(); n < e; ++n) {
    int64_t offset = 0;
    for (size_t d = 0; d < rank; ++d)
      offset += (index[d] + pads[d]) * outStrides[d];
    out.floats[offset] = x.floats[n];
    for (int64_t d = int64_t(rank) - 1; d >= 0; --d) {
      if (++index[d] < x.shape[d])
        break;
      index[d] = 0;
    }
  }
  values[pad.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execChannelScale(ChannelScaleOp cs) {
  const Tensor &x = get(cs.getInput());
  Tensor out = resultFor(cs.getResult());
  float scale = 1.0f;
  int64_t zp = zeroPointOf(x.elementType);
  bool binary = isa<BinaryType>(x.elementType);
  if (auto fixed = dyn_cast<FixedType>(x.elementType))
    scale = float(fixed.getScaleValue());
  ArrayRef<double> s = cs.getScales();
  forEachWithChannel(x.shape, int64_t(cs.getAxis()), [&](int64_t i, int64_t c) {
    float real =
        binary ? (x.ints[i] ? 1.0f : -1.0f) : dequantize(x.ints[i], scale, zp);
    out.floats[i] = real * float(at(s, c));
  });
  values[cs.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execConcat(ConcatOp c) {
  Tensor out = resultFor(c.getResult());
  int64_t axis = c.getAxis(), outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= out.shape[d];
  bool isFloat = isa<FloatType>(out.elementType);
  int64_t offset = 0, rowOut = out.size() / outer;
  for (Value input : c.getInputs()) {
    const Tensor &x = get(input);
    int64_t row = x.size() / outer;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < row; ++i) {
        if (isFloat)
          out.floats[o * rowOut + offset + i] = x.floats[o * row + i];
        else
          out.ints[o * rowOut + offset + i] = x.ints[o * row + i];
      }
    offset += row;
  }
  values[c.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execClip(ClipOp c) {
  const Tensor &x = get(c.getInput());
  Tensor out = resultFor(c.getResult());
  double min = c.getMin().convertToDouble(), max = c.getMax().convertToDouble();
  if (isa<FloatType>(x.elementType)) {
    for (int64_t i = 0; i < out.size(); ++i)
      out.floats[i] = float(std::min(std::max(double(x.floats[i]), min), max));
  } else {
    auto [lo, hi] = ClipOp::getStorageBounds(x.elementType, min, max);
    for (int64_t i = 0; i < out.size(); ++i)
      out.ints[i] = std::min(std::max(x.ints[i], lo), hi);
  }
  values[c.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execAvgPool2D(AvgPool2DOp p) {
  const Tensor &x = get(p.getInput());
  if (!isa<FloatType>(x.elementType))
    return p.emitOpError("golden executor averages only float values; "
                         "lower to an exact sum pool first");
  Tensor out = resultFor(p.getResult());
  floatWindows(x, out, p.getKernel(), p.getStrides(), p.getPads(),
               /*average=*/true, p.getCountIncludePad());
  values[p.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execBatchNorm(BatchNormOp bn) {
  const Tensor &x = get(bn.getInput());
  if (!isa<FloatType>(x.elementType))
    return bn.emitOpError("golden executor normalizes only float values");
  const std::vector<float> &g = get(bn.getScale()).floats,
                           &b = get(bn.getBias()).floats,
                           &m = get(bn.getMean()).floats,
                           &v = get(bn.getVariance()).floats;
  float eps = float(bn.getEpsilon().convertToDouble());
  Tensor out = resultFor(bn.getResult());
  forEachWithChannel(x.shape, bn.getAxis(), [&](int64_t i, int64_t c) {
    out.floats[i] = (x.floats[i] - m[c]) / std::sqrt(v[c] + eps) * g[c] + b[c];
  });
  values[bn.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execArithConstant(arith::ConstantOp c) {
  auto dense = dyn_cast<DenseElementsAttr>(c.getValue());
  auto type = dyn_cast<RankedTensorType>(c.getType());
  if (!dense || !type)
    return c.emitOpError("golden executor needs a dense tensor constant");
  Tensor t;
  t.shape.assign(type.getShape().begin(), type.getShape().end());
  t.elementType = type.getElementType();
  if (isa<FloatType>(t.elementType)) {
    for (APFloat v : dense.getValues<APFloat>())
      t.floats.push_back(v.convertToFloat());
  } else {
    for (APInt v : dense.getValues<APInt>())
      t.ints.push_back(v.getBitWidth() == 1 ? int64_t(v.getZExtValue())
                                            : v.getSExtValue());
  }
  values[c.getResult()] = std::move(t);
  return success();
}

LogicalResult Interpreter::execFloatArith(Operation *a) {
  const Tensor &l = get(a->getOperand(0)), &r = get(a->getOperand(1));
  Tensor out = resultFor(a->getResult(0));
  if (l.floats.size() != size_t(out.size()) ||
      r.floats.size() != size_t(out.size()))
    return a->emitOpError("golden executor needs float tensors");
  for (int64_t i = 0; i < out.size(); ++i) {
    float x = l.floats[i], y = r.floats[i];
    out.floats[i] = isa<arith::AddFOp>(a)   ? x + y
                    : isa<arith::SubFOp>(a) ? x - y
                    : isa<arith::MulFOp>(a) ? x * y
                                            : x / y;
  }
  values[a->getResult(0)] = std::move(out);
  return success();
}

LogicalResult Interpreter::execArithCmpF(arith::CmpFOp c) {
  const Tensor &l = get(c.getLhs()), &r = get(c.getRhs());
  Tensor out = resultFor(c.getResult());
  for (int64_t i = 0; i < out.size(); ++i) {
    float a = l.floats[i], b = r.floats[i];
    bool v;
    switch (c.getPredicate()) {
    case arith::CmpFPredicate::OGT:
      v = a > b;
      break;
    case arith::CmpFPredicate::OGE:
      v = a >= b;
      break;
    case arith::CmpFPredicate::OLT:
      v = a < b;
      break;
    case arith::CmpFPredicate::OLE:
      v = a <= b;
      break;
    case arith::CmpFPredicate::OEQ:
      v = a == b;
      break;
    default:
      return c.emitOpError("predicate not executable");
    }
    out.ints[i] = v;
  }
  values[c.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execArithSelect(arith::SelectOp sel) {
  const Tensor &cond = get(sel.getCondition()), &t = get(sel.getTrueValue()),
               &f = get(sel.getFalseValue());
  Tensor out = resultFor(sel.getResult());
  bool isFloat = isa<FloatType>(out.elementType);
  for (int64_t i = 0; i < out.size(); ++i) {
    const Tensor &from = cond.ints[i] ? t : f;
    if (isFloat)
      out.floats[i] = from.floats[i];
    else
      out.ints[i] = from.ints[i];
  }
  values[sel.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execTranspose(TransposeOp t) {
  const Tensor &x = get(t.getInput());
  Tensor out = resultFor(t.getResult());
  bool isFloat = isa<FloatType>(x.elementType);
  forEachTransposed(x.shape,
                    std::vector<int64_t>(t.getPermutation().begin(),
                                         t.getPermutation().end()),
                    [&](int64_t n, int64_t offset) {
                      if (isFloat)
                        out.floats[n] = x.floats[offset];
                      else
                        out.ints[n] = x.ints[offset];
                    });
  values[t.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execSumPool2D(SumPool2DOp p) {
  const Tensor &x = get(p.getInput());
  Tensor out = resultFor(p.getResult());
  int64_t zp = zeroPointOf(x.elementType);
  reduceWindows(x, out, p.getKernel(), p.getStrides(), {0, 0, 0, 0}, 0,
                [zp](int64_t a, int64_t q) { return a + (q - zp); });
  values[p.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execQuantize(QuantizeOp q) {
  const Tensor &x = get(q.getInput());
  Tensor out = resultFor(q.getResult());
  auto fixed = cast<FixedType>(out.elementType);
  float scale = float(fixed.getScaleValue());
  for (int64_t i = 0; i < out.size(); ++i)
    out.ints[i] = quantize(x.floats[i], scale, fixed.getZeroPoint(),
                           storageRangeOf(fixed));
  values[q.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execDequantize(DequantizeOp d) {
  const Tensor &x = get(d.getInput());
  Tensor out = resultFor(d.getResult());
  float scale = 1.0f;
  int64_t zp = 0;
  bool binary = isa<BinaryType>(x.elementType);
  if (auto fixed = dyn_cast<FixedType>(x.elementType)) {
    scale = float(fixed.getScaleValue());
    zp = fixed.getZeroPoint();
  }
  for (int64_t i = 0; i < out.size(); ++i)
    out.floats[i] =
        binary ? (x.ints[i] ? 1.0f : -1.0f) : dequantize(x.ints[i], scale, zp);
  values[d.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execBinarize(BinarizeOp b) {
  const Tensor &x = get(b.getInput());
  Tensor out = resultFor(b.getResult());
  if (isa<FloatType>(x.elementType)) {
    bool sign = b->hasAttr("blend.sign");
    for (int64_t i = 0; i < out.size(); ++i) {
      if (sign && x.floats[i] == 0.0f)
        return b.emitOpError("(an ONNX Sign) saw an exact 0 at element ")
               << i << ", where Sign gives 0, which is not binary";
      out.ints[i] = x.floats[i] >= 0.0f ? 1 : 0;
    }
  } else {
    int64_t zp = zeroPointOf(x.elementType);
    for (int64_t i = 0; i < out.size(); ++i)
      out.ints[i] = x.ints[i] >= zp ? 1 : 0;
  }
  values[b.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execThreshold(ThresholdOp t) {
  const Tensor &x = get(t.getInput());
  Tensor out = resultFor(t.getResult());
  ArrayRef<int64_t> tau = t.getThresholds();
  ArrayRef<bool> flip = t.getFlip();
  forEachWithChannel(x.shape, t.getAxis(), [&](int64_t i, int64_t c) {
    out.ints[i] = threshold(x.ints[i], at(tau, c), at(flip, c)) ? 1 : 0;
  });
  values[t.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execRequant(RequantOp r) {
  const Tensor &x = get(r.getInput());
  Tensor out = resultFor(r.getResult());
  int64_t zpIn = zeroPointOf(x.elementType);
  int64_t zpOut = zeroPointOf(out.elementType);
  StorageRange range = storageRangeOf(out.elementType);
  Rounding rounding =
      r.getRounding() == RoundingMode::HalfEven ? Rounding::HalfEven
      : r.getRounding() == RoundingMode::Floor  ? Rounding::Floor
                                                : Rounding::HalfUp;
  ArrayRef<int64_t> m = r.getMultiplier(), sh = r.getShift(), b = r.getBias();
  forEachWithChannel(x.shape, r.getAxis(), [&](int64_t i, int64_t c) {
    out.ints[i] = requantize(x.ints[i] - zpIn, at(m, c), at(sh, c), at(b, c),
                             rounding, zpOut, range);
  });
  values[r.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::execAdd(AddOp a) {
  const Tensor &l = get(a.getLhs()), &r = get(a.getRhs());
  Tensor out = resultFor(a.getResult());
  if (isa<FloatType>(out.elementType)) {
    for (int64_t i = 0; i < out.size(); ++i)
      out.floats[i] = l.floats[i] + r.floats[i];
    values[a.getResult()] = std::move(out);
    return success();
  }
  int64_t zl = zeroPointOf(l.elementType), zr = zeroPointOf(r.elementType),
          zo = zeroPointOf(out.elementType);
  for (int64_t i = 0; i < out.size(); ++i)
    out.ints[i] = (l.ints[i] - zl) + (r.ints[i] - zr) + zo;
  values[a.getResult()] = std::move(out);
  return success();
}

LogicalResult Interpreter::runBlock(Block &block) {
  for (Operation &op : block.without_terminator()) {
    if (auto fused = dyn_cast<BlendModuleOp>(op)) {
      // A fused Blend module executes its body (each inner op is traced).
      // Copy before inserting: insertion may move the map's storage.
      for (auto [arg, input] :
           llvm::zip(fused.getBlock().getArguments(), fused.getInputs())) {
        Tensor t = get(input);
        values[arg] = std::move(t);
      }
      if (failed(runBlock(fused.getBlock())))
        return failure();
      for (auto [result, yielded] :
           llvm::zip(fused.getResults(), fused.getYield().getValues())) {
        Tensor t = get(yielded);
        values[result] = std::move(t);
      }
      continue;
    }
    if (failed(step(&op)))
      return failure();
    if (trace) {
      std::vector<Tensor> results;
      for (Value r : op.getResults())
        results.push_back(get(r));
      trace(user, &op, results);
    }
  }
  return success();
}

FailureOr<std::vector<Tensor>>
Interpreter::run(func::FuncOp func, const std::vector<Tensor> &inputs) {
  Block &body = func.getBody().front();
  if (inputs.size() != body.getNumArguments())
    return func.emitError("expects ")
           << body.getNumArguments() << " inputs, got " << inputs.size();
  for (auto [arg, input] : llvm::zip(body.getArguments(), inputs)) {
    auto type = cast<RankedTensorType>(arg.getType());
    if (ArrayRef<int64_t>(input.shape) != type.getShape())
      return func.emitError("input shape does not match argument type ")
             << type;
    values[arg] = input;
    values[arg].elementType = type.getElementType();
  }
  if (failed(runBlock(body)))
    return failure();
  std::vector<Tensor> outputs;
  for (Value v : body.getTerminator()->getOperands())
    outputs.push_back(get(v));
  return outputs;
}
} // namespace

struct Program::Impl {
  func::FuncOp func;
  llvm::DenseMap<Value, Tensor> constants;
  std::unique_ptr<CompiledProgram> compiled;
  std::string whyReference;
};

struct Program::Workspace {
  CompiledWorkspace buffers;
};

Program::~Program() = default;

void Program::enableProfile(Workspace &workspace) {
  workspace.buffers.profile = true;
}

/// The kernel an op runs on: its name, and for linear layers the operand kind.
static std::string kernelName(Operation *op) {
  std::string name = op->getName().stripDialect().str();
  if (isa<Conv2DOp, MatMulOp>(op)) {
    Type element =
        cast<RankedTensorType>(op->getOperand(0).getType()).getElementType();
    name += isa<BinaryType>(element) ? " binary" : " fixed";
  }
  return name;
}

std::string
Program::profileReport(ArrayRef<const Workspace *> workspaces) const {
  if (!impl->compiled)
    return "profile: the reference interpreter is not profiled\n";
  llvm::StringMap<uint64_t> nanos;
  llvm::StringMap<unsigned> counts;
  uint64_t total = 0;
  const CompiledProgram &program = *impl->compiled;
  for (size_t s = 0; s < program.steps.size(); ++s) {
    if (!program.steps[s].run)
      continue;
    std::string name = kernelName(program.steps[s].op);
    ++counts[name];
    for (const Workspace *w : workspaces) {
      nanos[name] += w->buffers.stepNanos[s];
      total += w->buffers.stepNanos[s];
    }
  }
  std::vector<std::pair<std::string, uint64_t>> rows;
  for (auto &entry : nanos)
    rows.push_back({entry.getKey().str(), entry.getValue()});
  llvm::sort(rows, [](auto &a, auto &b) { return a.second > b.second; });
  std::string out;
  llvm::raw_string_ostream os(out);
  os << llvm::formatv("{0,-16} {1,5} {2,10} {3,7}\n", "kernel", "ops", "ms",
                      "share");
  for (auto &[name, ns] : rows)
    os << llvm::formatv("{0,-16} {1,5} {2,10:F1} {3,6:F1}%\n", name,
                        counts[name], double(ns) / 1e6,
                        total ? 100.0 * double(ns) / double(total) : 0.0);
  os << llvm::formatv("{0,-16} {1,5} {2,10:F1}\n", "total", "",
                      double(total) / 1e6);
  return out;
}

bool Program::isCompiled() const { return impl->compiled != nullptr; }
const std::string &Program::whyReference() const { return impl->whyReference; }

void Program::WorkspaceDeleter::operator()(Workspace *workspace) const {
  delete workspace;
}

Program::WorkspacePtr Program::makeWorkspace() const {
  WorkspacePtr w(new Workspace());
  if (impl->compiled)
    w->buffers = golden::makeWorkspace(*impl->compiled);
  return w;
}

FailureOr<std::unique_ptr<Program>> Program::prepare(ModuleOp module,
                                                     Mode mode) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func)
    return module.emitError("the module has no func.func @main"), failure();
  std::unique_ptr<Program> program(new Program());
  program->impl = std::make_unique<Impl>();
  program->impl->func = func;
  WalkResult walk = func.walk([&](ConstantOp op) {
    Tensor t;
    if (failed(Interpreter::decodeConstant(op, t)))
      return WalkResult::interrupt();
    program->impl->constants[op.getResult()] = std::move(t);
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  if (mode == Mode::Fast)
    program->impl->compiled = compileProgram(func, program->impl->constants,
                                             program->impl->whyReference);
  else
    program->impl->whyReference = "the reference interpreter was requested";
  return program;
}

FailureOr<std::vector<Tensor>> Program::run(const std::vector<Tensor> &inputs,
                                            TraceFn trace, void *user) const {
  WorkspacePtr workspace = makeWorkspace();
  return run(inputs, *workspace, trace, user);
}

/// A graph input whose QONNX datatype annotation declares its values is read
/// through a quantizer marked `blend.declared` that must be the identity on
/// them: every element exactly on its grid and in range (and not 0 for
/// BIPOLAR). Anything else is refused naming the first bad element.
static LogicalResult checkDeclaredInputs(func::FuncOp func,
                                         const std::vector<Tensor> &inputs) {
  Block &body = func.getBody().front();
  for (auto [arg, input] : llvm::zip(body.getArguments(), inputs))
    for (Operation *user : arg.getUsers()) {
      auto q = dyn_cast<QuantizeOp>(user);
      auto declared =
          q ? q->getAttrOfType<StringAttr>("blend.declared") : StringAttr();
      if (!declared || input.floats.size() != size_t(input.size()))
        continue;
      auto fixed =
          cast<FixedType>(cast<RankedTensorType>(q.getType()).getElementType());
      float scale = float(fixed.getScaleValue());
      StorageRange range = storageRangeOf(fixed);
      bool bipolar = declared.getValue() == "BIPOLAR";
      for (size_t i = 0; i < input.floats.size(); ++i) {
        float x = input.floats[i];
        int64_t code = quantize(x, scale, fixed.getZeroPoint(), range);
        if (dequantize(code, scale, fixed.getZeroPoint()) != x ||
            (bipolar && code == 0))
          return q.emitError()
                 << "input element " << i << " is " << x << ", not a "
                 << declared.getValue()
                 << " value as the model's quantization annotation declares";
      }
    }
  return success();
}

FailureOr<std::vector<Tensor>> Program::run(const std::vector<Tensor> &inputs,
                                            Workspace &workspace, TraceFn trace,
                                            void *user) const {
  if (failed(checkDeclaredInputs(impl->func, inputs)))
    return failure();
  if (!impl->compiled) {
    Interpreter interpreter(impl->constants, trace, user);
    return interpreter.run(impl->func, inputs);
  }
  Block &body = impl->func.getBody().front();
  if (inputs.size() != body.getNumArguments())
    return impl->func.emitError("expects ")
           << body.getNumArguments() << " inputs, got " << inputs.size();
  for (auto [arg, input] : llvm::zip(body.getArguments(), inputs))
    if (ArrayRef<int64_t>(input.shape) !=
        cast<RankedTensorType>(arg.getType()).getShape())
      return impl->func.emitError("input shape does not match argument type ")
             << arg.getType();
  return runCompiled(*impl->compiled, workspace.buffers, inputs, trace, user);
}

FailureOr<std::vector<Tensor>>
blend::golden::execute(ModuleOp module, const std::vector<Tensor> &inputs,
                       TraceFn trace, void *user) {
  FailureOr<std::unique_ptr<Program>> program = Program::prepare(module);
  if (failed(program))
    return failure();
  return (*program)->run(inputs, trace, user);
}

FailureOr<std::vector<Tensor>>
blend::golden::execute(ModuleOp module, const std::vector<Tensor> &inputs) {
  return execute(module, inputs, nullptr, nullptr);
}
