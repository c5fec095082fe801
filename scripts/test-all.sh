#!/usr/bin/env bash
# Sets up and runs every check: install, lint, typecheck, unit + integration tests (Vitest, real
# Postgres), browser tests (Playwright + Chromium against the production build).
# Prints one closing line "N passed, N failed" over both test runners.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1

step() { printf '\n== %s\n' "$1"; }

step "install (npm ci)"
npm ci --no-audit --no-fund || exit 1

step "chromium"
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) || exit 1
  else
    echo "Chromium is missing: install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
    exit 1
  fi
fi
"${CHROMIUM_PATH:-/usr/bin/chromium}" --version

status=0
step "dependency audit"; node scripts/audit-deps.mjs || status=1
step "lint";      npm run -s lint || status=1
step "typecheck"; npm run -s typecheck || status=1

mkdir -p test-results
step "unit + integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest-results.json || status=1

step "browser tests (playwright)"
npm run -s test:e2e || status=1

step "summary"
node scripts/summarize-tests.mjs test-results/vitest-results.json test-results/e2e-results.json || status=1
exit $status
