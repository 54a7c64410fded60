//===- NetworkScheduleTest.cpp - the network form of schedule.bin ---------===//
//
// Encode/decode round trip of a hand-built two-pass network, the checks the
// decoder must make (checksum, descriptor count, weight sizes, the single-
// module form refused by name), and the configuration writes the host sends
// (staging rows then commits, lane-aligned constants, descriptor fields).
//
//===----------------------------------------------------------------------===//

#include "runtime/ScheduleFormat.h"

#include <cstring>

#include <catch2/catch.hpp>

using namespace blend::schedule;

namespace {
/// A 2-channel stem (int8 3x3) and a streamed 1x1 int8 head, 4x4 input.
Network smallNetwork() {
  Network n;
  n.hardware = {/*maxChannels=*/4, /*pe=*/2,  /*lanes=*/2, /*fixedChannels=*/2,
                /*depth=*/32,      /*binaryWeightDepth=*/1, /*fixedWeightDepth=*/10,
                /*constantDepth=*/4, /*maxSteps=*/2, /*accBinary=*/9,
                /*accFixed=*/20,   /*inputBase=*/0, /*outputRank=*/4,
                /*transposePixels=*/0, /*tiled=*/0};
  n.hardware.byteChannels = 4;
  n.input = {0.25, 0, -128, 127, 1, 2, 4, 4};
  for (int i = 0; i < 2; ++i) {
    Step p;
    p[StepField::SkipEnable] = 1;
    p[StepField::O] = 2, p[StepField::OH] = 4, p[StepField::OW] = 4;
    p[StepField::SkipC] = 2, p[StepField::SkipH] = 4, p[StepField::SkipW] = 4;
    p[StepField::SkipKH] = p[StepField::SkipKW] = i == 0 ? 3 : 1;
    p[StepField::SkipStride] = 1, p[StepField::SkipPad] = i == 0 ? 1 : 0;
    p[StepField::SkipCGroups] = 1;
    p[StepField::SkipFold] = p[StepField::MainFold] = 1;
    p[StepField::SkipWeightBase] = i == 0 ? 0 : 9;
    p[StepField::ConstBase] = i == 0 ? 0 : 2;
    p[StepField::Stream] = i == 1;
    p[StepField::Dst] = i == 0 ? 16 : 0;
    p[StepField::SkipSrc] = i == 0 ? 0 : 16;
    p[StepField::OutMin] = -128, p[StepField::OutMax] = 127;
    for (auto *v : {&p.mainMultiplier, &p.mainShift, &p.mainBias,
                    &p.skipMultiplier, &p.skipShift, &p.skipBias,
                    &p.outMultiplier, &p.outShift, &p.outBias})
      v->assign(2, 0);
    p.skipMultiplier = {77, -5};
    p.skipBias = {int64_t(1) << 40, -3};
    size_t rows = size_t(p[StepField::SkipKH] * p[StepField::SkipKW]);
    for (size_t k = 0; k < 2 * rows * 2; ++k)
      p.fixedWeights.push_back(int8_t(int(k % 255) - 127));
    p.op = i == 0 ? "requant" : "conv2d";
    p.location = i == 0 ? "loc(\"stem\")" : "loc(\"head\")";
    n.steps.push_back(p);
  }
  n.output = {0, 0.5, 0, 1, 2, 4, 4};
  return n;
}

/// `bytes` (the current format) rewritten as an older writer wrote them:
/// the Network record without its last `networkU32s` fields, every Step
/// record with `passFields` descriptor fields, minor version `minor`; sizes
/// and checksum fixed.
std::vector<uint8_t> older(std::vector<uint8_t> bytes, size_t networkU32s,
                           uint32_t passFields, uint8_t minor) {
  auto u32At = [&](size_t at) {
    uint32_t v = 0;
    std::memcpy(&v, &bytes[at], 4);
    return v;
  };
  auto setU32 = [&](size_t at, uint32_t v) { std::memcpy(&bytes[at], &v, 4); };
  size_t at = kHeaderBytes;
  while (at < bytes.size()) {
    uint32_t kind = u32At(at), size = u32At(at + 4);
    size_t body = at + 8, cut = 0, from = 0;
    if (kind == uint32_t(RecordKind::Network)) {
      cut = 4 * networkU32s;
      from = body + size - cut;
    } else if (kind == uint32_t(RecordKind::Step)) {
      uint32_t fields = u32At(body);
      cut = 8 * size_t(fields - passFields);
      from = body + 4 + 8 * size_t(passFields);
      setU32(body, passFields);
    }
    bytes.erase(bytes.begin() + long(from), bytes.begin() + long(from + cut));
    setU32(at + 4, uint32_t(size - cut));
    setU32(12, u32At(12) - uint32_t(cut));
    at = body + size - cut;
  }
  setU32(16, crc32(bytes.data() + kHeaderBytes, bytes.size() - kHeaderBytes));
  bytes[6] = minor, bytes[7] = 0;
  return bytes;
}
} // namespace

