// blend_fold_tb.sv — self-checking test of blend_fold.
//
// For F = 1, 2 and 4 (Folds = 4, Pe = 12, Width = 7) and random accumulators, output channel
// o < Pe / F must be the sum of lanes o + g * Pe / F (g < F) wrapped at Width bits; a fold of 1
// is the identity. (Lanes at and beyond Pe / F carry partial sums the post-processing never
// reads, so they are not checked.)
`timescale 1ns/1ps
module blend_fold_tb;
  localparam int unsigned Pe = 12, Width = 7, Folds = 4, Trials = 3000;
  logic [15:0]         fold;
  logic [Pe*Width-1:0] acc, out;
  blend_fold #(.Pe(Pe), .Width(Width), .Folds(Folds)) dut (
    .fold_i(fold), .acc_i(acc), .acc_o(out)
  );
  initial begin
    int checked = 0;
    for (int t = 0; t < int'(Trials); t++) begin
      int f = (t % 3 == 0) ? 1 : (t % 3 == 1) ? 2 : 4;
      fold = 16'(f);
      for (int o = 0; o < int'(Pe); o++) acc[o*Width +: Width] = Width'($urandom);
      #1;
      for (int o = 0; o < int'(Pe) / f; o++) begin
        logic [Width-1:0] want = '0;
        for (int g = 0; g < f; g++) want += acc[(o + g * int'(Pe) / f)*Width +: Width];
        if (out[o*Width +: Width] !== want)
          $fatal(1, "FAIL: fold %0d channel %0d: %0d, expected %0d", f, o,
                 out[o*Width +: Width], want);
        checked++;
      end
    end
    $display("PASS: blend_fold, %0d folded channels (F = 1, 2, 4) as the sum of their lane groups",
             checked);
    $finish;
  end
endmodule
