// A data transpose of int8 storage, then a threshold along the last axis.
func.func @main(%x: tensor<1x2x3xf32>) -> tensor<1x3x2xf32> {
  %q = blend.quantize %x : tensor<1x2x3xf32> -> tensor<1x2x3x!blend.fixed<si8, 1.0>>
  %t = blend.transpose %q permutation [0, 2, 1] : tensor<1x2x3x!blend.fixed<si8, 1.0>> -> tensor<1x3x2x!blend.fixed<si8, 1.0>>
  %b = blend.threshold %t thresholds [3, 5] flip [false, true] {axis = 2 : i64} : tensor<1x3x2x!blend.fixed<si8, 1.0>> -> tensor<1x3x2x!blend.binary>
  %y = blend.dequantize %b : tensor<1x3x2x!blend.binary> -> tensor<1x3x2xf32>
  return %y : tensor<1x3x2xf32>
}
