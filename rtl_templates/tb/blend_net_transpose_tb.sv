// blend_net_transpose_tb.sv — self-checking test of blend_net_transpose.
//
// A memory model (one-cycle registered read, like blend_ram) holds random source tensors of
// O pixels x OW channels (int8 words and their binary words). For random shapes (O from 1 to
// TrP, OW from 1 to MaxC, block-aligned or not) one transpose step runs from start_i to done_o,
// and the test checks:
//   - the written tensor: output pixel c (at dst + c) holds source pixel p's channel c as its
//     byte p and binary bit p for p < O, and zero in every byte and bit beyond O;
//   - the writes: exactly OW of them, at dst, dst + 1, ...;
//   - the tap port: per output pixel ceil(O / (4*Lanes)) beats, beat j showing the row's bytes
//     4*Lanes*j .. 4*Lanes*j + 4*Lanes - 1;
//   - the cycles: start to done = 1 + blocks * (O + 1) + OW * ceil(O / (4*Lanes)), blocks =
//     ceil(OW / Lanes) — the cost model's transpose term without the descriptor fetch.
// Defines: WIDE (MaxC 64 in two 48-bit binary words, Lanes 2, TrP 64).
`timescale 1ns/1ps
module blend_net_transpose_tb;
`ifdef WIDE
  localparam int unsigned MaxC  = 64;
  localparam int unsigned Lanes = 2;
  localparam int unsigned TrP   = 64;
