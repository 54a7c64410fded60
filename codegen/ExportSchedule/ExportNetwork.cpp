//===- ExportNetwork.cpp - blend integer IR → a network schedule ----------===//
//
// A pass produces one tensor the hardware keeps (or streams out). The values
// that must exist as tensors are the inputs of convolutions and classifiers
// and the model output; each is produced by one of these forms (through fused
// blend.blend_module bodies):
//
//   threshold(conv_b)                          main path, binary output
//   requant(conv) | requant(head)              one path, int8 output
//   requant(add(requant(conv_b), requant(conv_f)))   join, int8 output
//   binarize(add(...))                         join, binary output
//   head (the model output, streamed)          one path, 32-bit values
//
// where conv_b is a binary convolution of a binarized int8 tensor or of a
// binary tensor, conv_f a fixed-point convolution of an int8 tensor, and head
// = matmul(reshape(sum_pool2d(x))) — a global sum pool followed by a
// classifier, which the fixed-point path computes as a KHxKW convolution whose
// taps share one weight matrix (exact: the pool is a sum). A threshold becomes
// the main path with multiplier ±1, shift 0 and bias ∓τ, whose sign the output
// stage takes.
//
//===----------------------------------------------------------------------===//

#include "codegen/ExportSchedule/ExportNetwork.h"

#include "codegen/ExportSchedule/ExportSchedule.h"
#include "codegen/ExportSchedule/LoweredIR.h"
#include "dialects/Blend/BlendOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/CommandLine.h"


using namespace mlir;
using namespace blend;
using namespace blend::schedule;
using namespace blend::lowered;

namespace {

constexpr int64_t kInt32Min = INT32_MIN, kInt32Max = INT32_MAX;

LogicalResult unsupported(Operation *op, const Twine &what) {
  return op->emitError() << "cannot be mapped to the accelerator: " << what;
}

/// unsupported() as the failure of a FailureOr-returning function.
LogicalResult refuse(Operation *op, const Twine &what) {
  (void)unsupported(op, what);
  return failure();
}

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

uint32_t widthOf(Type t) {
  if (auto fixed = dyn_cast<FixedType>(t))
    return fixed.getWidth();
  if (isa<BinaryType>(t))
    return 1;
  return t.getIntOrFloatBitWidth();
}



/// A si8 tensor the activation memory can hold (q − zp fits 9 bits signed).
bool isMemoryInt8(Type t) {
  auto fixed = dyn_cast<FixedType>(t);
  return fixed && fixed.isSigned() && fixed.getWidth() == 8;
}

/// One convolution-like path of a pass.
struct Path {
  Operation *op = nullptr; ///< the conv2d or matmul
  bool binary = false;
  Value source;            ///< the tensor read (int8, or binary / binarized)
  int64_t c = 0, h = 0, w = 0, kh = 0, kw = 0, stride = 1, pad = 0;
  bool shared = false;     ///< one weight matrix for every tap (the head)
  bool pixelMajor = false; ///< reads a rank-3 [1, pixels, channels] tensor
  std::vector<int64_t> weights; ///< storage ints, layout per kind below
  std::vector<int64_t> bias;    ///< per output channel, folded into the requant
  uint32_t accWidth = 0;
};

class NetworkBuilder {
public:
  NetworkBuilder(func::FuncOp func, const NetworkOptions &options)
      : func(func), options(options) {}
  FailureOr<Network> build();

private:
  func::FuncOp func;
  NetworkOptions options;
  Network net;
  /// The widest packed-row slot any pass uses (the tap copies' width).
  int64_t packBits = 16;
  /// Tensors the hardware holds, in production order: the input first.
  struct Tensor {
    int64_t pass;    ///< producing pass (−1: the input)
    int64_t pixels;
    int64_t lastUse; ///< last pass reading it
    int64_t base = 0;
  };
  std::vector<Tensor> tensors;
  llvm::DenseMap<Value, int64_t> tensorOf;     ///< a pass's value → tensor
  llvm::DenseMap<Value, int64_t> transposedOf; ///< stored value → its transpose

  /// What the pass being built reads; committed with it (transpose passes it
  /// needs go first).
  struct SourceRef {
    int64_t pass;
    int64_t tensor;
    bool binary;
    int64_t channels;
    uint32_t accWidth;
  };
  struct PendingTranspose {
    Pass pass;
    int64_t source, result;
  };
  std::vector<SourceRef> pendingRefs;
  std::vector<PendingTranspose> pendingTransposes;

