#!/usr/bin/env bash
# Stops the private Docker engine started by start-engine.sh (pid in .data/docker/dockerd.pid).
# The image stays in .data/docker/data and .data/docker-cache, so the next start is fast.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
PIDFILE=$REPO/.data/docker/dockerd.pid

SUDO=()
[ "$(id -u)" = 0 ] || SUDO=(sudo)

pid=$(cat "$PIDFILE" 2>/dev/null || true)
# Only ever signal our dockerd: a stale pidfile may name an unrelated process by now.
if [ -z "$pid" ] || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != dockerd ]; then
    echo "testcontainers-engine: not running"
    "${SUDO[@]}" rm -f "$PIDFILE"
    exit 0
fi

# TERM lets dockerd stop its containers and its containerd (up to ~15 s each).
"${SUDO[@]}" kill -TERM "$pid"
for _ in $(seq 80); do
    [ -d "/proc/$pid" ] || break
    sleep 0.5
done
if [ -d "/proc/$pid" ]; then
    echo "testcontainers-engine: dockerd $pid ignored TERM for 40 s; killing it" >&2
    "${SUDO[@]}" kill -KILL "$pid" || true
fi
"${SUDO[@]}" rm -f "$PIDFILE"
echo "testcontainers-engine: stopped (pid $pid)"
