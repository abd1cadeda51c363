#!/usr/bin/env bash
# Makes sure the real peers the interop tests talk to are installed: ffmpeg/ffprobe, rtmpdump,
# nginx with its RTMP and stream modules, and Chromium (the server's dashboard test drives it
# with playwright-core), and ip and nft for the RTMFP peer-to-peer tests across network
# namespaces and a NAT. Installs them from Debian when missing and allowed.
# Under CI=true a peer that is still missing fails the run; elsewhere the tests that need it
# say so and skip.
set -u

missing_peers() {
  local missing=()
  command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
  command -v ffprobe >/dev/null 2>&1 || missing+=(ffprobe)
  command -v rtmpdump >/dev/null 2>&1 || missing+=(rtmpdump)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v nginx >/dev/null 2>&1 || missing+=(nginx)
  [ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || missing+=(nginx-rtmp-module)
  [ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || missing+=(nginx-stream-module)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v nft >/dev/null 2>&1 || missing+=(nftables)
  echo "${missing[@]:-}"
}

missing=$(missing_peers)
if [ -n "$missing" ]; then
  echo "peers: missing $missing"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "peers: installing from Debian (apt-get install ffmpeg rtmpdump nginx libnginx-mod-rtmp libnginx-mod-stream openssl chromium iproute2 nftables)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends \
      ffmpeg rtmpdump nginx libnginx-mod-rtmp libnginx-mod-stream openssl chromium iproute2 nftables >/dev/null
    # The Debian package starts a system nginx on port 80; our tests run their own instances.
    if command -v systemctl >/dev/null 2>&1; then systemctl stop nginx >/dev/null 2>&1 || true; fi
    pkill -f 'nginx: master process /usr/sbin/nginx' >/dev/null 2>&1 || true
    missing=$(missing_peers)
  fi
fi

if [ -n "$missing" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "peers: still missing under CI=true: $missing. Install them (as root: apt-get install -y ffmpeg rtmpdump nginx libnginx-mod-rtmp libnginx-mod-stream chromium iproute2 nftables) and run again." >&2
    exit 1
  fi
  echo "peers: still missing: $missing — the interop tests that need them will be skipped (they fail under CI=true)."
else
  echo "peers: ffmpeg, ffprobe, rtmpdump, openssl, nginx (rtmp, stream), chromium, ip, nft present"
fi
