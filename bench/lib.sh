# shellcheck shell=bash
# Sourced by the benchmarks (after `cd` to the repository root): checks that netius is built and
# the given peers are installed, makes a scratch dir $work, and on exit kills every process
# whose pid was added to `pids` and removes $work. Sets NETIUS (NETIUS_BIN or build/netius),
# TICK_US; defines free_port, wait_port, cpu_ticks, worker_of, nginx_conf, median and spread.
#   . bench/lib.sh TOOL...   (TOOL on PATH or in /usr/sbin, e.g. nginx wrk curl)
NETIUS=${NETIUS_BIN:-build/netius}
[ -x "$NETIUS" ] || { echo "bench: $NETIUS not built; run make build" >&2; exit 1; }
for t in "$@"; do command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] ||
  { echo "bench: $t missing; run make deps" >&2; exit 1; }; done

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
            rm -rf "$work"; }
trap cleanup EXIT

# free_port: a TCP port free on 127.0.0.1 now.
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_port PORT [PATH]: returns once http://127.0.0.1:PORT/PATH answers; exits after 10 s.
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/${2:-}" && return 0; sleep 0.1; done
              echo "bench: nothing answers on port $1" >&2; exit 1; }
# cpu_ticks PID: the process' CPU time so far (user + system), in clock ticks of TICK_US µs,
# with its children's (live ones, and reaped ones: cutime + cstime), so a master's PID counts
# its workers.
cpu_ticks() {
  local p total=0
  for p in "$1" $(cat "/proc/$1/task/"*/children 2>/dev/null); do
    total=$((total + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
# worker_of PID: the pid of the one worker process of netius' master PID, once it is forked
# (bounded wait); memory and descriptor figures are the worker's.
worker_of() {
  local c
  for _ in $(seq 100); do
    c=$(pgrep -P "$1" || true)
    [ -n "$c" ] && [ "$(wc -w <<<"$c")" = 1 ] && { echo "$c"; return 0; }
    sleep 0.1
  done
  echo "bench: no single worker under $1" >&2; exit 1
}
# netius_server NAME ARGS...: `netius serve ARGS` (the copy $work/netius) on the server core
# (the sourcing script's ON_SERVER_CPU command prefix); sets NAME_PORT and NAME_PID (the master:
# cpu_ticks counts its worker).
netius_server() {
  local name=$1; shift
  local port; port=$(free_port)
  "${ON_SERVER_CPU[@]}" "$work/netius" serve "$@" --port "$port" --log-level WARNING \
    >"$work/$name.log" 2>&1 & pids+=($!)
  printf -v "${name}_PORT" %s "$port"
  printf -v "${name}_PID" %s $!
}
# nginx_conf: writes $work/nginx.conf for the peer nginx: one worker, no access log, sendfile,
# long keep-alive, temporary files in $work, and the server block(s) read from stdin.
nginx_conf() {
  cat > "$work/nginx.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile $(ulimit -n);
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 20000; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  default_type application/octet-stream;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work;
  uwsgi_temp_path $work; scgi_temp_path $work;
$(cat)
}
CONF
}
# median FILE COLUMN, spread FILE COLUMN [PRINTF-FORMAT, default %.0f] (min-max) of a column
# of numbers.
median() { sort -g -k"$2,$2" "$1" | awk -v c="$2" '{v[NR] = $c}
  END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
spread() { sort -g -k"$2,$2" "$1" | awk -v c="$2" -v f="${3:-%.0f}" 'NR == 1 {lo = $c} {hi = $c}
  END {printf f "-" f, lo, hi}'; }
# shellcheck disable=SC2034  # used by the sourcing scripts
TICK_US=$((1000000 / $(getconf CLK_TCK)))
