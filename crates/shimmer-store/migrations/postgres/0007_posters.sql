-- Channel posters: what an offline channel shows in its player and on its card. Stored as our
-- own JPEG re-encodings in the two card sizes (never the upload itself), in the database so that
-- every web node of a split deployment can serve them.

CREATE TABLE channel_posters (
    channel_id BIGINT PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
    -- 832x468 and 416x234 JPEG files
    large BYTEA NOT NULL,
    small BYTEA NOT NULL,
    -- entity tags (quoted) of the two files, for ETag / If-None-Match
    large_etag TEXT NOT NULL,
    small_etag TEXT NOT NULL,
    uploaded_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL
);
