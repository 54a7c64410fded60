// blend_net_pool_tb.sv — self-checking test of blend_net_pool.
//
// A memory model (one-cycle registered read, like blend_ram) holds random source tensors (int8
// words and their binary words). For random shapes (edges first: a 1x1 window, one output
// pixel, the widest C, the slowest tap stage) and both modes (a binary tensor, bytes)
// one pool step runs from start_i to done_o, and the test checks against a reference computed
// here from the numeric contract (docs/semantics.md: max pooling without padding; +-1 bits, +1
// = 1, pool by OR):
//   - every output pixel's bytes (signed max of the window) and bits (OR);
//   - the writes: exactly OH*OW of them, at dst, dst + 1, ... in raster order;
//   - the tap port: per output pixel ceil(C / (4*Lanes)) beats of the pixel's bytes (bits as
//     0/1 for a binary tensor);
//   - the cycles: start to done = K + TB + 2 + (P - 1) * max(K, TB) (K = KH*KW, P = OH*OW,
//     TB the tap beats) — the cost model's pool term without the descriptor fetch.
// Defines: WIDE (MaxC 64 in two 48-bit binary words, Lanes 1: 4 tap beats per 16 channels).
`timescale 1ns/1ps
module blend_net_pool_tb;
`ifdef WIDE
  localparam int unsigned MaxC  = 64;
  localparam int unsigned Lanes = 1;
