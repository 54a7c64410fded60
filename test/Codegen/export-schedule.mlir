// RUN: blend-translate --export-schedule-text %s | FileCheck %s
// RUN: blend-translate --export-verilog %s | FileCheck %s --check-prefix=TOP
// RUN: blend-translate --export-schedule %s | head -c 4 | FileCheck %s --check-prefix=MAGIC

// A lowered Blend module (2 channels, 4x4, stride 1, binary output) as blendc
// --emit=mlir writes it; the emitters read it back.

// CHECK: schedule v1.7
// CHECK-NEXT: hardware: max_channels=2 pe=2 max_pixels=16 acc_binary=9 acc_fixed=17
// CHECK-NEXT: input: 1x2x4x4 scale=0.25 zp=0 range=[-128, 127]
// CHECK-NEXT: blend_module: c=2 o=2 h=4 w=4 stride=1 out=4x4 input_zp=0 output=binary rounding=half_up output_zp=0 output_range=[0, 0] join_range=[-8388608, 8388607]
// CHECK-NEXT:   main_multiplier: 65536 -87381
// CHECK-NEXT:   main_shift: 8 10
// CHECK-NEXT:   main_bias: -32768 -93742
// CHECK-NEXT:   skip_multiplier: 104857 111218
// CHECK-NEXT:   skip_shift: 11 11
// CHECK-NEXT:   skip_bias: 0 0
// CHECK-NEXT:   out_multiplier: 1 1
// CHECK-NEXT:   out_shift: 0 0
// CHECK-NEXT:   binary_weights: 18 words
// CHECK-NEXT:   fixed_weights: 4 values
// CHECK-NEXT: output: 1x2x4x4 binary (+-1)

// TOP: module blend_accel_top (
// TOP: input  logic [15:0] s_axis_tdata_i
// TOP: blend_accel #(
// TOP-NEXT: .MaxC   (2),
// TOP-NEXT: .Pe     (2),
// TOP-NEXT: .MaxPix (16),
// TOP-NEXT: .AccB   (9),
// TOP-NEXT: .AccF   (17)

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
