// RUN: blend-opt %s | FileCheck %s
// RUN: blend-opt %s | blend-opt | FileCheck %s
// RUN: blend-opt %s --mlir-print-op-generic | blend-opt | FileCheck %s
// RUN: blend-opt %s --emit-bytecode | blend-opt | FileCheck %s

// Every blend op and element type prints in a form that parses back to the
// same IR, in custom, generic and bytecode form.

// CHECK-LABEL: func.func @types
// CHECK-SAME: tensor<4x!blend.binary>
// CHECK-SAME: tensor<4x!blend.fixed<si8, 1.250000e-02>>
// CHECK-SAME: tensor<4x!blend.fixed<ui8, 3.906250e-03, zp = 128>>
// CHECK-SAME: tensor<4x!blend.fixed<si8, 3.333333333333333e-01>>
func.func @types(%a: tensor<4x!blend.binary>,
                 %b: tensor<4x!blend.fixed<si8, 0.0125>>,
                 %c: tensor<4x!blend.fixed<ui8, 0.00390625, zp = 128>>,
                 %d: tensor<4x!blend.fixed<si8, 0.33333333333333331>>) {
  return
}

// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<2x2x!blend.binary>, tensor<2x!blend.fixed<si8, 6.250000e-02>>, tensor<2xf32>) {
  // CHECK: blend.constant dense<{{\[}}[true, false], [false, true]]> : tensor<2x2xi1> -> tensor<2x2x!blend.binary>
  %w = blend.constant dense<[[true, false], [false, true]]> : tensor<2x2xi1> -> tensor<2x2x!blend.binary>
  // CHECK: blend.constant dense<[3, -7]> : tensor<2xi8> -> tensor<2x!blend.fixed<si8, 6.250000e-02>>
  %s = blend.constant dense<[3, -7]> : tensor<2xi8> -> tensor<2x!blend.fixed<si8, 6.250000e-02>>
  // CHECK: blend.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32> -> tensor<2xf32>
  %f = blend.constant dense<[1.0, 2.0]> : tensor<2xf32> -> tensor<2xf32>
  return %w, %s, %f : tensor<2x2x!blend.binary>, tensor<2x!blend.fixed<si8, 6.250000e-02>>, tensor<2xf32>
}

// CHECK-LABEL: func.func @quantize_binarize
func.func @quantize_binarize(%x: tensor<1x16x8x8xf32>) -> (tensor<1x16x8x8xf32>, tensor<1x16x8x8x!blend.binary>, tensor<1x16x8x8x!blend.binary>) {
  // CHECK: %[[Q:.*]] = blend.quantize %{{.*}} : tensor<1x16x8x8xf32> -> tensor<1x16x8x8x!blend.fixed<si8, 1.250000e-02>>
  %q = blend.quantize %x : tensor<1x16x8x8xf32> -> tensor<1x16x8x8x!blend.fixed<si8, 0.0125>>
  // CHECK: blend.dequantize %[[Q]] : tensor<1x16x8x8x!blend.fixed<si8, 1.250000e-02>> -> tensor<1x16x8x8xf32>
  %d = blend.dequantize %q : tensor<1x16x8x8x!blend.fixed<si8, 0.0125>> -> tensor<1x16x8x8xf32>
  // CHECK: blend.binarize %{{.*}} : tensor<1x16x8x8xf32> -> tensor<1x16x8x8x!blend.binary>
  %b = blend.binarize %x : tensor<1x16x8x8xf32> -> tensor<1x16x8x8x!blend.binary>
  // CHECK: blend.binarize %[[Q]] : tensor<1x16x8x8x!blend.fixed<si8, 1.250000e-02>> -> tensor<1x16x8x8x!blend.binary>
  %c = blend.binarize %q : tensor<1x16x8x8x!blend.fixed<si8, 0.0125>> -> tensor<1x16x8x8x!blend.binary>
  return %d, %b, %c : tensor<1x16x8x8xf32>, tensor<1x16x8x8x!blend.binary>, tensor<1x16x8x8x!blend.binary>
}

