//===- NpyIO.h - reading and writing NumPy .npy files -----------*- C++ -*-===//
//
// The tools exchange tensors with Python as .npy files. Reading accepts the
// numeric dtypes NumPy writes by default (float32/64, int8/16/32/64, uint8,
// little-endian, C order) and converts to float32; writing produces float32.
// Both blend-run and blend-sim write outputs through writeNpyFloat32, so equal
// tensors give byte-identical files.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_RUNTIME_NPYIO_H
#define BLEND_RUNTIME_NPYIO_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace blend {

/// A float32 array read from (or to be written to) a .npy file.
struct NpyArray {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// Reads `path`; errors name the file and what is wrong.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Writes `array` as a float32, C-order .npy (format version 1.0).
llvm::Error writeNpyFloat32(llvm::StringRef path, const NpyArray &array);

} // namespace blend

#endif // BLEND_RUNTIME_NPYIO_H
