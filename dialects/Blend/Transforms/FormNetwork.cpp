//===- FormNetwork.cpp - integer layer ops → blend_net layer steps --------===//
//
// A layer step produces one tensor the hardware keeps (or streams out). The
// values that must exist as tensors are the inputs of convolutions and
// classifiers and the model output; each is produced by one of these forms
// (through fused blend.blend_module bodies):
//
//   threshold(conv_b) | threshold(conv_f)      one path, binary output
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
// stage takes (on a fixed-point path the bias is b − τ, the layer bias b
// folded). A linear layer [1, N] x [N, O] over a stored C x H x W tensor is an
// HxW convolution without padding (one output pixel). The model input is
// what the host sends: the quantizer's output, a [1, N] vector as a C x H x W
// image, and the host also takes over an offset requant, a threshold, or a
// binarizer right at the input (formInput).
//
// The passes go into a blend.network next to @main, in execution order; the
// buffers they read are their operands, so the tensors' live ranges are
// def-use chains. Binary weights are laid out a (tap, 48-bit word) row per
// beat; blend-pack-dsp packs kernel rows and folds lane groups later.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/HostBoundary.h"
#include "dialects/Blend/LoweredIR.h"
#include "dialects/Blend/NetworkIR.h"
#include "dialects/Blend/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

namespace blend {
#define GEN_PASS_DEF_FORMNETWORK
#include "dialects/Blend/Passes.h.inc"
} // namespace blend

using namespace mlir;
using namespace blend;
using namespace blend::schedule;
using namespace blend::lowered;

namespace {

using Step = blend::schedule::Step;

constexpr int64_t kInt32Min = INT32_MIN, kInt32Max = INT32_MAX;
/// The most channels a vector input's pixels get (one AXI beat of int8).
constexpr int64_t kVectorChannels = 64;

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



/// A fixed-point tensor the activation memory can hold: a byte per value, so
/// every storage value must fit a signed byte (si2..si8, ui1..ui7); q − zp
/// then fits 9 bits signed, the fixed engine's activation width.
bool isMemoryFixed(Type t) {
  auto fixed = dyn_cast<FixedType>(t);
  return fixed && fixed.getStorageMin() >= -128 && fixed.getStorageMax() <= 127;
}

/// Fixed-point weights the weight RAM holds: a signed byte each (zero point 0,
/// which the op verifiers already demand).
bool isByteWeight(Type t) {
  auto fixed = dyn_cast<FixedType>(t);
  if (fixed)
    return isMemoryFixed(fixed);
  auto integer = dyn_cast<IntegerType>(t);
  return integer && integer.getWidth() <= 8 && !integer.isUnsigned() &&
         integer.getWidth() > 1;
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

/// Builds the blend.network of one @main.
class NetworkFormer {
public:
  NetworkFormer(func::FuncOp func, unsigned fixedChannels)
      : func(func), fixedChannels(fixedChannels), builder(func.getContext()) {}
  /// Appends the network after `func`, or fails after a diagnostic at the op
  /// that does not map (and appends nothing).
  LogicalResult form();

private:
  func::FuncOp func;
  int64_t fixedChannels;
  OpBuilder builder; ///< at the end of the network's body
  NetworkOp network;
  /// A stored IR value → the buffer that holds it (the input: the body's
  /// argument); a stored value → the buffer of its transpose.
  llvm::DenseMap<Value, Value> bufferOf, transposedOf;
  /// The host's float steps around the integer program (HostBoundary.h).
  SmallVector<Operation *> hostOps;
  /// What the pass being built reads, and its paths' accumulator widths.
  Value mainRead, skipRead;
  int64_t mainAcc = 0, skipAcc = 0;
  /// The largest |q − zp| of the skip path's source (0: no skip path).
  int64_t skipMagnitude = 0;
  /// The image a rank-2 [1, N] model input is sent as (C x H x W = N, NCHW
  /// order = the vector's order); 0 for an image input.
  int64_t vectorC = 0, vectorH = 0, vectorW = 0;
  /// The input quantizer's offset requant, folded into the host's quantizer
  /// (inputOffset); null when there is none.
  Operation *inputShift = nullptr;

  /// The stored geometry (C, H, W) of the value a linear layer reads: the
  /// vector input's image, a 1xCxHxW tensor, or 1xN logits (one pixel).
  bool storedGeometry(Value v, int64_t &c, int64_t &h, int64_t &w);

  FailureOr<Value> needTensor(Value v, bool pixelMajor, Operation *user);
  FailureOr<Path> matchPath(Value acc, Operation *at);
  LogicalResult buildPass(Value v, bool stream, Step &pass);
  LogicalResult buildThreshold(ThresholdOp th, Step &pass);
  FailureOr<Value> buildPool(MaxPool2DOp pool);
  LogicalResult addPathToPass(const Path &path, Step &pass);
  LogicalResult inputGeometry(Operation *inputOp, Value inputTensor,
                              std::vector<schedule::HostStep> &prologue,
                              InputQuant &input);
  LogicalResult formInput(Operation *inputOp,
                          std::vector<schedule::HostStep> &prologue,
                          InputQuant &input, Value &inputTensor);
  LogicalResult formPasses(Operation *inputOp, Value outputValue,
                           Operation *deq,
                           const std::vector<schedule::HostStep> &epilogue);
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
                       "channels has no layer step on blend_net");
    return View{from->stored, false};
  }
  return View{v, producedPixelMajor(v)};
}

