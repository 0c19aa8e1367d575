#!/bin/bash
# First start: initdb with POSTGRES_USER / POSTGRES_PASSWORD (password logins over TCP, as the
# official image), then POSTGRES_DB; every start: `postgres [args]` runs the server in the foreground.
set -euo pipefail
user="${POSTGRES_USER:-postgres}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb -D "$PGDATA" -U "$user" --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}") >/dev/null
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  db="${POSTGRES_DB:-$user}"
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE \"$db\"" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
fi
if [ "${1:-postgres}" = postgres ]; then shift || true; exec postgres -D "$PGDATA" "$@"; fi
exec "$@"
