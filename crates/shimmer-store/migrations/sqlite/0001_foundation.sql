-- Accounts, sessions, one-time email tokens, channels, streams and their metadata.
-- Times are milliseconds since the Unix epoch, so both backends store and compare them alike.

-- Flags are integers (0 or 1): the portable `Any` driver cannot decode SQLite booleans.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    username_lower TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_lower TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    email_confirmed_at INTEGER,
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    remember INTEGER NOT NULL,
    user_agent TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE email_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX email_tokens_user ON email_tokens(user_id, purpose);

CREATE TABLE channels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    mature INTEGER NOT NULL DEFAULT 0,
    stream_key_secret TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'offline',
    current_stream_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX channels_status ON channels(status);

CREATE TABLE streams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    end_reason TEXT
);
CREATE INDEX streams_channel ON streams(channel_id, started_at);
CREATE INDEX streams_open ON streams(ended_at) WHERE ended_at IS NULL;

CREATE TABLE stream_metadata (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    recorded_at INTEGER NOT NULL,
    ingest_server TEXT NOT NULL,
    vendor_name TEXT NOT NULL,
    vendor_version TEXT NOT NULL,
    video_codec TEXT NOT NULL,
    audio_codec TEXT NOT NULL,
    video_width INTEGER NOT NULL,
    video_height INTEGER NOT NULL,
    source_bitrate INTEGER NOT NULL,
    source_ping INTEGER NOT NULL,
    recv_packets INTEGER NOT NULL,
    lost_packets INTEGER NOT NULL,
    nack_packets INTEGER NOT NULL,
    recovered_packets INTEGER NOT NULL,
    frame_rate REAL NOT NULL,
    keyframe_interval_ms INTEGER NOT NULL,
    stream_time_seconds INTEGER NOT NULL
);
CREATE INDEX stream_metadata_stream ON stream_metadata(stream_id, recorded_at);
