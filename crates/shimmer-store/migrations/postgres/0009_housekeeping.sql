-- Housekeeping of every row that expires: the periodic sweep deletes, in small batches, what
-- nothing needs any more, picking each batch through one of these indexes instead of a scan.

-- Sessions and pending two-factor log-ins, once expired.
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE INDEX pending_logins_expiry ON pending_logins(expires_at);
-- Emailed one-time tokens, a while after they expired or were used (or revoked).
CREATE INDEX email_tokens_expiry ON email_tokens(expires_at);
CREATE INDEX email_tokens_used ON email_tokens(used_at);
-- Given-up usernames, once their hold ended.
CREATE INDEX username_history_changed ON username_history(changed_at);
-- Chat timeouts, once over (permanent bans have no expiry and stay).
CREATE INDEX channel_bans_expiry ON channel_bans(expires_at);
-- The live-notification log, once older than every window its caps look back over.
CREATE INDEX live_notifications_sent ON live_notifications(sent_at);
