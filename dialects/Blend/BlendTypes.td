//===- BlendTypes.td - blend element types -----------------*- tablegen -*-===//
//
// Element types for binary and fixed-point tensors. They are *element* types:
// shapes stay on the builtin `tensor`, so every upstream shape utility applies.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_TYPES_TD
#define BLEND_TYPES_TD

include "mlir/IR/AttrTypeBase.td"
include "dialects/Blend/BlendDialect.td"

class Blend_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Blend_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Blend_BinaryType : Blend_Type<"Binary", "binary"> {
  let summary = "binary ±1 value";
  let description = [{
    One binary activation or weight. The storage bit 1 encodes +1 and 0 encodes
    -1, so a dot product of N binary values is `2·popcount(XNOR(a, w)) − N`.
    Zero is *not* a binary value: zero padding of a binary tensor is handled by
    the consuming op (see docs/semantics.md), never by storing a third value.

    ```mlir
    %a = ... : tensor<1x16x32x32x!blend.binary>
    ```
  }];
}

def Blend_FixedType : Blend_Type<"Fixed", "fixed"> {
  let summary = "fixed-point value";
  let description = [{
    A quantized real number `scale · (q − zeroPoint)`. The storage type `q` is a
    builtin integer with explicit signedness (`si8`, `ui4`, `si32`, …), which
    fixes its width and range; the scale is a positive finite double; the zero
    point, printed only when non-zero, lies inside the storage range.
    `narrow` drops one storage code at the end of the range (QONNX / Brevitas
    `narrow_range`, e.g. a 2-bit activation of {−1, 0, 1}): the smallest code
    of a signed type, the largest of an unsigned one. Every op that saturates
    to the storage range saturates to the narrow range.

    ```mlir
    %x = ... : tensor<1x16x32x32x!blend.fixed<si8, 1.250000e-02>>
    %y = ... : tensor<1x16x32x32x!blend.fixed<ui8, 3.906250e-03, zp = 128>>
    %t = ... : tensor<1x64x!blend.fixed<si2, 1.000000e+00, narrow>>
    ```
  }];
  let parameters = (ins "::mlir::IntegerType":$storageType,
                        APFloatParameter<"real value of one storage step">:$scale,
                        "int64_t":$zeroPoint,
                        DefaultValuedParameter<"bool", "false",
                          "the range omits its most negative (signed) or largest "
                          "(unsigned) code">:$narrow);
  let builders = [
    TypeBuilderWithInferredContext<(ins "::mlir::IntegerType":$storageType,
                                        "double":$scale,
                                        CArg<"int64_t", "0">:$zeroPoint,
                                        CArg<"bool", "false">:$narrow), [{
      return $_get(storageType.getContext(), storageType,
                   ::llvm::APFloat(scale), zeroPoint, narrow);
    }]>
  ];
  let genVerifyDecl = 1;
  let hasCustomAssemblyFormat = 1;
  let extraClassDeclaration = [{
    /// Storage width in bits.
    unsigned getWidth() const { return getStorageType().getWidth(); }
    /// True when the storage integer is signed.
    bool isSigned() const { return getStorageType().isSigned(); }
    /// The scale as a double.
    double getScaleValue() const { return getScale().convertToDouble(); }
    /// Smallest and largest storage values.
    int64_t getStorageMin() const;
    int64_t getStorageMax() const;
    /// Largest |q − zeroPoint| over the storage range: the magnitude bound that
    /// accumulator-width proofs use.
    uint64_t getMaxMagnitude() const;
  }];
}


def Blend_BufferType : Blend_Type<"Buffer", "buffer"> {
  let summary = "a tensor the network accelerator holds on chip";
  let description = [{
    The value of a `blend.layer_step` (or the input of a `blend.network`): one
    tensor in blend_net's activation (and binary) memory, a word per pixel.
    Its uses are the passes that read it, so its live range — from the pass
    that writes it to the last pass that reads it — is the def-use chain that
    `blend-allocate-buffers` places in memory.

    ```mlir
    %t = blend.layer_step main(%x) {...} : !blend.buffer
    ```
  }];
}

#endif // BLEND_TYPES_TD
