//===- NpyIO.cpp - reading and writing NumPy .npy files -------------------===//
//
// A small, strict implementation of the .npy format (versions 1.0–3.0): the
// header is a Python dict literal with 'descr', 'fortran_order' and 'shape'.
//
//===----------------------------------------------------------------------===//

#include "NpyIO.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

using namespace blend;

namespace {
bool fail(std::string &error, const std::string &path, const std::string &what) {
  error = path + ": " + what;
  return false;
}

/// Value of `key` in the header dict, up to the next top-level ',' or '}'.
std::string headerField(const std::string &header, const std::string &key) {
  size_t at = header.find("'" + key + "'");
  if (at == std::string::npos)
    return {};
  size_t colon = header.find(':', at);
  if (colon == std::string::npos)
    return {};
  size_t begin = header.find_first_not_of(' ', colon + 1);
  if (begin == std::string::npos)
    return {};
  size_t end = header[begin] == '(' ? header.find(')', begin) + 1
                                    : header.find_first_of(",}", begin);
  std::string value = header.substr(begin, end - begin);
  while (!value.empty() && (value.back() == ' '))
    value.pop_back();
  return value;
}

template <typename T> float load(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return float(v);
}
} // namespace

bool blend::readNpy(const std::string &path, NpyArray &array,
                    std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(error, path, "cannot read");
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  return parseNpy(bytes, path, array, error);
}

bool blend::parseNpy(const std::string &bytes, const std::string &path,
                     NpyArray &array, std::string &error) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    return fail(error, path, "not a .npy file (bad magic)");
  unsigned major = uint8_t(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail(error, path, "truncated header");
    headerLen = uint32_t(uint8_t(bytes[8])) | uint32_t(uint8_t(bytes[9])) << 8 |
                uint32_t(uint8_t(bytes[10])) << 16 |
                uint32_t(uint8_t(bytes[11])) << 24;
    offset = 12;
  } else {
    return fail(error, path, "unsupported .npy version " + std::to_string(major));
  }
  if (bytes.size() < offset + headerLen)
    return fail(error, path, "truncated header");
  std::string header = bytes.substr(offset, headerLen);
  std::string descr = headerField(header, "descr");
  if (descr.size() >= 2)
    descr = descr.substr(1, descr.size() - 2); // strip quotes
  if (headerField(header, "fortran_order") != "False")
    return fail(error, path, "Fortran-order arrays are not supported");
  std::string shape = headerField(header, "shape");
  array.shape.clear();
  std::stringstream dims(shape.size() >= 2 ? shape.substr(1, shape.size() - 2)
                                           : std::string());
  std::string item;
  while (std::getline(dims, item, ',')) {
    if (item.find_first_not_of(' ') == std::string::npos)
      continue;
    // A dimension: digits only, at most 12 of them (no sign, no overflow).
    size_t first = item.find_first_not_of(' ');
    size_t last = item.find_last_not_of(' ');
    std::string digits = item.substr(first, last - first + 1);
    if (digits.empty() || digits.size() > 12 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return fail(error, path, "bad shape " + shape);
    array.shape.push_back(std::stoll(digits));
  }
  // The element count, never past what the file can hold (one byte per
  // value at least): no overflow, no allocation beyond the file's size.
  int64_t count = 1;
  for (int64_t d : array.shape) {
    if (d != 0 && count > int64_t(bytes.size()) / d)
      return fail(error, path, "holds fewer values than its shape needs");
    count *= d;
  }
  struct Kind {
    const char *descr;
    size_t width;
    float (*convert)(const char *);
  };
  static const Kind kinds[] = {
      {"<f4", 4, load<float>},   {"<f8", 8, load<double>},
      {"|i1", 1, load<int8_t>},  {"|u1", 1, load<uint8_t>},
      {"<i2", 2, load<int16_t>}, {"<i4", 4, load<int32_t>},
      {"<i8", 8, load<int64_t>}};
  for (const Kind &kind : kinds) {
    if (descr != kind.descr)
      continue;
    const char *data = bytes.data() + offset + headerLen;
    if (bytes.size() - offset - headerLen < size_t(count) * kind.width)
      return fail(error, path, "holds fewer values than its shape needs");
    array.data.resize(count);
    for (int64_t i = 0; i < count; ++i)
      array.data[i] = kind.convert(data + i * kind.width);
    return true;
  }
  return fail(error, path,
              "unsupported dtype '" + descr +
                  "' (use float32, float64 or an integer type)");
}

bool blend::checkFinite(const std::string &path, const NpyArray &array,
                        std::string &error) {
  for (size_t n = 0; n < array.data.size(); ++n) {
    float v = array.data[n];
    if (std::isfinite(v))
      continue;
    // The flat index as one index per dimension (C order).
    std::vector<int64_t> index(array.shape.size(), 0);
    size_t rest = n;
    for (size_t d = array.shape.size(); d-- > 0;) {
      int64_t extent = std::max<int64_t>(array.shape[d], 1);
      index[d] = int64_t(rest % size_t(extent));
      rest /= size_t(extent);
    }
    std::string at;
    for (int64_t i : index)
      at += (at.empty() ? "" : ", ") + std::to_string(i);
    error = path + ": value [" + at + "] is " +
            (std::isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf") +
            "; model inputs must be finite (docs/limits.md)";
    return false;
  }
  return true;
}

bool blend::writeNpyFloat32(const std::string &path, const NpyArray &array,
                            std::string &error) {
  std::string shape = "(";
  for (size_t i = 0; i < array.shape.size(); ++i)
    shape += std::to_string(array.shape[i]) +
             (array.shape.size() == 1 ? "," : (i + 1 < array.shape.size() ? ", " : ""));
  shape += ")";
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  // magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    return fail(error, path, "cannot write");
  out << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
      << char(header.size() >> 8) << header;
  out.write(reinterpret_cast<const char *>(array.data.data()),
            std::streamsize(array.data.size() * sizeof(float)));
  if (!out)
    return fail(error, path, "write failed");
  return true;
}
