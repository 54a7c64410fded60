// RUN: blend-opt --blend-stripe="stripes=2 keep-rows=false" %s | FileCheck %s
// RUN: blend-opt --blend-stripe="stripes=2 keep-rows=false" --blend-allocate-buffers %s | FileCheck %s --check-prefix=ALLOC
// RUN: blend-opt --blend-stripe="stripes=2 cut=0 keep-rows=false" %s | FileCheck %s --check-prefix=CUT0
// RUN: blend-opt --blend-stripe=stripes=2 %s | FileCheck %s --check-prefix=KEEP
// RUN: blend-opt --blend-stripe=stripes=2 --blend-allocate-buffers %s | FileCheck %s --check-prefix=KEEPALLOC
// RUN: blend-opt --blend-stripe=stripes=1 %s | FileCheck %s --check-prefix=NONE
// RUN: not blend-opt --blend-stripe="stripes=2 cut=2" %s 2>&1 | FileCheck %s --check-prefix=BADCUT
// RUN: not blend-opt --blend-stripe=stripes=5 %s 2>&1 | FileCheck %s --check-prefix=MANY

// An 8x8 network: %a (int8 3x3, pad 1, 8x8), %b (binary 3x3 stride 2 pad 1
// and int8 1x1 stride 2 pad 0, both reading %a, 4x4), a pool+classifier head.
// The cut is %b, the first tensor with at most a quarter of the input's 64
// pixels. Two stripes of %b's 4 rows, computed by hand:
//   stripe 0: %b rows 0..1 read %a rows 0..3 (3x3 window: 0*2-1 .. 1*2+1,
//             clipped; the 1x1 reads 0..2), which read input rows 0..4.
//   stripe 1: %b rows 2..3 read %a rows 3..7 (3x3: 3..7; 1x1: 4..6), which
//             read input rows 2..7 (2..8 clipped).
// Row offsets (band start minus the first kernel row's band-local origin):
//   %a stripe 1: 3*1 - 2 = 1; %b stripe 1: binary 2*2 - 3 = 1, int8 1x1
//   (pad 0) 2*2 - 3 = 1.

// CHECK-LABEL: blend.network
// CHECK-SAME: stripes = 1
// CHECK: %[[L0:.*]] = blend.load_step {{{.*}}full_h = 8, load = 1, oh = 5, ow = 8>, traced_op = "load"}
// CHECK-NEXT: %[[A0:.*]] = blend.layer_step skip(%[[L0]]) {{{.*}}full_h = 8, {{.*}}oh = 4, {{.*}}s_h = 5,
// CHECK-NOT: row_off
// CHECK-SAME: traced_op = "requant"}
// CHECK-NEXT: %[[B0:.*]] = blend.layer_step main(%[[A0]]) skip(%[[A0]]) {{{.*}}full_h = 4, {{.*}}m_h = 4, {{.*}}oh = 2, {{.*}}s_h = 4, {{.*}}whole}
// CHECK-NEXT: %[[L1:.*]] = blend.load_step {{{.*}}load = 1, oh = 6, ow = 8, row_begin = 2>
// CHECK-NEXT: %[[A1:.*]] = blend.layer_step skip(%[[L1]]) {{{.*}}oh = 5, {{.*}}row_begin = 3, {{.*}}s_h = 6, {{.*}}s_row_off = 1,
// CHECK-NEXT: %[[B1:.*]] = blend.layer_step main(%[[A1]]) skip(%[[A1]]) into(%[[B0]]) {{{.*}}m_h = 5, {{.*}}m_row_off = 1, {{.*}}oh = 2, {{.*}}row_begin = 2, {{.*}}s_h = 5, {{.*}}s_row_off = 1, {{.*}}whole}
// CHECK-NEXT: blend.layer_step skip(%[[B1]]) {{{.*}}stream = 1
// CHECK-NOT: blend.layer_step

// Allocated: the whole image is never stored, only its bands (40 and 48
// pixels). %b is stored whole (16 pixels) at 0, where the first band was
// (dead once %a's first band is computed), and stripe 1 writes its rows
// 2..3 there, 8 pixels on; the stripes share one copy of each layer's
// weights (m_wbase 0, s_wbase 9 twice). Depth: band 1 (16..63) and %a's
// band 1 (64..103) with %b at 0..15 — 104 pixels, not the 144 (image, %a,
// %b) without stripes.
// ALLOC-LABEL: blend.network
// ALLOC-SAME: depth = 104
// ALLOC: load = 1
// ALLOC: %[[B0:.*]] = blend.layer_step main({{.*}}m_src = 40, {{.*}}s_src = 40, {{.*}}s_wbase = 9
// ALLOC-NOT: m_wbase
// ALLOC-SAME: whole
// ALLOC: into(%[[B0]]) {{{.*}}dst = 8, {{.*}}m_src = 64, {{.*}}s_src = 64, {{.*}}s_wbase = 9

// Cut at %a: %a is stored whole, its rows 0..3 and 4..7 from input rows
// 0..4 and 3..7; %b and the head run once, on the whole %a.
// CUT0: load = 1, oh = 5
// CUT0-NEXT: %[[A0:.*]] = blend.layer_step skip({{.*}}oh = 4, {{.*}}whole}
// CUT0-NEXT: load = 1, oh = 5, ow = 8, row_begin = 3
// CUT0-NEXT: %[[A1:.*]] = blend.layer_step skip({{.*}}) into(%[[A0]]) {{{.*}}row_begin = 4, {{.*}}s_row_off = 1, {{.*}}whole}
// CUT0-NEXT: blend.layer_step main(%[[A1]]) skip(%[[A1]])
// CUT0-NOT: row_begin
// CUT0-SAME: traced_op = "requant"}

