// blend_net_seq_tb.sv — self-checking test of blend_net_seq, blend_net's sequencer.
//
// The host's order (docs/schedule-format.md): the input base and pixel count, every step's
// descriptor fields (random 32-bit values, in a shuffled order), the step count last. Then two
// images, the first streamed without a gap, the second with random stalls. Checked per image:
//   LOAD   exactly in_pixels beats, addressed in_base + i in order, ready only in LOAD, and
//          without stalls exactly in_pixels cycles (the cost model's load term);
//   FETCH  start_o exactly ceil(Fields / DescBanks) + 1 cycles after the step begins (the cost
//          model's fetch term plus the cycle the last row's data arrives), with desc_o holding
//          every field of that step as written, step_o its index;
//   RUN    the step lasts until work_done_i (a random delay here; a load step — STRIPES — ends
//          with ld_done_o after OH x OW beats addressed dst + i: fetch + 1 + pixels cycles
//          without stalls, the cost model's load-step term); run_o high, ready low except in a
//          load step.
// Defines: ONEBANK (DescBanks = 1), STRIPES (Stripes = 1, no input load: step 0 is a load
// step, the second image starts with it again), PAIRS (Pairs = 1: 43 fields).
`timescale 1ns/1ps
module blend_net_seq_tb;
`ifdef ONEBANK
  localparam int unsigned DescBanks = 1;
`else
  localparam int unsigned DescBanks = 8;
`endif
`ifdef STRIPES
  localparam int unsigned Stripes = 1;
`else
  localparam int unsigned Stripes = 0;
`endif
`ifdef PAIRS
  localparam int unsigned Pairs = 1;
