//===- CostModel.cpp - cycles and resources of the generated cores --------===//
//
// The cycle model of blend_net (docs/hardware.md): per layer step, the
// descriptor fetch, the first output pixel, then the slowest of the two
// controllers and the post-processing unit per pixel, then the pipeline
// drain. It is exact against Verilator on every co-simulated model
// (test/python), and the resource model is checked against yosys synthesis
// (bench/results/synthesis_vs_estimate.md).
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/CostModel/CostModel.h"

#include <algorithm>
#include <cmath>

using namespace blend;
using namespace blend::schedule;

/// DSP48E2 blocks for an a x b signed multiply (27 x 18 signed per block).
static uint32_t multiplierDsps(uint32_t a, uint32_t b) {
  return ((a + 24) / 26) * ((b + 15) / 17);
}

/// The same as yosys maps blend_requant's v x multiplier: it does not pick
/// the cheaper orientation (a 21 x 32 product takes 4 blocks, not 2 — the
/// 4-bit BlendNet-20 core), so the dearer of the two.
static uint32_t requantDsps(uint32_t inWidth) {
  return std::max(multiplierDsps(inWidth, 32), multiplierDsps(32, inWidth));
}

/// RAMB36 blocks for a depth x width memory: the cheapest of the RAMB36
/// aspect ratios 32K x 1 ... 512 x 72.
static uint32_t ramb36For(uint32_t depth, uint32_t width) {
  static const uint32_t kConfigs[][2] = {{32768, 1}, {16384, 2}, {8192, 4},
                                         {4096, 9},  {2048, 18}, {1024, 36},
                                         {512, 72}};
  uint32_t best = UINT32_MAX;
  for (const auto &config : kConfigs)
    best = std::min(best, ((depth + config[0] - 1) / config[0]) *
                              ((width + config[1] - 1) / config[1]));
  return best;
}

/// RAMB18 halves for a depth x width memory: whole RAMB36s (2 halves) or
/// RAMB18s (1), whichever aspect ratio costs least (yosys uses both).
static uint32_t ramb18HalvesFor(uint32_t depth, uint32_t width) {
  static const uint32_t kRamb18[][2] = {{16384, 1}, {8192, 2}, {4096, 4},
                                        {2048, 9},  {1024, 18}, {512, 36}};
  uint32_t best = 2 * ramb36For(depth, width);
  for (const auto &config : kRamb18)
    best = std::min(best, ((depth + config[0] - 1) / config[0]) *
                              ((width + config[1] - 1) / config[1]));
  return best;
}

/// RAMB18 halves for a depth x (8·bytes) memory with byte write enables: a
/// byte takes a 9-bit slot, so a 72-bit RAMB36 row holds 64 data bits (8
/// enables) and a 36-bit RAMB18 row 32 (measured with yosys synth_xilinx:
/// 1,088 x 2,048 bits -> 96 RAMB36, 1,088 x 288 -> 27 RAMB18).
static uint32_t ramb18HalvesForBytes(uint32_t depth, uint32_t bytes) {
  static const uint32_t kRamb36[][2] = {{512, 64}, {1024, 32}, {2048, 16},
                                        {4096, 8}};
  static const uint32_t kRamb18[][2] = {{512, 32}, {1024, 16}, {2048, 8}};
  uint32_t width = 8 * bytes, best = UINT32_MAX;
  for (const auto &config : kRamb36)
    best = std::min(best, 2 * ((depth + config[0] - 1) / config[0]) *
                              ((width + config[1] - 1) / config[1]));
  for (const auto &config : kRamb18)
    best = std::min(best, ((depth + config[0] - 1) / config[0]) *
                              ((width + config[1] - 1) / config[1]));
  return best;
}


//===----------------------------------------------------------------------===//
// Whole networks
//===----------------------------------------------------------------------===//

