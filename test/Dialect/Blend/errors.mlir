// RUN: blend-opt %s -split-input-file -verify-diagnostics

// Every op's verifier rejects what the dialect's contract forbids. Each case is
// one violation; the message must say what is wrong.

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

// expected-error @+1 {{fixed-point storage type must state its signedness}}
func.func @signless_storage(%a: tensor<4x!blend.fixed<i8, 0.5>>) { return }

// -----

// expected-error @+1 {{zero point 300 is outside the storage range [0, 255]}}
func.func @zero_point_out_of_range(%a: tensor<4x!blend.fixed<ui8, 0.5, zp = 300>>) { return }

// -----

// expected-error @+1 {{fixed-point scale must be positive and finite}}
func.func @negative_scale(%a: tensor<4x!blend.fixed<si8, -0.5>>) { return }

// -----

// expected-error @+1 {{fixed-point storage width must be in [2, 62]}}
func.func @too_narrow(%a: tensor<4x!blend.fixed<si1, 0.5>>) { return }

// -----

//===----------------------------------------------------------------------===//
// blend.constant
//===----------------------------------------------------------------------===//

func.func @constant_binary_storage() {
  // expected-error @+1 {{binary constants are stored as i1 (1 is +1), got 'i8'}}
  %0 = blend.constant dense<[1, 0]> : tensor<2xi8> -> tensor<2x!blend.binary>
  return
}

// -----

func.func @constant_fixed_width() {
  // expected-error @+1 {{fixed-point constants are stored in their storage integer type 'si8', got 'i16'}}
  %0 = blend.constant dense<[1, 0]> : tensor<2xi16> -> tensor<2x!blend.fixed<si8, 0.5>>
  return
}

// -----

func.func @constant_shape() {
  // expected-error @+1 {{value shape does not match the result shape}}
  %0 = blend.constant dense<[1.0, 2.0]> : tensor<2xf32> -> tensor<3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// blend.quantize / blend.dequantize / blend.binarize
//===----------------------------------------------------------------------===//

func.func @quantize_to_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of fixed-point value values, but got 'tensor<4xf32>'}}
  %0 = blend.quantize %x : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @dequantize_shape(%q: tensor<4x!blend.fixed<si8, 0.5>>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = blend.dequantize %q : tensor<4x!blend.fixed<si8, 0.5>> -> tensor<5xf32>
  return
}

// -----

func.func @binarize_binary(%b: tensor<4x!blend.binary>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point or signed integer or fixed-point value}}
  %0 = blend.binarize %b : tensor<4x!blend.binary> -> tensor<4x!blend.binary>
  return
}

// -----

//===----------------------------------------------------------------------===//
// blend.conv2d
//===----------------------------------------------------------------------===//

func.func @conv_mixed_kinds(%a: tensor<1x16x8x8x!blend.binary>, %w: tensor<16x16x3x3x!blend.fixed<si8, 0.5>>) {
  // expected-error @+1 {{mixes a binary input with fixed-point weights}}
  %0 = blend.conv2d %a, %w strides [1, 1] pads [1, 1, 1, 1]
      : (tensor<1x16x8x8x!blend.binary>, tensor<16x16x3x3x!blend.fixed<si8, 0.5>>) -> tensor<1x16x8x8xsi16>
  return
}

// -----

func.func @conv_binary_accumulator_too_narrow(%a: tensor<1x16x8x8x!blend.binary>, %w: tensor<16x16x3x3x!blend.binary>) {
  // 16·3·3 = 144 > 127.
  // expected-error @+1 {{accumulator 'si8' cannot hold the bound 144 (reduction length 144)}}
  %0 = blend.conv2d %a, %w strides [1, 1] pads [1, 1, 1, 1]
      : (tensor<1x16x8x8x!blend.binary>, tensor<16x16x3x3x!blend.binary>) -> tensor<1x16x8x8xsi8>
  return
}

// -----

