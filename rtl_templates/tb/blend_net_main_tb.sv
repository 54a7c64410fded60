// blend_net_main_tb.sv — self-checking test of blend_net_main, blend_net's binary-path controller.
//
// A binary memory model (blend_ram timing; the packed-row and lane-group-1 copies read the same
// words) holds a random input tensor. For random steps — K in {1, 3, 5}, stride 1-2, any
// padding, C up to the word width, row offsets (stripes), one word per tap or packed 3x3 rows
// (m_pack 16 / 32 bits), folded over two lane groups or not — the beats the controller hands
// the engine (under random engine stalls) must be exactly those of the binary convolution, in
// the layout docs/schedule-format.md gives the weight rows:
//   taps in raster order (ky, kx) — packed: kernel rows ky, the three taps' slots of m_pack bits
//   back to back (channel c of tap kx at bit m_pack*kx + c) — each split into 48-bit words;
//   beat b of an output pixel reads weight row m_wbase + b; folded (m_fold = 2), a beat carries
//   two consecutive taps (kernel rows), lane group g the (2j + g)-th, group 1 masked off past the
//   last; an unfolded step gives both hardware groups group 0's word;
//   each word's mask is the channels below C of the valid taps (padding taps: 0), its bits
//   (under the mask) the input pixel's; `last` on the pixel's final beat; output pixels in
//   raster order; nothing issued for a step without a main path.
// Defines: WIDE (two 48-bit words per pixel, 32-bit packed slots, two lane groups).
`timescale 1ns/1ps
module blend_net_main_tb;
`ifdef WIDE
  localparam int unsigned Words = 2, PackBits = 32, MFolds = 2;
