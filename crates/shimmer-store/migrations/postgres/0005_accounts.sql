-- Profiles, preferences, two-factor sign-in, reports and the account lifecycle.

-- Public profile fields; one row per user, created on first save.
CREATE TABLE profiles (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    pronouns TEXT NOT NULL DEFAULT '',
    bio TEXT NOT NULL DEFAULT '',
    -- JSON object of validated, normalised links (website, youtube, instagram, discord, ...).
    links TEXT NOT NULL DEFAULT '{}',
    youtube_intro TEXT NOT NULL DEFAULT '',
    live_message TEXT NOT NULL DEFAULT '',
    -- Bumped on every upload, so avatar URLs can be cached for long.
    avatar_version BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- Saved preferences of signed-in users (visitors keep theirs in cookies).
CREATE TABLE preferences (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    theme TEXT NOT NULL DEFAULT 'system',
    chat_timestamps BIGINT NOT NULL DEFAULT 0,
    show_mature BIGINT NOT NULL DEFAULT 0,
    locale TEXT NOT NULL DEFAULT 'en',
    updated_at BIGINT NOT NULL
);

-- TOTP: the secret is encrypted (nonce and ciphertext, base64). Enabled once a code confirmed it.
CREATE TABLE two_factor (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret_sealed TEXT NOT NULL,
    enabled_at BIGINT,
    -- The last accepted time step; codes of this step or earlier are refused (no replays).
    last_step BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE recovery_codes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

-- A password that was right for an account with two-factor sign-in: grants nothing but the
-- second step, for a few minutes.
CREATE TABLE pending_logins (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    remember BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE reports (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reporter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reported_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    -- The reported name at filing time, kept when the account is renamed or deleted.
    reported_username TEXT NOT NULL,
    location TEXT NOT NULL,
    reason TEXT NOT NULL,
    notes TEXT NOT NULL,
    chat_message_id BIGINT,
    -- open, resolved or dismissed
    status TEXT NOT NULL DEFAULT 'open',
    handled_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX reports_status ON reports(status, created_at);

-- Usernames given up by a rename or a deleted account, held back from others for a while.
CREATE TABLE username_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    old_username_lower TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX username_history_old ON username_history(old_username_lower);
CREATE INDEX username_history_user ON username_history(user_id, changed_at);
