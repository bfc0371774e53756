-- Community: categories, subcategories and tags; follows and live-notification bookkeeping;
-- viewer statistics per stream; channel editors.

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL
);
INSERT INTO categories (name, slug, position) VALUES
    ('Art', 'art', 1), ('Music', 'music', 2), ('Tech', 'tech', 3),
    ('IRL', 'irl', 4), ('Education', 'education', 5), ('Gaming', 'gaming', 6);

-- Subcategories (a game, a style, a topic) belong to one category; users create them inline.
CREATE TABLE subcategories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (category_id, slug)
);

-- Tags belong to one category; usage_count is only ever changed by atomic increments.
CREATE TABLE tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    usage_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (category_id, slug)
);
CREATE INDEX tags_popular ON tags(category_id, usage_count);

ALTER TABLE channels ADD COLUMN category_id INTEGER REFERENCES categories(id) ON DELETE SET NULL;
ALTER TABLE channels ADD COLUMN subcategory_id INTEGER REFERENCES subcategories(id) ON DELETE SET NULL;
ALTER TABLE channels ADD COLUMN hide_viewer_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX channels_live_category ON channels(status, category_id, subcategory_id);
CREATE INDEX channels_live_language ON channels(status, language);

CREATE TABLE channel_tags (
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (channel_id, tag_id)
);
CREATE INDEX channel_tags_tag ON channel_tags(tag_id, channel_id);

-- Editors may change the title and tags of the channel they moderate.
ALTER TABLE channel_moderators ADD COLUMN is_editor INTEGER NOT NULL DEFAULT 0;

-- Follows are user to user, as in Glimesh.
CREATE TABLE follows (
    follower_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    streamer_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    live_notifications INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (follower_id, streamer_id)
);
CREATE INDEX follows_streamer ON follows(streamer_id, created_at);
CREATE INDEX follows_follower ON follows(follower_id, created_at);

-- One row per live-notification email sent: the unique key makes "once per stream" hold even
-- when two nodes react to the same event; the indexes answer the hourly and daily caps.
CREATE TABLE live_notifications (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    streamer_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, stream_id)
);
CREATE INDEX live_notifications_user ON live_notifications(user_id, sent_at);
CREATE INDEX live_notifications_pair ON live_notifications(user_id, streamer_id, sent_at);

-- When a "just followed" chat line was last posted for a user in a channel.
CREATE TABLE follow_announcements (
    channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    announced_at INTEGER NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);

-- Server-side keys (such as the one signing unsubscribe links), created on first use.
CREATE TABLE site_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Viewer statistics: the stream's category at start, its peak and unique viewers.
ALTER TABLE streams ADD COLUMN category_id INTEGER;
ALTER TABLE streams ADD COLUMN subcategory_id INTEGER;
ALTER TABLE streams ADD COLUMN peak_viewers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE streams ADD COLUMN unique_viewers INTEGER NOT NULL DEFAULT 0;

-- Each distinct viewer (signed-in user or per-browser id, never an IP) once per stream.
CREATE TABLE stream_viewers (
    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    viewer_key TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    PRIMARY KEY (stream_id, viewer_key)
);

-- One sample per stream and minute: concurrent viewers and the ingest bitrate.
CREATE TABLE stream_minutes (
    stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    minute_at INTEGER NOT NULL,
    viewers INTEGER NOT NULL,
    bitrate INTEGER NOT NULL,
    PRIMARY KEY (stream_id, minute_at)
);
