// RUN: blend-opt --blend-form-network -split-input-file -verify-diagnostics %s
// RUN: not blend-opt --blend-form-network=fixed-channels=9 %s -split-input-file 2>&1 | FileCheck %s --check-prefix=FIX

// Graphs blend_net does not execute are refused at the op that does not map
// (its ONNX node's location), and nothing is added to the module.

// FIX: error: blend_net reads 1 to 8 fixed-point channels per beat, not 9

func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %w = blend.constant dense<1> : tensor<3x2x3x3xi8> -> tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>
  %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
  %a = blend.conv2d %q, %w strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>, tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>>
  // expected-error @+1 {{cannot be mapped to the accelerator: floor rounding (the accelerator rounds half up or half to even)}}
  %y = blend.requant %a multiplier [77] shift [9] bias [0] rounding floor : tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>>
  %out = blend.dequantize %y : tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x3x4x4xf32>
  return %out : tensor<1x3x4x4xf32>
}

// -----

// A max pool has no layer step: the refusal names it.
func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x3x2x2xf32> {
  %w = blend.constant dense<1> : tensor<3x2x3x3xi8> -> tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>
  %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
  %a = blend.conv2d %q, %w strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>, tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>>
  %y = blend.requant %a multiplier [77] shift [9] bias [0] rounding half_up : tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>>
  // expected-error @+1 {{cannot be mapped to the accelerator: 'blend.max_pool2d' has no layer step on blend_net}}
  %p = blend.max_pool2d %y kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x3x2x2x!blend.fixed<si8, 6.250000e-02>>
  %out = blend.dequantize %p : tensor<1x3x2x2x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x3x2x2xf32>
  return %out : tensor<1x3x2x2xf32>
}

// -----

// expected-error @+1 {{the module already holds a blend.network}}
module {
  func.func @main(%arg0: tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32> {
    return %arg0 : tensor<1x1x1x1xf32>
  }
  blend.network attributes {hardware = #blend.datapath<>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
  ^bb0(%in: !blend.buffer):
  }
}

// -----

// An ONNX Sign of the (pre-processed) float input gives 0 at 0, which is not
// binary: the host cannot send it as +-1 (a binarizer, BipolarQuant, maps 0
// to +1 and is the host's). Refused at the Sign.
func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %two = arith.constant dense<2.0> : tensor<1x2x4x4xf32>
  %a = arith.mulf %arg0, %two : tensor<1x2x4x4xf32>
  // expected-error @+1 {{cannot be mapped to the accelerator: the model takes the ONNX Sign of its input, which is 0 at 0 (not binary); export it with a binarizer (BipolarQuant) or use --sign-zero=plus-one}}
  %b = blend.binarize %a {blend.sign} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.binary>
  %out = blend.dequantize %b : tensor<1x2x4x4x!blend.binary> -> tensor<1x2x4x4xf32>
  return %out : tensor<1x2x4x4xf32>
}

// -----

// A threshold straight on the quantized input is the host's (it sends q - 3,
// whose sign a binary layer would read), so nothing runs on blend_net.
func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
  %t = blend.threshold %q thresholds [3] flip [false] : tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>> -> tensor<1x2x4x4x!blend.binary>
  // expected-error @+1 {{cannot be mapped to the accelerator: the model output is not produced by a layer step}}
  %out = blend.dequantize %t : tensor<1x2x4x4x!blend.binary> -> tensor<1x2x4x4xf32>
  return %out : tensor<1x2x4x4xf32>
}

// -----

func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{cannot be mapped to the accelerator: the output is not dequantized from an exact value}}
  return %arg0 : tensor<1x2x4x4xf32>
}
