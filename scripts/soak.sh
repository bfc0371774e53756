#!/usr/bin/env bash
# Soak run: one server under a steady mixed load for MINUTES, sampled every minute, to show that
# nothing grows (memory, descriptors, threads, tasks, database) and nothing degrades (loss).
#
#   scripts/soak.sh MINUTES [BIN_DIR]      BIN_DIR holds `shimmer` and `shimmer-bench`
#                                           (default target/release; this script builds nothing)
#
# It starts `shimmer serve` in a temporary data directory (kept at the end; its path is printed),
# pushes a looped 720p30 Main-profile clip made by ffmpeg with `shimmer push --loop`, and runs
# for MINUTES: `shimmer-bench churn` (SOAK_VIEWERS WHEP viewers, default 200, each staying 5 to
# 30 s, leaving and joining again), `shimmer-bench chat` (SOAK_CHAT_RATE messages/s, default
# 20, from 4 signed-in senders to 20 viewer sockets) and API polling (SOAK_API_RATE requests/s,
# default 5: the GraphQL channel query with a client id, the viewer count and /healthz).
#
# Every SOAK_SAMPLE_SECONDS (default 60) one JSON line: the server's RSS, open descriptors,
# threads, tokio tasks (the shimmer_runtime_alive_tasks gauge of /metrics; null where /metrics
# is not reachable), and the database with its WAL. At the end one JSON summary line: each
# figure's mean over the last 10 samples divided by its mean over the first 10 (fewer when the
# run is shorter than 20 samples: half the samples each), the churn's loss in its first and
# last interval, the chat and API results, and the ERROR and WARN lines of the server log.
set -euo pipefail
MINUTES="${1:?usage: scripts/soak.sh MINUTES [BIN_DIR]}"
BIN="$(cd "${2:-target/release}" && pwd)"
VIEWERS="${SOAK_VIEWERS:-200}"
CHAT_RATE="${SOAK_CHAT_RATE:-20}"
API_RATE="${SOAK_API_RATE:-5}"
SAMPLE="${SOAK_SAMPLE_SECONDS:-60}"
SECONDS_TOTAL=$((MINUTES * 60))
for tool in ffmpeg python3 curl; do
    command -v "$tool" >/dev/null || { echo "soak: $tool is needed" >&2; exit 1; }
done
[ -x "$BIN/shimmer" ] && [ -x "$BIN/shimmer-bench" ] ||
    { echo "soak: $BIN must hold shimmer and shimmer-bench" >&2; exit 1; }

D=$(mktemp -d /tmp/shimmer-soak.XXXXXX)
echo "soak: data and logs in $D" >&2
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

ffmpeg -loglevel error -f lavfi -i testsrc=size=1280x720:rate=30 -t 10 -c:v libx264 \
    -profile:v main -preset veryfast -tune zerolatency -bf 0 -g 60 -keyint_min 60 \
    -sc_threshold 0 -pix_fmt yuv420p -b:v 2500k -f h264 "$D/clip.h264"
ffmpeg -loglevel error -f lavfi -i sine=frequency=440:sample_rate=48000 -t 10 -ac 2 \
    -c:a libopus -b:a 128k -frame_duration 20 -application lowdelay -f ogg "$D/clip.opus"

PASSWORD='soak-password-1'
export SHIMMER_LOG=warn
"$BIN/shimmer" user create --username soak --email soak@example.com --password "$PASSWORD" \
    --confirmed --data-dir "$D" >/dev/null
for i in 0 1 2 3; do
    "$BIN/shimmer" user create --username "soakchat$i" --email "soakchat$i@example.com" \
        --password "$PASSWORD" --confirmed --data-dir "$D" >/dev/null
done
APP=$("$BIN/shimmer" app create --owner soak --name Soak --data-dir "$D")
CLIENT_ID=$(echo "$APP" | sed -n 's/^client_id=//p')
KEY=$("$BIN/shimmer" channel key soak --data-dir "$D")

