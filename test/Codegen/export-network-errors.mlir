// RUN: not blend-opt --blend-lower-to-network %s --split-input-file 2>&1 | FileCheck %s
// RUN: not blend-translate --export-network-text %s --split-input-file 2>&1 | FileCheck %s --check-prefix=UNFINISHED

// UNFINISHED: error: no finished blend.network to export; run blend-opt --blend-lower-to-network

// Whole networks outside what blend_net executes are refused at the op.

// CHECK: error: cannot be mapped to the accelerator: floor rounding (the accelerator rounds half up or half to even)
func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %w = blend.constant dense<1> : tensor<3x2x3x3xi8> -> tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>
  %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
  %a = blend.conv2d %q, %w strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>, tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>>
  %y = blend.requant %a multiplier [77] shift [9] bias [0] rounding floor : tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>>
  %out = blend.dequantize %y : tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x3x4x4xf32>
  return %out : tensor<1x3x4x4xf32>
}

// -----

// CHECK: error: cannot be mapped to the accelerator: tensors kept on chip must fit a signed byte (si2..si8, ui1..ui7)
func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %w = blend.constant dense<1> : tensor<3x2x3x3xi8> -> tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>
  %w2 = blend.constant dense<1> : tensor<3x3x1x1xi8> -> tensor<3x3x1x1x!blend.fixed<si8, 5.000000e-01>>
  %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
  %a = blend.conv2d %q, %w strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>, tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>>
  %x = blend.requant %a multiplier [77] shift [9] bias [0] rounding half_up : tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x3x4x4x!blend.fixed<si16, 6.250000e-02>>
  %b = blend.conv2d %x, %w2 strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x3x4x4x!blend.fixed<si16, 6.250000e-02>>, tensor<3x3x1x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x4x4x!blend.fixed<si32, 3.125000e-02>>
  %out = blend.dequantize %b : tensor<1x3x4x4x!blend.fixed<si32, 3.125000e-02>> -> tensor<1x3x4x4xf32>
  return %out : tensor<1x3x4x4xf32>
}

// -----

// CHECK: error: cannot be mapped to the accelerator: a padded max pool has no layer step on blend_net (its pooler reads whole windows)
func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x3x3x3xf32> {
  %w = blend.constant dense<1> : tensor<3x2x1x1xi8> -> tensor<3x2x1x1x!blend.fixed<si8, 5.000000e-01>>
  %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
  %m = blend.max_pool2d %q kernel [2, 2] strides [2, 2] pads [1, 1, 1, 1] : tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>> -> tensor<1x2x3x3x!blend.fixed<si8, 2.500000e-01>>
  %a = blend.conv2d %m, %w strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x2x3x3x!blend.fixed<si8, 2.500000e-01>>, tensor<3x2x1x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x3x3x!blend.fixed<si24, 1.250000e-01>>
  %out = blend.dequantize %a : tensor<1x3x3x3x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x3x3x3xf32>
  return %out : tensor<1x3x3x3xf32>
}

// -----

// CHECK: error: cannot be mapped to the accelerator: convolutions need equal strides and equal pads on every side
func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x3x3x3xf32> {
  %w = blend.constant dense<1> : tensor<3x2x3x3xi8> -> tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>
  %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
  %a = blend.conv2d %q, %w strides [1, 1] pads [1, 1, 0, 0] : (tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>, tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x3x3x!blend.fixed<si24, 1.250000e-01>>
  %out = blend.dequantize %a : tensor<1x3x3x3x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x3x3x3xf32>
  return %out : tensor<1x3x3x3xf32>
}
