#!/usr/bin/env bash
# Export benchmark: 1,000,000 log rows out of PostgreSQL through GET /api/logs (NDJSON, plain and
# gzip), beside psql writing the same rows with COPY ... TO STDOUT from the same database, and the
# Rivulet server's heap while it exports. Prints a Markdown table. See bench/README.md.
#
# Needs Java 17, Maven, and PostgreSQL's server and psql from Debian (apt-get install postgresql).
# Starts its own PostgreSQL (a temporary cluster) and its own Liberty server (rivulet-bench), and
# removes both when it ends. Settings: ROWS, RUNS, HEAP, PG_PORT, HTTP_PORT, PG_BIN, and
# RIVULET_JWT_SECRET (the server verifies tokens with it; the script signs its own with it).
set -euo pipefail

ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
HEAP=${HEAP:-256m}
PG_PORT=${PG_PORT:-55432}
HTTP_PORT=${HTTP_PORT:-9380}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WLP=$ROOT/rivulet-hub/target/liberty/wlp
SERVER=rivulet-bench
SERVICE=bench
WORK=$(mktemp -d /tmp/rivulet-bench.XXXXXX)
BASE=http://localhost:$HTTP_PORT

[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL's server binaries are missing: apt-get install postgresql" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql is missing: apt-get install postgresql-client" >&2; exit 1; }

# PostgreSQL refuses to run as root; as root, run it as the postgres user Debian's package made.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
    [ -n "${SAMPLER:-}" ] && kill "$SAMPLER" 2>/dev/null || true
    [ -x "$WLP/bin/server" ] && "$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1 || true
    as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
# Sending and reading logs needs a token (SECURITY.md): HS256, signed here with the server's secret,
# the development secret unless RIVULET_JWT_SECRET is set.
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
JWT_HEAD=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
JWT_CLAIMS=$(printf '{"sub":"bench","rivulet":{"publish":["*"],"subscribe":["*"]}}' | b64url)
JWT_SIG=$(printf '%s.%s' "$JWT_HEAD" "$JWT_CLAIMS" \
    | openssl dgst -sha256 -hmac "${RIVULET_JWT_SECRET:-!ChangeThisRivuletDevelopmentSecret!}" -binary | b64url)
AUTH="Authorization: Bearer $JWT_HEAD.$JWT_CLAIMS.$JWT_SIG"

metric() { curl -s "$BASE/metrics" | awk -v m="$1" '!found && ($1 ~ "^"m"[{ ]" || $1 == m) { print $NF; found = 1 }' || true; }

echo "PostgreSQL ($("$PG_BIN/postgres" --version)) on port $PG_PORT" >&2
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
as_postgres "$PG_BIN/initdb" -D "$WORK/pg" -U postgres -A trust >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
    -o "-p $PG_PORT -k $WORK -c listen_addresses=localhost -c synchronous_commit=off" start >/dev/null

echo "Rivulet ($SERVER) on port $HTTP_PORT with -Xmx$HEAP" >&2
# Maven's output goes to stderr: stdout is the table.
(cd "$ROOT" && mvn -q -B -DskipTests -DserverName=$SERVER package liberty:create liberty:deploy) >&2
cat > "$WLP/usr/servers/$SERVER/bootstrap.properties" <<PROPS
http.port=$HTTP_PORT
https.port=$((HTTP_PORT + 1))
rivulet.db.url=jdbc:postgresql://localhost:$PG_PORT/postgres
rivulet.db.user=postgres
rivulet.db.password=postgres
PROPS
echo "-Xmx$HEAP" > "$WLP/usr/servers/$SERVER/jvm.options"
"$WLP/bin/server" start "$SERVER" >/dev/null
for _ in $(seq 1 120); do curl -sf -o /dev/null "$BASE/health/ready" && break; sleep 1; done

echo "Ingesting $ROWS rows through POST /api/logs (gzip)" >&2
start=$(now)
seq 0 $((ROWS - 1)) | awk -v s=$SERVICE '{ printf "{\"level\":\"info\",\"service\":\"%s\",\"message\":\"row %d abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789\",\"n\":%d}\n", s, $1, $1 }' \
    | gzip -1 > "$WORK/body.ndjson.gz"
answer=$(curl -s -H "$AUTH" -H 'Content-Type: application/x-ndjson' -H 'Content-Encoding: gzip' --data-binary @"$WORK/body.ndjson.gz" "$BASE/api/logs")
echo "  $answer in $(echo "$(now) - $start" | bc) s" >&2
as_postgres psql -h localhost -p "$PG_PORT" -U postgres -qc "VACUUM ANALYZE log_entry" >/dev/null

# Heap samples every 100 ms while Rivulet exports.
( set +e; while :; do metric memory_usedHeap_bytes; sleep 0.1; done ) > "$WORK/heap.txt" &
SAMPLER=$!

# One timed run: the command's output is counted (lines, bytes); prints "seconds lines bytes".
timed() {
    local s e counts
    s=$(now)
    counts=$("$@" | wc -lc)
    e=$(now)
    echo "$(echo "$e - $s" | bc) $counts"
}

SQL="SELECT id, logged_at, level, service, message, fields FROM log_entry WHERE service = '$SERVICE' ORDER BY service, id"
declare -A best
run() {
    local name=$1; shift
    local b=""
    for _ in $(seq 1 "$RUNS"); do
        r=$(timed "$@")
        if [ -z "$b" ] || [ "$(echo "${r%% *} < ${b%% *}" | bc)" = 1 ]; then b=$r; fi
    done
    best[$name]=$b
}

rivulet_ndjson() { curl -s -H "$AUTH" "$BASE/api/logs?service=$SERVICE"; }
rivulet_gzip() { curl -s -H "$AUTH" -H 'Accept-Encoding: gzip' "$BASE/api/logs?service=$SERVICE"; }
psql_copy() { psql -h localhost -p "$PG_PORT" -U postgres -qAt -c "COPY ($SQL) TO STDOUT"; }
psql_copy_json() { psql -h localhost -p "$PG_PORT" -U postgres -qAt -c "COPY (SELECT row_to_json(r) FROM ($SQL) r) TO STDOUT"; }

echo "Exporting, best of $RUNS runs each" >&2
rivulet_ndjson > /dev/null # JIT warm-up
run "GET /api/logs (NDJSON)" rivulet_ndjson
run "GET /api/logs, Accept-Encoding: gzip" rivulet_gzip
kill "$SAMPLER" 2>/dev/null || true; SAMPLER=
run "psql COPY ... TO STDOUT (text)" psql_copy
run "psql COPY ... TO STDOUT (row_to_json)" psql_copy_json

max_heap=$(metric memory_maxHeap_bytes)
peak=$(sort -g "$WORK/heap.txt" | tail -1)
median=$(sort -g "$WORK/heap.txt" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')

echo
echo "| export of $ROWS rows | seconds | rows/s | MB/s | lines | bytes |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for name in "GET /api/logs (NDJSON)" "GET /api/logs, Accept-Encoding: gzip" "psql COPY ... TO STDOUT (text)" "psql COPY ... TO STDOUT (row_to_json)"; do
    read -r secs lines bytes <<< "${best[$name]}"
    rows=$ROWS
    case $name in *gzip*) lines="(compressed)" ;; esac
    awk -v n="$name" -v s="$secs" -v r="$rows" -v l="$lines" -v b="$bytes" \
        'BEGIN { printf "| %s | %.2f | %.0f | %.1f | %s | %d |\n", n, s, r / s, b / s / 1e6, l, b }'
done
echo
awk -v p="$peak" -v m="$median" -v x="$max_heap" -v n="$(wc -l < "$WORK/heap.txt")" \
    'BEGIN { printf "Rivulet heap while exporting (%d samples): peak %.0f MB used, median %.0f MB, of a %.0f MB maximum heap\n", n, p / 1e6, m / 1e6, x / 1e6 }'
echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }'), client and servers on one host"
