-- Emotes: global ones (no channel) uploaded by staff, and channel ones named with the channel's
-- unique five-character prefix. Channel emotes wait in a staff approval queue.

ALTER TABLE channels ADD COLUMN emote_prefix TEXT;
CREATE UNIQUE INDEX channels_emote_prefix ON channels(emote_prefix);

CREATE TABLE emotes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel_id BIGINT REFERENCES channels(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    animated BIGINT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    size_bytes BIGINT NOT NULL,
    -- pending, approved or rejected
    status TEXT NOT NULL,
    rejected_reason TEXT,
    uploaded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reviewed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    reviewed_at BIGINT
);
CREATE INDEX emotes_channel ON emotes(channel_id, status);
CREATE INDEX emotes_status ON emotes(status, created_at);
