// blend_requant.sv — one requantization, docs/semantics.md section 5, combinational.
//
//   t   = v * multiplier + bias                 (exact: the compiler proves |t| < 2^62)
//   r   = round(t / 2^shift)                    half_up:   floor((t + 2^(shift-1)) / 2^shift)
//                                               half_even: floor((t + 2^(shift-1) - 1 + p)
//                                                          / 2^shift), p = bit `shift` of t
//                                                          (ties go to the even neighbour)
//   out = clamp(r + zp_out, q_min, q_max)       explicit saturation, never wrap-around
//
// The same rule is blend::golden::requantize in runtime/golden/Kernels.cpp; the accelerator
// testbenches compare the two bit for bit. Callers register the result (blend_postproc).
module blend_requant #(
  parameter int unsigned InWidth = 32 // signed width of v
) (
  input  logic [InWidth-1:0] v_i,
  input  logic [31:0]        multiplier_i, // signed
  input  logic [5:0]         shift_i,      // 0..62
  input  logic [63:0]        bias_i,       // signed
  input  logic               half_even_i,  // 1: half_even, 0: half_up
  input  logic [31:0]        zp_out_i,     // signed
  input  logic [31:0]        q_min_i,      // signed
  input  logic [31:0]        q_max_i,      // signed
  output logic [31:0]        q_o           // signed, within [q_min, q_max]
);
  logic signed [63:0] t, half, addend, rounded, with_zp;
  logic signed [63:0] q_min64, q_max64;
  logic               parity;
  // The product at its natural width (InWidth x 32), so synthesis builds an
  // InWidth x 32 multiplier rather than a 64 x 64 one.
  logic signed [InWidth+31:0] product;

  assign product = $signed(v_i) * $signed(multiplier_i);
  if (InWidth < 32) begin : gen_extend
    assign t = {{(32-InWidth){product[InWidth+31]}}, product} + bias_i;
  end else begin : gen_truncate
    // |t| < 2^62 is proven by the compiler, so the low 64 bits are exact.
    /* verilator lint_off UNUSEDSIGNAL */
    logic [InWidth+31:0] product_bits;
    /* verilator lint_on UNUSEDSIGNAL */
    assign product_bits = product;
    assign t = product_bits[63:0] + bias_i;
  end

  // Rounding as one add and one arithmetic shift (no remainder, no comparison):
  //   half_up:   floor((t + 2^(s-1)) / 2^s)
  //   half_even: floor((t + 2^(s-1) - 1 + p) / 2^s), p = bit s of t (the floor's parity):
  //              an odd floor rounds a tie up, an even one keeps it.
  // |t| < 2^62, so t + 2^(s-1) cannot overflow 64 bits.
  assign half    = (shift_i == 6'd0) ? 64'sd0 : (64'sd1 <<< (shift_i - 6'd1));
  assign parity  = t[shift_i];
  assign addend  = (shift_i == 6'd0) ? 64'sd0
                 : half_even_i ? (half - 64'sd1 + {63'd0, parity}) : half;
  assign rounded = (t + addend) >>> shift_i;

  assign with_zp = rounded + {{32{zp_out_i[31]}}, zp_out_i};
  assign q_min64 = {{32{q_min_i[31]}}, q_min_i};
  assign q_max64 = {{32{q_max_i[31]}}, q_max_i};

  always_comb begin
    if (with_zp < q_min64) begin
      q_o = q_min_i;
    end else if (with_zp > q_max64) begin
      q_o = q_max_i;
    end else begin
      q_o = with_zp[31:0];
    end
  end
endmodule
