// blend_netpost.sv — post-processing of one layer step of blend_net, Lanes channels per cycle.
//
// For every output pixel it takes the Pe accumulators of the enabled engines (main = binary,
// skip = fixed-point; a disabled path is neither waited for nor added), then walks the O output
// channels in groups of Lanes, one group per cycle, through a four-stage pipeline; each lane:
//   S0  reads its channel's constants (lane RAMs, row (cbase + o) / Lanes; cbase is a multiple
//       of Lanes)
//   S1  p_main = requant(acc_main[o]; main_mult, main_shift, main_bias) clamped to the join range
//       p_skip = requant(acc_skip[o]; skip_mult, skip_shift, skip_bias) clamped to the join range
//   S2  sum = p_main + p_skip (exact; 0 for a disabled path)
//       out = sum >= 0                                          binary output (bit 1 is +1)
//           | requant(sum; out_mult, out_shift, out_bias) + zp   value output, clamped
//   S3  commit: the group goes to the AXI4-Stream out port (stream_i: Lanes 32-bit values per
//       beat, two's complement, 0/1 for binary outputs, lanes beyond O zero) or into the pixel
//       words being packed; after a pixel's last group the packed words are written to the
//       activation memory (int8 byte o; the compiler's out_min/out_max keep values in int8) and
//       the binary memory (bit o: the binary output, or q >= zp for int8 outputs — the binarized
//       view the next binary convolution reads).
// The next pixel is accepted while the last group of the current one issues, so a pixel takes
// ceil(O / Lanes) cycles. A thresholded binary layer is the main path alone with multiplier +-1,
// shift 0 and bias -+tau (docs/hardware.md). The pipeline stalls as a whole while a streamed
// beat waits for out_ready_i. done_o pulses when the step's last group commits.
module blend_netpost #(
  parameter int unsigned Pe       = 16,   // output channels (a multiple of Lanes)
  parameter int unsigned Lanes    = 1,    // channels per cycle (a power of two)
  parameter int unsigned AccB     = 16,   // main-path accumulator width
  parameter int unsigned AccF     = 24,   // skip-path accumulator width
  parameter int unsigned MaxC     = 16,   // channels per activation-memory word (>= Pe)
  parameter int unsigned Words    = 1,    // 48-bit words per binary-memory word
  parameter int unsigned CDepth   = 16,   // per-channel constant entries (all steps)
  parameter int unsigned AddrBits = 10,   // activation / binary memory address bits
  parameter int unsigned Tiled    = 0     // 1: steps may write output-channel tiles
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  // Per-channel constants: address = entry * 16 + field.
  input  logic                    cfg_we_i,
  /* verilator lint_off UNUSEDSIGNAL */ // entries beyond CDepth are never written
  input  logic [19:0]             cfg_addr_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [63:0]             cfg_wdata_i,
  // Step registers (stable during the step).
  input  logic                    start_i,      // pulse before the step's first result
  input  logic                    main_en_i,
  input  logic                    skip_en_i,
  input  logic                    out_binary_i,
  input  logic                    stream_i,
  input  logic [15:0]             channels_i,   // O <= Pe
  input  logic [31:0]             pixels_i,     // output pixels of the step
  input  logic [31:0]             cbase_i,      // first constant entry (a multiple of Lanes)
  input  logic [2:0]              rounding_i,   // half-even bits: 0 main, 1 skip, 2 out
  input  logic [31:0]             join_min_i,
  input  logic [31:0]             join_max_i,
  input  logic [31:0]             out_zp_i,
  input  logic [31:0]             out_min_i,
  input  logic [31:0]             out_max_i,
  input  logic [AddrBits-1:0]     dst_i,        // first pixel address of the output tensor
  input  logic [15:0]             offset_i,     // first output channel (a multiple of Lanes)
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
  output logic [MaxC-1:0]         act_be_o,     // bytes of the tile's channels (Tiled)
  output logic [Words*6-1:0]      bin_be_o,
  // Streamed values, one group per beat.
  output logic                    out_valid_o,
  input  logic                    out_ready_i,
  output logic [Lanes*32-1:0]     out_data_o,
  output logic                    out_last_o,
  // Every committed group, in order (co-simulation taps).
  output logic                    tap_valid_o,
  output logic [Lanes*32-1:0]     tap_data_o,
  output logic                    done_o
);
  localparam int unsigned Groups = Pe / Lanes;
  localparam int unsigned GBits  = (Groups > 1) ? $clog2(Groups) : 1;
  localparam int unsigned LBits  = (Lanes > 1) ? $clog2(Lanes) : 0;
  localparam int unsigned Rows   = (CDepth + Lanes - 1) / Lanes;
  localparam int unsigned RBits  = (Rows > 1) ? $clog2(Rows) : 1;

  //===------------------------------------------------------------------===//
  // Flow control and the group walk
  //===------------------------------------------------------------------===//
  logic s3_valid_q;
  logic advance;
  assign advance = !(s3_valid_q && stream_i) || out_ready_i;

  localparam int unsigned LanesM1 = Lanes - 1;
  logic [15:0]       groups;
  assign groups = (channels_i + LanesM1[15:0]) >> LBits;

  logic              busy_q;
  logic [GBits-1:0]  g_q;
  logic [31:0]       pixel_q;
  logic [Pe*AccB-1:0] main_q;
  logic [Pe*AccF-1:0] skip_q;
  logic              ready_in, accept, issue, issue_last_g, issue_last_pix;
  assign issue          = busy_q && advance;
  assign issue_last_g   = ({{(16-GBits){1'b0}}, g_q} == groups - 16'd1);
  assign issue_last_pix = (pixel_q == pixels_i - 32'd1);
  assign ready_in       = (main_valid_i || !main_en_i) && (skip_valid_i || !skip_en_i);
  assign accept         = ready_in && (main_en_i || skip_en_i) &&
                          (!busy_q || (issue && issue_last_g));
  assign main_ready_o   = accept && main_en_i;
  assign skip_ready_o   = accept && skip_en_i;

  logic              s1_valid_q, s1_last_g_q, s1_last_q;
  logic [GBits-1:0]  s1_g_q;
  logic [31:0]       s1_pixel_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      busy_q      <= 1'b0;
      g_q         <= '0;
      pixel_q     <= '0;
      main_q      <= '0;
      skip_q      <= '0;
      s1_valid_q  <= 1'b0;
      s1_last_g_q <= 1'b0;
      s1_last_q   <= 1'b0;
      s1_g_q      <= '0;
      s1_pixel_q  <= '0;
    end else begin
      if (start_i) begin
        pixel_q <= '0;
      end
      if (advance) begin
        s1_valid_q  <= issue;
        s1_last_g_q <= issue_last_g;
        s1_last_q   <= issue_last_g && issue_last_pix;
        s1_g_q      <= g_q;
        s1_pixel_q  <= pixel_q;
        if (issue) begin
          if (issue_last_g) begin
            busy_q  <= 1'b0;
            g_q     <= '0;
            pixel_q <= issue_last_pix ? 32'd0 : pixel_q + 32'd1;
          end else begin
            g_q <= g_q + 1'b1;
          end
        end
      end
      if (accept) begin
        busy_q <= 1'b1;
        main_q <= main_en_i ? main_acc_i : '0;
        skip_q <= skip_en_i ? skip_acc_i : '0;
      end
    end
  end

  // Constant RAM row of the issuing group.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] crow32; // only the low bits address the constant RAMs
  /* verilator lint_on UNUSEDSIGNAL */
  logic [RBits-1:0] crow;
  assign crow32 = (cbase_i >> LBits) + {{(32-GBits){1'b0}}, g_q};
  assign crow   = crow32[RBits-1:0];
  logic [RBits-1:0] cfg_row;
  logic [3:0]       cfg_field;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [15:0]      cfg_entry;
  /* verilator lint_on UNUSEDSIGNAL */
  assign cfg_entry = cfg_addr_i[19:4];
  assign cfg_row   = cfg_entry[LBits +: RBits];
  assign cfg_field = cfg_addr_i[3:0];

  //===------------------------------------------------------------------===//
  // The lanes: constants, path requants, join, output stage
  //===------------------------------------------------------------------===//
  logic [Lanes*32-1:0] lane_value;  // S2 -> S3: the value (or 0/1) of each lane
  logic [Lanes-1:0]    lane_bit;
  logic [Lanes*8-1:0]  lane_byte;
  logic [Lanes-1:0]    lane_real;   // channel < O
  logic [GBits-1:0]    s2_g_q;

  for (genvar l = 0; l < Lanes; l++) begin : gen_lane
    logic cfg_lane;
    if (Lanes > 1) begin : gen_sel
      assign cfg_lane = (cfg_entry[LBits-1:0] == l[LBits-1:0]);
    end else begin : gen_one
      assign cfg_lane = 1'b1;
    end
    logic we;
    assign we = cfg_we_i && cfg_lane;

    logic [31:0] k_main_mult, k_skip_mult, k_out_mult;
    logic [5:0]  k_main_shift, k_skip_shift, k_out_shift;
    logic [63:0] k_main_bias, k_skip_bias, k_out_bias;
    blend_ram #(.Width(32), .Depth(Rows)) u_main_mult (
      .clk_i(clk_i), .we_i(we && cfg_field == 4'd0), .waddr_i(cfg_row),
      .wdata_i(cfg_wdata_i[31:0]), .re_i(issue), .raddr_i(crow), .rdata_o(k_main_mult));
    blend_ram #(.Width(6), .Depth(Rows)) u_main_shift (
      .clk_i(clk_i), .we_i(we && cfg_field == 4'd1), .waddr_i(cfg_row),
      .wdata_i(cfg_wdata_i[5:0]), .re_i(issue), .raddr_i(crow), .rdata_o(k_main_shift));
    blend_ram #(.Width(64), .Depth(Rows)) u_main_bias (
      .clk_i(clk_i), .we_i(we && cfg_field == 4'd2), .waddr_i(cfg_row),
      .wdata_i(cfg_wdata_i), .re_i(issue), .raddr_i(crow), .rdata_o(k_main_bias));
    blend_ram #(.Width(32), .Depth(Rows)) u_skip_mult (
      .clk_i(clk_i), .we_i(we && cfg_field == 4'd3), .waddr_i(cfg_row),
      .wdata_i(cfg_wdata_i[31:0]), .re_i(issue), .raddr_i(crow), .rdata_o(k_skip_mult));
    blend_ram #(.Width(6), .Depth(Rows)) u_skip_shift (
      .clk_i(clk_i), .we_i(we && cfg_field == 4'd4), .waddr_i(cfg_row),
      .wdata_i(cfg_wdata_i[5:0]), .re_i(issue), .raddr_i(crow), .rdata_o(k_skip_shift));
    blend_ram #(.Width(64), .Depth(Rows)) u_skip_bias (
      .clk_i(clk_i), .we_i(we && cfg_field == 4'd5), .waddr_i(cfg_row),
      .wdata_i(cfg_wdata_i), .re_i(issue), .raddr_i(crow), .rdata_o(k_skip_bias));
    blend_ram #(.Width(32), .Depth(Rows)) u_out_mult (
      .clk_i(clk_i), .we_i(we && cfg_field == 4'd6), .waddr_i(cfg_row),
      .wdata_i(cfg_wdata_i[31:0]), .re_i(issue), .raddr_i(crow), .rdata_o(k_out_mult));
    blend_ram #(.Width(6), .Depth(Rows)) u_out_shift (
      .clk_i(clk_i), .we_i(we && cfg_field == 4'd7), .waddr_i(cfg_row),
      .wdata_i(cfg_wdata_i[5:0]), .re_i(issue), .raddr_i(crow), .rdata_o(k_out_shift));
    blend_ram #(.Width(64), .Depth(Rows)) u_out_bias (
      .clk_i(clk_i), .we_i(we && cfg_field == 4'd8), .waddr_i(cfg_row),
      .wdata_i(cfg_wdata_i), .re_i(issue), .raddr_i(crow), .rdata_o(k_out_bias));

    // S1: this lane's accumulators (channel g * Lanes + l), a mux over the groups with
    // constant offsets (a variable part-select would become a barrel shifter).
    logic [AccB-1:0] s1_main_q, sel_main;
    logic [AccF-1:0] s1_skip_q, sel_skip;
    always_comb begin
      sel_main = '0;
      sel_skip = '0;
      for (int g = 0; g < Groups; g++) begin
        if ({{(32-GBits){1'b0}}, g_q} == g) begin
          sel_main = main_q[(g*Lanes + l)*AccB +: AccB];
          sel_skip = skip_q[(g*Lanes + l)*AccF +: AccF];
        end
      end
    end
    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        s1_main_q <= '0;
        s1_skip_q <= '0;
      end else if (advance) begin
        s1_main_q <= sel_main;
        s1_skip_q <= sel_skip;
      end
    end

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

    // S2: the join's sum and the output constants.
    logic [31:0] s2_sum_q, s2_out_mult_q;
    logic [5:0]  s2_out_shift_q;
    logic [63:0] s2_out_bias_q;
    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        s2_sum_q       <= '0;
        s2_out_mult_q  <= '0;
        s2_out_shift_q <= '0;
        s2_out_bias_q  <= '0;
      end else if (advance) begin
        s2_sum_q       <= (main_en_i ? p_main : 32'd0) + (skip_en_i ? p_skip : 32'd0);
        s2_out_mult_q  <= k_out_mult;
        s2_out_shift_q <= k_out_shift;
        s2_out_bias_q  <= k_out_bias;
      end
    end

    logic [31:0] out_q;
    logic        out_bit;
    blend_requant #(.InWidth(32)) u_out (
      .v_i(s2_sum_q), .multiplier_i(s2_out_mult_q), .shift_i(s2_out_shift_q),
      .bias_i(s2_out_bias_q), .half_even_i(rounding_i[2]), .zp_out_i(out_zp_i),
      .q_min_i(out_min_i), .q_max_i(out_max_i), .q_o(out_q)
    );
    assign out_bit = out_binary_i ? ~s2_sum_q[31] : ($signed(out_q) >= $signed(out_zp_i));
    logic [31:0] channel;
    assign channel = {{(32-GBits){1'b0}}, s2_g_q} * Lanes + l;
    assign lane_real[l] = (channel < {16'd0, channels_i});
    assign lane_bit[l]  = lane_real[l] & out_bit;
    assign lane_byte[l*8 +: 8] = lane_real[l] ? out_q[7:0] : 8'd0;
    assign lane_value[l*32 +: 32] = !lane_real[l] ? 32'd0
                                  : out_binary_i ? {31'd0, out_bit} : out_q;
  end

  //===------------------------------------------------------------------===//
  // S2 / S3 bookkeeping and packing
  //===------------------------------------------------------------------===//
  logic              s2_valid_q, s2_last_g_q, s2_last_q;
  logic [31:0]       s2_pixel_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      s2_valid_q  <= 1'b0;
      s2_last_g_q <= 1'b0;
      s2_last_q   <= 1'b0;
      s2_g_q      <= '0;
      s2_pixel_q  <= '0;
    end else if (advance) begin
      s2_valid_q  <= s1_valid_q;
      s2_last_g_q <= s1_last_g_q;
      s2_last_q   <= s1_last_q;
      s2_g_q      <= s1_g_q;
      s2_pixel_q  <= s1_pixel_q;
    end
  end

  logic              s3_last_g_q, s3_last_q;
  logic [Lanes*32-1:0] s3_value_q;
  logic [31:0]       s3_pixel_q;
  logic [MaxC*8-1:0] pack_act_q;
  logic [Words*48-1:0] pack_bin_q;
  // A tile's groups land offset_i / Lanes groups further into the pixel words.
  localparam int unsigned PGroups = Tiled != 0 ? (MaxC + Lanes - 1) / Lanes : Groups;
  localparam int unsigned ActPad = (PGroups * Lanes * 8 > MaxC * 8) ? PGroups * Lanes * 8 : MaxC * 8;
  localparam int unsigned BinPad = (PGroups * Lanes > Words * 48) ? PGroups * Lanes : Words * 48;
  logic [ActPad-1:0] act_placed;
  logic [BinPad-1:0] bin_placed;
  logic [31:0]       place_g;
  assign place_g = {{(32-GBits){1'b0}}, s2_g_q} + (Tiled != 0 ? {16'd0, offset_i} >> LBits : 32'd0);
  always_comb begin // group s2_g_q's slots of the pixel words (constant offsets)
    act_placed = '0;
    bin_placed = '0;
    for (int g = 0; g < PGroups; g++) begin
      if (place_g == g) begin
        act_placed[g*Lanes*8 +: Lanes*8] = lane_byte;
        bin_placed[g*Lanes +: Lanes]     = lane_bit;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      s3_valid_q  <= 1'b0;
      s3_last_g_q <= 1'b0;
      s3_last_q   <= 1'b0;
      s3_value_q  <= '0;
      s3_pixel_q  <= '0;
      pack_act_q  <= '0;
      pack_bin_q  <= '0;
    end else if (advance) begin
      s3_valid_q  <= s2_valid_q;
      s3_last_g_q <= s2_last_g_q;
      s3_last_q   <= s2_last_q;
      s3_value_q  <= lane_value;
      s3_pixel_q  <= s2_pixel_q;
      if (s2_valid_q) begin
        // Group 0 starts a new pixel word; channels >= O stay 0.
        pack_act_q <= (s2_g_q == '0 ? '0 : pack_act_q) | act_placed[MaxC*8-1:0];
        pack_bin_q <= (s2_g_q == '0 ? '0 : pack_bin_q) | bin_placed[Words*48-1:0];
      end
    end
  end

  logic commit;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] waddr32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign commit      = s3_valid_q && (!stream_i || out_ready_i);
  assign waddr32     = {{(32-AddrBits){1'b0}}, dst_i} + s3_pixel_q;
  assign mem_we_o    = s3_valid_q && !stream_i && s3_last_g_q;
  assign mem_waddr_o = waddr32[AddrBits-1:0];
  assign act_wdata_o = pack_act_q;
  assign bin_wdata_o = pack_bin_q;
  // Write enables: the tile's channels offset_i .. offset_i + O - 1 (a tile starts on a byte of
  // the binary memory: the compiler makes Pe a multiple of 8 when it tiles).
  for (genvar c = 0; c < MaxC; c++) begin : gen_act_be
    assign act_be_o[c] = (Tiled == 0) ||
                         ((c >= {16'd0, offset_i}) && (c < {16'd0, offset_i} + {16'd0, channels_i}));
  end
  for (genvar b = 0; b < Words * 6; b++) begin : gen_bin_be
    assign bin_be_o[b] = (Tiled == 0) ||
                         ((b * 8 >= {16'd0, offset_i}) &&
                          (b * 8 < {16'd0, offset_i} + {16'd0, channels_i}));
  end

  assign out_valid_o = s3_valid_q && stream_i;
  assign out_data_o  = s3_value_q;
  assign out_last_o  = s3_last_q;
  assign tap_valid_o = commit;
  assign tap_data_o  = s3_value_q;
  assign done_o      = commit && s3_last_q;

  // Upper bits of the placement vectors exist only when Groups * Lanes exceeds a memory word.
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_pad;
  assign unused_pad = ^{act_placed, bin_placed};
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
