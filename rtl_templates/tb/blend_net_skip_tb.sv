// blend_net_skip_tb.sv — self-checking test of blend_net_skip, blend_net's fixed-point
// controller.
//
// An activation memory model (blend_ram timing; the pair's second port and the row-split copies
// read the same words) holds a random int8 tensor. For random steps — KHxKW kernels, stride,
// padding, row offsets, input zero points, shared weights (a global pool's classifier), and per
// configuration channel-split and row-split folds or pixel pairs — the beats the controller
// hands the engine (under random engine stalls) must be those of the int8 convolution in the
// layout docs/schedule-format.md gives the weight rows:
//   per output pixel (PAIRS: per pair of raster-order pixels n, n + 1; an odd count ends alone)
//   the taps in raster order (ky, kx), per tap the channel groups b of FixCh channels;
//   channel split (s_fold = F): a beat carries groups b*F + g for logical lane groups g < F;
//   row split: a beat carries taps kx = c*F + g of kernel row ky, channels 0..FixCh-1 each;
//   hardware group h takes logical group h * F / Folds;
//   each value is q - zp (9 bits) of that pixel's channel, 0 for padding taps and groups past
//   the channels; PAIRS: the second pixel's values of group 0 on act2, two = it exists;
//   beat b of a pixel reads weight row s_wbase + b (shared weights: b counts within the tap);
//   `last` on the pixel's (pair's) final beat; nothing issued without a skip path.
// Defines: FOLDS (Folds 4 with two row-split copies); default: pixel pairs.
`timescale 1ns/1ps
module blend_net_skip_tb;
`ifdef FOLDS
  localparam int unsigned MaxC = 16, FixCh = 4, Folds = 4, FixCopies = 2, Pairs = 0;
