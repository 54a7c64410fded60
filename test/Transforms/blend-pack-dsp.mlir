// RUN: blend-opt --blend-pack-dsp %s | FileCheck %s
// RUN: blend-opt --blend-pack-dsp=max-fold=2 %s | FileCheck %s --check-prefix=FOLD2
// RUN: blend-opt --blend-pack-dsp=max-fold=1 %s | FileCheck %s --check-prefix=FLAT
// RUN: blend-opt --blend-pack-dsp=fold-main=false %s | FileCheck %s --check-prefix=NOMAINFOLD
// RUN: blend-opt --blend-pack-dsp=pack-rows=false %s | FileCheck %s --check-prefix=UNPACKED
// RUN: not blend-opt --blend-pack-dsp=max-fold=3 %s 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not blend-opt --blend-form-network --blend-pack-dsp %S/blend-form-network.mlir 2>&1 | FileCheck %s --check-prefix=UNTILED

// Two 4-channel passes on Pe = 16 engines (docs/hardware.md, "Packed kernel
// rows", "Folded steps"); the expected weights are computed by hand from
// the layouts there:
//   bin   binary 3x3 over 3 channels; tap t's word is ((t mod 7) + 1) (bits
//         0..2 = channels). Packed into 16-bit slots, kernel row ky is one
//         word: tap (ky, kx) at bits 16·kx: rows 12885032961, 25770131460,
//         8590000135. Folded over 2 lane groups: group g takes kernel rows
//         2r + g, so 2 rows per lane, group 1's second row empty.
//   stem  fixed-point 3x3 over 2 channels (one group of 4), tap t's 4 bytes
//         t + 1. A row split over 4 lane groups: group g takes tap kx = g of
//         kernel row ky (rows ky·3 + g + 1), group 3 nothing; 3 rows per
//         lane, through 2 activation-memory copies.

// CHECK-LABEL: blend.network
// CHECK-SAME: hardware = #blend.datapath<fixed_channels = 4, fixed_copies = 2, folds = 4, lanes = 8, main_folds = 2, pe = 16>
// CHECK: blend.layer_step main
// CHECK-SAME: binary_weights = dense<[12885032961, 8590000135, 12885032961, 8590000135, 12885032961, 8590000135, 12885032961, 8590000135, 25770131460, 0, 25770131460, 0, 25770131460, 0, 25770131460, 0]> : tensor<16xi64>
// CHECK-SAME: m_fold = 2, {{.*}}m_k = 3, m_pack = 16, {{.*}}m_words = 1
// CHECK-SAME: s_fold = 1
// CHECK: blend.layer_step skip
// CHECK-SAME: m_fold = 1
// CHECK-SAME: s_fold = 4, {{.*}}s_rowsplit = 1
// CHECK-SAME: fixed_weights = dense<"0x010101010404040407070707010101010404040407070707010101010404040407070707010101010404040407070707020202020505050508080808020202020505050508080808020202020505050508080808020202020505050508080808030303030606060609090909030303030606060609090909030303030606060609090909030303030606060609090909000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"> : tensor<192xi8>

// max-fold=2: a row of 3 taps splits over 2 groups in 2 beats (group g
// takes tap kx = 2c + g in beat c of a row: group 0 taps 0 and 2, group 1
// tap 1 and nothing), so the stem takes 6 rows instead of 9, through one
// activation-memory copy; bin still folds.
// FOLD2: hardware = #blend.datapath<fixed_channels = 4, fixed_copies = 1, folds = 2, lanes = 8, main_folds = 2, pe = 16>
// FOLD2: m_fold = 2
// FOLD2: blend.layer_step skip
// FOLD2-SAME: s_fold = 2, {{.*}}s_rowsplit = 1
// FOLD2-SAME: fixed_weights = dense<"0x010101010303030304040404060606060707070709090909010101010303030304040404060606060707070709090909010101010303030304040404060606060707070709090909010101010303030304040404060606060707070709090909020202020000000005050505000000000808080800000000020202020000000005050505000000000808080800000000020202020000000005050505000000000808080800000000020202020000000005050505000000000808080800000000"> : tensor<192xi8>

// fold-main=false: the skip path folds as by default, the binary path does
// not (its packed rows unfolded: 3 rows per lane, no binary lane-group
// copies).
// NOMAINFOLD: hardware = #blend.datapath<fixed_channels = 4, fixed_copies = 2, folds = 4, lanes = 8, pe = 16>
// NOMAINFOLD: blend.layer_step main
// NOMAINFOLD-SAME: binary_weights = dense<[12885032961, 25770131460, 8590000135, 12885032961, 25770131460, 8590000135, 12885032961, 25770131460, 8590000135, 12885032961, 25770131460, 8590000135]> : tensor<12xi64>
// NOMAINFOLD-SAME: m_fold = 1
// NOMAINFOLD: blend.layer_step skip
// NOMAINFOLD-SAME: s_fold = 4, {{.*}}s_rowsplit = 1

// max-fold=1: packed rows only.
// FLAT: hardware = #blend.datapath<fixed_channels = 4, lanes = 8, pe = 16>
// FLAT: binary_weights = dense<[12885032961, 25770131460, 8590000135, 12885032961, 25770131460, 8590000135, 12885032961, 25770131460, 8590000135, 12885032961, 25770131460, 8590000135]> : tensor<12xi64>
// FLAT-SAME: m_fold = 1, {{.*}}m_k = 3, m_pack = 16

// pack-rows=false: a (tap, word) per beat, folded: group g takes taps 2r + g.
// UNPACKED: binary_weights = dense<[1, 3, 5, 7, 2, 1, 3, 5, 7, 2, 1, 3, 5, 7, 2, 1, 3, 5, 7, 2, 2, 4, 6, 1, 0, 2, 4, 6, 1, 0, 2, 4, 6, 1, 0, 2, 4, 6, 1, 0]> : tensor<40xi64>
// UNPACKED-SAME: m_fold = 2, {{.*}}m_k = 3, {{.*}}m_words = 1
// UNPACKED-NOT: m_pack

// BAD: error: blend_net folds a reduction over 1, 2 or 4 lane groups, not 3
// Lane groups need Pe: a network blend-tile has not seen is refused.
// UNTILED: error: the network has no Pe yet (run blend-tile first)

module {
  blend.network attributes {hardware = #blend.datapath<fixed_channels = 4, lanes = 8, pe = 16>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 3, h = 4, w = 4>, output = #blend.host_output<binary = 0, scale = 1.000000e+00 : f64, zero_point = 0, c = 4, h = 4, w = 4>} {
  ^bb0(%in: !blend.buffer):
    %bin = blend.layer_step main(%in) {fields = #blend.step<main_en = 1, out_binary = 1, o = 4, oh = 4, ow = 4, m_c = 3, m_words = 1, m_h = 4, m_w = 4, m_k = 3, m_stride = 1, m_pad = 1>, constants = #blend.constants<>, binary_weights = dense<[1, 2, 3, 4, 5, 6, 7, 1, 2, 1, 2, 3, 4, 5, 6, 7, 1, 2, 1, 2, 3, 4, 5, 6, 7, 1, 2, 1, 2, 3, 4, 5, 6, 7, 1, 2]> : tensor<36xi64>, traced_op = "threshold"}
    %stem = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, stream = 1, o = 4, oh = 4, ow = 4, s_c = 2, s_h = 4, s_w = 4, s_kh = 3, s_kw = 3, s_stride = 1, s_pad = 1, s_cgroups = 1>, constants = #blend.constants<>, fixed_weights = dense<[1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9]> : tensor<144xi8>, traced_op = "requant"}
  }
}
