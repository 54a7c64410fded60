"""The ONNX standard's own node tests (libonnx-testdata) through blend's importer
(scripts/onnx_node_tests.py): for every op blend imports, each single-node test either
evaluates to the expected outputs (blend-run --no-lower, the imported graph in float32) or is
refused with a one-line error — never a wrong answer, never a crash. The pass counts are
pinned, so an importer change that loses a case fails here; docs/onnx-node-tests.md lists the
refused cases and why."""

import importlib.util

PASSES = {
    "Add": 2, "AveragePool": 10, "BatchNormalization": 2, "Clip": 8, "Concat": 12,
    "Constant": 1, "Conv": 6, "DequantizeLinear": 0, "Div": 3, "Erf": 1, "Flatten": 9,
    "Gather": 0, "Gemm": 8, "GlobalAveragePool": 0, "Greater": 2, "GreaterOrEqual": 2,
    "Identity": 1, "LayerNormalization": 0, "Less": 2, "LessOrEqual": 2, "MatMul": 1,
    "MaxPool": 8, "Mul": 3, "PRelu": 2, "Pad": 1, "QuantizeLinear": 1, "ReduceMean": 6,
    "Relu": 1, "Reshape": 9, "Shape": 10, "Sign": 0, "Slice": 0, "Squeeze": 2, "Sub": 3,
    "TopK": 0, "Transpose": 7, "Unsqueeze": 8, "Where": 0,
}


def load_driver(root):
    spec = importlib.util.spec_from_file_location("onnx_node_tests",
                                                  root / "scripts" / "onnx_node_tests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_node_tests_pass_or_are_refused(root, tool):
    driver = load_driver(root)
    build = str(__import__("pathlib").Path(tool("blendc")).parents[1])
    results = driver.collect(build)
    bad = [(op, name, outcome, detail) for op, cases in results.items()
           for name, outcome, detail in cases if outcome in ("wrong", "crash")]
    assert not bad, bad
    passes = {op: sum(o == "pass" for _, o, _ in cases) for op, cases in results.items()}
    # Every op blend imports has node tests, and none lost a passing case.
    assert set(passes) == set(PASSES), set(passes) ^ set(PASSES)
    for op, count in PASSES.items():
        assert passes[op] >= count, f"{op}: {passes[op]} node tests pass, {count} did"
