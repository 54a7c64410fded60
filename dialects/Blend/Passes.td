//===- Passes.td - blend transformation passes -------------*- tablegen -*-===//
//
// The passes that take an imported ONNX graph to blend integer layer ops. Each
// is one file in Transforms/ named after its record, with a lit test named
// after its argument in test/Transforms/.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_PASSES_TD
#define BLEND_PASSES_TD

include "mlir/Pass/PassBase.td"

def RecognizeBinarizers : Pass<"blend-recognize-binarizers", "mlir::func::FuncOp"> {
  let summary = "Turn compare-and-select patterns into blend binarizers and thresholds";
  let description = [{
    Exporters spell a binarizer as `Where(x >= 0, 1, -1)`; the importer keeps
    that as `arith.cmpf` + `arith.select` on tensors. This pass rewrites

    * `select(cmpf oge(x, 0), +1, -1)` (and `olt` with swapped branches) into
      `dequantize(binarize(x))`, and
    * any `select(cmpf <pred>(dequantize(q), c), +1, -1)` on a fixed-point `q`
      into an exact integer `blend.threshold` on `q` (the comparison with the
      real constant `c` becomes an integer threshold on the storage).

    Before:
    ```mlir
    %c = arith.cmpf oge, %x, %zeros : tensor<1x16x8x8xf32>
    %b = arith.select %c, %ones, %minus_ones : tensor<1x16x8x8xi1>, tensor<1x16x8x8xf32>
    ```
    After:
    ```mlir
    %s = blend.binarize %x : tensor<1x16x8x8xf32> -> tensor<1x16x8x8x!blend.binary>
    %b = blend.dequantize %s : tensor<1x16x8x8x!blend.binary> -> tensor<1x16x8x8xf32>
    ```
  }];
  let dependentDialects = ["blend::BlendDialect"];
}

def CanonicalizeTransposes
    : Pass<"blend-canonicalize-transposes", "mlir::func::FuncOp"> {
  let summary = "Cancel layout transposes and move the rest onto exact data";
  let description = [{
    PyTorch exports a `BatchNorm1d` over the last axis of `[B, N, F]` as
    `Transpose(0, 2, 1) → BatchNormalization → Transpose(0, 2, 1)`, and
    MLP-Mixer's token mixing as transposes of dequantized activations. This pass

    * composes `transpose(transpose(x))` (an identity folds away),
    * rewrites `batch_norm(transpose(x, P), axis a)` into
      `transpose(batch_norm(x, axis P[a]), P)` so the transposes meet and cancel,
    * rewrites `transpose(dequantize(e))` into `dequantize(transpose(e))`, so
      a transpose that is real data movement acts on the exact (int8 or
      binary) tensor and the dequantize stays next to its exact consumer.

    Before:
    ```mlir
    %t = blend.transpose %y permutation [0, 2, 1] : tensor<1x8x4xf32> -> tensor<1x4x8xf32>
    %n = blend.batch_norm %t, %g, %b, %m, %v {epsilon = 1.0e-05 : f64} : (...) -> tensor<1x4x8xf32>
    %u = blend.transpose %n permutation [0, 2, 1] : tensor<1x4x8xf32> -> tensor<1x8x4xf32>
    ```
    After:
    ```mlir
    %u = blend.batch_norm %y, %g, %b, %m, %v {axis = 2 : i64, epsilon = 1.0e-05 : f64} : (...) -> tensor<1x8x4xf32>
    ```
  }];
  let dependentDialects = ["blend::BlendDialect"];
}

