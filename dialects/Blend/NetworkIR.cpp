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

/// A pass's per-channel constant arrays by name.
struct ConstantKey {
  const char *name;
  std::vector<int64_t> Pass::*member;
};
constexpr ConstantKey kConstantKeys[] = {
    {"main_multiplier", &Pass::mainMultiplier},
    {"main_shift", &Pass::mainShift},
    {"main_bias", &Pass::mainBias},
    {"skip_multiplier", &Pass::skipMultiplier},
    {"skip_shift", &Pass::skipShift},
    {"skip_bias", &Pass::skipBias},
    {"out_multiplier", &Pass::outMultiplier},
    {"out_shift", &Pass::outShift},
    {"out_bias", &Pass::outBias},
};

int64_t intOf(DictionaryAttr dict, StringRef key, int64_t fallback = 0) {
  if (auto v = dict.getAs<IntegerAttr>(key))
    return v.getInt();
  return fallback;
}

double floatOf(DictionaryAttr dict, StringRef key, double fallback) {
  if (auto v = dict.getAs<FloatAttr>(key))
    return v.getValueAsDouble();
  return fallback;
}

NamedAttribute named(Builder &b, StringRef key, int64_t value) {
  return b.getNamedAttr(key, b.getI64IntegerAttr(value));
}

} // namespace

Pass blend::readFields(NetPassOp op) {
  Pass p;
  llvm::copy(op.getFields().getValues(), p.fields.begin());
  return p;
}

