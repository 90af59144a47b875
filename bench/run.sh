#!/usr/bin/env bash
# ExChange delivery API benchmark: wrk against the standalone server and against nginx serving the same bytes.
# See bench/README.md. Idempotent: tools, jar and data directories are made only when missing.
#
#   SIZES="1000 10000 100000" DURATION=10s bash bench/run.sh
#
# Environment (defaults): SIZES (1000 10000 100000), DURATION (10s), WARMUP (5s), THREADS (2), CONNECTIONS (32),
# WRK_TIMEOUT (30s), SEED (42), GEN_THREADS (generator default), GEN_JAVA_OPTS (-Xmx2g),
# SERVER_JAVA_OPTS (-Xms1g -Xmx4g), SEARCH (foster+care), LIST_QUERY (kind=report&audiences=teacher&sort=-publicationDate&limit=20),
# HEALTH_TIMEOUT (900 s), RATE_LIMIT (1000000, the highest it takes: the server's per-client limit, EXCHANGE_RATE_LIMIT),
# REBUILD (auto: build when a jar is missing or older than a source; 1: always; 0: only when missing),
# GENERATE_ONLY (1: build and generate the data directories only, no wrk/nginx: a quick preflight, e.g. SIZES=200).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OUT=$HERE/out
LOGS=$OUT/logs
JAR=$ROOT/server/target/exchange-server.jar          # the production server (no benchmark class in it)
BENCH_JAR=$ROOT/bench/target/exchange-bench.jar     # the bench module: DataGenerator, its libraries in bench/target/lib
API=/.rest/exchange/v1

SIZES=${SIZES:-1000 10000 100000}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
WRK_TIMEOUT=${WRK_TIMEOUT:-30s}
SEED=${SEED:-42}
GEN_THREADS=${GEN_THREADS:-}
GEN_JAVA_OPTS=${GEN_JAVA_OPTS:--Xmx2g}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xms1g -Xmx4g}
SEARCH=${SEARCH:-foster+care}
LIST_QUERY=${LIST_QUERY:-kind=report&audiences=teacher&sort=-publicationDate&limit=20}
HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-900}
RATE_LIMIT=${RATE_LIMIT:-1000000}
REBUILD=${REBUILD:-auto}
GENERATE_ONLY=${GENERATE_ONLY:-0}

RESULTS=$OUT/results.md
BASELINE=$OUT/baseline-1000.txt     # "scenario p50_ms p99_ms" lines of the latest N=1000 run
NGINX_DIR=$OUT/nginx

SERVER_PID=
NGINX_CONF=
RUN_START=$(date +%s)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
elapsed() { echo $(( $(date +%s) - $1 )); }

# --------------------------------------------------------------------------------------------------------------------
# processes

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        log "stopping server (pid $SERVER_PID)"
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            log "server did not stop in 30 s; killing it"
            kill -9 "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=
}

stop_nginx() {
    local pidfile=$NGINX_DIR/logs/nginx.pid pid
    if [[ -n "$NGINX_CONF" && -s "$pidfile" ]]; then
        pid=$(cat "$pidfile")
        if kill -0 "$pid" 2>/dev/null; then
            log "stopping nginx (pid $pid)"
            kill -QUIT "$pid" 2>/dev/null || true
            for _ in $(seq 1 20); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.25
            done
            kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    fi
    NGINX_CONF=
}

