// RUN: blend-opt --blend-lower-to-network %s | blend-translate --export-network-text | FileCheck %s
// RUN: blend-opt --blend-lower-to-network %s | blend-translate --export-verilog | FileCheck %s --check-prefix=TOP
// RUN: blend-opt --blend-lower-to-network %s | blend-translate --export-network | head -c 4 | FileCheck %s --check-prefix=MAGIC

// A lowered Blend module (2 channels, 4x4, stride 1, binary output) as blendc
// --emit=mlir writes it: one layer step of blend_net, both paths enabled,
// joined and binarized, streamed out. The constants are the IR's, unchanged.

// CHECK: schedule v1.9 network
// CHECK-NEXT: hardware: max_channels=4 pe=2 lanes=2 fixed_channels=4 depth=16
// CHECK-NEXT: input: 1x2x4x4 scale=0.25 zp=0 range=[-128, 127]
// CHECK-NEXT: step 0: binarize
// CHECK-NEXT: main_en=1 skip_en=1 out_binary=1 stream=1 o=2 oh=4 ow=4 m_c=2 m_words=1 m_h=4 m_w=4 m_k=3 m_stride=1 m_pad=1 {{.*}} s_c=2 s_h=4 s_w=4 s_kh=1 s_kw=1 s_stride=1 s_pad=0 {{.*}} join_min=-8388608 join_max=8388607
// CHECK-NEXT: binary_weights: 6 rows
// CHECK-NEXT: constants (multiplier/shift/bias): main 65536/8/-32768 -87381/10/-93742; skip 104857/11/0 111218/11/0; out 1/0/0 1/0/0
// CHECK-NEXT: output: rank 4, 1x2x4x4 binary (+-1)

// TOP: module blend_net_top (
// TOP: input  logic [31:0] s_axis_tdata_i
// TOP: blend_net #(
// TOP-NEXT: .MaxC      (4),
// TOP-NEXT: .ByteC     (4),
// TOP-NEXT: .Pe        (2),
// TOP: .LutXnor   (0),

// MAGIC: BLND

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
    %wb = blend.constant dense<[[[[true, false, true], [true, true, false], [false, true, true]], [[false, false, true], [true, false, true], [true, true, false]]], [[[true, true, true], [false, false, false], [true, true, true]], [[false, true, false], [true, false, true], [false, true, false]]]]> : tensor<2x2x3x3xi1> -> tensor<2x2x3x3x!blend.binary>
    %wq = blend.constant dense<[[[[3]], [[-2]]], [[[1]], [[4]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!blend.fixed<si8, 5.000000e-01>>
    %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
    %b = blend.binarize %q : tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>> -> tensor<1x2x4x4x!blend.binary>
    %m = blend.conv2d %b, %wb strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x2x4x4x!blend.binary>, tensor<2x2x3x3x!blend.binary>) -> tensor<1x2x4x4xsi6>
    %s = blend.conv2d %q, %wq strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>, tensor<2x2x1x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x2x4x4x!blend.fixed<si17, 1.250000e-01>>
    %pm = blend.requant %m multiplier [65536, -87381] shift [8, 10] bias [-32768, -93742] rounding half_up : tensor<1x2x4x4xsi6> -> tensor<1x2x4x4x!blend.fixed<si24, 1.953125e-03>>
    %ps = blend.requant %s multiplier [104857, 111218] shift [11, 11] bias [0, 0] rounding half_up : tensor<1x2x4x4x!blend.fixed<si17, 1.250000e-01>> -> tensor<1x2x4x4x!blend.fixed<si24, 1.953125e-03>>
    %sum = blend.add %pm, %ps : tensor<1x2x4x4x!blend.fixed<si24, 1.953125e-03>>, tensor<1x2x4x4x!blend.fixed<si24, 1.953125e-03>> -> tensor<1x2x4x4x!blend.fixed<si25, 1.953125e-03>>
    %y = blend.binarize %sum : tensor<1x2x4x4x!blend.fixed<si25, 1.953125e-03>> -> tensor<1x2x4x4x!blend.binary>
    %out = blend.dequantize %y : tensor<1x2x4x4x!blend.binary> -> tensor<1x2x4x4xf32>
    return %out : tensor<1x2x4x4xf32>
  }
}
