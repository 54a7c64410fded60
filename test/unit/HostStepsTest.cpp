//===- HostStepsTest.cpp - the host's float steps of schedule.bin ---------===//
//
// The host prologue/epilogue records (schedule v1.7) round-trip, a file
// without them reads as before, malformed step records are refused, and
// applyHostSteps computes what the golden executor computes: float32
// elementwise operations in order, min/max with std::min/std::max's choice
// on equal values (so -0.0 stays -0.0 as in the executor's clip), a
// transpose, and an argmax whose first largest element wins.
//
//===----------------------------------------------------------------------===//

#include "runtime/ScheduleFormat.h"

#include <cmath>
#include <cstring>

#include <catch2/catch.hpp>

using namespace blend::schedule;

namespace {
/// A one-pass network: a streamed 1x1 int8 layer over a 1x2x1x1 input.
Network tinyNetwork() {
  Network n;
  n.hardware.maxChannels = 2, n.hardware.pe = 2, n.hardware.lanes = 2;
  n.hardware.fixedChannels = 2, n.hardware.depth = 4;
  n.hardware.fixedWeightDepth = 1, n.hardware.constantDepth = 2;
  n.hardware.maxSteps = 1, n.hardware.accFixed = 20;
  n.input = {0.25, 0, -128, 127, 1, 2, 1, 1};
  Step p;
  p[StepField::SkipEnable] = 1, p[StepField::Stream] = 1;
  p[StepField::O] = 2, p[StepField::OH] = 1, p[StepField::OW] = 1;
  p[StepField::SkipC] = 2, p[StepField::SkipH] = 1, p[StepField::SkipW] = 1;
  p[StepField::SkipKH] = p[StepField::SkipKW] = 1;
  p[StepField::SkipStride] = 1, p[StepField::SkipCGroups] = 1;
  p[StepField::SkipFold] = p[StepField::MainFold] = 1;
  p[StepField::OutMin] = -128, p[StepField::OutMax] = 127;
  for (auto *v : {&p.mainMultiplier, &p.mainShift, &p.mainBias, &p.skipMultiplier,
                  &p.skipShift, &p.skipBias, &p.outMultiplier, &p.outShift,
                  &p.outBias})
    v->assign(2, 0);
  p.fixedWeights = {1, 2, 3, 4};
  n.steps.push_back(p);
  n.output = {0, 0.5, 0, 1, 2, 1, 1};
  return n;
}
} // namespace

TEST_CASE("host steps round-trip; a schedule without them reads as v1.6",
          "[schedule][host]") {
  Network n = tinyNetwork();
  Network plain;
  std::string error;
  REQUIRE(decode(encode(n), plain, error));
  CHECK(plain.prologue.empty());
  CHECK(plain.epilogue.empty());

  n.prologueShape = {1, 2};
  n.prologue = {{HostStep::Kind::Div, {1, 2}, {255.0f}, {}},
                {HostStep::Kind::Reshape, {1, 2, 1, 1}, {}, {}}};
  n.epilogue = {{HostStep::Kind::SubFrom, {1, 2}, {1.0f, -2.0f}, {}},
                {HostStep::Kind::ArgMax, {1, 1}, {}, {1}}};
  std::vector<uint8_t> bytes = encode(n);
  Network back;
  REQUIRE(decode(bytes, back, error));
  CHECK(back.prologueShape == n.prologueShape);
  REQUIRE(back.prologue.size() == 2);
  CHECK(back.prologue[0].kind == HostStep::Kind::Div);
  CHECK(back.prologue[0].constant == std::vector<float>{255.0f});
  CHECK(back.prologue[1].shape == std::vector<int64_t>{1, 2, 1, 1});
  REQUIRE(back.epilogue.size() == 2);
  CHECK(back.epilogue[0].constant == std::vector<float>{1.0f, -2.0f});
  CHECK(back.epilogue[1].perm == std::vector<int64_t>{1});
  CHECK(toText(back) == toText(n));
  CHECK(describeHostStep(n.prologue[0]) == "x / 255");
  CHECK(describeHostStep(n.epilogue[0]) == "c[2 values] - x");
  CHECK(describeHostStep(n.epilogue[1]) == "argmax over axis 1 (the class index)");

  // The binarize step (a BipolarQuant input) round-trips too.
  Network bin = n;
  bin.prologue = {{HostStep::Kind::Binarize, {1, 2}, {}, {}}};
  Network binBack;
  REQUIRE(decode(encode(bin), binBack, error));
  REQUIRE(binBack.prologue.size() == 1);
  CHECK(binBack.prologue[0].kind == HostStep::Kind::Binarize);
  CHECK(describeHostStep(binBack.prologue[0]) == "x >= 0 ? +1 : -1");

  // A step kind the format does not define is refused, not guessed.
  std::vector<uint8_t> bad = bytes;
  uint32_t kind = 99;
  // The epilogue record is the last one: its first step's kind follows the
  // record header (8 bytes) and the step count (4 bytes).
  size_t at = kHeaderBytes;
  size_t last = at;
  while (at < bad.size()) {
    uint32_t size;
    std::memcpy(&size, &bad[at + 4], 4);
    last = at;
    at += 8 + size;
  }
  std::memcpy(&bad[last + 12], &kind, 4);
  uint32_t crc = crc32(bad.data() + kHeaderBytes, bad.size() - kHeaderBytes);
  std::memcpy(&bad[16], &crc, 4);
  Network refused;
  CHECK_FALSE(decode(bad, refused, error));
  CHECK(error.find("host step record") != std::string::npos);
}

