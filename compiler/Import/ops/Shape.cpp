//===- Shape.cpp - ONNX shape computations and data movement --------------===//
//
// Exporters compute reshape targets at run time (`x.flatten(2)` becomes
// Shape → Slice → Concat → Reshape). Every shape in blend is static, so these
// integer computations are evaluated here on constant INT64 tensors and the
// consumer sees a constant. On activations the data-movement ops become
// blend.reshape (Reshape, Unsqueeze, Squeeze) and blend.transpose; Slice,
// Concat and Gather of activations are refused with an error, never dropped.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/OnnxImporter.h"
#include "compiler/Import/Limits.h"

#include "dialects/Blend/BlendOps.h"

#include "llvm/Support/FormatVariadic.h"

#include <numeric>

using namespace mlir;
using namespace blend;

/// Normalizes a possibly negative axis against `rank`; nullopt when out of
/// range.
static std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return std::nullopt;
  return axis;
}

/// The shape of constant input `i` (its declared tensor type).
static FailureOr<SmallVector<int64_t>> constantShape(NodeBinder &b, int i) {
  FailureOr<DenseElementsAttr> data = b.constantInput(i);
  if (failed(data))
    return failure();
  return SmallVector<int64_t>(data->getType().getShape());
}

/// Shape(x) → a constant INT64 vector of x's static dimensions, sliced by the
/// `start` / `end` attributes (opset 15).
static LogicalResult importShape(NodeBinder &b) {
  if (failed(b.onlyAttributes({"start", "end"})))
    return failure();
  SmallVector<int64_t> dims;
  if (b.isConstantInput(0)) {
    FailureOr<SmallVector<int64_t>> shape = constantShape(b, 0);
    if (failed(shape))
      return failure();
    dims = *shape;
  } else {
    auto x = b.tensorInput(0);
    if (failed(x))
      return failure();
    dims.assign(x->getType().getShape().begin(), x->getType().getShape().end());
  }
  int64_t rank = int64_t(dims.size());
  auto clampIndex = [rank](int64_t v) {
    if (v < 0)
      v += rank;
    return std::clamp<int64_t>(v, 0, rank);
  };
  int64_t start = clampIndex(b.intAttr("start").value_or(0));
  int64_t end = clampIndex(b.intAttr("end").value_or(rank));
  SmallVector<int64_t> out;
  for (int64_t d = start; d < end; ++d)
    out.push_back(dims[d]);
  return b.setConstantInts(0, out, {int64_t(out.size())});
}

/// Slice of a constant 1-D integer tensor (opset ≥ 10 form: starts, ends,
/// axes, steps as inputs).
static LogicalResult importSlice(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  if (!b.isConstantInput(0))
    return b.error("Slice is supported only on constant (shape) tensors; "
                   "slicing activations is not supported by blend");
  FailureOr<SmallVector<int64_t>> shape = constantShape(b, 0);
  if (failed(shape))
    return failure();
  if (shape->size() != 1)
    return b.error("Slice is supported only on 1-D constant tensors");
  auto data = b.constantInts(0);
  auto starts = b.constantInts(1);
  auto ends = b.constantInts(2);
  if (failed(data) || failed(starts) || failed(ends))
    return failure();
  if (starts->size() != 1 || ends->size() != 1)
    return b.error("expects one start and one end for a 1-D tensor");
  if (b.hasInput(3)) {
    auto axes = b.constantInts(3);
    if (failed(axes))
      return failure();
    if (axes->size() != 1 || !normalizeAxis((*axes)[0], 1))
      return b.error("axes must be [0] for a 1-D tensor");
  }
  int64_t step = 1;
  if (b.hasInput(4)) {
    auto steps = b.constantInts(4);
    if (failed(steps))
      return failure();
    if (steps->size() != 1 || (*steps)[0] == 0)
      return b.error("steps must be one non-zero value");
    step = (*steps)[0];
  }
  int64_t n = int64_t(data->size());
  // ONNX clamps starts to [0, n] ([0, n-1] for negative steps) and ends to
  // [-1, n]; INT64_MAX / INT64_MIN mean "to the end".
  auto norm = [n](int64_t v) { return v < 0 ? std::max<int64_t>(v + n, -1) : v; };
  int64_t start = norm((*starts)[0]), end = norm((*ends)[0]);
  SmallVector<int64_t> out;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, n);
    end = std::clamp<int64_t>(end, 0, n);
    for (int64_t i = start; i < end; i += step)
      out.push_back((*data)[i]);
  } else {
    start = std::clamp<int64_t>(start, 0, n - 1);
    end = std::clamp<int64_t>(end, -1, n - 1);
    for (int64_t i = start; i > end; i += step)
      out.push_back((*data)[i]);
  }
  return b.setConstantInts(0, out, {int64_t(out.size())});
}

