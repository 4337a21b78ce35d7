#!/usr/bin/env bash
# The benchmark suite, in one command: builds Rivulet and the load generator, runs every scenario
# against Rivulet, then against nginx+nchan (each server alone on the machine), runs the log export
# benchmark, and writes bench/results/run-<time>.json, summary.md and the plots. See bench/README.md.
#
#   bench/run.sh                 the full suite (about 19 minutes)
#   bench/run.sh --quick         a smoke run: fewer connections, shorter steps, no export (about 5 minutes)
#
# Options after those go to the generator: --servers=rivulet,nchan
# --scenarios=idle,fanout,topics,room,stalled,single
# --fanout=1,100,1000,5000 --deliveries=N,N,... (fan-out steps, deliveries/s) --idle=N (idle connections)
# --stalled=0,100,1000 --stalled-seconds=20 (subscribers that stop reading, beside 100 readers)
# --single=1,1000,5000 --single-seconds=10 (one publisher, closed loop, to N subscribers)
# --jvm="-Xms1g -Xmx1g ..." (Rivulet's JVM options) --server-cpus=1 --generator-cpus=0 (pin with taskset)
# --cluster (two nodes on one Redis, redis-server on the PATH; --cluster-rates=N,N,... --cluster-subscribers=N)
# --step-seconds=N --label=TEXT. Environment: RIVULET_JWT_SECRET (the generator signs its token with it),
# NO_EXPORT=1 skips the export benchmark.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
QUICK=
ARGS=()
GEN_CPUS=
for a in "$@"; do
    case "$a" in
        --quick) QUICK=1; ARGS+=("$a") ;;
        --generator-cpus=*) GEN_CPUS=${a#*=}; ARGS+=("$a") ;;
        *) ARGS+=("$a") ;;
    esac
done

command -v nginx >/dev/null && [ -f /usr/lib/nginx/modules/ngx_nchan_module.so ] \
    || { echo "nginx with nchan is missing: apt-get install -y nginx libnginx-mod-nchan" >&2; exit 1; }
# The generator and the server each hold up to 15,000 sockets.
ulimit -n "$(ulimit -Hn)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

mkdir -p "$BENCH/results" "$BENCH/target"
EXPORT_OUT=
if [ -z "$QUICK" ] && [ -z "${NO_EXPORT:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "export benchmark (bench/export-benchmark.sh)" >&2
    EXPORT_OUT=$BENCH/target/export.md
    "$BENCH/export-benchmark.sh" > "$EXPORT_OUT"
fi

echo "building Rivulet and the generator" >&2
(cd "$ROOT" && mvn -q -B -DskipTests package)

PIN=()
[ -n "$GEN_CPUS" ] && PIN=(taskset -c "$GEN_CPUS")
cd "$BENCH"
"${PIN[@]}" java -Xmx2g -cp "target/classes:target/lib/*" dev.rivulet.bench.Bench \
    --results="$BENCH/results" --work="$BENCH/target/work" --rivulet-jar="$ROOT/rivulet-hub/target/rivulet.jar" \
    --nchan-conf="$BENCH/nchan/nginx.conf" ${EXPORT_OUT:+--export="$EXPORT_OUT"} "${ARGS[@]}"