TEST_CASE("a network schedule round-trips through encode/decode",
          "[schedule]") {
  Network n = smallNetwork();
  std::vector<uint8_t> bytes = encode(n);
  Network back;
  std::string error;
  REQUIRE(decode(bytes, back, error));
  REQUIRE(back.steps.size() == 2);
  CHECK(back.steps[0].fields == n.steps[0].fields);
  CHECK(back.steps[1].skipBias == n.steps[1].skipBias);
  CHECK(back.steps[0].skipBias[0] == int64_t(1) << 40);
  CHECK(back.steps[1].fixedWeights == n.steps[1].fixedWeights);
  CHECK(back.steps[1].location == "loc(\"head\")");
  CHECK(toText(back) == toText(n));

  // desc_banks (v1.4) and pairs / s_pair (v1.5) round-trip.
  n.hardware.descBanks = 8;
  n.hardware.pairs = 1;
  n.steps[0][StepField::SkipPair] = 1;
  REQUIRE(decode(encode(n), back, error));
  CHECK(back.hardware.descBanks == 8);
  CHECK(back.hardware.pairs == 1);
  CHECK(back.steps[0][StepField::SkipPair] == 1);
  CHECK(toText(back).find(" pairs=1") != std::string::npos);
  // A v1.4 file (no pairs in the Network record, 42 descriptor fields per
  // pass) reads without pairs.
  Network plain = n;
  plain.hardware.pairs = 0;
  plain.steps[0][StepField::SkipPair] = 0;
  REQUIRE(decode(older(encode(plain), 4, kStepFieldsV14, 4), back, error));
  CHECK(back.hardware.descBanks == 8);
  CHECK(back.hardware.pairs == 0);
  CHECK(back.steps[0].fields == plain.steps[0].fields);
  CHECK(back.steps[1].fixedWeights == plain.steps[1].fixedWeights);
  // A v1.3 Network record also ends before desc_banks: one bank.
  REQUIRE(decode(older(encode(plain), 5, kStepFieldsV14, 3), back, error));
  CHECK(back.hardware.descBanks == 1);
  // A step record with another field count is refused.
  CHECK_FALSE(decode(older(encode(plain), 4, kStepFieldsV14 - 1, 4), back,
                     error));
  CHECK(error.find("wrong number of descriptor fields") != std::string::npos);
  // A v1.5 file (no stripes in the Network record, 43 descriptor fields per
  // pass) keeps its pairs and reads without row stripes.
  REQUIRE(decode(older(encode(n), 3, kStepFieldsV15, 5), back, error));
  CHECK(back.hardware.pairs == 1);
  CHECK(back.hardware.stripes == 0);
  CHECK(back.steps[0][StepField::SkipPair] == 1);
  CHECK(back.steps[0].fields == n.steps[0].fields);
  // A v1.7 file (no pool_channels in the Network record, 48 descriptor fields per
  // step) reads without the pooler.
  REQUIRE(decode(older(encode(n), 2, kStepFieldsV17, 7), back, error));
  CHECK(back.hardware.poolChannels == 0);
  CHECK(back.hardware.byteChannels == 4); // = max_channels
  CHECK(back.steps[0].fields == n.steps[0].fields);
  // A v1.8 file (no byte_channels) stores every channel as a byte.
  Network wide = n;
  wide.hardware.maxChannels = 8;
  REQUIRE(decode(older(encode(wide), 1, uint32_t(StepField::Count), 8), back,
                 error));
  CHECK(back.hardware.byteChannels == 8);
}