`else
  localparam int unsigned MaxC  = 24;
  localparam int unsigned Lanes = 4;
`endif
  localparam int unsigned Words    = (MaxC + 47) / 48;
  localparam int unsigned AddrBits = 10;
  localparam int unsigned Depth    = 1 << AddrBits;
  localparam int unsigned Steps    = 60;
  localparam int unsigned BeatB    = 4 * Lanes;

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  logic                start, re, we, done, tap_valid;
  logic [1:0]          mode;
  logic [15:0]         c, w, kh, kw, stride, oh, ow;
  logic [31:0]         src, dst;
  logic [AddrBits-1:0] raddr, waddr;
  logic [MaxC*8-1:0]   act_rdata, act_w;
  logic [Words*48-1:0] bin_rdata, bin_w;
  logic [Lanes*32-1:0] tap_data;

  blend_net_pool #(
    .MaxC(MaxC), .Lanes(Lanes), .Words(Words), .AddrBits(AddrBits)
  ) dut (
    .clk_i(clk), .rst_ni(rst_n), .start_i(start), .mode_i(mode), .c_i(c), .w_i(w),
    .kh_i(kh), .kw_i(kw), .stride_i(stride), .oh_i(oh), .ow_i(ow), .src_i(src), .dst_i(dst),
    .re_o(re), .raddr_o(raddr), .act_rdata_i(act_rdata), .bin_rdata_i(bin_rdata),
    .we_o(we), .waddr_o(waddr), .act_o(act_w), .bin_o(bin_w), .done_o(done),
    .tap_valid_o(tap_valid), .tap_data_o(tap_data)
  );

  logic [MaxC*8-1:0]   act_mem [Depth];
  logic [Words*48-1:0] bin_mem [Depth];
  int writes = 0;
  int taps = 0;
  logic [Lanes*32-1:0] tap_log [8192];
  logic [AddrBits-1:0] write_addr [1024];
  always_ff @(posedge clk) begin
    if (re) begin
      act_rdata <= act_mem[raddr];
      bin_rdata <= bin_mem[raddr];
    end
    if (we) begin
      act_mem[waddr] <= act_w;
      bin_mem[waddr] <= bin_w;
      if (writes < 1024) write_addr[writes] <= waddr;
      writes <= writes + 1;
    end
    if (tap_valid) begin
      if (taps < 8192) tap_log[taps] <= tap_data;
      taps <= taps + 1;
    end
  end

  int checked_pixels = 0;

  initial begin
    start = 1'b0;
    {mode, c, w, kh, kw, stride, oh, ow, src, dst} = '0;
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    for (int step = 0; step < int'(Steps); step++) begin
      int n_c, n_h, n_w, n_kh, n_kw, n_s, n_oh, n_ow, n_mode, beats, k, p, t0, t1, want_cycles;
      // Shapes: the edges first, then random ones.
      n_mode = 1 + step % 2;
      n_c    = step < 3 ? int'(MaxC) : step < 6 ? 1 : 1 + int'($urandom % MaxC);
      n_kh   = step < 3 ? 2 : step < 6 ? 1 : 1 + int'($urandom % 3);
      n_kw   = step < 3 ? 2 : step < 6 ? 1 : 1 + int'($urandom % 3);
      n_s    = step < 3 ? 2 : step < 6 ? 1 : step < 9 ? 15 : 1 + int'($urandom % 3);
      n_h    = step < 6 ? 8 : n_kh + int'($urandom % 10);
      n_w    = step < 6 ? 6 : n_kw + int'($urandom % 10);
      if (step >= 6 && step < 9) begin // stride 15: one window per row, two rows
        n_h = n_kh + 15;
        n_w = n_kw + 2;
      end
      n_oh   = (n_h - n_kh) / n_s + 1;
      n_ow   = (n_w - n_kw) / n_s + 1;
      src = 32'($urandom % (Depth / 2 - 200));
      dst = 32'(Depth / 2 + $urandom % (Depth / 2 - 200)); // never overlaps the source
      for (int i = 0; i < n_h * n_w; i++) begin
        logic [MaxC*8-1:0] a;
        for (int b = 0; b < int'(MaxC * 8); b += 32) a[b +: 32] = $urandom;
        // Extremes: -128, 127, -1 bytes.
        if (i % 5 == 0) a[7:0] = 8'h80;
        if (i % 7 == 0) a[15:8] = 8'h7f;
        if (i % 3 == 0) a[23:16] = 8'hff;
        act_mem[src + i] = a;
        for (int b = 0; b < int'(Words * 48); b += 16) bin_mem[src + i][b +: 16] = 16'($urandom);
        // Sparse ones, so that the OR of a window is not all ones.
        bin_mem[src + i] = bin_mem[src + i] & ({(Words*3){16'($urandom)}}) &
                           ({(Words*3){16'($urandom)}});
      end
      @(negedge clk);
      mode = 2'(n_mode);
      c = 16'(n_c);
      w = 16'(n_w);
      kh = 16'(n_kh);
      kw = 16'(n_kw);
      stride = 16'(n_s);
      oh = 16'(n_oh);
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
      k = n_kh * n_kw;
      p = n_oh * n_ow;
      beats = (n_c + int'(BeatB) - 1) / int'(BeatB);
      want_cycles = k + beats + 2 + (p - 1) * (k > beats ? k : beats);
      if (writes != p)
        $fatal(1, "FAIL: step %0d: %0d writes, expected %0d", step, writes, p);
      if (t1 - t0 + 1 != want_cycles)
        $fatal(1, "FAIL: step %0d (C %0d, %0dx%0d/%0d, %0dx%0d out) took %0d cycles, the cost model says %0d",
               step, n_c, n_kh, n_kw, n_s, n_oh, n_ow, t1 - t0 + 1, want_cycles);
      if (taps != p * beats)
        $fatal(1, "FAIL: step %0d: %0d tap beats, expected %0d", step, taps, p * beats);
      for (int oy = 0; oy < n_oh; oy++)
        for (int ox = 0; ox < n_ow; ox++) begin
          logic [MaxC*8-1:0]   want_act;
          logic [Words*48-1:0] want_bin;
          logic [8*BeatB*64-1:0] row;
          int o;
          o = oy * n_ow + ox;
          want_bin = '0;
          for (int ch = 0; ch < int'(MaxC); ch++) begin
            logic [7:0] m;
            m = act_mem[src + oy * n_s * n_w + ox * n_s][ch*8 +: 8];
            for (int ky = 0; ky < n_kh; ky++)
              for (int kx = 0; kx < n_kw; kx++) begin
                logic [7:0] v;
                v = act_mem[src + (oy * n_s + ky) * n_w + ox * n_s + kx][ch*8 +: 8];
                if ($signed(v) > $signed(m)) m = v;
              end
            want_act[ch*8 +: 8] = m;
          end
          for (int ky = 0; ky < n_kh; ky++)
            for (int kx = 0; kx < n_kw; kx++)
              want_bin = want_bin | bin_mem[src + (oy * n_s + ky) * n_w + ox * n_s + kx];
          row = '0;
          for (int ch = 0; ch < int'(MaxC); ch++)
            row[ch*8 +: 8] = n_mode == 1 ? {7'd0, want_bin[ch]} : want_act[ch*8 +: 8];
          if (int'(write_addr[o]) != int'(dst) + o)
            $fatal(1, "FAIL: step %0d: write %0d at %0d, expected %0d", step, o, write_addr[o],
                   int'(dst) + o);
          if (act_mem[dst + o] !== want_act || bin_mem[dst + o] !== want_bin)
            $fatal(1, "FAIL: step %0d (mode %0d, C %0d, %0dx%0d/%0d): output pixel (%0d, %0d) is %h / %h, expected %h / %h",
                   step, n_mode, n_c, n_kh, n_kw, n_s, oy, ox, act_mem[dst + o], bin_mem[dst + o],
                   want_act, want_bin);
          for (int j = 0; j < beats; j++)
            if (tap_log[o * beats + j] !== row[j*BeatB*8 +: BeatB*8])
              $fatal(1, "FAIL: step %0d: tap beat %0d of pixel %0d is %h, expected %h", step, j,
                     o, tap_log[o * beats + j], row[j*BeatB*8 +: BeatB*8]);
          checked_pixels++;
        end
    end
    $display("PASS: blend_net_pool, %0d steps, %0d output pixels (MaxC %0d, Lanes %0d) bit-exact, cycles as the cost model",
             Steps, checked_pixels, MaxC, Lanes);
    $finish;
  end
  initial begin
    #50000000;
    $fatal(1, "FAIL: timeout");
  end
endmodule
