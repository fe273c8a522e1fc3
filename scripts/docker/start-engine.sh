#!/usr/bin/env bash
# Starts a private Docker engine for the Testcontainers tests and provides the image
# local/postgis:15-3.3 without Docker Hub (built from Debian packages, cached as a tarball).
#
#   eval "$(scripts/docker/start-engine.sh)"      # or: . .data/docker/env.sh afterwards
#   scripts/docker/stop-engine.sh
#
# stdout: only the `export` lines (also written to .data/docker/env.sh); progress goes to
# stderr. On failure: one line "testcontainers-engine: cannot start: <reason>", exit 3.
# Knobs: SETTLEMENTMAP_DEBIAN_MIRROR (default: the host's apt mirror),
#        SETTLEMENTMAP_DOCKERD_FLAGS (extra dockerd flags; disables the iptables fallback),
#        SETTLEMENTMAP_ENGINE_SMOKE=0 (skip the container + published-port check).
set -Eeuo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
DOCKER_DIR=$REPO/.data/docker
CACHE_DIR=$REPO/.data/docker-cache
DATA_ROOT=$DOCKER_DIR/data
PIDFILE=$DOCKER_DIR/dockerd.pid
LOG=$DOCKER_DIR/dockerd.log
SETUP_LOG=$DOCKER_DIR/setup.log
ENV_FILE=$DOCKER_DIR/env.sh
IMAGE=local/postgis:15-3.3
SUITE=bookworm
PG_PACKAGES=(postgresql-15 postgresql-15-postgis-3)
ENTRYPOINT_SRC=$SCRIPT_DIR/postgis-entrypoint.sh