def ExactLinear : Pass<"blend-exact-linear", "mlir::func::FuncOp"> {
  let summary = "Make float convolutions and matmuls of exact operands exact";
  let description = [{
    A float `blend.conv2d` / `blend.matmul` whose input is the dequantized
    value of a binary or fixed-point tensor, and whose weights are constants of
    the same kind (±1 floats for binary; a dequantized fixed-point constant for
    fixed-point), is rewritten into the exact op on the underlying values,
    followed by a `blend.dequantize` of its accumulator. The accumulator type is
    the narrowest signed integer that holds the proven bound.

    Before:
    ```mlir
    %xf = blend.dequantize %xb : tensor<1x16x8x8x!blend.binary> -> tensor<1x16x8x8xf32>
    %y = blend.conv2d %xf, %w strides [1, 1] pads [1, 1, 1, 1] : (...) -> tensor<1x16x8x8xf32>
    ```
    After:
    ```mlir
    %acc = blend.conv2d %xb, %wb strides [1, 1] pads [1, 1, 1, 1] : (...) -> tensor<1x16x8x8xsi9>
    %y = blend.dequantize %acc : tensor<1x16x8x8xsi9> -> tensor<1x16x8x8xf32>
    ```

    What exporters leave is recognized too: ±1 or integer-valued float
    weights on a fixed-point input (2-bit or n-bit weights of scale 1), float
    weights that are integers times one scale per output channel (a batch
    norm folded into int8 weights: the integers and the scales are
    recovered), and a float bias that a binarizer reads (kept exact, added in
    float behind the layer: `arith.addf`, for blend-fold-batchnorm). A float
    step on a small-range exact value whose every code lands on one grid
    becomes an exact `blend.requant` (docs/semantics.md, "Grid folds").
  }];
  let dependentDialects = ["blend::BlendDialect", "mlir::arith::ArithDialect"];
}

def FoldBatchNorm : Pass<"blend-fold-batchnorm", "mlir::func::FuncOp"> {
  let summary = "Fold batch norms into integer thresholds and requantizations";
  let description = [{
    Implements docs/semantics.md §6–§7 on exact inputs:

    * `binarize(batch_norm(dequantize(acc)))` → `blend.threshold` with a
      per-channel integer threshold and a sign flip where γ < 0;
    * `add(batch_norm(dequantize(a)), batch_norm(dequantize(b)))` (the Blend
      module join) → two `half_up` requants onto a common power-of-two grid and
      an exact `blend.add`, recording the per-channel error bound as
      `blend.error_bound`;
    * `binarize(dequantize(f))` → `binarize(f)` and
      `quantize(dequantize(f))` → a `half_even` requant of `f`.

    Batch-norm parameters must be constants.
  }];
  let options = [
    Option<"multiplierBits", "multiplier-bits", "unsigned", /*default=*/"18",
           "Signed width of requant multipliers (18 fits a DSP48E2 B port)">,
    Option<"joinBits", "join-bits", "unsigned", /*default=*/"24",
           "Signed width of each requantized path before the join add">,
  ];
  let dependentDialects = ["blend::BlendDialect"];
}

def FuseModules : Pass<"blend-fuse-modules", "mlir::func::FuncOp"> {
  let summary = "Group the integer ops of each Blend module into one blend.blend_module";
  let description = [{
    A Blend module in integer form is anchored at its join: a `blend.add` of
    two requants, one reached from a binary convolution or matmul (the main
    path), the other from a fixed-point one (the skip path) or directly from
    the module input (an identity shortcut). The module input is the skip
    path's input; the module is every op between it and the join, plus the
    join's single requant / threshold / binarize consumer. When that set is
    closed (nothing outside uses an inner value, nothing inside reads a
    value other than the input and constants) it is moved into the body of a
    `blend.blend_module`, which the golden executor and the accelerator
    export execute as one unit.

    Before: the 8–10 integer ops of the module in the function body.
    After:
    ```mlir
    %y = blend.blend_module(%x) : (tensor<...>) -> tensor<...> {
    ^bb0(%in: tensor<...>):
      %b = blend.binarize %in ...
      ...
      blend.yield %out : tensor<...>
    }
    ```
  }];
  let dependentDialects = ["blend::BlendDialect"];
}

def VerifyInteger : Pass<"blend-verify-integer", "mlir::func::FuncOp"> {
  let summary = "Check that only integer layer ops remain between quantize and dequantize";
  let description = [{
    After lowering, a function may use float only at its boundary, the
    host's share of the model: float steps with constants (elementwise
    arithmetic, clip, batch norm, reshape, transpose) from an argument to the
    `blend.quantize` / `blend.binarize` that makes it exact, and from the
    `blend.dequantize` / `blend.channel_scale` of the result to the return
    (plus a `blend.argmax`). Any other float-valued op (or a non-blend op)
    means a pattern was not recognized; the pass reports the first such op
    at its ONNX node's location and fails, so nothing is ever silently
    executed in float.
  }];
}


//===----------------------------------------------------------------------===//
// Integer layer ops → blend_net (hardware-level ops)
//===----------------------------------------------------------------------===//

