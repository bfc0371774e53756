#!/usr/bin/env bash
# Compares builds on the three benchmarks that guard the viewer, chat and API paths, interleaved
# (build A, build B, ..., then again) so that every build sees the same machine conditions:
#
# - fan-out: `shimmer-bench whep --viewers 300 --seconds 8` (in-process server and viewers),
# - chat: `shimmer-bench chat --spawn shimmer --viewers 500 --rate 20 --senders 20 --seconds 10`,
# - API: `channel(streamerUsername:)` over HTTP, as `scripts/bench-api-http.sh` runs it.
#
# Each DIR holds a release `shimmer` and `shimmer-bench` of one build. Prints one line per run:
# the build, the benchmark, the load average before it, and the bench's own output.
#
# usage: scripts/bench-same-run.sh ROUNDS DIR [DIR...]
#   e.g. scripts/bench-same-run.sh 2 /tmp/base/release target/release
set -euo pipefail
ROUNDS=$1
shift
HERE=$(cd "$(dirname "$0")" && pwd)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
load() { cut -d' ' -f1 /proc/loadavg; }
for round in $(seq "$ROUNDS"); do
    for BIN in "$@"; do
        echo "round=$round build=$BIN bench=whep load=$(load) $("$BIN/shimmer-bench" whep --viewers 300 --seconds 8 2>/dev/null | tail -1)"
        D=$(mktemp -d)
        echo "round=$round build=$BIN bench=chat load=$(load) $("$BIN/shimmer-bench" chat --spawn "$BIN/shimmer" \
            --data-dir "$D" --viewers 500 --rate 20 --senders 20 --seconds 10 2>/dev/null | tail -1)"
        rm -rf "$D"
        "$HERE/bench-api-http.sh" 1 "$BIN" | sed "s|^|round=$round build=$BIN bench=api-http |"
    done
done
