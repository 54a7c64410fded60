// Exact sum pooling (an average in real values) with a zero point.
func.func @main(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32> {
  %q = blend.quantize %x : tensor<1x1x2x2xf32> -> tensor<1x1x2x2x!blend.fixed<ui8, 0.5, zp = 10>>
  %s = blend.sum_pool2d %q kernel [2, 2] strides [1, 1] : tensor<1x1x2x2x!blend.fixed<ui8, 0.5, zp = 10>> -> tensor<1x1x1x1x!blend.fixed<si12, 0.125>>
  %y = blend.dequantize %s : tensor<1x1x1x1x!blend.fixed<si12, 0.125>> -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}
