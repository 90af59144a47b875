#!/usr/bin/env bash
# Node restart to healthy with many items, and the journal catch-up of a node that was down (issue 15; figures in
# docs/operations.md, "Cluster", and docs/benchmarks.md). Bounded and self-stopping: one load at a time, every wait has
# a limit, and everything it made (PostgreSQL's data, the nodes' data directories) is deleted at the end (KEEP=1 keeps it).
#
#   bash scripts/cluster-restart.sh                     # ITEMS=100000 WRITES="1000 10000" RUNS=2
#   ITEMS=2000 WRITES=200 RUNS=1 bash scripts/cluster-restart.sh    # a few minutes
#
# 1. a throw-away PostgreSQL (scripts/pg.sh) in DIR/pg;
# 2. the bench module's DataGenerator, as cluster node "loader", saves ITEMS resources, LOAD_BATCH (default 200, the bulk
#    import's batch) per save: one journal record and one turn of the journal's lock per batch, not per item (for at most
#    LOAD_SECONDS: then it stops and closes cleanly, and the figures are for the items it saved);
# 3. nodes a and b start from copies of the stopped loader's data directory, each with its row in
#    journal_local_revisions set to the loader's revision (how a node joins when the journal is trimmed,
#    docs/operations.md, "Adding a node"); each first start is timed. With FIRST_STARTS=1 only a's is: a is then
#    stopped, b starts from a copy of a's data directory (with its index snapshot) and a starts again, both timed;
#    a node that exits at its start because it could not reach the database in time (a loaded machine) is started
#    once more, and that is said;
# 4. (a) RUNS restarts of b, nothing written meanwhile (its index snapshot and search index intact): start to /health 200;
# 5. (b) for each N of WRITES: b stopped, the loader saves N more items, one per save as the API writes them (N journal
#    records; WRITE_THREADS, default 1: then the last one saved is the last write) while a runs, b started: start to /health 200, to b answering the last published item,
#    and to b's list total equal to a's;
# 6. (c) resident memory (VmRSS) of a and b after each step; the load average with every figure.
#
# The load's items are stamped (mgnl:lastModified) evenly over the LOAD_SPREAD_DAYS (default 30) days before it, as a
# library's items were edited over time: a start's catch-up reads again the items of the hour before the snapshot's
# newest stamp (clock margin) plus those saved since; with LOAD_SPREAD_DAYS=0 every item is stamped as it is saved, all
# within that hour (the worst case: the catch-up gives way to the full read).
# WAIT_FILE: after the first starts, wait until this file exists (at most WAIT_LIMIT, 3600 s) before the other starts,
# e.g. for a quiet machine while the long load and first start ran beside other work. The jars are copied into DIR first.
# Variables: ITEMS, WRITES, RUNS, FIRST_STARTS (2), LOAD_SECONDS (2400), LOAD_THREADS (2), LOAD_BATCH (200), LOAD_SPREAD_DAYS (30), WAIT_FILE, WAIT_LIMIT, WRITE_THREADS (1), DIR (a new folder under /tmp), KEEP (0),
# NODE_JAVA_OPTS (those of README's run command), GEN_JAVA_OPTS (-Xmx1g), HEALTH_TIMEOUT (900 s).
# Needs the built jars (mvn -B -ntp -o -q -DskipTests package) and Debian's postgresql. Results: DIR/results.txt,
# printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAR=$ROOT/server/target/exchange-server.jar
BENCH_JAR=$ROOT/bench/target/exchange-bench.jar
ITEMS=${ITEMS:-100000}
WRITES=${WRITES:-1000 10000}
WRITE_THREADS=${WRITE_THREADS:-1}
RUNS=${RUNS:-2}
FIRST_STARTS=${FIRST_STARTS:-2}
LOAD_SECONDS=${LOAD_SECONDS:-2400}
LOAD_THREADS=${LOAD_THREADS:-2}
LOAD_BATCH=${LOAD_BATCH:-200}
LOAD_SPREAD_DAYS=${LOAD_SPREAD_DAYS:-30}
WAIT_FILE=${WAIT_FILE:-}
WAIT_LIMIT=${WAIT_LIMIT:-3600}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-900}
GEN_JAVA_OPTS=${GEN_JAVA_OPTS:--Xmx1g}
KEEP=${KEEP:-0}
DIR=${DIR:-$(mktemp -d /tmp/exchange-cluster-restart-XXXXXX)}
mkdir -p "$DIR"
chmod 755 "$DIR"   # PostgreSQL runs as an unprivileged user (scripts/pg.sh) and must reach DIR/pg
RESULTS=$DIR/results.txt

