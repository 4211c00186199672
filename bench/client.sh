#!/bin/bash
# `netius http get` vs curl against one nginx (1 worker, access log off) on loopback:
#   - a 1 GiB download to a file (curl -o vs netius http get -o);
#   - 500 small files from one origin, all URLs on one command line (curl reuses one
#     connection in turn; netius fetches concurrently, 6 connections by default, and also
#     with --max-connections 1 for a like-for-like row).
# Each case runs RUNS times (default 3) per client, alternating; the best wall time and the
# CPU (user+system) of that run are kept. Prints a ratio table: "wall" and "cpu" are netius
# over curl (lower is better; target <= 1.00).
#   bench/client.sh [RUNS]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
. bench/lib.sh curl nginx
chmod 755 "$work"

mkdir -p "$work/www/small" "$work/out"
head -c $((1 << 30)) /dev/urandom > "$work/www/big.bin"
for i in $(seq 1 500); do printf 'small file %d\n%0200d\n' "$i" 0 > "$work/www/small/$i.txt"; done

PORT=$(free_port)
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
user root root;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work;
  uwsgi_temp_path $work; scgi_temp_path $work;
  server { listen 127.0.0.1:$PORT; root $work/www; }
}
CONF
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf" & pids+=($!)
wait_port "$PORT" small/1.txt
BASE="http://127.0.0.1:$PORT"
SMALL=()
for i in $(seq 1 500); do SMALL+=("$BASE/small/$i.txt"); done

# measure CMD... -> "wall cpu" in seconds (bash's time: real, user + sys of the children).
measure() {
  local TIMEFORMAT='%R %U %S'
  local t
  t=$( { time "$@" >/dev/null 2>"$work/err" ; } 2>&1 ) || { echo "bench: failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' <<<"$t"
}

# best CMD... over RUNS -> "wall cpu" of the fastest run.
declare -A BEST
run_case() {
  local name=$1; shift
  local best="" line
  for _ in $(seq "$RUNS"); do
    line=$(measure "$@")
    if [ -z "$best" ] || awk -v a="$line" -v b="$best" 'BEGIN {split(a,x," "); split(b,y," "); exit !(x[1] < y[1])}'; then
      best=$line
    fi
  done
  BEST[$name]=$best
}

for _ in 1; do
  run_case curl_big curl -s -o "$work/out/curl.bin" "$BASE/big.bin"
  run_case netius_big "$NETIUS" http get -s -o "$work/out/netius.bin" "$BASE/big.bin"
  cmp -s "$work/out/curl.bin" "$work/out/netius.bin" || { echo "bench: downloads differ" >&2; exit 1; }
  run_case curl_small curl -s "${SMALL[@]}"
  run_case netius_small "$NETIUS" http get "${SMALL[@]}"
  run_case netius_small1 "$NETIUS" http get --max-connections 1 "${SMALL[@]}"
done
[ "$(curl -s "${SMALL[@]}" | sha256sum)" = "$("$NETIUS" http get "${SMALL[@]}" | sha256sum)" ] ||
  { echo "bench: small-file outputs differ" >&2; exit 1; }

printf '%-26s %9s %9s %7s %9s %9s %7s %7s\n' case "curl s" "netius s" wall "curl cpu" \
  "netius cpu" cpu target
row() {
  local label=$1 c=$2 n=$3
  read -r cw cc <<<"${BEST[$c]}"
  read -r nw nc <<<"${BEST[$n]}"
  printf '%-26s %9.3f %9.3f %6.2fx %9.3f %9.3f %6.2fx %7s\n' "$label" "$cw" "$nw" \
    "$(awk -v a="$nw" -v b="$cw" 'BEGIN {print (b > 0 ? a / b : 0)}')" "$cc" "$nc" \
    "$(awk -v a="$nc" -v b="$cc" 'BEGIN {print (b > 0 ? a / b : 0)}')" "<=1.00"
}
row "1 GiB to a file" curl_big netius_big
row "500 small, one command" curl_small netius_small
row "500 small, 1 connection" curl_small netius_small1