# The load comes from one machine: lift the per-chatter, per-address and API limits it would
# otherwise meet (the soak is about leaks, not about limits).
SHIMMER_LOG=info NO_COLOR=1 \
    SHIMMER_CHAT__USER_BURST=1000 SHIMMER_CHAT__USER_INTERVAL_MS=1 SHIMMER_CHAT__IP_BURST=1000 \
    SHIMMER_CHAT__IP_INTERVAL_MS=1 SHIMMER_API__REQUESTS_PER_SECOND=1000000 \
    SHIMMER_API__BURST=1000000 SHIMMER_FTL__BIND_ADDRESS=127.0.0.1 SHIMMER_FTL__CONTROL_PORT=0 \
    SHIMMER_FTL__MEDIA_PORT=0 SHIMMER_WEBRTC__BIND=127.0.0.1:0 SHIMMER_METRICS_BIND=127.0.0.1:0 \
    "$BIN/shimmer" serve --bind 127.0.0.1:0 --data-dir "$D" --ready-file "$D/ready.json" \
    >"$D/server.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 300); do [ -f "$D/ready.json" ] && break; sleep 0.1; done
[ -f "$D/ready.json" ] || { echo "soak: the server did not start (see $D/server.log)" >&2; exit 1; }
ready() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$D/ready.json" "$1"; }
WEB="http://$(ready web)"
METRICS="http://$(ready metrics)"
FTL="$(ready ftl_control)"

"$BIN/shimmer" push --server "$FTL" --key "$KEY" --video "$D/clip.h264" --audio "$D/clip.opus" \
    --loop >"$D/push.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 100); do
    "$BIN/shimmer" channel status soak --data-dir "$D" | grep -q '^live' && break
    sleep 0.1
done
"$BIN/shimmer" channel status soak --data-dir "$D" | grep -q '^live' ||
    { echo "soak: the channel did not go live (see $D/push.log)" >&2; exit 1; }
CHANNEL_ID="${KEY%%-*}"

"$BIN/shimmer-bench" churn --url "$WEB" --channel soak --viewers "$VIEWERS" \
    --seconds "$SECONDS_TOTAL" --report-every "$SAMPLE" >"$D/churn.jsonl" 2>"$D/churn.err" &
CHURN=$!
PIDS+=("$CHURN")
"$BIN/shimmer-bench" chat --url "$WEB" --channel soak --viewers 20 --senders 4 \
    --sender-prefix soakchat --password "$PASSWORD" --rate "$CHAT_RATE" \
    --seconds "$SECONDS_TOTAL" --drain 3 >"$D/chat.jsonl" 2>"$D/chat.err" &
CHAT=$!
PIDS+=("$CHAT")

# API polling at a steady rate; one JSON line at the end.
python3 - "$WEB" "$CLIENT_ID" "$CHANNEL_ID" "$API_RATE" "$SECONDS_TOTAL" >"$D/api.json" <<'PY' &
import json, sys, time, urllib.request
web, client_id, channel_id, rate, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
query = json.dumps({"query": '{ channel(streamerUsername: "soak") { id status stream { id } } }'}).encode()
requests = [
    lambda: urllib.request.Request(f"{web}/api/graph", data=query, headers={
        "Authorization": f"Client-ID {client_id}", "Content-Type": "application/json"}),
    lambda: urllib.request.Request(f"{web}/api/channels/{channel_id}/viewers"),
    lambda: urllib.request.Request(f"{web}/healthz"),
]
done, errors, samples, worst = 0, {}, [], 0.0
start = time.monotonic()
while time.monotonic() - start < seconds:
    request = requests[done % len(requests)]()
    began = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            if request.full_url.endswith("/api/graph") and b'"errors"' in body:
                errors["graphql"] = errors.get("graphql", 0) + 1
    except Exception as error:  # every failure is counted by kind
        kind = type(error).__name__ + ":" + str(getattr(error, "code", ""))
        errors[kind] = errors.get(kind, 0) + 1
    took = time.monotonic() - began
    worst = max(worst, took)
    samples.append(took)
    done += 1
    time.sleep(max(0.0, start + done / rate - time.monotonic()))