def FormNetwork : Pass<"blend-form-network", "mlir::ModuleOp"> {
  let summary = "Turn @main's integer layer ops into blend_net layer steps";
  let description = [{
    Every value the hardware must hold (the input of a convolution or a
    classifier, and the model output) becomes the result of one
    `blend.layer_step` in a new `blend.network` next to `@main`: a threshold of a
    binary convolution, a requant of one path, the requant or binarize of a
    binary + fixed-point join, or the streamed head. Fused
    `blend.blend_module` bodies are read through. A path's weights are laid
    out per output channel in the rows the engines read: binary taps of
    48-bit words, fixed-point (tap, group of `fixed-channels` channels).
    Rank-3 token tensors read in the other layout get a transpose step, one
    per stored tensor. Anything outside these forms is refused at its op (its
    ONNX node) with what blend_net would need instead; `@main` is unchanged.

    Before (one fused layer of a Fashion-MNIST-sized model, abridged):
    ```mlir
    func.func @main(%x: tensor<1x1x8x8xf32>) -> tensor<1x4xf32> {
      %q = blend.quantize %x : ... -> tensor<1x1x8x8x!blend.fixed<si8, 0.0078125>>
      %c = blend.conv2d %q, %w {...} : ... -> tensor<1x8x8x8xsi32>
      %r = blend.requant %c {...} : ... -> tensor<1x8x8x8x!blend.fixed<si8, 0.05>>
      ...
    }
    ```
    After (added; `@main` stays):
    ```mlir
    blend.network {hardware = #blend.datapath<fixed_channels = 4>,
                   input = #blend.host_input<...>, output = #blend.host_output<...>} {
    ^bb0(%in: !blend.buffer):
      %0 = blend.layer_step skip(%in) {fields = #blend.step<o = 8, oh = 8,
          ow = 8, s_c = 1, s_kh = 3, ...>, constants = #blend.constants<...>, ...}
      ...
    }
    ```
  }];
  let options = [
    Option<"fixedChannels", "fixed-channels", "unsigned", /*default=*/"4",
           "Fixed-point input channels per beat (FixCh, 1..8): the width of "
           "a fixed-point weight row">,
  ];
  let dependentDialects = ["blend::BlendDialect"];
}

def TileNetwork : Pass<"blend-tile", "mlir::ModuleOp"> {
  let summary = "Choose Lanes and Pe, and split wider layers into output-channel tiles";
  let description = [{
    Sets blend_net's post-processing `lanes` (no more than the widest layer
    needs) and `pe`, the output channels computed in parallel: the widest
    layer's channels rounded up to lanes, or at most `max-pe` (a multiple of
    8, so a tile writes whole bytes of the binary memory). A pass wider than
    `pe` becomes passes of at most `pe` channels, each with its share of the
    weights and constants; a tile after the first writes into the first's
    tensor (`into`, `out_offset`), and every reader of the tensor reads the
    last tile's value, so the allocator sees one live range.

    Before (`max-pe=16`, a 32-channel pass):
    ```mlir
    %1 = blend.layer_step main(%0) {fields = #blend.step<o = 32, ...>, ...}
    ```
    After:
    ```mlir
    %1 = blend.layer_step main(%0) {fields = #blend.step<o = 16, ...>, ...}
    %2 = blend.layer_step main(%0) into(%1) {fields = #blend.step<o = 16,
        out_offset = 16, ...>, ...}
    ```
  }];
  let options = [
    Option<"lanes", "lanes", "unsigned", /*default=*/"8",
           "Post-processing channels per cycle (a power of two)">,
    Option<"maxPe", "max-pe", "unsigned", /*default=*/"0",
           "At most this many output channels in parallel (0: the widest "
           "layer's)">,
  ];
}

