//===- BlendAttrs.td - blend attributes and enums ----------*- tablegen -*-===//
//
// Enumerations shared by blend ops: the requantization rounding rule.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_ATTRS_TD
#define BLEND_ATTRS_TD

include "mlir/IR/EnumAttr.td"
include "dialects/Blend/BlendDialect.td"

def Blend_RoundingHalfEven : I32EnumAttrCase<"HalfEven", 0, "half_even">;
def Blend_RoundingHalfUp : I32EnumAttrCase<"HalfUp", 1, "half_up">;
def Blend_RoundingFloor : I32EnumAttrCase<"Floor", 2, "floor">;

def Blend_RoundingMode : I32EnumAttr<"RoundingMode",
    "how requantization rounds a value exactly halfway between two integers",
    [Blend_RoundingHalfEven, Blend_RoundingHalfUp, Blend_RoundingFloor]> {
  let cppNamespace = "::blend";
  let description = [{
    `half_even` rounds ties to the even integer (ONNX QuantizeLinear's rule);
    `half_up` rounds ties towards +infinity (add half, arithmetic shift right:
    the cheapest hardware rule). `floor` truncates towards −infinity (a plain
    arithmetic shift: QONNX `Trunc`, Brevitas's truncating average pool).
  }];
}

#endif // BLEND_ATTRS_TD
