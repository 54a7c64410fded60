// blend_fixed_engine_tb.sv — self-checking test of blend_fixed_engine (INT8 packing).
//
// Random output pixels of 1..40 beats, each beat a random activation in [-255, 255] (extremes
// favoured, they stress the lane borrow) and random int8 weights in [-128, 127]. The golden
// model here is the plain sum of products per output channel; with an odd Pe the last DSP runs
// one lane. in_valid and out_ready are randomly deasserted. Exits through $fatal on a mismatch.
// With GROUPED defined: Pe 8 in 4 lane groups, each group its own activation per beat (a
// folded step of blend_net).
// With PAIRS defined: Pe 6 with the pixel-pair mode built; the first half of the jobs are pixel
// pairs (four products per DSP: two activations per beat, products within [-255, 255] as the
// compiler guarantees, in three regimes up to the bound; a random half of the pairs lack the
// second pixel), then the engine drains and the second half runs in the single-pixel mode.
`timescale 1ns/1ps
module blend_fixed_engine_tb;
`ifdef GROUPED
  localparam int unsigned Pe       = 8;
  localparam int unsigned Groups   = 4;
  localparam int unsigned Pairs    = 0;
`elsif PAIRS
  localparam int unsigned Pe       = 6;
  localparam int unsigned Groups   = 1;
  localparam int unsigned Pairs    = 1;
`else
  localparam int unsigned Pe       = 5;
  localparam int unsigned Groups   = 1;
  localparam int unsigned Pairs    = 0;
