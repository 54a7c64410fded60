//===- NetworkIR.cpp - blend.network <-> the schedule's records -----------===//
//
// The attribute spelling of a network schedule (NetworkIR.h). Dictionaries
// hold only what differs from the schedule structs' defaults, so the IR after
// each network pass shows what that pass decided.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/NetworkIR.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace blend;
using namespace blend::schedule;

namespace {

/// A step's per-channel constant arrays: their name, the attribute's
/// accessor and the schedule's member.
struct ConstantKey {
  const char *name;
  DenseI64ArrayAttr (ChannelConstantsAttr::*get)() const;
  std::vector<int64_t> Step::*member;
};
constexpr ConstantKey kConstantKeys[] = {
    {"main_multiplier", &ChannelConstantsAttr::getMainMultiplier,
     &Step::mainMultiplier},
    {"main_shift", &ChannelConstantsAttr::getMainShift, &Step::mainShift},
    {"main_bias", &ChannelConstantsAttr::getMainBias, &Step::mainBias},
    {"skip_multiplier", &ChannelConstantsAttr::getSkipMultiplier,
     &Step::skipMultiplier},
    {"skip_shift", &ChannelConstantsAttr::getSkipShift, &Step::skipShift},
    {"skip_bias", &ChannelConstantsAttr::getSkipBias, &Step::skipBias},
    {"out_multiplier", &ChannelConstantsAttr::getOutMultiplier,
     &Step::outMultiplier},
    {"out_shift", &ChannelConstantsAttr::getOutShift, &Step::outShift},
    {"out_bias", &ChannelConstantsAttr::getOutBias, &Step::outBias},
};

} // namespace

Step blend::readFields(StepOp op) {
  Step p;
  llvm::copy(op.getFields().getValues(), p.fields.begin());
  return p;
}

Step blend::readStep(StepOp op) {
  Step p = readFields(op);
  ChannelConstantsAttr constants = op.getConstants();
  // A layer step has every constant array, O entries; a missing one is 0.
  for (const ConstantKey &k : kConstantKeys)
    if (DenseI64ArrayAttr a = (constants.*k.get)())
      (p.*k.member).assign(a.asArrayRef().begin(), a.asArrayRef().end());
    else if (!movesDataOnly(p))
      (p.*k.member).assign(size_t(p[StepField::O]), 0);
  if (auto w = op.getBinaryWeightsAttr()) {
    p.binaryWeights.reserve(size_t(w.getNumElements()));
    for (int64_t v : w.getValues<int64_t>())
      p.binaryWeights.push_back(uint64_t(v));
  }
  if (auto w = op.getFixedWeightsAttr()) {
    p.fixedWeights.reserve(size_t(w.getNumElements()));
    for (int8_t v : w.getValues<int8_t>())
      p.fixedWeights.push_back(v);
  }
  p.op = op.getTracedOp().str();
  std::string loc;
  llvm::raw_string_ostream os(loc);
  op.getLoc().print(os);
  p.location = os.str();
  p.channelLast = op.getChannelLast();
  return p;
}

void blend::writeFields(StepOp op, const Step &p) {
  op.setFieldsAttr(StepAttr::get(op.getContext(), p.fields));
}

void blend::writeStep(StepOp op, const Step &p) {
  Builder b(op.getContext());
  writeFields(op, p);
  op.setConstantsAttr(constantsAttr(op.getContext(), p));
  if (p.binaryWeights.empty()) {
    op.removeBinaryWeightsAttr();
  } else {
    auto type = RankedTensorType::get({int64_t(p.binaryWeights.size())},
                                      b.getI64Type());
    ArrayRef<int64_t> words(
        reinterpret_cast<const int64_t *>(p.binaryWeights.data()),
        p.binaryWeights.size());
    op.setBinaryWeightsAttr(
        cast<DenseIntElementsAttr>(DenseIntElementsAttr::get(type, words)));
  }
  if (p.fixedWeights.empty()) {
    op.removeFixedWeightsAttr();
  } else {
    auto type = RankedTensorType::get({int64_t(p.fixedWeights.size())},
                                      b.getI8Type());
    op.setFixedWeightsAttr(cast<DenseIntElementsAttr>(
        DenseIntElementsAttr::get(type, ArrayRef<int8_t>(p.fixedWeights))));
  }
  op.setTracedOp(p.op);
  op.setChannelLast(p.channelLast);
}

