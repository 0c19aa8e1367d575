#!/usr/bin/env bash
# Starts or stops the whole system in the background: Kafka (scripts/kafka.sh), the database
# schemas and topics (scripts/setup.ts), and the six services, with logs under .run/logs/.
#   scripts/stack.sh up | down | status | logs [service]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$ROOT/.run"
LOGS="$RUN/logs"
PIDS="$RUN/pids"
SERVICES=(model-registry deployment-approval usage-events concerns incidents ledger)

export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/aal}"
export KAFKAJS_NO_PARTITIONER_WARNING=1
# Development checkpoint key, made by scripts/dev-keys.ts in the git-ignored .keys/.
export LEDGER_SIGNING_KEY_FILE="${LEDGER_SIGNING_KEY_FILE:-$ROOT/.keys/ledger-signing-key.pem}"
# Event signatures (also made by dev-keys.ts): the producers' public keys the ledger trusts, and
# each service's own signing key, <service>-event-signing-key.pem in EVENT_SIGNING_KEYS_DIR.
export EVENT_KEYS_FILE="${EVENT_KEYS_FILE:-$ROOT/.keys/event-keys.json}"
# Bearer tokens: the development identity provider (dev-keys.ts makes its key; npm run token -- <user>).
export AUTH_ISSUER="${AUTH_ISSUER:-https://identity.dev.aal.invalid}"
export AUTH_JWKS_FILE="${AUTH_JWKS_FILE:-$ROOT/.keys/identity-jwks.json}"
EVENT_SIGNING_KEYS_DIR="${EVENT_SIGNING_KEYS_DIR:-$ROOT/.keys}"
# The demo's independent witness, "the regulator" (bin/ledger-witness.js): its key from dev-keys.ts,
# its state in .run/ (delete .run/regulator-witness-state.json too when you drop the aal database:
# a witness rightly refuses a log that starts again from nothing). The ledger submits every 5 s
# here so the demo shows a cosigned checkpoint quickly (production default: 60 s).
WITNESS_PORT="${WITNESS_PORT:-3010}"
export WITNESS_INTERVAL_MS="${WITNESS_INTERVAL_MS:-5000}"

say() { printf '%s\n' "stack: $*"; }

node_run() { (cd "$ROOT" && node -r ./scripts/register-paths.js "$@"); }