`else
  localparam int unsigned Pairs = 0;
`endif
  localparam int unsigned Fields    = (Stripes != 0) ? 46 : (Pairs != 0) ? 43 : 42;
  localparam int unsigned Steps    = 4;
  localparam int unsigned MaxSteps = 5;
  localparam int unsigned AddrBits  = 12;
  localparam int unsigned InPixels  = (Stripes != 0) ? 0 : 23;
  localparam int unsigned InBase    = 700;
  localparam int unsigned Fetch     = (Fields + DescBanks - 1) / DescBanks + 1;

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  logic                 cfg_we;
  logic [23:0]          cfg_addr;
  logic [63:0]          cfg_wdata;
  logic                 tvalid, tready, load_fire, work_done, start, ld_done, run;
  logic [AddrBits-1:0]  load_addr;
  logic [Fields*32-1:0] desc;
  logic [15:0]          step;

  blend_net_seq #(
    .MaxSteps(MaxSteps), .DescBanks(DescBanks), .Pairs(Pairs), .Stripes(Stripes),
    .AddrBits(AddrBits)
  ) dut (
    .clk_i(clk), .rst_ni(rst_n), .cfg_we_i(cfg_we), .cfg_addr_i(cfg_addr),
    .cfg_wdata_i(cfg_wdata), .s_axis_tvalid_i(tvalid), .s_axis_tready_o(tready),
    .load_fire_o(load_fire), .load_addr_o(load_addr), .work_done_i(work_done),
    .desc_o(desc), .start_o(start), .step_o(step), .ld_done_o(ld_done), .run_o(run)
  );

  logic [31:0] fields [Steps][Fields];
  // A load step (Stripes): step 0, OH x OW input pixels to dst.
  function automatic bit is_load(int p);
    return Stripes != 0 && p == 0;
  endfunction

  task automatic cfg_write(input logic [23:0] addr, input logic [63:0] data);
    @(negedge clk);
    cfg_we = 1'b1;
    cfg_addr = addr;
    cfg_wdata = data;
    @(negedge clk);
    cfg_we = 1'b0;
  endtask

  // The cycle counter and the checks that hold on every cycle.
  int cycle = 0;
  bit stall_mode = 1'b0;
  bit in_load_step = 1'b0;
  always @(posedge clk) begin
    cycle <= cycle + 1;
    if (rst_n && tready && run && !in_load_step)
      $fatal(1, "FAIL: ready outside LOAD and load steps (step %0d)", step);
  end

  int loads = 0;   // beats accepted in the current LOAD / load step
  int checks = 0;

  // Waits for LOAD to take InPixels beats; checks their addresses and, without stalls, that
  // LOAD lasts exactly InPixels cycles. Returns the cycle of the last beat.
  task automatic run_load(output int last_cycle);
    int first;
    first = -1;
    loads = 0;
    while (loads < int'(InPixels)) begin
      // A beat is offered in the clock period after a negedge (`cycle` counts the periods)
      // and taken at the next posedge.
      @(negedge clk);
      tvalid = stall_mode ? ($urandom % 3 != 0) : 1'b1;
      #1;
      if (load_fire === 1'b1) begin
        if (run) $fatal(1, "FAIL: run_o high during LOAD");
        if (int'(load_addr) != int'(InBase) + loads)
          $fatal(1, "FAIL: load beat %0d at address %0d, expected %0d", loads, load_addr,
                 InBase + loads);
        if (first < 0) first = cycle;
        loads++;
        last_cycle = cycle;
      end
    end
    @(negedge clk);
    tvalid = 1'b0;
    if (!stall_mode && last_cycle - first + 1 != int'(InPixels))
      $fatal(1, "FAIL: LOAD took %0d cycles for %0d pixels", last_cycle - first + 1, InPixels);
  endtask

  // Runs step p, which begins the cycle after `begin_after`; returns its last cycle.
  task automatic run_step(input int p, input int begin_after, output int last_cycle);
    int start_cycle, pixels, dst;
    // FETCH: start_o exactly Fetch cycles after the step begins.
    do begin
      @(posedge clk);
      #1;
    end while (start !== 1'b1);
    start_cycle = cycle;
    if (begin_after >= 0 && start_cycle - begin_after != int'(Fetch) + 1)
      $fatal(1, "FAIL: step %0d started %0d cycles after the previous one ended, expected %0d",
             p, start_cycle - begin_after, Fetch + 1);
    if (int'(step) != p) $fatal(1, "FAIL: step_o %0d, expected %0d", step, p);
    if (!run) $fatal(1, "FAIL: run_o low in step %0d", p);
    for (int f = 0; f < int'(Fields); f++)
      if (desc[f*32 +: 32] !== fields[p][f])
        $fatal(1, "FAIL: step %0d field %0d is %h, written %h", p, f, desc[f*32 +: 32],
               fields[p][f]);
    checks++;
    if (is_load(p)) begin
      // A load step: OH x OW beats addressed dst + i, ending with ld_done_o.
      pixels = int'(fields[p][5][15:0]) * int'(fields[p][6][15:0]);
      dst = int'(fields[p][34][AddrBits-1:0]);
      in_load_step = 1'b1;
      loads = 0;
      forever begin
        @(negedge clk);
        tvalid = stall_mode ? ($urandom % 3 != 0) : 1'b1;
        #1;
        work_done = ld_done;  // blend_net: work_done = ld_step ? ld_done : ...
        if (load_fire === 1'b1) begin
          if (int'(load_addr) != (dst + loads) % (1 << AddrBits))
            $fatal(1, "FAIL: load step beat %0d at %0d, expected %0d", loads, load_addr,
                   dst + loads);
          loads++;
          if (loads == pixels && ld_done !== 1'b1)
            $fatal(1, "FAIL: no ld_done_o on the load step's last beat");
          if (loads < pixels && ld_done === 1'b1)
            $fatal(1, "FAIL: ld_done_o on beat %0d of %0d", loads, pixels);
        end
        if (loads == pixels) break;
      end
      last_cycle = cycle;
      @(negedge clk);
      tvalid = 1'b0;
      work_done = 1'b0;
      in_load_step = 1'b0;
      if (!stall_mode && begin_after >= 0 && last_cycle - begin_after != int'(Fetch) + pixels)
        $fatal(1, "FAIL: load step of %0d pixels took %0d cycles, expected %0d", pixels,
               last_cycle - begin_after, Fetch + pixels);
    end else begin
      // Any other step: the datapath's work_done after a random delay.
      repeat ($urandom % 7) @(negedge clk);
      @(negedge clk);
      work_done = 1'b1;
      last_cycle = cycle;
      @(negedge clk);
      work_done = 1'b0;
    end
  endtask

  initial begin
    int order [Steps * Fields];
    int last;
    cfg_we = 1'b0;
    cfg_addr = '0;
    cfg_wdata = '0;
    tvalid = 1'b0;
    work_done = 1'b0;
    for (int p = 0; p < int'(Steps); p++)
      for (int f = 0; f < int'(Fields); f++) fields[p][f] = $urandom;
    if (Stripes != 0)
      for (int p = 0; p < int'(Steps); p++) begin
        int kind = 45; // the step kind (load = 1), a field only with Stripes
        fields[p][kind] = is_load(p) ? 32'd1 : 32'd0;
        fields[p][5] = 32'd2 + $urandom % 3; // OH
        fields[p][6] = 32'd1 + $urandom % 5; // OW
      end
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    @(negedge clk);
    if (tready) $fatal(1, "FAIL: ready before the step count is written");
    cfg_write({4'd0, 20'd1}, InPixels);
    cfg_write({4'd0, 20'd2}, InBase);
    // Every field of every step, in a shuffled order.
    for (int i = 0; i < int'(Steps * Fields); i++) order[i] = i;
    for (int i = int'(Steps * Fields) - 1; i > 0; i--) begin // Fisher-Yates
      int j = int'($urandom % (i + 1)), t = order[i];
      order[i] = order[j];
      order[j] = t;
    end
    foreach (order[i]) begin
      int p = order[i] / int'(Fields), f = order[i] % int'(Fields);
      cfg_write({4'd4, 20'(p * 64 + f)}, {32'hdead_beef, fields[p][f]});
    end
    if (tready) $fatal(1, "FAIL: ready before the step count is written");
    cfg_write({4'd0, 20'd0}, Steps);
    for (int image = 0; image < 2; image++) begin
      stall_mode = image == 1;
      if (InPixels != 0) begin
        run_load(last);
      end else begin
        // No input load: the first image's first step begins once the step count is set
        // (not timed here); the next image's right after the last step.
        if (image == 0) last = -1;
      end
      for (int p = 0; p < int'(Steps); p++) run_step(p, last, last);
      if (InPixels != 0) begin
        @(posedge clk);
        #1;
        if (run) $fatal(1, "FAIL: run_o high after the last step");
      end
    end
    $display("PASS: blend_net_seq, %0d steps x 2 images, %0d fields fetched in %0d cycles each",
             Steps, Fields, Fetch);
    $finish;
  end
  initial begin
    #2000000;
    $fatal(1, "FAIL: timeout");
  end
endmodule
