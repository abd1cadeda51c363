#!/usr/bin/env bash
# The README's test command: from a fresh clone on a machine with only Node 20 and npm, it
# brings pnpm and the real peers, installs with the frozen lockfile, builds, checks and tests.
set -euo pipefail
cd "$(dirname "$0")/../.."

export TURBO_TELEMETRY_DISABLED=1
export TURBO_NO_UPDATE_NOTIFIER=1
PNPM_VERSION=12.4.2

if [ "$(pnpm --version 2>/dev/null || true)" = "$PNPM_VERSION" ]; then
  pnpm() { command pnpm "$@"; }
else
  echo "setup: using pnpm $PNPM_VERSION through npx"
  pnpm() { npx -y "pnpm@$PNPM_VERSION" "$@"; }
fi

bash tools/ci/ensure-peers.sh
pnpm install --frozen-lockfile --reporter=append-only
node tools/check-packages/check-packages.mjs .

rm -f packages/*/.vitest-result.json tools/*/.vitest-result.json
status=0
pnpm exec turbo run build typecheck lint --output-logs=errors-only || status=$?
if [ $status -eq 0 ]; then
  # One package at a time: interop tests start real peers, and timing tests need the CPU.
  pnpm exec turbo run test --continue --concurrency=1 || status=$?
fi
# Each package's vitest config writes a JSON result; add them up into one closing line.
node tools/ci/summarize-tests.mjs || status=$((status == 0 ? 1 : status))
exit $status
