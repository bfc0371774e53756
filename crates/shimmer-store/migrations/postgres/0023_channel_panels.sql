-- About panels: short Markdown sections a streamer writes for their channel page (schedule,
-- links, rules), shown below the player in order.
CREATE TABLE channel_panels (
    channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (channel_id, position)
);
