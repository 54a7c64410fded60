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
// Pixel pairs (Pairs = 1, pair_i set for a step; Groups' lanes all take group 0's activations):
// four products per DSP. A is packed as above, B holds the activations of two output pixels,
// B = x1 * 2^9 + x0 (act_i group 0 and act2_i), and the C port adds the constant
// K = 256 * (1 + 2^9 + 2^18 + 2^27), so
//   P = K + w[2j]*x0 + 2^9 * w[2j]*x1 + 2^18 * w[2j+1]*x0 + 2^27 * w[2j+1]*x1.
// The compiler enables the mode only when every product lies in [-256, 255]; then each 9-bit
// field of P holds product + 256 in [0, 511] with no borrow between fields (K is the
// correction), and product = field - 256 is the field with its top bit inverted. Each lane
// keeps an accumulator per pixel; the pair's two results leave one after the other (pixel 0,
// then pixel 1 unless two_i was 0 on the pair's last beat: an odd row's last pixel).
//
// Pipeline: DSP A/B registers, M register, P register, accumulator. One clock enable stalls the
// whole pipeline: in the single-pixel mode while a finished result waits for out_ready_i, in the
// pair mode only when a pair's last beat reaches the accumulators before the previous pair's
// results have all left.
module blend_fixed_engine #(
  parameter int unsigned Pe       = 16, // output channels (two per DSP; odd Pe leaves a lane idle)
  parameter int unsigned AccWidth = 24, // signed accumulator width
  parameter int unsigned Channels = 1,  // input channels per beat (a DSP bank each)
  parameter int unsigned Groups   = 1,  // lane groups with their own activations
  parameter int unsigned Pairs    = 0   // 1: build the pixel-pair mode (pair_i)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   in_valid_i,
  output logic                   in_ready_o,
  input  logic [Groups*Channels*9-1:0] act_i, // group h, channel k in bits [(h*Channels+k)*9 +: 9]
  input  logic [Pe*Channels*8-1:0] wgt_i, // lane p, channel k in bits [(p*Channels + k)*8 +: 8]
  input  logic                   last_i,
  // Pixel pairs (unused when Pairs = 0): the mode (stable during a step), the second pixel's
  // activations (channel k in bits [k*9 +: 9]), and whether the pair has a second pixel
  // (sampled with last_i).
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic                   pair_i,
  input  logic [Channels*9-1:0]  act2_i,
  input  logic                   two_i,
  /* verilator lint_on UNUSEDSIGNAL */
  output logic                   out_valid_o,
  input  logic                   out_ready_i,
  output logic [Pe*AccWidth-1:0] acc_o
);
  localparam int unsigned Dsps       = (Pe + 1) / 2;
  localparam int unsigned LaneOffset = 18;
  localparam int unsigned GroupLanes = Pe / Groups;
  // DSP48E2 multiply mode: X = Y = M (the two partial products), Z = 0, W = 0; ALUMODE add.
  // The pair mode takes Z = C (the field offsets K).
  localparam logic [8:0]  OPMODE_MUL  = 9'b00_000_01_01;
  localparam logic [8:0]  OPMODE_MULC = 9'b00_011_01_01;
  localparam logic [3:0]  ALUMODE_ADD = 4'b0000;
  localparam logic [47:0] PairOffsets = 48'h0008_0402_0100; // 256 * (1 + 2^9 + 2^18 + 2^27)

  logic pair;
  assign pair = (Pairs != 0) && pair_i;

  logic out_valid_q;
  logic out_second_q; // pair mode: pixel 1's result waits behind acc_o
  logic advance;
  assign in_ready_o  = advance;
  assign out_valid_o = out_valid_q;

  // Side band travelling with the DSP pipeline (latency 3).
  logic valid1_q, valid2_q, valid3_q;
  logic last1_q, last2_q, last3_q;
  logic two1_q, two2_q, two3_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      {valid1_q, valid2_q, valid3_q} <= '0;
      {last1_q, last2_q, last3_q}    <= '0;
      {two1_q, two2_q, two3_q}       <= '0;
    end else if (advance) begin
      valid1_q <= in_valid_i;
      valid2_q <= valid1_q;
      valid3_q <= valid2_q;
      last1_q  <= in_valid_i & last_i;
      last2_q  <= last1_q;
      last3_q  <= last2_q;
      two1_q   <= pair & two_i;
      two2_q   <= two1_q;
      two3_q   <= two2_q;
    end
  end

  // Lane products of every channel bank, two per DSP (signed, LaneOffset-1 bits each): product
  // holds pixel 0 (the only pixel outside the pair mode), product2 pixel 1.
  localparam int unsigned PW = LaneOffset - 1;
  logic [Channels*Pe*PW-1:0] product, product2;

  for (genvar k = 0; k < Channels; k++) begin : gen_bank
    for (genvar j = 0; j < Dsps; j++) begin : gen_dsp
      logic [7:0]  w_lo, w_hi;
      logic [26:0] packed_w;
      logic [8:0]  act;
      logic [17:0] b;
      // Only the low 2*(LaneOffset-1)+1 bits of P carry the two products (the low 36 bits
      // the four of a pixel pair).
      /* verilator lint_off UNUSEDSIGNAL */
      logic [47:0] p;
      /* verilator lint_on UNUSEDSIGNAL */
      // Pair mode: field f of P less 256, i.e. its top bit inverted (9-bit signed); a single
      // lane (odd Pe) leaves fields 2 and 3 unused.
      logic [8:0] f0, f1;
      /* verilator lint_off UNUSEDSIGNAL */
      logic [8:0] f2, f3;
      /* verilator lint_on UNUSEDSIGNAL */
      assign f0 = {~p[8], p[7:0]};
      assign f1 = {~p[17], p[16:9]};
      assign f2 = {~p[26], p[25:18]};
      assign f3 = {~p[35], p[34:27]};
      assign act  = act_i[((2*j) / GroupLanes * Channels + k)*9 +: 9];
      assign w_lo = wgt_i[((2*j)*Channels + k)*8 +: 8];
      // Low lane: signed P[17:0], exactly x * w_lo (pair mode: fields 0 and 1).
      assign product[(k*Pe + 2*j)*PW +: PW] =
          pair ? {{(PW-9){f0[8]}}, f0} : p[LaneOffset-2:0];
      assign product2[(k*Pe + 2*j)*PW +: PW] = {{(PW-9){f1[8]}}, f1};
      if (2 * j + 1 < Pe) begin : gen_pair
        // High lane: P[47:18] + the low lane's sign bit (the borrow correction); pair mode:
        // fields 2 and 3.
        logic [LaneOffset-2:0] hi_lane;
        assign w_hi    = wgt_i[((2*j+1)*Channels + k)*8 +: 8];
        assign hi_lane = p[LaneOffset +: LaneOffset-1] + {{(LaneOffset-2){1'b0}}, p[LaneOffset-1]};
        assign product[(k*Pe + 2*j+1)*PW +: PW] = pair ? {{(PW-9){f2[8]}}, f2} : hi_lane;
        assign product2[(k*Pe + 2*j+1)*PW +: PW] = {{(PW-9){f3[8]}}, f3};
      end else begin : gen_single
        assign w_hi = 8'd0;
      end
      // w_hi * 2^18 + w_lo as a 27-bit signed value.
      assign packed_w = {{1{w_hi[7]}}, w_hi, 18'd0} + {{19{w_lo[7]}}, w_lo};
      if (Pairs != 0) begin : gen_b_pair
        // x1 * 2^9 + x0: |x| <= 255, so the sum fits 18 bits signed.
        logic [8:0] act2;
        assign act2 = act2_i[k*9 +: 9];
        assign b = pair ? ({act2, 9'd0} + {{9{act[8]}}, act}) : {{9{act[8]}}, act};
      end else begin : gen_b
        assign b = {{9{act[8]}}, act};
      end

      blend_dsp48e2 u_mul (
        .clk_i     (clk_i),
        .rst_ni    (rst_ni),
        .ce_i      (advance),
        .a_i       ({{3{packed_w[26]}}, packed_w}),
        .b_i       (b),
        .c_i       (pair ? PairOffsets : 48'd0),
        .opmode_i  (pair ? OPMODE_MULC : OPMODE_MUL),
        .alumode_i (ALUMODE_ADD),
        .p_o       (p)
      );
    end
  end

  // A pixel's (or pair's) last beat reaches the accumulators this cycle.
  logic finish;
  assign finish = valid3_q && last3_q;
  if (Pairs != 0) begin : gen_adv_pair
    // The pair mode stalls only when a result would overwrite one still waiting.
    logic out_free;
    assign out_free = !out_valid_q || (out_ready_i && !out_second_q);
    assign advance  = pair ? (out_free || !finish) : (!out_valid_q || out_ready_i);
  end else begin : gen_adv
    assign advance = !out_valid_q || out_ready_i;
  end
  // Pair mode: pixel 0's result taken while pixel 1's waits.
  logic take_first;
  assign take_first = out_valid_q && out_ready_i && out_second_q;

  // Per lane: the channels' products summed (exact at AccWidth), then accumulated.
  for (genvar g = 0; g < Pe; g++) begin : gen_acc
    logic [AccWidth-1:0] beat_sum, acc_q, acc_next, res2;
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
      end else if (advance && valid3_q) begin
        acc_q <= last3_q ? '0 : acc_next;
      end
    end
    always_ff @(posedge clk_i) begin
      if (!rst_ni) begin
        acc_o[g*AccWidth +: AccWidth] <= '0;
      end else if (advance && finish) begin
        acc_o[g*AccWidth +: AccWidth] <= acc_next;
      end else if (take_first) begin
        acc_o[g*AccWidth +: AccWidth] <= res2;
      end
    end
    if (Pairs != 0) begin : gen_pix2
      logic [AccWidth-1:0] beat_sum2, acc2_q, acc2_next, res2_q;
      always_comb begin
        beat_sum2 = '0;
        for (int k = 0; k < Channels; k++) begin
          beat_sum2 = beat_sum2 + {{(AccWidth-PW){product2[(k*Pe + g)*PW + PW - 1]}},
                                   product2[(k*Pe + g)*PW +: PW]};
        end
      end
      assign acc2_next = acc2_q + beat_sum2;
      always_ff @(posedge clk_i) begin
        if (!rst_ni) begin
          acc2_q <= '0;
          res2_q <= '0;
        end else if (advance && valid3_q) begin
          acc2_q <= last3_q ? '0 : acc2_next;
          if (last3_q) res2_q <= acc2_next;
        end
      end
      assign res2 = res2_q;
    end else begin : gen_pix1
      assign res2 = '0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      out_valid_q  <= 1'b0;
      out_second_q <= 1'b0;
    end else if (advance && finish) begin
      out_valid_q  <= 1'b1;
      out_second_q <= two3_q;
    end else if (take_first) begin
      out_second_q <= 1'b0;
    end else if (out_valid_q && out_ready_i) begin
      out_valid_q <= 1'b0;
    end
  end

  // The second pixel's products are unused without the pair mode.
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused_product2;
  assign unused_product2 = ^product2;
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