TEST_CASE("byte_channels round-trips and bounds what is read as bytes",
          "[schedule]") {
  // smallNetwork()'s stem and head read 2 channels as bytes (one group of
  // FixCh 2): a core storing 2 of its 4 channels as bytes runs it.
  Network n = smallNetwork();
  n.hardware.byteChannels = 2;
  std::string error;
  Network back;
  REQUIRE(decode(encode(n), back, error));
  CHECK(back.hardware.byteChannels == 2);
  CHECK(toText(back).find(" byte_channels=2") != std::string::npos);
  // Refused: more channels read as bytes than stored, and byte_channels
  // outside FixCh .. MaxC or not a multiple of FixCh.
  Network bad = n;
  bad.steps[0][StepField::SkipC] = 4;
  bad.steps[0][StepField::SkipCGroups] = 2;
  CHECK_FALSE(validate(bad, error));
  CHECK(error.find("step 0 does not fit") != std::string::npos);
  for (uint32_t b : {0u, 1u, 3u, 6u}) {
    bad = n;
    bad.hardware.byteChannels = b;
    CHECK_FALSE(validate(bad, error));
    CHECK(error.find("byte_channels is a multiple of fixed_channels") !=
          std::string::npos);
  }
}

TEST_CASE("a pool step round-trips, is validated and writes field 48",
          "[schedule]") {
  // smallNetwork()'s stem output (2 channels, 4x4 at 16) max-pooled 2x2/2
  // into 2x2 pixels at 0 (the input's place) before the head runs.
  Network n = smallNetwork();
  n.hardware.poolChannels = 2;
  n.hardware.maxSteps = 3;
  Step pool;
  pool[StepField::Pool] = kPoolBinary;
  pool[StepField::O] = pool[StepField::SkipC] = 2;
  pool[StepField::SkipH] = pool[StepField::SkipW] = 4;
  pool[StepField::SkipKH] = pool[StepField::SkipKW] = 2;
  pool[StepField::SkipStride] = 2;
  pool[StepField::OH] = pool[StepField::OW] = 2;
  pool[StepField::SkipSrc] = 16, pool[StepField::Dst] = 0;
  pool[StepField::SkipFold] = pool[StepField::MainFold] = 1;
  pool.op = "max_pool2d";
  n.steps.insert(n.steps.begin() + 1, pool);
  std::string error;
  Network back;
  REQUIRE(decode(encode(n), back, error));
  CHECK(back.hardware.poolChannels == 2);
  CHECK(back.steps[1].fields == pool.fields);
  CHECK(back.steps[1].skipBias.empty()); // no per-channel constants
  CHECK(toText(back).find(" pool_channels=2") != std::string::npos);
  CHECK(toText(back).find(" pool=1") != std::string::npos);
  // The descriptor RAM of a pooler's core: field 48 written, the host-only
  // row_begin / full_h never.
  CHECK(hardwareFields(n.hardware) == uint32_t(StepField::Count));
  bool wrotePool = false, wroteHostOnly = false;
  for (const CfgWrite &w : configWrites(n)) {
    if (w.address >> 20 != 4)
      continue;
    uint32_t field = w.address & 63;
    wrotePool |= field == uint32_t(StepField::Pool) && w.data == 1;
    wroteHostOnly |= field == uint32_t(StepField::RowBegin) ||
                     field == uint32_t(StepField::FullHeight);
  }
  CHECK(wrotePool);
  CHECK_FALSE(wroteHostOnly);
  // Refused: a core without the pooler or a narrower one, a window past the
  // edge, padding, another mode.
  Network bad = n;
  bad.hardware.poolChannels = 0;
  CHECK_FALSE(validate(bad, error));
  CHECK(error.find("a pool step") != std::string::npos);
  bad.hardware.poolChannels = 1;
  CHECK_FALSE(validate(bad, error));
  bad = n;
  bad.steps[1][StepField::OH] = 3; // (4 - 2) / 2 + 1 = 2 rows
  CHECK_FALSE(validate(bad, error));
  bad = n;
  bad.steps[1][StepField::SkipPad] = 1;
  CHECK_FALSE(validate(bad, error));
  bad = n;
  bad.steps[1][StepField::Pool] = 3;
  CHECK_FALSE(validate(bad, error));
}

namespace {
/// smallNetwork() in two row stripes: each stripe loads its input band
/// (rows 0..2, then 1..3) and runs the 3x3 stem on it, writing rows 0..1 and
/// 2..3 of the stem's tensor, stored whole; the head reads that tensor.
Network stripedNetwork() {
  Network n = smallNetwork();
  n.hardware.stripes = 1;
  n.hardware.maxSteps = 5;
  Step stem = n.steps[0], head = n.steps[1];
  n.steps.clear();
  for (int s = 0; s < 2; ++s) {
    Step load;
    load[StepField::Load] = 1;
    load[StepField::OH] = 3, load[StepField::OW] = 4;
    load[StepField::RowBegin] = s, load[StepField::FullHeight] = 4;
    load[StepField::SkipFold] = load[StepField::MainFold] = 1;
    load[StepField::Dst] = 0;
    load.op = "load";
    n.steps.push_back(load);
    Step band = stem;
    band[StepField::OH] = 2, band[StepField::SkipH] = 3;
    band[StepField::RowBegin] = 2 * s, band[StepField::FullHeight] = 4;
    band[StepField::SkipRowOffset] = 2 * s - s; // rows 2s - 1.. from row s
    band[StepField::Dst] = 16 + 8 * s;
    n.steps.push_back(band);
  }
  n.steps.push_back(head);
  return n;
}
} // namespace

