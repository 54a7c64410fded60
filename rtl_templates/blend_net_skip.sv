// blend_net_skip.sv — blend_net's skip-path (fixed-point) controller: for a step with the skip
// path enabled it walks the output pixels and, per pixel, the beats of its KHxKW int8
// convolution — FixCh input channels (one channel group) of one tap per beat — reading the
// activation memory at the tap's pixel address and the weight row s_wbase + (the beat's index
// within the pixel; within the tap for shared weights), and presents each beat to the fixed
// engine one cycle later as 9-bit q - zp values (0 for padding taps and groups past the
// channels), with `last` on the pixel's last beat. Folded steps (s_fold > 1), row splits and
// pixel pairs are described below; the engine's ready stalls the walk.
module blend_net_skip #(
  parameter int unsigned MaxC      = 16,  // channels per pixel word (a multiple of FixCh)
  parameter int unsigned FixCh     = 1,   // channels per beat and lane group
  parameter int unsigned Folds     = 1,   // hardware lane groups (1, 2, 4)
  parameter int unsigned FixCopies = 0,   // activation-memory copies for row splits
  parameter int unsigned Pairs     = 0,   // 1: the pixel-pair mode
  parameter int unsigned AddrBits  = 10,  // activation-memory address bits
  parameter int unsigned FwBits    = 4,   // fixed-point weight row address bits
  parameter int unsigned CGroups   = MaxC / FixCh,
  parameter int unsigned CBits     = (CGroups > 1) ? $clog2(CGroups) : 1
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  input  logic                        start_i,   // pulse: a step starts (fields below valid)
  input  logic                        en_i,      // the step has a skip path
  // The step's fields (docs/schedule-format.md).
  input  logic [15:0]                 oh_i, ow_i,
  input  logic [15:0]                 s_h_i, s_w_i, s_kh_i, s_kw_i, s_stride_i, s_pad_i,
  input  logic [15:0]                 s_cgroups_i, s_fold_i, s_rowoff_i,
  input  logic                        s_shared_i, s_rowsplit_i, s_pair_i,
  input  logic [8:0]                  s_zp_i,
  /* verilator lint_off UNUSEDSIGNAL */ // only the low bits address the memories
  input  logic [31:0]                 s_src_i, s_wbase_i,
  /* verilator lint_on UNUSEDSIGNAL */
  // The activation memory: the word, the pair's second pixel, the row-split copies.
  output logic                        re_o,
  output logic [AddrBits-1:0]         raddr_o,
  output logic [AddrBits-1:0]         pair_raddr_o,
  output logic [FixCopies*AddrBits:0] fcopy_raddr_o, // the top bit is a spare
  input  logic [MaxC*8-1:0]           rdata_i,
  /* verilator lint_off UNUSEDSIGNAL */ // Pairs / FixCopies = 0: unused
  input  logic [MaxC*8-1:0]           rdata2_i,
  input  logic [FixCopies*FixCh*8:0]  fcopy_rdata_i,
  /* verilator lint_on UNUSEDSIGNAL */
  // The weight row of the beat (read with re_o).
  output logic [FwBits-1:0]           wrow_o,
  // The beat to the fixed-point engine.
  output logic                        valid_o,
  input  logic                        eng_ready_i,
  output logic [Folds*FixCh*9-1:0]    act_o,     // per hardware lane group
  output logic [FixCh*9-1:0]          act2_o,    // the pair's second pixel
  output logic                        two_o,     // the beat has a second pixel
  output logic                        last_o
);
  //===------------------------------------------------------------------===//
  // The walk: output pixel x KHxKW taps x input channels
  //
  // A folded step (s_fold_i = F > 1, O <= Pe / F) gives each of F lane groups its own part of the
  // reduction per beat, and the groups' accumulators are summed after the engine:
  //   channel split   group g takes channel group fc + g of the tap (one memory read): a tap
  //                   takes ceil(cgroups / F) beats;
  //   row split       (s_rowsplit_i: C <= FixCh, min(KW, F) - 1 <= FixCopies) a beat is F taps
  //                   of a kernel row, group g takes tap kx = kx0 + g through activation-memory
  //                   copy g: a pixel takes KH * ceil(KW / F) beats.
  // Weight row = the beat's index within the pixel (within the tap for shared weights).
  // A pixel-pair step (s_pair_i: unfolded) walks output pixels n, n + 1 in raster order (the pair
  // wraps to the next row after a row's last pixel; an odd pixel count ends with a lone pixel)
  // and reads both pixels' taps each beat: the second tap's address is the first's plus
  // stride (same row) or stride * (W - OW + 1) (wrapped), which the compiler keeps odd, so the
  // two reads hit different activation banks (the second through pair_raddr_o).
  //===------------------------------------------------------------------===//
  logic        fact_q;
  logic [15:0] foy_q, fox_q, fky_q, fkx_q, fc_q, frow_q;
  logic        fst_valid_q, fst_last_q;
  logic [Folds-1:0] fst_gv_q;  // per logical group: its tap is real (not padding, not past C)
  logic [CBits-1:0] fst_c_q;
  logic        fst_two_q, fst_gv2_q; // pair: a second pixel; its tap is real
  logic        ftwo, fgv2, flast_unit;
  logic [15:0] pair_ox, pair_oy; // pair mode: the next unit's first pixel
  logic        fissue, flast_c, flast_beat, flast_pixel, ftap_valid, fiy_valid;
  logic signed [17:0] fiy, fix;
  logic [Folds-1:0] fgv;

  assign fiy = $signed({2'b00, foy_q} * {2'b00, s_stride_i}) + $signed({2'b00, fky_q})
             - $signed({2'b00, s_pad_i}) + $signed({2'b00, s_rowoff_i});
  assign fix = $signed({2'b00, fox_q} * {2'b00, s_stride_i}) + $signed({2'b00, fkx_q})
             - $signed({2'b00, s_pad_i});
  assign fiy_valid  = (fiy >= 0) && (fiy < $signed({2'b00, s_h_i}));
  assign ftap_valid = fiy_valid && (fix >= 0) && (fix < $signed({2'b00, s_w_i}));
  // The tap's pixel address (any address when it is padding: its value is replaced by 0);
  // copy k reads the pixel k to the right, tap kx = k of a row split.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] frow_addr32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign frow_addr32 = s_src_i + {16'd0, fiy[15:0]} * {16'd0, s_w_i} + {{14{fix[17]}}, fix};
  assign raddr_o    = frow_addr32[AddrBits-1:0];
  for (genvar k = 0; k < FixCopies; k++) begin : gen_fcopy_addr
    /* verilator lint_off UNUSEDSIGNAL */
    logic [31:0] a32;
    /* verilator lint_on UNUSEDSIGNAL */
    assign a32 = frow_addr32 + k + 1;
    assign fcopy_raddr_o[k*AddrBits +: AddrBits] = a32[AddrBits-1:0];
  end
  assign fcopy_raddr_o[FixCopies*AddrBits] = 1'b0;
  // Which logical groups carry a real tap this beat.
  for (genvar g = 0; g < Folds; g++) begin : gen_fgv
    logic signed [17:0] fixg;
    assign fixg = fix + g;
    assign fgv[g] = s_rowsplit_i
        ? (fkx_q + g < s_kw_i && fiy_valid && fixg >= 0 && fixg < $signed({2'b00, s_w_i}))
        : (ftap_valid && fc_q + g < s_cgroups_i && g < s_fold_i);
  end
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] fw_raddr32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign fw_raddr32  = s_wbase_i + {16'd0, frow_q};
  assign wrow_o    = fw_raddr32[FwBits-1:0];
  assign flast_c     = (fc_q + s_fold_i >= s_cgroups_i);
  // The row's last tap (a row split steps F taps at a time).
  logic flast_kx;
  assign flast_kx    = s_rowsplit_i ? (fkx_q + s_fold_i >= s_kw_i) : (fkx_q == s_kw_i - 16'd1);
  assign flast_beat  = flast_c && (fky_q == s_kh_i - 16'd1) && flast_kx;
  // The row's last pixel; the step's last pixel (pair mode: the unit holding it).
  logic frow_end, flast_row;
  assign frow_end    = (fox_q == ow_i - 16'd1);
  assign flast_row   = (foy_q == oh_i - 16'd1);
  assign ftwo = s_pair_i && !(frow_end && flast_row);
  if (Pairs != 0) begin : gen_pair_tap
    logic signed [17:0] fiy2, fix2;
    logic [16:0] nx; // the next unit's first column before wrapping
    // Only the address bits matter: the wrap distance stride * (W - OW + 1) modulo 2^AddrBits
    // (one small multiplier).
    logic [AddrBits-1:0] wrap_delta, stride_a;
    // The second pixel: (oy, ox + 1), or (oy + 1, 0) after the row's last pixel.
    assign fiy2 = frow_end ? fiy + $signed({2'b00, s_stride_i}) : fiy;
    assign fix2 = frow_end ? $signed({2'b00, fkx_q}) - $signed({2'b00, s_pad_i})
                           : fix + $signed({2'b00, s_stride_i});
    assign fgv2 = ftwo && fiy2 >= 0 && fiy2 < $signed({2'b00, s_h_i}) &&
                  fix2 >= 0 && fix2 < $signed({2'b00, s_w_i});
    assign stride_a   = s_stride_i[AddrBits-1:0];
    assign wrap_delta = stride_a * (s_w_i[AddrBits-1:0] - ow_i[AddrBits-1:0] + {{(AddrBits-1){1'b0}}, 1'b1});
    assign pair_raddr_o = raddr_o + (frow_end ? wrap_delta : stride_a);
    assign nx = {1'b0, fox_q} + 17'd2;
    always_comb begin
      // The unit holds the last pixel: as its first (nx > OW), as its second in the same row
      // (nx = OW), or, with OW = 1, as its second one row down.
      flast_unit = (flast_row && {15'd0, nx} >= {16'd0, ow_i}) ||
                   (foy_q + 16'd2 == oh_i && ow_i == 16'd1);
      if ({15'd0, nx} < {16'd0, ow_i}) begin
        pair_ox = nx[15:0];
        pair_oy = foy_q;
      end else if ({15'd0, nx} - {16'd0, ow_i} < {16'd0, ow_i}) begin
        pair_ox = nx[15:0] - ow_i;
        pair_oy = foy_q + 16'd1;
      end else begin // OW = 1
        pair_ox = '0;
        pair_oy = foy_q + 16'd2;
      end
    end
  end else begin : gen_no_pair_tap
    assign fgv2 = 1'b0;
    assign pair_raddr_o = '0;
    assign flast_unit = 1'b0;
    assign pair_ox = '0;
    assign pair_oy = '0;
  end
  assign flast_pixel = flast_beat && (s_pair_i ? flast_unit : (frow_end && flast_row));
  assign fissue = fact_q && (!fst_valid_q || eng_ready_i);
  assign re_o = fissue;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      fact_q <= 1'b0;
      {foy_q, fox_q, fky_q, fkx_q, fc_q, frow_q} <= '0;
      fst_valid_q <= 1'b0;
      fst_last_q  <= 1'b0;
      fst_gv_q    <= '0;
      fst_c_q     <= '0;
      fst_two_q   <= 1'b0;
      fst_gv2_q   <= 1'b0;
    end else begin
      if (start_i) begin
        fact_q <= en_i;
        {foy_q, fox_q, fky_q, fkx_q, fc_q, frow_q} <= '0;
      end else if (fissue) begin
        if (flast_pixel) fact_q <= 1'b0;
        frow_q <= (flast_beat || (s_shared_i && flast_c)) ? 16'd0 : frow_q + 16'd1;
        if (!flast_c) begin
          fc_q <= fc_q + s_fold_i;
        end else begin
          fc_q <= '0;
          if (!flast_kx) begin
            fkx_q <= fkx_q + (s_rowsplit_i ? s_fold_i : 16'd1);
          end else begin
            fkx_q <= '0;
            if (fky_q != s_kh_i - 16'd1) begin
              fky_q <= fky_q + 16'd1;
            end else begin
              fky_q <= '0;
              if (s_pair_i) begin
                fox_q <= pair_ox;
                foy_q <= pair_oy;
              end else if (!frow_end) begin
                fox_q <= fox_q + 16'd1;
              end else begin
                fox_q <= '0;
                foy_q <= foy_q + 16'd1;
              end
            end
          end
        end
      end
      if (!fst_valid_q || eng_ready_i) begin
        fst_valid_q <= fissue;
        if (fissue) begin
          fst_last_q <= flast_beat;
          fst_gv_q   <= fgv;
          fst_c_q    <= fc_q[CBits-1:0];
          fst_two_q  <= ftwo;
          fst_gv2_q  <= fgv2;
        end
      end
    end
  end

  // q - zp as 9-bit signed activations per logical group (channel group fst_c + g of the
  // word read, or copy g's channels in a row split); a padding tap, or a group past the
  // channels, contributes 0. Hardware group h takes logical group h * F / Folds.
  logic [Folds*FixCh*9-1:0] flog; // logical groups
  for (genvar g = 0; g < Folds; g++) begin : gen_flog
    logic [FixCh*8-1:0] fq, fsel;
    always_comb begin // a mux over the channel groups (constant offsets)
      fsel = '0;
      for (int c = 0; c < CGroups; c++) begin
        if ({{(32-CBits){1'b0}}, fst_c_q} + g == c) fsel = rdata_i[c*FixCh*8 +: FixCh*8];
      end
    end
    if (g > 0 && g <= FixCopies) begin : gen_copy
      assign fq = s_rowsplit_i ? fcopy_rdata_i[(g-1)*FixCh*8 +: FixCh*8] : fsel;
    end else begin : gen_word
      assign fq = fsel;
    end
    for (genvar f = 0; f < FixCh; f++) begin : gen_fact
      assign flog[(g*FixCh + f)*9 +: 9] =
          fst_gv_q[g] ? ({fq[f*8 + 7], fq[f*8 +: 8]} - s_zp_i) : 9'd0;
    end
  end
  // Pair mode: the second pixel's q - zp (channel group fst_c of the other bank's word).
  if (Pairs != 0) begin : gen_fact2
    logic [FixCh*8-1:0] fsel2;
    always_comb begin
      fsel2 = '0;
      for (int c = 0; c < CGroups; c++) begin
        if ({{(32-CBits){1'b0}}, fst_c_q} == c) fsel2 = rdata2_i[c*FixCh*8 +: FixCh*8];
      end
    end
    for (genvar f = 0; f < FixCh; f++) begin : gen_f
      assign act2_o[f*9 +: 9] = fst_gv2_q ? ({fsel2[f*8 + 7], fsel2[f*8 +: 8]} - s_zp_i) : 9'd0;
    end
  end else begin : gen_no_fact2
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_pair;
    assign unused_pair = fst_gv2_q;
    /* verilator lint_on UNUSEDSIGNAL */
    assign act2_o = '0;
  end
  for (genvar h = 0; h < Folds; h++) begin : gen_fhw
    localparam logic [31:0] HW = h;
    always_comb begin
      act_o[h*FixCh*9 +: FixCh*9] = flog[0 +: FixCh*9];
      for (int g = 1; g < Folds; g++) begin
        if ((HW * {16'd0, s_fold_i}) / Folds == g)
          act_o[h*FixCh*9 +: FixCh*9] = flog[g*FixCh*9 +: FixCh*9];
      end
    end
  end
  assign valid_o = fst_valid_q;
  assign two_o   = fst_two_q;
  assign last_o  = fst_last_q;
endmodule
