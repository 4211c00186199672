#!/bin/bash
# `netius serve wsgi` vs uWSGI (python3 plugin, --http11-socket: keep-alive, 1 process) and gunicorn
# (1 sync worker), the same apps on Debian's Python 3.11 (gunicorn runs in /usr/bin/python3,
# uWSGI's plugin and netius embed its libpython3.11):
#   hello           tests/data/wsgi/bench_hello.py, a bare WSGI function
#   flask hello     tests/data/wsgi/flask_app.py GET /, a route returning a string
#   flask page      tests/data/wsgi/flask_site.py GET /, a 4.7 KB Jinja2 page (layout, loops)
#   django login    tests/data/wsgi/djsite GET /admin/login/, the admin's login form (CSRF
#                   cookie, template, middleware; DEBUG off)
# wrk -t1 -c50, keep-alive, with every server pinned to core 0 and wrk to core 1 (taskset; PIN=0
# lets the scheduler place them, as the script did before). Each of ROUNDS rounds measures every
# row, peer then netius, so that slow drifts in the machine's load hit both sides alike. Prints,
# per side, the median req/s over the rounds with its min-max spread and the median server CPU
# (user+system, whole process tree) per request in us, then the ratio of the medians. The
# "ceiling" row is `netius serve hello` (no Python at all) against uWSGI: the best ratio this
# machine and this wrk set-up allow any server.
#   [PIN=0] bench/wsgi.sh [SECONDS per run, default 10] [ROUNDS, default 5, at least 3]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
ROUNDS=${2:-5}
[ "$ROUNDS" -ge 3 ] || { echo "bench: at least 3 rounds" >&2; exit 2; }
. bench/lib.sh uwsgi wrk curl taskset
PYTHON=/usr/bin/python3  # Debian's, whose libpython uWSGI's python3 plugin and netius embed
"$PYTHON" -c 'import gunicorn, flask, django' ||
  { echo "bench: gunicorn, flask or django missing for $PYTHON; run make deps" >&2; exit 1; }
APPS=$PWD/tests/data/wsgi
# On this VM a request crossing cores waits for the other core to wake up: pinned, uWSGI (one
# connection at a time) answers hello about 6x slower than sharing a core with wrk, netius (all
# the connections ready at each wake-up) about 1.4x slower.
if [ "${PIN:-1}" = 0 ]; then
  ON_SERVER_CPU=(); ON_WRK_CPU=(); PLACEMENT="unpinned"
else
  ON_SERVER_CPU=(taskset -c 0); ON_WRK_CPU=(taskset -c 1)
  PLACEMENT="server on core 0, wrk on core 1"
fi

# The Django site's database, migrated (the login page itself reads nothing from it).
export DJSITE_DB=$work/db.sqlite3
(cd "$APPS/djsite" && "$PYTHON" manage.py migrate --noinput -v 0)

# uwsgi_server NAME DIR UWSGI-ARGS...: uWSGI on the server core and a free port; sets NAME_PORT,
# NAME_PID.
uwsgi_server() {
  local name=$1 dir=$2; shift 2
  local port; port=$(free_port)
  "${ON_SERVER_CPU[@]}" uwsgi --plugin python3 --http11-socket "127.0.0.1:$port" \
    --processes 1 --threads 1 --disable-logging --chdir "$dir" "$@" \
    >"$work/$name.log" 2>&1 & pids+=($!)
  printf -v "${name}_PORT" %s "$port"
  printf -v "${name}_PID" %s $!
}
# gunicorn_server NAME DIR APP: one sync worker (a child of the master), Debian's Python.
gunicorn_server() {
  local port; port=$(free_port)
  "${ON_SERVER_CPU[@]}" "$PYTHON" -m gunicorn --workers 1 --worker-class sync \
    --bind "127.0.0.1:$port" --chdir "$2" "$3" >"$work/$1.log" 2>&1 & pids+=($!)
  printf -v "${1}_PORT" %s "$port"
  printf -v "${1}_PID" %s $!
}

cp "$NETIUS" "$work/netius"
uwsgi_server UWSGI_HELLO "$APPS" --wsgi-file bench_hello.py
uwsgi_server UWSGI_PAGE "$APPS" --module flask_site:app
uwsgi_server UWSGI_DJANGO "$APPS/djsite" --module djsite.wsgi:application
gunicorn_server GUNICORN_HELLO "$APPS" bench_hello:application
gunicorn_server GUNICORN_FLASK "$APPS" flask_app:app
gunicorn_server GUNICORN_PAGE "$APPS" flask_site:app
gunicorn_server GUNICORN_DJANGO "$APPS/djsite" djsite.wsgi:application
netius_server NETIUS_HELLO wsgi bench_hello --chdir "$APPS"
netius_server NETIUS_FLASK wsgi flask_app:app --chdir "$APPS"
netius_server NETIUS_PAGE wsgi flask_site:app --chdir "$APPS"
netius_server NETIUS_DJANGO wsgi djsite.wsgi --chdir "$APPS/djsite"
# The ceiling: `serve hello` answers the same bytes without Python; no WSGI server on this
# machine and wrk set-up can beat its ratio.
netius_server HELLO hello

