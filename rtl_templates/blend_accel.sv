// blend_accel.sv — a schedule-driven accelerator for one Blend module per pass.
//
// Data flow per image (docs/hardware.md):
//   LOAD     AXI4-Stream in: one pixel (C int8 activations) per beat, row-major. Each pixel is
//            written to the activation buffer and, binarized (q >= 0 -> bit 1), to the binary
//            buffer.
//   COMPUTE  Two controllers walk the output pixels concurrently:
//              - the binary controller feeds blend_binary_engine one 48-bit word of one 3x3 tap
//                per beat (zero-padding taps carry an all-zero mask), with the weight words of
//                every output channel;
//              - the fixed-point controller feeds blend_fixed_engine one input channel of the
//                1x1 tap per beat (q - zp), with the int8 weights of every output channel.
//            blend_postproc joins both results per pixel, requantizes, adds, and binarizes or
//            requantizes each output channel; values leave on the AXI4-Stream out port in
//            (row, column, channel) order — int8 one per beat, binary eight per beat —
//            with tlast on the image's last beat.
// The layer shape (C, O, H, W, stride, ...) and all constants are written through the cfg port
// from schedule.bin by the host driver; address map in docs/schedule-format.md.
module blend_accel #(
  parameter int unsigned MaxC   = 16,   // largest input channel count
  parameter int unsigned Pe     = 16,   // output channels (all computed in parallel)
  parameter int unsigned MaxPix = 1024, // largest H*W
  parameter int unsigned AccB   = 16,   // binary accumulator width
  parameter int unsigned AccF   = 24,   // fixed-point accumulator width
  parameter int unsigned LutXnor = 0    // binary XNORs in LUTs instead of DSP48E2s
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  // Configuration writes (host driver).
  input  logic              cfg_we_i,
  /* verilator lint_off UNUSEDSIGNAL */ // [19:16]: reserved within each region
  input  logic [23:0]       cfg_addr_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [63:0]       cfg_wdata_i,
  // AXI4-Stream in: one pixel of int8 activations per beat.
  input  logic              s_axis_tvalid_i,
  output logic              s_axis_tready_o,
  input  logic [MaxC*8-1:0] s_axis_tdata_i,
  // AXI4-Stream out: one int8 value, or eight packed binary values, per beat.
  output logic              m_axis_tvalid_o,
  input  logic              m_axis_tready_i,
  output logic [7:0]        m_axis_tdata_o,
  output logic              m_axis_tlast_o
);
  localparam int unsigned Words    = (MaxC + 47) / 48;
  localparam int unsigned TapWords = 9 * Words;
  localparam int unsigned PeBits   = (Pe > 1) ? $clog2(Pe) : 1;
  localparam int unsigned PixBits  = (MaxPix > 1) ? $clog2(MaxPix) : 1;
  localparam int unsigned TwBits   = (TapWords > 1) ? $clog2(TapWords) : 1;
  localparam int unsigned CBits    = (MaxC > 1) ? $clog2(MaxC) : 1;
  localparam int unsigned WiBits   = (Words > 1) ? $clog2(Words) : 1;

  //===------------------------------------------------------------------===//
  // Layer registers (cfg region 0)
  //===------------------------------------------------------------------===//
  logic [15:0] c_q, o_q, h_q, w_q, stride_q, oh_q, ow_q;
  logic [8:0]  in_zp_q;
  logic [31:0] out_zp_q, out_min_q, out_max_q, join_min_q, join_max_q;
  logic        out_int8_q, out_half_even_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      {c_q, o_q, h_q, w_q, stride_q, oh_q, ow_q} <= '0;
      in_zp_q <= '0;
      {out_zp_q, out_min_q, out_max_q, join_min_q, join_max_q} <= '0;
      out_int8_q      <= 1'b0;
      out_half_even_q <= 1'b0;
    end else if (cfg_we_i && cfg_addr_i[23:20] == 4'd0) begin
      case (cfg_addr_i[7:0])
        8'd0:  c_q             <= cfg_wdata_i[15:0];
        8'd1:  o_q             <= cfg_wdata_i[15:0];
        8'd2:  h_q             <= cfg_wdata_i[15:0];
        8'd3:  w_q             <= cfg_wdata_i[15:0];
        8'd4:  stride_q        <= cfg_wdata_i[15:0];
        8'd5:  oh_q            <= cfg_wdata_i[15:0];
        8'd6:  ow_q            <= cfg_wdata_i[15:0];
        8'd7:  in_zp_q         <= cfg_wdata_i[8:0];
        8'd8:  out_int8_q      <= cfg_wdata_i[0];
        8'd9:  out_half_even_q <= cfg_wdata_i[0];
        8'd10: out_zp_q        <= cfg_wdata_i[31:0];
        8'd11: out_min_q       <= cfg_wdata_i[31:0];
        8'd12: out_max_q       <= cfg_wdata_i[31:0];
        8'd13: join_min_q      <= cfg_wdata_i[31:0];
        8'd14: join_max_q      <= cfg_wdata_i[31:0];
        default: ;
      endcase
    end
  end

  //===------------------------------------------------------------------===//
  // Phase control
  //===------------------------------------------------------------------===//
  logic computing_q, start_q;
  logic [PixBits-1:0] load_pix_q;
  logic load_last;
  logic out_done;
  assign s_axis_tready_o = !computing_q;
  logic [31:0] pixels_in, pixels_out;
  assign pixels_in  = {16'd0, h_q} * {16'd0, w_q};
  assign pixels_out = {16'd0, oh_q} * {16'd0, ow_q};
  assign load_last  = ({{(32-PixBits){1'b0}}, load_pix_q} == pixels_in - 32'd1);
  assign out_done  = m_axis_tvalid_o && m_axis_tready_i && m_axis_tlast_o;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      computing_q <= 1'b0;
      start_q     <= 1'b0;
      load_pix_q  <= '0;
    end else begin
      start_q <= 1'b0;
      if (!computing_q && s_axis_tvalid_i) begin
        if (load_last) begin
          load_pix_q  <= '0;
          computing_q <= 1'b1;
          start_q     <= 1'b1;
        end else begin
          load_pix_q <= load_pix_q + 1'b1;
        end
      end
      if (computing_q && out_done) begin
        computing_q <= 1'b0;
      end
    end
  end

  //===------------------------------------------------------------------===//
  // Activation buffers
  //===------------------------------------------------------------------===//
  logic [Words*48-1:0] load_bits;
  always_comb begin
    load_bits = '0;
    for (int c = 0; c < MaxC; c++) begin
      load_bits[c] = ~s_axis_tdata_i[c*8 + 7]; // q >= 0 -> +1
    end
  end

  logic                load_we;
  assign load_we = !computing_q && s_axis_tvalid_i;

  logic                bin_re, act_re;
  logic [PixBits-1:0]  bin_raddr, act_raddr;
  logic [Words*48-1:0] bin_rdata;
  logic [MaxC*8-1:0]   act_rdata;

  blend_ram #(.Width(Words*48), .Depth(MaxPix)) u_bin_buf (
    .clk_i(clk_i), .we_i(load_we), .waddr_i(load_pix_q), .wdata_i(load_bits),
    .re_i(bin_re), .raddr_i(bin_raddr), .rdata_o(bin_rdata)
  );
  blend_ram #(.Width(MaxC*8), .Depth(MaxPix)) u_act_buf (
    .clk_i(clk_i), .we_i(load_we), .waddr_i(load_pix_q), .wdata_i(s_axis_tdata_i),
    .re_i(act_re), .raddr_i(act_raddr), .rdata_o(act_rdata)
  );

  //===------------------------------------------------------------------===//
  // Weight buffers (cfg regions 1 and 2), one per output channel
  //===------------------------------------------------------------------===//
  logic [TwBits-1:0]  bw_raddr;
  logic [CBits-1:0]   fw_raddr;
  logic [Pe*48-1:0]   bin_wgt;
  logic [Pe*8-1:0]    fix_wgt;

  for (genvar p = 0; p < Pe; p++) begin : gen_wbuf
    logic bw_we, fw_we;
    logic is_lane;
    assign is_lane = ({{(32-PeBits){1'b0}}, cfg_addr_i[PeBits-1:0]} == p);
    assign bw_we = cfg_we_i && cfg_addr_i[23:20] == 4'd1 && is_lane;
    assign fw_we = cfg_we_i && cfg_addr_i[23:20] == 4'd2 && is_lane;
    blend_ram #(.Width(48), .Depth(TapWords)) u_bw (
      .clk_i(clk_i), .we_i(bw_we), .waddr_i(cfg_addr_i[PeBits +: TwBits]),
      .wdata_i(cfg_wdata_i[47:0]), .re_i(bin_re), .raddr_i(bw_raddr),
      .rdata_o(bin_wgt[p*48 +: 48])
    );
    blend_ram #(.Width(8), .Depth(MaxC)) u_fw (
      .clk_i(clk_i), .we_i(fw_we), .waddr_i(cfg_addr_i[PeBits +: CBits]),
      .wdata_i(cfg_wdata_i[7:0]), .re_i(act_re), .raddr_i(fw_raddr),
      .rdata_o(fix_wgt[p*8 +: 8])
    );
  end

  //===------------------------------------------------------------------===//
  // Binary controller: output pixel x 3x3 taps x words
  //===------------------------------------------------------------------===//
  logic        bgen_active_q;
  logic [15:0] boy_q, box_q;
  logic [1:0]  bky_q, bkx_q;
  logic [WiBits-1:0] bwi_q;
  logic        bst_valid_q, bst_last_q;
  logic [47:0] bst_mask_q;
  logic [WiBits-1:0] bst_wi_q;
  logic        beng_ready, bissue, blast_beat, blast_pixel;
  logic signed [17:0] biy, bix;
  logic        btap_valid;
  logic [47:0] bmask;
  logic [15:0] bword_bits;
  logic        blast_wi;
  // Address arithmetic in 32 bits; only the low bits address the buffers.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] bin_raddr32, bw_raddr32, act_raddr32;
  /* verilator lint_on UNUSEDSIGNAL */

  assign biy = $signed({2'b00, boy_q} * {2'b00, stride_q}) + $signed({16'd0, bky_q}) - 18'sd1;
  assign bix = $signed({2'b00, box_q} * {2'b00, stride_q}) + $signed({16'd0, bkx_q}) - 18'sd1;
  assign btap_valid = (biy >= 0) && (biy < $signed({2'b00, h_q})) &&
                      (bix >= 0) && (bix < $signed({2'b00, w_q}));
  assign bword_bits = c_q - {{(16-WiBits){1'b0}}, bwi_q} * 16'd48;
  assign blast_wi   = ({{(32-WiBits){1'b0}}, bwi_q} == Words - 1);
  assign bmask = !btap_valid ? 48'd0 :
                 (bword_bits >= 16'd48) ? {48{1'b1}} : ((48'd1 << bword_bits) - 48'd1);
  assign bin_raddr32 = btap_valid ? ({16'd0, biy[15:0]} * {16'd0, w_q} + {16'd0, bix[15:0]}) : 32'd0;
  assign bin_raddr   = bin_raddr32[PixBits-1:0];
  assign bw_raddr32  = ({30'd0, bky_q} * 32'd3 + {30'd0, bkx_q}) * Words
                     + {{(32-WiBits){1'b0}}, bwi_q};
  assign bw_raddr    = bw_raddr32[TwBits-1:0];
  assign blast_beat  = (bky_q == 2'd2) && (bkx_q == 2'd2) && blast_wi;
  assign blast_pixel = blast_beat && (box_q == ow_q - 16'd1) && (boy_q == oh_q - 16'd1);
  assign bissue = bgen_active_q && (!bst_valid_q || beng_ready);
  assign bin_re = bissue;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      bgen_active_q <= 1'b0;
      {boy_q, box_q} <= '0;
      {bky_q, bkx_q} <= '0;
      bwi_q <= '0;
      bst_valid_q <= 1'b0;
      bst_last_q  <= 1'b0;
      bst_mask_q  <= '0;
      bst_wi_q    <= '0;
    end else begin
      if (start_q) begin
        bgen_active_q <= 1'b1;
        {boy_q, box_q} <= '0;
        {bky_q, bkx_q} <= '0;
        bwi_q <= '0;
      end else if (bissue) begin
        if (blast_pixel) bgen_active_q <= 1'b0;
        if (!blast_wi) begin
          bwi_q <= bwi_q + 1'b1;
        end else begin
          bwi_q <= '0;
          if (bkx_q != 2'd2) begin
            bkx_q <= bkx_q + 2'd1;
          end else begin
            bkx_q <= '0;
            if (bky_q != 2'd2) begin
              bky_q <= bky_q + 2'd1;
            end else begin
              bky_q <= '0;
              if (box_q != ow_q - 16'd1) begin
                box_q <= box_q + 16'd1;
              end else begin
                box_q <= '0;
                boy_q <= boy_q + 16'd1;
              end
            end
          end
        end
      end
      if (!bst_valid_q || beng_ready) begin
        bst_valid_q <= bissue;
        if (bissue) begin
          bst_mask_q <= bmask;
          bst_last_q <= blast_beat;
          bst_wi_q   <= bwi_q;
        end
      end
    end
  end

  //===------------------------------------------------------------------===//
  // Fixed-point controller: output pixel x input channels of the 1x1 tap
  //===------------------------------------------------------------------===//
  logic        fgen_active_q;
  logic [15:0] foy_q, fox_q, fc_q;
  logic        fst_valid_q, fst_last_q;
  logic [CBits-1:0] fst_c_q;
  logic        feng_ready, fissue, flast_beat, flast_pixel;

  assign act_raddr32 = ({16'd0, foy_q} * {16'd0, stride_q}) * {16'd0, w_q}
                     + {16'd0, fox_q} * {16'd0, stride_q};
  assign act_raddr   = act_raddr32[PixBits-1:0];
  assign fw_raddr    = fc_q[CBits-1:0];
  assign flast_beat  = (fc_q == c_q - 16'd1);
  assign flast_pixel = flast_beat && (fox_q == ow_q - 16'd1) && (foy_q == oh_q - 16'd1);
  assign fissue = fgen_active_q && (!fst_valid_q || feng_ready);
  assign act_re = fissue;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      fgen_active_q <= 1'b0;
      {foy_q, fox_q, fc_q} <= '0;
      fst_valid_q <= 1'b0;
      fst_last_q  <= 1'b0;
      fst_c_q     <= '0;
    end else begin
      if (start_q) begin
        fgen_active_q <= 1'b1;
        {foy_q, fox_q, fc_q} <= '0;
      end else if (fissue) begin
        if (flast_pixel) fgen_active_q <= 1'b0;
        if (!flast_beat) begin
          fc_q <= fc_q + 16'd1;
        end else begin
          fc_q <= '0;
          if (fox_q != ow_q - 16'd1) begin
            fox_q <= fox_q + 16'd1;
          end else begin
            fox_q <= '0;
            foy_q <= foy_q + 16'd1;
          end
        end
      end
      if (!fst_valid_q || feng_ready) begin
        fst_valid_q <= fissue;
        if (fissue) begin
          fst_last_q <= flast_beat;
          fst_c_q    <= fc_q[CBits-1:0];
        end
      end
    end
  end

  // q - zp as a 9-bit signed activation.
  logic [7:0] fq;
  logic [8:0] fact;
  assign fq   = act_rdata[fst_c_q*8 +: 8];
  assign fact = {fq[7], fq} - in_zp_q;

  //===------------------------------------------------------------------===//
  // Engines and post-processing
  //===------------------------------------------------------------------===//
  logic                main_valid, main_ready, skip_valid, skip_ready;
  logic [Pe*AccB-1:0]  main_acc;
  logic [Pe*AccF-1:0]  skip_acc;

  blend_binary_engine #(.Pe(Pe), .AccWidth(AccB), .LutXnor(LutXnor)) u_binary (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .in_valid_i(bst_valid_q), .in_ready_o(beng_ready),
    .act_i(bin_rdata[bst_wi_q*48 +: 48]), .mask_i(bst_mask_q), .wgt_i(bin_wgt),
    .last_i(bst_last_q),
    .out_valid_o(main_valid), .out_ready_i(main_ready), .acc_o(main_acc)
  );

  blend_fixed_engine #(.Pe(Pe), .AccWidth(AccF)) u_fixed (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .in_valid_i(fst_valid_q), .in_ready_o(feng_ready),
    .act_i(fact), .wgt_i(fix_wgt), .last_i(fst_last_q),
    .pair_i(1'b0), .act2_i(9'd0), .two_i(1'b0),
    .out_valid_o(skip_valid), .out_ready_i(skip_ready), .acc_o(skip_acc)
  );

  blend_postproc #(.Pe(Pe), .AccB(AccB), .AccF(AccF)) u_post (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .cfg_we_i(cfg_we_i && cfg_addr_i[23:20] == 4'd3), .cfg_addr_i(cfg_addr_i[15:0]),
    .cfg_wdata_i(cfg_wdata_i),
    .channels_i(o_q), .pixels_i(pixels_out),
    .out_int8_i(out_int8_q), .out_half_even_i(out_half_even_q), .out_zp_i(out_zp_q),
    .out_min_i(out_min_q), .out_max_i(out_max_q),
    .join_min_i(join_min_q), .join_max_i(join_max_q),
    .main_valid_i(main_valid), .main_ready_o(main_ready), .main_acc_i(main_acc),
    .skip_valid_i(skip_valid), .skip_ready_o(skip_ready), .skip_acc_i(skip_acc),
    .out_valid_o(m_axis_tvalid_o), .out_ready_i(m_axis_tready_i),
    .out_data_o(m_axis_tdata_o), .out_last_o(m_axis_tlast_o)
  );
endmodule
