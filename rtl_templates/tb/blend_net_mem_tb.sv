// blend_net_mem_tb.sv — self-checking test of blend_net_mem, blend_net's activation memories.
//
// A reference model (one int8 word and one binary word per pixel) takes the same random writes
// — whole pixels, or with TILED byte enables when full_we is low — while every read port reads
// random addresses with random enables. Each port must return, the cycle after its enable, its
// slice of the reference word at its address as it was before that cycle's write (blend_ram's
// read-first timing), and hold it while the enable is low:
//   bin (the whole binary word), bin1 / bin2 (its low PackBits bits), act (the int8 word),
//   act2 (PAIRS: the second pixel of a pair, always of the other parity), each row-split copy
//   (the low FixCh bytes), and binary lane group 1's three taps (the low 48 / PackBits1 bits).
// Defines: TILED (byte enables, MaxC 64 in two binary words, PackBits 32), PAIRS (two banks by
// parity over an odd depth).
`timescale 1ns/1ps
module blend_net_mem_tb;
`ifdef TILED
  localparam int unsigned MaxC = 64, PackBits = 32, FixCh = 4, FixCopies = 1, MFolds = 2;
  localparam int unsigned Tiled = 1, Pairs = 0, Depth = 40;
`elsif PAIRS
  localparam int unsigned MaxC = 8, PackBits = 16, FixCh = 4, FixCopies = 0, MFolds = 1;
  localparam int unsigned Tiled = 0, Pairs = 1, Depth = 33;
`else
  localparam int unsigned MaxC = 16, PackBits = 16, FixCh = 2, FixCopies = 2, MFolds = 2;
  localparam int unsigned Tiled = 0, Pairs = 0, Depth = 64;
