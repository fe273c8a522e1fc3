#!/usr/bin/env bash
# Runs every test: the page's pure JavaScript (node --test), unit, integration against a real PostGIS (Testcontainers when a Docker engine
# answers, otherwise a cluster the tests start under .data/test-pg) and browser tests in Debian's
# headless Chromium. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/setup.sh

ensure_apt "$POSTGIS_PACKAGE" "$CHROMIUM_PACKAGE" "$GDAL_PACKAGE" "${OGC_CLIENT_PACKAGES[@]}"
ensure_npm

stop_test_cluster() {
  # The tests stop their cluster on exit; this catches an interrupted run.
  local data=.data/test-pg/data
  if [ -f "$data/postmaster.pid" ]; then
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$data" -m fast stop >/dev/null 2>&1 || true
    else /usr/lib/postgresql/15/bin/pg_ctl -D "$data" -m fast stop >/dev/null 2>&1 || true; fi
  fi
}
trap stop_test_cluster EXIT

echo "== JavaScript unit tests (tests/web, node --test)"
npm test --silent
echo "== The benchmark builds (bench/run.sh is not run here, but must not rot)"
dotnet build bench/SettlementMap.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
echo "== .NET tests"
dotnet test SettlementMap.sln -c Release -nologo "$@"
