-- Housekeeping of expired OAuth2 tokens: a token row can go once its access token and its
-- refresh token (if any) have both expired. Leading with refresh_expires_at serves both of the
-- sweep's questions: "no refresh token and the access token expired" (IS NULL, then a range on
-- expires_at) and "the refresh token expired" (a range). Codes already have oauth_codes_expiry.

CREATE INDEX oauth_tokens_expiry ON oauth_tokens(refresh_expires_at, expires_at);
