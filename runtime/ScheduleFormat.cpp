//===- ScheduleFormat.cpp - schedule.bin encode / decode ------------------===//
//
// Explicit little-endian field-by-field serialization (never a struct memcpy),
// strict decoding that checks every length and cross-field invariant, and the
// configuration-write list that the host driver sends to the accelerator.
//
//===----------------------------------------------------------------------===//

#include "ScheduleFormat.h"

#include <climits>

#include <algorithm>
#include <cstring>
#include <sstream>

using namespace blend::schedule;

uint32_t blend::schedule::crc32(const uint8_t *data, size_t size) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int k = 0; k < 8; ++k)
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

namespace {

/// Appends little-endian fields to a byte vector.
struct Writer {
  std::vector<uint8_t> bytes;
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i)
      bytes.push_back(uint8_t(v >> (8 * i)));
  }
  void u16(uint16_t v) {
    bytes.push_back(uint8_t(v));
    bytes.push_back(uint8_t(v >> 8));
  }
  void i64(int64_t v) {
    for (int i = 0; i < 8; ++i)
      bytes.push_back(uint8_t(uint64_t(v) >> (8 * i)));
  }
  void u64(uint64_t v) { i64(int64_t(v)); }
  void f64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    u64(bits);
  }
  void i64s(const std::vector<int64_t> &vs) {
    u32(uint32_t(vs.size()));
    for (int64_t v : vs)
      i64(v);
  }
  void record(RecordKind kind, const Writer &body) {
    u32(uint32_t(kind));
    u32(uint32_t(body.bytes.size()));
    bytes.insert(bytes.end(), body.bytes.begin(), body.bytes.end());
  }
};

/// Reads little-endian fields, remembering the first failure.
struct Reader {
  const uint8_t *data;
  size_t size, pos = 0;
  bool ok = true;
  bool need(size_t n) {
    if (!ok || size - pos < n)
      return ok = false;
    return true;
  }
  uint64_t le(size_t n) {
    if (!need(n))
      return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i)
      v |= uint64_t(data[pos + i]) << (8 * i);
    pos += n;
    return v;
  }
  uint32_t u32() { return uint32_t(le(4)); }
  uint16_t u16() { return uint16_t(le(2)); }
  int64_t i64() { return int64_t(le(8)); }
  uint64_t u64() { return le(8); }
  double f64() {
    uint64_t bits = le(8);
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  std::vector<int64_t> i64s(size_t limit) {
    uint32_t n = u32();
    std::vector<int64_t> vs;
    if (n > limit || !need(size_t(n) * 8)) {
      ok = false;
      return vs;
    }
    for (uint32_t i = 0; i < n; ++i)
      vs.push_back(i64());
    return vs;
  }
};
/// The container shared by both schedule forms: header checks, then the
/// records in order as (kind, body).
struct RawRecord {
  uint32_t kind;
  size_t begin, end;
};

bool readContainer(const std::vector<uint8_t> &bytes,
                   std::vector<RawRecord> &records, std::string &error) {
  auto fail = [&](const std::string &what) {
    error = "schedule: " + what;
    return false;
  };
  if (bytes.size() < kHeaderBytes || std::memcmp(bytes.data(), kMagic, 4) != 0)
    return fail("not a blend schedule (bad magic)");
  Reader header{bytes.data(), bytes.size(), 4};
  uint16_t major = header.u16(), minor = header.u16();
  uint32_t count = header.u32(), payloadBytes = header.u32(),
           crc = header.u32();
  if (major != kVersionMajor)
    return fail("format version " + std::to_string(major) + "." +
                std::to_string(minor) + " is not supported (expected " +
                std::to_string(kVersionMajor) + ".x)");
  if (bytes.size() - kHeaderBytes != payloadBytes)
    return fail("payload is " + std::to_string(bytes.size() - kHeaderBytes) +
                " bytes, header says " + std::to_string(payloadBytes) +
                " (truncated?)");
  if (crc32(bytes.data() + kHeaderBytes, payloadBytes) != crc)
    return fail("checksum mismatch: the file is corrupt");
  Reader r{bytes.data(), bytes.size(), kHeaderBytes};
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t kind = r.u32(), size = r.u32();
    if (!r.need(size))
      return fail("record " + std::to_string(i) + " is truncated");
    records.push_back({kind, r.pos, r.pos + size});
    r.pos += size;
  }
  if (!r.ok || r.pos != bytes.size())
    return fail("trailing or missing bytes after the records");
  return true;
}

/// The header, then the payload: the bytes of a schedule of `count` records.
std::vector<uint8_t> finishContainer(const Writer &payload, uint32_t count) {
  Writer out;
  for (char ch : kMagic)
    out.bytes.push_back(uint8_t(ch));
  out.u16(kVersionMajor);
  out.u16(kVersionMinor);
  out.u32(count);
  out.u32(uint32_t(payload.bytes.size()));
  out.u32(crc32(payload.bytes.data(), payload.bytes.size()));
  out.bytes.insert(out.bytes.end(), payload.bytes.begin(), payload.bytes.end());
  return out.bytes;
}

/// The host quantizer and dequantizer records, shared by both forms.
void writeInputQuant(Writer &payload, const InputQuant &q) {
  Writer b;
  b.f64(q.scale);
  b.i64(q.zeroPoint);
  b.i64(q.qMin);
  b.i64(q.qMax);
  for (uint32_t d : {q.n, q.c, q.h, q.w})
    b.u32(d);
  payload.record(RecordKind::InputQuant, b);
}

void readInputQuant(Reader &b, InputQuant &q) {
  q.scale = b.f64();
  q.zeroPoint = b.i64();
  q.qMin = b.i64();
  q.qMax = b.i64();
  q.n = b.u32(), q.c = b.u32(), q.h = b.u32(), q.w = b.u32();
}

void writeOutputDequant(Writer &payload, const OutputDequant &o) {
  Writer b;
  b.u32(o.binary);
  b.f64(o.scale);
  b.i64(o.zeroPoint);
  for (uint32_t d : {o.n, o.c, o.h, o.w})
    b.u32(d);
  payload.record(RecordKind::OutputDequant, b);
}

void readOutputDequant(Reader &b, OutputDequant &o) {
  o.binary = b.u32();
  o.scale = b.f64();
  o.zeroPoint = b.i64();
  o.n = b.u32(), o.c = b.u32(), o.h = b.u32(), o.w = b.u32();
}
} // namespace

