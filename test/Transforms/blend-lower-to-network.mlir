// RUN: blend-opt --blend-lower-to-network %s | FileCheck %s
// RUN: blend-opt --blend-lower-to-network -mlir-print-debuginfo %s | blend-translate --export-network-text | FileCheck %s --check-prefix=TEXT
// RUN: not blend-translate --export-network-text %s 2>&1 | FileCheck %s --check-prefix=UNFINISHED
// UNFINISHED: error: no finished blend.network to export
// RUN: blend-opt --pass-pipeline='builtin.module(blend-lower-to-network{lanes=2 fixed-channels=2})' %s | FileCheck %s --check-prefix=NARROW

// The whole pipeline (blend-form-network, blend-tile, blend-pack-dsp,
// blend-allocate-buffers) on test/Codegen/export-network.mlir's model. The
// finished network, printed and read back by the exporter, is the schedule
// the exporter builds itself: the exporter only reads. The stem (all weights
// 1) computes pixel pairs, so the core has them (pairs = 1).

// CHECK: blend.network attributes {hardware = #blend.datapath<acc_binary = 9, acc_fixed = 24, binary_weight_depth = 6, byte_channels = 4, constant_depth = 16, depth = 32, desc_banks = 8, fixed_channels = 4, fixed_weight_depth = 11, lanes = 4, max_channels = 4, max_steps = 4, output_rank = 2, pairs = 1, pe = 4>
// CHECK-COUNT-4: blend.layer_step

// TEXT: hardware: max_channels=4 pe=4 lanes=4 fixed_channels=4 depth=32 binary_weight_depth=6 fixed_weight_depth=11 constant_depth=16 max_steps=4 acc_binary=9 acc_fixed=24 input_base=0
// TEXT: step 0: requant loc("stem")
// TEXT: dst=16 {{.*}} s_pair=1
// TEXT: step 1: threshold loc("bin1")
// TEXT: m_src=16 m_wbase=0 {{.*}} dst=0 m_pack=16
// TEXT: step 2: requant loc("join")
// TEXT: m_src=0 m_wbase=3 {{.*}} s_src=16 s_wbase=9 {{.*}} dst=4 m_pack=16
// TEXT: step 3: matmul loc("head")
// TEXT: s_src=4 s_wbase=10

// Two lanes, two fixed-point channels per beat: the stem's 2 channels are
// one group, the join's 3 skip channels two.
// NARROW: hardware = #blend.datapath<{{.*}}fixed_channels = 2, {{.*}}lanes = 2,

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