// keep-rows (the default): each row of %a and of the input is computed or
// loaded once. Stripe 0 as above (input rows 0..4, %a rows 0..3, %b rows
// 0..1). Stripe 1: %b rows 2..3 read %a rows 3..7, so %a keeps row 3 and
// computes 4..7, which read input rows 3..7 (2 kept, 3 loaded: 5..7). The
// kept rows move to the top of their storage (copy steps: load = 2, from
// s_row_off = 3 rows below), the new rows land after them; the row offsets
// are counted from the kept rows (%a: 4*1 - 3 = 1; %b: 2*2 - 3 = 1).
// KEEP-LABEL: blend.network
// KEEP: %[[L0:.*]] = blend.load_step {band_begin = 0 : i64, band_rows = 5 : i64, {{.*}}load = 1, oh = 5, ow = 8>, traced_op = "load"}
// KEEP-NEXT: %[[A0:.*]] = blend.layer_step skip(%[[L0]]) {band_begin = 0 : i64, band_rows = 5 : i64, {{.*}}oh = 4, {{.*}}s_h = 5,
// KEEP-NEXT: %[[B0:.*]] = blend.layer_step main(%[[A0]]) skip(%[[A0]]) {{{.*}}m_h = 4, {{.*}}oh = 2, {{.*}}whole}
// KEEP-NEXT: %[[C0:.*]] = blend.copy_step into(%[[L0]]) {band_begin = 3 : i64, band_rows = 5 : i64, {{.*}}load = 2, oh = 2, ow = 8, row_begin = 3, s_row_off = 3>, traced_op = "copy"}
// KEEP-NEXT: %[[L1:.*]] = blend.load_step into(%[[C0]]) {band_begin = 3 : i64, band_rows = 5 : i64, {{.*}}load = 1, oh = 3, ow = 8, row_begin = 5>, traced_op = "load"}
// KEEP-NEXT: %[[C1:.*]] = blend.copy_step into(%[[A0]]) {band_begin = 3 : i64, {{.*}}load = 2, oh = 1, ow = 8, row_begin = 3, s_row_off = 3>, traced_op = "copy"}
// KEEP-NEXT: %[[A1:.*]] = blend.layer_step skip(%[[L1]]) into(%[[C1]]) {band_begin = 3 : i64, {{.*}}oh = 4, {{.*}}row_begin = 4, {{.*}}s_h = 5, {{.*}}s_row_off = 1,
// KEEP-NEXT: blend.layer_step main(%[[A1]]) skip(%[[A1]]) into(%[[B0]]) {{{.*}}m_h = 5, {{.*}}m_row_off = 1, {{.*}}oh = 2, {{.*}}row_begin = 2, {{.*}}s_h = 5, {{.*}}s_row_off = 1, {{.*}}whole}

// Allocated: the input's 5 held rows at 0..39, %a's at 40..79, %b whole at
// 80..95 — all held across both stripes: 96 pixels. The copies move rows up
// 3 rows (24 pixels); the new rows land 2 (input) and 1 (%a) rows in.
// KEEPALLOC-LABEL: blend.network
// KEEPALLOC-SAME: depth = 96
// KEEPALLOC: load = 2, {{.*}}s_src = 24
// KEEPALLOC: dst = 16, {{.*}}load = 1
// KEEPALLOC: dst = 40, {{.*}}load = 2, {{.*}}s_src = 64
// KEEPALLOC: dst = 48, {{.*}}traced_op = "requant"
// KEEPALLOC: dst = 88, {{.*}}m_src = 40, {{.*}}s_src = 40

// NONE-NOT: load
// NONE-NOT: stripes

// BADCUT: error: cannot cut the row stripes at step 2: the rest of the network reads an earlier tensor, or a step up to it is not a convolution; possible cuts: 0 1
// MANY: error: cannot run in 5 row stripes: the cut tensor has 4 rows

module {
  blend.network attributes {hardware = #blend.datapath<fixed_channels = 4, lanes = 2, pe = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 2, h = 8, w = 8>, output = #blend.host_output<binary = 0, scale = 1.000000e+00 : f64, zero_point = 0, c = 3, h = 1, w = 1>} {
  ^bb0(%in: !blend.buffer):
    %a = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 2, oh = 8, ow = 8, s_c = 2, s_h = 8, s_w = 8, s_kh = 3, s_kw = 3, s_stride = 1, s_pad = 1, s_cgroups = 1, s_fold = 1, m_fold = 1, out_min = -128, out_max = 127>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<72xi8>, traced_op = "requant", skip_acc_width = 20}
    %b = blend.layer_step main(%a) skip(%a) {fields = #blend.step<main_en = 1, skip_en = 1, o = 2, oh = 4, ow = 4, m_c = 2, m_words = 1, m_h = 8, m_w = 8, m_k = 3, m_stride = 2, m_pad = 1, s_c = 2, s_h = 8, s_w = 8, s_kh = 1, s_kw = 1, s_stride = 2, s_cgroups = 1, s_fold = 1, m_fold = 1, out_min = -128, out_max = 127>, constants = #blend.constants<>, binary_weights = dense<0> : tensor<18xi64>, fixed_weights = dense<2> : tensor<8xi8>, traced_op = "requant", main_acc_width = 10, skip_acc_width = 20}
    %head = blend.layer_step skip(%b) {fields = #blend.step<skip_en = 1, stream = 1, o = 3, oh = 1, ow = 1, s_c = 2, s_h = 4, s_w = 4, s_kh = 4, s_kw = 4, s_shared = 1, s_stride = 1, s_cgroups = 1, s_fold = 1, m_fold = 1>, constants = #blend.constants<>, fixed_weights = dense<3> : tensor<12xi8>, traced_op = "matmul"}
  }
}
