//===- EmbeddedFiles.h - sources carried inside blendc ----------*- C++ -*-===//
//
// The RTL templates and the Verilator harness sources, compiled into blendc by
// cmake/EmbedFiles.cmake, so every accelerator directory is self-contained.
//
//===----------------------------------------------------------------------===//

#ifndef BLEND_CODEGEN_ACCELERATOR_EMBEDDEDFILES_H
#define BLEND_CODEGEN_ACCELERATOR_EMBEDDEDFILES_H

namespace blend {

/// One embedded file: its repository-relative path and contents (text, no
/// NUL bytes).
struct EmbeddedFile {
  const char *path;
  const char *contents;
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const unsigned kNumEmbeddedFiles;

} // namespace blend

#endif // BLEND_CODEGEN_ACCELERATOR_EMBEDDEDFILES_H
