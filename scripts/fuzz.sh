#!/usr/bin/env bash
# fuzz.sh TARGET SECONDS [libFuzzer options...] — fuzz one blend input reader with libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer (docs/limits.md).
#
# TARGET: onnx (ONNX bytes → load, import, lower to the integer IR), onnxtext (the same from
# ONNX text), schedule (schedule.bin decoding and everything done with a decoded network),
# npy (the .npy reader and the finite-input check), idx (the IDX reader).
#
# The first run configures build-fuzz/ (clang-19; every blend source compiled with
# -fsanitize=address,undefined and libFuzzer's coverage, -DBLEND_FUZZ=ON) and builds the
# target there; later runs rebuild what changed. The working corpus grows in
# build-fuzz/corpus/TARGET (seeded from test/fuzz/corpus/TARGET), findings land in
# build-fuzz/findings/TARGET/. An input slower than 10 s is a finding (-timeout=10). Copy each
# fixed finding into test/fuzz/regressions/TARGET/: `make test` replays them.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${1:?usage: fuzz.sh TARGET SECONDS [libFuzzer options]}
seconds=${2:?usage: fuzz.sh TARGET SECONDS [libFuzzer options]}
shift 2
case "$target" in
  onnx|onnxtext|schedule|npy|idx) ;;
  *) echo "fuzz.sh: unknown target '$target' (onnx, onnxtext, schedule, npy, idx)" >&2; exit 2 ;;
esac
build=${BLEND_FUZZ_BUILD_DIR:-$root/build-fuzz}
if [ ! -f /usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.fuzzer-x86_64.a ]; then
  echo "fuzz.sh: libFuzzer is missing: apt install libclang-rt-19-dev (scripts/bootstrap.sh does)" >&2
  exit 2
fi
if [ ! -f "$build/build.ninja" ]; then
  flags="-fsanitize=address,undefined -fsanitize=fuzzer-no-link -fno-omit-frame-pointer -g1"
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-19/build/utils/lit/lit.py \
    -DPython3_EXECUTABLE=/usr/bin/python3 \
    -DBLEND_VENV_PYTHON="$root/.venv/bin/python" \
    -DBLEND_FUZZ=ON >/dev/null
fi
ninja -C "$build" "blend-fuzz-$target" >/dev/null
corpus="$build/corpus/$target"
findings="$build/findings/$target"
mkdir -p "$corpus" "$findings"
# Leaks are findings too; one worker per run (the machine's other core stays free).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
dict=()
[ -f "$root/test/fuzz/$target.dict" ] && dict=("-dict=$root/test/fuzz/$target.dict")
exec "$build/bin/blend-fuzz-$target" "$corpus" "$root/test/fuzz/corpus/$target" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=262144 \
  -artifact_prefix="$findings/" -print_final_stats=1 "${dict[@]}" "$@"
