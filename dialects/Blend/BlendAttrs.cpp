//===- BlendAttrs.cpp - blend attributes ----------------------------------===//
//
// `#blend.target`: the part a design is built for and its budgets, as IR
// (BlendAttrs.td). The verifier keeps the textual form honest: a budget
// above the part, an unknown binary implementation or halo policy is an
// error at parse time, not a surprise in the datapath search.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/BlendOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace blend;

#define GET_ATTRDEF_CLASSES
#include "dialects/Blend/BlendAttrs.cpp.inc"

void BlendDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/Blend/BlendAttrs.cpp.inc"
      >();
}

LogicalResult
TargetAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                   llvm::StringRef part, llvm::StringRef board,
                   llvm::StringRef dspFamily, unsigned dsp, unsigned bram36,
                   unsigned lut, unsigned ff, FloatAttr clockMhz,
                   unsigned dspBudget, unsigned bramBudget,
                   llvm::StringRef binaryImpl, unsigned stripes,
                   llvm::StringRef stripeHalo) {
  if (part.empty())
    return emitError() << "a target needs a part";
  if (!dsp || !bram36 || !lut || !ff)
    return emitError() << "target '" << part
                       << "': dsp, bram36, lut and ff must be positive";
  if (!clockMhz || !(clockMhz.getValueAsDouble() > 0.0 &&
                     clockMhz.getValueAsDouble() <= 1000.0))
    return emitError() << "target '" << part
                       << "': clock_mhz must be in (0, 1000]";
  if (binaryImpl != "auto" && binaryImpl != "dsp" && binaryImpl != "lut")
    return emitError() << "target '" << part
                       << "': binary_impl must be \"auto\", \"dsp\" or "
                          "\"lut\", not \""
                       << binaryImpl << "\"";
  if (stripeHalo != "auto" && stripeHalo != "keep" &&
      stripeHalo != "recompute")
    return emitError() << "target '" << part
                       << "': stripe_halo must be \"auto\", \"keep\" or "
                          "\"recompute\", not \""
                       << stripeHalo << "\"";
  if (stripes > 256)
    return emitError() << "target '" << part << "': stripes must be 0..256";
  return success();
}

//===----------------------------------------------------------------------===//
// #blend.datapath and #blend.step: named integer records.
//===----------------------------------------------------------------------===//

namespace {

/// Parses `<name = int, ...>` (any order, each name at most once) into
/// `values`, where `nameOf(i)` names `values[i]`.
ParseResult parseNamedInts(AsmParser &parser, llvm::StringRef what,
                           llvm::function_ref<const char *(size_t)> nameOf,
                           SmallVectorImpl<int64_t> &values) {
  SmallVector<bool> seen(values.size(), false);
  auto indexOf = [&](llvm::StringRef name) {
    for (size_t i = 0; i < values.size(); ++i)
      if (name == nameOf(i))
        return int(i);
    return -1;
  };
  return parser.parseCommaSeparatedList(
      AsmParser::Delimiter::LessGreater, [&]() -> ParseResult {
        llvm::SMLoc at = parser.getCurrentLocation();
        std::string name;
        if (parser.parseKeywordOrString(&name))
          return failure();
        int index = indexOf(name);
        if (index < 0)
          return parser.emitError(at) << "'" << name << "' is not a " << what;
        if (seen[index])
          return parser.emitError(at) << "'" << name << "' appears twice";
        seen[index] = true;
        return failure(parser.parseEqual() ||
                       parser.parseInteger(values[index]));
      });
}

/// Prints `<name = int, ...>` sorted by name, leaving out the values equal
/// to `defaults`.
void printNamedInts(AsmPrinter &printer, ArrayRef<int64_t> values,
                    ArrayRef<int64_t> defaults,
                    llvm::function_ref<const char *(size_t)> nameOf) {
  SmallVector<std::pair<llvm::StringRef, int64_t>> shown;
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] != defaults[i])
      shown.push_back({nameOf(i), values[i]});
  llvm::sort(shown, [](auto &a, auto &b) { return a.first < b.first; });
  printer << "<";
  llvm::interleaveComma(shown, printer, [&](auto &entry) {
    printer << entry.first << " = " << entry.second;
  });
  printer << ">";
}

