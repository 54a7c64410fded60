//===- FuzzNpy.cpp - libFuzzer target: the .npy and IDX readers -----------===//
//
// The input readers of blend-run and blend-sim: the bytes as a .npy file
// (then the finiteness check of the input policy) and, built as fuzz-idx, as
// a decompressed IDX file. A crash, a sanitizer report, an allocation beyond
// the input's size or a slow input is a bug.
//
//===----------------------------------------------------------------------===//

#include "runtime/IdxIO.h"
#include "runtime/NpyIO.h"

#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string error;
#ifdef BLEND_FUZZ_IDX
  blend::IdxArray idx;
  if (blend::parseIdx(std::vector<uint8_t>(data, data + size), "fuzz.idx",
                      idx, error) &&
      idx.data.size() > size)
    __builtin_trap(); // more values than bytes read
#else
  blend::NpyArray array;
  if (blend::parseNpy(std::string(reinterpret_cast<const char *>(data), size),
                      "fuzz.npy", array, error)) {
    if (array.data.size() > size)
      __builtin_trap(); // more values than bytes read
    (void)blend::checkFinite("fuzz.npy", array, error);
  }
#endif
  return 0;
}
