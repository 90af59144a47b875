#!/usr/bin/env bash
# Intake load benchmark on loopback: starts the standalone server on a fresh data directory (on disk), sends valid
# contributions for DURATION seconds from CONNECTIONS connections (the load generator stops by itself), reports
# accepted/s and the server's CPU per accepted submission (by thread: request side, intake writer, JIT, GC), stops the
# server, starts it again on the same data and checks that every acknowledged submission is there.
#
#   DURATION=30 CONNECTIONS=16 bash bench/intake.sh
#
# Environment (defaults): DURATION (20 s), CONNECTIONS (16), PORT (18080), OUT (bench/out), JAR (the server's, built
# from this tree; another build's jar to compare), SERVER_JAVA_OPTS
# (-Xms512m -Xmx2g), LOADGEN (wrk: bench/lua/intake.lua; java: IntakeLoad), WARMUP (0 s of load before the measured
# DURATION, not counted; its acknowledged submissions are checked too), REBUILD (0: build only when a jar is missing),
# IN_MEMORY (0; 1: --in-memory, checked without a restart: separates the repository's storage cost from the rest).
# Results are appended to OUT/intake.md.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OUT=${OUT:-$HERE/out}
JAR=${JAR:-$ROOT/server/target/exchange-server.jar}
BENCH_JAR=$ROOT/bench/target/exchange-bench.jar
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-18080}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xms512m -Xmx2g}
REBUILD=${REBUILD:-0}
IN_MEMORY=${IN_MEMORY:-0}
LOADGEN=${LOADGEN:-wrk}
WARMUP=${WARMUP:-0}
SECRET=intake-bench-secret-0123456789abcdef-0123
BASE=http://127.0.0.1:$PORT
mkdir -p "$OUT"
: >"$OUT/intake-server.log"
if [[ $REBUILD == 1 || ! -f $JAR || ! -f $BENCH_JAR ]]; then
  (cd "$ROOT" && mvn -B -ntp -o -q -DskipTests package -pl server,bench -am)
fi
DATA=$(mktemp -d "$OUT/intake-data.XXXXXX")
TOKENS=$OUT/intake-tokens.txt
SERVER_PID=
cleanup() { if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; wait "$SERVER_PID" || true; fi; rm -rf "$DATA"; }
trap cleanup EXIT

start_server() {
  # shellcheck disable=SC2086
  local storage=(--data "$DATA")
  if [[ $IN_MEMORY == 1 ]]; then storage=(--in-memory); fi
  java $SERVER_JAVA_OPTS -jar "$JAR" --port "$PORT" --bind 127.0.0.1 "${storage[@]}" --no-demo --rate-limit 1000000 \
    --intake-secret "$SECRET" --intake-address-limit 100000000 --intake-email-limit 100000000 >>"$OUT/intake-server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    if curl -fs "$BASE/.rest/exchange/v1/health" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "server died, see $OUT/intake-server.log" >&2; exit 1; fi
    sleep 0.2
  done
  echo "server not ready" >&2; exit 1
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=; }