namespace {
void writeString(Writer &w, const std::string &text) {
  w.u32(uint32_t(text.size()));
  w.bytes.insert(w.bytes.end(), text.begin(), text.end());
}

std::string readString(Reader &r, const std::vector<uint8_t> &bytes) {
  uint32_t n = r.u32();
  if (!r.need(n))
    return {};
  std::string text(bytes.begin() + r.pos, bytes.begin() + r.pos + n);
  r.pos += n;
  return text;
}

/// Largest host-step tensor the decoder accepts (elements).
constexpr int64_t kMaxHostElements = int64_t(1) << 26;

void writeHostSteps(Writer &w, const std::vector<HostStep> &steps) {
  w.u32(uint32_t(steps.size()));
  for (const HostStep &step : steps) {
    w.u32(uint32_t(step.kind));
    w.i64s(step.shape);
    w.u32(uint32_t(step.constant.size()));
    for (float c : step.constant) {
      uint32_t bits;
      std::memcpy(&bits, &c, 4);
      w.u32(bits);
    }
    w.i64s(step.perm);
  }
}

bool readHostSteps(Reader &r, std::vector<HostStep> &steps) {
  uint32_t count = r.u32();
  if (count > 4096)
    return r.ok = false;
  for (uint32_t i = 0; i < count && r.ok; ++i) {
    HostStep step;
    uint32_t kind = r.u32();
    if (kind < uint32_t(HostStep::Kind::Add) ||
        kind > uint32_t(HostStep::kLastKind))
      return r.ok = false;
    step.kind = HostStep::Kind(kind);
    step.shape = r.i64s(8);
    uint32_t n = r.u32();
    if (n > kMaxHostElements || !r.need(size_t(n) * 4))
      return r.ok = false;
    for (uint32_t k = 0; k < n; ++k) {
      uint32_t bits = r.u32();
      float c;
      std::memcpy(&c, &bits, 4);
      step.constant.push_back(c);
    }
    step.perm = r.i64s(8);
    steps.push_back(std::move(step));
  }
  return r.ok;
}

/// The per-channel arrays of a step, in record order.
std::array<std::vector<int64_t> *, 9> passArrays(Step &p) {
  return {&p.mainMultiplier, &p.mainShift, &p.mainBias,
          &p.skipMultiplier, &p.skipShift, &p.skipBias,
          &p.outMultiplier,  &p.outShift,  &p.outBias};
}
std::array<const std::vector<int64_t> *, 9> passArrays(const Step &p) {
  return {&p.mainMultiplier, &p.mainShift, &p.mainBias,
          &p.skipMultiplier, &p.skipShift, &p.skipBias,
          &p.outMultiplier,  &p.outShift,  &p.outBias};
}

} // namespace

size_t blend::schedule::laneGroups(const Step &p, bool binary) {
  return size_t(std::max<int64_t>(
      1, p[binary ? StepField::MainFold : StepField::SkipFold]));
}

size_t blend::schedule::binaryWeightRows(const Step &p) {
  if (!p[StepField::MainEnable])
    return 0;
  // One row per beat: packed kernel rows or (tap, word) pairs, shared among
  // the folded lane groups.
  size_t fold = laneGroups(p, true);
  if (p[StepField::MainPack]) // kernel rows of m_words words
    return (size_t(p[StepField::MainK]) + fold - 1) / fold *
           size_t(p[StepField::MainWords]);
  size_t parts = size_t(p[StepField::MainK] * p[StepField::MainK] *
                        p[StepField::MainWords]);
  return (parts + fold - 1) / fold;
}

size_t blend::schedule::fixedWeightRows(const Step &p) {
  if (!p[StepField::SkipEnable])
    return 0;
  size_t fold = laneGroups(p, false);
  if (p[StepField::SkipRowSplit]) // F taps of a kernel row per beat
    return size_t(p[StepField::SkipKH]) *
           ((size_t(p[StepField::SkipKW]) + fold - 1) / fold);
  size_t beatsPerTap = (size_t(p[StepField::SkipCGroups]) + fold - 1) / fold;
  return p[StepField::SkipShared]
             ? beatsPerTap
             : size_t(p[StepField::SkipKH] * p[StepField::SkipKW]) *
                   beatsPerTap;
}

bool blend::schedule::movesDataOnly(const Step &p) {
  return p[StepField::Transpose] || p[StepField::Load] || p[StepField::Pool];
}

bool blend::schedule::pairTapsInOtherBank(const Step &p) {
  int64_t s = p[StepField::SkipStride], w = p[StepField::SkipW];
  int64_t ow = p[StepField::OW];
  return s % 2 != 0 && (ow % 2 == 0 || (w - ow + 1) % 2 != 0);
}

size_t blend::schedule::weightLanes(const Step &p, bool binary) {
  return size_t(p[StepField::O]) * laneGroups(p, binary);
}

const char *blend::schedule::stepFieldName(StepField field) {
  static const char *const names[] = {
      "main_en",  "skip_en",  "out_binary", "stream",     "o",
      "oh",       "ow",       "m_c",        "m_words",    "m_h",
      "m_w",      "m_k",      "m_stride",   "m_pad",      "m_src",
      "m_wbase",  "s_c",      "s_h",        "s_w",        "s_kh",
      "s_kw",     "s_stride", "s_pad",      "s_src",      "s_wbase",
      "s_shared", "s_zp",     "cbase",      "rounding",   "join_min",
      "join_max", "out_zp",   "out_min",    "out_max",    "dst",
      "m_pack",   "s_cgroups", "transpose", "out_offset", "s_fold",
      "s_rowsplit", "m_fold",   "s_pair",     "m_row_off", "s_row_off",
      "load",     "row_begin", "full_h",    "pool"};
  static_assert(sizeof(names) / sizeof(names[0]) == size_t(StepField::Count));
  return names[size_t(field)];
}

const std::array<HardwareParameter, kHardwareParameterCount> &
blend::schedule::hardwareParameters() {
  static const std::array<HardwareParameter, kHardwareParameterCount> params =
      {{{"max_channels", &NetworkHardware::maxChannels},
        {"pe", &NetworkHardware::pe},
        {"lanes", &NetworkHardware::lanes},
        {"fixed_channels", &NetworkHardware::fixedChannels},
        {"depth", &NetworkHardware::depth},
        {"binary_weight_depth", &NetworkHardware::binaryWeightDepth},
        {"fixed_weight_depth", &NetworkHardware::fixedWeightDepth},
        {"constant_depth", &NetworkHardware::constantDepth},
        {"max_steps", &NetworkHardware::maxSteps},
        {"acc_binary", &NetworkHardware::accBinary},
        {"acc_fixed", &NetworkHardware::accFixed},
        {"input_base", &NetworkHardware::inputBase},
        {"output_rank", &NetworkHardware::outputRank},
        {"transpose_pixels", &NetworkHardware::transposePixels},
        {"tiled", &NetworkHardware::tiled},
        {"folds", &NetworkHardware::folds},
        {"fixed_copies", &NetworkHardware::fixedCopies},
        {"main_folds", &NetworkHardware::mainFolds},
        {"pack_bits", &NetworkHardware::packBits},
        {"desc_banks", &NetworkHardware::descBanks},
        {"pairs", &NetworkHardware::pairs},
        {"stripes", &NetworkHardware::stripes},
        {"pool_channels", &NetworkHardware::poolChannels},
        {"byte_channels", &NetworkHardware::byteChannels}}};
  return params;
}

