#!/usr/bin/env bash
# The README's two commands where mediasoup's worker cannot be had (no MEDIASOUP_WORKER_BIN, and no
# way to download or build one, as on the machines CI runs on): a clean clone of this commit,
# `npm ci` without the variable — mediasoup's install script fails, npm leaves the optional
# package out, and the install succeeds — then `npm start` (scripts/smoke-start.sh, every check of
# a first start), which must take Janus when a janus binary is here, else run without media, and
# say which, and that mediasoup is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$PWD" "$work/parley"
cd "$work/parley"
env -u MEDIASOUP_WORKER_BIN npm ci --no-audit --no-fund --strict-allow-scripts --loglevel=error
if [ -e node_modules/mediasoup ]; then echo "smoke-no-mediasoup: mediasoup was installed without a worker"; exit 1; fi
echo "npm ci without MEDIASOUP_WORKER_BIN: exit 0, mediasoup left out"
if command -v janus >/dev/null; then sfu='SFU: Janus pid [0-9]+'; else sfu='media unavailable'; fi
expect=$(printf '%s\n%s' 'mediasoup[^;]*not installed' "$sfu")
env -u MEDIASOUP_WORKER_BIN SMOKE_PORT=3918 SMOKE_EXPECT_SFU="$expect" bash scripts/smoke-start.sh
