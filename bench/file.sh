#!/bin/bash
# `netius serve file` vs nginx (1 worker each, sendfile on, access log off) serving the same
# tree on loopback, by bench/rounds.sh's method (servers pinned to core 0, wrk to core 1,
# interleaved rounds, medians and spread, server CPU per request): a 4 KiB file (req/s), a
# 1 MiB file at -c50 and -c4 (MB/s), a 64 KiB range of the 1 MiB file, and the 4 KiB file over
# TLS (both with the same self-signed key); then 16 parallel curl downloads of a 512 MiB file
# (aggregate MB/s, one run). Fails on any socket error, non-2xx answer or short download.
#   [PIN=0] bench/file.sh [SECONDS per wrk run, default 10] [ROUNDS, default 5]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
ROUNDS=${2:-5}
. bench/lib.sh nginx wrk curl openssl
. bench/rounds.sh
pin_cores

mkdir "$work/www"
head -c 4096 /dev/urandom > "$work/www/4k.bin"
head -c 1048576 /dev/urandom > "$work/www/1m.bin"
head -c 536870912 /dev/urandom > "$work/www/512m.bin"
cat "$work/www/512m.bin" > /dev/null  # both servers read it from the page cache
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout "$work/key.pem" \
  -out "$work/cert.pem" 2>/dev/null
chmod -R a+rX "$work"

NGINX_PORT=$(free_port)
NGINX_TLS_PORT=$(free_port)
nginx_conf <<SERVER
  server { listen 127.0.0.1:$NGINX_PORT; root $work/www; }
  server {
    listen 127.0.0.1:$NGINX_TLS_PORT ssl; root $work/www;
    ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem;
  }
SERVER
"${ON_SERVER_CPU[@]}" /usr/sbin/nginx -c "$work/nginx.conf" -p "$work" & pids+=($!)
cp "$NETIUS" "$work/netius"
netius_server NETIUS file --base-path "$work/www"
netius_server NETIUS_TLS file --base-path "$work/www" --ssl --key-file "$work/key.pem" \
  --cer-file "$work/cert.pem"
wait_port "$NGINX_PORT" 4k.bin; wait_port "$NETIUS_PORT" 4k.bin
curl -sk --retry 50 --retry-delay 0 --retry-connrefused -o /dev/null "https://127.0.0.1:$NETIUS_TLS_PORT/4k.bin"
NETIUS_PID=$(worker_of "$NETIUS_PID")  # the master only supervises
NETIUS_TLS_PID=$(worker_of "$NETIUS_TLS_PID")
NGINX_PID=$(pgrep -P "$(cat "$work/nginx.pid")" || cat "$work/nginx.pid")

SERVERS=(NGINX NETIUS)
ROWS=(
  "4 KiB -c50|/4k.bin|50|1.0x|req|"
  "1 MiB -c50|/1m.bin|50|1.0x|MB|"
  "1 MiB -c4|/1m.bin|4|1.0x|MB|"
  "64 KiB range -c50|/1m.bin|50|1.0x|req|-H Range:\ bytes=65536-131071"
  "4 KiB TLS -c50|https:/4k.bin|50|1.0x|req|"
)
run_rounds "$DURATION" "$ROUNDS"

# downloads PORT -> aggregate MB/s of 16 parallel downloads of the 512 MiB file (curl on the
# client core).
downloads() {
  local start end n=16 size=536870912 dl=() i code got
  start=$(date +%s.%N)
  for i in $(seq $n); do
    "${ON_CLIENT_CPU[@]}" curl -s -o /dev/null -w '%{http_code} %{size_download}\n' \
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
n_dl=$(downloads "$NGINX_PORT")
m_dl=$(downloads "$NETIUS_PORT")
printf '%-22s %8s nginx %8s netius %6.2fx (target 1.0x, one run)\n' "512 MiB x16 curl MB/s" \
  "$n_dl" "$m_dl" "$(awk -v a="$m_dl" -v b="$n_dl" 'BEGIN {print a / b}')"