def StripeNetwork : Pass<"blend-stripe", "mlir::ModuleOp"> {
  let summary = "Run the first layers in row stripes (spatial tiling)";
  let description = [{
    Tensors larger than the activation memory run in row stripes
    (docs/hardware.md, "Row stripes"): the network's first passes — up to a
    cut tensor, which is stored whole — run `stripes` times, each time on a
    band of rows. The cut tensor's rows are split evenly among the stripes;
    each earlier tensor's band is the rows its readers need (the union of
    their kernel windows, clipped to the tensor: the halo is computed
    again), and the input band comes from the host through a load step. A
    path whose band starts below its kernel window's first row reads with a
    row offset (`m_row_off`, `s_row_off`), so padding stays exactly the
    layer's. Each stripe pass records the rows it computes (`row_begin`,
    `full_h`) for the co-simulation taps.

    With `keep-rows` (the default) no row is computed twice: a stripe
    computes of each tensor only the rows no earlier stripe did, and the rows
    a later kernel window still reads stay in the tensor's storage
    (`band_begin`, `band_rows`), moved to its top by a copy step (`load = 2`)
    once the rows above them are read no more; each input row is loaded once.
    `keep-rows=false` computes each stripe's halo rows again instead (less
    storage held between stripes). The example below is `keep-rows=false`.

    The cut is the pass `cut` (its index; its output-channel tiles end there)
    or, with `cut=-1`, the first pass whose tensor has at most a quarter of
    the input's pixels after which nothing reads an earlier tensor. Passes
    up to the cut must be convolutions (no transpose, no shared-weight
    pool, not the streamed output). `stripes=1` leaves the network as it is.

    Before (`stripes=2`, cut at `%2`, 8-row tensors, 3x3 kernels, pad 1):
    ```mlir
    %1 = blend.layer_step skip(%in) {fields = #blend.step<oh = 8, ...>, ...}
    %2 = blend.layer_step skip(%1) {fields = #blend.step<oh = 8, ...>, ...}
    ```
    After:
    ```mlir
    %l0 = blend.load_step {fields = #blend.step<load = 1, oh = 6, row_begin = 0, ...>}
    %a0 = blend.layer_step skip(%l0) {fields = #blend.step<oh = 5, s_h = 6, full_h = 8, ...>}
    %b0 = blend.layer_step skip(%a0) {fields = #blend.step<oh = 4, s_h = 5, full_h = 8, ...>, whole}
    %l1 = blend.load_step {fields = #blend.step<load = 1, oh = 6, row_begin = 2, ...>}
    %a1 = blend.layer_step skip(%l1) {fields = #blend.step<oh = 5, row_begin = 3, s_h = 6,
                                    s_row_off = 1, ...>}
    %b1 = blend.layer_step skip(%a1) into(%b0) {fields = #blend.step<oh = 4,
                                    row_begin = 4, s_row_off = 1, ...>, whole}
    ```
  }];
  let options = [
    Option<"stripes", "stripes", "unsigned", /*default=*/"1",
           "Row stripes of the cut tensor (1: none)">,
    Option<"cut", "cut", "int", /*default=*/"-1",
           "Index of the last striped step (-1: chosen as described)">,
    Option<"keepRows", "keep-rows", "bool", /*default=*/"true",
           "Keep the rows a later stripe's kernel windows read (copy "
           "passes) instead of computing them again">,
  ];
}

def PackDsp : Pass<"blend-pack-dsp", "mlir::ModuleOp"> {
  let summary = "Pack binary kernel rows into DSP words and fold narrow steps over lane groups";
  let description = [{
    Decides what each DSP lane of the engines computes in a beat
    (docs/hardware.md, "Packed kernel rows" and "Folded steps"):

    * **packed kernel rows** — the three taps of a 3x3 binary kernel row go
      back to back into slots of S bits of the XNOR words (S = 16 for C <= 16,
      32 for C <= 32, 64 for 48 < C <= 64), S/16 words per row, when that
      takes fewer beats than one (tap, word) per beat; `pack_bits` becomes
      the widest slot;
    * **lane groups** — a pass whose O output channels fill at most half of
      `pe` splits its reduction over F lane groups (`max-fold`): the skip
      path by channel groups (channel split) or, over one channel group, by
      the taps of a kernel row (row split, through `fixed_copies` copies of
      the activation memory); the binary path over 2 groups (the next packed
      row or tap). Weights are re-laid so lane g·O + oc holds channel oc's
      share in group g; blend_fold sums the groups after the engines;
    * **pixel pairs** (`pair-pixels`) — an unfolded, unshared skip path of
      odd stride whose every product w·(q − zp) lies in [-256, 255] (the
      weights' largest magnitude times the pass's `skip_magnitude`, e.g. 4-bit
      weights on 4-bit activations) computes two output pixels per beat:
      the fixed engine's DSPs take two activations and give four products
      each (`s_pair = 1`), when the cost model says the pass gets faster;
      the hardware's `pairs` becomes 1.

    Before (16 output channels on `pe = 64`, 16 binary input channels):
    ```mlir
    %1 = blend.layer_step main(%0) {fields = #blend.step<m_c = 16, m_k = 3,
        m_words = 1, o = 16, ...>, ...}
    ```
    After:
    ```mlir
    %1 = blend.layer_step main(%0) {fields = #blend.step<m_c = 16, m_fold = 2,
        m_k = 3, m_pack = 16, m_words = 1, o = 16,
        ...>, ...}
    ```
  }];
  let options = [
    Option<"maxFold", "max-fold", "unsigned", /*default=*/"4",
           "At most this many lane groups share a narrow step's reduction "
           "(1: no folding, 2 or 4)">,
    Option<"foldMain", "fold-main", "bool", /*default=*/"true",
           "Fold binary paths too (false: only skip paths fold, and the "
           "binary memory needs no lane-group copies)">,
    Option<"packRows", "pack-rows", "bool", /*default=*/"true",
           "Pack 3x3 binary kernel rows into 16/32/64-bit slots">,
    Option<"pairPixels", "pair-pixels", "bool", /*default=*/"true",
           "Compute two output pixels per beat (four products per DSP) in "
           "skip paths whose products fit 9 bits">,
  ];
}

