#!/usr/bin/env bash
# ExChange delivery API benchmark: wrk against the standalone server and against nginx serving the same bytes.
# See bench/README.md. Idempotent: tools, jar and data directories are made only when missing.
#
#   SIZES="1000 10000 100000" DURATION=10s bash bench/run.sh
#
# Environment (defaults): SIZES (1000 10000 100000), RUNS (3: restarts and measurements per size, each reported),
# DURATION (10s), WARMUP (5s), THREADS (2), CONNECTIONS (32), WRK_TIMEOUT (30s), SEED (42), OUT (bench/out),
# GEN_THREADS (generator default), GEN_JAVA_OPTS (-Xmx2g), SERVER_JAVA_OPTS (those of README's run command; without any there:
# the JVM's defaults), SEARCH (foster+care), LIST_QUERY (kind=report&audiences=teacher&sort=-publicationDate&limit=20),
# ROTATE_PATHS (5000 distinct list queries, more than the response cache holds), FULL_MIN (100: the fewest items a filter of
# the full-page lists has), ID_COUNT (10000), NEW_WORDS (200),
# PAGE_SORT (-publicationDate), PAGE_LIMIT (10), FAR_PAGE (50), IMPORT_COUNT (10000, 0: no import), IMPORT_TYPE (event),
# IMPORT_JAVA_OPTS (SERVER_JAVA_OPTS and -XX:TieredStopAtLevel=1, as docs/import-export.md advises; set but empty: none),
# HEALTH_TIMEOUT (900 s), RATE_LIMIT (1000000, the highest it takes: the server's per-client limit, EXCHANGE_RATE_LIMIT),
# REBUILD (auto: build when a jar is missing or older than a source; 1: always; 0: only when missing),
# GENERATE_ONLY (1: build and generate the data directories only, no wrk/nginx: a quick preflight, e.g. SIZES=200).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OUT=${OUT:-$HERE/out}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
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
# the JVM options of README's run command (java ... -jar server/target/exchange-server.jar), unless set
readme_java_opts() {
    local line
    line=$(grep -m1 -oE 'java( +-[^ ]+)* +-jar +server/target/exchange-server\.jar' "$ROOT/README.md" 2>/dev/null || true)
    line=${line#java}
    line=${line%%-jar *}
    echo $line
}
if [[ -n "${SERVER_JAVA_OPTS+set}" ]]; then
    JAVA_OPTS_FROM="set by SERVER_JAVA_OPTS"
else
    SERVER_JAVA_OPTS=$(readme_java_opts)
    if [[ -n "$SERVER_JAVA_OPTS" ]]; then
        JAVA_OPTS_FROM="those of README's run command"
    else
        JAVA_OPTS_FROM="none: README's run command sets none, so the JVM's defaults apply"
    fi
fi
IMPORT_JAVA_OPTS=${IMPORT_JAVA_OPTS-${SERVER_JAVA_OPTS:+$SERVER_JAVA_OPTS }-XX:TieredStopAtLevel=1}
RUNS=${RUNS:-3}
ROTATE_PATHS=${ROTATE_PATHS:-5000}
FULL_MIN=${FULL_MIN:-100}
ID_COUNT=${ID_COUNT:-10000}
NEW_WORDS=${NEW_WORDS:-200}
PAGE_SORT=${PAGE_SORT:--publicationDate}
PAGE_LIMIT=${PAGE_LIMIT:-10}
FAR_PAGE=${FAR_PAGE:-50}
IMPORT_COUNT=${IMPORT_COUNT:-10000}
IMPORT_TYPE=${IMPORT_TYPE:-event}
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
        # a clean stop writes the index snapshot the next start reads: give it time
        for _ in $(seq 1 240); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            log "server did not stop in 120 s; killing it (no snapshot for the next start)"
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

cleanup_procs() {
    stop_server
    stop_nginx
}
cleanup() {
    local rc=$?
    cleanup_procs
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
    command -v jq >/dev/null || missing+=(jq)
    [[ -x /usr/bin/time ]] || missing+=(time)
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

# The first source newer than the jar built from it, or a jar that is missing (empty when all are current): each
# module's sources against its own jar (Maven leaves a module's jar as it was when nothing of that module changed, so
# the server's thin jar is older than a rebuilt module jar in its lib/), the poms against all of them.
newer_source() {
    local module src j
    module=$(ls -t "$ROOT"/server/target/lib/exchange-magnolia-module-*.jar 2>/dev/null | head -1)
    module=${module:-$ROOT/server/target/lib/exchange-magnolia-module.jar}
    for j in "$JAR:$ROOT/server/src/main" "$module:$ROOT/magnolia-module/src/main $ROOT/light-modules" \
             "$BENCH_JAR:$ROOT/bench/src/main"; do
        src=${j#*:}
        j=${j%%:*}
        [[ -e "$j" ]] || { echo "$j (missing)"; continue; }
        # shellcheck disable=SC2086
        find "$ROOT/pom.xml" "$ROOT"/*/pom.xml $src -type f -newer "$j" -print -quit 2>/dev/null || true
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

# A port below the kernel's ephemeral range (where the clients' own ends of connections are picked: a port chosen
# inside it could be taken by one of them before the server binds it) on which no socket of any state is bound.
free_port() {
    local p used low
    low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    (( low > 12000 )) || low=32768
    used=$(ss -Htan 2>/dev/null | awk '{print $4}' | sed 's/.*://' | sort -u)
    for _ in $(seq 1 200); do
        p=$((10000 + RANDOM % (low - 10000)))
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
    local outf=$LOGS/wrk-$CUR_N-r$CUR_RUN-$name.txt busy0 mine0 t0 wrk_cpu busy1 mine1 t1
    busy0=$(machine_busy)
    mine0=$(procs_cpu)
    t0=$(date +%s%N)
    # the subshell reports its reaped children's CPU (wrk's) from its own /proc stat (cutime + cstime)
    wrk_cpu=$( (BENCH_STRIDE=$THREADS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$dur" --timeout "$WRK_TIMEOUT" --latency "$@" "$url" >"$outf" 2>&1 \
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
    W_REQS=$(awk '/requests in/ {print $1}' "$outf")
    # average response size, headers included: wrk's transfer rate over its request rate
    W_KB=$(awk '/^Requests\/sec:/ { r = $2 } /^Transfer\/sec:/ { v = $2; u = v; sub(/[0-9.]+/, "", u); v += 0
        m = u == "GB" ? 1048576 : u == "MB" ? 1024 : u == "KB" ? 1 : 1 / 1024; t = v * m }
        END { if (r > 0) printf "%.1f", t / r; else printf "n/a" }' "$outf")
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

# Starts the server on data-N and waits for /health; sets SERVER_PID, BASE, START_SECS (start to healthy, seconds with
# two decimals) and LOADED_FROM (where the delivery index came from, from the server's log). Log: server-N-TAG.log.
start_server() {
    local n=$1 tag=$2
    SERVER_PORT=$(free_port)
    BASE=http://127.0.0.1:$SERVER_PORT
    SERVER_LOG=$LOGS/server-$n-$tag.log
    log "N=$n: starting server on port $SERVER_PORT (JVM options: ${SERVER_JAVA_OPTS:-none}; log: $SERVER_LOG)"
    local t
    t=$(date +%s%N)
    # the per-client rate limit (default 100 req/s) would answer most of wrk's requests with 429: lift it
    # shellcheck disable=SC2086
    EXCHANGE_RATE_LIMIT=$RATE_LIMIT EXCHANGE_SEARCH_CLIENT_SHARE=1000 java $SERVER_JAVA_OPTS -jar "$JAR" --port "$SERVER_PORT" --data "$OUT/data-$n" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    local deadline=$(( t / 1000000000 + HEALTH_TIMEOUT ))
    until [[ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$BASE$API/health" 2>/dev/null)" == 200 ]]; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -40 "$SERVER_LOG" >&2
            SERVER_PID=
            die "server exited before it was healthy"
        fi
        (( $(date +%s) < deadline )) || { tail -40 "$SERVER_LOG" >&2; die "server not healthy after $HEALTH_TIMEOUT s"; }
        sleep 0.1
    done
    START_SECS=$(awk -v ns=$(( $(date +%s%N) - t )) 'BEGIN { printf "%.2f", ns / 1e9 }')
    LOADED_FROM=$(grep -oE 'items loaded from the (snapshot file|repository)' "$SERVER_LOG" | tail -1 | sed 's/items loaded from //')
    LOADED_FROM=${LOADED_FROM:-?}
    log "N=$n: server healthy after $START_SECS s (index loaded from $LOADED_FROM)"
}

rss_mib() {   # resident set size of pid $1 in MiB (ps -o rss)
    local kb
    kb=$(ps -o rss= -p "$1" 2>/dev/null | tr -d ' ')
    awk -v k="${kb:-0}" 'BEGIN { printf "%.0f", k / 1024 }'
}

hwm_mib() {   # peak resident set size of pid $1 so far (VmHWM), MiB
    awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"
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
# results: one markdown table per kind of figure, appended to results.md when the invocation ends

TABLES=$OUT/tables.$$
T_START=$TABLES/start.md
T_WRK=$TABLES/wrk.md
T_WORDS=$TABLES/words.md
T_IMPORT=$TABLES/import.md
T_NOTES=$TABLES/notes.md

row() {   # scenario rps p50 p99 errors bytes ratio vs_1000 [requests] (+ N, run and W_OTHER)
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$CUR_N" "$CUR_RUN" "$1" "$2" "$3" "$4" "$5" \
        "${9:-$W_REQS}" "$6" "$7" "$8" "$W_OTHER" >>"$T_WRK"
    [[ $5 == 0 ]] || log "WARNING: $5 non-2xx/3xx responses or socket errors in: $1 (N=$CUR_N, run $CUR_RUN)"
    log "N=$CUR_N run $CUR_RUN: $1: $2 req/s, p50 $3 ms, p99 $4 ms, errors $5, ratio $7, other CPU $W_OTHER%"
}

note() { printf -- '- %s\n' "$*" >>"$T_NOTES"; log "note: $*"; }

# N=1000 figures of list-like scenarios (the "÷ N=1000" column): "scenario run p50 p99" lines in baseline-1000.txt
vs_baseline() {   # scenario p50 p99 -> "p50 ratio / p99 ratio" (records them when N=1000)
    local scen=$1 p50=$2 p99=$3 b50 b99 line
    if [[ $CUR_N == 1000 ]]; then
        touch "$BASELINE"
        sed -i "/^$scen $CUR_RUN /d" "$BASELINE"
        echo "$scen $CUR_RUN $p50 $p99" >>"$BASELINE"
        echo "1.00 / 1.00"
        return
    fi
    [[ -s "$BASELINE" ]] || return 0
    line=$(grep "^$scen $CUR_RUN " "$BASELINE" || grep -m1 "^$scen " "$BASELINE" || true)
    [[ -n "$line" ]] || return 0
    read -r _ _ b50 b99 <<<"$line"
    echo "$(ratio "$p50" "$b50") / $(ratio "$p99" "$b99")"
}

finish_results() {
    [[ -d "$TABLES" ]] || return 0
    {
        echo
        cat "$TABLES/header.md"
        if [[ ${1:-0} != 0 ]]; then
            echo
            echo "**Incomplete: the run stopped with an error (exit $1); see the log.**"
        fi
        local t
        for t in "$T_START" "$T_WRK" "$T_WORDS" "$T_IMPORT"; do
            [[ -s "$t" ]] || continue
            echo
            cat "$t"
        done
        if [[ -s "$T_NOTES" ]]; then
            echo
            echo "Notes:"
            echo
            cat "$T_NOTES"
        fi
    } >>"$RESULTS"
    rm -rf "$TABLES"
}

# --------------------------------------------------------------------------------------------------------------------
# request files for the rotating scenarios (made once per size, from what the first server process answers)

# Distinct spellings of the same query value: variant v (1, 2, ...) of $1 writes each ASCII letter as itself or as
# %XX (states=2), or also in upper case and as %XX of the upper case (states=4, for case-insensitive values). The
# server decodes them all to the same value, but the response cache keys on the raw query: a miss every time.
spellings() {   # value count states
    awk -v s="$1" -v count="$2" -v states="$3" 'BEGIN {
        for (c = 32; c < 127; c++) ord[sprintf("%c", c)] = c
        letters = 0; for (i = 1; i <= length(s); i++) if (substr(s, i, 1) ~ /[a-z]/) letters++
        max = states ^ letters - 1; if (count > max) count = max
        for (v = 1; v <= count; v++) {
            out = ""; x = v
            for (i = 1; i <= length(s); i++) {
                c = substr(s, i, 1)
                if (c !~ /[a-z]/) { out = out c; continue }
                st = x % states; x = int(x / states)
                if (st == 0) out = out c
                else if (st == 1) out = out (states == 4 ? toupper(c) : sprintf("%%%02X", ord[c]))
                else if (st == 2) out = out sprintf("%%%02X", ord[c])
                else out = out sprintf("%%%02X", ord[toupper(c)])
            }
            print out
        }
    }'
}

shuffle() {   # deterministic shuffle of stdin (SEED); first $1 lines
    awk -v seed="$SEED" 'BEGIN { srand(seed) } { printf "%.12f\t%s\n", rand(), $0 }' | sort -k1,1 | cut -f2- \
        | awk -v n="$1" 'NR <= n'
}

# Checks that the first $2 paths of file $1 answer 200 (and, for lists, a non-empty page); dies otherwise.
check_paths() {
    local file=$1 k=$2 kind=$3 p code body=$PATHS_DIR/check.body bad=0
    while IFS= read -r p; do
        code=$(curl -sS -o "$body" -w '%{http_code}' --max-time 60 "$BASE$p")
        if [[ $code != 200 ]]; then
            log "check: $p answered $code: $(head -c 300 "$body")"
            bad=$((bad + 1))
        elif [[ $kind == list ]] && [[ "$(jq '.items | length' "$body")" == 0 ]]; then
            log "check: $p answered an empty page"
            bad=$((bad + 1))
        fi
    done < <(awk -v k="$k" 'NR <= k' "$file")
    ((bad == 0)) || die "$bad of the first $k paths of $file failed the check"
}

prepare_paths() {
    local n=$1 d=$PATHS_DIR res=$API/resources
    rm -rf "$d"
    mkdir -p "$d"
    local b=$d/body.json
    curl -fsS "$BASE$res?limit=1" -o "$b"
    PUBLISHED=$(jq .total "$b")
    log "N=$n: $PUBLISHED published items; collecting ids and words, building the request files in $d"

    # ids (single items rotating) and the words of titles and summaries (new words): pages of 100, default order
    local off=0
    : >"$d/ids.raw"
    : >"$d/text.raw"
    while (( off < PUBLISHED && off < ID_COUNT && off <= 10000 - 100 )); do
        curl -fsS "$BASE$res?limit=100&offset=$off" -o "$b"
        jq -r '.items[].id' "$b" >>"$d/ids.raw"
        jq -r '.items[] | .title, .summary' "$b" >>"$d/text.raw"
        off=$((off + 100))
    done
    awk '!seen[$0]++' "$d/ids.raw" | awk -v n="$ID_COUNT" 'NR <= n' | sed "s|^|$res/|" >"$d/items.txt"
    IDS=$(wc -l <"$d/items.txt")

    # words: lower case, a-z only, 3+ letters; not the search scenario's words; one word per 5-letter prefix (so
    # that no two share an English stem, which would make the second one not new to the index)
    local exclude
    exclude=$(tr '+' '\n' <<<"$SEARCH" | awk 'length > 0 { printf "%s%s", sep, substr($0, 1, 5); sep = "|" }')
    tr 'A-Z' 'a-z' <"$d/text.raw" | tr -c 'a-z' '\n' | awk 'length >= 3' \
        | awk -v ex="^($exclude)" '$0 !~ ex && !seen[substr($0, 1, 5)]++' | shuffle "$NEW_WORDS" >"$d/words.txt"
    WORDS=$(wc -l <"$d/words.txt")

    # rotating lists: combinations of filters from the facet counts the data really has (so no page is empty),
    # with every sort, both languages, two page sizes and the pages that exist
    curl -fsS "$BASE$res?limit=1" -o "$b"
    local kinds auds k a combos=$d/combos.tsv
    kinds=$(jq -r '.facets.kind | to_entries[] | select(.value > 0) | .key' "$b")
    auds=$(jq -r '.facets.audiences | to_entries[] | select(.value > 0) | .key' "$b")
    jq -r '(.facets.topics | to_entries[] | "topics=\(.key)\t\(.value)"),
           (.facets.originalLanguage | to_entries[] | "originalLanguage=\(.key)\t\(.value)")' "$b" >"$combos"
    for k in $kinds; do
        curl -fsS "$BASE$res?kind=$k&limit=1" -o "$b"
        jq -r --arg f "kind=$k" '"\($f)\t\(.total)", (.facets.audiences | to_entries[] | "\($f)&audiences=\(.key)\t\(.value)"),
            (.facets.topics | to_entries[] | "\($f)&topics=\(.key)\t\(.value)")' "$b" >>"$combos"
        for a in $auds; do
            curl -fsS "$BASE$res?kind=$k&audiences=$a&limit=1" -o "$b"
            jq -r --arg f "kind=$k&audiences=$a" '(.facets.topics | to_entries[] | "\($f)&topics=\(.key)\t\(.value)"),
                (.facets.originalLanguage | to_entries[] | "\($f)&originalLanguage=\(.key)\t\(.value)")' "$b" >>"$combos"
        done
    done
    for a in $auds; do
        curl -fsS "$BASE$res?audiences=$a&limit=1" -o "$b"
        jq -r --arg f "audiences=$a" '"\($f)\t\(.total)", (.facets.topics | to_entries[] | "\($f)&topics=\(.key)\t\(.value)")' "$b" >>"$combos"
    done
    awk -F '\t' -v res="$res" '$2 > 0 {
        ns = split("- title -title publicationDate -publicationDate lastModified -lastModified publisher -publisher licence -licence", S, " ")
        for (si = 1; si <= ns; si++) for (li = 1; li <= 2; li++) for (mi = 1; mi <= 2; mi++) {
            lim = mi == 1 ? 10 : 20
            for (p = 0; p * lim < $2 && p < 5; p++) {
                q = $1 (S[si] == "-" ? "" : "&sort=" S[si]) "&lang=" (li == 1 ? "en" : "cy") "&limit=" lim
                print res "?" q (p ? "&offset=" p * lim : "")
            }
        }
    }' "$combos" | awk '!seen[$0]++' >"$d/lists.all"
    shuffle "$ROTATE_PATHS" <"$d/lists.all" >"$d/lists.txt"
    LISTS=$(wc -l <"$d/lists.txt")
    log "N=$n: $(wc -l <"$combos") filter combinations, $(wc -l <"$d/lists.all") list queries, $LISTS used"
    ((LISTS >= 1000)) || note "N=$n: only $LISTS distinct list queries (fewer than 1,000)"
    # the same, only filters with at least FULL_MIN items, so that every page of the five is full: at a small N many
    # of the lists above have few matches and short pages (at 1k their answers averaged 9 KB, at 100k 22 KB), so
    # comparing them across N measures page length as much as N. Made at N=1000 and the same queries asked at every
    # other N (the filters' matches then grow with N: 100 times as many at 100k), from this N's own filters without a 1000 run.
    local full_from="N=$n's filters with at least $FULL_MIN items"
    if [[ $n != 1000 && -s $OUT/paths-1000/lists-full.txt ]]; then
        cp "$OUT/paths-1000/lists-full.txt" "$d/lists-full.txt"
        full_from="the same queries as at N=1000"
    else
        awk -F '\t' -v res="$res" -v min="$FULL_MIN" '$2 >= min {
            ns = split("- title -title publicationDate -publicationDate lastModified -lastModified publisher -publisher licence -licence", S, " ")
            for (si = 1; si <= ns; si++) for (li = 1; li <= 2; li++) for (mi = 1; mi <= 2; mi++) {
                lim = mi == 1 ? 10 : 20
                for (p = 0; p < 5; p++) {
                    q = $1 (S[si] == "-" ? "" : "&sort=" S[si]) "&lang=" (li == 1 ? "en" : "cy") "&limit=" lim
                    print res "?" q (p ? "&offset=" p * lim : "")
                }
            }
        }' "$combos" | awk '!seen[$0]++' | shuffle "$ROTATE_PATHS" >"$d/lists-full.txt"
    fi
    FULL_LISTS=$(wc -l <"$d/lists-full.txt")
    log "N=$n: $FULL_LISTS full-page list queries ($full_from)"
    if ((FULL_LISTS == 0)); then
        note "N=$n: no filter has $FULL_MIN items: the full-page row is skipped"
    elif ((FULL_LISTS < 1000)); then
        note "N=$n: only $FULL_LISTS distinct full-page list queries (fewer than 1,000)"
    fi

    # worst-case search, uncached: distinct spellings of the same q; page 1 and page FAR_PAGE of one list, uncached:
    # distinct spellings of the same sort
    spellings "$SEARCH" "$ROTATE_PATHS" 4 | sed "s|^|$res?q=|" >"$d/search.txt"
    local lim_q="\\&limit=$PAGE_LIMIT" far=$(( (FAR_PAGE - 1) * PAGE_LIMIT ))
    spellings "$PAGE_SORT" "$ROTATE_PATHS" 2 | sed "s|^|$res?sort=|; s|$|$lim_q|" >"$d/page1.txt"
    sed "s|$|\&offset=$far|" "$d/page1.txt" >"$d/pagefar.txt"
    FAR_OK=1
    if (( PUBLISHED <= far )); then
        FAR_OK=0
        note "N=$n: $PUBLISHED published items: no page $FAR_PAGE at limit $PAGE_LIMIT; page rows skipped"
    fi

    check_paths "$d/lists.txt" 30 list
    ((FULL_LISTS == 0)) || check_paths "$d/lists-full.txt" 10 list
    check_paths "$d/items.txt" 10 item
    check_paths "$d/search.txt" 5 list
    check_paths "$d/page1.txt" 5 list
    ((FAR_OK == 0)) || check_paths "$d/pagefar.txt" 5 list
    # spellings really are the same query: same total
    local t0 t1
    t0=$(curl -fsS "$BASE$res?q=$SEARCH" | jq .total)
    t1=$(curl -fsS "$BASE$(sed -n 3p "$d/search.txt")" | jq .total)
    [[ $t0 == "$t1" ]] || die "a respelt search ($(sed -n 3p "$d/search.txt")) gives total $t1, not $t0"
    log "N=$n: $LISTS list queries, $IDS item ids, $WORDS words, $(wc -l <"$d/search.txt") search spellings"
}

# --------------------------------------------------------------------------------------------------------------------
# new words: one connection (curl, one process, keep-alive), each request timed (-w)

# Times each URL of file $1 (paths) in one curl; writes "code seconds" lines to $2, bodies to dir $3 (optional).
curl_timed() {
    local paths=$1 out=$2 bodies=${3:-} cfg i=0 p o
    cfg=$(mktemp)
    while IFS= read -r p; do
        i=$((i + 1))
        o=/dev/null
        [[ -z "$bodies" ]] || o=$bodies/$i.json
        printf 'url = "%s%s"\noutput = "%s"\n' "$BASE" "$p" "$o" >>"$cfg"
    done <"$paths"
    curl -sS --max-time 600 -w '%{http_code} %{time_total}\n' --config "$cfg" >"$out" || true
    rm -f "$cfg"
}

stats_ms() {   # "median p90" in ms of the 2nd column (seconds) of file $1
    awk '{ print $2 * 1000 }' "$1" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "n/a n/a"; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        i = int(0.9 * NR + 0.999999); if (i < 1) i = 1
        printf "%.2f %.2f\n", m, v[i] }'
}

bench_words() {
    local n=$1 d=$PATHS_DIR w=$LOGS/words-$n-r$CUR_RUN res=$API/resources
    rm -rf "$w"
    mkdir -p "$w/bodies"
    sed "s|^|$res?q=|" "$d/words.txt" >"$w/new.paths"                # never asked in this server process
    sed "s|$|\&offset=0|" "$w/new.paths" >"$w/uncached.paths"         # the same words, an equivalent query not cached
    log "N=$n run $CUR_RUN: $WORDS new words, one request each, then each again uncached and cached"
    curl_timed "$w/new.paths" "$w/new.txt" "$w/bodies"
    curl_timed "$w/uncached.paths" "$w/uncached.txt"
    curl_timed "$w/new.paths" "$w/cached.txt"                         # exactly the first query again: the cache
    local errs=0 f
    for f in new uncached cached; do
        errs=$((errs + $(awk '$1 !~ /^2/' "$w/$f.txt" | wc -l) + WORDS - $(wc -l <"$w/$f.txt")))
    done
    local zero
    zero=$(cat "$w"/bodies/*.json 2>/dev/null | jq -s '[.[] | select(.total == 0)] | length')
    local new unc cac ratio_u ratio_c pair
    read -r new_m new_p <<<"$(stats_ms "$w/new.txt")"
    read -r unc_m unc_p <<<"$(stats_ms "$w/uncached.txt")"
    read -r cac_m cac_p <<<"$(stats_ms "$w/cached.txt")"
    # per word: first ÷ uncached repeat, the median of those
    pair=$(paste -d ' ' "$w/new.txt" "$w/uncached.txt" | awk '$4 > 0 { print $2 / $4 }' | sort -g \
        | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; else printf "n/a" }')
    printf '| %s | %s | %s | %s · %s | %s · %s | %s · %s | %s | **%s** | %s | %s | %s |\n' "$n" "$CUR_RUN" "$WORDS" \
        "$new_m" "$new_p" "$unc_m" "$unc_p" "$cac_m" "$cac_p" "$pair" "$(ratio "$new_m" "$unc_m")" \
        "$(ratio "$new_m" "$cac_m")" "$zero" "$errs" >>"$T_WORDS"
    log "N=$n run $CUR_RUN: new word median $new_m ms (p90 $new_p), uncached repeat $unc_m ($unc_p), cached $cac_m ($cac_p); errors $errs"
    [[ $errs == 0 ]] || log "WARNING: $errs new-word requests failed (see $w)"
}

# --------------------------------------------------------------------------------------------------------------------
# one size

wrk_lua() {   # name paths-file duration [wrk args]: a rotating scenario
    local name=$1 file=$2 dur=$3
    shift 3
    BENCH_PATHS=$file run_wrk "$name" "$BASE/" "$dur" -s "$HERE/lua/rotate.lua" "$@"
}

bench_size() {
    local n=$1 t_size
    t_size=$(date +%s)
    CUR_N=$n
    CUR_RUN=0
    generate "$n"
    PATHS_DIR=$OUT/paths-$n

    # load: the first start (from the repository when the data is new, or from a snapshot left by an earlier
    # invocation), the request files and response bytes, then a clean stop that leaves the snapshot for the runs
    start_server "$n" load
    printf '| %s | load | %s | %s | %s | | |\n' "$n" "$START_SECS" "$LOADED_FROM" "$(rss_mib "$SERVER_PID")" >>"$T_START"
    DUMP=$OUT/responses-$n
    mkdir -p "$DUMP"
    # paths, not URLs: every run's server has a port of its own
    local list_path="$API/resources?$LIST_QUERY" item_path search_path="$API/resources?q=$SEARCH"
    local list_url="$BASE$list_path" item_url search_url="$BASE$search_path"
    fetch "$list_url" "$DUMP/list.body" "$DUMP/list.headers"
    [[ "$(status_of "$DUMP/list.headers")" == 200 ]] || { head -c 2000 "$DUMP/list.body" >&2; die "list answered $(status_of "$DUMP/list.headers")"; }
    local total id
    total=$(jq .total "$DUMP/list.body")
    id=$(jq -r '.items[0].id // empty' "$DUMP/list.body")
    [[ -n "$id" ]] || { head -c 2000 "$DUMP/list.body" >&2; die "no item id in the list response"; }
    item_path="$API/resources/$id"
    item_url="$BASE$item_path"
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
    stotal=$(jq .total "$DUMP/search.body")
    prepare_paths "$n"
    local spct_pub spct_all
    spct_pub=$(awk -v a="$stotal" -v b="$PUBLISHED" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
    spct_all=$(awk -v a="$stotal" -v b="$n" 'BEGIN { printf "%.1f", 100 * a / b }')
    log "N=$n: list total=$total; item $id ($(stat -c %s "$DUMP/item.body") bytes, ETag $etag); q=$SEARCH total=$stotal ($spct_pub% of published, $spct_all% of all)"
    note "N=$n: q=$SEARCH matches $stotal items: $spct_pub% of the $PUBLISHED published items, $spct_all% of all $n (drafts included)"
    stop_server
    start_nginx "$n" "$ctype"

    local bytes_item bytes_list bytes_search run
    bytes_item=$(stat -c %s "$DUMP/item.body")
    bytes_list=$(stat -c %s "$DUMP/list.body")
    bytes_search=$(stat -c %s "$DUMP/search.body")
    local nginx_etag
    fetch "http://127.0.0.1:$NGINX_PORT/item.json" "$DUMP/nginx-item.body" "$DUMP/nginx-item.headers"
    nginx_etag=$(header "$DUMP/nginx-item.headers" ETag)
    fetch "http://127.0.0.1:$NGINX_PORT/item.json" /dev/null "$DUMP/nginx-item304.headers" -H "If-None-Match: $nginx_etag"
    [[ "$(status_of "$DUMP/nginx-item304.headers")" == 304 ]] || die "nginx did not answer If-None-Match with 304"
    cmp -s <(curl -fsS "http://127.0.0.1:$NGINX_PORT/list.json") "$DUMP/list.body" || die "nginx serves different list bytes"

    for run in $(seq 1 "$RUNS"); do
        CUR_RUN=$run
        local rss_load nginx_item nginx_list rot1_p50 vs b
        # restart from the snapshot the previous clean stop left
        start_server "$n" "r$run"
        rss_load=$(rss_mib "$SERVER_PID")
        list_url=$BASE$list_path
        item_url=$BASE$item_path
        search_url=$BASE$search_path
        [[ $LOADED_FROM == "the snapshot file" ]] || note "N=$n run $run: the restart read the index from $LOADED_FROM, not the snapshot (see $SERVER_LOG)"

        # the first thing after the start: a list whose query changes on every request, no warm-up
        log "N=$n run $run: rotating lists, first run after the start ($DURATION, no warm-up)"
        wrk_lua rotate-first "$PATHS_DIR/lists.txt" "$DURATION"
        row "rotating list ($LISTS queries), first run after start, no warm-up" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "" "" "$(vs_baseline rotate-first "$W_P50" "$W_P99")"
        log "N=$n run $run: single items rotating over $IDS ids ($DURATION, no warm-up)"
        wrk_lua items-rotate "$PATHS_DIR/items.txt" "$DURATION"
        row "single items rotating over $IDS ids (no warm-up)" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "" "$(ratio "$W_REQS" "$IDS") passes" ""
        THREADS=1 CONNECTIONS=1 wrk_lua rotate-1-warmup "$PATHS_DIR/lists.txt" "$WARMUP"
        THREADS=1 CONNECTIONS=1 wrk_lua rotate-1 "$PATHS_DIR/lists.txt" "$DURATION"
        rot1_p50=$W_P50
        row "rotating list, 1 connection" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "" "$W_KB KiB a response" "$(vs_baseline rotate-1 "$W_P50" "$W_P99")"
        wrk_lua rotate-warm-warmup "$PATHS_DIR/lists.txt" "$WARMUP"
        wrk_lua rotate-warm "$PATHS_DIR/lists.txt" "$DURATION"
        row "rotating list, warm" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "" "" "$(vs_baseline rotate-warm "$W_P50" "$W_P99")"
        if ((FULL_LISTS > 0)); then
            THREADS=1 CONNECTIONS=1 wrk_lua rotate-full-1-warmup "$PATHS_DIR/lists-full.txt" "$WARMUP"
            THREADS=1 CONNECTIONS=1 wrk_lua rotate-full-1 "$PATHS_DIR/lists-full.txt" "$DURATION"
            row "rotating list, full pages only ($FULL_LISTS queries), 1 connection" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "" "$W_KB KiB a response" "$(vs_baseline rotate-full-1 "$W_P50" "$W_P99")"
        fi

        # nginx, the yardstick, in the same run
        run_wrk nginx-static-item "http://127.0.0.1:$NGINX_PORT/item.json" "$DURATION"
        nginx_item=$W_RPS
        row "nginx static item" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "$bytes_item" "1.00" ""
        run_wrk nginx-static-item-304 "http://127.0.0.1:$NGINX_PORT/item.json" "$DURATION" -H "If-None-Match: $nginx_etag"
        row "nginx static item If-None-Match → 304" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" 0 "$(ratio "$W_RPS" "$nginx_item")" ""
        run_wrk nginx-static-list "http://127.0.0.1:$NGINX_PORT/list.json" "$DURATION"
        nginx_list=$W_RPS
        row "nginx static list (the list's bytes)" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "$bytes_list" "1.00" ""

        # repeated requests (the response cache): WARMUP unrecorded, then DURATION
        run_wrk server-item-warmup "$item_url" "$WARMUP"
        run_wrk server-item "$item_url" "$DURATION"
        row "server item, repeated" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "$bytes_item" "$(ratio "$W_RPS" "$nginx_item") of nginx item" ""
        run_wrk server-item-304-warmup "$item_url" "$WARMUP" -H "If-None-Match: $etag"
        run_wrk server-item-304 "$item_url" "$DURATION" -H "If-None-Match: $etag"
        row "server item If-None-Match → 304" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" 0 "$(ratio "$W_RPS" "$nginx_item") of nginx item" ""
        run_wrk server-list-warmup "$list_url" "$WARMUP"
        run_wrk server-list "$list_url" "$DURATION"
        row "server list repeated (cached), total=$total" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "$bytes_list" "**$(ratio "$W_RPS" "$nginx_list")** of nginx list" "$(vs_baseline list "$W_P50" "$W_P99")"
        THREADS=1 CONNECTIONS=1 run_wrk server-list-1-warmup "$list_url" "$WARMUP"
        THREADS=1 CONNECTIONS=1 run_wrk server-list-1 "$list_url" "$DURATION"
        row "server list repeated (cached), 1 connection" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "$bytes_list" "" "$(vs_baseline list-1 "$W_P50" "$W_P99")"

        # page 1 and page FAR_PAGE of the same list, uncached (distinct spellings of the sort), one connection
        if ((FAR_OK)); then
            local p1_p50 p1_rps
            THREADS=1 CONNECTIONS=1 wrk_lua page1-warmup "$PATHS_DIR/page1.txt" "$WARMUP"
            THREADS=1 CONNECTIONS=1 wrk_lua page1 "$PATHS_DIR/page1.txt" "$DURATION"
            p1_p50=$W_P50
            p1_rps=$W_RPS
            row "list page 1 (sort=$PAGE_SORT&limit=$PAGE_LIMIT, uncached), 1 connection" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "" "" "$(vs_baseline page1 "$W_P50" "$W_P99")"
            THREADS=1 CONNECTIONS=1 wrk_lua pagefar-warmup "$PATHS_DIR/pagefar.txt" "$WARMUP"
            THREADS=1 CONNECTIONS=1 wrk_lua pagefar "$PATHS_DIR/pagefar.txt" "$DURATION"
            row "list page $FAR_PAGE of the same (offset=$(( (FAR_PAGE - 1) * PAGE_LIMIT ))), 1 connection" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "" \
                "**$(ratio "$W_P50" "$p1_p50")** p50 ÷ page 1 ($(ratio "$p1_rps" "$W_RPS") by req/s)" "$(vs_baseline pagefar "$W_P50" "$W_P99")"
        fi

        # worst-case search: repeated (cached) and rotating over spellings of the same q (computed every time)
        run_wrk server-search-warmup "$search_url" "$WARMUP"
        run_wrk server-search "$search_url" "$DURATION"
        row "search q=$SEARCH repeated (cached), total=$stotal" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "$bytes_search" "" "$(vs_baseline search "$W_P50" "$W_P99")"
        wrk_lua search-uncached-warmup "$PATHS_DIR/search.txt" "$WARMUP"
        wrk_lua search-uncached "$PATHS_DIR/search.txt" "$DURATION"
        row "search q=$SEARCH uncached (spellings rotate), total=$stotal ($spct_all% of N)" "$W_RPS" "$W_P50" "$W_P99" "$W_ERR" "" "" "$(vs_baseline search-uncached "$W_P50" "$W_P99")"

        bench_words "$n"

        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$run" "$START_SECS" "$LOADED_FROM" "$rss_load" \
            "$(rss_mib "$SERVER_PID")" "$(hwm_mib "$SERVER_PID")" >>"$T_START"
        stop_server
    done
    stop_nginx
    log "N=$n: done in $(elapsed "$t_size") s"
}

# --------------------------------------------------------------------------------------------------------------------
# import

bench_import() {
    local run=$1 lines=$OUT/import-$IMPORT_TYPE-$IMPORT_COUNT-s$SEED.jsonl dir=$OUT/import-data-r$1
    CUR_RUN=$run
    if [[ ! -s "$lines" ]]; then
        log "import: generating $IMPORT_COUNT $IMPORT_TYPE lines into $lines"
        java -cp "$BENCH_JAR" wales.exchange.bench.ImportLinesGenerator --type "$IMPORT_TYPE" --count "$IMPORT_COUNT" \
            --seed "$SEED" --out "$lines.tmp" 2>"$LOGS/import-lines.log" || { cat "$LOGS/import-lines.log" >&2; die "import lines generation failed"; }
        mv "$lines.tmp" "$lines"
    fi
    rm -rf "$dir"
    local tlog=$LOGS/import-r$run.time ilog=$LOGS/import-r$run.log samples=$LOGS/import-r$run.rss tpid jpid rc=0
    log "import run $run: $IMPORT_COUNT $IMPORT_TYPE lines into a fresh $dir (JVM options: ${IMPORT_JAVA_OPTS:-none}; log $ilog)"
    # shellcheck disable=SC2086
    /usr/bin/time -v -o "$tlog" java $IMPORT_JAVA_OPTS -jar "$JAR" import --data "$dir" "$lines" >"$ilog" 2>&1 &
    tpid=$!
    : >"$samples"
    while kill -0 "$tpid" 2>/dev/null; do
        jpid=${jpid:-$(pgrep -P "$tpid" 2>/dev/null | head -1 || true)}
        [[ -z "$jpid" ]] || rss_mib "$jpid" >>"$samples" && echo >>"$samples"
        sleep 1
    done
    wait "$tpid" || rc=$?
    sed -i '/^0\?$/d' "$samples"
    local wall peak summary secs created rejected
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.1f", s }' "$tlog")
    peak=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$tlog")
    summary=$(tr '\r' '\n' <"$ilog" | grep -E '^[0-9,]+ lines in [0-9.]+ s' | tail -1 || true)
    secs=$(sed -E 's/^[0-9,]+ lines in ([0-9.]+) s.*/\1/' <<<"$summary")
    created=$(grep -oE '[0-9,]+ created' <<<"$summary" | tr -d ', created' || true)
    rejected=$(grep -oE '[0-9,]+ rejected' <<<"$summary" | tr -d ', rejected' || true)
    local curve
    curve=$(awk '{ v[NR] = $1 } END { if (!NR) { print "n/a"; exit }
        printf "%s / %s / %s / %s", v[int(NR / 4) + 1], v[int(NR / 2) + 1], v[int(3 * NR / 4) + 1], v[NR] }' "$samples")
    printf '| %s | %s | %s | %s | %s | **%s** | %s | %s | %s | %s |\n' "$run" "$IMPORT_COUNT $IMPORT_TYPE" "${secs:-?}" "${wall:-?}" \
        "${created:-?}" "$(awk -v n="$IMPORT_COUNT" -v s="${secs:-0}" 'BEGIN { if (s > 0) printf "%.0f", n / s; else printf "n/a" }')" \
        "${peak:-?}" "$curve" "${rejected:-?}" "$rc" >>"$T_IMPORT"
    log "import run $run: $summary; wall ${wall}s, peak RSS ${peak} MiB, RSS at 25/50/75/100%: $curve, exit $rc"
    [[ $rc == 0 ]] || log "WARNING: import exited with $rc (see $ilog)"
    rm -rf "$dir"
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
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "bad RUNS $RUNS"

if [[ ! -s "$RESULTS" ]]; then
    cat >"$RESULTS" <<'EOF'
# ExChange delivery benchmark results

Appended by `bench/run.sh`, one section per invocation. See `bench/README.md` for how to read them.
EOF
fi
rm -rf "$TABLES"
mkdir -p "$TABLES"
trap 'rc=$?; finish_results $rc; cleanup_procs; exit $rc' EXIT
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]] || commit="$commit+dirty"
jar_built=$(date -u -r "$JAR" +%FT%TZ)
[[ -z "$(newer_source)" ]] || { jar_built="$jar_built (OLDER THAN THE SOURCES)"; log "WARNING: the jar is older than the sources"; }
# shellcheck disable=SC2086
heap=$(java $SERVER_JAVA_OPTS -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "MaxHeapSize" { printf "%.0f MiB", $4 / 1048576 }
    $2 ~ /^Use(Serial|Parallel|G1|Z|Shenandoah)GC$/ && $4 == "true" { gc = $2 } END { printf ", %s", gc }')
{
    echo "## $(date -u +%FT%TZ) · commit $commit · jar built $jar_built · $(nproc) cores, $(free -m | awk '/^Mem:/ {print $2}') MiB RAM · SIZES=$SIZES · RUNS=$RUNS"
    echo
    echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (warm-up $WARMUP where stated), loopback. Server JVM options: \`${SERVER_JAVA_OPTS:-(none)}\` ($JAVA_OPTS_FROM; max heap $heap). Import JVM options: \`${IMPORT_JAVA_OPTS:-(none)}\`."
    echo
    echo "Every run restarts the server from the snapshot; its first scenario (rotating list, no warm-up) and the next (single items, no warm-up) are the first requests after the start. Rotating and \"uncached\" rows ask a different query string on every request (more of them than the response cache holds), so they measure the query, not the cache. Errors: responses >= 400 and socket errors (wrk); every row must show 0."
} >"$TABLES/header.md"
cat >"$T_START" <<'EOF'
Start and memory ("load": the first start, which leaves the snapshot at its clean stop; runs: a restart each, start to
/health 200; RSS by `ps -o rss` right after the start, after the run's scenarios, and the process's peak, VmHWM):

| N | run | start to healthy s | index loaded from | RSS after load MiB | RSS after scenarios MiB | peak RSS MiB |
|---:|---|---:|---|---:|---:|---:|
EOF
cat >"$T_WRK" <<'EOF'
| N | run | scenario | req/s | p50 ms | p99 ms | errors | requests | body bytes | ratio | p50 / p99 ÷ N=1000 | other CPU % |
|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|
EOF
cat >"$T_WORDS" <<'EOF'
New words (one connection, one request each, timed by curl; ms median · p90): the first query for each word in this
server process, the same word again under an equivalent query that is not cached (`&offset=0`), and the first query
again (answered from the response cache):

| N | run | words | new word | repeat, uncached | repeat, cached | per word: new ÷ uncached (median) | new ÷ uncached (medians) | new ÷ cached | words with total 0 | errors |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
EOF
cat >"$T_IMPORT" <<'EOF'
Import (`exchange-server.jar import --data <fresh dir> FILE`, timed by `/usr/bin/time -v`; seconds as the import reports
them, and wall time with the JVM start and the repository's shutdown; RSS sampled every second):

| run | lines | import s | wall s | created | items/s | peak RSS MiB | RSS at 25 / 50 / 75 / 100% of the time MiB | rejected | exit |
|---:|---|---:|---:|---:|---:|---:|---|---:|---:|
EOF

for n in $SIZES; do
    [[ "$n" =~ ^[0-9]+$ ]] || die "bad size $n"
    bench_size "$n"
done
if (( IMPORT_COUNT > 0 )); then
    for run in $(seq 1 "$RUNS"); do
        bench_import "$run"
    done
fi

log "all done in $(elapsed "$RUN_START") s; results appended to $RESULTS"
for n in "${!GEN_SECS[@]}"; do
    log "generation N=$n took ${GEN_SECS[$n]} s"
done
finish_results 0
trap 'rc=$?; cleanup_procs; exit $rc' EXIT
# print this invocation's section
awk 'BEGIN {last = 0} /^## / {last = NR} {lines[NR] = $0} END {for (i = last; i <= NR; i++) print lines[i]}' "$RESULTS"