`endif
  // Jobs before the mode switch (all jobs without PAIRS).
  localparam int unsigned PairJobs = Pairs ? 150 : 0;
  localparam int unsigned AccWidth = 24;
  localparam int unsigned Jobs     = 300;
  localparam int unsigned MaxBeats = Jobs * 40;

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  logic                   in_valid, in_ready, last, out_valid, out_ready;
  logic [Groups*9-1:0]    act;
  logic [8:0]             act2;
  logic                   pair, two;
  logic [Pe*8-1:0]        wgt;
  logic [Pe*AccWidth-1:0] acc;

  // NETLIST: the synthesized netlist (parameters already bound) replaces the template.
`ifdef NETLIST
  blend_fixed_engine dut (
`else
  blend_fixed_engine #(.Pe(Pe), .AccWidth(AccWidth), .Groups(Groups), .Pairs(Pairs)) dut (
`endif
    .clk_i(clk), .rst_ni(rst_n),
    .in_valid_i(in_valid), .in_ready_o(in_ready), .act_i(act), .wgt_i(wgt), .last_i(last),
    .pair_i(pair), .act2_i(act2), .two_i(two),
    .out_valid_o(out_valid), .out_ready_i(out_ready), .acc_o(acc)
  );

  logic [Groups*9-1:0]    beat_act  [MaxBeats];
  logic [Pe*8-1:0]        beat_wgt  [MaxBeats];
  logic                   beat_last [MaxBeats];
  logic [8:0]             beat_act2 [MaxBeats];
  logic                   beat_two  [MaxBeats];
  logic [Pe*AccWidth-1:0] expected  [2*Jobs];
  int n_beats = 0;
  int n_results = 0;
  int pair_beats = 0;   // beats of the pair-mode jobs
  int pair_results = 0; // their results

  /// A random value in [lo, hi], with the two extremes drawn a quarter of the time each.
  function automatic int pick(int lo, int hi);
    case ($urandom % 4)
      0: pick = lo;
      1: pick = hi;
      default: pick = lo + int'($urandom % (hi - lo + 1));
    endcase
  endfunction

  initial begin
    for (int j = 0; j < Jobs; j++) begin
      int beats = 1 + $urandom % 40;
      int sums [Pe];
      int sums2 [Pe];
      logic paired, second;
      int wmax, xmax;
      paired = (j < PairJobs);
      second = paired && ($urandom % 2 == 0);
      // Pair mode: |w| <= wmax, |x| <= xmax with wmax * xmax <= 255.
      case ($urandom % 3)
        0: begin wmax = 8;   xmax = 31; end
        1: begin wmax = 16;  xmax = 15; end
        default: begin wmax = 127; xmax = 2; end
      endcase
      for (int p = 0; p < Pe; p++) begin
        sums[p] = 0;
        sums2[p] = 0;
      end
      for (int b = 0; b < beats; b++) begin
        int x [Groups];
        int x2;
        for (int h = 0; h < Groups; h++) begin
          x[h] = paired ? pick(-xmax, xmax) : pick(-255, 255);
          beat_act[n_beats][h*9 +: 9] = x[h][8:0];
        end
        x2 = second ? pick(-xmax, xmax) : 0;
        beat_act2[n_beats] = x2[8:0];
        beat_two[n_beats] = second;
        for (int p = 0; p < Pe; p++) begin
          int w = !paired ? pick(-128, 127) : (wmax == 127) ? pick(-127, 127)
                                                             : pick(-wmax, wmax - 1);
          beat_wgt[n_beats][p*8 +: 8] = w[7:0];
          sums[p] += x[p / (Pe / Groups)] * w;
          sums2[p] += x2 * w;
        end
        beat_last[n_beats] = (b == beats - 1);
        n_beats++;
      end
      for (int p = 0; p < Pe; p++) expected[n_results][p*AccWidth +: AccWidth] = sums[p][AccWidth-1:0];
      n_results++;
      if (second) begin
        for (int p = 0; p < Pe; p++)
          expected[n_results][p*AccWidth +: AccWidth] = sums2[p][AccWidth-1:0];
        n_results++;
      end
      if (paired) begin
        pair_beats = n_beats;
        pair_results = n_results;
      end
    end
  end

  int  beat_idx = 0;
  int  out_idx = 0;
  logic gap_q = 1'b0;
  logic out_ready_q = 1'b0;
  // The mode switches once every pair-mode result has left.
  assign pair      = (Pairs != 0) && (out_idx < pair_results);
  assign in_valid  = rst_n && (beat_idx < n_beats) && !gap_q &&
                     (beat_idx < pair_beats || !pair);
  assign act       = beat_act[beat_idx % MaxBeats];
  assign act2      = beat_act2[beat_idx % MaxBeats];
  assign two       = beat_two[beat_idx % MaxBeats];
  assign wgt       = beat_wgt[beat_idx % MaxBeats];
  assign last      = beat_last[beat_idx % MaxBeats];
  assign out_ready = out_ready_q;

  always_ff @(posedge clk) begin
    gap_q       <= ($urandom % 4) == 0;
    out_ready_q <= ($urandom % 3) != 0;
    if (in_valid && in_ready) beat_idx <= beat_idx + 1;
    if (out_valid && out_ready) begin
      if (acc !== expected[out_idx]) begin
        for (int p = 0; p < Pe; p++)
          $display("job %0d channel %0d: got %0d expected %0d", out_idx, p,
                   $signed(acc[p*AccWidth +: AccWidth]),
                   $signed(expected[out_idx][p*AccWidth +: AccWidth]));
        $fatal(1, "FAIL: blend_fixed_engine result %0d differs", out_idx);
      end
      out_idx <= out_idx + 1;
    end
  end

  initial begin
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    wait (n_results > 0 && out_idx == n_results);
    $display("PASS: blend_fixed_engine, %0d output pixels x %0d channels in %0d lane groups bit-exact",
             n_results, Pe, Groups);
    if (Pairs != 0)
      $display("PASS: %0d of them from %0d pixel pairs (four products per DSP)", pair_results,
               PairJobs);
    $finish;
  end

  initial begin
    #(MaxBeats * 40 * 10);
    $fatal(1, "FAIL: timeout with %0d of %0d results", out_idx, n_results);
  end
endmodule
