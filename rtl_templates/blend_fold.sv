// blend_fold.sv — sums the lane groups of a folded layer step (combinational).
//
// A step whose O output channels fit in Pe / F lanes can give each of F lane groups its own
// part of the reduction (other input channels or taps of the same output pixel); output
// channel o is then the sum of lanes o + g * Pe / F, g < F. Two levels of adders:
//   s1[o] = acc[o] + acc[o + Pe/2]     (o < Pe/2, F >= 2)
//   s2[o] = s1[o] + s1[o + Pe/4]       (o < Pe/4, F == 4)
// and lanes the fold does not cover step through, so F = 1 is the identity. The sums wrap at
// Width bits like the accumulators: the fold of exact partial sums is the exact total whenever
// the total fits Width (the compiler sizes the accumulators for the total).
module blend_fold #(
  parameter int unsigned Pe    = 16,
  parameter int unsigned Width = 16,
  parameter int unsigned Folds = 1   // 1, 2 or 4 (Pe % (2 * Folds) == 0)
) (
  /* verilator lint_off UNUSEDSIGNAL */ // with Folds 1 only the identity is used
  input  logic [15:0]         fold_i,  // F: 1, 2 or 4 (<= Folds)
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic [Pe*Width-1:0] acc_i,
  output logic [Pe*Width-1:0] acc_o
);
  if (Folds >= 2) begin : gen_fold
    localparam int unsigned Half = Pe / 2;
    localparam int unsigned Quarter = Pe / 4;
    logic [Pe*Width-1:0] s1;
    for (genvar o = 0; o < Pe; o++) begin : gen_s1
      if (o < Half) begin : gen_add
        assign s1[o*Width +: Width] = acc_i[o*Width +: Width] +
            ((fold_i >= 16'd2) ? acc_i[(o + Half)*Width +: Width] : {Width{1'b0}});
      end else begin : gen_step
        assign s1[o*Width +: Width] = acc_i[o*Width +: Width];
      end
    end
    if (Folds >= 4) begin : gen_fold4
      for (genvar o = 0; o < Pe; o++) begin : gen_s2
        if (o < Quarter) begin : gen_add
          assign acc_o[o*Width +: Width] = s1[o*Width +: Width] +
              ((fold_i >= 16'd4) ? s1[(o + Quarter)*Width +: Width] : {Width{1'b0}});
        end else begin : gen_step
          assign acc_o[o*Width +: Width] = s1[o*Width +: Width];
        end
      end
    end else begin : gen_fold2
      assign acc_o = s1;
    end
  end else begin : gen_identity
    assign acc_o = acc_i;
  end
endmodule
