// blend_ram.sv — simple dual-port RAM, one write and one registered read port.
//
// Written in the form synthesis tools infer as block RAM (or LUT RAM when small): a write
// port, and a read port whose output register loads only when re_i is high, so a stalled
// reader keeps its data. No reset on the array or the read register. Block = 1 asks for block
// RAM even when the memory is shallow.
module blend_ram #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 16,
  parameter int unsigned Block = 0, // 1: always block RAM (ram_style = "block")
  parameter int unsigned AddrWidth = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                 clk_i,
  input  logic                 we_i,
  input  logic [AddrWidth-1:0] waddr_i,
  input  logic [Width-1:0]     wdata_i,
  input  logic                 re_i,
  input  logic [AddrWidth-1:0] raddr_i,
  output logic [Width-1:0]     rdata_o
);
  if (Block != 0) begin : gen_block
    // Block RAM whatever the depth (wide, shallow memories read every cycle: yosys's flattened
    // flow maps them to far more LUT RAM logic than their bits suggest).
    (* ram_style = "block" *) logic [Width-1:0] mem [Depth];
    always_ff @(posedge clk_i) begin
      if (we_i) begin
        mem[waddr_i] <= wdata_i;
      end
    end
    always_ff @(posedge clk_i) begin
      if (re_i) begin
        rdata_o <= mem[raddr_i];
      end
    end
  end else begin : gen_auto
    logic [Width-1:0] mem [Depth];
    always_ff @(posedge clk_i) begin
      if (we_i) begin
        mem[waddr_i] <= wdata_i;
      end
    end
    always_ff @(posedge clk_i) begin
      if (re_i) begin
        rdata_o <= mem[raddr_i];
      end
    end
  end
endmodule
