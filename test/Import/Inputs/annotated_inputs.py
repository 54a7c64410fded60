"""Writes the small annotated-input models of input-annotation.test (onnxtext cannot express
quantization_annotation): argv[1] is the output directory."""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def annotate(graph, tensor, datatype):
    a = onnx.TensorAnnotation()
    a.tensor_name = tensor
    entry = a.quant_parameter_tensor_names.add()
    entry.key, entry.value = "finn_datatype", datatype
    graph.quantization_annotation.append(a)


def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, path)


out = sys.argv[1]
# FINN's TFC pre-processing on a UINT8 image: x / 255 · 2 − 1, then a bipolar threshold at 0.
g = helper.make_graph(
    [helper.make_node("Div", ["x", "c255"], ["a"]), helper.make_node("Mul", ["a", "two"], ["b"]),
     helper.make_node("Sub", ["b", "one"], ["c"]),
     helper.make_node("GreaterOrEqual", ["c", "zero"], ["p"]),
     helper.make_node("Where", ["p", "one", "mone"], ["y"])],
    "uint8_threshold",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
    [numpy_helper.from_array(np.array(v, np.float32), n) for n, v in
     [("c255", 255.0), ("two", 2.0), ("one", 1.0), ("zero", 0.0), ("mone", -1.0)]])
annotate(g, "x", "UINT8")
save(g, f"{out}/uint8.onnx")
# The cybsec MLP's front: a BIPOLAR input, (x + 1) / 2, a 2-bit linear layer.
w = np.array([[1, -1], [0, 1], [1, 1]], np.float32)
g = helper.make_graph(
    [helper.make_node("QuantizeLinear", ["w", "one", "z"], ["wq"]),
     helper.make_node("DequantizeLinear", ["wq", "one", "z"], ["wd"]),
     helper.make_node("Add", ["x", "one"], ["a"]), helper.make_node("Div", ["a", "two"], ["b"]),
     helper.make_node("MatMul", ["b", "wd"], ["m"]),
     helper.make_node("QuantizeLinear", ["m", "s", "z"], ["q"]),
     helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"])],
    "bipolar_affine",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])],
    [numpy_helper.from_array(np.array(1.0, np.float32), "one"),
     numpy_helper.from_array(np.array(2.0, np.float32), "two"),
     numpy_helper.from_array(np.array(0.5, np.float32), "s"),
     numpy_helper.from_array(np.array(0, np.int8), "z"), numpy_helper.from_array(w, "w")])
annotate(g, "x", "BIPOLAR")
save(g, f"{out}/bipolar.onnx")
# An annotation blend does not read.
annotate(g, "x", "FIXED<8,4>")
del g.quantization_annotation[0]
save(g, f"{out}/unknown.onnx")
