// RUN: blend-opt %s --blend-exact-linear --split-input-file | FileCheck %s

// A float conv of a dequantized binary input with ±1 weights becomes a binary
// conv; 3 channels · 3·3 taps = 27 terms need si6.
// CHECK-LABEL: func.func @binary_conv
// CHECK-SAME: (%[[B:.*]]: tensor<1x3x4x4x!blend.binary>)
// CHECK: %[[W:.*]] = blend.constant dense<{{.*}}> : tensor<2x3x3x3xi1> -> tensor<2x3x3x3x!blend.binary>
// CHECK: %[[ACC:.*]] = blend.conv2d %[[B]], %[[W]] strides [2, 2] pads [1, 1, 1, 1] : (tensor<1x3x4x4x!blend.binary>, tensor<2x3x3x3x!blend.binary>) -> tensor<1x2x2x2xsi6>
// CHECK: %[[F:.*]] = blend.dequantize %[[ACC]] : tensor<1x2x2x2xsi6> -> tensor<1x2x2x2xf32>
// CHECK: return %[[F]]
func.func @binary_conv(%b: tensor<1x3x4x4x!blend.binary>) -> tensor<1x2x2x2xf32> {
  %x = blend.dequantize %b : tensor<1x3x4x4x!blend.binary> -> tensor<1x3x4x4xf32>
  %w = blend.constant dense<1.0> : tensor<2x3x3x3xf32> -> tensor<2x3x3x3xf32>
  %y = blend.conv2d %x, %w strides [2, 2] pads [1, 1, 1, 1] : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// Weights that are neither ±1 nor ±α per output channel (0.5 and 0.25 in one
// channel) keep the conv in float (and blend-verify-integer will report it).
// CHECK-LABEL: func.func @binary_input_real_weights
// CHECK: blend.conv2d {{.*}} -> tensor<1x1x2x2xf32>
func.func @binary_input_real_weights(%b: tensor<1x2x2x2x!blend.binary>) -> tensor<1x1x2x2xf32> {
  %x = blend.dequantize %b : tensor<1x2x2x2x!blend.binary> -> tensor<1x2x2x2xf32>
  %w = blend.constant dense<[[[[0.5]], [[0.25]]]]> : tensor<1x2x1x1xf32> -> tensor<1x2x1x1xf32>
  %y = blend.conv2d %x, %w strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

// Fixed × fixed: 4 channels · 128 · 128 = 65536 needs si18; scale 0.5·0.25.
// CHECK-LABEL: func.func @fixed_conv
// CHECK-SAME: (%[[Q:.*]]: tensor<1x4x2x2x!blend.fixed<si8, 5.000000e-01>>, %[[W:.*]]: tensor<3x4x1x1x!blend.fixed<si8, 2.500000e-01>>)
// CHECK: %[[ACC:.*]] = blend.conv2d %[[Q]], %[[W]] strides [1, 1] pads [0, 0, 0, 0] : {{.*}} -> tensor<1x3x2x2x!blend.fixed<si18, 1.250000e-01>>
// CHECK: blend.dequantize %[[ACC]]
func.func @fixed_conv(%q: tensor<1x4x2x2x!blend.fixed<si8, 0.5>>, %wq: tensor<3x4x1x1x!blend.fixed<si8, 0.25>>) -> tensor<1x3x2x2xf32> {
  %x = blend.dequantize %q : tensor<1x4x2x2x!blend.fixed<si8, 0.5>> -> tensor<1x4x2x2xf32>
  %w = blend.dequantize %wq : tensor<3x4x1x1x!blend.fixed<si8, 0.25>> -> tensor<3x4x1x1xf32>
  %y = blend.conv2d %x, %w strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x4x2x2xf32>, tensor<3x4x1x1xf32>) -> tensor<1x3x2x2xf32>
  return %y : tensor<1x3x2x2xf32>
}

// -----

// A fixed-point bias at the product scale is kept and widens the bound.
// CHECK-LABEL: func.func @fixed_matmul_bias
// CHECK: blend.matmul %{{.*}}, %{{.*}}, %{{.*}} : {{.*}} -> tensor<1x3x!blend.fixed<si33, 1.250000e-01>>
func.func @fixed_matmul_bias(%q: tensor<1x4x!blend.fixed<si8, 0.5>>, %wq: tensor<4x3x!blend.fixed<si8, 0.25>>,
                             %bq: tensor<3x!blend.fixed<si32, 0.125>>) -> tensor<1x3xf32> {
  %x = blend.dequantize %q : tensor<1x4x!blend.fixed<si8, 0.5>> -> tensor<1x4xf32>
  %w = blend.dequantize %wq : tensor<4x3x!blend.fixed<si8, 0.25>> -> tensor<4x3xf32>
  %b = blend.dequantize %bq : tensor<3x!blend.fixed<si32, 0.125>> -> tensor<3xf32>
  %y = blend.matmul %x, %w, %b : (tensor<1x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

// Asymmetric weights (zero point ≠ 0) are not rewritten.
// CHECK-LABEL: func.func @asymmetric_weights
// CHECK: blend.matmul {{.*}} -> tensor<1x3xf32>
func.func @asymmetric_weights(%q: tensor<1x4x!blend.fixed<si8, 0.5>>, %wq: tensor<4x3x!blend.fixed<ui8, 0.25, zp = 128>>) -> tensor<1x3xf32> {
  %x = blend.dequantize %q : tensor<1x4x!blend.fixed<si8, 0.5>> -> tensor<1x4xf32>
  %w = blend.dequantize %wq : tensor<4x3x!blend.fixed<ui8, 0.25, zp = 128>> -> tensor<4x3xf32>
  %y = blend.matmul %x, %w : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

// Global average pooling of int8 values is an exact window sum with the
// scale divided by the window size; the reshape moves under the dequantize.
// CHECK-LABEL: func.func @avg_pool_reshape
// CHECK: %[[S:.*]] = blend.sum_pool2d %{{.*}} kernel [8, 8] strides [1, 1] : tensor<1x4x8x8x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x4x1x1x!blend.fixed<si15, 9.765625e-04>>
// CHECK: %[[R:.*]] = blend.reshape %[[S]] : tensor<1x4x1x1x!blend.fixed<si15, 9.765625e-04>> -> tensor<1x4x!blend.fixed<si15, 9.765625e-04>>
// CHECK: blend.dequantize %[[R]]
func.func @avg_pool_reshape(%q: tensor<1x4x8x8x!blend.fixed<si8, 0.0625>>) -> tensor<1x4xf32> {
  %x = blend.dequantize %q : tensor<1x4x8x8x!blend.fixed<si8, 0.0625>> -> tensor<1x4x8x8xf32>
  %p = blend.avg_pool2d %x kernel [8, 8] strides [1, 1] pads [0, 0, 0, 0] : tensor<1x4x8x8xf32> -> tensor<1x4x1x1xf32>
  %r = blend.reshape %p : tensor<1x4x1x1xf32> -> tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

// -----

// A float bias of an exact matmul is quantized at the product scale 0.125:
// [0.3, -1.0, 100.0] / 0.125 = [2.4, -8, 800] → [2, -8, 800] (si11 holds 800).
// CHECK-LABEL: func.func @float_bias
// CHECK: %[[B:.*]] = blend.constant dense<[2, -8, 800]> : tensor<3xi11> -> tensor<3x!blend.fixed<si11, 1.250000e-01>>
// CHECK: blend.matmul %{{.*}}, %{{.*}}, %[[B]]
func.func @float_bias(%q: tensor<1x4x!blend.fixed<si8, 0.5>>, %wq: tensor<4x3x!blend.fixed<si8, 0.25>>) -> tensor<1x3xf32> {
  %x = blend.dequantize %q : tensor<1x4x!blend.fixed<si8, 0.5>> -> tensor<1x4xf32>
  %w = blend.dequantize %wq : tensor<4x3x!blend.fixed<si8, 0.25>> -> tensor<4x3xf32>
  %b = blend.constant dense<[0.3, -1.0, 100.0]> : tensor<3xf32> -> tensor<3xf32>
  %y = blend.matmul %x, %w, %b : (tensor<1x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

// Max pooling and a grid-aligned clip commute with dequantization (scale 1/16: the
// bounds 0 and 0.75 = 12/16 are grid values).
// CHECK-LABEL: func.func @max_pool_and_clip
// CHECK-SAME: (%[[Q:.*]]: tensor<1x1x4x4x!blend.fixed<si8, 6.250000e-02>>
// CHECK: %[[P:.*]] = blend.max_pool2d %[[Q]] kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x1x4x4x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x1x2x2x!blend.fixed<si8, 6.250000e-02>>
// CHECK: %[[C:.*]] = blend.clip %[[P]] min 0.000000e+00 max 7.500000e-01 : tensor<1x1x2x2x!blend.fixed<si8, 6.250000e-02>>
// CHECK: blend.dequantize %[[C]]
func.func @max_pool_and_clip(%q: tensor<1x1x4x4x!blend.fixed<si8, 0.0625>>) -> tensor<1x1x2x2xf32> {
  %x = blend.dequantize %q : tensor<1x1x4x4x!blend.fixed<si8, 0.0625>> -> tensor<1x1x4x4xf32>
  %p = blend.max_pool2d %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x1x4x4xf32> -> tensor<1x1x2x2xf32>
  %c = blend.clip %p min 0.0 max 0.75 : tensor<1x1x2x2xf32>
  return %c : tensor<1x1x2x2xf32>
}

// -----

// A clip bound off the grid (0.7 is not a multiple of 1/16) stays in float.
// CHECK-LABEL: func.func @clip_off_grid
// CHECK: blend.clip %{{.*}} min 0.000000e+00 max 0.69999999999999996 : tensor<1x4xf32>
func.func @clip_off_grid(%q: tensor<1x4x!blend.fixed<si8, 0.0625>>) -> tensor<1x4xf32> {
  %x = blend.dequantize %q : tensor<1x4x!blend.fixed<si8, 0.0625>> -> tensor<1x4xf32>
  %c = blend.clip %x min 0.0 max 0.7 : tensor<1x4xf32>
  return %c : tensor<1x4xf32>
}

// -----

// Binary weights of ±α per output channel (α = 0.5, 2): a binary convolution whose
// accumulator is scaled per channel by blend.channel_scale.
// CHECK-LABEL: func.func @alpha_weights
// CHECK: %[[W:.*]] = blend.constant dense<{{.*}}> : tensor<2x1x1x1xi1> -> tensor<2x1x1x1x!blend.binary>
// CHECK: %[[ACC:.*]] = blend.conv2d %{{.*}}, %[[W]] {{.*}} -> tensor<1x2x2x2xsi2>
// CHECK: blend.channel_scale %[[ACC]] scales [5.000000e-01, 2.000000e+00] axis 1 : tensor<1x2x2x2xsi2> -> tensor<1x2x2x2xf32>
func.func @alpha_weights(%b: tensor<1x1x2x2x!blend.binary>) -> tensor<1x2x2x2xf32> {
  %x = blend.dequantize %b : tensor<1x1x2x2x!blend.binary> -> tensor<1x1x2x2xf32>
  %w = blend.constant dense<[[[[0.5]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32> -> tensor<2x1x1x1xf32>
  %y = blend.conv2d %x, %w strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// ±1 float weights (a BipolarQuant weight quantizer) on a fixed-point input: 2-bit fixed-point
// weights of scale 1, an exact fixed-point layer (FINN's CNV first conv).
// CHECK-LABEL: func.func @bipolar_weights_fixed_input
// CHECK: %[[W:.*]] = blend.constant dense<[{{\[}}1, -1], [-1, 1]]> : tensor<2x2xi2> -> tensor<2x2x!blend.fixed<si2, 1.000000e+00>>
// CHECK: blend.matmul %arg0, %[[W]] : (tensor<1x2x!blend.fixed<si8, 5.000000e-01>>, tensor<2x2x!blend.fixed<si2, 1.000000e+00>>) -> tensor<1x2x!blend.fixed<si{{[0-9]+}}, 5.000000e-01>>
func.func @bipolar_weights_fixed_input(%q: tensor<1x2x!blend.fixed<si8, 0.5>>) -> tensor<1x2xf32> {
  %x = blend.dequantize %q : tensor<1x2x!blend.fixed<si8, 0.5>> -> tensor<1x2xf32>
  %w = blend.constant dense<[[1.0, -1.0], [-1.0, 1.0]]> : tensor<2x2xf32> -> tensor<2x2xf32>
  %y = blend.matmul %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// PyTorch's eval export folds a batch norm into int8 weights: w = q·σ_c in float. The integers
// and the per-channel scales are recovered (channel 0: q = [3, -2] at 0.25; channel 1:
// q = [1, 5] at 0.1), the layer runs on them, the scales move behind it.
// CHECK-LABEL: func.func @folded_int8_weights
// CHECK: %[[W:.*]] = blend.constant dense<{{\[}}[3, 1], [-2, 5]]> : tensor<2x2xi8> -> tensor<2x2x!blend.fixed<si8, 1.000000e+00>>
// CHECK: %[[A:.*]] = blend.matmul %arg0, %[[W]]
// CHECK: blend.channel_scale %[[A]] scales [2.500000e-01, 1.000000e-01] axis 1
func.func @folded_int8_weights(%q: tensor<1x2x!blend.fixed<si8, 1.0>>) -> tensor<1x2xf32> {
  %x = blend.dequantize %q : tensor<1x2x!blend.fixed<si8, 1.0>> -> tensor<1x2xf32>
  %w = blend.constant dense<[[0.75, 0.1], [-0.5, 0.5]]> : tensor<2x2xf32> -> tensor<2x2xf32>
  %y = blend.matmul %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A float bias on a binary layer (a folded batch norm) stays exact: added in float behind the
// layer, for blend-fold-batchnorm to fold into the threshold it reaches.
// CHECK-LABEL: func.func @binary_float_bias
// CHECK: %[[A:.*]] = blend.matmul %arg0, %{{.*}} : (tensor<1x2x!blend.binary>, tensor<2x2x!blend.binary>) -> tensor<1x2xsi3>
// CHECK: %[[S:.*]] = blend.channel_scale %[[A]] scales [5.000000e-01, 2.500000e-01] axis 1
// CHECK: %[[B:.*]] = arith.addf %[[S]], %{{.*}} : tensor<1x2xf32>
// CHECK: blend.binarize %[[B]]
func.func @binary_float_bias(%b: tensor<1x2x!blend.binary>) -> tensor<1x2x!blend.binary> {
  %x = blend.dequantize %b : tensor<1x2x!blend.binary> -> tensor<1x2xf32>
  %w = blend.constant dense<[[0.5, -0.25], [-0.5, 0.25]]> : tensor<2x2xf32> -> tensor<2x2xf32>
  %bias = blend.constant dense<[0.3, -0.6]> : tensor<2xf32> -> tensor<2xf32>
  %y = blend.matmul %x, %w, %bias : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %s = blend.binarize %y : tensor<1x2xf32> -> tensor<1x2x!blend.binary>
  return %s : tensor<1x2x!blend.binary>
}

// -----

// x + 1 on a 2-bit value ({-1, 0, 1} narrow): every code lands on the unit grid, so the float
// step is the exact requant q' = q + 1 (the cybsec MLP's (x + 1) / 2 of a bipolar input).
// CHECK-LABEL: func.func @affine_on_grid
// CHECK: %[[R:.*]] = blend.requant %arg0 multiplier [1] shift [0] bias [1] rounding half_up : tensor<1x3x!blend.fixed<si2, 1.000000e+00, narrow>> -> tensor<1x3x!blend.fixed<ui2, 1.000000e+00>>
// CHECK: blend.dequantize %[[R]]
func.func @affine_on_grid(%q: tensor<1x3x!blend.fixed<si2, 1.0, narrow>>) -> tensor<1x3xf32> {
  %x = blend.dequantize %q : tensor<1x3x!blend.fixed<si2, 1.0, narrow>> -> tensor<1x3xf32>
  %one = arith.constant dense<1.0> : tensor<1x3xf32>
  %y = arith.addf %x, %one : tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
