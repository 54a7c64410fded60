// RUN: blend-opt %s --blend-fold-batchnorm --split-input-file | FileCheck %s

// Hand-computed thresholds (epsilon 0, so σ = sqrt(var) exactly):
//   c0: a = 2/2 = 1,   y = (x − 3) + 1 ≥ 0  ⟺ x ≥ 2            → τ = 2,    flip false
//   c1: a = −1/1,      y = −(x − 3) + 1 ≥ 0 ⟺ x ≤ 4            → τ = 4,    flip true
//   c2: a = 0, β ≥ 0:  always +1                              → τ = −128, flip false
//   c3: a = 0, β < 0:  always −1                              → τ = 128,  flip false
//   c4: a = 1,         y = x − 0.5 ≥ 0     ⟺ x ≥ 0.5 ⟺ x ≥ 1  → τ = 1,    flip false
// CHECK-LABEL: func.func @threshold
// CHECK-SAME: (%[[ACC:.*]]: tensor<1x5x2x2xsi8>
// CHECK: %[[T:.*]] = blend.threshold %[[ACC]] thresholds [2, 4, -128, 128, 1] flip [false, true, false, false, false] : tensor<1x5x2x2xsi8> -> tensor<1x5x2x2x!blend.binary>
// CHECK: return %[[T]]
func.func @threshold(%acc: tensor<1x5x2x2xsi8>) -> tensor<1x5x2x2x!blend.binary> {
  %g = blend.constant dense<[2.0, -1.0, 0.0, 0.0, 1.0]> : tensor<5xf32> -> tensor<5xf32>
  %b = blend.constant dense<[1.0, 1.0, 0.5, -0.5, 0.0]> : tensor<5xf32> -> tensor<5xf32>
  %m = blend.constant dense<[3.0, 3.0, 0.0, 0.0, 0.5]> : tensor<5xf32> -> tensor<5xf32>
  %v = blend.constant dense<[4.0, 1.0, 1.0, 1.0, 1.0]> : tensor<5xf32> -> tensor<5xf32>
  %x = blend.dequantize %acc : tensor<1x5x2x2xsi8> -> tensor<1x5x2x2xf32>
  %y = blend.batch_norm %x, %g, %b, %m, %v {epsilon = 0.0 : f64}
      : (tensor<1x5x2x2xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<1x5x2x2xf32>
  %s = blend.binarize %y : tensor<1x5x2x2xf32> -> tensor<1x5x2x2x!blend.binary>
  return %s : tensor<1x5x2x2x!blend.binary>
}

// -----

// On a fixed-point input x = 0.5·(q − 4): y = x − 1 ≥ 0 ⟺ q ≥ 6.
// CHECK-LABEL: func.func @threshold_fixed
// CHECK: blend.threshold %{{.*}} thresholds [6] flip [false] : tensor<1x1x2x2x!blend.fixed<ui8, 5.000000e-01, zp = 4>>
func.func @threshold_fixed(%q: tensor<1x1x2x2x!blend.fixed<ui8, 0.5, zp = 4>>) -> tensor<1x1x2x2x!blend.binary> {
  %one = blend.constant dense<1.0> : tensor<1xf32> -> tensor<1xf32>
  %zero = blend.constant dense<0.0> : tensor<1xf32> -> tensor<1xf32>
  %x = blend.dequantize %q : tensor<1x1x2x2x!blend.fixed<ui8, 0.5, zp = 4>> -> tensor<1x1x2x2xf32>
  %y = blend.batch_norm %x, %one, %zero, %one, %one {epsilon = 0.0 : f64}
      : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %s = blend.binarize %y : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!blend.binary>
  return %s : tensor<1x1x2x2x!blend.binary>
}

// -----

// The join: A1 = A2 = 1, |v| ≤ 128. The grid is limited by the 18-bit
// multiplier (A/s_c < 2^17), so s_c = 2^−15; each requant is m = 2^16,
// shift 1 (= 2^15 exactly, no rounding error), and the error bound is one
// grid step.
// CHECK-LABEL: func.func @join
// CHECK-SAME: (%[[A:.*]]: tensor<1x1x2x2xsi8>, %[[B:.*]]: tensor<1x1x2x2xsi8>)
// CHECK: %[[RA:.*]] = blend.requant %[[A]] multiplier [65536] shift [1] bias [0] rounding half_up : tensor<1x1x2x2xsi8> -> tensor<1x1x2x2x!blend.fixed<si24, 3.0517578125e-05>>
// CHECK: %[[RB:.*]] = blend.requant %[[B]] multiplier [65536] shift [1] bias [0] rounding half_up
// CHECK: %[[S:.*]] = blend.add %[[RA]], %[[RB]] {blend.error_bound = array<f64: 3.0517578125E-5>} : {{.*}} -> tensor<1x1x2x2x!blend.fixed<si25, 3.0517578125e-05>>
// CHECK: %[[Y:.*]] = blend.binarize %[[S]]
// CHECK: return %[[Y]]
func.func @join(%a: tensor<1x1x2x2xsi8>, %b: tensor<1x1x2x2xsi8>) -> tensor<1x1x2x2x!blend.binary> {
  %one = blend.constant dense<1.0> : tensor<1xf32> -> tensor<1xf32>
  %zero = blend.constant dense<0.0> : tensor<1xf32> -> tensor<1xf32>
  %xa = blend.dequantize %a : tensor<1x1x2x2xsi8> -> tensor<1x1x2x2xf32>
  %xb = blend.dequantize %b : tensor<1x1x2x2xsi8> -> tensor<1x1x2x2xf32>
  %ya = blend.batch_norm %xa, %one, %zero, %zero, %one {epsilon = 0.0 : f64}
      : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %yb = blend.batch_norm %xb, %one, %zero, %zero, %one {epsilon = 0.0 : f64}
      : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %sum = blend.add %ya, %yb : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
  %s = blend.binarize %sum : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!blend.binary>
  return %s : tensor<1x1x2x2x!blend.binary>
}

// -----

// Requantizing to the output scale: ratio 2^−10 / 2^−4 = 2^−6, the largest
// 18-bit multiplier is 2^16 with shift 22; QuantizeLinear's ties-to-even.
// CHECK-LABEL: func.func @output_requant
// CHECK: blend.requant %{{.*}} multiplier [65536] shift [22] bias [0] rounding half_even : tensor<1x2x!blend.fixed<si25, 9.765625e-04>> -> tensor<1x2x!blend.fixed<si8, 6.250000e-02>>
func.func @output_requant(%f: tensor<1x2x!blend.fixed<si25, 0.0009765625>>) -> tensor<1x2x!blend.fixed<si8, 0.0625>> {
  %x = blend.dequantize %f : tensor<1x2x!blend.fixed<si25, 0.0009765625>> -> tensor<1x2xf32>
  %q = blend.quantize %x : tensor<1x2xf32> -> tensor<1x2x!blend.fixed<si8, 0.0625>>
  return %q : tensor<1x2x!blend.fixed<si8, 0.0625>>
}

// -----

// Non-constant batch-norm parameters cannot be folded.
// CHECK-LABEL: func.func @dynamic_params
// CHECK: blend.batch_norm
func.func @dynamic_params(%acc: tensor<1x1x2x2xsi8>, %g: tensor<1xf32>) -> tensor<1x1x2x2x!blend.binary> {
  %zero = blend.constant dense<0.0> : tensor<1xf32> -> tensor<1xf32>
  %x = blend.dequantize %acc : tensor<1x1x2x2xsi8> -> tensor<1x1x2x2xf32>
  %y = blend.batch_norm %x, %g, %zero, %zero, %g {epsilon = 0.0 : f64}
      : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %s = blend.binarize %y : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!blend.binary>
  return %s : tensor<1x1x2x2x!blend.binary>
}

// -----

// Batch norm, then QuantizeLinear: y = 2·x + 1 on si8 accumulators, to a
// grid of 0.5 → q = round(4·x + 2): multiplier/2^shift = 4, bias/2^shift = 2,
// with the largest shift that keeps 4·2^shift below 2^17 (shift 14).
// CHECK-LABEL: func.func @requant_affine
// CHECK: blend.requant %{{.*}} multiplier [65536] shift [14] bias [32768] rounding half_even : tensor<1x1x2x2xsi8> -> tensor<1x1x2x2x!blend.fixed<si8, 5.000000e-01>>
func.func @requant_affine(%acc: tensor<1x1x2x2xsi8>) -> tensor<1x1x2x2x!blend.fixed<si8, 0.5>> {
  %two = blend.constant dense<2.0> : tensor<1xf32> -> tensor<1xf32>
  %one = blend.constant dense<1.0> : tensor<1xf32> -> tensor<1xf32>
  %zero = blend.constant dense<0.0> : tensor<1xf32> -> tensor<1xf32>
  %x = blend.dequantize %acc : tensor<1x1x2x2xsi8> -> tensor<1x1x2x2xf32>
  %y = blend.batch_norm %x, %two, %one, %zero, %one {epsilon = 0.0 : f64}
      : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %q = blend.quantize %y : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!blend.fixed<si8, 0.5>>
  return %q : tensor<1x1x2x2x!blend.fixed<si8, 0.5>>
}

// -----

// A batch norm along the last axis (BatchNorm1d on [B, N, F] after
// blend-canonicalize-transposes) folds per feature, keeping its axis: the
// channels of the first case, c0 → τ = 2 and c1 → τ = 4 flipped.
// CHECK-LABEL: func.func @threshold_last_axis
// CHECK: blend.threshold %{{.*}} thresholds [2, 4] flip [false, true] {axis = 2 : i64} : tensor<1x3x2xsi8> -> tensor<1x3x2x!blend.binary>
func.func @threshold_last_axis(%acc: tensor<1x3x2xsi8>) -> tensor<1x3x2x!blend.binary> {
  %g = blend.constant dense<[2.0, -1.0]> : tensor<2xf32> -> tensor<2xf32>
  %b = blend.constant dense<[1.0, 1.0]> : tensor<2xf32> -> tensor<2xf32>
  %m = blend.constant dense<[3.0, 3.0]> : tensor<2xf32> -> tensor<2xf32>
  %v = blend.constant dense<[4.0, 1.0]> : tensor<2xf32> -> tensor<2xf32>
  %x = blend.dequantize %acc : tensor<1x3x2xsi8> -> tensor<1x3x2xf32>
  %y = blend.batch_norm %x, %g, %b, %m, %v {axis = 2 : i64, epsilon = 0.0 : f64}
      : (tensor<1x3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x3x2xf32>
  %s = blend.binarize %y : tensor<1x3x2xf32> -> tensor<1x3x2x!blend.binary>
  return %s : tensor<1x3x2x!blend.binary>
}

// -----

// The join of two last-axis batch norms requantizes along that axis.
// CHECK-LABEL: func.func @join_last_axis
// CHECK-COUNT-2: blend.requant {{.*}} {axis = 2 : i64} : tensor<1x3x2xsi8> -> tensor<1x3x2x!blend.fixed<si24,
// CHECK: blend.add
func.func @join_last_axis(%a: tensor<1x3x2xsi8>, %c: tensor<1x3x2xsi8>) -> tensor<1x3x2xf32> {
  %g = blend.constant dense<[1.0, 0.5]> : tensor<2xf32> -> tensor<2xf32>
  %z = blend.constant dense<[0.0, 0.0]> : tensor<2xf32> -> tensor<2xf32>
  %o = blend.constant dense<[1.0, 1.0]> : tensor<2xf32> -> tensor<2xf32>
  %x = blend.dequantize %a : tensor<1x3x2xsi8> -> tensor<1x3x2xf32>
  %w = blend.dequantize %c : tensor<1x3x2xsi8> -> tensor<1x3x2xf32>
  %y1 = blend.batch_norm %x, %g, %z, %z, %o {axis = 2 : i64, epsilon = 0.0 : f64}
      : (tensor<1x3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x3x2xf32>
  %y2 = blend.batch_norm %w, %o, %z, %z, %o {axis = 2 : i64, epsilon = 0.0 : f64}
      : (tensor<1x3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x3x2xf32>
  %s = blend.add %y1, %y2 : tensor<1x3x2xf32>, tensor<1x3x2xf32> -> tensor<1x3x2xf32>
  return %s : tensor<1x3x2xf32>
}

// -----

// QuantReLU: quantize(clip(x, 0, 0.7)) is clip(quantize(x)) with the bounds quantized
// (0.7 / 0.0625 = 11.2 → 11, i.e. 0.6875), since rounding is monotone.
// CHECK-LABEL: func.func @quantize_through_clip
// CHECK: %[[Q:.*]] = blend.quantize %{{.*}} : tensor<1x4xf32> -> tensor<1x4x!blend.fixed<si8, 6.250000e-02>>
// CHECK: blend.clip %[[Q]] min 0.000000e+00 max 6.875000e-01 : tensor<1x4x!blend.fixed<si8, 6.250000e-02>>
func.func @quantize_through_clip(%x: tensor<1x4xf32>) -> tensor<1x4x!blend.fixed<si8, 0.0625>> {
  %c = blend.clip %x min 0.0 max 0.7 : tensor<1x4xf32>
  %q = blend.quantize %c : tensor<1x4xf32> -> tensor<1x4x!blend.fixed<si8, 0.0625>>
  return %q : tensor<1x4x!blend.fixed<si8, 0.0625>>
}

// -----

// Per-channel scales (0.5, 0.25) on an exact value fold into per-channel requant
// multipliers: quantize to scale 0.125 is q·4 and q·2 = 65536·2^-14, 65536·2^-15.
// CHECK-LABEL: func.func @quantize_channel_scaled
// CHECK: blend.requant %{{.*}} multiplier [65536, 65536] shift [14, 15] bias [0, 0] rounding half_even : tensor<1x2x2x2xsi8>
func.func @quantize_channel_scaled(%acc: tensor<1x2x2x2xsi8>) -> tensor<1x2x2x2x!blend.fixed<si8, 0.125>> {
  %x = blend.channel_scale %acc scales [0.5, 0.25] axis 1 : tensor<1x2x2x2xsi8> -> tensor<1x2x2x2xf32>
  %q = blend.quantize %x : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!blend.fixed<si8, 0.125>>
  return %q : tensor<1x2x2x2x!blend.fixed<si8, 0.125>>
}

// -----

// FINN's streamlined layers: a batch norm between an Unsqueeze and a Squeeze, then a bipolar
// MultiThreshold (a batch norm γ = 1, β = −θ). The chain composes through the reshapes into
// one affine map of the accumulator: y = (2·acc − 1) − 0.5 ≥ 0 ⟺ acc ≥ 0.75 → τ = 1; the
// second channel (γ = −2) flips: −2·acc + 1 − 0.5 ≥ 0 ⟺ acc ≤ 0.25 → τ = 0, flip.
// CHECK-LABEL: func.func @chain_through_reshapes
// CHECK: %[[T:.*]] = blend.threshold %arg0 thresholds [1, 0] flip [false, true] : tensor<1x2xsi8> -> tensor<1x2x!blend.binary>
// CHECK: return %[[T]]
func.func @chain_through_reshapes(%acc: tensor<1x2xsi8>) -> tensor<1x2x!blend.binary> {
  %g = blend.constant dense<[2.0, -2.0]> : tensor<2xf32> -> tensor<2xf32>
  %b = blend.constant dense<[-1.0, 1.0]> : tensor<2xf32> -> tensor<2xf32>
  %z = blend.constant dense<[0.0, 0.0]> : tensor<2xf32> -> tensor<2xf32>
  %o = blend.constant dense<[1.0, 1.0]> : tensor<2xf32> -> tensor<2xf32>
  %t = blend.constant dense<[-0.5, -0.5]> : tensor<2xf32> -> tensor<2xf32>
  %x = blend.dequantize %acc : tensor<1x2xsi8> -> tensor<1x2xf32>
  %u = blend.reshape %x : tensor<1x2xf32> -> tensor<1x2x1xf32>
  %n = blend.batch_norm %u, %g, %b, %z, %o {epsilon = 0.0 : f64}
      : (tensor<1x2x1xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x1xf32>
  %s = blend.reshape %n : tensor<1x2x1xf32> -> tensor<1x2xf32>
  %m = blend.batch_norm %s, %o, %t, %z, %o {epsilon = 0.0 : f64}
      : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %y = blend.binarize %m : tensor<1x2xf32> -> tensor<1x2x!blend.binary>
  return %y : tensor<1x2x!blend.binary>
}

// -----

// A float bias kept exact behind a layer (an exporter's folded batch norm) is one more affine
// step: 0.5·acc + [0.3, −0.6] ≥ 0 ⟺ acc ≥ [−0.6, 1.2] → τ = [0, 2]; never rounded to the
// accumulator grid first.
// CHECK-LABEL: func.func @float_bias_threshold
// CHECK: blend.threshold %arg0 thresholds [0, 2] flip [false, false]
func.func @float_bias_threshold(%acc: tensor<1x2x1x1xsi8>) -> tensor<1x2x1x1x!blend.binary> {
  %bias = arith.constant dense<[[[[0.3]], [[-0.6]]]]> : tensor<1x2x1x1xf32>
  %x = blend.channel_scale %acc scales [0.5, 0.5] axis 1 : tensor<1x2x1x1xsi8> -> tensor<1x2x1x1xf32>
  %y = arith.addf %x, %bias : tensor<1x2x1x1xf32>
  %s = blend.binarize %y : tensor<1x2x1x1xf32> -> tensor<1x2x1x1x!blend.binary>
  return %s : tensor<1x2x1x1x!blend.binary>
}

// -----

// The average pool of a float join's batch norm (Brevitas's BlendNet before its classifier
// quantizer) is the exact sum pool of the join's integers under the same affine map: the
// quantizer folds it into one requant of the 4-tap window sum (scale 0.25 / 4).
// CHECK-LABEL: func.func @pool_of_affine
// CHECK: %[[S:.*]] = blend.sum_pool2d %arg0 kernel [2, 2] strides [2, 2] : tensor<1x1x2x2x!blend.fixed<si8, 2.500000e-01>> -> tensor<1x1x1x1x!blend.fixed<si11, 6.250000e-02>>
// CHECK: blend.requant %[[S]]
// CHECK-NOT: blend.avg_pool2d
func.func @pool_of_affine(%q: tensor<1x1x2x2x!blend.fixed<si8, 0.25>>) -> tensor<1x1x1x1x!blend.fixed<si8, 0.5>> {
  %g = blend.constant dense<[3.0]> : tensor<1xf32> -> tensor<1xf32>
  %b = blend.constant dense<[0.25]> : tensor<1xf32> -> tensor<1xf32>
  %z = blend.constant dense<[0.0]> : tensor<1xf32> -> tensor<1xf32>
  %o = blend.constant dense<[1.0]> : tensor<1xf32> -> tensor<1xf32>
  %x = blend.dequantize %q : tensor<1x1x2x2x!blend.fixed<si8, 0.25>> -> tensor<1x1x2x2xf32>
  %n = blend.batch_norm %x, %g, %b, %z, %o {epsilon = 0.0 : f64}
      : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %p = blend.avg_pool2d %n kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x1x2x2xf32> -> tensor<1x1x1x1xf32>
  %y = blend.quantize %p : tensor<1x1x1x1xf32> -> tensor<1x1x1x1x!blend.fixed<si8, 0.5>>
  return %y : tensor<1x1x1x1x!blend.fixed<si8, 0.5>>
}
