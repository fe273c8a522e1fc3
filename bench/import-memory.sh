#!/usr/bin/env bash
# Time and peak memory of the import command for 10k and 100k rows (issue 10: "a 100k-row file
# imports in bounded memory"). The rows are synthetic settlements of the scale generator, written
# as a CSV with WKT outlines and Cyrillic names, imported into an empty copy of the schema: once as
# a dry run, once applied. Peak RSS is GNU time's "Maximum resident set size". Not part of the tests.
# Usage: bench/import-memory.sh [counts…]   (default: 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
ensure_apt "$POSTGIS_PACKAGE" time:/usr/bin/time
COUNTS=("${@:-10000 100000}")
read -r -a COUNTS <<<"${COUNTS[*]}"
dotnet build src/SettlementMap.Web -c Release -nologo -v quiet -clp:ErrorsOnly
APP=(dotnet bin/Release/net10.0/SettlementMap.Web.dll)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for N in "${COUNTS[@]}"; do
  ( cd src/SettlementMap.Web && "${APP[@]}" generate-scale --count "$N" --database "bench_import_src_$N" >/dev/null 2>&1 )
  # The generator leaves the local cluster as it found it: start it (or find it running) for psql.
  PORT=$(grep -o '"-p" "[0-9]*"' .data/pg/data/postmaster.opts 2>/dev/null | grep -o '[0-9][0-9]*' || true)
  if [ -z "$PORT" ] || ! pg_isready -q -h 127.0.0.1 -p "$PORT"; then
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    runuser_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    runuser_pg /usr/lib/postgresql/15/bin/pg_ctl -D .data/pg/data -l .data/pg/server.log -w -o "-p $PORT -k $(pwd)/.data/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    trap 'runuser_pg /usr/lib/postgresql/15/bin/pg_ctl -D .data/pg/data -w stop >/dev/null; rm -rf "$WORK"' EXIT
  fi
  PSQL=(psql -q -X -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1)
  CSV="$WORK/settlements-$N.csv"
  "${PSQL[@]}" -d "bench_import_src_$N" -c "\\copy (SELECT s.code AS sifra, s.name_cyrl AS naziv, m.name_cyrl AS opstina, s.water_supply AS vodosnabdevanje,
      s.estimated_inhabitants AS broj_stanovnika, ST_AsText(s.geom) AS wkt
      FROM settlements s JOIN municipalities m ON m.id = s.municipality_id ORDER BY s.id) TO '$CSV' CSV HEADER"
  # An empty target with the same municipalities: the source database as a template, settlements removed.
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS bench_import_$N WITH (FORCE)" -c "CREATE DATABASE bench_import_$N TEMPLATE bench_import_src_$N"
  "${PSQL[@]}" -d "bench_import_$N" -c "TRUNCATE settlements"
  SIZE=$(du -m "$CSV" | cut -f1)
  for MODE in dry-run apply; do
    FLAGS=(); [ "$MODE" = apply ] && FLAGS=(--apply --skip-bad-rows)
    ( cd src/SettlementMap.Web && SETTLEMENTMAP_DB="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench_import_$N" \
        /usr/bin/time -f '%e %M' -o "$WORK/time" "${APP[@]}" import "$CSV" "${FLAGS[@]}" >"$WORK/out" 2>/dev/null ) || true
    read -r SECONDS_TAKEN PEAK_KB < <(tail -1 "$WORK/time")
    printf '%7d rows (%4d MB CSV) %-8s %6.1f s  peak RSS %4d MiB  | %s\n' "$N" "$SIZE" "$MODE" "$SECONDS_TAKEN" $((PEAK_KB / 1024)) "$(grep -E '^(Dry run|Imported|Nothing)' "$WORK/out" | head -1)"
  done
  STORED=$("${PSQL[@]}" -At -d "bench_import_$N" -c "SELECT count(*) FROM settlements")
  echo "        settlements stored in bench_import_$N: $STORED"
done
