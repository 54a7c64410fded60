//===- IdxIO.h - reading (gzipped) IDX files --------------------*- C++ -*-===//
//
// The IDX format of MNIST-style data sets (big-endian header, unsigned bytes),
// optionally gzip-compressed, as Debian's dataset-fashion-mnist ships it.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_RUNTIME_IDXIO_H
#define BLEND_RUNTIME_IDXIO_H

#include <cstdint>
#include <string>
#include <vector>

namespace blend {

/// An unsigned-byte IDX array.
struct IdxArray {
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
};

/// Reads `path` (plain or gzip); on failure returns false with `error` naming
/// the file and the problem.
bool readIdx(const std::string &path, IdxArray &array, std::string &error);

/// Parses the (decompressed) bytes of an IDX file (`path` only names it in
/// errors).
bool parseIdx(const std::vector<uint8_t> &bytes, const std::string &path,
              IdxArray &array, std::string &error);

} // namespace blend

#endif // BLEND_RUNTIME_IDXIO_H
