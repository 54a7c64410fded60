//===- ModuleIR.cpp - the single-module form's schedule from lowered IR ---===//
//
// The hardware executes one Blend module per model in this version:
//
//   %q   = blend.quantize %arg0            (host; si8, zero point 0)
//   %b   = blend.binarize %q
//   %m   = blend.conv2d %b, %wb            (binary 3x3, pads 1, stride S)
//   %s   = blend.conv2d %q, %wq            (fixed-point 1x1, pads 0, stride S)
//   %pm  = blend.requant %m  ... half_up   (onto the join grid)
//   %ps  = blend.requant %s  ... half_up
//   %sum = blend.add %pm, %ps
//   %y   = blend.binarize %sum | blend.requant %sum → si8/ui8
//   %out = blend.dequantize %y             (host)
//
// buildSchedule walks back from the returned value and checks each op against
// this form, reporting the first that differs at its location. Hardware
// parameters are sized to the layer: MaxC = C, Pe = O, MaxPix = H·W, and the
// accumulator widths of the two convolutions' result types.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/ModuleIR.h"

#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/LoweredIR.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace blend;
using namespace blend::schedule;
using namespace blend::lowered;

namespace {

/// Fails with a diagnostic at `op` explaining the supported form.
LogicalResult unsupported(Operation *op, const Twine &what) {
  return op->emitError() << "cannot be mapped to the accelerator: " << what
                         << " (this version executes one Blend module: "
                            "binary 3x3 main path, fixed-point 1x1 skip path, "
                            "joined and binarized or requantized)";
}

/// unsupported() as the failed result of buildSchedule.
FailureOr<Schedule> refuse(Operation *op, const Twine &what) {
  (void)unsupported(op, what);
  return failure();
}

/// Unsigned width of a signed accumulator type (siN or !blend.fixed<siN>).
uint32_t accumulatorWidth(Type t) {
  if (auto fixed = dyn_cast<FixedType>(t))
    return fixed.getWidth();
  return t.getIntOrFloatBitWidth();
}

} // namespace

