// RUN: blend-opt --blend-pack-dsp %s | FileCheck %s
// RUN: blend-opt --blend-pack-dsp=pair-pixels=false %s | FileCheck %s --check-prefix=OFF

// Pixel pairs (docs/hardware.md, "Pixel pairs"): a skip path computes two
// output pixels per beat when every product w·(q - zp) lies in [-255, 255]
// — the weights' largest |w| times the pass's skip_magnitude, the largest
// |q - zp| of its source — and the pair's two taps are always an odd
// address distance apart (the two activation banks), and pairs make the
// pass faster. Five fixed-bound passes (3x3 over 2 channels: 9 beats per
// pixel, post-processing 1 cycle; Pe 4 holds O = 4 once, so none folds):
//   p1  |w| 8, magnitude 31: 248, pairs
//   p2  |w| 8, magnitude 32: 256 > 255, single pixels
//   p3  stride 2: pair taps 2 apart (the same bank), single
//   p4  no skip_magnitude (nothing proves the bound), single
//   p5  2x2 kernel, no pad, 4x4 -> 3x3: a pair wrapping to the next row has
//       its taps 1 x (4 - 3 + 1) = 2 apart, single
//   p6  |w| 1, magnitude 255 (an 8-bit tensor): 255, pairs; rows of odd
//       width 5 over W = 5 wrap at distance 1

// CHECK-LABEL: blend.network
// CHECK-SAME: hardware = #blend.datapath<fixed_channels = 4, lanes = 4, pairs = 1, pe = 4>
// CHECK: %[[P1:.*]] = blend.layer_step skip
// CHECK-SAME: s_pair = 1
// CHECK: %[[P2:.*]] = blend.layer_step skip
// CHECK-NOT: s_pair
// CHECK-SAME: traced_op = "p2"
// CHECK: %[[P3:.*]] = blend.layer_step skip
// CHECK-NOT: s_pair
// CHECK-SAME: traced_op = "p3"
// CHECK: %[[P4:.*]] = blend.layer_step skip
// CHECK-NOT: s_pair
// CHECK-SAME: traced_op = "p4"
// CHECK: %[[P5:.*]] = blend.layer_step skip
// CHECK-NOT: s_pair
// CHECK-SAME: traced_op = "p5"
// CHECK: %[[P6:.*]] = blend.layer_step skip
// CHECK-SAME: s_pair = 1

// OFF: hardware = #blend.datapath<fixed_channels = 4, lanes = 4, pe = 4>
// OFF-NOT: s_pair

module {
  blend.network attributes {hardware = #blend.datapath<fixed_channels = 4, lanes = 4, pe = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 2, h = 4, w = 4>, output = #blend.host_output<binary = 0, scale = 1.000000e+00 : f64, zero_point = 0, c = 4, h = 5, w = 5>} {
  ^bb0(%in: !blend.buffer):
    %p1 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 4, oh = 4, ow = 4, s_c = 2, s_h = 4, s_w = 4, s_kh = 3, s_kw = 3, s_stride = 1, s_pad = 1, s_cgroups = 1>, constants = #blend.constants<>, fixed_weights = dense<-8> : tensor<144xi8>, traced_op = "p1", skip_magnitude = 31 : i64}
    %p2 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 4, oh = 4, ow = 4, s_c = 2, s_h = 4, s_w = 4, s_kh = 3, s_kw = 3, s_stride = 1, s_pad = 1, s_cgroups = 1>, constants = #blend.constants<>, fixed_weights = dense<-8> : tensor<144xi8>, traced_op = "p2", skip_magnitude = 32 : i64}
    %p3 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 4, oh = 2, ow = 2, s_c = 2, s_h = 4, s_w = 4, s_kh = 3, s_kw = 3, s_stride = 2, s_pad = 1, s_cgroups = 1>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<144xi8>, traced_op = "p3", skip_magnitude = 8 : i64}
    %p4 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 4, oh = 4, ow = 4, s_c = 2, s_h = 4, s_w = 4, s_kh = 3, s_kw = 3, s_stride = 1, s_pad = 1, s_cgroups = 1>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<144xi8>, traced_op = "p4"}
    %p5 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 4, oh = 3, ow = 3, s_c = 2, s_h = 4, s_w = 4, s_kh = 2, s_kw = 2, s_stride = 1, s_pad = 0, s_cgroups = 1>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<64xi8>, traced_op = "p5", skip_magnitude = 8 : i64}
    %p6 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, stream = 1, o = 4, oh = 5, ow = 5, s_c = 2, s_h = 5, s_w = 5, s_kh = 3, s_kw = 3, s_stride = 1, s_pad = 1, s_cgroups = 1>, constants = #blend.constants<>, fixed_weights = dense<-1> : tensor<144xi8>, traced_op = "p6", skip_magnitude = 255 : i64}
  }
}
