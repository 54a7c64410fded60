//===- Passes.td - the datapath search as a pass ----------*- tablegen -*-===//

#ifndef BLEND_COMPILER_SEARCH_PASSES_TD
#define BLEND_COMPILER_SEARCH_PASSES_TD

include "mlir/Pass/PassBase.td"

def MapToTarget : Pass<"blend-map-to-target", "mlir::ModuleOp"> {
  let summary = "Choose the accelerator for a target part and lower onto it";
  let description = [{
    What `blendc` does between the integer IR and the emitters, as a pass:
    sets the module's `#blend.target` (from `target=PART`, looked up in the
    device database, and the budget options; or, without `target`, the
    attribute already on the module), runs the datapath search
    (compiler/Search/DatapathSearch.h: every candidate datapath built by
    `blend-lower-to-network` with its options and estimated by the cost
    model; the fastest that fits wins), and lowers @main onto the winner in
    place. Afterwards `blend-translate --export-network` prints exactly the
    `schedule.bin` blendc writes for the same model and options:

    ```
    blend-opt --blend-map-to-target='target=xczu3eg dsp-budget=200' int.mlir \
      | blend-translate --export-network > schedule.bin
    ```

    A part of another DSP family, or a model no datapath of the part fits, is
    an error (with the numbers); a layer blend_net cannot run is an error at
    its op. With `binary-impl=auto` (the default) the binary XNORs run in
    DSP48E2 logic mode unless no such datapath fits; the module's
    `#blend.target` afterwards says which was chosen.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "The part (a name from `blendc --list-targets`); empty: the "
           "module's blend.target">,
    Option<"dspBudget", "dsp-budget", "unsigned", /*default=*/"0",
           "DSP48E2 the design may use (0: the whole part)">,
    Option<"bramBudget", "bram-budget", "unsigned", /*default=*/"0",
           "RAMB36 the design may use (0: the whole part)">,
    Option<"clockMhz", "clock-mhz", "double", /*default=*/"200.0",
           "The clock the latency is quoted at">,
    Option<"binaryImpl", "binary-impl", "std::string", /*default=*/"\"auto\"",
           "Binary XNORs in DSP48E2 logic mode (dsp), LUTs (lut), or auto "
           "(dsp unless only lut fits)">,
    Option<"stripes", "stripes", "unsigned", /*default=*/"0",
           "Row stripes of the first layers (0: as needed, 1: none, N)">,
    Option<"stripeHalo", "stripe-halo", "std::string",
           /*default=*/"\"auto\"",
           "Striped halo rows: auto, keep or recompute">,
  ];
}

#endif // BLEND_COMPILER_SEARCH_PASSES_TD
