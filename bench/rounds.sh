# shellcheck shell=bash
# Sourced after bench/lib.sh by the wrk benchmarks (http.sh, file.sh, proxy.sh): the one method
# their tables are judged by. Servers are pinned to core 0 and wrk to core 1 (PIN=0 lets the
# scheduler place them); after a 1 s warm-up of every row on every server, each of ROUNDS rounds
# measures every row on every server in turn (interleaved, so the machine's load hits all sides
# alike); the table gives per row each server's median req/s (MB/s for rows marked so) with its
# min-max spread, the median server CPU per request (user+system of the server's process tree,
# in us), and the ratios of the last server (netius) to the first (the peer the target names):
# "ratio" of the rates, "cpu" the peer's us/r over netius' (above 1: netius spends less), and
# "paired" the median over the rounds of that quotient taken within each round, with its
# min-max (a round measures every server back to back, so load drifting between rounds, which
# moves all servers' medians alike, cancels out), and "together" the same quotient with the
# peer and netius loaded at the same time, a wrk each (wrk_together below): on this shared VM
# the host's load can change the us per request by half within seconds, which back-to-back
# runs turn into a spread of 0.7-2x for the same two builds; at the same time it spreads
# 0.03. "together" is the figure a CPU target is judged by.
#
# The sourcing script sets:
#   SERVERS=(NGINX ... NETIUS)   names; NAME_PORT and NAME_PID (the process whose tree's CPU is
#                                counted) for each; the last is netius, ratios are against [0]
#   ROWS=("label|path|connections|target|unit|wrk args...")  unit: req (req/s) or MB (MB/s);
#                                wrk args are split on spaces; "\ " is a space inside one
#                                (wrk needs "-H Host:\ files.test": it skips "Name:value");
#                                a path "https:/x" goes to NAME_TLS_PORT over TLS (CPU counted
#                                on NAME_TLS_PID when set, else NAME_PID)
# then calls pin_cores before starting servers and run_rounds SECONDS ROUNDS at the end.

# pin_cores: sets ON_SERVER_CPU, ON_CLIENT_CPU (command prefixes) and PLACEMENT.
pin_cores() {
  if [ "${PIN:-1}" = 0 ] || ! command -v taskset >/dev/null; then
    ON_SERVER_CPU=(); ON_CLIENT_CPU=(); PLACEMENT="unpinned"
  else
    ON_SERVER_CPU=(taskset -c 0); ON_CLIENT_CPU=(taskset -c 1)
    PLACEMENT="servers on core 0, wrk on core 1"
  fi
}

# row_setup SERVER ROW-INDEX: sets ROW_URL, ROW_PID (whose tree's CPU is counted), ROW_CONNS
# and ROW_ARGS (wrk's extra arguments) for that server and row.
row_setup() {
  local name=$1 i=$2 path args
  IFS='|' read -r _ path ROW_CONNS _ _ args <<<"${ROWS[$i]}"
  local scheme=http port_var="${name}_PORT" pid_var="${name}_PID"
  if [[ $path == https:* ]]; then  # the server's TLS listener: NAME_TLS_PORT (and _PID if its own)
    path=${path#https:}; scheme=https; port_var="${name}_TLS_PORT"
    [ -n "${!port_var:-}" ] || { echo "bench: $name has no TLS port" >&2; exit 1; }
    local tls_pid="${name}_TLS_PID"; [ -n "${!tls_pid:-}" ] && pid_var=$tls_pid
  fi
  ROW_PID=${!pid_var}
  ROW_URL="$scheme://127.0.0.1:${!port_var}$path"
  read -a ROW_ARGS <<<"$args"  # no -r: "\ " keeps a space inside a word
}

# run_wrk SECONDS OUT: wrk -t1 on the client core with ROW_CONNS, ROW_ARGS and ROW_URL; its
# report goes to OUT. Exits on socket errors or non-2xx answers.
run_wrk() {
  "${ON_CLIENT_CPU[@]}" timeout -k 5 $(($1 + 30)) wrk -t1 -c"$ROW_CONNS" -d"$1s" \
    "${ROW_ARGS[@]}" "$ROW_URL" >"$2"
}
check_wrk() {  # check_wrk NAME OUT
  if grep -qE "Socket errors|Non-2xx" "$2"; then
    echo "bench: $1: errors: $(cat "$2")" >&2; exit 1
  fi
}

# wrk_measure SERVER ROW-INDEX SECONDS -> appends "req/s MB/s us-per-request" to
# $work/rowINDEX.SERVER; exits on socket errors or non-2xx answers.
wrk_measure() {
  local name=$1 i=$2 secs=$3
  row_setup "$name" "$i"
  local before; before=$(cpu_ticks "$ROW_PID")
  run_wrk "$secs" "$work/wrk.out"
  local after; after=$(cpu_ticks "$ROW_PID")
  check_wrk "$name" "$work/wrk.out"
  awk -v r="$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")" \
      -v m="$(awk '/Transfer\/sec/ {v=$2; u=substr(v, length(v)-1); v=v+0;
               if (u=="GB") v*=1024; else if (u=="KB") v/=1024; else if (u!="MB") v/=1048576;
               print v}' "$work/wrk.out")" \
      -v t=$((after - before)) -v n="$(awk '/requests in/ {print $1}' "$work/wrk.out")" \
      -v us="$TICK_US" 'BEGIN {printf "%s %s %.2f\n", r, m, t * us / n}' >>"$work/row$i.$name"
}