cleanup() {
    local rc=$?
    stop_server
    stop_nginx
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --------------------------------------------------------------------------------------------------------------------
# tools, jar

as_root() {
    if [[ $EUID -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

find_nginx() {
    command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true
}

ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v curl >/dev/null || missing+=(curl)
    [[ -n "$(find_nginx)" ]] || missing+=(nginx)
    if ((${#missing[@]})); then
        log "installing from Debian: ${missing[*]}"
        as_root apt-get update -qq
        local pkgs=()
        for m in "${missing[@]}"; do
            case $m in
                nginx) pkgs+=(nginx-light) ;;
                *) pkgs+=("$m") ;;
            esac
        done
        if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}"; then
            pkgs=("${pkgs[@]/nginx-light/nginx}")
            as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}"
        fi
    fi
    command -v java >/dev/null || die "java (17+) is not on the PATH"
    NGINX=$(find_nginx)
    [[ -n "$NGINX" ]] || die "nginx not found after install"
}

jar_has_generator() {
    [[ -s "$JAR" && -s "$BENCH_JAR" ]] || return 1
    local listing
    listing=$(unzip -l "$BENCH_JAR" 2>/dev/null || jar tf "$BENCH_JAR" 2>/dev/null || true)
    [[ $listing == *wales/exchange/bench/DataGenerator.class* ]]
}

# The first source, pom or content-type file newer than either jar (empty when both are current).
newer_source() {
    local j
    for j in "$JAR" "$BENCH_JAR"; do
        [[ -e "$j" ]] || continue
        find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main "$ROOT/light-modules" -type f -newer "$j" -print -quit 2>/dev/null || true
    done | head -1
}

ensure_jar() {
    local why=""
    case $REBUILD in
        1) why="REBUILD=1" ;;
        0) [[ -s "$JAR" && -s "$BENCH_JAR" ]] || why="no jar" ;;
        *)
            if ! jar_has_generator; then
                why="no server jar, or no bench jar with the DataGenerator"
            else
                local newer
                newer=$(newer_source)
                [[ -z "$newer" ]] || why="${newer#"$ROOT"/} is newer than the jar"
            fi
            ;;
    esac
    if [[ -n "$why" ]]; then
        log "building $JAR and $BENCH_JAR ($why): mvn -q -DskipTests package"
        local t i
        t=$(date +%s)
        for i in 1 2 3 4 5; do
            (cd "$ROOT" && mvn -q -DskipTests package) && break
            [[ $i -lt 5 ]] || die "maven build failed"
            log "maven build failed (attempt $i); retrying in 30 s (another build may hold the tree)"
            sleep 30
        done
        log "built in $(elapsed "$t") s"
    fi
    [[ -s "$JAR" ]] || die "no $JAR"
    [[ -s "$BENCH_JAR" ]] || die "no $BENCH_JAR"
}

# --------------------------------------------------------------------------------------------------------------------
# helpers

free_port() {
    local p used
    used=$(ss -Htln 2>/dev/null | awk '{print $4}' | sed 's/.*://' | sort -u)
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        if ! grep -qx "$p" <<<"$used" && ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    die "no free port found"
}

# The value of header $2 (case-insensitive, last occurrence) in the curl -D dump $1; empty when absent.
header() {
    awk -v h="$2" '{ sub(/\r$/, "") } tolower(substr($0, 1, length(h) + 1)) == tolower(h) ":" {
        v = substr($0, length(h) + 2); sub(/^[ \t]+/, "", v) } END { print v }' "$1"
}

# HTTP status of a curl -D dump (the last status line).
status_of() { awk '/^HTTP\// { s = $2 } END { print s }' "$1"; }

# The first match of extended regex $1 in file $2 (empty when none); no pipes, so no SIGPIPE under pipefail.
first_match() {
    local m
    m=$(grep -oE "$1" "$2" || true)
    printf '%s\n' "${m%%$'\n'*}"
}

# Fetches URL into body file $2 and headers file $3; extra curl args after.
fetch() {
    local url=$1 body=$2 hdrs=$3
    shift 3
    curl -sS --max-time 120 -o "$body" -D "$hdrs" "$@" "$url"
}

to_ms() {   # wrk durations: 812.00us 1.23ms 2.01s 1.10m
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; else if (u == "h") n *= 3600000;
        printf "%.3f", n }'
}

# CPU accounting, to tell a clean run from one disturbed by other work on the machine (clock ticks, /proc).
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
NCPU=$(nproc 2>/dev/null || echo 1)
machine_busy() { awk '/^cpu / {print $2 + $3 + $4}' /proc/stat 2>/dev/null || echo 0; }   # user+nice+system, all cores
procs_cpu() {   # utime+stime of the server and of nginx (master and workers)
    local pids=() p
    [[ -n "$SERVER_PID" ]] && pids+=("$SERVER_PID")
    if [[ -n "$NGINX_CONF" && -s "$NGINX_DIR/logs/nginx.pid" ]]; then
        p=$(cat "$NGINX_DIR/logs/nginx.pid")
        pids+=("$p")
        local kids=()
        mapfile -t kids < <(pgrep -P "$p" 2>/dev/null || true)
        pids+=("${kids[@]}")
    fi
    local sum=0 t
    for p in "${pids[@]}"; do
        # fields after the ")" closing the command name: utime and stime are the 12th and 13th
        t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0)
        sum=$((sum + ${t:-0}))
    done
    echo "$sum"
}

