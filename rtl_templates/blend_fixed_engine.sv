// blend_fixed_engine.sv — fixed-point dot products for Pe output channels, two per DSP48E2.
//
// Each input beat carries Channels activation values (q - zp, 9-bit signed; one DSP bank each)
// per lane group and the int8 weights of the Pe output channels for those input channels; the
// beat marked last_i closes an output pixel. Lanes come in Groups equal groups of Pe / Groups
// (an even count, so a DSP's two lanes share a group); group h multiplies act_i's h-th set of
// Channels values, which lets one beat carry different input channels or taps to different
// lanes (blend_net sums the groups' accumulators of a folded layer). Per lane, the banks' products are summed before the
// accumulator, so Channels > 1 costs DSPs and one adder per bank, not accumulators.
// Output channels 2j and 2j+1 share DSP j ("INT8 packing"): the DSP's 27-bit A port holds
// w[2j+1] * 2^LaneOffset + w[2j] and B holds the activation, so one multiply gives
//   P = x*w[2j] + 2^LaneOffset * x*w[2j+1].
// |x*w| <= 255*128 < 2^(LaneOffset-1), so the low lane P[LaneOffset-1:0], read as signed, is
// exactly x*w[2j]; the high lane is P[47:LaneOffset] plus the sign bit of the low lane (the
// correction term: a negative low product borrows one from the high lane). The products are
// extracted every cycle and accumulated in fabric, so no guard bits are needed between lanes.
// The lane offset and its bounds are documented in rtl_templates/README.md.
//
// Pipeline: DSP A/B registers, M register, P register, accumulator; the whole pipeline stalls on
// one clock enable while a finished result waits for out_ready_i.
module blend_fixed_engine #(
  parameter int unsigned Pe       = 16, // output channels (two per DSP; odd Pe leaves a lane idle)
  parameter int unsigned AccWidth = 24, // signed accumulator width
  parameter int unsigned Channels = 1,  // input channels per beat (a DSP bank each)
  parameter int unsigned Groups   = 1   // lane groups with their own activations
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   in_valid_i,
  output logic                   in_ready_o,
  input  logic [Groups*Channels*9-1:0] act_i, // group h, channel k in bits [(h*Channels+k)*9 +: 9]
  input  logic [Pe*Channels*8-1:0] wgt_i, // lane p, channel k in bits [(p*Channels + k)*8 +: 8]
  input  logic                   last_i,
  output logic                   out_valid_o,
  input  logic                   out_ready_i,
  output logic [Pe*AccWidth-1:0] acc_o
);
  localparam int unsigned Dsps       = (Pe + 1) / 2;
  localparam int unsigned LaneOffset = 18;
  localparam int unsigned GroupLanes = Pe / Groups;
  // DSP48E2 multiply mode: X = Y = M (the two partial products), Z = 0, W = 0; ALUMODE add.
  localparam logic [8:0] OPMODE_MUL  = 9'b00_000_01_01;
  localparam logic [3:0] ALUMODE_ADD = 4'b0000;

  logic out_valid_q;
  logic advance;
  assign advance     = !out_valid_q || out_ready_i;
  assign in_ready_o  = advance;
  assign out_valid_o = out_valid_q;

  // Side band travelling with the DSP pipeline (latency 3).
  logic valid1_q, valid2_q, valid3_q;
  logic last1_q, last2_q, last3_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      {valid1_q, valid2_q, valid3_q} <= '0;
      {last1_q, last2_q, last3_q}    <= '0;
    end else if (advance) begin
      valid1_q <= in_valid_i;
      valid2_q <= valid1_q;
      valid3_q <= valid2_q;
      last1_q  <= in_valid_i & last_i;
      last2_q  <= last1_q;
      last3_q  <= last2_q;
    end
  end

  // Lane products of every channel bank, two per DSP (signed, LaneOffset-1 bits each).
  localparam int unsigned PW = LaneOffset - 1;
  logic [Channels*Pe*PW-1:0] product;

  for (genvar k = 0; k < Channels; k++) begin : gen_bank
    for (genvar j = 0; j < Dsps; j++) begin : gen_dsp
      logic [7:0]  w_lo, w_hi;
      logic [26:0] packed_w;
      logic [8:0]  act;
      // Only the low 2*(LaneOffset-1)+1 bits of P carry the two products.
      /* verilator lint_off UNUSEDSIGNAL */
      logic [47:0] p;
      /* verilator lint_on UNUSEDSIGNAL */
      assign act  = act_i[((2*j) / GroupLanes * Channels + k)*9 +: 9];
      assign w_lo = wgt_i[((2*j)*Channels + k)*8 +: 8];
      // Low lane: signed P[17:0], exactly x * w_lo.
      assign product[(k*Pe + 2*j)*PW +: PW] = p[LaneOffset-2:0];
      if (2 * j + 1 < Pe) begin : gen_pair
        // High lane: P[47:18] + the low lane's sign bit (the borrow correction).
        logic [LaneOffset-2:0] hi_lane;
        assign w_hi    = wgt_i[((2*j+1)*Channels + k)*8 +: 8];
        assign hi_lane = p[LaneOffset +: LaneOffset-1] + {{(LaneOffset-2){1'b0}}, p[LaneOffset-1]};
        assign product[(k*Pe + 2*j+1)*PW +: PW] = hi_lane;
      end else begin : gen_single
        assign w_hi = 8'd0;
      end
      // w_hi * 2^18 + w_lo as a 27-bit signed value.
      assign packed_w = {{1{w_hi[7]}}, w_hi, 18'd0} + {{19{w_lo[7]}}, w_lo};

      blend_dsp48e2 u_mul (
        .clk_i     (clk_i),
        .rst_ni    (rst_ni),
        .ce_i      (advance),
        .a_i       ({{3{packed_w[26]}}, packed_w}),
        .b_i       ({{9{act[8]}}, act}),
        .c_i       (48'd0),
        .opmode_i  (OPMODE_MUL),
        .alumode_i (ALUMODE_ADD),
        .p_o       (p)
      );
    end
  end

  // Per lane: the channels' products summed (exact at AccWidth), then accumulated.
  for (genvar g = 0; g < Pe; g++) begin : gen_acc
    logic [AccWidth-1:0] beat_sum, acc_q, acc_next;
    always_comb begin
      beat_sum = '0;
      for (int k = 0; k < Channels; k++) begin
        beat_sum = beat_sum + {{(AccWidth-PW){product[(k*Pe + g)*PW + PW - 1]}},
                               product[(k*Pe + g)*PW +: PW]};
      end
    end
    assign acc_next = acc_q + beat_sum;
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
