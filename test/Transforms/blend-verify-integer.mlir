// RUN: blend-opt %s --blend-verify-integer --split-input-file -verify-diagnostics

// Integer layer ops between the input quantizer and the output dequantizer
// are accepted.
func.func @integer_module(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %q = blend.quantize %x : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!blend.fixed<si8, 0.5>>
  %b = blend.binarize %q : tensor<1x2x2x2x!blend.fixed<si8, 0.5>> -> tensor<1x2x2x2x!blend.binary>
  %y = blend.dequantize %b : tensor<1x2x2x2x!blend.binary> -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}

// -----

// A float conv left over is reported.
func.func @float_conv(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'blend.conv2d' still computes in float after lowering}}
  %y = blend.conv2d %x, %w strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

// An unrecognized compare/select is reported too.
func.func @leftover_select(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  // expected-error @+1 {{'arith.cmpf' still computes in float after lowering}}
  %c = arith.cmpf ogt, %x, %zero : tensor<4xf32>
  %y = arith.select %c, %x, %zero : tensor<4xi1>, tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A dequantize in the middle of the model (not feeding the return) is float.
func.func @inner_dequantize(%q: tensor<4x!blend.fixed<si8, 0.5>>) -> tensor<4x!blend.binary> {
  // expected-error @+1 {{'blend.dequantize' still computes in float after lowering}}
  %x = blend.dequantize %q : tensor<4x!blend.fixed<si8, 0.5>> -> tensor<4xf32>
  %b = blend.binarize %x : tensor<4xf32> -> tensor<4x!blend.binary>
  return %b : tensor<4x!blend.binary>
}

// -----

// The host's share is accepted: float steps with constants from the argument to its
// quantizer, and from the output dequantizer to the return (with an argmax).
func.func @host_steps(%x: tensor<1x4xf32>) -> tensor<1x1xsi64> {
  %two = arith.constant dense<2.0> : tensor<1x4xf32>
  %one = arith.constant dense<1.0> : tensor<1x4xf32>
  %a = arith.mulf %x, %two : tensor<1x4xf32>
  %b = arith.subf %a, %one : tensor<1x4xf32>
  %q = blend.quantize %b : tensor<1x4xf32> -> tensor<1x4x!blend.fixed<si8, 0.25>>
  %d = blend.dequantize %q : tensor<1x4x!blend.fixed<si8, 0.25>> -> tensor<1x4xf32>
  %c = arith.subf %one, %d : tensor<1x4xf32>
  %i = blend.argmax %c axis 1 : tensor<1x4xf32> -> tensor<1x1xsi64>
  return %i : tensor<1x1xsi64>
}

// -----

// A pre-processed float value read by anything but a quantizer would compute in float.
func.func @prologue_escapes(%x: tensor<1x2xf32>, %w: tensor<2x2xf32>) -> tensor<1x2xf32> {
  %two = arith.constant dense<2.0> : tensor<1x2xf32>
  %a = arith.mulf %x, %two : tensor<1x2xf32>
  // expected-error @+1 {{'blend.matmul' computes in float on the host's pre-processed input}}
  %y = blend.matmul %a, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Two float tensors meeting after the output dequantizer is no host step: the dequantized
// value is then read by float arithmetic, reported at the dequantizer.
func.func @epilogue_two_tensors(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %q = blend.quantize %x : tensor<1x2xf32> -> tensor<1x2x!blend.fixed<si8, 0.25>>
  // expected-error @+1 {{'blend.dequantize' still computes in float after lowering}}
  %d = blend.dequantize %q : tensor<1x2x!blend.fixed<si8, 0.25>> -> tensor<1x2xf32>
  %m = arith.mulf %d, %d : tensor<1x2xf32>
  return %m : tensor<1x2xf32>
}