std::vector<uint8_t> blend::schedule::encode(const Network &n) {
  Writer payload;
  uint32_t count = 0;
  {
    const NetworkHardware &h = n.hardware;
    Writer b;
    for (uint32_t v : {h.maxChannels, h.pe, h.lanes, h.fixedChannels, h.depth,
                       h.binaryWeightDepth,
                       h.fixedWeightDepth, h.constantDepth, h.maxSteps,
                       h.accBinary, h.accFixed, h.inputBase, h.outputRank,
                       h.transposePixels, h.tiled, h.folds, h.fixedCopies,
                       h.mainFolds, h.packBits, h.descBanks, h.pairs,
                       h.stripes, h.poolChannels, h.byteChannels})
      b.u32(v);
    payload.record(RecordKind::Network, b);
    ++count;
  }
  writeInputQuant(payload, n.input);
  ++count;
  for (const Step &p : n.steps) {
    Writer b;
    b.u32(uint32_t(StepField::Count));
    for (int64_t v : p.fields)
      b.i64(v);
    for (const std::vector<int64_t> *vs : passArrays(p))
      b.i64s(*vs);
    b.u32(uint32_t(p.binaryWeights.size()));
    for (uint64_t v : p.binaryWeights)
      b.u64(v);
    b.u32(uint32_t(p.fixedWeights.size()));
    for (int8_t v : p.fixedWeights)
      b.bytes.push_back(uint8_t(v));
    writeString(b, p.op);
    writeString(b, p.location);
    b.u32(p.channelLast ? 1 : 0);
    payload.record(RecordKind::Step, b);
    ++count;
  }
  writeOutputDequant(payload, n.output);
  ++count;
  // v1.7: the host's float steps, only when the model has some (a file
  // without them reads as a v1.6 one).
  for (auto [kind, steps] :
       {std::make_pair(RecordKind::HostPrologue, &n.prologue),
        std::make_pair(RecordKind::HostEpilogue, &n.epilogue)}) {
    if (steps->empty())
      continue;
    Writer b;
    if (kind == RecordKind::HostPrologue)
      b.i64s(n.prologueShape);
    writeHostSteps(b, *steps);
    payload.record(kind, b);
    ++count;
  }
  return finishContainer(payload, count);
}

/// Reads the Step record in `b` (the `index`-th step) into `p`; checks that
/// its arrays have the lengths its fields imply.
/// The descriptor fields that are sizes or counts (channels, pixels, kernel
/// extents, strides, pads, folds, row offsets): 0..kMaxSizeField, so that the
/// products of three of them fit an int64.
static bool isSizeField(StepField f) {
  using F = StepField;
  switch (f) {
  case F::O: case F::OH: case F::OW: case F::MainC: case F::MainWords:
  case F::MainH: case F::MainW: case F::MainK: case F::MainStride:
  case F::MainPad: case F::SkipC: case F::SkipH: case F::SkipW:
  case F::SkipKH: case F::SkipKW: case F::SkipStride: case F::SkipPad:
  case F::MainPack: case F::SkipCGroups: case F::OutOffset: case F::SkipFold:
  case F::MainFold: case F::MainRowOffset: case F::SkipRowOffset:
  case F::RowBegin: case F::FullHeight:
    return true;
  default:
    return false;
  }
}
static constexpr int64_t kMaxSizeField = 65535;

static bool readStepRecord(Reader &b, const std::vector<uint8_t> &bytes,
                           size_t index, uint32_t fixedChannels, Step &p,
                           std::string &error) {
  auto fail = [&](const std::string &what) {
    error = "schedule: " + what;
    return false;
  };
  // v1.4 records end before SkipPair, v1.5 records before the stripe
  // fields, v1.7 records before Pool (which then read 0).
  uint32_t fields = b.u32();
  if (fields != uint32_t(StepField::Count) && fields != kStepFieldsV17 &&
      fields != kStepFieldsV15 && fields != kStepFieldsV14)
    return fail("step record " + std::to_string(index) +
                " has the wrong number of descriptor fields");
  for (uint32_t f = 0; f < fields && b.ok; ++f)
    p.fields[f] = b.i64();
  // Every field is a 32-bit descriptor register; the sizes and counts (the
  // factors of the weight-row and pixel products below) are 0..65535. A
  // field outside its range is refused before anything is computed from it.
  for (uint32_t f = 0; f < fields && b.ok; ++f) {
    int64_t v = p.fields[f];
    bool size = isSizeField(StepField(f));
    if (size ? (v < 0 || v > kMaxSizeField) : (v < INT32_MIN || v > INT32_MAX))
      return fail("step " + std::to_string(index) + ": field " +
                  stepFieldName(StepField(f)) + " = " + std::to_string(v) +
                  (size ? " is outside 0.." + std::to_string(kMaxSizeField)
                        : " does not fit its 32-bit register"));
  }
  bool moves = movesDataOnly(p); // no per-channel constants, no weights
  size_t o = moves
                 ? 0
                 : size_t(std::max<int64_t>(0, p[StepField::O]));
  for (std::vector<int64_t> *vs : passArrays(p))
    *vs = b.i64s(uint32_t(o));
  uint32_t nb = b.u32();
  if (b.ok && b.need(size_t(nb) * 8))
    for (uint32_t k = 0; k < nb; ++k)
      p.binaryWeights.push_back(b.u64());
  uint32_t nf = b.u32();
  if (b.ok && b.need(nf)) {
    for (uint32_t k = 0; k < nf; ++k)
      p.fixedWeights.push_back(int8_t(bytes[b.pos + k]));
    b.pos += nf;
  }
  p.op = readString(b, bytes);
  p.location = readString(b, bytes);
  p.channelLast = b.u32() != 0;
  for (const std::vector<int64_t> *vs : passArrays(p))
    if (b.ok && vs->size() != o)
      return fail("step " + std::to_string(index) +
                  ": a per-channel array does not have o entries");
  if (b.ok && !moves &&
      (p.binaryWeights.size() != weightLanes(p, true) * binaryWeightRows(p) ||
       p.fixedWeights.size() !=
           weightLanes(p, false) * fixedWeightRows(p) * fixedChannels))
    return fail("step " + std::to_string(index) +
                ": weight arrays do not match its shape");
  return true;
}

