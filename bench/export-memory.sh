#!/usr/bin/env bash
# Peak memory of the service while it streams a 100k-settlement export (issue 6: "memory stays flat").
# Copies the local demo database into a scratch database, multiplies its settlements to about 100k
# (copies of the demo outlines: the shapes do not matter for an export), starts the app on it and
# reads the process's peak RSS (VmHWM) before and after each export. Not part of the test run.
# Usage: bench/export-memory.sh [copies]   (run ./run.sh once before, so .data/pg holds the demo)
set -euo pipefail
cd "$(dirname "$0")/.."
COPIES="${1:-170}"
PGDIR=.data/pg
PORT=$(grep -o '"-p" "[0-9]*"' "$PGDIR/data/postmaster.opts" 2>/dev/null | grep -o '[0-9][0-9]*' || true)
if [ -z "$PORT" ] || ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
  echo "Start the local cluster first (./run.sh, then Ctrl-C the app but keep .data/pg), or run this while ./run.sh is up." >&2
  exit 2
fi
PSQL=(psql -q -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1)
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench_export WITH (FORCE)" -c "CREATE DATABASE bench_export"
pg_dump -h 127.0.0.1 -p "$PORT" -U postgres settlementmap | "${PSQL[@]}" -d bench_export >/dev/null
COLUMNS=$("${PSQL[@]}" -d bench_export -At -c "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns
  WHERE table_name = 'settlements' AND column_name NOT IN ('id', 'code', 'area_m2', 'centroid') AND is_generated = 'NEVER'")
"${PSQL[@]}" -d bench_export -c "ALTER TABLE settlements DISABLE TRIGGER ALL" \
  -c "INSERT INTO settlements (code, $COLUMNS) SELECT 'BENCH-' || g || '-' || s.code, ${COLUMNS//, /, s.} FROM settlements s CROSS JOIN generate_series(1, $COPIES) g" \
  -c "ALTER TABLE settlements ENABLE TRIGGER ALL" -c "ANALYZE settlements"
N=$("${PSQL[@]}" -d bench_export -At -c "SELECT count(*) FROM settlements")
echo "settlements in bench_export: $N"

dotnet build src/SettlementMap.Web -c Release -nologo -v quiet -clp:ErrorsOnly
APP_PORT=5091
( cd src/SettlementMap.Web && SETTLEMENTMAP_DB="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench_export" Demo__Load=false \
  exec dotnet bin/Release/net10.0/SettlementMap.Web.dll --urls "http://127.0.0.1:$APP_PORT" ) > /tmp/bench-export-app.log 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$APP_PORT/api/config" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$APP_PORT/api/export/settlements?format=csv&municipality=nis" >/dev/null   # warm up
hwm() { awk '/VmHWM/ {print int($2/1024)}' /proc/$APP/status; }
rss() { awk '/VmRSS/ {print int($2/1024)}' /proc/$APP/status; }
echo "after warm-up: RSS $(rss) MiB, peak $(hwm) MiB"
for format in "csv&geometry=wkt" "csv&geometry=lonlat&crs=EPSG:32634" "geojson"; do
  start=$(date +%s.%N)
  bytes=$(curl -sf "http://127.0.0.1:$APP_PORT/api/export/settlements?format=$format" | wc -c)
  end=$(date +%s.%N)
  printf 'format=%-36s %6.1f MB in %5.1f s; RSS %4d MiB, peak so far %4d MiB\n' "$format" "$(echo "$bytes/1000000" | bc -l)" "$(echo "$end-$start" | bc -l)" "$(rss)" "$(hwm)"
done
start=$(date +%s.%N)
curl -sf "http://127.0.0.1:$APP_PORT/ogc/collections/settlements/items?limit=10000" | wc -c >/dev/null
echo "OGC items, limit 10000: $(echo "$(date +%s.%N)-$start" | bc -l | cut -c1-5) s; peak $(hwm) MiB"
