-- Money: Stripe customers, subscriptions, payments and the payables ledger, streamers' payout
-- accounts, and Stripe's webhook events with their processing queue. Amounts are integer cents.

-- The platform subscription an account holds now: '' (none), 'supporter' or 'founder'. Kept by
-- the payments domain from Stripe's events, read with every account for chat marks.
ALTER TABLE users ADD COLUMN platform_tier TEXT NOT NULL DEFAULT '';
-- Whether others may give the account a gift subscription (recipients may opt out).
ALTER TABLE users ADD COLUMN accept_gifts BIGINT NOT NULL DEFAULT 1;
-- Subscribers-only chat: only the channel's subscribers (and its moderators) may chat.
ALTER TABLE channels ADD COLUMN chat_subscribers_only BIGINT NOT NULL DEFAULT 0;
-- A channel emote only the channel's subscribers (and its moderators) may use.
ALTER TABLE emotes ADD COLUMN subscribers_only BIGINT NOT NULL DEFAULT 0;
-- Streamers may hide the Subscribe button on their channel.
ALTER TABLE channels ADD COLUMN show_subscribe_button BIGINT NOT NULL DEFAULT 1;

-- Stripe's webhook events, stored once by id and processed by the queue in `status` order:
-- pending (due at next_attempt_at), done, ignored (nothing to do) or failed (retries spent;
-- staff may replay it).
CREATE TABLE payment_events (
    id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    received_at BIGINT NOT NULL,
    processed_at BIGINT
);
CREATE INDEX payment_events_due ON payment_events(status, next_attempt_at);

-- The Stripe customer of an account, made on its first checkout.
CREATE TABLE payment_customers (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

-- A subscription: to the platform (product supporter or founder) or to a channel.
-- status: active, canceling (ends at the period's end), past_due, ended. A gift month has the
-- id `gift:<checkout id>` and never renews.
CREATE TABLE subscriptions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    product TEXT NOT NULL,
    channel_id BIGINT REFERENCES channels(id) ON DELETE CASCADE,
    stripe_subscription_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    currency TEXT NOT NULL,
    current_period_end BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX subscriptions_user ON subscriptions(user_id, status);
CREATE INDEX subscriptions_channel ON subscriptions(channel_id, status);

-- Money received: one row per paid invoice or completed one-off checkout, by its Stripe id.
-- kind: channel_subscription, platform_subscription, donation, gift_subscription.
CREATE TABLE payments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stripe_object_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payer_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    channel_id BIGINT REFERENCES channels(id) ON DELETE SET NULL,
    subscription_id BIGINT REFERENCES subscriptions(id) ON DELETE SET NULL,
    gross_cents BIGINT NOT NULL,
    fee_cents BIGINT NOT NULL,
    currency TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    -- Whether fee_cents is the processor's own figure from the payment's balance transaction
    -- (1) or the configured estimate (0, while the reconciler still asks: fee_checks so far,
    -- the next at fee_check_at).
    fee_settled BIGINT NOT NULL DEFAULT 0,
    fee_checks BIGINT NOT NULL DEFAULT 0,
    fee_check_at BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX payments_payer ON payments(payer_id, id);

-- What a payment owes a streamer, split when it was received (the cut and withholding rates
-- in force then are kept with it). status: pending, paid_out.
CREATE TABLE payables (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id BIGINT NOT NULL UNIQUE REFERENCES payments(id) ON DELETE CASCADE,
    streamer_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    gross_cents BIGINT NOT NULL,
    fee_cents BIGINT NOT NULL,
    platform_cut_bp BIGINT NOT NULL,
    platform_cut_cents BIGINT NOT NULL,
    withholding_bp BIGINT NOT NULL,
    withholding_cents BIGINT NOT NULL,
    payout_cents BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The payday line that pays it out (set when a payday takes it).
    payout_id BIGINT,
    transfer_id TEXT,
    created_at BIGINT NOT NULL,
    paid_out_at BIGINT
);
CREATE INDEX payables_streamer ON payables(streamer_id, status);
CREATE INDEX payables_payout ON payables(payout_id);

-- A streamer's Stripe Connect account and what Stripe last said of it.
CREATE TABLE payout_accounts (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    account_id TEXT NOT NULL UNIQUE,
    charges_enabled BIGINT NOT NULL DEFAULT 0,
    payouts_enabled BIGINT NOT NULL DEFAULT 0,
    details_submitted BIGINT NOT NULL DEFAULT 0,
    withholding_bp BIGINT NOT NULL DEFAULT 0,
    -- Staff pause a streamer's payouts with a reason; empty when not paused.
    paused_reason TEXT NOT NULL DEFAULT '',
    -- The account's latest payout to the streamer's bank, as Stripe last reported it: status
    -- '' (none yet), paid or failed; the failure's message; when it arrives (or was due to).
    bank_payout_status TEXT NOT NULL DEFAULT '',
    bank_payout_cents BIGINT NOT NULL DEFAULT 0,
    bank_payout_note TEXT NOT NULL DEFAULT '',
    bank_payout_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A payday: prepared (waiting for staff), approved (transfers running or some failed), paid.
-- `open` is 1 until the payday is paid and NULL after, so at most one is open at a time.
CREATE TABLE paydays (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status TEXT NOT NULL,
    open BIGINT UNIQUE,
    currency TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    approved_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    approved_at BIGINT,
    finished_at BIGINT
);

-- One line per streamer in a payday: one transfer, keyed by `idempotency_key` so a retry can
-- never pay twice. status: pending, paid, failed, or held (not paid this time: `flags` say why).
CREATE TABLE payouts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payday_id BIGINT NOT NULL REFERENCES paydays(id) ON DELETE CASCADE,
    streamer_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    account_id TEXT NOT NULL DEFAULT '',
    amount_cents BIGINT NOT NULL,
    payables BIGINT NOT NULL,
    withholding_cents BIGINT NOT NULL,
    status TEXT NOT NULL,
    flags TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL UNIQUE,
    transfer_id TEXT,
    last_error TEXT NOT NULL DEFAULT '',
    attempts BIGINT NOT NULL DEFAULT 0,
    paid_at BIGINT,
    -- What Stripe reversed of the transfer (taken back to the platform's balance).
    reversed_cents BIGINT NOT NULL DEFAULT 0,
    UNIQUE (payday_id, streamer_id)
);
