#!/usr/bin/env bash
# CI's preflight: each test suite that needs something from the machine, what it needs, and whether
# this machine has it. Installs the Debian packages that are missing (apt-get; not with
# PARLEY_CI_NO_APT=1), then, if anything is still missing, exits 1 naming every suite that would
# have skipped: under CI no suite passes by skipping. The suites fail by themselves too
# (test/support/needs.ts); this says so at once instead of half an hour into the run. The needs are
# the names of `lacks` in test/support/needs.ts, and test/ci-preflight.e2e-spec.ts checks that each
# suite's list below is the one it asks for.
# Usage: scripts/ci-preflight.sh [--list]     (--list: print the table below and stop)
set -uo pipefail
cd "$(dirname "$0")/.."

SUITES=(
  "media-janus: janus namespace"
  "media-signalling: janus"
  "media-recovery: janus namespace"
  "media-conformance: janus mediasoup chromium namespace"
  "media-instances: chromium namespace pgCluster redisServer janus"
  "mediasoup-adapter: mediasoup"
  "web-mediation: chromium namespace janus mediasoup"
  "web-client: chromium namespace"
  "web-states: chromium namespace"
  "web-resilience: chromium namespace janus"
  "database-outage: pgCluster"
  "consultation-unhappy: pgCluster"
  "redis-outage: redisServer servers"
  "multi-instance: servers"
  "event-order: servers"
  "brute-force-instances: redisServer servers"
  "web-account: chromium namespace"
  "sign-out-instances: servers"
  "socket-budget-instances: servers"
  "web-text: chromium namespace"
  "web-console: chromium namespace"
  "web-floor: chromium namespace"
  "web-screen-share: chromium namespace janus mediasoup"
  "web-phone: chromium namespace mediasoup"
  "proxy-instances: haproxy servers"
  "media-interpretation: janus mediasoup namespace"
  "web-interpretation: chromium namespace janus"
  "web-low-bandwidth: chromium namespace janus"
  "web-offline: chromium namespace"
  "web-thin-link: chromium namespace janus"
  "web-chunk-failure: chromium namespace"
  "web-consultation: chromium namespace"
  "web-consultation-slow-link: chromium namespace"
)

if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${SUITES[@]}"
  exit 0
fi

# Whether this machine has the need, looked for as the suites look for it. Janus only on the PATH
# (the suites also try /usr/bin, /usr/local/bin and /opt/janus/bin): CI wants it where a shell finds it.
has() {
  case $1 in
    janus) command -v janus >/dev/null ;;
    mediasoup)
      node -e '
        const { existsSync } = require("node:fs"); const { dirname, join } = require("node:path");
        const pkg = join(dirname(require.resolve("mediasoup")), "..", "..");
        process.exit(existsSync(process.env.MEDIASOUP_WORKER_BIN || join(pkg, "worker/out/Release/mediasoup-worker")) ? 0 : 1);
      ' 2>/dev/null ;;
    chromium) [ -x /usr/bin/chromium ] ;;
    namespace) command -v ip >/dev/null && unshare --net true 2>/dev/null ;;
    pgCluster)
      { command -v initdb >/dev/null && command -v pg_ctl >/dev/null; } \
        || ls /usr/lib/postgresql/*/bin/initdb /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 ;;
    redisServer) redis-server --version >/dev/null 2>&1 ;;
    haproxy) command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] ;;
    servers)
      [ -n "${TEST_DATABASE_URL:-}" ] && [ -n "${TEST_REDIS_URL:-}" ] \
        && pg_isready -q -d "$TEST_DATABASE_URL" 2>/dev/null \
        && [ "$(redis-cli -u "$TEST_REDIS_URL" ping 2>/dev/null)" = PONG ] ;;
    *) echo "preflight: unknown need $1" >&2; return 2 ;;
  esac
}

# What brings each need: Debian packages, or what to do.
remedy() {
  case $1 in
    janus) echo "apt-get install janus" ;;
    mediasoup) echo "MEDIASOUP_WORKER_BIN naming a mediasoup-worker 3.27.1, exported before npm ci (.ci/run takes ../shared/mediasoup/)" ;;
    chromium) echo "apt-get install --no-install-recommends chromium" ;;
    namespace) echo "root, and apt-get install iproute2 util-linux" ;;
    pgCluster) echo "apt-get install postgresql" ;;
    redisServer) echo "apt-get install redis-server" ;;
    haproxy) echo "apt-get install haproxy" ;;
    servers) echo "PostgreSQL and Redis running at TEST_DATABASE_URL and TEST_REDIS_URL: .ci/run starts them" ;;
  esac
}
package() {
  case $1 in
    janus | chromium | haproxy) echo "$1" ;;
    redisServer) echo redis-server ;;
    namespace) echo "iproute2 util-linux" ;;
    pgCluster) echo postgresql ;;
  esac
}

needs=$(printf '%s\n' "${SUITES[@]}" | sed 's/^[^:]*: //' | tr ' ' '\n' | sort -u)
missing() { for n in $needs; do has "$n" || echo "$n"; done; }

lacking=$(missing)
if [ -n "$lacking" ] && [ "${PARLEY_CI_NO_APT:-}" != 1 ] && command -v apt-get >/dev/null; then
  pkgs=$(for n in $lacking; do package "$n"; done | tr ' ' '\n' | sort -u | tr '\n' ' ')
  if [ -n "${pkgs// /}" ]; then
    echo "preflight: installing $pkgs(apt-get)"
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs >/dev/null 2>&1; } \
      || echo "preflight: apt-get could not install $pkgs"
    lacking=$(missing)
  fi
fi

for n in $needs; do
  if grep -qx "$n" <<<"$lacking"; then echo "preflight: $n: MISSING ($(remedy "$n"))"; else echo "preflight: $n: ok"; fi
done
[ -z "$lacking" ] && exit 0

echo "preflight: these suites would skip, and under CI no suite may:"
for line in "${SUITES[@]}"; do
  suite=${line%%:*}
  without=$(for n in ${line#*: }; do grep -qx "$n" <<<"$lacking" && echo "$n"; done | tr '\n' ' ')
  [ -n "$without" ] && echo "preflight:   test/$suite.e2e-spec.ts (missing: ${without% })"
done
exit 1
