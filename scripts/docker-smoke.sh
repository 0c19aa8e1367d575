#!/usr/bin/env bash
# The containers, proven on a real Docker engine that this script starts and stops itself:
#   1. engine      installs docker.io, docker-compose and debootstrap when missing (root), starts its own
#                  dockerd (data under ~/.cache/ai-accountability-ledger/docker, socket under .run/docker-smoke; no bridge, no
#                  iptables: it makes no network at all);
#   2. base images a minimal Debian bookworm (debootstrap) and, on it, local stand-ins for the public
#                  images the Dockerfiles name: node (the machine's own Node.js and CA certificates), Kafka (Debian's Java
#                  and the jars scripts/kafka.sh fetches) and PostgreSQL 15 (Debian's); all cached;
#   3. app image   deploy/Dockerfile on the local node image;
#   4. compose     docker-compose.yml with docker-compose.host-network.yml: every container on the
#                  host's network on 127.0.0.1, on ports apart from a local stack's;
#   5. demo        the demo scenario (scripts/demo.ts) against those services, then ledger-verify;
#   6. testcontainers  one integration suite with Kafka and PostgreSQL started by testcontainers;
#   7. teardown    containers, volumes and the daemon it started (images stay cached).
# Each phase prints its time; the whole run is bounded by AAL_SMOKE_TIMEOUT seconds (default 1500).
# Exit status: 0 passed, 1 failed, 3 no Docker engine can be started here (not root, nothing installed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${AAL_SMOKE_BOUNDED:-}" ]; then
  AAL_SMOKE_BOUNDED=1 exec timeout --kill-after=60 "${AAL_SMOKE_TIMEOUT:-1500}" bash "${BASH_SOURCE[0]}" "$@"
fi
cd "$ROOT"

# Images are cached per machine, not per clone (like npm's cache): a fresh clone reuses the base
# images and build layers that an earlier run made (AAL_DOCKER_CACHE to put them elsewhere).
CACHE="${AAL_DOCKER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ai-accountability-ledger/docker}"
RUN="$ROOT/.run/docker-smoke"
export DOCKER_HOST="unix://$RUN/docker.sock"
export DOCKER_BUILDKIT=0 # the classic builder: no buildx plugin needed, `--network host` for npm ci and apt
export KAFKAJS_NO_PARTITIONER_WARNING=1
KAFKA_VERSION="$(sed -n 's/^KAFKA_VERSION="\${KAFKA_VERSION:-\([0-9.]*\)}"$/\1/p' scripts/kafka.sh)"
DEBIAN_IMAGE=aal-local/debian:bookworm
NODE_IMAGE=aal-local/node:20-bookworm-slim
export KAFKA_IMAGE="aal-local/kafka:$KAFKA_VERSION" POSTGRES_IMAGE=aal-local/postgres:15 AAL_IMAGE=ai-accountability-ledger:smoke
export AAL_SMOKE_KEYS_DIR="$RUN/keys"
# Ports of docker-compose.host-network.yml (its defaults): none of a local stack's or the shared broker's.
KAFKA_PORT=19092 POSTGRES_PORT=15432
# The two files merged, less their port publications: compose v1 cannot drop a list item in an
# override, and host networking refuses port bindings (there is nothing to publish: the containers
# listen on the host's own 127.0.0.1).
COMPOSE_FILES=(-f docker-compose.yml -f docker-compose.host-network.yml)
SMOKE_COMPOSE="$RUN/docker-compose.smoke.yml"
COMPOSE=(docker-compose -p aal-smoke -f "$SMOKE_COMPOSE")

started_daemon=0
phase_name='' phase_start=0 summary=()
say() { printf 'docker-smoke: %s\n' "$*"; }
phase() {
  end_phase
  phase_name="$1" phase_start=$SECONDS
  printf '\n=== docker-smoke: %s ===\n' "$1"
}
end_phase() { if [ -n "$phase_name" ]; then summary+=("$(printf '%-16s %4ss' "$phase_name" $((SECONDS - phase_start)))"); fi; phase_name=''; }
node_run() { node -r ./scripts/register-paths.js "$@"; }

