// RUN: blend-opt --blend-lower-to-network -mlir-print-debuginfo %s | blend-translate --export-network-text | FileCheck %s
// RUN: blend-opt --blend-lower-to-network -mlir-print-debuginfo %s | blend-translate --export-verilog | FileCheck %s --check-prefix=TOP

// Max pools between layers, as FINN's CNV and VGG-style networks have them:
//   pool8  the int8 input (3 x 8 x 8) pooled 2x2/2: pool = 2, a signed max of
//          the bytes;
//   conv   an int8 3x3 convolution (pad 1) over the 3 x 4 x 4 result, BN +
//          sign as a threshold (most outputs -1, so that a pool of them is
//          not all +1): an 8-channel binary tensor;
//   pool1  that binary tensor pooled 3x3/1 (windows overlap): pool = 1, the
//          OR of the bits;
//   head   a binary 2x2 convolution over the 8 x 2 x 2 result: 5 integer
//          accumulators out.
// test/python/test_network_cosim.py runs this network in RTL simulation.

// CHECK: schedule v1.9 network
// CHECK-NEXT: hardware: {{.*}} pool_channels=8
// CHECK: step 0: max_pool2d loc("pool8")
// CHECK-NEXT: main_en=0 skip_en=0 {{.*}} o=3 oh=4 ow=4 {{.*}} s_c=3 s_h=8 s_w=8 s_kh=2 s_kw=2 s_stride=2 s_pad=0 {{.*}} pool=2
// CHECK: step 1: threshold loc("sign")
// CHECK: step 2: max_pool2d loc("pool1")
// CHECK-NEXT: main_en=0 skip_en=0 {{.*}} o=8 oh=2 ow=2 {{.*}} s_c=8 s_h=4 s_w=4 s_kh=3 s_kw=3 s_stride=1 s_pad=0 {{.*}} pool=1
// CHECK: step 3: conv2d loc("head")
// CHECK-NEXT: main_en=1 skip_en=0 {{.*}} m_c=8 m_words=1 m_h=2 m_w=2 m_k=2

// TOP: .PoolC     (8)

