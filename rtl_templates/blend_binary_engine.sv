// blend_binary_engine.sv — binary (XNOR-popcount) dot products for Pe output channels at once.
//
// Each input beat carries one 48-bit word of binary activations of one kernel tap (bit 1 is +1),
// the mask of channels that are real in that word (0 beyond C, and all-zero for a tap that falls
// in the zero padding), and one 48-bit weight word per output channel. Every output channel has
// one DSP48E2 in logic mode computing the 48 XNORs in one cycle; a LUT popcount of the masked
// XNOR word gives the agreements, and the accumulator adds 2*agreements - valid_bits, which is
// the exact +-1 dot product of the valid taps (docs/semantics.md section 2). The beat marked
// last_i closes an output pixel: its Pe accumulators leave on the output port. Lanes come in
// Groups equal groups of Pe / Groups, each with its own activation word and mask (act_i and
// mask_i hold one per group), so one beat can carry different taps to different lanes
// (blend_net sums the groups' accumulators of a folded layer).
//
// Pipeline: DSP input registers, DSP P register, popcount register, accumulator; four cycles from
// an input beat to its accumulation. Flow control stalls the whole pipeline (one clock enable,
// DSP registers included) while a finished result waits for out_ready_i, so valid/ready may stall
// on either side at any cycle.
module blend_binary_engine #(
  parameter int unsigned Pe       = 16, // output channels computed in parallel (one DSP each)
  parameter int unsigned AccWidth = 16, // signed accumulator width, >= log2(taps*C) + 2
  parameter int unsigned LutXnor  = 0,   // 1: XNORs in LUTs (blendc --binary-impl lut)
  parameter int unsigned Groups   = 1    // lane groups with their own words and masks
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   in_valid_i,
  output logic                   in_ready_o,
  input  logic [Groups*48-1:0]   act_i,  // group h in bits [48h +: 48]
  input  logic [Groups*48-1:0]   mask_i,
  input  logic [Pe*48-1:0]       wgt_i,
  input  logic                   last_i,
  output logic                   out_valid_o,
  input  logic                   out_ready_i,
  output logic [Pe*AccWidth-1:0] acc_o
);
  // DSP48E2 logic mode: X = A:B, Y = 0, Z = C, ALUMODE 0101 gives X XNOR Z.
  localparam logic [8:0] OPMODE_XNOR  = 9'b00_011_00_11;
  localparam logic [3:0] ALUMODE_XNOR = 4'b0101;

  /// Number of set bits of a 48-bit word (LUT adder tree after synthesis).
  function automatic logic [5:0] popcount48(input logic [47:0] word);
    popcount48 = '0;
    for (int i = 0; i < 48; i++) begin
      popcount48 = popcount48 + {5'd0, word[i]};
    end
  endfunction

  logic out_valid_q;
  logic advance;
  assign advance     = !out_valid_q || out_ready_i;
  assign in_ready_o  = advance;
  assign out_valid_o = out_valid_q;

  localparam int unsigned GroupLanes = Pe / Groups;

  // Side band travelling with the DSP pipeline (latency 2).
  logic        valid1_q, valid2_q, valid3_q;
  logic        last1_q, last2_q, last3_q;
  logic [Groups*48-1:0] mask1_q, mask2_q;
  logic [Groups*7-1:0]  valid_bits3_q;
  logic [Pe*48-1:0] xnor_word;
  logic [Pe*7-1:0]  agree3_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      valid1_q      <= 1'b0;
      valid2_q      <= 1'b0;
      valid3_q      <= 1'b0;
      last1_q       <= 1'b0;
      last2_q       <= 1'b0;
      last3_q       <= 1'b0;
      mask1_q       <= '0;
      mask2_q       <= '0;
    end else if (advance) begin
      valid1_q      <= in_valid_i;
      valid2_q      <= valid1_q;
      valid3_q      <= valid2_q;
      last1_q       <= in_valid_i & last_i;
      last2_q       <= last1_q;
      last3_q       <= last2_q;
      mask1_q       <= in_valid_i ? mask_i : '0;
      mask2_q       <= mask1_q;
    end
  end
  for (genvar h = 0; h < Groups; h++) begin : gen_valid_bits
    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        valid_bits3_q[h*7 +: 7] <= '0;
      end else if (advance) begin
        valid_bits3_q[h*7 +: 7] <= {1'b0, popcount48(mask2_q[h*48 +: 48])};
      end
    end
  end

  for (genvar g = 0; g < Pe; g++) begin : gen_pe
    localparam int unsigned H = g / GroupLanes; // this lane's group
    if (LutXnor != 0) begin : gen_lut
      // The DSP's pipeline in fabric: input registers, then the XNOR register (latency 2).
      logic [47:0] act_q, wgt_q, xnor_q;
      always_ff @(posedge clk_i) begin
        if (!rst_ni) begin
          act_q  <= '0;
          wgt_q  <= '0;
          xnor_q <= '0;
        end else if (advance) begin
          act_q  <= act_i[H*48 +: 48];
          wgt_q  <= wgt_i[g*48 +: 48];
          xnor_q <= ~(act_q ^ wgt_q);
        end
      end
      assign xnor_word[g*48 +: 48] = xnor_q;
    end else begin : gen_dsp
      blend_dsp48e2 u_xnor (
        .clk_i     (clk_i),
        .rst_ni    (rst_ni),
        .ce_i      (advance),
        .a_i       (act_i[H*48 + 18 +: 30]),
        .b_i       (act_i[H*48 +: 18]),
        .c_i       (wgt_i[g*48 +: 48]),
        .opmode_i  (OPMODE_XNOR),
        .alumode_i (ALUMODE_XNOR),
        .p_o       (xnor_word[g*48 +: 48])
      );
    end

    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        agree3_q[g*7 +: 7] <= '0;
      end else if (advance) begin
        agree3_q[g*7 +: 7] <= {1'b0, popcount48(xnor_word[g*48 +: 48] & mask2_q[H*48 +: 48])};
      end
    end

    // acc + 2*agreements - valid_bits, the exact +-1 dot product of this word: a 9-bit
    // signed value in [-48, 96], sign-extended (yosys 0.23 takes no casts).
    logic [8:0]          term9;
    logic [AccWidth-1:0] acc_q, acc_next, term;
    assign term9    = {1'b0, agree3_q[g*7 +: 7], 1'b0} - {2'b00, valid_bits3_q[H*7 +: 7]};
    assign term     = {{(AccWidth-9){term9[8]}}, term9};
    assign acc_next = acc_q + term;

    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        acc_q <= '0;
        acc_o[g*AccWidth +: AccWidth] <= '0;
      end else if (advance && valid3_q) begin
        acc_q <= last3_q ? '0 : acc_next;
        if (last3_q) begin
          acc_o[g*AccWidth +: AccWidth] <= acc_next;
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      out_valid_q <= 1'b0;
    end else if (advance) begin
      out_valid_q <= valid3_q & last3_q;
    end
  end

endmodule
