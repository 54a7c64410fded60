// RUN: blend-opt --blend-lower-to-network=max-pe=8 -mlir-print-debuginfo %s | blend-translate --export-network-text | FileCheck %s
// RUN: blend-opt --blend-lower-to-network -mlir-print-debuginfo %s | blend-translate --export-network-text | FileCheck %s --check-prefix=WHOLE
// RUN: not blend-opt --blend-lower-to-network=max-pe=4 %s 2>&1 | FileCheck %s --check-prefix=SMALL

// Output-channel tiles: with at most 8 output channels in parallel, the
// 16-channel stem runs as two passes over the same input; each computes 8
// channels (its weights and constants) and writes them at its offset into
// the one output tensor. The 3-class head fits one pass.

// CHECK: hardware: max_channels=16 pe=8 lanes=8 fixed_channels=4 {{.*}} max_steps=3 {{.*}} tiled=1
// CHECK: step 0: requant loc("stem")
// CHECK-NEXT: {{.*}} o=8 oh=2 ow=2 {{.*}} s_c=2 {{.*}} s_src=[[IN:[0-9]+]] {{.*}} cbase=0 {{.*}} dst=[[OUT:[0-9]+]] {{.*}} out_offset=0
// CHECK-NEXT: fixed_weights: 32 bytes
// CHECK-NEXT: constants (multiplier/shift/bias): main{{.*}}; skip 1/0/0 2/0/0 3/0/0 4/0/0 5/0/0 6/0/0 7/0/0 8/0/0;
// CHECK: step 1: requant loc("stem")
// CHECK-NEXT: {{.*}} o=8 oh=2 ow=2 {{.*}} s_c=2 {{.*}} s_src=[[IN]] {{.*}} cbase=8 {{.*}} dst=[[OUT]] {{.*}} out_offset=8
// CHECK-NEXT: fixed_weights: 32 bytes
// CHECK-NEXT: constants (multiplier/shift/bias): main{{.*}}; skip 9/0/0 10/0/0 11/0/0 12/0/0 13/0/0 14/0/0 15/0/0 16/0/0;
// CHECK: step 2: matmul loc("head")
// CHECK-NEXT: {{.*}} o=3 oh=1 ow=1 {{.*}} s_c=16 {{.*}} s_src=[[OUT]] {{.*}} out_offset=0

// Without a cap: one pass, Pe 16.
// WHOLE: hardware: max_channels=16 pe=16 {{.*}} max_steps=2 {{.*}} tiled=0
// WHOLE: step 0: requant loc("stem")
// WHOLE-NEXT: {{.*}} o=16 oh=2 ow=2

// A tile writes whole bytes of the binary memory: 8 channels at least.
// SMALL: error: cannot be mapped to the accelerator: a cap of 4 output channels is below the 8 an output-channel tile needs

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x2x2x2xf32>) -> tensor<1x3xf32> {
    %w0 = blend.constant dense<1> : tensor<16x2x1x1xi8> -> tensor<16x2x1x1x!blend.fixed<si8, 5.000000e-01>>
    %wh = blend.constant dense<3> : tensor<16x3xi8> -> tensor<16x3x!blend.fixed<si8, 1.250000e-01>>
    %q = blend.quantize %arg0 : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!blend.fixed<si8, 2.500000e-01>>
    %a0 = blend.conv2d %q, %w0 strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x2x2x2x!blend.fixed<si8, 2.500000e-01>>, tensor<16x2x1x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x16x2x2x!blend.fixed<si24, 1.250000e-01>>
    %x0 = blend.requant %a0 multiplier [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] shift [0] bias [0] rounding half_even : tensor<1x16x2x2x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x16x2x2x!blend.fixed<si8, 1.250000e-01>> loc("stem")
    %sp = blend.sum_pool2d %x0 kernel [2, 2] strides [1, 1] : tensor<1x16x2x2x!blend.fixed<si8, 1.250000e-01>> -> tensor<1x16x1x1x!blend.fixed<si11, 3.125000e-02>>
    %r = blend.reshape %sp : tensor<1x16x1x1x!blend.fixed<si11, 3.125000e-02>> -> tensor<1x16x!blend.fixed<si11, 3.125000e-02>>
    %y = blend.matmul %r, %wh : (tensor<1x16x!blend.fixed<si11, 3.125000e-02>>, tensor<16x3x!blend.fixed<si8, 1.250000e-01>>) -> tensor<1x3x!blend.fixed<si24, 3.906250e-03>> loc("head")
    %out = blend.dequantize %y : tensor<1x3x!blend.fixed<si24, 3.906250e-03>> -> tensor<1x3xf32>
    return %out : tensor<1x3xf32>
  }
}
