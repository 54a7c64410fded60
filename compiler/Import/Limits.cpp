//===- Limits.cpp - the sizes blendc accepts from a file ------------------===//

#include "compiler/Import/Limits.h"

#include <algorithm>
#include <string>

std::optional<std::string>
blend::limits::checkShape(llvm::ArrayRef<int64_t> shape) {
  if (int64_t(shape.size()) > kMaxRank)
    return "rank " + std::to_string(shape.size()) + " is more than the " +
           std::to_string(kMaxRank) + " blendc accepts";
  int64_t elements = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 0)
      return "dimension " + std::to_string(d) + " is negative or dynamic";
    if (shape[d] > kMaxDimension)
      return "dimension " + std::to_string(d) + " is " +
             std::to_string(shape[d]) + ", more than the " +
             std::to_string(kMaxDimension) + " blendc accepts";
    // Each factor is at most 2^24 and the product is cut at 2^24 + 1: no
    // overflow.
    elements = std::min(elements * shape[d], kMaxElements + 1);
  }
  if (elements > kMaxElements)
    return "it has more than " + std::to_string(kMaxElements) +
           " elements, the most blendc accepts in one tensor";
  return std::nullopt;
}
