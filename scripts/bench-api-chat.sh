#!/usr/bin/env bash
# Chat through the API's sockets for one or more builds: for each directory holding a `shimmer`
# and a `shimmer-bench` binary, a fresh data dir, an account and an app made with the CLI,
# `shimmer serve` with the chat and API limits lifted for the single sender, a chat token from
# the token endpoint, then `shimmer-bench api-chat` with 1000 sockets (SOCKETS) at 20 messages/s.
# Extra arguments after `--` go to the bench (e.g. `-- --avatars`).
#
# usage: scripts/bench-api-chat.sh DIR [DIR...] [-- BENCH-ARGS...]
#   e.g. scripts/bench-api-chat.sh target/release -- --avatars
set -euo pipefail
DIRS=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do DIRS+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
for BIN in "${DIRS[@]}"; do
    D=$(mktemp -d)
    "$BIN/shimmer" user create --username benchstreamer --email bench@example.com \
        --password 'correct horse battery' --confirmed --data-dir "$D" >/dev/null
    APP=$("$BIN/shimmer" app create --owner benchstreamer --name Bench --data-dir "$D")
    CID=$(echo "$APP" | sed -n 's/^client_id=//p')
    SECRET=$(echo "$APP" | sed -n 's/^client_secret=//p')
    SHIMMER_CHAT__USER_BURST=1000 SHIMMER_CHAT__USER_INTERVAL_MS=1 SHIMMER_CHAT__IP_BURST=1000 \
        SHIMMER_CHAT__IP_INTERVAL_MS=1 SHIMMER_API__REQUESTS_PER_SECOND=1000000 \
        SHIMMER_API__BURST=1000000 SHIMMER_METRICS_BIND=127.0.0.1:0 \
        "$BIN/shimmer" serve --bind 127.0.0.1:0 --data-dir "$D" --ready-file "$D/ready.json" \
        >"$D/log" 2>&1 &
    PID=$!
    trap 'kill "$PID" 2>/dev/null || true' EXIT
    for _ in $(seq 100); do [ -f "$D/ready.json" ] && break; sleep 0.1; done
    W=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['web'])" "$D/ready.json")
    TOKEN=$(curl -fsS -X POST "http://$W/api/oauth/token?grant_type=client_credentials&client_id=$CID&client_secret=$SECRET&scope=public%20chat" |
        python3 -c "import json,sys; print(json.load(sys.stdin)['access_token'])")
    CHANNEL=$(curl -fsS -X POST -H "Authorization: Client-ID $CID" -H 'content-type: application/json' \
        -d '{"query":"{ channel(streamerUsername: \"benchstreamer\") { id } }"}' "http://$W/api/graph" |
        python3 -c "import json,sys; print(json.load(sys.stdin)['data']['channel']['id'])")
    LOAD=$(cut -d' ' -f1 /proc/loadavg)
    echo "$BIN load=$LOAD $("$BIN/shimmer-bench" api-chat --url "http://$W" --client-id "$CID" \
        --token "$TOKEN" --channel-id "$CHANNEL" --sockets "${SOCKETS:-1000}" --rate 20 --seconds 10 "$@")"
    kill "$PID"
    wait "$PID" 2>/dev/null || true
    rm -rf "$D"
done
