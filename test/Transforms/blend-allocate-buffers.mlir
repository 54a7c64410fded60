// RUN: blend-opt --blend-allocate-buffers -split-input-file %s | FileCheck %s
// RUN: blend-opt --blend-allocate-buffers=desc-banks=1 -split-input-file %s | FileCheck %s --check-prefix=ONE
// RUN: not blend-opt --blend-allocate-buffers=desc-banks=4 -split-input-file %s 2>&1 | FileCheck %s --check-prefix=BANKS

// The passes of test/Codegen/export-network.mlir after blend-tile and
// blend-pack-dsp (4 x 4 input of 2 channels, 16 pixels):
//   stem  writes 16 pixels; reads the input
//   bin   writes 4;  reads stem (main)
//   join  writes 4;  reads bin (main) and stem (skip)
//   head  streamed;  reads join
// Liveness-aware first fit, by hand: the input takes [0, 16) until pass 0;
// the stem [16, 32) (the input is still live while pass 0 reads it); bin
// reuses [0, 4) (the input is dead after pass 0); the join finds bin at
// [0, 4) and the stem at [16, 32) both live (the skip tensor stays alive
// across the main path) and takes [4, 8). Depth 32.
// Weight rows in execution order: binary 3 + 3 (packed kernel rows), fixed
// 9 (stem) + 1 (join) + 1 (head); constants 4 entries per pass (Lanes 4);
// the descriptor RAM in 8 banks (the default).

// CHECK-LABEL: blend.network
// CHECK-SAME: hardware = #blend.datapath<acc_binary = 9, acc_fixed = 24, binary_weight_depth = 6, byte_channels = 4, constant_depth = 16, depth = 32, desc_banks = 8, fixed_channels = 4, fixed_weight_depth = 11, lanes = 4, max_channels = 4, max_steps = 4, pe = 4>
// desc-banks=1: one descriptor bank, the schedule's default, left out.
// ONE: hardware = #blend.datapath<acc_binary = 9, acc_fixed = 24, binary_weight_depth = 6, byte_channels = 4, constant_depth = 16, depth = 32, fixed_channels = 4,
// BANKS: error: the descriptor RAM has 1 or 8 banks, not 4

// Zero fields are left out: the stem's source, weight and constant bases,
// bin's dst and the input's base are 0.
// CHECK: blend.layer_step skip(%{{.*}}) {{.*}}fields = #blend.step<dst = 16, m_fold = 1, o = 3, oh = 4, ow = 4, s_c = 2, s_cgroups = 1, s_fold = 1, s_h = 4, s_kh = 3, s_kw = 3, s_pad = 1, s_stride = 1, s_w = 4, skip_en = 1>
// CHECK-NEXT: blend.layer_step main({{.*}}) {{.*}}fields = #blend.step<cbase = 4, m_c = 3, {{.*}}m_src = 16,
// CHECK-NEXT: blend.layer_step main({{.*}}) skip({{.*}}) {{.*}}fields = #blend.step<cbase = 8, dst = 4, {{.*}}m_stride = 1, m_w = 2, m_wbase = 3, {{.*}}s_src = 16, s_stride = 2, s_w = 4, s_wbase = 9,
// CHECK-NEXT: blend.layer_step skip({{.*}}) {{.*}}fields = #blend.step<cbase = 12, m_fold = 1, m_wbase = 6, {{.*}}s_src = 4, {{.*}}s_wbase = 10,

