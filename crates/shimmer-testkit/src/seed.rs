//! A generated platform history for the growth report and its tests: accounts and their
//! channels, OAuth apps, streams with viewers and per-minute samples, page views, paid
//! subscriptions, donations and their payables, support requests, spread over `days` UTC days up to `end_day`.
//! Deterministic for a given seed. It writes through plain SQL after the store's migrations,
//! and returns, per day, what it wrote, so a test can check the report against figures it
//! did not compute with the report's own queries.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use shimmer_platform::growth_report::day_name;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

const DAY_MS: i64 = 24 * 3600 * 1000;
const HOUR_MS: i64 = 3600 * 1000;
/// The ingest bitrate of every generated stream, bits per second.
pub const SEED_BITRATE: i64 = 4_000_000;
/// Prices, in cents.
pub const CHANNEL_PRICE: i64 = 500;
pub const PLATFORM_PRICE: i64 = 500;
pub const DONATION: i64 = 1_000;
/// What each channel subscription owes its streamer.
pub const CHANNEL_PAYOUT: i64 = 450;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SeedPlan {
    pub users: i64,
    pub days: i64,
    /// The last day, counted since the Unix epoch (UTC).
    pub end_day: i64,
    pub seed: u64,
}

/// What was written on one day.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SeedDay {
    pub new_users: i64,
    pub new_apps: i64,
    pub support_tickets: i64,
    pub streams: i64,
    /// The channels that streamed.
    pub streamers: BTreeSet<i64>,
    pub streamed_ms: i64,
    pub views: i64,
    pub page_views: i64,
    pub unique_visitors: i64,
    pub platform_subscription_cents: i64,
    pub channel_subscription_cents: i64,
    pub donation_cents: i64,
    pub egress_bytes: i64,
}

/// Everything written: days by their number since the epoch, and each paid subscription's
/// start with its monthly price (none ends), and what payday owes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SeedSummary {
    pub days: BTreeMap<i64, SeedDay>,
    pub subscriptions: Vec<(i64, i64)>,
    pub pending_payout_cents: i64,
}

/// Xorshift: small, fast and the same everywhere.
struct Dice(u64);

impl Dice {
    fn below(&mut self, bound: i64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        i64::try_from(self.0 % u64::try_from(bound.max(1)).unwrap_or(1)).unwrap_or(0)
    }
}

/// Errors come from the database.
pub type SeedError = sqlx::Error;

/// Writes the plan into the database at `url` (migrated first by `shimmer_store`).
pub async fn seed(url: &str, plan: &SeedPlan) -> Result<SeedSummary, Box<dyn std::error::Error>> {
    shimmer_store::Store::connect(url).await?.close().await;
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?;
    let summary = write(&pool, plan).await?;
    pool.close().await;
    Ok(summary)
}

