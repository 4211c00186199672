#!/bin/bash
# HTTP/2 over cleartext (h2c with prior knowledge), h2load -t1 against three servers, 1 worker
# each, access log off, the same files:
#   netius  `serve hello` (hello rows) and `serve file --base-path www` (file rows), h2c on the
#           port that also takes HTTP/1.1
#   nginx   1 worker, `listen 127.0.0.1:PORT http2` (h2c only on that port), `location = /
#           { return 200 BODY; }` with netius' hello body and content type, `root www` for the
#           files; keepalive_requests 1000000 (in nginx >= 1.19.7 it also caps the requests of
#           an h2 connection: its default 1000 would make h2load reconnect), sendfile on,
#           http2_max_concurrent_streams left at 128 (above -m10)
#   h2o     num-threads 1, file.dir www. h2o 2.2 has no `return`: it serves the hello rows the
#           same body from www/hello.txt as the index of / (file.mime.addtypes gives it
#           netius' content type; it adds last-modified, etag and accept-ranges). Its mruby
#           handler answers the same body about 2x slower here, so the file is the stronger
#           peer. http2-max-concurrent-requests-per-connection left at 100.
# Rows: hello -c50 -m10 (target >= 1.5x nginx), hello -c50 -m1 (>= 1.0x), a 4 KiB and a 1 MiB
# file at -c50 -m10 (>= 1.0x each); the h2o rows have no target. Every server is pinned to core
# 0 and h2load to core 1 (taskset; PIN=0 lets the scheduler place them). After a warm-up, each of
# ROUNDS rounds measures every row on nginx, h2o then netius, so that slow drifts in the
# machine's load hit all sides alike. Prints, per side, the median req/s over the rounds with
# its min-max spread and the median server CPU (user+system, whole process tree) per request
# in us; "ratio" is netius/peer req/s, "cpu" peer us/r / netius us/r (above 1: netius spends
# less per request). Every h2load run must report h2c, > 0 requests done, all of them
# succeeded with 2xx, 0 failed/errored/timeout, or the script fails. A netius server that does
# not answer h2c prior knowledge is reported as "netius: no h2": its rows show "no h2", the
# peers are still measured and the script exits 1 after the table.
#   [PIN=0] bench/h2.sh [SECONDS per run, default 10] [ROUNDS, default 5, at least 3]
# Machines are shared and noisy: read the ratios, not the absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
ROUNDS=${2:-5}
[ "$ROUNDS" -ge 3 ] || { echo "bench: at least 3 rounds" >&2; exit 2; }
. bench/lib.sh nginx h2o h2load curl taskset
if [ "${PIN:-1}" = 0 ]; then
  ON_SERVER_CPU=(); ON_CLIENT_CPU=(); PLACEMENT="unpinned"
else
  ON_SERVER_CPU=(taskset -c 0); ON_CLIENT_CPU=(taskset -c 1)
  PLACEMENT="server on core 0, h2load on core 1"
fi
# Every h2load run is bounded twice: -D, and a kill if it has not finished well after that.
H2LOAD_LIMIT=$((DURATION + 30))

cp "$NETIUS" "$work/netius"
mkdir "$work/www"
head -c 4096 /dev/urandom > "$work/www/4k.bin"
head -c 1048576 /dev/urandom > "$work/www/1m.bin"
chmod -R a+rX "$work"  # nginx's worker (and h2o) may drop root for nobody

netius_server NETIUS_HELLO hello
netius_server NETIUS_FILE file --base-path "$work/www"
wait_port "$NETIUS_HELLO_PORT"; wait_port "$NETIUS_FILE_PORT" 4k.bin

# The hello body and content type every hello server answers: netius' own, over HTTP/1.1.
REF_BODY=$(curl -s --max-time 5 "http://127.0.0.1:$NETIUS_HELLO_PORT/")
REF_TYPE=$(curl -s --max-time 5 -o /dev/null -w '%{content_type}' \
  "http://127.0.0.1:$NETIUS_HELLO_PORT/")