samples.sort()
p = lambda q: round(samples[min(len(samples) - 1, int(len(samples) * q))] * 1000, 1) if samples else None
print(json.dumps({"mode": "api-poll", "requests": done, "errors": errors,
                  "p50_ms": p(0.5), "p99_ms": p(0.99), "max_ms": round(worst * 1000, 1)}))
PY
POLLER=$!
PIDS+=("$POLLER")

# Samples every SAMPLE seconds, then the summary.
python3 - "$SERVER" "$D" "$METRICS" "$SAMPLE" "$SECONDS_TOTAL" <<'PY'
import json, os, re, sys, time, urllib.request
pid, data, metrics, every, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])

def status_field(name):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return None

def tasks():
    try:
        with urllib.request.urlopen(f"{metrics}/metrics", timeout=5) as response:
            text = response.read().decode()
    except Exception:
        return None
    match = re.search(r"^shimmer_runtime_alive_tasks(?:\{[^}]*\})? ([0-9.e+]+)$", text, re.M)
    return int(float(match.group(1))) if match else None

def size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0

start = time.monotonic()
minute = 0
while True:
    minute += 1
    time.sleep(max(0.0, start + minute * every - time.monotonic()))
    if not os.path.exists(f"/proc/{pid}"):
        print(json.dumps({"minute": minute, "error": "the server exited"}), flush=True)
        break
    db = os.path.join(data, "shimmer.db")
    row = {
        "minute": minute,
        "rss_kib": status_field("VmRSS"),
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
        "threads": status_field("Threads"),
        "tasks": tasks(),
        "db_bytes": size(db),
        "wal_bytes": size(db + "-wal"),
    }
    print(json.dumps(row), flush=True)
    with open(os.path.join(data, "samples.jsonl"), "a") as f:
        f.write(json.dumps(row) + "\n")
    if minute * every >= seconds:
        break
PY

# The loads print their last lines once they finish (chat after its drain).
wait "$CHURN" "$CHAT" "$POLLER" 2>/dev/null || true
python3 - "$D" "$SAMPLE" "$SERVER" <<'PY'
import json, os, re, sys
data, every, pid = sys.argv[1], float(sys.argv[2]), sys.argv[3]
path = os.path.join(data, "samples.jsonl")
rows = [json.loads(l) for l in open(path) if l.strip()] if os.path.exists(path) else []

def ratio(key):
    values = [r[key] for r in rows if r.get(key) is not None]
    if len(values) < 2:
        return None
    n = min(10, len(values) // 2)
    first, last = sum(values[:n]) / n, sum(values[-n:]) / n
    return round(last / first, 3) if first else None

def last_json(path):
    try:
        lines = [l for l in open(path) if l.strip().startswith("{")]
        return json.loads(lines[-1]) if lines else None
    except (OSError, ValueError):
        return None

ansi = re.compile(r"\x1b\[[0-9;]*m")
log = [ansi.sub("", l.rstrip()) for l in open(os.path.join(data, "server.log"), errors="replace")]
errors = [l for l in log if re.search(r"\bERROR\b", l)]
warnings = [l for l in log if re.search(r"\bWARN\b", l)]
churn = last_json(os.path.join(data, "churn.jsonl"))
chat = last_json(os.path.join(data, "chat.jsonl"))
api = last_json(os.path.join(data, "api.json"))
summary = {
    "mode": "soak",
    "minutes": len(rows),
    "server_running": os.path.exists(f"/proc/{pid}"),
    "sample_seconds": every,
    "ratio_last_to_first": {k: ratio(k) for k in ("rss_kib", "fds", "threads", "tasks", "db_bytes", "wal_bytes")},
    "churn": churn and {k: churn.get(k) for k in ("sessions", "connected", "failed", "ended_by_server", "loss_pct",
                                                  "loss_pct_first_interval", "loss_pct_last_interval", "errors")},
    "chat": chat and {k: chat.get(k) for k in ("messages_sent", "accepted", "unanswered", "loss_pct", "refused", "errors")},
    "api": api,
    "log_errors": len(errors),
    "log_warnings": len(warnings),
    "log_first_errors": errors[:5],
    "log_first_warnings": warnings[:5],
}
print(json.dumps(summary), flush=True)
PY
