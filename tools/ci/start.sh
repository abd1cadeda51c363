#!/usr/bin/env bash
# The README's run command (`npm start`): from a fresh clone on a machine with only Node 20 and
# npm, it brings pnpm, installs with the frozen lockfile, builds @rtmpkit/server and what it
# needs, then runs `rtmpkit serve` with every transport on its default port:
#   1935/tcp RTMP + RTMPE, 1936/tcp RTMPS, 1935/udp RTMFP,
#   8080/tcp HTTP (HTTP-FLV, JSON API, /metrics, dashboard, RTMPT + RTMPTE).
# Arguments go to `rtmpkit serve`: npm start -- --http-port 9000 --record-dir recordings
set -euo pipefail
cd "$(dirname "$0")/../.."

export TURBO_TELEMETRY_DISABLED=1
export TURBO_NO_UPDATE_NOTIFIER=1
PNPM_VERSION=12.4.2

if [ "$(pnpm --version 2>/dev/null || true)" = "$PNPM_VERSION" ]; then
  pnpm() { command pnpm "$@"; }
else
  echo "setup: using pnpm $PNPM_VERSION through npx" >&2
  pnpm() { npx -y "pnpm@$PNPM_VERSION" "$@"; }
fi

pnpm install --frozen-lockfile --reporter=silent >&2
pnpm exec turbo run build --filter=@rtmpkit/server... --output-logs=errors-only >&2
exec node packages/server/bin/rtmpkit.js serve "$@"