def AllocateBuffers : Pass<"blend-allocate-buffers", "mlir::ModuleOp"> {
  let summary = "Place tensors, weights and constants in blend_net's memories";
  let description = [{
    Gives every pass its weight rows and constant entries (consecutive, in
    execution order), sizes the memories and widths (`max_channels`,
    `acc_binary`, `acc_fixed`, `transpose_pixels`, the depths, `max_steps`),
    and places every tensor in the activation memory by a liveness-aware
    first fit: a tensor occupies its H·W pixel addresses from the pass that
    writes it to the last pass that reads it (its def-use chain; a skip
    tensor stays alive across the main path that runs before its join), and
    the addresses are reused after that. Sets `dst`, `m_src`, `s_src`,
    `m_wbase`, `s_wbase`, `cbase` and the hardware's `depth` and
    `input_base`, and splits the descriptor RAM into `desc-banks` banks (a
    pass's 42 fields are fetched that many per cycle).

    Before:
    ```mlir
    %0 = blend.layer_step skip(%in) {fields = #blend.step<o = 8, ...>, ...}
    %1 = blend.layer_step main(%0) skip(%0) {fields = #blend.step<o = 8, ...>, ...}
    ```
    After:
    ```mlir
    %0 = blend.layer_step skip(%in) {fields = #blend.step<dst = 64, o = 8,
        ...>, ...}
    %1 = blend.layer_step main(%0) skip(%0) {fields = #blend.step<m_src = 64,
        s_src = 64, cbase = 8, ...>, ...}
    ```
  }];
  let options = [
    Option<"descBanks", "desc-banks", "unsigned", /*default=*/"8",
           "Descriptor RAM banks, 1 or 8 (fields fetched per cycle)">,
  ];
}


def EstimateCost : Pass<"blend-estimate-cost", "mlir::ModuleOp"> {
  let summary = "Annotate a finished network with its cycles and resources";
  let description = [{
    The cost model of docs/hardware.md ("Cycle model", "Resources") on the
    allocated `blend.network`: every `blend.layer_step` gets `blend.cycles`
    (descriptor fetch, first output pixel, the slowest of the binary
    controller, the fixed-point controller and post-processing per pixel,
    pipeline drain) and `blend.bound` (which of the three sets the rate); the
    network gets `blend.cycles` for one image (loading included),
    `blend.load_cycles`, and `blend.resources` (DSP48E2 of the engines, the
    requant units and control; RAMB36; LUT; FF). The cycle model is exact
    against Verilator on every co-simulated model.

    Before:
    ```mlir
    blend.network attributes {hardware = {..., depth = 32 : i64, ...}, ...} {
      %0 = blend.layer_step skip(%in) {fields = #blend.step<o = 3, ...>, ...}
    ```
    After:
    ```mlir
    blend.network attributes {blend.cycles = 431 : i64,
        blend.load_cycles = 16 : i64, blend.resources = {dsp = 24 : i64, ...},
        hardware = {...}, ...} {
      %0 = blend.layer_step skip(%in) {blend.bound = "fixed",
          blend.cycles = 189 : i64, fields = #blend.step<...>, ...}
    ```
  }];
  let options = [
    Option<"lutXnor", "lut-xnor", "bool", /*default=*/"false",
           "The binary XNORs in LUTs rather than DSP48E2 logic mode "
           "(blendc --binary-impl lut)">,
  ];
}

#endif // BLEND_PASSES_TD
