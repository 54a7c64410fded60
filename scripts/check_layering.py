#!/usr/bin/env python3
"""The layering rule of docs/architecture.md, checked on the source tree.

blend is built in five layers, each allowed to use only the layers below it:

    runtime/   schedule format, .npy/.idx I/O, the numeric kernels, harnesses
    dialects/  the Blend dialect, its passes, the cost model
    compiler/  the importer, pipelines, golden executor, datapath search, driver
    codegen/   the emitters: print what compiler/ decided, decide nothing
    tools/     the executables, which may use everything

codegen/ sits beside compiler/, not above it: an emitter that ran a pass
pipeline or a search would be making a decision the report cannot explain,
so codegen/ may not include compiler/ headers, link compiler/ libraries, or
include MLIR's pass manager. runtime/ and the cost model are MLIR-free, so
the host driver and harnesses that ship in every accelerator directory build
without LLVM.

    check_layering.py [ROOT]

prints one line per violation (file:line: what it includes or links, and why
that is not allowed) and exits 1 if there are any, else 0.
"""

import pathlib
import re
import sys

LAYERS = ["runtime", "dialects", "compiler", "codegen", "tools"]

# What each layer's sources may include (project headers, by top directory).
ALLOWED = {
    "runtime": {"runtime"},
    "dialects": {"runtime", "dialects"},
    "compiler": {"runtime", "dialects", "compiler"},
    "codegen": {"runtime", "dialects", "codegen"},
    "tools": set(LAYERS),
}

# Headers a layer may not include whatever their directory: (layer or
# sub-directory prefix, include pattern, reason).
FORBIDDEN = [
    ("runtime/", re.compile(r"^(mlir|llvm)/"),
     "runtime/ builds without LLVM (it ships in every accelerator directory)"),
    ("dialects/Blend/CostModel/", re.compile(r"^mlir/"),
     "the cost model has no MLIR (compiler/ and codegen/ call it on schedules)"),
    ("codegen/", re.compile(r"^mlir/Pass/"),
     "emitters only print: running passes is compiler/'s"),
]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SOURCES = {".h", ".hpp", ".cpp", ".cc", ".inc", ".td"}
TARGET = re.compile(
    r"add_(?:mlir_dialect_|mlir_|llvm_)?(?:library|executable)\(\s*([A-Za-z0-9_-]+)")


def layer_of(rel: pathlib.PurePosixPath):
    return rel.parts[0] if rel.parts and rel.parts[0] in LAYERS else None


def check_includes(root: pathlib.Path):
    errors = []
    for layer in LAYERS:
        base = root / layer
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix not in SOURCES or not path.is_file():
                continue
            rel = path.relative_to(root).as_posix()
            for lineno, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                header = m.group(1)
                top = header.split("/", 1)[0]
                if "/" in header and top in LAYERS and top not in ALLOWED[layer]:
                    errors.append(f"{rel}:{lineno}: includes {header}: {layer}/ may "
                                  f"use only {', '.join(sorted(ALLOWED[layer]))}/")
                for prefix, pattern, why in FORBIDDEN:
                    if rel.startswith(prefix) and pattern.search(header):
                        errors.append(f"{rel}:{lineno}: includes {header}: {why}")
    return errors


def cmake_files(root: pathlib.Path):
    for layer in LAYERS:
        base = root / layer
        if base.is_dir():
            yield from sorted(base.rglob("CMakeLists.txt"))


def check_links(root: pathlib.Path):
    """Every project library a CMake target links must sit in an allowed layer."""
    owner = {}  # target name -> layer that defines it
    texts = {}
    for path in cmake_files(root):
        text = re.sub(r"#.*", "", path.read_text())
        texts[path] = text
        for m in TARGET.finditer(text):
            owner[m.group(1)] = layer_of(path.relative_to(root))
    errors = []
    for path, text in texts.items():
        rel = path.relative_to(root)
        layer = layer_of(rel)
        # The arguments of target_link_libraries(...) and LINK_LIBS sections.
        blocks = re.findall(r"target_link_libraries\(([^)]*)\)", text)
        blocks += re.findall(r"LINK_LIBS([^)]*)\)", text)
        for block in blocks:
            for word in block.split():
                dep = owner.get(word)
                if dep and dep not in ALLOWED[layer]:
                    errors.append(f"{rel.as_posix()}: links {word} ({dep}/): {layer}/ may "
                                  f"use only {', '.join(sorted(ALLOWED[layer]))}/")
    return errors


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                        pathlib.Path(__file__).resolve().parent.parent)
    missing = [layer for layer in LAYERS if not (root / layer).is_dir()]
    if missing:
        print(f"{root}: no {', '.join(missing)}/ directory: not a blend source tree")
        return 2
    errors = check_includes(root) + check_links(root)
    for e in errors:
        print(e)
    if not errors:
        print(f"{root}: layering holds ({' < '.join(LAYERS[:3])}; codegen beside "
              "compiler; tools on top)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
