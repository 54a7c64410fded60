//===- FuzzOnnx.cpp - libFuzzer target: ONNX bytes to the integer IR ------===//
//
// The path every downloaded model takes through blendc and blend-run: the
// bytes as a binary ONNX model (or, built as fuzz-onnxtext, as ONNX text),
// loaded, imported and lowered to the integer IR. Every outcome but a clean
// refusal or a lowered module is a bug: a crash, a sanitizer report, a leak,
// an input slower than 10 s (scripts/fuzz.sh; docs/limits.md). Errors are
// swallowed, not printed: the target is about not crashing, the lit and
// pytest suites check the messages.
//
//===----------------------------------------------------------------------===//

#include "compiler/Driver/Driver.h"
#include "compiler/Import/OnnxImporter.h"
#include "compiler/Import/OnnxModel.h"
#include "compiler/Pipelines/Pipelines.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

#ifdef BLEND_FUZZ_TEXT
#define BLEND_FUZZ_SUFFIX ".onnxtext"
#else
#define BLEND_FUZZ_SUFFIX ".onnx"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // loadOnnxModel reads a path (it resolves external data beside it and
  // picks the text parser by suffix): one file per process in /dev/shm.
  static const std::string path = "/dev/shm/blend-fuzz-" +
                                  std::to_string(getpid()) + BLEND_FUZZ_SUFFIX;
  FILE *file = std::fopen(path.c_str(), "wb");
  if (!file)
    return 0;
  std::fwrite(data, 1, size, file);
  std::fclose(file);

  llvm::Expected<onnx::ModelProto> model = blend::loadOnnxModel(path);
  if (!model) {
    llvm::consumeError(model.takeError());
    return 0;
  }
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  blend::loadBlendDialects(context);
  mlir::ScopedDiagnosticHandler quiet(&context,
                                      [](mlir::Diagnostic &) { return mlir::success(); });
  auto imported = blend::importOnnxModel(*model, path, &context, {});
  if (!imported) {
    llvm::consumeError(imported.takeError());
    return 0;
  }
  mlir::PassManager pm(&context);
  blend::buildLowerToIntegerPipeline(pm);
  (void)pm.run(**imported);
  return 0;
}