/// blend_net's per-step overheads: reading the 42 descriptor fields (DescBanks
/// per cycle, plus the RAM latency: 42 cycles with one bank, 6 with eight),
/// and the pipeline from a pixel's last beat to
/// its last committed value (controller register, memory read, engine 4,
/// handoff, post-processing S0-S3).
static uint64_t fetchCycles(const NetworkHardware &hw) {
  uint64_t banks = std::max<uint32_t>(hw.descBanks, 1);
  uint64_t fields = hardwareFields(hw); // s_pair, the stripe fields only in
                                        // cores that have them
  return (fields + banks - 1) / banks;
}
static constexpr uint64_t kPassDrainCycles = 10;

StepCost blend::estimateStepCost(const Step &p, const NetworkHardware &hw) {
  using F = StepField;
  StepCost cost;
  uint64_t pixels = uint64_t(p[F::OH] * p[F::OW]);
  uint64_t o = uint64_t(p[F::O]);
  if (p[F::Load] == kLoadCopy) {
    // A copy step (row stripes keeping rows): the copier starts the cycle
    // after the step does, reads one pixel per cycle and writes each the
    // cycle after; the step ends with the last write.
    cost.bound = "copy";
    cost.cycles = fetchCycles(hw) + 3 + pixels;
    return cost;
  }
  if (p[F::Load]) {
    // A load step (row stripes): one input pixel per cycle while the host
    // streams without a gap; the step ends with its last pixel's write, one
    // cycle after the fetch's last descriptor row arrives.
    cost.bound = "input stream";
    cost.cycles = fetchCycles(hw) + 1 + pixels;
    return cost;
  }
  if (p[F::Pool]) {
    // One window tap read per cycle; a window's result is written and shown
    // on the tap port in TB = ceil(C / 4·Lanes) beats, and the next window's
    // last read waits for them: windows every max(K, TB) cycles, the first
    // ending K + TB + 1 cycles after the start (blend_net_pool).
    uint64_t k = uint64_t(p[F::SkipKH] * p[F::SkipKW]);
    cost.postPerPixel = (o + 4 * hw.lanes - 1) / (4 * hw.lanes);
    cost.bound = k >= cost.postPerPixel ? "pool windows" : "pool taps";
    cost.cycles = fetchCycles(hw) + 3 + k + cost.postPerPixel +
                  (pixels - 1) * std::max(k, cost.postPerPixel);
    return cost;
  }
  if (p[F::Transpose]) {
    // Per block of Lanes output pixels: read the O source pixels, one cycle
    // to capture the last, then each output pixel's row is written while the
    // tap port shows it, 4·Lanes values per cycle.
    uint64_t blocks = (pixels + hw.lanes - 1) / hw.lanes;
    cost.postPerPixel = (o + 4 * hw.lanes - 1) / (4 * hw.lanes);
    cost.bound = "transpose";
    cost.cycles =
        fetchCycles(hw) + 2 + blocks * (o + 1) + pixels * cost.postPerPixel;
    return cost;
  }
  if (p[F::MainEnable]) {
    // One beat per weight row: packed kernel rows, or (tap, word) pairs.
    cost.binaryBeatsPerPixel = binaryWeightRows(p);
    cost.binaryMacs = pixels * o * uint64_t(p[F::MainK] * p[F::MainK] * p[F::MainC]);
  }
  if (p[F::SkipEnable]) {
    // One beat per weight row (shared weights: the rows repeat per tap):
    // taps x channel groups, divided among the folded lane groups.
    cost.fixedBeatsPerPixel =
        fixedWeightRows(p) *
        uint64_t(p[F::SkipShared] ? p[F::SkipKH] * p[F::SkipKW] : 1);
    cost.fixedMacs =
        pixels * o * uint64_t(p[F::SkipKH] * p[F::SkipKW] * p[F::SkipC]);
  }
  cost.postPerPixel = (o + hw.lanes - 1) / hw.lanes;
  if (p[F::SkipPair]) {
    // Pixel pairs: B beats give pixels n, n + 1 (raster order; an odd pixel
    // count ends with a lone pixel). Post-processing accepts a pixel every
    // R = max(binary beats, O / Lanes) cycles, so a pair takes max(B, 2R);
    // the last pair's second pixel is accepted R after its first.
    uint64_t beats = cost.fixedBeatsPerPixel;
    uint64_t rate = std::max(cost.binaryBeatsPerPixel, cost.postPerPixel);
    uint64_t pairUnit = std::max(beats, 2 * rate);
    bool lastLone = pixels % 2 != 0;
    uint64_t units = pixels / 2 * pairUnit - (lastLone ? 0 : pairUnit);
    uint64_t first = std::max(cost.binaryBeatsPerPixel, beats);
    cost.bound = beats > 2 * rate ? "fixed"
                 : rate == cost.binaryBeatsPerPixel ? "binary"
                                                    : "post-processing";
    cost.cycles = fetchCycles(hw) + first + units + (lastLone ? 0 : rate) +
                  cost.postPerPixel + kPassDrainCycles;
    return cost;
  }
  uint64_t first = std::max(cost.binaryBeatsPerPixel, cost.fixedBeatsPerPixel);
  uint64_t perPixel = std::max({first, cost.postPerPixel});
  cost.bound = perPixel == cost.binaryBeatsPerPixel ? "binary"
               : perPixel == cost.fixedBeatsPerPixel ? "fixed"
                                                     : "post-processing";
  cost.cycles = fetchCycles(hw) + first + (pixels - 1) * perPixel +
                cost.postPerPixel + kPassDrainCycles;
  return cost;
}

