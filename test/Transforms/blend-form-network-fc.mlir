// RUN: blend-opt --blend-form-network --split-input-file %s | FileCheck %s
// RUN: blend-opt --blend-form-network --split-input-file %s | blend-opt --split-input-file | FileCheck %s

// A fully-connected stack on a vector input (an MLP: FINN's TFC/SFC/LFC, the
// cybsec MLP): the [1, 80] input is sent as an image of 40 channels x 2
// pixels in the vector's (NCHW) order — 40 is the widest divisor of 80 up to
// 64 with the fewest fixed-engine beats (10 groups of 4 x 2 taps = 20) — and
// each linear layer is a convolution without padding whose one output pixel
// sees the whole stored tensor. The host's last step is that reshape (kind 9).

// CHECK: blend.network
// CHECK-SAME: input = #blend.host_input<{{.*}} c = 40, h = 1, w = 2, shape = [1, 80], steps = [#blend.host_step<kind = 9, shape = [1, 40, 1, 2], constant = [], perm = []>]>
// CHECK-NEXT: ^bb0(%[[IN:.*]]: !blend.buffer):

// Layer 1: a 1x2 kernel over the 40 x 1 x 2 image. Weight (o, c, 0, x) is
// row c·2 + x of the [80, 2] matrix: output 0's taps read rows 0, 2, .., 78
// (-40, -38, .., 38) then rows 1, 3, .., 79 (-39, .., 39); output 1's are all 1.
// CHECK-NEXT: %[[FC1:.*]] = blend.layer_step skip(%[[IN]])
// CHECK-SAME: fields = #blend.step<{{.*}}o = 2, oh = 1, {{.*}}ow = 1, {{.*}}s_c = 40, s_cgroups = 10, s_h = 1, s_kh = 1, s_kw = 2, {{.*}}s_w = 2, skip_en = 1>
// CHECK-SAME: fixed_weights = dense<"0xD8DADCDEE0E2E4E6E8EAECEEF0F2F4F6F8FAFCFE00020406080A0C0E10121416181A1C1E20222426D9DBDDDFE1E3E5E7E9EBEDEFF1F3F5F7F9FBFDFF01030507090B0D0F11131517191B1D1F212325270101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101"> : tensor<160xi8>

