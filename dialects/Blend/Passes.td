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
  }];
  let dependentDialects = ["blend::BlendDialect"];
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
    After lowering, a function may use float only at its boundary: a
    `blend.quantize` of an argument and a `blend.dequantize` feeding the
    return. Any other float-valued op (or a non-blend op) means a pattern was
    not recognized; the pass reports the first such op at its ONNX node's
    location and fails, so nothing is ever silently executed in float.
  }];
}

#endif // BLEND_PASSES_TD
