#!/bin/bash
# `netius serve wsgi` vs uWSGI (python3 plugin, --http11-socket: keep-alive, 1 process) and gunicorn (1 sync
# worker): the same hello app (tests/data/wsgi/bench_hello.py), then a Flask hello route
# (tests/data/wsgi/flask_app.py) under gunicorn and netius; wrk -t1 -c50, keep-alive. Prints a
# ratio table; "us/r" is the server CPU (user+system) per request. The "ceiling" row is
# `netius serve hello` (no Python at all) against uWSGI: the best ratio this machine and this
# wrk set-up allow any server.
#   bench/wsgi.sh [SECONDS per run, default 10]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
. bench/lib.sh uwsgi gunicorn wrk curl
APPS=$PWD/tests/data/wsgi

# start NAME CMD...: runs CMD in the background, records its pid as $NAME_PID.
UWSGI_PORT=$(free_port)
uwsgi --plugin python3 --http11-socket "127.0.0.1:$UWSGI_PORT" --processes 1 --threads 1 \
  --disable-logging --chdir "$APPS" --wsgi-file bench_hello.py \
  >"$work/uwsgi.log" 2>&1 & pids+=($!)
UWSGI_PID=$!
GUNICORN_PORT=$(free_port)
gunicorn --workers 1 --worker-class sync --bind "127.0.0.1:$GUNICORN_PORT" --chdir "$APPS" \
  bench_hello:application >"$work/gunicorn.log" 2>&1 & pids+=($!)
GUNICORN_MASTER=$!
FLASK_GUNICORN_PORT=$(free_port)
gunicorn --workers 1 --worker-class sync --bind "127.0.0.1:$FLASK_GUNICORN_PORT" --chdir "$APPS" \
  flask_app:app >"$work/gunicorn-flask.log" 2>&1 & pids+=($!)
FLASK_GUNICORN_MASTER=$!
NETIUS_PORT=$(free_port)
cp "$NETIUS" "$work/netius"
"$work/netius" serve wsgi bench_hello --chdir "$APPS" --port "$NETIUS_PORT" \
  --log-level WARNING & pids+=($!)
NETIUS_PID=$!
FLASK_NETIUS_PORT=$(free_port)
"$work/netius" serve wsgi flask_app:app --chdir "$APPS" --port "$FLASK_NETIUS_PORT" \
  --log-level WARNING & pids+=($!)
FLASK_NETIUS_PID=$!
# The ceiling: `serve hello` answers the same bytes without Python; no WSGI server on this
# machine and wrk set-up can beat its ratio.
HELLO_PORT=$(free_port)
"$work/netius" serve hello --port "$HELLO_PORT" --log-level WARNING & pids+=($!)
HELLO_PID=$!
for p in "$HELLO_PORT" "$UWSGI_PORT" "$GUNICORN_PORT" "$FLASK_GUNICORN_PORT" "$NETIUS_PORT" \
         "$FLASK_NETIUS_PORT"; do wait_port "$p"; done
# gunicorn answers from its worker, a child of the master.
GUNICORN_PID=$(pgrep -P "$GUNICORN_MASTER")
FLASK_GUNICORN_PID=$(pgrep -P "$FLASK_GUNICORN_MASTER")

# rps PORT PID -> "requests/s server-CPU-us-per-request"; fails on socket errors or non-2xx.
rps() {
  local port=$1 pid=$2
  local before; before=$(cpu_ticks "$pid")
  local out; out=$(wrk -t1 -c50 -d"${DURATION}s" "http://127.0.0.1:$port/")
  local after; after=$(cpu_ticks "$pid")
  if grep -qE "Socket errors|Non-2xx" <<<"$out"; then echo "bench: errors: $out" >&2; exit 1; fi
  local requests; requests=$(awk '/requests in/ {print $1}' <<<"$out")
  awk -v r="$(awk '/Requests\/sec/ {print $2}' <<<"$out")" -v t=$((after - before)) \
      -v n="$requests" -v us="$TICK_US" 'BEGIN {printf "%s %.2f\n", r, t * us / n}'
}

printf '%-22s %12s %12s %7s %7s %10s %11s\n' "wrk -t1 -c50" "peer req/s" "netius req/s" \
  ratio target "peer us/r" "netius us/r"
row() {  # NAME PEER_PORT PEER_PID NETIUS_PORT NETIUS_PID TARGET
  read -r p pcpu < <(rps "$2" "$3")
  read -r m mcpu < <(rps "$4" "$5")
  printf '%-22s %12.0f %12.0f %6.2fx %7s %10.2f %11.2f\n' "$1" "$p" "$m" \
    "$(awk -v a="$m" -v b="$p" 'BEGIN {print a / b}')" "$6" "$pcpu" "$mcpu"
}
row "hello vs uwsgi" "$UWSGI_PORT" "$UWSGI_PID" "$NETIUS_PORT" "$NETIUS_PID" 3.0x
row "ceiling: serve hello" "$UWSGI_PORT" "$UWSGI_PID" "$HELLO_PORT" "$HELLO_PID" -
row "hello vs gunicorn" "$GUNICORN_PORT" "$GUNICORN_PID" "$NETIUS_PORT" "$NETIUS_PID" 5.0x
row "flask vs gunicorn" "$FLASK_GUNICORN_PORT" "$FLASK_GUNICORN_PID" "$FLASK_NETIUS_PORT" \
  "$FLASK_NETIUS_PID" 1.5x