  FailureOr<int64_t> needTensor(Value v, bool pixelMajor, Operation *user);
  FailureOr<Path> matchPath(Value acc, Operation *at);
  LogicalResult buildPass(Value v, bool stream, Pass &pass);
  LogicalResult addPathToPass(const Path &path, Pass &pass);
  void commitPass(Value v, Pass pass, int64_t pixels);
  LogicalResult splitIntoTiles(int64_t pe);
  void foldPasses(int64_t pe);
  void foldMainPath(Pass &p, int64_t pe);
  void foldSkipPath(Pass &p, int64_t pe);
  LogicalResult allocate();
  Value inputTensor;
  /// Every path of every pass: what it reads (for the allocator and the
  /// hardware widths).
  std::vector<SourceRef> refs;
};

/// Where a logical value's elements live: the value a pass stored (or the
/// input), and whether the logical value is pixel-major (a rank-3 [1, P, C]
/// view) or channel-major (NCHW, or a rank-3 [1, C, P] view) over it. Reshapes
/// that keep the channel axis and rank-3 transposes are views: no pass moves
/// data for them.
struct View {
  Value stored;
  bool pixelMajor;
};

/// Whether a value a pass produces is pixel-major: rank-3 layer outputs are
/// [1, pixels, channels].
bool producedPixelMajor(Value v) {
  return cast<RankedTensorType>(v.getType()).getRank() == 3;
}

FailureOr<View> viewOf(Value v) {
  v = resolve(v);
  if (auto t = v.getDefiningOp<TransposeOp>()) {
    ArrayRef<int64_t> perm = t.getPermutation();
    if (perm.size() != 3 || perm[0] != 0 || perm[1] != 2 || perm[2] != 1)
      return refuse(t, "only the [0, 2, 1] transpose of a rank-3 tensor has "
                       "a layout on blend_net");
    FailureOr<View> in = viewOf(t.getInput());
    if (failed(in))
      return failure();
    return View{in->stored, !in->pixelMajor};
  }
  if (auto r = v.getDefiningOp<ReshapeOp>()) {
    auto in = shapeOf(r.getInput()), out = shapeOf(r.getResult());
    FailureOr<View> from = viewOf(r.getInput());
    if (failed(from))
      return failure();
    // [1, C, H, W] <-> [1, C, H·W]: the channel axis and the pixel order stay.
    bool keeps = in.size() >= 3 && out.size() >= 3 && in.size() <= 4 &&
                 out.size() <= 4 && in[0] == 1 && out[0] == 1 &&
                 in[1] == out[1] && !from->pixelMajor;
    if (!keeps)
      return refuse(r, "a reshape that moves data between pixels and "
                       "channels has no layer pass on blend_net");
    return View{from->stored, false};
  }
  return View{v, producedPixelMajor(v)};
}

/// The value a binary convolution reads: a binarize of an int8 tensor reads
/// that tensor's binary view.
Value binarySource(Value input) {
  if (auto bin = defining<BinarizeOp>(input))
    return resolve(bin.getInput());
  return resolve(input);
}

/// The constant weights and optional bias of a path's op into `p` (a binary
/// path takes no bias: `binaryBias` names that refusal).
LogicalResult takeConstants(Path &p, Operation *op, Value weight, Value bias,
                            StringRef binaryBias) {
  FailureOr<std::vector<int64_t>> w = constantInts(weight);
  if (failed(w))
    return refuse(op, "weights must be constants");
  p.weights = std::move(*w);
  if (!bias)
    return success();
  if (p.binary)
    return refuse(op, binaryBias);
  FailureOr<std::vector<int64_t>> b = constantInts(bias);
  if (failed(b))
    return refuse(op, "the bias must be a constant");
  p.bias = std::move(*b);
  return success();
}

FailureOr<Path> NetworkBuilder::matchPath(Value acc, Operation *at) {
  Path p;
  if (auto conv = defining<Conv2DOp>(acc)) {
    p.op = conv;
    p.binary = isa<BinaryType>(elementOf(conv.getInput()));
    auto in = shapeOf(conv.getInput());
    auto wt = shapeOf(conv.getWeight());
    ArrayRef<int64_t> strides = conv.getStrides(), pads = conv.getPads();
    if (strides[0] != strides[1] || llvm::any_of(pads, [&](int64_t x) {
          return x != pads[0];
        }))
      return refuse(conv, "convolutions need equal strides and equal "
                               "pads on every side");
    p.c = in[1], p.h = in[2], p.w = in[3];
    p.kh = wt[2], p.kw = wt[3];
    p.stride = strides[0], p.pad = pads[0];
    p.source = p.binary ? binarySource(conv.getInput()) : resolve(conv.getInput());
    if (failed(takeConstants(p, conv, conv.getWeight(), conv.getBias(),
                             "a binary convolution with a bias")))
      return failure();
    if (!p.binary && widthOf(elementOf(conv.getWeight())) != 8)
      return refuse(conv, "fixed-point weights must be 8-bit");
    if (p.binary && p.kh != p.kw)
      return refuse(conv, "binary convolutions need square kernels");
    p.accWidth = widthOf(elementOf(conv.getResult()));
    return p;
  }
  if (auto mm = defining<MatMulOp>(acc);
      mm && shapeOf(mm.getLhs()).size() == 3) {
    // A token-wise linear layer, [1, P, C] x [C, O]: a 1x1 convolution over
    // P pixels of a pixel-major tensor.
    auto in = shapeOf(mm.getLhs());
    p.op = mm;
    p.binary = isa<BinaryType>(elementOf(mm.getLhs()));
    if (in[0] != 1)
      return refuse(mm, "a linear layer needs batch 1");
    if (p.binary != isa<BinaryType>(elementOf(mm.getRhs())) ||
        (!p.binary && widthOf(elementOf(mm.getRhs())) != 8))
      return refuse(mm, "a linear layer needs binary weights on binary "
                        "inputs and int8 weights on int8 inputs");
    p.source = p.binary ? binarySource(mm.getLhs()) : resolve(mm.getLhs());
    p.pixelMajor = true;
    p.c = in[2], p.h = in[1], p.w = 1;
    p.kh = p.kw = 1, p.stride = 1, p.pad = 0;
    if (failed(takeConstants(p, mm, mm.getRhs(), mm.getBias(),
                             "a binary linear layer with a bias")))
      return failure();
    int64_t o = shapeOf(mm.getRhs())[1];
    std::vector<int64_t> w(size_t(o * p.c)); // [C, O] -> [O, C, 1, 1]
    for (int64_t c = 0; c < p.c; ++c)
      for (int64_t oc = 0; oc < o; ++oc)
        w[size_t(oc * p.c + c)] = p.weights[size_t(c * o + oc)];
    p.weights = std::move(w);
    p.accWidth = widthOf(elementOf(mm.getResult()));
    return p;
  }
  if (auto mm = defining<MatMulOp>(acc)) {
    // The head: matmul(reshape(sum_pool2d(x))) or matmul(reshape(x)) of a 1x1
    // map — a KHxKW convolution with one shared weight matrix.
    p.op = mm;
    auto reshape = defining<ReshapeOp>(mm.getLhs());
    if (!reshape || shapeOf(mm.getLhs()).size() != 2)
      return refuse(mm, "a classifier must read a flattened NCHW tensor");
    Value x = resolve(reshape.getInput());
    if (auto pool = defining<SumPool2DOp>(x)) {
      auto in = shapeOf(pool.getInput());
      if (pool.getKernel()[0] != in[2] || pool.getKernel()[1] != in[3])
        return refuse(pool, "only a global sum pool can feed the "
                                 "classifier");
      x = resolve(pool.getInput());
    }
    auto in = shapeOf(x);
    if (in.size() != 4 || (!defining<SumPool2DOp>(resolve(reshape.getInput())) &&
                           (in[2] != 1 || in[3] != 1)))
      return refuse(mm, "a classifier must read a global pool or a 1x1 "
                             "map");
    if (isa<BinaryType>(elementOf(mm.getRhs())) ||
        widthOf(elementOf(mm.getRhs())) != 8)
      return refuse(mm, "classifier weights must be int8");
    p.binary = false;
    p.source = x;
    p.c = in[1], p.h = in[2], p.w = in[3];
    p.kh = in[2], p.kw = in[3];
    p.stride = 1, p.pad = 0;
    p.shared = true;
    if (failed(takeConstants(p, mm, mm.getRhs(), mm.getBias(), ""))) // [C, O]
      return failure();
    p.accWidth = widthOf(elementOf(mm.getResult()));
    return p;
  }
  Operation *def = resolve(acc).getDefiningOp();
  return refuse(def ? def : at,
                     "expected a convolution or a classifier here");
}

/// The tensor a path reads `v` from, laid out as it reads it: a rank-3 view
/// in the other layout than the stored tensor's gets a transpose pass (one
/// per stored tensor, shared by its readers).
FailureOr<int64_t> NetworkBuilder::needTensor(Value v, bool pixelMajor,
                                              Operation *user) {
  FailureOr<View> view = viewOf(v);
  if (failed(view))
    return failure();
  auto it = tensorOf.find(view->stored);
  if (it == tensorOf.end())
    return refuse(user, "its input is not a tensor an earlier layer pass "
                        "produced");
  int64_t id = it->second;
  if (view->pixelMajor == pixelMajor)
    return id;
  if (auto t = transposedOf.find(view->stored); t != transposedOf.end())
    return t->second;
  // A transpose pass: the stored tensor's P pixels of C channels become C
  // pixels of P channels.
  auto shape = shapeOf(resolve(v));
  if (shape.size() != 3)
    return refuse(user, "its input is laid out channels-first and would need "
                        "a transpose of a rank-" + Twine(shape.size()) +
                        " tensor");
  if (!isMemoryInt8(elementOf(view->stored)))
    return refuse(user, "only si8 tensors can be transposed on blend_net");
  using F = PassField;
  Pass t;
  int64_t pixels = pixelMajor ? shape[1] : shape[2];
  int64_t channels = pixelMajor ? shape[2] : shape[1];
  t[F::Transpose] = 1;
  t[F::O] = channels; // the source's pixels
  t[F::OH] = 1, t[F::OW] = pixels;
  t[F::JoinMin] = kInt32Min, t[F::JoinMax] = kInt32Max;
  t[F::OutMin] = kInt32Min, t[F::OutMax] = kInt32Max;
  Value traced = resolve(v);
  std::string loc;
  llvm::raw_string_ostream os(loc);
  traced.getLoc().print(os);
  t.op = traced.getDefiningOp()
             ? traced.getDefiningOp()->getName().stripDialect().str()
             : "input";
  t.location = os.str();
  t.channelLast = pixelMajor;
  int64_t result = int64_t(tensors.size());
  tensors.push_back({-1, pixels, -1});
  transposedOf[view->stored] = result;
  pendingTransposes.push_back({std::move(t), id, result});
  return result;
}

LogicalResult NetworkBuilder::addPathToPass(const Path &path, Pass &pass) {
  using F = PassField;
  FailureOr<int64_t> tensor = needTensor(path.source, path.pixelMajor, path.op);
  if (failed(tensor))
    return failure();
  pendingRefs.push_back({-1, *tensor, path.binary, path.c, path.accWidth});
  Type srcType = elementOf(path.source);
  if (path.binary) {
    if (!isa<BinaryType>(srcType) && !isMemoryInt8(srcType))
      return unsupported(path.op, "a binary convolution must read a binary "
                                  "tensor or a binarized si8 tensor");
    if (auto fixed = dyn_cast<FixedType>(srcType))
      if (*tensor == 0 && fixed.getZeroPoint() != 0)
        return unsupported(path.op, "a binarized model input needs zero "
                                    "point 0");
    pass[F::MainEnable] = 1;
    pass[F::MainC] = path.c;
    pass[F::MainWords] = (path.c + 47) / 48;
    pass[F::MainH] = path.h, pass[F::MainW] = path.w;
    pass[F::MainK] = path.kh;
    pass[F::MainStride] = path.stride, pass[F::MainPad] = path.pad;
    int64_t words = pass[F::MainWords], taps = path.kh * path.kw;
    int64_t o = pass[F::O];
    // The three taps of a 3x3 kernel row are packed back to back in slots of
    // S bits (bit S·kx + c of the row, S/16 words) when that takes fewer
    // beats than one (tap, word) per beat: S = 16 for C <= 16 (1 beat per
    // row instead of 3), 32 for C <= 32 (2 instead of 3), 64 for 48 < C <= 64
    // (4 instead of 6).
    int64_t slot = path.kh != 3 ? 0
                   : path.c <= 16 ? 16
                   : path.c <= 32 ? 32
                   : (path.c > 48 && path.c <= 64) ? 64
                                                   : 0;
    pass[F::MainPack] = slot;
    if (slot) {
      int64_t rowWords = slot / 16;
      pass[F::MainWords] = rowWords;
      pass.binaryWeights.assign(size_t(o * 3 * rowWords), 0);
      for (int64_t oc = 0; oc < o; ++oc)
        for (int64_t c = 0; c < path.c; ++c)
          for (int64_t ky = 0; ky < 3; ++ky)
            for (int64_t kx = 0; kx < 3; ++kx)
              if (path.weights[size_t((oc * path.c + c) * 9 + ky * 3 + kx)]) {
                int64_t bit = slot * kx + c;
                pass.binaryWeights[size_t((oc * 3 + ky) * rowWords + bit / 48)] |=
                    uint64_t(1) << (bit % 48);
              }
      packBits = std::max(packBits, slot);
      return success();
    }
    pass.binaryWeights.assign(size_t(o * taps * words), 0);
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t c = 0; c < path.c; ++c)
        for (int64_t tap = 0; tap < taps; ++tap)
          if (path.weights[size_t((oc * path.c + c) * taps + tap)])
            pass.binaryWeights[size_t((oc * taps + tap) * words + c / 48)] |=
                uint64_t(1) << (c % 48);
    return success();
  }
  if (!isMemoryInt8(srcType))
    return unsupported(path.op, "a fixed-point layer must read an si8 tensor");
  pass[F::SkipEnable] = 1;
  pass[F::SkipC] = path.c;
  pass[F::SkipH] = path.h, pass[F::SkipW] = path.w;
  pass[F::SkipKH] = path.kh, pass[F::SkipKW] = path.kw;
  pass[F::SkipStride] = path.stride, pass[F::SkipPad] = path.pad;
  pass[F::SkipShared] = path.shared;
  pass[F::SkipZeroPoint] = cast<FixedType>(srcType).getZeroPoint();
  // Rows of FixCh weights: (tap, channel group), channel = group·FixCh + f,
  // zero beyond C; shared weights have one tap.
  int64_t o = pass[F::O], fix = options.fixedChannels;
  int64_t groups = (path.c + fix - 1) / fix;
  int64_t taps = path.shared ? 1 : path.kh * path.kw;
  pass[F::SkipCGroups] = groups;
  pass.fixedWeights.assign(size_t(o * taps * groups * fix), 0);
  for (int64_t oc = 0; oc < o; ++oc)
    for (int64_t c = 0; c < path.c; ++c)
      for (int64_t tap = 0; tap < taps; ++tap) {
        int64_t w = path.shared
                        ? path.weights[size_t(c * o + oc)]
                        : path.weights[size_t((oc * path.c + c) * taps + tap)];
        int64_t row = tap * groups + c / fix;
        pass.fixedWeights[size_t((oc * taps * groups + row) * fix + c % fix)] =
            int8_t(w);
      }
  return success();
}

