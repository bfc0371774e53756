#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with the Rust toolchain:
#   1. installs what is missing (PostgreSQL, NATS, Chromium, ffmpeg, libopus-dev and pkg-config from
#      Debian; playwright-core from npm),
#   2. builds the workspace,
#   3. runs every Rust test with a throwaway PostgreSQL and NATS (scripts/with-services.sh),
#   4. runs the browser tests in headless Chromium against the real binary,
#   5. runs short benchmark smoke runs,
#   6. fuzzes every fuzz target briefly (installs the nightly toolchain and cargo-fuzz if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || [ -d /usr/lib/postgresql ] || need+=(postgresql)
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
dpkg -s libopus-dev >/dev/null 2>&1 || need+=(libopus-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing missing packages: ${need[*]}"
  if [ "$(id -u)" != "0" ]; then
    echo "error: not root; install these with apt-get first: ${need[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

export CARGO_TERM_COLOR=never
# A one-off build gains nothing from incremental state, which would take gigabytes of disk.
export CARGO_INCREMENTAL=0
echo "== Disk: $(df -h --output=avail . | tail -1 | tr -d ' ') free in $(pwd)"
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
echo "== Building"
cargo build --workspace --all-targets --locked

echo "== Rust tests (SQLite, PostgreSQL, NATS)"
scripts/with-services.sh cargo test --workspace --locked --no-fail-fast

echo "== Browser tests (headless Chromium)"
(
  cd tests/browser
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  # PostgreSQL and NATS for the cluster tests (the other files use SQLite).
  SHIMMER_BIN="$TARGET_DIR/debug/shimmer" ../../scripts/with-services.sh npm test
  echo "== Time to first frame (smoke)"
  SHIMMER_BIN="$TARGET_DIR/debug/shimmer" node bench-ttff.mjs --runs 3 --assert-median-ms 1000
)

echo "== Benchmarks (smoke)"
scripts/bench-smoke.sh "$TARGET_DIR"

echo "== Fuzzing (smoke)"
scripts/fuzz-smoke.sh
