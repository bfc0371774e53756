-- Emotes: global ones (no channel) uploaded by staff, and channel ones named with the channel's
-- unique five-character prefix. Channel emotes wait in a staff approval queue.

ALTER TABLE channels ADD COLUMN emote_prefix TEXT;
CREATE UNIQUE INDEX channels_emote_prefix ON channels(emote_prefix);

CREATE TABLE emotes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id INTEGER REFERENCES channels(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    animated INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    -- pending, approved or rejected
    status TEXT NOT NULL,
    rejected_reason TEXT,
    uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reviewed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    reviewed_at INTEGER
);
CREATE INDEX emotes_channel ON emotes(channel_id, status);
CREATE INDEX emotes_status ON emotes(status, created_at);
