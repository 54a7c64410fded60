#!/usr/bin/env bash
# demo.sh — the main job on the bundled Blend module, end to end, saying what each step did:
#   ONNX → blend IR → integer layer ops → accelerator (RTL + schedule.bin + report)
#   → golden executor and Verilator simulation on the same inputs → byte-for-byte comparison;
# then the bundled Fashion-MNIST model's accuracy on real test images (golden executor), and
# that whole network on the accelerator: 200 real test images, bit-exact, layer by layer.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bin=${BLEND_BUILD_DIR:-build}/bin
py=.venv/bin/python
model=models/onnx/blend_module.onnx
work=${BLEND_DEMO_DIR:-/tmp/blend-demo}
rm -rf "$work" && mkdir -p "$work"

step() { printf '\n== %s ==\n' "$*"; }

step "1. the bundled model: blendc $model --list-ops"
"$bin/blendc" "$model" --list-ops

step "2. lowered to integer layer ops (blendc --emit=mlir), the op sequence"
"$bin/blendc" "$model" --emit=mlir | grep -oE '= blend\.[a-z_0-9]+' | sed 's/= /  /' | uniq -c

step "3. compile to an accelerator: blendc $model -o $work/accel"
"$bin/blendc" "$model" -o "$work/accel"
ls "$work/accel" "$work/accel/rtl"
cat "$work/accel/report.md"

step "4. 8 random images through the golden executor (blend-run) and the RTL (blend-sim)"
$py -c "import numpy as np; np.save('$work/x.npy', np.random.default_rng(0).normal(0, 1.5, size=(8, 16, 32, 32)).astype(np.float32))"
"$bin/blend-run" "$model" --input "$work/x.npy" --output "$work/y_golden.npy"
"$bin/blend-sim" "$work/accel" --input "$work/x.npy" --output "$work/y_rtl.npy" | tee "$work/sim.log"

step "5. compare every output bit"
if cmp "$work/y_golden.npy" "$work/y_rtl.npy"; then
  n=$($py -c "import numpy as np; print(np.load('$work/y_rtl.npy').size)")
  echo "IDENTICAL: RTL simulation == golden executor on all $n outputs (byte-for-byte .npy)"
else
  echo "MISMATCH between RTL and golden executor" >&2
  exit 1
fi
cycles=$(grep -m1 -oE 'cycles: [0-9]+' "$work/sim.log" | grep -oE '[0-9]+')
awk -v c="$cycles" 'BEGIN { printf "cycles per image: %d  ->  %.1f us at 200 MHz (one Blend module, C=16, 32x32)\n", c, c / 200.0 }'

step "6. agreement with onnxruntime on the float model"
$py - "$model" "$work" <<'PY'
import sys, numpy as np, onnxruntime as ort
model, work = sys.argv[1], sys.argv[2]
x = np.load(f"{work}/x.npy"); y = np.load(f"{work}/y_golden.npy")
s = ort.InferenceSession(model)
r = np.concatenate([s.run(None, {"x": x[i:i+1]})[0] for i in range(len(x))])
print(f"golden vs onnxruntime: {(y == r).sum()} of {y.size} outputs equal; make test checks that "
      "every difference lies within the documented error bound (docs/semantics.md §8)")
PY
step "7. real data: the bundled Fashion-MNIST BlendNet through the golden executor (first 2,000 test images)"
"$bin/blend-run" models/onnx/blendnet_fmnist.onnx \
  --idx-images /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz \
  --idx-labels /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz --limit 2000 --threads 2
echo "(full test set: float 85.92%, onnxruntime 85.92%, golden 85.96% — docs/models.md)"

step "8. the whole Fashion-MNIST network on the accelerator (blend_net): 200 real test images"
fm=models/onnx/blendnet_fmnist.onnx
"$bin/blendc" "$fm" -o "$work/fmnist-accel"
grep -E '^(Total|Hardware|\| (DSP|RAMB))' "$work/fmnist-accel/report.md"
$py - "$work" <<'PY'
import sys, numpy as np
sys.path.insert(0, "models")
from train_fmnist import load
images, labels = load("t10k")
np.save(f"{sys.argv[1]}/fx.npy", images[:200]); np.save(f"{sys.argv[1]}/fl.npy", labels[:200])
PY
"$bin/blend-run" "$fm" --input "$work/fx.npy" --output "$work/fy_golden.npy" --trace "$work/ftrace"
"$bin/blend-sim" "$work/fmnist-accel" --input "$work/fx.npy" --output "$work/fy_rtl.npy" \
  --golden-trace "$work/ftrace" > "$work/fsim.log"
grep -E '^taps' "$work/fsim.log"
cmp "$work/fy_golden.npy" "$work/fy_rtl.npy"
$py - "$work" <<'PY'
import sys, numpy as np
work = sys.argv[1]
y = np.load(f"{work}/fy_rtl.npy"); labels = np.load(f"{work}/fl.npy")
cycles = [int(l.split()[1]) for l in open(f"{work}/fsim.log") if l.startswith("cycles:")]
print(f"IDENTICAL: RTL == golden executor on all {y.size} logits of 200 images (byte-for-byte)")
print(f"RTL accuracy: {np.mean(y.argmax(1) == labels):.2%} (200 images); "
      f"{cycles[0]} cycles per image -> {cycles[0] / 200:.1f} us at 200 MHz")
PY

step "done — outputs in $work"