// Layer 2: [1, 2] x [2, 3] over layer 1's one pixel of 2 channels, streamed.
// CHECK-NEXT: blend.layer_step skip(%[[FC1]])
// CHECK-SAME: fields = #blend.step<{{.*}}o = 3, oh = 1, {{.*}}ow = 1, {{.*}}s_c = 2, s_cgroups = 1, s_h = 1, s_kh = 1, s_kw = 1, {{.*}}s_w = 1, skip_en = 1, stream = 1>
// CHECK-SAME: fixed_weights = dense<[1, 3, 0, 0, -1, 0, 0, 0, 2, -2, 0, 0]> : tensor<12xi8>

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x80xf32>) -> tensor<1x3xf32> {
    %w1 = blend.constant dense<[[-40,1],[-39,1],[-38,1],[-37,1],[-36,1],[-35,1],[-34,1],[-33,1],[-32,1],[-31,1],[-30,1],[-29,1],[-28,1],[-27,1],[-26,1],[-25,1],[-24,1],[-23,1],[-22,1],[-21,1],[-20,1],[-19,1],[-18,1],[-17,1],[-16,1],[-15,1],[-14,1],[-13,1],[-12,1],[-11,1],[-10,1],[-9,1],[-8,1],[-7,1],[-6,1],[-5,1],[-4,1],[-3,1],[-2,1],[-1,1],[0,1],[1,1],[2,1],[3,1],[4,1],[5,1],[6,1],[7,1],[8,1],[9,1],[10,1],[11,1],[12,1],[13,1],[14,1],[15,1],[16,1],[17,1],[18,1],[19,1],[20,1],[21,1],[22,1],[23,1],[24,1],[25,1],[26,1],[27,1],[28,1],[29,1],[30,1],[31,1],[32,1],[33,1],[34,1],[35,1],[36,1],[37,1],[38,1],[39,1]]> : tensor<80x2xi8> -> tensor<80x2x!blend.fixed<si8, 5.000000e-01>>
    %w2 = blend.constant dense<[[1, -1, 2], [3, 0, -2]]> : tensor<2x3xi8> -> tensor<2x3x!blend.fixed<si8, 5.000000e-01>>
    %q = blend.quantize %arg0 : tensor<1x80xf32> -> tensor<1x80x!blend.fixed<si4, 2.500000e-01>>
    %a1 = blend.matmul %q, %w1 : (tensor<1x80x!blend.fixed<si4, 2.500000e-01>>, tensor<80x2x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x2x!blend.fixed<si20, 1.250000e-01>> loc("fc1")
    %x1 = blend.requant %a1 multiplier [3] shift [4] bias [0] rounding half_even : tensor<1x2x!blend.fixed<si20, 1.250000e-01>> -> tensor<1x2x!blend.fixed<si4, 2.500000e-01>> loc("act1")
    %y = blend.matmul %x1, %w2 : (tensor<1x2x!blend.fixed<si4, 2.500000e-01>>, tensor<2x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x!blend.fixed<si16, 1.250000e-01>> loc("fc2")
    %out = blend.dequantize %y : tensor<1x3x!blend.fixed<si16, 1.250000e-01>> -> tensor<1x3xf32>
    return %out : tensor<1x3xf32>
  }
}

// -----

// FINN's cybsec MLP in small: a bipolar input shifted to {0, 1, 2} by an
// offset requant (multiplier 1, shift 0, bias 1) is one host quantizer with
// zero point 1 and bounds [0, 2]; a threshold (BN + sign) after the
// fixed-point layer is that path with multiplier +1 and bias b - tau = 1 - 3
// (channel 0), or multiplier -1 and bias tau - b = 5 - (-1) (channel 1,
// flipped: q <= 5), with a binary output.

// CHECK: input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 1, q_min = 0, q_max = 2, c = 8, h = 1, w = 1,
// CHECK: blend.layer_step skip(%arg0)
// CHECK-SAME: skip_multiplier = [1, -1], skip_shift = [0, 0], skip_bias = [-2, 6]
// CHECK-SAME: out_binary = 1
// CHECK-SAME: fixed_weights = dense<[1, 1, 1, -1, 1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1]> : tensor<16xi8>
// CHECK-SAME: traced_op = "threshold"

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x8xf32>) -> tensor<1x2xf32> {
    %w = blend.constant dense<[[1, 1], [1, -1], [1, 1], [-1, 1], [1, 1], [1, 1], [1, 1], [1, 1]]> : tensor<8x2xi2> -> tensor<8x2x!blend.fixed<si2, 1.000000e+00>>
    %b = blend.constant dense<[1, -1]> : tensor<2xi2> -> tensor<2x!blend.fixed<si2, 1.000000e+00>>
    %q = blend.quantize %arg0 : tensor<1x8xf32> -> tensor<1x8x!blend.fixed<si2, 1.000000e+00, narrow>>
    %s = blend.requant %q multiplier [1] shift [0] bias [1] rounding half_up : tensor<1x8x!blend.fixed<si2, 1.000000e+00, narrow>> -> tensor<1x8x!blend.fixed<ui2, 1.000000e+00>>
    %a = blend.matmul %s, %w, %b : (tensor<1x8x!blend.fixed<ui2, 1.000000e+00>>, tensor<8x2x!blend.fixed<si2, 1.000000e+00>>, tensor<2x!blend.fixed<si2, 1.000000e+00>>) -> tensor<1x2x!blend.fixed<si10, 1.000000e+00>> loc("fc")
    %t = blend.threshold %a thresholds [3, 5] flip [false, true] : tensor<1x2x!blend.fixed<si10, 1.000000e+00>> -> tensor<1x2x!blend.binary> loc("sign")
    %out = blend.dequantize %t : tensor<1x2x!blend.binary> -> tensor<1x2xf32>
    return %out : tensor<1x2xf32>
  }
}

// -----

// FINN's TFC-w1a1 in small: its UINT8 pixels thresholded at 128 are sent by
// the host as q - 128 (zero point -128, the whole signed byte), whose sign
// bits the binary layer reads; the flattening layer is a 2x2 binary kernel
// (weight row per output and tap: column o of the matrix); its plain-integer
// accumulator streams out with scale 1.

// CHECK: input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = -128, q_min = -128, q_max = 127, c = 1, h = 2, w = 2>
// CHECK-SAME: output = #blend.host_output<binary = 0, scale = 1.000000e+00 : f64, zero_point = 0, c = 3, h = 1, w = 1>
// CHECK: blend.layer_step main(%arg0)
// CHECK-SAME: binary_weights = dense<[1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 1]> : tensor<12xi64>
// CHECK-SAME: m_c = 1, m_h = 2, m_k = 2, {{.*}} main_en = 1, o = 3
// CHECK-SAME: stream = 1

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x1x2x2xf32>) -> tensor<1x3xf32> {
    %w = blend.constant dense<[[true, false, true], [true, true, false], [false, true, true], [true, true, true]]> : tensor<4x3xi1> -> tensor<4x3x!blend.binary>
    %q = blend.quantize %arg0 : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!blend.fixed<ui8, 1.000000e+00>>
    %t = blend.threshold %q thresholds [128] flip [false] : tensor<1x1x2x2x!blend.fixed<ui8, 1.000000e+00>> -> tensor<1x1x2x2x!blend.binary>
    %r = blend.reshape %t : tensor<1x1x2x2x!blend.binary> -> tensor<1x4x!blend.binary>
    %a = blend.matmul %r, %w : (tensor<1x4x!blend.binary>, tensor<4x3x!blend.binary>) -> tensor<1x3xsi8> loc("fc")
    %out = blend.dequantize %a : tensor<1x3xsi8> -> tensor<1x3xf32>
    return %out : tensor<1x3xf32>
  }
}