uint64_t blend::estimateLoadCycles(const Network &net) {
  // A striped core takes its input in load steps (counted with the steps).
  if (net.hardware.stripes)
    return 0;
  return uint64_t(net.input.h) * net.input.w;
}

uint64_t blend::estimateCycles(const Network &net) {
  uint64_t total = estimateLoadCycles(net);
  for (const Step &p : net.steps)
    total += estimateStepCost(p, net.hardware).cycles;
  return total;
}

/// What the sum of the templates misses for the whole core (its own control,
/// minus what flattening optimizes away across the units, which grows with
/// the lanes): synthesized total minus the sum, as a + b·Pe through two
/// calibration cores — BlendNet-20 (Pe 64: −1,955 LUT, −479 FF) and the
/// bundled module (Pe 16: +208 LUT, +703 FF); the Fashion-MNIST, BlendMixer
/// and 64×64 cores are held out (bench/results/synthesis_vs_estimate.md).
/// Outside the calibrated widths the nearer end holds (Pe clamped to 16..64).
static constexpr double kNetGlueLut = 929.0, kNetGlueLutPerPe = -45.0625;
static constexpr double kNetGlueFf = 1097.0, kNetGlueFfPerPe = -24.625;

namespace {

/// One unit's share of a blend_net estimate while it is summed: LUT and FF
/// fractional, memories in RAMB18 halves, LUT RAM in bits.
struct Unit {
  const char *name;
  uint32_t dsp = 0, halves = 0;
  double lut = 0, ff = 0, lutramBits = 0;
};

/// The units of one blend_net core, each term added by the method that
/// counts it (docs/hardware.md, "Resources"). The order of the terms is the
/// order estimateResources calls them in.
class NetworkUnits {
public:
  explicit NetworkUnits(const NetworkHardware &hw) : hw(hw) {}