TEST_CASE("row stripes: load steps and row offsets round-trip and are "
          "checked",
          "[schedule]") {
  Network n = stripedNetwork();
  Network back;
  std::string error;
  REQUIRE(decode(encode(n), back, error));
  CHECK(back.hardware.stripes == 1);
  REQUIRE(back.steps.size() == 5);
  CHECK(back.steps[2].fields == n.steps[2].fields);
  CHECK(back.steps[2][StepField::RowBegin] == 1);
  CHECK(toText(back).find(" stripes=1") != std::string::npos);
  CHECK(toText(back).find("s_row_off=1") != std::string::npos);
  // The host streams each load's band: rows 0, 1, 2, then 1, 2, 3.
  CHECK(inputRowOrder(back) == std::vector<int64_t>{0, 1, 2, 1, 2, 3});
  CHECK(inputRowOrder(smallNetwork()) == std::vector<int64_t>{0, 1, 2, 3});

  auto refused = [&](Network bad, const char *why) {
    CHECK_FALSE(decode(encode(bad), back, error));
    CHECK(error.find(why) != std::string::npos);
  };
  Network bad = n;
  bad.hardware.stripes = 0; // load steps on a core without stripes
  refused(bad, "need a core with stripes=1");
  bad = n;
  std::swap(bad.steps[0], bad.steps[1]); // the stem before any load
  refused(bad, "must start with a load step");
  bad = n;
  bad.steps[2][StepField::OW] = 3; // not whole image rows
  refused(bad, "a load step takes OH >= 1 whole image rows");
  bad = n;
  bad.steps[2][StepField::OH] = 4; // rows 1..4 of a 4-row image
  refused(bad, "row_begin + oh <= full_h");
  bad.steps[2][StepField::FullHeight] = 0; // and past the image itself
  refused(bad, "a load step takes OH >= 1 whole image rows");
  bad = n;
  bad.steps[3][StepField::OH] = 3; // rows 2..4 of a 4-row layer
  refused(bad, "row_begin + oh <= full_h");
  bad = n;
  bad.steps[3][StepField::SkipRowOffset] = -1;
  // The decoder refuses the field itself; validate() the same network too.
  refused(bad, "step 3: field s_row_off = -1 is outside 0..65535");
  CHECK_FALSE(validate(bad, error));
  CHECK(error.find("row offsets are not negative") != std::string::npos);
  // Sizes past 16 bits are refused before the weight rows are computed
  // from them (a fuzzer found m_k · m_k · m_words overflowing int64), and
  // every other field must fit its 32-bit register.
  bad = n;
  bad.steps[3][StepField::MainK] = int64_t(1) << 40;
  refused(bad, "step 3: field m_k = 1099511627776 is outside 0..65535");
  bad = n;
  bad.steps[3][StepField::Dst] = int64_t(1) << 33;
  refused(bad, "step 3: field dst = 8589934592 does not fit its 32-bit register");
  bad = smallNetwork();
  bad.steps[0][StepField::MainRowOffset] = 1; // an offset without stripes
  refused(bad, "need a core with stripes=1");
}

