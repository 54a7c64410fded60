// RUN: not blend-translate --export-schedule-text %s --split-input-file 2>&1 | FileCheck %s

// Models outside the form the accelerator executes are refused at the op.

// CHECK: error: cannot be mapped to the accelerator: the output stage must be a binarize or a requant
func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %q = blend.quantize %arg0 : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>>
  %t = blend.threshold %q thresholds [3] flip [false] : tensor<1x2x4x4x!blend.fixed<si8, 2.500000e-01>> -> tensor<1x2x4x4x!blend.binary>
  %out = blend.dequantize %t : tensor<1x2x4x4x!blend.binary> -> tensor<1x2x4x4xf32>
  return %out : tensor<1x2x4x4xf32>
}

// -----

// CHECK: error: cannot be mapped to the accelerator: the output is not dequantized from an exact value
func.func @main(%arg0: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  return %arg0 : tensor<1x2x4x4xf32>
}
