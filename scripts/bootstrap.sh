#!/usr/bin/env bash
# bootstrap.sh — install everything blend needs on a fresh Debian 12 machine and build it.
#
# Idempotent: each step checks what is already there and does only what is missing, so
# `make demo` and `make test` can call it every time. Steps:
#   1. apt packages (needs root or sudo; skipped when all are installed),
#   2. the project venv .venv (Debian's python3 with --system-site-packages, so Debian's
#      torch is visible) and the pinned pip packages of scripts/requirements.txt,
#   3. CMake configure (Ninja, clang-19, lld) and build with -j2.
# Usage: scripts/bootstrap.sh [--no-build]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build_dir=${BLEND_BUILD_DIR:-build}
jobs=${BLEND_JOBS:-2}
do_build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bootstrap.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

say() { printf '[bootstrap] %s\n' "$*"; }

# 1. Debian packages ---------------------------------------------------------------------
apt_packages=(
  # compiler toolchain and MLIR 19
  cmake ninja-build clang-19 clang-format-19 lld-19 llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools
  # libFuzzer and the sanitizer runtimes (scripts/fuzz.sh)
  libclang-rt-19-dev
  # libraries LLVM's CMake exports link against
  libzstd-dev zlib1g-dev libcurl4-openssl-dev libxml2-dev libedit-dev libncurses-dev
  # ONNX and protobuf (C++), fmt, Catch2
  libprotobuf-dev protobuf-compiler libonnx-dev libfmt-dev catch2
  # hardware tools
  verilator yosys iverilog
  # Python: venv, Debian's CPU torch, real data and the ONNX node tests
  python3 python3-venv python3-dev python3-torch dataset-fashion-mnist libonnx-testdata
)
missing=()
for pkg in "${apt_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  say "installing apt packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "apt packages: all present"
fi

# 2. Python venv ---------------------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  say "creating .venv (Debian python3, system site packages)"
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
req_hash=$(cat scripts/requirements.txt scripts/requirements-nodeps.txt | sha256sum | cut -d' ' -f1)
stamp=.venv/.blend-requirements
if [ "$(cat "$stamp" 2>/dev/null)" != "$req_hash" ]; then
  say "installing pip packages from scripts/requirements.txt"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r scripts/requirements.txt
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps \
    -r scripts/requirements-nodeps.txt
  echo "$req_hash" > "$stamp"
else
  say "pip packages: up to date"
fi

# 3. Configure and build -------------------------------------------------------------------
if [ "$do_build" -eq 1 ]; then
  if [ ! -f "$build_dir/build.ninja" ]; then
    say "configuring $build_dir/"
    cmake -G Ninja -S . -B "$build_dir" \
      -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
      -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
      -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-19/build/utils/lit/lit.py \
      -DPython3_EXECUTABLE=/usr/bin/python3 \
      -DBLEND_VENV_PYTHON="$root/.venv/bin/python"
  fi
  say "building ($jobs jobs)"
  ninja -C "$build_dir" -j "$jobs" all blend-unit-tests
fi
say "done"
