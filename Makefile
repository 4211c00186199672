# Thin wrapper over CMake; README.md documents `make run` and `make test`.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
ARGS ?= serve hello
PREFIX ?= /usr/local

.PHONY: all deps configure build run test install format docs clean

all: build

deps:
	@./scripts/deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX)

configure: $(BUILD_DIR)/CMakeCache.txt

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./$(BUILD_DIR)/netius $(ARGS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

install: build
	cmake --install $(BUILD_DIR)

# Regenerates man/ and completions/ from the CLI tree (tests fail when they are stale).
docs: build
	./$(BUILD_DIR)/netius-docgen .

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD_DIR)