# Runs wrk; sets W_RPS W_P50 W_P99 (ms) W_ERR (non-2xx/3xx + socket errors), and W_OTHER: the share of the
# machine's CPU used during the run by anything but wrk, the server and nginx (%); keeps the raw output.
run_wrk() {
    local name=$1 url=$2 dur=$3
    shift 3
    local outf=$LOGS/wrk-$CUR_N-$name.txt busy0 mine0 t0 wrk_cpu busy1 mine1 t1
    busy0=$(machine_busy)
    mine0=$(procs_cpu)
    t0=$(date +%s%N)
    # the subshell reports its reaped children's CPU (wrk's) from its own /proc stat (cutime + cstime)
    wrk_cpu=$( (wrk -t"$THREADS" -c"$CONNECTIONS" -d"$dur" --timeout "$WRK_TIMEOUT" --latency "$@" "$url" >"$outf" 2>&1 \
        || { echo FAILED; exit 0; }; awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$BASHPID/stat") )
    [[ $wrk_cpu != FAILED ]] || { cat "$outf" >&2; die "wrk failed for $name"; }
    t1=$(date +%s%N)
    busy1=$(machine_busy)
    mine1=$(procs_cpu)
    W_OTHER=$(awk -v b=$((busy1 - busy0)) -v m=$((mine1 - mine0)) -v w="${wrk_cpu:-0}" -v ns=$((t1 - t0)) \
        -v hz="$CLK_TCK" -v n="$NCPU" 'BEGIN { o = (b - m - w) / (ns / 1e9 * hz * n) * 100; if (o < 0) o = 0; printf "%.0f", o }')
    W_RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$outf")
    W_P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$outf")")
    W_P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$outf")")
    local non2xx sock
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$outf")
    sock=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$outf")
    W_ERR=$(( ${non2xx:-0} + ${sock:-0} ))
}

ratio() {   # a / b with 2 decimals, or 2 significant digits below 0.1
    awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 <= 0 || a == "") { printf "n/a"; exit }
        r = a / b; if (r >= 0.1 || r == 0) { printf "%.2f", r; exit }
        d = 2; for (x = r; x < 0.1; x *= 10) d++; printf ("%." d "f"), r }'
}

row() {   # N scenario rps p50 p99 errors bytes vs_nginx vs_1000 (+ W_OTHER of the run)
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$@" "$W_OTHER" >>"$RESULTS"
}

# --------------------------------------------------------------------------------------------------------------------
# data, server, nginx

generate() {
    local n=$1 dir=$OUT/data-$1
    if [[ -f "$dir/.complete" ]]; then
        log "N=$n: reusing $dir ($(cat "$dir/.complete"))"
        return
    fi
    if [[ -e "$dir" ]]; then
        log "N=$n: $dir is incomplete (no .complete marker); removing it"
        rm -rf "$dir"
    fi
    log "N=$n: generating $n items into $dir (log: $LOGS/generate-$n.log)"
    local t args=(--data "$dir" --count "$n" --seed "$SEED")
    t=$(date +%s)
    [[ -n "$GEN_THREADS" ]] && args+=(--threads "$GEN_THREADS")
    # shellcheck disable=SC2086
    if ! java $GEN_JAVA_OPTS -cp "$BENCH_JAR" wales.exchange.bench.DataGenerator "${args[@]}" >"$LOGS/generate-$n.log" 2>&1; then
        tail -30 "$LOGS/generate-$n.log" >&2
        die "generation of $n items failed"
    fi
    grep -vE '^\[.*\] (INFO|DEBUG)' "$LOGS/generate-$n.log" | sed "s/^/[gen $n] /" >&2 || true
    local secs
    secs=$(elapsed "$t")
    echo "$n items, seed $SEED, generated $(date -u +%FT%TZ) in ${secs} s" >"$dir/.complete"
    log "N=$n: generated in ${secs} s ($(awk -v n="$n" -v s="$secs" 'BEGIN {printf "%.0f", n / (s > 0 ? s : 1)}') items/s incl. JVM start and repository shutdown)"
    GEN_SECS[$n]=$secs
}

