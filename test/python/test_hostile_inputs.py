"""Files that try to hurt the tools: sizes beyond blendc's limits are refused with a one-line
error naming the tensor and the limit (never an allocator abort, never minutes of work), and
names that carry terminal escape sequences or bytes that are not UTF-8 are printed escaped
(docs/limits.md)."""

import subprocess

import onnx
import pytest
from onnx import TensorProto, helper

from conftest import ROOT

MODULE = ROOT / "models" / "onnx" / "blend_module.onnx"


@pytest.mark.parametrize("extent", [1 << 20, 1 << 31, 1 << 40])
def test_a_huge_input_dimension_is_refused_at_once(tool, tmp_path, extent):
    """The mutants of the bundled module that aborted in SmallVector::grow (2^31, 2^40) or ran
    for minutes (2^20): one line naming the input, the dimension and the limit; nothing
    written."""
    m = onnx.load(str(MODULE))
    m.graph.input[0].type.tensor_type.shape.dim[2].dim_value = extent
    path = tmp_path / "huge.onnx"
    onnx.save(m, str(path))
    r = subprocess.run([tool("blendc"), str(path), "-o", str(tmp_path / "accel")],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 1
    if extent > 1 << 24:
        why = f"dimension 2 is {extent}, more than the 16777216 blendc accepts"
    else:  # 1 x 16 x 2^20 x 32 values
        why = "it has more than 16777216 elements, the most blendc accepts in one tensor"
    assert r.stderr == f"blendc: error: {path}: graph input 'x' is too large: {why}\n"
    assert not (tmp_path / "accel").exists()
    # blend-run reads the same file through the same importer.
    r = subprocess.run([tool("blend-run"), str(path), "--input", str(tmp_path / "x.npy"),
                        "--output", str(tmp_path / "y.npy")],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 1 and "is too large" in r.stderr and r.stderr.count("\n") == 1


def test_a_huge_initializer_is_refused(tool, tmp_path):
    """An initializer whose dimensions multiply past 2^63 (its data a few bytes): refused
    before its element count is computed."""
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[1 << 32, 1 << 32],
                    raw_data=b"\0" * 4)
    g = helper.make_graph([helper.make_node("Add", ["x", "w"], ["y"], name="add")], "g",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
                          [w])
    path = tmp_path / "w.onnx"
    path.write_bytes(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
                     .SerializeToString())
    r = subprocess.run([tool("blendc"), str(path), "-o", str(tmp_path / "accel")],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 1
    assert ("tensor 'w' is too large: dimension 0 is 4294967296, more than the 16777216 "
            "blendc accepts") in r.stderr
    assert r.stderr.count("\n") == 1


def test_names_are_printed_escaped(tool, tmp_path):
    """A node name with an ANSI escape sequence, a bell, a newline, a C1 control and bytes
    that are not UTF-8 reaches the error line as \\xNN escapes; a well-formed non-ASCII name
    (é, 層) stays readable."""
    # The model is built with a 14-byte stand-in name, whose bytes are then swapped for the
    # hostile ones (onnx's Python API only takes valid UTF-8 names).
    stand_in = "P" * 14
    g = helper.make_graph(
        [helper.make_node("Celu", ["x"], ["y"], name=stand_in + "-é層")], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])])
    data = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]) \
        .SerializeToString()
    hostile = b"\x1b[31m\x07\n\xc2\x85\xff\xfe\xc0\xafA"  # 14 bytes, like the stand-in
    assert len(hostile) == 14 and data.count(stand_in.encode()) == 1
    path = tmp_path / "evil.onnx"
    path.write_bytes(data.replace(stand_in.encode(), hostile))
    r = subprocess.run([tool("blendc"), str(path), "-o", str(tmp_path / "accel")],
                       capture_output=True, timeout=20)
    assert r.returncode == 1
    err = r.stderr
    assert b"\x1b" not in err and b"\x07" not in err and b"\xff" not in err
    assert err.count(b"\n") == 1
    assert (b"node '\\x1b[31m\\x07\\x0a\\xc2\\x85\\xff\\xfe\\xc0\\xafA-" + "é層".encode()
            + b"' (Celu)") in err


