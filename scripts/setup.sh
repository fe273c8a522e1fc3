# Shared set-up of run.sh and test.sh (sourced, not run): installs what is missing, nothing else.
# Needs the .NET SDK and Node.js with npm; installs Debian packages with apt (sudo when not root).

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_apt PACKAGE:FILE ... installs each PACKAGE whose FILE is absent (one apt run for all).
ensure_apt() {
  local missing=() spec
  for spec in "$@"; do
    [ -e "${spec#*:}" ] || missing+=("${spec%%:*}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# npm packages (Leaflet, and the sources of the demo data) from package-lock.json, once per change of the lock file.
ensure_npm() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

POSTGIS_PACKAGE="postgresql-15-postgis-3:/usr/share/postgresql/15/extension/postgis.control"
CHROMIUM_PACKAGE="chromium:/usr/bin/chromium"
GDAL_PACKAGE="gdal-bin:/usr/bin/ogr2ogr"
# The real clients the OGC API tests drive (QGIS's OAPIF provider through PyQGIS, OWSLib, R sf): large, installed once.
OGC_CLIENT_PACKAGES=("python3-qgis:/usr/lib/python3/dist-packages/qgis/__init__.py" "python3-owslib:/usr/lib/python3/dist-packages/owslib/__init__.py" "r-cran-sf:/usr/lib/R/site-library/sf/DESCRIPTION")
# The peer servers bench/run.sh section p measures beside ours (the bench only): MapServer 8 and QGIS Server under
# FastCGI (spawn-fcgi) behind nginx, all from Debian; python3 reads the items' JSON.
PEER_PACKAGES=("cgi-mapserver:/usr/lib/cgi-bin/mapserv" "mapserver-bin:/usr/bin/mapserv" "qgis-server:/usr/lib/cgi-bin/qgis_mapserv.fcgi" "spawn-fcgi:/usr/bin/spawn-fcgi" "nginx-light:/usr/sbin/nginx" "python3:/usr/bin/python3")
