// RUN: blend-opt --blend-lower-to-network -mlir-print-debuginfo %s | blend-translate --export-network-text | FileCheck %s
// RUN: blend-opt --blend-lower-to-network -mlir-print-debuginfo %s | blend-translate --export-verilog | FileCheck %s --check-prefix=TOP

// A small whole network as blendc --emit=mlir writes it: an int8 stem, a Blend
// module (binary conv -> threshold -> binary conv, int8 1x1 skip, join), a
// global sum pool and a classifier. Four layer steps; tensors share memory
// once dead (the input's region is reused by the threshold's output).

// CHECK: schedule v1.9 network
// CHECK-NEXT: hardware: max_channels=4 pe=4 lanes=4 fixed_channels=4 depth=32 binary_weight_depth=6 fixed_weight_depth=11 constant_depth=16 max_steps=4 acc_binary=9 acc_fixed=24 input_base=0 {{.*}} pairs=1
// CHECK-NEXT: input: 1x2x4x4 scale=0.25 zp=0 range=[-128, 127]

// The stem: the skip path alone, 3x3 pad 1, its requant half_even (rounding
// bit 1); the output stage only adds the zero point and saturates. Weights
// are rows of 4 channels (fixed_channels): 9 taps x 1 group x 4 bytes x 3.
// Its weights are all 1, so every product (|q| <= 128) fits 9 bits: it
// computes pixel pairs (s_pair=1; the core gets pairs=1).
// CHECK-NEXT: step 0: requant loc("stem")
// CHECK-NEXT: main_en=0 skip_en=1 out_binary=0 stream=0 o=3 oh=4 ow=4 {{.*}} s_c=2 s_h=4 s_w=4 s_kh=3 s_kw=3 s_stride=1 s_pad=1 s_src=0 s_wbase=0 s_shared=0 s_zp=0 cbase=0 rounding=2 {{.*}} out_zp=0 out_min=-128 out_max=127 dst=16 m_pack=0 s_cgroups=1 {{.*}} s_pair=1
// CHECK-NEXT: fixed_weights: 108 bytes
// CHECK-NEXT: constants (multiplier/shift/bias): main 0/0/0 0/0/0 0/0/0; skip 77/9/100 77/9/100 77/9/100; out 1/0/0 1/0/0 1/0/0

// The threshold: the main path alone; q >= 2 is q - 2 >= 0, and the flipped
// q <= -1 is -q - 1 >= 0. Its output reuses the input's region (dead after
// pass 0). Three channels: the 3x3 taps pack three per beat (one weight row
// per kernel row). Constant entries start at multiples of the lane count.
// CHECK-NEXT: step 1: threshold loc("bin1")
// CHECK-NEXT: main_en=1 skip_en=0 out_binary=1 stream=0 o=4 oh=2 ow=2 m_c=3 m_words=1 m_h=4 m_w=4 m_k=3 m_stride=2 m_pad=1 m_src=16 m_wbase=0 {{.*}} cbase=4 {{.*}} dst=0 m_pack=16 s_cgroups=0
// CHECK-NEXT: binary_weights: 12 rows
// CHECK-NEXT: constants (multiplier/shift/bias): main 1/0/-2 -1/0/-1 1/0/-2 1/0/-2; skip

// The join: main reads the threshold's output, skip the stem's; both live, so
// the output takes the gap between them.
// CHECK-NEXT: step 2: requant loc("join")
// CHECK-NEXT: main_en=1 skip_en=1 out_binary=0 stream=0 o=4 oh=2 ow=2 m_c=4 m_words=1 m_h=2 m_w=2 m_k=3 m_stride=1 m_pad=1 m_src=0 m_wbase=3 s_c=3 s_h=4 s_w=4 s_kh=1 s_kw=1 s_stride=2 s_pad=0 s_src=16 s_wbase=9 {{.*}} rounding=0 join_min=-8388608 join_max=8388607 out_zp=0 out_min=-128 out_max=127 dst=4 m_pack=16 s_cgroups=1
// CHECK-NEXT: binary_weights: 12 rows, {{.*}}; fixed_weights: 16 bytes
// CHECK-NEXT: constants (multiplier/shift/bias): main 3/1/0 3/1/0 3/1/0 3/1/0; skip 1/0/0 1/0/0 1/0/0 1/0/0; out 1/1/0 1/1/0 1/1/0 1/1/0

// The head: global pool + classifier as one 2x2 convolution with shared
// weights, streamed; the classifier bias rides on the path requant.
// CHECK-NEXT: step 3: matmul loc("head")
// CHECK-NEXT: main_en=0 skip_en=1 out_binary=0 stream=1 o=3 oh=1 ow=1 {{.*}} s_c=4 s_h=2 s_w=2 s_kh=2 s_kw=2 s_stride=1 s_pad=0 s_src=4 s_wbase=10 s_shared=1 {{.*}} m_pack=0 s_cgroups=1
// CHECK-NEXT: fixed_weights: 12 bytes
// CHECK-NEXT: constants (multiplier/shift/bias): main 0/0/0 0/0/0 0/0/0; skip 1/0/5 1/0/-7 1/0/0; out 1/0/0 1/0/0 1/0/0
// CHECK-NEXT: output: rank 2, 1x3x1x1 dequantize scale=0.001953125 zp=0