module {
  blend.network attributes {hardware = #blend.datapath<fixed_channels = 4, lanes = 4, pe = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 2, h = 4, w = 4>, output = #blend.host_output<binary = 0, scale = 1.000000e+00 : f64, zero_point = 0, c = 3, h = 1, w = 1>} {
  ^bb0(%in: !blend.buffer):
    %stem = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 3, oh = 4, ow = 4, s_c = 2, s_h = 4, s_w = 4, s_kh = 3, s_kw = 3, s_stride = 1, s_pad = 1, s_cgroups = 1, m_fold = 1, s_fold = 1>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<108xi8>, traced_op = "requant", skip_acc_width = 24}
    %bin = blend.layer_step main(%stem) {fields = #blend.step<main_en = 1, out_binary = 1, o = 4, oh = 2, ow = 2, m_c = 3, m_words = 1, m_h = 4, m_w = 4, m_k = 3, m_stride = 2, m_pad = 1, m_pack = 16, m_fold = 1, s_fold = 1>, constants = #blend.constants<>, binary_weights = dense<7> : tensor<12xi64>, traced_op = "threshold", main_acc_width = 8}
    %join = blend.layer_step main(%bin) skip(%stem) {fields = #blend.step<main_en = 1, skip_en = 1, o = 4, oh = 2, ow = 2, m_c = 4, m_words = 1, m_h = 2, m_w = 2, m_k = 3, m_stride = 1, m_pad = 1, m_pack = 16, s_c = 3, s_h = 4, s_w = 4, s_kh = 1, s_kw = 1, s_stride = 2, s_cgroups = 1, m_fold = 1, s_fold = 1>, constants = #blend.constants<>, binary_weights = dense<0> : tensor<12xi64>, fixed_weights = dense<-2> : tensor<16xi8>, traced_op = "requant", main_acc_width = 8, skip_acc_width = 20}
    %head = blend.layer_step skip(%join) {fields = #blend.step<skip_en = 1, stream = 1, o = 3, oh = 1, ow = 1, s_c = 4, s_h = 2, s_w = 2, s_kh = 2, s_kw = 2, s_stride = 1, s_shared = 1, s_cgroups = 1, m_fold = 1, s_fold = 1>, constants = #blend.constants<>, fixed_weights = dense<3> : tensor<12xi8>, traced_op = "matmul", skip_acc_width = 24}
  }
}

// -----

// Output-channel tiles write one tensor: the second tile (into the first)
// gets the first's address, and the reader of the finished tensor reads it
// there. The 16-channel tensor needs 16-channel memory words although no
// pass computes more than Pe = 8 at once. The input (1 pixel, address 0) is
// live until the second tile has read it, so the tiles' tensor takes
// address 1; the reader's output reuses 0 (dst 0, left out).

// CHECK-LABEL: blend.network
// CHECK-SAME: depth = 2
// CHECK-SAME: max_channels = 16
// CHECK: %[[T0:.*]] = blend.layer_step skip(%{{.*}}) {{.*}}fields = #blend.step<dst = 1,
// CHECK-NEXT: %[[T1:.*]] = blend.layer_step skip(%{{.*}}) into(%[[T0]]) {{.*}}fields = #blend.step<cbase = 8, dst = 1,
// CHECK-NEXT: blend.layer_step skip(%[[T1]]) {{.*}}fields = #blend.step<cbase = 16, o = 8, {{.*}}s_src = 1,

module {
  blend.network attributes {hardware = #blend.datapath<fixed_channels = 4, lanes = 8, pe = 8, tiled = 1>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 4, h = 1, w = 1>, output = #blend.host_output<binary = 0, scale = 1.000000e+00 : f64, zero_point = 0, c = 8, h = 1, w = 1>} {
  ^bb0(%in: !blend.buffer):
    %t0 = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 8, oh = 1, ow = 1, s_c = 4, s_h = 1, s_w = 1, s_kh = 1, s_kw = 1, s_stride = 1, s_cgroups = 1>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<32xi8>, traced_op = "requant"}
    %t1 = blend.layer_step skip(%in) into(%t0) {fields = #blend.step<skip_en = 1, o = 8, oh = 1, ow = 1, s_c = 4, s_h = 1, s_w = 1, s_kh = 1, s_kw = 1, s_stride = 1, s_cgroups = 1, out_offset = 8>, constants = #blend.constants<>, fixed_weights = dense<2> : tensor<32xi8>, traced_op = "requant"}
    %r = blend.layer_step skip(%t1) {fields = #blend.step<skip_en = 1, o = 8, oh = 1, ow = 1, s_c = 16, s_h = 1, s_w = 1, s_kh = 1, s_kw = 1, s_stride = 1, s_cgroups = 4>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<128xi8>, traced_op = "requant"}
  }
}

// -----

// Only what a skip path reads is stored as bytes: the 16-channel binary
// tensors are read by binary paths alone, the 4-channel input by the stem's
// skip path, so the words hold 16 channels (binary memory) but the activation
// memory stores 4 bytes of each (ByteC).

// CHECK-LABEL: blend.network
// CHECK-SAME: byte_channels = 4
// CHECK-SAME: max_channels = 16

module {
  blend.network attributes {hardware = #blend.datapath<fixed_channels = 4, lanes = 8, pe = 16>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 4, h = 4, w = 4>, output = #blend.host_output<binary = 0, scale = 1.000000e+00 : f64, zero_point = 0, c = 3, h = 1, w = 1>} {
  ^bb0(%in: !blend.buffer):
    %stem = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, out_binary = 1, o = 16, oh = 4, ow = 4, s_c = 4, s_h = 4, s_w = 4, s_kh = 3, s_kw = 3, s_stride = 1, s_pad = 1, s_cgroups = 1, m_fold = 1, s_fold = 1>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<576xi8>, traced_op = "threshold", skip_acc_width = 24}
    %bin = blend.layer_step main(%stem) {fields = #blend.step<main_en = 1, out_binary = 1, o = 16, oh = 4, ow = 4, m_c = 16, m_words = 1, m_h = 4, m_w = 4, m_k = 3, m_stride = 1, m_pad = 1, m_pack = 16, m_fold = 1, s_fold = 1>, constants = #blend.constants<>, binary_weights = dense<7> : tensor<48xi64>, traced_op = "threshold", main_acc_width = 8}
    %head = blend.layer_step main(%bin) {fields = #blend.step<main_en = 1, stream = 1, o = 3, oh = 1, ow = 1, m_c = 16, m_words = 1, m_h = 4, m_w = 4, m_k = 4, m_stride = 1, m_fold = 1, s_fold = 1>, constants = #blend.constants<>, binary_weights = dense<1> : tensor<48xi64>, traced_op = "matmul", main_acc_width = 12}
  }
}