/// Output geometry of a pass from its result value.
LogicalResult setOutputShape(Value v, Pass &pass, Operation *at) {
  auto shape = shapeOf(v);
  using F = PassField;
  if (shape.size() == 4 && shape[0] == 1) {
    pass[F::O] = shape[1], pass[F::OH] = shape[2], pass[F::OW] = shape[3];
    return success();
  }
  if (shape.size() == 3 && shape[0] == 1) { // [1, P, C], pixel-major
    pass[F::O] = shape[2], pass[F::OH] = shape[1], pass[F::OW] = 1;
    pass.channelLast = true;
    return success();
  }
  if (shape.size() == 2 && shape[0] == 1) {
    pass[F::O] = shape[1], pass[F::OH] = 1, pass[F::OW] = 1;
    return success();
  }
  return unsupported(at, "layer outputs must be 1xCxHxW, 1xPxC tokens or "
                         "1xC logits");
}

/// Fills the requant constants of one path from `rq` (axis 1), folding the
/// path's own bias: round(((v + b)·m + bias) / 2^s) = round((v·m + b·m +
/// bias) / 2^s).
/// The axis a per-channel constant of a layer output runs along: 1 (NCHW,
/// logits) or the last axis of [1, P, C] tokens.
int64_t channelAxis(Value v) {
  return cast<RankedTensorType>(v.getType()).getRank() == 3 ? 2 : 1;
}

