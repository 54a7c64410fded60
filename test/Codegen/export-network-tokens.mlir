// RUN: blend-opt --blend-lower-to-network -mlir-print-debuginfo %s | blend-translate --export-network-text | FileCheck %s

// Token mixing as blendc --emit=mlir writes BlendMixer: rank-3 [1, P, C]
// linear layers are 1x1 convolutions over P pixels of a pixel-major tensor.
// Reshapes that keep the channel axis and [0, 2, 1] transposes are views; a
// layer that reads a view in the other layout gets a transpose step (one per
// stored tensor, shared by its readers).

// CHECK: schedule v1.9 network
// CHECK-NEXT: hardware: max_channels=4 pe=4 lanes=4 fixed_channels=4 {{.*}} max_steps=6 {{.*}} transpose_pixels=4

// The stem writes 2x2 pixels of 3 channels (NCHW).
// CHECK: step 0: requant loc("stem")
// CHECK-NEXT: main_en=0 skip_en=1 {{.*}} o=3 oh=2 ow=2 {{.*}} dst=[[STEM:[0-9]+]] {{.*}} transpose=0

// The token mixer reads [1, 3, 4] (the stem's view, channel-major) as [1, P=3,
// C=4]: a transpose step turns 4 pixels x 3 channels into 3 pixels x 4
// channels; its tap is the reshape's value, pixel-major. No weights.
// CHECK: step 1: reshape loc("flatten") (pixel-major)
// CHECK-NEXT: main_en=0 skip_en=0 {{.*}} o=4 oh=1 ow=3 {{.*}} s_src=[[STEM]] {{.*}} dst=[[T1:[0-9]+]] {{.*}} transpose=1
// CHECK-NEXT: binary_weights: 0 rows{{.*}}fixed_weights: 0 bytes

// Both paths of the join read the one transposed tensor (the main path its
// binary view): 1x1 over 3 pixels of 4 channels.
// CHECK: step 2: requant loc("token") (pixel-major)
// CHECK-NEXT: main_en=1 skip_en=1 {{.*}} o=4 oh=3 ow=1 m_c=4 m_words=1 m_h=3 m_w=1 m_k=1 {{.*}} m_src=[[T1]] {{.*}} s_c=4 s_h=3 s_w=1 s_kh=1 s_kw=1 {{.*}} s_src=[[T1]] {{.*}} dst=[[TOK:[0-9]+]] {{.*}} transpose=0

// The channel mixer reads [1, 4, 3], the transpose of the token mixer's
// [1, 3, 4] output: another transpose step.
// CHECK: step 3: transpose loc("back") (pixel-major)
// CHECK-NEXT: {{.*}} o=3 oh=1 ow=4 {{.*}} s_src=[[TOK]] {{.*}} dst=[[T2:[0-9]+]] {{.*}} transpose=1
// CHECK: step 4: requant loc("chan") (pixel-major)
// CHECK-NEXT: main_en=0 skip_en=1 {{.*}} o=3 oh=4 ow=1 {{.*}} s_c=3 s_h=4 s_w=1 {{.*}} s_src=[[T2]] {{.*}} dst=[[CHAN:[0-9]+]] {{.*}} transpose=0

