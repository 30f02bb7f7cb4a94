#!/usr/bin/env bash
# Starts the platform as a newcomer would (`npm start`: build, then the server on the embedded
# database in a new DATA_DIR) and checks what they see and get:
# - at most a screenful (24 lines) before the listening line, and that line last of the start;
# - /api/health reports the embedded database up, the web client is served at / (and its script);
# - the built page and the API docs load nothing from another host (no font, CDN, validator badge);
# - SIGTERM to the server (what a service manager sends) prints the stop lines, and the server
#   exits 0, so `npm start` does too. (Signalling npm itself, as Ctrl-C does, ends npm with 130 or
#   143 whatever the server does: that is npm's convention.)
# - nothing in DATA_DIR, which the server creates, is open to other users (while it runs and once
#   it stopped), though npm start runs with the usual umask 022.
# - with SMOKE_EXPECT_SFU (extended regular expressions, one per line), the start's media lines
#   match each: which SFU it took, and why not the others.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 022
data=$(mktemp -d)
port=${SMOKE_PORT:-3917}
log=$(mktemp)
# What a fresh machine has: none of Parley's own variables (CI may export some for other steps).
env -u DATABASE_URL -u REDIS_URL -u JWT_SECRET -u LOG_LEVEL -u NODE_ENV -u JANUS_URL -u JANUS_BINARY \
  DATA_DIR="$data/data" PORT="$port" HOST=127.0.0.1 setsid npm start >"$log" 2>&1 &
pid=$!
cleanup() {
  kill -TERM -- -"$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 -- -"$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$log"
}
trap cleanup EXIT
fail() { echo "--- npm start printed:"; cat "$log"; echo "---"; echo "smoke-start: $1"; exit 1; }
private() {
  [ -f "$data/data/pgdata/PG_VERSION" ] || fail "no embedded database in DATA_DIR"
  found=$(find "$data" -perm /077 -printf '%m %p\n' | sed -n 1,5p)
  [ -z "$found" ] || fail "open to other users $1: $found"
}

served=
for _ in $(seq 1 240); do
  if body=$(curl -fsS "http://127.0.0.1:$port/api/health" 2>/dev/null); then served=$body; break; fi
  kill -0 "$pid" 2>/dev/null || fail "npm start exited before serving"
  sleep 0.5
done
[ -n "$served" ] || fail "npm start did not serve within 120 s"
echo "npm start served: $served"
grep -q '"kind":"embedded"' <<<"$served" || fail "/api/health does not report the embedded database"
page=$(curl -fsS -H 'accept: text/html' "http://127.0.0.1:$port/invitations/some-token")
grep -q '<div id="root">' <<<"$page" || fail "no web client at /"
script=$(echo "$page" | grep -o '/assets/[^"]*\.js' | head -1)
curl -fsS -o /dev/null "http://127.0.0.1:$port$script" || fail "web client script $script not served"
echo "npm start served the web client: $script"

# What a browser fetches first: the pages' src/href and their CSS (fonts, @import); Swagger UI's
# online validator badge (an image from validator.swagger.io) is switched off.
elsewhere='(src|href)="(https?:)?//|url\((["'"'"']?)(https?:)?//|@import'
for path in / /api/docs /api/docs/swagger-ui.css $(echo "$page" | grep -o '/assets/[^"]*\.css'); do
  body=$(curl -fsS -H 'accept: text/html' "http://127.0.0.1:$port$path") || fail "$path not served"
  found=$(echo "$body" | grep -Eo "$elsewhere" | head -3) || true
  [ -z "$found" ] || fail "$path asks another host: $found"
done
# Read whole, then searched: `curl | grep -q` fails under pipefail when grep stops reading at its
# match before curl has written everything (curl: (23) Failed writing body).
init=$(curl -fsS "http://127.0.0.1:$port/api/docs/swagger-ui-init.js") || fail "the API docs' init script not served"
grep -q '"validatorUrl": null' <<<"$init" || fail "the API docs' validator badge is on"
echo "the page and the API docs ask no other host"
private "while the server runs"

# A line printed late (a dependency still starting after listen) would land below the listening line.
sleep 2
at=$(grep -n 'LOG \[Parley\] listening on http://' "$log" | head -1 | cut -d: -f1)
[ -n "$at" ] || fail "no listening line"
before=$((at - 1))
lines=$(wc -l <"$log")
[ "$before" -le 24 ] || fail "$before lines before the listening line: more than a screenful (24)"
[ "$at" -eq "$lines" ] || fail "the listening line is not the last line of the start ($((lines - at)) after it)"
if grep -q 'Mapped {' "$log"; then fail "route mapping printed at the default log level"; fi
echo "npm start printed $before lines before the listening line, which came last"
if [ -n "${SMOKE_EXPECT_SFU:-}" ]; then
  media=$(grep -E '\[Media\]' "$log" || true)
  while IFS= read -r pattern; do
    grep -Eq "$pattern" <<<"$media" || fail "the media lines do not match /$pattern/: ${media:-none}"
  done <<<"$SMOKE_EXPECT_SFU"
  echo "npm start said which SFU: $(sed -E 's/.*\[Media\] //' <<<"$media" | tr '\n' ' ')"
fi

server=$(pgrep -g "$pid" -f '^node dist/apps/api/src/main\.js') || fail "no server process under npm start"
kill -TERM "$server"
status=
for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || { status=0; wait "$pid" || status=$?; break; }; sleep 0.25; done
[ -n "$status" ] || fail "still running 30 s after SIGTERM"
grep -q 'LOG \[Shutdown\] Stopping (SIGTERM)' "$log" || fail "SIGTERM printed no stopping line"
grep -q 'LOG \[Shutdown\] Stopped in' "$log" || fail "SIGTERM printed no stopped line"
[ "$status" -eq 0 ] || fail "npm start exited with status $status after SIGTERM"
private "after the stop"
tail -n +"$((at + 1))" "$log"
echo "SIGTERM: stop lines printed, npm start exited 0"
echo "DATA_DIR: nothing in it open to other users ($(find "$data/data" | wc -l) entries, 0700/0600)"
