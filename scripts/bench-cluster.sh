#!/usr/bin/env bash
# Viewers of one channel served by a cluster on this machine (a web node, an ingest node and two
# edges over PostgreSQL and NATS) against one node serving everything, with the same release
# build, stream and viewer load: `shimmer-bench whep --url <node>/api/whep/<channel>`, its
# viewers redirected to the edges in the cluster's case. One JSON line per setup, prefixed with
# its name. Run it under scripts/with-services.sh (it needs SHIMMER_TEST_POSTGRES_URL and
# SHIMMER_TEST_NATS_URL).
#
# usage: scripts/with-services.sh scripts/bench-cluster.sh RELEASE_DIR VIEWERS [SECONDS]
#   e.g. scripts/with-services.sh scripts/bench-cluster.sh target/release 200 8
set -euo pipefail
BIN=$1
VIEWERS=$2
SECONDS_MEASURED=${3:-8}
: "${SHIMMER_TEST_POSTGRES_URL:?run under scripts/with-services.sh}"
: "${SHIMMER_TEST_NATS_URL:?run under scripts/with-services.sh}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
WORK=$(mktemp -d /tmp/shimmer-bench-cluster.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# start NAME ROLES [ENV=VALUE...]: a node on port-0 listeners; prints nothing, waits for ready.
start() {
  local name=$1 roles=$2
  shift 2
  mkdir -p "$WORK/$name"
  env SHIMMER_LOG=warn SHIMMER_ROLES="$roles" SHIMMER_NODE_ID="$name" \
    SHIMMER_FTL__BIND_ADDRESS=127.0.0.1 SHIMMER_FTL__CONTROL_PORT=0 SHIMMER_FTL__MEDIA_PORT=0 \
    SHIMMER_WEBRTC__BIND=127.0.0.1:0 SHIMMER_RTMP_BIND=127.0.0.1:0 SHIMMER_METRICS_BIND=127.0.0.1:0 \
    SHIMMER_RELAY_BIND=127.0.0.1:0 SHIMMER_WEBRTC__MAX_SESSIONS=5000 \
    SHIMMER_WEBRTC__OFFERS_PER_IP_PER_SECOND=100000 SHIMMER_WEBRTC__OFFERS_PER_IP_BURST=100000 "$@" \
    "$BIN/shimmer" serve --bind 127.0.0.1:0 --data-dir "$WORK/$name" \
    --ready-file "$WORK/$name/ready.json" >"$WORK/$name/log" 2>&1 &
  PIDS+=($!)
  echo $! >"$WORK/$name/pid"
  for _ in $(seq 300); do [ -s "$WORK/$name/ready.json" ] && return 0; sleep 0.1; done
  echo "$name did not start:" >&2
  cat "$WORK/$name/log" >&2
  exit 1
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]] or '')" "$WORK/$1/ready.json" "$2"; }

# run SETUP WEB_NODE INGEST_NODE [ENV=VALUE...]: a streamer live on INGEST_NODE, viewers at WEB_NODE.
measure() {
  local setup=$1 web=$2 ingest=$3
  shift 3
  env "$@" "$BIN/shimmer" --data-dir "$WORK/$web" user create --username "bench$setup" \
    --email "bench$setup@example.test" --password "correct horse battery" --confirmed >/dev/null
  local key
  key=$(env "$@" "$BIN/shimmer" --data-dir "$WORK/$web" channel key "bench$setup")
  "$BIN/shimmer" push --server "$(field "$ingest" ftl_control)" --key "$key" --loop \
    --video "$WORK/video.h264" --audio "$WORK/audio.opus" >/dev/null 2>&1 &
  PIDS+=($!)
  local push=$!
  for _ in $(seq 100); do
    env "$@" "$BIN/shimmer" --data-dir "$WORK/$web" channel status "bench$setup" | grep -q '^live' && break
    sleep 0.2
  done
  sleep 2
  echo "setup=$setup load=$(cut -d' ' -f1 /proc/loadavg) $("$BIN/shimmer-bench" whep \
    --url "http://$(field "$web" web)/api/whep/bench$setup" --viewers "$VIEWERS" \
    --seconds "$SECONDS_MEASURED" 2>/dev/null | tail -n 1)"
  kill "$push" 2>/dev/null || true
}

ffmpeg -loglevel error -f lavfi -i "testsrc2=size=1280x720:rate=30" -t 6 -c:v libx264 \
  -profile:v main -pix_fmt yuv420p -g 60 -bf 0 -b:v 2500k -f h264 "$WORK/video.h264"
ffmpeg -loglevel error -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 6 -ac 2 \
  -c:a libopus -b:a 128k "$WORK/audio.opus"

# One node serving everything, on its own SQLite database.
start single "ingest,edge,web"
measure single single single
kill "$(cat "$WORK/single/pid")"
rm "$WORK/single/pid"

# The cluster.
CLUSTER=(SHIMMER_DATABASE_URL="$SHIMMER_TEST_POSTGRES_URL" SHIMMER_NATS_URL="$SHIMMER_TEST_NATS_URL")
start web web "${CLUSTER[@]}"
start ingest ingest "${CLUSTER[@]}"
start edge1 edge "${CLUSTER[@]}"
start edge2 edge "${CLUSTER[@]}"
measure cluster web ingest "${CLUSTER[@]}"