/// The network-wide checks: hardware parameters the RTL supports, and the
/// steps within its descriptor slots.
static bool validateHardware(const Network &n, std::string &error) {
  auto fail = [&](const std::string &what) {
    error = "schedule: " + what;
    return false;
  };
  const NetworkHardware &h = n.hardware;
  if (n.steps.empty())
    return fail("a network needs at least one step");
  if (h.lanes == 0 || h.pe % h.lanes != 0 || h.fixedChannels == 0 ||
      h.fixedChannels > 8 || h.maxChannels % h.fixedChannels != 0)
    return fail("inconsistent hardware parameters (lanes, fixed channels)");
  if (n.steps.size() > h.maxSteps)
    return fail("more steps than the hardware's descriptor slots");
  if ((h.folds != 1 && h.folds != 2 && h.folds != 4) ||
      (h.folds > 1 && h.pe % (2 * h.folds) != 0) ||
      (h.mainFolds != 1 && h.mainFolds != 2) ||
      (h.mainFolds > 1 && h.pe % 2 != 0) ||
      (h.packBits != 16 && h.packBits != 32 && h.packBits != 64) ||
      h.packBits > 48 * ((h.maxChannels + 47) / 48))
    return fail("inconsistent hardware parameters (folds " +
                std::to_string(h.folds) + "/" + std::to_string(h.mainFolds) +
                " for Pe " + std::to_string(h.pe) + ")");
  if (h.descBanks != 1 && h.descBanks != 8)
    return fail("the descriptor RAM has 1 or 8 banks, not " +
                std::to_string(h.descBanks));
  if (h.pairs > 1)
    return fail("pairs is 0 or 1, not " + std::to_string(h.pairs));
  if (h.stripes > 1)
    return fail("stripes is 0 or 1, not " + std::to_string(h.stripes));
  if (h.poolChannels > h.maxChannels)
    return fail("the pooler reads at most max_channels channels, not " +
                std::to_string(h.poolChannels));
  if (h.byteChannels < h.fixedChannels || h.byteChannels > h.maxChannels ||
      h.byteChannels % h.fixedChannels != 0)
    return fail("byte_channels is a multiple of fixed_channels from " +
                std::to_string(h.fixedChannels) + " to max_channels (" +
                std::to_string(h.maxChannels) + "), not " +
                std::to_string(h.byteChannels));
  // A striped core takes every input row through load steps, the first
  // before anything reads the input.
  if (h.stripes && n.steps[0][StepField::Load] != kLoadStream)
    return fail("a core running row stripes (stripes=1) must start with a "
                "load step");
  return true;
}

/// The checks of the `i`-th step `p`, a pool step: a max pool of a stored
/// tensor of C channels, S_H x S_W pixels at SkipSrc, S_KH x S_KW windows at
/// SkipStride, no padding; O = C <= the pooler's width.
static bool validatePoolStep(const NetworkHardware &h, size_t i, const Step &p,
                             std::string &error) {
  auto at = [&](StepField f) { return p[f]; };
  int64_t kh = at(StepField::SkipKH), kw = at(StepField::SkipKW);
  int64_t s = at(StepField::SkipStride);
  bool fits =
      at(StepField::Pool) >= kPoolBinary &&
      at(StepField::Pool) <= kPoolBytes && kh >= 1 && kw >= 1 && s >= 1 &&
      kh * kw <= 256 && s <= 15 && at(StepField::SkipPad) == 0 &&
      at(StepField::SkipC) >= 1 && at(StepField::SkipC) <= h.poolChannels &&
      (at(StepField::Pool) != kPoolBytes ||
       at(StepField::SkipC) <= h.byteChannels) &&
      at(StepField::O) == at(StepField::SkipC) &&
      at(StepField::OH) >= 1 && at(StepField::OW) >= 1 &&
      at(StepField::SkipH) >= kh && at(StepField::SkipW) >= kw &&
      at(StepField::OH) == (at(StepField::SkipH) - kh) / s + 1 &&
      at(StepField::OW) == (at(StepField::SkipW) - kw) / s + 1 &&
      at(StepField::SkipSrc) >= 0 && at(StepField::Dst) >= 0 &&
      at(StepField::SkipSrc) +
              at(StepField::SkipH) * at(StepField::SkipW) <= h.depth &&
      at(StepField::Dst) + at(StepField::OH) * at(StepField::OW) <=
          h.depth &&
      !at(StepField::MainEnable) && !at(StepField::SkipEnable) &&
      !at(StepField::Transpose) && !at(StepField::Stream) &&
      !at(StepField::Load) && !at(StepField::OutOffset);
  if (!fits) {
    error = "schedule: step " + std::to_string(i) +
            ": a pool step (pool=1 or 2) reads s_c = o <= pool_channels "
            "channels (an int8 one at most byte_channels), windows of at most 256 taps without padding at a "
            "stride of at most 15, and writes the (s_h - s_kh) / s_stride + 1 "
            "rows by (s_w - s_kw) / s_stride + 1 columns inside the memory";
    return false;
  }
  return true;
}

