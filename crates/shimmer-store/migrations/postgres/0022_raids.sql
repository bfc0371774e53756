-- Raids: a streamer ending a stream sends its viewers to another live channel. A channel may
-- refuse raids (on by default, as on other platforms).
ALTER TABLE channels ADD COLUMN chat_accept_raids INTEGER NOT NULL DEFAULT 1;
