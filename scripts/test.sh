#!/usr/bin/env bash
# `npm test`: installs npm packages when missing, type-checks, checks formatting and lints, then runs every jest test.
# Extra arguments go to jest (e.g. `npm test -- apps/ledger`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
export KAFKAJS_NO_PARTITIONER_WARNING=1
npx tsc -p tsconfig.json --noEmit
npm run --silent lint
# Crash tests run the compiled services as separate processes.
npm run --silent build
npx jest "$@"
