//===- ConstantFolding.h - ONNX nodes over constants, at import -*- C++ -*-===//
//
// Standard-ONNX nodes whose inputs are all constants (initializers, Constant
// nodes or earlier folded nodes) are evaluated by the importer before the
// handler table is consulted, with onnxruntime's CPU arithmetic on the
// tensor's element type, and their outputs become constants.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_COMPILER_IMPORT_CONSTANTFOLDING_H
#define BLEND_COMPILER_IMPORT_CONSTANTFOLDING_H

#include "compiler/Import/OnnxImporter.h"

namespace blend {

/// True for the standard ops the importer evaluates when all inputs are
/// constant: Identity, Cast, Clip, the elementwise arithmetic (Add, Sub,
/// Mul, Div, Pow, Min, Max, Neg, Abs, Relu, Sqrt, Reciprocal, Floor, Ceil,
/// Round, Exp, Log).
bool isFoldableOnConstants(const onnx::NodeProto &node);

/// Evaluates the node bound to `b` (all inputs constant) and binds its
/// outputs as constants; fails after NodeBinder::error() on an attribute or
/// operand it cannot evaluate exactly.
mlir::LogicalResult foldConstantNode(NodeBinder &b);

} // namespace blend

#endif // BLEND_COMPILER_IMPORT_CONSTANTFOLDING_H
