// blend_dsp48e2_xcheck_tb.sv — blend_dsp48e2's behavioural model against an independent model.
//
// yosys ships a faithful simulation model of the DSP48E1 (its DSP48E2 model is missing in 0.23).
// The X/Y/Z multiplexers, the ALUMODE logic unit and the registered pipeline we use are the
// same in both families, so both blocks get the same random operands and operation every cycle
// (XNOR/XOR/AND/OR logic modes, add, subtract, multiply, multiply-accumulate) and their P
// outputs must agree on every cycle. Multiplier operands stay within the DSP48E1's 25 x 18
// range. Exits non-zero on the first mismatch.
`timescale 1ns/1ps
module blend_dsp48e2_xcheck_tb;
  localparam int Cycles = 20000;

  logic        clk = 1'b0;
  logic        rst_n = 1'b0;
  logic [29:0] a;
  logic [17:0] b;
  logic [47:0] c;
  logic [6:0]  opmode;
  logic [3:0]  alumode;
  logic [47:0] p_ours, p_ref;

  blend_dsp48e2 dut (
    .clk_i(clk), .rst_ni(rst_n), .ce_i(1'b1), .a_i(a), .b_i(b), .c_i(c),
    .opmode_i({2'b00, opmode}), .alumode_i(alumode), .p_o(p_ours)
  );

  DSP48E1 #(
    .AREG(1), .BREG(1), .CREG(1), .MREG(1), .PREG(1), .ACASCREG(1), .BCASCREG(1),
    .ALUMODEREG(1), .OPMODEREG(1), .INMODEREG(1), .CARRYINREG(1), .CARRYINSELREG(1),
    .USE_MULT("MULTIPLY"), .USE_DPORT("FALSE"), .USE_SIMD("ONE48")
  ) ref_dsp (
    .CLK(clk), .A(a), .B(b), .C(c), .D(25'd0), .CARRYIN(1'b0), .CARRYINSEL(3'b000),
    .OPMODE(opmode), .ALUMODE(alumode), .INMODE(5'b00000),
    .ACIN(30'd0), .BCIN(18'd0), .PCIN(48'd0), .CARRYCASCIN(1'b0), .MULTSIGNIN(1'b0),
    .CEA1(1'b0), .CEA2(1'b1), .CEAD(1'b0), .CEALUMODE(1'b1), .CEB1(1'b0), .CEB2(1'b1),
    .CEC(1'b1), .CECARRYIN(1'b1), .CECTRL(1'b1), .CED(1'b0), .CEINMODE(1'b1), .CEM(1'b1),
    .CEP(1'b1),
    .RSTA(!rst_n), .RSTALLCARRYIN(!rst_n), .RSTALUMODE(!rst_n), .RSTB(!rst_n),
    .RSTC(!rst_n), .RSTCTRL(!rst_n), .RSTD(!rst_n), .RSTINMODE(!rst_n), .RSTM(!rst_n),
    .RSTP(!rst_n),
    .P(p_ref)
  );

  always #5 clk = ~clk;

  // One random operation of the subset: {opmode, alumode}.
  task automatic pick_op(output logic [6:0] op, output logic [3:0] alu);
    case ($urandom % 8)
      0: begin op = 7'b011_00_11; alu = 4'b0101; end // (A:B) XNOR C — the binary engine
      1: begin op = 7'b011_00_11; alu = 4'b0100; end // (A:B) XOR C
      2: begin op = 7'b011_00_11; alu = 4'b1100; end // (A:B) AND C
      3: begin op = 7'b011_10_11; alu = 4'b1100; end // (A:B) OR C
      4: begin op = 7'b011_00_11; alu = 4'b0000; end // A:B + C
      5: begin op = 7'b011_00_11; alu = 4'b0011; end // C - A:B
      6: begin op = 7'b000_01_01; alu = 4'b0000; end // A * B — the fixed-point engine
      default: begin op = 7'b010_01_01; alu = 4'b0000; end // P + A * B
    endcase
  endtask

  int errors = 0;
  int checked = 0;
  logic [24:0] a25;
  logic [6:0]  next_opmode;
  logic [3:0]  next_alumode;

  initial begin
    a = '0; b = '0; c = '0; opmode = '0; alumode = '0;
    next_opmode = 7'b011_00_11; next_alumode = 4'b0101;
    repeat (4) @(posedge clk);
    rst_n = 1'b1;
    for (int cycle = 0; cycle < Cycles; cycle++) begin
      @(negedge clk);
      // Compare before driving new operands; both pipelines are in the same state.
      if (cycle > 4) begin
        checked++;
        if (p_ours !== p_ref) begin
          errors++;
          if (errors <= 5)
            $display("MISMATCH cycle %0d: ours %h, DSP48E1 %h (opmode %b alumode %b)",
                     cycle, p_ours, p_ref, opmode, alumode);
        end
      end
      // With MREG = 1 a multiply uses the product of the previous cycle's
      // operands, so A must be in the shared 25-bit range whenever the next
      // operation multiplies; otherwise all 30 bits are exercised.
      opmode  = next_opmode;
      alumode = next_alumode;
      pick_op(next_opmode, next_alumode);
      a25 = $urandom;
      a = (next_opmode[1:0] == 2'b01) ? {{5{a25[24]}}, a25} : {$urandom, $urandom};
      b = $urandom;
      c = {$urandom, $urandom};
    end
    if (errors != 0) begin
      $display("FAIL: %0d of %0d cycles differ", errors, checked);
      $fatal(1);
    end
    $display("PASS: %0d cycles, blend_dsp48e2 == DSP48E1 on every cycle", checked);
    $finish;
  end
endmodule