start_server() {
    local n=$1
    SERVER_PORT=$(free_port)
    BASE=http://127.0.0.1:$SERVER_PORT
    log "N=$n: starting server on port $SERVER_PORT (log: $LOGS/server-$n.log)"
    local t
    t=$(date +%s)
    # the per-client rate limit (default 100 req/s) would answer most of wrk's requests with 429: lift it
    # shellcheck disable=SC2086
    EXCHANGE_RATE_LIMIT=$RATE_LIMIT EXCHANGE_SEARCH_CLIENT_SHARE=1000 java $SERVER_JAVA_OPTS -jar "$JAR" --port "$SERVER_PORT" --data "$OUT/data-$n" >"$LOGS/server-$n.log" 2>&1 &
    SERVER_PID=$!
    local deadline=$((t + HEALTH_TIMEOUT))
    until curl -fsS -o /dev/null --max-time 5 "$BASE$API/health" 2>/dev/null; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -40 "$LOGS/server-$n.log" >&2
            SERVER_PID=
            die "server exited before it was healthy"
        fi
        (( $(date +%s) < deadline )) || { tail -40 "$LOGS/server-$n.log" >&2; die "server not healthy after $HEALTH_TIMEOUT s"; }
        sleep 0.5
    done
    log "N=$n: server healthy after $(elapsed "$t") s"
}

start_nginx() {
    local n=$1 ctype=$2
    NGINX_PORT=$(free_port)
    mkdir -p "$NGINX_DIR"/{conf,html,logs,tmp}
    cp "$DUMP/item.body" "$NGINX_DIR/html/item.json"
    cp "$DUMP/list.body" "$NGINX_DIR/html/list.json"
    local user_line=""
    [[ $EUID -eq 0 ]] && user_line="user $(id -un) $(id -gn);"
    cat >"$NGINX_DIR/conf/nginx.conf" <<EOF
# generated by bench/run.sh for N=$n: serves the server's own response bytes as static files
$user_line
worker_processes 2;
pid $NGINX_DIR/logs/nginx.pid;
error_log $NGINX_DIR/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 10000000;
    open_file_cache max=64 inactive=60s;
    open_file_cache_valid 60s;
    types { }
    default_type "$ctype";
    client_body_temp_path $NGINX_DIR/tmp/body;
    proxy_temp_path $NGINX_DIR/tmp/proxy;
    fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
    uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
    scgi_temp_path $NGINX_DIR/tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $NGINX_DIR/html;
    }
}
EOF
    "$NGINX" -t -q -p "$NGINX_DIR" -e "$NGINX_DIR/logs/error.log" -c "$NGINX_DIR/conf/nginx.conf" \
        || die "nginx configuration test failed"
    "$NGINX" -p "$NGINX_DIR" -e "$NGINX_DIR/logs/error.log" -c "$NGINX_DIR/conf/nginx.conf"
    NGINX_CONF=$NGINX_DIR/conf/nginx.conf
    local i
    for i in $(seq 1 40); do
        curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/item.json" 2>/dev/null && break
        [[ $i -lt 40 ]] || die "nginx did not answer on $NGINX_PORT"
        sleep 0.25
    done
    cmp -s <(curl -fsS "http://127.0.0.1:$NGINX_PORT/item.json") "$DUMP/item.body" || die "nginx serves different bytes"
    log "N=$n: nginx on port $NGINX_PORT (content type $ctype)"
}

# --------------------------------------------------------------------------------------------------------------------
# one size

