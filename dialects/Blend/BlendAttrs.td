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


include "mlir/IR/AttrTypeBase.td"

def Blend_TargetAttr : AttrDef<Blend_Dialect, "Target"> {
  let mnemonic = "target";
  let summary = "the part a design is built for, and its budgets";
  let description = [{
    Set on the module by `blendc` (from the device database, compiler/Target,
    and its options) or by `blend-opt --blend-map-to-target='target=PART …'`,
    so every pass after it sees the part the accelerator must fit:

    ```mlir
    module attributes {blend.target = #blend.target<part = "xczu3eg-sbva484-1-e",
        board = "Ultra96-V2", dsp_family = "DSP48E2", dsp = 360, bram36 = 216,
        lut = 70560, ff = 141120, clock_mhz = 2.000000e+02 : f64, dsp_budget = 0,
        bram_budget = 0, binary_impl = "dsp", stripes = 0, stripe_halo = "auto">}
    ```

    `dsp`, `bram36`, `lut`, `ff` are the part's; `dsp_budget` and
    `bram_budget` cap what the design may use (0: the whole part);
    `binary_impl` is `dsp` (XNORs in DSP48E2 logic mode) or `lut`; `stripes`
    is 0 (row stripes only when whole tensors do not fit), 1 (never) or N;
    `stripe_halo` is `auto`, `keep` or `recompute`.
  }];
  let parameters = (ins
    StringRefParameter<"the part">:$part,
    StringRefParameter<"the board it sits on, if known">:$board,
    StringRefParameter<"its DSP block family">:$dsp_family,
    "unsigned":$dsp, "unsigned":$bram36, "unsigned":$lut, "unsigned":$ff,
    "::mlir::FloatAttr":$clock_mhz,
    "unsigned":$dsp_budget, "unsigned":$bram_budget,
    StringRefParameter<"dsp or lut">:$binary_impl,
    "unsigned":$stripes,
    StringRefParameter<"auto, keep or recompute">:$stripe_halo);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // BLEND_ATTRS_TD
