// RUN: not blend-translate --blend-to-mlir %s --split-input-file 2>/dev/null | FileCheck %s
// RUN: not blend-translate --blend-to-mlir %s --split-input-file 2>&1 >/dev/null | FileCheck %s --check-prefix=BAD

// blend-translate parses and verifies blend IR before any emitter sees it.

// CHECK-LABEL: func.func @threshold
// CHECK: blend.threshold %{{.*}} thresholds [5] flip [true]
func.func @threshold(%acc: tensor<1x4x2x2xsi16>) -> tensor<1x4x2x2x!blend.binary> {
  %0 = blend.threshold %acc thresholds [5] flip [true] : tensor<1x4x2x2xsi16> -> tensor<1x4x2x2x!blend.binary>
  return %0 : tensor<1x4x2x2x!blend.binary>
}

// -----

// BAD: error: 'blend.threshold' op 'flip' must have one entry per threshold (1), got 2
func.func @bad(%acc: tensor<1x4x2x2xsi16>) -> tensor<1x4x2x2x!blend.binary> {
  %0 = blend.threshold %acc thresholds [5] flip [true, false] : tensor<1x4x2x2xsi16> -> tensor<1x4x2x2x!blend.binary>
  return %0 : tensor<1x4x2x2x!blend.binary>
}
