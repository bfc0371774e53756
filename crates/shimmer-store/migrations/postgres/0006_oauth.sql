-- OAuth2 provider: developer applications, one-minute authorization codes and access/refresh
-- tokens. Secrets, codes and tokens are stored only as SHA-256 hashes.

CREATE TABLE oauth_apps (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    homepage_url TEXT NOT NULL,
    -- file name of the logo under the data directory, if one was uploaded
    logo_path TEXT,
    -- registered redirect URIs, one per line
    redirect_uris TEXT NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    -- the dedicated ingest credential (created only from the operator CLI)
    ingest BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX oauth_apps_owner ON oauth_apps(owner_id);

CREATE TABLE oauth_codes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    app_id BIGINT NOT NULL REFERENCES oauth_apps(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    -- PKCE S256 challenge (base64url of the verifier's SHA-256), if the client sent one
    code_challenge TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX oauth_codes_expiry ON oauth_codes(expires_at);

CREATE TABLE oauth_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    access_hash TEXT NOT NULL UNIQUE,
    refresh_hash TEXT UNIQUE,
    app_id BIGINT NOT NULL REFERENCES oauth_apps(id) ON DELETE CASCADE,
    -- the user who granted access; NULL for client_credentials tokens
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    -- the authorization code this token descends from (through refreshes), so a replayed code
    -- can revoke everything issued from it
    code_id BIGINT REFERENCES oauth_codes(id) ON DELETE SET NULL,
    -- issued to a public (PKCE) client, which may refresh without a secret
    public_client BIGINT NOT NULL,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    refresh_expires_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX oauth_tokens_user ON oauth_tokens(user_id, app_id);
CREATE INDEX oauth_tokens_app ON oauth_tokens(app_id);
CREATE INDEX oauth_tokens_code ON oauth_tokens(code_id);