def test_non_finite_inputs_are_refused_with_their_index(tool, tmp_path):
    """blend-run and blend-sim refuse a NaN or an infinite input value, naming the file and
    the value's index, instead of quantizing it silently (docs/limits.md); finite inputs
    still run byte-identically on both."""
    import numpy as np
    x = np.random.RandomState(3).uniform(-1, 1, (2, 16, 32, 32)).astype(np.float32)
    np.save(tmp_path / "ok.npy", x)
    bad = {"nan.npy": ((1, 3, 4, 5), np.nan, "NaN"), "inf.npy": ((0, 0, 0, 1), -np.inf, "-Inf")}
    for name, (at, value, _) in bad.items():
        y = x.copy()
        y[at] = value
        np.save(tmp_path / name, y)
    subprocess.run([tool("blendc"), str(MODULE), "-o", str(tmp_path / "accel")], check=True)
    for name, (at, _, word) in bad.items():
        expected = (f"{tmp_path / name}: value [{', '.join(map(str, at))}] is {word}; model "
                    "inputs must be finite (docs/limits.md)")
        r = subprocess.run([tool("blend-run"), str(MODULE), "--input", str(tmp_path / name),
                            "--output", str(tmp_path / "y.npy")], capture_output=True,
                           text=True)
        assert r.returncode == 1 and r.stderr == f"blend-run: error: {expected}\n"
        r = subprocess.run([tool("blend-sim"), str(tmp_path / "accel"), "--input",
                            str(tmp_path / name), "--output", str(tmp_path / "rtl.npy")],
                           capture_output=True, text=True)
        assert r.returncode != 0 and expected in r.stderr
        assert not (tmp_path / "y.npy").exists() and not (tmp_path / "rtl.npy").exists()
    subprocess.run([tool("blend-run"), str(MODULE), "--input", str(tmp_path / "ok.npy"),
                    "--output", str(tmp_path / "y.npy")], check=True)
    subprocess.run([tool("blend-sim"), str(tmp_path / "accel"), "--input",
                    str(tmp_path / "ok.npy"), "--output", str(tmp_path / "rtl.npy")],
                   check=True, capture_output=True)
    assert (tmp_path / "rtl.npy").read_bytes() == (tmp_path / "y.npy").read_bytes()


def snapshot(directory):
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_an_accelerator_directory_is_replaced_whole_or_not_at_all(tool, tmp_path):
    """blendc -o DIR over an existing accelerator: two runs write byte-identical files; a run
    killed at any moment leaves DIR complete (the old or the new accelerator, swapped in by one
    atomic exchange); a refused model leaves it untouched."""
    import random
    import signal
    import time
    model = ROOT / "models" / "onnx" / "blendnet20.onnx"  # ~0.2 s: kills land mid-run
    out = tmp_path / "accel"
    subprocess.run([tool("blendc"), str(model), "-o", str(out)], check=True)
    reference = snapshot(out)
    assert "schedule.bin" in reference and len(reference) > 20
    subprocess.run([tool("blendc"), str(model), "-o", str(out)], check=True)
    assert snapshot(out) == reference
    rng = random.Random(5)
    for _ in range(20):
        p = subprocess.Popen([tool("blendc"), str(model), "-o", str(out)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, 0.3))
        p.send_signal(signal.SIGKILL)
        p.wait()
        assert snapshot(out) == reference
    for leftover in tmp_path.glob("accel.blendc-tmp-*"):  # a killed run's scratch
        subprocess.run(["rm", "-rf", str(leftover)], check=True)
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    r = subprocess.run([tool("blendc"), str(bad), "-o", str(out)], capture_output=True)
    assert r.returncode == 1 and snapshot(out) == reference