/// The checks of the `i`-th step `p` against the hardware `n` describes:
/// each kind of step (copy, load, transpose, layer) within the memories and
/// the modes the core has (a pool step: validatePoolStep).
static bool validateStep(const Network &n, size_t i, const Step &p,
                         std::string &error) {
  auto fail = [&](const std::string &what) {
    error = "schedule: " + what;
    return false;
  };
  const NetworkHardware &h = n.hardware;
  auto at = [&](StepField f) { return p[f]; };
  if (!h.stripes && (at(StepField::Load) || at(StepField::MainRowOffset) ||
                     at(StepField::SkipRowOffset)))
    return fail("step " + std::to_string(i) +
                ": load steps and row offsets need a core with stripes=1");
  if (at(StepField::MainRowOffset) < 0 || at(StepField::SkipRowOffset) < 0 ||
      at(StepField::RowBegin) < 0 ||
      (at(StepField::FullHeight) &&
       at(StepField::RowBegin) + at(StepField::OH) > at(StepField::FullHeight)))
    return fail("step " + std::to_string(i) +
                ": row offsets are not negative and a stripe's rows lie "
                "inside its layer (row_begin + oh <= full_h)");
  if (at(StepField::Load) == kLoadCopy) {
    // OH x OW pixels moved from SkipSrc up to Dst (ascending: the ranges
    // may overlap); nothing else.
    int64_t pixels = at(StepField::OH) * at(StepField::OW);
    if (at(StepField::OH) < 1 || at(StepField::OW) < 1 ||
        at(StepField::Dst) < 0 ||
        at(StepField::Dst) >= at(StepField::SkipSrc) ||
        at(StepField::SkipSrc) + pixels > h.depth ||
        at(StepField::MainEnable) || at(StepField::SkipEnable) ||
        at(StepField::Transpose) || at(StepField::Stream) || at(StepField::O))
      return fail("step " + std::to_string(i) +
                  ": a copy step moves OH x OW >= 1 pixels from s_src to a "
                  "lower dst inside the memory, and computes nothing");
    return true;
  }
  if (at(StepField::Load)) {
    // OH image rows from RowBegin, written from Dst on; nothing else.
    if (at(StepField::Load) != kLoadStream || at(StepField::OH) < 1 ||
        at(StepField::OW) != int64_t(n.input.w) ||
        at(StepField::RowBegin) + at(StepField::OH) > int64_t(n.input.h) ||
        at(StepField::Dst) + at(StepField::OH) * at(StepField::OW) > h.depth ||
        at(StepField::MainEnable) || at(StepField::SkipEnable) ||
        at(StepField::Transpose) || at(StepField::Stream) || at(StepField::O))
      return fail("step " + std::to_string(i) +
                  ": a load step takes OH >= 1 whole image rows (ow = the "
                  "input's width, row_begin + oh <= its height) into "
                  "memory, and computes nothing");
    return true;
  }
  if (at(StepField::Pool))
    return validatePoolStep(h, i, p, error);
  if (at(StepField::Transpose)) {
    // A transpose step: O source pixels become O channels of OW pixels.
    if (at(StepField::O) < 1 || at(StepField::O) > h.transposePixels ||
        at(StepField::O) > h.byteChannels || at(StepField::OH) != 1 ||
        at(StepField::OW) > h.byteChannels || at(StepField::Stream) ||
        at(StepField::Dst) + at(StepField::OW) > h.depth ||
        at(StepField::SkipSrc) + at(StepField::O) > h.depth)
      return fail("step " + std::to_string(i) +
                  ": a transpose that does not fit the hardware parameters");
    return true;
  }
  bool fits =
      at(StepField::O) >= 1 && at(StepField::O) <= h.pe &&
      at(StepField::MainWeightBase) + int64_t(binaryWeightRows(p)) <=
          h.binaryWeightDepth &&
      at(StepField::SkipWeightBase) + int64_t(fixedWeightRows(p)) <=
          h.fixedWeightDepth &&
      at(StepField::ConstBase) + at(StepField::O) <= h.constantDepth &&
      at(StepField::ConstBase) % h.lanes == 0 &&
      at(StepField::OutOffset) % h.lanes == 0 &&
      at(StepField::OutOffset) + at(StepField::O) <= h.maxChannels &&
      (h.tiled || at(StepField::OutOffset) == 0) &&
      (!at(StepField::SkipEnable) ||
       at(StepField::SkipCGroups) * int64_t(h.fixedChannels) <=
           int64_t(h.byteChannels)) &&
      (at(StepField::Stream) ||
       at(StepField::Dst) + at(StepField::OH) * at(StepField::OW) <= h.depth);
  if (!fits)
    return fail("step " + std::to_string(i) +
                " does not fit the hardware parameters");
  if (int64_t slot = at(StepField::MainPack);
      slot &&
      ((slot != 16 && slot != 32 && slot != 64) || slot > int64_t(h.packBits) ||
       at(StepField::MainK) != 3 || at(StepField::MainC) > slot ||
       at(StepField::MainWords) != slot / 16 ||
       (at(StepField::MainFold) > 1 && slot > 32)))
    return fail("step " + std::to_string(i) +
                ": packed taps need a 3x3 kernel, slots of 16, 32 or 64 "
                "bits (at most the core's " +
                std::to_string(h.packBits) +
                ") holding C, slot/16 words per row, and 32-bit slots at "
                "most when folded");
  // Folds: a power of two the hardware has, whose lane groups hold O.
  auto foldFits = [&](StepField f) {
    int64_t fold = at(f);
    int64_t most = f == StepField::MainFold ? h.mainFolds : h.folds;
    return (fold == 1 || fold == 2 || fold == 4) && fold <= most &&
           at(StepField::O) * fold <= h.pe;
  };
  if (!foldFits(StepField::SkipFold) || !foldFits(StepField::MainFold))
    return fail("step " + std::to_string(i) + ": a fold (s_fold " +
                std::to_string(at(StepField::SkipFold)) + ", m_fold " +
                std::to_string(at(StepField::MainFold)) +
                ") the hardware cannot hold (folds " + std::to_string(h.folds) +
                ", Pe " + std::to_string(h.pe) + ", o " +
                std::to_string(at(StepField::O)) + ")");
  if (at(StepField::MainFold) > 1 &&
      (!at(StepField::MainEnable) || at(StepField::MainK) < 2 ||
       (!at(StepField::MainPack) && at(StepField::MainWords) != 1)))
    return fail("step " + std::to_string(i) +
                ": a folded binary path needs a kernel of at least 2x2, "
                "packed or one word per tap");
  if (at(StepField::SkipRowSplit) &&
      (!at(StepField::SkipEnable) || at(StepField::SkipShared) ||
       at(StepField::SkipCGroups) != 1 || at(StepField::SkipFold) < 2 ||
       std::min(at(StepField::SkipKW), at(StepField::SkipFold)) >
           int64_t(h.fixedCopies) + 1))
    return fail("step " + std::to_string(i) +
                ": a row split needs a folded skip path over one channel "
                "group and min(kernel width, fold) - 1 <= FixCopies");
  if (int64_t pair = at(StepField::SkipPair);
      pair && (pair != 1 || !h.pairs || !at(StepField::SkipEnable) ||
               at(StepField::SkipFold) > 1 || at(StepField::SkipRowSplit) ||
               at(StepField::SkipShared) || !pairTapsInOtherBank(p)))
    return fail("step " + std::to_string(i) +
                ": pixel pairs (s_pair) need a core with pairs=1, an "
                "unfolded, unshared skip path, and pair taps in different "
                "activation banks (odd stride; odd W - OW + 1 when OW is "
                "odd)");
  if (bool(at(StepField::Stream)) != (i + 1 == n.steps.size()))
    return fail("only the last step streams its values out");
  return true;
}

bool blend::schedule::validate(const Network &n, std::string &error) {
  if (!validateHardware(n, error))
    return false;
  for (size_t i = 0; i < n.steps.size(); ++i)
    if (!validateStep(n, i, n.steps[i], error))
      return false;
  return true;
}

