#!/bin/sh
# `make lint`: clang-tidy (checks in .clang-tidy) and cppcheck over src/, both reading the
# compile flags from BUILD_DIR/compile_commands.json (CMake writes it at configure time).
#   scripts/lint.sh [BUILD_DIR]      exit 0 when both are clean
# Not part of `make test`: a full run takes minutes (docs/reliability.md).
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
db=$build/compile_commands.json
[ -f "$db" ] || { echo "netius: lint: $db missing; run make configure" >&2; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)
status=0

echo "lint: clang-tidy" >&2
files=$(find src -name '*.cpp' | sort)
# run-clang-tidy prints every diagnostic and exits non-zero when any is an error
# (WarningsAsErrors in .clang-tidy).
run-clang-tidy-14 -quiet -p "$build" -j "$jobs" $files >"$build/clang-tidy.log" 2>&1 || status=1
sed 's/\x1b\[[0-9;]*m//g' "$build/clang-tidy.log" | grep -E '^/.*(warning|error):' | sort -u || true

echo "lint: cppcheck" >&2
mkdir -p "$build/cppcheck"
# --enable: warning, performance and portability (style is clang-format's and clang-tidy's);
# missingInclude*: system headers are not ours. Reviewed false positives, by file:
#   uninitvar in buffer.cpp: Buffer::read_fd appends the stack spill that readv() filled
#   danglingTemporaryLifetime in keys.cpp: a string_view parameter's data(), alive for the call
cppcheck --quiet --project="$db" --file-filter='src/*' -j "$jobs" \
  --cppcheck-build-dir="$build/cppcheck" --std=c++20 --enable=warning,performance,portability \
  --inline-suppr --error-exitcode=1 --suppress=missingInclude --suppress=missingIncludeSystem \
  --suppress=unmatchedSuppression --suppress=uninitvar:src/net/buffer.cpp \
  --suppress=danglingTemporaryLifetime:src/crypto/keys.cpp \
  --template='{file}:{line}: {severity}: {message} [{id}]' ||
  status=1

[ $status -eq 0 ] && echo "lint: clean" >&2 || echo "netius: lint: findings above" >&2
exit $status
