//===- IdxIO.cpp - reading (gzipped) IDX files ----------------------------===//
//
// zlib's gz* interface reads plain and gzip files alike.
//
//===----------------------------------------------------------------------===//

#include "IdxIO.h"

#include <zlib.h>

using namespace blend;

bool blend::readIdx(const std::string &path, IdxArray &array,
                    std::string &error) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) {
    error = path + ": cannot read";
    return false;
  }
  std::vector<uint8_t> bytes;
  uint8_t buffer[1 << 16];
  int n;
  while ((n = gzread(file, buffer, sizeof(buffer))) > 0)
    bytes.insert(bytes.end(), buffer, buffer + n);
  bool readError = n < 0;
  gzclose(file);
  if (readError) {
    error = path + ": corrupt gzip data";
    return false;
  }
  return parseIdx(bytes, path, array, error);
}

bool blend::parseIdx(const std::vector<uint8_t> &bytes,
                     const std::string &path, IdxArray &array,
                     std::string &error) {
  if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08) {
    error = path + ": not an unsigned-byte IDX file";
    return false;
  }
  unsigned dims = bytes[3];
  size_t offset = 4 + 4 * size_t(dims);
  if (dims == 0 || bytes.size() < offset) {
    error = path + ": truncated IDX header";
    return false;
  }
  array.shape.clear();
  size_t count = 1;
  for (unsigned d = 0; d < dims; ++d) {
    const uint8_t *p = &bytes[4 + 4 * d];
    int64_t size = (int64_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
    array.shape.push_back(size);
    // Never past the file's size: no overflow of the product.
    if (size != 0 && count > bytes.size() / size_t(size)) {
      error = path + ": holds " + std::to_string(bytes.size() - offset) +
              " values, fewer than its header's shape needs";
      return false;
    }
    count *= size_t(size);
  }
  if (bytes.size() - offset != count) {
    error = path + ": holds " + std::to_string(bytes.size() - offset) +
            " values, its header says " + std::to_string(count);
    return false;
  }
  array.data.assign(bytes.begin() + offset, bytes.end());
  return true;
}