Pass blend::readPass(NetPassOp op) {
  Pass p = readFields(op);
  DictionaryAttr constants = op.getConstants();
  // A layer pass has every constant array, O entries; a missing one is 0.
  for (const ConstantKey &k : kConstantKeys)
    if (auto a = constants.getAs<DenseI64ArrayAttr>(k.name))
      (p.*k.member).assign(a.asArrayRef().begin(), a.asArrayRef().end());
    else if (!p[PassField::Transpose])
      (p.*k.member).assign(size_t(p[PassField::O]), 0);
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

void blend::writeFields(NetPassOp op, const Pass &p) {
  op.setFieldsAttr(StepAttr::get(op.getContext(), p.fields));
}

void blend::writePass(NetPassOp op, const Pass &p) {
  Builder b(op.getContext());
  writeFields(op, p);
  SmallVector<NamedAttribute> constants;
  for (const ConstantKey &k : kConstantKeys)
    if (!(p.*k.member).empty())
      constants.push_back(
          b.getNamedAttr(k.name, b.getDenseI64ArrayAttr(p.*k.member)));
  op.setConstantsAttr(b.getDictionaryAttr(constants));
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

NetPassOp blend::createPass(OpBuilder &builder, Location loc, const Pass &pass,
                            Value main, Value skip, Value into) {
  Builder &b = builder;
  auto op = builder.create<NetPassOp>(
      loc, BufferType::get(builder.getContext()), main, skip, into,
      StepAttr::get(builder.getContext(), pass.fields),
      b.getDictionaryAttr({}), DenseIntElementsAttr(),
      DenseIntElementsAttr(), b.getStringAttr(pass.op), UnitAttr(),
      IntegerAttr(), IntegerAttr(), IntegerAttr(), UnitAttr(), IntegerAttr(),
      IntegerAttr());
  writePass(op, pass);
  return op;
}

NetworkHardware blend::readHardware(NetworkOp op) {
  return op.getHardware().getHardware();
}

void blend::writeHardware(NetworkOp op, const NetworkHardware &h) {
  op.setHardwareAttr(DatapathAttr::get(op.getContext(), h));
}

/// `host_steps`: one dictionary per step (kind, shape, constant, perm).
static void addHostSteps(Builder &b, SmallVector<NamedAttribute> &attrs,
                         const std::vector<HostStep> &steps) {
  if (steps.empty())
    return;
  SmallVector<Attribute> list;
  for (const HostStep &step : steps)
    list.push_back(b.getDictionaryAttr(
        {named(b, "kind", int64_t(step.kind)),
         b.getNamedAttr("shape", b.getDenseI64ArrayAttr(step.shape)),
         b.getNamedAttr("constant", b.getDenseF32ArrayAttr(step.constant)),
         b.getNamedAttr("perm", b.getDenseI64ArrayAttr(step.perm))}));
  attrs.push_back(b.getNamedAttr("host_steps", b.getArrayAttr(list)));
}

static std::vector<HostStep> readHostSteps(DictionaryAttr dict) {
  std::vector<HostStep> steps;
  auto list = dict.getAs<ArrayAttr>("host_steps");
  if (!list)
    return steps;
  for (Attribute a : list) {
    auto d = cast<DictionaryAttr>(a);
    HostStep step;
    step.kind = HostStep::Kind(intOf(d, "kind"));
    if (auto v = d.getAs<DenseI64ArrayAttr>("shape"))
      step.shape.assign(v.asArrayRef().begin(), v.asArrayRef().end());
    if (auto v = d.getAs<DenseF32ArrayAttr>("constant"))
      step.constant.assign(v.asArrayRef().begin(), v.asArrayRef().end());
    if (auto v = d.getAs<DenseI64ArrayAttr>("perm"))
      step.perm.assign(v.asArrayRef().begin(), v.asArrayRef().end());
    steps.push_back(std::move(step));
  }
  return steps;
}

DictionaryAttr blend::inputAttr(MLIRContext *ctx, const InputQuant &in,
                                const std::vector<HostStep> &prologue) {
  Builder b(ctx);
  SmallVector<NamedAttribute> attrs{
      b.getNamedAttr("scale", b.getF64FloatAttr(in.scale)),
      named(b, "zero_point", in.zeroPoint), named(b, "q_min", in.qMin),
      named(b, "q_max", in.qMax), named(b, "c", in.c), named(b, "h", in.h),
      named(b, "w", in.w)};
  addHostSteps(b, attrs, prologue);
  return b.getDictionaryAttr(attrs);
}

std::vector<int64_t> blend::hostInputShape(NetworkOp op) {
  std::vector<int64_t> shape;
  if (auto v = op.getInput().getAs<DenseI64ArrayAttr>("host_input_shape"))
    shape.assign(v.asArrayRef().begin(), v.asArrayRef().end());
  return shape;
}

DictionaryAttr blend::outputAttr(MLIRContext *ctx, const OutputDequant &out,
                                 const std::vector<HostStep> &epilogue) {
  Builder b(ctx);
  SmallVector<NamedAttribute> attrs{
      named(b, "binary", out.binary),
      b.getNamedAttr("scale", b.getF64FloatAttr(out.scale)),
      named(b, "zero_point", out.zeroPoint), named(b, "c", out.c),
      named(b, "h", out.h), named(b, "w", out.w)};
  addHostSteps(b, attrs, epilogue);
  return b.getDictionaryAttr(attrs);
}

Network blend::readNetwork(NetworkOp op) {
  Network n;
  n.hardware = readHardware(op);
  DictionaryAttr in = op.getInput(), out = op.getOutput();
  n.input.scale = floatOf(in, "scale", 1.0);
  n.input.zeroPoint = intOf(in, "zero_point");
  n.input.qMin = intOf(in, "q_min"), n.input.qMax = intOf(in, "q_max");
  n.input.c = uint32_t(intOf(in, "c"));
  n.input.h = uint32_t(intOf(in, "h")), n.input.w = uint32_t(intOf(in, "w"));
  n.output.binary = uint32_t(intOf(out, "binary", 1));
  n.output.scale = floatOf(out, "scale", 1.0);
  n.output.zeroPoint = intOf(out, "zero_point");
  n.output.c = uint32_t(intOf(out, "c"));
  n.output.h = uint32_t(intOf(out, "h")), n.output.w = uint32_t(intOf(out, "w"));
  n.prologue = readHostSteps(in);
  n.prologueShape = hostInputShape(op);
  n.epilogue = readHostSteps(out);
  for (auto pass : op.getBlock().getOps<NetPassOp>())
    n.passes.push_back(readPass(pass));
  return n;
}

bool blend::isPassConstantName(StringRef name) {
  return llvm::any_of(kConstantKeys,
                      [&](const ConstantKey &k) { return name == k.name; });
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
  if (auto pass = buffer.getDefiningOp<NetPassOp>()) {
    StepAttr f = pass.getFields();
    // A stripe of a tensor whose rows are kept between stripes: its storage.
    if (std::optional<int64_t> rows = pass.getBandRows())
      return *rows * f.get(PassField::OW);
    // A row stripe of a tensor stored whole: all of its rows.
    return f.get(pass.getWhole() ? PassField::FullHeight : PassField::OH) *
           f.get(PassField::OW);
  }
  auto net = cast<NetworkOp>(buffer.getParentRegion()->getParentOp());
  return intOf(net.getInput(), "h") * intOf(net.getInput(), "w");
}

Value blend::storageRoot(Value buffer) {
  while (auto pass = buffer.getDefiningOp<NetPassOp>()) {
    if (!pass.getInto())
      break;
    buffer = pass.getInto();
  }
  return buffer;
}
