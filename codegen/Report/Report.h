//===- Report.h - the accelerator report ------------------------*- C++ -*-===//
//
// report.json and report.md: what was built (layer, hardware parameters), the
// compiler's cycle estimate for one image, and the resources it takes against
// the part's budget. The estimates come from dialects/Blend/CostModel.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_CODEGEN_REPORT_REPORT_H
#define BLEND_CODEGEN_REPORT_REPORT_H

#include "dialects/Blend/CostModel/CostModel.h"
#include "dialects/Blend/CostModel/Target.h"
#include "runtime/ScheduleFormat.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace blend {

/// `notes` are the importer's notes on how the model was read (changed
/// semantics, annotations, defaulted opsets); the reports list them beside
/// the host's pre- and post-processing steps.
void printReportJson(const schedule::Network &net, llvm::StringRef source,
                     const TargetInfo &target, llvm::raw_ostream &os,
                     llvm::ArrayRef<std::string> notes = {});
void printReportMarkdown(const schedule::Network &net, llvm::StringRef source,
                         const TargetInfo &target, llvm::raw_ostream &os,
                         llvm::ArrayRef<std::string> notes = {});

} // namespace blend

#endif // BLEND_CODEGEN_REPORT_REPORT_H
