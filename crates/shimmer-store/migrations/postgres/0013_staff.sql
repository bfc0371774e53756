-- Staff levels, staff controls on accounts and channels, platform bans and the staff audit log.

-- 0 is not staff; 1 trial member, 2 member, 3 lead, 4 manager, 5 admin. `is_admin` keeps
-- meaning "any staff" (the store sets both together); existing administrators become admins.
ALTER TABLE users ADD COLUMN staff_level BIGINT NOT NULL DEFAULT 0;
UPDATE users SET staff_level = 5 WHERE is_admin <> 0;
-- Whether the account may go live; staff turn it off.
ALTER TABLE users ADD COLUMN can_stream BIGINT NOT NULL DEFAULT 1;
-- Staff hide a channel from the live directory without taking it down.
ALTER TABLE channels ADD COLUMN hidden_from_discovery BIGINT NOT NULL DEFAULT 0;

-- A platform ban while `lifted_at` is empty. The address is kept as it was when banned, so a
-- new sign-up with it is refused.
CREATE TABLE platform_bans (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email_lower TEXT NOT NULL,
    reason TEXT NOT NULL,
    banned_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    lifted_at BIGINT,
    lifted_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX platform_bans_user ON platform_bans(user_id, lifted_at);
CREATE INDEX platform_bans_email ON platform_bans(email_lower, lifted_at);

-- Every staff view of private data and every staff action. Names are copied, not referenced,
-- so the log outlives renamed and deleted accounts. Append-only: the trigger refuses changes.
CREATE TABLE staff_audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id BIGINT NOT NULL,
    actor_username TEXT NOT NULL,
    action TEXT NOT NULL,
    target_user_id BIGINT,
    target_username TEXT,
    target_channel_id BIGINT,
    before_json TEXT,
    after_json TEXT,
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX staff_audit_actor ON staff_audit(actor_id, id);
CREATE INDEX staff_audit_target ON staff_audit(target_user_id, id);
CREATE INDEX staff_audit_action ON staff_audit(action, id);
CREATE FUNCTION staff_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the staff audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER staff_audit_no_change BEFORE UPDATE OR DELETE ON staff_audit
    FOR EACH ROW EXECUTE FUNCTION staff_audit_append_only();
