//===- Windows.h - ONNX window attributes (Conv, pooling) -------*- C++ -*-===//
//
// Resolves the attributes every sliding-window ONNX op shares: strides, pads
// and auto_pad (NOTSET, VALID, SAME_UPPER, SAME_LOWER; SAME pads are computed
// from the static shapes as ONNX defines them), and checks dilations.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_IMPORT_OPS_WINDOWS_H
#define BLEND_COMPILER_IMPORT_OPS_WINDOWS_H

#include "compiler/Import/OnnxImporter.h"

#include "llvm/Support/FormatVariadic.h"

#include <array>

namespace blend {

/// Strides, pads [top, left, bottom, right] and output size of a 2-D window.
struct Window2D {
  std::vector<int64_t> strides, pads;
  std::array<int64_t, 2> out;
};

/// `in` and `kernel` are the spatial extents (H, W).
inline mlir::FailureOr<Window2D> resolveWindow(NodeBinder &b,
                                               llvm::ArrayRef<int64_t> in,
                                               llvm::ArrayRef<int64_t> kernel) {
  Window2D w;
  if (auto dil = b.intsAttr("dilations"))
    for (int64_t d : *dil)
      if (d != 1) {
        std::string list;
        for (int64_t v : *dil)
          list += (list.empty() ? "" : ", ") + std::to_string(v);
        (void)b.error("dilations [" + list + "] are not supported (only 1)");
        return mlir::failure();
      }
  w.strides = b.intsAttr("strides").value_or(std::vector<int64_t>{1, 1});
  w.pads = b.intsAttr("pads").value_or(std::vector<int64_t>{0, 0, 0, 0});
  if (w.strides.size() != 2 || w.pads.size() != 4) {
    (void)b.error("strides must have 2 and pads 4 entries (2-D windows)");
    return mlir::failure();
  }
  for (int64_t s : w.strides)
    if (s < 1) {
      (void)b.error("strides must be positive");
      return mlir::failure();
    }
  for (int64_t p : w.pads)
    if (p < 0) {
      (void)b.error("pads must be non-negative");
      return mlir::failure();
    }
  std::string autoPad = b.stringAttr("auto_pad").value_or("NOTSET");
  if (autoPad == "VALID") {
    w.pads = {0, 0, 0, 0};
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    // Output ceil(in / stride); the total padding is split evenly, the odd
    // one at the end (SAME_UPPER) or the beginning (SAME_LOWER).
    for (int axis = 0; axis < 2; ++axis) {
      int64_t outSize = (in[axis] + w.strides[axis] - 1) / w.strides[axis];
      int64_t total = std::max<int64_t>(
          (outSize - 1) * w.strides[axis] + kernel[axis] - in[axis], 0);
      int64_t small = total / 2, large = total - small;
      w.pads[axis] = autoPad == "SAME_UPPER" ? small : large;
      w.pads[axis + 2] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (autoPad != "NOTSET") {
    (void)b.error("auto_pad = " + autoPad + " is not a valid value");
    return mlir::failure();
  }
  for (int axis = 0; axis < 2; ++axis) {
    int64_t padded = in[axis] + w.pads[axis] + w.pads[axis + 2];
    if (padded < kernel[axis]) {
      (void)b.error("the kernel is larger than the padded input");
      return mlir::failure();
    }
    w.out[axis] = (padded - kernel[axis]) / w.strides[axis] + 1;
  }
  return w;
}

} // namespace blend

#endif // BLEND_COMPILER_IMPORT_OPS_WINDOWS_H