teardown() {
  local code=$?
  trap - EXIT
  end_phase
  phase "teardown"
  if [ -S "$RUN/docker.sock" ] && [ -f "$SMOKE_COMPOSE" ] && docker info >/dev/null 2>&1; then
    if [ "$code" != 0 ]; then
      say "failed: the containers' last log lines"
      "${COMPOSE[@]}" logs --no-color --tail 30 2>/dev/null | tail -n 150 || true
    fi
    "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
    # testcontainers' containers (Ryuk, its reaper, is off: it has no image here).
    docker ps -aq --filter label=org.testcontainers=true | xargs -r docker rm -f >/dev/null 2>&1 || true
  fi
  if [ "$started_daemon" = 1 ]; then
    local pid
    pid="$(cat "$RUN/dockerd.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    # dockerd leaves its default network namespace bind-mounted under the exec root: without this
    # the checkout could not be removed (rm: Device or resource busy).
    if mountpoint -q "$RUN/exec/netns/default" 2>/dev/null; then umount "$RUN/exec/netns/default" || true; fi
    say "dockerd stopped"
  fi
  end_phase
  printf '\ndocker-smoke: time per phase\n'
  printf '  %s\n' "${summary[@]}"
  printf '  %-16s %4ss\n' total "$SECONDS"
  if [ "$code" = 0 ]; then say "passed"; else say "FAILED (exit $code)"; fi
  exit "$code"
}
trap teardown EXIT
trap 'say "interrupted or out of time"; exit 124' TERM INT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --------------------------------------------------------------------------------------- engine --
phase "engine"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then say "not root and missing ${missing[*]}: no Docker engine here"; trap - EXIT; exit 3; fi
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ "$(id -u)" = 0 ] || { say "dockerd needs root"; trap - EXIT; exit 3; }
mkdir -p "$CACHE/data" "$RUN"
# overlay2 where the kernel and the folder's filesystem allow it (fast); vfs, which works anywhere
# but copies every layer whole, otherwise. AAL_SMOKE_STORAGE_DRIVER picks one.
start_dockerd() {
  rm -f "$RUN/docker.sock" "$RUN/dockerd.pid"
  dockerd --data-root "$CACHE/data" --exec-root "$RUN/exec" --pidfile "$RUN/dockerd.pid" -H "$DOCKER_HOST" \
    --storage-driver="$1" --bridge=none --iptables=false --ip6tables=false >"$RUN/dockerd.log" 2>&1 &
  local pid=$!
  started_daemon=1
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}
if docker info >/dev/null 2>&1; then
  say "using the dockerd already listening on $DOCKER_HOST"
elif [ -n "${AAL_SMOKE_STORAGE_DRIVER:-}" ]; then
  start_dockerd "$AAL_SMOKE_STORAGE_DRIVER" || { tail -n 20 "$RUN/dockerd.log"; say "dockerd did not start"; exit 1; }
elif ! start_dockerd overlay2; then
  say "dockerd cannot use overlay2 here: $(grep -m1 -i 'error' "$RUN/dockerd.log" || true); trying vfs"
  kill "$(cat "$RUN/dockerd.pid" 2>/dev/null)" 2>/dev/null || true
  sleep 2
  start_dockerd vfs || { tail -n 20 "$RUN/dockerd.log"; say "dockerd did not start"; exit 1; }
fi
say "dockerd $(docker info --format '{{.ServerVersion}}, {{.Driver}}') on $DOCKER_HOST; networks: $(docker network ls --format '{{.Name}}' | tr '\n' ' ')"

