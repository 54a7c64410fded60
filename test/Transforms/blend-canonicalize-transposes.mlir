// RUN: blend-opt %s --blend-canonicalize-transposes --split-input-file | FileCheck %s

// BatchNorm1d over the last axis as PyTorch exports it: the transposes cancel and
// the batch norm normalizes axis P[1] = 2 of the untransposed tensor.
// CHECK-LABEL: func.func @batch_norm_between_transposes
// CHECK-SAME: (%[[Y:.*]]: tensor<1x8x4xf32>
// CHECK-NOT: blend.transpose
// CHECK: %[[N:.*]] = blend.batch_norm %[[Y]], {{.*}} {axis = 2 : i64, epsilon = 1.000000e-05 : f64} : ({{.*}}) -> tensor<1x8x4xf32>
// CHECK-NOT: blend.transpose
// CHECK: return %[[N]]
func.func @batch_norm_between_transposes(%y: tensor<1x8x4xf32>) -> tensor<1x8x4xf32> {
  %g = blend.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32> -> tensor<4xf32>
  %t = blend.transpose %y permutation [0, 2, 1] : tensor<1x8x4xf32> -> tensor<1x4x8xf32>
  %n = blend.batch_norm %t, %g, %g, %g, %g {epsilon = 1.0e-05 : f64}
      : (tensor<1x4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8xf32>
  %u = blend.transpose %n permutation [0, 2, 1] : tensor<1x4x8xf32> -> tensor<1x8x4xf32>
  return %u : tensor<1x8x4xf32>
}

// -----

// A transpose of a dequantized tensor moves onto the exact storage.
// CHECK-LABEL: func.func @transpose_before_dequantize
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x3x!blend.fixed<si8, 6.250000e-02>>
// CHECK: %[[T:.*]] = blend.transpose %[[Q]] permutation [0, 2, 1] : tensor<1x2x3x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x3x2x!blend.fixed<si8, 6.250000e-02>>
// CHECK: %[[D:.*]] = blend.dequantize %[[T]] : tensor<1x3x2x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x3x2xf32>
// CHECK: return %[[D]]
func.func @transpose_before_dequantize(%q: tensor<1x2x3x!blend.fixed<si8, 0.0625>>) -> tensor<1x3x2xf32> {
  %d = blend.dequantize %q : tensor<1x2x3x!blend.fixed<si8, 0.0625>> -> tensor<1x2x3xf32>
  %t = blend.transpose %d permutation [0, 2, 1] : tensor<1x2x3xf32> -> tensor<1x3x2xf32>
  return %t : tensor<1x3x2xf32>
}

// -----

// Two transposes compose: [1, 2, 0] after [0, 2, 1] is [2, 1, 0].
// CHECK-LABEL: func.func @compose
// CHECK: %[[T:.*]] = blend.transpose %{{.*}} permutation [2, 1, 0] : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
// CHECK-NEXT: return %[[T]]
func.func @compose(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  %a = blend.transpose %x permutation [0, 2, 1] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %b = blend.transpose %a permutation [1, 2, 0] : tensor<2x4x3xf32> -> tensor<4x3x2xf32>
  return %b : tensor<4x3x2xf32>
}

// -----

// A transpose of a constant folds (binary weights arrive as Transpose(Where(W >= 0, 1, -1))).
// CHECK-LABEL: func.func @constant
// CHECK: %[[C:.*]] = blend.constant dense<{{\[}}[true, false], [false, true], [true, true]]> : tensor<3x2xi1> -> tensor<3x2x!blend.binary>
// CHECK-NEXT: return %[[C]]
func.func @constant() -> tensor<3x2x!blend.binary> {
  %w = blend.constant dense<[[true, false, true], [false, true, true]]> : tensor<2x3xi1> -> tensor<2x3x!blend.binary>
  %t = blend.transpose %w permutation [1, 0] : tensor<2x3x!blend.binary> -> tensor<3x2x!blend.binary>
  return %t : tensor<3x2x!blend.binary>
}