  void countDsps();
  void countActivationMemories();
  void countWeightsAndConstants();
  void countTemplates();
  void countTransposer();
  void countPooler();
  void countFoldedSkipPaths();
  void countPixelPairs();
  void countRowStripes();
  void countPackedRows();
  void countFoldedBinaryPaths();
  void countTiles();
  void moveXnorsToLuts();
  ResourceEstimate total();

private:
  /// A depth x width memory in `copies`: block RAM beyond 64 words, else
  /// LUT RAM.
  static void memory(Unit &u, uint32_t depth, uint32_t width,
                     uint32_t copies) {
    if (depth <= 64)
      u.lutramBits += double(depth) * width * copies;
    else
      u.halves += ramb18HalvesFor(depth, width) * copies;
  }
  /// A block RAM deeper than one bank (512 words for the wide aspect
  /// ratios, 2,048 for the 16-bit copies) reads through a bank multiplexer:
  /// about ⌈(banks − 1) / 3⌉ LUTs per bit (yosys: 1,088 x 2,048 bits ->
  /// 2,048 LUT5).
  void bankMux(uint32_t depth, uint32_t width, uint32_t bankDepth,
               uint32_t copies) {
    if (depth <= 64)
      return;
    uint32_t banks = (depth + bankDepth - 1) / bankDepth;
    memories.lut += double(width) * copies * ((banks + 1) / 3);
  }
  static uint32_t copyBankDepth(uint32_t width) {
    return width <= 18 ? 2048u : width <= 36 ? 1024u : 512u;
  }
  uint32_t words() const { return (hw.maxChannels + 47) / 48; }
  /// ByteC: the channels the activation memory stores as bytes (a v1.8
  /// network without the field: all of them). The bytes above read as
  /// constant zero, so the logic on them (write data, byte enables, the
  /// channel-group selects) is not built.
  uint32_t bytes() const {
    return hw.byteChannels ? hw.byteChannels : hw.maxChannels;
  }
  /// Tap copies of the binary memory for lane group 1: at most 32 bits.
  uint32_t pack1() const { return std::min<uint32_t>(hw.packBits, 32); }

  const NetworkHardware &hw;
  Unit binary{"binary engine"}, fixed{"fixed-point engine"},
      post{"post-processing"}, memories{"activation memories"},
      transposer{"transposer"}, pooler{"pooler"}, control{"control"};
};

} // namespace

void NetworkUnits::countDsps() {
  // Binary XNOR lanes, FixCh INT8-packed multiplier banks, and the three
  // requants of every post-processing lane.
  binary.dsp = hw.pe;
  fixed.dsp = (hw.pe + 1) / 2 * hw.fixedChannels;
  post.dsp = hw.lanes * (requantDsps(hw.accBinary) + requantDsps(hw.accFixed) +
                         requantDsps(32));
  // blend_net's address products: 12 of 16 x 16 bits (controllers, pixel
  // count, the group offset of the post-processing).
  control.dsp = 12 + (hw.mainFolds > 1 ? 1 : 0) // + group 1's row address
                + (hw.pairs ? 1 : 0); // + a wrapped pixel pair's tap distance
}

void NetworkUnits::countActivationMemories() {
  // Pixel pairs: the activation memory as two banks of half the depth.
  uint32_t actBanks = hw.pairs ? 2 : 1;
  uint32_t actDepth = (hw.depth + actBanks - 1) / actBanks;
  bankMux(actDepth, 8 * bytes(), 512, actBanks);
  bankMux(hw.depth, 48 * words(), 512, 1);
  // Tap copies of the binary memory: PackBits wide (group 1's: at most 32).
  bankMux(hw.depth, hw.packBits, copyBankDepth(hw.packBits), 2);
  bankMux(hw.depth, 8 * hw.fixedChannels, 1024, hw.fixedCopies);
  if (hw.mainFolds > 1) { // binary lane group 1's copies
    bankMux(hw.depth, 48, 512, 1);
    bankMux(hw.depth, pack1(), copyBankDepth(pack1()), 2);
  }
  if (hw.tiled && hw.depth > 64) {
    // Output-channel tiles: byte-enable memories (blend_ram_be), about 3 LUTs
    // of write-enable logic per byte lane (yosys: 768 for 256 lanes).
    uint32_t &h = memories.halves;
    h += actBanks * ramb18HalvesForBytes(actDepth, bytes());
    h += ramb18HalvesForBytes(hw.depth, 6 * words());
    h += 2 * ramb18HalvesForBytes(hw.depth, hw.packBits / 8);
    h += hw.fixedCopies * ramb18HalvesForBytes(hw.depth, hw.fixedChannels);
    if (hw.mainFolds > 1)
      h += ramb18HalvesForBytes(hw.depth, 6) +
           2 * ramb18HalvesForBytes(hw.depth, pack1() / 8);
    memories.lut += 3.0 * (bytes() + 6 * words() + 4);
    return;
  }
  memory(memories, actDepth, 8 * bytes(), actBanks);
  memory(memories, hw.depth, 48 * words(), 1);
  memory(memories, hw.depth, hw.packBits, 2); // packed-row tap copies
  memory(memories, hw.depth, 8 * hw.fixedChannels,
         hw.fixedCopies); // row-split taps
  if (hw.mainFolds > 1) { // binary lane group 1: its kx = 0, 1, 2 taps
    memory(memories, hw.depth, 48, 1);
    memory(memories, hw.depth, pack1(), 2);
  }
}