die() { echo "cluster-restart.sh: $*" >&2; exit 1; }
[[ -f "$JAR" && -f "$BENCH_JAR" ]] || die "build first: mvn -B -ntp -o -q -DskipTests package"
if [[ -z "${NODE_JAVA_OPTS:-}" ]]; then
  line=$(grep -m1 -oE 'java( +-[^ ]+)* +-jar +server/target/exchange-server\.jar' README.md || true)
  NODE_JAVA_OPTS=$(echo "$line" | sed -E 's/^java +//; s/ *-jar +server\/target\/exchange-server\.jar$//')
fi

export EXCHANGE_CLUSTER_DB_PASSWORD=${EXCHANGE_CLUSTER_DB_PASSWORD:-$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')}
declare -A PID PORT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
say() { echo "$(date -u +%H:%M:%S) $*" | tee -a "$RESULTS"; }
rss() { [[ -n "${PID[$1]:-}" ]] && awk '/VmRSS/ { printf "%d MiB", $2 / 1024 }' "/proc/${PID[$1]}/status" 2>/dev/null || echo "-"; }
url() { echo "http://127.0.0.1:${PORT[$1]}/.rest/exchange/v1"; }
psql_() { PGPASSWORD=$EXCHANGE_CLUSTER_DB_PASSWORD psql -h 127.0.0.1 -p "$PGPORT" -U exchange -d exchange -tAqc "$1"; }

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(shuf -i 15000-32000 -n 1)
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port"
}

cleanup() {
  local n
  for n in a b; do
    if [[ -n "${PID[$n]:-}" ]] && kill -0 "${PID[$n]}" 2>/dev/null; then kill -TERM "${PID[$n]}" 2>/dev/null || true; fi
  done
  for n in a b; do
    if [[ -n "${PID[$n]:-}" ]]; then
      for _ in $(seq 1 240); do kill -0 "${PID[$n]}" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "${PID[$n]}" 2>/dev/null || true
    fi
  done
  [[ -n "${GEN_PID:-}" ]] && kill -KILL "$GEN_PID" 2>/dev/null || true
  scripts/pg.sh stop "$DIR/pg" >/dev/null 2>&1 || true
  if [[ "$KEEP" != 1 ]]; then
    cp "$RESULTS" "/tmp/cluster-restart-results-$(date +%Y%m%d-%H%M%S).txt" 2>/dev/null || true
    rm -rf "$DIR"
  fi
}
trap cleanup EXIT

# the loader: a cluster node of its own (no HTTP), saving resources through ContentService
load() {   # COUNT THREADS FOLDER MAX_SECONDS BATCH SPREAD_DAYS
  local log=$DIR/loader-$3.log
  java $GEN_JAVA_OPTS -cp "$BENCH_JAR" wales.exchange.bench.DataGenerator --data "$DIR/loader" --count "$1" --threads "$2" \
    --folder "$3" --max-seconds "$4" --batch "$5" --spread-days "$6" --cluster-db-url "$PGURL" --cluster-node-id loader >"$log" 2>&1 &
  GEN_PID=$!
  wait "$GEN_PID" || { tail -20 "$log" >&2; die "the loader failed (see $log)"; }
  GEN_PID=
  LAST=$(sed -n 's/^last published: //p' "$log")
  grep -E '^done:|items saved in' "$log" | tee -a "$RESULTS"
}

start_node() {   # NODE -> sets PID, STARTED
  local n=$1
  PORT[$n]=${PORT[$n]:-$(free_port)}
  STARTED=$(now)
  # shellcheck disable=SC2086
  java $NODE_JAVA_OPTS -jar "$JAR" --bind 127.0.0.1 --port "${PORT[$n]}" --data "$DIR/node-$n" --no-demo \
    --cluster-db-url "$PGURL" --cluster-node-id "$n" >>"$DIR/node-$n.log" 2>&1 &
  PID[$n]=$!
}

