//===- ConstantFolding.cpp - ONNX nodes over constants, evaluated at import ===//
//
// Exporters leave arithmetic on constants in the graph: Brevitas's
// TensorNorm computes sqrt(var + eps) as Pow(Add(var, eps), 0.5); torch.onnx
// at IR < 4 wraps parameters in Identity nodes; QCDQ exports clamp integer
// weights with Clip before DequantizeLinear. A node whose every input is a
// constant is evaluated here, before the handler table is consulted, and its
// outputs become constants like initializers: the handlers and passes never
// see the subgraph. The arithmetic is onnxruntime's CPU semantics on the
// tensor's own element type: float32 operations are rounded to float32 after
// each node (+, −, ×, ÷ and sqrt computed in double and rounded once are
// exactly float32's correctly rounded results), Pow is the C library's
// powf (what onnxruntime calls), integers wrap as two's complement in
// their width, and numpy broadcasting applies.
//
//===----------------------------------------------------------------------===//

#include "compiler/Import/ConstantFolding.h"
#include "compiler/Import/Limits.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace blend;

namespace {

/// A constant tensor as plain values: floats (f32, f64) in `f`, integers and
/// booleans in `i`.
struct Values {
  std::vector<int64_t> shape;
  int32_t dataType = onnx::TensorProto::UNDEFINED;
  std::vector<double> f;
  std::vector<int64_t> i;

  bool isFloat() const {
    return dataType == onnx::TensorProto::FLOAT ||
           dataType == onnx::TensorProto::DOUBLE;
  }
  int64_t size() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
};

/// The ONNX data type of a constant's blend element type.
int32_t onnxType(Type element) {
  if (element.isF32())
    return onnx::TensorProto::FLOAT;
  if (element.isF64())
    return onnx::TensorProto::DOUBLE;
  if (element.isInteger(1))
    return onnx::TensorProto::BOOL;
  if (auto integer = dyn_cast<IntegerType>(element)) {
    bool isUnsigned = integer.isUnsigned();
    switch (integer.getWidth()) {
    case 8:
      return isUnsigned ? onnx::TensorProto::UINT8 : onnx::TensorProto::INT8;
    case 16:
      return isUnsigned ? onnx::TensorProto::UINT16 : onnx::TensorProto::INT16;
    case 32:
      return isUnsigned ? onnx::TensorProto::UINT32 : onnx::TensorProto::INT32;
    case 64:
      return isUnsigned ? onnx::TensorProto::UINT64 : onnx::TensorProto::INT64;
    default:
      break;
    }
  }
  return onnx::TensorProto::UNDEFINED;
}

/// Wraps an integer to the range of `dataType` (two's complement).
int64_t wrapTo(int32_t dataType, int64_t v) {
  switch (dataType) {
  case onnx::TensorProto::INT8:
    return int8_t(v);
  case onnx::TensorProto::UINT8:
    return uint8_t(v);
  case onnx::TensorProto::INT16:
    return int16_t(v);
  case onnx::TensorProto::INT32:
    return int32_t(v);
  case onnx::TensorProto::BOOL:
    return v != 0;
  default:
    return v;
  }
}

/// Rounds a double to the precision of a float tensor.
double roundTo(int32_t dataType, double v) {
  return dataType == onnx::TensorProto::FLOAT ? double(float(v)) : v;
}

/// numpy broadcasting of two shapes; nullopt when incompatible.
std::optional<std::vector<int64_t>> broadcastShape(ArrayRef<int64_t> a,
                                                   ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t d = 0; d < rank; ++d) {
    int64_t x = d < rank - a.size() ? 1 : a[d - (rank - a.size())];
    int64_t y = d < rank - b.size() ? 1 : b[d - (rank - b.size())];
    if (x != y && x != 1 && y != 1)
      return std::nullopt;
    out[d] = std::max(x, y);
  }
  return out;
}

