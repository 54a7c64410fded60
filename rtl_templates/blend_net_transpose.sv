// blend_net_transpose.sv — blend_net's transposer: a layer step that turns a tensor of O pixels
// x OW channels (at src_i) into OW pixels x O channels (at dst_i); token mixing reads the
// transpose of what channel mixing wrote.
//
// Per block of Lanes output pixels (source channels c0 .. c0+Lanes-1): read the O source pixels
// (the int8 word and the binary word at one address per cycle, one cycle of read latency) into
// Lanes assembly rows, then write each row as one output pixel — int8 byte p and binary bit p
// from source pixel p, zero beyond O — while the tap port shows it, 4*Lanes int8 values per
// beat (byte k of the beat is the row's byte 4*Lanes*j + k on beat j). A block takes O + 1
// cycles to read and ceil(O / (4*Lanes)) cycles per pixel to write: the cost model's transpose
// term. done_o marks the step's last write.
module blend_net_transpose #(
  parameter int unsigned MaxC     = 16,  // channels per pixel word (OW <= MaxC)
  parameter int unsigned Lanes    = 1,   // output pixels per block; 4*Lanes bytes per tap beat
  parameter int unsigned TrP      = 16,  // most source pixels (O <= TrP <= MaxC)
  parameter int unsigned Words    = 1,   // 48-bit words per binary-memory word
  parameter int unsigned AddrBits = 10   // activation / binary memory address bits
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  start_i,     // pulse: a transpose step starts
  input  logic [15:0]           o_i,         // source pixels (output channels)
  input  logic [15:0]           ow_i,        // source channels (output pixels)
  /* verilator lint_off UNUSEDSIGNAL */ // only the low bits address the memories
  input  logic [31:0]           src_i,       // first source pixel address
  input  logic [31:0]           dst_i,       // first output pixel address
  /* verilator lint_on UNUSEDSIGNAL */
  // Memory read port (both memories at one address; data one cycle after re_o).
  output logic                  re_o,
  output logic [AddrBits-1:0]   raddr_o,
  /* verilator lint_off UNUSEDSIGNAL */ // channels beyond MaxC of the binary word
  input  logic [MaxC*8-1:0]     act_rdata_i,
  input  logic [Words*48-1:0]   bin_rdata_i,
  /* verilator lint_on UNUSEDSIGNAL */
  // Memory write port (whole pixel words).
  output logic                  we_o,
  output logic [AddrBits-1:0]   waddr_o,
  output logic [MaxC*8-1:0]     act_o,
  output logic [Words*48-1:0]   bin_o,
  output logic                  done_o,
  // Every written row, 4*Lanes int8 values per beat (co-simulation taps).
  output logic                  tap_valid_o,
  output logic [Lanes*32-1:0]   tap_data_o
);
  localparam int unsigned TGroups = (MaxC + Lanes - 1) / Lanes;
  localparam int unsigned TGBits  = (TGroups > 1) ? $clog2(TGroups) : 1;
  localparam int unsigned TLBits  = (Lanes > 1) ? $clog2(Lanes) : 1;
  localparam int unsigned TBeatB  = Lanes * 4;               // int8 values per tap beat
  localparam int unsigned TBeats  = (TrP + TBeatB - 1) / TBeatB;
  localparam int unsigned TBBits  = (TBeats > 1) ? $clog2(TBeats) : 1;
  localparam int unsigned TRow    = TBeats * TBeatB;         // row bytes, beat-padded
  localparam logic [31:0] TBeatM1W  = TBeatB - 1;
  localparam logic [31:0] TLanesW   = Lanes;
  localparam logic [31:0] TLanesM1W = Lanes - 1;
  localparam logic [15:0] TBeatM1   = TBeatM1W[15:0];
  localparam logic [15:0] TLanes    = TLanesW[15:0];
  localparam logic [15:0] TLanesM1  = TLanesM1W[15:0];

  logic              trd_q, twr_q, tcap_q;
  logic [15:0]       tp_q, tcp_q, tc0_q;
  logic [TGBits-1:0] tg_q;
  logic [TLBits-1:0] tl_q;
  logic [TBBits-1:0] tj_q;
  logic [Lanes*TrP*8-1:0] trows_q; // row l: bytes l*TrP .. (one per source pixel)
  logic [Lanes*TrP-1:0]   tbits_q;
  logic [15:0]       tbeats, tlast_lane;
  logic              tlast_beat, tlast_row, tlast_block;

  // Beats per row: ceil(O / (4 * Lanes)); rows in this block: min(Lanes, OW - c0).
  assign tbeats      = (o_i + TBeatM1) >> $clog2(TBeatB);
  assign tlast_lane  = (ow_i - tc0_q > TLanes) ? TLanesM1 : ow_i - tc0_q - 16'd1;
  assign tlast_beat  = ({{(16-TBBits){1'b0}}, tj_q} == tbeats - 16'd1);
  assign tlast_row   = ({{(16-TLBits){1'b0}}, tl_q} == tlast_lane);
  assign tlast_block = (tc0_q + TLanes >= ow_i);

  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] traddr32, twaddr32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign traddr32 = src_i + {16'd0, tp_q};
  assign twaddr32 = dst_i + {16'd0, tc0_q} + {{(32-TLBits){1'b0}}, tl_q};
  assign re_o    = trd_q;
  assign raddr_o = traddr32[AddrBits-1:0];
  assign we_o    = twr_q && (tj_q == '0);
  assign waddr_o = twaddr32[AddrBits-1:0];

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      {trd_q, twr_q, tcap_q} <= '0;
      {tp_q, tcp_q, tc0_q} <= '0;
      tg_q <= '0;
      tl_q <= '0;
      tj_q <= '0;
    end else begin
      tcap_q <= trd_q;
      tcp_q  <= tp_q;
      if (start_i) begin
        trd_q <= 1'b1;
        tp_q  <= '0;
        tc0_q <= '0;
        tg_q  <= '0;
      end else if (trd_q) begin
        if (tp_q == o_i - 16'd1) trd_q <= 1'b0;
        tp_q <= tp_q + 16'd1;
      end
      if (tcap_q && tcp_q == o_i - 16'd1) begin // the block's last source pixel arrives
        twr_q <= 1'b1;
        tl_q  <= '0;
        tj_q  <= '0;
      end else if (twr_q) begin
        if (!tlast_beat) begin
          tj_q <= tj_q + 1'b1;
        end else begin
          tj_q <= '0;
          if (!tlast_row) begin
            tl_q <= tl_q + 1'b1;
          end else begin
            twr_q <= 1'b0;
            if (!tlast_block) begin
              tc0_q <= tc0_q + TLanes;
              tg_q  <= tg_q + 1'b1;
              tp_q  <= '0;
              trd_q <= 1'b1;
            end
          end
        end
      end
    end
  end
  assign done_o = twr_q && tlast_beat && tlast_row && tlast_block;

  // Channels c0 .. c0+Lanes-1 of the source pixel just read (a mux over lane groups).
  logic [Lanes*8-1:0] tsel_act;
  logic [Lanes-1:0]   tsel_bin;
  logic [TGroups*Lanes*8-1:0] tact_pad;
  logic [TGroups*Lanes-1:0]   tbin_pad;
  always_comb begin
    tact_pad = '0;
    tbin_pad = '0;
    for (int c = 0; c < MaxC; c++) begin
      tact_pad[c*8 +: 8] = act_rdata_i[c*8 +: 8];
      tbin_pad[c]        = bin_rdata_i[c];
    end
    tsel_act = '0;
    tsel_bin = '0;
    for (int g = 0; g < TGroups; g++) begin
      if ({{(32-TGBits){1'b0}}, tg_q} == g) begin
        tsel_act = tact_pad[g*Lanes*8 +: Lanes*8];
        tsel_bin = tbin_pad[g*Lanes +: Lanes];
      end
    end
  end
  // Byte p of row l <- source pixel p's channel c0 + l (one enable per byte).
  for (genvar l = 0; l < Lanes; l++) begin : gen_rows
    for (genvar p = 0; p < TrP; p++) begin : gen_bytes
      always_ff @(posedge clk_i) begin
        if (tcap_q && tcp_q == p[15:0]) begin
          trows_q[(l*TrP + p)*8 +: 8] <= tsel_act[l*8 +: 8];
          tbits_q[l*TrP + p]          <= tsel_bin[l];
        end
      end
    end
  end

  // The row being written — the memories' write data — with channels >= O cleared (the
  // row holds an earlier block's bytes there); trow pads it to whole tap beats.
  logic [TRow*8-1:0] trow;
  always_comb begin
    trow   = '0;
    act_o = '0;
    bin_o = '0;
    for (int l = 0; l < Lanes; l++) begin
      if ({{(32-TLBits){1'b0}}, tl_q} == l) begin
        for (int p = 0; p < TrP; p++) begin
          if (p < {16'd0, o_i}) begin
            trow[p*8 +: 8]   = trows_q[(l*TrP + p)*8 +: 8];
            act_o[p*8 +: 8] = trows_q[(l*TrP + p)*8 +: 8];
            bin_o[p]        = tbits_q[l*TrP + p];
          end
        end
      end
    end
  end
  logic [TBeatB*8-1:0] tbeat;
  always_comb begin
    tbeat = '0;
    for (int j = 0; j < TBeats; j++) begin
      if ({{(32-TBBits){1'b0}}, tj_q} == j) tbeat = trow[j*TBeatB*8 +: TBeatB*8];
    end
  end
  assign tap_valid_o = twr_q;
  assign tap_data_o  = tbeat;
endmodule
