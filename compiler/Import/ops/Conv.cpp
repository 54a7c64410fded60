//===- Conv.cpp - ONNX convolution and matrix-product handlers ------------===//
//
// Conv → blend.conv2d (float); GlobalAveragePool → blend.avg_pool2d. Exactness is decided later by passes that look
// through dequantize ops; here we only check that every attribute is one blend
// executes exactly, and refuse the rest by name: dilations other than 1,
// grouped convolutions, SAME_* auto-padding, non-2-D kernels.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/OnnxImporter.h"

#include "dialects/Blend/BlendOps.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace blend;

/// Formats a list of integers as "[a, b, c]" for messages.
static std::string listString(ArrayRef<int64_t> values) {
  std::string s = "[";
  for (auto [i, v] : llvm::enumerate(values))
    s += (i ? ", " : "") + std::to_string(v);
  return s + "]";
}

/// ONNX Conv (opset 11+: unchanged semantics through opset 21 for what we
/// accept).
static LogicalResult importConv(NodeBinder &b) {
  if (failed(b.onlyAttributes({"auto_pad", "dilations", "group",
                               "kernel_shape", "pads", "strides"})))
    return failure();
  auto x = b.tensorInput(0);
  auto w = b.tensorInput(1);
  if (failed(x) || failed(w))
    return failure();
  RankedTensorType xType = x->getType(), wType = w->getType();
  if (xType.getRank() != 4 || wType.getRank() != 4)
    return b.error(llvm::formatv("only 2-D convolutions over NCHW are "
                                 "supported, got input rank {0}",
                                 xType.getRank()));
  if (!isa<FloatType>(xType.getElementType()) ||
      xType.getElementType() != wType.getElementType())
    return b.error("input and weights must be float tensors of one type "
                   "(quantized operands arrive through DequantizeLinear)");
  if (b.intAttr("group").value_or(1) != 1)
    return b.error(llvm::formatv("group = {0} is not supported (only "
                                 "group = 1)",
                                 *b.intAttr("group")));
  if (auto dil = b.intsAttr("dilations"))
    if (llvm::any_of(*dil, [](int64_t d) { return d != 1; }))
      return b.error("dilations " + listString(*dil) +
                     " are not supported (only 1)");
  std::string autoPad = b.stringAttr("auto_pad").value_or("NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID")
    return b.error("auto_pad = " + autoPad +
                   " is not supported; export with explicit pads");
  if (auto ks = b.intsAttr("kernel_shape"))
    if (ArrayRef<int64_t>(*ks) != wType.getShape().drop_front(2))
      return b.error("kernel_shape " + listString(*ks) +
                     " does not match the weight shape");
  if (xType.getDimSize(1) != wType.getDimSize(1))
    return b.error(llvm::formatv("input has {0} channels, weights expect {1}",
                                 xType.getDimSize(1), wType.getDimSize(1)));

  std::vector<int64_t> strides = b.intsAttr("strides").value_or(
      std::vector<int64_t>{1, 1});
  std::vector<int64_t> onnxPads = b.intsAttr("pads").value_or(
      std::vector<int64_t>{0, 0, 0, 0});
  if (autoPad == "VALID")
    onnxPads = {0, 0, 0, 0};
  if (strides.size() != 2 || onnxPads.size() != 4)
    return b.error("strides must have 2 and pads 4 entries");
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(onnxPads, [](int64_t p) { return p < 0; }))
    return b.error("strides must be positive and pads non-negative");
  // ONNX pads are [top, left, bottom, right] = [x1_begin, x2_begin, x1_end,
  // x2_end], the same order blend uses.
  int64_t outShape[4] = {xType.getDimSize(0), wType.getDimSize(0), 0, 0};
  for (int axis = 0; axis < 2; ++axis) {
    int64_t padded =
        xType.getDimSize(2 + axis) + onnxPads[axis] + onnxPads[axis + 2];
    if (padded < wType.getDimSize(2 + axis))
      return b.error("the kernel is larger than the padded input");
    outShape[2 + axis] = (padded - wType.getDimSize(2 + axis)) / strides[axis] + 1;
  }
  Value bias;
  if (b.hasInput(2)) {
    auto biasValue = b.tensorInput(2);
    if (failed(biasValue))
      return failure();
    bias = *biasValue;
  }
  auto resultType = RankedTensorType::get(outShape, xType.getElementType());
  Value conv = b.builder().create<Conv2DOp>(
      b.loc(), resultType, *x, *w, bias,
      b.builder().getDenseI64ArrayAttr(strides),
      b.builder().getDenseI64ArrayAttr(onnxPads));
  b.setOutput(0, conv);
  return success();
}