// A Blend module in graph form: binary 3x3 main path, fixed-point 1x1 skip
// path, batch norm on both, joined by an add.
// CHECK-LABEL: func.func @blend_module
func.func @blend_module(%a: tensor<1x16x32x32x!blend.binary>,
                        %w: tensor<16x16x3x3x!blend.binary>,
                        %x: tensor<1x16x32x32x!blend.fixed<si8, 0.0625>>,
                        %ws: tensor<16x16x1x1x!blend.fixed<si8, 0.125>>,
                        %bs: tensor<16x!blend.fixed<si24, 0.0078125>>,
                        %g: tensor<16xf32>, %bb: tensor<16xf32>,
                        %m: tensor<16xf32>, %v: tensor<16xf32>) -> tensor<1x16x16x16xf32> {
  // CHECK: %[[MAIN:.*]] = blend.conv2d %{{.*}}, %{{.*}} strides [2, 2] pads [1, 1, 1, 1] : (tensor<1x16x32x32x!blend.binary>, tensor<16x16x3x3x!blend.binary>) -> tensor<1x16x16x16xsi16>
  %main = blend.conv2d %a, %w strides [2, 2] pads [1, 1, 1, 1]
      : (tensor<1x16x32x32x!blend.binary>, tensor<16x16x3x3x!blend.binary>) -> tensor<1x16x16x16xsi16>
  // CHECK: blend.conv2d %{{.*}}, %{{.*}}, %{{.*}} strides [2, 2] pads [0, 0, 0, 0]
  %skip = blend.conv2d %x, %ws, %bs strides [2, 2] pads [0, 0, 0, 0]
      : (tensor<1x16x32x32x!blend.fixed<si8, 0.0625>>, tensor<16x16x1x1x!blend.fixed<si8, 0.125>>, tensor<16x!blend.fixed<si24, 0.0078125>>)
      -> tensor<1x16x16x16x!blend.fixed<si32, 0.0078125>>
  // CHECK: blend.batch_norm %[[MAIN]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-05 : f64}
  %mb = blend.batch_norm %main, %g, %bb, %m, %v {epsilon = 1.0e-05 : f64}
      : (tensor<1x16x16x16xsi16>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  // The default axis is elided.
  // CHECK: blend.batch_norm {{.*}} {epsilon = 1.000000e-03 : f64}
  %sb = blend.batch_norm %skip, %g, %bb, %m, %v {epsilon = 1.0e-03 : f64, axis = 1 : i64}
      : (tensor<1x16x16x16x!blend.fixed<si32, 0.0078125>>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  // CHECK: blend.add %{{.*}}, %{{.*}} : tensor<1x16x16x16xf32>, tensor<1x16x16x16xf32> -> tensor<1x16x16x16xf32>
  %sum = blend.add %mb, %sb : tensor<1x16x16x16xf32>, tensor<1x16x16x16xf32> -> tensor<1x16x16x16xf32>
  return %sum : tensor<1x16x16x16xf32>
}

// CHECK-LABEL: func.func @float_conv_matmul
func.func @float_conv_matmul(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>,
                             %y: tensor<2x8x64xf32>, %m: tensor<64x10xf32>) -> (tensor<1x16x32x32xf32>, tensor<2x8x10xf32>) {
  // CHECK: blend.conv2d %{{.*}}, %{{.*}}, %{{.*}} strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x32x32xf32>
  %c = blend.conv2d %x, %w, %b strides [1, 1] pads [1, 1, 1, 1]
      : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x32x32xf32>
  // CHECK: blend.matmul %{{.*}}, %{{.*}} : (tensor<2x8x64xf32>, tensor<64x10xf32>) -> tensor<2x8x10xf32>
  %r = blend.matmul %y, %m : (tensor<2x8x64xf32>, tensor<64x10xf32>) -> tensor<2x8x10xf32>
  return %c, %r : tensor<1x16x32x32xf32>, tensor<2x8x10xf32>
}

// CHECK-LABEL: func.func @exact_matmuls
func.func @exact_matmuls(%a: tensor<1x64x!blend.binary>, %w: tensor<64x10x!blend.binary>,
                         %x: tensor<1x64x!blend.fixed<ui8, 0.5, zp = 3>>, %v: tensor<64x10x!blend.fixed<si4, 0.25>>)
    -> (tensor<1x10xsi8>, tensor<1x10x!blend.fixed<si32, 0.125>>) {
  // 64 binary products: |acc| <= 64 fits si8.
  // CHECK: blend.matmul {{.*}} -> tensor<1x10xsi8>
  %b = blend.matmul %a, %w : (tensor<1x64x!blend.binary>, tensor<64x10x!blend.binary>) -> tensor<1x10xsi8>
  // CHECK: blend.matmul {{.*}} -> tensor<1x10x!blend.fixed<si32, 1.250000e-01>>
  %f = blend.matmul %x, %v : (tensor<1x64x!blend.fixed<ui8, 0.5, zp = 3>>, tensor<64x10x!blend.fixed<si4, 0.25>>) -> tensor<1x10x!blend.fixed<si32, 0.125>>
  return %b, %f : tensor<1x10xsi8>, tensor<1x10x!blend.fixed<si32, 0.125>>
}

// CHECK-LABEL: func.func @integer_layer_ops
func.func @integer_layer_ops(%acc: tensor<1x2x4x4xsi16>, %wide: tensor<1x2x4x4xsi32>,
                             %q: tensor<1x2x4x4x!blend.fixed<si8, 0.5>>)
    -> (tensor<1x2x4x4x!blend.binary>, tensor<1x2x4x4x!blend.binary>, tensor<1x2x4x4x!blend.fixed<si8, 5.000000e-02>>, tensor<1x2x4x4x!blend.fixed<ui8, 0.1, zp = 7>>) {
  // CHECK: blend.threshold %{{.*}} thresholds [3, -2] flip [false, true] : tensor<1x2x4x4xsi16> -> tensor<1x2x4x4x!blend.binary>
  %t = blend.threshold %acc thresholds [3, -2] flip [false, true] : tensor<1x2x4x4xsi16> -> tensor<1x2x4x4x!blend.binary>
  // CHECK: blend.threshold %{{.*}} thresholds [0] flip [false] {axis = 3 : i64}
  %u = blend.threshold %q thresholds [0] flip [false] {axis = 3 : i64} : tensor<1x2x4x4x!blend.fixed<si8, 0.5>> -> tensor<1x2x4x4x!blend.binary>
  // CHECK: blend.requant %{{.*}} multiplier [19275] shift [20] bias [0] rounding half_even : tensor<1x2x4x4xsi32> -> tensor<1x2x4x4x!blend.fixed<si8, 5.000000e-02>>
  %r = blend.requant %wide multiplier [19275] shift [20] bias [0] rounding half_even
      : tensor<1x2x4x4xsi32> -> tensor<1x2x4x4x!blend.fixed<si8, 5.000000e-02>>
  // CHECK: blend.requant %{{.*}} multiplier [3, -5] shift [1, 2] bias [10, -10] rounding half_up
  %s = blend.requant %q multiplier [3, -5] shift [1, 2] bias [10, -10] rounding half_up
      : tensor<1x2x4x4x!blend.fixed<si8, 0.5>> -> tensor<1x2x4x4x!blend.fixed<ui8, 0.1, zp = 7>>
  return %t, %u, %r, %s : tensor<1x2x4x4x!blend.binary>, tensor<1x2x4x4x!blend.binary>, tensor<1x2x4x4x!blend.fixed<si8, 5.000000e-02>>, tensor<1x2x4x4x!blend.fixed<ui8, 0.1, zp = 7>>
}

// CHECK-LABEL: func.func @exact_adds
func.func @exact_adds(%a: tensor<1x16x8x8xsi16>, %b: tensor<1x16x8x8x!blend.fixed<si8, 0.5>>,
                      %c: tensor<1x16x8x8x!blend.fixed<ui8, 0.5, zp = 128>>)
    -> (tensor<1x16x8x8xsi17>, tensor<1x16x8x8x!blend.fixed<si9, 0.5>>) {
  // CHECK: blend.add %{{.*}}, %{{.*}} : tensor<1x16x8x8xsi16>, tensor<1x16x8x8xsi16> -> tensor<1x16x8x8xsi17>
  %s = blend.add %a, %a : tensor<1x16x8x8xsi16>, tensor<1x16x8x8xsi16> -> tensor<1x16x8x8xsi17>
  // (q_b) + (q_c - 128) spans [-256, 254]: fits si9.
  // CHECK: blend.add {{.*}} -> tensor<1x16x8x8x!blend.fixed<si9, 5.000000e-01>>
  %f = blend.add %b, %c : tensor<1x16x8x8x!blend.fixed<si8, 0.5>>, tensor<1x16x8x8x!blend.fixed<ui8, 0.5, zp = 128>> -> tensor<1x16x8x8x!blend.fixed<si9, 0.5>>
  return %s, %f : tensor<1x16x8x8xsi17>, tensor<1x16x8x8x!blend.fixed<si9, 0.5>>
}

// CHECK-LABEL: func.func @pools
func.func @pools(%b: tensor<1x16x8x8x!blend.binary>, %x: tensor<1x64x8x8xf32>, %q: tensor<1x4x5x5x!blend.fixed<si8, 0.5>>)
    -> (tensor<1x16x4x4x!blend.binary>, tensor<1x64x1x1xf32>, tensor<1x4x3x3xf32>) {
  // CHECK: blend.max_pool2d %{{.*}} kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x16x8x8x!blend.binary> -> tensor<1x16x4x4x!blend.binary>
  %m = blend.max_pool2d %b kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x16x8x8x!blend.binary> -> tensor<1x16x4x4x!blend.binary>
  // CHECK: blend.avg_pool2d %{{.*}} kernel [8, 8] strides [1, 1] pads [0, 0, 0, 0] : tensor<1x64x8x8xf32> -> tensor<1x64x1x1xf32>
  %g = blend.avg_pool2d %x kernel [8, 8] strides [1, 1] pads [0, 0, 0, 0] : tensor<1x64x8x8xf32> -> tensor<1x64x1x1xf32>
  // CHECK: blend.avg_pool2d %{{.*}} kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] {count_include_pad = true}
  %a = blend.avg_pool2d %q kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] {count_include_pad = true} : tensor<1x4x5x5x!blend.fixed<si8, 0.5>> -> tensor<1x4x3x3xf32>
  return %m, %g, %a : tensor<1x16x4x4x!blend.binary>, tensor<1x64x1x1xf32>, tensor<1x4x3x3xf32>
}

// CHECK-LABEL: func.func @sum_pool_reshape
func.func @sum_pool_reshape(%q: tensor<1x64x8x8x!blend.fixed<si8, 0.0625>>) -> tensor<1x64x!blend.fixed<si15, 9.765625e-04>> {
  // CHECK: blend.sum_pool2d %{{.*}} kernel [8, 8] strides [1, 1] : tensor<1x64x8x8x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x64x1x1x!blend.fixed<si15, 9.765625e-04>>
  %s = blend.sum_pool2d %q kernel [8, 8] strides [1, 1] : tensor<1x64x8x8x!blend.fixed<si8, 0.0625>> -> tensor<1x64x1x1x!blend.fixed<si15, 9.765625e-04>>
  // CHECK: blend.reshape %{{.*}} : tensor<1x64x1x1x!blend.fixed<si15, 9.765625e-04>> -> tensor<1x64x!blend.fixed<si15, 9.765625e-04>>
  %r = blend.reshape %s : tensor<1x64x1x1x!blend.fixed<si15, 9.765625e-04>> -> tensor<1x64x!blend.fixed<si15, 9.765625e-04>>
  return %r : tensor<1x64x!blend.fixed<si15, 9.765625e-04>>
}

// CHECK-LABEL: func.func @transpose
func.func @transpose(%q: tensor<1x64x128x!blend.fixed<si8, 0.0625>>) -> tensor<1x128x64x!blend.fixed<si8, 0.0625>> {
  // CHECK: blend.transpose %{{.*}} permutation [0, 2, 1] : tensor<1x64x128x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x128x64x!blend.fixed<si8, 6.250000e-02>>
  %t = blend.transpose %q permutation [0, 2, 1] : tensor<1x64x128x!blend.fixed<si8, 0.0625>> -> tensor<1x128x64x!blend.fixed<si8, 0.0625>>
  return %t : tensor<1x128x64x!blend.fixed<si8, 0.0625>>
}

// CHECK-LABEL: func.func @clip
func.func @clip(%q: tensor<1x4x!blend.fixed<si8, 0.0625>>) -> tensor<1x4x!blend.fixed<si8, 0.0625>> {
  // CHECK: blend.clip %{{.*}} min 0.000000e+00 max 0x7FF0000000000000 : tensor<1x4x!blend.fixed<si8, 6.250000e-02>>
  %c = blend.clip %q min 0.0 max 0x7FF0000000000000 : tensor<1x4x!blend.fixed<si8, 0.0625>>
  return %c : tensor<1x4x!blend.fixed<si8, 0.0625>>
}

// CHECK-LABEL: func.func @fused_module
func.func @fused_module(%x: tensor<1x4x!blend.fixed<si8, 0.0625>>) -> tensor<1x4x!blend.binary> {
  // CHECK: blend.blend_module(%{{.*}}) : (tensor<1x4x!blend.fixed<si8, 6.250000e-02>>) -> tensor<1x4x!blend.binary> {
  // CHECK: blend.yield %{{.*}} : tensor<1x4x!blend.binary>
  %y = blend.blend_module(%x) : (tensor<1x4x!blend.fixed<si8, 0.0625>>) -> tensor<1x4x!blend.binary> {
  ^bb0(%in: tensor<1x4x!blend.fixed<si8, 0.0625>>):
    %b = blend.binarize %in : tensor<1x4x!blend.fixed<si8, 0.0625>> -> tensor<1x4x!blend.binary>
    blend.yield %b : tensor<1x4x!blend.binary>
  }
  return %y : tensor<1x4x!blend.binary>
}

// CHECK-LABEL: func.func @channel_scale
func.func @channel_scale(%x: tensor<1x2x4x4xsi8>) -> tensor<1x2x4x4xf32> {
  // CHECK: blend.channel_scale %{{.*}} scales [5.000000e-01, 2.500000e-01] axis 1 : tensor<1x2x4x4xsi8> -> tensor<1x2x4x4xf32>
  %y = blend.channel_scale %x scales [0.5, 0.25] axis 1 : tensor<1x2x4x4xsi8> -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// A narrow-range fixed-point type (QONNX narrow_range: {-1, 0, 1} for 2 bits) and the
// argmax of TopK(k = 1).
// CHECK-LABEL: func.func @narrow_and_argmax
// CHECK: blend.quantize %{{.*}} : tensor<1x4xf32> -> tensor<1x4x!blend.fixed<si2, 5.000000e-01, narrow>>
// CHECK: blend.argmax %{{.*}} axis 1 : tensor<1x4xf32> -> tensor<1x1xsi64>
func.func @narrow_and_argmax(%x: tensor<1x4xf32>) -> tensor<1x1xsi64> {
  %q = blend.quantize %x : tensor<1x4xf32> -> tensor<1x4x!blend.fixed<si2, 0.5, narrow>>
  %d = blend.dequantize %q : tensor<1x4x!blend.fixed<si2, 0.5, narrow>> -> tensor<1x4xf32>
  %i = blend.argmax %d axis 1 : tensor<1x4xf32> -> tensor<1x1xsi64>
  return %i : tensor<1x1xsi64>
}

// A hardware-level network: the input buffer, a pass, an output-channel tile
// written into it, and a streamed reader.
// CHECK-LABEL: blend.network attributes {hardware = #blend.datapath<fixed_channels = 4, lanes = 8, pe = 8, tiled = 1>
// CHECK-NEXT: ^bb0(%[[IN:.*]]: !blend.buffer):
// CHECK-NEXT: %[[T0:.*]] = blend.layer_step skip(%[[IN]]) {constants = #blend.constants<skip_multiplier = [1, 1, 1, 1, 1, 1, 1, 1]>, fields = #blend.step<o = 8, oh = 1, ow = 1, s_c = 4, s_cgroups = 1, s_h = 1, s_kh = 1, s_kw = 1, s_stride = 1, s_w = 1, skip_en = 1>, fixed_weights = dense<1> : tensor<32xi8>, skip_acc_width = 20 : i64, traced_op = "requant"}
// CHECK-NEXT: %[[T1:.*]] = blend.layer_step skip(%[[IN]]) into(%[[T0]])
// CHECK-NEXT: blend.layer_step main(%[[T1]]) skip(%[[T1]]) {binary_weights = dense<1> : tensor<9xi64>
blend.network attributes {hardware = #blend.datapath<fixed_channels = 4, lanes = 8, pe = 8, tiled = 1>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 4, h = 1, w = 1>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 1, h = 1, w = 1>} {
^bb0(%in: !blend.buffer):
  %t0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 8, oh = 1, ow = 1, s_c = 4, s_h = 1, s_w = 1, s_kh = 1, s_kw = 1, s_stride = 1, s_cgroups = 1>, constants = #blend.constants<skip_multiplier = [1, 1, 1, 1, 1, 1, 1, 1]>, fixed_weights = dense<1> : tensor<32xi8>, traced_op = "requant", skip_acc_width = 20}
  %t1 = blend.layer_step skip(%in) into(%t0) {fields = #blend.step<skip_en = 1, o = 8, oh = 1, ow = 1, s_c = 4, s_h = 1, s_w = 1, s_kh = 1, s_kw = 1, s_stride = 1, s_cgroups = 1, out_offset = 8>, constants = #blend.constants<>, fixed_weights = dense<2> : tensor<32xi8>, traced_op = "requant"}
  %r = blend.layer_step main(%t1) skip(%t1) {fields = #blend.step<main_en = 1, skip_en = 1, stream = 1, o = 1, oh = 1, ow = 1, m_c = 16, m_words = 1, m_h = 1, m_w = 1, m_k = 3, m_pad = 1, m_stride = 1, s_c = 16, s_h = 1, s_w = 1, s_kh = 1, s_kw = 1, s_stride = 1, s_cgroups = 4>, constants = #blend.constants<>, binary_weights = dense<1> : tensor<9xi64>, fixed_weights = dense<1> : tensor<16xi8>, traced_op = "requant"}
}