// TOP: module blend_net_top (
// TOP: input  logic [31:0] s_axis_tdata_i, // MaxC int8 activations
// TOP: output logic [127:0] m_axis_tdata_o, // Lanes 32-bit values
// TOP: blend_net #(
// TOP-NEXT: .MaxC      (4),
// TOP-NEXT: .ByteC     (4),
// TOP-NEXT: .Pe        (4),
// TOP-NEXT: .Lanes     (4),
// TOP-NEXT: .FixCh     (4),
// TOP-NEXT: .Depth     (32),

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x3xf32> {
    %w0 = blend.constant dense<1> : tensor<3x2x3x3xi8> -> tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>
    %w1 = blend.constant dense<true> : tensor<4x3x3x3xi1> -> tensor<4x3x3x3x!blend.binary>
    %w2 = blend.constant dense<false> : tensor<4x4x3x3xi1> -> tensor<4x4x3x3x!blend.binary>
    %w3 = blend.constant dense<-2> : tensor<4x3x1x1xi8> -> tensor<4x3x1x1x!blend.fixed<si8, 5.000000e-01>>
    %w4 = blend.constant dense<3> : tensor<4x3xi8> -> tensor<4x3x!blend.fixed<si8, 1.250000e-01>>
    %b4 = blend.constant dense<[5, -7, 0]> : tensor<3xi8> -> tensor<3x!blend.fixed<si8, 1.953125e-03>>
    %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
    %a0 = blend.conv2d %q, %w0 strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>, tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>> loc("stem_conv")
    %x1 = blend.requant %a0 multiplier [77] shift [9] bias [100] rounding half_even : tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>> loc("stem")
    %b1 = blend.binarize %x1 : tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x3x4x4x!blend.binary>
    %a1 = blend.conv2d %b1, %w1 strides [2, 2] pads [1, 1, 1, 1] : (tensor<1x3x4x4x!blend.binary>, tensor<4x3x3x3x!blend.binary>) -> tensor<1x4x2x2xsi8>
    %t1 = blend.threshold %a1 thresholds [2, -1, 2, 2] flip [false, true, false, false] : tensor<1x4x2x2xsi8> -> tensor<1x4x2x2x!blend.binary> loc("bin1")
    %a2 = blend.conv2d %t1, %w2 strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x4x2x2x!blend.binary>, tensor<4x4x3x3x!blend.binary>) -> tensor<1x4x2x2xsi8>
    %p2 = blend.requant %a2 multiplier [3] shift [1] bias [0] rounding half_up : tensor<1x4x2x2xsi8> -> tensor<1x4x2x2x!blend.fixed<si24, 3.125000e-02>>
    %a3 = blend.conv2d %x1, %w3 strides [2, 2] pads [0, 0, 0, 0] : (tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>>, tensor<4x3x1x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x4x2x2x!blend.fixed<si20, 3.125000e-02>>
    %p3 = blend.requant %a3 multiplier [1] shift [0] bias [0] rounding half_up : tensor<1x4x2x2x!blend.fixed<si20, 3.125000e-02>> -> tensor<1x4x2x2x!blend.fixed<si24, 3.125000e-02>>
    %s = blend.add %p2, %p3 : tensor<1x4x2x2x!blend.fixed<si24, 3.125000e-02>>, tensor<1x4x2x2x!blend.fixed<si24, 3.125000e-02>> -> tensor<1x4x2x2x!blend.fixed<si25, 3.125000e-02>>
    %x2 = blend.requant %s multiplier [1] shift [1] bias [0] rounding half_up : tensor<1x4x2x2x!blend.fixed<si25, 3.125000e-02>> -> tensor<1x4x2x2x!blend.fixed<si8, 6.250000e-02>> loc("join")
    %sp = blend.sum_pool2d %x2 kernel [2, 2] strides [1, 1] : tensor<1x4x2x2x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x4x1x1x!blend.fixed<si11, 1.562500e-02>>
    %r = blend.reshape %sp : tensor<1x4x1x1x!blend.fixed<si11, 1.562500e-02>> -> tensor<1x4x!blend.fixed<si11, 1.562500e-02>>
    %y = blend.matmul %r, %w4, %b4 : (tensor<1x4x!blend.fixed<si11, 1.562500e-02>>, tensor<4x3x!blend.fixed<si8, 1.250000e-01>>, tensor<3x!blend.fixed<si8, 1.953125e-03>>) -> tensor<1x3x!blend.fixed<si24, 1.953125e-03>> loc("head")
    %out = blend.dequantize %y : tensor<1x3x!blend.fixed<si24, 1.953125e-03>> -> tensor<1x3xf32>
    return %out : tensor<1x3xf32>
  }
}