module attributes {blend.source = "pool-steps.mlir"} {
  func.func @main(%arg0: tensor<1x3x8x8xf32>) -> tensor<1x5x1x1xf32> {
    %w0 = blend.constant dense<[[[[  5,  -4,   7],   [ -3,  -7,  -8],   [ 13, -13,  -2]],  [[  4,   8,  12],   [-16,  14,  -8],   [-19, -10,  17]],  [[ 19,   0,  -3],   [  7,   4,  -3],   [-17, -14, -20]]], [[[ -5,  12,   3],   [  7, -14,   5],   [-10,   7,  -6]],  [[-13,  -5, -20],   [ 20,   7,  11],   [-15, -13,  15]],  [[-19, -17, -12],   [  3,  -3, -16],   [-12,  12,  -6]]], [[[ -1,   5,   6],   [ 18,  -3,  -2],   [-10,  12,  20]],  [[-12, -16,  13],   [-19,  11,  -9],   [ 14, -12,  -1]],  [[ 12,   0,  -2],   [-12,  18,  19],   [ 14,  11,  16]]], [[[-16,   8,  -7],   [-19,   6,   1],   [  0,  -3,  -3]],  [[-16, -10,  19],   [ 15,   1, -17],   [ 15,  -3, -14]],  [[ 20, -19,  19],   [ 16, -12, -15],   [ 17,   7,   9]]], [[[  1,   3, -10],   [-20,  -4,   3],   [ -8, -16,  14]],  [[-16,  14,   8],   [  3,  -3,   1],   [ 13,  15,  -6]],  [[-18,  -1,  -1],   [ -2,  10,  -5],   [ 12,   4,  -1]]], [[[  3, -11, -13],   [ -7,  14,  -8],   [  7,  -3,  -3]],  [[ -8,  -9,   1],   [ 10,  -3,   7],   [ 18,  -2, -19]],  [[ 10,  18,  10],   [-11,   6,   5],   [  9,  15,   0]]], [[[  7, -16, -15],   [ -1, -19,   1],   [  5,  14, -20]],  [[-13, -19,  -4],   [ -6, -18, -18],   [  8,  15,  13]],  [[-10, -20,  13],   [  3,   4,   9],   [ -9,  19,  -6]]], [[[  0, -20, -19],   [-11,   1,  18],   [ 19,  10,  19]],  [[  8, -15,  15],   [ -7,  -6,  13],   [ 16,   3,  10]],  [[  4,   6,  10],   [-17,  -4,  15],   [-19,   2,  11]]]]> : tensor<8x3x3x3xi8> -> tensor<8x3x3x3x!blend.fixed<si8, 5.000000e-01>>
    %w2 = blend.constant dense<[[[[false, false],   [false,  true]],  [[false,  true],   [false,  true]],  [[ true,  true],   [ true, false]],  [[ true, false],   [false, false]],  [[false, false],   [ true,  true]],  [[ true, false],   [false,  true]],  [[false,  true],   [ true, false]],  [[ true,  true],   [ true,  true]]], [[[false, false],   [ true,  true]],  [[ true, false],   [false, false]],  [[ true, false],   [false,  true]],  [[ true, false],   [ true,  true]],  [[ true, false],   [false,  true]],  [[ true, false],   [ true, false]],  [[ true, false],   [ true,  true]],  [[ true, false],   [false,  true]]], [[[ true, false],   [false,  true]],  [[false, false],   [false,  true]],  [[false, false],   [ true,  true]],  [[false, false],   [ true, false]],  [[ true, false],   [false, false]],  [[false, false],   [false,  true]],  [[false, false],   [false,  true]],  [[false,  true],   [ true,  true]]], [[[false, false],   [false, false]],  [[false,  true],   [false, false]],  [[ true,  true],   [false, false]],  [[ true, false],   [ true, false]],  [[false,  true],   [false,  true]],  [[false, false],   [ true, false]],  [[false,  true],   [false, false]],  [[false,  true],   [ true,  true]]], [[[ true, false],   [false, false]],  [[ true,  true],   [false,  true]],  [[ true,  true],   [false, false]],  [[ true, false],   [ true, false]],  [[ true, false],   [ true,  true]],  [[ true,  true],   [false, false]],  [[ true, false],   [ true, false]],  [[ true,  true],   [false,  true]]]]> : tensor<5x8x2x2xi1> -> tensor<5x8x2x2x!blend.binary>
    %q = blend.quantize %arg0 : tensor<1x3x8x8xf32> -> tensor<1x3x8x8x!blend.fixed<si8, 2.500000e-01>>
    %p0 = blend.max_pool2d %q kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x3x8x8x!blend.fixed<si8, 2.500000e-01>> -> tensor<1x3x4x4x!blend.fixed<si8, 2.500000e-01>> loc("pool8")
    %a1 = blend.conv2d %p0, %w0 strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x3x4x4x!blend.fixed<si8, 2.500000e-01>>, tensor<8x3x3x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x8x4x4x!blend.fixed<si24, 1.250000e-01>> loc("conv")
    %t = blend.threshold %a1 thresholds [1500, 2500, -2000, 1000, 3000, -1500, 2000, 1200] flip [false, false, true, false, false, true, false, false] : tensor<1x8x4x4x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x8x4x4x!blend.binary> loc("sign")
    %p1 = blend.max_pool2d %t kernel [3, 3] strides [1, 1] pads [0, 0, 0, 0] : tensor<1x8x4x4x!blend.binary> -> tensor<1x8x2x2x!blend.binary> loc("pool1")
    %a2 = blend.conv2d %p1, %w2 strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x8x2x2x!blend.binary>, tensor<5x8x2x2x!blend.binary>) -> tensor<1x5x1x1xsi7> loc("head")
    %out = blend.dequantize %a2 : tensor<1x5x1x1xsi7> -> tensor<1x5x1x1xf32>
    return %out : tensor<1x5x1x1xf32>
  }
}