bool blend::schedule::decode(const std::vector<uint8_t> &bytes, Network &n,
                             std::string &error) {
  n = Network{};
  std::vector<RawRecord> records;
  if (!readContainer(bytes, records, error))
    return false;
  auto fail = [&](const std::string &what) {
    error = "schedule: " + what;
    return false;
  };
  bool sawNetwork = false, sawInput = false, sawOutput = false;
  for (size_t i = 0; i < records.size(); ++i) {
    const RawRecord &raw = records[i];
    Reader b{bytes.data(), raw.end, raw.begin};
    switch (raw.kind) {
    case uint32_t(RecordKind::Network): {
      NetworkHardware &h = n.hardware;
      for (uint32_t *v :
           {&h.maxChannels, &h.pe, &h.lanes, &h.fixedChannels, &h.depth,
            &h.binaryWeightDepth, &h.fixedWeightDepth, &h.constantDepth,
            &h.maxSteps, &h.accBinary, &h.accFixed, &h.inputBase,
            &h.outputRank, &h.transposePixels, &h.tiled, &h.folds,
            &h.fixedCopies, &h.mainFolds, &h.packBits})
        *v = b.u32();
      // Added in v1.4; a v1.3 record ends here (one descriptor field per
      // cycle).
      h.descBanks = b.pos == b.size ? 1 : b.u32();
      // Added in v1.5; a v1.4 record ends here (no pixel-pair mode).
      h.pairs = b.pos == b.size ? 0 : b.u32();
      // Added in v1.6; a v1.5 record ends here (no row stripes).
      h.stripes = b.pos == b.size ? 0 : b.u32();
      // Added in v1.8; a v1.7 record ends here (no pooler).
      h.poolChannels = b.pos == b.size ? 0 : b.u32();
      // Added in v1.9; a v1.8 record ends here (every channel stored as a
      // byte).
      h.byteChannels = b.pos == b.size ? h.maxChannels : b.u32();
      sawNetwork = true;
      break;
    }
    case uint32_t(RecordKind::InputQuant):
      readInputQuant(b, n.input);
      sawInput = true;
      break;
    case uint32_t(RecordKind::Step): {
      Step p;
      if (!readStepRecord(b, bytes, n.steps.size(), n.hardware.fixedChannels,
                          p, error))
        return false;
      n.steps.push_back(std::move(p));
      break;
    }
    case uint32_t(RecordKind::OutputDequant):
      readOutputDequant(b, n.output);
      sawOutput = true;
      break;
    case uint32_t(RecordKind::HostPrologue):
    case uint32_t(RecordKind::HostEpilogue): {
      bool isPrologue = raw.kind == uint32_t(RecordKind::HostPrologue);
      std::vector<HostStep> &steps = isPrologue ? n.prologue : n.epilogue;
      if (isPrologue)
        n.prologueShape = b.i64s(8);
      if (!steps.empty() || !readHostSteps(b, steps))
        return fail("host step record " + std::to_string(i) +
                    " is malformed or repeated");
      break;
    }
    case uint32_t(RecordKind::Hardware):
    case uint32_t(RecordKind::BlendModule):
      return fail("this is a single-module schedule (written by an older "
                  "blendc for its retired blend_accel core); run blendc "
                  "again");
    default:
      return fail("record " + std::to_string(i) + " has unknown kind " +
                  std::to_string(raw.kind));
    }
    if (!b.ok || b.pos != b.size)
      return fail("record " + std::to_string(i) + " (kind " +
                  std::to_string(raw.kind) + ") has the wrong length");
  }
  if (!sawNetwork || !sawInput || !sawOutput || n.steps.empty())
    return fail("a network schedule needs Network, InputQuant, Step and "
                "OutputDequant records");
  return validate(n, error);
}

uint32_t blend::schedule::hardwareFields(const NetworkHardware &h) {
  // A core without the pair mode has no s_pair register, one without row
  // stripes no row-offset and load registers, one without the pooler no
  // pool register (a pooler's core has registers up to field 48; the
  // host-only 46 and 47 among them are never written).
  if (h.poolChannels)
    return uint32_t(StepField::Count);
  if (h.stripes)
    return uint32_t(StepField::RowBegin);
  return h.pairs ? kStepFieldsV15 : kStepFieldsV14;
}

int64_t blend::schedule::rowStripeCount(const Network &n) {
  const Step *cut = nullptr;
  for (const Step &p : n.steps)
    if (p[StepField::FullHeight] && !p[StepField::Load])
      cut = &p;
  if (!cut)
    return 0;
  return std::count_if(n.steps.begin(), n.steps.end(), [&](const Step &p) {
    return p[StepField::FullHeight] && !p[StepField::Load] &&
           p.location == cut->location && p.op == cut->op &&
           p[StepField::OutOffset] == (*cut)[StepField::OutOffset];
  });
}

std::vector<int64_t> blend::schedule::inputRowOrder(const Network &n) {
  std::vector<int64_t> rows;
  if (!n.hardware.stripes) {
    for (int64_t y = 0; y < int64_t(n.input.h); ++y)
      rows.push_back(y);
    return rows;
  }
  for (const Step &p : n.steps)
    if (p[StepField::Load] == kLoadStream)
      for (int64_t y = 0; y < p[StepField::OH]; ++y)
        rows.push_back(p[StepField::RowBegin] + y);
  return rows;
}