LogicalResult pathConstants(RequantOp rq, const Path &path, int64_t o,
                            std::vector<int64_t> &mult,
                            std::vector<int64_t> &shift,
                            std::vector<int64_t> &bias) {
  bool perChannelConstants = rq.getMultiplier().size() > 1 ||
                             rq.getShift().size() > 1 ||
                             rq.getBias().size() > 1;
  if (perChannelConstants && rq.getAxis() != channelAxis(rq.getResult()))
    return unsupported(rq, "requants must run along the channel axis");
  if (rq.getRounding() == RoundingMode::Floor)
    return unsupported(rq, "floor rounding (the accelerator rounds half up or "
                           "half to even)");
  if (auto fixed = dyn_cast<FixedType>(elementOf(rq.getInput())))
    if (fixed.getZeroPoint() != 0)
      return unsupported(rq, "the requant input must have zero point 0");
  mult = perChannel(rq.getMultiplier(), o);
  shift = perChannel(rq.getShift(), o);
  bias = perChannel(rq.getBias(), o);
  for (int64_t c = 0; c < o; ++c) {
    if (mult[c] < kInt32Min || mult[c] > kInt32Max)
      return unsupported(rq, "a requant multiplier exceeds 32 bits");
    if (!path.bias.empty())
      bias[c] += path.bias[path.bias.size() == 1 ? 0 : c] * mult[c];
  }
  return success();
}