/// A new step op of type `OpT` holding `pass`.
template <typename OpT>
static StepOp makeStepOp(OpBuilder &builder, Location loc, const Step &pass,
                         Value main, Value skip, Value into) {
  MLIRContext *ctx = builder.getContext();
  auto op = builder.create<OpT>(
      loc, BufferType::get(ctx), main, skip, into, StepAttr::get(ctx, pass.fields),
      constantsAttr(ctx, pass), DenseIntElementsAttr(), DenseIntElementsAttr(),
      builder.getStringAttr(pass.op), UnitAttr(), IntegerAttr(), IntegerAttr(),
      IntegerAttr(), UnitAttr(), IntegerAttr(), IntegerAttr());
  StepOp step = cast<StepOp>(op.getOperation());
  writeStep(step, pass);
  return step;
}

StepOp blend::createStep(OpBuilder &builder, Location loc, const Step &pass,
                         Value main, Value skip, Value into) {
  // The descriptor's kind picks the op.
  if (pass[StepField::Pool])
    return makeStepOp<PoolStepOp>(builder, loc, pass, main, skip, into);
  if (pass[StepField::Transpose])
    return makeStepOp<TransposeStepOp>(builder, loc, pass, main, skip, into);
  if (pass[StepField::Load] == kLoadStream)
    return makeStepOp<LoadStepOp>(builder, loc, pass, main, skip, into);
  if (pass[StepField::Load] == kLoadCopy)
    return makeStepOp<CopyStepOp>(builder, loc, pass, main, skip, into);
  return makeStepOp<LayerStepOp>(builder, loc, pass, main, skip, into);
}

NetworkHardware blend::readHardware(NetworkOp op) {
  return op.getHardware().getHardware();
}

void blend::writeHardware(NetworkOp op, const NetworkHardware &h) {
  op.setHardwareAttr(DatapathAttr::get(op.getContext(), h));
}

SmallVector<std::pair<StringRef, DenseI64ArrayAttr>>
blend::constantArrays(ChannelConstantsAttr constants) {
  SmallVector<std::pair<StringRef, DenseI64ArrayAttr>> arrays;
  for (const ConstantKey &k : kConstantKeys)
    arrays.push_back({k.name, (constants.*k.get)()});
  return arrays;
}

ChannelConstantsAttr blend::constantsAttr(MLIRContext *ctx, const Step &p) {
  Builder b(ctx);
  DenseI64ArrayAttr arrays[9];
  for (auto [i, k] : llvm::enumerate(kConstantKeys))
    if (!(p.*k.member).empty())
      arrays[i] = b.getDenseI64ArrayAttr(p.*k.member);
  return ChannelConstantsAttr::get(ctx, arrays[0], arrays[1], arrays[2],
                                   arrays[3], arrays[4], arrays[5], arrays[6],
                                   arrays[7], arrays[8]);
}

/// The host steps as #blend.host_step attributes (null: none).
static ArrayAttr hostStepsAttr(Builder &b, const std::vector<HostStep> &steps) {
  if (steps.empty())
    return {};
  SmallVector<Attribute> list;
  for (const HostStep &step : steps)
    list.push_back(HostStepAttr::get(b.getContext(), int64_t(step.kind),
                                     b.getDenseI64ArrayAttr(step.shape),
                                     b.getDenseF32ArrayAttr(step.constant),
                                     b.getDenseI64ArrayAttr(step.perm)));
  return b.getArrayAttr(list);
}

static std::vector<HostStep> readHostSteps(ArrayAttr list) {
  std::vector<HostStep> steps;
  if (!list)
    return steps;
  for (Attribute a : list) {
    auto attr = cast<HostStepAttr>(a);
    HostStep step;
    step.kind = HostStep::Kind(attr.getKind());
    step.shape.assign(attr.getShape().asArrayRef().begin(),
                      attr.getShape().asArrayRef().end());
    step.constant.assign(attr.getConstant().asArrayRef().begin(),
                         attr.getConstant().asArrayRef().end());
    step.perm.assign(attr.getPerm().asArrayRef().begin(),
                     attr.getPerm().asArrayRef().end());
    steps.push_back(std::move(step));
  }
  return steps;
}