/// The transpose of a constant weight chain: a float blend.constant, possibly
/// under blend.quantize / blend.dequantize (how QDQ weights import). Rebuilds
/// the chain on the transposed data; null when `value` is not such a chain.
static Value transposeWeights(OpBuilder &builder, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() != 2)
    return {};
  auto transposed = RankedTensorType::get(
      {type.getDimSize(1), type.getDimSize(0)}, type.getElementType());
  if (auto constant = value.getDefiningOp<ConstantOp>()) {
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (!dense)
      return {};
    SmallVector<Attribute> values(dense.getValues<Attribute>());
    SmallVector<Attribute> swapped(values.size());
    int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c)
        swapped[c * rows + r] = values[r * cols + c];
    auto storage = RankedTensorType::get(transposed.getShape(),
                                         dense.getElementType());
    return builder.create<ConstantOp>(loc, transposed,
                                      DenseElementsAttr::get(storage, swapped));
  }
  if (auto q = value.getDefiningOp<QuantizeOp>())
    if (Value in = transposeWeights(builder, loc, q.getInput()))
      return builder.create<QuantizeOp>(loc, transposed, in);
  if (auto d = value.getDefiningOp<DequantizeOp>())
    if (Value in = transposeWeights(builder, loc, d.getInput()))
      return builder.create<DequantizeOp>(loc, transposed, in);
  return {};
}

/// Gemm (alpha = beta = 1, no transposed A) → blend.matmul; a transposed B
/// must be a constant weight chain, which is transposed at import.
static LogicalResult importGemm(NodeBinder &b) {
  if (failed(b.onlyAttributes({"alpha", "beta", "transA", "transB"})))
    return failure();
  if (b.floatAttr("alpha").value_or(1.0f) != 1.0f ||
      b.floatAttr("beta").value_or(1.0f) != 1.0f)
    return b.error("alpha and beta other than 1 are not supported");
  if (b.intAttr("transA").value_or(0) != 0)
    return b.error("transA = 1 is not supported");
  auto a = b.tensorInput(0);
  auto w = b.tensorInput(1);
  if (failed(a) || failed(w))
    return failure();
  Value rhs = *w;
  if (b.intAttr("transB").value_or(0) != 0) {
    rhs = transposeWeights(b.builder(), b.loc(), *w);
    if (!rhs)
      return b.error("transB = 1 needs constant weights");
  }
  auto aType = a->getType();
  auto rType = cast<RankedTensorType>(rhs.getType());
  if (aType.getRank() != 2 || rType.getRank() != 2 ||
      aType.getDimSize(1) != rType.getDimSize(0))
    return b.error("expects A [M, K] and B [K, N]");
  Value bias;
  if (b.hasInput(2)) {
    auto c = b.tensorInput(2);
    if (failed(c))
      return failure();
    if (c->getType().getRank() != 1 ||
        c->getType().getDimSize(0) != rType.getDimSize(1))
      return b.error("only a bias C of shape [N] is supported");
    bias = *c;
  }
  auto type = RankedTensorType::get({aType.getDimSize(0), rType.getDimSize(1)},
                                    aType.getElementType());
  b.setOutput(0, b.builder().create<MatMulOp>(b.loc(), type, *a, rhs, bias));
  return success();
}

/// GlobalAveragePool → blend.avg_pool2d with the kernel covering H x W.
static LogicalResult importGlobalAveragePool(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  RankedTensorType type = x->getType();
  if (type.getRank() != 4 || !isa<FloatType>(type.getElementType()))
    return b.error("only float NCHW inputs are supported");
  int64_t h = type.getDimSize(2), w = type.getDimSize(3);
  auto resultType = RankedTensorType::get(
      {type.getDimSize(0), type.getDimSize(1), 1, 1}, type.getElementType());
  OpBuilder &builder = b.builder();
  b.setOutput(0, builder.create<AvgPool2DOp>(
                     b.loc(), resultType, *x, builder.getDenseI64ArrayAttr({h, w}),
                     builder.getDenseI64ArrayAttr({1, 1}),
                     builder.getDenseI64ArrayAttr({0, 0, 0, 0}),
                     builder.getBoolAttr(false)));
  return success();
}

