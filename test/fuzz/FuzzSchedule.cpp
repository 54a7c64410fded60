//===- FuzzSchedule.cpp - libFuzzer target: schedule.bin decoding ---------===//
//
// What blend-sim and the host driver do with a schedule file: decode (which
// validates), then everything a decoded network is used for — the text dump,
// the configuration writes, the row-stripe count. A crash, a sanitizer report
// or a slow input is a bug; a refusal is the expected outcome for most.
//
//===----------------------------------------------------------------------===//

#include "runtime/ScheduleFormat.h"

#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  // Most mutants would stop at the header's payload size or CRC-32 (both
  // checked first, and by the unit tests): the target sets both, so the
  // mutations reach the records.
  if (bytes.size() >= blend::schedule::kHeaderBytes) {
    auto put = [&](size_t at, uint32_t v) {
      for (int k = 0; k < 4; ++k)
        bytes[at + k] = uint8_t(v >> (8 * k));
    };
    size_t payload = bytes.size() - blend::schedule::kHeaderBytes;
    put(12, uint32_t(payload));
    put(16, blend::schedule::crc32(bytes.data() + blend::schedule::kHeaderBytes,
                                   payload));
  }
  blend::schedule::Network network;
  std::string error;
  if (!blend::schedule::decode(bytes, network, error))
    return 0;
  (void)blend::schedule::toText(network);
  (void)blend::schedule::configWrites(network);
  (void)blend::schedule::rowStripeCount(network);
  // A decoded network encodes again to a file that decodes to it.
  std::vector<uint8_t> again = blend::schedule::encode(network);
  blend::schedule::Network back;
  if (!blend::schedule::decode(again, back, error))
    __builtin_trap();
  return 0;
}
