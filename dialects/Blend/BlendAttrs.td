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
    `binary_impl` is `dsp` (XNORs in DSP48E2 logic mode), `lut`, or `auto`
    (`dsp` unless only `lut` fits; blend-map-to-target resolves it); `stripes`
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
    StringRefParameter<"auto, dsp or lut">:$binary_impl,
    "unsigned":$stripes,
    StringRefParameter<"auto, keep or recompute">:$stripe_halo);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Blend_DatapathAttr : AttrDef<Blend_Dialect, "Datapath"> {
  let mnemonic = "datapath";
  let summary = "blend_net's parameters, as far as the network passes chose them";
  let description = [{
    The generated core's parameters on a `blend.network` (docs/hardware.md):
    `blend-form-network` sets `fixed_channels` and `output_rank`,
    `blend-tile` `lanes`, `pe`, `tiled`, `blend-stripe` `stripes`,
    `blend-pack-dsp` `folds`, `main_folds`, `fixed_copies`, `pack_bits`,
    `pairs`, and `blend-allocate-buffers` the memories (`max_channels`,
    `depth`, the weight and constant depths, `max_steps`, the accumulator
    widths, `desc_banks`). Names are the schedule's text-dump names; only
    values that differ from a fresh core's are printed, sorted by name:

    ```mlir
    hardware = #blend.datapath<fixed_channels = 4, lanes = 8, pe = 16>
    ```

    An unknown name is a parse error; the verifier checks each value's
    domain (lanes a power of two, folds 1/2/4, descriptor banks 1/8, ...).
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t", "every parameter, in schedule order">:$values);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The datapath of `hardware`, and back.
    static DatapathAttr get(::mlir::MLIRContext *context,
                            const ::blend::schedule::NetworkHardware &hardware);
    ::blend::schedule::NetworkHardware getHardware() const;
  }];
}

def Blend_StepAttr : AttrDef<Blend_Dialect, "Step"> {
  let mnemonic = "step";
  let summary = "one layer step's descriptor: what blend_net does in it";
  let description = [{
    The descriptor fields of a `blend.layer_step` (docs/schedule-format.md),
    by name; only non-zero fields are printed, sorted by name:

    ```mlir
    fields = #blend.step<o = 8, oh = 1, ow = 1, s_c = 4, s_cgroups = 1,
                         skip_en = 1>
    ```

    The step's kind follows from its fields: a copy or load (`load` 2 or 1),
    a transpose (`transpose`), or a layer step with a binary path
    (`main_en`, the `m_*` fields), a fixed-point path (`skip_en`, `s_*`),
    their join and output stage. An unknown name is a parse error; the
    verifier checks each field's domain (flags 0/1, folds 1/2/4, packed
    slots 16/32/64, rounding and load modes, no negative sizes or
    addresses); how a step fits the core is the step ops' and the
    schedule validator's.
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t", "every field, in descriptor order">:$values);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    int64_t get(::blend::schedule::StepField field) const {
      return getValues()[size_t(field)];
    }
  }];
}

def Blend_ChannelConstantsAttr : AttrDef<Blend_Dialect, "ChannelConstants"> {
  let mnemonic = "constants";
  let summary = "a layer step's per-channel constants";
  let description = [{
    The per-output-channel requantization constants of a `blend.layer_step`
    (docs/hardware.md): the main (binary) path's, the skip (fixed-point)
    path's and the output stage's multiplier, shift and bias, each an array
    of `o` values; an absent array is all zeros (a path the step does not
    use), and a transpose step has none:

    ```mlir
    constants = #blend.constants<skip_multiplier = array<i64: 77, 80>,
                                 skip_shift = array<i64: 9, 9>>
    ```

    The verifier of `blend.layer_step` checks every present array has `o`
    values.
  }];
  let parameters = (ins
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$main_multiplier,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$main_shift,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$main_bias,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$skip_multiplier,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$skip_shift,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$skip_bias,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$out_multiplier,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$out_shift,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$out_bias);
  let assemblyFormat = "`<` struct(params) `>`";
}

def Blend_HostStepAttr : AttrDef<Blend_Dialect, "HostStep"> {
  let mnemonic = "host_step";
  let summary = "one float operation the host applies around the accelerator";
  let description = [{
    A step of the model's pre-processing before the input quantizer or of
    its post-processing after the output dequantizer (schedule::HostStep,
    docs/schedule-format.md records 7 and 8): its kind, the shape it
    produces, its constant operand and its permutation, where it has them.

    ```mlir
    #blend.host_step<kind = 2, shape = array<i64>, constant = array<f32: 2.0>,
                     perm = array<i64>>
    ```
  }];
  let parameters = (ins "int64_t":$kind, "::mlir::DenseI64ArrayAttr":$shape,
                        "::mlir::DenseF32ArrayAttr":$constant,
                        "::mlir::DenseI64ArrayAttr":$perm);
  let assemblyFormat = "`<` struct(params) `>`";
}

def Blend_HostInputAttr : AttrDef<Blend_Dialect, "HostInput"> {
  let mnemonic = "host_input";
  let summary = "what the host does to the model input: its quantizer";
  let description = [{
    The input record of a `blend.network`: the host quantizer
    q = clamp(rint(x / scale) + zero_point, q_min, q_max) of the C x H x W
    image, and the float steps before it (`steps`, `#blend.host_step`s) with
    the raw input's shape (`shape`, batch dimension included).

    ```mlir
    input = #blend.host_input<scale = 2.500000e-01 : f64, zero_point = 0,
                              q_min = -128, q_max = 127, c = 2, h = 4, w = 4>
    ```
  }];
  let parameters = (ins "::mlir::FloatAttr":$scale, "int64_t":$zero_point,
                        "int64_t":$q_min, "int64_t":$q_max, "int64_t":$c,
                        "int64_t":$h, "int64_t":$w,
                        OptionalParameter<"::mlir::DenseI64ArrayAttr">:$shape,
                        OptionalParameter<"::mlir::ArrayAttr">:$steps);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Blend_HostOutputAttr : AttrDef<Blend_Dialect, "HostOutput"> {
  let mnemonic = "host_output";
  let summary = "what the host does to the accelerator's output: its dequantizer";
  let description = [{
    The output record of a `blend.network`: the host dequantizer of the C x
    H x W result (`binary` outputs become +-1, int8 ones
    (q - zero_point) * scale) and the float steps after it (`steps`).

    ```mlir
    output = #blend.host_output<binary = 0, scale = 1.250000e-01 : f64,
                                zero_point = 0, c = 10, h = 1, w = 1>
    ```
  }];
  let parameters = (ins "int64_t":$binary, "::mlir::FloatAttr":$scale,
                        "int64_t":$zero_point, "int64_t":$c, "int64_t":$h,
                        "int64_t":$w,
                        OptionalParameter<"::mlir::ArrayAttr">:$steps);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // BLEND_ATTRS_TD