/// MatMul of an activation A [M, K] or [B, M, K] with a weight B [K, N] →
/// blend.matmul (a linear layer over the last axis, as PyTorch exports
/// nn.Linear on rank-3 inputs).
static LogicalResult importMatMul(NodeBinder &b) {
  if (failed(b.onlyAttributes({})))
    return failure();
  auto a = b.tensorInput(0);
  auto w = b.tensorInput(1);
  if (failed(a) || failed(w))
    return failure();
  RankedTensorType aType = a->getType(), wType = w->getType();
  if (aType.getRank() < 2 || aType.getRank() > 3)
    return b.error(llvm::formatv("input A must have rank 2 or 3, got {0}",
                                 aType.getRank()));
  if (wType.getRank() != 2)
    return b.error(llvm::formatv("input B must be a [K, N] weight matrix, got "
                                 "rank {0} (batched matmuls of two activations "
                                 "are not supported)",
                                 wType.getRank()));
  if (aType.getShape().back() != wType.getDimSize(0))
    return b.error(llvm::formatv("A's last dimension {0} does not match B's "
                                 "first dimension {1}",
                                 aType.getShape().back(), wType.getDimSize(0)));
  SmallVector<int64_t> shape(aType.getShape());
  shape.back() = wType.getDimSize(1);
  auto type = RankedTensorType::get(shape, aType.getElementType());
  b.setOutput(0, b.builder().create<MatMulOp>(b.loc(), type, *a, *w, Value()));
  return success();
}

/// ReduceMean over axes that exclude the batch axis 0, decomposed into ops
/// the lowering makes exact: transpose the reduced axes last, view the tensor
/// as [B, kept, reduced, 1], average-pool with a [reduced, 1] kernel, and
/// reshape to the ONNX result shape.
static LogicalResult importReduceMean(NodeBinder &b) {
  if (failed(b.onlyAttributes({"axes", "keepdims", "noop_with_empty_axes"})))
    return failure();
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  RankedTensorType type = x->getType();
  if (!isa<FloatType>(type.getElementType()))
    return b.error("only float inputs are supported");
  int64_t rank = type.getRank();
  std::vector<int64_t> axes;
  if (b.opset() >= 18 && b.hasInput(1)) {
    auto constant = b.constantInts(1);
    if (failed(constant))
      return failure();
    axes = *constant;
  } else if (auto attr = b.intsAttr("axes")) {
    axes = *attr;
  }
  if (axes.empty()) {
    if (b.intAttr("noop_with_empty_axes").value_or(0) != 0) {
      b.setOutput(0, *x);
      return success();
    }
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  SmallVector<bool> reduced(rank, false);
  for (int64_t axis : axes) {
    int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank)
      return b.error(llvm::formatv("axis {0} is out of range", axis));
    reduced[a] = true;
  }
  if (rank < 2 || reduced[0])
    return b.error("reducing over the batch axis 0 is not supported");
  SmallVector<int64_t> perm{0}, keptDims, outShape{type.getDimSize(0)};
  int64_t kept = 1, window = 1;
  for (int64_t d = 1; d < rank; ++d)
    if (!reduced[d]) {
      perm.push_back(d);
      kept *= type.getDimSize(d);
    }
  for (int64_t d = 1; d < rank; ++d)
    if (reduced[d]) {
      perm.push_back(d);
      window *= type.getDimSize(d);
    }
  bool keepDims = b.intAttr("keepdims").value_or(1) != 0;
  for (int64_t d = 1; d < rank; ++d)
    if (!reduced[d] || keepDims)
      outShape.push_back(reduced[d] ? 1 : type.getDimSize(d));

  OpBuilder &builder = b.builder();
  Type element = type.getElementType();
  Value v = *x;
  if (!llvm::equal(perm, llvm::seq<int64_t>(0, rank))) {
    SmallVector<int64_t> permuted;
    for (int64_t p : perm)
      permuted.push_back(type.getDimSize(p));
    v = builder.create<TransposeOp>(b.loc(),
                                    RankedTensorType::get(permuted, element), v,
                                    builder.getDenseI64ArrayAttr(perm));
  }
  int64_t batch = type.getDimSize(0);
  v = builder.create<ReshapeOp>(
      b.loc(), RankedTensorType::get({batch, kept, window, 1}, element), v);
  v = builder.create<AvgPool2DOp>(
      b.loc(), RankedTensorType::get({batch, kept, 1, 1}, element), v,
      builder.getDenseI64ArrayAttr({window, 1}),
      builder.getDenseI64ArrayAttr({1, 1}),
      builder.getDenseI64ArrayAttr({0, 0, 0, 0}), builder.getBoolAttr(false));
  auto outType = RankedTensorType::get(outShape, element);
  if (outType != v.getType())
    v = builder.create<ReshapeOp>(b.loc(), outType, v);
  b.setOutput(0, v);
  return success();
}

void blend::registerConvOps(OnnxOpTable &table) {
  table.onOp("", "Conv", 11, importConv);
  table.onOp("", "GlobalAveragePool", 11, importGlobalAveragePool);
  table.onOp("", "Gemm", 11, importGemm);
  table.onOp("", "MatMul", 11, importMatMul);
  table.onOp("", "ReduceMean", 11, importReduceMean);
}