bench_size() {
    local n=$1 t_size
    t_size=$(date +%s)
    CUR_N=$n
    generate "$n"
    start_server "$n"
    DUMP=$OUT/responses-$n
    mkdir -p "$DUMP"

    # list: real id, total, exact bytes
    local list_url="$BASE$API/resources?$LIST_QUERY" item_url search_url="$BASE$API/resources?q=$SEARCH"
    fetch "$list_url" "$DUMP/list.body" "$DUMP/list.headers"
    [[ "$(status_of "$DUMP/list.headers")" == 200 ]] || { head -c 2000 "$DUMP/list.body" >&2; die "list answered $(status_of "$DUMP/list.headers")"; }
    local total id
    local uuid='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
    total=$(first_match '"total"[[:space:]]*:[[:space:]]*[0-9]+' "$DUMP/list.body")
    total=${total##*[!0-9]}
    total=${total:-?}
    id=$(first_match "\"id\"[[:space:]]*:[[:space:]]*\"$uuid\"" "$DUMP/list.body")
    [[ -n "$id" ]] || id=$(first_match "$uuid" "$DUMP/list.body")
    id=${id%\"}
    id=${id##*\"}
    [[ -n "$id" ]] || { head -c 2000 "$DUMP/list.body" >&2; die "no item id in the list response"; }
    log "N=$n: list total=$total, $(stat -c %s "$DUMP/list.body") bytes; item $id"

    # item: exact bytes, content type, ETag, and a check that If-None-Match gives 304
    item_url="$BASE$API/resources/$id"
    fetch "$item_url" "$DUMP/item.body" "$DUMP/item.headers"
    [[ "$(status_of "$DUMP/item.headers")" == 200 ]] || die "item answered $(status_of "$DUMP/item.headers")"
    local ctype etag
    ctype=$(header "$DUMP/item.headers" Content-Type)
    etag=$(header "$DUMP/item.headers" ETag)
    [[ -n "$ctype" ]] || ctype=application/json
    [[ -n "$etag" ]] || die "item response has no ETag"
    fetch "$item_url" "$DUMP/item304.body" "$DUMP/item304.headers" -H "If-None-Match: $etag"
    [[ "$(status_of "$DUMP/item304.headers")" == 304 ]] || die "If-None-Match: $etag answered $(status_of "$DUMP/item304.headers"), not 304"
    fetch "$search_url" "$DUMP/search.body" "$DUMP/search.headers"
    [[ "$(status_of "$DUMP/search.headers")" == 200 ]] || die "search answered $(status_of "$DUMP/search.headers")"
    local stotal
    stotal=$(first_match '"total"[[:space:]]*:[[:space:]]*[0-9]+' "$DUMP/search.body")
    stotal=${stotal##*[!0-9]}
    stotal=${stotal:-?}
    log "N=$n: item $(stat -c %s "$DUMP/item.body") bytes, ETag $etag; search q=$SEARCH total=$stotal"

    start_nginx "$n" "$ctype"

    local nginx_rps cond_rps bytes_item bytes_list bytes_search
    bytes_item=$(stat -c %s "$DUMP/item.body")
    bytes_list=$(stat -c %s "$DUMP/list.body")
    bytes_search=$(stat -c %s "$DUMP/search.body")

    log "N=$n: wrk nginx-static-item ($DURATION)"
    run_wrk nginx-static-item "http://127.0.0.1:$NGINX_PORT/item.json" "$DURATION"
    nginx_rps=$W_RPS
    row "$n" "nginx static item" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "$bytes_item" "1.00" ""

    # nginx's own conditional GET, the static counterpart of the server's 304
    local nginx_etag
    fetch "http://127.0.0.1:$NGINX_PORT/item.json" "$DUMP/nginx-item.body" "$DUMP/nginx-item.headers"
    nginx_etag=$(header "$DUMP/nginx-item.headers" ETag)
    fetch "http://127.0.0.1:$NGINX_PORT/item.json" /dev/null "$DUMP/nginx-item304.headers" -H "If-None-Match: $nginx_etag"
    [[ "$(status_of "$DUMP/nginx-item304.headers")" == 304 ]] || die "nginx did not answer If-None-Match with 304"
    log "N=$n: wrk nginx-static-item-304 ($DURATION)"
    run_wrk nginx-static-item-304 "http://127.0.0.1:$NGINX_PORT/item.json" "$DURATION" -H "If-None-Match: $nginx_etag"
    row "$n" "nginx static item If-None-Match → 304" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" 0 "$(ratio "$W_RPS" "$nginx_rps")" ""

    # server scenarios: WARMUP unrecorded, then DURATION recorded
    local scen url extra vs_nginx vs_1000 base50 base99
    for scen in item item-304 list list-1 search; do
        extra=()
        case $scen in
            item) url=$item_url ;;
            item-304) url=$item_url; extra=(-H "If-None-Match: $etag") ;;
            list | list-1) url=$list_url ;;
            search) url=$search_url ;;
        esac
        log "N=$n: wrk server-$scen (warm-up $WARMUP, then $DURATION)"
        if [[ $scen == list-1 ]]; then
            # one client, one connection: the latency of a list request itself, without queueing behind 31 others
            THREADS=1 CONNECTIONS=1 run_wrk "server-$scen-warmup" "$url" "$WARMUP" "${extra[@]}"
            THREADS=1 CONNECTIONS=1 run_wrk "server-$scen" "$url" "$DURATION" "${extra[@]}"
        else
            run_wrk "server-$scen-warmup" "$url" "$WARMUP" "${extra[@]}"
            run_wrk "server-$scen" "$url" "$DURATION" "${extra[@]}"
        fi
        vs_nginx=$(ratio "$W_RPS" "$nginx_rps")
        [[ $scen == item-304 ]] && cond_rps=$W_RPS
        vs_1000=""
        if [[ $scen == list || $scen == list-1 || $scen == search ]]; then
            if [[ $n == 1000 ]]; then
                touch "$BASELINE"
                sed -i "/^$scen /d" "$BASELINE"
                echo "$scen $W_P50 $W_P99" >>"$BASELINE"
                vs_1000="1.00 / 1.00"
            elif [[ -s "$BASELINE" ]] && grep -q "^$scen " "$BASELINE"; then
                read -r _ base50 base99 < <(grep "^$scen " "$BASELINE")
                vs_1000="$(ratio "$W_P50" "$base50") / $(ratio "$W_P99" "$base99")"
            fi
        fi
        case $scen in
            item) row "$n" "server item (warm)" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "$bytes_item" "$vs_nginx" "" ;;
            item-304) row "$n" "server item If-None-Match → 304" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" 0 "**$vs_nginx**" "" ;;
            list) row "$n" "server list (filter+sort+count, total=$total)" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "$bytes_list" "$vs_nginx" "$vs_1000" ;;
            list-1) row "$n" "server list, 1 connection (latency)" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "$bytes_list" "$vs_nginx" "$vs_1000" ;;
            search) row "$n" "server search q=$SEARCH (total=$stotal)" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "$bytes_search" "$vs_nginx" "$vs_1000" ;;
        esac
        [[ $W_ERR == 0 ]] || log "WARNING: $W_ERR non-2xx/3xx responses or socket errors in server-$scen (see $LOGS/wrk-$n-server-$scen.txt)"
        log "N=$n: server-$scen: $W_RPS req/s, p50 $W_P50 ms, p99 $W_P99 ms, errors $W_ERR (×nginx $vs_nginx), other CPU $W_OTHER%"
    done
    log "N=$n: conditional GET / nginx static = $(ratio "$cond_rps" "$nginx_rps")"

    stop_server
    stop_nginx
    log "N=$n: done in $(elapsed "$t_size") s"
}