async fn write(pool: &AnyPool, plan: &SeedPlan) -> Result<SeedSummary, SeedError> {
    let mut dice = Dice(plan.seed.max(1));
    let mut summary = SeedSummary::default();
    let first_day = plan.end_day - plan.days.max(1) + 1;
    let days = plan.days.max(1);
    let mut channels: Vec<(i64, i64)> = Vec::new();
    let mut transaction = pool.begin().await?;
    for index in 0..plan.users.max(1) {
        let day = first_day + index * days / plan.users.max(1);
        let at = day * DAY_MS + dice.below(DAY_MS);
        let name = format!("seeded{index}");
        let (user_id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (username, username_lower, display_name, email, email_lower, \
             password_hash, is_admin, created_at, updated_at) \
             VALUES ($1, $1, $1, $2, $2, 'seeded', 0, $3, $3) RETURNING id",
        )
        .bind(&name)
        .bind(format!("{name}@example.com"))
        .bind(at)
        .fetch_one(&mut *transaction)
        .await?;
        let (channel_id,): (i64,) = sqlx::query_as(
            "INSERT INTO channels (user_id, title, language, mature, stream_key_secret, status, \
             created_at, updated_at) VALUES ($1, $2, 'en', 0, $3, 'offline', $4, $4) RETURNING id",
        )
        .bind(user_id)
        .bind(format!("{name} live"))
        .bind(format!("seededkey{index:08}"))
        .bind(at)
        .fetch_one(&mut *transaction)
        .await?;
        channels.push((channel_id, at));
        summary.days.entry(day).or_default().new_users += 1;
        if index % 10 == 3 {
            sqlx::query(
                "INSERT INTO oauth_apps (owner_id, name, description, homepage_url, redirect_uris, \
                 client_id, secret_hash, ingest, created_at, updated_at) \
                 VALUES ($1, $2, '', 'https://example.com', 'https://example.com/cb', $3, 'x', 0, $4, $4)",
            )
            .bind(user_id)
            .bind(format!("{name} bot"))
            .bind(format!("seededclient{index:08}"))
            .bind(at)
            .execute(&mut *transaction)
            .await?;
            summary.days.entry(day).or_default().new_apps += 1;
        }
    }
    for day in first_day..=plan.end_day {
        let existing: Vec<i64> = channels
            .iter()
            .filter(|(_, created)| *created < day * DAY_MS)
            .map(|(id, _)| *id)
            .collect();
        let page_views = 50 + dice.below(200);
        let visitors = 10 + dice.below(page_views - 10);
        sqlx::query(
            "INSERT INTO analytics_daily (day, page_views, unique_visitors) VALUES ($1, $2, $3)",
        )
        .bind(day_name(day))
        .bind(page_views)
        .bind(visitors)
        .execute(&mut *transaction)
        .await?;
        let tickets = dice.below(3);
        for ticket in 0..tickets {
            let at = day * DAY_MS + dice.below(DAY_MS);
            sqlx::query(
                "INSERT INTO support_tickets (email, category, subject, status, created_at, updated_at) \
                 VALUES ($1, 'technical', 'seeded question', 'open', $2, $2)",
            )
            .bind(format!("asker{day}-{ticket}@example.com"))
            .bind(at)
            .execute(&mut *transaction)
            .await?;
        }
        let entry = summary.days.entry(day).or_default();
        entry.page_views += page_views;
        entry.unique_visitors += visitors;
        entry.support_tickets += tickets;
        if existing.is_empty() {
            continue;
        }
        for _ in 0..1 + dice.below(4) {
            let channel = existing[usize::try_from(dice.below(existing.len() as i64)).unwrap_or(0)];
            let start = day * DAY_MS + HOUR_MS + dice.below(18 * HOUR_MS);
            let minutes = 10 + dice.below(170);
            let end = start + minutes * 60_000;
            let (stream_id,): (i64,) = sqlx::query_as(
                "INSERT INTO streams (channel_id, title, started_at, ended_at, end_reason) \
                 VALUES ($1, 'seeded stream', $2, $3, 'ended') RETURNING id",
            )
            .bind(channel)
            .bind(start)
            .bind(end)
            .fetch_one(&mut *transaction)
            .await?;
            let viewers = dice.below(30);
            for viewer in 0..viewers {
                sqlx::query(
                    "INSERT INTO stream_viewers (stream_id, viewer_key, first_seen_at) VALUES ($1, $2, $3)",
                )
                .bind(stream_id)
                .bind(format!("v{viewer}"))
                .bind(start + dice.below(minutes * 60_000))
                .execute(&mut *transaction)
                .await?;
            }
            let mut egress = 0;
            for minute in (0..minutes).step_by(10) {
                let watching = dice.below(viewers + 1);
                sqlx::query(
                    "INSERT INTO stream_minutes (stream_id, minute_at, viewers, bitrate) VALUES ($1, $2, $3, $4)",
                )
                .bind(stream_id)
                .bind(start + minute * 60_000)
                .bind(watching)
                .bind(SEED_BITRATE)
                .execute(&mut *transaction)
                .await?;
                egress += watching * SEED_BITRATE * 60 / 8;
            }
            let entry = summary.days.entry(day).or_default();
            entry.streams += 1;
            entry.streamers.insert(channel);
            entry.streamed_ms += end - start;
            entry.views += viewers;
            entry.egress_bytes += egress;
        }
        let at = day * DAY_MS + 20 * HOUR_MS + dice.below(HOUR_MS);
        let channel = existing[usize::try_from(dice.below(existing.len() as i64)).unwrap_or(0)];
        let (kind, product, channel_id, amount) = match day % 3 {
            0 => ("platform_subscription", "supporter", None, PLATFORM_PRICE),
            _ => (
                "channel_subscription",
                "channel",
                Some(channel),
                CHANNEL_PRICE,
            ),
        };
        let (subscription_id,): (i64,) = sqlx::query_as(
            "INSERT INTO subscriptions (user_id, product, channel_id, stripe_subscription_id, status, \
             amount_cents, currency, current_period_end, created_at, updated_at) \
             VALUES ((SELECT MIN(id) FROM users), $1, $2, $3, 'active', $4, 'usd', $5, $6, $6) RETURNING id",
        )
        .bind(product)
        .bind(channel_id)
        .bind(format!("sub_seeded{day}"))
        .bind(amount)
        .bind(at + 30 * DAY_MS)
        .bind(at)
        .fetch_one(&mut *transaction)
        .await?;
        summary.subscriptions.push((at, amount));
        let payment_id = payment(
            &mut transaction,
            &format!("in_seeded{day}"),
            kind,
            channel_id,
            Some(subscription_id),
            amount,
            at,
        )
        .await?;
        let entry = summary.days.entry(day).or_default();
        if let Some(channel) = channel_id {
            entry.channel_subscription_cents += amount;
            sqlx::query(
                "INSERT INTO payables (payment_id, streamer_id, gross_cents, fee_cents, platform_cut_bp, \
                 platform_cut_cents, withholding_bp, withholding_cents, payout_cents, currency, status, created_at) \
                 VALUES ($1, (SELECT user_id FROM channels WHERE id = $2), $3, 45, 1000, 50, 0, 0, $4, 'usd', 'pending', $5)",
            )
            .bind(payment_id)
            .bind(channel)
            .bind(amount)
            .bind(CHANNEL_PAYOUT)
            .bind(at)
            .execute(&mut *transaction)
            .await?;
            summary.pending_payout_cents += CHANNEL_PAYOUT;
        } else {
            entry.platform_subscription_cents += amount;
        }
        if day % 2 == 0 {
            payment(
                &mut transaction,
                &format!("cs_seeded{day}"),
                "donation",
                Some(channel),
                None,
                DONATION,
                at + 1,
            )
            .await?;
            summary.days.entry(day).or_default().donation_cents += DONATION;
        }
    }
    transaction.commit().await?;
    Ok(summary)
}

async fn payment(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    stripe_id: &str,
    kind: &str,
    channel_id: Option<i64>,
    subscription_id: Option<i64>,
    amount: i64,
    at: i64,
) -> Result<i64, SeedError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO payments (stripe_object_id, kind, channel_id, subscription_id, gross_cents, \
         fee_cents, currency, created_at, fee_settled) VALUES ($1, $2, $3, $4, $5, 45, 'usd', $6, 1) \
         RETURNING id",
    )
    .bind(stripe_id)
    .bind(kind)
    .bind(channel_id)
    .bind(subscription_id)
    .bind(amount)
    .bind(at)
    .fetch_one(&mut **transaction)
    .await?;
    Ok(id)
}
