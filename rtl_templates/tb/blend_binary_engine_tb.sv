// blend_binary_engine_tb.sv — self-checking test of blend_binary_engine.
//
// Random output pixels of 1..6 beats (taps x words), each beat a random 48-bit activation word,
// a random channel mask (all-zero for padding taps, all-ones, or random), and random weights.
// The golden model here computes sum(2*popcount(~(a ^ w) & mask) - popcount(mask)) per output
// channel; results must arrive in order and equal it bit for bit. in_valid and out_ready are
// randomly deasserted to exercise every stall. Exits through $fatal on the first mismatch.
// With GROUPED defined: Pe 6 in 2 lane groups, each group its own word and mask per beat (a
// folded step of blend_net).
`timescale 1ns/1ps
module blend_binary_engine_tb;
`ifdef GROUPED
  localparam int unsigned Pe       = 6;
  localparam int unsigned Groups   = 2;
`else
  localparam int unsigned Pe       = 5;
  localparam int unsigned Groups   = 1;
`endif
  localparam int unsigned AccWidth = 12;
  localparam int unsigned Jobs     = 400;
  localparam int unsigned MaxBeats = Jobs * 6;

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  logic                   in_valid, in_ready, last, out_valid, out_ready;
  logic [Groups*48-1:0]   act, mask;
  logic [Pe*48-1:0]       wgt;
  logic [Pe*AccWidth-1:0] acc;

  // NETLIST: the synthesized netlist (parameters already bound) replaces the template.
`ifdef NETLIST
  blend_binary_engine dut (
`else
  blend_binary_engine #(.Pe(Pe), .AccWidth(AccWidth), .Groups(Groups)) dut (
`endif
    .clk_i(clk), .rst_ni(rst_n),
    .in_valid_i(in_valid), .in_ready_o(in_ready), .act_i(act), .mask_i(mask), .wgt_i(wgt),
    .last_i(last), .out_valid_o(out_valid), .out_ready_i(out_ready), .acc_o(acc)
  );

  // Stimulus and expected results, generated up front.
  logic [Groups*48-1:0]   beat_act  [MaxBeats];
  logic [Groups*48-1:0]   beat_mask [MaxBeats];
  logic [Pe*48-1:0]       beat_wgt  [MaxBeats];
  logic                   beat_last [MaxBeats];
  logic [Pe*AccWidth-1:0] expected  [Jobs];
  int n_beats = 0;

  initial begin
    for (int j = 0; j < Jobs; j++) begin
      int beats = 1 + $urandom % 6;
      int sums [Pe];
      for (int p = 0; p < Pe; p++) sums[p] = 0;
      for (int b = 0; b < beats; b++) begin
        logic [Groups*48-1:0] a, m;
        logic [Pe*48-1:0] w;
        for (int h = 0; h < Groups; h++) begin
          a[h*48 +: 48] = {$urandom, $urandom};
          case ($urandom % 4)
            0: m[h*48 +: 48] = '0;                          // a tap in the zero padding
            1: m[h*48 +: 48] = '1;                          // a full word
            2: m[h*48 +: 48] = (48'd1 << (1 + $urandom % 47)) - 48'd1; // first C channels
            default: m[h*48 +: 48] = {$urandom, $urandom};
          endcase
        end
        for (int p = 0; p < Pe; p++) begin
          int h = p / (Pe / Groups);
          w[p*48 +: 48] = {$urandom, $urandom};
          sums[p] += 2 * $countones(~(a[h*48 +: 48] ^ w[p*48 +: 48]) & m[h*48 +: 48])
                   - $countones(m[h*48 +: 48]);
        end
        beat_act[n_beats]  = a;
        beat_mask[n_beats] = m;
        beat_wgt[n_beats]  = w;
        beat_last[n_beats] = (b == beats - 1);
        n_beats++;
      end
      for (int p = 0; p < Pe; p++) expected[j][p*AccWidth +: AccWidth] = sums[p][AccWidth-1:0];
    end
  end

  // Driver: beats in order, with random gaps; sink: random backpressure.
  int  beat_idx = 0;
  int  out_idx = 0;
  logic gap_q = 1'b0;
  logic out_ready_q = 1'b0;
  assign in_valid  = rst_n && (beat_idx < n_beats) && !gap_q;
  assign act       = beat_act[beat_idx % MaxBeats];
  assign mask      = beat_mask[beat_idx % MaxBeats];
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
        $fatal(1, "FAIL: blend_binary_engine result %0d differs", out_idx);
      end
      out_idx <= out_idx + 1;
    end
  end

  initial begin
    repeat (3) @(posedge clk);
    rst_n = 1'b1;
    wait (out_idx == Jobs);
    $display("PASS: blend_binary_engine, %0d output pixels x %0d channels in %0d lane groups bit-exact",
             Jobs, Pe, Groups);
    $finish;
  end

  initial begin
    #(Jobs * 200 * 10);
    $fatal(1, "FAIL: timeout with %0d of %0d results", out_idx, Jobs);
  end
endmodule