// -----

// Brevitas' TFC-w1a1 in small: a BipolarQuant of the input is the host's
// (kind 12: x >= 0 ? +1 : -1, sent as -1/+1 bytes). A binarized vector is
// read by the binary path, whose kernels are square: 200 values become
// 50 x 2 x 2 (4 taps x 2 words = 8 beats; 8 x 5 x 5 would take 25, and
// 200 x 1 x 1 is over 64 channels).

// CHECK: input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = -1, q_max = 1, c = 50, h = 2, w = 2, shape = [1, 200], steps = [#blend.host_step<kind = 12, shape = [1, 200], constant = [], perm = []>, #blend.host_step<kind = 9, shape = [1, 50, 2, 2], constant = [], perm = []>]>
// CHECK: blend.layer_step main(%arg0)
// CHECK-SAME: m_c = 50, m_h = 2, m_k = 2, m_stride = 1, m_w = 2, m_words = 2, main_en = 1, o = 2

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x200xf32>) -> tensor<1x2xf32> {
    %w = blend.constant dense<true> : tensor<200x2xi1> -> tensor<200x2x!blend.binary>
    %b = blend.binarize %arg0 : tensor<1x200xf32> -> tensor<1x200x!blend.binary>
    %a = blend.matmul %b, %w : (tensor<1x200x!blend.binary>, tensor<200x2x!blend.binary>) -> tensor<1x2xsi9> loc("fc")
    %out = blend.dequantize %a : tensor<1x2xsi9> -> tensor<1x2xf32>
    return %out : tensor<1x2xf32>
  }
}

// -----

// The flattening of a multi-pixel map (a VGG-style conv stack into its first
// FC layer): matmul(reshape(x)) over the stored 2 x 2 x 2 tensor is a 2x2
// kernel with a weight per tap (not the head's one shared matrix: no
// s_shared). Row n = (c·2 + y)·2 + x of W holds n + 1, so tap (y, x) reads
// channel 0 from row 2y + x and channel 1 from row 4 + 2y + x.

// CHECK: blend.layer_step skip(%arg0)
// CHECK: blend.layer_step skip(%{{.*}})
// CHECK-SAME: fields = #blend.step<{{.*}}o = 1, oh = 1, {{.*}}ow = 1, s_c = 2, s_cgroups = 1, s_h = 2, s_kh = 2, s_kw = 2, s_stride = 1, s_w = 2, skip_en = 1, stream = 1>
// CHECK-SAME: fixed_weights = dense<[1, 5, 0, 0, 2, 6, 0, 0, 3, 7, 0, 0, 4, 8, 0, 0]> : tensor<16xi8>

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x1x2x2xf32>) -> tensor<1x1xf32> {
    %w0 = blend.constant dense<1> : tensor<2x1x1x1xi8> -> tensor<2x1x1x1x!blend.fixed<si8, 5.000000e-01>>
    %w1 = blend.constant dense<[[1], [2], [3], [4], [5], [6], [7], [8]]> : tensor<8x1xi8> -> tensor<8x1x!blend.fixed<si8, 5.000000e-01>>
    %q = blend.quantize %arg0 : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!blend.fixed<si8, 2.500000e-01>>
    %a0 = blend.conv2d %q, %w0 strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x1x2x2x!blend.fixed<si8, 2.500000e-01>>, tensor<2x1x1x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x2x2x2x!blend.fixed<si20, 1.250000e-01>> loc("conv")
    %x = blend.requant %a0 multiplier [1] shift [0] bias [0] rounding half_even : tensor<1x2x2x2x!blend.fixed<si20, 1.250000e-01>> -> tensor<1x2x2x2x!blend.fixed<si8, 1.250000e-01>> loc("act")
    %r = blend.reshape %x : tensor<1x2x2x2x!blend.fixed<si8, 1.250000e-01>> -> tensor<1x8x!blend.fixed<si8, 1.250000e-01>>
    %y = blend.matmul %r, %w1 : (tensor<1x8x!blend.fixed<si8, 1.250000e-01>>, tensor<8x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x1x!blend.fixed<si20, 6.250000e-02>> loc("fc")
    %out = blend.dequantize %y : tensor<1x1x!blend.fixed<si20, 6.250000e-02>> -> tensor<1x1xf32>
    return %out : tensor<1x1xf32>
  }
}