# Unix socket paths are limited to 108 bytes; containerd puts its sockets below the exec
# root (…/exec/containerd/containerd.sock.ttrpc), so use /tmp when the repo path is deep.
RUN_DIR=$DOCKER_DIR/run
if [ $((${#RUN_DIR} + 40)) -gt 100 ]; then
    RUN_DIR=/tmp/settlementmap-docker-$(printf '%s' "$REPO" | sha256sum | cut -c1-12)
fi
EXEC_ROOT=$RUN_DIR/exec
SOCK=$RUN_DIR/docker.sock
export DOCKER_HOST=unix://$SOCK

log() { printf 'testcontainers-engine: %s\n' "$*" >&2; }

STEP="preparing"
STARTED_PID=""
ROOTFS=""

fail() {
    trap - ERR
    printf 'testcontainers-engine: cannot start: %s\n' "$*" >&2
    cleanup_on_failure
    exit 3
}
on_err() {
    local rc=$1
    # Subshells (pipeline parts) only pass the status on; the main shell reports once.
    if [ "$BASHPID" != "$$" ]; then exit "$rc"; fi
    local last
    last=$(grep -v '^[[:space:]]*$' "${CURRENT_LOG:-$SETUP_LOG}" 2>/dev/null | tail -1 | cut -c1-160) || true
    fail "$STEP failed (exit $rc${last:+: $last}; details in ${CURRENT_LOG:-$SETUP_LOG})"
}
trap 'on_err $?' ERR

SUDO=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || fail "not root and sudo is missing (dockerd needs root)"
    SUDO=(sudo)
fi

remove_rootfs() {
    # --one-file-system: never follow into anything mounted below the rootfs.
    if [ -n "$ROOTFS" ] && [ -d "$ROOTFS" ]; then "${SUDO[@]}" rm -rf --one-file-system "$ROOTFS"; fi
}
cleanup_on_failure() {
    remove_rootfs || true
    # An engine we started without a usable image is of no use to the tests.
    if [ -n "$STARTED_PID" ]; then "$SCRIPT_DIR/stop-engine.sh" >/dev/null 2>&1 || true; fi
}

mkdir -p "$DOCKER_DIR" "$CACHE_DIR" "$RUN_DIR"
: >"$SETUP_LOG"
CURRENT_LOG=$SETUP_LOG

# ---------------------------------------------------------------- 1. packages
STEP="installing docker.io/debootstrap"
missing=()
command -v dockerd >/dev/null || [ -x /usr/sbin/dockerd ] || missing+=(docker.io)
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]} (apt)"
    # A clean CI image may have no package lists yet: update once and retry.
    if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >>"$SETUP_LOG" 2>&1; then
        "${SUDO[@]}" apt-get update >>"$SETUP_LOG" 2>&1 || fail "apt-get update failed (see $SETUP_LOG)"
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >>"$SETUP_LOG" 2>&1 \
            || fail "apt-get install ${missing[*]} failed (see $SETUP_LOG)"
    fi
fi
export PATH=$PATH:/usr/sbin:/sbin
# Debian's client matches Debian's engine; /usr/local/bin may hold a newer static client.
DOCKER=docker
[ -x /usr/bin/docker ] && DOCKER=/usr/bin/docker
command -v "$DOCKER" >/dev/null || fail "docker client not found after installing docker.io"
command -v dockerd >/dev/null || fail "dockerd not found after installing docker.io"

# ---------------------------------------------------------------- 2. engine
engine_up() { timeout 5 "$DOCKER" info >/dev/null 2>&1; }
pid_is_dockerd() { [ -n "${1:-}" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = dockerd ]; }

# Starts dockerd with the given extra flags; 0 when `docker info` answers within 30 s.
start_dockerd() {
    printf '\n==== %s dockerd %s\n' "$(date -Is)" "$*" >>"$LOG"
    # Our own (empty) config file: a host /etc/docker/daemon.json must not interfere.
    [ -f "$DOCKER_DIR/daemon.json" ] || echo '{}' >"$DOCKER_DIR/daemon.json"
    local group=()
    # Not root: let the invoking user's group use the socket.
    [ "${#SUDO[@]}" -eq 0 ] || group=(--group "$(id -gn)")
    # setsid: the engine must outlive this script and the shell's job control.
    "${SUDO[@]}" setsid dockerd \
        --data-root "$DATA_ROOT" --exec-root "$EXEC_ROOT" --host "unix://$SOCK" \
        --pidfile "$PIDFILE" --config-file "$DOCKER_DIR/daemon.json" "${group[@]}" "$@" \
        </dev/null >>"$LOG" 2>&1 &
    STARTED_PID=$!
    for _ in $(seq 60); do
        if engine_up; then return 0; fi
        [ -d "/proc/$STARTED_PID" ] || return 1   # dockerd exited
        sleep 0.5
    done
    # Hung: stop it (before it writes its pidfile only the launcher's pid is known).
    "${SUDO[@]}" kill "$STARTED_PID" 2>/dev/null || true
    "$SCRIPT_DIR/stop-engine.sh" >/dev/null 2>&1 || true
    return 1
}

STEP="starting dockerd"
CURRENT_LOG=$LOG
DOCKERD_FLAGS="(already running)"
old_pid=$(cat "$PIDFILE" 2>/dev/null || true)
if pid_is_dockerd "$old_pid" && engine_up; then
    log "engine already running (pid $old_pid)"
else
    if [ -n "$old_pid" ] && ! pid_is_dockerd "$old_pid"; then rm -f "$PIDFILE"; fi
    if pid_is_dockerd "$old_pid"; then
        # Running but not answering: restart it rather than wait forever.
        "$SCRIPT_DIR/stop-engine.sh" >/dev/null 2>&1 || true
    fi
    t0=$SECONDS
    # Default networking first (bridge + iptables NAT: what Docker normally does). Sandboxes
    # without netfilter can still publish ports to 127.0.0.1 through docker-proxy.
    DOCKERD_FLAGS=${SETTLEMENTMAP_DOCKERD_FLAGS:-}
    touch "$LOG"
    mark=$(wc -l <"$LOG")
    # shellcheck disable=SC2086 # a list of flags
    if ! start_dockerd $DOCKERD_FLAGS; then
        attempt_log=$(tail -n +"$((mark + 1))" "$LOG")
        if [ -z "${SETTLEMENTMAP_DOCKERD_FLAGS:-}" ] && grep -qiE 'iptables|nf_tables|netfilter' <<<"$attempt_log"; then
            DOCKERD_FLAGS="--iptables=false --ip-masq=false"
            log "dockerd failed on iptables; retrying with $DOCKERD_FLAGS"
            mark=$(wc -l <"$LOG")
            # shellcheck disable=SC2086
            start_dockerd $DOCKERD_FLAGS || true
        fi
        if ! engine_up; then
            reason=$(tail -n +"$((mark + 1))" "$LOG" | grep -E 'level=(error|fatal)|failed' | tail -1 | cut -c1-200) || true
            fail "dockerd${DOCKERD_FLAGS:+ $DOCKERD_FLAGS} did not answer (waited up to 30 s): ${reason:-no error logged} (log: $LOG)"
        fi
    fi
    log "engine started in $((SECONDS - t0)) s (pid $(cat "$PIDFILE" 2>/dev/null || echo "$STARTED_PID"), flags: ${DOCKERD_FLAGS:-none})"
fi
API_VERSION=$("$DOCKER" version --format '{{.Server.APIVersion}}' 2>/dev/null || echo 1.41)

# ---------------------------------------------------------------- 3. image
image_recipe() { "$DOCKER" image inspect --format '{{index .Config.Labels "org.settlementmap.recipe"}}' "$IMAGE" 2>/dev/null || true; }

# First "deb" URI for a suite in the host's apt sources (one-line and deb822 formats).
host_mirror() {
    local suite=$1 f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v s="$suite" '$1=="deb" { sub(/^deb +(\[[^]]*\] +)?/, ""); if ($2==s) { print $1; exit } }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v s="$suite" '
            function flush() { if (deb && uri != "" && hit) { print uri; found=1 } deb=0; uri=""; hit=0 }
            /^[ \t]*$/ { flush(); if (found) exit; next }
            /^Types:/ { deb = ($0 ~ /[ \t]deb([ \t]|$)/) }
            /^URIs:/ { uri = $2 }
            /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) hit = 1 }
            END { if (!found) flush() }' "$f"
    done
}

