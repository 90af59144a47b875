#!/usr/bin/env bash
# Soak of a two-node cluster (issue 15): a throw-away cluster (scripts/cluster.sh, in a folder of its own), mixed reads
# and writes from a bounded load on loopback, then it stops everything by itself.
#
#   scripts/cluster-soak.sh            10 minutes
#   scripts/cluster-soak.sh --short    2 minutes
#   scripts/cluster-soak.sh --minutes N
#
# Load: one writer alternating between the nodes (a public contribution, 202 and a status token; then it waits until
# the OTHER node's status link answers 200 and records that replication lag) and two readers (lists, a search, an
# item, health) on both nodes, as fast as they go (loopback, curl). Each minute: each node's RSS and open files, and
# PostgreSQL's. At the end: errors (any read not 200, any write not 202), every acknowledged write checked on both
# nodes, lag p50/p99/max. Exit 1 on any error or a missing write. Output also in $DIR/soak-report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=10
case "${1:-}" in
  --short) MINUTES=2 ;;
  --minutes) MINUTES=${2:?minutes}; [[ "$MINUTES" =~ ^[0-9]+$ && "$MINUTES" -ge 1 && "$MINUTES" -le 240 ]] || { echo "--minutes 1 to 240" >&2; exit 2; } ;;
  "") ;;
  *) sed -n 2,14p "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
export EXCHANGE_CLUSTER_DIR=${EXCHANGE_CLUSTER_DIR:-$(mktemp -d /tmp/exchange-soak.XXXXXX)}
export EXCHANGE_CLUSTER_NODE_ARGS="--rate-limit 1000000 --intake-min-fill-seconds 0 --intake-address-limit 100000000 --intake-email-limit 100000000"
DIR=$EXCHANGE_CLUSTER_DIR
# mktemp makes it 0700: PostgreSQL runs as an unprivileged user (scripts/pg.sh) and must reach its folder inside
chmod 755 "$DIR"
REPORT=$DIR/soak-report.txt
cleanup() { scripts/cluster.sh stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

scripts/cluster.sh start
A=$(scripts/cluster.sh url a)
B=$(scripts/cluster.sh url b)
END=$(( $(date +%s) + MINUTES * 60 ))
: > "$DIR/tokens"; : > "$DIR/lags"; : > "$DIR/errors"; : > "$DIR/reads"

writer() {
  local n=0 from to body code token t0 t1
  while [[ $(date +%s) -lt $END ]]; do
    n=$((n + 1))
    if (( n % 2 )); then from=$A; to=$B; else from=$B; to=$A; fi
    body=$(printf '{"category":"best-practice-example","title":"Soak %d","description":"<p>Soak write %d.</p>","contributorName":"Soak","contributorEmail":"soak%d@example.org","contributorRole":"foster-carer","preferredLanguage":"en","consentToPublish":true,"website":"","formToken":""}' "$n" "$n" "$n")
    t0=$(date +%s%N)
    code=$(curl -s -o "$DIR/w.out" -w '%{http_code}' -H 'Content-Type: application/json' --data "$body" "${from}contributions" || echo 000)
    if [[ "$code" != 202 ]]; then echo "write $n: $code $(head -c 200 "$DIR/w.out")" >> "$DIR/errors"; continue; fi
    token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$DIR/w.out")
    echo "$token" >> "$DIR/tokens"
    for _ in $(seq 1 500); do
      [[ $(curl -s -o /dev/null -w '%{http_code}' "${to}submissions/$token") == 200 ]] && break
      sleep 0.01
    done
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 )) >> "$DIR/lags"
  done
}

reader() {
  local i=0 node path code
  local paths=("resources?limit=10" "events?lang=cy" "resources?q=care" "case-studies?limit=5" "health")
  while [[ $(date +%s) -lt $END ]]; do
    for node in "$A" "$B"; do
      path=${paths[$((i % ${#paths[@]}))]}
      code=$(curl -s -o /dev/null -w '%{http_code}' "${node}${path}" || echo 000)
      if [[ "$code" != 200 ]]; then echo "read ${node}${path}: $code" >> "$DIR/errors"; else echo >> "$DIR/reads"; fi
    done
    i=$((i + 1))
  done
}

sample() {
  local minute=$1 n pid pgpid
  printf 'minute %2d' "$minute"
  for n in a b; do
    pid=$(cat "$DIR/node-$n.pid")
    printf '  node %s: RSS %5d MiB, %4d open files' "$n" $(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 )) "$(ls "/proc/$pid/fd" | wc -l)"
  done
  pgpid=$(head -1 "$DIR/pg/data/postmaster.pid")
  printf '  postgres: %3d processes\n' "$(pgrep -c -P "$pgpid" || true)"
}

{
  echo "soak: $MINUTES minute(s), nodes $A and $B, folder $DIR"
  sample 0
  writer & W=$!
  reader & R1=$!
  reader & R2=$!
  for m in $(seq 1 "$MINUTES"); do
    while [[ $(date +%s) -lt $(( END - (MINUTES - m) * 60 )) ]]; do sleep 1; done
    sample "$m"
  done
  wait $W $R1 $R2
  missing=0
  while read -r t; do
    for node in "$A" "$B"; do
      [[ $(curl -s -o /dev/null -w '%{http_code}' "${node}submissions/$t") == 200 ]] || { missing=$((missing + 1)); echo "missing on $node: $t" >> "$DIR/errors"; }
    done
  done < "$DIR/tokens"
  writes=$(wc -l < "$DIR/tokens"); reads=$(wc -l < "$DIR/reads"); errors=$(wc -l < "$DIR/errors")
  sort -n "$DIR/lags" > "$DIR/lags.sorted"
  lagn=$(wc -l < "$DIR/lags.sorted")
  pct() { sed -n "$(( (lagn * $1 + 99) / 100 ))p" "$DIR/lags.sorted"; }
  echo "writes acknowledged: $writes; present on both nodes at the end: $(( writes - missing / 2 )) (missing checks: $missing)"
  echo "reads: $reads answered 200; errors: $errors"
  if [[ $lagn -gt 0 ]]; then
    echo "replication lag (write acknowledged on one node -> status link 200 on the other, loopback, curl): p50 $(pct 50) ms, p99 $(pct 99) ms, max $(tail -1 "$DIR/lags.sorted") ms over $lagn writes"
  fi
  [[ $errors -eq 0 ]] || head -20 "$DIR/errors"
} | tee "$REPORT"
[[ $(wc -l < "$DIR/errors") -eq 0 ]]
