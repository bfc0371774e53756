-- Chat backgrounds: a picture a streamer puts behind their channel's chat. Stored as our own
-- JPEG re-encoding (never the upload itself), in the database so that every web node of a split
-- deployment can serve it.
CREATE TABLE channel_chat_backgrounds (
    channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
    image BLOB NOT NULL,
    -- entity tag (quoted) of the file, for ETag / If-None-Match
    etag TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL
);