await_healthy() {   # NODE -> prints seconds from start to /health 200
  local n=$1 end
  end=$(( $(date +%s) + HEALTH_TIMEOUT ))
  until curl -fsS -o /dev/null "$(url "$n")/health" 2>/dev/null; do
    if ! kill -0 "${PID[$n]}" 2>/dev/null; then
      tail -5 "$DIR/node-$n.log" | grep -q 'cannot reach the database' && return 3
      tail -20 "$DIR/node-$n.log" >&2; die "node $n exited"
    fi
    (( $(date +%s) < end )) || die "node $n not healthy after $HEALTH_TIMEOUT s"
    sleep 0.1
  done
  secs "$STARTED" "$(now)"
}

healthy() {   # NODE -> sets H: seconds from its start to /health 200; started once more if it could not reach the database
  local rc=0
  H=$(await_healthy "$1") || rc=$?
  if [[ $rc == 3 ]]; then
    say "node $1 could not reach the database at its start (load average $(loadavg)): started again, timed from then"
    start_node "$1"
    rc=0
    H=$(await_healthy "$1") || rc=$?
  fi
  [[ $rc == 0 ]] || die "node $1 did not become healthy"
}

await_item() {   # NODE ID -> seconds from the node's start to its /resources/ID answering 200
  local n=$1 id=$2 end
  end=$(( $(date +%s) + HEALTH_TIMEOUT ))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "$(url "$n")/resources/$id" 2>/dev/null) == 200 ]]; do
    (( $(date +%s) < end )) || die "node $n never served $id"
    sleep 0.05
  done
  secs "$STARTED" "$(now)"
}

total() { curl -fsS "$(url "$1")/resources?limit=1" | tr -d '\n' | sed -E 's/.*"total": *([0-9]+).*/\1/'; }

node_log() {   # the last start's lines on the delivery index and readiness
  grep -E 'delivery index: (not using|[0-9]+ items loaded)|ExChange ready' "$DIR/node-$1.log" | tail -3 | cut -c1-400 \
    | sed 's/^/    log: /' | tee -a "$RESULTS"
}

await_total() {   # NODE TOTAL -> seconds from the node's start to its list total being TOTAL
  local end
  end=$(( $(date +%s) + HEALTH_TIMEOUT ))
  until [[ "$(total "$1" 2>/dev/null)" == "$2" ]]; do
    (( $(date +%s) < end )) || die "node $1 never reached a total of $2"
    sleep 0.05
  done
  secs "$STARTED" "$(now)"
}

stop_node() {
  local n=$1 t0
  t0=$(now)
  kill -TERM "${PID[$n]}"
  for _ in $(seq 1 480); do kill -0 "${PID[$n]}" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "${PID[$n]}" 2>/dev/null; then kill -KILL "${PID[$n]}"; say "node $n: SIGKILL after 120 s"; fi
  wait "${PID[$n]}" 2>/dev/null || true
  PID[$n]=
  say "node $n stopped in $(secs "$t0" "$(now)") s"
}

: > "$RESULTS"
say "cluster-restart: ITEMS=$ITEMS WRITES='$WRITES' RUNS=$RUNS, $(nproc) cores, node JVM options: $NODE_JAVA_OPTS; DIR=$DIR"
say "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), load average $(loadavg)"
# the run's own copy of the jars: a build during the run (which rewrites target/) cannot change the running nodes' code
mkdir -p "$DIR/jars/server" "$DIR/jars/bench"
cp -a "$JAR" "$(dirname "$JAR")/lib" "$DIR/jars/server/"
cp -a "$BENCH_JAR" "$(dirname "$BENCH_JAR")/lib" "$DIR/jars/bench/"
JAR=$DIR/jars/server/$(basename "$JAR")
BENCH_JAR=$DIR/jars/bench/$(basename "$BENCH_JAR")
out=$(scripts/pg.sh start "$DIR/pg")
PGPORT=$(echo "$out" | sed -n 's/^PGPORT=//p')
PGURL=$(echo "$out" | sed -n 's/^PGURL=//p')
say "postgresql at $PGURL"