// The head pools over tokens: transpose + reshape to [1, 3, 4, 1] is a view
// of the channel mixer's output (no pass moves data).
// CHECK: step 5: matmul loc("head")
// CHECK-NEXT: main_en=0 skip_en=1 {{.*}} stream=1 o=2 oh=1 ow=1 {{.*}} s_c=3 s_h=4 s_w=1 s_kh=4 s_kw=1 {{.*}} s_src=[[CHAN]] {{.*}} s_shared=1

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x2x2x2xf32>) -> tensor<1x2xf32> {
    %w0 = blend.constant dense<1> : tensor<3x2x1x1xi8> -> tensor<3x2x1x1x!blend.fixed<si8, 5.000000e-01>>
    %wb = blend.constant dense<true> : tensor<4x4xi1> -> tensor<4x4x!blend.binary>
    %wf = blend.constant dense<2> : tensor<4x4xi8> -> tensor<4x4x!blend.fixed<si8, 5.000000e-01>>
    %wc = blend.constant dense<-1> : tensor<3x3xi8> -> tensor<3x3x!blend.fixed<si8, 5.000000e-01>>
    %wh = blend.constant dense<3> : tensor<3x2xi8> -> tensor<3x2x!blend.fixed<si8, 1.250000e-01>>
    %q = blend.quantize %arg0 : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!blend.fixed<si8, 2.500000e-01>>
    %a0 = blend.conv2d %q, %w0 strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x2x2x2x!blend.fixed<si8, 2.500000e-01>>, tensor<3x2x1x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x2x2x!blend.fixed<si24, 1.250000e-01>>
    %x0 = blend.requant %a0 multiplier [1] shift [0] bias [0] rounding half_even : tensor<1x3x2x2x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x3x2x2x!blend.fixed<si8, 1.250000e-01>> loc("stem")
    %r0 = blend.reshape %x0 : tensor<1x3x2x2x!blend.fixed<si8, 1.250000e-01>> -> tensor<1x3x4x!blend.fixed<si8, 1.250000e-01>> loc("flatten")
    %b0 = blend.binarize %r0 : tensor<1x3x4x!blend.fixed<si8, 1.250000e-01>> -> tensor<1x3x4x!blend.binary>
    %mb = blend.matmul %b0, %wb : (tensor<1x3x4x!blend.binary>, tensor<4x4x!blend.binary>) -> tensor<1x3x4xsi8>
    %pb = blend.requant %mb multiplier [1] shift [0] bias [0] rounding half_up : tensor<1x3x4xsi8> -> tensor<1x3x4x!blend.fixed<si24, 1.250000e-01>>
    %mf = blend.matmul %r0, %wf : (tensor<1x3x4x!blend.fixed<si8, 1.250000e-01>>, tensor<4x4x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x4x!blend.fixed<si20, 6.250000e-02>>
    %pf = blend.requant %mf multiplier [1] shift [1] bias [0] rounding half_up : tensor<1x3x4x!blend.fixed<si20, 6.250000e-02>> -> tensor<1x3x4x!blend.fixed<si24, 1.250000e-01>>
    %s = blend.add %pb, %pf : tensor<1x3x4x!blend.fixed<si24, 1.250000e-01>>, tensor<1x3x4x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x3x4x!blend.fixed<si25, 1.250000e-01>>
    %x1 = blend.requant %s multiplier [1] shift [0] bias [0] rounding half_even : tensor<1x3x4x!blend.fixed<si25, 1.250000e-01>> -> tensor<1x3x4x!blend.fixed<si8, 1.250000e-01>> loc("token")
    %t1 = blend.transpose %x1 permutation [0, 2, 1] : tensor<1x3x4x!blend.fixed<si8, 1.250000e-01>> -> tensor<1x4x3x!blend.fixed<si8, 1.250000e-01>> loc("back")
    %m2 = blend.matmul %t1, %wc : (tensor<1x4x3x!blend.fixed<si8, 1.250000e-01>>, tensor<3x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x4x3x!blend.fixed<si20, 6.250000e-02>>
    %x2 = blend.requant %m2 multiplier [1] shift [1] bias [0] rounding half_up : tensor<1x4x3x!blend.fixed<si20, 6.250000e-02>> -> tensor<1x4x3x!blend.fixed<si8, 1.250000e-01>> loc("chan")
    %t2 = blend.transpose %x2 permutation [0, 2, 1] : tensor<1x4x3x!blend.fixed<si8, 1.250000e-01>> -> tensor<1x3x4x!blend.fixed<si8, 1.250000e-01>>
    %r1 = blend.reshape %t2 : tensor<1x3x4x!blend.fixed<si8, 1.250000e-01>> -> tensor<1x3x4x1x!blend.fixed<si8, 1.250000e-01>>
    %sp = blend.sum_pool2d %r1 kernel [4, 1] strides [1, 1] : tensor<1x3x4x1x!blend.fixed<si8, 1.250000e-01>> -> tensor<1x3x1x1x!blend.fixed<si11, 3.125000e-02>>
    %r2 = blend.reshape %sp : tensor<1x3x1x1x!blend.fixed<si11, 3.125000e-02>> -> tensor<1x3x!blend.fixed<si11, 3.125000e-02>>
    %y = blend.matmul %r2, %wh : (tensor<1x3x!blend.fixed<si11, 3.125000e-02>>, tensor<3x2x!blend.fixed<si8, 1.250000e-01>>) -> tensor<1x2x!blend.fixed<si24, 3.906250e-03>> loc("head")
    %out = blend.dequantize %y : tensor<1x2x!blend.fixed<si24, 3.906250e-03>> -> tensor<1x2xf32>
    return %out : tensor<1x2xf32>
  }
}
