#!/usr/bin/env bash
# Starts the platform as a user would (`npm start`, no DATABASE_URL), waits for /api/health to
# report the embedded database up, checks that the web client is served at / (and its script),
# then stops it. Exit 0 only if it served both.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=${SMOKE_PORT:-3917}
log=$(mktemp)
DATA_DIR="$data" PORT="$port" HOST=127.0.0.1 setsid npm start >"$log" 2>&1 &
pid=$!
cleanup() {
  kill -TERM -- -"$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 -- -"$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$log"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  if body=$(curl -fsS "http://127.0.0.1:$port/api/health" 2>/dev/null); then
    echo "npm start served: $body"
    echo "$body" | grep -q '"kind":"embedded"'
    page=$(curl -fsS -H 'accept: text/html' "http://127.0.0.1:$port/invitations/some-token")
    echo "$page" | grep -q '<div id="root">' || { echo "no web client at /"; exit 1; }
    script=$(echo "$page" | grep -o '/assets/[^"]*\.js' | head -1)
    curl -fsS -o /dev/null "http://127.0.0.1:$port$script" || { echo "web client script $script not served"; exit 1; }
    echo "npm start served the web client: $script"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "npm start exited"; exit 1; fi
  sleep 0.5
done
cat "$log"; echo "npm start did not serve within 60 s"; exit 1
