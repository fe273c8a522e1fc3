#!/usr/bin/env bash
# Runs the map on http://127.0.0.1:5080 with demo data. Installs what is missing, starts a local
# PostGIS cluster under .data/pg unless SETTLEMENTMAP_DB or ConnectionStrings__SettlementMap is set,
# applies migrations and loads the demo data once. Ctrl-C stops the app and the cluster it started.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/setup.sh

ensure_apt "$POSTGIS_PACKAGE"
ensure_npm
dotnet build src/SettlementMap.Web -c Release -nologo -v quiet -clp:ErrorsOnly
cd src/SettlementMap.Web   # the content root: appsettings.json lives here
exec dotnet bin/Release/net10.0/SettlementMap.Web.dll --urls "${SETTLEMENTMAP_URLS:-http://127.0.0.1:5080}" "$@"