using schedule::StepField;

const char *hardwareName(size_t i) {
  return schedule::hardwareParameters()[i].name;
}
const char *fieldName(size_t f) { return schedule::stepFieldName(StepField(f)); }

SmallVector<int64_t> hardwareDefaults() {
  const schedule::NetworkHardware fresh;
  SmallVector<int64_t> values;
  for (const schedule::HardwareParameter &p : schedule::hardwareParameters())
    values.push_back(fresh.*p.member);
  return values;
}

} // namespace

DatapathAttr DatapathAttr::get(MLIRContext *context,
                               const schedule::NetworkHardware &hardware) {
  SmallVector<int64_t> values;
  for (const schedule::HardwareParameter &p : schedule::hardwareParameters())
    values.push_back(hardware.*p.member);
  return get(context, values);
}

schedule::NetworkHardware DatapathAttr::getHardware() const {
  schedule::NetworkHardware h;
  size_t i = 0;
  for (const schedule::HardwareParameter &p : schedule::hardwareParameters())
    h.*p.member = uint32_t(getValues()[i++]);
  return h;
}

Attribute DatapathAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> values = hardwareDefaults();
  if (parseNamedInts(parser, "blend_net parameter", hardwareName, values))
    return {};
  return parser.getChecked<DatapathAttr>(parser.getContext(), values);
}

void DatapathAttr::print(AsmPrinter &printer) const {
  printNamedInts(printer, getValues(), hardwareDefaults(), hardwareName);
}

LogicalResult
DatapathAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                     ArrayRef<int64_t> values) {
  const auto &params = schedule::hardwareParameters();
  if (values.size() != params.size())
    return emitError() << "a datapath has " << params.size()
                       << " parameters, not " << values.size();
  auto value = [&](uint32_t schedule::NetworkHardware::*member) {
    for (size_t i = 0; i < params.size(); ++i)
      if (params[i].member == member)
        return values[i];
    return int64_t(0);
  };
  for (size_t i = 0; i < params.size(); ++i)
    if (values[i] < 0 || values[i] > int64_t(UINT32_MAX))
      return emitError() << "blend_net parameter '" << params[i].name
                         << "' must be a 32-bit unsigned value";
  using H = schedule::NetworkHardware;
  int64_t lanes = value(&H::lanes);
  if (!llvm::isPowerOf2_64(uint64_t(lanes)))
    return emitError() << "lanes must be a power of two, not " << lanes;
  if (value(&H::fixedChannels) < 1 || value(&H::fixedChannels) > 8)
    return emitError() << "fixed_channels must be 1..8";
  for (auto [name, member] :
       {std::pair{"folds", &H::folds}, {"main_folds", &H::mainFolds}})
    if (int64_t f = value(member); f != 1 && f != 2 && f != 4)
      return emitError() << name << " must be 1, 2 or 4, not " << f;
  if (int64_t b = value(&H::packBits); b != 16 && b != 32 && b != 64)
    return emitError() << "pack_bits must be 16, 32 or 64, not " << b;
  if (int64_t b = value(&H::descBanks); b != 1 && b != 8)
    return emitError() << "desc_banks must be 1 or 8, not " << b;
  for (auto [name, member] : {std::pair{"tiled", &H::tiled},
                              {"pairs", &H::pairs},
                              {"stripes", &H::stripes}})
    if (value(member) > 1)
      return emitError() << name << " is 0 or 1";
  return success();
}

Attribute StepAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> values(size_t(StepField::Count), 0);
  if (parseNamedInts(parser, "descriptor field", fieldName, values))
    return {};
  return parser.getChecked<StepAttr>(parser.getContext(), values);
}

void StepAttr::print(AsmPrinter &printer) const {
  SmallVector<int64_t> zeros(size_t(StepField::Count), 0);
  printNamedInts(printer, getValues(), zeros, fieldName);
}

