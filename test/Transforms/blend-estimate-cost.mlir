// RUN: blend-opt --blend-lower-to-network --blend-estimate-cost %s | FileCheck %s
// RUN: blend-opt --blend-lower-to-network --blend-estimate-cost=lut-xnor=true %s | FileCheck %s --check-prefix=LUT
// RUN: blend-opt --blend-lower-to-network=desc-banks=1 --blend-estimate-cost %s | FileCheck %s --check-prefix=ONEBANK
// RUN: blend-opt --blend-lower-to-network=pair-pixels=false --blend-estimate-cost %s | FileCheck %s --check-prefix=SINGLE
// RUN: not blend-opt --blend-form-network --blend-estimate-cost %s 2>&1 | FileCheck %s --check-prefix=EARLY

// The cost model on test/Codegen/export-network.mlir's network (Pe 4,
// Lanes 4, FixCh 4; nothing folds: every pass has O > Pe / 2). Per pass,
// by hand: 6 cycles of descriptor fetch (eight fields per cycle) + the first pixel's beats + (P - 1)
// x the slowest per-pixel rate + post-processing of the last pixel
// (ceil(O / Lanes) = 1) + 10 of drain:
//   stem  16 pixels, fixed 3x3 over one channel group: 9 beats per pixel.
//         Its weights are all 1 and its input si8, so every product fits
//         9 bits: pixel pairs (SINGLE below: without them). 8 pairs of
//         9 beats, post-processing 1 cycle per pixel (R = 1):
//         6 + 9 + 7 x max(9, 2R) + R (the last pair's second pixel) + 1 + 10
//         = 90, fixed-bound
//   bin   4 pixels, binary 3x3 in 3 packed kernel rows: 3 beats
//         -> 6 + 3 + 3 x 3 + 1 + 10 = 29, binary-bound
//   join  4 pixels, binary 3 beats, fixed 1x1 1 beat -> 29, binary-bound
//   head  1 pixel, a 2x2 shared-weight convolution: 4 beats
//         -> 6 + 4 + 1 + 10 = 21, fixed-bound
// One image: 16 load cycles (a pixel per beat) + 169 = 185.
// The engines' DSP48E2: 4 XNOR lanes + 4 lanes x 4 channels / 2 products
// per DSP = 12; with LUT XNORs 8. Per unit ([DSP, RAMB18, LUT, FF]): the
// binary engine 4, the fixed-point engine 8, post-processing 4 lanes x
// (2 + 4 + 4) DSP48E2 for its three requant multipliers (9 x 32, 24 x 32 and
// 32 x 32 bits; yosys maps a 24 x 32 product to 4 blocks of 27 x 18, as it
// does 21 x 32 and 29 x 32, and 11 x 32 to 2 — blend_requant synthesized
// alone) = 40, control 12 (address
// products) + 1 (a wrapped pixel pair's tap distance).

// CHECK: blend.network attributes {blend.cycles = 185 : i64, blend.load_cycles = 16 : i64, blend.resources = {dsp = {{[0-9]+}} : i64, dsp_control = {{[0-9]+}} : i64, dsp_engines = 12 : i64,
// CHECK-SAME: blend.unit_resources = {"activation memories" = array<i64: 0, {{.*}}>, "binary engine" = array<i64: 4, {{.*}}>, control = array<i64: 13, {{.*}}>, "fixed-point engine" = array<i64: 8, {{.*}}>, "post-processing" = array<i64: 40,
// CHECK: blend.layer_step skip(%{{[^)]*}}) {blend.bound = "fixed", blend.cycles = 90 : i64,
// CHECK-NEXT: blend.layer_step main(%{{[^)]*}}) {binary_weights = {{.*}}, blend.bound = "binary", blend.cycles = 29 : i64,
// CHECK-NEXT: blend.layer_step main(%{{[^)]*}}) skip(%{{[^)]*}}) {binary_weights = {{.*}}, blend.bound = "binary", blend.cycles = 29 : i64,
// CHECK-NEXT: blend.layer_step skip(%{{[^)]*}}) {blend.bound = "fixed", blend.cycles = 21 : i64,

// LUT: blend.cycles = 185 : i64, {{.*}}dsp_engines = 8 : i64

// One descriptor bank: a field per cycle, 43 cycles of fetch per pass in a
// pair-capable core (its 43rd field is s_pair; 37 more each): 127, 66, 66,
// 58; 16 + 317 = 333.
// ONEBANK: blend.network attributes {blend.cycles = 333 : i64
// ONEBANK: blend.cycles = 127 : i64
// ONEBANK: blend.cycles = 66 : i64
// ONEBANK: blend.cycles = 66 : i64
// ONEBANK: blend.cycles = 58 : i64

