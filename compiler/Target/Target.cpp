//===- Target.cpp - FPGA parts blendc can target --------------------------===//
//
// Resource counts per part (AMD/Xilinx product selection guides):
//   xczu3eg  Zynq UltraScale+ ZU3EG (Ultra96-V2): 360 DSP48E2, 216 BRAM36,
//            0 URAM, 70,560 LUT, 141,120 FF
//   xczu7ev  Zynq UltraScale+ ZU7EV (ZCU104): 1,728 DSP48E2, 312 BRAM36,
//            96 URAM, 230,400 LUT, 460,800 FF
//   xczu9eg  Zynq UltraScale+ ZU9EG (ZCU102): 2,520 DSP48E2, 912 BRAM36,
//            0 URAM, 274,080 LUT, 548,160 FF
//   xc7z020  Zynq-7020 (PYNQ-Z1/Z2): 220 DSP48E1, 140 BRAM36, 0 URAM,
//            53,200 LUT, 106,400 FF
//
//===----------------------------------------------------------------------===//

#include "compiler/Target/Target.h"

using namespace blend;

static const TargetPart kParts[] = {
    {"xczu3eg", "Ultra96-V2", "DSP48E2", 360, 216, 0, 70560, 141120},
    {"xczu7ev", "ZCU104", "DSP48E2", 1728, 312, 96, 230400, 460800},
    {"xczu9eg", "ZCU102", "DSP48E2", 2520, 912, 0, 274080, 548160},
    {"xc7z020", "PYNQ-Z1/Z2", "DSP48E1", 220, 140, 0, 53200, 106400},
};

llvm::ArrayRef<TargetPart> blend::targetParts() { return kParts; }

const TargetPart *blend::lookupTarget(llvm::StringRef name) {
  for (const TargetPart &part : kParts)
    if (name.equals_insensitive(part.name))
      return &part;
  return nullptr;
}

std::string blend::knownTargetNames() {
  std::string known;
  for (const TargetPart &p : kParts)
    known += std::string(known.empty() ? "" : ", ") + p.name;
  return known;
}

TargetInfo blend::targetInfoFor(const TargetPart &part) {
  TargetInfo t;
  t.part = part.name;
  t.board = part.board;
  t.dspFamily = part.dspFamily;
  t.dsp = part.dsp;
  t.bram36 = part.bram36;
  t.lut = part.lut;
  t.ff = part.ff;
  return t;
}
