//===- ScheduleFormat.h - schedule.bin, the single definition ---*- C++ -*-===//
//
// The schedule binary carries everything the accelerator needs besides its
// RTL: the hardware parameters it was generated for, the host-side input
// quantizer, the layer descriptors with all weights and per-channel constants,
// and the host-side output dequantizer. This header and ScheduleFormat.cpp are
// its only definition: blendc encodes with them, the host driver in the
// Verilator harness decodes with them (blendc copies both into accel/tb/), and
// docs/schedule-format.md describes the same layout for people.
//
// Layout (all integers little-endian):
//   header   "BLND" | u16 major | u16 minor | u32 record count |
//            u32 payload bytes | u32 CRC-32 (IEEE) of the payload
//   payload  records: u32 kind | u32 bytes | body
// Plain C++17, no dependencies.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_RUNTIME_SCHEDULEFORMAT_H
#define BLEND_RUNTIME_SCHEDULEFORMAT_H

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace blend::schedule {

inline constexpr char kMagic[4] = {'B', 'L', 'N', 'D'};
inline constexpr uint16_t kVersionMajor = 1;
inline constexpr uint16_t kVersionMinor = 9;
inline constexpr size_t kHeaderBytes = 20;

/// Record kinds, in the order they appear.
enum class RecordKind : uint32_t {
  Hardware = 1,      ///< retired: blend_accel's parameters (refused)
  InputQuant = 2,    ///< host quantizer of the model input
  BlendModule = 3,   ///< retired: blend_accel's one layer (refused)
  OutputDequant = 4, ///< host dequantizer of the model output
  Network = 5,       ///< whole-network accelerator parameters (blend_net)
  Step = 6,          ///< one layer step of a network, in execution order
  HostPrologue = 7,  ///< host float steps before the input quantizer (v1.7)
  HostEpilogue = 8,  ///< host float steps after the output dequantizer (v1.7)
};

/// One float operation of the host: a step of the model's pre-processing
/// before the input quantizer (BNN-PYNQ's 2x − 1, FINN's x / 255, a flatten)
/// or of its post-processing after the output dequantizer (TensorNorm's
/// affine map, TopK's argmax). The host applies the steps in order, in
/// float32, exactly as the ONNX graph computes them (applyHostSteps).
struct HostStep {
  enum class Kind : uint32_t {
    Add = 1,       ///< x + c
    Sub = 2,       ///< x − c
    Mul = 3,       ///< x · c
    Div = 4,       ///< x / c
    SubFrom = 5,   ///< c − x
    DivFrom = 6,   ///< c / x
    Min = 7,       ///< min(x, c)
    Max = 8,       ///< max(x, c)
    Reshape = 9,   ///< the same elements in a new shape
    Transpose = 10, ///< dimensions permuted by `perm`
    ArgMax = 11,   ///< index of the first largest element along perm[0]
    Binarize = 12, ///< x >= 0 ? +1 : -1 (a BipolarQuant / sign of the input)
  };
  /// The last kind a reader accepts.
  static constexpr Kind kLastKind = Kind::Binarize;
  Kind kind = Kind::Add;
  /// The shape of the step's result.
  std::vector<int64_t> shape;
  /// Elementwise kinds: one constant for every element, or one per element
  /// of the result (row-major).
  std::vector<float> constant;
  /// Transpose: the permutation; ArgMax: {axis}.
  std::vector<int64_t> perm;
};

/// Applies `steps` to `data` (row-major, of `shape`), updating both.
/// Returns false with `error` set when a step does not fit the data.
bool applyHostSteps(const std::vector<HostStep> &steps,
                    std::vector<float> &data, std::vector<int64_t> &shape,
                    std::string &error);

/// Name of a host step kind as the text dump and the docs spell it.
const char *hostStepName(HostStep::Kind kind);

/// One line for a step in reports and `blendc --check`: "x * 2", "x - c[784
/// values]", "reshape to 1x784", "argmax over axis 1 (the class index)".
std::string describeHostStep(const HostStep &step);

/// q = clamp(rint(x / scale) + zeroPoint, qMin, qMax) on the host.
struct InputQuant {
  double scale = 1.0;
  int64_t zeroPoint = 0, qMin = 0, qMax = 0;
  uint32_t n = 1, c = 0, h = 0, w = 0; ///< model input shape (NCHW)
};

/// Host dequantizer: binary outputs become ±1.0f; int8 outputs
/// float32(q − zp) · float32(scale).
struct OutputDequant {
  uint32_t binary = 1;
  double scale = 1.0;
  int64_t zeroPoint = 0;
  uint32_t n = 1, c = 0, h = 0, w = 0; ///< model output shape (NCHW)
};

/// The CRC-32 (IEEE 802.3, reflected, as zlib) of `size` bytes.
uint32_t crc32(const uint8_t *data, size_t size);

/// One configuration write.
struct CfgWrite {
  uint32_t address;
  uint64_t data;
};

//===----------------------------------------------------------------------===//
// Whole networks (blend_net): a program of layer steps
//===----------------------------------------------------------------------===//

/// Parameters of the generated blend_net RTL and where the input lands.
struct NetworkHardware {
  uint32_t maxChannels = 0; ///< MaxC: channels per activation-memory word
  uint32_t pe = 0;          ///< output channels in parallel (max O, Lanes-aligned)
  uint32_t lanes = 1;       ///< post-processing channels per cycle
  uint32_t fixedChannels = 1; ///< fixed-point input channels per beat (FixCh)
  uint32_t depth = 0;       ///< activation / binary memory pixels
  uint32_t binaryWeightDepth = 0; ///< binary weight rows (pe x 48 bits)
  uint32_t fixedWeightDepth = 0;  ///< fixed-point weight rows (pe x FixCh bytes)
  uint32_t constantDepth = 0;     ///< per-channel constant entries
  uint32_t maxSteps = 0;   ///< descriptor slots
  uint32_t accBinary = 0;   ///< AccB
  uint32_t accFixed = 0;    ///< AccF
  uint32_t inputBase = 0;   ///< memory address of the input's first pixel
  uint32_t outputRank = 4;  ///< rank of the model output (2: N x C logits)
  /// TrP: the most pixels a transpose step reads (0: no transposer).
  uint32_t transposePixels = 0;
  /// 1: some layer runs in output-channel tiles of Pe channels (steps with
  /// OutOffset > 0 write part of each pixel word: masked writes).
  uint32_t tiled = 0;
  /// Folds: lane groups a step narrower than Pe may split its reduction over
  /// (1, 2 or 4; the groups' accumulators are summed after the engines).
  uint32_t folds = 1;
  /// FixCopies: activation-memory copies of channels 0..FixCh-1, read at the
  /// next pixels of a kernel row (row-split skip steps).
  uint32_t fixedCopies = 0;
  /// MFolds: lane groups of the binary path (1 or 2; with 2, copies of the
  /// binary memory feed group 1 the next kernel row or tap).
  uint32_t mainFolds = 1;
  /// PackBits: the widest slot of a packed kernel row (16, 32 or 64), the
  /// width of the binary memory's tap copies.
  uint32_t packBits = 16;
  /// DescBanks: descriptor RAM banks (1 or 8): a step's fields are fetched
  /// this many per cycle (v1.3 schedules: 1).
  uint32_t descBanks = 1;
  /// Pairs: 1 when the core has the pixel-pair skip mode (SkipPair steps:
  /// four products per DSP, two output pixels per beat; the activation memory
  /// in two banks by address parity). v1.4 schedules: 0.
  uint32_t pairs = 0;
  /// Stripes: 1 when the core runs row stripes (spatial tiling): per-path
  /// input row offsets (m_row_off, s_row_off) and load steps that take an
  /// input stripe from the stream mid-schedule. v1.5 schedules: 0.
  uint32_t stripes = 0;
  /// PoolC: the most channels a pool step reads (the pooler's width: it max
  /// pools a stored tensor, descriptor field 48); 0: no pooler. v1.7
  /// schedules: 0.
  uint32_t poolChannels = 0;
  /// ByteC: the channels of a word the activation memory stores as bytes —
  /// the widest tensor a step reads as int8 (a skip path, the transposer, an
  /// int8 pool), a multiple of FixCh; the rest read zero. A binary network
  /// whose only int8 tensor is its image stores a few bytes per pixel, not
  /// MaxC. v1.8 schedules: MaxC.
  uint32_t byteChannels = 0;
};

/// The descriptor fields of a step, in the order of blend_net's descriptor RAM
/// (cfg region 4, address step * 64 + field).
enum class StepField : uint32_t {
  MainEnable = 0, SkipEnable, OutBinary, Stream, O, OH, OW,
  MainC, MainWords, MainH, MainW, MainK, MainStride, MainPad, MainSrc,
  MainWeightBase,
  SkipC, SkipH, SkipW, SkipKH, SkipKW, SkipStride, SkipPad, SkipSrc,
  SkipWeightBase, SkipShared, SkipZeroPoint,
  ConstBase, Rounding, JoinMin, JoinMax, OutZeroPoint, OutMin, OutMax, Dst,
  MainPack, SkipCGroups, Transpose, OutOffset, SkipFold, SkipRowSplit,
  MainFold, SkipPair,
  // v1.6, row stripes (spatial tiling): the main and skip paths' first input
  // row relative to their source tensor's stored rows, a load step (Load =
  // kLoadStream: OH x OW pixels from the input stream to Dst; kLoadCopy: OH x
  // OW pixels moved from SkipSrc up to Dst, the rows a stripe keeps for the
  // next stripe's kernel windows), and two host-only fields the
  // hardware never reads: the first row of the layer's output (or, for a
  // load, of the image) the step computes, and the layer's full height
  // (0: the step computes the whole tensor).
  MainRowOffset, SkipRowOffset, Load, RowBegin, FullHeight,
  // v1.8, pool steps: kPoolBinary or kPoolBytes — a max pool of the C =
  // SkipC channel tensor at SkipSrc (SkipH x SkipW pixels)
  // over SkipKH x SkipKW windows at SkipStride, written as OH x OW pixels
  // from Dst; no paths, constants or weights.
  Pool,
  Count
};

/// Values of StepField::Pool: what the pooled tensor holds (the pooler
/// computes both words of every pixel, bits by OR and bytes by a signed max;
/// this says which the taps show).
inline constexpr int64_t kPoolBinary = 1; ///< +-1 bits: max = OR
inline constexpr int64_t kPoolBytes = 2;  ///< signed bytes

/// Values of StepField::Load.
inline constexpr int64_t kLoadStream = 1; ///< input rows from the stream
inline constexpr int64_t kLoadCopy = 2;   ///< kept rows moved in memory

/// Descriptor fields of a v1.4 step record (before SkipPair).
inline constexpr uint32_t kStepFieldsV14 = uint32_t(StepField::SkipPair);
/// Descriptor fields of a v1.5 step record (before the stripe fields).
inline constexpr uint32_t kStepFieldsV15 = uint32_t(StepField::MainRowOffset);
/// Descriptor fields of a v1.7 step record (before Pool).
inline constexpr uint32_t kStepFieldsV17 = uint32_t(StepField::Pool);
/// Descriptor fields a core's descriptor RAM holds (the field numbers below
/// this); the host-only RowBegin and FullHeight are never written to it.
uint32_t hardwareFields(const NetworkHardware &h);

/// Name of a descriptor field as the text dump and the docs spell it.
const char *stepFieldName(StepField field);

/// One of blend_net's parameters: its text-dump name and its member.
struct HardwareParameter {
  const char *name;
  uint32_t NetworkHardware::*member;
};
/// Every parameter of NetworkHardware, in the Network record's order.
inline constexpr size_t kHardwareParameterCount = 24;
const std::array<HardwareParameter, kHardwareParameterCount> &
hardwareParameters();

/// One layer step: the main (binary) and/or skip (fixed-point) convolution of
/// one output tensor, their join and output stage (docs/hardware.md).
struct Step {
  std::array<int64_t, size_t(StepField::Count)> fields{};
  int64_t &operator[](StepField f) { return fields[size_t(f)]; }
  int64_t operator[](StepField f) const { return fields[size_t(f)]; }

  /// Per-channel constants, o entries each (constant RAM entries ConstBase +).
  std::vector<int64_t> mainMultiplier, mainShift, mainBias;
  std::vector<int64_t> skipMultiplier, skipShift, skipBias;
  std::vector<int64_t> outMultiplier, outShift, outBias;
  /// Binary weights, (MainFold·o) x rows of 48 bits: k·k taps x words, bit b
  /// of word i = channel 48i+b; packed (MainPack = slot bits S): k kernel rows
  /// x S/16 words, bit S·kx + c of the row's bit stream.
  std::vector<uint64_t> binaryWeights;
  /// Fixed-point weights, (SkipFold·o) x rows x FixCh: lane g·o + oc is
  /// output channel oc's share in lane group g (loaded at hardware lane
  /// g·Pe/SkipFold + oc). A row is one beat of an output pixel: unfolded,
  /// (kh·kw taps x channel groups), channel = group·FixCh + f; channel split,
  /// (taps x ceil(groups/F)), group g of beat b takes channel group b·F + g;
  /// row split (SkipRowSplit), kh·ceil(kw/F) rows, group g of beat c of
  /// kernel row ky takes tap kx = c·F + g. Shared
  /// weights have one tap. Channels past C and groups past the end are 0.
  std::vector<int8_t> fixedWeights;
  /// The IR op whose result this step produces and its location, as the
  /// golden executor's --trace index prints them (co-simulation taps).
  std::string op, location;
  /// How the traced value's elements map to the step's (pixel, channel)
  /// order: false — channel-major (NCHW, or a rank-3 [1, C, P] tensor),
  /// true — pixel-major (a rank-3 [1, P, C] tensor). Host-only.
  bool channelLast = false;
};

/// A whole-network schedule.
struct Network {
  NetworkHardware hardware;
  InputQuant input;
  std::vector<Step> steps;
  OutputDequant output;
  /// Host steps from the raw model input (of shape `prologueShape`, batch
  /// dimension 1 included) to the tensor the input quantizer reads (the
  /// input record's shape), and from the dequantized output to the model
  /// output (v1.7; empty: none).
  std::vector<int64_t> prologueShape;
  std::vector<HostStep> prologue, epilogue;
};

/// The row stripes a striped network runs in (0: none): the stripes of
/// its cut tensor, the last striped layer, which every stripe computes.
int64_t rowStripeCount(const Network &n);

/// The image rows the host streams, in order: all of them once, or (a core
/// running row stripes) each load step's rows [RowBegin, RowBegin + OH).
std::vector<int64_t> inputRowOrder(const Network &network);

std::vector<uint8_t> encode(const Network &network);
/// Reads the records of `bytes` into `network` (each record's own lengths
/// checked), then validates it; false with `error` set on the first problem.
bool decode(const std::vector<uint8_t> &bytes, Network &network,
            std::string &error);
/// Whether `network` is one blend_net can run: hardware parameters it
/// supports, every step within the memories and modes the core has.
bool validate(const Network &network, std::string &error);
std::string toText(const Network &network);

/// blend_net's cfg regions (cfg_addr[23:20]).
enum class NetRegion : uint32_t {
  Global = 0,        ///< 0 steps, 1 input pixels, 2 input base
  BinaryStage = 1,   ///< lane: 48-bit word of the binary weight staging row
  FixedStage = 2,    ///< lane: FixCh bytes of the fixed-point staging row
  Constants = 3,     ///< entry * 16 + field (0..8, see blend_netpost)
  Descriptors = 4,   ///< step * 64 + field
  BinaryCommit = 5,  ///< row: store the binary staging row
  FixedCommit = 6,   ///< row: store the fixed-point staging row
};

/// Whether the two taps of every pixel pair of step `step` (raster order:
/// n, n + 1) lie at addresses of odd distance, i.e. in different activation
/// banks: stride s within a row, s·(W − OW + 1) across a row end (which only
/// a pair of an odd-width output wraps), so s must be odd, and W − OW + 1
/// odd when OW is odd.
bool pairTapsInOtherBank(const Step &step);

/// Whether step `step` moves data only — a transpose, load, copy or pool
/// step: no paths, no per-channel constants, no weights.
bool movesDataOnly(const Step &step);

/// Weight rows of a step (per output channel).
size_t binaryWeightRows(const Step &step);
size_t fixedWeightRows(const Step &step);
/// Lane groups the binary (MainFold) or fixed-point (SkipFold) path of a
/// step is folded over; an unset field counts as 1.
size_t laneGroups(const Step &step, bool binary);
/// Weight lanes of a step's binary or fixed-point array: o times its lane
/// groups.
size_t weightLanes(const Step &step, bool binary);

std::vector<CfgWrite> configWrites(const Network &network);

} // namespace blend::schedule

#endif // BLEND_RUNTIME_SCHEDULEFORMAT_H
