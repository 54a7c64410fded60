// blend_dsp48e2.sv — the DSP48E2 subset blend uses, as a cycle-matched behavioural model.
//
// Two uses, chosen by the OPMODE/ALUMODE inputs (docs: rtl_templates/README.md):
//   * logic mode (binary engine): P = (A:B) XNOR C on 48 bits, OPMODE = 9'b00_011_00_11,
//     ALUMODE = 4'b0101; latency 2 (A/B/C register, P register).
//   * multiply mode (fixed-point engine): P = A[26:0] * B (+ P when accumulating),
//     OPMODE = 9'b00_000_01_01 (or 9'b00_010_01_01 to accumulate), ALUMODE = 4'b0000;
//     latency 3 (A/B register, M register, P register).
// Registers: AREG = BREG = CREG = MREG = PREG = 1, OPMODE/ALUMODE registered, synchronous
// active-high reset inside the primitive (driven from rst_ni), one clock enable for all.
//
// The ALU is written the way the silicon computes it (X, Y, Z multiplexers; Z optionally
// inverted by ALUMODE[0]; sum or majority path by ALUMODE[3:2]; output inverted by
// ALUMODE[1]), so every ALUMODE of the subset behaves as the real block. The behavioural
// model is what Verilator and Icarus simulate; synthesis (`SYNTHESIS` is defined by yosys and
// Vivado) instantiates the real DSP48E2 with the same configuration.
module blend_dsp48e2 (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        ce_i,
  input  logic [29:0] a_i,
  input  logic [17:0] b_i,
  input  logic [47:0] c_i,
  input  logic [8:0]  opmode_i,
  input  logic [3:0]  alumode_i,
  output logic [47:0] p_o
);

`ifdef SYNTHESIS
  DSP48E2 #(
    .AREG(1), .BREG(1), .CREG(1), .MREG(1), .PREG(1), .ACASCREG(1), .BCASCREG(1),
    .ADREG(0), .DREG(0), .INMODEREG(1), .OPMODEREG(1), .ALUMODEREG(1), .CARRYINREG(1),
    .CARRYINSELREG(1), .USE_MULT("MULTIPLY"), .USE_SIMD("ONE48"), .A_INPUT("DIRECT"),
    .B_INPUT("DIRECT"), .AMULTSEL("A"), .BMULTSEL("B"), .PREADDINSEL("A"),
    .USE_PATTERN_DETECT("NO_PATDET")
  ) u_dsp (
    .CLK(clk_i),
    .A(a_i), .B(b_i), .C(c_i), .D(27'd0), .CARRYIN(1'b0),
    .OPMODE(opmode_i), .ALUMODE(alumode_i), .INMODE(5'b00000), .CARRYINSEL(3'b000),
    .ACIN(30'd0), .BCIN(18'd0), .PCIN(48'd0), .CARRYCASCIN(1'b0), .MULTSIGNIN(1'b0),
    .CEA1(1'b0), .CEA2(ce_i), .CEAD(1'b0), .CEALUMODE(ce_i), .CEB1(1'b0), .CEB2(ce_i),
    .CEC(ce_i), .CECARRYIN(ce_i), .CECTRL(ce_i), .CED(1'b0), .CEINMODE(ce_i), .CEM(ce_i),
    .CEP(ce_i),
    .RSTA(~rst_ni), .RSTALLCARRYIN(~rst_ni), .RSTALUMODE(~rst_ni), .RSTB(~rst_ni),
    .RSTC(~rst_ni), .RSTCTRL(~rst_ni), .RSTD(~rst_ni), .RSTINMODE(~rst_ni), .RSTM(~rst_ni),
    .RSTP(~rst_ni),
    .P(p_o),
    .ACOUT(), .BCOUT(), .CARRYCASCOUT(), .CARRYOUT(), .MULTSIGNOUT(), .OVERFLOW(), .PCOUT(),
    .PATTERNBDETECT(), .PATTERNDETECT(), .UNDERFLOW(), .XOROUT()
  );
`else
  // Input registers (AREG = BREG = CREG = 1, OPMODEREG = ALUMODEREG = 1).
  logic [29:0] a_q;
  logic [17:0] b_q;
  logic [47:0] c_q;
  logic [8:0]  opmode_q;
  logic [3:0]  alumode_q;
  // Multiplier register (MREG = 1) and output register (PREG = 1).
  logic [47:0] m_q;
  logic [47:0] p_q;

  // 27 x 18 signed multiplier; the silicon emits two partial products that sum to this.
  logic signed [26:0] mult_a;
  logic signed [17:0] mult_b;
  logic signed [44:0] mult_full;
  assign mult_a    = a_q[26:0];
  assign mult_b    = b_q;
  assign mult_full = mult_a * mult_b;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      a_q       <= '0;
      b_q       <= '0;
      c_q       <= '0;
      opmode_q  <= '0;
      alumode_q <= '0;
      m_q       <= '0;
    end else if (ce_i) begin
      a_q       <= a_i;
      b_q       <= b_i;
      c_q       <= c_i;
      opmode_q  <= opmode_i;
      alumode_q <= alumode_i;
      m_q       <= {{3{mult_full[44]}}, mult_full};
    end
  end

  // X, Y, Z (and W) multiplexers.
  logic [47:0] x_mux, y_mux, z_mux, w_mux;
  always_comb begin
    case (opmode_q[1:0])
      2'b00:   x_mux = '0;
      2'b01:   x_mux = m_q;              // product (with Y = 01, see below)
      2'b10:   x_mux = p_q;
      default: x_mux = {a_q, b_q};       // A:B concatenation
    endcase
    case (opmode_q[3:2])
      2'b00:   y_mux = '0;
      2'b01:   y_mux = '0;               // second partial product: folded into X here
      2'b10:   y_mux = '1;
      default: y_mux = c_q;
    endcase
    case (opmode_q[6:4])
      3'b000:  z_mux = '0;
      3'b010:  z_mux = p_q;
      3'b011:  z_mux = c_q;
      default: z_mux = '0;               // PCIN and shifted cascades are not used
    endcase
    case (opmode_q[8:7])
      2'b01:   w_mux = p_q;
      2'b11:   w_mux = c_q;
      default: w_mux = '0;               // RND is not used
    endcase
  end

  // ALU: Z optionally inverted, then either the adder (sum of the XOR and the
  // carries from the majority function) or, for logic modes, the XOR/majority alone.
  logic [47:0] z_inv, xor_xyz, maj_xyz, sum_in, carry_in, alu_sum;
  assign z_inv    = alumode_q[0] ? ~z_mux : z_mux;
  assign xor_xyz  = x_mux ^ y_mux ^ z_inv;
  assign maj_xyz  = (x_mux & y_mux) | (x_mux & z_inv) | (y_mux & z_inv);
  assign sum_in   = alumode_q[3] ? maj_xyz : xor_xyz;
  assign carry_in = alumode_q[2] ? 48'd0 : {maj_xyz[46:0], 1'b0};
  assign alu_sum  = sum_in + carry_in + w_mux;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      p_q <= '0;
    end else if (ce_i) begin
      p_q <= alumode_q[1] ? ~alu_sum : alu_sum;
    end
  end

  assign p_o = p_q;
`endif

endmodule