build_image() {
    local mirror security
    mirror=${SETTLEMENTMAP_DEBIAN_MIRROR:-$(host_mirror "$SUITE" | head -1)}
    mirror=${mirror:-http://deb.debian.org/debian}
    security=$(host_mirror "$SUITE-security" | head -1)
    # Honour an apt proxy configured on the host (debootstrap and apt in the chroot use env).
    local APT_PROXY=""
    eval "$(apt-config shell APT_PROXY Acquire::http::Proxy)"
    [ -z "$APT_PROXY" ] || export http_proxy=$APT_PROXY

    ROOTFS=$DOCKER_DIR/build/rootfs
    remove_rootfs
    "${SUDO[@]}" mkdir -p "$ROOTFS"

    STEP="debootstrap $SUITE from $mirror"
    log "$STEP (about 30 s)"
    "${SUDO[@]}" debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$mirror" >>"$SETUP_LOG" 2>&1 \
        || fail "debootstrap --variant=minbase $SUITE $mirror failed: $(grep -E '^E:' "$SETUP_LOG" | tail -1 | cut -c1-200) (see $SETUP_LOG)"

    STEP="installing ${PG_PACKAGES[*]} in the rootfs"
    log "$STEP (about 30 s)"
    {
        echo "deb $mirror $SUITE main"
        echo "deb $mirror $SUITE-updates main"
        [ -z "$security" ] || echo "deb $security $SUITE-security main"
    } | "${SUDO[@]}" tee "$ROOTFS/etc/apt/sources.list" >/dev/null
    # Same freshness policy as the host (snapshot mirrors serve expired Release files).
    if apt-config dump | grep -q '^Acquire::Check-Valid-Until "false"'; then
        echo 'Acquire::Check-Valid-Until "false";' | "${SUDO[@]}" tee "$ROOTFS/etc/apt/apt.conf.d/99no-valid-until" >/dev/null
    fi
    # No services in a chroot, and no "main" cluster: the entrypoint runs initdb itself.
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$ROOTFS/usr/sbin/policy-rc.d" >/dev/null
    "${SUDO[@]}" chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
    "${SUDO[@]}" mkdir -p "$ROOTFS/etc/postgresql-common"
    echo 'create_main_cluster = false' | "${SUDO[@]}" tee "$ROOTFS/etc/postgresql-common/createcluster.conf" >/dev/null
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive chroot "$ROOTFS" sh -ec "
        apt-get update
        apt-get install -y --no-install-recommends ${PG_PACKAGES[*]}
        apt-get clean
        rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/* /usr/share/locale/*
    " >>"$SETUP_LOG" 2>&1 \
        || fail "apt-get install ${PG_PACKAGES[*]} in the $SUITE rootfs failed: $(grep -E '^E:' "$SETUP_LOG" | tail -1 | cut -c1-200) (see $SETUP_LOG)"

    STEP="adding the entrypoint"
    "${SUDO[@]}" install -m 755 "$ENTRYPOINT_SRC" "$ROOTFS/entrypoint.sh"
    # Name of the official image's script (Testcontainers' WithSsl entrypoint execs it).
    "${SUDO[@]}" ln -sf /entrypoint.sh "$ROOTFS/usr/local/bin/docker-entrypoint.sh"
    "${SUDO[@]}" mkdir -p "$ROOTFS/docker-entrypoint-initdb.d"
    # The engine provides resolv.conf/hostname; do not bake in the build host's.
    "${SUDO[@]}" sh -c ": >'$ROOTFS/etc/resolv.conf'; echo localhost >'$ROOTFS/etc/hostname'"
    [ -x "$ROOTFS/usr/lib/postgresql/15/bin/pg_isready" ] || fail "pg_isready missing from the built rootfs"

    STEP="docker import"
    log "importing $IMAGE"
    "${SUDO[@]}" tar -C "$ROOTFS" --numeric-owner -cf - . | "$DOCKER" import \
        --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV PGDATA=/var/lib/postgresql/data' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'EXPOSE 5432' \
        --change "LABEL org.settlementmap.recipe=$RECIPE" \
        --change 'ENTRYPOINT ["/entrypoint.sh"]' \
        --change 'CMD ["postgres"]' \
        - "$IMAGE" >>"$SETUP_LOG" 2>&1
    remove_rootfs
    ROOTFS=""
}

# The cache key covers everything that shapes the image, so editing the recipe rebuilds it.
RECIPE=$( { declare -f build_image host_mirror; cat "$ENTRYPOINT_SRC"; echo "$SUITE ${PG_PACKAGES[*]}"; } | sha256sum | cut -c1-12)
CACHE_TAR=$CACHE_DIR/postgis-15-3.3-$RECIPE.tar.gz
STEP="preparing $IMAGE"
CURRENT_LOG=$SETUP_LOG
if [ "$(image_recipe)" = "$RECIPE" ]; then
    log "$IMAGE present (recipe $RECIPE)"
elif [ -s "$CACHE_TAR" ]; then
    STEP="docker load $CACHE_TAR"
    t0=$SECONDS
    "$DOCKER" load -i "$CACHE_TAR" >>"$SETUP_LOG" 2>&1
    [ "$(image_recipe)" = "$RECIPE" ] || fail "$CACHE_TAR does not hold $IMAGE recipe $RECIPE (delete it to rebuild)"
    log "$IMAGE loaded from cache in $((SECONDS - t0)) s"
else
    t0=$SECONDS
    log "building $IMAGE (once; cached in $CACHE_DIR)"
    build_image
    STEP="caching $IMAGE"
    # gzip -1: a third of the size (handy for CI caches) for a few seconds.
    "$DOCKER" save "$IMAGE" | gzip -1 >"$CACHE_TAR.tmp"
    mv "$CACHE_TAR.tmp" "$CACHE_TAR"
    # Tarballs of older recipes are dead weight.
    find "$CACHE_DIR" -maxdepth 1 -name 'postgis-15-3.3-*.tar.gz' ! -name "${CACHE_TAR##*/}" -delete
    log "$IMAGE built and cached in $((SECONDS - t0)) s ($(du -h "$CACHE_TAR" | cut -f1))"
fi

# ---------------------------------------------------------------- 4. smoke test
# What Testcontainers does: publish 5432 to a random 127.0.0.1 port, wait with
# `pg_isready --host localhost` inside, then connect from the host through the port.
if [ "${SETTLEMENTMAP_ENGINE_SMOKE:-1}" != 0 ]; then
    STEP="smoke test"
    t0=$SECONDS
    cid=$("$DOCKER" run -d -p 127.0.0.1::5432 -e POSTGRES_PASSWORD=smoke "$IMAGE" \
        -c fsync=off 2>>"$SETUP_LOG") || fail "docker run $IMAGE failed: $(tail -1 "$SETUP_LOG" | cut -c1-200)"
    ready=""
    for _ in $(seq 120); do
        if "$DOCKER" exec "$cid" pg_isready --host localhost --dbname postgres --username postgres >/dev/null 2>&1; then
            ready=1
            break
        fi
        sleep 0.25
    done
    port=$("$DOCKER" port "$cid" 5432/tcp 2>/dev/null | head -1 | sed 's/.*://') || true
    # PostgreSQL answers an SSLRequest with one byte, 'S' or 'N': proves the port reaches it.
    answer=""
    if [ -n "$ready" ] && [ -n "$port" ]; then
        # shellcheck disable=SC2016 # $1 expands in the inner bash
        answer=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "\000\000\000\010\004\322\026\057" >&3; head -c1 <&3' _ "$port" 2>/dev/null) || true
    fi
    "$DOCKER" logs "$cid" >>"$SETUP_LOG" 2>&1 || true
    "$DOCKER" rm -f "$cid" >/dev/null 2>&1 || true
    [ -n "$ready" ] || fail "a $IMAGE container did not become ready within 30 s (docker logs in $SETUP_LOG)"
    case "$answer" in
        S | N) log "smoke test passed in $((SECONDS - t0)) s (pg_isready inside, 127.0.0.1:$port answers)" ;;
        *) fail "port publishing does not work: 127.0.0.1:${port:-?} did not reach PostgreSQL in the container" ;;
    esac
fi

# ---------------------------------------------------------------- 5. environment
STEP="writing $ENV_FILE"
# Ryuk (the reaper container) cannot be pulled without Docker Hub. HOST_OVERRIDE: where
# /.dockerenv exists Testcontainers would otherwise connect via the bridge gateway.
env_lines="export DOCKER_HOST=unix://$SOCK
export DOCKER_API_VERSION=$API_VERSION
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
export SETTLEMENTMAP_TEST_PG_IMAGE=$IMAGE"
printf '# written by scripts/docker/start-engine.sh (dockerd flags: %s)\n%s\n' \
    "${DOCKERD_FLAGS:-none}" "$env_lines" >"$ENV_FILE"
trap - ERR
printf '%s\n' "$env_lines"
