// A Blend module (C=16, 32x32, stride 1) in graph-level blend IR: the shape
// models/onnx/blend_module.onnx takes once imported. Weights and batch-norm
// statistics are function arguments here to keep the file readable.
//
//   x -> quantize (si8, 1/32) -+-> binarize -> binary 3x3 conv -> batch_norm -+
//                              +-> fixed 1x1 conv (si8 weights, 1/256) -> batch_norm -+-> add -> binarize
func.func @blend_module(
    %x: tensor<1x16x32x32xf32>,
    %main_w: tensor<16x16x3x3x!blend.binary>,
    %skip_w: tensor<16x16x1x1x!blend.fixed<si8, 0.00390625>>,
    %g0: tensor<16xf32>, %b0: tensor<16xf32>, %m0: tensor<16xf32>, %v0: tensor<16xf32>,
    %g1: tensor<16xf32>, %b1: tensor<16xf32>, %m1: tensor<16xf32>, %v1: tensor<16xf32>)
    -> tensor<1x16x32x32x!blend.binary> {
  %xq = blend.quantize %x : tensor<1x16x32x32xf32> -> tensor<1x16x32x32x!blend.fixed<si8, 0.03125>>
  // Main path: binary 3x3 conv; 16*3*3 = 144 terms, so si16 holds every sum.
  %xb = blend.binarize %xq : tensor<1x16x32x32x!blend.fixed<si8, 0.03125>> -> tensor<1x16x32x32x!blend.binary>
  %acc = blend.conv2d %xb, %main_w strides [1, 1] pads [1, 1, 1, 1]
      : (tensor<1x16x32x32x!blend.binary>, tensor<16x16x3x3x!blend.binary>) -> tensor<1x16x32x32xsi16>
  %main = blend.batch_norm %acc, %g0, %b0, %m0, %v0 {epsilon = 1.0e-05 : f64}
      : (tensor<1x16x32x32xsi16>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x32x32xf32>
  // Skip path: int8 x int8 1x1 conv with product scale 1/32 * 1/256.
  %sacc = blend.conv2d %xq, %skip_w strides [1, 1] pads [0, 0, 0, 0]
      : (tensor<1x16x32x32x!blend.fixed<si8, 0.03125>>, tensor<16x16x1x1x!blend.fixed<si8, 0.00390625>>)
      -> tensor<1x16x32x32x!blend.fixed<si32, 0.0001220703125>>
  %skip = blend.batch_norm %sacc, %g1, %b1, %m1, %v1 {epsilon = 1.0e-05 : f64}
      : (tensor<1x16x32x32x!blend.fixed<si32, 0.0001220703125>>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x32x32xf32>
  %sum = blend.add %main, %skip : tensor<1x16x32x32xf32>, tensor<1x16x32x32xf32> -> tensor<1x16x32x32xf32>
  %y = blend.binarize %sum : tensor<1x16x32x32xf32> -> tensor<1x16x32x32x!blend.binary>
  return %y : tensor<1x16x32x32x!blend.binary>
}