TEST_CASE("row stripes that keep rows: copy steps round-trip, the host "
          "sends each row once, and bad copies are refused",
          "[schedule]") {
  // Stripe 1 keeps input row 1 (moved up from row 1 of its storage, 4
  // pixels on) and loads rows 2..3 after it; the stem reads rows 1..3.
  Network n = stripedNetwork();
  Step copy;
  copy[StepField::Load] = kLoadCopy;
  copy[StepField::OH] = 1, copy[StepField::OW] = 4;
  copy[StepField::RowBegin] = 1, copy[StepField::FullHeight] = 4;
  copy[StepField::SkipRowOffset] = 1;
  copy[StepField::SkipSrc] = 4, copy[StepField::Dst] = 0;
  copy[StepField::SkipFold] = copy[StepField::MainFold] = 1;
  copy.op = "copy";
  n.steps[2][StepField::OH] = 2, n.steps[2][StepField::RowBegin] = 2;
  n.steps[2][StepField::Dst] = 4;
  n.steps.insert(n.steps.begin() + 2, copy);
  n.hardware.maxSteps = 6;
  Network back;
  std::string error;
  REQUIRE(decode(encode(n), back, error));
  REQUIRE(back.steps.size() == 6);
  CHECK(back.steps[2].fields == copy.fields);
  CHECK(inputRowOrder(back) == std::vector<int64_t>{0, 1, 2, 2, 3});
  // Two stripes, counted by the last striped layer's passes.
  CHECK(rowStripeCount(back) == 2);
  CHECK(rowStripeCount(smallNetwork()) == 0);

  auto refused = [&](Network bad) {
    CHECK_FALSE(decode(encode(bad), back, error));
    CHECK(error.find("a copy step moves OH x OW >= 1 pixels") !=
          std::string::npos);
  };
  Network bad = n;
  bad.steps[2][StepField::Dst] = 4; // not below its source
  refused(bad);
  bad = n;
  bad.steps[2][StepField::SkipSrc] = 30; // past the 32-pixel memory
  refused(bad);
  bad = n;
  bad.steps[2][StepField::O] = 1; // a copy computes nothing
  refused(bad);
}

TEST_CASE("a striped core is written its row fields and no input load",
          "[schedule]") {
  Network n = stripedNetwork();
  std::vector<CfgWrite> writes = configWrites(n);
  // Globals: no input pixels (the load steps take the input), base 0; the
  // pass count last, so the core starts nothing while it is configured.
  CHECK(writes[0].address == 1);
  CHECK(writes[0].data == 0);
  CHECK(writes.back().address == 0);
  CHECK(writes.back().data == 5);
  // Step 0 (a load): 46 fields — m_row_off, s_row_off, load — and no
  // weights or constants; the host-only row_begin and full_h stay out.
  size_t i = 2;
  for (uint32_t f = 0; f < uint32_t(StepField::RowBegin); ++f, ++i)
    CHECK(writes[i].address == ((uint32_t(NetRegion::Descriptors) << 20) | f));
  CHECK(writes[2 + uint32_t(StepField::Load)].data == 1);
  CHECK(writes[i].address == ((uint32_t(NetRegion::Descriptors) << 20) | 64));
  // Step 3's s_row_off.
  bool found = false;
  for (const CfgWrite &w : writes)
    if (w.address == ((uint32_t(NetRegion::Descriptors) << 20) |
                      (3 * 64 + uint32_t(StepField::SkipRowOffset))))
      found = w.data == 1;
  CHECK(found);
}

/// smallNetwork() with a transpose step between its two passes (the 16 stem
/// pixels of 2 channels become 2 pixels of 16 channels) — shape only.
Network withTranspose() {
  Network n = smallNetwork();
  n.hardware.maxChannels = 16;
  n.hardware.byteChannels = 16;
  n.hardware.transposePixels = 16;
  n.hardware.maxSteps = 3;
  Step t;
  t[StepField::Transpose] = 1;
  t[StepField::O] = 16, t[StepField::OH] = 1, t[StepField::OW] = 2;
  t[StepField::SkipSrc] = 16, t[StepField::Dst] = 0;
  t.op = "transpose";
  t.location = "loc(\"t\")";
  t.channelLast = true;
  n.steps.insert(n.steps.begin() + 1, t);
  return n;
}

TEST_CASE("transpose steps and output-channel tiles round-trip and are "
          "checked",
          "[schedule]") {
  std::string error;
  Network back;
  Network t = withTranspose();
  REQUIRE(decode(encode(t), back, error));
  CHECK(back.hardware.transposePixels == 16);
  // The transposer moves bytes: its 16 pixels' 16 channels must be stored.
  Network narrow = t;
  narrow.hardware.byteChannels = 4;
  CHECK_FALSE(validate(narrow, error));
  CHECK(error.find("a transpose that does not fit") != std::string::npos);
  CHECK(back.steps[1].channelLast);
  CHECK_FALSE(back.steps[0].channelLast);
  CHECK(back.steps[1].mainMultiplier.empty()); // no per-channel constants
  CHECK(toText(back) == toText(t));
  // A transpose step writes no constants: 2 layer steps x 2 lanes x 9.
  size_t constants = 0;
  for (const CfgWrite &w : configWrites(t))
    constants += (w.address >> 20) == uint32_t(NetRegion::Constants);
  CHECK(constants == 2 * 2 * 9);

  Network tooWide = withTranspose();
  tooWide.hardware.transposePixels = 8; // the transposer holds 8 pixels
  CHECK_FALSE(decode(encode(tooWide), back, error));
  CHECK(error.find("a transpose that does not fit") != std::string::npos);

  // A tile at channel offset 2 needs a core built for tiles.
  Network tile = smallNetwork();
  tile.steps[0][StepField::OutOffset] = 2;
  CHECK_FALSE(decode(encode(tile), back, error));
  CHECK(error.find("does not fit the hardware") != std::string::npos);
  tile.hardware.tiled = 1;
  REQUIRE(decode(encode(tile), back, error));
  CHECK(back.steps[0][StepField::OutOffset] == 2);
  tile.steps[0][StepField::OutOffset] = 3; // not on a lane group
  CHECK_FALSE(decode(encode(tile), back, error));
}