/// Index into a tensor of `from` shape for the element at flat index `n` of
/// the broadcast `to` shape.
int64_t broadcastIndex(ArrayRef<int64_t> from, ArrayRef<int64_t> to,
                       int64_t n) {
  int64_t source = 0, stride = 1;
  size_t offset = to.size() - from.size();
  for (size_t d = to.size(); d-- > 0;) {
    int64_t coord = n % to[d];
    n /= to[d];
    if (d >= offset) {
      int64_t extent = from[d - offset];
      if (extent != 1)
        source += coord * stride;
      stride *= extent;
    }
  }
  return source;
}

class Folder {
public:
  explicit Folder(NodeBinder &b) : b(b) {}

  LogicalResult run();

private:
  FailureOr<Values> input(int i);
  LogicalResult output(int i, const Values &v);
  LogicalResult unary(const Values &x, StringRef op);
  LogicalResult binary(const Values &x, const Values &y, StringRef op);
  LogicalResult castTo(const Values &x);
  LogicalResult clip();

  NodeBinder &b;
};

FailureOr<Values> Folder::input(int i) {
  FailureOr<DenseElementsAttr> data = b.constantInput(i);
  if (failed(data))
    return failure();
  Values v;
  v.shape.assign(data->getType().getShape().begin(),
                 data->getType().getShape().end());
  // The blend type of the constant carries the signedness the attribute
  // lacks.
  v.dataType = onnxType(b.constantElementType(i));
  if (v.dataType == onnx::TensorProto::UNDEFINED) {
    (void)b.error("input '" + b.node().input(i) +
                  "' has an element type constant folding does not handle");
    return failure();
  }
  if (v.isFloat()) {
    for (APFloat x : data->getValues<APFloat>())
      v.f.push_back(x.convertToDouble());
  } else {
    bool isUnsigned = v.dataType == onnx::TensorProto::UINT8 ||
                      v.dataType == onnx::TensorProto::UINT16 ||
                      v.dataType == onnx::TensorProto::UINT32 ||
                      v.dataType == onnx::TensorProto::UINT64 ||
                      v.dataType == onnx::TensorProto::BOOL;
    for (APInt x : data->getValues<APInt>())
      v.i.push_back(isUnsigned ? int64_t(x.getZExtValue()) : x.getSExtValue());
  }
  return v;
}

LogicalResult Folder::output(int i, const Values &v) {
  onnx::TensorProto tensor;
  tensor.set_data_type(v.dataType);
  for (int64_t d : v.shape)
    tensor.add_dims(d);
  switch (v.dataType) {
  case onnx::TensorProto::FLOAT:
    for (double x : v.f)
      tensor.add_float_data(float(x));
    break;
  case onnx::TensorProto::DOUBLE:
    for (double x : v.f)
      tensor.add_double_data(x);
    break;
  case onnx::TensorProto::INT64:
    for (int64_t x : v.i)
      tensor.add_int64_data(x);
    break;
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::BOOL:
    for (int64_t x : v.i)
      tensor.add_int32_data(int32_t(x));
    break;
  default:
    return b.error("the folded result has an element type blend does not "
                   "import");
  }
  return b.setConstantOutput(i, tensor);
}

LogicalResult Folder::unary(const Values &x, StringRef op) {
  Values out = x;
  if (op == "Identity" || op == "Min" || op == "Max") // one-input Min / Max
    return output(0, out);
  if (!x.isFloat()) {
    if (op == "Neg" || op == "Abs" || op == "Relu") {
      for (int64_t &v : out.i)
        v = wrapTo(x.dataType, op == "Neg"   ? -v
                               : op == "Abs" ? std::abs(v)
                                             : std::max<int64_t>(v, 0));
      return output(0, out);
    }
    return b.error("constant folding of '" + op.str() +
                   "' needs a float input");
  }
  bool f32 = x.dataType == onnx::TensorProto::FLOAT;
  for (double &v : out.f) {
    float s = float(v);
    if (op == "Neg")
      v = -v;
    else if (op == "Abs")
      v = std::fabs(v);
    else if (op == "Relu")
      v = v > 0 ? v : 0.0;
    else if (op == "Sqrt")
      v = std::sqrt(v);
    else if (op == "Reciprocal")
      v = 1.0 / v;
    else if (op == "Floor")
      v = std::floor(v);
    else if (op == "Ceil")
      v = std::ceil(v);
    else if (op == "Round")
      v = std::nearbyint(v); // ties to even, as ONNX Round
    else if (op == "Exp")
      v = f32 ? double(std::exp(s)) : std::exp(v);
    else if (op == "Log")
      v = f32 ? double(std::log(s)) : std::log(v);
    v = roundTo(x.dataType, v);
  }
  return output(0, out);
}