/// Concat: of constant 1-D integer tensors (shape vectors) evaluated here; of
/// activations → blend.concat.
static LogicalResult importConcat(NodeBinder &b) {
  if (failed(b.onlyAttributes({"axis"})))
    return failure();
  bool allConstant = true;
  for (int i = 0; i < b.numInputs(); ++i)
    allConstant &= b.isConstantInput(i);
  if (allConstant && b.numInputs() > 0) {
    FailureOr<DenseElementsAttr> first = b.constantInput(0);
    if (failed(first))
      return failure();
    if (first->getType().getRank() == 1 && first->getElementType().isInteger(64)) {
      SmallVector<int64_t> out;
      for (int i = 0; i < b.numInputs(); ++i) {
        FailureOr<SmallVector<int64_t>> shape = constantShape(b, i);
        if (failed(shape))
          return failure();
        if (shape->size() != 1)
          return b.error("shape vectors must be 1-D");
        auto values = b.constantInts(i);
        if (failed(values))
          return failure();
        out.append(values->begin(), values->end());
      }
      if (!normalizeAxis(b.intAttr("axis").value_or(0), 1))
        return b.error("axis must be 0 for 1-D tensors");
      return b.setConstantInts(0, out, {int64_t(out.size())});
    }
  }
  SmallVector<Value> inputs;
  for (int i = 0; i < b.numInputs(); ++i) {
    auto x = b.tensorInput(i);
    if (failed(x))
      return failure();
    inputs.push_back(*x);
  }
  if (inputs.empty())
    return b.error("Concat needs at least one input");
  auto first = cast<RankedTensorType>(inputs[0].getType());
  if (!isa<FloatType>(first.getElementType()))
    return b.error("only float tensors can be concatenated");
  std::optional<int64_t> axis =
      normalizeAxis(b.intAttr("axis").value_or(0), first.getRank());
  if (!axis)
    return b.error("axis is out of range");
  SmallVector<int64_t> shape(first.getShape());
  shape[*axis] = 0;
  for (Value v : inputs) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getRank() != first.getRank() ||
        type.getElementType() != first.getElementType())
      return b.error("inputs must have one rank and element type");
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (d != *axis && type.getDimSize(d) != first.getDimSize(d))
        return b.error(llvm::formatv("input sizes differ along axis {0}", d));
    shape[*axis] += type.getDimSize(*axis);
  }
  auto type = RankedTensorType::get(shape, first.getElementType());
  b.setOutput(0, b.builder().create<ConcatOp>(
                     b.loc(), type, inputs, b.builder().getI64IntegerAttr(*axis)));
  return success();
}

/// Gather from a constant 1-D integer tensor with constant indices.
static LogicalResult importGather(NodeBinder &b) {
  if (failed(b.onlyAttributes({"axis"})))
    return failure();
  if (!b.isConstantInput(0))
    return b.error("Gather is supported only on constant (shape) tensors; "
                   "gathering from activations is not supported by blend");
  FailureOr<SmallVector<int64_t>> shape = constantShape(b, 0);
  FailureOr<SmallVector<int64_t>> indexShape = constantShape(b, 1);
  if (failed(shape) || failed(indexShape))
    return failure();
  if (shape->size() != 1 || indexShape->size() > 1)
    return b.error("Gather is supported only on a 1-D constant tensor with "
                   "scalar or 1-D indices");
  auto data = b.constantInts(0);
  auto indices = b.constantInts(1);
  if (failed(data) || failed(indices))
    return failure();
  SmallVector<int64_t> out;
  for (int64_t index : *indices) {
    std::optional<int64_t> i = normalizeAxis(index, int64_t(data->size()));
    if (!i)
      return b.error(llvm::formatv("index {0} is out of range", index));
    out.push_back((*data)[*i]);
  }
  return b.setConstantInts(0, out, *indexShape);
}