func.func @conv_binary_float_result(%a: tensor<1x16x8x8x!blend.binary>, %w: tensor<16x16x3x3x!blend.binary>) {
  // expected-error @+1 {{binary operands accumulate into a signed integer result}}
  %0 = blend.conv2d %a, %w strides [1, 1] pads [1, 1, 1, 1]
      : (tensor<1x16x8x8x!blend.binary>, tensor<16x16x3x3x!blend.binary>) -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @conv_output_shape(%a: tensor<1x16x8x8x!blend.binary>, %w: tensor<16x16x3x3x!blend.binary>) {
  // Stride 2 with pad 1 on 8x8 gives 4x4, not 8x8.
  // expected-error @+1 {{does not match the expected shape [1, 16, 4, 4]}}
  %0 = blend.conv2d %a, %w strides [2, 2] pads [1, 1, 1, 1]
      : (tensor<1x16x8x8x!blend.binary>, tensor<16x16x3x3x!blend.binary>) -> tensor<1x16x8x8xsi16>
  return
}

// -----

func.func @conv_channels(%a: tensor<1x8x8x8x!blend.binary>, %w: tensor<16x16x3x3x!blend.binary>) {
  // expected-error @+1 {{input has 8 channels but the weights expect 16}}
  %0 = blend.conv2d %a, %w strides [1, 1] pads [1, 1, 1, 1]
      : (tensor<1x8x8x8x!blend.binary>, tensor<16x16x3x3x!blend.binary>) -> tensor<1x16x8x8xsi16>
  return
}

// -----

func.func @conv_bad_pads(%a: tensor<1x16x8x8x!blend.binary>, %w: tensor<16x16x3x3x!blend.binary>) {
  // expected-error @+1 {{pads must be four non-negative values [top, left, bottom, right]}}
  %0 = blend.conv2d %a, %w strides [1, 1] pads [1, 1]
      : (tensor<1x16x8x8x!blend.binary>, tensor<16x16x3x3x!blend.binary>) -> tensor<1x16x8x8xsi16>
  return
}

// -----

func.func @conv_zero_stride(%a: tensor<1x16x8x8x!blend.binary>, %w: tensor<16x16x3x3x!blend.binary>) {
  // expected-error @+1 {{strides must be two positive values [SH, SW]}}
  %0 = blend.conv2d %a, %w strides [0, 1] pads [1, 1, 1, 1]
      : (tensor<1x16x8x8x!blend.binary>, tensor<16x16x3x3x!blend.binary>) -> tensor<1x16x8x8xsi16>
  return
}

// -----

func.func @conv_fixed_scale(%x: tensor<1x16x8x8x!blend.fixed<si8, 0.5>>, %w: tensor<16x16x1x1x!blend.fixed<si8, 0.25>>) {
  // expected-error @+1 {{result scale 1.000000e+00 must equal input scale × weight scale = 1.250000e-01}}
  %0 = blend.conv2d %x, %w strides [1, 1] pads [0, 0, 0, 0]
      : (tensor<1x16x8x8x!blend.fixed<si8, 0.5>>, tensor<16x16x1x1x!blend.fixed<si8, 0.25>>) -> tensor<1x16x8x8x!blend.fixed<si32, 1.0>>
  return
}

// -----

func.func @conv_fixed_weight_zero_point(%x: tensor<1x16x8x8x!blend.fixed<si8, 0.5>>, %w: tensor<16x16x1x1x!blend.fixed<si8, 0.25, zp = 1>>) {
  // expected-error @+1 {{fixed-point weights must have zero point 0, got 1}}
  %0 = blend.conv2d %x, %w strides [1, 1] pads [0, 0, 0, 0]
      : (tensor<1x16x8x8x!blend.fixed<si8, 0.5>>, tensor<16x16x1x1x!blend.fixed<si8, 0.25, zp = 1>>) -> tensor<1x16x8x8x!blend.fixed<si32, 0.125>>
  return
}

// -----

func.func @conv_fixed_accumulator(%x: tensor<1x16x8x8x!blend.fixed<si8, 0.5>>, %w: tensor<16x16x1x1x!blend.fixed<si8, 0.25>>) {
  // 16 · 128 · 128 = 262144 needs 20 bits.
  // expected-error @+1 {{cannot hold the bound 262144 (reduction length 16)}}
  %0 = blend.conv2d %x, %w strides [1, 1] pads [0, 0, 0, 0]
      : (tensor<1x16x8x8x!blend.fixed<si8, 0.5>>, tensor<16x16x1x1x!blend.fixed<si8, 0.25>>) -> tensor<1x16x8x8x!blend.fixed<si16, 0.125>>
  return
}

// -----

func.func @conv_bias_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{bias must have shape [4]}}
  %0 = blend.conv2d %x, %w, %b strides [1, 1] pads [1, 1, 1, 1]
      : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_dynamic(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{requires static shapes}}
  %0 = blend.conv2d %x, %w strides [1, 1] pads [1, 1, 1, 1]
      : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x8x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// blend.matmul
