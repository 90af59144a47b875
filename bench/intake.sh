#!/usr/bin/env bash
# Intake load benchmark on loopback: starts the standalone server on a fresh data directory (on disk), sends valid
# contributions for DURATION seconds from CONNECTIONS connections (IntakeLoad stops by itself), reports accepted/s,
# stops the server, starts it again on the same data and checks that every acknowledged submission is there.
#
#   DURATION=20 CONNECTIONS=16 bash bench/intake.sh
#
# Environment (defaults): DURATION (20 s), CONNECTIONS (16), PORT (18080), SERVER_JAVA_OPTS (-Xms512m -Xmx2g),
# REBUILD (0: build only when a jar is missing), IN_MEMORY (0; 1: --in-memory, checked without a restart: separates
# the repository's storage cost from the rest). Results are appended to bench/out/intake.md.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OUT=$HERE/out
JAR=$ROOT/server/target/exchange-server.jar
BENCH_JAR=$ROOT/bench/target/exchange-bench.jar
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-18080}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xms512m -Xmx2g}
REBUILD=${REBUILD:-0}
IN_MEMORY=${IN_MEMORY:-0}
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
start_server
T0=$(cpu_ticks)
LOAD=$(java -cp "$CP" wales.exchange.bench.IntakeLoad submit "$BASE" "$DURATION" "$CONNECTIONS" "$TOKENS")
T1=$(cpu_ticks)
ACCEPTED=$(wc -l <"$TOKENS")
# the server's own CPU time per accepted submission (user + system, clock ticks of 1/100 s): what the rate would be
# on otherwise idle cores, since other work on the machine takes a share of them
PER=$(awk -v t=$((T1 - T0)) -v n="$ACCEPTED" 'BEGIN { if (n > 0) printf "%.1f", t * 10 / n; else print "-" }')
LOAD="$LOAD; server CPU $(awk -v t=$((T1 - T0)) 'BEGIN { printf "%.1f", t / 100 }') s, $PER ms per accepted submission"
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
