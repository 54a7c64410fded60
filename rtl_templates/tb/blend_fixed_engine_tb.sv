// blend_fixed_engine_tb.sv — self-checking test of blend_fixed_engine (INT8 packing).
//
// Random output pixels of 1..40 beats, each beat a random activation in [-255, 255] (extremes
// favoured, they stress the lane borrow) and random int8 weights in [-128, 127]. The golden
// model here is the plain sum of products per output channel; with an odd Pe the last DSP runs
// one lane. in_valid and out_ready are randomly deasserted. Exits through $fatal on a mismatch.
// With GROUPED defined: Pe 8 in 4 lane groups, each group its own activation per beat (a
// folded pass of blend_net).
`timescale 1ns/1ps
module blend_fixed_engine_tb;
`ifdef GROUPED
  localparam int unsigned Pe       = 8;
  localparam int unsigned Groups   = 4;
`else
  localparam int unsigned Pe       = 5;
  localparam int unsigned Groups   = 1;
`endif
  localparam int unsigned AccWidth = 24;
  localparam int unsigned Jobs     = 300;
  localparam int unsigned MaxBeats = Jobs * 40;

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  logic                   in_valid, in_ready, last, out_valid, out_ready;
  logic [Groups*9-1:0]    act;
  logic [Pe*8-1:0]        wgt;
  logic [Pe*AccWidth-1:0] acc;

  // NETLIST: the synthesized netlist (parameters already bound) replaces the template.
`ifdef NETLIST
  blend_fixed_engine dut (
`else
  blend_fixed_engine #(.Pe(Pe), .AccWidth(AccWidth), .Groups(Groups)) dut (
`endif
    .clk_i(clk), .rst_ni(rst_n),
    .in_valid_i(in_valid), .in_ready_o(in_ready), .act_i(act), .wgt_i(wgt), .last_i(last),
    .out_valid_o(out_valid), .out_ready_i(out_ready), .acc_o(acc)
  );

  logic [Groups*9-1:0]    beat_act  [MaxBeats];
  logic [Pe*8-1:0]        beat_wgt  [MaxBeats];
  logic                   beat_last [MaxBeats];
  logic [Pe*AccWidth-1:0] expected  [Jobs];
  int n_beats = 0;

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
      for (int p = 0; p < Pe; p++) sums[p] = 0;
      for (int b = 0; b < beats; b++) begin
        int x [Groups];
        for (int h = 0; h < Groups; h++) begin
          x[h] = pick(-255, 255);
          beat_act[n_beats][h*9 +: 9] = x[h][8:0];
        end
        for (int p = 0; p < Pe; p++) begin
          int w = pick(-128, 127);
          beat_wgt[n_beats][p*8 +: 8] = w[7:0];
          sums[p] += x[p / (Pe / Groups)] * w;
        end
        beat_last[n_beats] = (b == beats - 1);
        n_beats++;
      end
      for (int p = 0; p < Pe; p++) expected[j][p*AccWidth +: AccWidth] = sums[p][AccWidth-1:0];
    end
  end

  int  beat_idx = 0;
  int  out_idx = 0;
  logic gap_q = 1'b0;
  logic out_ready_q = 1'b0;
  assign in_valid  = rst_n && (beat_idx < n_beats) && !gap_q;
  assign act       = beat_act[beat_idx % MaxBeats];
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
    wait (out_idx == Jobs);
    $display("PASS: blend_fixed_engine, %0d output pixels x %0d channels in %0d lane groups bit-exact",
             Jobs, Pe, Groups);
    $finish;
  end

  initial begin
    #(MaxBeats * 40 * 10);
    $fatal(1, "FAIL: timeout with %0d of %0d results", out_idx, Jobs);
  end
endmodule