# --------------------------------------------------------------------------------------------------------------------
# main

mkdir -p "$OUT" "$LOGS"
declare -A GEN_SECS=()
if [[ $GENERATE_ONLY == 1 ]]; then
    ensure_jar
    for n in $SIZES; do
        [[ "$n" =~ ^[0-9]+$ ]] || die "bad size $n"
        generate "$n"
    done
    log "GENERATE_ONLY=1: data directories ready in $OUT ($(elapsed "$RUN_START") s); no measurement"
    exit 0
fi
ensure_tools
ensure_jar

if [[ ! -s "$RESULTS" ]]; then
    cat >"$RESULTS" <<'EOF'
# ExChange delivery benchmark results

Appended by `bench/run.sh`, one table per run. See `bench/README.md` for how to read them.
EOF
fi
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]] || commit="$commit+dirty"
jar_built=$(date -u -r "$JAR" +%FT%TZ)
[[ -z "$(newer_source)" ]] || { jar_built="$jar_built (OLDER THAN THE SOURCES)"; log "WARNING: the jar is older than the sources"; }
{
    echo
    echo "## $(date -u +%FT%TZ) · commit $commit · jar built $jar_built · $(nproc) cores · wrk -t$THREADS -c$CONNECTIONS -d$DURATION (warm-up $WARMUP) · SIZES=$SIZES"
    echo
    echo "| N | scenario | req/s | p50 ms | p99 ms | errors | body bytes | req/s ÷ nginx | p50 / p99 ÷ N=1000 | other CPU % |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
} >>"$RESULTS"

for n in $SIZES; do
    [[ "$n" =~ ^[0-9]+$ ]] || die "bad size $n"
    bench_size "$n"
done

log "all sizes done in $(elapsed "$RUN_START") s; results appended to $RESULTS"
for n in "${!GEN_SECS[@]}"; do
    log "generation N=$n took ${GEN_SECS[$n]} s"
done
# print this run's table
awk 'BEGIN {last = 0} /^## / {last = NR} {lines[NR] = $0} END {for (i = last; i <= NR; i++) print lines[i]}' "$RESULTS"