`endif
  localparam int unsigned Words     = (MaxC + 47) / 48;
  localparam int unsigned AddrBits  = $clog2(Depth);
  localparam int unsigned PackBits1 = (PackBits > 32) ? 32 : PackBits;
  localparam int unsigned Cycles    = 20000;

  logic clk = 1'b0;
  always #5 clk = ~clk;

  logic                          we, full_we, bin_re, act_re, fcopy_re;
  logic [AddrBits-1:0]           waddr, bin_raddr, bin_raddr1, bin_raddr2, act_raddr, pair_raddr;
  logic [MaxC*8-1:0]             act_wdata, act_rdata, act_rdata2;
  logic [Words*48-1:0]           bin_wdata, bin_rdata;
  logic [MaxC-1:0]               act_be;
  logic [Words*6-1:0]            bin_be;
  logic [PackBits-1:0]           bin_rdata1, bin_rdata2;
  logic [FixCopies*AddrBits:0]   fcopy_raddr;
  logic [FixCopies*FixCh*8:0]    fcopy_rdata;
  logic [3*AddrBits-1:0]         g1_raddr;
  logic [48+2*PackBits1-1:0]     g1_rdata;

  blend_net_mem #(
    .MaxC(MaxC), .Words(Words), .Depth(Depth), .AddrBits(AddrBits), .PackBits(PackBits),
    .FixCh(FixCh), .FixCopies(FixCopies), .MFolds(MFolds), .Tiled(Tiled), .Pairs(Pairs)
  ) dut (
    .clk_i(clk), .we_i(we), .full_we_i(full_we), .waddr_i(waddr), .act_wdata_i(act_wdata),
    .bin_wdata_i(bin_wdata), .act_be_i(act_be), .bin_be_i(bin_be),
    .bin_re_i(bin_re), .bin_raddr_i(bin_raddr), .bin_raddr1_i(bin_raddr1),
    .bin_raddr2_i(bin_raddr2), .bin_rdata_o(bin_rdata), .bin_rdata1_o(bin_rdata1),
    .bin_rdata2_o(bin_rdata2), .act_re_i(act_re), .act_raddr_i(act_raddr),
    .pair_raddr_i(pair_raddr), .act_rdata_o(act_rdata), .act_rdata2_o(act_rdata2),
    .fcopy_re_i(fcopy_re), .fcopy_raddr_i(fcopy_raddr), .fcopy_rdata_o(fcopy_rdata),
    .g1_raddr_i(g1_raddr), .g1_rdata_o(g1_rdata)
  );

  logic [MaxC*8-1:0]   ref_act [Depth];
  logic [Words*48-1:0] ref_bin [Depth];
  // What each port must show after this cycle (X: nothing read yet).
  logic [Words*48-1:0] want_bin;
  logic [PackBits-1:0] want_bin1, want_bin2;
  logic [MaxC*8-1:0]   want_act, want_act2;
  logic [FixCopies*FixCh*8:0] want_fcopy;
  logic [48+2*PackBits1-1:0]  want_g1;
  bit bin_seen = 0, act_seen = 0, fcopy_seen = 0;
  int reads = 0;

  function automatic logic [AddrBits-1:0] rand_addr();
    return AddrBits'($urandom % Depth);
  endfunction

  initial begin
    // Every pixel written whole first (the memories start undefined).
    we = 1'b1;
    full_we = 1'b1;
    {bin_re, act_re, fcopy_re} = '0;
    {bin_raddr, bin_raddr1, bin_raddr2, act_raddr, pair_raddr} = '0;
    fcopy_raddr = '0;
    g1_raddr = '0;
    act_be = '0;
    bin_be = '0;
    for (int a = 0; a < int'(Depth); a++) begin
      @(negedge clk);
      waddr = AddrBits'(a);
      for (int k = 0; k < int'(MaxC * 8); k += 8) act_wdata[k +: 8] = 8'($urandom);
      for (int k = 0; k < int'(Words * 48); k += 8) bin_wdata[k +: 8] = 8'($urandom);
      ref_act[a] = act_wdata;
      ref_bin[a] = bin_wdata;
    end
    for (int t = 0; t < int'(Cycles); t++) begin
      @(negedge clk);
      // Check what the last cycle read.
      if (bin_seen && (bin_rdata !== want_bin || bin_rdata1 !== want_bin1 ||
                       bin_rdata2 !== want_bin2 || (MFolds > 1 && g1_rdata !== want_g1)))
        $fatal(1, "FAIL: cycle %0d: binary ports %h %h %h %h, expected %h %h %h %h", t,
               bin_rdata, bin_rdata1, bin_rdata2, g1_rdata, want_bin, want_bin1, want_bin2,
               want_g1);
      if (act_seen && (act_rdata !== want_act || (Pairs != 0 && act_rdata2 !== want_act2)))
        $fatal(1, "FAIL: cycle %0d: activation ports %h %h, expected %h %h", t, act_rdata,
               act_rdata2, want_act, want_act2);
      if (fcopy_seen && FixCopies > 0 &&
          fcopy_rdata[FixCopies*FixCh*8-1:0] !== want_fcopy[FixCopies*FixCh*8-1:0])
        $fatal(1, "FAIL: cycle %0d: row-split copies %h, expected %h", t, fcopy_rdata,
               want_fcopy);
      // This cycle's reads (each port's slice of the word before this cycle's write).
      bin_re = ($urandom % 3) != 0;
      act_re = ($urandom % 3) != 0;
      fcopy_re = ($urandom % 2) != 0;
      bin_raddr = rand_addr();
      bin_raddr1 = rand_addr();
      bin_raddr2 = rand_addr();
      act_raddr = rand_addr();
      // The second pixel of a pair lies in the other bank.
      pair_raddr = AddrBits'(((int'(act_raddr) + 1 + 2 * ($urandom % 4)) % (Depth - 1)));
      if (pair_raddr[0] == act_raddr[0]) pair_raddr = pair_raddr ^ AddrBits'(1);
      if (int'(pair_raddr) >= int'(Depth)) pair_raddr = act_raddr ^ AddrBits'(1);
      for (int k = 0; k < int'(FixCopies); k++) fcopy_raddr[k*AddrBits +: AddrBits] = rand_addr();
      for (int k = 0; k < 3; k++) g1_raddr[k*AddrBits +: AddrBits] = rand_addr();
      if (bin_re) begin
        want_bin = ref_bin[bin_raddr];
        want_bin1 = ref_bin[bin_raddr1][PackBits-1:0];
        want_bin2 = ref_bin[bin_raddr2][PackBits-1:0];
        want_g1 = {ref_bin[g1_raddr[2*AddrBits +: AddrBits]][PackBits1-1:0],
                   ref_bin[g1_raddr[AddrBits +: AddrBits]][PackBits1-1:0],
                   ref_bin[g1_raddr[0 +: AddrBits]][47:0]};
        bin_seen = 1;
        reads++;
      end
      if (act_re) begin
        want_act = ref_act[act_raddr];
        want_act2 = ref_act[pair_raddr];
        act_seen = 1;
      end
      if (fcopy_re) begin
        for (int k = 0; k < int'(FixCopies); k++)
          want_fcopy[k*FixCh*8 +: FixCh*8] = ref_act[fcopy_raddr[k*AddrBits +: AddrBits]][FixCh*8-1:0];
        fcopy_seen = 1;
      end
      // This cycle's write: whole, or (Tiled, full_we low) the enabled bytes only.
      we = ($urandom % 2) != 0;
      full_we = Tiled == 0 || ($urandom % 2) != 0;
      waddr = rand_addr();
      for (int k = 0; k < int'(MaxC * 8); k += 8) act_wdata[k +: 8] = 8'($urandom);
      for (int k = 0; k < int'(Words * 48); k += 8) bin_wdata[k +: 8] = 8'($urandom);
      for (int k = 0; k < int'(MaxC); k++) act_be[k] = ($urandom % 2) != 0;
      for (int k = 0; k < int'(Words * 6); k++) bin_be[k] = ($urandom % 2) != 0;
      if (we) begin
        for (int k = 0; k < int'(MaxC); k++)
          if (full_we || act_be[k]) ref_act[waddr][k*8 +: 8] = act_wdata[k*8 +: 8];
        for (int k = 0; k < int'(Words * 6); k++)
          if (full_we || bin_be[k]) ref_bin[waddr][k*8 +: 8] = bin_wdata[k*8 +: 8];
      end
    end
    $display("PASS: blend_net_mem (MaxC %0d, Tiled %0d, Pairs %0d, FixCopies %0d, MFolds %0d), %0d cycles, every port as the reference",
             MaxC, Tiled, Pairs, FixCopies, MFolds, Cycles);
    $finish;
  end
endmodule
