#!/bin/bash
# Reverse proxies side by side, in front of the same upstreams (netius `serve hello` for small
# answers, netius `serve file` for a 1 MiB file), 1 worker/process each, access log off:
#   netius   `serve proxy --to UPSTREAM` (keep-alive pool to the upstream)
#   nginx    1 worker, `proxy_pass http://up;` with `upstream up { server ...; keepalive 64; }`,
#            proxy_http_version 1.1 and an empty Connection header (nginx's keep-alive recipe),
#            proxy_buffering on (its default)
#   haproxy  nbthread 1, mode http, http-reuse always
# wrk -t1 -c50 (and -c4 for the 1 MiB row), by bench/rounds.sh's method: the proxies pinned to
# core 0, wrk and the upstreams on core 1, interleaved rounds, medians with their spread, the
# proxy's CPU per request; "ratio" and "cpu" are netius against nginx. Any socket error or
# non-2xx answer fails the script. Starts with the
# proxies' memory per idle client connection (bench/http_idle.py, 3000 held: haproxy maxconn),
# served one by one, then all at once.
#   [PIN=0] bench/proxy.sh [SECONDS per run, default 10] [ROUNDS, default 5, at least 3]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
ROUNDS=${2:-5}
[ "$ROUNDS" -ge 3 ] || { echo "bench: at least 3 rounds" >&2; exit 2; }
. bench/lib.sh nginx haproxy wrk curl taskset
. bench/rounds.sh
pin_cores

cp "$NETIUS" "$work/netius"
mkdir "$work/www"
head -c 1048576 /dev/urandom > "$work/www/1m.bin"
chmod -R a+rX "$work"

# The upstreams, on the client core.
SAVED=("${ON_SERVER_CPU[@]}"); ON_SERVER_CPU=("${ON_CLIENT_CPU[@]}")
netius_server UP_HELLO hello
netius_server UP_FILE file --base-path "$work/www"
ON_SERVER_CPU=("${SAVED[@]}")
wait_port "$UP_HELLO_PORT"; wait_port "$UP_FILE_PORT" 1m.bin

# Each proxy sends Host files.test to the file upstream, any other host to the hello one.
# The idle row holds 3,000 requests at once: more than the default wait queue (1,024) behind
# --upstream-max-conns (256) would take, where nginx and haproxy simply open more connections.
# Idle upstream connections kept: 64, as nginx's `keepalive 64` below (the default, 32, would
# close and reopen some of the 50 that -c50 keeps busy).
netius_server NETIUS proxy --to "http://127.0.0.1:$UP_HELLO_PORT" \
  --route "files.test=http://127.0.0.1:$UP_FILE_PORT" --upstream-queue 4096 \
  --upstream-keepalive 64

NGINX_PORT=$(free_port)
nginx_conf <<SERVER
  upstream hello { server 127.0.0.1:$UP_HELLO_PORT; keepalive 64; }
  upstream files { server 127.0.0.1:$UP_FILE_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location / {
      if (\$host = files.test) { proxy_pass http://files; }
      proxy_pass http://hello;
    }
  }
SERVER
"${ON_SERVER_CPU[@]}" /usr/sbin/nginx -c "$work/nginx.conf" -p "$work" \
  >"$work/nginx.log" 2>&1 & pids+=($!)
NGINX_PID=$!

HAPROXY_PORT=$(free_port)
cat > "$work/haproxy.cfg" <<CFG
global
  nbthread 1
  maxconn 4000
defaults
  mode http
  timeout connect 10s
  timeout client 60s
  timeout server 60s
  http-reuse always
frontend front
  bind 127.0.0.1:$HAPROXY_PORT
  use_backend files if { hdr(host) -i files.test }
  default_backend hello
backend hello
  server h 127.0.0.1:$UP_HELLO_PORT
backend files
  server f 127.0.0.1:$UP_FILE_PORT
CFG
"${ON_SERVER_CPU[@]}" /usr/sbin/haproxy -f "$work/haproxy.cfg" -db \
  >"$work/haproxy.log" 2>&1 & pids+=($!)
HAPROXY_PID=$!
wait_port "$NETIUS_PORT"; wait_port "$NGINX_PORT"; wait_port "$HAPROXY_PORT"

SERVERS=(NGINX HAPROXY NETIUS)
ROWS=(
  "small -c50|/|50|1.2x|req|-H Host:\ hello.test"
  "1 MiB -c50|/1m.bin|50|1.0x|req|-H Host:\ files.test"
  "1 MiB -c4|/1m.bin|4|1.0x|req|-H Host:\ files.test"
)

# Every proxy answers every row with the upstream's bytes.
for row in "${ROWS[@]}"; do
  IFS='|' read -r _ path _ _ _ args <<<"$row"
  host=${args##* }  # "-H Host:\ NAME"
  if [ "$host" = files.test ]; then up=$UP_FILE_PORT; else up=$UP_HELLO_PORT; fi
  curl -s --max-time 5 -o "$work/want" "http://127.0.0.1:$up$path"
  for s in "${SERVERS[@]}"; do
    port_var="${s}_PORT"
    curl -s --max-time 5 -H "Host: $host" -o "$work/got" "http://127.0.0.1:${!port_var}$path"
    cmp -s "$work/got" "$work/want" ||
      { echo "bench: $s: GET $host$path differs from the upstream's answer" >&2; exit 1; }
  done
done

# Memory first, while the processes have served little else: the serving process's (nginx's
# and netius' worker, haproxy's one process). Each connection answered before the next opens
# (the cost of an idle connection), then 3,000 requests at once (what that peak leaves in RSS
# beyond the first table's growth).
IDLE=("nginx:$NGINX_PORT:$(pgrep -P "$NGINX_PID")" "haproxy:$HAPROXY_PORT:$HAPROXY_PID"
  "netius:$NETIUS_PORT:$(worker_of "$NETIUS_PID")")
/usr/bin/python3 bench/http_idle.py --one-by-one 3000 "${IDLE[@]}"
/usr/bin/python3 bench/http_idle.py 3000 "${IDLE[@]}"

run_rounds "$DURATION" "$ROUNDS"
