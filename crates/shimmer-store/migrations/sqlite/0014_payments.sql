-- Money: Stripe customers, subscriptions, payments and the payables ledger, streamers' payout
-- accounts, and Stripe's webhook events with their processing queue. Amounts are integer cents.

-- The platform subscription an account holds now: '' (none), 'supporter' or 'founder'. Kept by
-- the payments domain from Stripe's events, read with every account for chat marks.
ALTER TABLE users ADD COLUMN platform_tier TEXT NOT NULL DEFAULT '';
-- Whether others may give the account a gift subscription (recipients may opt out).
ALTER TABLE users ADD COLUMN accept_gifts INTEGER NOT NULL DEFAULT 1;
-- Subscribers-only chat: only the channel's subscribers (and its moderators) may chat.
ALTER TABLE channels ADD COLUMN chat_subscribers_only INTEGER NOT NULL DEFAULT 0;
-- A channel emote only the channel's subscribers (and its moderators) may use.
ALTER TABLE emotes ADD COLUMN subscribers_only INTEGER NOT NULL DEFAULT 0;
-- Streamers may hide the Subscribe button on their channel.
ALTER TABLE channels ADD COLUMN show_subscribe_button INTEGER NOT NULL DEFAULT 1;

-- Stripe's webhook events, stored once by id and processed by the queue in `status` order:
-- pending (due at next_attempt_at), done, ignored (nothing to do) or failed (retries spent;
-- staff may replay it).
CREATE TABLE payment_events (
    id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    received_at INTEGER NOT NULL,
    processed_at INTEGER
);
CREATE INDEX payment_events_due ON payment_events(status, next_attempt_at);

-- The Stripe customer of an account, made on its first checkout.
CREATE TABLE payment_customers (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- A subscription: to the platform (product supporter or founder) or to a channel.
-- status: active, canceling (ends at the period's end), past_due, ended. A gift month has the
-- id `gift:<checkout id>` and never renews.
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    product TEXT NOT NULL,
    channel_id INTEGER REFERENCES channels(id) ON DELETE CASCADE,
    stripe_subscription_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    current_period_end INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX subscriptions_user ON subscriptions(user_id, status);
CREATE INDEX subscriptions_channel ON subscriptions(channel_id, status);

-- Money received: one row per paid invoice or completed one-off checkout, by its Stripe id.
-- kind: channel_subscription, platform_subscription, donation, gift_subscription.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    stripe_object_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payer_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
    subscription_id INTEGER REFERENCES subscriptions(id) ON DELETE SET NULL,
    gross_cents INTEGER NOT NULL,
    fee_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    -- Whether fee_cents is the processor's own figure from the payment's balance transaction
    -- (1) or the configured estimate (0, while the reconciler still asks: fee_checks so far,
    -- the next at fee_check_at).
    fee_settled INTEGER NOT NULL DEFAULT 0,
    fee_checks INTEGER NOT NULL DEFAULT 0,
    fee_check_at INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX payments_payer ON payments(payer_id, id);

-- What a payment owes a streamer, split when it was received (the cut and withholding rates
-- in force then are kept with it). status: pending, paid_out.
CREATE TABLE payables (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id INTEGER NOT NULL UNIQUE REFERENCES payments(id) ON DELETE CASCADE,
    streamer_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    gross_cents INTEGER NOT NULL,
    fee_cents INTEGER NOT NULL,
    platform_cut_bp INTEGER NOT NULL,
    platform_cut_cents INTEGER NOT NULL,
    withholding_bp INTEGER NOT NULL,
    withholding_cents INTEGER NOT NULL,
    payout_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The payday line that pays it out (set when a payday takes it).
    payout_id INTEGER,
    transfer_id TEXT,
    created_at INTEGER NOT NULL,
    paid_out_at INTEGER
);
CREATE INDEX payables_streamer ON payables(streamer_id, status);
CREATE INDEX payables_payout ON payables(payout_id);

-- A streamer's Stripe Connect account and what Stripe last said of it.
CREATE TABLE payout_accounts (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    account_id TEXT NOT NULL UNIQUE,
    charges_enabled INTEGER NOT NULL DEFAULT 0,
    payouts_enabled INTEGER NOT NULL DEFAULT 0,
    details_submitted INTEGER NOT NULL DEFAULT 0,
    withholding_bp INTEGER NOT NULL DEFAULT 0,
    -- Staff pause a streamer's payouts with a reason; empty when not paused.
    paused_reason TEXT NOT NULL DEFAULT '',
    -- The account's latest payout to the streamer's bank, as Stripe last reported it: status
    -- '' (none yet), paid or failed; the failure's message; when it arrives (or was due to).
    bank_payout_status TEXT NOT NULL DEFAULT '',
    bank_payout_cents INTEGER NOT NULL DEFAULT 0,
    bank_payout_note TEXT NOT NULL DEFAULT '',
    bank_payout_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- A payday: prepared (waiting for staff), approved (transfers running or some failed), paid.
-- `open` is 1 until the payday is paid and NULL after, so at most one is open at a time.
CREATE TABLE paydays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    status TEXT NOT NULL,
    open INTEGER UNIQUE,
    currency TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    approved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    approved_at INTEGER,
    finished_at INTEGER
);

-- One line per streamer in a payday: one transfer, keyed by `idempotency_key` so a retry can
-- never pay twice. status: pending, paid, failed, or held (not paid this time: `flags` say why).
CREATE TABLE payouts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payday_id INTEGER NOT NULL REFERENCES paydays(id) ON DELETE CASCADE,
    streamer_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    account_id TEXT NOT NULL DEFAULT '',
    amount_cents INTEGER NOT NULL,
    payables INTEGER NOT NULL,
    withholding_cents INTEGER NOT NULL,
    status TEXT NOT NULL,
    flags TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL UNIQUE,
    transfer_id TEXT,
    last_error TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    paid_at INTEGER,
    -- What Stripe reversed of the transfer (taken back to the platform's balance).
    reversed_cents INTEGER NOT NULL DEFAULT 0,
    UNIQUE (payday_id, streamer_id)
);
