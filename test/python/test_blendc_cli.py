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


def test_dynamic_batch_with_input_shape_override(tool, root, tmp_path):
    """An export with a dynamic batch dimension ('N', as torch.onnx.export writes with
    dynamic_axes) compiles with --input-shape and gives exactly the outputs of the static
    model; without the override it is refused naming the input and the dimension."""
    model = onnx.load(root / "models" / "onnx" / "blend_module.onnx")
    for vi in list(model.graph.input) + list(model.graph.output):
        vi.type.tensor_type.shape.dim[0].dim_param = "N"
    onnx.save(model, tmp_path / "dynamic.onnx")
    refused = run(tool("blendc"), str(tmp_path / "dynamic.onnx"), "--emit=mlir")
    assert refused.returncode == 1
    assert "graph input 'x' has a dynamic or missing dimension 'N'" in refused.stderr
    import numpy as np
    x = np.random.default_rng(2).uniform(0, 1, size=(3, 16, 32, 32)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    static = run(tool("blend-run"), str(root / "models" / "onnx" / "blend_module.onnx"),
                 "--input", str(tmp_path / "x.npy"), "--output", str(tmp_path / "a.npy"))
    dynamic = run(tool("blend-run"), str(tmp_path / "dynamic.onnx"), "--input-shape",
                  "x=1x16x32x32", "--input", str(tmp_path / "x.npy"), "--output",
                  str(tmp_path / "b.npy"))
    assert static.returncode == 0 and dynamic.returncode == 0, dynamic.stderr
    assert (tmp_path / "a.npy").read_bytes() == (tmp_path / "b.npy").read_bytes()
    accel = run(tool("blendc"), str(tmp_path / "dynamic.onnx"), "--input-shape",
                "x=1x16x32x32", "-o", str(tmp_path / "accel"))
    assert accel.returncode == 0, accel.stderr
