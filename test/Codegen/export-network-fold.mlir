// RUN: blend-opt --blend-lower-to-network -mlir-print-debuginfo %s | blend-translate --export-network-text | FileCheck %s
// RUN: blend-opt --blend-lower-to-network=max-fold=1 -mlir-print-debuginfo %s | blend-translate --export-network-text | FileCheck %s --check-prefix=FLAT
// RUN: not blend-opt --blend-lower-to-network=max-fold=3 %s 2>&1 | FileCheck %s --check-prefix=BAD

// Folded skip paths: Pe is 16 (the widest layer); a pass with O <= Pe / F
// gives each of F lane groups its own share of the reduction and blend_fold
// sums the groups (docs/hardware.md, "Folded skip paths").
//   stem    O 4, 2 channels (one channel group of FixCh 4), 3x3: a row split
//           over 4 groups (group g takes tap kx = g through copy g): 3 beats
//           per pixel instead of 9; 16 weight lanes x 3 rows x 4 bytes.
//   wide    O 16 = Pe: not folded (1 row; 16 x 1 x 4 bytes).
//   narrow  O 8, 16 channels (4 channel groups), 1x1: a channel split over 2
//           groups (group g takes channel groups 2b + g): 2 beats instead of
//           4; 16 weight lanes x 2 rows x 4 bytes.
//   bin     binary 3x3 over narrow's 8 sign bits, O 8: packed kernel rows
//           folded over 2 groups (group 1 takes the next row): 2 beats, 16
//           weight lanes x 2 rows.
//   out     binary 3x3 over bin, stride 2 (one word per tap would be 9
//           beats unpacked; packed: 2), streamed.
// The core gets 4 skip lane groups, the two activation-memory copies, and 2
// binary lane groups.

// CHECK: schedule v1.9 network
// CHECK-NEXT: hardware: max_channels=16 pe=16 lanes=8 fixed_channels=4 {{.*}} binary_weight_depth=4 fixed_weight_depth=6 {{.*}} folds=4 fixed_copies=2 main_folds=2
// CHECK: step 0: requant loc("stem")
// CHECK-NEXT: {{.*}} o=4 {{.*}} s_kh=3 s_kw=3 {{.*}} s_wbase=0 {{.*}} s_cgroups=1 transpose=0 out_offset=0 s_fold=4 s_rowsplit=1 m_fold=1
// CHECK-NEXT: fixed_weights: 192 bytes
// CHECK: step 1: requant loc("wide")
// CHECK-NEXT: {{.*}} o=16 {{.*}} s_wbase=3 {{.*}} s_cgroups=1 transpose=0 out_offset=0 s_fold=1 s_rowsplit=0 m_fold=1
// CHECK-NEXT: fixed_weights: 64 bytes
// CHECK: step 2: requant loc("narrow")
// CHECK-NEXT: {{.*}} stream=0 o=8 {{.*}} s_wbase=4 {{.*}} s_cgroups=4 transpose=0 out_offset=0 s_fold=2 s_rowsplit=0 m_fold=1
// CHECK-NEXT: fixed_weights: 128 bytes
// CHECK: step 3: threshold loc("bin")
// CHECK-NEXT: main_en=1 skip_en=0 {{.*}} m_c=8 {{.*}} m_k=3 {{.*}} m_wbase=0 {{.*}} m_pack=16 {{.*}} m_fold=2
// CHECK-NEXT: binary_weights: 32 rows
// CHECK: step 4: requant loc("out")
// CHECK-NEXT: {{.*}} stream=1 {{.*}} m_stride=2 {{.*}} m_wbase=2 {{.*}} m_pack=16 {{.*}} m_fold=2
// CHECK-NEXT: binary_weights: 32 rows

// --network-max-fold=1: nothing folds; the stem takes 9 rows, narrow 4.
// FLAT: hardware: {{.*}} binary_weight_depth=6 fixed_weight_depth=14 {{.*}} folds=1 fixed_copies=0 main_folds=1
// FLAT: s_fold=1 s_rowsplit=0
// FLAT-NEXT: fixed_weights: 144 bytes
// FLAT: s_fold=1 s_rowsplit=0
// FLAT: s_fold=1 s_rowsplit=0
// FLAT-NEXT: fixed_weights: 128 bytes
// FLAT: m_fold=1
// FLAT-NEXT: binary_weights: 24 rows

