-- Auto-host: the channels a streamer shows on their own channel page while offline, in order
-- (the first of them that is live is shown).
CREATE TABLE auto_hosts (
    channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    target_user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (channel_id, position)
);
