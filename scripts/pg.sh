#!/usr/bin/env bash
# A throw-away PostgreSQL in a folder of its own, for the cluster script (scripts/cluster.sh) and the cluster tests
# (server/src/test/.../PostgresExtension). Debian's postgresql package (binaries under /usr/lib/postgresql/<v>/bin).
#
#   scripts/pg.sh start DIR [PORT]   initdb DIR/data on first use, start on 127.0.0.1:PORT (default: the port used
#                                    before in DIR, else a free random one); prints PGPORT=, PGURL=, PGUSER=
#   scripts/pg.sh stop DIR           fast shutdown (what was started in DIR only); the folder is kept
#   scripts/pg.sh status DIR         exit 0 when it runs
#   scripts/pg.sh destroy DIR        stop and delete DIR
#
# PostgreSQL refuses to run as root: as root the server runs as the system user exchangepg (made when missing, no
# login shell, no home), which owns DIR; as any other user it runs as that user. The database is "exchange", its
# owner "exchange" with the password in EXCHANGE_CLUSTER_DB_PASSWORD (default exchange-cluster-test), scram-sha-256
# over TCP. Only loopback; the socket is in DIR too.
set -euo pipefail

PG_USER=exchangepg
DB=exchange
DB_USER=exchange
PASSWORD="${EXCHANGE_CLUSTER_DB_PASSWORD:-exchange-cluster-test}"

bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [[ -z "$d" || ! -x "$d/pg_ctl" ]]; then
    echo "pg.sh: PostgreSQL is not installed (apt-get install -y postgresql)" >&2
    exit 2
  fi
  echo "$d"
}

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(shuf -i 15000-32000 -n 1)   # below Linux's ephemeral ports (32768-60999), which outgoing connections take
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo "pg.sh: no free port found" >&2
  exit 1
}

usage() {
  sed -n 2,16p "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[[ $# -ge 2 ]] || usage
cmd=$1
dir=$2
B=$(bin)

case "$cmd" in
  start)
    if [[ $(id -u) -eq 0 ]] && ! id "$PG_USER" >/dev/null 2>&1; then
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_USER"
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then chown "$PG_USER" "$dir"; fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      pwfile="$dir/pw"
      (umask 077; printf '%s\n' "$PASSWORD" > "$pwfile")
      if [[ $(id -u) -eq 0 ]]; then chown "$PG_USER" "$pwfile"; fi
      as_pg "$B/initdb" -D "$dir/data" -U "$DB_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
      rm -f "$pwfile"
    fi
    port=${3:-}
    chosen=
    if [[ -z "$port" && -f "$dir/port" ]]; then port=$(cat "$dir/port"); fi
    if [[ -z "$port" ]]; then chosen=1; fi
    if [[ $(id -u) -eq 0 ]]; then touch "$dir/port" "$dir/postgres.log"; chown "$PG_USER" "$dir/port" "$dir/postgres.log"; fi
    if ! as_pg "$B/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      for attempt in 1 2 3 4 5; do
        if [[ -n "$chosen" ]]; then port=$(free_port); fi
        echo "$port" > "$dir/port"
        if as_pg "$B/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
             -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" >/dev/null; then
          break
        fi
        # a port taken since it was picked: pick another (only when this script chose it)
        if [[ -z "$chosen" || $attempt -eq 5 ]] || ! tail -5 "$dir/postgres.log" | grep -q "could not bind\|could not create any TCP"; then
          tail -20 "$dir/postgres.log" >&2
          exit 1
        fi
      done
    fi
    if ! as_pg "$B/psql" -h "$dir" -p "$port" -U "$DB_USER" -d postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
      as_pg "$B/psql" -h "$dir" -p "$port" -U "$DB_USER" -d postgres -qc "create database $DB owner $DB_USER" >/dev/null
    fi
    echo "PGPORT=$port"
    echo "PGURL=jdbc:postgresql://127.0.0.1:$port/$DB"
    echo "PGUSER=$DB_USER"
    ;;
  stop)
    if [[ -f "$dir/data/PG_VERSION" ]] && as_pg "$B/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$B/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
    ;;
  status)
    [[ -f "$dir/data/PG_VERSION" ]] && as_pg "$B/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
    ;;
  destroy)
    "$0" stop "$dir"
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