[[ $REF_BODY =~ ^[A-Za-z0-9\ ,.!]+$ && $REF_TYPE =~ ^[a-z/]+(\;\ charset=[a-z0-9-]+)?$ ]] ||
  { echo "bench: unexpected hello from netius: '$REF_TYPE' '$REF_BODY'" >&2; exit 1; }
printf %s "$REF_BODY" > "$work/www/hello.txt"
chmod a+r "$work/www/hello.txt"

NGINX_PORT=$(free_port)
nginx_conf <<SERVER
  server {
    listen 127.0.0.1:$NGINX_PORT http2;
    root $work/www;
    location = / { default_type "$REF_TYPE"; return 200 "$REF_BODY"; }
  }
SERVER
"${ON_SERVER_CPU[@]}" /usr/sbin/nginx -c "$work/nginx.conf" -p "$work" \
  >"$work/nginx.log" 2>&1 & pids+=($!)
# shellcheck disable=SC2034  # read through pid_of
NGINX_PID=$!  # the master: cpu_ticks counts its worker

H2O_PORT=$(free_port)
{
  [ "$(id -u)" = 0 ] && echo "user: root"  # as root h2o needs a user to run as
  cat <<CONF
listen:
  host: 127.0.0.1
  port: $H2O_PORT
num-threads: 1
pid-file: $work/h2o.pid
error-log: $work/h2o-error.log
hosts:
  default:
    paths:
      /:
        file.dir: $work/www
        file.index: ['hello.txt']
        file.mime.addtypes:
          "$REF_TYPE": .txt
CONF
} > "$work/h2o.conf"
"${ON_SERVER_CPU[@]}" h2o -c "$work/h2o.conf" >"$work/h2o.log" 2>&1 & pids+=($!)
# shellcheck disable=SC2034  # read through pid_of
H2O_PID=$!

# h2_get PORT PATH FILE -> "HTTP-VERSION STATUS CONTENT-TYPE", the body in FILE; a GET with h2
# prior knowledge, bounded.
h2_get() {
  curl -s --http2-prior-knowledge --max-time 5 -o "$3" \
    -w '%{http_version} %{http_code} %{content_type}' "http://127.0.0.1:$1$2" || true
}
# wait_h2 PORT: returns once the port answers h2c; exits after 10 s.
wait_h2() {
  for _ in $(seq 100); do
    [ "$(h2_get "$1" / /dev/null | cut -d' ' -f1)" = 2 ] && return 0
    sleep 0.1
  done
  echo "bench: nothing answers h2c on port $1" >&2; exit 1
}
wait_h2 "$NGINX_PORT"; wait_h2 "$H2O_PORT"

# h2_ok PORT PATH -> "" when GET PATH over h2c answers 200 with the expected body (and for /,
# netius' content type), else what went wrong.
h2_ok() {
  local got; got=$(h2_get "$1" "$2" "$work/probe")
  local want_type=$REF_TYPE want_file=$work/www/hello.txt
  [ "$2" = / ] || { want_type=; want_file=$work/www${2}; }
  if [ "${got%% *}" != 2 ]; then echo "no HTTP/2 answer (curl: '${got:-nothing}')"
  elif [ "$(cut -d' ' -f2 <<<"$got")" != 200 ]; then echo "status $(cut -d' ' -f2 <<<"$got")"
  elif [ -n "$want_type" ] && [ "$(cut -d' ' -f3- <<<"$got")" != "$want_type" ]; then
    echo "content type '$(cut -d' ' -f3- <<<"$got")', not '$want_type'"
  elif ! cmp -s "$work/probe" "$want_file"; then echo "body differs from $want_file"
  fi
}