LogicalResult Folder::binary(const Values &x, const Values &y, StringRef op) {
  if (x.dataType != y.dataType && op != "Pow")
    return b.error("operands of different element types");
  std::optional<std::vector<int64_t>> shape = broadcastShape(x.shape, y.shape);
  if (!shape)
    return b.error("the constant operands do not broadcast");
  if (std::optional<std::string> why = limits::checkShape(*shape))
    return b.error("the folded constant would be too large: " + *why);
  Values out;
  out.shape = *shape;
  out.dataType = x.dataType;
  int64_t count = out.size();
  for (int64_t n = 0; n < count; ++n) {
    int64_t ix = broadcastIndex(x.shape, out.shape, n);
    int64_t iy = broadcastIndex(y.shape, out.shape, n);
    if (x.isFloat()) {
      double a = x.f[ix];
      double c = y.isFloat() ? y.f[iy] : double(y.i[iy]);
      double r;
      if (op == "Add")
        r = a + c;
      else if (op == "Sub")
        r = a - c;
      else if (op == "Mul")
        r = a * c;
      else if (op == "Div")
        r = a / c;
      else if (op == "Min")
        r = std::min(a, c);
      else if (op == "Max")
        r = std::max(a, c);
      else // Pow: onnxruntime squares and cubes by multiplication
        r = c == 2.0   ? a * a
            : c == 3.0 ? roundTo(x.dataType, a * a) * a
            : x.dataType == onnx::TensorProto::FLOAT
                ? double(std::pow(float(a), float(c)))
                : std::pow(a, c);
      out.f.push_back(roundTo(x.dataType, r));
      continue;
    }
    if (op == "Pow")
      return b.error("constant folding of integer Pow is not supported");
    int64_t a = x.i[ix], c = y.i[iy], r;
    if (op == "Add")
      r = a + c;
    else if (op == "Sub")
      r = a - c;
    else if (op == "Mul")
      r = a * c;
    else if (op == "Div") {
      if (c == 0)
        return b.error("integer division by zero in a constant");
      r = a / c; // truncation, as onnxruntime's integer Div
    } else if (op == "Min")
      r = std::min(a, c);
    else
      r = std::max(a, c);
    out.i.push_back(wrapTo(x.dataType, r));
  }
  return output(0, out);
}

LogicalResult Folder::castTo(const Values &x) {
  std::optional<int64_t> to = b.intAttr("to");
  if (!to)
    return b.error("Cast needs a 'to' attribute");
  Values out;
  out.shape = x.shape;
  out.dataType = int32_t(*to);
  bool toFloat = *to == onnx::TensorProto::FLOAT || *to == onnx::TensorProto::DOUBLE;
  bool known = toFloat || *to == onnx::TensorProto::INT8 ||
               *to == onnx::TensorProto::UINT8 ||
               *to == onnx::TensorProto::INT16 ||
               *to == onnx::TensorProto::INT32 ||
               *to == onnx::TensorProto::INT64 ||
               *to == onnx::TensorProto::BOOL;
  if (!known)
    return b.error(llvm::formatv("Cast to ONNX data type {0} is not supported "
                                 "on constants",
                                 *to));
  int64_t count = x.size();
  for (int64_t n = 0; n < count; ++n) {
    double v = x.isFloat() ? x.f[n] : double(x.i[n]);
    if (toFloat) {
      out.f.push_back(roundTo(out.dataType, v));
    } else if (*to == onnx::TensorProto::BOOL) {
      out.i.push_back(v != 0.0);
    } else {
      if (x.isFloat() && !(std::fabs(v) < 9.2e18))
        return b.error("Cast of a non-finite or huge float to an integer");
      // Float to integer truncates toward zero (C++ conversion, as
      // onnxruntime), then wraps to the width.
      out.i.push_back(wrapTo(out.dataType, x.isFloat() ? int64_t(v) : x.i[n]));
    }
  }
  return output(0, out);
}