LogicalResult
StepAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                 ArrayRef<int64_t> values) {
  if (values.size() != size_t(StepField::Count))
    return emitError() << "a step has " << size_t(StepField::Count)
                       << " descriptor fields, not " << values.size();
  auto at = [&](StepField f) { return values[size_t(f)]; };
  auto name = [](StepField f) { return schedule::stepFieldName(f); };
  // Signed by nature: clamps, zero points.
  static constexpr StepField kSigned[] = {
      StepField::JoinMin, StepField::JoinMax, StepField::OutZeroPoint,
      StepField::OutMin,  StepField::OutMax,  StepField::SkipZeroPoint};
  for (uint32_t f = 0; f < uint32_t(StepField::Count); ++f)
    if (!llvm::is_contained(kSigned, StepField(f)) && values[f] < 0)
      return emitError() << "descriptor field '" << name(StepField(f))
                         << "' is a size, address or mode: not negative";
  static constexpr StepField kFlags[] = {
      StepField::MainEnable, StepField::SkipEnable, StepField::OutBinary,
      StepField::Stream,     StepField::SkipShared, StepField::Transpose,
      StepField::SkipRowSplit, StepField::SkipPair};
  for (StepField f : kFlags)
    if (at(f) > 1)
      return emitError() << "descriptor field '" << name(f) << "' is 0 or 1";
  if (at(StepField::Rounding) > 7)
    return emitError() << "rounding holds three half-even bits (main, skip, "
                          "output requant): 0..7";
  if (at(StepField::Load) > schedule::kLoadCopy)
    return emitError() << "load is 0, 1 (stream) or 2 (copy)";
  if (at(StepField::Pool) > schedule::kPoolBytes)
    return emitError() << "pool is 0, 1 (a binary tensor) or 2 (bytes)";
  for (StepField f : {StepField::MainFold, StepField::SkipFold})
    if (int64_t v = at(f); v > 1 && v != 2 && v != 4)
      return emitError() << name(f) << " must be 1, 2 or 4, not " << v;
  if (int64_t slot = at(StepField::MainPack);
      slot && slot != 16 && slot != 32 && slot != 64)
    return emitError() << "m_pack is 0 or a slot of 16, 32 or 64 bits, not "
                       << slot;
  if (at(StepField::JoinMin) > at(StepField::JoinMax) ||
      at(StepField::OutMin) > at(StepField::OutMax))
    return emitError() << "a clamp's minimum exceeds its maximum";
  return success();
}

/// Every element of `steps` a #blend.host_step of a known kind.
static LogicalResult
verifyHostSteps(llvm::function_ref<InFlightDiagnostic()> emitError,
                ArrayAttr steps) {
  if (!steps)
    return success();
  for (Attribute a : steps) {
    auto step = dyn_cast<HostStepAttr>(a);
    if (!step)
      return emitError() << "host steps are #blend.host_step attributes";
    if (step.getKind() < int64_t(schedule::HostStep::Kind::Add) ||
        step.getKind() > int64_t(schedule::HostStep::kLastKind))
      return emitError() << "unknown host step kind " << step.getKind();
  }
  return success();
}

LogicalResult
HostInputAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                      FloatAttr scale, int64_t zeroPoint, int64_t qMin,
                      int64_t qMax, int64_t c, int64_t h, int64_t w,
                      DenseI64ArrayAttr shape, ArrayAttr steps) {
  if (!scale || !(scale.getValueAsDouble() > 0.0))
    return emitError() << "the input scale must be positive";
  if (qMin > qMax || zeroPoint < qMin || zeroPoint > qMax)
    return emitError() << "the input quantizer's range [" << qMin << ", "
                       << qMax << "] must hold its zero point " << zeroPoint;
  if (c < 0 || h < 0 || w < 0)
    return emitError() << "the input shape is not negative";
  if (steps && !steps.empty() && !shape)
    return emitError() << "host steps need the raw input's shape";
  return verifyHostSteps(emitError, steps);
}

LogicalResult
HostOutputAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                       int64_t binary, FloatAttr scale, int64_t zeroPoint,
                       int64_t c, int64_t h, int64_t w, ArrayAttr steps) {
  if (binary != 0 && binary != 1)
    return emitError() << "binary is 0 or 1";
  if (!scale)
    return emitError() << "the output needs a scale";
  if (c < 0 || h < 0 || w < 0)
    return emitError() << "the output shape is not negative";
  return verifyHostSteps(emitError, steps);
}