# Rows: NAME|PEER|NETIUS|PATH|TARGET, PEER and NETIUS naming the servers above.
ROWS=(
  "hello vs uwsgi|UWSGI_HELLO|NETIUS_HELLO|/|3.0x"
  "ceiling: serve hello|UWSGI_HELLO|HELLO|/|-"
  "hello vs gunicorn|GUNICORN_HELLO|NETIUS_HELLO|/|5.0x"
  "flask hello vs gunicorn|GUNICORN_FLASK|NETIUS_FLASK|/|1.5x"
  "flask page vs gunicorn|GUNICORN_PAGE|NETIUS_PAGE|/|1.0x"
  "flask page vs uwsgi|UWSGI_PAGE|NETIUS_PAGE|/|-"
  "django login vs gunicorn|GUNICORN_DJANGO|NETIUS_DJANGO|/admin/login/|1.0x"
  "django login vs uwsgi|UWSGI_DJANGO|NETIUS_DJANGO|/admin/login/|-"
)
port_of() { local v="${1}_PORT"; echo "${!v}"; }
pid_of() { local v="${1}_PID"; echo "${!v}"; }

# Every server answers, then gets a second of warm-up (imports, template compilation, caches).
for row in "${ROWS[@]}"; do
  IFS='|' read -r _ peer mine path _ <<<"$row"
  for s in "$peer" "$mine"; do wait_port "$(port_of "$s")" "${path#/}"; done
done
for row in "${ROWS[@]}"; do
  IFS='|' read -r _ peer mine path _ <<<"$row"
  for s in "$peer" "$mine"; do
    "${ON_WRK_CPU[@]}" wrk -t1 -c50 -d1s "http://127.0.0.1:$(port_of "$s")$path" >/dev/null
  done
done

# measure SERVER PATH -> "requests/s server-CPU-us-per-request"; fails on socket errors or
# non-2xx answers.
measure() {
  local port; port=$(port_of "$1")
  local pid; pid=$(pid_of "$1")
  local before; before=$(cpu_ticks "$pid")  # the whole tree: masters and workers
  local out
  out=$("${ON_WRK_CPU[@]}" wrk -t1 -c50 -d"${DURATION}s" "http://127.0.0.1:$port$2")
  local after; after=$(cpu_ticks "$pid")
  if grep -qE "Socket errors|Non-2xx" <<<"$out"; then echo "bench: $1: errors: $out" >&2; exit 1; fi
  local requests; requests=$(awk '/requests in/ {print $1}' <<<"$out")
  awk -v r="$(awk '/Requests\/sec/ {print $2}' <<<"$out")" -v t=$((after - before)) \
      -v n="$requests" -v us="$TICK_US" 'BEGIN {printf "%s %.2f\n", r, t * us / n}'
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE=$(load)
echo "bench: load average $LOAD_BEFORE; $ROUNDS rounds of ${#ROWS[@]} rows x 2 x ${DURATION}s" >&2
for round in $(seq "$ROUNDS"); do
  for i in "${!ROWS[@]}"; do
    IFS='|' read -r _ peer mine path _ <<<"${ROWS[$i]}"
    measure "$peer" "$path" >>"$work/row$i.peer"
    measure "$mine" "$path" >>"$work/row$i.netius"
  done
  echo "bench: round $round of $ROUNDS done" >&2
done


printf 'wrk -t1 -c50, %s; median of %s rounds of %ss; ' "$PLACEMENT" "$ROUNDS" "$DURATION"
echo "load average $LOAD_BEFORE -> $(load)"
printf '%-24s %10s %13s %12s %13s %7s %6s %9s %11s\n' "" "peer req/s" "peer min-max" \
  "netius req/s" "netius min-max" ratio target "peer us/r" "netius us/r"
for i in "${!ROWS[@]}"; do
  IFS='|' read -r name _ _ _ target <<<"${ROWS[$i]}"
  p=$(median "$work/row$i.peer" 1)
  m=$(median "$work/row$i.netius" 1)
  printf '%-24s %10.0f %13s %12.0f %13s %6.2fx %6s %9.2f %11.2f\n' "$name" "$p" \
    "$(spread "$work/row$i.peer" 1)" "$m" "$(spread "$work/row$i.netius" 1)" \
    "$(awk -v a="$m" -v b="$p" 'BEGIN {print a / b}')" "$target" \
    "$(median "$work/row$i.peer" 2)" "$(median "$work/row$i.netius" 2)"
done
