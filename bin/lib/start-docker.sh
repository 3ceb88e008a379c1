#!/bin/sh
# Starts the Docker engine (Debian's docker.io) if it is not answering yet, and waits for its socket.
# Used by tests and .ci/run. There is no systemd here: dockerd runs in the background with its own data and
# exec roots, and its log goes to $BASALT_DOCKER_ROOT/dockerd.log.
set -eu

ROOT=${BASALT_DOCKER_ROOT:-/var/lib/basalt-docker}
SOCKET=/var/run/docker.sock

answers() {
    [ -S "$SOCKET" ] && curl -fsS --max-time 2 --unix-socket "$SOCKET" http://docker/_ping >/dev/null 2>&1
}

if answers; then
    exit 0
fi
if ! command -v dockerd >/dev/null 2>&1; then
    echo "start-docker: dockerd is not installed; apt-get install docker.io" >&2
    exit 1
fi
mkdir -p "$ROOT/data" "$ROOT/exec"
rm -f "$SOCKET"
nohup dockerd --data-root "$ROOT/data" --exec-root "$ROOT/exec" -H "unix://$SOCKET" \
    >"$ROOT/dockerd.log" 2>&1 &
echo $! >"$ROOT/dockerd.pid"
i=0
while ! answers; do
    i=$((i + 1))
    if [ "$i" -gt 60 ]; then
        echo "start-docker: dockerd did not answer on $SOCKET within 30 s; see $ROOT/dockerd.log" >&2
        tail -20 "$ROOT/dockerd.log" >&2 || true
        exit 1
    fi
    sleep 0.5
done
echo "start-docker: dockerd answering on $SOCKET (pid $(cat "$ROOT/dockerd.pid"))" >&2
