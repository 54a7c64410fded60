// Max pooling between the input quantizer and the output dequantizer.
func.func @main(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %q = blend.quantize %x : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!blend.fixed<si8, 0.5>>
  %m = blend.max_pool2d %q kernel [2, 2] strides [1, 1] pads [0, 0, 1, 1] : tensor<1x1x2x2x!blend.fixed<si8, 0.5>> -> tensor<1x1x2x2x!blend.fixed<si8, 0.5>>
  %y = blend.dequantize %m : tensor<1x1x2x2x!blend.fixed<si8, 0.5>> -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}