TEST_CASE("the network decoder refuses what it cannot run", "[schedule]") {
  Network n = smallNetwork();
  std::string error;
  Network back;

  std::vector<uint8_t> bytes = encode(n);
  bytes.back() ^= 1; // payload bit flip
  CHECK_FALSE(decode(bytes, back, error));
  CHECK(error.find("checksum") != std::string::npos);

  Network badWeights = smallNetwork();
  badWeights.steps[0].fixedWeights.pop_back();
  CHECK_FALSE(decode(encode(badWeights), back, error));
  CHECK(error.find("weight arrays do not match") != std::string::npos);

  Network misaligned = smallNetwork();
  misaligned.steps[1][StepField::ConstBase] = 1; // not a multiple of lanes
  CHECK_FALSE(decode(encode(misaligned), back, error));
  CHECK(error.find("does not fit the hardware") != std::string::npos);

  Network earlyStream = smallNetwork();
  earlyStream.steps[0][StepField::Stream] = 1;
  CHECK_FALSE(decode(encode(earlyStream), back, error));
  INFO(error);
  CHECK(error.find("only the last step streams") != std::string::npos);

  Network banks = smallNetwork();
  banks.hardware.descBanks = 3;
  CHECK_FALSE(decode(encode(banks), back, error));
  CHECK(error.find("1 or 8 banks, not 3") != std::string::npos);

  // Pixel pairs: only on a pair-capable core, an unfolded unshared skip
  // path, and pair taps at odd address distance (the other bank).
  Network pairs = smallNetwork();
  pairs.hardware.pairs = 1;
  pairs.steps[0][StepField::SkipPair] = 1; // 3x3/1 over 4x4: OW even
  REQUIRE(decode(encode(pairs), back, error));
  auto refusedPair = [&](Network bad) {
    bool ok = decode(encode(bad), back, error);
    return !ok && error.find("pixel pairs (s_pair)") != std::string::npos;
  };
  Network noHw = pairs;
  noHw.hardware.pairs = 0;
  CHECK(refusedPair(noHw));
  Network evenStride = pairs;
  evenStride.steps[0][StepField::SkipStride] = 2;
  evenStride.steps[0][StepField::OH] = evenStride.steps[0][StepField::OW] = 2;
  CHECK(refusedPair(evenStride));
  // OW = 3 over W = 4 (a 2-wide kernel, no pad): a wrapped pair's taps are
  // 1 x (4 - 3 + 1) = 2 apart, the same bank.
  Network sameBank = pairs;
  sameBank.steps[0][StepField::SkipKW] = 2;
  sameBank.steps[0][StepField::SkipPad] = 0;
  sameBank.steps[0][StepField::OW] = 3;
  sameBank.steps[0].fixedWeights.resize(2 * 6 * 2); // 2 lanes x 3x2 taps x 2
  CHECK(refusedPair(sameBank));
  sameBank.steps[0][StepField::SkipW] = 5; // 1 x (5 - 3 + 1) = 3: odd
  sameBank.steps[0][StepField::SkipH] = 5;
  CHECK(decode(encode(sameBank), back, error));
  Network folded = pairs;
  folded.hardware.folds = 2;
  folded.hardware.pe = 4;
  folded.hardware.lanes = 2;
  folded.steps[0][StepField::SkipFold] = 2;
  CHECK_FALSE(decode(encode(folded), back, error));
  Network shared = pairs;
  shared.steps[1][StepField::SkipPair] = 1;
  shared.steps[1][StepField::SkipShared] = 1;
  CHECK(refusedPair(shared));
  Network badHw = smallNetwork();
  badHw.hardware.pairs = 2;
  CHECK_FALSE(decode(encode(badHw), back, error));
  CHECK(error.find("pairs is 0 or 1") != std::string::npos);

  // A record of the retired single-module form (an older blendc's
  // blend_accel schedule) is refused by name, not as an unknown kind.
  std::vector<uint8_t> retired = encode(smallNetwork());
  uint32_t kind = uint32_t(RecordKind::BlendModule);
  std::memcpy(&retired[kHeaderBytes], &kind, 4);
  uint32_t crc =
      crc32(retired.data() + kHeaderBytes, retired.size() - kHeaderBytes);
  std::memcpy(&retired[16], &crc, 4);
  CHECK_FALSE(decode(retired, back, error));
  CHECK(error.find("single-module schedule") != std::string::npos);
}