ensure_node_modules() {
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing npm packages (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}

ensure_build() {
  local stamp="$ROOT/dist/.built"
  if [ ! -f "$stamp" ] || [ -n "$(find "$ROOT/apps" "$ROOT/libs" "$ROOT/scripts" -name '*.ts' -newer "$stamp" -print -quit)" ]; then
    say "compiling TypeScript"
    (cd "$ROOT" && npm run --silent build)
    touch "$stamp"
  fi
}

ensure_postgres() {
  if command -v pg_isready >/dev/null && ! pg_isready -q -d "$DATABASE_URL"; then
    say "PostgreSQL at $DATABASE_URL does not answer"
    if command -v pg_ctlcluster >/dev/null; then
      say "starting the local cluster"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
      sleep 2
    fi
    pg_isready -q -d "$DATABASE_URL" || { say "PostgreSQL unavailable; set DATABASE_URL"; exit 1; }
  fi
}

running() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

start_witness() {
  if running regulator-witness; then say "regulator-witness already running (pid $(cat "$PIDS/regulator-witness.pid"))"; return; fi
  local origin="${LEDGER_ORIGIN:-localhost/ai-accountability-ledger}"
  (cd "$ROOT"; nohup node bin/ledger-witness.js serve --key "$ROOT/.keys/regulator-witness-key.json" --state "$RUN/regulator-witness-state.json" \
      --log "$origin=$(cat "$ROOT/.keys/ledger-verifier-key.txt")" --host 127.0.0.1 --port "$WITNESS_PORT" >>"$LOGS/regulator-witness.log" 2>&1 &
    echo $! >"$PIDS/regulator-witness.pid")
}

up() {
  mkdir -p "$LOGS" "$PIDS"
  ensure_node_modules
  ensure_build
  ensure_postgres
  # A broker that was already running (shared with tests or another checkout) is left running by `down`.
  if bash "$ROOT/scripts/kafka.sh" status >/dev/null 2>&1; then
    rm -f "$PIDS/kafka.started-by-stack"
  else
    bash "$ROOT/scripts/kafka.sh" start
    touch "$PIDS/kafka.started-by-stack"
  fi
  node_run dist/scripts/setup.js
  if [ "$LEDGER_SIGNING_KEY_FILE" = "$ROOT/.keys/ledger-signing-key.pem" ] || [ "$EVENT_KEYS_FILE" = "$ROOT/.keys/event-keys.json" ] || [ "$AUTH_JWKS_FILE" = "$ROOT/.keys/identity-jwks.json" ]; then
    node_run dist/scripts/dev-keys.js
  fi
  start_witness
  # The demo's short concern due periods (DEMO_CONCERN_DUE_PERIODS in scripts/demo-scenario.ts), unless set:
  # a high concern due for an answer in seconds, so the demo can show one answered late.
  eval "$(node_run -e "const { DEMO_CONCERN_DUE_PERIODS } = require('./dist/scripts/demo-scenario');
    for (const [k, v] of Object.entries(DEMO_CONCERN_DUE_PERIODS)) console.log('export ' + k + '=\"\${' + k + ':-' + v + '}\"');")"
  say "concerns: CONCERN_ACKNOWLEDGE_WITHIN=${CONCERN_ACKNOWLEDGE_WITHIN} CONCERN_ANSWER_WITHIN=${CONCERN_ANSWER_WITHIN} (the demo's unless set; the defaults for the rest, docs/concerns.md)"
  export WITNESSES="${WITNESSES:-http://127.0.0.1:$WITNESS_PORT=$(cat "$ROOT/.keys/regulator-witness-verifier-key.txt")}"
  for service in "${SERVICES[@]}"; do
    if running "$service"; then say "$service already running (pid $(cat "$PIDS/$service.pid"))"; continue; fi
    # `;` not `&&`: the `&` must apply to node alone, so $! is node's pid and `down` can stop it.
    (cd "$ROOT"; EVENT_SIGNING_KEY_FILE="$EVENT_SIGNING_KEYS_DIR/$service-event-signing-key.pem" \
      nohup node -r ./scripts/register-paths.js "dist/apps/$service/src/main.js" >>"$LOGS/$service.log" 2>&1 &
      echo $! >"$PIDS/$service.pid")
  done
  say "waiting for the services to be ready"
  if ! node_run dist/scripts/wait-ready.js; then
    say "a service did not become ready; last log lines:"
    for service in "${SERVICES[@]}"; do tail -n 5 "$LOGS/$service.log" 2>/dev/null | sed "s/^/  [$service] /"; done
    exit 1
  fi
  say "up; logs in .run/logs/, stop with: npm run stack:down"
}

down() {
  for service in "${SERVICES[@]}" regulator-witness; do
    if running "$service"; then
      local pid; pid="$(cat "$PIDS/$service.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
      say "$service stopped"
    fi
    rm -f "$PIDS/$service.pid"
  done
  if [ -f "$PIDS/kafka.started-by-stack" ]; then
    bash "$ROOT/scripts/kafka.sh" stop
    rm -f "$PIDS/kafka.started-by-stack"
  else
    say "kafka left running: the stack did not start it"
  fi
}

status() {
  local code=0
  for service in "${SERVICES[@]}" regulator-witness; do
    if running "$service"; then say "$service running (pid $(cat "$PIDS/$service.pid"))"; else say "$service stopped"; code=1; fi
  done
  bash "$ROOT/scripts/kafka.sh" status || code=1
  return $code
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  logs) tail -n 100 -f "$LOGS/${2:-ledger}.log" ;;
  *) echo "usage: $0 up|down|status|logs [service]" >&2; exit 2 ;;
esac