void NetworkUnits::countWeightsAndConstants() {
  // The weight RAMs are block RAM at any depth (blend_ram Block = 1).
  binary.halves += ramb18HalvesFor(hw.binaryWeightDepth, 48 * hw.pe);
  fixed.halves +=
      ramb18HalvesFor(hw.fixedWeightDepth, 8 * hw.fixedChannels * hw.pe);
  for (uint32_t width : {32u, 6u, 64u, 32u, 6u, 64u, 32u, 6u, 64u})
    memory(post, (hw.constantDepth + hw.lanes - 1) / hw.lanes, width,
           hw.lanes);
  uint32_t banks = std::max<uint32_t>(hw.descBanks, 1);
  memory(control, hw.maxSteps * 64 / banks, 32, banks); // descriptor banks
}

void NetworkUnits::countTemplates() {
  // Fabric logic as the sum of the templates blend_net instantiates, each
  // measured alone with yosys synth_xilinx (bench/synthesis_vs_estimate.py
  // --components): per-lane slopes of the binary engine, the fixed engine's
  // channel banks and the post-processing lanes (three requants each), plus
  // the registers the RTL declares, plus the core's own control (kNetGlue*,
  // calibrated on BlendNet-20 and the bundled module: the controllers, fetch
  // and loader net of what flattening saves across units, so it can be
  // negative on wide cores).
  double pe = hw.pe, lanes = hw.lanes, fix = hw.fixedChannels;
  uint32_t words48 = 48 * words();
  double gluePe = std::clamp(pe, 16.0, 64.0);
  control.lut += kNetGlueLut + kNetGlueLutPerPe * gluePe;
  control.ff += kNetGlueFf + kNetGlueFfPerPe * gluePe;
  binary.lut += 297.0 + 169.0 * pe;             // blend_binary_engine
  binary.ff += 109.0 + 28.0 * pe + pe * 48.0;   // pipeline, staging row
  fixed.lut += 61.0 * pe * fix;                 // blend_fixed_engine banks
  fixed.ff += 2.0 * pe * hw.accFixed + pe * fix * 8.0; // accumulators, staging
  post.lut += 84.0 + 73.0 * pe + 3040.0 * lanes; // blend_netpost
  post.ff += 92.0 + 509.0 * lanes + pe * (hw.accBinary + hw.accFixed) +
             8.0 * bytes() + words48;
}

void NetworkUnits::countTransposer() {
  if (!hw.transposePixels)
    return;
  // The transposer: Lanes assembly rows of TrP bytes + bits (their capture
  // enables and the row select: 1.046 LUT per assembled bit), the group
  // select of the word read (ceil(MaxC / Lanes) groups), the tap-beat
  // select (4·Lanes bytes of a row), and a third source on the memories'
  // write data (1.37 LUT per activation-word bit). The two per-bit slopes
  // are fitted to yosys on the two BlendMixer cores (Lanes 4 and 8;
  // bench/results/synthesis_vs_estimate.md), the rest counted.
  double trP = hw.transposePixels, lanes = hw.lanes;
  double groups = std::ceil(double(hw.maxChannels) / lanes);
  double beats = std::ceil(trP / (4.0 * lanes));
  transposer.lut += 200.0 + trP                  // control, byte enables
                    + 9.0 * lanes * groups / 3.0 // group select
                    + 1.046 * 9.0 * trP * lanes  // capture enables, row select
                    + 32.0 * lanes * beats / 3.0 // tap-beat select
                    + 1.37 * 8.0 * bytes(); // write-data select
  transposer.ff += 9.0 * lanes * trP + 100.0;
}