LogicalResult NetworkBuilder::buildPass(Value v, bool stream, Pass &pass) {
  using F = PassField;
  Operation *def = v.getDefiningOp();
  if (!def)
    return unsupported(func, "a graph input cannot be a layer output");
  if (failed(setOutputShape(v, pass, def)))
    return failure();
  int64_t o = pass[F::O];
  pass[F::Stream] = stream;
  pass[F::JoinMin] = kInt32Min, pass[F::JoinMax] = kInt32Max;
  pass.outMultiplier.assign(o, 1);
  pass.outShift.assign(o, 0);
  pass.outBias.assign(o, 0);
  pass[F::OutMin] = kInt32Min, pass[F::OutMax] = kInt32Max;
  pass.mainMultiplier.assign(o, 0), pass.mainShift.assign(o, 0),
      pass.mainBias.assign(o, 0);
  pass.skipMultiplier.assign(o, 0), pass.skipShift.assign(o, 0),
      pass.skipBias.assign(o, 0);
  int64_t rounding = 0;

  // Output stage: where the join's sum goes.
  Value sum;
  if (auto th = dyn_cast<ThresholdOp>(def)) {
    if (th.getThresholds().size() > 1 &&
        th.getAxis() != channelAxis(th.getResult()))
      return unsupported(th, "thresholds must run along the channel axis");
    FailureOr<Path> path = matchPath(th.getInput(), th);
    if (failed(path))
      return failure();
    if (!path->binary)
      return unsupported(th, "a threshold must follow a binary convolution");
    std::vector<int64_t> tau = perChannel(th.getThresholds(), o);
    ArrayRef<bool> flips = th.getFlip();
    for (int64_t c = 0; c < o; ++c) {
      bool flip = flips.size() == 1 ? flips[0] : flips[c];
      // q ≥ τ ⟺ q − τ ≥ 0;  q ≤ τ ⟺ τ − q ≥ 0.
      pass.mainMultiplier[c] = flip ? -1 : 1;
      pass.mainBias[c] = flip ? tau[c] : -tau[c];
    }
    pass[F::OutBinary] = 1;
    return addPathToPass(*path, pass);
  }
  RequantOp outRq;
  if (auto bin = dyn_cast<BinarizeOp>(def)) {
    sum = bin.getInput();
    pass[F::OutBinary] = 1;
  } else if (auto rq = dyn_cast<RequantOp>(def)) {
    outRq = rq;
    auto fixed = cast<FixedType>(elementOf(rq.getResult()));
    if (!stream && !isMemoryInt8(fixed))
      return unsupported(rq, "tensors kept on chip must be si8");
    sum = rq.getInput();
    pass[F::OutZeroPoint] = fixed.getZeroPoint();
    pass[F::OutMin] = fixed.getStorageMin();
    pass[F::OutMax] = fixed.getStorageMax();
  } else if (stream && (isa<MatMulOp>(def) || isa<Conv2DOp>(def))) {
    // A streamed accumulator: the path alone with multiplier 1, shift 0.
    FailureOr<Path> path = matchPath(v, def);
    if (failed(path))
      return failure();
    if (path->accWidth > 32)
      return unsupported(def, "a streamed accumulator wider than 32 bits");
    if (auto fixed = dyn_cast<FixedType>(elementOf(v)))
      if (fixed.getZeroPoint() != 0)
        return unsupported(def, "the output must have zero point 0");
    auto &mult = path->binary ? pass.mainMultiplier : pass.skipMultiplier;
    auto &bias = path->binary ? pass.mainBias : pass.skipBias;
    for (int64_t c = 0; c < o; ++c) {
      mult[c] = 1;
      if (!path->bias.empty())
        bias[c] = path->bias[path->bias.size() == 1 ? 0 : c];
    }
    return addPathToPass(*path, pass);
  } else {
    return unsupported(def, "'" + def->getName().getStringRef() +
                                "' has no layer pass on blend_net (a layer "
                                "ends in a threshold, requant or binarize of "
                                "a convolution or classifier; docs/hardware.md)");
  }

  if (auto add = defining<AddOp>(sum)) {
    // The join of a main and a skip path.
    auto sumType = dyn_cast<FixedType>(elementOf(add.getResult()));
    if (!sumType || sumType.getZeroPoint() != 0 || sumType.getWidth() > 32)
      return unsupported(add, "the join must be a fixed-point sum of at most "
                              "32 bits with zero point 0");
    RequantOp paths[2] = {defining<RequantOp>(add.getLhs()),
                          defining<RequantOp>(add.getRhs())};
    if (!paths[0] || !paths[1])
      return unsupported(add, "both join operands must be requants");
    FailureOr<Path> found[2] = {matchPath(paths[0].getInput(), paths[0]),
                                matchPath(paths[1].getInput(), paths[1])};
    if (failed(found[0]) || failed(found[1]))
      return failure();
    if (found[0]->binary == found[1]->binary)
      return unsupported(add, "the join needs one binary and one fixed-point "
                              "path");
    if (found[1]->binary) {
      std::swap(found[0], found[1]);
      std::swap(paths[0], paths[1]);
    }
    for (int k = 0; k < 2; ++k) {
      auto t = cast<FixedType>(elementOf(paths[k].getResult()));
      if (t.getZeroPoint() != 0 || t.getWidth() > 32)
        return unsupported(paths[k], "path requants must give at most 32-bit "
                                     "values with zero point 0");
      pass[F::JoinMin] = t.getStorageMin();
      pass[F::JoinMax] = t.getStorageMax();
      if (paths[k].getRounding() == RoundingMode::HalfEven)
        rounding |= k == 0 ? 1 : 2;
    }
    if (failed(pathConstants(paths[0], *found[0], o, pass.mainMultiplier,
                             pass.mainShift, pass.mainBias)) ||
        failed(pathConstants(paths[1], *found[1], o, pass.skipMultiplier,
                             pass.skipShift, pass.skipBias)))
      return failure();
    if (outRq) {
      std::vector<int64_t> m, s, b;
      Path none;
      if (failed(pathConstants(outRq, none, o, m, s, b)))
        return failure();
      pass.outMultiplier = m, pass.outShift = s, pass.outBias = b;
      if (outRq.getRounding() == RoundingMode::HalfEven)
        rounding |= 4;
    }
    pass[F::Rounding] = rounding;
    if (failed(addPathToPass(*found[0], pass)) ||
        failed(addPathToPass(*found[1], pass)))
      return failure();
    return success();
  }
  if (!outRq)
    return unsupported(def, "a binarized layer output must binarize a "
                            "main + skip join");
  // One path, requantized: the path requant carries the constants, the output
  // stage adds the zero point and saturates.
  FailureOr<Path> path = matchPath(sum, outRq);
  if (failed(path))
    return failure();
  auto &mult = path->binary ? pass.mainMultiplier : pass.skipMultiplier;
  auto &shift = path->binary ? pass.mainShift : pass.skipShift;
  auto &bias = path->binary ? pass.mainBias : pass.skipBias;
  if (failed(pathConstants(outRq, *path, o, mult, shift, bias)))
    return failure();
  if (outRq.getRounding() == RoundingMode::HalfEven)
    rounding |= path->binary ? 1 : 2;
  pass[F::Rounding] = rounding;
  return addPathToPass(*path, pass);
}

/// Whether `v` must exist as a tensor: it feeds a convolution or a
/// classifier, a binarize that one reads, or a pool / reshape on the way to a
/// classifier. (A binarize of a join is itself a layer output.)
bool feedsLayer(Value v) {
  for (OpOperand &use : v.getUses()) {
    Operation *user = use.getOwner();
    if (isa<Conv2DOp, MatMulOp>(user) && use.getOperandNumber() == 0)
      return true;
    if (isa<SumPool2DOp, ReshapeOp>(user))
      return true;
    if (isa<BinarizeOp>(user) && !isa_and_nonnull<AddOp>(v.getDefiningOp()))
      return true;
    if (isa<TransposeOp>(user) && feedsLayer(user->getResult(0)))
      return true; // a layout view (or a transpose pass for its reader)
    if (isa<MaxPool2DOp, ConcatOp, ClipOp>(user))
      return true; // reported at the op: no layer pass computes it
    if (auto yield = dyn_cast<YieldOp>(user)) {
      auto fused = cast<BlendModuleOp>(yield->getParentOp());
      if (feedsLayer(fused.getResult(use.getOperandNumber())))
        return true;
    }
    if (auto fused = dyn_cast<BlendModuleOp>(user))
      if (feedsLayer(fused.getBody().front().getArgument(use.getOperandNumber())))
        return true;
  }
  return false;
}

