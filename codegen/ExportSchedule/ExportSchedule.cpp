//===- ExportSchedule.cpp - the single-module schedule.bin emitters -------===//
//
// `blend-translate --export-schedule[-text]`: the single-module form's
// schedule (dialects/Blend/ModuleIR builds its records) as bytes or text.
//
//===----------------------------------------------------------------------===//

#include "codegen/ExportSchedule/ExportSchedule.h"

#include "dialects/Blend/BlendOps.h"
#include "dialects/Blend/ModuleIR.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Tools/mlir-translate/Translation.h"

using namespace mlir;
using namespace blend;
using namespace blend::schedule;

LogicalResult blend::exportSchedule(ModuleOp module, llvm::raw_ostream &os) {
  FailureOr<Schedule> s = buildSchedule(module);
  if (failed(s))
    return failure();
  std::vector<uint8_t> bytes = encode(*s);
  os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  return success();
}

LogicalResult blend::exportScheduleText(ModuleOp module,
                                        llvm::raw_ostream &os) {
  FailureOr<Schedule> s = buildSchedule(module);
  if (failed(s))
    return failure();
  os << toText(*s);
  return success();
}

void blend::registerExportScheduleTranslations() {
  auto dialects = registerBlendIRDialects;
  static TranslateFromMLIRRegistration binary(
      "export-schedule", "emit schedule.bin for a lowered blend module",
      exportSchedule, dialects);
  static TranslateFromMLIRRegistration text(
      "export-schedule-text", "emit the textual twin of schedule.bin",
      exportScheduleText, dialects);
}
