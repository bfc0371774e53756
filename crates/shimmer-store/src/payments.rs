//! Money: webhook events and their queue, customers, subscriptions, payments with their
//! payables, and streamers' payout accounts. Every amount is integer cents.

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::{now_ms, Result, Store};

/// A stored Stripe webhook event and where it stands in the processing queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentEvent {
    pub id: String,
    pub event_type: String,
    pub payload: String,
    /// pending, done, ignored or failed.
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: String,
    pub received_at: i64,
    pub processed_at: Option<i64>,
}

impl FromRow<'_, AnyRow> for PaymentEvent {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            event_type: row.try_get("event_type")?,
            payload: row.try_get("payload")?,
            status: row.try_get("status")?,
            attempts: row.try_get("attempts")?,
            next_attempt_at: row.try_get("next_attempt_at")?,
            last_error: row.try_get("last_error")?,
            received_at: row.try_get("received_at")?,
            processed_at: row.try_get("processed_at")?,
        })
    }
}

const EVENT_COLUMNS: &str = "id, event_type, payload, status, attempts, next_attempt_at, \
    last_error, received_at, processed_at";

/// A subscription as kept from Stripe's events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: i64,
    pub user_id: i64,
    /// supporter, founder or channel.
    pub product: String,
    pub channel_id: Option<i64>,
    pub stripe_subscription_id: String,
    /// active, canceling, past_due or ended.
    pub status: String,
    pub amount_cents: i64,
    pub currency: String,
    pub current_period_end: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FromRow<'_, AnyRow> for Subscription {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            product: row.try_get("product")?,
            channel_id: row.try_get("channel_id")?,
            stripe_subscription_id: row.try_get("stripe_subscription_id")?,
            status: row.try_get("status")?,
            amount_cents: row.try_get("amount_cents")?,
            currency: row.try_get("currency")?,
            current_period_end: row.try_get("current_period_end")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

const SUBSCRIPTION_COLUMNS: &str = "id, user_id, product, channel_id, stripe_subscription_id, \
    status, amount_cents, currency, current_period_end, created_at, updated_at";

/// What a subscription event writes (insert or update by the Stripe id).
#[derive(Debug, Clone)]
pub struct SubscriptionUpsert<'a> {
    pub user_id: i64,
    pub product: &'a str,
    pub channel_id: Option<i64>,
    pub stripe_subscription_id: &'a str,
    pub status: &'a str,
    pub amount_cents: i64,
    pub currency: &'a str,
    pub current_period_end: i64,
}

/// Money received, with the payable it owes a streamer (none for platform subscriptions).
#[derive(Debug, Clone)]
pub struct NewPayment<'a> {
    pub stripe_object_id: &'a str,
    /// channel_subscription, platform_subscription or donation.
    pub kind: &'a str,
    pub payer_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub subscription_id: Option<i64>,
    pub gross_cents: i64,
    pub fee_cents: i64,
    pub currency: &'a str,
    pub message: &'a str,
    pub payable: Option<NewPayable>,
}

/// A payment's split, computed by the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPayable {
    pub streamer_id: i64,
    pub gross_cents: i64,
    pub fee_cents: i64,
    pub platform_cut_bp: i64,
    pub platform_cut_cents: i64,
    pub withholding_bp: i64,
    pub withholding_cents: i64,
    pub payout_cents: i64,
}

/// A payable as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payable {
    pub id: i64,
    pub payment_id: i64,
    pub payment_kind: String,
    pub streamer_id: i64,
    pub gross_cents: i64,
    pub fee_cents: i64,
    pub platform_cut_bp: i64,
    pub platform_cut_cents: i64,
    pub withholding_bp: i64,
    pub withholding_cents: i64,
    pub payout_cents: i64,
    pub currency: String,
    pub status: String,
    pub transfer_id: Option<String>,
    pub created_at: i64,
    /// Whether the fee is the processor's own figure (else the configured estimate).
    pub fee_settled: bool,
}