//===----------------------------------------------------------------------===//

func.func @matmul_reduction(%a: tensor<1x64xf32>, %w: tensor<32x10xf32>) {
  // expected-error @+1 {{reduction sizes differ: lhs has K = 64, rhs has K = 32}}
  %0 = blend.matmul %a, %w : (tensor<1x64xf32>, tensor<32x10xf32>) -> tensor<1x10xf32>
  return
}

// -----

func.func @matmul_binary_accumulator(%a: tensor<1x256x!blend.binary>, %w: tensor<256x10x!blend.binary>) {
  // expected-error @+1 {{accumulator 'si8' cannot hold the bound 256}}
  %0 = blend.matmul %a, %w : (tensor<1x256x!blend.binary>, tensor<256x10x!blend.binary>) -> tensor<1x10xsi8>
  return
}

// -----

func.func @matmul_result_shape(%a: tensor<2x64xf32>, %w: tensor<64x10xf32>) {
  // expected-error @+1 {{does not match lhs × rhs}}
  %0 = blend.matmul %a, %w : (tensor<2x64xf32>, tensor<64x10xf32>) -> tensor<1x10xf32>
  return
}

// -----

func.func @matmul_float_types(%a: tensor<1x64xf32>, %w: tensor<64x10xf16>) {
  // expected-error @+1 {{float operands, bias and result must share one float type}}
  %0 = blend.matmul %a, %w : (tensor<1x64xf32>, tensor<64x10xf16>) -> tensor<1x10xf32>
  return
}

// -----

func.func @matmul_integer_input(%a: tensor<1x64xsi8>, %w: tensor<64x10xsi8>) {
  // expected-error @+1 {{input must be binary, fixed-point or float, got 'si8'}}
  %0 = blend.matmul %a, %w : (tensor<1x64xsi8>, tensor<64x10xsi8>) -> tensor<1x10xsi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// blend.batch_norm
//===----------------------------------------------------------------------===//

func.func @batch_norm_params(%x: tensor<1x16x4x4xf32>, %g: tensor<8xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{'scale' must have shape [16], got 'tensor<8xf32>'}}
  %0 = blend.batch_norm %x, %g, %b, %b, %b {epsilon = 1.0e-05 : f64}
      : (tensor<1x16x4x4xf32>, tensor<8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
  return
}

// -----

func.func @batch_norm_axis(%x: tensor<1x16x4x4xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{axis 4 is out of range for rank 4}}
  %0 = blend.batch_norm %x, %b, %b, %b, %b {epsilon = 1.0e-05 : f64, axis = 4 : i64}
      : (tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
  return
}

// -----

func.func @batch_norm_epsilon(%x: tensor<1x16x4x4xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{epsilon must be finite and non-negative}}
  %0 = blend.batch_norm %x, %b, %b, %b, %b {epsilon = -1.0 : f64}
      : (tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x4x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// blend.threshold
//===----------------------------------------------------------------------===//

func.func @threshold_count(%acc: tensor<1x2x4x4xsi16>) {
  // expected-error @+1 {{'thresholds' has 3 entries; expected 1 or the channel count 2}}
  %0 = blend.threshold %acc thresholds [1, 2, 3] flip [false, false, false] : tensor<1x2x4x4xsi16> -> tensor<1x2x4x4x!blend.binary>
  return
}

// -----

func.func @threshold_flip_count(%acc: tensor<1x2x4x4xsi16>) {
  // expected-error @+1 {{'flip' must have one entry per threshold (2), got 1}}
  %0 = blend.threshold %acc thresholds [1, 2] flip [false] : tensor<1x2x4x4xsi16> -> tensor<1x2x4x4x!blend.binary>
  return
}

// -----

func.func @threshold_float(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of signed integer or fixed-point value}}
  %0 = blend.threshold %x thresholds [1] flip [false] : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.binary>
  return
}

