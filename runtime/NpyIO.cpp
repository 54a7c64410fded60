//===- NpyIO.cpp - reading and writing NumPy .npy files -------------------===//
//
// A small, strict implementation of the .npy format (versions 1.0–3.0): the
// header is a Python dict literal with 'descr', 'fortran_order' and 'shape'.
//
//===----------------------------------------------------------------------===//

#include "runtime/NpyIO.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace blend;

static llvm::Error npyError(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::make_error<llvm::StringError>((path + ": " + message).str(),
                                             llvm::inconvertibleErrorCode());
}

/// Value of `key` in the header dict, up to the next top-level ',' or '}'.
static llvm::StringRef headerField(llvm::StringRef header,
                                   llvm::StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == llvm::StringRef::npos)
    return {};
  llvm::StringRef rest = header.substr(at).split(':').second.ltrim();
  if (rest.starts_with("(")) // shape tuple
    return rest.substr(0, rest.find(')') + 1);
  size_t end = rest.find_first_of(",}");
  return rest.substr(0, end).trim();
}

llvm::Expected<NpyArray> blend::readNpy(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return npyError(path, "cannot read: " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return npyError(path, "not a .npy file (bad magic)");
  unsigned major = uint8_t(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError(path, "truncated header");
    headerLen = uint32_t(uint8_t(bytes[8])) | uint32_t(uint8_t(bytes[9])) << 8 |
                uint32_t(uint8_t(bytes[10])) << 16 |
                uint32_t(uint8_t(bytes[11])) << 24;
    offset = 12;
  } else {
    return npyError(path, "unsupported .npy version " + llvm::Twine(major));
  }
  if (bytes.size() < offset + headerLen)
    return npyError(path, "truncated header");
  llvm::StringRef header = bytes.substr(offset, headerLen);
  llvm::StringRef descr = headerField(header, "descr").trim("'\"");
  llvm::StringRef fortran = headerField(header, "fortran_order");
  llvm::StringRef shapeText = headerField(header, "shape");
  if (fortran != "False")
    return npyError(path, "Fortran-order arrays are not supported");
  NpyArray array;
  llvm::StringRef dims = shapeText.trim("()");
  while (!dims.trim().empty()) {
    auto [head, tail] = dims.split(',');
    int64_t d;
    if (head.trim().getAsInteger(10, d) || d < 0)
      return npyError(path, "bad shape " + shapeText);
    array.shape.push_back(d);
    dims = tail;
  }
  int64_t count = 1;
  for (int64_t d : array.shape)
    count *= d;
  const char *data = bytes.data() + offset + headerLen;
  size_t available = bytes.size() - offset - headerLen;
  auto load = [&](size_t width, auto convert) -> llvm::Error {
    if (available < size_t(count) * width)
      return npyError(path, "holds fewer values than its shape needs");
    array.data.resize(count);
    for (int64_t i = 0; i < count; ++i)
      array.data[i] = convert(data + i * width);
    return llvm::Error::success();
  };
  auto as = [](auto tag) {
    using T = decltype(tag);
    return [](const char *p) {
      T v;
      std::memcpy(&v, p, sizeof(T));
      return float(v);
    };
  };
  llvm::Error err = llvm::Error::success();
  if (descr == "<f4")
    err = load(4, as(float()));
  else if (descr == "<f8")
    err = load(8, as(double()));
  else if (descr == "|i1")
    err = load(1, as(int8_t()));
  else if (descr == "|u1")
    err = load(1, as(uint8_t()));
  else if (descr == "<i2")
    err = load(2, as(int16_t()));
  else if (descr == "<i4")
    err = load(4, as(int32_t()));
  else if (descr == "<i8")
    err = load(8, as(int64_t()));
  else
    return npyError(path, "unsupported dtype '" + descr +
                              "' (use float32, float64 or an integer type)");
  if (err)
    return std::move(err);
  return array;
}

llvm::Error blend::writeNpyFloat32(llvm::StringRef path,
                                   const NpyArray &array) {
  std::string shape = "(";
  for (int64_t d : array.shape)
    shape += std::to_string(d) + ", ";
  if (array.shape.size() > 1)
    shape.erase(shape.size() - 2);
  else if (array.shape.size() == 1)
    shape.erase(shape.size() - 1);
  shape += ")";
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad so that magic (6) + version (2) + length (2) + header is a multiple
  // of 64, ending in a newline.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return npyError(path, "cannot write: " + ec.message());
  os << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
     << char(header.size() >> 8) << header;
  os.write(reinterpret_cast<const char *>(array.data.data()),
           array.data.size() * sizeof(float));
  if (os.has_error())
    return npyError(path, "write failed");
  return llvm::Error::success();
}
