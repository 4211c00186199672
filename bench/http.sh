#!/bin/bash
# `netius serve hello` vs nginx (1 worker each, same body, access log off), wrk -t1 -c50 on
# loopback: keep-alive, pipelined (depth 16) and Connection: close, by bench/rounds.sh's method
# (servers pinned to core 0, wrk to core 1, interleaved rounds, medians and spread, server CPU
# per request), with netius --no-io-uring beside it; then the RSS growth of each server
# holding 10,000 idle keep-alive connections.
# wrk saturates its own core before either server does at keep-alive, so "cpu" (nginx's us per
# request over ours) is the figure the targets are judged by there.
#   [PIN=0] bench/http.sh [SECONDS per run, default 10] [ROUNDS, default 5]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
ROUNDS=${2:-5}
. bench/lib.sh nginx wrk curl
. bench/rounds.sh
ulimit -n "$(ulimit -Hn)"  # 10,000 idle connections need the fds
pin_cores

NGINX_PORT=$(free_port)
nginx_conf <<SERVER
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { default_type "text/plain; charset=utf-8"; return 200 "Hello World"; }
  }
SERVER
"${ON_SERVER_CPU[@]}" /usr/sbin/nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)
cp "$NETIUS" "$work/netius"
netius_server NETIUS hello
netius_server EPOLL hello --no-io-uring  # the same, each system call alone
wait_port "$NGINX_PORT"; wait_port "$NETIUS_PORT"; wait_port "$EPOLL_PORT"
NETIUS_PID=$(worker_of "$NETIUS_PID")  # the master only supervises
EPOLL_PID=$(worker_of "$EPOLL_PID")
NGINX_PID=$(pgrep -P "$(cat "$work/nginx.pid")" || cat "$work/nginx.pid")

cat > "$work/pipeline.lua" <<'LUA'
init = function(args)
  local r = {}
  for i = 1, 16 do r[i] = wrk.format(nil, "/") end
  req = table.concat(r)
end
request = function() return req end
LUA

SERVERS=(NGINX EPOLL NETIUS)  # ratios: nginx against the last (netius, io_uring on)
ROWS=(
  "keep-alive|/|50|1.2x cpu|req|"
  "pipelined|/|50|2.0x|req|-s $work/pipeline.lua"
  "close|/|50|1.0x cpu|req|-H Connection:\ close"
)
run_rounds "$DURATION" "$ROUNDS"

/usr/bin/python3 bench/http_idle.py 10000 "nginx:$NGINX_PORT:$NGINX_PID" "netius:$NETIUS_PORT:$NETIUS_PID"
