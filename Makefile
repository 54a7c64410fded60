# blend — the two commands of the README, plus conveniences. A thin wrapper:
# the work is done by scripts/ and CMake.
#
#   make demo   install what is missing, build, run the main job on a bundled model
#   make test   install what is missing, build, run every test suite, print one summary

BUILD_DIR ?= build
export BLEND_BUILD_DIR := $(BUILD_DIR)

.PHONY: all demo test build bootstrap docs format clean

all: build

bootstrap:
	scripts/bootstrap.sh --no-build

build:
	scripts/bootstrap.sh

demo: build
	scripts/demo.sh

test: build
	scripts/run-tests.sh

docs: build
	ninja -C $(BUILD_DIR) docs
	@echo "generated dialect reference: $(BUILD_DIR)/docs/Dialects/BlendDialect.md"

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format-19 -i

clean:
	rm -rf $(BUILD_DIR)
