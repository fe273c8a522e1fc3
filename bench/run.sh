#!/usr/bin/env bash
# Performance benchmark of issue 7 (not part of the test run). One command, also from a fresh clone:
#
#   bench/run.sh
#
# In one run, on this machine and one PostgreSQL server, it measures and writes into bench/RESULTS.md
# (with the machine's description, the statements per request and the query plans):
#   a. the full settlements layer, 10k, over HTTP against psql running the app's own SQL (target ≤ 1.3×)
#   b. the layer by bbox at city zoom, 100k, under wrk with 32 connections (target p95 < 50 ms)
#   c. vector tiles/s at z8, z12 and z14, 100k
#      (b and c twice: with the app's response cache off, and on: a first pass into the empty cache, then wrk)
#   d. the streamed GeoJSON path against EF Core entities serialised with NetTopologySuite, in-process
#   e. the service's peak RSS during a 100k CSV and a 100k GeoJSON export
#   f. SQL statements per request (no N+1) and EXPLAIN (ANALYZE, BUFFERS) of the main queries, 100k
#   g. the map's frame intervals at 100k in headless Chromium while panning and zooming
# It installs what is missing (postgresql-15-postgis-3, chromium and wrk from Debian; the npm packages),
# builds Release (the app and bench/SettlementMap.Bench), starts the local cluster .data/pg when it is
# not running (and then stops it at the end), generates settlementmap_scale_10000 and _100000 there
# once (later runs reuse them), and runs the app on free ports 5090–5099, stopping it again.
# About 10 minutes on 2 cores, plus one the first time (the data). Settings (environment):
#   BENCH_RUNS (a and d, default 7), BENCH_WRK_SECONDS (b, 20), BENCH_TILE_SECONDS (c, each zoom, 10),
#   BENCH_WARMUP_SECONDS (b, c: wrk before each measured run, 15), BENCH_OUTPUT (default bench/RESULTS.md). Logs and raw figures stay in the folder it names.
#   h (issue 23): the as-of layer and tiles (BENCH_AS_OF, default 2021-01-01, in the middle of the history) against
#   the current ones, 100k settlements with ~5 versions each (generate-scale --versions 5), one app with the cache
#   off, alternating A/B for BENCH_ASOF_ROUNDS rounds (default 3); plus history storage per version and the plans.
#   p (issue 24): the peer servers on the same 100k table, under nginx with FastCGI (bench/peers/): MapServer 8's MVT
#   tiles at z8, z12 and z14 on our tile paths, and OGC API - Features items at the city-zoom boxes from MapServer and
#   QGIS Server, against ours with the cache off, alternating for BENCH_PEER_ROUNDS rounds (default 3); payload bytes
#   and feature counts of BENCH_PEER_SAMPLE paths a kind (default 20) compared (ogrinfo for tiles). Installs the peers
#   from Debian (PEER_PACKAGES in scripts/setup.sh) when missing. Then item 2's goals, each marked pass or fail from
#   the medians (the paging goal from section r, which runs before p).
#   r (issue 24): past one app and one server, alternating for BENCH_PEER_ROUNDS rounds: the city-zoom bbox (cache off)
#   on one instance against two behind the same nginx (round robin); reads on the primary against reads routed to a
#   hot standby of the bench cluster (pg_basebackup -R, started beside it and removed at the end); the whole 100k
#   settlements paged through OGC items (limit 10000, following next links: bench/ogc-paging.py) against our export.
#   BENCH_SECTIONS (default all: a,b,c,d,e,f,g,h,p,r) runs only those named, e.g. BENCH_SECTIONS=h; the report is
#   rewritten only when all run, and the parts of sections h, p and r (between their markers) are replaced in any case.
#   BENCH_APP_DIR (default src/SettlementMap.Web): the built app to run, e.g. another worktree's build, for a trial
#   on a database that build has migrated already.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/setup.sh