FailureOr<Schedule> blend::buildSchedule(ModuleOp module) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func) {
    module.emitError("no func.func @main to export");
    return failure();
  }
  if (func.getNumArguments() != 1 || func.getNumResults() != 1)
    return refuse(func, "the model must have one input and one output");
  Schedule s;
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());

  // Output dequantizer.
  auto deq = defining<DequantizeOp>(ret.getOperand(0));
  if (!deq)
    return refuse(ret, "the output is not dequantized from an exact "
                            "value");
  Value y = deq.getInput();
  auto outType = cast<RankedTensorType>(deq.getType());
  if (outType.getRank() != 4)
    return refuse(deq, "the output must be NCHW");
  s.output.n = outType.getDimSize(0), s.output.c = outType.getDimSize(1);
  s.output.h = outType.getDimSize(2), s.output.w = outType.getDimSize(3);

  // Output stage: binarize(sum) or requant(sum).
  BlendModule &l = s.layer;
  Value sum;
  if (auto bin = defining<BinarizeOp>(y)) {
    sum = bin.getInput();
    l.outputInt8 = 0;
    s.output.binary = 1;
  } else if (auto rq = defining<RequantOp>(y)) {
    auto fixed = cast<FixedType>(elementOf(rq.getResult()));
    if (fixed.getWidth() != 8)
      return refuse(rq, "the output must be 8-bit");
    if (llvm::any_of(rq.getBias(), [](int64_t b) { return b != 0; }))
      return refuse(rq, "the output requant must have no bias");
    sum = rq.getInput();
    l.outputInt8 = 1;
    if (rq.getRounding() == RoundingMode::Floor)
      return refuse(rq, "the output requant must round half up or half to "
                        "even (the accelerator has no floor rounding)");
    l.outputHalfEven = rq.getRounding() == RoundingMode::HalfEven;
    l.outputZeroPoint = fixed.getZeroPoint();
    l.outputMin = fixed.getStorageMin();
    l.outputMax = fixed.getStorageMax();
    s.output.binary = 0;
    s.output.scale = fixed.getScaleValue();
    s.output.zeroPoint = fixed.getZeroPoint();
    l.outMultiplier = perChannel(rq.getMultiplier(), s.output.c);
    l.outShift = perChannel(rq.getShift(), s.output.c);
  } else {
    return refuse(y.getDefiningOp() ? y.getDefiningOp() : deq.getOperation(),
                       "the output stage must be a binarize or a requant");
  }
  if (!l.outputInt8) {
    l.outMultiplier.assign(s.output.c, 1);
    l.outShift.assign(s.output.c, 0);
  }

  // The join.
  auto add = defining<AddOp>(sum);
  if (!add)
    return refuse(sum.getDefiningOp() ? sum.getDefiningOp()
                                           : deq.getOperation(),
                       "the output stage must read the main+skip join");
  auto sumType = dyn_cast<FixedType>(elementOf(add.getResult()));
  if (!sumType || sumType.getZeroPoint() != 0 || sumType.getWidth() > 32)
    return refuse(add, "the join must be a fixed-point sum of at most 32 "
                            "bits with zero point 0");
  RequantOp paths[2] = {defining<RequantOp>(add.getLhs()),
                        defining<RequantOp>(add.getRhs())};
  if (!paths[0] || !paths[1])
    return refuse(add, "both join operands must be requants");
  Conv2DOp convs[2] = {defining<Conv2DOp>(paths[0].getInput()),
                       defining<Conv2DOp>(paths[1].getInput())};
  if (!convs[0] || !convs[1])
    return refuse(add, "both join operands must requantize a "
                            "convolution");
  // Order: main (binary) first.
  if (isa<BinaryType>(elementOf(convs[1].getInput()))) {
    std::swap(convs[0], convs[1]);
    std::swap(paths[0], paths[1]);
  }
  Conv2DOp mainConv = convs[0], skipConv = convs[1];
  if (!isa<BinaryType>(elementOf(mainConv.getInput())) ||
      !isa<FixedType>(elementOf(skipConv.getInput())))
    return refuse(add, "the join needs one binary and one fixed-point "
                            "convolution");
  for (RequantOp rq : paths) {
    if (rq.getRounding() != RoundingMode::HalfUp)
      return refuse(rq, "path requants must round half up");
    auto t = cast<FixedType>(elementOf(rq.getResult()));
    if (t.getZeroPoint() != 0 || t.getWidth() > 32)
      return refuse(rq, "path requants must give at most 32-bit values "
                             "with zero point 0");
    l.joinMin = t.getStorageMin();
    l.joinMax = t.getStorageMax();
  }

  // The input and the two convolutions.
  auto binarize = defining<BinarizeOp>(mainConv.getInput());
  Value q = skipConv.getInput();
  if (!binarize || resolve(binarize.getInput()) != resolve(q))
    return refuse(mainConv, "the binary convolution must read the "
                                 "binarized module input");
  auto quantize = defining<QuantizeOp>(q);
  if (!quantize || !isa<BlockArgument>(quantize.getInput()))
    return refuse(skipConv, "the module input must be the quantized "
                                 "model input");
  auto inFixed = cast<FixedType>(elementOf(q));
  if (!inFixed.isSigned() || inFixed.getWidth() != 8 ||
      inFixed.getZeroPoint() != 0)
    return refuse(quantize, "the accelerator takes si8 activations with "
                                 "zero point 0");
  auto inType = cast<RankedTensorType>(q.getType());
  if (inType.getDimSize(0) != 1)
    return refuse(quantize, "batch size must be 1 (images are streamed "
                                 "one at a time)");
  s.input.scale = inFixed.getScaleValue();
  s.input.zeroPoint = 0;
  s.input.qMin = inFixed.getStorageMin();
  s.input.qMax = inFixed.getStorageMax();
  s.input.n = 1, s.input.c = inType.getDimSize(1);
  s.input.h = inType.getDimSize(2), s.input.w = inType.getDimSize(3);

  auto mainW = cast<RankedTensorType>(mainConv.getWeight().getType());
  auto skipW = cast<RankedTensorType>(skipConv.getWeight().getType());
  ArrayRef<int64_t> ms = mainConv.getStrides(), ss = skipConv.getStrides();
  if (mainW.getDimSize(2) != 3 || mainW.getDimSize(3) != 3 ||
      mainConv.getPads() != ArrayRef<int64_t>({1, 1, 1, 1}) || ms[0] != ms[1])
    return refuse(mainConv, "the main path must be a 3x3 convolution "
                                 "with pads 1 and equal strides");
  if (skipW.getDimSize(2) != 1 || skipW.getDimSize(3) != 1 ||
      skipConv.getPads() != ArrayRef<int64_t>({0, 0, 0, 0}) ||
      ss != ms || skipConv.getBias())
    return refuse(skipConv, "the skip path must be a 1x1 convolution "
                                 "without bias, pads 0, same stride");
  if (mainConv.getBias())
    return refuse(mainConv, "the binary convolution has a bias");
  l.c = s.input.c, l.h = s.input.h, l.w = s.input.w;
  l.o = mainW.getDimSize(0);
  l.stride = ms[0];
  l.oh = s.output.h, l.ow = s.output.w;
  l.inputZeroPoint = 0;
  if (l.o != s.output.c || skipW.getDimSize(0) != l.o)
    return refuse(add, "both paths must produce the output channels");

  // Per-channel constants.
  l.mainMultiplier = perChannel(paths[0].getMultiplier(), l.o);
  l.mainShift = perChannel(paths[0].getShift(), l.o);
  l.mainBias = perChannel(paths[0].getBias(), l.o);
  l.skipMultiplier = perChannel(paths[1].getMultiplier(), l.o);
  l.skipShift = perChannel(paths[1].getShift(), l.o);
  l.skipBias = perChannel(paths[1].getBias(), l.o);
  for (int64_t m : llvm::concat<int64_t>(l.mainMultiplier, l.skipMultiplier,
                                         l.outMultiplier))
    if (m < INT32_MIN || m > INT32_MAX)
      return refuse(add, "a requant multiplier exceeds 32 bits");

  // Weights.
  FailureOr<std::vector<int64_t>> wb = constantInts(mainConv.getWeight());
  FailureOr<std::vector<int64_t>> wq = constantInts(skipConv.getWeight());
  if (failed(wb) || failed(wq))
    return refuse(mainConv, "weights must be constants");
  if (cast<FixedType>(elementOf(skipConv.getWeight())).getWidth() != 8)
    return refuse(skipConv, "skip-path weights must be 8-bit");
  uint32_t words = BlendModule::wordsFor(l.c);
  l.binaryWeights.assign(size_t(l.o) * 9 * words, 0);
  for (uint32_t o = 0; o < l.o; ++o)
    for (uint32_t c = 0; c < l.c; ++c)
      for (uint32_t tap = 0; tap < 9; ++tap)
        if ((*wb)[(size_t(o) * l.c + c) * 9 + tap])
          l.binaryWeights[(size_t(o) * 9 + tap) * words + c / 48] |=
              uint64_t(1) << (c % 48);
  l.fixedWeights.resize(size_t(l.o) * l.c);
  for (size_t i = 0; i < l.fixedWeights.size(); ++i)
    l.fixedWeights[i] = int8_t((*wq)[i]);

  // Hardware sized to the layer.
  s.hardware.maxChannels = l.c;
  s.hardware.pe = l.o;
  s.hardware.maxPixels = l.h * l.w;
  s.hardware.accBinary =
      std::max<uint32_t>(9, accumulatorWidth(elementOf(mainConv.getResult())));
  s.hardware.accFixed =
      std::max<uint32_t>(17, accumulatorWidth(elementOf(skipConv.getResult())));
  return s;
}

