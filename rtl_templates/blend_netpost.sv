// blend_netpost.sv — post-processing of one layer pass of blend_net.
//
// For every output pixel it takes the Pe accumulators of the enabled engines (main = binary,
// skip = fixed-point; a disabled path is neither waited for nor added), then walks the O output
// channels one per cycle through a four-stage pipeline:
//   S0  read the channel's constants (constant RAMs, address cbase + o)
//   S1  p_main = requant(acc_main[o]; main_mult, main_shift, main_bias) clamped to the join range
//       p_skip = requant(acc_skip[o]; skip_mult, skip_shift, skip_bias) clamped to the join range
//   S2  sum = p_main + p_skip (exact; 0 for a disabled path)
//       out = sum >= 0                                          binary output (bit 1 is +1)
//           | requant(sum; out_mult, out_shift, out_bias) + zp   value output, clamped
//   S3  commit: the value goes to the AXI4-Stream out port (stream_i, 32-bit two's complement, or
//       0/1 for binary outputs) or into the pixel word being packed; on a pixel's last channel
//       the packed words are written to the activation memory (int8 byte o of the word; values
//       are clamped to the int8 range by the compiler's out_min/out_max) and to the binary
//       memory (bit o: the binary output, or q >= zp for int8 outputs — the binarized view the
//       next layer's binary convolution reads).
// A thresholded binary layer is the main path alone with multiplier +-1, shift 0 and bias -+tau
// (docs/hardware.md). The pipeline stalls as a whole while a streamed value waits for
// out_ready_i. done_o pulses when the pass's last value commits.
module blend_netpost #(
  parameter int unsigned Pe       = 16,   // output channels (accumulator vector lanes)
  parameter int unsigned AccB     = 16,   // main-path accumulator width
  parameter int unsigned AccF     = 24,   // skip-path accumulator width
  parameter int unsigned MaxC     = 16,   // channels per activation-memory word
  parameter int unsigned Words    = 1,    // 48-bit words per binary-memory word
  parameter int unsigned CDepth   = 16,   // per-channel constant entries (all passes)
  parameter int unsigned AddrBits = 10    // activation / binary memory address bits
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // Per-channel constants: address = entry * 16 + field.
  input  logic                    cfg_we_i,
  /* verilator lint_off UNUSEDSIGNAL */ // entries beyond CDepth are never written
  input  logic [19:0]             cfg_addr_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [63:0]             cfg_wdata_i,
  // Pass registers (stable during the pass).
  input  logic                    start_i,      // pulse before the pass's first result
  input  logic                    main_en_i,
  input  logic                    skip_en_i,
  input  logic                    out_binary_i,
  input  logic                    stream_i,
  input  logic [15:0]             channels_i,   // O <= Pe
  input  logic [31:0]             pixels_i,     // output pixels of the pass
  input  logic [31:0]             cbase_i,      // first constant entry of the pass
  input  logic [2:0]              rounding_i,   // half-even bits: 0 main, 1 skip, 2 out
  input  logic [31:0]             join_min_i,
  input  logic [31:0]             join_max_i,
  input  logic [31:0]             out_zp_i,
  input  logic [31:0]             out_min_i,
  input  logic [31:0]             out_max_i,
  input  logic [AddrBits-1:0]     dst_i,        // first pixel address of the output tensor
  // Engine results.
  input  logic                    main_valid_i,
  output logic                    main_ready_o,
  input  logic [Pe*AccB-1:0]      main_acc_i,
  input  logic                    skip_valid_i,
  output logic                    skip_ready_o,
  input  logic [Pe*AccF-1:0]      skip_acc_i,
  // Memory writes (one pixel word per write).
  output logic                    mem_we_o,
  output logic [AddrBits-1:0]     mem_waddr_o,
  output logic [MaxC*8-1:0]       act_wdata_o,
  output logic [Words*48-1:0]     bin_wdata_o,
  // Streamed values.
  output logic                    out_valid_o,
  input  logic                    out_ready_i,
  output logic [31:0]             out_data_o,
  output logic                    out_last_o,
  // Every committed value, in order (co-simulation taps).
  output logic                    tap_valid_o,
  output logic [31:0]             tap_data_o,
  output logic                    done_o
);
  localparam int unsigned ChBits = (Pe > 1) ? $clog2(Pe) : 1;
  localparam int unsigned CBits  = (CDepth > 1) ? $clog2(CDepth) : 1;

  //===------------------------------------------------------------------===//
  // Flow control
  //===------------------------------------------------------------------===//
  logic s3_valid_q;
  logic advance;
  assign advance = !(s3_valid_q && stream_i) || out_ready_i;

  // Join: accept the enabled engines' results together when idle.
  logic              busy_q;
  logic [ChBits-1:0] ch_q;
  logic [31:0]       pixel_q;
  logic [Pe*AccB-1:0] main_q;
  logic [Pe*AccF-1:0] skip_q;
  logic              ready_in, accept, issue, issue_last_ch, issue_last_pix;
  assign ready_in       = (main_valid_i || !main_en_i) && (skip_valid_i || !skip_en_i);
  assign accept         = !busy_q && ready_in && (main_en_i || skip_en_i);
  assign main_ready_o   = accept && main_en_i;
  assign skip_ready_o   = accept && skip_en_i;
  assign issue          = busy_q && advance;
  assign issue_last_ch  = ({{(16-ChBits){1'b0}}, ch_q} == channels_i - 16'd1);
  assign issue_last_pix = (pixel_q == pixels_i - 32'd1);

  //===------------------------------------------------------------------===//
  // S0: constant RAMs (fields: 0 main mult, 1 main shift, 2 main bias, 3 skip mult,
  // 4 skip shift, 5 skip bias, 6 out mult, 7 out shift, 8 out bias)
  //===------------------------------------------------------------------===//
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] cidx32; // only the low bits address the constant RAMs
  /* verilator lint_on UNUSEDSIGNAL */
  logic [CBits-1:0] caddr;
  assign cidx32 = cbase_i + {{(32-ChBits){1'b0}}, ch_q};
  assign caddr  = cidx32[CBits-1:0];

  logic [31:0] k_main_mult, k_skip_mult, k_out_mult;
  logic [5:0]  k_main_shift, k_skip_shift, k_out_shift;
  logic [63:0] k_main_bias, k_skip_bias, k_out_bias;
  logic [CBits-1:0] cfg_entry;
  logic [3:0]  cfg_field;
  assign cfg_entry = cfg_addr_i[4 +: CBits];
  assign cfg_field = cfg_addr_i[3:0];
  logic        re0;
  assign re0 = issue;

  blend_ram #(.Width(32), .Depth(CDepth)) u_main_mult (
    .clk_i(clk_i), .we_i(cfg_we_i && cfg_field == 4'd0), .waddr_i(cfg_entry),
    .wdata_i(cfg_wdata_i[31:0]), .re_i(re0), .raddr_i(caddr), .rdata_o(k_main_mult));
  blend_ram #(.Width(6), .Depth(CDepth)) u_main_shift (
    .clk_i(clk_i), .we_i(cfg_we_i && cfg_field == 4'd1), .waddr_i(cfg_entry),
    .wdata_i(cfg_wdata_i[5:0]), .re_i(re0), .raddr_i(caddr), .rdata_o(k_main_shift));
  blend_ram #(.Width(64), .Depth(CDepth)) u_main_bias (
    .clk_i(clk_i), .we_i(cfg_we_i && cfg_field == 4'd2), .waddr_i(cfg_entry),
    .wdata_i(cfg_wdata_i), .re_i(re0), .raddr_i(caddr), .rdata_o(k_main_bias));
  blend_ram #(.Width(32), .Depth(CDepth)) u_skip_mult (
    .clk_i(clk_i), .we_i(cfg_we_i && cfg_field == 4'd3), .waddr_i(cfg_entry),
    .wdata_i(cfg_wdata_i[31:0]), .re_i(re0), .raddr_i(caddr), .rdata_o(k_skip_mult));
  blend_ram #(.Width(6), .Depth(CDepth)) u_skip_shift (
    .clk_i(clk_i), .we_i(cfg_we_i && cfg_field == 4'd4), .waddr_i(cfg_entry),
    .wdata_i(cfg_wdata_i[5:0]), .re_i(re0), .raddr_i(caddr), .rdata_o(k_skip_shift));
  blend_ram #(.Width(64), .Depth(CDepth)) u_skip_bias (
    .clk_i(clk_i), .we_i(cfg_we_i && cfg_field == 4'd5), .waddr_i(cfg_entry),
    .wdata_i(cfg_wdata_i), .re_i(re0), .raddr_i(caddr), .rdata_o(k_skip_bias));
  blend_ram #(.Width(32), .Depth(CDepth)) u_out_mult (
    .clk_i(clk_i), .we_i(cfg_we_i && cfg_field == 4'd6), .waddr_i(cfg_entry),
    .wdata_i(cfg_wdata_i[31:0]), .re_i(re0), .raddr_i(caddr), .rdata_o(k_out_mult));
  blend_ram #(.Width(6), .Depth(CDepth)) u_out_shift (
    .clk_i(clk_i), .we_i(cfg_we_i && cfg_field == 4'd7), .waddr_i(cfg_entry),
    .wdata_i(cfg_wdata_i[5:0]), .re_i(re0), .raddr_i(caddr), .rdata_o(k_out_shift));
  blend_ram #(.Width(64), .Depth(CDepth)) u_out_bias (
    .clk_i(clk_i), .we_i(cfg_we_i && cfg_field == 4'd8), .waddr_i(cfg_entry),
    .wdata_i(cfg_wdata_i), .re_i(re0), .raddr_i(caddr), .rdata_o(k_out_bias));

  // S1 registers: the accumulators of channel ch_q and its position.
  logic              s1_valid_q, s1_last_ch_q, s1_last_q;
  logic [ChBits-1:0] s1_ch_q;
  logic [AccB-1:0]   s1_main_q;
  logic [AccF-1:0]   s1_skip_q;
  logic [31:0]       s1_pixel_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q     <= 1'b0;
      ch_q       <= '0;
      pixel_q    <= '0;
      main_q     <= '0;
      skip_q     <= '0;
      s1_valid_q <= 1'b0;
      s1_last_ch_q <= 1'b0;
      s1_last_q  <= 1'b0;
      s1_ch_q    <= '0;
      s1_main_q  <= '0;
      s1_skip_q  <= '0;
      s1_pixel_q <= '0;
    end else begin
      if (start_i) begin
        pixel_q <= '0;
      end
      if (accept) begin
        busy_q <= 1'b1;
        ch_q   <= '0;
        main_q <= main_en_i ? main_acc_i : '0;
        skip_q <= skip_en_i ? skip_acc_i : '0;
      end
      if (advance) begin
        s1_valid_q   <= issue;
        s1_last_ch_q <= issue_last_ch;
        s1_last_q    <= issue_last_ch && issue_last_pix;
        s1_ch_q      <= ch_q;
        s1_main_q    <= main_q[ch_q*AccB +: AccB];
        s1_skip_q    <= skip_q[ch_q*AccF +: AccF];
        s1_pixel_q   <= pixel_q;
        if (issue) begin
          if (issue_last_ch) begin
            busy_q  <= 1'b0;
            pixel_q <= issue_last_pix ? 32'd0 : pixel_q + 32'd1;
          end else begin
            ch_q <= ch_q + 1'b1;
          end
        end
      end
    end
  end

  //===------------------------------------------------------------------===//
  // S1 -> S2: the two path requants onto the join grid
  //===------------------------------------------------------------------===//
  logic [31:0] p_main, p_skip;
  blend_requant #(.InWidth(AccB)) u_main (
    .v_i(s1_main_q), .multiplier_i(k_main_mult), .shift_i(k_main_shift),
    .bias_i(k_main_bias), .half_even_i(rounding_i[0]), .zp_out_i(32'd0),
    .q_min_i(join_min_i), .q_max_i(join_max_i), .q_o(p_main)
  );
  blend_requant #(.InWidth(AccF)) u_skip (
    .v_i(s1_skip_q), .multiplier_i(k_skip_mult), .shift_i(k_skip_shift),
    .bias_i(k_skip_bias), .half_even_i(rounding_i[1]), .zp_out_i(32'd0),
    .q_min_i(join_min_i), .q_max_i(join_max_i), .q_o(p_skip)
  );

  logic              s2_valid_q, s2_last_ch_q, s2_last_q;
  logic [ChBits-1:0] s2_ch_q;
  logic [31:0]       s2_main_q, s2_skip_q, s2_pixel_q, s2_out_mult_q;
  logic [5:0]        s2_out_shift_q;
  logic [63:0]       s2_out_bias_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      s2_valid_q   <= 1'b0;
      s2_last_ch_q <= 1'b0;
      s2_last_q    <= 1'b0;
      s2_ch_q      <= '0;
      {s2_main_q, s2_skip_q, s2_pixel_q, s2_out_mult_q} <= '0;
      s2_out_shift_q <= '0;
      s2_out_bias_q  <= '0;
    end else if (advance) begin
      s2_valid_q     <= s1_valid_q;
      s2_last_ch_q   <= s1_last_ch_q;
      s2_last_q      <= s1_last_q;
      s2_ch_q        <= s1_ch_q;
      s2_main_q      <= main_en_i ? p_main : 32'd0;
      s2_skip_q      <= skip_en_i ? p_skip : 32'd0;
      s2_pixel_q     <= s1_pixel_q;
      s2_out_mult_q  <= k_out_mult;
      s2_out_shift_q <= k_out_shift;
      s2_out_bias_q  <= k_out_bias;
    end
  end

  //===------------------------------------------------------------------===//
  // S2 -> S3: the join and the output stage
  //===------------------------------------------------------------------===//
  logic [31:0] sum, out_q;
  logic        out_bit;
  assign sum = s2_main_q + s2_skip_q;
  blend_requant #(.InWidth(32)) u_out (
    .v_i(sum), .multiplier_i(s2_out_mult_q), .shift_i(s2_out_shift_q),
    .bias_i(s2_out_bias_q), .half_even_i(rounding_i[2]), .zp_out_i(out_zp_i),
    .q_min_i(out_min_i), .q_max_i(out_max_i), .q_o(out_q)
  );
  assign out_bit = out_binary_i ? ~sum[31] : ($signed(out_q) >= $signed(out_zp_i));

  logic              s3_last_ch_q, s3_last_q;
  logic [31:0]       s3_value_q;
  logic [31:0]       s3_pixel_q;
  logic [MaxC*8-1:0] pack_act_q;
  logic [Words*48-1:0] pack_bin_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      s3_valid_q   <= 1'b0;
      s3_last_ch_q <= 1'b0;
      s3_last_q    <= 1'b0;
      s3_value_q   <= '0;
      s3_pixel_q   <= '0;
      pack_act_q   <= '0;
      pack_bin_q   <= '0;
    end else if (advance) begin
      s3_valid_q   <= s2_valid_q;
      s3_last_ch_q <= s2_last_ch_q;
      s3_last_q    <= s2_last_q;
      s3_value_q   <= out_binary_i ? {31'd0, out_bit} : out_q;
      s3_pixel_q   <= s2_pixel_q;
      if (s2_valid_q) begin
        // Channel 0 starts a new pixel word; channels >= O stay 0.
        if (s2_ch_q == '0) begin
          pack_act_q <= '0;
          pack_act_q[7:0] <= out_q[7:0];
          pack_bin_q <= {{(Words*48-1){1'b0}}, out_bit};
        end else begin
          pack_act_q[s2_ch_q*8 +: 8] <= out_q[7:0];
          pack_bin_q <= pack_bin_q | ({{(Words*48-1){1'b0}}, out_bit} << s2_ch_q);
        end
      end
    end
  end

  logic commit;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] waddr32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign commit      = s3_valid_q && (!stream_i || out_ready_i);
  assign waddr32     = {{(32-AddrBits){1'b0}}, dst_i} + s3_pixel_q;
  assign mem_we_o    = s3_valid_q && !stream_i && s3_last_ch_q;
  assign mem_waddr_o = waddr32[AddrBits-1:0];
  assign act_wdata_o = pack_act_q;
  assign bin_wdata_o = pack_bin_q;

  assign out_valid_o = s3_valid_q && stream_i;
  assign out_data_o  = s3_value_q;
  assign out_last_o  = s3_last_q;
  assign tap_valid_o = commit;
  assign tap_data_o  = s3_value_q;
  assign done_o      = commit && s3_last_q;

endmodule