# Rows: NAME|PATH|H2LOAD-ARGS|NETIUS-SERVER|TARGET (against nginx).
ROWS=(
  "hello -c50 -m10|/|-c50 -m10|NETIUS_HELLO|1.5x"
  "hello -c50 -m1|/|-c50 -m1|NETIUS_HELLO|1.0x"
  "file 4 KiB -c50 -m10|/4k.bin|-c50 -m10|NETIUS_FILE|1.0x"
  "file 1 MiB -c50 -m10|/1m.bin|-c50 -m10|NETIUS_FILE|1.0x"
)
port_of() { local v="${1}_PORT"; echo "${!v}"; }
pid_of() { local v="${1}_PID"; echo "${!v}"; }

# Every peer must answer every row over h2c; a netius server that does not is left out.
NO_H2=()
declare -A H2=([NGINX]=1 [H2O]=1)
for row in "${ROWS[@]}"; do
  IFS='|' read -r _ path _ mine _ <<<"$row"
  for s in NGINX H2O "$mine"; do
    [ "${H2[$s]:-1}" = 1 ] || continue
    why=$(h2_ok "$(port_of "$s")" "$path")
    [ -z "$why" ] && { H2[$s]=1; continue; }
    case $s in
      NETIUS_*) H2[$s]=0; NO_H2+=("$s")
                echo "bench: netius: no h2: $s on port $(port_of "$s"), GET $path: $why" >&2 ;;
      *) echo "bench: $s: GET $path over h2c: $why" >&2; exit 1 ;;
    esac
  done
done

# h2load_run NAME PORT PATH SECONDS ARGS... -> "requests/s requests client-CPU-%"; fails unless
# h2load spoke h2c, finished requests, and every one succeeded with a 2xx status. (h2load prints
# "Application protocol: h2c" for any cleartext run, even against an HTTP/1.1-only server: the
# requests done are what prove the server spoke h2.)
h2load_run() {
  local name=$1 port=$2 path=$3 secs=$4; shift 4
  local out rc=0
  out=$( { TIMEFORMAT='%U %S'; time "${ON_CLIENT_CPU[@]}" timeout -k 5 "$H2LOAD_LIMIT" \
           h2load -t1 "$@" -D "$secs" "http://127.0.0.1:$port$path" 2>&1; } 2>"$work/time" ) ||
    rc=$?
  local req; req=$(grep '^requests:' <<<"$out" || true)
  local fin ok bad; read -r fin ok bad < <(awk '{print $6, $8, $10 + $12 + $14}' <<<"$req")
  # Status codes count responses whose body the end of -D cut short too: none may be non-2xx.
  local xx; xx=$(awk '/^status codes:/ {print $5 + $7 + $9}' <<<"$out")
  if [ "$rc" != 0 ] || ! grep -qx 'Application protocol: h2c' <<<"$out" || [ -z "$req" ] ||
     [ "${fin:-0}" -le 0 ] || [ "$ok" != "$fin" ] || [ "$bad" != 0 ] || [ "$xx" != 0 ]; then
    echo "bench: $name: h2load $* -D $secs http://127.0.0.1:$port$path failed (exit $rc):" >&2
    echo "$out" >&2; exit 1
  fi
  awk -v r="$(awk '/^finished in/ {print $4}' <<<"$out")" -v n="$ok" -v s="$secs" \
      '{printf "%s %s %.0f\n", r, n, ($1 + $2) * 100 / s}' "$work/time"
}

# measure SERVER ROW-INDEX -> appends "requests/s server-CPU-us-per-request client-CPU-%" to
# the row's file for SERVER.
measure() {
  local name=$1 i=$2
  local path args
  IFS='|' read -r _ path args _ _ <<<"${ROWS[$i]}"
  local pid; pid=$(pid_of "$name")
  local before; before=$(cpu_ticks "$pid")  # the whole tree: masters and workers
  # shellcheck disable=SC2086  # args is a word list
  h2load_run "$name" "$(port_of "$name")" "$path" "$DURATION" $args >"$work/run"  # exits here
  local rps n cpu; read -r rps n cpu <"$work/run"
  local after; after=$(cpu_ticks "$pid")
  awk -v r="$rps" -v t=$((after - before)) -v n="$n" -v us="$TICK_US" -v c="$cpu" \
    'BEGIN {printf "%s %.2f %s\n", r, t * us / n, c}' >>"$work/row$i.$name"
}

