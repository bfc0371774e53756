#!/usr/bin/env bash
# Starts a throwaway PostgreSQL and NATS on free ports in temporary directories, exports their
# URLs (SHIMMER_TEST_POSTGRES_URL, SHIMMER_TEST_NATS_URL), runs the given command, and stops both
# servers by PID afterwards, also when the command fails.
set -euo pipefail

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_DIR=$(mktemp -d /tmp/shimmer-pg.XXXXXX)
NATS_DIR=$(mktemp -d /tmp/shimmer-nats.XXXXXX)
PG_PORT=$(free_port)
NATS_PORT=$(free_port)
NATS_PID=""

as_postgres() {
  if [ "$(id -u)" = "0" ]; then
    chown -R postgres "$PG_DIR"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cleanup() {
  local status=$?
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  if [ -n "$NATS_PID" ]; then kill "$NATS_PID" 2>/dev/null || true; wait "$NATS_PID" 2>/dev/null || true; fi
  rm -rf "$PG_DIR" "$NATS_DIR"
  exit "$status"
}
trap cleanup EXIT INT TERM

mkdir -p "$PG_DIR/data"
as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust >"$PG_DIR/initdb.log" 2>&1
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
  -l "$PG_DIR/log" -w start >/dev/null
export SHIMMER_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export SHIMMER_REQUIRE_POSTGRES=1

nats-server -a 127.0.0.1 -p "$NATS_PORT" -js -sd "$NATS_DIR" >"$NATS_DIR/log" 2>&1 &
NATS_PID=$!
export SHIMMER_TEST_NATS_URL="nats://127.0.0.1:$NATS_PORT"
for _ in $(seq 50); do
  (echo >"/dev/tcp/127.0.0.1/$NATS_PORT") 2>/dev/null && break
  sleep 0.1
done

echo "PostgreSQL on port $PG_PORT, NATS on port $NATS_PORT"
"$@"
