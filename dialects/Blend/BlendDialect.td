//===- BlendDialect.td - blend dialect definition ----------*- tablegen -*-===//
//
// The `blend` dialect models networks that blend binary (±1) and fixed-point
// layers. Graph-level ops keep ONNX's float/quantized meaning; integer layer
// ops (threshold, requant) carry the bit-exact contract of docs/semantics.md.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_DIALECT_TD
#define BLEND_DIALECT_TD

include "mlir/IR/OpBase.td"

def Blend_Dialect : Dialect {
  let name = "blend";
  let cppNamespace = "::blend";
  let summary = "Binary / fixed-point blended neural networks for FPGA accelerators";
  let description = [{
    The `blend` dialect is the IR of the blend compiler. It represents neural
    networks that mix **binary** layers (activations and weights in {-1, +1},
    stored as one bit: 1 ↔ +1, 0 ↔ -1) with **fixed-point** layers (integers
    with a real-valued scale and zero point), plus the float operations that an
    ONNX export still contains before they are folded away.

    Element types say the precision of every tensor:

    * `!blend.binary` — a ±1 value,
    * `!blend.fixed<si8, 0.0125>` — a fixed-point value `scale · (q − zp)`
      stored in a signed or unsigned integer `q`,
    * builtin signed integers (`si16`, `si32`) — exact integer accumulators,
    * builtin floats (`f32`) — graph-level real values.

    Op verifiers check shapes, attributes and precisions, including that every
    integer result is wide enough for the proven bound of the value it holds.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let extraClassDeclaration = [{
    /// Registers the element types (BlendTypes.td); defined in BlendTypes.cpp.
    void registerTypes();
    /// Registers the attributes (BlendAttrs.td); defined in BlendAttrs.cpp.
    void registerAttributes();
  }];
}

class Blend_Op<string mnemonic, list<Trait> traits = []>
    : Op<Blend_Dialect, mnemonic, traits>;

#endif // BLEND_DIALECT_TD
