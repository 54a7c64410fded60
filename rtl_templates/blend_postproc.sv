// blend_postproc.sv — joins the main (binary) and skip (fixed-point) paths of a Blend module.
//
// For every output pixel it takes the Pe accumulators of both engines at once (a join: both
// must be valid), then walks the O output channels one per cycle:
//   p_main = requant_half_up(acc_main[o]; main_mult[o], main_shift[o], main_bias[o]) -> join grid
//   p_skip = requant_half_up(acc_skip[o]; skip_mult[o], skip_shift[o], skip_bias[o]) -> join grid
//   sum    = p_main + p_skip                                  (exact)
//   out    = sum >= 0                 (binary output, bit 1 is +1)
//          | requant(sum; out_mult[o], out_shift[o], 0)      (int8 output, rounding per register)
// and emits, in channel order, one int8 value per beat or eight packed binary values per beat
// (bit k = channel 8j + k; the pixel's last beat may be partial, its unused bits 0), with
// out_last_o on the image's last beat. A two-stage pipeline (path requants, then join and output stage) stalls as a whole
// while out_ready_i is low. Per-channel constants are written through the cfg port:
// address = o * 8 + field (fields listed at the cfg decoder below).
module blend_postproc #(
  parameter int unsigned Pe   = 16, // output channels (accumulator vector lanes)
  parameter int unsigned AccB = 16, // main-path (binary) accumulator width
  parameter int unsigned AccF = 24  // skip-path (fixed-point) accumulator width
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  // Per-channel constants.
  input  logic                cfg_we_i,
  input  logic [15:0]         cfg_addr_i,
  input  logic [63:0]         cfg_wdata_i,
  // Layer registers.
  input  logic [15:0]         channels_i,    // O <= Pe
  input  logic [31:0]         pixels_i,      // output pixels per image
  input  logic                out_int8_i,    // 0: binary output, 1: int8 output
  input  logic                out_half_even_i,
  input  logic [31:0]         out_zp_i,
  input  logic [31:0]         out_min_i,
  input  logic [31:0]         out_max_i,
  input  logic [31:0]         join_min_i,
  input  logic [31:0]         join_max_i,
  // Engine results.
  input  logic                main_valid_i,
  output logic                main_ready_o,
  input  logic [Pe*AccB-1:0]  main_acc_i,
  input  logic                skip_valid_i,
  output logic                skip_ready_o,
  input  logic [Pe*AccF-1:0]  skip_acc_i,
  // Output values.
  output logic                out_valid_o,
  input  logic                out_ready_i,
  output logic [7:0]          out_data_o,
  output logic                out_last_o
);
  localparam int unsigned ChBits = (Pe > 1) ? $clog2(Pe) : 1;

  // Per-channel constants (small arrays: LUT RAM after synthesis).
  logic [31:0] main_mult_q  [Pe];
  logic [5:0]  main_shift_q [Pe];
  logic [63:0] main_bias_q  [Pe];
  logic [31:0] skip_mult_q  [Pe];
  logic [5:0]  skip_shift_q [Pe];
  logic [63:0] skip_bias_q  [Pe];
  logic [31:0] out_mult_q   [Pe];
  logic [5:0]  out_shift_q  [Pe];

  // cfg fields: 0 main_mult, 1 main_shift, 2 main_bias, 3 skip_mult, 4 skip_shift,
  // 5 skip_bias, 6 out_mult, 7 out_shift.
  logic [ChBits-1:0] cfg_ch;
  logic              cfg_in_range;
  assign cfg_ch       = cfg_addr_i[3 +: ChBits];
  assign cfg_in_range = ({19'd0, cfg_addr_i[15:3]} < Pe);
  always_ff @(posedge clk_i) begin
    if (cfg_we_i && cfg_in_range) begin
      case (cfg_addr_i[2:0])
        3'd0: main_mult_q[cfg_ch]  <= cfg_wdata_i[31:0];
        3'd1: main_shift_q[cfg_ch] <= cfg_wdata_i[5:0];
        3'd2: main_bias_q[cfg_ch]  <= cfg_wdata_i;
        3'd3: skip_mult_q[cfg_ch]  <= cfg_wdata_i[31:0];
        3'd4: skip_shift_q[cfg_ch] <= cfg_wdata_i[5:0];
        3'd5: skip_bias_q[cfg_ch]  <= cfg_wdata_i;
        3'd6: out_mult_q[cfg_ch]   <= cfg_wdata_i[31:0];
        default: out_shift_q[cfg_ch] <= cfg_wdata_i[5:0];
      endcase
    end
  end

  logic advance;
  logic out_valid_q;
  assign advance = !out_valid_q || out_ready_i;

  // Join: accept both results together when idle.
  logic              busy_q;
  logic [ChBits-1:0] ch_q;
  logic [31:0]       pixel_q;
  logic [Pe*AccB-1:0] main_q;
  logic [Pe*AccF-1:0] skip_q;
  logic              accept, issue, issue_last_ch;
  assign accept        = !busy_q && main_valid_i && skip_valid_i;
  assign main_ready_o  = accept;
  assign skip_ready_o  = accept;
  assign issue         = busy_q && advance;
  assign issue_last_ch = ({{(16-ChBits){1'b0}}, ch_q} == channels_i - 16'd1);

  // Stage A: the two path requants of channel ch_q.
  logic [31:0] p_main, p_skip;
  blend_requant #(.InWidth(AccB)) u_main (
    .v_i(main_q[ch_q*AccB +: AccB]), .multiplier_i(main_mult_q[ch_q]),
    .shift_i(main_shift_q[ch_q]), .bias_i(main_bias_q[ch_q]), .half_even_i(1'b0),
    .zp_out_i(32'd0), .q_min_i(join_min_i), .q_max_i(join_max_i), .q_o(p_main)
  );
  blend_requant #(.InWidth(AccF)) u_skip (
    .v_i(skip_q[ch_q*AccF +: AccF]), .multiplier_i(skip_mult_q[ch_q]),
    .shift_i(skip_shift_q[ch_q]), .bias_i(skip_bias_q[ch_q]), .half_even_i(1'b0),
    .zp_out_i(32'd0), .q_min_i(join_min_i), .q_max_i(join_max_i), .q_o(p_skip)
  );

  logic        a_valid_q, a_last_q, a_last_ch_q;
  logic [ChBits-1:0] a_ch_q;
  logic [31:0] a_main_q, a_skip_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q    <= 1'b0;
      ch_q      <= '0;
      pixel_q   <= '0;
      main_q    <= '0;
      skip_q    <= '0;
      a_valid_q <= 1'b0;
      a_last_q  <= 1'b0;
      a_last_ch_q <= 1'b0;
      a_ch_q    <= '0;
      a_main_q  <= '0;
      a_skip_q  <= '0;
    end else begin
      if (accept) begin
        busy_q <= 1'b1;
        ch_q   <= '0;
        main_q <= main_acc_i;
        skip_q <= skip_acc_i;
      end
      if (advance) begin
        a_valid_q <= issue;
        a_last_q  <= issue && issue_last_ch && (pixel_q == pixels_i - 32'd1);
        a_last_ch_q <= issue_last_ch;
        a_ch_q    <= ch_q;
        a_main_q  <= p_main;
        a_skip_q  <= p_skip;
        if (issue) begin
          if (issue_last_ch) begin
            busy_q  <= 1'b0;
            pixel_q <= (pixel_q == pixels_i - 32'd1) ? 32'd0 : pixel_q + 32'd1;
          end else begin
            ch_q <= ch_q + 1'b1;
          end
        end
      end
    end
  end

  // Stage B: join and output stage.
  logic [31:0] sum;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] out_q8; // int8 outputs use the low byte (clamped to the int8 range)
  /* verilator lint_on UNUSEDSIGNAL */
  assign sum = a_main_q + a_skip_q;
  blend_requant #(.InWidth(32)) u_out (
    .v_i(sum), .multiplier_i(out_mult_q[a_ch_q]), .shift_i(out_shift_q[a_ch_q]),
    .bias_i(64'd0), .half_even_i(out_half_even_i), .zp_out_i(out_zp_i),
    .q_min_i(out_min_i), .q_max_i(out_max_i), .q_o(out_q8)
  );

  // Binary outputs are packed eight per beat.
  logic [7:0] out_data_q, pack_q, packed_bits;
  logic       out_last_q, pack_full;
  assign packed_bits = pack_q | ({7'd0, ~sum[31]} << a_ch_q[2:0]);
  assign pack_full   = (a_ch_q[2:0] == 3'd7) || a_last_ch_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      out_valid_q <= 1'b0;
      out_data_q  <= '0;
      out_last_q  <= 1'b0;
      pack_q      <= '0;
    end else if (advance) begin
      out_last_q <= a_last_q;
      if (!a_valid_q) begin
        out_valid_q <= 1'b0;
      end else if (out_int8_i) begin
        out_valid_q <= 1'b1;
        out_data_q  <= out_q8[7:0];
      end else begin
        out_valid_q <= pack_full;
        out_data_q  <= packed_bits;
        pack_q      <= pack_full ? 8'd0 : packed_bits;
      end
    end
  end

  assign out_valid_o = out_valid_q;
  assign out_data_o  = out_data_q;
  assign out_last_o  = out_last_q;
endmodule
