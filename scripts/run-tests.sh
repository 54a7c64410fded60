#!/usr/bin/env bash
# run-tests.sh — run every blend test suite and print one summary.
#
# Suites: lit + FileCheck (test/, via LLVM's lit), Catch2 unit tests (ctest) and the
# Python reference tests (pytest in .venv). Every suite runs even if an earlier one
# failed; the exit status is non-zero if any test failed or any suite could not run.
# The last line is "total: N passed, M failed".
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build_dir=${BLEND_BUILD_DIR:-build}
lit_py=${LLVM_LIT:-/usr/lib/llvm-19/build/utils/lit/lit.py}
logs="$build_dir/test-logs"
mkdir -p "$logs"

total_pass=0
total_fail=0
broken=0
summary=()

record() { # name passed failed rc
  local name=$1 p=$2 f=$3 rc=$4
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    # The runner failed without reporting a failed test (crash, no tests found, ...).
    broken=1
    summary+=("$(printf '%-8s %s passed, %s failed  (runner exited %s; see %s)' "$name:" "$p" "$f" "$rc" "$logs/$name.log")")
  else
    summary+=("$(printf '%-8s %s passed, %s failed' "$name:" "$p" "$f")")
  fi
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
}

echo "== lit (FileCheck) =="
/usr/bin/python3 "$lit_py" -sv "$build_dir/test" 2>&1 | tee "$logs/lit.log" | grep -E '^(PASS|FAIL|XPASS|UNRESOLVED|TIMEOUT)|^  (Passed|Failed|Unresolved)|Total Discovered' || true
rc=${PIPESTATUS[0]}
p=$(grep -oE '^ *Passed *: *[0-9]+' "$logs/lit.log" | grep -oE '[0-9]+$' || echo 0)
f=0
for kind in Failed Unresolved Timed\ Out 'Unexpectedly Passed'; do
  n=$(grep -oE "^ *$kind *: *[0-9]+" "$logs/lit.log" | grep -oE '[0-9]+$' || echo 0)
  f=$((f + n))
done
record lit "${p:-0}" "$f" "$rc"

echo "== unit (Catch2 via ctest) =="
ctest --test-dir "$build_dir" --output-on-failure 2>&1 | tee "$logs/unit.log" | tail -n 3
rc=${PIPESTATUS[0]}
line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$logs/unit.log" | tail -n1)
f=$(echo "$line" | sed -nE 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/p')
n=$(echo "$line" | sed -nE 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/p')
record unit "$(( ${n:-0} - ${f:-0} ))" "${f:-0}" "$rc"

echo "== python (pytest) =="
BLEND_BUILD_DIR="$root/$build_dir" .venv/bin/python -m pytest -q -p no:cacheprovider test/python 2>&1 | tee "$logs/python.log" | tail -n 3
rc=${PIPESTATUS[0]}
last=$(grep -E '[0-9]+ (passed|failed)' "$logs/python.log" | tail -n1)
p=$(echo "$last" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
f=0
for n in $(echo "$last" | grep -oE '[0-9]+ (failed|errors?)' | grep -oE '^[0-9]+'); do f=$((f + n)); done
record python "${p:-0}" "${f:-0}" "$rc"

echo
echo "== blend test summary =="
for line in "${summary[@]}"; do echo "$line"; done
echo "total: $total_pass passed, $total_fail failed"
if [ "$total_fail" -ne 0 ] || [ "$broken" -ne 0 ] || [ "$total_pass" -eq 0 ]; then
  exit 1
fi
