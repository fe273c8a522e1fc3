#!/usr/bin/env bash
# Only step g of bench/run.sh: the map at 100k settlements in headless Chromium (frame intervals,
# long tasks), for trying a front-end change quickly. Needs the database settlementmap_scale_100000
# (bench/run.sh or generate-scale --count 100k made it) on the local cluster .data/pg.
# Usage: bench/map-frames.sh [port]   (default 5095); prints one line and writes figures to a temp folder.
set -euo pipefail
cd "$(dirname "$0")/.."
APP_PORT="${1:-5095}"
dotnet build src/SettlementMap.Web -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build bench/SettlementMap.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
PG_PORT=$(grep -o '"-p" "[0-9]*"' .data/pg/data/postmaster.opts | grep -o '[0-9][0-9]*')
STARTED=""
if ! pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  as_pg /usr/lib/postgresql/15/bin/pg_ctl -D .data/pg/data -l .data/pg/server.log -w \
    -o "-p $PG_PORT -k $(pwd)/.data/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_buffers=512MB" start >/dev/null
  STARTED=1
fi
( cd src/SettlementMap.Web && SETTLEMENTMAP_DB="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=settlementmap_scale_100000" Demo__Load=false RateLimits__Enabled=false \
    exec dotnet bin/Release/net10.0/SettlementMap.Web.dll --urls "http://127.0.0.1:$APP_PORT" ) >/tmp/map-frames-app.log 2>&1 &
APP=$!
cleanup() { kill "$APP" 2>/dev/null || true; if [ -n "$STARTED" ]; then as_pg /usr/lib/postgresql/15/bin/pg_ctl -D .data/pg/data -w stop >/dev/null; fi; }
trap cleanup EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$APP_PORT/api/config" >/dev/null && break; sleep 1; done
OUT=$(mktemp -d)
dotnet bench/SettlementMap.Bench/bin/Release/net10.0/SettlementMap.Bench.dll map "http://127.0.0.1:$APP_PORT" "$OUT" "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=settlementmap_scale_100000"
echo "figures: $OUT/figures.tsv"
