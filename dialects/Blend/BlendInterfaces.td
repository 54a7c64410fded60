//===- BlendInterfaces.td - what every step of a layer program has -*- tablegen -*-===//

#ifndef BLEND_INTERFACES_TD
#define BLEND_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Blend_StepOpInterface : OpInterface<"StepOp"> {
  let cppNamespace = "::blend";
  let description = [{
    One step of blend_net's layer program inside a `blend.network`: a layer
    step (`blend.layer_step`: the binary and/or fixed-point path, their join
    and output stage), a transpose (`blend.transpose_step`), or, in row
    stripes, a load of input rows (`blend.load_step`) or a copy of kept rows
    (`blend.copy_step`). Every step has a descriptor (`#blend.step`), writes
    one buffer, and is traced by the co-simulation; the network passes and
    the exporter treat the four alike through this interface, and each op
    verifies what its kind may hold.
  }];
  let methods = [
    InterfaceMethod<"The descriptor.", "::blend::StepAttr", "getFields", (ins),
      "", [{ return $_op.getFields(); }]>,
    InterfaceMethod<"Sets the descriptor.", "void", "setFieldsAttr",
      (ins "::blend::StepAttr":$fields), "",
      [{ $_op.setFieldsAttr(fields); }]>,
    InterfaceMethod<"The binary path's input (a layer step), or null.",
      "::mlir::Value", "getMain", (ins), "", [{ return $_op.getMain(); }]>,
    InterfaceMethod<"The fixed-point path's input (a layer step) or the "
      "transposed tensor, or null.", "::mlir::Value", "getSkip", (ins), "",
      [{ return $_op.getSkip(); }]>,
    InterfaceMethod<"The storage an output-channel tile or a later stripe "
      "writes into, or null.", "::mlir::Value", "getInto", (ins), "",
      [{ return $_op.getInto(); }]>,
    InterfaceMethod<"The `into` operand, to set or clear.",
      "::mlir::MutableOperandRange", "getIntoMutable", (ins), "",
      [{ return $_op.getIntoMutable(); }]>,
    InterfaceMethod<"The buffer the step writes.", "::mlir::Value",
      "getResult", (ins), "", [{ return $_op.getResult(); }]>,
    InterfaceMethod<"The per-channel constants.",
      "::blend::ChannelConstantsAttr", "getConstants", (ins), "",
      [{ return $_op.getConstants(); }]>,
    InterfaceMethod<"Sets the per-channel constants.", "void",
      "setConstantsAttr", (ins "::blend::ChannelConstantsAttr":$constants), "",
      [{ $_op.setConstantsAttr(constants); }]>,
    InterfaceMethod<"The binary weight rows, or null.",
      "::mlir::DenseIntElementsAttr", "getBinaryWeightsAttr", (ins), "",
      [{ return $_op.getBinaryWeightsAttr(); }]>,
    InterfaceMethod<"Sets the binary weight rows.", "void",
      "setBinaryWeightsAttr", (ins "::mlir::DenseIntElementsAttr":$w), "",
      [{ $_op.setBinaryWeightsAttr(w); }]>,
    InterfaceMethod<"Drops the binary weight rows (returns them).",
      "::mlir::Attribute", "removeBinaryWeightsAttr", (ins), "",
      [{ return $_op.removeBinaryWeightsAttr(); }]>,
    InterfaceMethod<"The fixed-point weight rows, or null.",
      "::mlir::DenseIntElementsAttr", "getFixedWeightsAttr", (ins), "",
      [{ return $_op.getFixedWeightsAttr(); }]>,
    InterfaceMethod<"Sets the fixed-point weight rows.", "void",
      "setFixedWeightsAttr", (ins "::mlir::DenseIntElementsAttr":$w), "",
      [{ $_op.setFixedWeightsAttr(w); }]>,
    InterfaceMethod<"Drops the fixed-point weight rows (returns them).",
      "::mlir::Attribute", "removeFixedWeightsAttr", (ins), "",
      [{ return $_op.removeFixedWeightsAttr(); }]>,
    InterfaceMethod<"The IR op whose value the step produces.",
      "::llvm::StringRef", "getTracedOp", (ins), "",
      [{ return $_op.getTracedOp(); }]>,
    InterfaceMethod<"Sets the traced op.", "void", "setTracedOp",
      (ins "::llvm::StringRef":$name), "", [{ $_op.setTracedOp(name); }]>,
    InterfaceMethod<"Whether the output is stored channel-last.", "bool",
      "getChannelLast", (ins), "", [{ return $_op.getChannelLast(); }]>,
    InterfaceMethod<"Sets the channel-last flag.", "void", "setChannelLast",
      (ins "bool":$value), "", [{ $_op.setChannelLast(value); }]>,
    InterfaceMethod<"The binary accumulator width, if set.",
      "::std::optional<uint64_t>", "getMainAccWidth", (ins), "",
      [{ return $_op.getMainAccWidth(); }]>,
    InterfaceMethod<"Sets the binary accumulator width.", "void",
      "setMainAccWidth", (ins "uint64_t":$bits), "",
      [{ $_op.setMainAccWidth(bits); }]>,
    InterfaceMethod<"The fixed-point accumulator width, if set.",
      "::std::optional<uint64_t>", "getSkipAccWidth", (ins), "",
      [{ return $_op.getSkipAccWidth(); }]>,
    InterfaceMethod<"Sets the fixed-point accumulator width.", "void",
      "setSkipAccWidth", (ins "uint64_t":$bits), "",
      [{ $_op.setSkipAccWidth(bits); }]>,
    InterfaceMethod<"The largest |q - zp| the fixed-point path reads, if set.",
      "::std::optional<uint64_t>", "getSkipMagnitude", (ins), "",
      [{ return $_op.getSkipMagnitude(); }]>,
    InterfaceMethod<"Sets the fixed-point path's largest |q - zp|.", "void",
      "setSkipMagnitude", (ins "uint64_t":$value), "",
      [{ $_op.setSkipMagnitude(value); }]>,
    InterfaceMethod<"A row stripe of a tensor stored whole.", "bool",
      "getWhole", (ins), "", [{ return $_op.getWhole(); }]>,
    InterfaceMethod<"Marks a row stripe of a tensor stored whole.", "void",
      "setWhole", (ins "bool":$value), "", [{ $_op.setWhole(value); }]>,
    InterfaceMethod<"The binary accumulator width attribute, or null.",
      "::mlir::IntegerAttr", "getMainAccWidthAttr", (ins), "",
      [{ return $_op.getMainAccWidthAttr(); }]>,
    InterfaceMethod<"Sets the binary accumulator width attribute.", "void",
      "setMainAccWidthAttr", (ins "::mlir::IntegerAttr":$a), "",
      [{ $_op.setMainAccWidthAttr(a); }]>,
    InterfaceMethod<"The fixed-point accumulator width attribute, or null.",
      "::mlir::IntegerAttr", "getSkipAccWidthAttr", (ins), "",
      [{ return $_op.getSkipAccWidthAttr(); }]>,
    InterfaceMethod<"Sets the fixed-point accumulator width attribute.",
      "void", "setSkipAccWidthAttr", (ins "::mlir::IntegerAttr":$a), "",
      [{ $_op.setSkipAccWidthAttr(a); }]>,
    InterfaceMethod<"The largest |q - zp| attribute, or null.",
      "::mlir::IntegerAttr", "getSkipMagnitudeAttr", (ins), "",
      [{ return $_op.getSkipMagnitudeAttr(); }]>,
    InterfaceMethod<"Sets the largest |q - zp| attribute.", "void",
      "setSkipMagnitudeAttr", (ins "::mlir::IntegerAttr":$a), "",
      [{ $_op.setSkipMagnitudeAttr(a); }]>,
    InterfaceMethod<"A kept-rows stripe's first stored row, if any.",
      "::std::optional<uint64_t>", "getBandBegin", (ins), "",
      [{ return $_op.getBandBegin(); }]>,
    InterfaceMethod<"Sets the first stored row.", "void", "setBandBegin",
      (ins "uint64_t":$row), "", [{ $_op.setBandBegin(row); }]>,
    InterfaceMethod<"A kept-rows stripe's stored rows, if any.",
      "::std::optional<uint64_t>", "getBandRows", (ins), "",
      [{ return $_op.getBandRows(); }]>,
    InterfaceMethod<"Sets the stored rows.", "void", "setBandRows",
      (ins "uint64_t":$rows), "", [{ $_op.setBandRows(rows); }]>,
  ];
}

#endif // BLEND_INTERFACES_TD