// -----

//===----------------------------------------------------------------------===//
// blend.requant
//===----------------------------------------------------------------------===//

func.func @requant_multiplier(%acc: tensor<1x2x4x4xsi32>) {
  // expected-error @+1 {{multiplier 4294967296 does not fit a signed 32-bit register}}
  %0 = blend.requant %acc multiplier [4294967296] shift [20] bias [0] rounding half_even
      : tensor<1x2x4x4xsi32> -> tensor<1x2x4x4x!blend.fixed<si8, 0.5>>
  return
}

// -----

func.func @requant_shift(%acc: tensor<1x2x4x4xsi32>) {
  // expected-error @+1 {{shift 63 must be in [0, 62]}}
  %0 = blend.requant %acc multiplier [1] shift [63] bias [0] rounding half_up
      : tensor<1x2x4x4xsi32> -> tensor<1x2x4x4x!blend.fixed<si8, 0.5>>
  return
}

// -----

func.func @requant_overflow(%acc: tensor<1x2x4x4xsi40>) {
  // 2^39 · (2^31 − 1) does not fit 62 bits.
  // expected-error @+1 {{intermediate bound}}
  %0 = blend.requant %acc multiplier [2147483647] shift [20] bias [0] rounding half_up
      : tensor<1x2x4x4xsi40> -> tensor<1x2x4x4x!blend.fixed<si8, 0.5>>
  return
}

// -----

func.func @requant_channels(%acc: tensor<1x2x4x4xsi32>) {
  // expected-error @+1 {{'shift' has 4 entries; expected 1 or the channel count 2}}
  %0 = blend.requant %acc multiplier [1] shift [1, 2, 3, 4] bias [0] rounding half_up
      : tensor<1x2x4x4xsi32> -> tensor<1x2x4x4x!blend.fixed<si8, 0.5>>
  return
}

// -----

func.func @requant_rounding(%acc: tensor<1x2x4x4xsi32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'rounding' [half_even, half_up, floor]}}
  %0 = blend.requant %acc multiplier [1] shift [1] bias [0] rounding truncate
      : tensor<1x2x4x4xsi32> -> tensor<1x2x4x4x!blend.fixed<si8, 0.5>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// blend.add
//===----------------------------------------------------------------------===//

func.func @add_overflow(%a: tensor<4xsi16>) {
  // expected-error @+1 {{result 'si16' cannot hold every sum in [-65536, 65534]}}
  %0 = blend.add %a, %a : tensor<4xsi16>, tensor<4xsi16> -> tensor<4xsi16>
  return
}

// -----

func.func @add_scales(%a: tensor<4x!blend.fixed<si8, 0.5>>, %b: tensor<4x!blend.fixed<si8, 0.25>>) {
  // expected-error @+1 {{fixed-point operands and result must share one scale}}
  %0 = blend.add %a, %b : tensor<4x!blend.fixed<si8, 0.5>>, tensor<4x!blend.fixed<si8, 0.25>> -> tensor<4x!blend.fixed<si16, 0.5>>
  return
}

// -----

func.func @add_kinds(%a: tensor<4xsi16>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operands and result must be of one numeric kind}}
  %0 = blend.add %a, %b : tensor<4xsi16>, tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @add_shape(%a: tensor<4xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{operands and result must have the same shape}}
  %0 = blend.add %a, %b : tensor<4xf32>, tensor<5xf32> -> tensor<4xf32>
  return
}

// -----

func.func @add_fixed_overflow(%a: tensor<4x!blend.fixed<si8, 0.5>>) {
  // expected-error @+1 {{cannot hold every sum in [-256, 254]}}
  %0 = blend.add %a, %a : tensor<4x!blend.fixed<si8, 0.5>>, tensor<4x!blend.fixed<si8, 0.5>> -> tensor<4x!blend.fixed<si8, 0.5>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// blend.max_pool2d / blend.avg_pool2d
//===----------------------------------------------------------------------===//

func.func @max_pool_type(%b: tensor<1x16x8x8x!blend.binary>) {
  // expected-error @+1 {{result element type must equal the input's}}
  %0 = blend.max_pool2d %b kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x16x8x8x!blend.binary> -> tensor<1x16x4x4xf32>
  return
}

// -----

func.func @max_pool_pad(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{pads must be smaller than the kernel}}
  %0 = blend.max_pool2d %x kernel [2, 2] strides [2, 2] pads [2, 0, 0, 0] : tensor<1x16x8x8xf32> -> tensor<1x16x5x4xf32>
  return
}

