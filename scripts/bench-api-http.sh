#!/usr/bin/env bash
# Benchmarks `channel(streamerUsername:)` over HTTP for one or more builds, interleaved so that
# each build sees the same machine conditions. For each directory holding a `shimmer` and a
# `shimmer-bench` binary, per round: a fresh data dir, an account and an app made with the CLI,
# `shimmer serve` with the API rate limits lifted, then one `shimmer-bench api-http` run.
#
# usage: scripts/bench-api-http.sh ROUNDS DIR [DIR...]
#   e.g. scripts/bench-api-http.sh 3 target/release
set -euo pipefail
ROUNDS=$1
shift
for _ in $(seq "$ROUNDS"); do
    for BIN in "$@"; do
        D=$(mktemp -d)
        "$BIN/shimmer" user create --username benchstreamer --email bench@example.com \
            --password 'correct horse battery' --confirmed --data-dir "$D" >/dev/null
        CID=$("$BIN/shimmer" app create --owner benchstreamer --name Bench --data-dir "$D" |
            sed -n 's/^client_id=//p')
        SHIMMER_API__REQUESTS_PER_SECOND=1000000 SHIMMER_API__BURST=1000000 SHIMMER_METRICS_BIND=127.0.0.1:0 \
            "$BIN/shimmer" serve --bind 127.0.0.1:0 --data-dir "$D" --ready-file "$D/ready.json" \
            >"$D/log" 2>&1 &
        PID=$!
        for _ in $(seq 100); do [ -f "$D/ready.json" ] && break; sleep 0.1; done
        W=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['web'])" "$D/ready.json")
        LOAD=$(cut -d' ' -f1 /proc/loadavg)
        echo "$BIN load=$LOAD $("$BIN/shimmer-bench" api-http --url "http://$W" --client-id "$CID" \
            --username benchstreamer --seconds 10 --concurrency 32)"
        kill "$PID"
        wait "$PID" 2>/dev/null || true
        rm -rf "$D"
    done
done