t0=$(now)
load "$ITEMS" "$LOAD_THREADS" bench "$LOAD_SECONDS" "$LOAD_BATCH" "$LOAD_SPREAD_DAYS"
say "load ($LOAD_THREADS threads, $LOAD_BATCH items per save): $(secs "$t0" "$(now)") s wall, load average $(loadavg)"
rev=$(psql_ "select revision_id from journal_local_revisions where journal_id = 'loader'")
say "journal: $(psql_ 'select count(*) from journal_journal') records, head $(psql_ 'select revision_id from journal_global_revision'), loader at $rev; database $(psql_ "select pg_size_pretty(pg_database_size('exchange'))"), loader data directory $(du -sh "$DIR/loader" | cut -f1)"
for n in a b; do
  cp -a "$DIR/loader" "$DIR/node-$n"
  psql_ "insert into journal_local_revisions (journal_id, revision_id) values ('$n', $rev)"
done

firsts="a b"
[[ "$FIRST_STARTS" == 1 ]] && firsts=a
for n in $firsts; do
  start_node "$n"
  healthy "$n"; h=$H
  say "first start of $n (delivery index read from the repository): healthy after $h s, RSS $(rss "$n"), load average $(loadavg)"
  node_log "$n"
done
if [[ -n "$WAIT_FILE" ]]; then   # e.g. until the machine is quiet: the starts from here on are the measured ones
  say "waiting for $WAIT_FILE (at most $WAIT_LIMIT s) before the restarts, load average $(loadavg)"
  waited=0
  while [[ ! -e "$WAIT_FILE" && $waited -lt $WAIT_LIMIT ]]; do sleep 5; waited=$((waited + 5)); done
  [[ -e "$WAIT_FILE" ]] || die "$WAIT_FILE did not appear within $WAIT_LIMIT s"
  say "$WAIT_FILE found after $waited s, load average $(loadavg)"
fi
if [[ "$FIRST_STARTS" == 1 ]]; then
  stop_node a
  rev=$(psql_ "select revision_id from journal_local_revisions where journal_id = 'a'")
  rm -rf "$DIR/node-b"
  cp -a "$DIR/node-a" "$DIR/node-b"
  psql_ "update journal_local_revisions set revision_id = $rev where journal_id = 'b'"
  for n in b a; do
    start_node "$n"
    healthy "$n"; h=$H
    say "start of $n on $([[ $n == b ]] && echo "a copy of a's data directory" || echo "its data directory") (index snapshot): healthy after $h s, RSS $(rss "$n"), load average $(loadavg)"
    node_log "$n"
  done
fi
say "a's total $(total a), b's total $(total b)"

for run in $(seq 1 "$RUNS"); do
  stop_node b
  start_node b
  healthy b; h=$H
  say "(a) restart $run of b, no writes meanwhile: healthy after $h s, RSS b $(rss b), a $(rss a), load average $(loadavg)"
  node_log b
done

i=0
for n in $WRITES; do
  i=$((i + 1))
  stop_node b
  t0=$(now)
  load "$n" "$WRITE_THREADS" "more$i" 0 1 0
  say "(b) $n items saved by the loader (one per save) while b was down: $(secs "$t0" "$(now)") s, load average $(loadavg); last published $LAST"
  STARTED=$(now)   # a is running: the writes reach it through the journal
  h=$(await_item a "$LAST")
  say "    the last one on a $h s after the loader's end"
  start_node b
  healthy b; healthy=$H
  seen=$(await_item b "$LAST")
  ta=$(total a)
  all=$(await_total b "$ta")
  say "(b) b started after $n writes: healthy after $healthy s, the last write on b after $seen s, b's total equal to a's ($ta) after $all s; RSS b $(rss b), a $(rss a); load average $(loadavg)"
  node_log b
done
say "(c) RSS after: a $(rss a), b $(rss b); load average $(loadavg)"
say "journal at the end: $(psql_ 'select count(*) from journal_journal') records; database $(psql_ "select pg_size_pretty(pg_database_size('exchange'))")"
echo
cat "$RESULTS"
