#!/bin/sh
# Runs one libFuzzer target from tests/fuzz for FUZZ_SECONDS (default 60), with the random
# seed FUZZ_SEED when set (CI sets it: the same mutations on every run):
#   tests/fuzz/run.sh build-fuzz/tests/fuzz/NAME_fuzz
# Seeds: tests/fuzz/corpus/NAME/ (read only: new inputs go to the build tree's corpus/NAME/).
# With FUZZ_SEED the new inputs go to a fresh directory instead, removed afterwards, so a run
# here starts from what CI's clean clone starts from and makes the same mutations.
# Dictionary: tests/fuzz/NAME.dict when present. A crash, leak, timeout (10 s per input) or
# out-of-memory (2 GiB) exits non-zero and leaves the input in artifacts/ beside the binary.
set -eu
binary=$1
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$binary" _fuzz)
out=$(dirname "$binary")
seconds=${FUZZ_SECONDS:-60}
mkdir -p "$out/corpus/$name" "$out/artifacts"
set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$out/artifacts/$name-"
[ -f "$here/$name.dict" ] && set -- "$@" -dict="$here/$name.dict"
[ -n "${FUZZ_SEED:-}" ] && set -- "$@" -seed="$FUZZ_SEED"
# The first directory receives new inputs; the seeds are replayed first (regressions).
if [ -z "${FUZZ_SEED:-}" ]; then
  exec "$binary" "$@" "$out/corpus/$name" "$here/corpus/$name"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$binary" "$@" "$work" "$here/corpus/$name"