# wrk_together ROW-INDEX SECONDS -> appends the peer's us per request over netius' to
# $work/togetherINDEX, both loaded at the same time by a wrk each (both on the client core):
# whatever the shared machine does meanwhile (another VM's load, frequency, steal) falls on
# both alike, which back-to-back runs cannot promise. Each server gets about half the load it
# gets alone, so the us per request are not the solo columns' figures; their quotient is
# the comparison.
wrk_together() {
  local i=$1 secs=$2 peer=${SERVERS[0]} ours=${SERVERS[-1]}
  row_setup "$peer" "$i"
  local peer_pid=$ROW_PID; local before_peer; before_peer=$(cpu_ticks "$peer_pid")
  row_setup "$ours" "$i"
  local ours_pid=$ROW_PID; local before_ours; before_ours=$(cpu_ticks "$ours_pid")
  run_wrk "$secs" "$work/together.ours" & local ours_wrk=$!  # ROW_* are ours' until here
  row_setup "$peer" "$i"
  run_wrk "$secs" "$work/together.peer"
  wait "$ours_wrk"
  local after_peer after_ours
  after_peer=$(cpu_ticks "$peer_pid"); after_ours=$(cpu_ticks "$ours_pid")
  check_wrk "$peer" "$work/together.peer"; check_wrk "$ours" "$work/together.ours"
  awk -v tp=$((after_peer - before_peer)) -v to=$((after_ours - before_ours)) \
      -v np="$(awk '/requests in/ {print $1}' "$work/together.peer")" \
      -v no="$(awk '/requests in/ {print $1}' "$work/together.ours")" \
      'BEGIN {printf "%.4f\n", (to > 0 && np > 0 && no > 0) ? (tp / np) / (to / no) : 0}' \
      >>"$work/together$i"
}

# run_rounds SECONDS ROUNDS: the warm-up, the rounds and the table.
run_rounds() {
  local secs=$1 rounds=$2 i s
  for i in "${!ROWS[@]}"; do
    for s in "${SERVERS[@]}"; do wrk_measure "$s" "$i" 1; rm -f "$work/row$i.$s"; done
  done
  for _ in $(seq "$rounds"); do
    for i in "${!ROWS[@]}"; do
      for s in "${SERVERS[@]}"; do wrk_measure "$s" "$i" "$secs"; done
      wrk_together "$i" "$secs"
    done
  done
  local peer=${SERVERS[0]} ours=${SERVERS[-1]}
  echo "wrk -t1, $PLACEMENT; median of $rounds rounds of ${secs}s (min-max); load $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-26s' ""
  for s in "${SERVERS[@]}"; do printf ' %20s' "${s,,}"; done
  printf ' %7s %6s' ratio target
  for s in "${SERVERS[@]}"; do printf ' %9s' "${s,,} us"; done
  printf ' %6s %18s %18s\n' cpu "paired (min-max)" "together (min-max)"
  local label unit target col
  for i in "${!ROWS[@]}"; do
    IFS='|' read -r label _ _ target unit _ <<<"${ROWS[$i]}"
    col=1; [ "$unit" = MB ] && col=2
    printf '%-26s' "$label ($unit/s)"
    for s in "${SERVERS[@]}"; do
      printf ' %8.0f %11s' "$(median "$work/row$i.$s" $col)" "($(spread "$work/row$i.$s" $col))"
    done
    printf ' %6.2fx %6s' "$(awk -v a="$(median "$work/row$i.$ours" $col)" \
      -v b="$(median "$work/row$i.$peer" $col)" 'BEGIN {print (b > 0 ? a / b : 0)}')" "$target"
    for s in "${SERVERS[@]}"; do printf ' %9.2f' "$(median "$work/row$i.$s" 3)"; done
    printf ' %5.2fx' "$(awk -v a="$(median "$work/row$i.$peer" 3)" \
      -v b="$(median "$work/row$i.$ours" 3)" 'BEGIN {print (b > 0 ? a / b : 0)}')"
    # Paired: each round's peer us/r over netius' of the same round (measured back to back),
    # so a drift of the machine's load between rounds cancels out.
    paste -d' ' "$work/row$i.$peer" "$work/row$i.$ours" |
      awk '{print ($6 > 0 ? $3 / $6 : 0)}' >"$work/paired$i"
    printf ' %5.2fx %11s' "$(median "$work/paired$i" 1)" "($(spread "$work/paired$i" 1 %.2f))"
    printf ' %5.2fx %11s\n' "$(median "$work/together$i" 1)" \
      "($(spread "$work/together$i" 1 %.2f))"
  done
}
