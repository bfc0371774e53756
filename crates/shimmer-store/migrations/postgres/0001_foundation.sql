-- Accounts, sessions, one-time email tokens, channels, streams and their metadata.
-- Times are milliseconds since the Unix epoch, so both backends store and compare them alike.

-- Flags are integers (0 or 1): the portable `Any` driver cannot decode SQLite booleans.
CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL,
    username_lower TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_lower TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    email_confirmed_at BIGINT,
    is_admin BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    remember BIGINT NOT NULL,
    user_agent TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE email_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_tokens_user ON email_tokens(user_id, purpose);

CREATE TABLE channels (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    mature BIGINT NOT NULL DEFAULT 0,
    stream_key_secret TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'offline',
    current_stream_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX channels_status ON channels(status);

CREATE TABLE streams (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    end_reason TEXT
);
CREATE INDEX streams_channel ON streams(channel_id, started_at);
CREATE INDEX streams_open ON streams(ended_at) WHERE ended_at IS NULL;

CREATE TABLE stream_metadata (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id BIGINT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    recorded_at BIGINT NOT NULL,
    ingest_server TEXT NOT NULL,
    vendor_name TEXT NOT NULL,
    vendor_version TEXT NOT NULL,
    video_codec TEXT NOT NULL,
    audio_codec TEXT NOT NULL,
    video_width BIGINT NOT NULL,
    video_height BIGINT NOT NULL,
    source_bitrate BIGINT NOT NULL,
    source_ping BIGINT NOT NULL,
    recv_packets BIGINT NOT NULL,
    lost_packets BIGINT NOT NULL,
    nack_packets BIGINT NOT NULL,
    recovered_packets BIGINT NOT NULL,
    frame_rate DOUBLE PRECISION NOT NULL,
    keyframe_interval_ms BIGINT NOT NULL,
    stream_time_seconds BIGINT NOT NULL
);
CREATE INDEX stream_metadata_stream ON stream_metadata(stream_id, recorded_at);