void NetworkUnits::countPooler() {
  if (!hw.poolChannels)
    return;
  // The pooler (blend_net_pool, PoolC channels wide): a byte comparator and
  // select per channel with the address counters, 376 + 20.3 LUT per channel,
  // and the tap-beat select (a quarter LUT per selected bit) — fitted to
  // yosys synth_xilinx on the unit alone at PoolC 32 / Lanes 4, 64 / 8 and
  // 128 / 8 (LUT 1,058, 1,739 and 3,165; docs/hardware.md, "Targets and
  // the resource estimate") — and, counted, one more source on the
  // memories' write data and read address. Flip-flops: the running max and
  // the output register of both words, and the counters (exact on the three
  // fits).
  double words48 = 48.0 * ((hw.poolChannels + 47) / 48);
  double bits = 8.0 * hw.poolChannels + words48;
  double beats = std::ceil(double(hw.poolChannels) / (4.0 * hw.lanes));
  pooler.lut += 376.0 + 20.3 * hw.poolChannels +
                0.25 * 32.0 * hw.lanes * (beats - 1.0) + bits;
  pooler.ff += 2.0 * bits + 150.0;
}

void NetworkUnits::countFoldedSkipPaths() {
  if (hw.folds <= 1)
    return;
  // Folded skip paths (counted, not fitted): per extra lane group a
  // channel-group select of the word read (a CGroups:1 multiplexer, about
  // a third of a LUT per input) and its zero-point subtraction; the
  // hardware-group select; the fold adders (Pe/2 + Pe/4 of AccF bits at
  // Folds 4); row-split tap validity and copy addresses.
  double f = hw.folds, pe = hw.pe, fix = hw.fixedChannels;
  double cgroups = double(bytes()) / fix;
  fixed.lut += (f - 1.0) * (8.0 * fix * std::ceil(cgroups / 3.0) + 9.0 * fix) +
               f * 9.0 * fix + (f >= 4 ? 0.75 : 0.5) * pe * hw.accFixed +
               150.0;
  fixed.ff += f * 2.0;
}

void NetworkUnits::countPixelPairs() {
  if (!hw.pairs)
    return;
  // Pixel pairs. The engine's pair logic per lane — the second
  // accumulator and result register (2·AccF FF, exact), its adder tree,
  // the output and product-field selects, the B-port adders — fitted to
  // yosys synth_xilinx on blend_fixed_engine with and without Pairs
  // (Pe 16 x FixCh 4 x AccF 22: +1,528 LUT; Pe 32 x FixCh 2 x AccF 28:
  // +3,127): 7.7 LUT per lane and channel bank + 2.94 per accumulator bit.
  // Counted: the second pixel's channel-group select and zero-point
  // subtraction, its tap validity and address, and the banks' read
  // steering (two MaxC-byte selects).
  double pe = hw.pe, fix = hw.fixedChannels;
  double cgroups = double(bytes()) / fix;
  fixed.ff += 2.0 * pe * hw.accFixed + 4.0;
  fixed.lut += pe * (7.7 * fix + 2.94 * hw.accFixed) +
               8.0 * fix * std::ceil(cgroups / 3.0) + 9.0 * fix + 150.0;
  memories.lut += 2.0 * 8.0 * bytes();
}

