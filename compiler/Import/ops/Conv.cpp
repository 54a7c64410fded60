//===- Conv.cpp - ONNX convolution and matrix-product handlers ------------===//
//
// Conv → blend.conv2d (float); GlobalAveragePool → blend.avg_pool2d. Exactness is decided later by passes that look
// through dequantize ops; here we only check that every attribute is one blend
// executes exactly, and refuse the rest by name: dilations other than 1,
// grouped convolutions, SAME_* auto-padding, non-2-D kernels.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/OnnxImporter.h"
#include "compiler/Import/ops/Windows.h"

#include "dialects/Blend/BlendOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

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
  if (auto ks = b.intsAttr("kernel_shape"))
    if (ArrayRef<int64_t>(*ks) != wType.getShape().drop_front(2))
      return b.error("kernel_shape " + listString(*ks) +
                     " does not match the weight shape");
  if (xType.getDimSize(1) != wType.getDimSize(1))
    return b.error(llvm::formatv("input has {0} channels, weights expect {1}",
                                 xType.getDimSize(1), wType.getDimSize(1)));
  FailureOr<Window2D> window = resolveWindow(
      b, xType.getShape().drop_front(2), wType.getShape().drop_front(2));
  if (failed(window))
    return failure();
  // ONNX pads are [top, left, bottom, right] = [x1_begin, x2_begin, x1_end,
  // x2_end], the same order blend uses.
  std::vector<int64_t> strides = window->strides, onnxPads = window->pads;
  int64_t outShape[4] = {xType.getDimSize(0), wType.getDimSize(0),
                         window->out[0], window->out[1]};
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
    std::optional<DenseElementsAttr> denseOr =
        getDenseElements(constant.getValue());
    if (!denseOr)
      return {};
    DenseElementsAttr dense = *denseOr;
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
  if (b.intAttr("transA").value_or(0) != 0)
    return b.error("transA = 1 is not supported");
  auto a = b.tensorInput(0);
  auto w = b.tensorInput(1);
  if (failed(a) || failed(w))
    return failure();
  float alpha = b.floatAttr("alpha").value_or(1.0f);
  float beta = b.floatAttr("beta").value_or(1.0f);
  OpBuilder &builder = b.builder();
  /// A float constant input scaled by `factor` (alpha on B, beta on C).
  auto scaled = [&](int index, float factor) -> FailureOr<Value> {
    FailureOr<DenseElementsAttr> data = b.constantInput(index);
    if (failed(data) || !isa<FloatType>(data->getElementType())) {
      (void)b.error(llvm::formatv("{0} other than 1 needs a float constant "
                                  "input '{1}' to fold into",
                                  index == 1 ? "alpha" : "beta",
                                  b.node().input(index)));
      return failure();
    }
    SmallVector<float> values;
    for (APFloat v : data->getValues<APFloat>())
      values.push_back(v.convertToFloat() * factor);
    return Value(builder.create<arith::ConstantOp>(
        b.loc(), DenseElementsAttr::get(
                     RankedTensorType::get(data->getType().getShape(),
                                           builder.getF32Type()),
                     ArrayRef<float>(values))));
  };
  Value rhs = *w;
  if (alpha != 1.0f) {
    FailureOr<Value> s = scaled(1, alpha);
    if (failed(s))
      return failure();
    rhs = *s;
  }
  if (b.intAttr("transB").value_or(0) != 0) {
    Value t = transposeWeights(builder, b.loc(), rhs);
    if (!t) {
      // A transpose of an arith.constant (alpha folded) or any other chain.
      auto type = cast<RankedTensorType>(rhs.getType());
      if (type.getRank() != 2)
        return b.error("B must have rank 2");
      t = builder.create<TransposeOp>(
          b.loc(),
          RankedTensorType::get({type.getDimSize(1), type.getDimSize(0)},
                                type.getElementType()),
          rhs, builder.getDenseI64ArrayAttr({1, 0}));
    }
    rhs = t;
  }
  auto aType = a->getType();
  auto rType = cast<RankedTensorType>(rhs.getType());
  if (aType.getRank() != 2 || rType.getRank() != 2 ||
      aType.getDimSize(1) != rType.getDimSize(0))
    return b.error("expects A [M, K] and B [K, N]");
  int64_t n = rType.getDimSize(1);
  Value bias;
  if (b.hasInput(2)) {
    auto c = b.tensorInput(2);
    if (failed(c))
      return failure();
    ArrayRef<int64_t> cShape = c->getType().getShape();
    // C broadcasts to [M, N]; blend's bias is one value per column.
    bool perColumn = c->getType().getNumElements() == 1 ||
                     (!cShape.empty() && cShape.back() == n &&
                      c->getType().getNumElements() == n);
    if (!perColumn)
      return b.error("only a bias C that is the same for every row (shape [N], "
                     "[1, N] or a scalar) is supported");
    auto vecType = RankedTensorType::get({n}, aType.getElementType());
    if (b.isConstantInput(2)) {
      // A constant bias (the usual case) becomes a [N] constant, beta applied.
      FailureOr<std::vector<double>> v = b.constantDoubles(2);
      if (failed(v))
        return failure();
      SmallVector<float> values;
      for (int64_t j = 0; j < n; ++j)
        values.push_back(float((*v)[v->size() == 1 ? 0 : j]) * beta);
      bias = builder.create<arith::ConstantOp>(
          b.loc(), DenseElementsAttr::get(vecType, ArrayRef<float>(values)));
    } else {
      if (beta != 1.0f || c->getType() != vecType)
        return b.error("a non-constant bias C must have shape [N] and beta 1");
      bias = *c;
    }
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
  auto x = b.floatTensorInput(0);
  if (failed(x))
    return failure();
  RankedTensorType type = x->getType();
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

/// MaxPool / AveragePool over NCHW (2-D windows).
static LogicalResult importPool(NodeBinder &b, bool isMax) {
  if (failed(b.onlyAttributes({"auto_pad", "ceil_mode", "count_include_pad",
                               "dilations", "kernel_shape", "pads",
                               "storage_order", "strides"})))
    return failure();
  auto x = b.tensorInput(0);
  if (failed(x))
    return failure();
  RankedTensorType type = x->getType();
  if (type.getRank() != 4)
    return b.error(llvm::formatv("only 2-D pooling over NCHW is supported, got "
                                 "input rank {0}",
                                 type.getRank()));
  if (!isa<FloatType>(type.getElementType()))
    return b.error("only float inputs are supported");
  if (b.intAttr("ceil_mode").value_or(0) != 0)
    return b.error("ceil_mode = 1 is not supported (floor output sizes only)");
  if (b.intAttr("storage_order").value_or(0) != 0)
    return b.error("storage_order = 1 is not supported");
  if (b.node().output_size() > 1 && !b.node().output(1).empty())
    return b.error("the Indices output is not supported");
  std::optional<std::vector<int64_t>> kernel = b.intsAttr("kernel_shape");
  if (!kernel || kernel->size() != 2)
    return b.error("kernel_shape must have 2 entries");
  FailureOr<Window2D> window =
      resolveWindow(b, type.getShape().drop_front(2), *kernel);
  if (failed(window))
    return failure();
  auto resultType = RankedTensorType::get(
      {type.getDimSize(0), type.getDimSize(1), window->out[0], window->out[1]},
      type.getElementType());
  OpBuilder &builder = b.builder();
  Value result;
  if (isMax)
    result = builder.create<MaxPool2DOp>(
        b.loc(), resultType, *x, builder.getDenseI64ArrayAttr(*kernel),
        builder.getDenseI64ArrayAttr(window->strides),
        builder.getDenseI64ArrayAttr(window->pads));
  else
    result = builder.create<AvgPool2DOp>(
        b.loc(), resultType, *x, builder.getDenseI64ArrayAttr(*kernel),
        builder.getDenseI64ArrayAttr(window->strides),
        builder.getDenseI64ArrayAttr(window->pads),
        builder.getBoolAttr(b.intAttr("count_include_pad").value_or(0) != 0));
  b.setOutput(0, result);
  return success();
}

void blend::registerConvOps(OnnxOpTable &table) {
  table.onOp("", "Conv", 11, importConv);
  table.onOp("", "GlobalAveragePool", 11, importGlobalAveragePool);
  table.onOp("", "Gemm", 11, importGemm);
  table.onOp("", "MatMul", 11, importMatMul);
  table.onOp("", "MaxPool", 11,
             [](NodeBinder &b) { return importPool(b, /*isMax=*/true); });
  table.onOp("", "AveragePool", 11,
             [](NodeBinder &b) { return importPool(b, /*isMax=*/false); });
  table.onOp("", "ReduceMean", 11, importReduceMean);
}