FailureOr<Network> NetworkBuilder::build() {
  using F = PassField;
  if (func.getNumArguments() != 1 || func.getNumResults() != 1)
    return refuse(func, "the model must have one input and one output");
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  auto deq = defining<DequantizeOp>(ret.getOperand(0));
  if (!deq)
    return refuse(ret, "the output is not dequantized from an exact "
                            "value");
  Value outputValue = resolve(deq.getInput());

  // The input.
  QuantizeOp quantize;
  for (Operation *user : func.getArgument(0).getUsers())
    if (auto q = dyn_cast<QuantizeOp>(user))
      quantize = q;
  if (!quantize || !func.getArgument(0).hasOneUse())
    return refuse(func, "the model input must be quantized once");
  inputTensor = quantize.getResult();
  auto inFixed = cast<FixedType>(elementOf(inputTensor));
  if (!isMemoryInt8(inFixed)) {
    std::string type;
    llvm::raw_string_ostream os(type);
    os << inFixed.getStorageType();
    return refuse(quantize, "the accelerator takes si8 activations (this "
                            "input quantizes to " + os.str() + ")");
  }
  auto inShape = shapeOf(inputTensor);
  if (inShape.size() != 4 || inShape[0] != 1)
    return refuse(quantize, "the input must be one 1xCxHxW image (batch "
                                 "1: images are streamed one at a time)");
  net.input.scale = inFixed.getScaleValue();
  net.input.zeroPoint = inFixed.getZeroPoint();
  net.input.qMin = inFixed.getStorageMin();
  net.input.qMax = inFixed.getStorageMax();
  net.input.n = 1, net.input.c = inShape[1];
  net.input.h = inShape[2], net.input.w = inShape[3];
  tensorOf[inputTensor] = 0;
  tensors.push_back({-1, inShape[2] * inShape[3], -1});

  // Every op in execution order, fused bodies flattened.
  std::vector<Operation *> ops;
  std::function<void(Block &)> flatten = [&](Block &block) {
    for (Operation &op : block) {
      if (auto fused = dyn_cast<BlendModuleOp>(op))
        flatten(fused.getBody().front());
      else if (!isa<YieldOp, func::ReturnOp>(op))
        ops.push_back(&op);
    }
  };
  flatten(func.getBody().front());

  for (Operation *op : ops) {
    if (op == quantize || isa<ConstantOp, DequantizeOp>(op))
      continue;
    if (op->getNumResults() != 1)
      return refuse(op, "unexpected op");
    Value v = op->getResult(0);
    bool isOutput = v == outputValue;
    if (!isOutput && !feedsLayer(v))
      continue;
    // A binarize of an int8 tensor is a view; pools and reshapes feed heads.
    if (isa<BinarizeOp>(op) && !isa_and_nonnull<AddOp>(
                                   resolve(op->getOperand(0)).getDefiningOp()))
      continue;
    if (isa<SumPool2DOp, ReshapeOp, TransposeOp>(op) && !isOutput)
      continue; // views, or read by a head
    Pass pass;
    pendingRefs.clear();
    pendingTransposes.clear();
    if (failed(buildPass(v, isOutput, pass)))
      return failure();
    std::string loc;
    llvm::raw_string_ostream os(loc);
    op->getLoc().print(os);
    pass.op = op->getName().stripDialect().str();
    pass.location = os.str();
    int64_t pixels = pass[F::OH] * pass[F::OW];
    commitPass(v, std::move(pass), pixels);
    if (isOutput)
      break;
  }
  if (net.passes.empty() || !net.passes.back()[F::Stream])
    return refuse(deq, "the model output is not produced by a layer "
                            "pass");

  // The output dequantizer.
  Pass &last = net.passes.back();
  auto outShape = shapeOf(deq.getInput());
  net.hardware.outputRank = outShape.size();
  net.output.n = 1;
  net.output.c = last[F::O], net.output.h = last[F::OH],
  net.output.w = last[F::OW];
  if (last[F::OutBinary]) {
    net.output.binary = 1;
  } else {
    auto fixed = dyn_cast<FixedType>(elementOf(deq.getInput()));
    if (!fixed)
      return refuse(deq, "the output must be fixed-point or binary");
    net.output.binary = 0;
    net.output.scale = fixed.getScaleValue();
    net.output.zeroPoint = fixed.getZeroPoint();
  }
  if (failed(allocate()))
    return failure();
  return net;
}

/// Appends the transpose passes the pass needs, then the pass; records what
/// each reads until when.
void NetworkBuilder::commitPass(Value v, Pass pass, int64_t pixels) {
  auto use = [&](int64_t tensor, int64_t at) {
    tensors[size_t(tensor)].lastUse =
        std::max(tensors[size_t(tensor)].lastUse, at);
  };
  for (PendingTranspose &t : pendingTransposes) {
    int64_t at = int64_t(net.passes.size());
    use(t.source, at);
    tensors[size_t(t.result)].pass = at;
    refs.push_back({at, t.source, false, 0, 0});
    net.passes.push_back(std::move(t.pass));
  }
  int64_t at = int64_t(net.passes.size());
  for (SourceRef r : pendingRefs) {
    use(r.tensor, at);
    r.pass = at;
    refs.push_back(r);
  }
  tensorOf[v] = int64_t(tensors.size());
  tensors.push_back({at, pixels, at});
  net.passes.push_back(std::move(pass));
}

/// Replaces every layer pass wider than `pe` output channels by passes of at
/// most `pe` channels (OutOffset: the first), each with its share of the
/// weights and constants; they read the same tensors and write parts of one.
LogicalResult NetworkBuilder::splitIntoTiles(int64_t pe) {
  using F = PassField;
  std::vector<Pass> passes;
  std::vector<int64_t> first(net.passes.size()), last(net.passes.size());
  for (size_t i = 0; i < net.passes.size(); ++i) {
    Pass &p = net.passes[i];
    first[i] = int64_t(passes.size());
    int64_t o = p[F::O];
    if (p[F::Transpose] || o <= pe) {
      passes.push_back(std::move(p));
      last[i] = first[i];
      continue;
    }
    if (p[F::Stream])
      return refuse(func, "the streamed model output has " + Twine(o) +
                          " channels, more than the " + Twine(pe) +
                          " the engines compute at once");
    size_t rowsB = binaryWeightRows(p), rowsF = fixedWeightRows(p);
    size_t fix = options.fixedChannels;
    for (int64_t o0 = 0; o0 < o; o0 += pe) {
      int64_t n = std::min(pe, o - o0);
      Pass t = p;
      t[F::O] = n;
      t[F::OutOffset] = o0;
      auto slice = [&](auto &v, size_t per) {
        using T = typename std::decay_t<decltype(v)>::value_type;
        v = std::vector<T>(v.begin() + o0 * per, v.begin() + (o0 + n) * per);
      };
      for (auto *a : {&t.mainMultiplier, &t.mainShift, &t.mainBias,
                      &t.skipMultiplier, &t.skipShift, &t.skipBias,
                      &t.outMultiplier, &t.outShift, &t.outBias})
        slice(*a, 1);
      slice(t.binaryWeights, rowsB);
      slice(t.fixedWeights, rowsF * fix);
      passes.push_back(std::move(t));
    }
    last[i] = int64_t(passes.size()) - 1;
  }
  for (Tensor &t : tensors) {
    if (t.pass >= 0)
      t.pass = first[t.pass];
    if (t.lastUse >= 0)
      t.lastUse = last[t.lastUse];
  }
  std::vector<SourceRef> expanded;
  for (const SourceRef &r : refs)
    for (int64_t k = first[r.pass]; k <= last[r.pass]; ++k) {
      SourceRef e = r;
      e.pass = k;
      expanded.push_back(e);
    }
  refs = std::move(expanded);
  net.passes = std::move(passes);
  net.hardware.tiled = 1;
  return success();
}

