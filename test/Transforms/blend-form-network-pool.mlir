// RUN: blend-opt --blend-form-network --split-input-file %s | FileCheck %s
// RUN: blend-opt --blend-form-network --split-input-file %s | blend-opt --split-input-file | FileCheck %s
// RUN: blend-opt --blend-lower-to-network --split-input-file %s | blend-translate --split-input-file --export-network-text | FileCheck %s --check-prefix=TEXT

// A max pool between layers (FINN's CNV, VGG-style networks) is a pool step:
// the max of every window of the stored tensor it reads, written as a new
// tensor the next layer reads. Here an int8 tensor (the quantized input,
// 2 x 4 x 4) is pooled 2x2/2 (pool = 2: bytes, a signed max) and a 1x1
// convolution reads the 2 x 2 result.

// CHECK: ^bb0(%[[IN:.*]]: !blend.buffer):
// CHECK-NEXT: %[[P:.*]] = blend.pool_step skip(%[[IN]])
// CHECK-SAME: fields = #blend.step<{{.*}}o = 2, oh = 2, {{.*}}ow = 2, pool = 2, s_c = 2, s_h = 4, s_kh = 2, s_kw = 2, s_stride = 2, s_w = 4>
// CHECK-SAME: traced_op = "max_pool2d"
// CHECK-NEXT: blend.layer_step skip(%[[P]])
// CHECK-SAME: s_c = 2, {{.*}}s_h = 2, {{.*}}s_w = 2, skip_en = 1, stream = 1>

// TEXT: hardware: {{.*}} pool_channels=2
// TEXT: step 0: max_pool2d
// TEXT-NEXT: main_en=0 skip_en=0 {{.*}} o=2 oh=2 ow=2 {{.*}} s_c=2 s_h=4 s_w=4 s_kh=2 s_kw=2 s_stride=2 s_pad=0 s_src=[[SRC:[0-9]+]] {{.*}} dst=[[DST:[0-9]+]] {{.*}} pool=2
// TEXT-NEXT: binary_weights: 0 rows, {{.*}} fixed_weights: 0 bytes
// TEXT-NEXT: constants (multiplier/shift/bias): main; skip; out
// TEXT: step 1: conv2d
// TEXT-NEXT: s_src=[[DST]]

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x3x2x2xf32> {
    %w = blend.constant dense<1> : tensor<3x2x1x1xi8> -> tensor<3x2x1x1x!blend.fixed<si8, 5.000000e-01>>
    %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
    %m = blend.max_pool2d %q kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>> -> tensor<1x2x2x2x!blend.fixed<si8, 2.500000e-01>> loc("pool")
    %a = blend.conv2d %m, %w strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x2x2x2x!blend.fixed<si8, 2.500000e-01>>, tensor<3x2x1x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x2x2x!blend.fixed<si24, 1.250000e-01>>
    %out = blend.dequantize %a : tensor<1x3x2x2x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x3x2x2xf32>
    return %out : tensor<1x3x2x2xf32>
  }
}

// -----

// A binary tensor (a threshold's output, 4 x 4 x 4) pooled 3x3/1 (pool = 1:
// the OR of its bits) into 4 x 2 x 2, which a binary 2x2 convolution reads
// on the main path: CNV's conv -> BN + sign -> MaxPool -> conv.

// CHECK: %[[T:.*]] = blend.layer_step skip(%arg0)
// CHECK-SAME: out_binary = 1
// CHECK-NEXT: %[[P:.*]] = blend.pool_step skip(%[[T]])
// CHECK-SAME: fields = #blend.step<{{.*}}o = 4, oh = 2, {{.*}}ow = 2, pool = 1, s_c = 4, s_h = 4, s_kh = 3, s_kw = 3, s_stride = 1, s_w = 4>
// CHECK-NEXT: blend.layer_step main(%[[P]])
// CHECK-SAME: m_c = 4, m_h = 2, m_k = 2, {{.*}}m_w = 2

// TEXT: pool_channels=4
// TEXT: step 1: max_pool2d
// TEXT-NEXT: main_en=0 skip_en=0 {{.*}} o=4 oh=2 ow=2 {{.*}} pool=1

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x3x1x1xf32> {
    %w1 = blend.constant dense<1> : tensor<4x2x3x3xi8> -> tensor<4x2x3x3x!blend.fixed<si8, 5.000000e-01>>
    %w2 = blend.constant dense<true> : tensor<3x4x2x2xi1> -> tensor<3x4x2x2x!blend.binary>
    %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
    %a1 = blend.conv2d %q, %w1 strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>, tensor<4x2x3x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x4x4x4x!blend.fixed<si24, 1.250000e-01>>
    %t = blend.threshold %a1 thresholds [1, 2, 3, 4] flip [false, true, false, false] : tensor<1x4x4x4x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x4x4x4x!blend.binary>
    %m = blend.max_pool2d %t kernel [3, 3] strides [1, 1] pads [0, 0, 0, 0] : tensor<1x4x4x4x!blend.binary> -> tensor<1x4x2x2x!blend.binary> loc("binpool")
    %a2 = blend.conv2d %m, %w2 strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x4x2x2x!blend.binary>, tensor<3x4x2x2x!blend.binary>) -> tensor<1x3x1x1xsi6>
    %out = blend.dequantize %a2 : tensor<1x3x1x1xsi6> -> tensor<1x3x1x1xf32>
    return %out : tensor<1x3x1x1xf32>
  }
}