LogicalResult Folder::clip() {
  FailureOr<Values> x = input(0);
  if (failed(x))
    return failure();
  Values out = *x;
  // Clip-6 keeps its bounds in attributes, Clip-11+ in optional inputs.
  auto bound = [&](int index, StringRef attr,
                   double fallback) -> FailureOr<double> {
    if (b.opset() < 11) {
      std::optional<float> a = b.floatAttr(attr);
      return a ? double(*a) : fallback;
    }
    if (!b.hasInput(index))
      return fallback;
    FailureOr<Values> v = input(index);
    if (failed(v))
      return failure();
    if (v->size() != 1)
      return b.error("Clip bounds must be scalars");
    return v->isFloat() ? v->f[0] : double(v->i[0]);
  };
  FailureOr<double> lo = bound(1, "min", -INFINITY);
  FailureOr<double> hi = bound(2, "max", INFINITY);
  if (failed(lo) || failed(hi))
    return failure();
  // onnxruntime: min(max(x, lo), hi).
  if (out.isFloat())
    for (double &v : out.f)
      v = std::min(std::max(v, *lo), *hi);
  else
    for (int64_t &v : out.i) {
      // Bounds from the file may lie beyond int64 (converting those is
      // undefined): saturate.
      double r = std::min(std::max(double(v), *lo), *hi);
      v = r <= -0x1p63 ? INT64_MIN : r >= 0x1p63 ? INT64_MAX : int64_t(r);
    }
  return output(0, out);
}

LogicalResult Folder::run() {
  const onnx::NodeProto &node = b.node();
  StringRef op = node.op_type();
  if (op == "Clip")
    return clip();
  SmallVector<Values> inputs;
  for (int i = 0; i < b.numInputs(); ++i) {
    FailureOr<Values> v = input(i);
    if (failed(v))
      return failure();
    inputs.push_back(std::move(*v));
  }
  if (op == "Cast")
    return castTo(inputs[0]);
  if (inputs.size() == 1)
    return unary(inputs[0], op);
  return binary(inputs[0], inputs[1], op);
}

} // namespace

bool blend::isFoldableOnConstants(const onnx::NodeProto &node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return false;
  return llvm::StringSwitch<bool>(node.op_type())
      .Cases("Identity", "Neg", "Abs", "Relu", "Sqrt", "Reciprocal", true)
      .Cases("Floor", "Ceil", "Round", "Exp", "Log", true)
      .Cases("Add", "Sub", "Mul", "Div", "Pow", "Min", "Max", true)
      .Cases("Cast", "Clip", true)
      .Default(false);
}

LogicalResult blend::foldConstantNode(NodeBinder &b) {
  const onnx::NodeProto &node = b.node();
  StringRef op = node.op_type();
  // Only attributes whose meaning the folder implements.
  if (op == "Cast") {
    if (failed(b.onlyAttributes({"to", "saturate"})))
      return failure();
  } else if (op == "Clip") {
    if (failed(b.onlyAttributes({"min", "max"})))
      return failure();
  } else if (failed(b.onlyAttributes({}))) {
    return failure();
  }
  int arity = b.numInputs();
  bool variadic = op == "Min" || op == "Max";
  bool isBinary = op == "Add" || op == "Sub" || op == "Mul" || op == "Div" ||
                  op == "Pow";
  if (variadic && (arity < 1 || arity > 2))
    return b.error(llvm::formatv("constant folding of {0} takes one or two "
                                 "inputs, not {1}",
                                 op, arity));
  if ((isBinary && arity != 2) ||
      (!isBinary && !variadic && op != "Clip" && arity != 1))
    return b.error(llvm::formatv("expected {0} inputs, got {1}",
                                 isBinary ? 2 : 1, arity));
  return Folder(b).run();
}
