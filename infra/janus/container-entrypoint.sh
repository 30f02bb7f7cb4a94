#!/bin/sh
# The Janus of docker-compose.yml: this folder's configuration with a container's secrets and
# addresses, then Janus. The API gets the same JANUS_API_SECRET and JANUS_ADMIN_KEY, and
# JANUS_URL=ws://janus:8188. (Without a container, Parley starts Janus itself: see the README.)
#   JANUS_API_SECRET, JANUS_ADMIN_KEY   required
#   JANUS_WS_IP (0.0.0.0), JANUS_WS_PORT (8188), JANUS_WS_ACL (127.,10.,172.,192.168.)
#   JANUS_RTP_PORTS (20000-20199), JANUS_PUBLIC_IP (unset), JANUS_INTERFACE (unset: Janus picks)
#   JANUS_CONFIG_SRC (/etc/parley-janus), JANUS_RUNTIME_DIR (/run/parley-janus), JANUS_BIN (janus)
set -eu
: "${JANUS_API_SECRET:?set JANUS_API_SECRET (the API is given the same value)}"
: "${JANUS_ADMIN_KEY:?set JANUS_ADMIN_KEY (the API is given the same value)}"
src=${JANUS_CONFIG_SRC:-/etc/parley-janus}
run=${JANUS_RUNTIME_DIR:-/run/parley-janus}
mkdir -p "$run"
cp "$src"/*.jcfg "$run"/
chmod 600 "$run"/*.jcfg

# set_item FILE KEY VALUE: the first "KEY = …" line (commented out or not) becomes "KEY = VALUE".
set_item() {
  awk -v k="$2" -v v="$3" '
    !done && $0 ~ "^[ \t]*#?[ \t]*" k "[ \t]*=" { match($0, /^[ \t]*/); $0 = substr($0, 1, RLENGTH) k " = " v; done = 1 }
    { print }
    END { if (!done) { print "no " k " in " FILENAME > "/dev/stderr"; exit 3 } }' "$1" > "$1.tmp"
  mv "$1.tmp" "$1"
}
q() { printf '"%s"' "$1"; }

set_item "$run/janus.jcfg" configs_folder "$(q "$run")"
set_item "$run/janus.jcfg" api_secret "$(q "$JANUS_API_SECRET")"
set_item "$run/janus.jcfg" rtp_port_range "$(q "${JANUS_RTP_PORTS:-20000-20199}")"
if [ -n "${JANUS_INTERFACE:-}" ]; then
  set_item "$run/janus.jcfg" interface "$(q "$JANUS_INTERFACE")"
else
  sed -i 's/^\([ \t]*\)interface = /\1#interface = /' "$run/janus.jcfg"
fi
[ -n "${JANUS_PUBLIC_IP:-}" ] && set_item "$run/janus.jcfg" nat_1_1_mapping "$(q "$JANUS_PUBLIC_IP")"
set_item "$run/janus.plugin.videoroom.jcfg" admin_key "$(q "$JANUS_ADMIN_KEY")"
set_item "$run/janus.transport.websockets.jcfg" ws_ip "$(q "${JANUS_WS_IP:-0.0.0.0}")"
set_item "$run/janus.transport.websockets.jcfg" ws_port "${JANUS_WS_PORT:-8188}"
set_item "$run/janus.transport.websockets.jcfg" ws_acl "$(q "${JANUS_WS_ACL:-127.,10.,172.,192.168.}")"

exec "${JANUS_BIN:-janus}" -C "$run/janus.jcfg" -F "$run"