// -----

func.func @avg_pool_shape(%x: tensor<1x64x8x8xf32>) {
  // expected-error @+1 {{does not match the expected shape [1, 64, 1, 1]}}
  %0 = blend.avg_pool2d %x kernel [8, 8] strides [1, 1] pads [0, 0, 0, 0] : tensor<1x64x8x8xf32> -> tensor<1x64x2x2xf32>
  return
}

// -----

func.func @avg_pool_kernel(%x: tensor<1x64x8x8xf32>) {
  // expected-error @+1 {{kernel 9 is larger than the padded input extent 8 along H}}
  %0 = blend.avg_pool2d %x kernel [9, 1] strides [1, 1] pads [0, 0, 0, 0] : tensor<1x64x8x8xf32> -> tensor<1x64x1x8xf32>
  return
}

// -----

func.func @avg_pool_binary(%b: tensor<1x16x8x8x!blend.binary>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point or signed integer or fixed-point value}}
  %0 = blend.avg_pool2d %b kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x16x8x8x!blend.binary> -> tensor<1x16x4x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// blend.sum_pool2d / blend.reshape
//===----------------------------------------------------------------------===//

func.func @sum_pool_scale(%q: tensor<1x4x8x8x!blend.fixed<si8, 0.0625>>) {
  // expected-error @+1 {{result must be signed fixed-point with zero point 0 and scale input scale / 64}}
  %0 = blend.sum_pool2d %q kernel [8, 8] strides [1, 1] : tensor<1x4x8x8x!blend.fixed<si8, 0.0625>> -> tensor<1x4x1x1x!blend.fixed<si15, 0.0625>>
  return
}

// -----

func.func @sum_pool_width(%q: tensor<1x4x8x8x!blend.fixed<si8, 0.0625>>) {
  // 64 · 128 = 8192 needs 15 bits.
  // expected-error @+1 {{cannot hold the bound 8192 of a window sum}}
  %0 = blend.sum_pool2d %q kernel [8, 8] strides [1, 1] : tensor<1x4x8x8x!blend.fixed<si8, 0.0625>> -> tensor<1x4x1x1x!blend.fixed<si12, 9.765625e-04>>
  return
}

// -----

func.func @reshape_count(%x: tensor<1x64x1x1xf32>) {
  // expected-error @+1 {{element count changes from 64 to 32}}
  %0 = blend.reshape %x : tensor<1x64x1x1xf32> -> tensor<1x32xf32>
  return
}

// -----

func.func @reshape_type(%x: tensor<1x64xf32>) {
  // expected-error @+1 {{element type must not change}}
  %0 = blend.reshape %x : tensor<1x64xf32> -> tensor<1x64xf16>
  return
}

// -----

func.func @transpose_not_permutation(%x: tensor<1x2x3xf32>) {
  // expected-error @+1 {{permutation is not a permutation of [0, 3)}}
  %0 = blend.transpose %x permutation [0, 1, 1] : tensor<1x2x3xf32> -> tensor<1x2x2xf32>
  return
}

// -----

func.func @transpose_shape(%x: tensor<1x2x3xf32>) {
  // expected-error @+1 {{result dimension 1 is 2, expected 3 (input dimension 2)}}
  %0 = blend.transpose %x permutation [0, 2, 1] : tensor<1x2x3xf32> -> tensor<1x2x3xf32>
  return
}

// -----

func.func @transpose_rank(%x: tensor<1x2x3xf32>) {
  // expected-error @+1 {{permutation has 2 entries for rank 3}}
  %0 = blend.transpose %x permutation [1, 0] : tensor<1x2x3xf32> -> tensor<2x1x3xf32>
  return
}

// -----

