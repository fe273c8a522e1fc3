#!/bin/bash
# /entrypoint.sh of local/postgis:15-3.3 (built by start-engine.sh).
# A small stand-in for the official postgres image's docker-entrypoint.sh: it honours
# POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, POSTGRES_HOST_AUTH_METHOD,
# POSTGRES_INITDB_ARGS, PGDATA and /docker-entrypoint-initdb.d/*.{sh,sql,sql.gz}.
set -Eeuo pipefail

export PATH=/usr/lib/postgresql/15/bin:$PATH
export PGDATA=${PGDATA:-/var/lib/postgresql/data}
POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
AUTH=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}

# Only options given (Testcontainers passes "-c fsync=off ..."): they are for postgres.
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
# Any other command (bash, psql ...) runs as is.
if [ "$1" != postgres ]; then exec "$@"; fi
shift

# initdb and postgres refuse root: drop to the postgres user (setpriv execs, no extra process).
as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        HOME=/var/lib/postgresql setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    else
        "$@"
    fi
}

if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    chmod 2775 /var/run/postgresql
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$AUTH" != trust ]; then
        echo "entrypoint: POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust)" >&2
        exit 1
    fi
    pwopt=()
    if [ -n "${POSTGRES_PASSWORD:-}" ]; then
        pwfile=$(mktemp)
        printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
        [ "$(id -u)" != 0 ] || chown postgres "$pwfile"
        pwopt=(--pwfile="$pwfile")
    fi
    # Local and loopback connections are trusted (as in the official image); all other
    # hosts, i.e. connections through the published port, need the password.
    # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of options
    as_postgres initdb --username="$POSTGRES_USER" "${pwopt[@]}" --encoding=UTF8 \
        --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-} -D "$PGDATA" >/dev/null
    [ -z "${pwfile:-}" ] || rm -f "$pwfile"
    printf 'host all all all %s\n' "$AUTH" >>"$PGDATA/pg_hba.conf"
    printf "listen_addresses = '*'\nport = 5432\nunix_socket_directories = '/var/run/postgresql'\n" \
        >>"$PGDATA/postgresql.conf"

    # Set up through a socket-only server, so that nothing on TCP (which is what
    # Testcontainers' "pg_isready --host localhost" probes) answers before it is done.
    as_postgres pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" -l "$PGDATA/setup.log" start >/dev/null
    export PGHOST=/var/run/postgresql PGPORT=5432 PGUSER=$POSTGRES_USER
    psql_=(as_postgres psql -X -q -v ON_ERROR_STOP=1)
    if [ "$POSTGRES_DB" != postgres ]; then
        printf 'CREATE DATABASE :"db";\n' | "${psql_[@]}" --dbname=postgres --set db="$POSTGRES_DB"
    fi
    for f in /docker-entrypoint-initdb.d/*; do
        case "$f" in
            *.sh) echo "entrypoint: running $f"; bash "$f" ;;
            *.sql) echo "entrypoint: running $f"; "${psql_[@]}" --dbname="$POSTGRES_DB" -f "$f" ;;
            *.sql.gz) echo "entrypoint: running $f"; gzip -dc "$f" | "${psql_[@]}" --dbname="$POSTGRES_DB" ;;
            *) ;;
        esac
    done
    as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    unset PGHOST PGPORT PGUSER
    echo "entrypoint: PostgreSQL init process complete; ready for start up."
fi

if [ "$(id -u)" = 0 ]; then
    exec env HOME=/var/lib/postgresql setpriv --reuid=postgres --regid=postgres --init-groups -- \
        postgres -D "$PGDATA" "$@"
fi
exec postgres -D "$PGDATA" "$@"