TEST_CASE("applyHostSteps computes the golden executor's float32 steps",
          "[host]") {
  std::string error;
  // 2x - 1 in float32, then a clip to [0, 1]: max first, then min.
  std::vector<float> data{0.0f, 0.3f, 0.5f, 0.9f};
  std::vector<int64_t> shape{1, 4};
  std::vector<HostStep> steps{{HostStep::Kind::Mul, {1, 4}, {2.0f}, {}},
                              {HostStep::Kind::Sub, {1, 4}, {1.0f}, {}},
                              {HostStep::Kind::Max, {1, 4}, {0.0f}, {}},
                              {HostStep::Kind::Min, {1, 4}, {0.5f}, {}}};
  REQUIRE(applyHostSteps(steps, data, shape, error));
  CHECK(data[0] == 0.0f);
  CHECK(data[1] == 0.0f);
  CHECK(data[2] == 0.0f); // 2·0.5 − 1 = 0, and max(0, 0) keeps it
  CHECK(data[3] == std::min(std::max(0.9f * 2.0f - 1.0f, 0.0f), 0.5f));
  // -0.0 survives max(x, 0) as std::max keeps its first argument on a tie.
  std::vector<float> negZero{-0.0f};
  std::vector<int64_t> one{1};
  REQUIRE(applyHostSteps({{HostStep::Kind::Max, {1}, {0.0f}, {}}}, negZero, one,
                         error));
  CHECK(std::signbit(negZero[0]));

  // Transpose of a 2x3 matrix, then the argmax over the rows: the first
  // largest wins.
  std::vector<float> m{1, 5, 5, 7, 0, 5};
  std::vector<int64_t> ms{2, 3};
  REQUIRE(applyHostSteps({{HostStep::Kind::Transpose, {3, 2}, {}, {1, 0}}}, m,
                         ms, error));
  CHECK(m == std::vector<float>{1, 7, 5, 0, 5, 5});
  REQUIRE(applyHostSteps({{HostStep::Kind::ArgMax, {3, 1}, {}, {1}}}, m, ms,
                         error));
  CHECK(m == std::vector<float>{1, 0, 0});

  // Binarize as the golden executor's float binarize: x >= 0 (-0 too) is +1,
  // x < 0 and NaN are -1.
  std::vector<float> b{0.0f, -0.0f, 1e-30f, -1e-45f, -3.0f, std::nanf("")};
  std::vector<int64_t> bs{1, 6};
  REQUIRE(applyHostSteps({{HostStep::Kind::Binarize, {1, 6}, {}, {}}}, b, bs,
                         error));
  CHECK(b == std::vector<float>{1, 1, 1, -1, -1, -1});

  // A constant that fits neither one value nor every element is refused.
  std::vector<float> v{1, 2, 3};
  std::vector<int64_t> vs{1, 3};
  CHECK_FALSE(applyHostSteps({{HostStep::Kind::Add, {1, 3}, {1, 2}, {}}}, v, vs,
                             error));
  CHECK(error.find("host step 0 (add)") == 0);
}
