// RUN: blend-opt %s --blend-fuse-modules --split-input-file | FileCheck %s

// One Blend module (binarize → binary 3x3 conv → requant on the main path, int8 1x1 conv →
// requant on the skip path, add, output requant) becomes one blend.blend_module reading the
// module input; weights stay outside.
// CHECK-LABEL: func.func @module
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x4x!blend.fixed<si8, 6.250000e-02>>
// CHECK: %[[WB:.*]] = blend.constant {{.*}} -> tensor<2x2x3x3x!blend.binary>
// CHECK: %[[WQ:.*]] = blend.constant {{.*}} -> tensor<2x2x1x1x!blend.fixed<si8, 6.250000e-02>>
// CHECK: %[[Y:.*]] = blend.blend_module(%[[X]]) : (tensor<1x2x4x4x!blend.fixed<si8, 6.250000e-02>>) -> tensor<1x2x4x4x!blend.fixed<si8, 6.250000e-02>> {
// CHECK-NEXT: ^bb0(%[[IN:.*]]: tensor<1x2x4x4x!blend.fixed<si8, 6.250000e-02>>):
// CHECK-NEXT: %[[B:.*]] = blend.binarize %[[IN]]
// CHECK-NEXT: %[[M:.*]] = blend.conv2d %[[B]], %[[WB]]
// CHECK-NEXT: %[[S:.*]] = blend.conv2d %[[IN]], %[[WQ]]
// CHECK-NEXT: blend.requant %[[M]]
// CHECK-NEXT: blend.requant %[[S]]
// CHECK-NEXT: blend.add
// CHECK-NEXT: %[[O:.*]] = blend.requant
// CHECK-NEXT: blend.yield %[[O]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[Y]]
func.func @module(%x: tensor<1x2x4x4x!blend.fixed<si8, 0.0625>>) -> tensor<1x2x4x4x!blend.fixed<si8, 0.0625>> {
  %wb = blend.constant dense<true> : tensor<2x2x3x3xi1> -> tensor<2x2x3x3x!blend.binary>
  %wq = blend.constant dense<3> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!blend.fixed<si8, 0.0625>>
  %b = blend.binarize %x : tensor<1x2x4x4x!blend.fixed<si8, 0.0625>> -> tensor<1x2x4x4x!blend.binary>
  %m = blend.conv2d %b, %wb strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x2x4x4x!blend.binary>, tensor<2x2x3x3x!blend.binary>) -> tensor<1x2x4x4xsi6>
  %s = blend.conv2d %x, %wq strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x2x4x4x!blend.fixed<si8, 0.0625>>, tensor<2x2x1x1x!blend.fixed<si8, 0.0625>>) -> tensor<1x2x4x4x!blend.fixed<si17, 3.906250e-03>>
  %pm = blend.requant %m multiplier [1] shift [0] bias [0] rounding half_up : tensor<1x2x4x4xsi6> -> tensor<1x2x4x4x!blend.fixed<si24, 1.0>>
  %ps = blend.requant %s multiplier [1] shift [0] bias [0] rounding half_up : tensor<1x2x4x4x!blend.fixed<si17, 3.906250e-03>> -> tensor<1x2x4x4x!blend.fixed<si24, 1.0>>
  %j = blend.add %pm, %ps : tensor<1x2x4x4x!blend.fixed<si24, 1.0>>, tensor<1x2x4x4x!blend.fixed<si24, 1.0>> -> tensor<1x2x4x4x!blend.fixed<si25, 1.0>>
  %y = blend.requant %j multiplier [1] shift [4] bias [0] rounding half_even : tensor<1x2x4x4x!blend.fixed<si25, 1.0>> -> tensor<1x2x4x4x!blend.fixed<si8, 0.0625>>
  return %y : tensor<1x2x4x4x!blend.fixed<si8, 0.0625>>
}

// -----

// An inner value used outside the module (the main-path accumulator is also returned)
// keeps the ops unfused: fusion never duplicates or reorders computation.
// CHECK-LABEL: func.func @not_closed
// CHECK-NOT: blend.blend_module
func.func @not_closed(%x: tensor<1x2x4x4x!blend.fixed<si8, 0.0625>>) -> (tensor<1x2x4x4x!blend.fixed<si25, 1.0>>, tensor<1x2x4x4xsi6>) {
  %wb = blend.constant dense<true> : tensor<2x2x3x3xi1> -> tensor<2x2x3x3x!blend.binary>
  %wq = blend.constant dense<3> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!blend.fixed<si8, 0.0625>>
  %b = blend.binarize %x : tensor<1x2x4x4x!blend.fixed<si8, 0.0625>> -> tensor<1x2x4x4x!blend.binary>
  %m = blend.conv2d %b, %wb strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x2x4x4x!blend.binary>, tensor<2x2x3x3x!blend.binary>) -> tensor<1x2x4x4xsi6>
  %s = blend.conv2d %x, %wq strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x2x4x4x!blend.fixed<si8, 0.0625>>, tensor<2x2x1x1x!blend.fixed<si8, 0.0625>>) -> tensor<1x2x4x4x!blend.fixed<si17, 3.906250e-03>>
  %pm = blend.requant %m multiplier [1] shift [0] bias [0] rounding half_up : tensor<1x2x4x4xsi6> -> tensor<1x2x4x4x!blend.fixed<si24, 1.0>>
  %ps = blend.requant %s multiplier [1] shift [0] bias [0] rounding half_up : tensor<1x2x4x4x!blend.fixed<si17, 3.906250e-03>> -> tensor<1x2x4x4x!blend.fixed<si24, 1.0>>
  %j = blend.add %pm, %ps : tensor<1x2x4x4x!blend.fixed<si24, 1.0>>, tensor<1x2x4x4x!blend.fixed<si24, 1.0>> -> tensor<1x2x4x4x!blend.fixed<si25, 1.0>>
  return %j, %m : tensor<1x2x4x4x!blend.fixed<si25, 1.0>>, tensor<1x2x4x4xsi6>
}

// -----

// Two int8 paths joined (no binary layer) are not a Blend module.
// CHECK-LABEL: func.func @no_binary_path
// CHECK-NOT: blend.blend_module
func.func @no_binary_path(%x: tensor<1x2x4x4x!blend.fixed<si8, 0.0625>>) -> tensor<1x2x4x4x!blend.fixed<si25, 1.0>> {
  %pm = blend.requant %x multiplier [1] shift [0] bias [0] rounding half_up : tensor<1x2x4x4x!blend.fixed<si8, 0.0625>> -> tensor<1x2x4x4x!blend.fixed<si24, 1.0>>
  %ps = blend.requant %x multiplier [2] shift [0] bias [0] rounding half_up : tensor<1x2x4x4x!blend.fixed<si8, 0.0625>> -> tensor<1x2x4x4x!blend.fixed<si24, 1.0>>
  %j = blend.add %pm, %ps : tensor<1x2x4x4x!blend.fixed<si24, 1.0>>, tensor<1x2x4x4x!blend.fixed<si24, 1.0>> -> tensor<1x2x4x4x!blend.fixed<si25, 1.0>>
  return %j : tensor<1x2x4x4x!blend.fixed<si25, 1.0>>
}