impl FromRow<'_, AnyRow> for Payable {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            payment_id: row.try_get("payment_id")?,
            payment_kind: row.try_get("payment_kind")?,
            streamer_id: row.try_get("streamer_id")?,
            gross_cents: row.try_get("gross_cents")?,
            fee_cents: row.try_get("fee_cents")?,
            platform_cut_bp: row.try_get("platform_cut_bp")?,
            platform_cut_cents: row.try_get("platform_cut_cents")?,
            withholding_bp: row.try_get("withholding_bp")?,
            withholding_cents: row.try_get("withholding_cents")?,
            payout_cents: row.try_get("payout_cents")?,
            currency: row.try_get("currency")?,
            status: row.try_get("status")?,
            transfer_id: row.try_get("transfer_id")?,
            created_at: row.try_get("created_at")?,
            fee_settled: row.try_get::<i64, _>("fee_settled")? != 0,
        })
    }
}

/// A payable with its payment's kind and whether its fee is settled.
const PAYABLE_SELECT: &str = "SELECT p.id, p.payment_id, m.kind AS payment_kind, p.streamer_id, \
    p.gross_cents, p.fee_cents, p.platform_cut_bp, p.platform_cut_cents, p.withholding_bp, \
    p.withholding_cents, p.payout_cents, p.currency, p.status, p.transfer_id, p.created_at, \
    m.fee_settled FROM payables p JOIN payments m ON m.id = p.payment_id";

/// A streamer's Stripe Connect account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutAccount {
    pub user_id: i64,
    pub account_id: String,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    pub withholding_bp: i64,
    /// Why staff paused this streamer's payouts; empty when not paused.
    pub paused_reason: String,
    pub updated_at: i64,
    /// The latest payout to the streamer's bank: '' (none reported yet), paid or failed.
    pub bank_payout_status: String,
    pub bank_payout_cents: i64,
    /// Why it failed, as Stripe said.
    pub bank_payout_note: String,
    /// When it arrives (or was due to).
    pub bank_payout_at: Option<i64>,
}

impl FromRow<'_, AnyRow> for PayoutAccount {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            user_id: row.try_get("user_id")?,
            account_id: row.try_get("account_id")?,
            charges_enabled: row.try_get::<i64, _>("charges_enabled")? != 0,
            payouts_enabled: row.try_get::<i64, _>("payouts_enabled")? != 0,
            details_submitted: row.try_get::<i64, _>("details_submitted")? != 0,
            withholding_bp: row.try_get("withholding_bp")?,
            paused_reason: row.try_get("paused_reason")?,
            updated_at: row.try_get("updated_at")?,
            bank_payout_status: row.try_get("bank_payout_status")?,
            bank_payout_cents: row.try_get("bank_payout_cents")?,
            bank_payout_note: row.try_get("bank_payout_note")?,
            bank_payout_at: row.try_get("bank_payout_at")?,
        })
    }
}