void NetworkUnits::countRowStripes() {
  if (!hw.stripes)
    return;
  // Row stripes (counted, not fitted): the row-offset adds of the three
  // tap rows (2 paths, group 1), the load step's column and row counters
  // and last-pixel compare, the load address select; registers: the
  // offsets' and the load flag's descriptor bits and the two counters.
  control.lut += 3.0 * 18.0 + 2.0 * 16.0 * 2.0 + 32.0 + 20.0;
  control.ff += 2.0 * 16.0 + 1.0 + 2.0 * 16.0;
  // The copier (copy steps): one more write-data input for every bit of
  // the activation and binary words and for the two read addresses, two
  // 32-bit counters, address adders and last-pixel compares.
  double wordBits = 8.0 * bytes() + 48.0 * words();
  memories.lut += wordBits + 2.0 * 16.0;
  control.lut += 2.0 * 32.0 + 2.0 * 32.0 + 2.0 * 22.0;
  control.ff += 2.0 * 32.0 + 2.0;
}

void NetworkUnits::countPackedRows() {
  // Packed rows of 32- or 64-bit slots (counted): per lane group, the word
  // of the row (three slot widths x up to four words) for the data and for
  // the mask, about 4 LUT per bit each.
  if (hw.packBits > 16)
    binary.lut += 2.0 * 4.0 * 48.0 * hw.mainFolds;
}

void NetworkUnits::countFoldedBinaryPaths() {
  if (hw.mainFolds <= 1)
    return;
  // A folded binary path (counted, not fitted): group 1's tap position,
  // validity and mask (about 300 LUT), its word select (48), the hardware
  // groups' word and mask selects (2 x 48), a second mask popcount (60),
  // and the fold adders (Pe/2 of AccB bits).
  binary.lut += 300.0 + 48.0 + 96.0 + 60.0 + 0.5 * double(hw.pe) * hw.accBinary;
  binary.ff += 48.0 + 7.0;
}

void NetworkUnits::countTiles() {
  // Output-channel tiles: byte enables from the tile's channel range (two
  // comparisons per activation byte and per binary-memory byte).
  if (hw.tiled)
    memories.lut += 6.0 * (bytes() + 48 * words() / 8);
}

void NetworkUnits::moveXnorsToLuts() {
  // Measured: 44 LUT and 99 FF more per binary lane, its DSP gone.
  binary.dsp -= hw.pe;
  binary.lut += 44.0 * hw.pe;
  binary.ff += 99.0 * hw.pe;
}

ResourceEstimate NetworkUnits::total() {
  ResourceEstimate r;
  // LUT RAM: 3.03 LUT and 1.58 FF per 64 bits (fitted on the whole core).
  double lut = 0, ff = 0;
  uint32_t halves = 0;
  for (Unit *u :
       {&binary, &fixed, &post, &memories, &transposer, &pooler, &control}) {
    u->lut += 3.03 * u->lutramBits / 64.0;
    u->ff += 1.58 * u->lutramBits / 64.0;
    lut += u->lut, ff += u->ff, halves += u->halves;
    if ((u == &transposer && !hw.transposePixels) ||
        (u == &pooler && !hw.poolChannels))
      continue;
    r.units.push_back({u->name, u->dsp, u->halves, int64_t(std::lround(u->lut)),
                       int64_t(std::lround(u->ff))});
  }
  r.dspEngines = binary.dsp + fixed.dsp;
  r.dspRequant = post.dsp;
  r.dspControl = control.dsp;
  r.bram36 = (halves + 1) / 2;
  r.lut = uint32_t(lut + 0.5);
  r.ff = uint32_t(ff + 0.5);
  return r;
}

ResourceEstimate blend::estimateResources(const Network &net, bool lutXnor) {
  NetworkUnits units(net.hardware);
  units.countDsps();
  units.countActivationMemories();
  units.countWeightsAndConstants();
  units.countTemplates();
  units.countTransposer();
  units.countPooler();
  units.countFoldedSkipPaths();
  units.countPixelPairs();
  units.countRowStripes();
  units.countPackedRows();
  units.countFoldedBinaryPaths();
  units.countTiles();
  if (lutXnor)
    units.moveXnorsToLuts();
  return units.total();
}