`else
  localparam int unsigned MaxC  = 24;
  localparam int unsigned Lanes = 4;
  localparam int unsigned TrP   = 20;
`endif
  localparam int unsigned Words    = (MaxC + 47) / 48;
  localparam int unsigned AddrBits = 9;
  localparam int unsigned Depth    = 1 << AddrBits;
  localparam int unsigned Steps   = 40;
  localparam int unsigned BeatB    = 4 * Lanes;

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  logic                start, re, we, done, tap_valid;
  logic [15:0]         o, ow;
  logic [31:0]         src, dst;
  logic [AddrBits-1:0] raddr, waddr;
  logic [MaxC*8-1:0]   act_rdata, act_w;
  logic [Words*48-1:0] bin_rdata, bin_w;
  logic [Lanes*32-1:0] tap_data;

  blend_net_transpose #(
    .MaxC(MaxC), .Lanes(Lanes), .TrP(TrP), .Words(Words), .AddrBits(AddrBits)
  ) dut (
    .clk_i(clk), .rst_ni(rst_n), .start_i(start), .o_i(o), .ow_i(ow), .src_i(src),
    .dst_i(dst), .re_o(re), .raddr_o(raddr), .act_rdata_i(act_rdata),
    .bin_rdata_i(bin_rdata), .we_o(we), .waddr_o(waddr), .act_o(act_w), .bin_o(bin_w),
    .done_o(done), .tap_valid_o(tap_valid), .tap_data_o(tap_data)
  );

  // The activation and binary memories (blend_ram's read timing).
  logic [MaxC*8-1:0]   act_mem [Depth];
  logic [Words*48-1:0] bin_mem [Depth];
  int writes = 0;
  int taps = 0;
  logic [Lanes*32-1:0] tap_log [4096];
  logic [AddrBits-1:0] write_addr [MaxC];
  always_ff @(posedge clk) begin
    if (re) begin
      act_rdata <= act_mem[raddr];
      bin_rdata <= bin_mem[raddr];
    end
    if (we) begin
      act_mem[waddr] <= act_w;
      bin_mem[waddr] <= bin_w;
      if (writes < int'(MaxC)) write_addr[writes] <= waddr;
      writes <= writes + 1;
    end
    if (tap_valid) begin
      tap_log[taps] <= tap_data;
      taps <= taps + 1;
    end
  end

  int checked_pixels = 0;

  initial begin
    start = 1'b0;
    o = '0;
    ow = '0;
    src = '0;
    dst = '0;
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    for (int step = 0; step < int'(Steps); step++) begin
      int n_o, n_ow, beats, blocks, t0, t1;
      logic [MaxC*8-1:0]   src_act [TrP];
      logic [Words*48-1:0] src_bin [TrP];
      // Shapes: the edges first, then random ones.
      n_o  = step == 0 ? 1 : step == 1 ? int'(TrP) : 1 + int'($urandom % TrP);
      n_ow = step == 0 ? 1 : step == 1 ? int'(MaxC) : 1 + int'($urandom % MaxC);
      src = 32'($urandom % (Depth / 2 - TrP));
      dst = 32'(Depth / 2 + $urandom % (Depth / 2 - MaxC)); // never overlaps the source
      for (int p = 0; p < n_o; p++) begin
        for (int k = 0; k < int'(MaxC * 8); k += 32) src_act[p][k +: 32] = $urandom;
        for (int k = 0; k < int'(Words * 48); k += 16) src_bin[p][k +: 16] = 16'($urandom);
        act_mem[src + p] = src_act[p];
        bin_mem[src + p] = src_bin[p];
      end
      // Stale data where the output goes: every byte beyond O must come back zero.
      for (int c = 0; c < n_ow; c++) begin
        act_mem[dst + c] = '1;
        bin_mem[dst + c] = '1;
      end
      @(negedge clk);
      o = 16'(n_o);
      ow = 16'(n_ow);
      writes = 0;
      taps = 0;
      start = 1'b1;
      t0 = $time / 10;
      @(negedge clk);
      start = 1'b0;
      while (done !== 1'b1) @(negedge clk);
      t1 = $time / 10;
      @(negedge clk);
      @(negedge clk);
      if (writes != n_ow)
        $fatal(1, "FAIL: step %0d (O %0d, OW %0d): %0d writes", step, n_o, n_ow, writes);
      beats = (n_o + int'(BeatB) - 1) / int'(BeatB);
      blocks = (n_ow + int'(Lanes) - 1) / int'(Lanes);
      if (t1 - t0 + 1 != 1 + blocks * (n_o + 1) + n_ow * beats)
        $fatal(1, "FAIL: step %0d (O %0d, OW %0d) took %0d cycles, the cost model says %0d",
               step, n_o, n_ow, t1 - t0 + 1, 1 + blocks * (n_o + 1) + n_ow * beats);
      if (taps != n_ow * beats)
        $fatal(1, "FAIL: step %0d: %0d tap beats, expected %0d", step, taps, n_ow * beats);
      for (int c = 0; c < n_ow; c++) begin
        logic [MaxC*8-1:0]   want_act;
        logic [Words*48-1:0] want_bin;
        logic [8*BeatB*64-1:0] row;
        if (int'(write_addr[c]) != int'(dst) + c)
          $fatal(1, "FAIL: step %0d: write %0d at %0d, expected %0d", step, c, write_addr[c],
                 int'(dst) + c);
        want_act = '0;
        want_bin = '0;
        row = '0;
        for (int p = 0; p < n_o; p++) begin
          want_act[p*8 +: 8] = src_act[p][c*8 +: 8];
          want_bin[p] = src_bin[p][c];
          row[p*8 +: 8] = src_act[p][c*8 +: 8];
        end
        if (act_mem[dst + c] !== want_act || bin_mem[dst + c] !== want_bin)
          $fatal(1, "FAIL: step %0d (O %0d, OW %0d): output pixel %0d is %h / %h, expected %h / %h",
                 step, n_o, n_ow, c, act_mem[dst + c], bin_mem[dst + c], want_act, want_bin);
        for (int j = 0; j < beats; j++)
          if (tap_log[c * beats + j] !== row[j*BeatB*8 +: BeatB*8])
            $fatal(1, "FAIL: step %0d: tap beat %0d of pixel %0d is %h, expected %h", step, j,
                   c, tap_log[c * beats + j], row[j*BeatB*8 +: BeatB*8]);
        checked_pixels++;
      end
    end
    $display("PASS: blend_net_transpose, %0d steps, %0d output pixels (MaxC %0d, Lanes %0d, TrP %0d) bit-exact, cycles as the cost model",
             Steps, checked_pixels, MaxC, Lanes, TrP);
    $finish;
  end
  initial begin
    #50000000;
    $fatal(1, "FAIL: timeout");
  end
endmodule