/// Folds the paths of every pass narrower than Pe / 2: lane groups share the
/// reduction of an output pixel, each with its part of the receptive field,
/// and blend_fold sums them after the engine (docs/hardware.md, "Folded
/// passes"). Weights are re-laid so that lane g·O + oc holds output channel
/// oc's share in group g.
void NetworkBuilder::foldPasses(int64_t pe) {
  using F = PassField;
  NetworkHardware &h = net.hardware;
  h.folds = 1;
  h.fixedCopies = 0;
  h.mainFolds = 1;
  for (Pass &p : net.passes) {
    p[F::MainFold] = 1;
    p[F::SkipFold] = 1;
    if (p[F::Transpose])
      continue;
    if (p[F::MainEnable])
      foldMainPath(p, pe);
    if (p[F::SkipEnable])
      foldSkipPath(p, pe);
  }
}

/// The binary path folds over 2 lane groups when its kernel is at least 2x2
/// and a beat is a packed kernel row (group 1 takes the next row) or one word
/// of a tap (C <= 48; group 1 takes the next tap in raster order), through
/// copies of the binary memory.
void NetworkBuilder::foldMainPath(Pass &p, int64_t pe) {
  using F = PassField;
  int64_t o = p[F::O], k = p[F::MainK], slot = p[F::MainPack];
  if (options.maxFold < 2 || pe % 4 != 0 || 2 * o > pe || k < 2 ||
      slot > 32 || (!slot && p[F::MainWords] != 1))
    return;
  // A part is a packed kernel row of `words` words, or a tap of one word.
  size_t words = slot ? size_t(p[F::MainWords]) : 1;
  size_t oldRows = binaryWeightRows(p);
  p[F::MainFold] = 2;
  size_t rows = binaryWeightRows(p);
  std::vector<uint64_t> w(size_t(2 * o) * rows, 0);
  for (int64_t g = 0; g < 2; ++g)
    for (int64_t oc = 0; oc < o; ++oc)
      for (size_t row = 0; row < rows; ++row) {
        // Group g's beat `row` is word row % words of part 2·(row / words) + g.
        size_t from = (2 * (row / words) + size_t(g)) * words + row % words;
        if (from < oldRows)
          w[size_t(g * o + oc) * rows + row] =
              p.binaryWeights[size_t(oc) * oldRows + from];
      }
  p.binaryWeights = std::move(w);
  net.hardware.mainFolds = 2;
}

/// The skip path folds over F lane groups. A pass over one channel group
/// with a kernel row of 2..3 taps gives each group one tap of the row (row
/// split: one beat per kernel row, through activation-memory copies); a pass
/// over more channel groups gives each group other channel groups of the
/// same tap (channel split). F is the smallest power of two with the fewest
/// beats.
void NetworkBuilder::foldSkipPath(Pass &p, int64_t pe) {
  using F = PassField;
  NetworkHardware &h = net.hardware;
  int64_t fix = options.fixedChannels;
  int64_t o = p[F::O], groups = p[F::SkipCGroups];
  int64_t kw = p[F::SkipKW];
  bool shared = p[F::SkipShared];
  // The folds the datapath allows for this pass (lane groups of an even
  // number of lanes that hold O).
  auto allowed = [&](int64_t f) {
    return f <= int64_t(options.maxFold) && pe % (2 * f) == 0 && o * f <= pe;
  };
  int64_t fold = 1;
  bool rowSplit = false;
  if (groups == 1 && !shared && kw >= 2 && kw <= 3) {
    for (int64_t f : {2, 4})
      if (f >= kw && allowed(f)) {
        fold = f, rowSplit = true;
        break;
      }
  } else if (groups > 1) {
    for (int64_t f : {2, 4})
      if (allowed(f) &&
          (groups + f - 1) / f < (groups + fold - 1) / fold)
        fold = f;
  }
  if (fold == 1)
    return;
  size_t oldRows = fixedWeightRows(p);
  p[F::SkipFold] = fold;
  p[F::SkipRowSplit] = rowSplit;
  size_t rows = fixedWeightRows(p);
  int64_t beatsPerTap = (groups + fold - 1) / fold;
  std::vector<int8_t> w(size_t(fold * o) * rows * size_t(fix), 0);
  for (int64_t g = 0; g < fold; ++g)
    for (int64_t oc = 0; oc < o; ++oc)
      for (size_t row = 0; row < rows; ++row) {
        // The old row (tap·groups + channel group) this lane-row takes.
        int64_t from;
        if (rowSplit) {
          if (g >= kw)
            continue;
          from = int64_t(row) * kw + g;
        } else {
          int64_t tap = int64_t(row) / beatsPerTap;
          int64_t cg = (int64_t(row) % beatsPerTap) * fold + g;
          if (cg >= groups)
            continue;
          from = tap * groups + cg;
        }
        for (int64_t f = 0; f < fix; ++f)
          w[((size_t(g * o + oc) * rows) + row) * size_t(fix) + size_t(f)] =
              p.fixedWeights[(size_t(oc) * oldRows + size_t(from)) *
                                 size_t(fix) +
                             size_t(f)];
      }
  p.fixedWeights = std::move(w);
  h.folds = std::max<uint32_t>(h.folds, uint32_t(fold));
  if (rowSplit)
    h.fixedCopies = std::max<uint32_t>(h.fixedCopies, uint32_t(kw - 1));
}