RUNS=${BENCH_RUNS:-7}
WRK_SECONDS=${BENCH_WRK_SECONDS:-20}
TILE_SECONDS=${BENCH_TILE_SECONDS:-10}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-15}
OUTPUT=${BENCH_OUTPUT:-bench/RESULTS.md}
SECTIONS=${BENCH_SECTIONS:-a,b,c,d,e,f,g,h,p,r}
PEER_ROUNDS=${BENCH_PEER_ROUNDS:-3}
PEER_SAMPLE=${BENCH_PEER_SAMPLE:-20}
APP_DIR=${BENCH_APP_DIR:-src/SettlementMap.Web}
AS_OF=${BENCH_AS_OF:-2021-01-01}
ASOF_ROUNDS=${BENCH_ASOF_ROUNDS:-3}
ASOF_VERSIONS=5
want() { [[ ",$SECTIONS," == *",$1,"* ]]; }
PG_BIN=${SETTLEMENTMAP_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DATA=$ROOT/.data/pg/data
WORK=$(mktemp -d /tmp/settlementmap-bench.XXXXXX)
BENCH=(dotnet "$ROOT/bench/SettlementMap.Bench/bin/Release/net10.0/SettlementMap.Bench.dll")
HZ=$(getconf CLK_TCK)
STARTED=$SECONDS
APP_PID=
CLUSTER_STARTED=
PEER_PIDS=()   # section p: nginx and the FastCGI processes, stopped at the end
EXTRA_PIDS=()  # section r: the second app instance and its nginx
STANDBY_DIR=   # section r: the hot standby, stopped and removed at the end

log() { printf '\n== %s\n' "$*"; }
figure() { printf '%s\t%s\n' "$1" "$2" >> "$WORK/figures.tsv"; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_app() {
  if [ -n "$APP_PID" ]; then
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=
  fi
}

cleanup() {
  stop_app
  if [ ${#EXTRA_PIDS[@]} -gt 0 ]; then kill "${EXTRA_PIDS[@]}" 2>/dev/null || true; fi
  if [ -n "$STANDBY_DIR" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$STANDBY_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$STANDBY_DIR"
  fi
  if [ ${#PEER_PIDS[@]} -gt 0 ]; then
    # An idle FastCGI mapserv ignored SIGTERM (it waits in accept); they keep nothing to flush.
    kill "${PEER_PIDS[@]}" 2>/dev/null || true
    sleep 1
    kill -KILL "${PEER_PIDS[@]}" 2>/dev/null || true
  fi
  if [ -n "$CLUSTER_STARTED" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
  fi
  echo "Logs and raw figures: $WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
figure run.load_start "$(cut -d' ' -f1-3 /proc/loadavg)"   # other work on the machine, before ours

log "Installing what is missing, building Release"
ensure_apt "$POSTGIS_PACKAGE" "$CHROMIUM_PACKAGE" "wrk:/usr/bin/wrk"
if want p; then ensure_apt "$GDAL_PACKAGE" "${PEER_PACKAGES[@]}"; fi
ensure_npm
dotnet build bench/SettlementMap.Bench -c Release -nologo -v quiet -clp:ErrorsOnly

log "Local PostGIS cluster (.data/pg) and the scale databases"
if [ -f "$PG_DATA/postmaster.pid" ] && pg_isready -q -h 127.0.0.1 -p "$(sed -n 4p "$PG_DATA/postmaster.pid")"; then
  echo "Reusing the running cluster"
else
  CLUSTER_STARTED=yes
fi
"${BENCH[@]}" cluster > "$WORK/cluster.txt"
PG_PORT=$(sed -n 1p "$WORK/cluster.txt")
CONNECTION_TEMPLATE=$(sed -n 2p "$WORK/cluster.txt")
connection() { printf '%s' "${CONNECTION_TEMPLATE//\{db\}/$1}"; }
psql_to() { local db=$1; shift; psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 "$@"; }

# ensure_scale COUNT [VERSIONS]: the scale database, kept when it has COUNT settlements (and, with VERSIONS,
# at least VERSIONS - 1 versions a settlement on average: generate-scale --versions).
ensure_scale() {
  local count=$1 versions=${2:-1} db=settlementmap_scale_$1 have=0 history=0
  if [ "$(psql_to postgres -At -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" = 1 ]; then
    have=$(psql_to "$db" -At -c "SELECT count(*) FROM settlements" 2>/dev/null || echo 0)
    history=$(psql_to "$db" -At -c "SELECT count(*) >= ($versions - 1) * $count FROM settlement_versions" 2>/dev/null || echo f)
  fi
  if [ "$have" = "$count" ] && [ "$history" = t ]; then
    echo "$db: $count settlements, kept"
  else
    (cd src/SettlementMap.Web && dotnet bin/Release/net10.0/SettlementMap.Web.dll generate-scale --count "$count" --versions "$versions")
  fi
}
ensure_scale 10000
if want h; then ensure_scale 100000 "$ASOF_VERSIONS"; else ensure_scale 100000; fi
DB10=settlementmap_scale_10000
DB100=settlementmap_scale_100000

free_port() {
  local port
  for port in $(seq 5090 5099); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "No free port in 5090-5099" >&2
  return 1
}

# any_port: a free port the kernel picks (for servers that start later than the next port is looked for).
any_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_app DATABASE [CACHE_MIB]: the Release app on that database (no demo data, no base map, no
# per-client rate limits: every load comes from one address), its response cache at CACHE_MIB
# (default the app's 64; 0 turns it off); sets APP_PID, APP_URL.
start_app() {
  local port
  port=$(free_port)
  (cd "$APP_DIR" && SETTLEMENTMAP_DB="$(connection "$1")" Demo__Load=false Map__BaseLayer__Url= RateLimits__Enabled=false \
    ResponseCache__SizeLimitMiB="${2:-64}" exec dotnet bin/Release/net10.0/SettlementMap.Web.dll --urls "http://127.0.0.1:$port") > "$WORK/app-$1.log" 2>&1 &
  APP_PID=$!
  APP_URL=http://127.0.0.1:$port
  for _ in $(seq 1 90); do
    if curl -sf -o /dev/null "$APP_URL/api/config"; then
      echo "App on $1 at $APP_URL (pid $APP_PID)"
      return 0
    fi
    if ! kill -0 "$APP_PID" 2>/dev/null; then
      cat "$WORK/app-$1.log" >&2
      echo "The app stopped during start-up" >&2
      return 1
    fi
    sleep 1
  done
  echo "The app did not answer in 90 s" >&2
  return 1
}

log "Machine"
figure machine.cpu "$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
figure machine.cores "$(nproc)"
figure machine.memory "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
figure machine.kernel "$(uname -r)"
figure machine.os "$(. /etc/os-release && echo "$PRETTY_NAME")"
figure machine.postgres "$(psql_to "$DB100" -At -c 'SELECT version()')"
figure machine.postgres_settings "$(psql_to "$DB100" -At -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('fsync', 'shared_buffers', 'max_connections')")"
figure machine.postgis "$(psql_to "$DB100" -At -c "SELECT 'PostGIS ' || postgis_lib_version() || ', GEOS ' || postgis_geos_version() || ', PROJ ' || postgis_proj_version()")"
figure machine.dotnet "$(dotnet --version); $(dotnet --list-runtimes | grep -o 'Microsoft.AspNetCore.App [0-9.]*' | tail -1)"
figure machine.chromium "$(chromium --version 2>/dev/null | head -1)"
figure machine.wrk "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
figure data.source "$(psql_to "$DB100" -At -c 'SELECT string_agg(DISTINCT source, $$; $$) FROM settlements')"
figure run.date "$(date -u '+%Y-%m-%d %H:%M UTC')"
figure run.commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src wwwroot bench ':!bench/RESULTS.md' 2>/dev/null || echo ' (with uncommitted changes)')"
figure run.runs "$RUNS"
figure run.wrk_seconds "$WRK_SECONDS"
figure run.tile_seconds "$TILE_SECONDS"
figure run.warmup_seconds "$WARMUP_SECONDS"
sed 's/\t/: /' "$WORK/figures.tsv"

if want a; then
log "a. Full layer, 10k: HTTP against psql running the same SQL"
"${BENCH[@]}" layer-sql > "$WORK/layer.sql"
{ echo "COPY ("; sed '$ s/;$//' "$WORK/layer.sql"; echo ") TO STDOUT;"; } > "$WORK/layer-copy.sql"
start_app "$DB10"
LAYER_URL=$APP_URL/api/layers/settlements
# \timing: the server's work and the transfer, without psql's start or connection set-up.
psql_ms() { psql_to "$DB10" -c '\timing on' -c '\o /dev/null' -f "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1; }
http_ms() { curl -sf -o /dev/null -w '%{time_total}' "$LAYER_URL" | awk '{print $1 * 1000}'; }
bytes=$(curl -sf "$LAYER_URL" | wc -c)
figure layer10k.http_bytes "$bytes"
figure layer10k.psql_bytes "$(psql_to "$DB10" -At -f "$WORK/layer.sql" | wc -c)"
psql_ms "$WORK/layer-copy.sql" > /dev/null
for run in $(seq 1 "$RUNS"); do
  http=$(http_ms)
  rows=$(psql_ms "$WORK/layer.sql")
  copy=$(psql_ms "$WORK/layer-copy.sql")
  figure layer10k.http_ms "$http"
  figure layer10k.psql_ms "$rows"
  figure layer10k.copy_ms "$copy"
  echo "run $run: HTTP $http ms, psql rows $rows ms, psql COPY $copy ms"
done
stop_app
fi

log "Workload: city-zoom bboxes and tiles holding settlements (100k)"
"${BENCH[@]}" workload "$(connection "$DB100")" "$WORK"
# The same boxes at zoom 13: other URLs on the same code path, to warm a fresh app (connections,
# PostGIS loaded in each backend, .NET's JIT) without putting the measured URLs in its cache.
sed 's/zoom=14$/zoom=13/' "$WORK/bbox.paths" > "$WORK/bbox-warm.paths"

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# The machine's busy CPU (all cores, from /proc/stat). PostgreSQL's share of a run is this less the app's
# and wrk's: nothing else runs meanwhile. (Summing the backends of DB100 and the postmaster's reaped
# children gave -2.3 s in one run; I did not pin down why.)
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# run_wrk NAME SECONDS PATHS: wrk, 2 threads, 32 connections, over the paths in turn, after a warm-up over them
# (WARMUP_SECONDS: .NET's tiered JIT recompiles the hot paths for the first 10-20 s on 2 busy cores).
run_wrk() {
  local name=$1 seconds=$2 paths=$3 app0 busy0 app1 busy1 wrk_cpu errors
  wrk -t2 -c32 -d"${WARMUP_SECONDS}s" --timeout 10s -s bench/rotate.lua "$APP_URL" -- "$paths" > /dev/null
  app0=$(ticks "$APP_PID")
  busy0=$(busy_ticks)
  TIMEFORMAT='%U %S'
  { time wrk -t2 -c32 -d"${seconds}s" --timeout 10s -s bench/rotate.lua "$APP_URL" -- "$paths" > "$WORK/wrk-$name.txt"; } 2> "$WORK/wrk-$name.time"
  app1=$(ticks "$APP_PID")
  busy1=$(busy_ticks)
  cat "$WORK/wrk-$name.txt"
  grep '^wrk-figures' "$WORK/wrk-$name.txt" | tr ' ' '\n' | grep '=' > "$WORK/wrk-$name.kv"
  while IFS='=' read -r key value; do figure "wrk.$name.$key" "$value"; done < "$WORK/wrk-$name.kv"
  errors=$(awk -F= '/^errors_/ {sum += $2} END {print sum + 0}' "$WORK/wrk-$name.kv")
  figure "wrk.$name.errors" "$errors"
  wrk_cpu=$(awk '{print $1 + $2}' "$WORK/wrk-$name.time")
  figure "cpu.$name.app_s" "$(awk -v d=$((app1 - app0)) -v hz="$HZ" 'BEGIN {print d / hz}')"
  figure "cpu.$name.postgres_s" "$(awk -v b=$((busy1 - busy0)) -v a=$((app1 - app0)) -v w="$wrk_cpu" -v hz="$HZ" 'BEGIN {print (b - a) / hz - w}')"
  figure "cpu.$name.wrk_s" "$wrk_cpu"
}

# first_pass NAME PATHS: each distinct path once, 32 at a time (curl --parallel), into an empty
# response cache: every request is a miss, built by PostgreSQL (the first visit of each box or tile).
first_pass() {
  local name=$1 paths=$2
  sort -u "$paths" | sed "s|^|url = \"$APP_URL|; s|\$|\"\noutput = \"/dev/null\"|" > "$WORK/first-$name.curl"
  local start=$EPOCHREALTIME
  curl -s --parallel --parallel-immediate --parallel-max 32 -K "$WORK/first-$name.curl" -w '%{http_code} %{time_total}\n' \
    > "$WORK/first-$name.txt" 2>/dev/null || true
  figure "first.$name.s" "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {print b - a}')"
  figure "first.$name.requests" "$(wc -l < "$WORK/first-$name.txt")"
  figure "first.$name.not_200" "$(awk '$1 != 200' "$WORK/first-$name.txt" | wc -l)"
  sort -k2 -g "$WORK/first-$name.txt" | awk -v name="$name" '
    { t[NR] = $2 * 1000 }
    END { p50 = int(NR * 0.50 + 0.999); p95 = int(NR * 0.95 + 0.999);
          printf "first.%s.p50_ms\t%s\nfirst.%s.p95_ms\t%s\nfirst.%s.max_ms\t%s\n", name, t[p50], name, t[p95], name, t[NR] }' >> "$WORK/figures.tsv"
  grep "^first\.$name\." "$WORK/figures.tsv" | tr '\t' ' ' | tr '\n' ' '
  echo
}

if want b || want c; then
log "b, c without the response cache: every request built by PostgreSQL"
start_app "$DB100" 0
log "b. Layer by bbox at city zoom, 100k, no cache: wrk, 32 connections, ${WRK_SECONDS} s"
run_wrk bbox_nocache "$WRK_SECONDS" "$WORK/bbox.paths"
for z in 8 12 14; do
  log "c. Tiles z$z, 100k, no cache: wrk, 32 connections, ${TILE_SECONDS} s"
  run_wrk "z${z}_nocache" "$TILE_SECONDS" "$WORK/tiles-z$z.paths"
done
stop_app

log "b, c with the response cache (64 MiB): a first pass into the empty cache, then wrk"
start_app "$DB100"
wrk -t2 -c32 -d3s --timeout 10s -s bench/rotate.lua "$APP_URL" -- "$WORK/bbox-warm.paths" > /dev/null
log "b. Layer by bbox at city zoom, 100k: first pass, then wrk, 32 connections, ${WRK_SECONDS} s"
first_pass bbox "$WORK/bbox.paths"
run_wrk bbox "$WRK_SECONDS" "$WORK/bbox.paths"
for z in 8 12 14; do
  log "c. Tiles z$z, 100k: first pass, then wrk, 32 connections, ${TILE_SECONDS} s"
  first_pass "z$z" "$WORK/tiles-z$z.paths"
  run_wrk "z$z" "$TILE_SECONDS" "$WORK/tiles-z$z.paths"
done
fi

if want e; then
[ -n "$APP_PID" ] || start_app "$DB100"   # in a full run, the app of b and c with its cache
log "e. Peak RSS of the service during 100k exports"
curl -sf -o /dev/null "$APP_URL/api/export/settlements?format=csv&district=RS.SE.20"   # the export code warm
for format in csv geojson; do
  reset=yes
  { echo 5 > "/proc/$APP_PID/clear_refs"; } 2>/dev/null || reset=no   # resets VmHWM to the current RSS
  figure rss.reset "$reset"
  figure "rss.$format.before_mib" "$(awk '/VmRSS/ {print $2 / 1024}' "/proc/$APP_PID/status")"
  start=$EPOCHREALTIME
  bytes=$(curl -sf -o /dev/null -w '%{size_download}' "$APP_URL/api/export/settlements?format=$format")
  figure "rss.$format.s" "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {print b - a}')"
  figure "rss.$format.mb" "$(awk -v b="$bytes" 'BEGIN {print b / 1e6}')"
  figure "rss.$format.peak_mib" "$(awk '/VmHWM/ {print $2 / 1024}' "/proc/$APP_PID/status")"
  grep "^rss\.$format\." "$WORK/figures.tsv" | tr '\t' ' ' | tr '\n' ' '
  echo
done

stop_app
fi

stop_app
if want g; then
log "g. The map at 100k in headless Chromium (a fresh app: its response cache empty)"
start_app "$DB100"
"${BENCH[@]}" map "$APP_URL" "$WORK" "$(connection "$DB100")"
stop_app
fi

if want d; then
log "d. Streamed GeoJSON against EF Core + NetTopologySuite, in-process"
"${BENCH[@]}" stream-vs-entities "$(connection "$DB10")" layer10k "$RUNS" "$WORK"
"${BENCH[@]}" stream-vs-entities "$(connection "$DB100")" layer100k 3 "$WORK"
fi

if want f || want h; then
log "f. Statements per request and query plans (100k)"
if "${BENCH[@]}" queries "$(connection "$DB100")" "$WORK" > "$WORK/queries.log" 2>&1; then
  tail -1 "$WORK/queries.log"
elif want f; then
  cat "$WORK/queries.log" >&2
  exit 1
else
  echo "The query audit failed (see $WORK/queries.log); section h goes on without its plans" >&2
  touch "$WORK/explain.md"
fi
fi

if want h; then
log "h. As of $AS_OF against the current state, 100k with ~$ASOF_VERSIONS versions each, cache off, alternating"
psql_to "$DB100" -c "VACUUM ANALYZE settlement_versions" > /dev/null
read -r versions ids total heap indexes current_total current_count < <(psql_to "$DB100" -At -F' ' -c "
  SELECT count(*), count(DISTINCT id), pg_total_relation_size('settlement_versions'), pg_relation_size('settlement_versions'),
         pg_indexes_size('settlement_versions'), pg_total_relation_size('settlements'), (SELECT count(*) FROM settlements)
  FROM settlement_versions")
figure asof.versions "$versions"
figure asof.settlements "$ids"
figure asof.bytes_per_version "$((total / versions))"
figure asof.heap_bytes_per_version "$((heap / versions))"
figure asof.index_bytes_per_version "$((indexes / versions))"
figure asof.total_mib "$((total / 1048576))"
figure asof.settlements_bytes_per_row "$((current_total / current_count))"
# The point pyramid through time (settlement_point_winners): what the as-of point tiles read, per version of history.
read -r winners winners_total < <(psql_to "$DB100" -At -F' ' -c "SELECT count(*), pg_total_relation_size('settlement_point_winners') FROM settlement_point_winners")
figure asof.point_history_rows "$winners"
figure asof.point_history_bytes_per_version "$((winners_total / versions))"
sed "s/\$/\&as_of=$AS_OF/" "$WORK/bbox.paths" > "$WORK/bbox-asof.paths"
for z in 8 12; do sed "s/\$/?as_of=$AS_OF/" "$WORK/tiles-z$z.paths" > "$WORK/tiles-z$z-asof.paths"; done
start_app "$DB100" 0
for round in $(seq 1 "$ASOF_ROUNDS"); do
  for kind in bbox z12 z8; do
    if [ "$kind" = bbox ]; then paths=$WORK/bbox.paths seconds=$WRK_SECONDS; else paths=$WORK/tiles-$kind.paths seconds=$TILE_SECONDS; fi
    if [ $((round % 2)) = 1 ]; then order="current asof"; else order="asof current"; fi
    for which in $order; do
      log "h. round $round, $kind, $which"
      if [ "$which" = current ]; then run_wrk "h${round}_${kind}_current" "$seconds" "$paths"; else run_wrk "h${round}_${kind}_asof" "$seconds" "${paths%.paths}-asof.paths"; fi
    done
  done
done
stop_app
# The section of the report: each round's pair, then the medians of the ratios.
awk -F'\t' -v rounds="$ASOF_ROUNDS" -v asof="$AS_OF" -v out="$WORK/asof.md" '
  { f[$1] = $2 }
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                     return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END {
    split("bbox z12 z8", kinds, " ")
    name["bbox"] = "layer by bbox, city zoom (14)"; name["z12"] = "tile z12 (outlines)"; name["z8"] = "tile z8 (points)"
    print "| request | round | current: req/s, p95 | as of " asof ": req/s, p95 | p95 as of / current | req/s as of / current |" > out
    print "|---|---:|---|---|---:|---:|" > out
    for (k = 1; k <= 3; k++) {
      kind = kinds[k]
      for (r = 1; r <= rounds; r++) {
        c = "wrk.h" r "_" kind "_current."; a = "wrk.h" r "_" kind "_asof."
        crps = f[c "requests"] / f[c "duration_s"]; arps = f[a "requests"] / f[a "duration_s"]
        pr[r] = f[a "p95_ms"] / f[c "p95_ms"]; rr[r] = arps / crps
        printf "| %s | %d | %.0f, %.1f ms | %.0f, %.1f ms | %.2f× | %.2f× |\n", name[kind], r, crps, f[c "p95_ms"], arps, f[a "p95_ms"], pr[r], rr[r] > out
        if (f[c "errors"] + f[a "errors"] > 0) printf "| | | errors %d | errors %d | | |\n", f[c "errors"], f[a "errors"] > out
      }
      printf "| **%s** | median | | | **%.2f×** | **%.2f×** |\n", name[kind], median(pr, rounds), median(rr, rounds) > out
      printf "asof.%s.p95_ratio_median\t%.2f\nasof.%s.rps_ratio_median\t%.2f\n", kind, median(pr, rounds), kind, median(rr, rounds)
    }
  }' "$WORK/figures.tsv" >> "$WORK/figures.tsv"
cat "$WORK/asof.md"
grep '^asof\.' "$WORK/figures.tsv" | tr '\t' ' '
fi

if want r; then
log "r. Past one app and one server: two instances, a hot standby, the whole collection through OGC paging"
# r1: one instance against two, behind the same nginx (round robin, keep-alive), the city-zoom bbox with the cache off.
start_app "$DB100" 0
FIRST_PID=$APP_PID FIRST_URL=$APP_URL
APP_PID=
start_app "$DB100" 0
SECOND_PID=$APP_PID SECOND_URL=$APP_URL
APP_PID=$FIRST_PID
EXTRA_PIDS+=("$SECOND_PID")
ONE_PORT=$(any_port)
TWO_PORT=$(any_port)
while [ "$TWO_PORT" = "$ONE_PORT" ]; do TWO_PORT=$(any_port); done
mkdir -p "$WORK/nginx-r-tmp"
cat > "$WORK/nginx-r.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx-r.pid;
error_log $WORK/nginx-r-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-r-tmp/body;
  proxy_temp_path $WORK/nginx-r-tmp/proxy;
  fastcgi_temp_path $WORK/nginx-r-tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx-r-tmp/uwsgi;
  scgi_temp_path $WORK/nginx-r-tmp/scgi;
  upstream one { server ${FIRST_URL#http://}; keepalive 64; }
  upstream two { server ${FIRST_URL#http://}; server ${SECOND_URL#http://}; keepalive 64; }
  server { listen 127.0.0.1:$ONE_PORT; location / { proxy_pass http://one; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host \$http_host; } }
  server { listen 127.0.0.1:$TWO_PORT; location / { proxy_pass http://two; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host \$http_host; } }
}
CONF
nginx -c "$WORK/nginx-r.conf" > "$WORK/nginx-r.out" 2>&1 &
EXTRA_PIDS+=("$!")
for _ in $(seq 1 30); do curl -s -o /dev/null "http://127.0.0.1:$TWO_PORT/api/config" && break; sleep 0.2; done
# Through nginx the app must answer the measured paths, not refuse them (a Host it does not know gets a 400).
for port in "$ONE_PORT" "$TWO_PORT"; do curl -sf -o /dev/null "http://127.0.0.1:$port$(head -1 "$WORK/bbox.paths")"; done
for round in $(seq 1 "$PEER_ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then order="one two"; else order="two one"; fi
  for side in $order; do
    log "r. round $round, bbox, $side instance(s)"
    if [ "$side" = one ]; then APP_URL=http://127.0.0.1:$ONE_PORT; else APP_URL=http://127.0.0.1:$TWO_PORT; fi
    run_wrk "r${round}_instances_$side" "$WRK_SECONDS" "$WORK/bbox.paths"
  done
done
APP_URL=$FIRST_URL
kill "$SECOND_PID" 2>/dev/null || true

# r2: a hot standby of the bench cluster beside it, made by PostgreSQL's own tools.
STANDBY_DIR=$(mktemp -d /tmp/settlementmap-standby.XXXXXX)
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$STANDBY_DIR"; fi
STANDBY_PORT=$(any_port)
start=$EPOCHREALTIME
as_postgres "$PG_BIN/pg_basebackup" -D "$STANDBY_DIR/data" -R -X stream -c fast --no-sync -h 127.0.0.1 -p "$PG_PORT" -U postgres
figure replica.basebackup_s "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {print b - a}')"
figure replica.basebackup_mib "$(du -sm "$STANDBY_DIR/data" | cut -f1)"
as_postgres "$PG_BIN/pg_ctl" -D "$STANDBY_DIR/data" -l "$STANDBY_DIR/server.log" -w -t 120 \
  -o "-p $STANDBY_PORT -k $STANDBY_DIR -c listen_addresses=127.0.0.1 -c hot_standby=on -c hot_standby_feedback=on -c max_connections=200 -c shared_buffers=512MB" start > /dev/null
APP_PID=
SETTLEMENTMAP_DB_REPLICA="$(connection "$DB100" | sed "s/Port=$PG_PORT/Port=$STANDBY_PORT/")"
export SETTLEMENTMAP_DB_REPLICA
start_app "$DB100" 0
unset SETTLEMENTMAP_DB_REPLICA
REPLICA_PID=$APP_PID REPLICA_URL=$APP_URL
EXTRA_PIDS+=("$REPLICA_PID")
for _ in $(seq 1 50); do curl -s "$REPLICA_URL/health/ready" | grep -q 'serves reads' && break; sleep 0.2; done
figure replica.health "$(curl -s "$REPLICA_URL/health/ready" | python3 -c 'import json,sys; print(json.load(sys.stdin)["checks"]["replica"]["description"])')"
standby_transactions() { psql -X -At -h 127.0.0.1 -p "$STANDBY_PORT" -U postgres -d "$DB100" -c "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"; }
for round in $(seq 1 "$PEER_ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then order="primary replica"; else order="replica primary"; fi
  for side in $order; do
    log "r. round $round, bbox, reads on the $side"
    if [ "$side" = primary ]; then APP_URL=$FIRST_URL APP_PID=$FIRST_PID; else APP_URL=$REPLICA_URL APP_PID=$REPLICA_PID; fi
    before=$(standby_transactions)
    run_wrk "r${round}_reads_$side" "$WRK_SECONDS" "$WORK/bbox.paths"
    figure "replica.r${round}_$side.standby_transactions" $(($(standby_transactions) - before))
  done
done
APP_URL=$FIRST_URL APP_PID=$FIRST_PID
kill "$REPLICA_PID" 2>/dev/null || true

# r3: every settlement through OGC items paging, as GDAL and OWSLib read it, against our streamed GeoJSON export.
for round in $(seq 1 "$PEER_ROUNDS"); do
  for side in paging export; do
    if [ "$side" = paging ]; then
      read -r features pages bytes seconds < <(bench/ogc-paging.py "$APP_URL/ogc/collections/settlements/items?limit=10000")
    else
      start=$EPOCHREALTIME
      curl -sf -o "$WORK/export.geojson" "$APP_URL/api/export/settlements?format=geojson"
      seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {print b - a}')
      bytes=$(stat -c %s "$WORK/export.geojson") pages=1
      features=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["features"]))' "$WORK/export.geojson")
    fi
    figure "whole.r${round}_$side.s" "$seconds"
    figure "whole.$side.features" "$features"
    figure "whole.$side.bytes" "$bytes"
    figure "whole.$side.pages" "$pages"
    echo "round $round, $side: $features features, $pages pages, $bytes bytes, $seconds s"
  done
done
stop_app

awk -F'\t' -v rounds="$PEER_ROUNDS" -v out="$WORK/scale-out.md" '
  { f[$1] = $2 }
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                     return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function rps(k) { return f[k "requests"] / f[k "duration_s"] }
  END {
    print "| workload | round | A: req/s, p95 | B: req/s, p95 | req/s B / A | B: transactions on the standby |" > out
    print "|---|---:|---|---|---:|---:|" > out
    split("instances reads", kinds, " "); a["instances"] = "one"; b["instances"] = "two"; a["reads"] = "primary"; b["reads"] = "replica"
    name["instances"] = "bbox: A one instance, B two (nginx round robin)"; name["reads"] = "bbox: A reads on the primary, B on the hot standby"
    for (k = 1; k <= 2; k++) {
      kind = kinds[k]
      for (r = 1; r <= rounds; r++) {
        o = "wrk.r" r "_" kind "_" a[kind] "."; p = "wrk.r" r "_" kind "_" b[kind] "."
        ratio[r] = rps(p) / rps(o)
        t = kind == "reads" ? f["replica.r" r "_replica.standby_transactions"] : ""
        printf "| %s | %d | %.0f, %.1f ms | %.0f, %.1f ms | %.2f× | %s |\n", name[kind], r, rps(o), f[o "p95_ms"], rps(p), f[p "p95_ms"], ratio[r], t > out
        if (f[o "errors"] + f[p "errors"] > 0) printf "| | | errors %d | errors %d | | |\n", f[o "errors"], f[p "errors"] > out
      }
      printf "| **%s** | median | | | **%.2f×** | |\n", name[kind], median(ratio, rounds) > out
    }
    print "" > out
    print "| the whole collection | features | requests | bytes | seconds, each round | median | ÷ export |" > out
    print "|---|---:|---:|---:|---|---:|---:|" > out
    for (r = 1; r <= rounds; r++) { e[r] = f["whole.r" r "_export.s"]; g[r] = f["whole.r" r "_paging.s"] }
    me = median(e, rounds); mg = median(g, rounds)
    for (r = 1; r <= rounds; r++) { es = es (r > 1 ? ", " : "") sprintf("%.1f", f["whole.r" r "_export.s"]); gs = gs (r > 1 ? ", " : "") sprintf("%.1f", f["whole.r" r "_paging.s"]) }
    printf "| our GeoJSON export, one request | %d | 1 | %d | %s | %.1f s | 1.00× |\n", f["whole.export.features"], f["whole.export.bytes"], es, me > out
    printf "| OGC items, limit 10000, following next | %d | %d | %d | %s | %.1f s | **%.2f×** |\n", f["whole.paging.features"], f["whole.paging.pages"], f["whole.paging.bytes"], gs, mg, mg / me > out
    printf "whole.paging_over_export_median\t%.2f\n", mg / me
  }' "$WORK/figures.tsv" >> "$WORK/figures.tsv"
cat "$WORK/scale-out.md"
fi

if want p; then
log "p. Peers on the same 100k table under nginx + FastCGI (MapServer 8, QGIS Server), against ours with the cache off, alternating"
PEERS=$ROOT/bench/peers
# jit=off as the app sets on its own connections (DatabaseRegistration.WithQuerySettings): with JIT a MapServer z8 tile
# compiled for ~58 ms of its ~115 ms (EXPLAIN ANALYZE), 17 req/s.
PEER_CONNECTION="host=127.0.0.1 port=$PG_PORT dbname=$DB100 user=postgres options='-c jit=off'"
start_app "$DB100" 0
MAPSERVER_PORT=$(free_port)
# One mapfile a kind of request, from the shared map and its layer (bench/peers/*.layer); EDGE_BUFFER in pixels: ours.
peer_map() { sed -e "/@LAYER@/{r $PEERS/$1.layer" -e "d}" "$PEERS/settlements.map" \
  | sed -e "s|@CONNECTION@|$PEER_CONNECTION|; s|@ONLINERESOURCE@|http://127.0.0.1:@PORT@/mapserver/settlements/ogcapi|; s|@EDGE_BUFFER@|$2|" > "$WORK/mapserver-$1.map"; }
peer_map outlines 4
peer_map points 8
peer_map items 0
printf 'CONFIG\n  ENV\n    MS_MAP_PATTERN "^%s/"\n    PROJ_LIB "/usr/share/proj"\n  END\n  MAPS\n    "settlements" "%s"\n  END\nEND\n' \
  "$WORK" "$WORK/mapserver-items.map" > "$WORK/mapserver.conf"
# MapServer is one request at a time a process: four processes (two per core), as many as the machine keeps busy.
MAPSERVER_CONFIG_FILE=$WORK/mapserver.conf spawn-fcgi -a 127.0.0.1 -p "$MAPSERVER_PORT" -F 4 -P "$WORK/mapserver.pids" -- /usr/lib/cgi-bin/mapserv > /dev/null
while read -r pid; do if [ -n "$pid" ]; then PEER_PIDS+=("$pid"); fi; done < <(cat "$WORK/mapserver.pids"; echo)
QGIS_PORT=$(free_port)
sed -e "s|@DATABASE@|$DB100|g; s|@PG_PORT@|$PG_PORT|g" "$PEERS/settlements.qgs" > "$WORK/settlements.qgs"
# QGIS Server: four processes like MapServer (each serves one request at a time). PGOPTIONS: jit=off, as for MapServer.
PGOPTIONS="-c jit=off" QT_QPA_PLATFORM=offscreen spawn-fcgi -a 127.0.0.1 -p "$QGIS_PORT" -F 4 -P "$WORK/qgis.pids" -- \
  /usr/bin/env QGIS_PROJECT_FILE="$WORK/settlements.qgs" /usr/lib/cgi-bin/qgis_mapserv.fcgi > /dev/null
while read -r pid; do if [ -n "$pid" ]; then PEER_PIDS+=("$pid"); fi; done < <(cat "$WORK/qgis.pids"; echo)
PEER_PORT=$(free_port)
sed -i "s|@PORT@|$PEER_PORT|" "$WORK"/mapserver-*.map
mkdir -p "$WORK/nginx-tmp" "$WORK/nginx-cache"
# nginx's workers run as nobody when it is started as root: they must reach and write the cache.
if [ "$(id -u)" -eq 0 ]; then chmod 711 "$WORK"; chown nobody "$WORK/nginx-cache"; fi
# The warm-tile servers' ports: any two free ones (nothing listens on them until nginx starts).
MAPSERVER_CACHED_PORT=$(any_port)
OURS_CACHED_PORT=$(any_port)
while [ "$OURS_CACHED_PORT" = "$MAPSERVER_CACHED_PORT" ]; do OURS_CACHED_PORT=$(any_port); done
sed -e "s|@WORK@|$WORK|g; s|@PORT@|$PEER_PORT|; s|@MAPSERVER_PORT@|$MAPSERVER_PORT|; s|@QGIS_PORT@|$QGIS_PORT|" \
  -e "s|@MAPSERVER_CACHED_PORT@|$MAPSERVER_CACHED_PORT|; s|@OURS_CACHED_PORT@|$OURS_CACHED_PORT|; s|@APP_PORT@|${APP_URL##*:}|" "$PEERS/nginx.conf" > "$WORK/nginx.conf"
nginx -c "$WORK/nginx.conf" > "$WORK/nginx.out" 2>&1 &
NGINX_PID=$!
PEER_PIDS+=("$NGINX_PID")
PEER_URL=http://127.0.0.1:$PEER_PORT
for _ in $(seq 1 30); do curl -s -o /dev/null "$PEER_URL/" && break; sleep 0.2; done
figure peers.mapserver "$(mapserv -v | cut -d' ' -f1-3)"
figure peers.nginx "$(nginx -v 2>&1 | cut -d' ' -f3)"
figure peers.qgis "QGIS Server $(dpkg-query -W -f '${Version}' qgis-server)"

# The same boxes as b, as OGC API items with every property, limit 1000 (all in the box: none is paged) on each side.
sed 's|^/api/layers/settlements?\(bbox=[^&]*\).*|/ogc/collections/settlements/items?\1\&limit=1000|' "$WORK/bbox.paths" > "$WORK/items-ours.paths"
sed 's|^/api/layers/settlements?\(bbox=[^&]*\).*|/mapserver/settlements/ogcapi/collections/settlements/items?f=json\&\1\&limit=1000|' "$WORK/bbox.paths" > "$WORK/items-mapserver.paths"
sed 's|^/api/layers/settlements?\(bbox=[^&]*\).*|/qgis/wfs3/collections/settlements/items.json?\1\&limit=1000|' "$WORK/bbox.paths" > "$WORK/items-qgis.paths"
for z in 8 12 14; do for side in ours mapserver; do cp "$WORK/tiles-z$z.paths" "$WORK/z$z-$side.paths"; done; done

# payload KIND SIDE URL: bytes and features of the first PEER_SAMPLE distinct paths, summed (ogrinfo reads a tile).
payload() {
  local kind=$1 side=$2 url=$3 bytes=0 features=0 path b n
  while read -r path; do
    curl -sf -o "$WORK/payload.bin" "$url$path" || { figure "peer.$kind.$side.failed" "$path"; return 0; }
    b=$(stat -c %s "$WORK/payload.bin")
    if [[ $kind == z* ]]; then
      IFS=/ read -r _ _ _ z x y <<< "${path%.mvt}"
      n=$(ogrinfo -ro -so -oo "X=$x" -oo "Y=$y" -oo "Z=$z" "$WORK/payload.bin" settlements 2>/dev/null | sed -n 's/^Feature Count: //p')
    else
      n=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["features"]))' "$WORK/payload.bin")
    fi
    bytes=$((bytes + b)) features=$((features + ${n:-0}))
  done < <(awk '!seen[$0]++' "$WORK/$kind-$side.paths" | head -"$PEER_SAMPLE")
  figure "peer.$kind.$side.bytes" "$bytes"
  figure "peer.$kind.$side.features" "$features"
  echo "$kind $side: $bytes bytes, $features features in the first $PEER_SAMPLE distinct paths"
}
# peer_rounds KIND SECONDS SIDE...: alternating rounds, the order reversed every other round.
peer_rounds() {
  local kind=$1 seconds=$2 round side order url pid saved_url=$APP_URL saved_pid=$APP_PID
  shift 2
  for side in "$@"; do
    if [ "$side" = ours ]; then url=$APP_URL; else url=$PEER_URL; fi
    payload "$kind" "$side" "$url"
  done
  for round in $(seq 1 "$PEER_ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="$*"; else order=$(printf '%s\n' "$@" | tac | tr '\n' ' '); fi
    for side in $order; do
      log "p. round $round, $kind, $side"
      # run_wrk measures APP_URL; for a peer, nginx in front of it (the peer's CPU figures are nginx's alone: not reported).
      if [ "$side" = ours ]; then APP_URL=$saved_url APP_PID=$saved_pid; else APP_URL=$PEER_URL APP_PID=$NGINX_PID; fi
      run_wrk "p${round}_${kind}_$side" "$seconds" "$WORK/$kind-$side.paths"
    done
  done
  APP_URL=$saved_url APP_PID=$saved_pid
}
for z in 8 12 14; do peer_rounds "z$z" "$TILE_SECONDS" ours mapserver; done
peer_rounds items "$WRK_SECONDS" ours mapserver qgis
# Warm tiles, z8, z12 and z14 together, each side behind its nginx cache (filled by the payload pass and the warm-up).
for side in ours mapserver; do cat "$WORK/tiles-z8.paths" "$WORK/tiles-z12.paths" "$WORK/tiles-z14.paths" > "$WORK/zwarm-$side.paths"; done
COLD_APP_URL=$APP_URL COLD_PEER_URL=$PEER_URL
APP_URL=http://127.0.0.1:$OURS_CACHED_PORT PEER_URL=http://127.0.0.1:$MAPSERVER_CACHED_PORT
curl -sf -o /dev/null "$APP_URL$(head -1 "$WORK/zwarm-ours.paths")"
peer_rounds zwarm "$TILE_SECONDS" ours mapserver
APP_URL=$COLD_APP_URL PEER_URL=$COLD_PEER_URL
stop_app

# The section of the report: each round, then the medians of the ratios (ours / peer; p95 peer / ours).
awk -F'\t' -v rounds="$PEER_ROUNDS" -v out="$WORK/peers.md" '
  { f[$1] = $2 }
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                     return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function rps(k) { return f[k "requests"] / f[k "duration_s"] }
  END {
    split("z8 z12 z14 items zwarm", kinds, " "); split("mapserver qgis", peers, " ")
    name["z8"] = "tile z8 (points)"; name["z12"] = "tile z12 (outlines)"; name["z14"] = "tile z14 (outlines)"; name["items"] = "OGC items, city-zoom bbox"
    name["zwarm"] = "warm tiles z8-z14, behind nginx cache"
    label["mapserver"] = "MapServer 8"; label["qgis"] = "QGIS Server"
    print "| request | peer | round | ours: req/s, p95 | peer: req/s, p95 | req/s ours / peer | p95 ours / peer |" > out
    print "|---|---|---:|---|---|---:|---:|" > out
    for (k = 1; k <= 5; k++) for (q = 1; q <= 2; q++) {
      kind = kinds[k]; peer = peers[q]
      if (!(("wrk.p1_" kind "_" peer ".requests") in f)) continue
      for (r = 1; r <= rounds; r++) {
        o = "wrk.p" r "_" kind "_ours."; p = "wrk.p" r "_" kind "_" peer "."
        rr[r] = rps(o) / rps(p); pr[r] = f[o "p95_ms"] / f[p "p95_ms"]
        printf "| %s | %s | %d | %.0f, %.1f ms | %.0f, %.1f ms | %.2f× | %.2f× |\n", name[kind], label[peer], r, rps(o), f[o "p95_ms"], rps(p), f[p "p95_ms"], rr[r], pr[r] > out
        if (f[o "errors"] + f[p "errors"] > 0) printf "| | | | errors %d | errors %d | | |\n", f[o "errors"], f[p "errors"] > out
      }
      printf "| **%s** | **%s** | median | | | **%.2f×** | **%.2f×** |\n", name[kind], label[peer], median(rr, rounds), median(pr, rounds) > out
      printf "peer.%s.%s.rps_ratio_median\t%.2f\npeer.%s.%s.p95_ratio_median\t%.2f\n", kind, peer, median(rr, rounds), kind, peer, median(pr, rounds)
    }
    # Issue 24, item 2: each goal marked from the medians above (ours / peer), never by hand.
    print "" > out
    print "| goal (issue 24, item 2) | measured (median of the rounds) | verdict |" > out
    print "|---|---|---|" > out
    for (k = 1; k <= 3; k++) {
      kind = kinds[k]
      if (!(("wrk.p1_" kind "_mapserver.requests") in f)) continue
      for (r = 1; r <= rounds; r++) g[r] = rps("wrk.p" r "_" kind "_ours.") / rps("wrk.p" r "_" kind "_mapserver.")
      m = median(g, rounds)
      printf "| cold %s ≥ 2× MapServer req/s | %.2f× | %s |\n", name[kind], m, (m >= 2 ? "pass" : "**fail**") > out
    }
    if (("wrk.p1_items_mapserver.requests") in f) {
      for (r = 1; r <= rounds; r++) {
        best = rps("wrk.p" r "_items_mapserver.")
        if (("wrk.p" r "_items_qgis.requests") in f && rps("wrk.p" r "_items_qgis.") > best) best = rps("wrk.p" r "_items_qgis.")
        g[r] = rps("wrk.p" r "_items_ours.") / best; h[r] = f["wrk.p" r "_items_ours.p95_ms"]
      }
      m = median(g, rounds); q = median(h, rounds)
      printf "| OGC items, city-zoom bbox, ≥ 3× the best peer req/s | %.2f× | %s |\n", m, (m >= 3 ? "pass" : "**fail**") > out
      printf "| OGC items, city-zoom bbox, p95 < 100 ms | %.1f ms | %s |\n", q, (q < 100 ? "pass" : "**fail**") > out
    }
    if ("whole.paging_over_export_median" in f) {
      m = f["whole.paging_over_export_median"]
      printf "| the whole collection through OGC paging within 1.5× of our export (section r) | %.2f× | %s |\n", m, (m <= 1.5 ? "pass" : "**fail**") > out
    } else print "| the whole collection through OGC paging within 1.5× of our export | section r not run | not measured |" > out
    if (("wrk.p1_zwarm_mapserver.requests") in f) {
      for (r = 1; r <= rounds; r++) g[r] = rps("wrk.p" r "_zwarm_ours.") / rps("wrk.p" r "_zwarm_mapserver.")
      m = median(g, rounds)
      printf "| warm tiles ≥ MapServer, each behind nginx'"'"'s cache (ours as docker/nginx.conf: 1 s, then revalidated) | %.2f× | %s |\n", m, (m >= 1 ? "pass" : "**fail**") > out
    }
    print "" > out
    print "| request | side | bytes | features | bytes / ours | features / ours |" > out
    print "|---|---|---:|---:|---:|---:|" > out
    for (k = 1; k <= 5; k++) {
      kind = kinds[k]; ob = f["peer." kind ".ours.bytes"]; of = f["peer." kind ".ours.features"]
      if (ob == "") continue
      printf "| %s | ours | %d | %d | | |\n", name[kind], ob, of > out
      for (q = 1; q <= 2; q++) { peer = peers[q]; if (("peer." kind "." peer ".bytes") in f)
        printf "| | %s | %d | %d | %.2f | %.2f |\n", label[peer], f["peer." kind "." peer ".bytes"], f["peer." kind "." peer ".features"], f["peer." kind "." peer ".bytes"] / ob, f["peer." kind "." peer ".features"] / of > out }
    }
  }' "$WORK/figures.tsv" >> "$WORK/figures.tsv"
cat "$WORK/peers.md"
fi

figure run.seconds $((SECONDS - STARTED))
if [ "$SECTIONS" = a,b,c,d,e,f,g,h,p,r ]; then
  "${BENCH[@]}" report "$WORK" "$OUTPUT"
  sed -n '/^## Figures/,/^## Statements/p' "$OUTPUT" | sed '$d'
fi
if want h; then
  # Section h's figures and plans replace its block of the report (kept apart from the generated part).
  {
    echo "<!-- bench/run.sh section h: generated, replaced by each run of it -->"
    echo "### Issue 23, as of against current: measured $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null)"
    echo
    echo "\`BENCH_SECTIONS=$SECTIONS BENCH_WRK_SECONDS=$WRK_SECONDS BENCH_TILE_SECONDS=$TILE_SECONDS BENCH_WARMUP_SECONDS=$WARMUP_SECONDS BENCH_ASOF_ROUNDS=$ASOF_ROUNDS bench/run.sh\`;"
    echo "load before the run: $(grep '^run.load_start' "$WORK/figures.tsv" | cut -f2). History: $(grep '^asof.versions' "$WORK/figures.tsv" | cut -f2) versions of"
    echo "$(grep '^asof.settlements' "$WORK/figures.tsv" | cut -f2) settlements, $(grep '^asof.total_mib' "$WORK/figures.tsv" | cut -f2) MiB with indexes:"
    echo "**$(grep '^asof.bytes_per_version' "$WORK/figures.tsv" | cut -f2) bytes a version** ($(grep '^asof.heap_bytes_per_version' "$WORK/figures.tsv" | cut -f2) table and TOAST, $(grep '^asof.index_bytes_per_version' "$WORK/figures.tsv" | cut -f2) indexes;"
    echo "a settlements row with its indexes: $(grep '^asof.settlements_bytes_per_row' "$WORK/figures.tsv" | cut -f2) bytes);"
    echo "the point pyramid through time: $(grep '^asof.point_history_rows' "$WORK/figures.tsv" | cut -f2) rows, **$(grep '^asof.point_history_bytes_per_version' "$WORK/figures.tsv" | cut -f2) bytes a version** more."
    echo
    cat "$WORK/asof.md"
    echo
    echo "Plans (EXPLAIN (ANALYZE, BUFFERS), warm, the app's SQL):"
    echo
    awk '/^### /{show = ($0 ~ /as of/ || $0 ~ /^### (Layer, city bbox, zoom 14|Tile z12|Tile z8|Indexes)$/)} show' "$WORK/explain.md"
    echo "<!-- /bench/run.sh section h -->"
  } > "$WORK/section-h.md"
  awk '/^<!-- bench\/run.sh section h/{skip = 1} !skip; /^<!-- \/bench\/run.sh section h/{skip = 0}' "$OUTPUT" > "$WORK/output.md"
  cat "$WORK/output.md" "$WORK/section-h.md" > "$OUTPUT"
  echo "Section h written into $OUTPUT"
fi

if want p; then
  # Section p's figures replace its block of the report.
  {
    echo "<!-- bench/run.sh section p: generated, replaced by each run of it -->"
    echo "### Issue 24, the peer servers on the same table: measured $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null)"
    echo
    echo "\`BENCH_SECTIONS=$SECTIONS BENCH_WRK_SECONDS=$WRK_SECONDS BENCH_TILE_SECONDS=$TILE_SECONDS BENCH_WARMUP_SECONDS=$WARMUP_SECONDS BENCH_PEER_ROUNDS=$PEER_ROUNDS bench/run.sh\`;"
    echo "load before the run: $(grep '^run.load_start' "$WORK/figures.tsv" | cut -f2). $(grep '^peers.mapserver' "$WORK/figures.tsv" | cut -f2) and"
    echo "$(grep '^peers.qgis' "$WORK/figures.tsv" | cut -f2 || true) under FastCGI (spawn-fcgi, 4 processes each) behind nginx $(grep '^peers.nginx' "$WORK/figures.tsv" | cut -f2) without a cache"
    echo "(bench/peers/); ours: the app$([ "$APP_DIR" = src/SettlementMap.Web ] || echo " in $APP_DIR, built $(date -u -r "$APP_DIR/bin/Release/net10.0/SettlementMap.Web.dll" '+%Y-%m-%d %H:%M UTC')") with its response cache off. wrk, 2 threads, 32 connections, on the same paths; each"
    echo "side warmed for ${WARMUP_SECONDS} s before each run. Ratios: ours / peer (req/s above 1 and p95 below 1 favour us)."
    echo
    cat "$WORK/peers.md"
    echo
    echo "Payloads: the first $PEER_SAMPLE distinct paths of each kind, summed; both sides fetch as far beyond a tile (8 px points,"
    echo "4 px outlines). Differences by design: ours is the public view (a small settlement's estimate as"
    echo "estimated_inhabitants_below, drawn at a displaced point: the few features more or less) and simplifies outlines to a"
    echo "quarter pixel, where MapServer encodes them whole (its larger z12 and z14 tiles); the peers read the stored values."
    echo "Our items carry estimated_inhabitants_below too (41 properties, the peers 40) and 7 decimals where the peers write 6."
    echo "<!-- /bench/run.sh section p -->"
  } > "$WORK/section-p.md"
  awk '/^<!-- bench\/run.sh section p/{skip = 1} !skip; /^<!-- \/bench\/run.sh section p/{skip = 0}' "$OUTPUT" > "$WORK/output.md"
  cat "$WORK/output.md" "$WORK/section-p.md" > "$OUTPUT"
  echo "Section p written into $OUTPUT"
fi
if want r; then
  # Section r's figures replace its block of the report.
  {
    echo "<!-- bench/run.sh section r: generated, replaced by each run of it -->"
    echo "### Issue 24, past one app and one server: measured $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null)"
    echo
    echo "\`BENCH_SECTIONS=$SECTIONS BENCH_WRK_SECONDS=$WRK_SECONDS BENCH_WARMUP_SECONDS=$WARMUP_SECONDS BENCH_PEER_ROUNDS=$PEER_ROUNDS bench/run.sh\`;"
    echo "load before the run: $(grep '^run.load_start' "$WORK/figures.tsv" | cut -f2). All on this one machine ($(nproc) cores): the instances, nginx,"
    echo "the primary and the standby share its cores, so these figures show that the parts work together and what they"
    echo "cost, not what more machines would add (docs/scaling.md). City-zoom bbox, the app's response cache off, wrk 2 threads,"
    echo "32 connections, ${WARMUP_SECONDS} s of warm-up before each run. The standby: pg_basebackup -R of the bench cluster"
    echo "($(grep '^replica.basebackup_mib' "$WORK/figures.tsv" | cut -f2) MiB in $(grep '^replica.basebackup_s' "$WORK/figures.tsv" | cut -f2 | cut -c1-5) s); the app with it said \"$(grep '^replica.health' "$WORK/figures.tsv" | cut -f2)\"."
    echo
    cat "$WORK/scale-out.md"
    echo "<!-- /bench/run.sh section r -->"
  } > "$WORK/section-r.md"
  awk '/^<!-- bench\/run.sh section r/{skip = 1} !skip; /^<!-- \/bench\/run.sh section r/{skip = 0}' "$OUTPUT" > "$WORK/output.md"
  cat "$WORK/output.md" "$WORK/section-r.md" > "$OUTPUT"
  echo "Section r written into $OUTPUT"
fi
