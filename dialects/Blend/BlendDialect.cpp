//===- BlendDialect.cpp - blend dialect registration ----------------------===//
//
// Registers ops and types and materializes folded constants. Verifiers and
// folders live in BlendOps.cpp, type parsing in BlendTypes.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/Blend/BlendOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace blend;

#include "dialects/Blend/BlendDialect.cpp.inc"

void BlendDialect::initialize() {
  registerTypes();
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "dialects/Blend/BlendOps.cpp.inc"
      >();
}

/// Folded constants keep the raw-storage attribute of blend.constant, so the
/// materialized op is again a blend.constant of the requested type.
Operation *BlendDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!elements || !tensorType)
    return nullptr;
  return builder.create<ConstantOp>(loc, tensorType, elements);
}

void blend::registerBlendIRDialects(mlir::DialectRegistry &registry) {
  registry.insert<BlendDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::math::MathDialect>();
}