func.func @clip_bounds(%x: tensor<1x2xf32>) {
  // expected-error @+1 {{needs min <= max, got [1.000000e+00, 0.000000e+00]}}
  %0 = blend.clip %x min 1.0 max 0.0 : tensor<1x2xf32>
  return
}

// -----

func.func @blend_module_yield(%x: tensor<1x2xsi8>) {
  // expected-error @+1 {{yields 'tensor<1x2xsi8>' for results 'tensor<1x2xsi9>'}}
  %0 = blend.blend_module(%x) : (tensor<1x2xsi8>) -> tensor<1x2xsi9> {
  ^bb0(%in: tensor<1x2xsi8>):
    blend.yield %in : tensor<1x2xsi8>
  }
  return
}

// -----

func.func @channel_scale_negative(%x: tensor<1x2xsi8>) {
  // expected-error @+1 {{scales must be positive and finite, got -1.000000e+00}}
  %0 = blend.channel_scale %x scales [1.0, -1.0] axis 1 : tensor<1x2xsi8> -> tensor<1x2xf32>
  return
}

// -----

// expected-error @+1 {{takes the input image as its body's one !blend.buffer argument}}
blend.network attributes {hardware = #blend.datapath<>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0:
}

// -----

// expected-error @+1 {{'lane' is not a blend_net parameter}}
blend.network attributes {hardware = #blend.datapath<lane = 8>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{'o_c' is not a descriptor field}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o_c = 8>, constants = #blend.constants<>, traced_op = "requant"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{weight arrays do not match the step's shape (0 binary rows, 16 fixed-point bytes)}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 8, s_kh = 1, s_kw = 1, s_cgroups = 1>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<16xi8>, traced_op = "requant"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{reads a tensor on exactly the enabled paths}}
  %0 = blend.layer_step main(%in) {fields = #blend.step<skip_en = 1, o = 1, s_kh = 1, s_kw = 1, s_cgroups = 1>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<4xi8>, traced_op = "requant"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{writes into an earlier tile's tensor exactly when its out_offset is positive}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 1, s_kh = 1, s_kw = 1, s_cgroups = 1, out_offset = 8>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<4xi8>, traced_op = "requant"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{constant 'skip_multiplier' is not a per-channel constant array of 2 i64 values}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 2, s_kh = 1, s_kw = 1, s_cgroups = 1>, constants = #blend.constants<skip_multiplier = [1, 1, 1]>, fixed_weights = dense<1> : tensor<8xi8>, traced_op = "requant"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{duplicate or unknown struct parameter name: skip_scale}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 2, s_kh = 1, s_kw = 1, s_cgroups = 1>, constants = #blend.constants<skip_scale = [1, 1]>, fixed_weights = dense<1> : tensor<8xi8>, traced_op = "requant"}
}

// -----

// The host records: a quantizer range without its zero point, a bad output mode.
// expected-error @+1 {{the input quantizer's range [0, 10] must hold its zero point 20}}
blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 20, q_min = 0, q_max = 10, c = 1, h = 1, w = 1>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
}

// -----

// expected-error @+1 {{binary is 0 or 1}}
blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 1, h = 1, w = 1>, output = #blend.host_output<binary = 2, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
}

// -----

// expected-error @+1 {{host steps are #blend.host_step attributes}}
blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 1, h = 1, w = 1, shape = [1, 1, 1, 1], steps = [1]>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
}

// -----

blend.network attributes {hardware = #blend.datapath<>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{is not a step; a blend.network holds only blend.layer_step, blend.transpose_step, blend.load_step, blend.copy_step and blend.pool_step ops}}
  %c = arith.constant 0 : i32
}

// -----

