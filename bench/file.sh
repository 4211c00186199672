#!/bin/bash
# `netius serve file` vs nginx (1 worker each, sendfile on, access log off) serving the same
# tree on loopback: wrk -t1 -c50 on a 4 KiB file (requests/s) and on a 1 MiB file (MB/s), then
# 16 parallel curl downloads of a 512 MiB file (aggregate MB/s). Prints a ratio table (target
# >= 1.0x each) and fails on any socket error, non-2xx answer or short download. "us/r" is the
# server CPU (user+system) per request and "cpu" how much less netius spends: on 2 cores wrk
# competes with the servers, so it shows efficiency even when req/s is capped by the client.
#   bench/file.sh [SECONDS per wrk run, default 10]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
. bench/lib.sh nginx wrk curl

mkdir "$work/www"
head -c 4096 /dev/urandom > "$work/www/4k.bin"
head -c 1048576 /dev/urandom > "$work/www/1m.bin"
head -c 536870912 /dev/urandom > "$work/www/512m.bin"
cat "$work/www/512m.bin" > /dev/null  # both servers read it from the page cache

NGINX_PORT=$(free_port)
nginx_conf <<SERVER
  server { listen 127.0.0.1:$NGINX_PORT; root $work/www; }
SERVER
/usr/sbin/nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)
NETIUS_PORT=$(free_port)
cp "$NETIUS" "$work/netius"
"$work/netius" serve file --base-path "$work/www" --port "$NETIUS_PORT" --log-level WARNING &
pids+=($!)
NETIUS_PID=$!
wait_port "$NGINX_PORT" 4k.bin; wait_port "$NETIUS_PORT" 4k.bin
NETIUS_PID=$(worker_of "$NETIUS_PID")  # the master only supervises
NGINX_PID=$(pgrep -P "$(cat "$work/nginx.pid")" || cat "$work/nginx.pid")

# wrk_run PORT PID FILE -> "requests/s MB/s server-CPU-us-per-request"; fails on socket
# errors or non-2xx answers.
wrk_run() {
  local before; before=$(cpu_ticks "$2")
  local out; out=$(wrk -t1 -c50 -d"${DURATION}s" "http://127.0.0.1:$1/$3")
  local after; after=$(cpu_ticks "$2")
  if grep -qE "Socket errors|Non-2xx" <<<"$out"; then echo "bench: errors: $out" >&2; exit 1; fi
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  local tr; tr=$(awk '/Transfer\/sec/ {v=$2; u=substr(v, length(v)-1); v=v+0;
                  if (u=="GB") v*=1024; else if (u=="KB") v/=1024; print v}' <<<"$out")
  local n; n=$(awk '/requests in/ {print $1}' <<<"$out")
  awk -v r="$rps" -v m="$tr" -v t=$((after - before)) -v n="$n" -v us="$TICK_US" \
    'BEGIN {printf "%s %s %.2f\n", r, m, t * us / n}'
}

# downloads PORT -> aggregate MB/s of 16 parallel downloads of the 512 MiB file.
downloads() {
  local start end n=16 size=536870912 dl=()
  start=$(date +%s.%N)
  for i in $(seq $n); do
    curl -s -o /dev/null -w '%{http_code} %{size_download}\n' \
      "http://127.0.0.1:$1/512m.bin" > "$work/dl.$i" & dl+=($!)
  done
  wait "${dl[@]}" || true  # each result is checked below
  end=$(date +%s.%N)
  for i in $(seq $n); do
    read -r code got < "$work/dl.$i"
    [ "$code" = 200 ] && [ "$got" = "$size" ] ||
      { echo "bench: download $i from port $1: HTTP $code, $got bytes" >&2; exit 1; }
  done
  awk -v s="$start" -v e="$end" -v b=$((n * size)) 'BEGIN {printf "%.0f\n", b / 1048576 / (e - s)}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }

printf '%-26s %10s %10s %7s %7s %10s %10s %6s\n' "" nginx netius ratio target \
  "nginx us/r" "netius us/r" cpu
row() {  # label nginx netius [nginx-us netius-us]
  printf '%-26s %10.0f %10.0f %6sx %6sx' "$1" "$2" "$3" "$(ratio "$3" "$2")" 1.0
  if [ $# -gt 3 ]; then printf ' %10.2f %10.2f %5sx' "$4" "$5" "$(ratio "$4" "$5")"; fi
  echo
}
read -r n_rps _ n_us < <(wrk_run "$NGINX_PORT" "$NGINX_PID" 4k.bin)
read -r m_rps _ m_us < <(wrk_run "$NETIUS_PORT" "$NETIUS_PID" 4k.bin)
row "4 KiB, wrk -c50 (req/s)" "$n_rps" "$m_rps" "$n_us" "$m_us"
read -r _ n_tr n_us < <(wrk_run "$NGINX_PORT" "$NGINX_PID" 1m.bin)
read -r _ m_tr m_us < <(wrk_run "$NETIUS_PORT" "$NETIUS_PID" 1m.bin)
row "1 MiB, wrk -c50 (MB/s)" "$n_tr" "$m_tr" "$n_us" "$m_us"
n_dl=$(downloads "$NGINX_PORT")
m_dl=$(downloads "$NETIUS_PORT")
row "512 MiB x16 curl (MB/s)" "$n_dl" "$m_dl"
