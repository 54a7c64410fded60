"""Whole-path co-simulation of single Blend modules: blendc → blend_net RTL in
Verilator (blend-sim) against the golden executor (blend-run). Outputs must be byte-identical — no
tolerance — for every shape, including stride 2, int8 outputs and channel
counts that are not a multiple of the 48-bit XNOR word, with and without
random AXI4-Stream stalls. Also checks that the comparison can fail (one
flipped weight bit in schedule.bin changes the outputs), that a corrupted
schedule is refused, and that the compiler's cycle estimate matches the
simulated cycles.
"""

import json
import re
import struct
import subprocess
import zlib

import numpy as np
import onnx
import pytest

import blend_module


IMAGES = 20
SHAPES = [
    # channels, size, stride, output, stall seed, binary XNORs in
    (16, 32, 1, "binary", 0, "dsp"),   # the bundled module
    (16, 32, 2, "int8", 3, "dsp"),     # stride 2, int8 output, stalls
    (50, 9, 2, "binary", 11, "lut"),   # C = 50: two 48-bit words per tap, the second partial;
                                       # XNORs in LUTs (--binary-impl lut)
    (7, 5, 1, "int8", 0, "dsp"),       # tiny: almost every output is a border output
]


def compile_model(tool, tmp_path, channels, size, stride, output, impl="dsp"):
    model = blend_module.build(channels, size, stride, output, seed=channels * 7 + size)
    path = tmp_path / "model.onnx"
    onnx.save(model, path)
    accel = tmp_path / "accel"
    subprocess.run([tool("blendc"), str(path), "-o", str(accel), "--binary-impl", impl],
                   check=True)
    return path, accel


def inputs(channels, size, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.5, size=(IMAGES, channels, size, size)).astype(np.float32)
    x[0] = 0.0                     # every activation quantizes to exactly 0 (a binarizer tie)
    x[1] = 1e6 * np.sign(x[1])     # saturating inputs
    return x


def run(tool, *args):
    return subprocess.run([tool(args[0])] + [str(a) for a in args[1:]], capture_output=True,
                          text=True)


@pytest.mark.parametrize("channels,size,stride,output,stall,impl", SHAPES)
def test_rtl_matches_golden_bit_for_bit(tool, tmp_path, channels, size, stride, output, stall,
                                        impl):
    model, accel = compile_model(tool, tmp_path, channels, size, stride, output, impl)
    np.save(tmp_path / "x.npy", inputs(channels, size, seed=channels))
    sim = run(tool, "blend-sim", accel, "--input", tmp_path / "x.npy", "--output",
              tmp_path / "y_sim.npy", "--stall-seed", stall)
    assert sim.returncode == 0, sim.stdout + sim.stderr
    golden = run(tool, "blend-run", model, "--input", tmp_path / "x.npy", "--output",
                 tmp_path / "y_run.npy")
    assert golden.returncode == 0, golden.stderr
    a = (tmp_path / "y_sim.npy").read_bytes()
    b = (tmp_path / "y_run.npy").read_bytes()
    assert a == b, "blend-sim and blend-run outputs differ"
    cycles = [int(c) for c in re.findall(r"^cycles: (\d+)$", sim.stdout, re.M)]
    assert len(cycles) == IMAGES
    if stall == 0:
        # Deterministic simulation counts, not timing: the cost model must hold.
        estimate = json.loads((accel / "report.json").read_text())["estimated_cycles_per_image"]
        assert all(abs(c - estimate) <= max(2, 0.01 * estimate) for c in cycles), (cycles, estimate)


def _binary_weight_offset(schedule: bytes) -> int:
    """Byte offset of the first binary weight word of the first pass that has
    one (docs/schedule-format.md: a Pass record is the field count, the fields,
    nine per-channel arrays, then the binary weight words)."""
    pos = 20
    while pos < len(schedule):
        kind, size = struct.unpack_from("<II", schedule, pos)
        body = pos + 8
        if kind == 6:  # Pass
            (fields,) = struct.unpack_from("<I", schedule, body)
            p = body + 4 + 8 * fields
            for _ in range(9):  # per-channel arrays
                (n,) = struct.unpack_from("<I", schedule, p)
                p += 4 + 8 * n
            (words,) = struct.unpack_from("<I", schedule, p)
            if words:
                return p + 4
        pos = body + size
    raise AssertionError("no pass with binary weights")


def test_a_flipped_weight_bit_is_caught(tool, tmp_path):
    """The co-simulation comparison can fail: flip one binary weight bit in
    schedule.bin (recomputing the CRC so it loads) and the outputs differ."""
    model, accel = compile_model(tool, tmp_path, 16, 8, 1, "binary")
    np.save(tmp_path / "x.npy", inputs(16, 8, seed=5))
    schedule = bytearray((accel / "schedule.bin").read_bytes())
    offset = _binary_weight_offset(bytes(schedule))
    schedule[offset] ^= 1
    struct.pack_into("<I", schedule, 16, zlib.crc32(bytes(schedule[20:])))
    (accel / "schedule.bin").write_bytes(bytes(schedule))
    assert run(tool, "blend-sim", accel, "--input", tmp_path / "x.npy", "--output",
               tmp_path / "y_sim.npy").returncode == 0
    assert run(tool, "blend-run", model, "--input", tmp_path / "x.npy", "--output",
               tmp_path / "y_run.npy").returncode == 0
    assert (tmp_path / "y_sim.npy").read_bytes() != (tmp_path / "y_run.npy").read_bytes()


def test_a_corrupt_schedule_is_refused(tool, tmp_path):
    _, accel = compile_model(tool, tmp_path, 16, 8, 1, "binary")
    np.save(tmp_path / "x.npy", inputs(16, 8, seed=5))
    schedule = bytearray((accel / "schedule.bin").read_bytes())
    schedule[100] ^= 0x40  # no CRC update
    (accel / "schedule.bin").write_bytes(bytes(schedule))
    sim = run(tool, "blend-sim", accel, "--input", tmp_path / "x.npy", "--output", tmp_path / "y.npy")
    assert sim.returncode != 0
    assert "checksum mismatch" in sim.stderr
    assert not (tmp_path / "y.npy").exists()
