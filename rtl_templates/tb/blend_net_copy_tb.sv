// blend_net_copy_tb.sv — self-checking test of blend_net_copy.
//
// A memory model (one-cycle registered read, like blend_ram) holds random pixels. For 40 copy
// steps (one pixel, a long run, then random counts; the destination below the source, often
// overlapping it, as a kept-rows stripe moves its rows up) the test checks:
//   - the memory after the step: pixels dst .. dst + P - 1 hold the source pixels as they were
//     before the step (in ascending order an overlap reads each pixel before it is
//     overwritten), and nothing else changed;
//   - the writes: exactly P;
//   - the cycles: start to done = P + 2, the cost model's copy term without the descriptor
//     fetch.
`timescale 1ns/1ps
module blend_net_copy_tb;
  localparam int unsigned AddrBits = 9;
  localparam int unsigned Depth    = 1 << AddrBits;
  localparam int unsigned Steps    = 40;

  logic clk = 1'b0;
  logic rst_n = 1'b0;
  always #5 clk = ~clk;

  logic                start, re, we, done;
  logic [31:0]         pixels, src, dst;
  logic [AddrBits-1:0] raddr, waddr;
  logic [63:0]         rdata;

  blend_net_copy #(.AddrBits(AddrBits)) dut (
    .clk_i(clk), .rst_ni(rst_n), .start_i(start), .pixels_i(pixels), .src_i(src), .dst_i(dst),
    .re_o(re), .raddr_o(raddr), .we_o(we), .waddr_o(waddr), .done_o(done)
  );

  logic [63:0] mem [Depth];
  int writes = 0;
  always_ff @(posedge clk) begin
    if (re) rdata <= mem[raddr];
    if (we) begin
      mem[waddr] <= rdata;
      writes <= writes + 1;
    end
  end

  initial begin
    logic [63:0] orig [Depth];
    start = 1'b0;
    {pixels, src, dst} = '0;
    repeat (3) @(negedge clk);
    rst_n = 1'b1;
    for (int step = 0; step < int'(Steps); step++) begin
      int n, s, d, t0, t1;
      n = step == 0 ? 1 : step == 1 ? int'(Depth) / 2 : 1 + int'($urandom % 100);
      s = 1 + int'($urandom % (int'(Depth) - n - 1));
      d = int'($urandom % s); // below the source; overlapping when s - d < n
      for (int a = 0; a < int'(Depth); a++) begin
        mem[a] = {$urandom, $urandom};
        orig[a] = mem[a];
      end
      @(negedge clk);
      pixels = 32'(n);
      src = 32'(s);
      dst = 32'(d);
      writes = 0;
      start = 1'b1;
      t0 = $time / 10;
      @(negedge clk);
      start = 1'b0;
      while (done !== 1'b1) @(negedge clk);
      t1 = $time / 10;
      @(negedge clk);
      @(negedge clk);
      if (writes != n)
        $fatal(1, "FAIL: step %0d: %0d writes, expected %0d", step, writes, n);
      if (t1 - t0 + 1 != n + 2)
        $fatal(1, "FAIL: step %0d (%0d pixels) took %0d cycles, the cost model says %0d", step,
               n, t1 - t0 + 1, n + 2);
      for (int a = 0; a < int'(Depth); a++) begin
        logic [63:0] want;
        want = (a >= d && a < d + n) ? orig[s + a - d] : orig[a];
        if (mem[a] !== want)
          $fatal(1, "FAIL: step %0d (%0d pixels from %0d to %0d): pixel %0d is %h, expected %h",
                 step, n, s, d, a, mem[a], want);
      end
    end
    $display("PASS: blend_net_copy, %0d steps, overlapping ranges, cycles as the cost model",
             Steps);
    $finish;
  end
  initial begin
    #50000000;
    $fatal(1, "FAIL: timeout");
  end
endmodule
