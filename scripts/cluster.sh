#!/usr/bin/env bash
# A throw-away two-node ExChange cluster on this machine (docs/operations.md, "Cluster"): a PostgreSQL of its own
# (scripts/pg.sh: initdb/pg_ctl as an unprivileged user) and two servers on loopback, each with its own data directory.
#
#   scripts/cluster.sh start          build the server if needed, start PostgreSQL, node a, then node b; print URLs
#   scripts/cluster.sh stop           stop both nodes (SIGTERM, SIGKILL after 30 s) and PostgreSQL
#   scripts/cluster.sh status         what runs, with each node's health
#   scripts/cluster.sh destroy        stop, then delete the folder
#   scripts/cluster.sh kill NODE      SIGKILL node a or b (fault tests)
#   scripts/cluster.sh start-node NODE    start node a or b again
#   scripts/cluster.sh pg-stop | pg-start  stop / start PostgreSQL only (fault tests)
#   scripts/cluster.sh url NODE       print a node's API URL
#
# Everything lives in EXCHANGE_CLUSTER_DIR (default ./cluster-run, git-ignored): pg/ (the database), node-a/ and node-b/
# (data directories), node-*.log, node-*.pid, node-*.port, secrets (the database password, preview, intake and admin
# secrets, mode 600). Extra server flags for both nodes: EXCHANGE_CLUSTER_NODE_ARGS (e.g. "--no-demo").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR=${EXCHANGE_CLUSTER_DIR:-$ROOT/cluster-run}
JAR=$ROOT/server/target/exchange-server.jar
NODES=(a b)

die() { echo "cluster.sh: $*" >&2; exit 1; }

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(shuf -i 15000-32000 -n 1)   # below the ephemeral ports outgoing connections take
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port"
}

secrets() {
  mkdir -p "$DIR"
  if [[ ! -f "$DIR/secrets" ]]; then
    (umask 077
     r() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
     { echo "EXCHANGE_CLUSTER_DB_PASSWORD=$(r)"; echo "EXCHANGE_PREVIEW_SECRET=$(r)"; echo "EXCHANGE_INTAKE_SECRET=$(r)";
       echo "EXCHANGE_ADMIN_PASSWORD=$(r)"; } > "$DIR/secrets")
  fi
  set -a; . "$DIR/secrets"; set +a
}

alive() { [[ -f "$DIR/node-$1.pid" ]] && kill -0 "$(cat "$DIR/node-$1.pid")" 2>/dev/null; }

url() { echo "http://127.0.0.1:$(cat "$DIR/node-$1.port")/.rest/exchange/v1/"; }

pg_start() {
  local out
  out=$(scripts/pg.sh start "$DIR/pg")
  PGURL=$(echo "$out" | sed -n 's/^PGURL=//p')
  echo "$PGURL" > "$DIR/pg.url"
}

start_node() {
  local n=$1 port log
  alive "$n" && { echo "node $n already runs (pid $(cat "$DIR/node-$n.pid"))"; return; }
  [[ -f "$DIR/pg.url" ]] || die "PostgreSQL not started (cluster.sh start)"
  port=$( [[ -f "$DIR/node-$n.port" ]] && cat "$DIR/node-$n.port" || free_port )
  echo "$port" > "$DIR/node-$n.port"
  log="$DIR/node-$n.log"
  # shellcheck disable=SC2086
  nohup java -Xmx512m -jar "$JAR" --bind 127.0.0.1 --port "$port" --data "$DIR/node-$n" \
    --cluster-db-url "$(cat "$DIR/pg.url")" --cluster-node-id "$n" ${EXCHANGE_CLUSTER_NODE_ARGS:-} >>"$log" 2>&1 &
  echo $! > "$DIR/node-$n.pid"
  for _ in $(seq 1 360); do
    if curl -fsS -o /dev/null "$(url "$n")health" 2>/dev/null; then
      echo "node $n: $(url "$n") (pid $(cat "$DIR/node-$n.pid"), log $log)"
      return
    fi
    alive "$n" || { tail -5 "$log" >&2; die "node $n exited"; }
    sleep 0.5
  done
  die "node $n not healthy after 180 s (see $log)"
}

stop_node() {
  local n=$1 pid
  alive "$n" || { rm -f "$DIR/node-$n.pid"; return 0; }
  pid=$(cat "$DIR/node-$n.pid")
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$DIR/node-$n.pid"
  echo "node $n stopped"
}

node_arg() { [[ " ${NODES[*]} " == *" ${1:-} "* ]] || die "name a node: a or b"; }

case "${1:-}" in
  start)
    command -v java >/dev/null || die "java (17) is needed"
    if [[ ! -f "$JAR" ]]; then mvn -q -B -ntp -DskipTests package; fi
    secrets
    pg_start
    echo "postgresql: $(cat "$DIR/pg.url") (user exchange, password in $DIR/secrets)"
    for n in "${NODES[@]}"; do start_node "$n"; done   # one after the other: the first installs the demo content
    echo "admin password (moderation API): see EXCHANGE_ADMIN_PASSWORD in $DIR/secrets"
    ;;
  stop)
    for n in "${NODES[@]}"; do stop_node "$n"; done
    [[ -d "$DIR/pg" ]] && scripts/pg.sh stop "$DIR/pg" && echo "postgresql stopped"
    ;;
  status)
    for n in "${NODES[@]}"; do
      if alive "$n"; then
        echo "node $n: running, $(url "$n"), health $(curl -sS "$(url "$n")health" 2>&1 | head -c 200)"
      else
        echo "node $n: stopped"
      fi
    done
    if [[ -d "$DIR/pg" ]] && scripts/pg.sh status "$DIR/pg"; then echo "postgresql: running, $(cat "$DIR/pg.url")"; else echo "postgresql: stopped"; fi
    ;;
  destroy)
    "$0" stop || true
    rm -rf "$DIR"
    ;;
  kill) node_arg "${2:-}"; alive "$2" && kill -KILL "$(cat "$DIR/node-$2.pid")"; rm -f "$DIR/node-$2.pid"; echo "node $2 killed" ;;
  start-node) node_arg "${2:-}"; secrets; start_node "$2" ;;
  pg-stop) scripts/pg.sh stop "$DIR/pg"; echo "postgresql stopped" ;;
  pg-start) secrets; pg_start; echo "postgresql: $(cat "$DIR/pg.url")" ;;
  url) node_arg "${2:-}"; url "$2" ;;
  *) sed -n 2,18p "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
