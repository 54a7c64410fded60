// blend_net_pool.sv — blend_net's pooler: a pool step writes the max of every KH x KW window
// (stride S, no padding) of a stored tensor of C channels, H x W pixels at src_i, as OH x OW
// pixels from dst_i (FINN CNV's and VGG-style networks' MaxPool between convolutions).
//
// Both words of a pixel are pooled at once: the binary word's bits by OR (+1 is bit 1, so the
// max of +-1 values is their OR) and the int8 word's bytes by a signed max (every tensor the
// memory holds is signed bytes, si2..si8 or ui1..ui7). mode_i says which the taps show: 1 the
// bits (a binary tensor), 2 the bytes.
//
// Reader: one window tap per cycle (both memories at one address, data one cycle after re_o),
// windows in raster order; the running max is kept per window. A window's result goes to an
// output register, is written to memory in its first tap beat and shown on the tap port in
// TB = ceil(C / (4*Lanes)) beats of 4*Lanes int8 values (byte k of beat j: channel
// 4*Lanes*j + k; a binary tensor shows its bits as 0/1). The last read of a window waits until
// the previous window's beats end the cycle after, so windows follow each other every
// max(KH*KW, TB) cycles: a step of P output pixels ends K + TB + 1 + (P - 1) * max(K, TB)
// cycles after start_i (K = KH*KW), the cost model's pool term. done_o marks its last beat.
module blend_net_pool #(
  parameter int unsigned MaxC     = 16,  // channels per pixel word (C <= MaxC)
  parameter int unsigned Lanes    = 1,   // 4*Lanes bytes per tap beat (a power of two)
  parameter int unsigned Words    = 1,   // 48-bit words per binary-memory word
  parameter int unsigned AddrBits = 10   // activation / binary memory address bits
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  start_i,     // pulse: a pool step starts
  input  logic [1:0]            mode_i,      // 1 binary tensor (taps: bits), 2 bytes
  input  logic [15:0]           c_i,         // channels
  input  logic [15:0]           w_i,         // source width
  input  logic [15:0]           kh_i,        // window rows
  input  logic [15:0]           kw_i,        // window columns
  input  logic [15:0]           stride_i,    // stride (1..15)
  input  logic [15:0]           oh_i,        // output rows
  input  logic [15:0]           ow_i,        // output columns
  /* verilator lint_off UNUSEDSIGNAL */ // only the low bits address the memories
  input  logic [31:0]           src_i,       // first source pixel address
  input  logic [31:0]           dst_i,       // first output pixel address
  /* verilator lint_on UNUSEDSIGNAL */
  // Memory read port (both memories at one address; data one cycle after re_o).
  output logic                  re_o,
  output logic [AddrBits-1:0]   raddr_o,
  input  logic [MaxC*8-1:0]     act_rdata_i,
  input  logic [Words*48-1:0]   bin_rdata_i,
  // Memory write port (whole pixel words).
  output logic                  we_o,
  output logic [AddrBits-1:0]   waddr_o,
  output logic [MaxC*8-1:0]     act_o,
  output logic [Words*48-1:0]   bin_o,
  output logic                  done_o,
  // Every written pixel, 4*Lanes int8 values per beat (co-simulation taps).
  output logic                  tap_valid_o,
  output logic [Lanes*32-1:0]   tap_data_o
);
  localparam int unsigned BeatB  = Lanes * 4;                 // bytes per tap beat
  localparam int unsigned Beats  = (MaxC + BeatB - 1) / BeatB; // most beats per pixel
  localparam int unsigned BBits  = (Beats > 1) ? $clog2(Beats) : 1;
  localparam int unsigned Shift  = $clog2(BeatB);
  localparam logic [31:0] BeatM1W = BeatB - 1;
  localparam logic [15:0] BeatM1  = BeatM1W[15:0];

  // S x W, the address step between window rows of output rows (shift-add: S < 16).
  logic [31:0] sw;
  always_comb begin
    sw = '0;
    for (int b = 0; b < 4; b++)
      if (stride_i[b]) sw = sw + ({16'd0, w_i} << b);
  end
  logic [15:0] beats;                    // TB = ceil(C / (4*Lanes))
  assign beats = (c_i + BeatM1) >> Shift;

  //===------------------------------------------------------------------===//
  // Reader: window taps in raster order
  //===------------------------------------------------------------------===//
  logic        rd_q;
  logic [15:0] oy_q, ox_q, ky_q, kx_q, busy_q;
  logic [31:0] line_q, win_q, row_q;     // window row 0 of output row oy, window, kernel row
  logic        tap_last, win_last, issue;
  assign tap_last = (kx_q == kw_i - 16'd1) && (ky_q == kh_i - 16'd1);
  assign win_last = (ox_q == ow_i - 16'd1) && (oy_q == oh_i - 16'd1);
  // The last tap of a window waits until the tap stage is free the cycle after its data.
  assign issue    = rd_q && (!tap_last || busy_q <= 16'd2);
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      rd_q <= 1'b0;
      {oy_q, ox_q, ky_q, kx_q, busy_q} <= '0;
      {line_q, win_q, row_q} <= '0;
    end else begin
      if (busy_q != 16'd0) busy_q <= busy_q - 16'd1;
      if (start_i) begin
        rd_q <= 1'b1;
        {oy_q, ox_q, ky_q, kx_q} <= '0;
        {line_q, win_q, row_q} <= {3{src_i}};
      end else if (issue) begin
        if (tap_last) busy_q <= beats + 16'd1;
        if (kx_q != kw_i - 16'd1) begin
          kx_q <= kx_q + 16'd1;
        end else if (ky_q != kh_i - 16'd1) begin
          kx_q  <= '0;
          ky_q  <= ky_q + 16'd1;
          row_q <= row_q + {16'd0, w_i};
        end else begin
          {kx_q, ky_q} <= '0;
          if (win_last) begin
            rd_q <= 1'b0;
          end else if (ox_q != ow_i - 16'd1) begin
            ox_q  <= ox_q + 16'd1;
            win_q <= win_q + {16'd0, stride_i};
            row_q <= win_q + {16'd0, stride_i};
          end else begin
            ox_q   <= '0;
            oy_q   <= oy_q + 16'd1;
            line_q <= line_q + sw;
            win_q  <= line_q + sw;
            row_q  <= line_q + sw;
          end
        end
      end
    end
  end
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] raddr32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign raddr32 = row_q + {16'd0, kx_q};
  assign re_o    = issue;
  assign raddr_o = raddr32[AddrBits-1:0];

  //===------------------------------------------------------------------===//
  // The running max of a window (data one cycle after the read)
  //===------------------------------------------------------------------===//
  logic                v1_q, first1_q, last1_q, final1_q;
  logic [MaxC*8-1:0]   acc_act_q, cur_act;
  logic [Words*48-1:0] acc_bin_q, cur_bin;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      {v1_q, first1_q, last1_q, final1_q} <= '0;
    end else begin
      v1_q     <= issue;
      first1_q <= issue && kx_q == 16'd0 && ky_q == 16'd0;
      last1_q  <= issue && tap_last;
      final1_q <= issue && tap_last && win_last;
    end
  end
  for (genvar c = 0; c < MaxC; c++) begin : gen_max
    logic [7:0] a, b;
    assign a = act_rdata_i[c*8 +: 8];
    assign b = acc_act_q[c*8 +: 8];
    assign cur_act[c*8 +: 8] = (first1_q || $signed(a) > $signed(b)) ? a : b;
  end
  assign cur_bin = first1_q ? bin_rdata_i : (acc_bin_q | bin_rdata_i);
  always_ff @(posedge clk_i) begin
    if (v1_q) begin
      acc_act_q <= cur_act;
      acc_bin_q <= cur_bin;
    end
  end
  //===------------------------------------------------------------------===//
  // Output register: one memory write and TB tap beats per window
  //===------------------------------------------------------------------===//
  logic [MaxC*8-1:0]   out_act_q;
  logic [Words*48-1:0] out_bin_q;
  logic [15:0]         left_q;           // tap beats still to show
  logic [BBits-1:0]    beat_q;
  logic                final_q;          // the step's last pixel is in the register
  logic [31:0]         opix_q;           // its index
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      left_q  <= '0;
      beat_q  <= '0;
      final_q <= 1'b0;
      opix_q  <= '0;
    end else begin
      // A window's result arrives only in (or after) the previous one's last beat.
      if (start_i) opix_q <= '0;
      else if (we_o) opix_q <= opix_q + 32'd1;
      if (v1_q && last1_q) begin
        left_q  <= beats;
        beat_q  <= '0;
        final_q <= final1_q;
      end else if (left_q != 16'd0) begin
        left_q <= left_q - 16'd1;
        beat_q <= beat_q + 1'b1;
      end
    end
  end
  always_ff @(posedge clk_i) begin
    if (v1_q && last1_q) begin
      out_act_q <= cur_act;
      out_bin_q <= cur_bin;
    end
  end
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] waddr32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign waddr32 = dst_i + opix_q;
  assign we_o    = left_q != 16'd0 && beat_q == '0;
  assign waddr_o = waddr32[AddrBits-1:0];
  assign act_o   = out_act_q;
  assign bin_o   = out_bin_q;
  assign done_o  = final_q && left_q == 16'd1;

  // The tap beat: 4*Lanes channels, bytes (or bits as 0/1 for a binary tensor).
  logic [Beats*BeatB*8-1:0] shown;
  always_comb begin
    shown = '0;
    for (int c = 0; c < MaxC; c++)
      shown[c*8 +: 8] = (mode_i == 2'd1) ? {7'd0, out_bin_q[c]} : out_act_q[c*8 +: 8];
  end
  assign tap_valid_o = left_q != 16'd0;
  assign tap_data_o  = shown[beat_q*BeatB*8 +: BeatB*8];
endmodule
