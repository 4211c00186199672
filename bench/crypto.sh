#!/bin/sh
# DKIM sign/verify: netius vs dkimpy (Debian python3-dkim), same messages, same key, one run.
# Prints per-message medians (whole process: start, read, sign/verify, write) and the ratio.
# Both verifiers fetch the key over DNS from the same local dnsmasq.
#   bench/crypto.sh [COUNT] [SIZE_BYTES]      (default 1000 messages of 10 KB)
# Needs a build (make build). Machines are shared and noisy: read the ratio, not the times.
set -eu
cd "$(dirname "$0")/.."
COUNT=${1:-1000}
SIZE=${2:-10240}
NETIUS=${NETIUS_BIN:-build/netius}
[ -x "$NETIUS" ] || { echo "bench: $NETIUS not built; run make build" >&2; exit 1; }
exec /usr/bin/python3 bench/crypto_bench.py "$NETIUS" "$COUNT" "$SIZE"