std::vector<CfgWrite> blend::schedule::configWrites(const Network &n) {
  std::vector<CfgWrite> writes;
  auto at = [](NetRegion region, uint32_t offset) {
    return (uint32_t(region) << 20) | offset;
  };
  // A striped core loads its input in load steps: no load before them.
  writes.push_back({at(NetRegion::Global, 1),
                    n.hardware.stripes ? 0 : uint64_t(n.input.h) * n.input.w});
  writes.push_back({at(NetRegion::Global, 2), n.hardware.inputBase});
  for (size_t i = 0; i < n.steps.size(); ++i) {
    const Step &p = n.steps[i];
    uint32_t fields = hardwareFields(n.hardware);
    for (uint32_t f = 0; f < fields; ++f)
      if (f != uint32_t(StepField::RowBegin) &&
          f != uint32_t(StepField::FullHeight))
        writes.push_back({at(NetRegion::Descriptors, uint32_t(i) * 64 + f),
                          uint64_t(uint32_t(p.fields[f]))});
    // Weights: fill the staging row lane by lane, then commit it. Weight
    // lane g·o + oc of a step folded F ways is hardware lane g·Pe/F + oc.
    uint32_t o = uint32_t(p[StepField::O]);
    size_t rowsB = binaryWeightRows(p), rowsF = fixedWeightRows(p);
    uint32_t fixCh = n.hardware.fixedChannels;
    uint32_t bbase = uint32_t(p[StepField::MainWeightBase]);
    uint32_t fbase = uint32_t(p[StepField::SkipWeightBase]);
    auto hwLane = [&](uint32_t lane, bool binary) {
      uint32_t groupLanes = n.hardware.pe / uint32_t(laneGroups(p, binary));
      return lane / o * groupLanes + lane % o;
    };
    size_t lanesB = rowsB ? weightLanes(p, true) : 0;
    size_t lanesF = rowsF ? weightLanes(p, false) : 0;
    for (size_t r = 0; r < rowsB; ++r) {
      for (uint32_t lane = 0; lane < lanesB; ++lane)
        writes.push_back({at(NetRegion::BinaryStage,
                             hwLane(lane, true)),
                          p.binaryWeights[lane * rowsB + r]});
      writes.push_back(
          {at(NetRegion::BinaryCommit, bbase + uint32_t(r)), 0});
    }
    for (size_t r = 0; r < rowsF; ++r) {
      for (uint32_t lane = 0; lane < lanesF; ++lane) {
        uint64_t bytes = 0;
        for (uint32_t f = 0; f < fixCh; ++f)
          bytes |= uint64_t(uint8_t(p.fixedWeights[(lane * rowsF + r) * fixCh + f]))
                   << (8 * f);
        writes.push_back({at(NetRegion::FixedStage,
                             hwLane(lane, false)),
                          bytes});
      }
      writes.push_back({at(NetRegion::FixedCommit, fbase + uint32_t(r)), 0});
    }
    uint32_t cbase = uint32_t(p[StepField::ConstBase]);
    auto arrays = passArrays(p);
    for (uint32_t lane = 0; lane < (movesDataOnly(p) ? 0 : o); ++lane)
      for (uint32_t f = 0; f < arrays.size(); ++f)
        writes.push_back({at(NetRegion::Constants, (cbase + lane) * 16 + f),
                          uint64_t((*arrays[f])[lane])});
  }
  // The step count last: blend_net starts nothing before it is set (a
  // striped core, which has no input load, would otherwise fetch its first
  // descriptor while the configuration is still being written).
  writes.push_back({at(NetRegion::Global, 0), n.steps.size()});
  return writes;
}

std::string blend::schedule::toText(const Network &n) {
  std::ostringstream os;
  os.precision(17);
  const NetworkHardware &h = n.hardware;
  os << "schedule v" << kVersionMajor << "." << kVersionMinor << " network\n";
  os << "hardware: max_channels=" << h.maxChannels << " pe=" << h.pe
     << " lanes=" << h.lanes << " fixed_channels=" << h.fixedChannels
     << " depth=" << h.depth << " binary_weight_depth=" << h.binaryWeightDepth
     << " fixed_weight_depth=" << h.fixedWeightDepth
     << " constant_depth=" << h.constantDepth << " max_steps=" << h.maxSteps
     << " acc_binary=" << h.accBinary << " acc_fixed=" << h.accFixed
     << " input_base=" << h.inputBase
     << " transpose_pixels=" << h.transposePixels << " tiled=" << h.tiled
     << " folds=" << h.folds << " fixed_copies=" << h.fixedCopies
     << " main_folds=" << h.mainFolds << " pack_bits=" << h.packBits
     << " desc_banks=" << h.descBanks << " pairs=" << h.pairs
     << " stripes=" << h.stripes << " pool_channels=" << h.poolChannels
     << " byte_channels=" << h.byteChannels << "\n";
  os << "input: " << n.input.n << "x" << n.input.c << "x" << n.input.h << "x"
     << n.input.w << " scale=" << n.input.scale << " zp=" << n.input.zeroPoint
     << " range=[" << n.input.qMin << ", " << n.input.qMax << "]\n";
  for (size_t i = 0; i < n.steps.size(); ++i) {
    const Step &p = n.steps[i];
    os << "step " << i << ": " << p.op << " " << p.location
       << (p.channelLast ? " (pixel-major)" : "") << "\n ";
    for (uint32_t f = 0; f < uint32_t(StepField::Count); ++f)
      os << " " << stepFieldName(StepField(f)) << "=" << p.fields[f];
    os << "\n  binary_weights: " << p.binaryWeights.size()
       << " rows, crc32 0x" << std::hex
       << crc32(reinterpret_cast<const uint8_t *>(p.binaryWeights.data()),
                p.binaryWeights.size() * 8)
       << std::dec << "; fixed_weights: " << p.fixedWeights.size()
       << " bytes, crc32 0x" << std::hex
       << crc32(reinterpret_cast<const uint8_t *>(p.fixedWeights.data()),
                p.fixedWeights.size())
       << std::dec << "\n";
    const std::vector<int64_t> *groups[3][3] = {
        {&p.mainMultiplier, &p.mainShift, &p.mainBias},
        {&p.skipMultiplier, &p.skipShift, &p.skipBias},
        {&p.outMultiplier, &p.outShift, &p.outBias}};
    const char *names[3] = {"main", "skip", "out"};
    os << "  constants (multiplier/shift/bias):";
    for (int g = 0; g < 3; ++g) {
      os << (g ? ";" : "") << " " << names[g];
      for (size_t c = 0; c < groups[g][0]->size(); ++c)
        os << " " << (*groups[g][0])[c] << "/" << (*groups[g][1])[c] << "/"
           << (*groups[g][2])[c];
    }
    os << "\n";
  }
  auto steps = [&](const char *name, const std::vector<HostStep> &list) {
    for (const HostStep &step : list) {
      os << name << ": " << hostStepName(step.kind) << " ->";
      for (int64_t d : step.shape)
        os << " " << d;
      if (!step.constant.empty()) {
        os << " constant[" << step.constant.size() << "] " << step.constant[0];
        if (step.constant.size() > 1)
          os << " ...";
      }
      if (!step.perm.empty()) {
        os << " perm";
        for (int64_t d : step.perm)
          os << " " << d;
      }
      os << "\n";
    }
  };
  if (!n.prologue.empty()) {
    os << "host prologue: from";
    for (int64_t d : n.prologueShape)
      os << " " << d;
    os << "\n";
  }
  steps("host prologue", n.prologue);
  os << "output: rank " << h.outputRank << ", " << n.output.n << "x"
     << n.output.c << "x" << n.output.h << "x" << n.output.w << " "
     << (n.output.binary ? "binary (+-1)" : "dequantize")
     << " scale=" << n.output.scale << " zp=" << n.output.zeroPoint << "\n";
  steps("host epilogue", n.epilogue);
  return os.str();
}

