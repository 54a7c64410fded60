// RUN: blend-opt %s --blend-recognize-binarizers --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @float_sign
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[B:.*]] = blend.binarize %[[X]] : tensor<4xf32> -> tensor<4x!blend.binary>
// CHECK: %[[F:.*]] = blend.dequantize %[[B]] : tensor<4x!blend.binary> -> tensor<4xf32>
// CHECK: return %[[F]]
func.func @float_sign(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %minus = arith.constant dense<-1.0> : tensor<4xf32>
  %c = arith.cmpf oge, %x, %zero : tensor<4xf32>
  %y = arith.select %c, %one, %minus : tensor<4xi1>, tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// x < 0 ? -1 : +1 is the same binarizer.
// CHECK-LABEL: func.func @float_sign_swapped
// CHECK: blend.binarize
// CHECK-NOT: arith.select
func.func @float_sign_swapped(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %minus = arith.constant dense<-1.0> : tensor<4xf32>
  %c = arith.cmpf olt, %x, %zero : tensor<4xf32>
  %y = arith.select %c, %minus, %one : tensor<4xi1>, tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// x > 0 differs from the binarizer at x = 0 and a float x may be 0: no match.
// CHECK-LABEL: func.func @float_strict_is_not_a_binarizer
// CHECK: arith.select
// CHECK-NOT: blend.binarize
func.func @float_strict_is_not_a_binarizer(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %minus = arith.constant dense<-1.0> : tensor<4xf32>
  %c = arith.cmpf ogt, %x, %zero : tensor<4xf32>
  %y = arith.select %c, %one, %minus : tensor<4xi1>, tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Branches other than ±1 are not a binarizer.
// CHECK-LABEL: func.func @not_plus_minus_one
// CHECK: arith.select
func.func @not_plus_minus_one(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %c = arith.cmpf oge, %x, %zero : tensor<4xf32>
  %y = arith.select %c, %one, %zero : tensor<4xi1>, tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// On a fixed-point value, x >= 0 is q >= zp: a binarize of the storage.
// CHECK-LABEL: func.func @fixed_sign
// CHECK-SAME: (%[[Q:.*]]: tensor<4x!blend.fixed<ui8, 5.000000e-01, zp = 10>>)
// CHECK: %[[B:.*]] = blend.binarize %[[Q]]
// CHECK: blend.dequantize %[[B]]
func.func @fixed_sign(%q: tensor<4x!blend.fixed<ui8, 0.5, zp = 10>>) -> tensor<4xf32> {
  %x = blend.dequantize %q : tensor<4x!blend.fixed<ui8, 0.5, zp = 10>> -> tensor<4xf32>
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %minus = arith.constant dense<-1.0> : tensor<4xf32>
  %c = arith.cmpf oge, %x, %zero : tensor<4xf32>
  %y = arith.select %c, %one, %minus : tensor<4xi1>, tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A comparison with a non-zero constant on fixed-point storage becomes an
// exact integer threshold: 0.5·(q − 10) > 1.2  ⟺  q > 12.4  ⟺  q ≥ 13.
// CHECK-LABEL: func.func @fixed_strict_threshold
// CHECK: blend.threshold %{{.*}} thresholds [13] flip [false]
func.func @fixed_strict_threshold(%q: tensor<4x!blend.fixed<ui8, 0.5, zp = 10>>) -> tensor<4xf32> {
  %x = blend.dequantize %q : tensor<4x!blend.fixed<ui8, 0.5, zp = 10>> -> tensor<4xf32>
  %c12 = arith.constant dense<1.2> : tensor<4xf32>
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %minus = arith.constant dense<-1.0> : tensor<4xf32>
  %c = arith.cmpf ogt, %x, %c12 : tensor<4xf32>
  %y = arith.select %c, %one, %minus : tensor<4xi1>, tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// x <= -1.0 ? +1 : -1 with s = 0.25, zp = 0: q ≤ −4, a flipped threshold.
// CHECK-LABEL: func.func @fixed_flipped_threshold
// CHECK: blend.threshold %{{.*}} thresholds [-4] flip [true]
func.func @fixed_flipped_threshold(%q: tensor<4x!blend.fixed<si8, 0.25>>) -> tensor<4xf32> {
  %x = blend.dequantize %q : tensor<4x!blend.fixed<si8, 0.25>> -> tensor<4xf32>
  %cm1 = arith.constant dense<-1.0> : tensor<4xf32>
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %c = arith.cmpf ole, %x, %cm1 : tensor<4xf32>
  %y = arith.select %c, %one, %cm1 : tensor<4xi1>, tensor<4xf32>
  return %y : tensor<4xf32>
}