/// Binds output 0 to `x` reshaped to `shape`: constant INT64 data is
/// re-registered (so shape computations keep folding), anything else
/// becomes a blend.reshape.
static LogicalResult reshapeTo(NodeBinder &b, ArrayRef<int64_t> shape) {
  if (b.isConstantInput(0)) {
    FailureOr<DenseElementsAttr> data = b.constantInput(0);
    if (failed(data))
      return failure();
    if (data->getElementType().isInteger(64)) {
      auto values = b.constantInts(0);
      if (failed(values))
        return failure();
      return b.setConstantInts(0, *values, shape);
    }
  }
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  auto type = RankedTensorType::get(shape, x->getType().getElementType());
  if (type.getNumElements() != x->getType().getNumElements())
    return b.error(llvm::formatv("cannot reshape {0} elements into {1}",
                                 x->getType().getNumElements(),
                                 type.getNumElements()));
  b.setOutput(0, type == x->getType()
                     ? Value(*x)
                     : b.builder().create<ReshapeOp>(b.loc(), type, *x));
  return success();
}

/// The static shape of input 0 (constant or activation).
static FailureOr<SmallVector<int64_t>> inputShape(NodeBinder &b) {
  if (b.isConstantInput(0))
    return constantShape(b, 0);
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  return SmallVector<int64_t>(x->getType().getShape());
}

/// Reshape with a constant target shape (0 copies a dimension unless
/// `allowzero`, one −1 is inferred).
static LogicalResult importReshape(NodeBinder &b) {
  if (failed(b.onlyAttributes({"allowzero"})))
    return failure();
  FailureOr<SmallVector<int64_t>> in = inputShape(b);
  if (failed(in))
    return failure();
  auto target = b.constantInts(1);
  if (failed(target))
    return failure();
  bool allowZero = b.intAttr("allowzero").value_or(0) != 0;
  int64_t count = std::accumulate(in->begin(), in->end(), int64_t(1),
                                  std::multiplies<int64_t>());
  SmallVector<int64_t> shape;
  int inferred = -1;
  int64_t known = 1;
  for (auto [i, d] : llvm::enumerate(*target)) {
    if (d == 0 && !allowZero) {
      if (i >= in->size())
        return b.error("shape entry 0 copies a dimension the input lacks");
      d = (*in)[i];
    }
    if (d == -1) {
      if (inferred >= 0)
        return b.error("shape has more than one -1");
      inferred = int(i);
    } else if (d < 0) {
      return b.error(llvm::formatv("invalid shape entry {0}", d));
    } else {
      // The product of the entries, never past the limits (docs/limits.md;
      // an overflow found by the onnx fuzzer).
      if (d > limits::kMaxElements ||
          (d > 0 && known > limits::kMaxElements / d))
        return b.error(llvm::formatv("the target shape has more than {0} "
                                     "elements",
                                     limits::kMaxElements));
      known *= d;
    }
    shape.push_back(d);
  }
  if (inferred >= 0) {
    if (known == 0 || count % known != 0)
      return b.error("the -1 entry cannot be inferred");
    shape[inferred] = count / known;
  }
  return reshapeTo(b, shape);
}

/// The `axes` of Unsqueeze / Squeeze: an attribute before opset 13, an
/// optional input from 13 on.
static FailureOr<std::optional<std::vector<int64_t>>> axesOf(NodeBinder &b) {
  if (b.opset() < 13)
    return b.intsAttr("axes");
  if (!b.hasInput(1))
    return std::optional<std::vector<int64_t>>();
  auto axes = b.constantInts(1);
  if (failed(axes))
    return failure();
  return std::optional<std::vector<int64_t>>(*axes);
}

static LogicalResult importUnsqueeze(NodeBinder &b) {
  if (failed(b.onlyAttributes({"axes"})))
    return failure();
  FailureOr<SmallVector<int64_t>> in = inputShape(b);
  auto axes = axesOf(b);
  if (failed(in) || failed(axes))
    return failure();
  if (!*axes)
    return b.error("Unsqueeze needs axes");
  int64_t rank = int64_t(in->size() + (*axes)->size());
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : **axes) {
    std::optional<int64_t> a = normalizeAxis(axis, rank);
    if (!a || inserted[*a])
      return b.error(llvm::formatv("axis {0} is out of range or repeated", axis));
    inserted[*a] = true;
  }
  SmallVector<int64_t> shape;
  size_t next = 0;
  for (int64_t d = 0; d < rank; ++d)
    shape.push_back(inserted[d] ? 1 : (*in)[next++]);
  return reshapeTo(b, shape);
}