std::string blend::schedule::describeHostStep(const HostStep &step) {
  auto constant = [&]() -> std::string {
    if (step.constant.size() == 1) {
      std::ostringstream os;
      os << step.constant[0];
      return os.str();
    }
    return "c[" + std::to_string(step.constant.size()) + " values]";
  };
  auto dims = [&]() {
    std::string out;
    for (int64_t d : step.shape)
      out += (out.empty() ? "" : "x") + std::to_string(d);
    return out;
  };
  switch (step.kind) {
  case HostStep::Kind::Add:
    return "x + " + constant();
  case HostStep::Kind::Sub:
    return "x - " + constant();
  case HostStep::Kind::Mul:
    return "x * " + constant();
  case HostStep::Kind::Div:
    return "x / " + constant();
  case HostStep::Kind::SubFrom:
    return constant() + " - x";
  case HostStep::Kind::DivFrom:
    return constant() + " / x";
  case HostStep::Kind::Min:
    return "min(x, " + constant() + ")";
  case HostStep::Kind::Max:
    return "max(x, " + constant() + ")";
  case HostStep::Kind::Reshape:
    return "reshape to " + dims();
  case HostStep::Kind::Transpose: {
    std::string perm;
    for (int64_t d : step.perm)
      perm += (perm.empty() ? "" : ",") + std::to_string(d);
    return "transpose (" + perm + ") to " + dims();
  }
  case HostStep::Kind::Binarize:
    return "x >= 0 ? +1 : -1";
  case HostStep::Kind::ArgMax:
    return "argmax over axis " +
           std::to_string(step.perm.empty() ? 0 : step.perm[0]) +
           " (the class index)";
  }
  return "?";
}

const char *blend::schedule::hostStepName(HostStep::Kind kind) {
  switch (kind) {
  case HostStep::Kind::Add:
    return "add";
  case HostStep::Kind::Sub:
    return "sub";
  case HostStep::Kind::Mul:
    return "mul";
  case HostStep::Kind::Div:
    return "div";
  case HostStep::Kind::SubFrom:
    return "sub_from";
  case HostStep::Kind::DivFrom:
    return "div_from";
  case HostStep::Kind::Min:
    return "min";
  case HostStep::Kind::Max:
    return "max";
  case HostStep::Kind::Reshape:
    return "reshape";
  case HostStep::Kind::Transpose:
    return "transpose";
  case HostStep::Kind::ArgMax:
    return "argmax";
  case HostStep::Kind::Binarize:
    return "binarize";
  }
  return "?";
}

bool blend::schedule::applyHostSteps(const std::vector<HostStep> &steps,
                                     std::vector<float> &data,
                                     std::vector<int64_t> &shape,
                                     std::string &error) {
  auto elements = [](const std::vector<int64_t> &s) {
    int64_t n = 1;
    for (int64_t d : s)
      n *= d;
    return n;
  };
  for (size_t k = 0; k < steps.size(); ++k) {
    const HostStep &step = steps[k];
    auto fail = [&](const std::string &what) {
      error = "host step " + std::to_string(k) + " (" +
              hostStepName(step.kind) + "): " + what;
      return false;
    };
    int64_t n = int64_t(data.size());
    switch (step.kind) {
    case HostStep::Kind::Reshape:
      if (elements(step.shape) != n)
        return fail("the new shape has a different element count");
      break;
    case HostStep::Kind::Transpose: {
      size_t rank = shape.size();
      if (step.perm.size() != rank || step.shape.size() != rank)
        return fail("the permutation does not match the rank");
      std::vector<int64_t> inStride(rank, 1), outStride(rank, 1);
      for (size_t d = rank; d-- > 1;) {
        inStride[d - 1] = inStride[d] * shape[d];
        outStride[d - 1] = outStride[d] * step.shape[d];
      }
      std::vector<float> out(data.size());
      for (int64_t i = 0; i < n; ++i) {
        int64_t rest = i, source = 0;
        for (size_t d = 0; d < rank; ++d) {
          int64_t coord = rest / outStride[d];
          rest %= outStride[d];
          source += coord * inStride[size_t(step.perm[d])];
        }
        out[size_t(i)] = data[size_t(source)];
      }
      data = std::move(out);
      break;
    }
    case HostStep::Kind::Binarize:
      // The golden executor's float binarize: x >= 0 (also -0) is +1, NaN -1.
      for (float &x : data)
        x = x >= 0.0f ? 1.0f : -1.0f;
      break;
    case HostStep::Kind::ArgMax: {
      if (step.perm.size() != 1 || step.perm[0] < 0 ||
          size_t(step.perm[0]) >= shape.size())
        return fail("the axis is out of range");
      size_t axis = size_t(step.perm[0]);
      int64_t extent = shape[axis], inner = 1;
      for (size_t d = axis + 1; d < shape.size(); ++d)
        inner *= shape[d];
      std::vector<float> out(size_t(n / std::max<int64_t>(extent, 1)));
      for (int64_t o = 0; o < int64_t(out.size()); ++o) {
        int64_t base = (o / inner) * extent * inner + o % inner, best = 0;
        for (int64_t e = 1; e < extent; ++e)
          if (data[size_t(base + e * inner)] > data[size_t(base + best * inner)])
            best = e;
        out[size_t(o)] = float(best);
      }
      data = std::move(out);
      break;
    }
    default: {
      size_t m = step.constant.size();
      if (m != 1 && int64_t(m) != n)
        return fail("the constant has " + std::to_string(m) +
                    " values for " + std::to_string(n) + " elements");
      for (int64_t i = 0; i < n; ++i) {
        float x = data[size_t(i)], c = step.constant[m == 1 ? 0 : size_t(i)];
        float &y = data[size_t(i)];
        switch (step.kind) {
        case HostStep::Kind::Add:
          y = x + c;
          break;
        case HostStep::Kind::Sub:
          y = x - c;
          break;
        case HostStep::Kind::Mul:
          y = x * c;
          break;
        case HostStep::Kind::Div:
          y = x / c;
          break;
        case HostStep::Kind::SubFrom:
          y = c - x;
          break;
        case HostStep::Kind::DivFrom:
          y = c / x;
          break;
        case HostStep::Kind::Min: // std::min(x, c), as the executor's clip
          y = c < x ? c : x;
          break;
        case HostStep::Kind::Max: // std::max(x, c)
          y = x < c ? c : x;
          break;
        default:
          break;
        }
      }
      break;
    }
    }
    if (elements(step.shape) != int64_t(data.size()))
      return fail("the result does not have the step's shape");
    shape = step.shape;
  }
  return true;
}
