-- First-party site analytics, private by construction: no IP address or user agent is stored.
-- A visitor is a salted hash of (address, user agent) under a salt made for one UTC day and
-- deleted once the day is closed, so hashes cannot be linked across days or reversed.

-- The salt of each day still open (today and yesterday).
CREATE TABLE analytics_salts (
    day TEXT PRIMARY KEY,
    salt TEXT NOT NULL
);

-- The visitors of each open day, to count them once; deleted when the day is closed.
CREATE TABLE analytics_visitors (
    day TEXT NOT NULL,
    visitor TEXT NOT NULL,
    PRIMARY KEY (day, visitor)
);

-- One row per day: page views, and unique visitors once the day is closed (0 while open:
-- the open day's visitors are counted from analytics_visitors).
CREATE TABLE analytics_daily (
    day TEXT PRIMARY KEY,
    page_views BIGINT NOT NULL DEFAULT 0,
    unique_visitors BIGINT NOT NULL DEFAULT 0
);
