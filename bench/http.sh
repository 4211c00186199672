#!/bin/bash
# `netius serve hello` vs nginx (1 worker each, same body, access log off), wrk with one thread
# on loopback: keep-alive (50 connections), pipelined (depth 16), Connection: close; then the
# RSS growth of each server holding 10,000 idle keep-alive connections. Prints a ratio table;
# "us/r" is the server CPU (user+system) per request, "cpu" how much less netius spends.
#   bench/http.sh [SECONDS per run, default 10]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
. bench/lib.sh nginx wrk curl
ulimit -n "$(ulimit -Hn)"  # 10,000 idle connections need the fds

NGINX_PORT=$(free_port)
nginx_conf <<SERVER
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { default_type "text/plain; charset=utf-8"; return 200 "Hello World"; }
  }
SERVER
/usr/sbin/nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)
NETIUS_PORT=$(free_port)
cp "$NETIUS" "$work/netius"
"$work/netius" serve hello --port "$NETIUS_PORT" --log-level WARNING & pids+=($!)
NETIUS_PID=$!
wait_port "$NGINX_PORT"; wait_port "$NETIUS_PORT"
NETIUS_PID=$(worker_of "$NETIUS_PID")  # the master only supervises
NGINX_PID=$(pgrep -P "$(cat "$work/nginx.pid")" || cat "$work/nginx.pid")

cat > "$work/pipeline.lua" <<'LUA'
init = function(args)
  local r = {}
  for i = 1, 16 do r[i] = wrk.format(nil, "/") end
  req = table.concat(r)
end
request = function() return req end
LUA

# rps PORT PID [wrk args...] -> "requests/s server-CPU-us-per-request"; fails on socket errors
# or non-2xx answers. On a 2-core machine wrk itself may be the bottleneck: the CPU each server
# spends per request shows its efficiency even when req/s is capped by the client.
rps() {
  local port=$1 pid=$2; shift 2
  local before; before=$(cpu_ticks "$pid")
  local out; out=$(wrk -t1 -c50 -d"${DURATION}s" "$@" "http://127.0.0.1:$port/")
  local after; after=$(cpu_ticks "$pid")
  if grep -qE "Socket errors|Non-2xx" <<<"$out"; then echo "bench: errors: $out" >&2; exit 1; fi
  local requests; requests=$(awk '/requests in/ {print $1}' <<<"$out")
  awk -v r="$(awk '/Requests\/sec/ {print $2}' <<<"$out")" -v t=$((after - before)) \
      -v n="$requests" -v us="$TICK_US" 'BEGIN {printf "%s %.2f\n", r, t * us / n}'
}

printf '%-14s %12s %12s %7s %7s %11s %11s %7s\n' "wrk -t1 -c50" "nginx req/s" "netius req/s" \
  ratio target "nginx us/r" "netius us/r" "cpu"
for mode in keep-alive pipelined close; do
  case $mode in
    keep-alive) args=(); target=1.2 ;;
    pipelined) args=(-s "$work/pipeline.lua"); target=2.0 ;;
    close) args=(-H "Connection: close"); target=1.0 ;;
  esac
  read -r n ncpu < <(rps "$NGINX_PORT" "$NGINX_PID" "${args[@]}")
  read -r m mcpu < <(rps "$NETIUS_PORT" "$NETIUS_PID" "${args[@]}")
  printf '%-14s %12.0f %12.0f %6.2fx %6.1fx %11.2f %11.2f %6.2fx\n' "$mode" "$n" "$m" \
    "$(awk -v a="$m" -v b="$n" 'BEGIN {print a / b}')" "$target" "$ncpu" "$mcpu" \
    "$(awk -v a="$ncpu" -v b="$mcpu" 'BEGIN {print (b > 0 ? a / b : 0)}')"
done

/usr/bin/python3 bench/http_idle.py 10000 "nginx:$NGINX_PORT:$NGINX_PID" "netius:$NETIUS_PORT:$NETIUS_PID"