LogicalResult NetworkBuilder::allocate() {
  using F = PassField;
  NetworkHardware &h = net.hardware;
  // Hardware widths.
  int64_t maxC = net.input.c, pe = 1, trP = 0;
  uint32_t accB = 9, accF = 17;
  for (const Pass &p : net.passes)
    if (p[F::Transpose])
      trP = std::max(trP, p[F::O]);
  for (const SourceRef &r : refs) {
    maxC = std::max(maxC, r.channels);
    if (r.binary)
      accB = std::max(accB, r.accWidth);
    else
      accF = std::max(accF, r.accWidth);
  }
  // No more lanes than the widest layer has channels.
  int64_t maxO = 1;
  for (const Pass &p : net.passes)
    if (!p[F::Transpose])
      maxO = std::max(maxO, p[F::O]);
  int64_t lanes = options.lanes, fix = options.fixedChannels;
  while (lanes > 1 && lanes / 2 >= maxO)
    lanes /= 2;
  // Pe: the widest layer's channels, or the cap; a layer wider than Pe runs
  // in output-channel tiles of Pe channels, which write whole bytes of the
  // binary memory (Pe a multiple of 8).
  pe = (maxO + lanes - 1) / lanes * lanes;
  if (options.maxPe && pe > int64_t(options.maxPe)) {
    int64_t step = std::max<int64_t>(lanes, 8);
    pe = int64_t(options.maxPe) / step * step;
    if (pe < step)
      return refuse(func, "a cap of " + Twine(options.maxPe) +
                          " output channels is below the " + Twine(step) +
                          " an output-channel tile needs");
    if (failed(splitIntoTiles(pe)))
      return failure();
  }
  foldPasses(pe);
  uint32_t bw = 0, fw = 0, cb = 0;
  for (Pass &p : net.passes) {
    if (p[F::Transpose])
      continue; // no weights, no constants
    p[F::MainWeightBase] = bw;
    p[F::SkipWeightBase] = fw;
    p[F::ConstBase] = cb;
    bw += uint32_t(binaryWeightRows(p));
    fw += uint32_t(fixedWeightRows(p));
    cb += uint32_t((p[F::O] + lanes - 1) / lanes * lanes);
  }
  maxC = std::max({maxC, pe, trP, maxO});
  maxC = (maxC + fix - 1) / fix * fix;
  h.transposePixels = uint32_t(trP);
  h.packBits = uint32_t(packBits);
  h.maxChannels = uint32_t(maxC);
  h.pe = uint32_t(pe);
  h.lanes = uint32_t(lanes);
  h.fixedChannels = uint32_t(fix);
  h.binaryWeightDepth = std::max<uint32_t>(bw, 1);
  h.fixedWeightDepth = std::max<uint32_t>(fw, 1);
  h.constantDepth = std::max<uint32_t>(cb, 1);
  h.maxPasses = uint32_t(net.passes.size());
  h.accBinary = accB;
  h.accFixed = accF;

  // Liveness-aware first fit: a tensor occupies H·W pixel addresses from its
  // producing pass (the input: before the first) to its last reader.
  struct Region {
    int64_t base, size, lastUse;
  };
  std::vector<Region> live;
  int64_t depth = 1;
  auto place = [&](int64_t size, int64_t now, int64_t until) {
    llvm::erase_if(live, [&](const Region &r) { return r.lastUse < now; });
    llvm::sort(live, [](const Region &a, const Region &b) {
      return a.base < b.base;
    });
    int64_t base = 0;
    for (const Region &r : live) {
      if (base + size <= r.base)
        break;
      base = std::max(base, r.base + r.size);
    }
    live.push_back({base, size, until});
    depth = std::max(depth, base + size);
    return base;
  };
  for (Tensor &t : tensors) {
    if (t.pass >= 0 && net.passes[size_t(t.pass)][F::Stream])
      continue;
    t.base = place(t.pixels, t.pass, t.lastUse);
    if (t.pass >= 0)
      net.passes[size_t(t.pass)][F::Dst] = t.base;
  }
  h.inputBase = uint32_t(tensors[0].base);
  // Output-channel tiles after the first write the first's tensor.
  for (size_t k = 1; k < net.passes.size(); ++k)
    if (net.passes[k][F::OutOffset] > 0)
      net.passes[k][F::Dst] = net.passes[k - 1][F::Dst];
  for (const SourceRef &r : refs) {
    Pass &p = net.passes[r.pass];
    p[r.binary ? F::MainSrc : F::SkipSrc] = tensors[size_t(r.tensor)].base;
  }
  h.depth = uint32_t(depth);
  return success();
}

} // namespace

bool blend::isSingleModuleForm(ModuleOp module) {
  ScopedDiagnosticHandler quiet(module.getContext(),
                                [](Diagnostic &) { return success(); });
  return succeeded(buildSchedule(module));
}

FailureOr<Network> blend::buildNetwork(ModuleOp module,
                                      const NetworkOptions &options) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func) {
    module.emitError("no func.func @main to export");
    return failure();
  }
  if (options.maxFold != 1 && options.maxFold != 2 && options.maxFold != 4) {
    module.emitError("blend_net folds a reduction over 1, 2 or 4 lane groups, "
                     "not ")
        << options.maxFold;
    return failure();
  }
  if (options.lanes == 0 || (options.lanes & (options.lanes - 1)) != 0 ||
      options.fixedChannels == 0 || options.fixedChannels > 8) {
    module.emitError("blend_net needs a power-of-two lane count and 1 to 8 "
                     "fixed-point channels per beat");
    return failure();
  }
  return NetworkBuilder(func, options).build();
}

void blend::registerExportNetworkTranslation() {
  static llvm::cl::opt<unsigned> maxPe(
      "network-max-pe",
      llvm::cl::desc("--export-network-text: at most this many output "
                     "channels in parallel (output-channel tiles beyond)"),
      llvm::cl::init(0));
  static llvm::cl::opt<unsigned> maxFold(
      "network-max-fold",
      llvm::cl::desc("--export-network-text: at most this many lane groups "
                     "share a narrow pass's skip-path reduction (1: none)"),
      llvm::cl::init(4));
  static TranslateFromMLIRRegistration text(
      "export-network-text",
      "emit the textual twin of a network schedule (blend_net)",
      [](ModuleOp module, llvm::raw_ostream &os) {
        NetworkOptions options;
        options.maxPe = maxPe;
        options.maxFold = maxFold;
        FailureOr<Network> net = buildNetwork(module, options);
        if (failed(net))
          return failure();
        os << toText(*net);
        return success();
      },
      [](DialectRegistry &registry) {
        registry.insert<BlendDialect, func::FuncDialect, arith::ArithDialect,
                        math::MathDialect>();
      });
}