# A second of warm-up per row and server (connections, caches, the page cache), checked too.
for i in "${!ROWS[@]}"; do
  IFS='|' read -r _ path args mine _ <<<"${ROWS[$i]}"
  for s in NGINX H2O "$mine"; do
    [ "${H2[$s]}" = 1 ] || continue
    # shellcheck disable=SC2086
    h2load_run "$s" "$(port_of "$s")" "$path" 1 $args >/dev/null
  done
done

load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE=$(load)
echo "bench: load average $LOAD_BEFORE; $ROUNDS rounds of ${#ROWS[@]} rows x 3 servers" \
  "x ${DURATION}s" >&2
for round in $(seq "$ROUNDS"); do
  for i in "${!ROWS[@]}"; do
    IFS='|' read -r _ _ _ mine _ <<<"${ROWS[$i]}"
    for s in NGINX H2O "$mine"; do
      if [ "${H2[$s]}" = 1 ]; then measure "$s" "$i"; fi
    done
  done
  echo "bench: round $round of $ROUNDS done" >&2
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", (b > 0 ? a / b : 0)}'; }

printf 'h2load -t1 h2c, %s; median of %s rounds of %ss; ' "$PLACEMENT" "$ROUNDS" "$DURATION"
echo "load average $LOAD_BEFORE -> $(load)"
printf '%-30s %10s %13s %12s %13s %7s %6s %9s %11s %6s\n' "" "peer req/s" "peer min-max" \
  "netius req/s" "netius min-max" ratio target "peer us/r" "netius us/r" cpu
missed=()
for i in "${!ROWS[@]}"; do
  IFS='|' read -r name _ _ mine target <<<"${ROWS[$i]}"
  for peer in NGINX H2O; do
    pf=$work/row$i.$peer mf=$work/row$i.$mine
    p=$(median "$pf" 1)
    label="$name vs ${peer,,}"
    [ "$peer" = NGINX ] || target=-
    printf '%-30s %10.0f %13s ' "$label" "$p" "$(spread "$pf" 1)"
    if [ "${H2[$mine]}" = 1 ]; then
      m=$(median "$mf" 1)
      r=$(ratio "$m" "$p")
      printf '%12.0f %13s %7s %6s %9.2f %11.2f %6s\n' "$m" "$(spread "$mf" 1)" "$r" "$target" \
        "$(median "$pf" 2)" "$(median "$mf" 2)" "$(ratio "$(median "$pf" 2)" "$(median "$mf" 2)")"
      if [ "$target" != - ] && awk -v r="${r%x}" -v t="${target%x}" 'BEGIN {exit !(r < t)}'; then
        missed+=("$label ($r < $target)")
      fi
    else
      printf '%12s %13s %7s %6s %9.2f %11s %6s\n' "no h2" - - "$target" "$(median "$pf" 2)" - -
    fi
  done
done
# h2load has one core: where it is (nearly) saturated, req/s is capped by the client and the
# servers' CPU per request is the fairer comparison.
busy=$(cat "$work"/row*.* | awk '$3 >= 90 {n++} END {print n + 0}')
[ "$busy" = 0 ] || echo "note: h2load used >= 90% of its core in $busy of" \
  "$(cat "$work"/row*.* | wc -l) runs: there req/s is capped by the client; compare us/r"
if [ ${#missed[@]} -gt 0 ]; then printf 'below target: %s\n' "${missed[@]}"; fi
if [ ${#NO_H2[@]} -gt 0 ]; then
  echo "bench: netius: no h2 (${NO_H2[*]} do not answer h2c prior knowledge); only the" \
    "peers were measured" >&2
  exit 1
fi
