//===- FixedTypeTest.cpp - blend element type unit tests ------------------===//
//
// Checks the integer-range arithmetic that every accumulator-width proof in the
// op verifiers rests on, against hand-computed ranges, and that fixed-point
// scales survive a print/parse round trip bit for bit.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/BlendOps.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/MLIRContext.h"

#include <catch2/catch.hpp>

#include <cstring>
#include <random>

using namespace mlir;
using namespace blend;

namespace {
/// A context with the blend dialect loaded.
struct BlendContext {
  MLIRContext ctx;
  BlendContext() { ctx.loadDialect<BlendDialect>(); }
  IntegerType si(unsigned w) {
    return IntegerType::get(&ctx, w, IntegerType::Signed);
  }
  IntegerType ui(unsigned w) {
    return IntegerType::get(&ctx, w, IntegerType::Unsigned);
  }
};
} // namespace

TEST_CASE("signed ranges are two's complement", "[types]") {
  CHECK(getSignedRange(2).min == -2);
  CHECK(getSignedRange(2).max == 1);
  CHECK(getSignedRange(8).min == -128);
  CHECK(getSignedRange(8).max == 127);
  CHECK(getSignedRange(64).min == INT64_MIN);
  CHECK(fitsSigned({-128, 127}, 8));
  CHECK_FALSE(fitsSigned({-129, 127}, 8));
  CHECK_FALSE(fitsSigned({0, 128}, 8));
}

TEST_CASE("fixed-point storage ranges include the zero point", "[types]") {
  BlendContext b;
  auto s8 = FixedType::get(b.si(8), 0.5);
  CHECK(s8.getStorageMin() == -128);
  CHECK(s8.getStorageMax() == 127);
  CHECK(s8.getMaxMagnitude() == 128);

  auto u8 = FixedType::get(b.ui(8), 0.25, 128);
  CHECK(u8.getStorageMin() == 0);
  CHECK(u8.getStorageMax() == 255);
  // q − zp spans [−128, 127].
  std::optional<IntRange> r = getValueRange(u8);
  REQUIRE(r);
  CHECK(r->min == -128);
  CHECK(r->max == 127);
  CHECK(u8.getMaxMagnitude() == 128);

  auto u4 = FixedType::get(b.ui(4), 1.0);
  CHECK(u4.getMaxMagnitude() == 15);
}

TEST_CASE("numeric kinds classify element types", "[types]") {
  BlendContext b;
  CHECK(getNumericKind(BinaryType::get(&b.ctx)) == NumericKind::Binary);
  CHECK(getNumericKind(FixedType::get(b.si(8), 1.0)) == NumericKind::Fixed);
  CHECK(getNumericKind(b.si(16)) == NumericKind::Integer);
  CHECK(getNumericKind(Float32Type::get(&b.ctx)) == NumericKind::Float);
  // Signless integers are not accumulators: the dialect demands signedness.
  CHECK(getNumericKind(IntegerType::get(&b.ctx, 16)) == NumericKind::Other);
  CHECK(getValueRange(BinaryType::get(&b.ctx))->magnitude() == 1);
}

TEST_CASE("fixed-point scales round-trip exactly through text", "[types]") {
  BlendContext b;
  std::mt19937_64 rng(1234);
  std::uniform_real_distribution<double> exponent(-30.0, 10.0);
  for (int i = 0; i < 500; ++i) {
    double scale = std::exp2(exponent(rng));
    auto type = FixedType::get(b.si(8), scale, i % 7 - 3);
    std::string text;
    llvm::raw_string_ostream os(text);
    os << Type(type);
    Type parsed = parseType(os.str(), &b.ctx);
    REQUIRE(parsed);
    auto fixed = dyn_cast<FixedType>(parsed);
    REQUIRE(fixed);
    double back = fixed.getScaleValue();
    // Bit-for-bit equality of the double, not a tolerance.
    CHECK(std::memcmp(&back, &scale, sizeof(double)) == 0);
    CHECK(fixed == type);
  }
}

TEST_CASE("invalid fixed-point types are rejected", "[types]") {
  BlendContext b;
  // Signless storage, a zero point outside the range, a non-positive scale.
  for (const char *text : {"!blend.fixed<i8, 0.5>", "!blend.fixed<si8, 0.5, zp = 200>",
                           "!blend.fixed<si8, 0.0>", "!blend.fixed<si8, -1.0>",
                           "!blend.fixed<si1, 1.0>"}) {
    INFO(text);
    b.ctx.getDiagEngine().registerHandler([](Diagnostic &) { return success(); });
    CHECK_FALSE(parseType(text, &b.ctx));
  }
}
