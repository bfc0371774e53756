-- Chat: messages, channel safety settings, moderators with per-permission flags, bans and
-- timeouts, and the moderation log.

ALTER TABLE channels ADD COLUMN chat_min_account_age_hours INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN chat_require_verified_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN chat_block_links INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN chat_links_clickable INTEGER NOT NULL DEFAULT 1;
ALTER TABLE channels ADD COLUMN chat_slow_mode_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN chat_recent_only INTEGER NOT NULL DEFAULT 0;

CREATE TABLE chat_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- Badges at send time, comma separated: streamer, moderator, subscriber, staff.
    badges TEXT NOT NULL,
    body TEXT NOT NULL,
    -- The body parsed once at write time: a JSON array of typed tokens (text, link, emote).
    tokens TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    hidden_at INTEGER,
    hidden_reason TEXT
);
CREATE INDEX chat_messages_channel ON chat_messages(channel_id, id);
CREATE INDEX chat_messages_user ON chat_messages(channel_id, user_id);

CREATE TABLE channel_moderators (
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    can_short_timeout INTEGER NOT NULL DEFAULT 1,
    can_long_timeout INTEGER NOT NULL DEFAULT 1,
    can_ban INTEGER NOT NULL DEFAULT 0,
    can_unban INTEGER NOT NULL DEFAULT 0,
    can_delete INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);

-- A timeout has an expiry; a permanent ban has none.
CREATE TABLE channel_bans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX channel_bans_user ON channel_bans(channel_id, user_id);

CREATE TABLE moderation_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    moderator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    target_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    message_id INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX moderation_log_channel ON moderation_log(channel_id, created_at);