# ---------------------------------------------------------------------------------- base images --
phase "debian + node"
# The minimal Debian, kept as a tarball so a new data folder or storage driver needs no second debootstrap.
rootfs_tar="$CACHE/debian-bookworm.tar"
if [ ! -s "$rootfs_tar" ]; then
  rootfs="$CACHE/rootfs-bookworm"
  mirror="$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)"
  rm -rf "$rootfs"
  say "debootstrap bookworm (minbase) from ${mirror:-http://deb.debian.org/debian}"
  debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >"$RUN/debootstrap.log" 2>&1 \
    || { tail -n 20 "$RUN/debootstrap.log"; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -cf "$rootfs_tar.tmp" . && mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$rootfs"
fi
if ! docker image inspect "$DEBIAN_IMAGE" >/dev/null 2>&1; then
  docker import - "$DEBIAN_IMAGE" <"$rootfs_tar" >/dev/null
  say "$DEBIAN_IMAGE imported"
fi
# Build contexts staged from the machine: its Node.js, and the broker jars of scripts/kafka.sh.
stage="$RUN/contexts"
rm -rf "$stage" && mkdir -p "$stage/node/bin" "$stage/node/lib/node_modules" "$stage/kafka"
node_bin="$(readlink -f "$(command -v node)")"
cp "$node_bin" "$stage/node/bin/node"
cp -a "$(npm root -g)/npm" "$stage/node/lib/node_modules/npm"
mkdir -p "$stage/node/certs" && cp /etc/ssl/certs/ca-certificates.crt "$stage/node/certs/"
bash scripts/kafka.sh fetch
cp deploy/docker/kafka/* "$stage/kafka/"
cp -al "$ROOT/.cache/kafka/$KAFKA_VERSION/libs" "$stage/kafka/libs"
build() { # image dockerfile context [build args]
  local log="$RUN/build-${1//[\/:]/-}.log" t0=$SECONDS
  docker build --force-rm --network host -t "$1" -f "$2" "${@:4}" "$3" >"$log" 2>&1 || { tail -n 40 "$log"; say "building $1 failed"; exit 1; }
  say "$1 built in $((SECONDS - t0)) s ($(docker image inspect "$1" --format '{{.Size}}' | awk '{printf "%d MB", $1 / 1e6}'))"
}
# Kafka's and PostgreSQL's images build while the app's does (their waits are mostly downloads).
build "$NODE_IMAGE" deploy/docker/node/Dockerfile "$stage/node" --build-arg "BASE=$DEBIAN_IMAGE"
build "$KAFKA_IMAGE" deploy/docker/kafka/Dockerfile "$stage/kafka" --build-arg "BASE=$DEBIAN_IMAGE" &
kafka_build=$!
build "$POSTGRES_IMAGE" deploy/docker/postgres/Dockerfile deploy/docker/postgres --build-arg "BASE=$DEBIAN_IMAGE" &
postgres_build=$!

# ------------------------------------------------------------------------------------ app image --
phase "kafka, pg, app"
# The host-side scripts (readiness, demo, tokens, verifier) run from this checkout's dist/.
[ -f dist/scripts/demo.js ] || npm run --silent build
build "$AAL_IMAGE" deploy/Dockerfile . --build-arg "NODE_IMAGE=$NODE_IMAGE"
wait "$kafka_build"
wait "$postgres_build"
# no image prune: the build stage's untagged layers are the next run's build cache

# -------------------------------------------------------------------------------------- compose --
phase "compose up"
# The demo's short concern due periods (scripts/demo-scenario.ts), passed to the concerns container by the override.
eval "$(node_run -e "const { DEMO_CONCERN_DUE_PERIODS } = require('./dist/scripts/demo-scenario');
  for (const [k, v] of Object.entries(DEMO_CONCERN_DUE_PERIODS)) console.log('export ' + k + '=' + v);")"
docker-compose "${COMPOSE_FILES[@]}" config | awk '/^    ports:$/ { skip = 1; next } skip && /^    - / { next } { skip = 0; print }' >"$SMOKE_COMPOSE"
# Every container must be on the host's network: a service missing from the override would make
# compose create a network, and talk over it.
mapfile -t services < <("${COMPOSE[@]}" config --services | grep -vx -e kafka -e postgres -e setup)
on_host="$("${COMPOSE[@]}" config | grep -c '^    network_mode: host$' || true)"
[ "$on_host" = $((${#services[@]} + 3)) ] || { say "docker-compose.host-network.yml must put every service on the host network"; exit 1; }
# The services' ports in the override: each one's usual port + 10000 (<SERVICE>_PORT, for the host-side scripts).
eval "$(node_run -e "const { SERVICE_NAMES, SERVICE_PORTS, portVariable } = require('@aal/contracts');
  for (const s of SERVICE_NAMES) console.log('export ' + portVariable(s) + '=' + (SERVICE_PORTS[s] + 10000));")"
for port in "$KAFKA_PORT" $((KAFKA_PORT + 1)) "$POSTGRES_PORT" $(env | sed -n 's/^[A-Z_]*_PORT=\(1[0-9]\{4\}\)$/\1/p'); do
  port_free "$port" || { say "port 127.0.0.1:$port is in use: the smoke needs it"; exit 1; }
done
rm -rf "$AAL_SMOKE_KEYS_DIR" "$RUN/verify-state.json" && mkdir -p "$AAL_SMOKE_KEYS_DIR" && chown 1000:1000 "$AAL_SMOKE_KEYS_DIR"
"${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
"${COMPOSE[@]}" up -d --no-build
say "setup: $(docker logs "$("${COMPOSE[@]}" ps -q setup)" 2>&1 | grep -E '^(database|kafka) ' | tr '\n' ';')"
networks="$(docker network ls --format '{{.Name}}' | grep -vx -e host -e none || true)"
[ -z "$networks" ] || { say "the engine has networks it must not: $networks"; exit 1; }
READY_TIMEOUT_MS=180000 node_run dist/scripts/wait-ready.js
for service in "${services[@]}"; do
  for _ in $(seq 1 60); do
    health="$(docker inspect --format '{{.State.Health.Status}}' "$("${COMPOSE[@]}" ps -q "$service")")"
    [ "$health" = healthy ] && break
    sleep 1
  done
  say "$service: $health (its image's HEALTHCHECK)"
  [ "$health" = healthy ]
done

# ----------------------------------------------------------------------------------------- demo --
phase "demo"
export KEYS_DIR="$AAL_SMOKE_KEYS_DIR"
node_run dist/scripts/demo.js
ledger_url="http://127.0.0.1:$LEDGER_PORT"
LEDGER_TOKEN="$(node_run dist/scripts/dev-token.js regulator)" node bin/ledger-verify.js --url "$ledger_url" \
  --key "$(cat "$KEYS_DIR/ledger-verifier-key.txt")" --state "$RUN/verify-state.json" # each run's log is new
"${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1

# ------------------------------------------------------------------------------- testcontainers --
phase "testcontainers"
# The harness starts containers itself when KAFKA_BROKERS / DATABASE_URL are unset and Docker answers
# (libs/testing/src/infrastructure.ts). Ryuk, testcontainers' reaper, is off: no registry has its image
# here, and this script removes the containers itself (teardown). TESTCONTAINERS_HOST_OVERRIDE: without
# it testcontainers looks up the engine's `bridge` network for the host's address, and there is none.
env -u KAFKA_BROKERS -u DATABASE_URL TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 TESTCONTAINERS_RYUK_DISABLED=true AAL_TEST_CONTAINER_NETWORK=host \
  AAL_TEST_KAFKA_IMAGE="$KAFKA_IMAGE" AAL_TEST_POSTGRES_IMAGE="$POSTGRES_IMAGE" \
  npx jest --maxWorkers=1 libs/outbox/src/outbox-relay.int.test.ts
end_phase
