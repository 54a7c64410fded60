// RUN: blend-opt --blend-tile -split-input-file %s | FileCheck %s
// RUN: blend-opt --blend-tile=max-pe=8 -split-input-file %s | FileCheck %s --check-prefix=CAP
// RUN: not blend-opt --blend-tile=max-pe=4 %s -split-input-file 2>&1 | FileCheck %s --check-prefix=SMALL
// RUN: not blend-opt --blend-tile=lanes=3 %s -split-input-file 2>&1 | FileCheck %s --check-prefix=LANES
// RUN: not blend-opt --blend-tile %S/blend-form-network.mlir 2>&1 | FileCheck %s --check-prefix=NONE

// A 16-channel 1x1 layer (weight row of output channel oc: four bytes oc;
// skip multiplier oc) feeding a streamed 3-channel head.

// Uncapped: Pe is the widest layer's 16 channels, 8 lanes; nothing is tiled.
// CHECK-LABEL: blend.network
// CHECK-SAME: hardware = #blend.datapath<fixed_channels = 4, lanes = 8, pe = 16>
// CHECK: %[[WIDE:.*]] = blend.layer_step skip(%{{.*}}) {{.*}}o = 16
// CHECK-NEXT: blend.layer_step skip(%[[WIDE]])

// Capped at 8: two tiles of 8 channels with their halves of the weights and
// constants; the second writes into the first's tensor from channel 8 on,
// and the head reads the finished tensor (the second tile's value).
// CAP-LABEL: blend.network
// CAP-SAME: hardware = #blend.datapath<fixed_channels = 4, lanes = 8, pe = 8, tiled = 1>
// CAP: %[[T0:.*]] = blend.layer_step skip(%[[IN:[^)]*]])
// CAP-SAME: skip_multiplier = [0, 1, 2, 3, 4, 5, 6, 7]
// CAP-SAME: o = 8
// CAP-NOT: out_offset
// CAP-SAME: fixed_weights = dense<[0, 0, 0, 0, 1, 1, 1, 1, {{.*}}, 7, 7, 7, 7]> : tensor<32xi8>
// CAP-SAME: skip_acc_width = 20 : i64
// CAP-NEXT: %[[T1:.*]] = blend.layer_step skip(%[[IN]]) into(%[[T0]])
// CAP-SAME: skip_multiplier = [8, 9, 10, 11, 12, 13, 14, 15]
// CAP-SAME: o = 8
// CAP-SAME: out_offset = 8
// CAP-SAME: fixed_weights = dense<[8, 8, 8, 8, 9, {{.*}}, 15, 15, 15, 15]> : tensor<32xi8>
// CAP-SAME: skip_acc_width = 20 : i64
// CAP-NEXT: blend.layer_step skip(%[[T1]])
// CAP-SAME: o = 3

// SMALL: error: cannot be mapped to the accelerator: a cap of 4 output channels is below the 8 an output-channel tile needs
// LANES: error: blend_net needs a power-of-two lane count, not 3
// A module with @main but no network yet: the refusal names the missing pass.
// NONE: error: no blend.network to tile (run blend-form-network first)

module {
  blend.network attributes {hardware = #blend.datapath<fixed_channels = 4>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 4, h = 2, w = 2>, output = #blend.host_output<binary = 0, scale = 1.000000e+00 : f64, zero_point = 0, c = 3, h = 1, w = 1>} {
  ^bb0(%in: !blend.buffer):
    %wide = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, o = 16, oh = 2, ow = 2, s_c = 4, s_h = 2, s_w = 2, s_kh = 1, s_kw = 1, s_stride = 1, s_cgroups = 1, out_min = -128, out_max = 127>, constants = #blend.constants<skip_multiplier = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]>, fixed_weights = dense<[0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 10, 11, 11, 11, 11, 12, 12, 12, 12, 13, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 15]> : tensor<64xi8>, traced_op = "requant", skip_acc_width = 20}
    %head = blend.layer_step skip(%wide) {fields = #blend.step<skip_en = 1, stream = 1, o = 3, oh = 1, ow = 1, s_c = 16, s_h = 2, s_w = 2, s_kh = 2, s_kw = 2, s_shared = 1, s_stride = 1, s_cgroups = 4>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<48xi8>, traced_op = "matmul"}
  }
}

// -----

// The widest layer has 3 channels: 4 lanes are enough, Pe 4.
// CHECK-LABEL: blend.network
// CHECK-SAME: hardware = #blend.datapath<fixed_channels = 2, lanes = 4, pe = 4>
// CAP-LABEL: blend.network
// CAP-SAME: hardware = #blend.datapath<fixed_channels = 2, lanes = 4, pe = 4>

module {
  blend.network attributes {hardware = #blend.datapath<fixed_channels = 2>, input = #blend.host_input<scale = 1.000000e+00 : f64, zero_point = 0, q_min = 0, q_max = 0, c = 2, h = 1, w = 1>, output = #blend.host_output<binary = 0, scale = 1.000000e+00 : f64, zero_point = 0, c = 3, h = 1, w = 1>} {
  ^bb0(%in: !blend.buffer):
    %head = blend.layer_step skip(%in) {fields = #blend.step<skip_en = 1, stream = 1, o = 3, oh = 1, ow = 1, s_c = 2, s_h = 1, s_w = 1, s_kh = 1, s_kw = 1, s_stride = 1, s_cgroups = 1>, constants = #blend.constants<>, fixed_weights = dense<1> : tensor<6xi8>, traced_op = "matmul"}
  }
}

