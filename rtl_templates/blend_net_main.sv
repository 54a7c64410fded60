// blend_net_main.sv — blend_net's main-path (binary) controller: for a step with the main path
// enabled it walks the output pixels and, per pixel, the beats of its binary convolution — one
// 48-bit word of one tap (padding taps and channels beyond C masked off), or with packed rows
// (m_pack = 16, 32, 64) the three taps of a kernel row in slots of m_pack bits, 1, 2 or 4
// words — reading the binary memory (and its two tap copies) at the tap's pixel address and the
// weight row m_wbase + (the beat's index within the pixel), and presents each beat to the
// binary engine one cycle later (the memories' read latency) with its channel mask and `last`
// on the pixel's last beat. MFolds = 2 and m_fold = 2: lane group 1 takes the next kernel row
// (packed) or the next tap in the same beat through its own copies (g1_*), so a pixel takes
// half the beats. The engine's ready stalls the walk.
module blend_net_main #(
  parameter int unsigned Words    = 1,   // 48-bit words per binary-memory word
  parameter int unsigned PackBits = 16,  // widest packed slot (the copies' width)
  parameter int unsigned MFolds   = 1,   // binary lane groups (1 or 2)
  parameter int unsigned AddrBits = 10,  // activation / binary memory address bits
  parameter int unsigned BwBits   = 4,   // binary weight row address bits
  parameter int unsigned PackBits1 = (PackBits > 32) ? 32 : PackBits, // group 1's copies
  parameter int unsigned WiBits   = (Words > 4) ? $clog2(Words) : 2   // word of a pixel / row
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  input  logic                      start_i,    // pulse: a step starts (fields below valid)
  input  logic                      en_i,       // the step has a main path
  // The step's fields (docs/schedule-format.md).
  input  logic [15:0]               oh_i, ow_i,
  input  logic [15:0]               m_c_i, m_words_i, m_h_i, m_w_i, m_k_i, m_stride_i,
  input  logic [15:0]               m_pad_i, m_pack_i, m_fold_i, m_rowoff_i,
  /* verilator lint_off UNUSEDSIGNAL */ // only the low bits address the memories
  input  logic [31:0]               m_src_i, m_wbase_i,
  /* verilator lint_on UNUSEDSIGNAL */
  // The binary memory: the word and the packed-row copies; lane group 1's copies.
  output logic                      re_o,
  output logic [AddrBits-1:0]       raddr_o,
  output logic [AddrBits-1:0]       raddr1_o,
  output logic [AddrBits-1:0]       raddr2_o,
  /* verilator lint_off UNUSEDSIGNAL */ // words beyond the first two taps' slots
  input  logic [Words*48-1:0]       rdata_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [PackBits-1:0]       rdata1_i,
  input  logic [PackBits-1:0]       rdata2_i,
  output logic [3*AddrBits-1:0]     g1_raddr_o,
  /* verilator lint_off UNUSEDSIGNAL */ // MFolds = 1: unused
  input  logic [48+2*PackBits1-1:0] g1_rdata_i,
  /* verilator lint_on UNUSEDSIGNAL */
  // The weight row of the beat (read with re_o).
  output logic [BwBits-1:0]         wrow_o,
  // The beat to the binary engine.
  output logic                      valid_o,
  input  logic                      eng_ready_i,
  output logic [MFolds*48-1:0]      act_o,
  output logic [MFolds*48-1:0]      mask_o,
  output logic                      last_o
);
  logic bpacked;
  assign bpacked = (m_pack_i != 16'd0);
  //===------------------------------------------------------------------===//
  // The walk: output pixel x KxK taps x 48-bit words
  //
  // A folded step (m_fold_i = 2, O <= Pe / 2; MFolds = 2) gives lane group 1 the next part of the
  // receptive field: packed, the next kernel row (a pixel takes ceil(K / 2) beats); one word per
  // tap (C <= 48), the next tap in raster order (ceil(K*K / 2) beats). Group 1 reads through its
  // own copies of the binary memory (tap kx = 0: channels 0-47; kx = 1, 2: channels 0-15).
  // Weight row = the beat's index within the pixel.
  //===------------------------------------------------------------------===//
  logic        bact_q;
  logic [15:0] boy_q, box_q, bky_q, bkx_q, bwi_q, brow_q;
  logic        bst_valid_q, bst_last_q;
  logic [MFolds*48-1:0] bst_mask_q;
  logic [WiBits-1:0] bst_wi_q;
  logic        bissue, blast_beat, blast_pixel, blast_wi, btap_valid;
  logic signed [17:0] biy, bix, bix1, bix2;
  logic        btap_valid1, btap_valid2;
  logic [47:0] bmask;
  logic [63:0] bcm; // channel mask of one slot of a packed row: C bits
  logic [15:0] bword_bits;
  logic [47:0] bword_mask;
  logic        bfold2, blast_tap0, blast_tap1;
  // Group 1's tap (fold 2): the next kernel row (packed) or the next tap.
  logic [15:0] bky1, bkx1;
  logic        bg1_real;

  /// A packed kernel row: the three taps' slots of m_pack_i bits (16, 32 or 64) back to back,
  /// (slot·kx + c), in 1, 2 or 4 words of 48 bits.
  function automatic logic [191:0] pack_row(input logic [15:0] slot, input logic [63:0] t0,
                                            input logic [63:0] t1, input logic [63:0] t2);
    pack_row = '0;
    if (slot == 16'd16) begin
      pack_row[47:0] = {t2[15:0], t1[15:0], t0[15:0]};
    end else if (slot == 16'd32) begin
      pack_row[95:0] = {t2[31:0], t1[31:0], t0[31:0]};
    end else begin
      pack_row = {t2, t1, t0};
    end
  endfunction
  /// Word wi of a packed row (constant offsets).
  function automatic logic [47:0] row_word(input logic [191:0] row, input logic [15:0] wi);
    row_word = row[47:0];
    if (wi == 16'd1) row_word = row[95:48];
    if (wi == 16'd2) row_word = row[143:96];
    if (wi == 16'd3) row_word = row[191:144];
  endfunction
  // Address arithmetic in 32 bits; only the low bits address the memories.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] bin_raddr32, bw_raddr32;
  /* verilator lint_on UNUSEDSIGNAL */

  assign biy = $signed({2'b00, boy_q} * {2'b00, m_stride_i}) + $signed({2'b00, bky_q})
             - $signed({2'b00, m_pad_i}) + $signed({2'b00, m_rowoff_i});
  assign bix = $signed({2'b00, box_q} * {2'b00, m_stride_i}) + $signed({2'b00, bkx_q})
             - $signed({2'b00, m_pad_i});
  assign bix1 = bix + 18'sd1;
  assign bix2 = bix + 18'sd2;
  assign btap_valid  = (biy >= 0) && (biy < $signed({2'b00, m_h_i})) &&
                       (bix >= 0) && (bix < $signed({2'b00, m_w_i}));
  assign btap_valid1 = (biy >= 0) && (biy < $signed({2'b00, m_h_i})) &&
                       (bix1 >= 0) && (bix1 < $signed({2'b00, m_w_i}));
  assign btap_valid2 = (biy >= 0) && (biy < $signed({2'b00, m_h_i})) &&
                       (bix2 >= 0) && (bix2 < $signed({2'b00, m_w_i}));
  assign bcm = (m_c_i >= 16'd64) ? {64{1'b1}} : ((64'd1 << m_c_i) - 64'd1);
  assign bword_bits = m_c_i - bwi_q * 16'd48;
  assign bword_mask = (bword_bits >= 16'd48) ? {48{1'b1}} : ((48'd1 << bword_bits) - 48'd1);
  assign blast_wi   = (bwi_q == m_words_i - 16'd1);
  assign bmask = bpacked
      ? row_word(pack_row(m_pack_i, btap_valid ? bcm : 64'd0, btap_valid1 ? bcm : 64'd0,
                          btap_valid2 ? bcm : 64'd0), bwi_q)
      : btap_valid ? bword_mask : 48'd0;
  // Pixel addresses of the beat's taps (an invalid tap reads any address: its mask is 0).
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] brow32, bin_raddr1_32, bin_raddr2_32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign brow32        = m_src_i + {16'd0, biy[15:0]} * {16'd0, m_w_i};
  assign bin_raddr32   = brow32 + {16'd0, bix[15:0]};
  assign bin_raddr1_32 = brow32 + {16'd0, bix1[15:0]};
  assign bin_raddr2_32 = brow32 + {16'd0, bix2[15:0]};
  assign raddr_o    = bin_raddr32[AddrBits-1:0];
  assign raddr1_o  = bin_raddr1_32[AddrBits-1:0];
  assign raddr2_o  = bin_raddr2_32[AddrBits-1:0];
  assign bw_raddr32  = m_wbase_i + {16'd0, brow_q};
  assign wrow_o    = bw_raddr32[BwBits-1:0];
  // The beat's taps and the pixel's last beat.
  assign bfold2 = (m_fold_i >= 16'd2);
  assign bky1 = (bpacked || bkx_q == m_k_i - 16'd1) ? bky_q + 16'd1 : bky_q;
  assign bkx1 = (bpacked || bkx_q == m_k_i - 16'd1) ? 16'd0 : bkx_q + 16'd1;
  assign bg1_real   = bfold2 && (bky1 < m_k_i);
  assign blast_tap0 = (bky_q == m_k_i - 16'd1) && (bpacked || bkx_q == m_k_i - 16'd1);
  assign blast_tap1 = bg1_real && (bky1 == m_k_i - 16'd1) && (bpacked || bkx1 == m_k_i - 16'd1);
  assign blast_beat  = (blast_tap0 || blast_tap1) && blast_wi;
  assign blast_pixel = blast_beat && (box_q == ow_i - 16'd1) && (boy_q == oh_i - 16'd1);
  assign bissue = bact_q && (!bst_valid_q || eng_ready_i);
  assign re_o = bissue;

  // Group 1 (MFolds = 2): its tap's validity, mask and copy addresses.
  logic [MFolds*48-1:0] bmask_all;
  logic [MFolds*48-1:0] bact_all; // the words, one stage later (memory read latency)
  if (MFolds > 1) begin : gen_bgroup1
    logic signed [17:0] biy1, bix10, bix11, bix12;
    logic        bv1_row, bv10, bv11, bv12;
    logic [47:0] bmask1;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [31:0] brow1_32, ba10_32, ba11_32, ba12_32;
    /* verilator lint_on UNUSEDSIGNAL */
    logic [47:0] brd10;
    logic [PackBits1-1:0] brd11, brd12;
    assign biy1  = $signed({2'b00, boy_q} * {2'b00, m_stride_i}) + $signed({2'b00, bky1})
                 - $signed({2'b00, m_pad_i}) + $signed({2'b00, m_rowoff_i});
    assign bix10 = $signed({2'b00, box_q} * {2'b00, m_stride_i}) + $signed({2'b00, bkx1})
                 - $signed({2'b00, m_pad_i});
    assign bix11 = bix10 + 18'sd1;
    assign bix12 = bix10 + 18'sd2;
    assign bv1_row = bg1_real && (biy1 >= 0) && (biy1 < $signed({2'b00, m_h_i}));
    assign bv10 = bv1_row && (bix10 >= 0) && (bix10 < $signed({2'b00, m_w_i}));
    assign bv11 = bv1_row && (bix11 >= 0) && (bix11 < $signed({2'b00, m_w_i}));
    assign bv12 = bv1_row && (bix12 >= 0) && (bix12 < $signed({2'b00, m_w_i}));
    assign bmask1 = bpacked
        ? row_word(pack_row(m_pack_i, bv10 ? bcm : 64'd0, bv11 ? bcm : 64'd0,
                            bv12 ? bcm : 64'd0), bwi_q)
        : bv10 ? bword_mask : 48'd0;
    assign bmask_all = {bmask1, bmask};
    assign brow1_32 = m_src_i + {16'd0, biy1[15:0]} * {16'd0, m_w_i};
    assign ba10_32  = brow1_32 + {16'd0, bix10[15:0]};
    assign ba11_32  = brow1_32 + {16'd0, bix11[15:0]};
    assign ba12_32  = brow1_32 + {16'd0, bix12[15:0]};
    assign g1_raddr_o = {ba12_32[AddrBits-1:0], ba11_32[AddrBits-1:0], ba10_32[AddrBits-1:0]};
    assign brd10 = g1_rdata_i[47:0];
    assign brd11 = g1_rdata_i[48 +: PackBits1];
    assign brd12 = g1_rdata_i[48+PackBits1 +: PackBits1];
    logic [63:0] b1t0, b1t1, b1t2;
    assign b1t0 = {16'd0, brd10};
    assign b1t1 = {{(64-PackBits1){1'b0}}, brd11};
    assign b1t2 = {{(64-PackBits1){1'b0}}, brd12};
    assign bact_all[95:48] = bpacked
        ? row_word(pack_row(m_pack_i, b1t0, b1t1, b1t2), {{(16-WiBits){1'b0}}, bst_wi_q})
        : brd10;
  end else begin : gen_bgroup0
    assign bmask_all = bmask;
    assign g1_raddr_o = '0;
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      bact_q <= 1'b0;
      {boy_q, box_q, bky_q, bkx_q, bwi_q, brow_q} <= '0;
      bst_valid_q <= 1'b0;
      bst_last_q  <= 1'b0;
      bst_mask_q  <= '0;
      bst_wi_q    <= '0;
    end else begin
      if (start_i) begin
        bact_q <= en_i;
        {boy_q, box_q, bky_q, bkx_q, bwi_q, brow_q} <= '0;
      end else if (bissue) begin
        if (blast_pixel) bact_q <= 1'b0;
        brow_q <= blast_beat ? 16'd0 : brow_q + 16'd1;
        if (!blast_wi) begin
          bwi_q <= bwi_q + 16'd1;
        end else begin
          bwi_q <= '0;
          if (blast_beat) begin
            bkx_q <= '0;
            bky_q <= '0;
            if (box_q != ow_i - 16'd1) begin
              box_q <= box_q + 16'd1;
            end else begin
              box_q <= '0;
              boy_q <= boy_q + 16'd1;
            end
          end else if (bfold2) begin
            // The tap after group 1's.
            bky_q <= (bpacked || bkx1 == m_k_i - 16'd1) ? bky1 + 16'd1 : bky1;
            bkx_q <= (bpacked || bkx1 == m_k_i - 16'd1) ? 16'd0 : bkx1 + 16'd1;
          end else begin
            bky_q <= bky1;
            bkx_q <= bkx1;
          end
        end
      end
      if (!bst_valid_q || eng_ready_i) begin
        bst_valid_q <= bissue;
        if (bissue) begin
          bst_mask_q <= bmask_all;
          bst_last_q <= blast_beat;
          bst_wi_q   <= bwi_q[WiBits-1:0];
        end
      end
    end
  end


  // The beat's words: the binary word read, or a packed row's from the word and its copies.
  logic [47:0] bact;
  logic [47:0] bword;
  always_comb begin // a mux over the words (constant offsets)
    bword = '0;
    for (int w = 0; w < Words; w++) begin
      if ({{(32-WiBits){1'b0}}, bst_wi_q} == w) bword = rdata_i[w*48 +: 48];
    end
  end
  // A packed row's taps: the word read (channels 0-63) and the two copies.
  logic [63:0] bt0, bt1, bt2;
  if (Words > 1) begin : gen_bt0_wide
    assign bt0 = rdata_i[63:0];
  end else begin : gen_bt0_narrow
    assign bt0 = {16'd0, rdata_i};
  end
  assign bt1 = {{(64-PackBits){1'b0}}, rdata1_i};
  assign bt2 = {{(64-PackBits){1'b0}}, rdata2_i};
  assign bact = bpacked
      ? row_word(pack_row(m_pack_i, bt0, bt1, bt2), {{(16-WiBits){1'b0}}, bst_wi_q})
      : bword;
  assign bact_all[47:0] = bact;
  // Hardware lane group h takes logical group h * m_fold_i / MFolds.
    if (MFolds > 1) begin : gen_bhw
    assign act_o  = bfold2 ? bact_all : {2{bact_all[47:0]}};
    assign mask_o = bfold2 ? bst_mask_q : {2{bst_mask_q[47:0]}};
  end else begin : gen_bhw1
    assign act_o  = bact_all;
    assign mask_o = bst_mask_q;
  end
  assign valid_o = bst_valid_q;
  assign last_o  = bst_last_q;
endmodule