// Without pixel pairs: the stem takes 6 + 9 + 15 x 9 + 1 + 10 = 161;
// 16 + 161 + 29 + 29 + 21 = 256, and no pair hardware (control 12 DSP).
// SINGLE: blend.network attributes {blend.cycles = 256 : i64
// SINGLE-SAME: control = array<i64: 12,
// SINGLE: blend.layer_step skip(%{{[^)]*}}) {blend.bound = "fixed", blend.cycles = 161 : i64,

// EARLY: error: the network's memories are not allocated yet (run blend-allocate-buffers first)

module attributes {blend.source = "test"} {
  func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x3xf32> {
    %w0 = blend.constant dense<1> : tensor<3x2x3x3xi8> -> tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>
    %w1 = blend.constant dense<true> : tensor<4x3x3x3xi1> -> tensor<4x3x3x3x!blend.binary>
    %w2 = blend.constant dense<false> : tensor<4x4x3x3xi1> -> tensor<4x4x3x3x!blend.binary>
    %w3 = blend.constant dense<-2> : tensor<4x3x1x1xi8> -> tensor<4x3x1x1x!blend.fixed<si8, 5.000000e-01>>
    %w4 = blend.constant dense<3> : tensor<4x3xi8> -> tensor<4x3x!blend.fixed<si8, 1.250000e-01>>
    %b4 = blend.constant dense<[5, -7, 0]> : tensor<3xi8> -> tensor<3x!blend.fixed<si8, 1.953125e-03>>
    %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
    %a0 = blend.conv2d %q, %w0 strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>, tensor<3x2x3x3x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>> loc("stem_conv")
    %x1 = blend.requant %a0 multiplier [77] shift [9] bias [100] rounding half_even : tensor<1x3x4x4x!blend.fixed<si24, 1.250000e-01>> -> tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>> loc("stem")
    %b1 = blend.binarize %x1 : tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x3x4x4x!blend.binary>
    %a1 = blend.conv2d %b1, %w1 strides [2, 2] pads [1, 1, 1, 1] : (tensor<1x3x4x4x!blend.binary>, tensor<4x3x3x3x!blend.binary>) -> tensor<1x4x2x2xsi8>
    %t1 = blend.threshold %a1 thresholds [2, -1, 2, 2] flip [false, true, false, false] : tensor<1x4x2x2xsi8> -> tensor<1x4x2x2x!blend.binary> loc("bin1")
    %a2 = blend.conv2d %t1, %w2 strides [1, 1] pads [1, 1, 1, 1] : (tensor<1x4x2x2x!blend.binary>, tensor<4x4x3x3x!blend.binary>) -> tensor<1x4x2x2xsi8>
    %p2 = blend.requant %a2 multiplier [3] shift [1] bias [0] rounding half_up : tensor<1x4x2x2xsi8> -> tensor<1x4x2x2x!blend.fixed<si24, 3.125000e-02>>
    %a3 = blend.conv2d %x1, %w3 strides [2, 2] pads [0, 0, 0, 0] : (tensor<1x3x4x4x!blend.fixed<si8, 6.250000e-02>>, tensor<4x3x1x1x!blend.fixed<si8, 5.000000e-01>>) -> tensor<1x4x2x2x!blend.fixed<si20, 3.125000e-02>>
    %p3 = blend.requant %a3 multiplier [1] shift [0] bias [0] rounding half_up : tensor<1x4x2x2x!blend.fixed<si20, 3.125000e-02>> -> tensor<1x4x2x2x!blend.fixed<si24, 3.125000e-02>>
    %s = blend.add %p2, %p3 : tensor<1x4x2x2x!blend.fixed<si24, 3.125000e-02>>, tensor<1x4x2x2x!blend.fixed<si24, 3.125000e-02>> -> tensor<1x4x2x2x!blend.fixed<si25, 3.125000e-02>>
    %x2 = blend.requant %s multiplier [1] shift [1] bias [0] rounding half_up : tensor<1x4x2x2x!blend.fixed<si25, 3.125000e-02>> -> tensor<1x4x2x2x!blend.fixed<si8, 6.250000e-02>> loc("join")
    %sp = blend.sum_pool2d %x2 kernel [2, 2] strides [1, 1] : tensor<1x4x2x2x!blend.fixed<si8, 6.250000e-02>> -> tensor<1x4x1x1x!blend.fixed<si11, 1.562500e-02>>
    %r = blend.reshape %sp : tensor<1x4x1x1x!blend.fixed<si11, 1.562500e-02>> -> tensor<1x4x!blend.fixed<si11, 1.562500e-02>>
    %y = blend.matmul %r, %w4, %b4 : (tensor<1x4x!blend.fixed<si11, 1.562500e-02>>, tensor<4x3x!blend.fixed<si8, 1.250000e-01>>, tensor<3x!blend.fixed<si8, 1.953125e-03>>) -> tensor<1x3x!blend.fixed<si24, 1.953125e-03>> loc("head")
    %out = blend.dequantize %y : tensor<1x3x!blend.fixed<si24, 1.953125e-03>> -> tensor<1x3xf32>
    return %out : tensor<1x3xf32>
  }
}
