#!/usr/bin/env bash
# Runs the media suites and the web client's browser suite inside a network namespace of their own
# (see ../shared/notes/webrtc-testing.md): loopback plus `jlo0`, a non-loopback interface holding
# 127.0.0.2 that Janus gathers ICE candidates on. Nothing in there can reach the machine's network,
# and nothing outside sees its traffic — Chromium's included.
# Usage: scripts/media-netns.sh [extra jest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v janus >/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "media-netns: no janus binary on this machine: under CI the media suites may not skip (apt-get install janus)" >&2
    exit 1
  fi
  echo "media-netns: no janus binary on this machine: the media suites are skipped (apt-get install janus); the web client runs without video"
fi
exec unshare --net bash -c '
  set -e
  ip link set lo up
  sysctl -qw net.ipv6.conf.default.disable_ipv6=1
  ip link add jlo0 type ifb
  ip addr add 127.0.0.2/32 dev jlo0
  ip link set jlo0 up
  node --experimental-vm-modules node_modules/jest/bin/jest.js --selectProjects e2e --runInBand \
    --runTestsByPath test/media-janus.e2e-spec.ts test/media-signalling.e2e-spec.ts test/media-recovery.e2e-spec.ts test/media-browser.e2e-spec.ts \
    test/web-mediation.e2e-spec.ts test/web-client.e2e-spec.ts test/web-states.e2e-spec.ts test/web-resilience.e2e-spec.ts "$@"
' media-netns "$@"
