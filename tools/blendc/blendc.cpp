//===- blendc.cpp - the blend compiler driver -----------------------------===//
//
// `blendc MODEL.onnx -o DIR` turns an ONNX model into an accelerator directory.
// The driver owns the user-facing contract: LLVM-style options, one-line
// errors on stderr that name the file, a non-zero exit on failure, and no
// output directory left behind by a failed run. The stages themselves are
// passes in the blend pipeline; this file only sequences them.
//
// Stages: load and check the ONNX file (`--list-ops` stops here), import and
// lower to integer layer ops (`--emit=import|mlir` print these), then write the
// accelerator directory (codegen/Accelerator), which appears only when
// complete.
//
//===----------------------------------------------------------------------===//

#include "codegen/Accelerator/WriteAccelerator.h"
#include "compiler/Driver/Driver.h"
#include "compiler/Import/OnnxImporter.h"
#include "compiler/Import/OnnxModel.h"
#include "compiler/Search/DatapathSearch.h"
#include "compiler/Target/Target.h"
#include "dialects/Blend/TargetIR.h"
#include "tools/blendc/CheckModel.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace {
cl::OptionCategory blendcCategory("blendc options");

cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx>"),
                               cl::cat(blendcCategory));

cl::opt<std::string>
    outputDir("o", cl::desc("Output accelerator directory (rtl/, "
                            "schedule.bin, report.*); written only on success"),
              cl::value_desc("dir"), cl::cat(blendcCategory));

enum class EmitKind { Accel, Import, Mlir };
cl::opt<EmitKind> emit(
    "emit", cl::desc("What to produce"), cl::init(EmitKind::Accel),
    cl::values(clEnumValN(EmitKind::Accel, "accel",
                          "the accelerator directory given by -o (default)"),
               clEnumValN(EmitKind::Import, "import",
                          "blend IR as imported from ONNX, on stdout"),
               clEnumValN(EmitKind::Mlir, "mlir",
                          "blend integer layer IR after lowering, on stdout")),
    cl::cat(blendcCategory));

cl::opt<std::string> targetPart(
    "target", cl::desc("FPGA part: xczu3eg (Ultra96-V2, default), xczu7ev "
                       "(ZCU104), xc7z020 (PYNQ-Z1/Z2)"),
    cl::value_desc("part"), cl::init("xczu3eg"), cl::cat(blendcCategory));
cl::opt<double> clockMhz("clock-mhz",
                         cl::desc("Clock the report quotes latency at "
                                  "(default 200)"),
                         cl::init(200.0), cl::cat(blendcCategory));

cl::opt<unsigned> dspBudget(
    "dsp-budget",
    cl::desc("DSP blocks the design may use (default: the whole part); a "
             "design needing more is refused with the numbers"),
    cl::init(0), cl::cat(blendcCategory));

cl::opt<unsigned> bramBudget(
    "bram-budget",
    cl::desc("RAMB36 blocks the design may use (default: the whole part); "
             "tensors that do not fit run in row stripes, a design that does "
             "not fit even so is refused with the numbers"),
    cl::init(0), cl::cat(blendcCategory));

cl::opt<int> stripes(
    "stripes",
    cl::desc("Run the first layers in N row stripes (spatial tiling; "
             "default: only when the whole tensors do not fit the block RAM; "
             "1: never)"),
    cl::init(0), cl::cat(blendcCategory));

enum class StripeHalo { Auto, Keep, Recompute };
cl::opt<StripeHalo> stripeHalo(
    "stripe-halo",
    cl::desc("Rows of a striped layer that two stripes read (the halo)"),
    cl::values(clEnumValN(StripeHalo::Auto, "auto",
                          "both ways estimated, the faster that fits taken "
                          "(default)"),
               clEnumValN(StripeHalo::Keep, "keep",
                          "kept in memory for the next stripe, moved up by "
                          "copy steps: every row computed once"),
               clEnumValN(StripeHalo::Recompute, "recompute",
                          "computed again by each stripe that reads them "
                          "(less memory held between stripes)")),
    cl::init(StripeHalo::Auto), cl::cat(blendcCategory));

cl::opt<blend::BinaryImpl> binaryImpl(
    "binary-impl", cl::desc("Where the binary XNORs run"),
    cl::values(clEnumValN(blend::BinaryImpl::Auto, "auto",
                          "DSP48E2 logic mode, or LUTs when only that fits "
                          "the part and budgets (default)"),
               clEnumValN(blend::BinaryImpl::Dsp, "dsp",
                          "DSP48E2 logic mode, 48 XNORs per DSP"),
               clEnumValN(blend::BinaryImpl::Lut, "lut",
                          "LUTs (frees one DSP per binary lane)")),
    cl::init(blend::BinaryImpl::Auto), cl::cat(blendcCategory));

blend::ImportFlags importFlags(blendcCategory);

cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Fix a graph input's dynamic dimensions: NAME=D0xD1x... "
             "(e.g. x=1x3x32x32); repeatable"),
    cl::value_desc("NAME=DIMS"), cl::cat(blendcCategory));