/// The value a binary convolution reads: a binarize of an int8 tensor reads
/// that tensor's binary view.
Value binarySource(Value input) {
  // (A binarize of a float value is the host's: its result is the input.)
  if (auto bin = defining<BinarizeOp>(input);
      bin && !isa<FloatType>(elementOf(bin.getInput())))
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

/// A rank-2 matmul that reads a stored tensor whole: a [1, N] vector (the
/// model input or a linear layer's output) or the flattening of a 1xCxHxW map
/// with more than one pixel, or of a 1x1 map with binary weights. (A global
/// pool or a 1x1 map under byte weights is the head's.)
bool isLinearOfStored(MatMulOp mm) {
  if (shapeOf(mm.getLhs()).size() != 2)
    return false;
  auto reshape = defining<ReshapeOp>(mm.getLhs());
  if (!reshape)
    return true;
  Value x = resolve(reshape.getInput());
  auto in = shapeOf(x);
  return in.size() == 4 && !defining<SumPool2DOp>(x) &&
         (in[2] * in[3] > 1 || isa<BinaryType>(elementOf(mm.getRhs())));
}

/// The input quantizer's one user when it only adds a constant: a requant
/// with multiplier 1, shift 0 and one bias b whose saturation keeps every
/// value (a bipolar input mapped to {0, 1, 2}: q' = q + b + zp_out). The host
/// then quantizes with the zero point and bounds moved by that `offset` and
/// sends q' (exact: clamp(round(x/s) + zp + o, lo + o, hi + o) = q + o).
RequantOp inputOffset(QuantizeOp quantize, int64_t &offset) {
  Value q = quantize.getResult();
  if (!q.hasOneUse())
    return {};
  auto rq = dyn_cast<RequantOp>(*q.getUsers().begin());
  auto in = cast<FixedType>(elementOf(q));
  auto out = dyn_cast<FixedType>(elementOf(rq ? rq.getResult() : q));
  if (!rq || !out || in.getZeroPoint() != 0 ||
      rq.getMultiplier().size() != 1 || rq.getMultiplier()[0] != 1 ||
      rq.getShift().size() != 1 || rq.getShift()[0] != 0 ||
      rq.getBias().size() != 1)
    return {};
  int64_t o = rq.getBias()[0] + out.getZeroPoint();
  if (in.getStorageMin() + o < out.getStorageMin() ||
      in.getStorageMax() + o > out.getStorageMax())
    return {};
  offset = o;
  return rq;
}

/// The input quantizer's one user when it is one threshold q >= tau for
/// every channel (FINN's binarized image input: a MultiThreshold on the
/// UINT8 pixels): the host then sends q - tau, clamped to a signed byte, and
/// the binary path reads its sign bits (q - tau >= 0 iff q >= tau).
ThresholdOp inputThreshold(QuantizeOp quantize, int64_t &offset) {
  Value q = quantize.getResult();
  if (!q.hasOneUse())
    return {};
  auto th = dyn_cast<ThresholdOp>(*q.getUsers().begin());
  if (!th || th.getThresholds().size() != 1 || th.getFlip().size() != 1 ||
      th.getFlip()[0])
    return {};
  offset = -th.getThresholds()[0];
  return th;
}

bool NetworkFormer::storedGeometry(Value v, int64_t &c, int64_t &h,
                                   int64_t &w) {
  auto shape = shapeOf(v);
  if (shape.size() == 4 && shape[0] == 1) {
    c = shape[1], h = shape[2], w = shape[3];
    return true;
  }
  if (shape.size() != 2 || shape[0] != 1)
    return false;
  if (network && bufferOf.lookup(v) == network.getInputBuffer() && vectorC) {
    c = vectorC, h = vectorH, w = vectorW;
    return true;
  }
  c = shape[1], h = 1, w = 1;
  return true;
}

FailureOr<Path> NetworkFormer::matchPath(Value acc, Operation *at) {
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
    if (!p.binary && !isByteWeight(elementOf(conv.getWeight())))
      return refuse(conv, "fixed-point weights must fit a signed byte "
                          "(at most 8 bits)");
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
        (!p.binary && !isByteWeight(elementOf(mm.getRhs()))))
      return refuse(mm, "a linear layer needs binary weights on binary "
                        "inputs and byte (<= 8-bit) weights on fixed-point "
                        "inputs");
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
  if (auto mm = defining<MatMulOp>(acc); mm && isLinearOfStored(mm)) {
    // A fully-connected layer [1, N] x [N, O] over a stored C x H x W tensor
    // (N = C·H·W in NCHW order): an HxW convolution without padding whose
    // one output pixel sees the whole tensor. Its weight at (o, c, y, x) is
    // row (c·H + y)·W + x of the matrix.
    Value x = resolve(mm.getLhs());
    if (auto reshape = defining<ReshapeOp>(mm.getLhs()))
      x = resolve(reshape.getInput());
    int64_t c = 0, h = 0, w = 0;
    if (!storedGeometry(x, c, h, w))
      return refuse(mm, "a linear layer must read a stored tensor");
    p.op = mm;
    p.binary = isa<BinaryType>(elementOf(mm.getLhs()));
    if (p.binary != isa<BinaryType>(elementOf(mm.getRhs())) ||
        (!p.binary && !isByteWeight(elementOf(mm.getRhs()))))
      return refuse(mm, "a linear layer needs binary weights on binary "
                        "inputs and byte (<= 8-bit) weights on fixed-point "
                        "inputs");
    if (p.binary && h != w)
      return refuse(mm, "a binary linear layer must read a square map "
                        "(blend_net's binary path has square kernels)");
    p.source = p.binary ? binarySource(x) : x;
    p.c = c, p.h = h, p.w = w;
    p.kh = h, p.kw = w, p.stride = 1, p.pad = 0;
    if (failed(takeConstants(p, mm, mm.getRhs(), mm.getBias(),
                             "a binary linear layer with a bias")))
      return failure();
    int64_t o = shapeOf(mm.getRhs())[1], taps = h * w;
    std::vector<int64_t> wt(size_t(o * c * taps)); // [N, O] -> [O, C, H, W]
    for (int64_t n = 0; n < c * taps; ++n)
      for (int64_t oc = 0; oc < o; ++oc)
        wt[size_t(oc * c * taps + n)] = p.weights[size_t(n * o + oc)];
    p.weights = std::move(wt);
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
    if (!isByteWeight(elementOf(mm.getRhs())))
      return refuse(mm, "classifier weights must fit a signed byte (at "
                        "most 8 bits)");
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

/// The buffer a path reads `v` from, laid out as it reads it: a rank-3 view
/// in the other layout than the stored tensor's gets a transpose step (one
/// per stored tensor, shared by its readers).
FailureOr<Value> NetworkFormer::needTensor(Value v, bool pixelMajor,
                                           Operation *user) {
  FailureOr<View> view = viewOf(v);
  if (failed(view))
    return failure();
  auto it = bufferOf.find(view->stored);
  if (it == bufferOf.end())
    return refuse(user, "its input is not a tensor an earlier layer step "
                        "produced");
  Value stored = it->second;
  if (view->pixelMajor == pixelMajor)
    return stored;
  if (auto t = transposedOf.find(view->stored); t != transposedOf.end())
    return t->second;
  // A transpose step: the stored tensor's P pixels of C channels become C
  // pixels of P channels.
  auto shape = shapeOf(resolve(v));
  if (shape.size() != 3)
    return refuse(user, "its input is laid out channels-first and would need "
                        "a transpose of a rank-" + Twine(shape.size()) +
                        " tensor");
  if (!isMemoryFixed(elementOf(view->stored)))
    return refuse(user, "only fixed-point tensors of at most 8 bits can be "
                        "transposed on blend_net");
  using F = StepField;
  Step t;
  int64_t pixels = pixelMajor ? shape[1] : shape[2];
  int64_t channels = pixelMajor ? shape[2] : shape[1];
  t[F::Transpose] = 1;
  t[F::O] = channels; // the source's pixels
  t[F::OH] = 1, t[F::OW] = pixels;
  t[F::JoinMin] = kInt32Min, t[F::JoinMax] = kInt32Max;
  t[F::OutMin] = kInt32Min, t[F::OutMax] = kInt32Max;
  Value traced = resolve(v);
  t.op = traced.getDefiningOp()
             ? traced.getDefiningOp()->getName().stripDialect().str()
             : "input";
  t.channelLast = pixelMajor;
  Value result =
      createStep(builder, traced.getLoc(), t, Value(), stored).getResult();
  transposedOf[view->stored] = result;
  return result;
}

LogicalResult NetworkFormer::addPathToPass(const Path &path, Step &pass) {
  using F = StepField;
  FailureOr<Value> tensor = needTensor(path.source, path.pixelMajor, path.op);
  if (failed(tensor))
    return failure();
  (path.binary ? mainRead : skipRead) = *tensor;
  (path.binary ? mainAcc : skipAcc) = path.accWidth;
  Type srcType = elementOf(path.source);
  if (path.binary) {
    if (!isa<BinaryType>(srcType) && !isMemoryFixed(srcType))
      return unsupported(path.op, "a binary convolution must read a binary "
                                  "tensor or a binarized byte (<= 8-bit) tensor");
    if (auto fixed = dyn_cast<FixedType>(srcType))
      if (*tensor == network.getInputBuffer() &&
          fixed.getZeroPoint() != 0)
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
    // A row per (tap, 48-bit word); bit c % 48 of word c / 48 is channel c.
    pass.binaryWeights.assign(size_t(o * taps * words), 0);
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t c = 0; c < path.c; ++c)
        for (int64_t tap = 0; tap < taps; ++tap)
          if (path.weights[size_t((oc * path.c + c) * taps + tap)])
            pass.binaryWeights[size_t((oc * taps + tap) * words + c / 48)] |=
                uint64_t(1) << (c % 48);
    return success();
  }
  if (!isMemoryFixed(srcType))
    return unsupported(path.op, "a fixed-point layer must read a tensor whose "
                                "values fit a signed byte");
  pass[F::SkipEnable] = 1;
  skipMagnitude = int64_t(cast<FixedType>(srcType).getMaxMagnitude());
  pass[F::SkipC] = path.c;
  pass[F::SkipH] = path.h, pass[F::SkipW] = path.w;
  pass[F::SkipKH] = path.kh, pass[F::SkipKW] = path.kw;
  pass[F::SkipStride] = path.stride, pass[F::SkipPad] = path.pad;
  pass[F::SkipShared] = path.shared;
  pass[F::SkipZeroPoint] = cast<FixedType>(srcType).getZeroPoint();
  // Rows of FixCh weights: (tap, channel group), channel = group·FixCh + f,
  // zero beyond C; shared weights have one tap.
  int64_t o = pass[F::O], fix = fixedChannels;
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
LogicalResult setOutputShape(Value v, Step &pass, Operation *at) {
  auto shape = shapeOf(v);
  using F = StepField;
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
  if (perChannelConstants &&
      int64_t(rq.getAxis()) != channelAxis(rq.getResult()))
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

/// A threshold layer: its path alone with multiplier +-1, shift 0, and the
/// output stage's sign.
LogicalResult NetworkFormer::buildThreshold(ThresholdOp th, Step &pass) {
  using F = StepField;
  int64_t o = pass[F::O];
  if (th.getThresholds().size() > 1 &&
      int64_t(th.getAxis()) != channelAxis(th.getResult()))
    return unsupported(th, "thresholds must run along the channel axis");
  FailureOr<Path> path = matchPath(th.getInput(), th);
  if (failed(path))
    return failure();
  // The path alone with multiplier ±1, shift 0: on the binary path q is
  // the accumulator; on the fixed-point path (a BN + sign after an int8
  // layer, CNV's first) q is the accumulator plus the layer's bias b.
  // q ≥ τ ⟺ acc + b − τ ≥ 0;  q ≤ τ ⟺ τ − b − acc ≥ 0.
  std::vector<int64_t> tau = perChannel(th.getThresholds(), o);
  ArrayRef<bool> flips = th.getFlip();
  auto &mult = path->binary ? pass.mainMultiplier : pass.skipMultiplier;
  auto &bias = path->binary ? pass.mainBias : pass.skipBias;
  for (int64_t c = 0; c < o; ++c) {
    bool flip = flips.size() == 1 ? flips[0] : flips[c];
    int64_t b = path->bias.empty()
                    ? 0
                    : path->bias[path->bias.size() == 1 ? 0 : size_t(c)];
    mult[c] = flip ? -1 : 1;
    bias[c] = flip ? tau[c] - b : b - tau[c];
    if (bias[c] < kInt32Min || bias[c] > kInt32Max)
      return unsupported(th, "a threshold minus the layer bias exceeds 32 "
                             "bits");
  }
  pass[F::OutBinary] = 1;
  return addPathToPass(*path, pass);
}

LogicalResult NetworkFormer::buildPass(Value v, bool stream, Step &pass) {
  using F = StepField;
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
  if (auto th = dyn_cast<ThresholdOp>(def))
    return buildThreshold(th, pass);
  RequantOp outRq;
  if (auto bin = dyn_cast<BinarizeOp>(def)) {
    sum = bin.getInput();
    pass[F::OutBinary] = 1;
  } else if (auto rq = dyn_cast<RequantOp>(def)) {
    outRq = rq;
    auto fixed = cast<FixedType>(elementOf(rq.getResult()));
    if (!stream && !isMemoryFixed(fixed))
      return unsupported(rq, "tensors kept on chip must fit a signed byte "
                          "(si2..si8, ui1..ui7)");
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
                                "' has no layer step on blend_net (a layer "
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

/// A pool step for `pool` (docs/hardware.md, "Pool steps"): the max of every
/// window of the stored tensor it reads, written as a new tensor.
FailureOr<Value> NetworkFormer::buildPool(MaxPool2DOp pool) {
  using F = StepField;
  auto in = shapeOf(pool.getInput()), out = shapeOf(pool.getResult());
  ArrayRef<int64_t> k = pool.getKernel(), s = pool.getStrides();
  if (in.size() != 4 || in[0] != 1)
    return refuse(pool, "blend_net pools a 1xCxHxW tensor");
  if (llvm::any_of(pool.getPads(), [](int64_t p) { return p != 0; }))
    return refuse(pool, "a padded max pool has no layer step on blend_net "
                        "(its pooler reads whole windows)");
  if (k.size() != 2 || s.size() != 2 || s[0] != s[1] || s[0] < 1 ||
      s[0] > 15 || k[0] * k[1] > 256)
    return refuse(pool, "blend_net pools windows of at most 256 taps at one "
                        "stride of 1..15 for rows and columns");
  Type element = elementOf(pool.getResult());
  bool binary = isa<BinaryType>(element);
  if (!binary && !isMemoryFixed(element))
    return refuse(pool, "blend_net pools binary tensors and fixed-point "
                        "tensors that fit a signed byte");
  FailureOr<Value> source =
      needTensor(binary ? binarySource(pool.getInput()) : pool.getInput(),
                 /*pixelMajor=*/false, pool);
  if (failed(source))
    return failure();
  Step p;
  p[F::Pool] = binary ? schedule::kPoolBinary : schedule::kPoolBytes;
  p[F::O] = p[F::SkipC] = in[1];
  p[F::SkipH] = in[2], p[F::SkipW] = in[3];
  p[F::SkipKH] = k[0], p[F::SkipKW] = k[1], p[F::SkipStride] = s[0];
  p[F::OH] = out[2], p[F::OW] = out[3];
  p[F::JoinMin] = kInt32Min, p[F::JoinMax] = kInt32Max;
  p[F::OutMin] = kInt32Min, p[F::OutMax] = kInt32Max;
  p.op = pool->getName().stripDialect().str();
  return createStep(builder, pool.getLoc(), p, Value(), *source).getResult();
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
      return true; // a layout view (or a transpose step for its reader)
    if (isa<MaxPool2DOp>(user))
      return true; // a pool step reads it
    if (isa<ConcatOp, ClipOp>(user))
      return true; // reported at the op: no layer step computes it
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

LogicalResult NetworkFormer::form() {
  if (func.getNumArguments() != 1 || func.getNumResults() != 1)
    return refuse(func, "the model must have one input and one output");
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  // The host's share (HostBoundary.h): float steps before the input
  // quantizer and after the output dequantizer, recorded for the host.
  HostBoundary host = findHostBoundary(func);
  if (host.outputs.size() != 1)
    return refuse(ret, "the output is not dequantized from an exact "
                       "value");
  Operation *outConvert = host.outputs.front();
  hostOps.append(host.prologue.begin(), host.prologue.end());
  hostOps.append(host.epilogue.begin(), host.epilogue.end());
  Operation *inputOp = host.inputs.size() == 1 ? host.inputs.front() : nullptr;
  if (auto binarize = dyn_cast_or_null<BinarizeOp>(inputOp))
    if (binarize->hasAttr("blend.sign"))
      return refuse(binarize, "the model takes the ONNX Sign of its input, "
                              "which is 0 at 0 (not binary); export it with "
                              "a binarizer (BipolarQuant) or use "
                              "--sign-zero=plus-one");
  if (!isa_and_nonnull<QuantizeOp, BinarizeOp>(inputOp))
    return refuse(func, "the model input must be quantized once");
  std::vector<schedule::HostStep> prologue, epilogue;
  if (failed(hostSteps(func.getArgument(0), inputOp->getOperand(0), prologue)) ||
      failed(hostSteps(outConvert->getResult(0), ret.getOperand(0), epilogue)))
    return failure();
  // A channel_scale output is the dequantizer followed by a per-channel
  // multiply (the golden executor's order of roundings).
  if (auto cs = dyn_cast<ChannelScaleOp>(outConvert)) {
    auto type = cast<RankedTensorType>(cs.getType());
    std::vector<float> factors(size_t(type.getNumElements()));
    int64_t axis = cs.getAxis(), inner = 1;
    for (int64_t d = axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
    ArrayRef<double> scales = cs.getScales();
    for (size_t i = 0; i < factors.size(); ++i)
      factors[i] = float(scales[scales.size() == 1
                                    ? 0
                                    : size_t((int64_t(i) / inner) %
                                             type.getDimSize(axis))]);
    epilogue.insert(epilogue.begin(),
                    schedule::HostStep{schedule::HostStep::Kind::Mul,
                                       {type.getShape().begin(),
                                        type.getShape().end()},
                                       factors,
                                       {}});
  }
  Value outputValue = resolve(outConvert->getOperand(0));
  Value inputTensor;
  InputQuant input;
  if (failed(formInput(inputOp, prologue, input, inputTensor)))
    return failure();

  builder.setInsertionPointAfter(func);
  MLIRContext *ctx = func.getContext();
  HostInputAttr inAttr =
      inputAttr(ctx, input, prologue,
                prologue.empty() ? ArrayRef<int64_t>()
                                 : ArrayRef<int64_t>(shapeOf(func.getArgument(0))));
  // The output record is set once the last pass is known.
  network = builder.create<NetworkOp>(
      func.getLoc(), DatapathAttr::get(ctx, NetworkHardware()), inAttr,
      outputAttr(ctx, OutputDequant()));
  Block *body = builder.createBlock(&network.getBody());
  bufferOf[inputTensor] = body->addArgument(BufferType::get(ctx), func.getLoc());
  builder.setInsertionPointToEnd(body);
  NetworkHardware hardware;
  hardware.fixedChannels = uint32_t(fixedChannels);
  writeHardware(network, hardware);
  if (failed(formPasses(inputOp, outputValue, outConvert, epilogue))) {
    network.erase();
    return failure();
  }
  return success();
}

/// The model input as the host sends it (`input`, the host's last steps in
/// `prologue`) and the value the network reads as its input buffer: the
/// quantizer's output, or the output of an offset requant or a threshold the
/// host takes over (inputOffset, inputThreshold), or a binarized input.
LogicalResult NetworkFormer::formInput(Operation *inputOp,
                                       std::vector<schedule::HostStep> &prologue,
                                       InputQuant &input, Value &inputTensor) {
  int64_t offset = 0;
  bool thresholded = false;
  if (auto binarize = dyn_cast<BinarizeOp>(inputOp)) {
    // The host binarizes (BipolarQuant: x >= 0 ? +1 : -1) and sends the
    // +-1 values as bytes, whose sign bits the binary paths read.
    prologue.push_back(schedule::HostStep{
        schedule::HostStep::Kind::Binarize,
        {shapeOf(binarize.getInput()).begin(),
         shapeOf(binarize.getInput()).end()},
        {},
        {}});
    inputTensor = binarize.getResult();
    input.scale = 1.0, input.zeroPoint = 0, input.qMin = -1, input.qMax = 1;
    return inputGeometry(inputOp, inputTensor, prologue, input);
  }
  auto quantize = cast<QuantizeOp>(inputOp);
  inputTensor = quantize.getResult();
  auto quantFixed = cast<FixedType>(elementOf(inputTensor));
  if (RequantOp shifted = inputOffset(quantize, offset)) {
    inputTensor = shifted.getResult();
    inputShift = shifted;
  } else if (ThresholdOp th = inputThreshold(quantize, offset)) {
    inputTensor = th.getResult();
    inputShift = th;
    thresholded = true;
  }
  auto inFixed = cast<FixedType>(elementOf(
      thresholded ? quantize.getResult() : inputTensor));
  if (!thresholded && !isMemoryFixed(inFixed)) {
    std::string type;
    llvm::raw_string_ostream os(type);
    os << inFixed.getStorageType();
    return refuse(quantize, "the accelerator takes activations that fit a "
                            "signed byte (si2..si8, ui1..ui7; this input "
                            "quantizes to " + os.str() + ")");
  }
  input.scale = quantFixed.getScaleValue();
  input.zeroPoint = quantFixed.getZeroPoint() + offset;
  input.qMin = quantFixed.getStorageMin() + offset;
  input.qMax = quantFixed.getStorageMax() + offset;
  if (thresholded) // only the sign is read: any byte range that keeps it
    input.qMin = std::clamp<int64_t>(input.qMin, -128, 127),
    input.qMax = std::clamp<int64_t>(input.qMax, -128, 127);
  return inputGeometry(inputOp, inputTensor, prologue, input);

}

/// The image geometry of the input buffer: a 1xCxHxW image as it is, a [1, N]
/// vector as a C x 1 x W image (and the host's reshape to it).
LogicalResult NetworkFormer::inputGeometry(
    Operation *inputOp, Value inputTensor,
    std::vector<schedule::HostStep> &prologue, InputQuant &input) {
  SmallVector<int64_t, 4> inShape(shapeOf(inputTensor));
  if (inShape.size() == 2 && inShape[0] == 1) {
    // A vector input (an MLP's): sent as an image of C channels by W pixels
    // in the vector's order (NCHW), C the widest divisor of N up to
    // kVectorChannels among those with the fewest fixed-engine beats.
    // A binarized vector is read by the binary path, whose kernels are
    // square: C x S x S, the fewest (tap, 48-channel word) beats.
    int64_t n = inShape[1];
    if (isa<BinaryType>(elementOf(inputTensor))) {
      int64_t best = 0;
      for (int64_t side = 1; side * side <= n; ++side) {
        int64_t c = n / (side * side);
        int64_t beats = side * side * ((c + 47) / 48);
        if (n % (side * side) == 0 && c <= kVectorChannels &&
            (!vectorC || beats < best))
          vectorC = c, vectorH = vectorW = side, best = beats;
      }
      if (!vectorC)
        return refuse(inputOp, "a binarized input vector of " + Twine(n) +
                                   " values must be C x S x S with C <= " +
                                   Twine(kVectorChannels) +
                                   " (blend_net's binary kernels are square)");
    } else {
      auto beats = [&](int64_t c) {
        return ((c + fixedChannels - 1) / fixedChannels) * (n / c);
      };
      for (int64_t c = std::min<int64_t>(n, kVectorChannels); c >= 1; --c)
        if (n % c == 0 && (!vectorC || beats(c) < beats(vectorC)))
          vectorC = c;
      vectorH = 1, vectorW = n / vectorC;
    }
    inShape = {1, vectorC, vectorH, vectorW};
    // The host's last step: the vector as that image (the same order).
    prologue.push_back(schedule::HostStep{schedule::HostStep::Kind::Reshape,
                                          {inShape.begin(), inShape.end()},
                                          {},
                                          {}});
  }
  if (inShape.size() != 4 || inShape[0] != 1)
    return refuse(inputOp, "the input must be one 1xCxHxW image or one 1xN "
                            "vector (batch 1: images are streamed one at a "
                            "time)");
  input.c = inShape[1], input.h = inShape[2], input.w = inShape[3];
  return success();
}

/// The passes of every value that must exist as a tensor, up to the model
/// output; then the output dequantizer.
LogicalResult
NetworkFormer::formPasses(Operation *inputOp, Value outputValue,
                          Operation *deq,
                          const std::vector<schedule::HostStep> &epilogue) {
  using F = StepField;
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

  StepOp last;
  for (Operation *op : ops) {
    if (op == inputOp || op == inputShift || op == deq ||
        isa<ConstantOp, DequantizeOp>(op) ||
        llvm::is_contained(hostOps, op))
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
    if (auto pool = dyn_cast<MaxPool2DOp>(op); pool && !isOutput) {
      FailureOr<Value> pooled = buildPool(pool);
      if (failed(pooled))
        return failure();
      bufferOf[v] = *pooled;
      continue;
    }
    Step pass;
    mainRead = skipRead = Value();
    mainAcc = skipAcc = skipMagnitude = 0;
    if (failed(buildPass(v, isOutput, pass)))
      return failure();
    pass.op = op->getName().stripDialect().str();
    last = createStep(builder, op->getLoc(), pass, mainRead, skipRead);
    if (mainAcc)
      last.setMainAccWidth(mainAcc);
    if (skipAcc)
      last.setSkipAccWidth(skipAcc);
    if (skipMagnitude)
      last.setSkipMagnitude(skipMagnitude);
    bufferOf[v] = last.getResult();
    if (isOutput)
      break;
  }
  Step out = last ? readStep(last) : Step();
  if (!last || !out[F::Stream])
    return refuse(deq, "the model output is not produced by a layer "
                       "step");

  // The output dequantizer.
  OutputDequant output;
  NetworkHardware hardware = readHardware(network);
  hardware.outputRank = shapeOf(deq->getOperand(0)).size();
  output.c = out[F::O], output.h = out[F::OH], output.w = out[F::OW];
  if (out[F::OutBinary]) {
    output.binary = 1;
  } else {
    // A signed accumulator dequantizes to the integer itself (scale 1).
    Type element = elementOf(deq->getOperand(0));
    auto fixed = dyn_cast<FixedType>(element);
    if (!fixed && !isa<IntegerType>(element))
      return refuse(deq, "the output must be fixed-point, binary or a signed "
                         "accumulator");
    output.binary = 0;
    output.scale = fixed ? fixed.getScaleValue() : 1.0;
    output.zeroPoint = fixed ? fixed.getZeroPoint() : 0;
  }
  network.setOutputAttr(outputAttr(func.getContext(), output, epilogue));
  writeHardware(network, hardware);
  return success();
}

struct FormNetworkPass : blend::impl::FormNetworkBase<FormNetworkPass> {
  using FormNetworkBase::FormNetworkBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>("main");
    if (!func) {
      emitError(module.getLoc(), "no func.func @main to map onto blend_net");
      return signalPassFailure();
    }
    if (fixedChannels < 1 || fixedChannels > 8) {
      emitError(module.getLoc(), "blend_net reads 1 to 8 fixed-point channels per "
                       "beat, not ")
          << unsigned(fixedChannels);
      return signalPassFailure();
    }
    if (findNetwork(module)) {
      emitError(module.getLoc(), "the module already holds a blend.network");
      return signalPassFailure();
    }
    if (failed(NetworkFormer(func, fixedChannels).form()))
      signalPassFailure();
  }
};

} // namespace
