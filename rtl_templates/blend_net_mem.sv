// blend_net_mem.sv — blend_net's activation memories: one address space of pixels, written
// through one port (whole pixel words, or — Tiled, an output-channel tile — the bytes act_be_i /
// bin_be_i select unless full_we_i), read through several, each with blend_ram's timing (data
// the cycle after the read enable, held otherwise):
//   bin      the binary word (Words*48 bits: channel c in bit c) at bin_raddr_i, and the low
//            PackBits bits at bin_raddr1_i and bin_raddr2_i (copies: the second and third tap of
//            a packed kernel row, read in the same cycle);
//   act      the int8 word (MaxC bytes) at act_raddr_i; Pairs: two banks by address parity, the
//            second pixel of a pair at pair_raddr_i (its parity differs; the compiler keeps it
//            so) on act_rdata2_o. Only channels 0..ByteC-1 are stored (the widest tensor any
//            step reads as bytes); the others read zero;
//   fcopy    FixCopies copies of channels 0..FixCh-1 (row-split skip steps), one address each;
//   g1       MFolds = 2: binary lane group 1's taps — the low 48 bits at g1_raddr_i[0], the low
//            min(PackBits, 32) bits at g1_raddr_i[1] and [2].
module blend_net_mem #(
  parameter int unsigned MaxC      = 16,   // channels per pixel word
  parameter int unsigned ByteC     = MaxC, // channels stored as bytes (FixCh <= ByteC <= MaxC)
  parameter int unsigned Words     = 1,    // 48-bit words per binary word
  parameter int unsigned Depth     = 1024, // pixels
  parameter int unsigned AddrBits  = 10,
  parameter int unsigned PackBits  = 16,   // the tap copies' width (16, 32, 64)
  parameter int unsigned FixCh     = 1,    // channels of a row-split copy
  parameter int unsigned FixCopies = 0,    // row-split copies
  parameter int unsigned MFolds    = 1,    // 2: binary lane group 1's copies
  parameter int unsigned Tiled     = 0,    // 1: byte-enable writes
  parameter int unsigned Pairs     = 0,    // 1: the activation memory in two banks
  parameter int unsigned PackBits1 = (PackBits > 32) ? 32 : PackBits
) (
  input  logic                          clk_i,
  input  logic                          we_i,
  /* verilator lint_off UNUSEDSIGNAL */ // the byte enables: Tiled only
  input  logic                          full_we_i,   // a whole-pixel writer (all bytes)
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [AddrBits-1:0]           waddr_i,
  /* verilator lint_off UNUSEDSIGNAL */ // bytes ByteC.. are not stored
  input  logic [MaxC*8-1:0]             act_wdata_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [Words*48-1:0]           bin_wdata_i,
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [MaxC-1:0]               act_be_i,    // the output stage's bytes (Tiled)
  input  logic [Words*6-1:0]            bin_be_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic                          bin_re_i,
  input  logic [AddrBits-1:0]           bin_raddr_i,
  input  logic [AddrBits-1:0]           bin_raddr1_i,
  input  logic [AddrBits-1:0]           bin_raddr2_i,
  output logic [Words*48-1:0]           bin_rdata_o,
  output logic [PackBits-1:0]           bin_rdata1_o,
  output logic [PackBits-1:0]           bin_rdata2_o,
  input  logic                          act_re_i,
  input  logic [AddrBits-1:0]           act_raddr_i,
  /* verilator lint_off UNUSEDSIGNAL */ // Pairs only
  input  logic [AddrBits-1:0]           pair_raddr_i,
  /* verilator lint_on UNUSEDSIGNAL */
  output logic [MaxC*8-1:0]             act_rdata_o,
  output logic [MaxC*8-1:0]             act_rdata2_o,
  /* verilator lint_off UNUSEDSIGNAL */ // FixCopies > 0 only
  input  logic                          fcopy_re_i,
  input  logic [FixCopies*AddrBits:0]   fcopy_raddr_i, // the top bit is a spare
  /* verilator lint_on UNUSEDSIGNAL */
  output logic [FixCopies*FixCh*8:0]    fcopy_rdata_o, // the top bit is a spare (0)
  /* verilator lint_off UNUSEDSIGNAL */ // MFolds = 2 only
  input  logic [3*AddrBits-1:0]         g1_raddr_i,
  /* verilator lint_on UNUSEDSIGNAL */
  output logic [48+2*PackBits1-1:0]     g1_rdata_o
);
  localparam int unsigned BankDepth = (Depth + 1) / 2; // Pairs: pixels per bank
  /* verilator lint_off UNUSEDSIGNAL */ // Pairs = 0: unused; Pairs = 1: bit 0 picks the bank
  logic [2*(AddrBits-1):0] bank_raddr;
  logic [2*ByteC*8:0]      bank_rdata;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [ByteC*8-1:0] act_wd, act_q, act_q2; // the stored bytes: written, read at both ports
  assign act_wd = act_wdata_i[ByteC*8-1:0];
  if (Tiled != 0) begin : gen_tiled_mem
    logic [ByteC-1:0]   act_be;
    logic [Words*6-1:0] bin_be;
    assign act_be = full_we_i ? '1 : act_be_i[ByteC-1:0];
    assign bin_be = full_we_i ? '1 : bin_be_i;
    blend_ram_be #(.Bytes(Words*6), .Depth(Depth)) u_bin_mem (
      .clk_i(clk_i), .we_i(we_i), .be_i(bin_be), .waddr_i(waddr_i), .wdata_i(bin_wdata_i),
      .re_i(bin_re_i), .raddr_i(bin_raddr_i), .rdata_o(bin_rdata_o)
    );
    // Copies of channels 0..PackBits-1 for the second and third tap of a packed kernel row.
    blend_ram_be #(.Bytes(PackBits/8), .Depth(Depth)) u_bin_mem1 (
      .clk_i(clk_i), .we_i(we_i), .be_i(bin_be[PackBits/8-1:0]), .waddr_i(waddr_i),
      .wdata_i(bin_wdata_i[PackBits-1:0]), .re_i(bin_re_i), .raddr_i(bin_raddr1_i),
      .rdata_o(bin_rdata1_o)
    );
    blend_ram_be #(.Bytes(PackBits/8), .Depth(Depth)) u_bin_mem2 (
      .clk_i(clk_i), .we_i(we_i), .be_i(bin_be[PackBits/8-1:0]), .waddr_i(waddr_i),
      .wdata_i(bin_wdata_i[PackBits-1:0]), .re_i(bin_re_i), .raddr_i(bin_raddr2_i),
      .rdata_o(bin_rdata2_o)
    );
    if (Pairs == 0) begin : gen_act
      blend_ram_be #(.Bytes(ByteC), .Depth(Depth)) u_act_mem (
        .clk_i(clk_i), .we_i(we_i), .be_i(act_be), .waddr_i(waddr_i), .wdata_i(act_wd),
        .re_i(act_re_i), .raddr_i(act_raddr_i), .rdata_o(act_q)
      );
    end else begin : gen_act_banks
      for (genvar k = 0; k < 2; k++) begin : gen_bank
        localparam logic Parity = k;
        blend_ram_be #(.Bytes(ByteC), .Depth(BankDepth)) u_act_mem (
          .clk_i(clk_i), .we_i(we_i && waddr_i[0] == Parity), .be_i(act_be),
          .waddr_i(waddr_i[AddrBits-1:1]), .wdata_i(act_wd), .re_i(act_re_i),
          .raddr_i(bank_raddr[k*(AddrBits-1) +: AddrBits-1]),
          .rdata_o(bank_rdata[k*ByteC*8 +: ByteC*8])
        );
      end
    end
  end else begin : gen_mem
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_be;
    assign unused_be = ^{act_be_i, bin_be_i};
    /* verilator lint_on UNUSEDSIGNAL */
    blend_ram #(.Width(Words*48), .Depth(Depth)) u_bin_mem (
      .clk_i(clk_i), .we_i(we_i), .waddr_i(waddr_i), .wdata_i(bin_wdata_i),
      .re_i(bin_re_i), .raddr_i(bin_raddr_i), .rdata_o(bin_rdata_o)
    );
    // Copies of channels 0..PackBits-1 for the second and third tap of a packed kernel row.
    blend_ram #(.Width(PackBits), .Depth(Depth)) u_bin_mem1 (
      .clk_i(clk_i), .we_i(we_i), .waddr_i(waddr_i), .wdata_i(bin_wdata_i[PackBits-1:0]),
      .re_i(bin_re_i), .raddr_i(bin_raddr1_i), .rdata_o(bin_rdata1_o)
    );
    blend_ram #(.Width(PackBits), .Depth(Depth)) u_bin_mem2 (
      .clk_i(clk_i), .we_i(we_i), .waddr_i(waddr_i), .wdata_i(bin_wdata_i[PackBits-1:0]),
      .re_i(bin_re_i), .raddr_i(bin_raddr2_i), .rdata_o(bin_rdata2_o)
    );
    if (Pairs == 0) begin : gen_act
      blend_ram #(.Width(ByteC*8), .Depth(Depth)) u_act_mem (
        .clk_i(clk_i), .we_i(we_i), .waddr_i(waddr_i), .wdata_i(act_wd),
        .re_i(act_re_i), .raddr_i(act_raddr_i), .rdata_o(act_q)
      );
    end else begin : gen_act_banks
      for (genvar k = 0; k < 2; k++) begin : gen_bank
        localparam logic Parity = k;
        blend_ram #(.Width(ByteC*8), .Depth(BankDepth)) u_act_mem (
          .clk_i(clk_i), .we_i(we_i && waddr_i[0] == Parity),
          .waddr_i(waddr_i[AddrBits-1:1]), .wdata_i(act_wd), .re_i(act_re_i),
          .raddr_i(bank_raddr[k*(AddrBits-1) +: AddrBits-1]),
          .rdata_o(bank_rdata[k*ByteC*8 +: ByteC*8])
        );
      end
    end
  end

  // Pairs: the activation memory is two banks, even and odd pixel addresses, so the skip path
  // of a pixel-pair step (odd stride) reads its two pixels' taps, at adjacent-parity addresses,
  // in one cycle. Port 1 (act_raddr_i) is served by its address's bank, port 2 (pair_raddr_i, the
  // second pixel) by the other; the read data are steered back by port 1's parity.
  if (Pairs != 0) begin : gen_pair_read
    logic sel_q; // port 1's bank of the last read
    for (genvar k = 0; k < 2; k++) begin : gen_addr
      localparam logic Parity = k;
      /* verilator lint_off UNUSEDSIGNAL */ // bit 0 is the bank
      logic [AddrBits-1:0] a;
      /* verilator lint_on UNUSEDSIGNAL */
      assign a = (act_raddr_i[0] == Parity) ? act_raddr_i : pair_raddr_i;
      assign bank_raddr[k*(AddrBits-1) +: AddrBits-1] = a[AddrBits-1:1];
    end
    always_ff @(posedge clk_i) begin
      if (act_re_i) sel_q <= act_raddr_i[0];
    end
    assign act_q  = sel_q ? bank_rdata[ByteC*8 +: ByteC*8] : bank_rdata[0 +: ByteC*8];
    assign act_q2 = sel_q ? bank_rdata[0 +: ByteC*8] : bank_rdata[ByteC*8 +: ByteC*8];
  end else begin : gen_no_pair_read
    /* verilator lint_off WIDTHCONCAT */ // ByteC > 512: a wide zero, on purpose
    assign act_q2 = '0;
    assign bank_raddr[2*(AddrBits-1)-1:0] = '0;
    assign bank_rdata[2*ByteC*8-1:0] = '0;
    /* verilator lint_on WIDTHCONCAT */
  end
  assign bank_raddr[2*(AddrBits-1)] = 1'b0;
  assign bank_rdata[2*ByteC*8] = 1'b0;
  // The read words: the stored bytes, zero above them.
  assign act_rdata_o[ByteC*8-1:0]  = act_q;
  assign act_rdata2_o[ByteC*8-1:0] = act_q2;
  if (ByteC < MaxC) begin : gen_act_zero
    /* verilator lint_off WIDTHCONCAT */ // MaxC > 512: a wide zero, on purpose
    assign act_rdata_o[MaxC*8-1:ByteC*8]  = '0;
    assign act_rdata2_o[MaxC*8-1:ByteC*8] = '0;
    /* verilator lint_on WIDTHCONCAT */
  end

  for (genvar k = 0; k < FixCopies; k++) begin : gen_fix_copy
    if (Tiled != 0) begin : gen_be
      logic [FixCh-1:0] be;
      assign be = full_we_i ? '1 : act_be_i[FixCh-1:0];
      blend_ram_be #(.Bytes(FixCh), .Depth(Depth)) u_copy (
        .clk_i(clk_i), .we_i(we_i), .be_i(be), .waddr_i(waddr_i),
        .wdata_i(act_wdata_i[FixCh*8-1:0]), .re_i(fcopy_re_i),
        .raddr_i(fcopy_raddr_i[k*AddrBits +: AddrBits]),
        .rdata_o(fcopy_rdata_o[k*FixCh*8 +: FixCh*8])
      );
    end else begin : gen_plain
      blend_ram #(.Width(FixCh*8), .Depth(Depth)) u_copy (
        .clk_i(clk_i), .we_i(we_i), .waddr_i(waddr_i), .wdata_i(act_wdata_i[FixCh*8-1:0]),
        .re_i(fcopy_re_i), .raddr_i(fcopy_raddr_i[k*AddrBits +: AddrBits]),
        .rdata_o(fcopy_rdata_o[k*FixCh*8 +: FixCh*8])
      );
    end
  end

  assign fcopy_rdata_o[FixCopies*FixCh*8] = 1'b0;
  // Binary lane group 1's copies (MFolds = 2): tap kx = 0 (channels 0-47) and kx = 1, 2
  // (channels 0..PackBits1-1) of a packed row.
  if (MFolds > 1) begin : gen_g1
  if (Tiled != 0) begin : gen_be
    logic [5:0] be;
    assign be = full_we_i ? '1 : bin_be_i[5:0];
    blend_ram_be #(.Bytes(6), .Depth(Depth)) u_copy10 (
      .clk_i(clk_i), .we_i(we_i), .be_i(be), .waddr_i(waddr_i),
      .wdata_i(bin_wdata_i[47:0]), .re_i(bin_re_i), .raddr_i(g1_raddr_i[0 +: AddrBits]),
      .rdata_o(g1_rdata_o[47:0])
    );
    blend_ram_be #(.Bytes(PackBits1/8), .Depth(Depth)) u_copy11 (
      .clk_i(clk_i), .we_i(we_i), .be_i(be[PackBits1/8-1:0]), .waddr_i(waddr_i),
      .wdata_i(bin_wdata_i[PackBits1-1:0]), .re_i(bin_re_i),
      .raddr_i(g1_raddr_i[AddrBits +: AddrBits]), .rdata_o(g1_rdata_o[48 +: PackBits1])
    );
    blend_ram_be #(.Bytes(PackBits1/8), .Depth(Depth)) u_copy12 (
      .clk_i(clk_i), .we_i(we_i), .be_i(be[PackBits1/8-1:0]), .waddr_i(waddr_i),
      .wdata_i(bin_wdata_i[PackBits1-1:0]), .re_i(bin_re_i),
      .raddr_i(g1_raddr_i[2*AddrBits +: AddrBits]), .rdata_o(g1_rdata_o[48+PackBits1 +: PackBits1])
    );
  end else begin : gen_plain
    blend_ram #(.Width(48), .Depth(Depth)) u_copy10 (
      .clk_i(clk_i), .we_i(we_i), .waddr_i(waddr_i), .wdata_i(bin_wdata_i[47:0]),
      .re_i(bin_re_i), .raddr_i(g1_raddr_i[0 +: AddrBits]), .rdata_o(g1_rdata_o[47:0])
    );
    blend_ram #(.Width(PackBits1), .Depth(Depth)) u_copy11 (
      .clk_i(clk_i), .we_i(we_i), .waddr_i(waddr_i),
      .wdata_i(bin_wdata_i[PackBits1-1:0]), .re_i(bin_re_i),
      .raddr_i(g1_raddr_i[AddrBits +: AddrBits]), .rdata_o(g1_rdata_o[48 +: PackBits1])
    );
    blend_ram #(.Width(PackBits1), .Depth(Depth)) u_copy12 (
      .clk_i(clk_i), .we_i(we_i), .waddr_i(waddr_i),
      .wdata_i(bin_wdata_i[PackBits1-1:0]), .re_i(bin_re_i),
      .raddr_i(g1_raddr_i[2*AddrBits +: AddrBits]), .rdata_o(g1_rdata_o[48+PackBits1 +: PackBits1])
    );
  end
  end else begin : gen_no_g1
    assign g1_rdata_o = '0;
  end
endmodule