HostInputAttr blend::inputAttr(MLIRContext *ctx, const InputQuant &in,
                               const std::vector<HostStep> &prologue,
                               ArrayRef<int64_t> rawShape) {
  Builder b(ctx);
  return HostInputAttr::get(
      ctx, b.getF64FloatAttr(in.scale), in.zeroPoint, in.qMin, in.qMax, in.c,
      in.h, in.w,
      rawShape.empty() ? DenseI64ArrayAttr() : b.getDenseI64ArrayAttr(rawShape),
      hostStepsAttr(b, prologue));
}

std::vector<int64_t> blend::hostInputShape(NetworkOp op) {
  std::vector<int64_t> shape;
  if (DenseI64ArrayAttr v = op.getInput().getShape())
    shape.assign(v.asArrayRef().begin(), v.asArrayRef().end());
  return shape;
}

HostOutputAttr blend::outputAttr(MLIRContext *ctx, const OutputDequant &out,
                                 const std::vector<HostStep> &epilogue) {
  Builder b(ctx);
  return HostOutputAttr::get(ctx, out.binary, b.getF64FloatAttr(out.scale),
                             out.zeroPoint, out.c, out.h, out.w,
                             hostStepsAttr(b, epilogue));
}

Network blend::readNetwork(NetworkOp op) {
  Network n;
  n.hardware = readHardware(op);
  HostInputAttr in = op.getInput();
  HostOutputAttr out = op.getOutput();
  n.input.scale = in.getScale().getValueAsDouble();
  n.input.zeroPoint = in.getZeroPoint();
  n.input.qMin = in.getQMin(), n.input.qMax = in.getQMax();
  n.input.c = uint32_t(in.getC());
  n.input.h = uint32_t(in.getH()), n.input.w = uint32_t(in.getW());
  n.output.binary = uint32_t(out.getBinary());
  n.output.scale = out.getScale().getValueAsDouble();
  n.output.zeroPoint = out.getZeroPoint();
  n.output.c = uint32_t(out.getC());
  n.output.h = uint32_t(out.getH()), n.output.w = uint32_t(out.getW());
  n.prologue = readHostSteps(in.getSteps());
  n.prologueShape = hostInputShape(op);
  n.epilogue = readHostSteps(out.getSteps());
  for (auto pass : op.getBlock().getOps<StepOp>())
    n.steps.push_back(readStep(pass));
  return n;
}

NetworkOp blend::findNetwork(ModuleOp module) {
  auto range = module.getOps<NetworkOp>();
  return range.empty() ? NetworkOp() : *range.begin();
}

NetworkOp blend::requireNetwork(ModuleOp module, StringRef action,
                                NetworkStage needed) {
  NetworkOp net = findNetwork(module);
  if (!net) {
    emitError(module.getLoc(), "no blend.network to ")
        << action << " (run blend-form-network first)";
    return {};
  }
  NetworkHardware h = readHardware(net);
  if (needed == NetworkStage::Allocated && !h.depth) {
    emitError(net.getLoc(), "the network's memories are not allocated yet "
                            "(run blend-allocate-buffers first)");
    return {};
  }
  if (needed == NetworkStage::Tiled && !h.pe) {
    emitError(net.getLoc(), "the network has no Pe yet (run blend-tile first)");
    return {};
  }
  return net;
}

int64_t blend::bufferPixels(Value buffer) {
  if (auto pass = buffer.getDefiningOp<StepOp>()) {
    StepAttr f = pass.getFields();
    // A stripe of a tensor whose rows are kept between stripes: its storage.
    if (std::optional<int64_t> rows = pass.getBandRows())
      return *rows * f.get(StepField::OW);
    // A row stripe of a tensor stored whole: all of its rows.
    return f.get(pass.getWhole() ? StepField::FullHeight : StepField::OH) *
           f.get(StepField::OW);
  }
  auto net = cast<NetworkOp>(buffer.getParentRegion()->getParentOp());
  return net.getInput().getH() * net.getInput().getW();
}

Value blend::storageRoot(Value buffer) {
  while (auto pass = buffer.getDefiningOp<StepOp>()) {
    if (!pass.getInto())
      break;
    buffer = pass.getInto();
  }
  return buffer;
}
