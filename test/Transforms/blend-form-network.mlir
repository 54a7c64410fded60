// RUN: blend-opt --blend-form-network %s | FileCheck %s
// RUN: blend-opt --blend-form-network=fixed-channels=2 %s | FileCheck %s --check-prefix=FIX2
// RUN: blend-opt --blend-form-network %s | blend-opt | FileCheck %s --check-prefix=ROUND

// The network of test/Codegen/export-network.mlir: an int8 stem, a Blend
// module (binary conv -> threshold -> binary conv, int8 1x1 skip, join), a
// global sum pool and a classifier. Four layer steps, in execution order,
// each reading its tensors as operands: the join reads the threshold's
// output on the main path and the stem's on the skip path (the stem stays
// alive across the main path). @main is left as it is.

// CHECK-LABEL: func.func @main
// CHECK: blend.requant
// CHECK: blend.network attributes {hardware = #blend.datapath<fixed_channels = 4, output_rank = 2>
// CHECK-SAME: input = #blend.host_input<scale = 2.500000e-01 : f64, zero_point = 0, q_min = -128, q_max = 127, c = 2, h = 4, w = 4>
// CHECK-SAME: output = #blend.host_output<binary = 0, scale = 0.001953125 : f64, zero_point = 0, c = 3, h = 1, w = 1>
// CHECK-NEXT: ^bb0(%[[IN:.*]]: !blend.buffer):

// The stem: the skip path alone; per-channel constants from its requant (77,
// shift 9, bias 100), the output stage 1/0/0; 3 channels x 9 taps x 1 group
// of 4 channels = 108 weight bytes (channels 2, 3 of each row are 0). Its
// si8 input's largest |q - zp| is 128 (skip_magnitude, for blend-pack-dsp's
// pixel pairs).
// CHECK-NEXT: %[[STEM:.*]] = blend.layer_step skip(%[[IN]])
// CHECK-SAME: skip_multiplier = [77, 77, 77], skip_shift = [9, 9, 9], skip_bias = [100, 100, 100], out_multiplier = [1, 1, 1]
// CHECK-SAME: fields = #blend.step<join_max = 2147483647, join_min = -2147483648, o = 3, oh = 4, out_max = 127, out_min = -128, ow = 4, rounding = 2, s_c = 2, s_cgroups = 1, s_h = 4, s_kh = 3, s_kw = 3, s_pad = 1, s_stride = 1, s_w = 4, skip_en = 1>
// CHECK-SAME: fixed_weights = dense<"0x01010000{{(01010000)+}}"> : tensor<108xi8>
// CHECK-SAME: skip_acc_width = 24 : i64, skip_magnitude = 128 : i64, traced_op = "requant"

// The threshold: a binary 3x3 over the stem's sign bits, unpacked (a row per
// tap and 48-bit word; blend-pack-dsp packs rows later): 4 x 9 rows, bits
// 0..2 set (all weights +1). q >= 2 is q - 2 >= 0; the flipped q <= -1 is
// -q - 1 >= 0.
// CHECK-NEXT: %[[BIN:.*]] = blend.layer_step main(%[[STEM]])
// CHECK-SAME: binary_weights = dense<7> : tensor<36xi64>
// CHECK-SAME: main_multiplier = [1, -1, 1, 1], main_shift = [0, 0, 0, 0], main_bias = [-2, -1, -2, -2]
// CHECK-SAME: m_c = 3, {{.*}} m_k = 3, m_pad = 1, m_stride = 2, m_w = 4, m_words = 1, main_en = 1, o = 4
// CHECK-SAME: out_binary = 1
// CHECK-SAME: main_acc_width = 8 : i64, traced_op = "threshold"

// The join.
// CHECK-NEXT: %[[JOIN:.*]] = blend.layer_step main(%[[BIN]]) skip(%[[STEM]])
// CHECK-SAME: binary_weights = dense<0> : tensor<36xi64>
// CHECK-SAME: join_max = 8388607, join_min = -8388608
// CHECK-SAME: main_acc_width = 8 : i64, skip_acc_width = 20 : i64

// The head: global pool + classifier, one shared 4x3 weight matrix, streamed.
// CHECK-NEXT: blend.layer_step skip(%[[JOIN]])
// CHECK-SAME: skip_bias = [5, -7, 0]
// CHECK-SAME: s_kh = 2, s_kw = 2, s_shared = 1, {{.*}} stream = 1
// CHECK-SAME: fixed_weights = dense<3> : tensor<12xi8>
// CHECK-SAME: traced_op = "matmul"}
// CHECK-NEXT: }

// fixed-channels=2: rows of 2 channels, so the stem's 2 channels fill them.
// FIX2: hardware = #blend.datapath<fixed_channels = 2
// FIX2: blend.layer_step skip
// FIX2-SAME: s_cgroups = 1
// FIX2-SAME: fixed_weights = dense<1> : tensor<54xi8>
// FIX2: blend.layer_step main
// FIX2: blend.layer_step main
// FIX2-SAME: s_c = 3, s_cgroups = 2
// FIX2-SAME: fixed_weights = dense<[-2, -2, -2, 0,

// The printed network parses back and verifies.
// ROUND: blend.network
// ROUND-COUNT-4: blend.layer_step

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