// BAD: blend_net folds a reduction over 1, 2 or 4 lane groups, not 3

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x2x6x6xf32>) -> tensor<1x8x3x3xf32> {
    %w0 = blend.constant dense<1> : tensor<4x2x3x3xi8> -> tensor<4x2x3x3x!blend.fixed<si8, 5.000000e-01>>
    %w1 = blend.constant dense<-1> : tensor<16x4x1x1xi8> -> tensor<16x4x1x1x!blend.fixed<si8, 5.000000e-01>>
    %w2 = blend.constant dense<2> : tensor<8x16x1x1xi8> -> tensor<8x16x1x1x!blend.fixed<si8, 5.000000e-01>>
    %w3 = blend.constant dense<true> : tensor<8x8x3x3xi1> -> tensor<8x8x3x3x!blend.binary>
    %w4 = blend.constant dense<false> : tensor<8x8x3x3xi1> -> tensor<8x8x3x3x!blend.binary>
    %q = blend.quantize %arg0 : tensor<1x2x6x6xf32> -> tensor<1x2x6x6x!blend.fixed<si8, 2.500000e-01>>
    %a0 = blend.conv2d %q, %w0 strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x2x6x6x!blend.fixed<si8, 2.500000e-01>>, tensor<4x2x3x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x4x6x6x!blend.fixed<si24, 1.250000e-01>>
    %x1 = blend.requant %a0 multiplier [77] shift [9] bias [100] rounding half_even : tensor<1x4x6x6x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x4x6x6x!blend.fixed<si8, 6.250000e-02>> loc("stem")
    %a1 = blend.conv2d %x1, %w1 strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x4x6x6x!blend.fixed<si8, 6.250000e-02>>, tensor<16x4x1x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x16x6x6x!blend.fixed<si24, 3.125000e-02>>
    %x2 = blend.requant %a1 multiplier [1] shift [0] bias [0] rounding half_up : tensor<1x16x6x6x!blend.fixed<si24, 3.125000e-02>> -> tensor<1x16x6x6x!blend.fixed<si8, 6.250000e-02>> loc("wide")
    %a2 = blend.conv2d %x2, %w2 strides [1, 1] pads [0, 0, 0, 0] : (tensor<1x16x6x6x!blend.fixed<si8, 6.250000e-02>>, tensor<8x16x1x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x8x6x6x!blend.fixed<si24, 3.125000e-02>>
    %x3 = blend.requant %a2 multiplier [1] shift [0] bias [0] rounding half_up : tensor<1x8x6x6x!blend.fixed<si24, 3.125000e-02>> -> tensor<1x8x6x6x!blend.fixed<si8, 6.250000e-02>> loc("narrow")
    %b3 = blend.binarize %x3 : tensor<1x8x6x6x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x8x6x6x!blend.binary>
    %a4 = blend.conv2d %b3, %w3 strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x8x6x6x!blend.binary>, tensor<8x8x3x3x!blend.binary>) -> tensor<1x8x6x6xsi8>
    %t4 = blend.threshold %a4 thresholds [2, -1, 2, 2, 0, 1, 3, -3] flip [false, true, false, false, false, false, true, false] : tensor<1x8x6x6xsi8> -> tensor<1x8x6x6x!blend.binary> loc("bin")
    %a5 = blend.conv2d %t4, %w4 strides [2, 2] pads [1, 1, 1, 1] : (tensor<1x8x6x6x!blend.binary>, tensor<8x8x3x3x!blend.binary>) -> tensor<1x8x3x3xsi8>
    %x5 = blend.requant %a5 multiplier [3] shift [1] bias [0] rounding half_up : tensor<1x8x3x3xsi8> -> tensor<1x8x3x3x!blend.fixed<si8, 6.250000e-02>> loc("out")
    %out = blend.dequantize %x5 : tensor<1x8x3x3x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x8x3x3xf32>
    return %out : tensor<1x8x3x3xf32>
  }
}
