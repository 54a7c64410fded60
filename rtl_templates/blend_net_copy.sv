// blend_net_copy.sv — blend_net's copier: a copy step (row stripes that keep rows) moves
// pixels_i pixels from src_i + i to dst_i + i in ascending order, both memories at once — the
// rows the next stripe reads again, moved to the top of their storage (docs/hardware.md,
// "Row stripes").
//
// Pixel i is read in cycle i + 1 after start_i (data one cycle after re_o) and written the
// cycle after, so dst < src may overlap. done_o marks the last write: a step of P pixels ends
// P + 1 cycles after start_i (the cost model's copy term without the descriptor fetch).
module blend_net_copy #(
  parameter int unsigned AddrBits = 10  // activation / binary memory address bits
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                start_i,   // pulse: a copy step starts
  input  logic [31:0]         pixels_i,  // pixels to move (>= 1)
  /* verilator lint_off UNUSEDSIGNAL */ // only the low bits address the memories
  input  logic [31:0]         src_i,     // first source pixel address
  input  logic [31:0]         dst_i,     // first destination pixel address
  /* verilator lint_on UNUSEDSIGNAL */
  output logic                re_o,      // memory read (both memories at raddr_o)
  output logic [AddrBits-1:0] raddr_o,
  output logic                we_o,      // write the word read the cycle before
  output logic [AddrBits-1:0] waddr_o,
  output logic                done_o
);
  logic        rd_q, wr_q;
  logic [31:0] ri_q, wi_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      {rd_q, wr_q} <= '0;
      {ri_q, wi_q} <= '0;
    end else begin
      wr_q <= rd_q;
      wi_q <= ri_q;
      if (start_i) begin
        rd_q <= 1'b1;
        ri_q <= '0;
      end else if (rd_q) begin
        if (ri_q == pixels_i - 32'd1) rd_q <= 1'b0;
        ri_q <= ri_q + 32'd1;
      end
    end
  end
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] raddr32, waddr32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign raddr32 = src_i + ri_q;
  assign waddr32 = dst_i + wi_q;
  assign re_o    = rd_q;
  assign raddr_o = raddr32[AddrBits-1:0];
  assign we_o    = wr_q;
  assign waddr_o = waddr32[AddrBits-1:0];
  assign done_o  = wr_q && (wi_q == pixels_i - 32'd1);
endmodule
