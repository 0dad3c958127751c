#!/usr/bin/env bash
# Load test of the generated servers' production setups (template revision 3): 100 keep-alive
# connections on loopback for a bounded time, with autocannon from npm.
#
# Usage: bench/load.sh [--duration SECONDS] [--connections N] [NODE_PROJECT [FLASK_PROJECT]]
#   With no project, generates a Node.js and a Flask project with stackgen (cargo build).
#   A project argument of `-` skips that stack.
# Starts and stops the servers itself, on free loopback ports: Node.js with `node server.js`
# (or server.ts), Flask with gunicorn and the project's gunicorn.conf.py, in a fresh venv.
# WEB_CONCURRENCY, GUNICORN_THREADS and GUNICORN_KEEPALIVE pass through to gunicorn.
# Needs: node and npm (autocannon is installed under target/tmp/autocannon on first use),
# python3 with venv, and for the default projects cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

duration=10
connections=100
projects=()
while [ $# -gt 0 ]; do
    case $1 in
        --duration) duration=$2; shift 2 ;;
        --connections) connections=$2; shift 2 ;;
        -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
        *) projects+=("$1"); shift ;;
    esac
done
case $duration in '' | *[!0-9]*) echo "--duration takes whole seconds" >&2; exit 2 ;; esac
[ "$duration" -ge 1 ] && [ "$duration" -le 120 ] || { echo "--duration: 1 to 120 s" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tools="$repo/target/tmp/autocannon"
autocannon="$tools/node_modules/.bin/autocannon"
if [ ! -x "$autocannon" ]; then
    npm install --prefix "$tools" --no-audit --no-fund --silent autocannon@9 >/dev/null
fi

node_project=${projects[0]:-}
flask_project=${projects[1]:-}
if [ ${#projects[@]} -eq 0 ]; then
    cargo build --release --locked --quiet
    stackgen="$repo/target/release/stackgen"
    "$stackgen" new "$work/node-app" --name node-app --stack node --yes --no-git --skip-checks -q
    "$stackgen" new "$work/flask-app" --name flask-app --stack flask --yes --no-git --skip-checks -q
    node_project="$work/node-app"
    flask_project="$work/flask-app"
fi

# A free TCP port on loopback (the kernel picks it; it is released just before the server
# binds it).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits up to 20 s for GET /health to answer 200.
wait_ready() {
    python3 - "$1" <<'PY'
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/health"
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(f"no answer from {url}")
PY
}

stop() {
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

rows=()
# Runs autocannon against GET / on the port and adds a table row.
measure() {
    local label=$1 port=$2
    # A short warm-up, not measured.
    "$autocannon" -c "$connections" -d 2 "http://127.0.0.1:$port/" >/dev/null 2>&1
    "$autocannon" -c "$connections" -d "$duration" --json "http://127.0.0.1:$port/" \
        >"$work/result.json" 2>/dev/null
    rows+=("$(python3 - "$label" "$work/result.json" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))
lat = r["latency"]
print(f"| {label} | {r['requests']['average']:,.0f} | {lat['p50']} | {lat['p90']} | {lat['p99']} "
      f"| {lat['max']} | {r['errors']} | {r['timeouts']} | {r['non2xx']} |")
PY
)")
}

if [ -n "$node_project" ] && [ "$node_project" != - ]; then
    entry=server.js
    [ -f "$node_project/server.ts" ] && entry=server.ts
    port=$(free_port)
    (cd "$node_project" && NODE_ENV=production HOST=127.0.0.1 PORT=$port exec node "$entry") \
        >"$work/node.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_ready "$port"
    measure "Node.js $(node --version), \`node $entry\`" "$port"
    stop "$pid"
fi

if [ -n "$flask_project" ] && [ "$flask_project" != - ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$flask_project"
    port=$(free_port)
    (cd "$flask_project" && HOST=127.0.0.1 PORT=$port exec "$work/venv/bin/gunicorn") \
        >"$work/gunicorn.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_ready "$port"
    workers=$(sed -n 's/.*Booting worker with pid.*/x/p' "$work/gunicorn.log" | wc -l)
    label="Flask, gunicorn gthread ($workers workers × ${GUNICORN_THREADS:-8} threads), Python"
    label="$label $("$work/venv/bin/python" -c 'import platform; print(platform.python_version())')"
    measure "$label" "$port"
    stop "$pid"
fi

echo "$connections keep-alive connections, GET /, ${duration} s after a 2 s warm-up;" \
    "$(nproc) cores shared with autocannon; latencies in ms."
echo
echo "| server | req/s | p50 | p90 | p99 | max | errors | timeouts | non-2xx |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
