"""blendc against the onnx Python package as the reference reader.

For generated models of several shapes, `blendc --list-ops` must report exactly
the operator counts that onnx's own parser sees; for damaged files it must fail
with one line that names the file, and never create the output directory.
"""

import collections
import re
import subprocess

import onnx
import pytest

import blend_module


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


@pytest.mark.parametrize("stride,output", [(1, "binary"), (2, "int8")])
def test_list_ops_matches_onnx(tool, tmp_path, stride, output):
    path = tmp_path / "m.onnx"
    model = blend_module.build(8, 6, stride, output, seed=1)
    onnx.save(model, path)
    result = run(tool("blendc"), str(path), "--list-ops")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"{len(model.graph.node)} nodes, ai.onnx opset {blend_module.OPSET}" in lines[0]
    got = {}
    for line in lines[1:]:
        m = re.fullmatch(r"  ai\.onnx::(\w+) x(\d+)", line)
        assert m, line
        got[m.group(1)] = int(m.group(2))
    assert got == dict(collections.Counter(n.op_type for n in model.graph.node))


@pytest.mark.parametrize("cut", [1, 17, 0.5, -3])
def test_truncated_models_fail_cleanly(tool, tmp_path, cut):
    data = blend_module.build(8, 6, 1, "binary", seed=1).SerializeToString()
    n = int(len(data) * cut) if isinstance(cut, float) else cut % len(data)
    path = tmp_path / "cut.onnx"
    path.write_bytes(data[:n])
    out = tmp_path / "accel"
    result = run(tool("blendc"), str(path), "-o", str(out))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"blendc: error: {path}: ")
    assert not out.exists()


def test_opset_out_of_range_is_refused(tool, tmp_path):
    model = blend_module.build(4, 4, 1, "binary", seed=2)
    model.opset_import[0].version = 10
    path = tmp_path / "old.onnx"
    path.write_bytes(model.SerializeToString())
    result = run(tool("blendc"), str(path), "--list-ops")
    assert result.returncode == 1
    assert "ai.onnx opset 10 is outside the supported range [11, 21]" in result.stderr


def test_external_data_is_read_and_its_absence_refused(tool, root, tmp_path):
    """Initializers saved as ONNX external data (location relative to the model) import
    exactly like embedded ones; a missing data file is a one-line error and leaves no
    output directory."""
    model = onnx.load(root / "models" / "onnx" / "blend_module.onnx")
    onnx.save_model(model, tmp_path / "m.onnx", save_as_external_data=True,
                    all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
    embedded = run(tool("blendc"), str(root / "models" / "onnx" / "blend_module.onnx"),
                   "--emit=mlir").stdout
    external = run(tool("blendc"), str(tmp_path / "m.onnx"), "--emit=mlir").stdout
    assert external.split("\n", 1)[1] == embedded.split("\n", 1)[1]  # all but the source line
    (tmp_path / "weights.bin").unlink()
    result = run(tool("blendc"), str(tmp_path / "m.onnx"), "-o", str(tmp_path / "accel"))
    assert result.returncode == 1
    assert re.fullmatch(r"blendc: error: .*m\.onnx: external data file '.*weights\.bin' of "
                        r"tensor '.*' cannot be read: No such file or directory\n",
                        result.stderr)
    assert not (tmp_path / "accel").exists()