CP="$BENCH_JAR:$ROOT/bench/target/lib/*"
cpu_ticks() { awk '{print $14+$15}' "/proc/$SERVER_PID/stat"; }
# "tid ticks name" for every thread of the server (user + system clock ticks; the name as the kernel keeps it, 15 characters)
thread_ticks() {
  local t stat comm
  for t in /proc/"$SERVER_PID"/task/*; do
    comm=$(cat "$t/comm" 2>/dev/null) || continue
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    echo "${t##*/} $((${12} + ${13})) $comm"
  done
}
# the CPU of each group of threads between two thread_ticks listings, in ms per accepted submission
thread_groups() {
  awk -v n="$3" 'NR == FNR { before[$1] = $2; next }
    { name = $0; sub(/^[0-9]+ [0-9]+ /, "", name); d = $2 - before[$1]
      if (name == "intake-writer") g = "writer"
      else if (name ~ /^exchange-intake/) g = "intake pool"
      else if (name ~ /^XNIO-[0-9]+ I\/O/) g = "I/O"
      else if (name ~ /^XNIO-[0-9]+ task/) g = "workers"
      else if (name ~ /^C[12] Compiler/) g = "JIT"
      else if (name ~ /^(GC |G1 |VM Thread)/) g = "GC"
      else g = "other"
      ticks[g] += d }
    END { printf "request side (intake pool + workers + I/O) %.1f ms, writer %.1f ms, JIT %.1f ms, GC %.1f ms, other %.1f ms",
            (ticks["intake pool"] + ticks["workers"] + ticks["I/O"]) * 10 / n, ticks["writer"] * 10 / n, ticks["JIT"] * 10 / n,
            ticks["GC"] * 10 / n, ticks["other"] * 10 / n }' "$1" "$2"
}
# load for $1 seconds; appends the acknowledged status tokens to $TOKENS, the load generator's CPU time (user, system)
# to $TIMES; prints the load generator's summary line
load() {
  local seconds=$1
  if [[ $LOADGEN == java ]]; then # fetches a form token and waits the minimum fill time itself
    /usr/bin/time -a -o "$TIMES" -f '%U %S' java -cp "$CP" wales.exchange.bench.IntakeLoad submit "$BASE" "$seconds" "$CONNECTIONS" "$TOKENS.part"
  else
    INTAKE_FORM_TOKEN=$FORM_TOKEN INTAKE_RUN=$(date +%s%N) INTAKE_TOKENS=$TOKENS.part INTAKE_THREADS=1 INTAKE_CONNECTIONS=$CONNECTIONS \
      /usr/bin/time -a -o "$TIMES" -f '%U %S' wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --timeout 30s -s "$HERE/lua/intake.lua" \
      "$BASE/.rest/exchange/v1/contributions" | grep '^intake load'
  fi
  cat "$TOKENS.part" >>"$TOKENS"
  rm -f "$TOKENS.part"
}
if [[ $LOADGEN == wrk ]] && ! command -v wrk >/dev/null; then echo "wrk is not installed (apt-get install wrk), or use LOADGEN=java" >&2; exit 1; fi
: >"$TOKENS"
TIMES=$OUT/intake-loadgen-time.txt
start_server
if [[ $LOADGEN == wrk ]]; then
  # one form token, fetched once and "filled in" for the minimum fill time; every submission then sends it (a token
  # may be reused until it expires, docs/contributions.md), so no submission is taken for a bot's
  FORM=$(curl -fs "$BASE/.rest/exchange/v1/form-token")
  FORM_TOKEN=$(jq -r .formToken <<<"$FORM")
  sleep "$(($(jq -r .minFillSeconds <<<"$FORM") + 1))"
fi
if [[ $WARMUP != 0 ]]; then
  load "$WARMUP" >/dev/null
fi
WARM=$(wc -l <"$TOKENS")
: >"$TIMES"
T0=$(cpu_ticks)
thread_ticks >"$OUT/intake-threads-before.txt"
LOAD=$(load "$DURATION")
T1=$(cpu_ticks)
thread_ticks >"$OUT/intake-threads-after.txt"
ACCEPTED=$(($(wc -l <"$TOKENS") - WARM))
# the server's own CPU time per accepted submission (user + system, clock ticks of 1/100 s): what the rate would be
# on otherwise idle cores, since other work on the machine takes a share of them
PER=$(awk -v t=$((T1 - T0)) -v n="$ACCEPTED" 'BEGIN { if (n > 0) printf "%.1f", t * 10 / n; else print "-" }')
LOAD="$LOAD; server CPU $(awk -v t=$((T1 - T0)) 'BEGIN { printf "%.1f", t / 100 }') s, $PER ms per accepted submission"
if [[ $ACCEPTED -gt 0 ]]; then
  LOAD="$LOAD ($(thread_groups "$OUT/intake-threads-before.txt" "$OUT/intake-threads-after.txt" "$ACCEPTED"))"
fi
LOAD="$LOAD; load generator ($LOADGEN) CPU $(awk '{ printf "%.1f", $1 + $2 }' "$TIMES") s"
if [[ $WARMUP != 0 ]]; then LOAD="$LOAD; after a warm-up of ${WARMUP} s ($WARM accepted)"; fi
echo "$LOAD"
if [[ $IN_MEMORY != 1 ]]; then
  stop_server
  # the writer's own count at its stop: submissions per save (group commit) and its CPU time
  WRITER=$(grep -o 'intake writer: .*' "$OUT/intake-server.log" | tail -1 || true)
  [[ -n $WRITER ]] && LOAD="$LOAD; $WRITER (whole run)" && echo "$WRITER"
  start_server
fi
CHECK=$(java -cp "$CP" wales.exchange.bench.IntakeLoad check "$BASE" "$TOKENS")
echo "$CHECK"
[[ $IN_MEMORY == 1 ]] && CHECK="$CHECK (same process)" || CHECK="after a restart: $CHECK"
stop_server
{
  echo "- $(date -u +%Y-%m-%dT%H:%MZ) $([[ $IN_MEMORY == 1 ]] && echo in-memory || echo file) repository, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end: $LOAD; $CHECK"
} >>"$OUT/intake.md"
