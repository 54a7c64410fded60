//===- NpyIO.h - reading and writing NumPy .npy files -----------*- C++ -*-===//
//
// The tools exchange tensors with Python as .npy files. Reading accepts the
// numeric dtypes NumPy writes by default (float32/64, int8/16/32/64, uint8,
// little-endian, C order) and converts to float32; writing produces float32.
// blend-run and the Verilator harness behind blend-sim both write outputs
// through writeNpyFloat32, so equal tensors give byte-identical files. Plain
// C++17 with no dependencies: blendc copies it into every accel/tb/.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_RUNTIME_NPYIO_H
#define BLEND_RUNTIME_NPYIO_H

#include <cstdint>
#include <string>
#include <vector>

namespace blend {

/// A float32 array read from (or to be written to) a .npy file.
struct NpyArray {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// Reads `path` into `array`; on failure returns false with `error` set to a
/// message that names the file.
bool readNpy(const std::string &path, NpyArray &array, std::string &error);

/// Parses the bytes of a .npy file (`path` only names it in errors).
bool parseNpy(const std::string &bytes, const std::string &path,
              NpyArray &array, std::string &error);

/// The input policy of blend-run and blend-sim (docs/limits.md): model inputs
/// must be finite. Returns false with `error` naming the file and the first
/// NaN or infinite value by its index ("x.npy: value [0, 2, 5, 1] is NaN").
bool checkFinite(const std::string &path, const NpyArray &array,
                 std::string &error);

/// Writes `array` as a float32, C-order .npy (format version 1.0).
bool writeNpyFloat32(const std::string &path, const NpyArray &array,
                     std::string &error);

} // namespace blend

#endif // BLEND_RUNTIME_NPYIO_H
