// RUN: blend-opt %s --canonicalize --split-input-file | FileCheck %s

// quantize of a float constant folds to a fixed-point constant computed with
// QuantizeLinear's rule (x / s in float32, ties to even, saturate):
// 0.3/0.25 = 1.2 → 1; 0.375/0.25 = 1.5 → 2; 0.625/0.25 = 2.5 → 2; -100 → -128.
// CHECK-LABEL: func.func @fold_quantize
// CHECK: %[[C:.*]] = blend.constant dense<[1, 2, 2, -128]> : tensor<4xi8> -> tensor<4x!blend.fixed<si8, 2.500000e-01>>
// CHECK-NOT: blend.quantize
// CHECK: return %[[C]]
func.func @fold_quantize() -> tensor<4x!blend.fixed<si8, 0.25>> {
  %w = blend.constant dense<[0.3, 0.375, 0.625, -100.0]> : tensor<4xf32> -> tensor<4xf32>
  %q = blend.quantize %w : tensor<4xf32> -> tensor<4x!blend.fixed<si8, 0.25>>
  return %q : tensor<4x!blend.fixed<si8, 0.25>>
}

// -----

// An unsigned type with a zero point: 0.5 / 0.5 + 128 = 129 (0x81, which the
// signless i8 storage attribute prints as -127), and -1000 saturates to 0.
// CHECK-LABEL: func.func @fold_quantize_unsigned
// CHECK: blend.constant dense<[-127, 0]> : tensor<2xi8> -> tensor<2x!blend.fixed<ui8, 5.000000e-01, zp = 128>>
func.func @fold_quantize_unsigned() -> tensor<2x!blend.fixed<ui8, 0.5, zp = 128>> {
  %w = blend.constant dense<[0.5, -1000.0]> : tensor<2xf32> -> tensor<2xf32>
  %q = blend.quantize %w : tensor<2xf32> -> tensor<2x!blend.fixed<ui8, 0.5, zp = 128>>
  return %q : tensor<2x!blend.fixed<ui8, 0.5, zp = 128>>
}

// -----

// A quantize of a non-constant stays.
// CHECK-LABEL: func.func @no_fold
// CHECK: blend.quantize
func.func @no_fold(%x: tensor<4xf32>) -> tensor<4x!blend.fixed<si8, 0.25>> {
  %q = blend.quantize %x : tensor<4xf32> -> tensor<4x!blend.fixed<si8, 0.25>>
  return %q : tensor<4x!blend.fixed<si8, 0.25>>
}

// -----

// A requant by exactly 1 (65536 / 2^16) between equal types is the identity.
// CHECK-LABEL: func.func @identity_requant
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x!blend.fixed<si8, 6.250000e-02>>
// CHECK-NOT: blend.requant
// CHECK: return %[[X]]
func.func @identity_requant(%x: tensor<1x4x!blend.fixed<si8, 0.0625>>) -> tensor<1x4x!blend.fixed<si8, 0.0625>> {
  %r = blend.requant %x multiplier [65536] shift [16] bias [0] rounding half_even : tensor<1x4x!blend.fixed<si8, 0.0625>> -> tensor<1x4x!blend.fixed<si8, 0.0625>>
  return %r : tensor<1x4x!blend.fixed<si8, 0.0625>>
}

// -----

// Scaling by 2 (131072 / 2^16) is not the identity and stays.
// CHECK-LABEL: func.func @scaling_requant
// CHECK: blend.requant
func.func @scaling_requant(%x: tensor<1x4x!blend.fixed<si8, 0.0625>>) -> tensor<1x4x!blend.fixed<si8, 0.0625>> {
  %r = blend.requant %x multiplier [131072] shift [16] bias [0] rounding half_even : tensor<1x4x!blend.fixed<si8, 0.0625>> -> tensor<1x4x!blend.fixed<si8, 0.0625>>
  return %r : tensor<1x4x!blend.fixed<si8, 0.0625>>
}

// -----

// FINN's MultiThreshold layout: a threshold along axis 1 of [1, C] reshaped to
// [1, C, 1] runs on [1, C]; the reshape back to [1, C] then folds away, so
// the linear layer reads the threshold directly.
// CHECK-LABEL: func.func @threshold_before_unit_reshape
// CHECK: %[[T:.*]] = blend.threshold %arg0 thresholds [1, -2] flip [false, true] : tensor<1x2xsi8> -> tensor<1x2x!blend.binary>
// CHECK-NOT: blend.reshape
// CHECK: return %[[T]]
func.func @threshold_before_unit_reshape(%a: tensor<1x2xsi8>) -> tensor<1x2x!blend.binary> {
  %r = blend.reshape %a : tensor<1x2xsi8> -> tensor<1x2x1xsi8>
  %t = blend.threshold %r thresholds [1, -2] flip [false, true] : tensor<1x2x1xsi8> -> tensor<1x2x1x!blend.binary>
  %b = blend.reshape %t : tensor<1x2x1x!blend.binary> -> tensor<1x2x!blend.binary>
  return %b : tensor<1x2x!blend.binary>
}

// -----

// A reshape that moves the channel axis is no unit reshape: the threshold
// stays after it.
// CHECK-LABEL: func.func @threshold_after_real_reshape
// CHECK: blend.reshape
// CHECK-NEXT: blend.threshold {{.*}} : tensor<1x2x2xsi8>
func.func @threshold_after_real_reshape(%a: tensor<1x4xsi8>) -> tensor<1x2x2x!blend.binary> {
  %r = blend.reshape %a : tensor<1x4xsi8> -> tensor<1x2x2xsi8>
  %t = blend.threshold %r thresholds [1, -2] flip [false, true] : tensor<1x2x2xsi8> -> tensor<1x2x2x!blend.binary>
  return %t : tensor<1x2x2x!blend.binary>
}

// -----

// A Relu after a requant to an unsigned type keeps every storage value
// (0..3 are all >= 0): it folds. A clamp that cuts values stays.
// CHECK-LABEL: func.func @clip_identity
// CHECK-NOT: min 0.000000e+00 max 0x7FF0000000000000
// CHECK: %[[C:.*]] = blend.clip %arg0 min 0.000000e+00 max 1.000000e+00
// CHECK: return %arg0, %[[C]]
func.func @clip_identity(%a: tensor<4x!blend.fixed<ui2, 0.5>>) -> (tensor<4x!blend.fixed<ui2, 0.5>>, tensor<4x!blend.fixed<ui2, 0.5>>) {
  %r = blend.clip %a min 0.0 max 0x7FF0000000000000 : tensor<4x!blend.fixed<ui2, 0.5>>
  %c = blend.clip %a min 0.0 max 1.0 : tensor<4x!blend.fixed<ui2, 0.5>>
  return %r, %c : tensor<4x!blend.fixed<ui2, 0.5>>, tensor<4x!blend.fixed<ui2, 0.5>>
}