`else
  localparam int unsigned Words = 1, PackBits = 16, MFolds = 1;
`endif
  localparam int unsigned AddrBits  = 11;
  localparam int unsigned Depth     = 1 << AddrBits;
  localparam int unsigned BwBits    = 8;
  localparam int unsigned PackBits1 = (PackBits > 32) ? 32 : PackBits;
  localparam int unsigned Steps    = 60;
  localparam int unsigned MaxBeats  = 20000;

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  logic                      start, en, re, valid, ready, last;
  logic [15:0]               oh, ow, m_c, m_words, m_h, m_w, m_k, m_stride, m_pad, m_pack;
  logic [15:0]               m_fold, m_rowoff;
  logic [31:0]               m_src, m_wbase;
  logic [AddrBits-1:0]       raddr, raddr1, raddr2;
  logic [Words*48-1:0]       rdata;
  logic [PackBits-1:0]       rdata1, rdata2;
  logic [3*AddrBits-1:0]     g1_raddr;
  logic [48+2*PackBits1-1:0] g1_rdata;
  logic [BwBits-1:0]         wrow;
  logic [MFolds*48-1:0]      act, mask;

  blend_net_main #(
    .Words(Words), .PackBits(PackBits), .MFolds(MFolds), .AddrBits(AddrBits), .BwBits(BwBits)
  ) dut (
    .clk_i(clk), .rst_ni(rst_n), .start_i(start), .en_i(en), .oh_i(oh), .ow_i(ow),
    .m_c_i(m_c), .m_words_i(m_words), .m_h_i(m_h), .m_w_i(m_w), .m_k_i(m_k),
    .m_stride_i(m_stride), .m_pad_i(m_pad), .m_pack_i(m_pack), .m_fold_i(m_fold),
    .m_rowoff_i(m_rowoff), .m_src_i(m_src), .m_wbase_i(m_wbase), .re_o(re), .raddr_o(raddr),
    .raddr1_o(raddr1), .raddr2_o(raddr2), .rdata_i(rdata), .rdata1_i(rdata1),
    .rdata2_i(rdata2), .g1_raddr_o(g1_raddr), .g1_rdata_i(g1_rdata), .wrow_o(wrow),
    .valid_o(valid), .eng_ready_i(ready), .act_o(act), .mask_o(mask), .last_o(last)
  );

  // The binary memory and its copies (read-first, data the cycle after re).
  logic [Words*48-1:0] mem [Depth];
  logic [BwBits-1:0]   row_q; // the weight row read with the beat
  always_ff @(posedge clk) begin
    if (re) begin
      rdata  <= mem[raddr];
      rdata1 <= mem[raddr1][PackBits-1:0];
      rdata2 <= mem[raddr2][PackBits-1:0];
      g1_rdata <= {mem[g1_raddr[2*AddrBits +: AddrBits]][PackBits1-1:0],
                   mem[g1_raddr[AddrBits +: AddrBits]][PackBits1-1:0],
                   mem[g1_raddr[0 +: AddrBits]][47:0]};
      row_q <= wrow;
    end
  end

  // The beats the engine takes (random stalls).
  logic [MFolds*48-1:0] got_act [MaxBeats], got_mask [MaxBeats];
  logic                 got_last [MaxBeats];
  logic [BwBits-1:0]    got_row [MaxBeats];
  int n_got = 0;
  always_ff @(posedge clk) begin
    if (valid && ready) begin
      got_act[n_got] <= act;
      got_mask[n_got] <= mask;
      got_last[n_got] <= last;
      got_row[n_got] <= row_q;
      n_got <= n_got + 1;
    end
  end
  always @(negedge clk) ready = ($urandom % 4) != 0;

  // The expected beats of one step.
  logic [MFolds*48-1:0] want_act [MaxBeats], want_mask [MaxBeats];
  logic                 want_last [MaxBeats];
  int                   want_row [MaxBeats];
  int n_want;

  // The 48-bit word `wi` of tap t (unpacked: (ky, kx) = (t / K, t % K); packed: kernel row t)
  // of output pixel (oy, ox), and its mask; a tap past the end gives mask 0.
  task automatic tap_word(input int t, input int wi, input int oy, input int ox,
                          output logic [47:0] w, output logic [47:0] m);
    logic [191:0] row_bits, row_mask;
    int k = int'(m_k), taps = (m_pack != 0) ? int'(m_k) : int'(m_k) * int'(m_k);
    w = '0;
    m = '0;
    if (t >= taps) return;
    if (m_pack == 0) begin
      int ky = t / k, kx = t % k;
      int iy = oy * int'(m_stride) + ky - int'(m_pad) + int'(m_rowoff);
      int ix = ox * int'(m_stride) + kx - int'(m_pad);
      if (iy >= 0 && iy < int'(m_h) && ix >= 0 && ix < int'(m_w)) begin
        logic [Words*48-1:0] px = mem[AddrBits'(int'(m_src) + iy * int'(m_w) + ix)];
        w = px[wi*48 +: 48];
        for (int b = 0; b < 48; b++) m[b] = (wi * 48 + b) < int'(m_c);
      end
    end else begin
      row_bits = '0;
      row_mask = '0;
      for (int kx = 0; kx < 3; kx++) begin
        int iy = oy * int'(m_stride) + t - int'(m_pad) + int'(m_rowoff);
        int ix = ox * int'(m_stride) + kx - int'(m_pad);
        if (iy >= 0 && iy < int'(m_h) && ix >= 0 && ix < int'(m_w)) begin
          logic [Words*48-1:0] px = mem[AddrBits'(int'(m_src) + iy * int'(m_w) + ix)];
          for (int c = 0; c < int'(m_c); c++) begin
            row_bits[int'(m_pack) * kx + c] = px[c];
            row_mask[int'(m_pack) * kx + c] = 1'b1;
          end
        end
      end
      w = row_bits[wi*48 +: 48];
      m = row_mask[wi*48 +: 48];
    end
  endtask

  task automatic expect_step();
    int taps = (m_pack != 0) ? int'(m_k) : int'(m_k) * int'(m_k);
    int per = (m_fold >= 2) ? 2 : 1;
    n_want = 0;
    if (!en) return;
    for (int oy = 0; oy < int'(oh); oy++)
      for (int ox = 0; ox < int'(ow); ox++) begin
        int b = 0;
        for (int j = 0; j < taps; j += per)
          for (int wi = 0; wi < int'(m_words); wi++) begin
            logic [47:0] w0, m0, w1, m1;
            tap_word(j, wi, oy, ox, w0, m0);
            tap_word(j + 1, wi, oy, ox, w1, m1);
            if (per == 1) begin
              w1 = w0;
              m1 = m0;
            end
            want_act[n_want]  = MFolds > 1 ? {w1, w0} : w0;
            want_mask[n_want] = MFolds > 1 ? {m1, m0} : m0;
            want_row[n_want]  = (int'(m_wbase) + b) % (1 << BwBits);
            want_last[n_want] = (j + per >= taps) && (wi == int'(m_words) - 1);
            n_want++;
            b++;
          end
      end
  endtask

  int total = 0;
  initial begin
    start = 1'b0;
    en = 1'b0;
    {oh, ow, m_c, m_words, m_h, m_w, m_k, m_stride, m_pad, m_pack, m_fold, m_rowoff} = '0;
    {m_src, m_wbase} = '0;
    for (int a = 0; a < int'(Depth); a++)
      for (int k = 0; k < int'(Words * 48); k += 16) mem[a][k +: 16] = 16'($urandom);
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    for (int step = 0; step < int'(Steps); step++) begin
      int k, s, pad, h, w, c, is_packed, fold;
      is_packed = ($urandom % 3) == 0;
      k = is_packed ? 3 : (($urandom % 3 == 0) ? 1 : ($urandom % 2 == 0) ? 3 : 5);
      fold = (MFolds > 1) && ($urandom % 2 == 0);
      s = 1 + int'($urandom % 2);
      pad = int'($urandom % (k / 2 + 1));
      h = k + int'($urandom % 6);
      w = k + int'($urandom % 6);
      if (is_packed) c = 1 + int'($urandom % PackBits);
      else if (fold) c = 1 + int'($urandom % 48); // a folded tap is one word
      else c = 1 + int'($urandom % (Words * 48));
      m_k = 16'(k);
      m_stride = 16'(s);
      m_pad = 16'(pad);
      m_h = 16'(h);
      m_w = 16'(w);
      m_c = 16'(c);
      m_pack = is_packed ? 16'(PackBits > 16 && c > 16 ? 32 : 16) : 16'd0;
      m_words = is_packed ? 16'((3 * int'(m_pack) + 47) / 48) : 16'((c + 47) / 48);
      m_fold = fold ? 16'd2 : 16'd1;
      m_rowoff = ($urandom % 4 == 0) ? 16'($urandom % 3) : 16'd0;
      oh = 16'((h + 2 * pad - k) / s + 1);
      ow = 16'((w + 2 * pad - k) / s + 1);
      if (int'(m_rowoff) > 0 && int'(oh) > 1) oh = oh - 16'd1; // the band's rows
      m_src = 32'($urandom % (Depth - 64));
      m_wbase = 32'($urandom % 100);
      en = (step % 10) != 9; // some steps have no main path
      expect_step();
      @(negedge clk);
      n_got = 0;
      start = 1'b1;
      @(negedge clk);
      start = 1'b0;
      // Until every expected beat arrived (or, with no main path, a while).
      for (int t = 0; t < 40 * (n_want + 10) && n_got < n_want; t++) @(negedge clk);
      repeat (20) @(negedge clk);
      if (n_got != n_want)
        $fatal(1, "FAIL: step %0d (K %0d, stride %0d, pad %0d, C %0d, pack %0d, fold %0d): %0d beats, expected %0d",
               step, k, s, pad, c, m_pack, m_fold, n_got, n_want);
      for (int i = 0; i < n_want; i++) begin
        if (got_mask[i] !== want_mask[i] || (got_act[i] & want_mask[i]) !== (want_act[i] & want_mask[i]) ||
            got_last[i] !== want_last[i] || int'(got_row[i]) != want_row[i])
          $fatal(1, "FAIL: step %0d (K %0d, stride %0d, pad %0d, C %0d, pack %0d, fold %0d) beat %0d: act %h mask %h last %0d row %0d, expected %h %h %0d %0d",
                 step, k, s, pad, c, m_pack, m_fold, i, got_act[i], got_mask[i], got_last[i],
                 got_row[i], want_act[i] & want_mask[i], want_mask[i], want_last[i], want_row[i]);
      end
      total += n_want;
    end
    $display("PASS: blend_net_main (Words %0d, PackBits %0d, MFolds %0d), %0d steps, %0d beats as the binary convolution",
             Words, PackBits, MFolds, Steps, total);
    $finish;
  end
endmodule
