//===- main.cpp - Catch2 entry point for blend unit tests -----------------===//
//
// Catch2 v2 (Debian 12) generates main() in exactly one translation unit.
//
//===----------------------------------------------------------------------===//

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