cl::opt<bool> supportedOps(
    "supported-ops",
    cl::desc("Print every ONNX op blend imports (domain::op, from which "
             "opset); needs no model"),
    cl::cat(blendcCategory));

cl::opt<bool> check(
    "check",
    cl::desc("Check the model: one line per ONNX node (constant, host, "
             "integer, folded, refused and why) and whether it maps onto the "
             "accelerator; exit code 1 when anything is refused; writes "
             "nothing"),
    cl::cat(blendcCategory));

cl::opt<bool> listOps("list-ops",
                      cl::desc("Check the model and print its operator "
                               "inventory (domain, op type, count); writes "
                               "nothing"),
                      cl::cat(blendcCategory));
} // namespace

/// Prints "blendc: error: <message>" on stderr and returns exit code 1.
static int fail(const Twine &message) {
  WithColor::error(errs(), "blendc") << blend::printable(message.str()) << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  // --mlir-print-debuginfo and friends for --emit=mlir|import (hidden from
  // --help): with locations, the printed IR names every ONNX node, and
  // blend-opt --blend-map-to-target reproduces blendc's schedule from it.
  mlir::registerAsmPrinterCLOptions();
  cl::HideUnrelatedOptions(blendcCategory);
  cl::SetVersionPrinter([](raw_ostream &os) {
    os << "blendc " BLEND_VERSION " (blend model-to-FPGA compiler, LLVM/MLIR "
       << LLVM_VERSION_STRING << ")\n";
  });
  cl::ParseCommandLineOptions(
      argc, argv,
      "blendc: compile a binary/fixed-point blended network (ONNX) into an "
      "FPGA accelerator\n\n"
      "  blendc model.onnx -o accel/     compile\n"
      "  blendc model.onnx --check       what blend does with every node\n"
      "  blendc model.onnx --list-ops    list the model's operators\n"
      "  blendc --supported-ops          the ONNX ops blend imports\n");

  if (supportedOps) {
    for (const auto &r : blend::OnnxOpTable::get().registrations())
      outs() << r.domain << "::" << r.opType << " since opset "
             << r.sinceVersion << "\n";
    return 0;
  }
  if (inputPath.empty())
    return fail("no model given (blendc model.onnx -o DIR; see --help)");
  if (check) {
    mlir::MLIRContext context;
    blend::loadBlendDialects(context);
    return blend::checkModel(context, inputPath, inputShapes,
                             importFlags.options(), outs());
  }
  if (!listOps && emit == EmitKind::Accel && outputDir.empty())
    return fail("no output directory given; use -o DIR (or --emit=mlir, "
                "--list-ops)");

  if (listOps) {
    Expected<onnx::ModelProto> model = blend::loadOnnxModel(inputPath);
    if (!model)
      return fail(toString(model.takeError()));
    const onnx::GraphProto &graph = model->graph();
    outs() << inputPath << ": graph '" << graph.name() << "', "
           << graph.node_size() << " nodes, ai.onnx opset "
           << blend::getOpsetVersion(*model, "") << "\n";
    for (const blend::OpCount &row : blend::countOperators(graph))
      outs() << "  " << (row.domain.empty() ? "ai.onnx" : row.domain) << "::"
             << row.opType << " x" << row.count << "\n";
    return 0;
  }

  const blend::TargetPart *part = blend::lookupTarget(targetPart);
  if (!part)
    return fail("unknown target '" + targetPart + "' (known parts: " +
                blend::knownTargetNames() + ")");
  if (!(clockMhz > 0.0 && clockMhz <= 1000.0))
    return fail("--clock-mhz must be in (0, 1000]");
  blend::TargetInfo target = blend::targetInfoFor(*part);
  target.clockMhz = clockMhz;
  target.dspBudget = dspBudget;
  target.binaryImpl = binaryImpl;
  if (stripes < 0 || stripes > 256)
    return fail("--stripes must be in 0..256 (0: as needed, 1: none)");
  target.bramBudget = bramBudget;
  target.stripes = unsigned(stripes);
  if (stripeHalo != StripeHalo::Auto)
    target.keepRows = stripeHalo == StripeHalo::Keep;

  mlir::MLIRContext context;
  blend::ToolDiagnosticHandler diagnostics(context, "blendc");
  mlir::OwningOpRef<mlir::ModuleOp> module = blend::loadModel(
      context, inputPath,
      emit == EmitKind::Import ? blend::ModelStage::Imported
                               : blend::ModelStage::Integer,
      "blendc", inputShapes, importFlags.options());
  if (!module)
    return 1;
  if (emit != EmitKind::Accel) {
    module->print(outs());
    outs() << "\n";
    return 0;
  }

  // The target is IR from here on (#blend.target); the datapath search
  // decides, the emitters only write what it chose.
  blend::setModuleTarget(*module, target);
  Expected<blend::AcceleratorDesign> design =
      blend::mapOntoAccelerator(*module, inputPath, target);
  if (!design) {
    std::string message = toString(design.takeError());
    return message.empty() ? 1 : fail(message); // empty: reported above
  }
  // writeAccelerator creates the directory atomically, only on success.
  if (Error e = blend::writeAccelerator(*design, outputDir, inputPath))
    return fail(toString(std::move(e)));
  return 0;
}