static LogicalResult importSqueeze(NodeBinder &b) {
  if (failed(b.onlyAttributes({"axes"})))
    return failure();
  FailureOr<SmallVector<int64_t>> in = inputShape(b);
  auto axes = axesOf(b);
  if (failed(in) || failed(axes))
    return failure();
  int64_t rank = int64_t(in->size());
  SmallVector<bool> removed(rank, false);
  if (*axes) {
    for (int64_t axis : **axes) {
      std::optional<int64_t> a = normalizeAxis(axis, rank);
      if (!a || (*in)[*a] != 1)
        return b.error(llvm::formatv(
            "axis {0} is out of range or not of size 1", axis));
      removed[*a] = true;
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      removed[d] = (*in)[d] == 1;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!removed[d])
      shape.push_back((*in)[d]);
  return reshapeTo(b, shape);
}

/// Transpose → blend.transpose (which folds on constants).
static LogicalResult importTranspose(NodeBinder &b) {
  if (failed(b.onlyAttributes({"perm"})))
    return failure();
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  ArrayRef<int64_t> in = x->getType().getShape();
  int64_t rank = int64_t(in.size());
  SmallVector<int64_t> perm;
  if (std::optional<std::vector<int64_t>> attr = b.intsAttr("perm"))
    perm.assign(attr->begin(), attr->end());
  else
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  SmallVector<bool> seen(rank, false);
  if (int64_t(perm.size()) != rank)
    return b.error(llvm::formatv("perm has {0} entries for rank {1}",
                                 perm.size(), rank));
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return b.error("perm is not a permutation");
    seen[p] = true;
    shape.push_back(in[p]);
  }
  auto type = RankedTensorType::get(shape, x->getType().getElementType());
  b.setOutput(0, b.builder().create<TransposeOp>(
                     b.loc(), type, *x, b.builder().getDenseI64ArrayAttr(perm)));
  return success();
}

/// Pad (mode constant) with constant pads → blend.pad.
static LogicalResult importPad(NodeBinder &b) {
  if (failed(b.onlyAttributes({"mode"})))
    return failure();
  std::string mode = b.stringAttr("mode").value_or("constant");
  if (mode != "constant")
    return b.error("mode '" + mode + "' is not supported (only constant)");
  auto x = b.floatTensorInput(0);
  if (failed(x))
    return failure();
  auto pads = b.constantInts(1);
  if (failed(pads))
    return failure();
  int64_t rank = x->getType().getRank();
  std::vector<int64_t> full(size_t(2 * rank), 0);
  if (b.hasInput(3)) {
    auto axes = b.constantInts(3);
    if (failed(axes))
      return failure();
    if (pads->size() != 2 * axes->size())
      return b.error("pads must have 2 entries per axis");
    for (auto [i, axis] : llvm::enumerate(*axes)) {
      std::optional<int64_t> a = normalizeAxis(axis, rank);
      if (!a)
        return b.error("axis out of range");
      full[*a] = (*pads)[i];
      full[*a + rank] = (*pads)[i + axes->size()];
    }
  } else {
    if (int64_t(pads->size()) != 2 * rank)
      return b.error(llvm::formatv("pads must have {0} entries", 2 * rank));
    full = *pads;
  }
  double value = 0.0;
  if (b.hasInput(2)) {
    FailureOr<std::vector<double>> v = b.constantDoubles(2);
    if (failed(v))
      return failure();
    if (v->size() != 1)
      return b.error("constant_value must be a scalar");
    value = (*v)[0];
  }
  SmallVector<int64_t> shape(x->getType().getShape());
  for (int64_t d = 0; d < rank; ++d) {
    if (full[d] < 0 || full[d + rank] < 0)
      return b.error("negative pads (cropping) are not supported");
    shape[d] += full[d] + full[d + rank];
  }
  auto type = RankedTensorType::get(shape, x->getType().getElementType());
  OpBuilder &builder = b.builder();
  b.setOutput(0, builder.create<PadOp>(b.loc(), type, *x,
                                       builder.getDenseI64ArrayAttr(full),
                                       builder.getF64FloatAttr(value)));
  return success();
}

void blend::registerShapeOps(OnnxOpTable &table) {
  table.onOp("", "Pad", 11, importPad);
  table.onOp("", "Shape", 11, importShape);
  table.onOp("", "Slice", 11, importSlice);
  table.onOp("", "Concat", 11, importConcat);
  table.onOp("", "Gather", 11, importGather);
  table.onOp("", "Reshape", 11, importReshape);
  table.onOp("", "Unsqueeze", 11, importUnsqueeze);
  table.onOp("", "Squeeze", 11, importSqueeze);
  table.onOp("", "Transpose", 11, importTranspose);
}
