#!/bin/bash
# `netius serve relay` end to end vs `netius serve smtp` alone: MESSAGES messages of SIZE bytes
# over SESSIONS parallel sessions (bench/smtp_load.py) into the relay, which queues each one
# (message + envelope fsynced before the 250) and delivers it through MX lookup (dnsmasq) to a
# sink MX (`netius serve smtp` on another port). Rows: serve smtp storing in a Maildir; the
# relay's acceptance rate; the relay end to end (until the last message is in the sink's
# Maildir); the same with the queue on tmpfs, whose difference is the cost of the queue's fsyncs.
# Each row is the median of ROUNDS rounds, and every round measures all rows one after the
# other, so that a burst of load from something else hits one round, not one row.
#   bench/relay.sh [MESSAGES=1000] [SESSIONS=20] [SIZE=10240] [ROUNDS=3]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${1:-1000}
SESSIONS=${2:-20}
SIZE=${3:-10240}
ROUNDS=${4:-3}
PY=/usr/bin/python3
. bench/lib.sh dnsmasq
wait_smtp() { for _ in $(seq 100); do $PY -c "import socket; socket.create_connection(('127.0.0.1', $1), 1).close()" \
                2>/dev/null && return 0; sleep 0.1; done; echo "bench: nothing answers on port $1" >&2; exit 1; }
count() { find "$1" -path '*/new/*' -type f 2>/dev/null | wc -l; }
now() { date +%s.%N; }

SINK_PORT=$(free_port)
"$NETIUS" serve smtp --port "$SINK_PORT" --maildir "$work/sink" --log-level WARNING & pids+=($!)
DIRECT_PORT=$(free_port)
"$NETIUS" serve smtp --port "$DIRECT_PORT" --maildir "$work/direct" --log-level WARNING & pids+=($!)
DNS_PORT=$($PY -c 'import socket; s=socket.socket(type=socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$(command -v dnsmasq || echo /usr/sbin/dnsmasq)" --keep-in-foreground --no-resolv --no-hosts \
  --conf-file=/dev/null --listen-address=127.0.0.1 --bind-interfaces --port="$DNS_PORT" \
  --user=root --pid-file= --log-facility=- --local=/#/ --host-record=mx.sink.test,127.0.0.1 \
  --mx-host=example.com,mx.sink.test,10 2>/dev/null & pids+=($!)
wait_smtp "$SINK_PORT"; wait_smtp "$DIRECT_PORT"

# relay QUEUE_DIR -> starts a relay, sets RELAY_PORT.
relay() {
  RELAY_PORT=$(free_port)
  "$NETIUS" serve relay --port "$RELAY_PORT" --maildir "$work/local" --queue-dir "$1" \
    --domain example.org --relay-networks 127.0.0.1 --mx-port "$SINK_PORT" \
    --nameserver "127.0.0.1:$DNS_PORT" --log-level WARNING & pids+=($!)
  wait_smtp "$RELAY_PORT"
}
# end_to_end QUEUE_DIR -> sets ACCEPTED and DELIVERED (messages/s) for MESSAGES through a
# fresh relay. Runs in this shell, not a subshell: its processes go into `pids`.
end_to_end() {
  local base; base=$(count "$work/sink")
  relay "$1"
  local start; start=$(now)
  local out; out=$($PY bench/smtp_load.py "$RELAY_PORT" "$MESSAGES" "$SESSIONS" "$SIZE")
  for _ in $(seq 6000); do [ $(($(count "$work/sink") - base)) -ge "$MESSAGES" ] && break; sleep 0.05; done
  local got; got=$(($(count "$work/sink") - base))
  [ "$got" -ge "$MESSAGES" ] || { echo "bench: only $got of $MESSAGES delivered" >&2; exit 1; }
  ACCEPTED=${out%% *}
  DELIVERED=$(awk -v s="$start" -v e="$(now)" -v n="$MESSAGES" 'BEGIN {printf "%.1f", n / (e - s)}')
  kill "${pids[-1]}"
}

tmpfs_dir=$(mktemp -d /dev/shm/netius-relay-bench.XXXXXX)
trap 'rm -rf "$tmpfs_dir"; cleanup' EXIT
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
all_direct=() all_accepted=() all_disk=() all_shm=() rounds=()
for round in $(seq "$ROUNDS"); do
  out=$($PY bench/smtp_load.py "$DIRECT_PORT" "$MESSAGES" "$SESSIONS" "$SIZE"); all_direct+=("${out%% *}")
  end_to_end "$work/queue$round"; all_accepted+=("$ACCEPTED"); all_disk+=("$DELIVERED")
  end_to_end "$tmpfs_dir/queue$round"; all_shm+=("$DELIVERED")
  rounds+=("$(ratio "${all_disk[-1]}" "${all_direct[-1]}")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
direct=$(median "${all_direct[@]}") accepted=$(median "${all_accepted[@]}")
disk=$(median "${all_disk[@]}") shm=$(median "${all_shm[@]}")

printf '%-40s %10s %14s %7s\n' "$MESSAGES x $SIZE B, $SESSIONS sessions" "m/s" "vs serve smtp" target
printf 'median of %s rounds; end to end (queue fsync'"'"'d) vs serve smtp by round: %s\n' \
  "$ROUNDS" "${rounds[*]}"
printf '%-40s %10.0f %14s %7s\n' "serve smtp (fsync'd Maildir)" "$direct" "1.00x" ""
printf '%-40s %10.0f %14s %7s\n' "relay: accepted into the queue" "$accepted" "$(ratio "$accepted" "$direct")" ""
printf '%-40s %10.0f %14s %7s\n' "relay: end to end (queue fsync'd)" "$disk" "$(ratio "$disk" "$direct")" "0.50x"
printf '%-40s %10.0f %14s %7s\n' "relay: end to end (queue on tmpfs)" "$shm" "$(ratio "$shm" "$direct")" ""
printf 'fsync cost of the queue: %s of end-to-end throughput\n' \
  "$(awk -v d="$disk" -v s="$shm" 'BEGIN {printf "%.0f%%", (s > 0 ? (1 - d / s) * 100 : 0)}')"
