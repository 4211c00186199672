#!/bin/sh
# DKIM sign/verify: netius vs dkimpy (Debian python3-dkim), same messages, same key, one run.
# Prints per-message medians (whole process: start, read, sign/verify, write) and the ratio.
# Both verifiers fetch the key over DNS from the same local dnsmasq.
# Then the start-up table (bench/startup_bench.py): `perf stat -r` of `netius --version`,
# `auth verify` and `dkim sign` of one SIZE message against `openssl version`, of `openssl dgst
# -sign` (the same signature by OpenSSL's own tool), and of dkimpy's
# dkim.sign in a fresh python3; ROUNDS rounds, each timing every row in turn.
#   bench/crypto.sh [COUNT] [SIZE_BYTES] [ROUNDS]   (default 1000 messages of 10 KB; 5 rounds)
#   COUNT=0 prints the start-up table alone.
# Needs a build (make build). Machines are shared and noisy: read the ratio, not the times.
set -eu
cd "$(dirname "$0")/.."
COUNT=${1:-1000}
SIZE=${2:-10240}
ROUNDS=${3:-5}
NETIUS=${NETIUS_BIN:-build/netius}
[ -x "$NETIUS" ] || { echo "bench: $NETIUS not built; run make build" >&2; exit 1; }
if [ "$COUNT" -gt 0 ]; then
  /usr/bin/python3 bench/crypto_bench.py "$NETIUS" "$COUNT" "$SIZE"
  echo
fi
exec /usr/bin/python3 bench/startup_bench.py "$NETIUS" "$SIZE" "$ROUNDS"
