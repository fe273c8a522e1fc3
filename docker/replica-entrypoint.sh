#!/bin/bash
# The read replica of docker-compose.yml (README, "A read replica"): at its first start a copy of the
# primary made by pg_basebackup -R (which also writes the settings to stream and replay the primary's WAL),
# then a hot standby serving reads. Runs as the image's postgres user.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup -D "$PGDATA" -R -X stream -c fast -h db -U "$POSTGRES_USER"; do
    echo "replica: the primary is not ready for a base backup yet; retrying in 2 s" >&2
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
  chmod 700 "$PGDATA"
fi
# hot_standby_feedback: the primary's vacuum keeps the rows a long read here (an export) still sees.
exec postgres -c hot_standby=on -c hot_standby_feedback=on
