// blend_net_seq.sv — blend_net's sequencer: the global registers (cfg region 0), the descriptor
// RAM (region 4), and the phases of an image: LOAD -> (FETCH -> RUN) per layer step -> LOAD.
//
//   LOAD   the image's input pixels (in_pixels beats; none when in_pixels is 0, a striped core
//          whose load steps take the input), accepted from the stream and addressed
//          in_base + i;
//   FETCH  the step's descriptor, DescBanks fields per cycle (ceil(Fields / DescBanks) reads
//          and one cycle of read latency: the cost model's fetch term), into desc_o;
//   RUN    start_o pulses once; the step runs until work_done_i (a load step, Stripes = 1:
//          OH x OW stream beats addressed dst + i, ending with ld_done_o).
// After the last step the next image's LOAD (or, with no input load, its first step) follows.
// The field order is docs/schedule-format.md's; blend_net decodes desc_o.
module blend_net_seq #(
  parameter int unsigned MaxSteps = 1,   // descriptors
  parameter int unsigned DescBanks = 8,   // descriptor RAM banks (1 or 8)
  parameter int unsigned Pairs     = 0,   // 1: field 42 (s_pair) exists
  parameter int unsigned Stripes   = 0,   // 1: fields 43-45 (row offsets, load/copy) exist
  parameter int unsigned Pools     = 0,   // 1: field 48 (pool) exists (46, 47 unused)
  parameter int unsigned AddrBits  = 10,  // activation-memory address bits
  // s_pair only with Pairs; m_row_off, s_row_off, load only with Stripes; pool with Pools
  parameter int unsigned Fields    = (Pools != 0) ? 49 : (Stripes != 0) ? 46 :
                                     (Pairs != 0) ? 43 : 42
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   cfg_we_i,
  /* verilator lint_off UNUSEDSIGNAL */ // other regions' bits
  input  logic [23:0]            cfg_addr_i,
  input  logic [63:0]            cfg_wdata_i,
  /* verilator lint_on UNUSEDSIGNAL */
  input  logic                   s_axis_tvalid_i,
  output logic                   s_axis_tready_o,
  output logic                   load_fire_o,   // an input pixel is written this cycle
  output logic [AddrBits-1:0]    load_addr_o,   // ... at this address
  input  logic                   work_done_i,   // the running step's last cycle
  output logic [Fields*32-1:0]   desc_o,        // the current step's fields (field f at f*32)
  output logic                   start_o,       // pulse: the step starts (its fields are set)
  output logic [15:0]            step_o,        // the current step's index
  output logic                   ld_done_o,     // a load step's last beat
  output logic                   run_o          // 1 while steps execute (0: loading / idle)
);
  localparam int unsigned DescBeats = (Fields + DescBanks - 1) / DescBanks; // fetch reads
  localparam int unsigned DescSlots = 64 / DescBanks;    // rows of field slots per step
  localparam int unsigned SlotBits  = $clog2(DescSlots);
  localparam int unsigned DescRows  = MaxSteps * DescSlots;
  localparam int unsigned DescBits  = (DescRows > 1) ? $clog2(DescRows) : 1;

  //===------------------------------------------------------------------===//
  // Global registers (cfg region 0) and the descriptor RAM (region 4)
  //===------------------------------------------------------------------===//
  logic [15:0] passes_q;
  logic [31:0] in_pixels_q;
  logic [31:0] in_base_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      passes_q    <= '0;
      in_pixels_q <= '0;
      in_base_q   <= '0;
    end else if (cfg_we_i && cfg_addr_i[23:20] == 4'd0) begin
      case (cfg_addr_i[7:0])
        8'd0: passes_q    <= cfg_wdata_i[15:0];
        8'd1: in_pixels_q <= cfg_wdata_i[31:0];
        8'd2: in_base_q   <= cfg_wdata_i[31:0];
        default: ;
      endcase
    end
  end

  // DescBanks banks: field f of step p (cfg address p*64 + f) is word p*DescSlots + f/DescBanks
  // of bank f % DescBanks, so a descriptor is read DescBanks fields per cycle (DescBeats reads).
  logic                    desc_re;
  logic [DescBits-1:0]     desc_raddr;
  logic [DescBanks*32-1:0] desc_rdata;
  logic                    desc_we;
  assign desc_we = cfg_we_i && cfg_addr_i[23:20] == 4'd4;
  if (DescBanks == 1) begin : gen_desc1
    blend_ram #(.Width(32), .Depth(DescRows)) u_desc (
      .clk_i(clk_i), .we_i(desc_we),
      .waddr_i(cfg_addr_i[DescBits-1:0]), .wdata_i(cfg_wdata_i[31:0]),
      .re_i(desc_re), .raddr_i(desc_raddr), .rdata_o(desc_rdata)
    );
  end else begin : gen_desc8
    for (genvar b = 0; b < 8; b++) begin : gen_bank
      localparam logic [2:0] Bank = b;
      blend_ram #(.Width(32), .Depth(DescRows)) u_desc (
        .clk_i(clk_i), .we_i(desc_we && cfg_addr_i[2:0] == Bank),
        .waddr_i(cfg_addr_i[DescBits+2:3]), .wdata_i(cfg_wdata_i[31:0]),
        .re_i(desc_re), .raddr_i(desc_raddr), .rdata_o(desc_rdata[b*32 +: 32])
      );
    end
  end

  logic [31:0] d_q [Fields];
  for (genvar f = 0; f < Fields; f++) begin : gen_desc_out
    assign desc_o[f*32 +: 32] = d_q[f];
  end
  // The fields the sequencer itself reads: the output size (a load step's pixels), the
  // destination (a load step's first address) and the step kind.
  logic [15:0] oh, ow;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] dst; // only the low bits address the memories
  /* verilator lint_on UNUSEDSIGNAL */
  logic        ld_step;
  assign oh  = d_q[5][15:0];
  assign ow  = d_q[6][15:0];
  assign dst = d_q[34];
  if (Stripes != 0) begin : gen_load_field
    assign ld_step = (d_q[45][1:0] == 2'd1);
  end else begin : gen_no_load_field
    assign ld_step = 1'b0;
  end

  //===------------------------------------------------------------------===//
  // Phase control: LOAD -> (FETCH -> RUN) per step -> LOAD
  //===------------------------------------------------------------------===//
  localparam logic [1:0] Load = 2'd0, Fetch = 2'd1, Run = 2'd2;
  logic [1:0]  phase_q;
  logic [15:0] step_q;
  logic [5:0]  fetch_q;      // descriptor row being read (DescBanks fields)
  logic        fetch_wr_q;   // desc_rdata holds row fetch_q - 1
  logic        start_q;
  logic [31:0] load_pix_q;
  logic        load_fire, load_last;
  // A load step (Stripes): its column and row, the last pixel; its end is the step's end.
  logic [15:0] ld_col_q, ld_row_q;
  logic        ld_run, ld_last, ld_done;

  // In LOAD, the image's input (none when in_pixels is 0: a striped core's load steps take
  // it); in RUN, a load step's rows.
  assign ld_run    = (phase_q == Run) && ld_step;
  assign s_axis_tready_o = ((phase_q == Load) && (passes_q != 16'd0) && (in_pixels_q != '0)) ||
                           ld_run;
  assign load_fire = s_axis_tvalid_i && s_axis_tready_o;
  assign load_last = (load_pix_q == in_pixels_q - 32'd1);
  assign ld_last   = (ld_col_q == ow - 16'd1) && (ld_row_q == oh - 16'd1);
  assign ld_done   = ld_run && load_fire && ld_last;
  assign desc_re   = (phase_q == Fetch);
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] desc_raddr32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign desc_raddr32 = ({16'd0, step_q} << SlotBits) | {26'd0, fetch_q};
  assign desc_raddr   = desc_raddr32[DescBits-1:0];

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      phase_q    <= Load;
      step_q     <= '0;
      fetch_q    <= '0;
      fetch_wr_q <= 1'b0;
      start_q    <= 1'b0;
      load_pix_q <= '0;
      ld_col_q   <= '0;
      ld_row_q   <= '0;
      for (int f = 0; f < Fields; f++) d_q[f] <= '0;
    end else begin
      start_q <= 1'b0;
      case (phase_q)
        Load: begin
          if (passes_q != 16'd0 && in_pixels_q == '0) begin
            // Nothing to load here: the first step (a load step) takes the input.
            step_q     <= '0;
            fetch_q    <= '0;
            fetch_wr_q <= 1'b0;
            phase_q    <= Fetch;
          end else if (load_fire) begin
            if (load_last) begin
              load_pix_q <= '0;
              step_q     <= '0;
              fetch_q    <= '0;
              fetch_wr_q <= 1'b0;
              phase_q    <= Fetch;
            end else begin
              load_pix_q <= load_pix_q + 32'd1;
            end
          end
        end
        Fetch: begin
          for (int f = 0; f < Fields; f++) begin
            if (fetch_wr_q && {26'd0, fetch_q} == f / DescBanks + 1) begin
              d_q[f] <= desc_rdata[(f % DescBanks)*32 +: 32];
            end
          end
          fetch_wr_q <= 1'b1;
          if ({26'd0, fetch_q} == DescBeats) begin
            phase_q    <= Run;
            start_q    <= 1'b1;
            load_pix_q <= '0;
            ld_col_q   <= '0;
            ld_row_q   <= '0;
          end else begin
            fetch_q <= fetch_q + 6'd1;
          end
        end
        default: begin // Run
          if (ld_run && load_fire) begin
            load_pix_q <= load_pix_q + 32'd1;
            if (ld_col_q == ow - 16'd1) begin
              ld_col_q <= '0;
              ld_row_q <= ld_row_q + 16'd1;
            end else begin
              ld_col_q <= ld_col_q + 16'd1;
            end
          end
          if (work_done_i) begin
            fetch_q    <= '0;
            fetch_wr_q <= 1'b0;
            if (step_q == passes_q - 16'd1 && in_pixels_q != '0) begin
              phase_q <= Load;
            end else if (step_q == passes_q - 16'd1) begin
              // No input load (a striped core): the next image's first (load) step.
              step_q  <= '0;
              phase_q <= Fetch;
            end else begin
              step_q  <= step_q + 16'd1;
              phase_q <= Fetch;
            end
          end
        end
      endcase
    end
  end

  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] load_addr32;
  /* verilator lint_on UNUSEDSIGNAL */
  assign load_addr32 = (ld_run ? dst : in_base_q) + load_pix_q;
  assign load_addr_o = load_addr32[AddrBits-1:0];
  assign load_fire_o = load_fire;
  assign start_o     = start_q;
  assign step_o      = step_q;
  assign ld_done_o   = ld_done;
  assign run_o       = (phase_q != Load);
endmodule
