# lit configuration for blend: FileCheck tests of ops, passes, the importer,
# emitters and the tools. External hardware tools become lit features, so a
# test that needs one says `REQUIRES: verilator` (or yosys, iverilog).

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "BLEND"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtext", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.blend_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "unit", "python",
                   "Inputs", "corpus", "regressions"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%blend_src_root", config.blend_src_root))
config.substitutions.append(("%venv_python", config.venv_python))
# Every template blend_net instantiates, in one list (the unit tests name their own).
_rtl = os.path.join(config.blend_src_root, "rtl_templates")
config.substitutions.append(("%net_srcs", " ".join(
    os.path.join(_rtl, f) for f in [
        "blend_ram.sv", "blend_ram_be.sv", "blend_requant.sv", "blend_netpost.sv",
        "blend_dsp48e2.sv", "blend_binary_engine.sv", "blend_fixed_engine.sv", "blend_fold.sv",
        "blend_net_seq.sv", "blend_net_transpose.sv", "blend_net_pool.sv", "blend_net_copy.sv", "blend_net_mem.sv", "blend_net_main.sv", "blend_net_skip.sv", "blend_net.sv"])))
config.substitutions.append(("%rtl", os.path.join(config.blend_src_root, "rtl_templates")))
# yosys's Xilinx simulation models (DSP48E1 for the DSP48E2 cross-check).
config.substitutions.append(("%yosys_share", "/usr/share/yosys"))
# Verilator builds of testbenches: -O2 keeps C++ compile time low on 2 cores.
config.substitutions.append(
    ("%verilator_tb", "verilator --binary --timing -Wno-fatal -Wno-WIDTH -MAKEFLAGS OPT_FAST=-O2"))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.blend_tools_dir, config.llvm_tools_dir]
tools = ["blend-opt", "blend-translate", "blendc", "blend-run", "blend-sim"] + [
    "blend-fuzz-replay-" + t for t in ("onnx", "onnxtext", "schedule", "npy", "idx")]
llvm_config.add_tool_substitutions(tools, tool_dirs)

for feature, path in [("verilator", config.verilator_executable),
                      ("yosys", config.yosys_executable),
                      ("iverilog", config.iverilog_executable)]:
    if path and not path.endswith("-NOTFOUND"):
        config.available_features.add(feature)
# Real data: Debian's dataset-fashion-mnist (installed by scripts/bootstrap.sh).
fmnist = "/usr/share/datasets/fashion-mnist"
if os.path.exists(os.path.join(fmnist, "t10k-images-idx3-ubyte.gz")):
    config.available_features.add("fashion-mnist")
    config.substitutions.append(("%fmnist", fmnist))
if os.path.exists(config.venv_python):
    config.available_features.add("venv")
