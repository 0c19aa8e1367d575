#!/usr/bin/env bash
# `npm run demo`: from a fresh clone, installs what is missing, starts Kafka and the four
# services in the background, plays the demo scenario and prints where to look.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/stack.sh" up
cd "$ROOT" && node -r ./scripts/register-paths.js dist/scripts/demo.js
