#!/bin/bash
# `netius serve smtp` vs aiosmtpd (Debian's python3-aiosmtpd), both storing every message in a
# Maildir with the same durability (file fsynced, renamed into new/, new/ fsynced before the
# 250): MESSAGES messages of SIZE bytes over SESSIONS parallel sessions from one small asyncio
# client (bench/smtp_load.py). Prints messages/s, the ratio, and each server's CPU per message.
#   bench/smtp.sh [MESSAGES=2000] [SESSIONS=20] [SIZE=10240]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${1:-2000}
SESSIONS=${2:-20}
SIZE=${3:-10240}
. bench/lib.sh  # NETIUS, work, pids and their cleanup, free_port, cpu_ticks, TICK_US
PY=/usr/bin/python3  # Debian's: python3-aiosmtpd is a Debian package
$PY -c 'import aiosmtpd' 2>/dev/null || { echo "bench: python3-aiosmtpd missing; run make deps" >&2; exit 1; }
# wait_port PORT: returns once something accepts on 127.0.0.1:PORT (SMTP: no HTTP probe).
wait_port() { for _ in $(seq 100); do $PY -c "import socket; socket.create_connection(('127.0.0.1', $1), 1).close()" \
                2>/dev/null && return 0; sleep 0.1; done; echo "bench: nothing answers on port $1" >&2; exit 1; }
count() { find "$1" -path '*/new/*' -type f | wc -l; }

AIO_PORT=$(free_port)
$PY bench/smtp_aiosmtpd.py "$AIO_PORT" "$work/aiosmtpd" > /dev/null 2>&1 & pids+=($!)
AIO_PID=$!
NETIUS_PORT=$(free_port)
"$NETIUS" serve smtp --port "$NETIUS_PORT" --maildir "$work/netius" --log-level WARNING & pids+=($!)
NETIUS_PID=$!
wait_port "$AIO_PORT"; wait_port "$NETIUS_PORT"

# run PORT PID DIR -> "messages/s server-CPU-us-per-message"; fails unless every message is on disk.
run() {
  local before; before=$(cpu_ticks "$2")
  local out; out=$($PY bench/smtp_load.py "$1" "$MESSAGES" "$SESSIONS" "$SIZE")
  local after; after=$(cpu_ticks "$2")
  local stored; stored=$(count "$3")
  [ "$stored" -ge "$MESSAGES" ] || { echo "bench: only $stored of $MESSAGES messages in $3" >&2; exit 1; }
  awk -v r="${out%% *}" -v t=$((after - before)) -v n="$MESSAGES" -v us="$TICK_US" \
      'BEGIN {printf "%s %.0f\n", r, t * us / n}'
}

read -r a acpu < <(run "$AIO_PORT" "$AIO_PID" "$work/aiosmtpd")
read -r m mcpu < <(run "$NETIUS_PORT" "$NETIUS_PID" "$work/netius")
printf '%-26s %12s %12s %7s %7s %11s %11s %7s\n' "$MESSAGES x $SIZE B, $SESSIONS sessions" \
  "aiosmtpd m/s" "netius m/s" ratio target "aio us/m" "netius us/m" cpu
printf '%-26s %12.0f %12.0f %6.2fx %6.1fx %11.0f %11.0f %6.2fx\n' "fsync'd Maildir" "$a" "$m" \
  "$(awk -v a="$m" -v b="$a" 'BEGIN {print a / b}')" 5.0 "$acpu" "$mcpu" \
  "$(awk -v a="$acpu" -v b="$mcpu" 'BEGIN {print (b > 0 ? a / b : 0)}')"