TEST_CASE("configuration writes stage weight rows, then commit them",
          "[schedule]") {
  Network n = smallNetwork();
  std::vector<CfgWrite> writes = configWrites(n);
  auto region = [](const CfgWrite &w) { return w.address >> 20; };
  // Globals: input pixels, input base first, the pass count last.
  REQUIRE(writes.size() > 3);
  CHECK(writes[0].address == 1);
  CHECK(writes[0].data == 16);
  CHECK(writes.back().address == 0);
  CHECK(writes.back().data == 2);
  // Step 0: its descriptor words, then 9 rows x (2 lanes + commit) fixed
  // weights, then 2 channels x 9 constants.
  // A core without pixel pairs has no s_pair register: 42 fields.
  size_t i = 2;
  for (uint32_t f = 0; f < kStepFieldsV14; ++f, ++i)
    CHECK(writes[i].address == ((uint32_t(NetRegion::Descriptors) << 20) | f));
  for (uint32_t row = 0; row < 9; ++row) {
    CHECK(region(writes[i]) == uint32_t(NetRegion::FixedStage));
    CHECK((writes[i].address & 0xfffff) == 0); // lane 0
    // Lane 0, row `row`: channels 0 and 1 little-endian.
    uint64_t expect = uint64_t(uint8_t(n.steps[0].fixedWeights[row * 2])) |
                      uint64_t(uint8_t(n.steps[0].fixedWeights[row * 2 + 1]))
                          << 8;
    CHECK(writes[i].data == expect);
    i += 2;
    CHECK(writes[i].address ==
          ((uint32_t(NetRegion::FixedCommit) << 20) | row));
    ++i;
  }
  CHECK(region(writes[i]) == uint32_t(NetRegion::Constants));
  CHECK(writes[i + 3].data == 77); // channel 0, field 3: skip multiplier

  // A pair-capable core gets the 43rd field, s_pair, too.
  n.hardware.pairs = 1;
  n.steps[0][StepField::SkipPair] = 1;
  writes = configWrites(n);
  CHECK(writes[2 + kStepFieldsV14].address ==
        ((uint32_t(NetRegion::Descriptors) << 20) |
         uint32_t(StepField::SkipPair)));
  CHECK(writes[2 + kStepFieldsV14].data == 1);
}

