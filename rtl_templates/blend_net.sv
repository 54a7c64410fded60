// blend_net.sv — a schedule-driven accelerator for whole networks: a program of layer steps
// over on-chip activation memories (docs/hardware.md, "Whole networks").
//
// Memories (one address space of pixels; a tensor occupies H*W consecutive addresses from the
// base the compiler allocated to it, reused once the tensor is dead):
//   activation memory  one word per pixel: MaxC int8 values (channel c in byte c; ByteC stored)
//   binary memory      one word per pixel: Words*48 bits (channel c in bit c), the binarized
//                      view of an int8 tensor (q >= zp) or a binary tensor
// Per image:
//   LOAD   AXI4-Stream in: one pixel (MaxC int8 values) per beat, row-major, written to the
//          activation memory at the input base and, as sign bits, to the binary memory.
//   PASSES for each step descriptor (cfg region 4): FETCH its fields from the descriptor RAM
//          (DescBanks per cycle),
//          then RUN: the binary controller (main path: a KxK binary convolution reading the
//          binary memory; one 48-bit word of one tap per beat, or — "packed", 3x3 kernels — the
//          three taps of a kernel row back to back in slots of m_pack = 16, 32 or 64 bits, 1,
//          2 or 4 words per row, read from the memory and two PackBits-wide copies) and the
//          fixed-point
//          controller (skip path: a KHxKW int8 convolution reading the activation memory, FixCh
//          input channels per beat into the fixed engine's FixCh DSP banks; "shared" weights
//          repeat one CxO matrix over every tap, which makes a global sum pool followed by a
//          classifier one step) feed their engines; blend_netpost joins the enabled paths,
//          requantizes Lanes channels per cycle, and writes the output pixels back to memory
//          or, for the last step, streams the values out (Lanes 32-bit values per beat, tlast
//          on the image's last beat).
// Weights live in two wide RAMs (one row feeds every output channel at once), loaded through a
// staging row: cfg writes fill the row lane by lane, a commit write stores it.
// The cfg address map is in docs/schedule-format.md.
module blend_net #(
  parameter int unsigned MaxC      = 16,   // channels per pixel word
  parameter int unsigned ByteC     = MaxC, // of them stored as bytes (the others read zero)
  parameter int unsigned Pe        = 16,   // output channels computed in parallel (max O)
  parameter int unsigned Lanes     = 1,    // post-processing channels per cycle (Pe % Lanes == 0)
  parameter int unsigned FixCh     = 1,    // fixed-point input channels per beat (MaxC % FixCh == 0)
  parameter int unsigned Depth     = 1024, // activation / binary memory pixels
  parameter int unsigned BwDepth   = 9,    // binary weight rows (Pe x 48 bits)
  parameter int unsigned FwDepth   = 16,   // fixed-point weight rows (Pe x FixCh x 8 bits)
  parameter int unsigned CDepth    = 16,   // per-channel constant entries
  parameter int unsigned MaxSteps = 1,    // descriptors
  parameter int unsigned AccB      = 16,   // binary accumulator width
  parameter int unsigned AccF      = 24,   // fixed-point accumulator width
  parameter int unsigned LutXnor   = 0,    // binary XNORs in LUTs instead of DSP48E2s
  parameter int unsigned TrP       = 0,    // most pixels a transpose step reads (0: none)
  parameter int unsigned Tiled     = 0,    // 1: layers may run in output-channel tiles
  parameter int unsigned Folds     = 1,    // lane groups a skip path narrower than Pe may fold
                                           // its reduction over (1, 2 or 4; Pe % (2*Folds) == 0)
  parameter int unsigned FixCopies = 0,   // activation-memory copies of channels
                                           // 0..FixCh-1 (row-split skip steps: tap kx = k)
  parameter int unsigned MFolds    = 1,    // lane groups of the binary path (1 or 2; with 2,
                                           // copies of the binary memory for group 1)
  parameter int unsigned PackBits  = 16,   // widest slot of a packed kernel row (16, 32, 64;
                                           // <= Words*48): the width of the tap copies
  parameter int unsigned DescBanks = 8,    // descriptor RAM banks (1 or 8): fields fetched
                                           // per cycle
  parameter int unsigned Pairs     = 0,    // 1: the pixel-pair skip mode (s_pair: two output
                                           // pixels per beat, four products per DSP); the
                                           // activation memory in two banks by address parity
                                           // (Depth >= 3)
  parameter int unsigned Stripes   = 0,    // 1: row stripes (spatial tiling): per-path input
                                           // row offsets (m_row_off, s_row_off) and load
                                           // steps taking input rows mid-schedule
  parameter int unsigned PoolC     = 0     // the pooler's channels (pool steps, field 48;
                                           // 0: none)
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              cfg_we_i,
  input  logic [23:0]       cfg_addr_i,
  input  logic [63:0]       cfg_wdata_i,
  input  logic              s_axis_tvalid_i,
  output logic              s_axis_tready_o,
  input  logic [MaxC*8-1:0] s_axis_tdata_i,
  output logic              m_axis_tvalid_o,
  input  logic              m_axis_tready_i,
  output logic [Lanes*32-1:0] m_axis_tdata_o,
  output logic              m_axis_tlast_o,
  // Co-simulation taps: every value a step produces, in order, with its step index.
  output logic              tap_valid_o,
  output logic [15:0]       tap_step_o,
  output logic [Lanes*32-1:0] tap_data_o,
  output logic              run_o        // 1 while steps execute (0: loading / idle)
);
  localparam int unsigned Words    = (MaxC + 47) / 48;
  localparam int unsigned AddrBits = (Depth > 1) ? $clog2(Depth) : 1;
  localparam int unsigned BwBits   = (BwDepth > 1) ? $clog2(BwDepth) : 1;
  localparam int unsigned FwBits   = (FwDepth > 1) ? $clog2(FwDepth) : 1;
  localparam int unsigned PeBits   = (Pe > 1) ? $clog2(Pe) : 1;
  localparam int unsigned PackBits1 = (PackBits > 32) ? 32 : PackBits; // group 1's kx = 1, 2
  localparam int unsigned Pools     = (PoolC != 0) ? 1 : 0;
  localparam int unsigned PoolW     = (PoolC + 47) / 48; // the pooler's binary words
  // s_pair only with Pairs; m_row_off, s_row_off, load only with Stripes; pool with Pools
  localparam int unsigned Fields    = (Pools != 0) ? 49 : (Stripes != 0) ? 46 :
                                      (Pairs != 0) ? 43 : 42;

  //===------------------------------------------------------------------===//
  // The sequencer: global registers, descriptor RAM, LOAD / FETCH / RUN (blend_net_seq)
  //===------------------------------------------------------------------===//
  logic                    load_fire, start_q, ld_done, work_done, step_done;
  logic [AddrBits-1:0]     load_addr;
  logic [15:0]             step_q;
  logic [Fields*32-1:0]    desc;
  blend_net_seq #(
    .MaxSteps(MaxSteps), .DescBanks(DescBanks), .Pairs(Pairs), .Stripes(Stripes),
    .Pools(Pools), .AddrBits(AddrBits)
  ) u_seq (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .cfg_we_i(cfg_we_i), .cfg_addr_i(cfg_addr_i), .cfg_wdata_i(cfg_wdata_i),
    .s_axis_tvalid_i(s_axis_tvalid_i), .s_axis_tready_o(s_axis_tready_o),
    .load_fire_o(load_fire), .load_addr_o(load_addr), .work_done_i(work_done),
    .desc_o(desc), .start_o(start_q), .step_o(step_q), .ld_done_o(ld_done), .run_o(run_o)
  );
  logic [31:0] d_q [Fields];
  for (genvar f = 0; f < Fields; f++) begin : gen_fields
    assign d_q[f] = desc[f*32 +: 32];
  end

  // The current step's fields (docs/schedule-format.md lists them).
  logic        main_en, skip_en, out_binary, stream, s_shared, transpose;
  logic [15:0] m_pack; // slot bits of a packed kernel row (16, 32, 64), 0: one tap per word
  logic [15:0] s_cgroups, out_offset, s_fold, m_fold;
  logic        s_rowsplit, s_pair;
  logic [15:0] o, oh, ow;
  logic [15:0] m_c, m_words, m_h, m_w, m_k, m_stride, m_pad;
  logic [31:0] m_src, m_wbase;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [15:0] s_c; // the controller walks s_cgroups groups of FixCh channels
  /* verilator lint_on UNUSEDSIGNAL */
  logic [15:0] s_h, s_w, s_kh, s_kw, s_stride, s_pad;
  logic [31:0] s_src, s_wbase;
  logic [8:0]  s_zp;
  logic [31:0] cbase, join_min, join_max, out_zp, out_min, out_max;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] dst; // only the low bits address the memories
  /* verilator lint_on UNUSEDSIGNAL */
  logic [2:0]  rounding;
  assign main_en    = d_q[0][0];
  assign skip_en    = d_q[1][0];
  assign out_binary = d_q[2][0];
  assign stream     = d_q[3][0];
  assign o          = d_q[4][15:0];
  assign oh         = d_q[5][15:0];
  assign ow         = d_q[6][15:0];
  assign m_c        = d_q[7][15:0];
  assign m_words    = d_q[8][15:0];
  assign m_h        = d_q[9][15:0];
  assign m_w        = d_q[10][15:0];
  assign m_k        = d_q[11][15:0];
  assign m_stride   = d_q[12][15:0];
  assign m_pad      = d_q[13][15:0];
  assign m_src      = d_q[14];
  assign m_wbase    = d_q[15];
  assign s_c        = d_q[16][15:0];
  assign s_h        = d_q[17][15:0];
  assign s_w        = d_q[18][15:0];
  assign s_kh       = d_q[19][15:0];
  assign s_kw       = d_q[20][15:0];
  assign s_stride   = d_q[21][15:0];
  assign s_pad      = d_q[22][15:0];
  assign s_src      = d_q[23];
  assign s_wbase    = d_q[24];
  assign s_shared   = d_q[25][0];
  assign s_zp       = d_q[26][8:0];
  assign cbase      = d_q[27];
  assign rounding   = d_q[28][2:0];
  assign join_min   = d_q[29];
  assign join_max   = d_q[30];
  assign out_zp     = d_q[31];
  assign out_min    = d_q[32];
  assign out_max    = d_q[33];
  assign dst        = d_q[34];
  assign m_pack     = d_q[35][15:0];
  assign s_cgroups  = d_q[36][15:0];
  assign transpose  = d_q[37][0];
  assign out_offset = d_q[38][15:0];
  assign s_fold     = d_q[39][15:0];
  assign s_rowsplit = d_q[40][0];
  assign m_fold     = d_q[41][15:0];
  if (Pairs != 0) begin : gen_pair_field
    assign s_pair = d_q[42][0];
  end else begin : gen_no_pair_field
    assign s_pair = 1'b0;
  end
  // Row stripes: a path's first input row is oy * stride - pad + row_off (the stripe of its
  // source tensor the memory holds starts row_off rows above the kernel's first row); a load
  // step (load = 1) takes OH x OW input pixels from the stream to Dst; a copy step (load = 2)
  // moves OH x OW pixels from s_src up to Dst (rows a stripe keeps for the next one's halo).
  logic [15:0] m_rowoff, s_rowoff;
  logic        ld_step, cp_step;
  logic [31:0] pixels_out; // OH x OW
  if (Stripes != 0) begin : gen_stripe_fields
    assign m_rowoff = d_q[43][15:0];
    assign s_rowoff = d_q[44][15:0];
    assign ld_step  = (d_q[45][1:0] == 2'd1);
    assign cp_step  = (d_q[45][1:0] == 2'd2);
  end else begin : gen_no_stripe_fields
    assign m_rowoff = '0;
    assign s_rowoff = '0;
    assign ld_step  = 1'b0;
    assign cp_step  = 1'b0;
  end
  logic [1:0] pool;    // a pool step (PoolC > 0): 1 a binary tensor, 2 bytes; field 48, the last
  logic       pl_step;
  assign pool    = (Pools != 0) ? d_q[Fields-1][1:0] : 2'd0;
  assign pl_step = pool != 2'd0;

  //===------------------------------------------------------------------===//
  // Memories
  //===------------------------------------------------------------------===//
  logic [Words*48-1:0] load_bits;
  always_comb begin
    load_bits = '0;
    for (int c = 0; c < MaxC; c++) begin
      load_bits[c] = ~s_axis_tdata_i[c*8 + 7]; // q >= 0 -> +1 (input zero point 0)
    end
  end

  logic                post_we;
  logic [AddrBits-1:0] post_waddr;
  logic [MaxC*8-1:0]   post_act;
  logic [Words*48-1:0] post_bin;
  logic                mem_we;
  logic [AddrBits-1:0] mem_waddr;
  // Writers: the loader, the output stage, the transposer (never at once).
  logic                tr_we;
  logic [AddrBits-1:0] tr_waddr;
  logic [MaxC*8-1:0]   tr_act;
  logic [Words*48-1:0] tr_bin;
  // The copier (copy steps, Stripes; blend_net_copy): pixel s_src + i to dst + i, both
  // memories, every copy of them.
  logic                cp_re, cp_we, cp_done;
  /* verilator lint_off UNUSEDSIGNAL */ // read by byte-enable memories only (Tiled)
  logic                full_we;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [AddrBits-1:0] cp_raddr, cp_waddr;
  if (Stripes != 0) begin : gen_copier
    blend_net_copy #(.AddrBits(AddrBits)) u_copy (
      .clk_i(clk_i), .rst_ni(rst_ni), .start_i(start_q && cp_step), .pixels_i(pixels_out),
      .src_i(s_src), .dst_i(dst), .re_o(cp_re), .raddr_o(cp_raddr), .we_o(cp_we),
      .waddr_o(cp_waddr), .done_o(cp_done)
    );
  end else begin : gen_no_copier
    assign {cp_re, cp_we, cp_done} = '0;
    assign cp_raddr = '0;
    assign cp_waddr = '0;
  end
  // The pooler (pool steps, PoolC > 0): the max of every window of a stored tensor of at most
  // PoolC channels (the words' other channels are written zero).
  logic                pl_re, pl_we, pl_done, pl_tap_valid;
  logic [AddrBits-1:0] pl_raddr, pl_waddr;
  logic [MaxC*8-1:0]   pl_act;
  logic [Words*48-1:0] pl_bin;
  logic [Lanes*32-1:0] pl_tap_data;
  if (Pools != 0) begin : gen_pooler
    logic [PoolC*8-1:0]   pact;
    logic [PoolW*48-1:0]  pbin;
    blend_net_pool #(.MaxC(PoolC), .Lanes(Lanes), .Words(PoolW), .AddrBits(AddrBits)) u_pool (
      .clk_i(clk_i), .rst_ni(rst_ni), .start_i(start_q && pl_step), .mode_i(pool),
      .c_i(o), .w_i(s_w), .kh_i(s_kh), .kw_i(s_kw), .stride_i(s_stride), .oh_i(oh),
      .ow_i(ow), .src_i(s_src), .dst_i(dst), .re_o(pl_re), .raddr_o(pl_raddr),
      .act_rdata_i(act_rdata[PoolC*8-1:0]), .bin_rdata_i(bin_rdata[PoolW*48-1:0]),
      .we_o(pl_we), .waddr_o(pl_waddr), .act_o(pact), .bin_o(pbin), .done_o(pl_done),
      .tap_valid_o(pl_tap_valid), .tap_data_o(pl_tap_data)
    );
    always_comb begin // zero-extended to the words (one zero fill each: MaxC may be 1024)
      pl_act = '0;
      pl_bin = '0;
      pl_act[PoolC*8-1:0]  = pact;
      pl_bin[PoolW*48-1:0] = pbin;
    end
  end else begin : gen_no_pooler
    assign {pl_re, pl_we, pl_done, pl_tap_valid} = '0;
    assign {pl_raddr, pl_waddr, pl_tap_data} = '0;
    assign pl_act = '0;
    assign pl_bin = '0;
  end
  // Writers that write whole pixels (no byte enables).
  assign full_we     = load_fire || tr_we || cp_we || pl_we;
  assign mem_we      = load_fire || post_we || tr_we || cp_we || pl_we;
  assign mem_waddr   = load_fire ? load_addr : tr_we ? tr_waddr :
                       cp_we ? cp_waddr : pl_we ? pl_waddr : post_waddr;

  logic                bin_re, act_re, mb_re, fa_re, tr_re;
  logic [AddrBits-1:0] bin_raddr, bin_raddr1, bin_raddr2, act_raddr, mb_raddr, fa_raddr;
  logic [AddrBits-1:0] tr_raddr;
  logic [Words*48-1:0] bin_rdata, bin_wdata;
  logic [PackBits-1:0] bin_rdata1, bin_rdata2;
  logic [MaxC*8-1:0]   act_rdata;
  // Pairs: the second pixel's read port and the two activation banks (below).
  logic [MaxC*8-1:0]   act_rdata2;
  logic [AddrBits-1:0] pa_raddr;
  assign bin_wdata = load_fire ? load_bits : tr_we ? tr_bin : cp_we ? bin_rdata :
                     pl_we ? pl_bin : post_bin;
  // Readers: the controllers, or the transposer, the copier or the pooler (both memories at
  // one address).
  assign bin_re    = mb_re || tr_re || cp_re || pl_re;
  assign act_re    = fa_re || tr_re || cp_re || pl_re;
  assign bin_raddr = tr_re ? tr_raddr : cp_re ? cp_raddr : pl_re ? pl_raddr : mb_raddr;
  assign act_raddr = tr_re ? tr_raddr : cp_re ? cp_raddr : pl_re ? pl_raddr : fa_raddr;

  logic [MaxC*8-1:0] act_wdata;
  assign act_wdata = load_fire ? s_axis_tdata_i : tr_we ? tr_act : cp_we ? act_rdata :
                     pl_we ? pl_act : post_act;
  // Byte enables: the output stage of an output-channel tile writes its channels only.
  logic [MaxC-1:0]    post_act_be;
  logic [Words*6-1:0] post_bin_be;
  // The activation memories and their copies (blend_net_mem).
  // Copies of channels 0..FixCh-1 for a row-split skip step: copy k (1..FixCopies) reads the
  // pixel k to the right of the one the main port reads (tap kx = k of the kernel row).
  /* verilator lint_off UNUSEDSIGNAL */ // the spare bits (FixCopies may be 0)
  logic [FixCopies*FixCh*8:0] fcopy_rdata;
  logic [FixCopies*AddrBits:0] fcopy_raddr;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [3*AddrBits-1:0]             g1_raddr; // binary lane group 1's taps (MFolds = 2)
  logic [48+2*PackBits1-1:0]         g1_rdata;
  blend_net_mem #(
    .MaxC(MaxC), .Words(Words), .Depth(Depth), .AddrBits(AddrBits), .PackBits(PackBits),
    .FixCh(FixCh), .FixCopies(FixCopies), .MFolds(MFolds), .Tiled(Tiled), .Pairs(Pairs),
    .ByteC(ByteC)
  ) u_mem (
    .clk_i(clk_i), .we_i(mem_we), .full_we_i(full_we), .waddr_i(mem_waddr),
    .act_wdata_i(act_wdata), .bin_wdata_i(bin_wdata), .act_be_i(post_act_be),
    .bin_be_i(post_bin_be),
    .bin_re_i(bin_re), .bin_raddr_i(bin_raddr), .bin_raddr1_i(bin_raddr1),
    .bin_raddr2_i(bin_raddr2), .bin_rdata_o(bin_rdata), .bin_rdata1_o(bin_rdata1),
    .bin_rdata2_o(bin_rdata2),
    .act_re_i(act_re), .act_raddr_i(act_raddr), .pair_raddr_i(pa_raddr),
    .act_rdata_o(act_rdata), .act_rdata2_o(act_rdata2),
    .fcopy_re_i(fa_re), .fcopy_raddr_i(fcopy_raddr),
    .fcopy_rdata_o(fcopy_rdata),
    .g1_raddr_i(g1_raddr), .g1_rdata_o(g1_rdata)
  );

  //===------------------------------------------------------------------===//
  // Weight memories: staging rows (regions 1, 2: offset = lane), commits (regions 5, 6:
  // offset = row)
  //===------------------------------------------------------------------===//
  logic [BwBits-1:0]      bw_raddr;
  logic [FwBits-1:0]      fw_raddr;
  logic [Pe*48-1:0]       bin_wgt, bw_stage_q;
  logic [Pe*FixCh*8-1:0]  fix_wgt, fw_stage_q;
  logic [PeBits-1:0]      cfg_lane;
  assign cfg_lane = cfg_addr_i[PeBits-1:0];

  // One enable per lane: constant offsets (a variable part-select would synthesize to a
  // barrel shifter across the whole row).
  for (genvar p = 0; p < Pe; p++) begin : gen_stage
    always_ff @(posedge clk_i) begin
      if (cfg_we_i && cfg_addr_i[23:20] == 4'd1 && cfg_lane == p[PeBits-1:0]) begin
        bw_stage_q[p*48 +: 48] <= cfg_wdata_i[47:0];
      end
      if (cfg_we_i && cfg_addr_i[23:20] == 4'd2 && cfg_lane == p[PeBits-1:0]) begin
        fw_stage_q[p*FixCh*8 +: FixCh*8] <= cfg_wdata_i[FixCh*8-1:0];
      end
    end
  end

  blend_ram #(.Width(Pe*48), .Depth(BwDepth), .Block(1)) u_bw (
    .clk_i(clk_i), .we_i(cfg_we_i && cfg_addr_i[23:20] == 4'd5),
    .waddr_i(cfg_addr_i[BwBits-1:0]), .wdata_i(bw_stage_q),
    .re_i(mb_re), .raddr_i(bw_raddr), .rdata_o(bin_wgt)
  );
  blend_ram #(.Width(Pe*FixCh*8), .Depth(FwDepth), .Block(1)) u_fw (
    .clk_i(clk_i), .we_i(cfg_we_i && cfg_addr_i[23:20] == 4'd6),
    .waddr_i(cfg_addr_i[FwBits-1:0]), .wdata_i(fw_stage_q),
    .re_i(fa_re), .raddr_i(fw_raddr), .rdata_o(fix_wgt)
  );

  //===------------------------------------------------------------------===//
  // Main-path controller (blend_net_main): binary convolution beats to the binary engine
  //===------------------------------------------------------------------===//
  logic                 bst_valid, bst_last, beng_ready;
  logic [MFolds*48-1:0] bact_hw, bmask_hw;
  blend_net_main #(
    .Words(Words), .PackBits(PackBits), .MFolds(MFolds), .AddrBits(AddrBits), .BwBits(BwBits)
  ) u_main (
    .clk_i(clk_i), .rst_ni(rst_ni), .start_i(start_q), .en_i(main_en), .oh_i(oh), .ow_i(ow),
    .m_c_i(m_c), .m_words_i(m_words), .m_h_i(m_h), .m_w_i(m_w), .m_k_i(m_k),
    .m_stride_i(m_stride), .m_pad_i(m_pad), .m_pack_i(m_pack), .m_fold_i(m_fold),
    .m_rowoff_i(m_rowoff), .m_src_i(m_src), .m_wbase_i(m_wbase),
    .re_o(mb_re), .raddr_o(mb_raddr), .raddr1_o(bin_raddr1), .raddr2_o(bin_raddr2),
    .rdata_i(bin_rdata), .rdata1_i(bin_rdata1), .rdata2_i(bin_rdata2),
    .g1_raddr_o(g1_raddr), .g1_rdata_i(g1_rdata), .wrow_o(bw_raddr),
    .valid_o(bst_valid), .eng_ready_i(beng_ready), .act_o(bact_hw), .mask_o(bmask_hw),
    .last_o(bst_last)
  );
  //===------------------------------------------------------------------===//
  // Skip-path controller (blend_net_skip): int8 convolution beats to the fixed engine
  //===------------------------------------------------------------------===//
  logic                     fst_valid, fst_last, fst_two, feng_ready;
  logic [Folds*FixCh*9-1:0] fact;
  logic [FixCh*9-1:0]       fact2;
  blend_net_skip #(
    .MaxC(MaxC), .FixCh(FixCh), .Folds(Folds), .FixCopies(FixCopies), .Pairs(Pairs),
    .AddrBits(AddrBits), .FwBits(FwBits)
  ) u_skip (
    .clk_i(clk_i), .rst_ni(rst_ni), .start_i(start_q), .en_i(skip_en), .oh_i(oh), .ow_i(ow),
    .s_h_i(s_h), .s_w_i(s_w), .s_kh_i(s_kh), .s_kw_i(s_kw), .s_stride_i(s_stride),
    .s_pad_i(s_pad), .s_cgroups_i(s_cgroups), .s_fold_i(s_fold), .s_rowoff_i(s_rowoff),
    .s_shared_i(s_shared), .s_rowsplit_i(s_rowsplit), .s_pair_i(s_pair), .s_zp_i(s_zp),
    .s_src_i(s_src), .s_wbase_i(s_wbase),
    .re_o(fa_re), .raddr_o(fa_raddr), .pair_raddr_o(pa_raddr), .fcopy_raddr_o(fcopy_raddr),
    .rdata_i(act_rdata), .rdata2_i(act_rdata2), .fcopy_rdata_i(fcopy_rdata),
    .wrow_o(fw_raddr), .valid_o(fst_valid), .eng_ready_i(feng_ready), .act_o(fact),
    .act2_o(fact2), .two_o(fst_two), .last_o(fst_last)
  );

  //===------------------------------------------------------------------===//
  // Transposer: a step that turns a tensor of O pixels x OW channels into OW pixels x O
  // channels (token mixing reads the transpose of what channel mixing wrote). Per block of
  // Lanes output pixels (source channels c0 .. c0+Lanes-1): read the O source pixels (int8
  // word and binary word at one address per cycle) into Lanes assembly rows, then write each
  // row as one output pixel while the tap port shows it, 4*Lanes int8 values per beat.
  //===------------------------------------------------------------------===//
  logic                tr_done, tr_tap_valid;
  logic [Lanes*32-1:0] tr_tap_data;
  if (TrP > 0) begin : gen_transposer
    blend_net_transpose #(
      .MaxC(MaxC), .Lanes(Lanes), .TrP(TrP), .Words(Words), .AddrBits(AddrBits)
    ) u_transpose (
      .clk_i(clk_i), .rst_ni(rst_ni), .start_i(start_q && transpose), .o_i(o), .ow_i(ow),
      .src_i(s_src), .dst_i(dst), .re_o(tr_re), .raddr_o(tr_raddr),
      .act_rdata_i(act_rdata), .bin_rdata_i(bin_rdata), .we_o(tr_we), .waddr_o(tr_waddr),
      .act_o(tr_act), .bin_o(tr_bin), .done_o(tr_done), .tap_valid_o(tr_tap_valid),
      .tap_data_o(tr_tap_data)
    );
  end else begin : gen_no_transposer
    assign {tr_re, tr_we, tr_done, tr_tap_valid} = '0;
    assign tr_raddr = '0;
    assign tr_waddr = '0;
    assign tr_act = '0;
    assign tr_bin = '0;
    assign tr_tap_data = '0;
  end

  //===------------------------------------------------------------------===//
  // Engines and post-processing
  //===------------------------------------------------------------------===//
  logic                main_valid, main_ready, skip_valid, skip_ready;
  logic [Pe*AccB-1:0]  main_acc, main_acc_raw;
  logic [Pe*AccF-1:0]  skip_acc, skip_acc_raw;


  blend_binary_engine #(.Pe(Pe), .AccWidth(AccB), .LutXnor(LutXnor), .Groups(MFolds)) u_binary (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .in_valid_i(bst_valid), .in_ready_o(beng_ready),
    .act_i(bact_hw), .mask_i(bmask_hw), .wgt_i(bin_wgt),
    .last_i(bst_last),
    .out_valid_o(main_valid), .out_ready_i(main_ready), .acc_o(main_acc_raw)
  );
  blend_fold #(.Pe(Pe), .Width(AccB), .Folds(MFolds)) u_main_fold (
    .fold_i(m_fold), .acc_i(main_acc_raw), .acc_o(main_acc)
  );

  blend_fixed_engine #(
    .Pe(Pe), .AccWidth(AccF), .Channels(FixCh), .Groups(Folds), .Pairs(Pairs)
  ) u_fixed (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .in_valid_i(fst_valid), .in_ready_o(feng_ready),
    .act_i(fact), .wgt_i(fix_wgt), .last_i(fst_last),
    .pair_i(s_pair), .act2_i(fact2), .two_i(fst_two),
    .out_valid_o(skip_valid), .out_ready_i(skip_ready), .acc_o(skip_acc_raw)
  );
  // A folded step's output channel o is the sum of its F groups' lanes o + g * Pe / F.
  blend_fold #(.Pe(Pe), .Width(AccF), .Folds(Folds)) u_skip_fold (
    .fold_i(s_fold), .acc_i(skip_acc_raw), .acc_o(skip_acc)
  );

  assign pixels_out = {16'd0, oh} * {16'd0, ow};
  logic                post_tap_valid, post_done;
  logic [Lanes*32-1:0] post_tap_data;

  blend_netpost #(
    .Pe(Pe), .Lanes(Lanes), .AccB(AccB), .AccF(AccF), .MaxC(MaxC), .Words(Words),
    .CDepth(CDepth),
    .AddrBits(AddrBits), .Tiled(Tiled)
  ) u_post (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .cfg_we_i(cfg_we_i && cfg_addr_i[23:20] == 4'd3), .cfg_addr_i(cfg_addr_i[19:0]),
    .cfg_wdata_i(cfg_wdata_i),
    .start_i(start_q && !ld_step && !cp_step && !pl_step), .main_en_i(main_en),
    .skip_en_i(skip_en),
    .out_binary_i(out_binary), .stream_i(stream),
    .channels_i(o), .pixels_i(pixels_out), .cbase_i(cbase), .rounding_i(rounding),
    .join_min_i(join_min), .join_max_i(join_max),
    .out_zp_i(out_zp), .out_min_i(out_min), .out_max_i(out_max),
    .dst_i(dst[AddrBits-1:0]), .offset_i(out_offset),
    .main_valid_i(main_valid), .main_ready_o(main_ready), .main_acc_i(main_acc),
    .skip_valid_i(skip_valid), .skip_ready_o(skip_ready), .skip_acc_i(skip_acc),
    .mem_we_o(post_we), .mem_waddr_o(post_waddr), .act_wdata_o(post_act),
    .bin_wdata_o(post_bin), .act_be_o(post_act_be), .bin_be_o(post_bin_be),
    .out_valid_o(m_axis_tvalid_o), .out_ready_i(m_axis_tready_i),
    .out_data_o(m_axis_tdata_o), .out_last_o(m_axis_tlast_o),
    .tap_valid_o(post_tap_valid), .tap_data_o(post_tap_data), .done_o(post_done)
  );
  assign step_done   = transpose ? tr_done : pl_step ? pl_done : post_done;
  assign work_done   = ld_step ? ld_done : cp_step ? cp_done : step_done;
  assign tap_valid_o = transpose ? tr_tap_valid : pl_step ? pl_tap_valid : post_tap_valid;
  assign tap_data_o  = transpose ? tr_tap_data : pl_step ? pl_tap_data : post_tap_data;
  assign tap_step_o = step_q;
endmodule