impl Store {
    /// Stores a webhook event unless one with its id is already stored; true when stored now.
    pub async fn insert_payment_event(
        &self,
        id: &str,
        event_type: &str,
        payload: &str,
    ) -> Result<bool> {
        let now = now_ms();
        let result = sqlx::query(
            "INSERT INTO payment_events (id, event_type, payload, status, attempts, \
             next_attempt_at, last_error, received_at) VALUES ($1, $2, $3, 'pending', 0, $4, '', $5) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(event_type)
        .bind(payload)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Pending events due at `now`, oldest first.
    pub async fn due_payment_events(&self, now: i64, limit: i64) -> Result<Vec<PaymentEvent>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM payment_events WHERE status = 'pending' \
             AND next_attempt_at <= $1 ORDER BY received_at, id LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Takes an event for processing until `lease_until`, so that no other node processes it
    /// meanwhile; false when another node took it first.
    pub async fn claim_payment_event(
        &self,
        id: &str,
        seen_next_attempt_at: i64,
        lease_until: i64,
    ) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE payment_events SET next_attempt_at = $1, attempts = attempts + 1 \
             WHERE id = $2 AND status = 'pending' AND next_attempt_at = $3",
        )
        .bind(lease_until)
        .bind(id)
        .bind(seen_next_attempt_at)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Records how processing an event ended: `status` done, ignored or failed, or pending
    /// again at `next_attempt_at` after an error.
    pub async fn finish_payment_event(
        &self,
        id: &str,
        status: &str,
        next_attempt_at: i64,
        last_error: &str,
    ) -> Result<()> {
        let processed_at = (status != "pending").then(now_ms);
        sqlx::query(
            "UPDATE payment_events SET status = $1, next_attempt_at = $2, last_error = $3, \
             processed_at = $4 WHERE id = $5",
        )
        .bind(status)
        .bind(next_attempt_at)
        .bind(last_error)
        .bind(processed_at)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Puts an event back in the queue, due now, with fresh attempts; false when unknown.
    pub async fn replay_payment_event(&self, id: &str) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE payment_events SET status = 'pending', attempts = 0, next_attempt_at = $1, \
             processed_at = NULL WHERE id = $2",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    pub async fn payment_event(&self, id: &str) -> Result<Option<PaymentEvent>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM payment_events WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The newest events, optionally only those with `status`.
    pub async fn recent_payment_events(
        &self,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<PaymentEvent>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM payment_events WHERE ($1 = '' OR status = $1) \
             ORDER BY received_at DESC, id DESC LIMIT $2"
        ))
        .bind(status.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn payment_customer(&self, user_id: i64) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT customer_id FROM payment_customers WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Remembers an account's customer; the first one stored wins and is returned.
    pub async fn save_payment_customer(&self, user_id: i64, customer_id: &str) -> Result<String> {
        sqlx::query(
            "INSERT INTO payment_customers (user_id, customer_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(customer_id)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(self
            .payment_customer(user_id)
            .await?
            .unwrap_or_else(|| customer_id.to_owned()))
    }

    /// Inserts or updates a subscription by its Stripe id and returns it.
    pub async fn upsert_subscription(&self, new: &SubscriptionUpsert<'_>) -> Result<Subscription> {
        let now = now_ms();
        Ok(sqlx::query_as(&format!(
            "INSERT INTO subscriptions (user_id, product, channel_id, stripe_subscription_id, \
             status, amount_cents, currency, current_period_end, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             ON CONFLICT (stripe_subscription_id) DO UPDATE SET status = excluded.status, \
             amount_cents = excluded.amount_cents, current_period_end = excluded.current_period_end, \
             updated_at = excluded.updated_at RETURNING {SUBSCRIPTION_COLUMNS}"
        ))
        .bind(new.user_id)
        .bind(new.product)
        .bind(new.channel_id)
        .bind(new.stripe_subscription_id)
        .bind(new.status)
        .bind(new.amount_cents)
        .bind(new.currency)
        .bind(new.current_period_end)
        .bind(now)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn subscription_by_stripe_id(&self, stripe_id: &str) -> Result<Option<Subscription>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE stripe_subscription_id = $1"
        ))
        .bind(stripe_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// An account's subscriptions that have not ended, newest first.
    pub async fn live_subscriptions_of(&self, user_id: i64) -> Result<Vec<Subscription>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE user_id = $1 \
             AND status <> 'ended' ORDER BY id DESC"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Subscriptions (ended ones too) of a channel and/or an account, newest first.
    pub async fn subscriptions_matching(
        &self,
        channel_id: Option<i64>,
        user_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Subscription>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions              WHERE ($1 = 0 OR channel_id = $1) AND ($2 = 0 OR user_id = $2)              ORDER BY id DESC LIMIT $3"
        ))
        .bind(channel_id.unwrap_or(0))
        .bind(user_id.unwrap_or(0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The accounts whose subscription to a channel has not ended.
    pub async fn channel_subscriber_ids(&self, channel_id: i64) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT user_id FROM subscriptions WHERE channel_id = $1 \
             AND status <> 'ended'",
        )
        .bind(channel_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Sets the platform subscription an account holds ('' for none).
    pub async fn set_platform_tier(&self, user_id: i64, tier: &str) -> Result<()> {
        sqlx::query("UPDATE users SET platform_tier = $1 WHERE id = $2")
            .bind(tier)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a payment and its payable in one transaction; None when a payment with its
    /// Stripe id is already recorded (a replayed event), else the payment's id.
    pub async fn record_payment(&self, new: &NewPayment<'_>) -> Result<Option<i64>> {
        let now = now_ms();
        let mut transaction = self.pool.begin().await?;
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO payments (stripe_object_id, kind, payer_id, channel_id, subscription_id, \
             gross_cents, fee_cents, currency, message, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (stripe_object_id) DO NOTHING RETURNING id",
        )
        .bind(new.stripe_object_id)
        .bind(new.kind)
        .bind(new.payer_id)
        .bind(new.channel_id)
        .bind(new.subscription_id)
        .bind(new.gross_cents)
        .bind(new.fee_cents)
        .bind(new.currency)
        .bind(new.message)
        .bind(now)
        .fetch_optional(&mut *transaction)
        .await?;
        let Some((payment_id,)) = inserted else {
            return Ok(None);
        };
        if let Some(payable) = &new.payable {
            sqlx::query(
                "INSERT INTO payables (payment_id, streamer_id, gross_cents, fee_cents, \
                 platform_cut_bp, platform_cut_cents, withholding_bp, withholding_cents, \
                 payout_cents, currency, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11)",
            )
            .bind(payment_id)
            .bind(payable.streamer_id)
            .bind(payable.gross_cents)
            .bind(payable.fee_cents)
            .bind(payable.platform_cut_bp)
            .bind(payable.platform_cut_cents)
            .bind(payable.withholding_bp)
            .bind(payable.withholding_cents)
            .bind(payable.payout_cents)
            .bind(new.currency)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(Some(payment_id))
    }

    /// A streamer's payables, newest first.
    pub async fn payables_of(&self, streamer_id: i64, limit: i64) -> Result<Vec<Payable>> {
        Ok(sqlx::query_as(&format!(
            "{PAYABLE_SELECT} WHERE p.streamer_id = $1 ORDER BY p.id DESC LIMIT $2"
        ))
        .bind(streamer_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Sums of a streamer's payouts by payable status: (pending, paid out).
    pub async fn payout_totals(&self, streamer_id: i64) -> Result<(i64, i64)> {
        let row: (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'pending' THEN payout_cents ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN status = 'paid_out' THEN payout_cents ELSE 0 END), 0) AS BIGINT) \
             FROM payables WHERE streamer_id = $1",
        )
        .bind(streamer_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.0.unwrap_or(0), row.1.unwrap_or(0)))
    }

    pub async fn payout_account(&self, user_id: i64) -> Result<Option<PayoutAccount>> {
        Ok(sqlx::query_as(
            "SELECT user_id, account_id, charges_enabled, payouts_enabled, details_submitted, \
             withholding_bp, paused_reason, updated_at, bank_payout_status, bank_payout_cents, \
             bank_payout_note, bank_payout_at FROM payout_accounts WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Remembers a streamer's Connect account; the first one stored wins and is returned.
    pub async fn save_payout_account(&self, user_id: i64, account_id: &str) -> Result<String> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO payout_accounts (user_id, account_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $3) ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(account_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT account_id FROM payout_accounts WHERE user_id = $1")
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Records what Stripe says of a Connect account; the owner's id when the account is known.
    pub async fn update_payout_account(
        &self,
        account_id: &str,
        charges_enabled: bool,
        payouts_enabled: bool,
        details_submitted: bool,
    ) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "UPDATE payout_accounts SET charges_enabled = $1, payouts_enabled = $2, \
             details_submitted = $3, updated_at = $4 WHERE account_id = $5 RETURNING user_id",
        )
        .bind(i64::from(charges_enabled))
        .bind(i64::from(payouts_enabled))
        .bind(i64::from(details_submitted))
        .bind(now_ms())
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Whether others may give the account a gift subscription.
    pub async fn accepts_gifts(&self, user_id: i64) -> Result<bool> {
        let accepts: Option<i64> =
            sqlx::query_scalar("SELECT accept_gifts FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(accepts.is_some_and(|accepts| accepts != 0))
    }

    pub async fn set_accepts_gifts(&self, user_id: i64, accepts: bool) -> Result<()> {
        sqlx::query("UPDATE users SET accept_gifts = $1 WHERE id = $2")
            .bind(i64::from(accepts))
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends gift months whose period is over; the (account, channel) of each.
    pub async fn end_lapsed_gifts(&self, now: i64) -> Result<Vec<(i64, Option<i64>)>> {
        Ok(sqlx::query_as(
            "UPDATE subscriptions SET status = 'ended', updated_at = $1 \
             WHERE stripe_subscription_id LIKE 'gift:%' AND status <> 'ended' \
             AND current_period_end <= $1 RETURNING user_id, channel_id",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Shows or hides a channel's Subscribe button (and with it donations and gifts).
    pub async fn set_subscribe_button(&self, channel_id: i64, shown: bool) -> Result<()> {
        sqlx::query("UPDATE channels SET show_subscribe_button = $1 WHERE id = $2")
            .bind(i64::from(shown))
            .bind(channel_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether a channel shows its Subscribe button.
    pub async fn channel_shows_subscribe_button(&self, channel_id: i64) -> Result<bool> {
        let shown: Option<i64> =
            sqlx::query_scalar("SELECT show_subscribe_button FROM channels WHERE id = $1")
                .bind(channel_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(shown.is_some_and(|shown| shown != 0))
    }
}

/// A payday and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payday {
    pub id: i64,
    /// prepared, approved or paid.
    pub status: String,
    pub currency: String,
    pub created_at: i64,
    pub approved_by: Option<String>,
    pub approved_at: Option<i64>,
    pub finished_at: Option<i64>,
}

impl FromRow<'_, AnyRow> for Payday {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            status: row.try_get("status")?,
            currency: row.try_get("currency")?,
            created_at: row.try_get("created_at")?,
            approved_by: row.try_get("approved_by_name")?,
            approved_at: row.try_get("approved_at")?,
            finished_at: row.try_get("finished_at")?,
        })
    }
}

const PAYDAY_SELECT: &str = "SELECT d.id, d.status, d.currency, d.created_at, \
    u.username AS approved_by_name, d.approved_at, d.finished_at \
    FROM paydays d LEFT JOIN users u ON u.id = d.approved_by";

/// A streamer's pending payables, summed, for preparing a payday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPayout {
    pub streamer_id: i64,
    pub amount_cents: i64,
    pub payables: i64,
}

/// A payday line to write: `flags` empty for a line that will be paid, else why it is held.
#[derive(Debug, Clone)]
pub struct NewPayoutLine {
    pub streamer_id: i64,
    pub account_id: String,
    pub flags: String,
}

/// One streamer's line in a payday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutLine {
    pub id: i64,
    pub payday_id: i64,
    pub streamer_id: i64,
    pub username: String,
    pub email: String,
    pub account_id: String,
    pub amount_cents: i64,
    pub payables: i64,
    pub withholding_cents: i64,
    /// pending, paid, failed or held.
    pub status: String,
    pub flags: String,
    pub idempotency_key: String,
    pub transfer_id: Option<String>,
    pub last_error: String,
    pub attempts: i64,
    pub paid_at: Option<i64>,
    /// What the processor took back of the transfer.
    pub reversed_cents: i64,
}

impl FromRow<'_, AnyRow> for PayoutLine {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            payday_id: row.try_get("payday_id")?,
            streamer_id: row.try_get("streamer_id")?,
            username: row.try_get("username")?,
            email: row.try_get("email")?,
            account_id: row.try_get("account_id")?,
            amount_cents: row.try_get("amount_cents")?,
            payables: row.try_get("payables")?,
            withholding_cents: row.try_get("withholding_cents")?,
            status: row.try_get("status")?,
            flags: row.try_get("flags")?,
            idempotency_key: row.try_get("idempotency_key")?,
            transfer_id: row.try_get("transfer_id")?,
            last_error: row.try_get("last_error")?,
            attempts: row.try_get("attempts")?,
            paid_at: row.try_get("paid_at")?,
            reversed_cents: row.try_get("reversed_cents")?,
        })
    }
}

const LINE_SELECT: &str = "SELECT p.id, p.payday_id, p.streamer_id, u.username, u.email, \
    p.account_id, p.amount_cents, p.payables, p.withholding_cents, p.status, p.flags, \
    p.idempotency_key, p.transfer_id, p.last_error, p.attempts, p.paid_at, p.reversed_cents \
    FROM payouts p JOIN users u ON u.id = p.streamer_id";

impl Store {
    /// Every streamer's payables not yet taken by a payday, summed.
    pub async fn pending_payouts(&self) -> Result<Vec<PendingPayout>> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT streamer_id, CAST(SUM(payout_cents) AS BIGINT), CAST(COUNT(*) AS BIGINT) \
             FROM payables WHERE status = 'pending' AND payout_id IS NULL \
             GROUP BY streamer_id ORDER BY streamer_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(streamer_id, amount_cents, payables)| PendingPayout {
                streamer_id,
                amount_cents,
                payables,
            })
            .collect())
    }

    /// Writes a payday with its lines in one transaction; the payables of every line without
    /// flags are taken by it, and each line's sums are those of the payables it took. None
    /// when another payday is still open.
    pub async fn create_payday(
        &self,
        currency: &str,
        lines: &[NewPayoutLine],
    ) -> Result<Option<i64>> {
        let now = now_ms();
        let mut transaction = self.pool.begin().await?;
        let created: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO paydays (status, open, currency, created_at) \
             VALUES ('prepared', 1, $1, $2) ON CONFLICT (open) DO NOTHING RETURNING id",
        )
        .bind(currency)
        .bind(now)
        .fetch_optional(&mut *transaction)
        .await?;
        let Some((payday_id,)) = created else {
            return Ok(None);
        };
        for line in lines {
            let held = !line.flags.is_empty();
            let (line_id,): (i64,) = sqlx::query_as(
                "INSERT INTO payouts (payday_id, streamer_id, account_id, amount_cents, payables, \
                 withholding_cents, status, flags, idempotency_key) \
                 VALUES ($1, $2, $3, 0, 0, 0, $4, $5, $6) RETURNING id",
            )
            .bind(payday_id)
            .bind(line.streamer_id)
            .bind(&line.account_id)
            .bind(if held { "held" } else { "pending" })
            .bind(&line.flags)
            .bind(format!("payday-{payday_id}-streamer-{}", line.streamer_id))
            .fetch_one(&mut *transaction)
            .await?;
            let filter = if held {
                "p.streamer_id = $1 AND p.status = 'pending' AND p.payout_id IS NULL"
            } else {
                sqlx::query(
                    "UPDATE payables SET payout_id = $1 WHERE streamer_id = $2 \
                     AND status = 'pending' AND payout_id IS NULL",
                )
                .bind(line_id)
                .bind(line.streamer_id)
                .execute(&mut *transaction)
                .await?;
                "p.payout_id = $1"
            };
            let key = if held { line.streamer_id } else { line_id };
            sqlx::query(&format!(
                "UPDATE payouts SET \
                 amount_cents = (SELECT CAST(COALESCE(SUM(p.payout_cents), 0) AS BIGINT) FROM payables p WHERE {filter}), \
                 payables = (SELECT CAST(COUNT(*) AS BIGINT) FROM payables p WHERE {filter}), \
                 withholding_cents = (SELECT CAST(COALESCE(SUM(p.withholding_cents), 0) AS BIGINT) FROM payables p WHERE {filter}) \
                 WHERE id = $2"
            ))
            .bind(key)
            .bind(line_id)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(Some(payday_id))
    }

    /// The payday still open (prepared or approved), if any.
    pub async fn open_payday(&self) -> Result<Option<Payday>> {
        Ok(
            sqlx::query_as(&format!("{PAYDAY_SELECT} WHERE d.open IS NOT NULL"))
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn payday(&self, id: i64) -> Result<Option<Payday>> {
        Ok(sqlx::query_as(&format!("{PAYDAY_SELECT} WHERE d.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The newest paydays.
    pub async fn recent_paydays(&self, limit: i64) -> Result<Vec<Payday>> {
        Ok(
            sqlx::query_as(&format!("{PAYDAY_SELECT} ORDER BY d.id DESC LIMIT $1"))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// When the newest payday was prepared.
    pub async fn last_payday_at(&self) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT MAX(created_at) FROM paydays")
            .fetch_one(&self.pool)
            .await?)
    }

    pub async fn payday_lines(&self, payday_id: i64) -> Result<Vec<PayoutLine>> {
        Ok(sqlx::query_as(&format!(
            "{LINE_SELECT} WHERE p.payday_id = $1 ORDER BY u.username"
        ))
        .bind(payday_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A streamer's payday lines, newest first.
    pub async fn payout_lines_of(&self, streamer_id: i64, limit: i64) -> Result<Vec<PayoutLine>> {
        Ok(sqlx::query_as(&format!(
            "{LINE_SELECT} WHERE p.streamer_id = $1 ORDER BY p.id DESC LIMIT $2"
        ))
        .bind(streamer_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Marks a prepared payday approved by `staff_id`; false when it was not prepared.
    pub async fn approve_payday(&self, payday_id: i64, staff_id: i64) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE paydays SET status = 'approved', approved_by = $1, approved_at = $2 \
             WHERE id = $3 AND status = 'prepared'",
        )
        .bind(staff_id)
        .bind(now_ms())
        .bind(payday_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Puts a payday's failed lines back to pending, for another try with the same keys.
    pub async fn retry_failed_payouts(&self, payday_id: i64) -> Result<u64> {
        Ok(sqlx::query(
            "UPDATE payouts SET status = 'pending' WHERE payday_id = $1 AND status = 'failed'",
        )
        .bind(payday_id)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Takes a pending line for a transfer attempt (counting it); false when another worker
    /// took it or it is no longer pending.
    pub async fn start_payout_attempt(&self, line_id: i64) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE payouts SET status = 'sending', attempts = attempts + 1 \
             WHERE id = $1 AND status = 'pending'",
        )
        .bind(line_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Records a line's transfer: the line and each of its payables paid out, in one
    /// transaction. False when the line was recorded paid already (nothing changes).
    pub async fn payout_paid(&self, line_id: i64, transfer_id: &str) -> Result<bool> {
        let now = now_ms();
        let mut transaction = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE payouts SET status = 'paid', transfer_id = $1, paid_at = $2, last_error = '' \
             WHERE id = $3 AND status <> 'paid'",
        )
        .bind(transfer_id)
        .bind(now)
        .bind(line_id)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if updated == 0 {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE payables SET status = 'paid_out', transfer_id = $1, paid_out_at = $2 \
             WHERE payout_id = $3",
        )
        .bind(transfer_id)
        .bind(now)
        .bind(line_id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// Records a failed transfer attempt on a line still being sent (a line the processor's
    /// own report has recorded paid meanwhile stays paid).
    pub async fn payout_failed(&self, line_id: i64, error: &str) -> Result<()> {
        sqlx::query(
            "UPDATE payouts SET status = 'failed', last_error = $1 WHERE id = $2 AND status = 'sending'",
        )
            .bind(error)
            .bind(line_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes a payday whose lines are all paid or held; true when it closed now.
    pub async fn finish_payday_if_done(&self, payday_id: i64) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE paydays SET status = 'paid', open = NULL, finished_at = $1 \
             WHERE id = $2 AND status = 'approved' AND NOT EXISTS \
             (SELECT 1 FROM payouts WHERE payday_id = $2 AND status NOT IN ('paid', 'held'))",
        )
        .bind(now_ms())
        .bind(payday_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Pauses (a reason) or resumes (empty) a streamer's payouts; false without an account.
    pub async fn set_payouts_paused(&self, user_id: i64, reason: &str) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE payout_accounts SET paused_reason = $1, updated_at = $2 WHERE user_id = $3",
        )
        .bind(reason)
        .bind(now_ms())
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }
}

/// A payment whose fee is still the configured estimate, for the fee reconciler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsettledFee {
    pub payment_id: i64,
    pub stripe_object_id: String,
    /// channel_subscription, platform_subscription, donation or gift_subscription.
    pub kind: String,
    pub fee_cents: i64,
    pub fee_checks: i64,
}

/// What a `transfer.created` event found for the payday line it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferConfirmation {
    /// The line was recorded paid with this transfer already.
    AlreadyPaid,
    /// The line was still sending or failed (the transfer's answer was lost): now paid.
    Recovered(Box<PayoutLine>),
    /// No line of that id, or one paid with another transfer.
    Unknown,
}

impl Store {
    /// Payments whose fee is still an estimate and due to be asked about, oldest first; those
    /// asked `max_checks` times already are left with the estimate.
    pub async fn unsettled_fees(
        &self,
        now: i64,
        max_checks: i64,
        limit: i64,
    ) -> Result<Vec<UnsettledFee>> {
        let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT id, stripe_object_id, kind, fee_cents, fee_checks FROM payments \
             WHERE fee_settled = 0 AND fee_check_at <= $1 AND fee_checks < $2 \
             ORDER BY id LIMIT $3",
        )
        .bind(now)
        .bind(max_checks)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(payment_id, stripe_object_id, kind, fee_cents, fee_checks)| UnsettledFee {
                    payment_id,
                    stripe_object_id,
                    kind,
                    fee_cents,
                    fee_checks,
                },
            )
            .collect())
    }

    /// The payable a payment owes, if any.
    pub async fn payable_of_payment(&self, payment_id: i64) -> Result<Option<Payable>> {
        Ok(
            sqlx::query_as(&format!("{PAYABLE_SELECT} WHERE p.payment_id = $1"))
                .bind(payment_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Records a payment's actual fee, and its payable's new split when given, in one
    /// transaction. The payable changes only while no payday has taken it; true when it did.
    pub async fn settle_fee(
        &self,
        payment_id: i64,
        fee_cents: i64,
        payable: Option<&NewPayable>,
    ) -> Result<bool> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query(
            "UPDATE payments SET fee_cents = $1, fee_settled = 1, fee_checks = fee_checks + 1 \
             WHERE id = $2",
        )
        .bind(fee_cents)
        .bind(payment_id)
        .execute(&mut *transaction)
        .await?;
        let mut changed = false;
        if let Some(payable) = payable {
            changed = sqlx::query(
                "UPDATE payables SET fee_cents = $1, withholding_cents = $2, payout_cents = $3 \
                 WHERE payment_id = $4 AND status = 'pending' AND payout_id IS NULL",
            )
            .bind(payable.fee_cents)
            .bind(payable.withholding_cents)
            .bind(payable.payout_cents)
            .bind(payment_id)
            .execute(&mut *transaction)
            .await?
            .rows_affected()
                == 1;
        }
        transaction.commit().await?;
        Ok(changed)
    }

    /// Counts a fee check that found nothing yet and sets when to ask again.
    pub async fn fee_check_later(&self, payment_id: i64, next_at: i64) -> Result<()> {
        sqlx::query(
            "UPDATE payments SET fee_checks = fee_checks + 1, fee_check_at = $1 WHERE id = $2",
        )
        .bind(next_at)
        .bind(payment_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Confirms a payday line's transfer from the processor's own report of it: a line whose
    /// answer was lost (still sending, or failed on a timeout) is recorded paid with it.
    pub async fn confirm_transfer(
        &self,
        line_id: i64,
        transfer_id: &str,
    ) -> Result<TransferConfirmation> {
        let line: Option<PayoutLine> = sqlx::query_as(&format!("{LINE_SELECT} WHERE p.id = $1"))
            .bind(line_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(line) = line else {
            return Ok(TransferConfirmation::Unknown);
        };
        match (line.status.as_str(), line.transfer_id.as_deref()) {
            ("paid", Some(paid_with)) if paid_with == transfer_id => {
                Ok(TransferConfirmation::AlreadyPaid)
            }
            ("sending" | "failed" | "pending", _) => {
                if !self.payout_paid(line_id, transfer_id).await? {
                    return Ok(TransferConfirmation::AlreadyPaid);
                }
                let line = sqlx::query_as(&format!("{LINE_SELECT} WHERE p.id = $1"))
                    .bind(line_id)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(TransferConfirmation::Recovered(Box::new(line)))
            }
            _ => Ok(TransferConfirmation::Unknown),
        }
    }

    /// What the processor took back of a streamer's transfers, in all.
    pub async fn reversed_total(&self, streamer_id: i64) -> Result<i64> {
        let total: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(reversed_cents) AS BIGINT) FROM payouts WHERE streamer_id = $1",
        )
        .bind(streamer_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(total.unwrap_or(0))
    }

    /// Records how much of a transfer the processor reversed; the streamer's id when a payday
    /// line paid with it is known.
    pub async fn transfer_reversed(
        &self,
        transfer_id: &str,
        reversed_cents: i64,
    ) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "UPDATE payouts SET reversed_cents = $1 WHERE transfer_id = $2 RETURNING streamer_id",
        )
        .bind(reversed_cents)
        .bind(transfer_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Records the latest payout from a Connect account to its owner's bank; the owner's id
    /// when the account is known. An older report than the one kept changes nothing.
    pub async fn record_bank_payout(
        &self,
        account_id: &str,
        status: &str,
        amount_cents: i64,
        note: &str,
        at: i64,
    ) -> Result<Option<i64>> {
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM payout_accounts WHERE account_id = $1")
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        if owner.is_some() {
            sqlx::query(
                "UPDATE payout_accounts SET bank_payout_status = $1, bank_payout_cents = $2, \
                 bank_payout_note = $3, bank_payout_at = $4, updated_at = $5 \
                 WHERE account_id = $6 AND (bank_payout_at IS NULL OR bank_payout_at <= $4)",
            )
            .bind(status)
            .bind(amount_cents)
            .bind(note)
            .bind(at)
            .bind(now_ms())
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        }
        Ok(owner)
    }
}
