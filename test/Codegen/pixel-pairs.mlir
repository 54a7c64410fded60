// RUN: blend-opt --blend-lower-to-network -mlir-print-debuginfo %s | blend-translate --export-network-text | FileCheck %s
// RUN: blend-opt --blend-lower-to-network=pair-pixels=false %s | FileCheck %s --check-prefix=OFF
// RUN: blend-opt --blend-lower-to-network -mlir-print-debuginfo %s | blend-translate --export-verilog | FileCheck %s --check-prefix=TOP

// A 4-bit network (ui4 activations with zero point 8, si4 weights, si4 and ui4
// outputs): every fixed-point product w·(q - zp) has |w| <= 8 and
// |q - zp| <= 8, so it fits the 9-bit fields of a pixel pair (four products
// per DSP). blend-pack-dsp pairs the passes the pairs make faster:
//   stem   3x3 pad 1 over 5x5 pixels, fixed-bound (9 beats per pixel): pairs;
//          with OW = 5 odd, pairs wrap to the next row (tap distance
//          stride x (W - OW + 1) = 1, odd: the other activation bank) and
//          the 25th pixel is alone.
//   bin1   binary only: no skip path.
//   join   the 1x1 skip path takes 1 beat per pixel; the binary path is the
//          bound, so pairs would not help: not paired.
//   valid  3x3 pad 0 over 5x5 -> 3x3, fixed-bound: pairs (W - OW + 1 = 3).
//   head   shared weights (pool + classifier): never paired.
// test/python/test_network_cosim.py runs this network in RTL simulation.

// CHECK: schedule v1.9 network
// CHECK-NEXT: hardware: {{.*}} desc_banks=8 pairs=1
// CHECK-NEXT: input: 1x3x5x5 scale=0.25 zp=8 range=[0, 15]
// CHECK-NEXT: step 0: requant loc("stem")
// CHECK-NEXT: o=4 oh=5 ow=5 {{.*}} s_c=3 s_h=5 s_w=5 s_kh=3 s_kw=3 s_stride=1 s_pad=1 {{.*}} s_zp=8 {{.*}} out_zp=8 out_min=0 out_max=15 {{.*}} s_fold=1 s_rowsplit=0 m_fold=1 s_pair=1
// CHECK: step 1: threshold loc("bin1")
// CHECK-NEXT: skip_en=0 {{.*}} s_pair=0
// CHECK: step 2: requant loc("join")
// CHECK-NEXT: skip_en=1 {{.*}} s_kh=1 s_kw=1 {{.*}} s_pair=0
// CHECK: step 3: requant loc("valid")
// CHECK-NEXT: o=4 oh=3 ow=3 {{.*}} s_w=5 s_kh=3 s_kw=3 s_stride=1 s_pad=0 {{.*}} out_min=-8 out_max=7 {{.*}} s_pair=1
// CHECK: step 4: matmul loc("head")
// CHECK-NEXT: stream=1 {{.*}} s_shared=1 {{.*}} s_pair=0

// OFF: hardware = #blend.datapath<{{.*}}pe = 4>
// OFF-NOT: pairs =
// OFF-NOT: s_pair

