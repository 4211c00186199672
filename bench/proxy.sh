#!/bin/bash
# Reverse proxies side by side, in front of the same upstreams (netius `serve hello` for small
# answers, netius `serve file` for a 1 MiB file), 1 worker/process each, access log off:
#   netius   `serve proxy --to UPSTREAM` (keep-alive pool to the upstream)
#   nginx    1 worker, `proxy_pass http://up;` with `upstream up { server ...; keepalive 64; }`,
#            proxy_http_version 1.1 and an empty Connection header (nginx's keep-alive recipe),
#            proxy_buffering on (its default)
#   haproxy  nbthread 1, mode http, http-reuse always
# wrk -t1 -c50 (and -c4 for the 1 MiB row). The proxies are pinned to core 0; wrk and the
# upstreams share core 1 (PIN=0 lets the scheduler place them). After a warm-up, each of ROUNDS
# rounds measures every row on nginx, haproxy then netius. Prints per row the median req/s (with
# its min-max spread) and the proxy's median CPU per request (user+system of its process tree,
# in us); "ratio" is netius/nginx req/s and "cpu" nginx us/r / netius us/r (above 1: netius
# spends less per request). Any socket error or non-2xx answer fails the script. Ends with the
# proxies' memory per idle client connection (bench/http_idle.py, 3000 held: haproxy maxconn).
#   [PIN=0] bench/proxy.sh [SECONDS per run, default 10] [ROUNDS, default 5, at least 3]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
ROUNDS=${2:-5}
[ "$ROUNDS" -ge 3 ] || { echo "bench: at least 3 rounds" >&2; exit 2; }
. bench/lib.sh nginx haproxy wrk curl taskset
if [ "${PIN:-1}" = 0 ]; then
  ON_SERVER_CPU=(); ON_CLIENT_CPU=(); PLACEMENT="unpinned"
else
  ON_SERVER_CPU=(taskset -c 0); ON_CLIENT_CPU=(taskset -c 1)
  PLACEMENT="proxies on core 0, wrk and upstreams on core 1"
fi

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
netius_server NETIUS proxy --to "http://127.0.0.1:$UP_HELLO_PORT" \
  --route "files.test=http://127.0.0.1:$UP_FILE_PORT"

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

# Rows: NAME|PATH|HOST|WRK-CONNECTIONS|TARGET (against nginx).
ROWS=(
  "small -c50|/|hello.test|50|1.2x"
  "1 MiB -c50|/1m.bin|files.test|50|1.0x"
  "1 MiB -c4|/1m.bin|files.test|4|1.0x"
)
port_of() { local v="${1}_PORT"; echo "${!v}"; }
pid_of() { local v="${1}_PID"; echo "${!v}"; }

# Every proxy answers every row with the upstream's bytes.
for row in "${ROWS[@]}"; do
  IFS='|' read -r _ path host _ _ <<<"$row"
  curl -s --max-time 5 -H "Host: $host" -o "$work/want" "http://127.0.0.1:$UP_FILE_PORT$path" ||
    true
  [ "$host" = files.test ] || curl -s --max-time 5 -o "$work/want" \
    "http://127.0.0.1:$UP_HELLO_PORT$path"
  for s in NGINX HAPROXY NETIUS; do
    curl -s --max-time 5 -H "Host: $host" -o "$work/got" "http://127.0.0.1:$(port_of $s)$path"
    cmp -s "$work/got" "$work/want" ||
      { echo "bench: $s: GET $host$path differs from the upstream's answer" >&2; exit 1; }
  done
done

# measure SERVER ROW-INDEX SECONDS -> appends "requests/s proxy-CPU-us-per-request" to the
# row's file for SERVER; fails on socket errors or non-2xx answers.
measure() {
  local name=$1 i=$2 secs=$3 path host conns
  IFS='|' read -r _ path host conns _ <<<"${ROWS[$i]}"
  local pid; pid=$(pid_of "$name")
  local before; before=$(cpu_ticks "$pid")
  local out; out=$("${ON_CLIENT_CPU[@]}" timeout -k 5 $((secs + 30)) wrk -t1 -c"$conns" \
    -d"${secs}s" -H "Host: $host" "http://127.0.0.1:$(port_of "$name")$path")
  local after; after=$(cpu_ticks "$pid")
  if grep -qE "Socket errors|Non-2xx" <<<"$out"; then
    echo "bench: $name: errors: $out" >&2; exit 1
  fi
  local n; n=$(awk '/requests in/ {print $1}' <<<"$out")
  awk -v r="$(awk '/Requests\/sec/ {print $2}' <<<"$out")" -v t=$((after - before)) -v n="$n" \
      -v us="$TICK_US" 'BEGIN {printf "%s %.2f\n", r, t * us / n}' >>"$work/row$i.$name"
}

for i in "${!ROWS[@]}"; do
  for s in NGINX HAPROXY NETIUS; do measure "$s" "$i" 1; rm -f "$work/row$i.$s"; done
done
for _ in $(seq "$ROUNDS"); do
  for i in "${!ROWS[@]}"; do for s in NGINX HAPROXY NETIUS; do measure "$s" "$i" "$DURATION"; done; done
done

echo "bench/proxy.sh: ${DURATION}s x $ROUNDS rounds, $PLACEMENT"
printf '%-12s %16s %16s %16s %7s %6s %9s %9s %9s %6s\n' "wrk -t1" "nginx req/s" "haproxy req/s" \
  "netius req/s" ratio target "nginx us" "hapr. us" "netius us" cpu
for i in "${!ROWS[@]}"; do
  IFS='|' read -r name _ _ _ target <<<"${ROWS[$i]}"
  n=$(median "$work/row$i.NGINX" 1); h=$(median "$work/row$i.HAPROXY" 1)
  m=$(median "$work/row$i.NETIUS" 1)
  nc=$(median "$work/row$i.NGINX" 2); hc=$(median "$work/row$i.HAPROXY" 2)
  mc=$(median "$work/row$i.NETIUS" 2)
  printf '%-12s %7.0f %8s %7.0f %8s %7.0f %8s %6.2fx %6s %9.1f %9.1f %9.1f %5.2fx\n' "$name" \
    "$n" "($(spread "$work/row$i.NGINX" 1))" "$h" "($(spread "$work/row$i.HAPROXY" 1))" \
    "$m" "($(spread "$work/row$i.NETIUS" 1))" "$(awk -v a="$m" -v b="$n" 'BEGIN {print a / b}')" \
    "$target" "$nc" "$hc" "$mc" "$(awk -v a="$nc" -v b="$mc" 'BEGIN {print (b > 0 ? a / b : 0)}')"
done

# Memory is the serving process's: nginx's and netius' worker, haproxy's one process.
/usr/bin/python3 bench/http_idle.py 3000 "nginx:$NGINX_PORT:$(pgrep -P "$NGINX_PID")" \
  "haproxy:$HAPROXY_PORT:$HAPROXY_PID" "netius:$NETIUS_PORT:$(worker_of "$NETIUS_PID")"