TEST_CASE("a folded skip path loads its lane groups Pe / F apart and is "
          "checked",
          "[schedule]") {
  // The stem (2 channels, one channel group of FixCh 2, 3x3) as a row split
  // over 4 lane groups of Pe 8 / 4 = 2 lanes: 3 rows (one per kernel row),
  // weight lane g·2 + oc goes to hardware lane g·2 + oc; the head unfolded.
  Network n = smallNetwork();
  n.hardware.pe = 8;
  n.hardware.maxChannels = 8;
  n.hardware.folds = 4;
  n.hardware.fixedCopies = 2;
  Step &stem = n.steps[0];
  stem[StepField::SkipFold] = 4;
  stem[StepField::SkipRowSplit] = 1;
  REQUIRE(fixedWeightRows(stem) == 3);
  REQUIRE(weightLanes(stem, false) == 8);
  stem.fixedWeights.assign(8 * 3 * 2, 0);
  for (size_t k = 0; k < stem.fixedWeights.size(); ++k)
    stem.fixedWeights[k] = int8_t(k + 1);
  n.steps[1][StepField::SkipWeightBase] = 3;
  std::string error;
  Network back;
  REQUIRE(decode(encode(n), back, error));
  CHECK(back.steps[0].fixedWeights == stem.fixedWeights);
  CHECK(toText(back).find("folds=4 fixed_copies=2") != std::string::npos);

  // Stem row 1 (kernel row ky = 1): lane L = g·2 + oc at hardware lane
  // g·(8 / 4) + oc = L; weight (L·3 + 1)·2 + f.
  std::vector<std::pair<uint32_t, uint64_t>> row1;
  int row = 0;
  for (const CfgWrite &w : configWrites(n)) {
    uint32_t region = w.address >> 20;
    if (region == uint32_t(NetRegion::FixedCommit)) {
      if (++row > 1)
        break;
      row1.clear();
    } else if (region == uint32_t(NetRegion::FixedStage)) {
      row1.push_back({w.address & 0xfffff, w.data});
    }
  }
  REQUIRE(row1.size() == 8);
  for (uint32_t lane = 0; lane < 8; ++lane) {
    CHECK(row1[lane].first == lane);
    uint64_t lo = uint8_t((lane * 3 + 1) * 2 + 1);
    uint64_t hi = uint8_t((lane * 3 + 1) * 2 + 2);
    CHECK(row1[lane].second == (lo | hi << 8));
  }

  // Folded by 2 instead (a channel split of one group is allowed, though
  // useless): weight lane 3 (group 1, channel 1) is hardware lane 1·4 + 1.
  Network two = n;
  two.steps[0][StepField::SkipFold] = 2;
  two.steps[0][StepField::SkipRowSplit] = 0;
  two.steps[0].fixedWeights.assign(4 * 9 * 2, 1);
  two.steps[1][StepField::SkipWeightBase] = 9;
  REQUIRE(decode(encode(two), back, error));
  std::vector<uint32_t> lanes;
  for (const CfgWrite &w : configWrites(two)) {
    if ((w.address >> 20) == uint32_t(NetRegion::FixedCommit))
      break;
    if ((w.address >> 20) == uint32_t(NetRegion::FixedStage))
      lanes.push_back(w.address & 0xfffff);
  }
  CHECK(lanes == std::vector<uint32_t>{0, 1, 4, 5});

  // Refusals: a fold the core does not have, one whose groups cannot hold
  // O, a row split wider than the fold or the copies, a binary fold.
  Network bad = n;
  bad.hardware.folds = 2;
  CHECK_FALSE(decode(encode(bad), back, error));
  CHECK(error.find("a fold (s_fold 4, m_fold 1) the hardware cannot hold") !=
        std::string::npos);
  bad = n;
  bad.steps[0][StepField::O] = 3; // 3 x 4 > Pe 8
  CHECK_FALSE(decode(encode(bad), back, error));
  bad = n;
  bad.hardware.fixedCopies = 1;
  CHECK_FALSE(decode(encode(bad), back, error));
  CHECK(error.find("a row split needs") != std::string::npos);
  bad = n;
  bad.steps[1][StepField::MainFold] = 2; // the core has one binary group
  CHECK_FALSE(decode(encode(bad), back, error));
  CHECK(error.find("m_fold 2) the hardware cannot hold") != std::string::npos);
  bad.hardware.mainFolds = 2; // and this pass has no binary path
  CHECK_FALSE(decode(encode(bad), back, error));
  CHECK(error.find("a folded binary path needs") != std::string::npos);
  bad = n;
  bad.hardware.folds = 3;
  CHECK_FALSE(decode(encode(bad), back, error));
  CHECK(error.find("inconsistent hardware parameters (folds 3") !=
        std::string::npos);
}

TEST_CASE("a folded binary path shares its beats between two lane groups",
          "[schedule]") {
  Step p;
  p[StepField::MainEnable] = 1;
  p[StepField::MainK] = 3;
  p[StepField::MainWords] = 1;
  p[StepField::O] = 16;
  p[StepField::MainFold] = 1;
  CHECK(binaryWeightRows(p) == 9); // one tap per beat
  p[StepField::MainFold] = 2;
  CHECK(binaryWeightRows(p) == 5); // taps 2b and 2b + 1
  CHECK(weightLanes(p, true) == 32);
  p[StepField::MainPack] = 16;
  CHECK(binaryWeightRows(p) == 2); // kernel rows 0-1, then 2
  p[StepField::MainFold] = 1;
  CHECK(binaryWeightRows(p) == 3);
  // Rows of 32-bit slots: 96 bits, 2 words per kernel row.
  p[StepField::MainPack] = 32;
  p[StepField::MainWords] = 2;
  CHECK(binaryWeightRows(p) == 6);
  p[StepField::MainFold] = 2;
  CHECK(binaryWeightRows(p) == 4);
  // 64-bit slots: 4 words per row, 12 beats instead of 18 (2 words x 9).
  p[StepField::MainPack] = 64;
  p[StepField::MainWords] = 4;
  p[StepField::MainFold] = 1;
  CHECK(binaryWeightRows(p) == 12);
}