// TOP: .DescBanks (8),
// TOP-NEXT: .Pairs     (1)

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x3x5x5xf32>) -> tensor<1x3xf32> {
    %w0 = blend.constant dense<[[[[ 7,  2,  2],   [ 6,  1,  4],   [ 5, -5, -8]],  [[-4, -4,  5],   [ 6, -8, -1],   [ 5, -6,  4]],  [[-7, -1,  5],   [-4, -3, -4],   [ 3, -4,  7]]], [[[-1, -1,  0],   [ 1,  0,  0],   [ 7,  4,  4]],  [[ 3,  1, -3],   [ 7, -1, -5],   [ 5, -6,  5]],  [[ 1, -7, -8],   [-1, -8, -6],   [ 0,  7, -1]]], [[[ 4,  6,  5],   [ 2, -1,  0],   [-4, -1, -2]],  [[-5,  7, -8],   [-7, -5,  7],   [ 3,  6, -5]],  [[ 3, -3, -1],   [-8,  1,  5],   [ 2, -6,  0]]], [[[-4,  7,  6],   [-6,  0,  7],   [ 5,  3,  2]],  [[-8,  3, -1],   [-7, -5,  0],   [ 3,  0,  1]],  [[ 5,  2, -3],   [ 2,  1, -7],   [-8,  2, -2]]]]> : tensor<4x3x3x3xi4> -> tensor<4x3x3x3x!blend.fixed<si4, 5.000000e-01>>
    %w1 = blend.constant dense<[[[[ true, false, false],   [false, false,  true],   [false, false,  true]],  [[ true, false,  true],   [false,  true, false],   [ true,  true,  true]],  [[ true, false,  true],   [false, false, false],   [false, false,  true]],  [[false, false,  true],   [ true, false, false],   [ true, false, false]]], [[[false,  true, false],   [ true,  true, false],   [ true,  true, false]],  [[ true,  true,  true],   [ true,  true, false],   [false,  true, false]],  [[ true,  true, false],   [ true, false, false],   [false,  true,  true]],  [[ true,  true,  true],   [false, false,  true],   [false, false, false]]], [[[ true, false,  true],   [ true,  true, false],   [ true,  true, false]],  [[false, false,  true],   [false, false,  true],   [false,  true, false]],  [[ true, false, false],   [ true, false,  true],   [ true, false, false]],  [[ true, false,  true],   [ true, false, false],   [ true, false,  true]]], [[[ true, false,  true],   [ true,  true,  true],   [ true,  true,  true]],  [[false, false,  true],   [false, false,  true],   [ true,  true,  true]],  [[ true, false,  true],   [false,  true,  true],   [ true, false,  true]],  [[ true, false,  true],   [ true,  true, false],   [ true, false, false]]]]> : tensor<4x4x3x3xi1> -> tensor<4x4x3x3x!blend.binary>
    %w2 = blend.constant dense<[[[[false, false,  true],   [false, false, false],   [false, false, false]],  [[ true,  true,  true],   [ true, false, false],   [false, false,  true]],  [[false, false, false],   [ true, false,  true],   [ true,  true,  true]],  [[ true,  true,  true],   [ true,  true,  true],   [false,  true,  true]]], [[[false, false,  true],   [ true, false, false],   [false, false, false]],  [[ true,  true,  true],   [ true, false,  true],   [ true,  true,  true]],  [[false,  true, false],   [ true,  true,  true],   [false, false,  true]],  [[false,  true, false],   [false, false, false],   [false, false,  true]]], [[[ true,  true,  true],   [false,  true,  true],   [ true, false, false]],  [[ true, false,  true],   [false, false, false],   [ true,  true, false]],  [[false,  true, false],   [ true, false, false],   [ true, false,  true]],  [[false, false,  true],   [ true,  true,  true],   [ true,  true, false]]], [[[ true,  true,  true],   [ true,  true,  true],   [ true,  true,  true]],  [[ true, false, false],   [false, false, false],   [false, false, false]],  [[ true, false,  true],   [false,  true,  true],   [false, false, false]],  [[ true, false, false],   [false,  true, false],   [false, false, false]]]]> : tensor<4x4x3x3xi1> -> tensor<4x4x3x3x!blend.binary>
    %w3 = blend.constant dense<[[[[ 1]],  [[ 7]],  [[ 5]],  [[ 0]]], [[[ 2]],  [[ 4]],  [[-2]],  [[ 2]]], [[[-5]],  [[ 1]],  [[-5]],  [[-5]]], [[[ 4]],  [[ 1]],  [[-2]],  [[-8]]]]> : tensor<4x4x1x1xi4> -> tensor<4x4x1x1x!blend.fixed<si4, 5.000000e-01>>
    %w5 = blend.constant dense<[[[[-4,  5,  0],   [ 7,  6,  5],   [-7, -7,  1]],  [[-2,  5, -3],   [-5, -6, -3],   [ 2, -6,  4]],  [[-3, -3,  2],   [ 5, -1,  4],   [-3, -6,  5]],  [[ 4,  4,  6],   [ 0, -5,  1],   [ 1, -2,  2]]], [[[-4,  2,  4],   [-6, -1,  2],   [-7,  2,  6]],  [[ 5,  3,  5],   [-2, -3, -6],   [ 3, -3,  6]],  [[-1,  6, -5],   [-5, -2, -7],   [ 0,  2,  2]],  [[-4, -5,  1],   [ 2,  7,  6],   [-2, -5, -4]]], [[[ 6, -1,  7],   [ 2,  1, -6],   [ 1, -2,  5]],  [[-5, -5,  2],   [ 3,  5,  0],   [-2, -3, -2]],  [[ 2,  1, -3],   [-4,  3, -4],   [-4, -3,  5]],  [[-1,  1, -6],   [-2,  4,  4],   [ 1,  6, -3]]], [[[-5, -6, -5],   [ 4,  6, -6],   [ 0, -6,  5]],  [[-6,  2, -6],   [ 4,  6,  3],   [-3,  5, -3]],  [[ 4,  5,  0],   [ 2,  5, -5],   [-7, -1, -5]],  [[ 6,  6, -2],   [-3,  3, -1],   [-6,  2,  3]]]]> : tensor<4x4x3x3xi4> -> tensor<4x4x3x3x!blend.fixed<si4, 5.000000e-01>>
    %w4 = blend.constant dense<[[-7,  4,  0], [ 5,  5,  2], [-3, -3,  3], [-7, -5,  0]]> : tensor<4x3xi4> -> tensor<4x3x!blend.fixed<si4, 1.250000e-01>>
    %b4 = blend.constant dense<[5, -7, 0]> : tensor<3xi8> -> tensor<3x!blend.fixed<si8, 7.812500e-03>>
    %q = blend.quantize %arg0 : tensor<1x3x5x5xf32> -> tensor<1x3x5x5x!blend.fixed<ui4, 2.500000e-01, zp = 8>>
    %a0 = blend.conv2d %q, %w0 strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x3x5x5x!blend.fixed<ui4, 2.500000e-01, zp = 8>>, tensor<4x3x3x3x!blend.fixed<si4, 5.000000e-01>>) -> tensor<1x4x5x5x!blend.fixed<si16, 1.250000e-01>> loc("stem_conv")
    %x1 = blend.requant %a0 multiplier [3] shift [6] bias [10] rounding half_even : tensor<1x4x5x5x!blend.fixed<si16, 1.250000e-01>> -> tensor<1x4x5x5x!blend.fixed<ui4, 5.000000e-01, zp = 8>> loc("stem")
    %b1 = blend.binarize %x1 : tensor<1x4x5x5x!blend.fixed<ui4, 5.000000e-01, zp = 8>> -> tensor<1x4x5x5x!blend.binary>
    %a1 = blend.conv2d %b1, %w1 strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x4x5x5x!blend.binary>, tensor<4x4x3x3x!blend.binary>) -> tensor<1x4x5x5xsi8>
    %t1 = blend.threshold %a1 thresholds [2, -1, 0, 4] flip [false, true, false, false] : tensor<1x4x5x5xsi8> -> tensor<1x4x5x5x!blend.binary> loc("bin1")
    %a2 = blend.conv2d %t1, %w2 strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x4x5x5x!blend.binary>, tensor<4x4x3x3x!blend.binary>) -> tensor<1x4x5x5xsi8>
    %p2 = blend.requant %a2 multiplier [3] shift [1] bias [0] rounding half_up : tensor<1x4x5x5xsi8> -> tensor<1x4x5x5x!blend.fixed<si24, 3.125000e-02>>
    %a3 = blend.conv2d %x1, %w3 strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x4x5x5x!blend.fixed<ui4, 5.000000e-01, zp = 8>>, tensor<4x4x1x1x!blend.fixed<si4, 5.000000e-01>>) -> tensor<1x4x5x5x!blend.fixed<si12, 2.500000e-01>>
    %p3 = blend.requant %a3 multiplier [8] shift [0] bias [0] rounding half_up : tensor<1x4x5x5x!blend.fixed<si12, 2.500000e-01>> -> tensor<1x4x5x5x!blend.fixed<si24, 3.125000e-02>>
    %s = blend.add %p2, %p3 : tensor<1x4x5x5x!blend.fixed<si24, 3.125000e-02>>, tensor<1x4x5x5x!blend.fixed<si24, 3.125000e-02>> -> tensor<1x4x5x5x!blend.fixed<si25, 3.125000e-02>>
    %x2 = blend.requant %s multiplier [1] shift [3] bias [0] rounding half_up : tensor<1x4x5x5x!blend.fixed<si25, 3.125000e-02>> -> tensor<1x4x5x5x!blend.fixed<ui4, 2.500000e-01, zp = 8>> loc("join")
    %a5 = blend.conv2d %x2, %w5 strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x4x5x5x!blend.fixed<ui4, 2.500000e-01, zp = 8>>, tensor<4x4x3x3x!blend.fixed<si4, 5.000000e-01>>) -> tensor<1x4x3x3x!blend.fixed<si16, 1.250000e-01>> loc("valid_conv")
    %x3 = blend.requant %a5 multiplier [5] shift [8] bias [-3] rounding half_up : tensor<1x4x3x3x!blend.fixed<si16, 1.250000e-01>> -> tensor<1x4x3x3x!blend.fixed<si4, 5.625000e-01>> loc("valid")
    %sp = blend.sum_pool2d %x3 kernel [3, 3] strides [1, 1] : tensor<1x4x3x3x!blend.fixed<si4, 5.625000e-01>> -> tensor<1x4x1x1x!blend.fixed<si8, 6.250000e-02>>
    %r = blend.reshape %sp : tensor<1x4x1x1x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x4x!blend.fixed<si8, 6.250000e-02>>
    %y = blend.matmul %r, %w4, %b4 : (tensor<1x4x!blend.fixed<si8, 6.250000e-02>>, tensor<4x3x!blend.fixed<si4, 1.250000e-01>>, tensor<3x!blend.fixed<si8, 7.812500e-03>>) -> tensor<1x3x!blend.fixed<si16, 7.812500e-03>> loc("head")
    %out = blend.dequantize %y : tensor<1x3x!blend.fixed<si16, 7.812500e-03>> -> tensor<1x3xf32>
    return %out : tensor<1x3xf32>
  }
}
