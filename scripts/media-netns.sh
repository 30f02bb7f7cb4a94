#!/usr/bin/env bash
# Runs the media suites and the web client's browser suites (the `netns` project of jest.config.js)
# inside a network namespace of their own (see ../shared/notes/webrtc-testing.md): loopback plus
# `jlo0`, a non-loopback interface holding 127.0.0.2 that Janus gathers ICE candidates on. Nothing
# in there can reach the machine's network, and nothing outside sees its traffic — Chromium's
# included. A suite missing Janus or Chromium says so and skips, or under CI=true fails
# (test/support/needs.ts).
# Usage: scripts/media-netns.sh [extra jest arguments, e.g. test/web-client to run one suite]
set -euo pipefail
cd "$(dirname "$0")/.."
exec unshare --net bash -c '
  set -e
  ip link set lo up
  sysctl -qw net.ipv6.conf.default.disable_ipv6=1
  ip link add jlo0 type ifb
  ip addr add 127.0.0.2/32 dev jlo0
  ip link set jlo0 up
  node --experimental-vm-modules node_modules/jest/bin/jest.js --selectProjects netns --runInBand "$@"
' media-netns "$@"
