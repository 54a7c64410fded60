// blend_ram_be.sv — simple dual-port RAM with a byte-enable write port and a registered read
// port (blend_ram's read behaviour: the output register loads only when re_i is high).
//
// blend_net uses it for the activation and binary memories when a layer runs in output-channel
// tiles: a tile's step writes only its channels' bytes of each pixel word. Written in the form
// synthesis tools infer as block RAM with byte write enables.
module blend_ram_be #(
  parameter int unsigned Bytes = 2,  // word width in bytes
  parameter int unsigned Depth = 16,
  parameter int unsigned AddrWidth = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                 clk_i,
  input  logic                 we_i,
  input  logic [Bytes-1:0]     be_i,
  input  logic [AddrWidth-1:0] waddr_i,
  input  logic [Bytes*8-1:0]   wdata_i,
  input  logic                 re_i,
  input  logic [AddrWidth-1:0] raddr_i,
  output logic [Bytes*8-1:0]   rdata_o
);
  logic [Bytes*8-1:0] mem [Depth];
  for (genvar b = 0; b < Bytes; b++) begin : gen_byte
    always_ff @(posedge clk_i) begin
      if (we_i && be_i[b]) begin
        mem[waddr_i][b*8 +: 8] <= wdata_i[b*8 +: 8];
      end
    end
  end
  always_ff @(posedge clk_i) begin
    if (re_i) begin
      rdata_o <= mem[raddr_i];
    end
  end
endmodule