`else
  localparam int unsigned MaxC = 8, FixCh = 2, Folds = 1, FixCopies = 0, Pairs = 1;
`endif
  localparam int unsigned CGroups  = MaxC / FixCh;
  localparam int unsigned AddrBits = 11;
  localparam int unsigned Depth    = 1 << AddrBits;
  localparam int unsigned FwBits   = 8;
  localparam int unsigned Steps   = 60;
  localparam int unsigned MaxBeats = 30000;

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  logic                        start, en, re, valid, ready, two, last;
  logic [15:0]                 oh, ow, s_h, s_w, s_kh, s_kw, s_stride, s_pad, s_cgroups;
  logic [15:0]                 s_fold, s_rowoff;
  logic                        s_shared, s_rowsplit, s_pair;
  logic [8:0]                  s_zp;
  logic [31:0]                 s_src, s_wbase;
  logic [AddrBits-1:0]         raddr, pair_raddr;
  logic [FixCopies*AddrBits:0] fcopy_raddr;
  logic [MaxC*8-1:0]           rdata, rdata2;
  logic [FixCopies*FixCh*8:0]  fcopy_rdata;
  logic [FwBits-1:0]           wrow;
  logic [Folds*FixCh*9-1:0]    act;
  logic [FixCh*9-1:0]          act2;

  blend_net_skip #(
    .MaxC(MaxC), .FixCh(FixCh), .Folds(Folds), .FixCopies(FixCopies), .Pairs(Pairs),
    .AddrBits(AddrBits), .FwBits(FwBits)
  ) dut (
    .clk_i(clk), .rst_ni(rst_n), .start_i(start), .en_i(en), .oh_i(oh), .ow_i(ow),
    .s_h_i(s_h), .s_w_i(s_w), .s_kh_i(s_kh), .s_kw_i(s_kw), .s_stride_i(s_stride),
    .s_pad_i(s_pad), .s_cgroups_i(s_cgroups), .s_fold_i(s_fold), .s_rowoff_i(s_rowoff),
    .s_shared_i(s_shared), .s_rowsplit_i(s_rowsplit), .s_pair_i(s_pair), .s_zp_i(s_zp),
    .s_src_i(s_src), .s_wbase_i(s_wbase), .re_o(re), .raddr_o(raddr),
    .pair_raddr_o(pair_raddr), .fcopy_raddr_o(fcopy_raddr), .rdata_i(rdata),
    .rdata2_i(rdata2), .fcopy_rdata_i(fcopy_rdata), .wrow_o(wrow), .valid_o(valid),
    .eng_ready_i(ready), .act_o(act), .act2_o(act2), .two_o(two), .last_o(last)
  );

  logic [MaxC*8-1:0] mem [Depth];
  logic [FwBits-1:0] row_q;
  always_ff @(posedge clk) begin
    if (re) begin
      rdata  <= mem[raddr];
      rdata2 <= mem[pair_raddr];
      for (int k = 0; k < int'(FixCopies); k++)
        fcopy_rdata[k*FixCh*8 +: FixCh*8] <= mem[fcopy_raddr[k*AddrBits +: AddrBits]][FixCh*8-1:0];
      row_q <= wrow;
    end
  end

  logic [Folds*FixCh*9-1:0] got_act [MaxBeats];
  logic [FixCh*9-1:0]       got_act2 [MaxBeats];
  logic                     got_two [MaxBeats], got_last [MaxBeats];
  logic [FwBits-1:0]        got_row [MaxBeats];
  int n_got = 0;
  always_ff @(posedge clk) begin
    if (valid && ready) begin
      got_act[n_got]  <= act;
      got_act2[n_got] <= act2;
      got_two[n_got]  <= two;
      got_last[n_got] <= last;
      got_row[n_got]  <= row_q;
      n_got <= n_got + 1;
    end
  end
  always @(negedge clk) ready = ($urandom % 4) != 0;

  logic [Folds*FixCh*9-1:0] want_act [MaxBeats];
  logic [FixCh*9-1:0]       want_act2 [MaxBeats];
  logic                     want_two [MaxBeats], want_last [MaxBeats];
  int                       want_row [MaxBeats];
  int n_want;

  // FixCh values q - zp of channel group cg of the tap (ky, kx) of output pixel n (raster
  // order); zero for a padding tap, a group past the channels, or a pixel past the end.
  function automatic logic [FixCh*9-1:0] tap_values(int n, int ky, int kx, int cg);
    logic [FixCh*9-1:0] v = '0;
    int oy = n / int'(ow), ox = n % int'(ow);
    int iy = oy * int'(s_stride) + ky - int'(s_pad) + int'(s_rowoff);
    int ix = ox * int'(s_stride) + kx - int'(s_pad);
    if (n >= int'(oh) * int'(ow) || cg >= int'(s_cgroups) || kx >= int'(s_kw)) return v;
    if (iy < 0 || iy >= int'(s_h) || ix < 0 || ix >= int'(s_w)) return v;
    for (int f = 0; f < int'(FixCh); f++) begin
      logic [7:0] q = mem[AddrBits'(int'(s_src) + iy * int'(s_w) + ix)][(cg * FixCh + f) * 8 +: 8];
      v[f*9 +: 9] = {q[7], q} - s_zp;
    end
    return v;
  endfunction

  task automatic expect_step();
    int pixels = int'(oh) * int'(ow), step = s_pair ? 2 : 1, f = int'(s_fold);
    n_want = 0;
    if (!en) return;
    for (int n = 0; n < pixels; n += step) begin
      int b = 0;
      for (int ky = 0; ky < int'(s_kh); ky++)
        for (int kx0 = 0; kx0 < int'(s_kw); kx0 += (s_rowsplit ? f : 1)) begin
          int groups = s_rowsplit ? 1 : int'(s_cgroups);
          int tb = 0; // the beat's index within the tap (shared weights)
          for (int c0 = 0; c0 < groups; c0 += (s_rowsplit ? 1 : f)) begin
            logic [Folds*FixCh*9-1:0] logical = '0;
            logic [Folds*FixCh*9-1:0] hw;
            bit last_beat;
            for (int g = 0; g < f; g++)
              logical[g*FixCh*9 +: FixCh*9] = s_rowsplit ? tap_values(n, ky, kx0 + g, 0)
                                                         : tap_values(n, ky, kx0, c0 + g);
            for (int h = 0; h < int'(Folds); h++)
              hw[h*FixCh*9 +: FixCh*9] = logical[((h * f) / int'(Folds)) * FixCh*9 +: FixCh*9];
            last_beat = (ky == int'(s_kh) - 1) && (kx0 + (s_rowsplit ? f : 1) >= int'(s_kw)) &&
                        (c0 + (s_rowsplit ? 1 : f) >= groups);
            want_act[n_want]  = hw;
            want_two[n_want]  = s_pair && (n + 1 < pixels);
            want_act2[n_want] = want_two[n_want] ? tap_values(n + 1, ky, kx0, c0) : '0;
            want_row[n_want]  = (int'(s_wbase) + (s_shared ? tb : b)) % (1 << FwBits);
            want_last[n_want] = last_beat;
            n_want++;
            b++;
            tb++;
          end
        end
    end
  endtask

  int total = 0;
  initial begin
    start = 1'b0;
    en = 1'b0;
    {oh, ow, s_h, s_w, s_kh, s_kw, s_stride, s_pad, s_cgroups, s_fold, s_rowoff} = '0;
    {s_shared, s_rowsplit, s_pair} = '0;
    s_zp = '0;
    {s_src, s_wbase} = '0;
    for (int a = 0; a < int'(Depth); a++)
      for (int k = 0; k < int'(MaxC * 8); k += 16) mem[a][k +: 16] = 16'($urandom);
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    for (int step = 0; step < int'(Steps); step++) begin
      int kh, kw, s, pad, h, w, c, mode;
      // mode 0: plain; 1: channel split / pairs; 2: row split (FOLDS) / pairs; 3: shared.
      mode = int'($urandom % 4);
      kh = 1 + int'($urandom % 3);
      kw = 1 + int'($urandom % 3);
      s = 1 + int'($urandom % 2);
      pad = int'($urandom % 2);
      if (pad >= kh || pad >= kw) pad = 0;
      h = kh + int'($urandom % 6);
      w = kw + int'($urandom % 6);
      c = 1 + int'($urandom % MaxC);
      s_kh = 16'(kh);
      s_kw = 16'(kw);
      s_stride = 16'(s);
      s_pad = 16'(pad);
      s_h = 16'(h);
      s_w = 16'(w);
      s_cgroups = 16'((c + FixCh - 1) / FixCh);
      s_zp = 9'($urandom % 256) - 9'd128;
      s_rowoff = ($urandom % 4 == 0) ? 16'($urandom % 2) : 16'd0;
      s_fold = 16'd1;
      s_rowsplit = 1'b0;
      s_pair = 1'b0;
      s_shared = mode == 3;
      if (Folds > 1 && mode == 1) s_fold = 16'(($urandom % 2) ? 2 : 4);
      if (Folds > 1 && mode == 2) begin // a row split: C <= FixCh, min(KW, F) - 1 copies
        s_fold = 16'((kw <= 2) ? 2 : 4);
        if (int'(s_fold) - 1 > int'(FixCopies)) s_fold = 16'(FixCopies + 1);
        s_rowsplit = 1'b1;
        s_cgroups = 16'd1;
      end
      if (Pairs != 0 && (mode == 1 || mode == 2)) s_pair = 1'b1;
      oh = 16'((h + 2 * pad - kh) / s + 1);
      ow = 16'((w + 2 * pad - kw) / s + 1);
      if (int'(s_rowoff) > 0 && int'(oh) > 1) oh = oh - 16'd1;
      s_src = 32'($urandom % (Depth - 64));
      s_wbase = 32'($urandom % 100);
      en = (step % 10) != 9;
      expect_step();
      @(negedge clk);
      n_got = 0;
      start = 1'b1;
      @(negedge clk);
      start = 1'b0;
      for (int t = 0; t < 40 * (n_want + 10) && n_got < n_want; t++) @(negedge clk);
      repeat (20) @(negedge clk);
      if (n_got != n_want)
        $fatal(1, "FAIL: step %0d (%0dx%0d, stride %0d, pad %0d, cgroups %0d, fold %0d, rowsplit %0d, pair %0d): %0d beats, expected %0d",
               step, kh, kw, s, pad, s_cgroups, s_fold, s_rowsplit, s_pair, n_got, n_want);
      for (int i = 0; i < n_want; i++)
        if (got_act[i] !== want_act[i] || got_two[i] !== want_two[i] ||
            (want_two[i] && got_act2[i] !== want_act2[i]) || got_last[i] !== want_last[i] ||
            int'(got_row[i]) != want_row[i])
          $fatal(1, "FAIL: step %0d (%0dx%0d, stride %0d, pad %0d, cgroups %0d, fold %0d, rowsplit %0d, pair %0d, shared %0d) beat %0d: %h %h two %0d last %0d row %0d, expected %h %h %0d %0d %0d",
                 step, kh, kw, s, pad, s_cgroups, s_fold, s_rowsplit, s_pair, s_shared, i,
                 got_act[i], got_act2[i], got_two[i], got_last[i], got_row[i], want_act[i],
                 want_act2[i], want_two[i], want_last[i], want_row[i]);
      total += n_want;
    end
    $display("PASS: blend_net_skip (MaxC %0d, FixCh %0d, Folds %0d, Pairs %0d), %0d steps, %0d beats as the int8 convolution",
             MaxC, FixCh, Folds, Pairs, Steps, total);
    $finish;
  end
endmodule
