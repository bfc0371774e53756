-- Chat: messages, channel safety settings, moderators with per-permission flags, bans and
-- timeouts, and the moderation log.

ALTER TABLE channels ADD COLUMN chat_min_account_age_hours BIGINT NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN chat_require_verified_email BIGINT NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN chat_block_links BIGINT NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN chat_links_clickable BIGINT NOT NULL DEFAULT 1;
ALTER TABLE channels ADD COLUMN chat_slow_mode_seconds BIGINT NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN chat_recent_only BIGINT NOT NULL DEFAULT 0;

CREATE TABLE chat_messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    -- Badges at send time, comma separated: streamer, moderator, subscriber, staff.
    badges TEXT NOT NULL,
    body TEXT NOT NULL,
    -- The body parsed once at write time: a JSON array of typed tokens (text, link, emote).
    tokens TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    hidden_at BIGINT,
    hidden_reason TEXT
);
CREATE INDEX chat_messages_channel ON chat_messages(channel_id, id);
CREATE INDEX chat_messages_user ON chat_messages(channel_id, user_id);

CREATE TABLE channel_moderators (
    channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    can_short_timeout BIGINT NOT NULL DEFAULT 1,
    can_long_timeout BIGINT NOT NULL DEFAULT 1,
    can_ban BIGINT NOT NULL DEFAULT 0,
    can_unban BIGINT NOT NULL DEFAULT 0,
    can_delete BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);

-- A timeout has an expiry; a permanent ban has none.
CREATE TABLE channel_bans (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at BIGINT,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX channel_bans_user ON channel_bans(channel_id, user_id);

CREATE TABLE moderation_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    moderator_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    target_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    message_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX moderation_log_channel ON moderation_log(channel_id, created_at);
