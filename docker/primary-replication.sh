#!/bin/bash
# Run once by the postgis image at the primary's first start (/docker-entrypoint-initdb.d): lets the
# replica's pg_basebackup and streaming connect (the image's own pg_hba.conf line covers databases only).
set -eu
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