func.func @pass_outside() {
  // expected-error @+1 {{expects parent op 'blend.network'}}
  %0 = "blend.layer_step"() {fields = #blend.step<>, constants = #blend.constants<>, traced_op = "x", operandSegmentSizes = array<i32: 0, 0, 0>} : () -> !blend.buffer
  return
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{a kept-rows stripe has band_begin and band_rows}}
  %0 = blend.load_step {fields = #blend.step<load = 1, oh = 2, ow = 4>, constants = #blend.constants<>, traced_op = "load", band_begin = 0}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{a kept-rows stripe's rows lie inside its storage}}
  %0 = blend.load_step {fields = #blend.step<load = 1, oh = 3, ow = 4, row_begin = 2>, constants = #blend.constants<>, traced_op = "load", band_begin = 0, band_rows = 4}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{a copy step moves rows inside a kept-rows stripe's storage}}
  %0 = blend.copy_step {fields = #blend.step<load = 2, oh = 1, ow = 4, row_begin = 1, s_row_off = 1>, constants = #blend.constants<>, traced_op = "copy", band_begin = 1, band_rows = 2}
}

// -----

func.func @argmax_axis(%x: tensor<1x4xf32>) -> tensor<1x1xsi64> {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %i = blend.argmax %x axis 2 : tensor<1x4xf32> -> tensor<1x1xsi64>
  return %i : tensor<1x1xsi64>
}

// -----

func.func @argmax_shape(%x: tensor<1x4xf32>) -> tensor<1x4xsi64> {
  // expected-error @+1 {{result dimension 1 must be 1}}
  %i = blend.argmax %x axis 1 : tensor<1x4xf32> -> tensor<1x4xsi64>
  return %i : tensor<1x4xsi64>
}

// -----

// expected-error @+1 {{a narrow unsigned fixed-point type needs at least 2 bits}}
func.func @narrow_ui1(%x: tensor<2x!blend.fixed<ui1, 1.0, narrow>>) {
  return
}

// The typed hardware records (#blend.datapath, #blend.step) check their
// values at parse time.

// -----

// expected-error @+1 {{lanes must be a power of two, not 3}}
blend.network attributes {hardware = #blend.datapath<lanes = 3>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
}

// -----

// expected-error @+1 {{folds must be 1, 2 or 4, not 3}}
blend.network attributes {hardware = #blend.datapath<folds = 3>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
}

// -----

// expected-error @+1 {{desc_banks must be 1 or 8, not 4}}
blend.network attributes {hardware = #blend.datapath<desc_banks = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
}

// -----

// expected-error @+1 {{'pe' appears twice}}
blend.network attributes {hardware = #blend.datapath<pe = 4, pe = 8>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
}

// -----

// expected-error @+1 {{blend_net parameter 'depth' must be a 32-bit unsigned value}}
blend.network attributes {hardware = #blend.datapath<depth = -1>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{descriptor field 'skip_en' is 0 or 1}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 2, o = 1>, constants = #blend.constants<>, traced_op = "requant"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{descriptor field 'o' is a size, address or mode: not negative}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = -1>, constants = #blend.constants<>, traced_op = "requant"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{s_fold must be 1, 2 or 4, not 3}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 1, s_fold = 3>, constants = #blend.constants<>, traced_op = "requant"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{m_pack is 0 or a slot of 16, 32 or 64 bits, not 24}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<main_en = 1, o = 1, m_pack = 24>, constants = #blend.constants<>, traced_op = "requant"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{rounding holds three half-even bits (main, skip, output requant): 0..7}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 1, rounding = 8>, constants = #blend.constants<>, traced_op = "requant"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{a clamp's minimum exceeds its maximum}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 1, out_min = 5, out_max = 4>, constants = #blend.constants<>, traced_op = "requant"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{load is 0, 1 (stream) or 2 (copy)}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<load = 3, oh = 1, ow = 1>, constants = #blend.constants<>, traced_op = "requant"}
}

// -----

// A step op holds its own kind of descriptor.
blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{holds a layer step (transpose = 0, load = 0); its descriptor is another kind of step}}
  %0 = blend.layer_step skip(%in) {fields = #blend.step<transpose = 1, o = 2, ow = 2>, constants = #blend.constants<>, traced_op = "transpose"}
}

// -----

blend.network attributes {hardware = #blend.datapath<fixed_channels = 4, stripes = 1>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 0, h = 0, w = 0>, output = #blend.host_output<binary = 1, scale = 1.000000e+00 : f64, zero_point = 0, c = 0, h = 0, w = 0>} {
^bb0(%in: !blend.buffer):
  // expected-error @+1 {{holds a load of input rows (load = 1); its descriptor is another kind of step}}
  %0 = blend.load_step {fields = #blend.step<o = 1, oh = 1, ow = 1>, constants = #blend.constants<>, traced_op = "load"}
}
