# Thin wrapper over CMake; README.md documents `make run` and `make test`;
# docs/reliability.md documents `make test SANITIZE=1`, `make fuzz` and `make lint`.
# SANITIZE=1: ASan + UBSan + LSan build in its own directory; every report fails the run.
ifeq ($(SANITIZE),1)
BUILD_DIR ?= build-asan
BUILD_TYPE ?= None
CMAKE_ARGS += -DNETIUS_SANITIZE=ON
# Reports go to files, one per process, so they are seen even from a server that a test ran
# in the background; the programs' own stderr stays what the tests expect.
SANITIZER_LOGS := $(abspath $(BUILD_DIR))/sanitizer-logs
ASAN_CHECKS := detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1
export ASAN_OPTIONS = halt_on_error=1:$(ASAN_CHECKS):log_path=$(SANITIZER_LOGS)/asan
export UBSAN_OPTIONS = halt_on_error=1:print_stacktrace=1:log_path=$(SANITIZER_LOGS)/ubsan
export LSAN_OPTIONS = suppressions=$(abspath tests/sanitizer/lsan.supp):print_suppressions=0
endif
BUILD_DIR ?= build
BUILD_TYPE ?= Release
# ccache (CMakeLists.txt) rewrites absolute paths beneath the checkout to relative ones, so a
# fresh clone elsewhere (CI) or a second work tree hits the cache of the first.
export CCACHE_BASEDIR ?= $(CURDIR)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
ARGS ?= serve hello
PREFIX ?= /usr/local

FUZZ_DIR ?= build-fuzz
FUZZ_CXX ?= clang++-14
FUZZ_SECONDS ?= 60
FUZZ_SEED ?=

.PHONY: all deps configure build run test install package format docs clean fuzz lint

all: build

deps:
	@./scripts/deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX) \
	  $(CMAKE_ARGS)

configure: $(BUILD_DIR)/CMakeCache.txt

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	./$(BUILD_DIR)/netius $(ARGS)

test: build
ifeq ($(SANITIZE),1)
	rm -rf $(SANITIZER_LOGS) && mkdir -p $(SANITIZER_LOGS)
	status=0; (cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600) || status=$$?; \
	if [ -n "$$(ls -A $(SANITIZER_LOGS))" ]; then cat $(SANITIZER_LOGS)/*; status=1; \
	  echo "netius: sanitizers reported errors (logs in $(SANITIZER_LOGS))" >&2; fi; \
	exit $$status
else
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600
endif

install: build
	cmake --install $(BUILD_DIR)

# A Debian package of what `make install` installs, plus dist/systemd/ (cmake/Packaging.cmake):
# $(BUILD_DIR)/netius_<version>_<arch>.deb.
package: build
	cd $(BUILD_DIR) && cpack -G DEB

# Regenerates man/ and completions/ from the CLI tree (tests fail when they are stale).
docs: build
	./$(BUILD_DIR)/netius-docgen .

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

# libFuzzer targets (tests/fuzz): build with clang, run each for FUZZ_SECONDS from its seeds.
$(FUZZ_DIR)/CMakeCache.txt:
	cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETIUS_FUZZ=ON \
	  -DCMAKE_CXX_COMPILER=$(FUZZ_CXX)

fuzz: deps $(FUZZ_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_DIR) --target fuzzers -j $(JOBS)
	cd $(FUZZ_DIR) && FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SEED=$(FUZZ_SEED) \
	  ctest -L fuzz --output-on-failure -j $(JOBS) \
	  --timeout $$(($(FUZZ_SECONDS) + 300))

# clang-tidy (.clang-tidy) and cppcheck on src/, from the build's compile_commands.json.
lint: deps configure
	./scripts/lint.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
