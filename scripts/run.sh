#!/usr/bin/env bash
# Runs Shimmer on its embedded defaults (`shimmer serve`: SQLite in ./shimmer-data, the in-process
# bus, the site on http://127.0.0.1:8080), first installing the one system library the build
# links that a fresh Debian machine with the Rust toolchain lacks: libopus (RTMP ingest
# transcodes AAC to Opus with it), found through pkg-config. Extra arguments go to `serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
dpkg -s libopus-dev >/dev/null 2>&1 || need+=(libopus-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "error: the build needs ${need[*]}: run 'sudo apt-get install -y ${need[*]}' first" >&2
    exit 1
  fi
  echo "Installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
exec cargo run --release -- serve "$@"
