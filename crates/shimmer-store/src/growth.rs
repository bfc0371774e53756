//! The figures of the growth and financial report, counted straight from the tables for a
//! period `[from, to)` in milliseconds. Nothing here is cached or sampled: the report can be
//! checked against the database by anyone.

use crate::{Result, Store};

/// One period's figures. Money is integer cents; `egress_bytes` is estimated from the stored
/// per-minute samples (viewers × the ingest bitrate).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrowthFigures {
    pub new_users: i64,
    /// Accounts that exist at the period's end.
    pub total_users: i64,
    pub new_apps: i64,
    pub total_apps: i64,
    /// Monthly recurring revenue at the period's end: the monthly price of every paid
    /// subscription live then (gift months excluded).
    pub mrr_cents: i64,
    /// Support requests opened.
    pub support_tickets: i64,
    pub streams: i64,
    pub unique_streamers: i64,
    /// Time streamed within the period, in milliseconds.
    pub streamed_ms: i64,
    /// Viewer sessions: each distinct viewer once per stream, by when they first watched.
    pub views: i64,
    pub page_views: i64,
    /// The sum of each day's unique visitors.
    pub visitor_days: i64,
    pub platform_subscription_cents: i64,
    pub channel_subscription_cents: i64,
    pub donation_cents: i64,
    pub egress_bytes: i64,
}

/// Per-day figures for the report's charts; `day` counts days since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GrowthDay {
    pub day: i64,
    pub new_users: i64,
    pub streams: i64,
    pub views: i64,
    pub revenue_cents: i64,
}

const DAY_MS: i64 = 24 * 3600 * 1000;

impl Store {
    async fn count(&self, query: &str, from: i64, to: i64) -> Result<i64> {
        let value: Option<i64> = sqlx::query_scalar(query)
            .bind(from)
            .bind(to)
            .fetch_one(&self.pool)
            .await?;
        Ok(value.unwrap_or(0))
    }

    /// The figures of `[from_ms, to_ms)`; page views come from the analytics days
    /// `from_day..to_day` (`YYYY-MM-DD`, end excluded).
    pub async fn growth_figures(
        &self,
        from_ms: i64,
        to_ms: i64,
        from_day: &str,
        to_day: &str,
    ) -> Result<GrowthFigures> {
        let between = |table: &str, column: &str, filter: &str| {
            format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM {table} WHERE {column} >= $1 AND {column} < $2{filter}"
            )
        };
        let revenue = |kinds: &str| {
            format!(
                "SELECT CAST(SUM(gross_cents) AS BIGINT) FROM payments \
                 WHERE created_at >= $1 AND created_at < $2 AND kind IN ({kinds})"
            )
        };
        let (page_views, visitor_days): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT CAST(SUM(d.page_views) AS BIGINT), CAST(SUM(d.unique_visitors + \
             (SELECT COUNT(*) FROM analytics_visitors v WHERE v.day = d.day)) AS BIGINT) \
             FROM analytics_daily d WHERE d.day >= $1 AND d.day < $2",
        )
        .bind(from_day)
        .bind(to_day)
        .fetch_one(&self.pool)
        .await?;
        Ok(GrowthFigures {
            new_users: self
                .count(&between("users", "created_at", ""), from_ms, to_ms)
                .await?,
            total_users: self
                .count(&between("users", "created_at", ""), i64::MIN, to_ms)
                .await?,
            new_apps: self
                .count(&between("oauth_apps", "created_at", ""), from_ms, to_ms)
                .await?,
            total_apps: self
                .count(&between("oauth_apps", "created_at", ""), i64::MIN, to_ms)
                .await?,
            mrr_cents: self.mrr_cents_at(to_ms).await?,
            support_tickets: self
                .count(&between("support_tickets", "created_at", ""), from_ms, to_ms)
                .await?,
            streams: self
                .count(&between("streams", "started_at", ""), from_ms, to_ms)
                .await?,
            unique_streamers: self
                .count(
                    "SELECT CAST(COUNT(DISTINCT channel_id) AS BIGINT) FROM streams \
                     WHERE started_at >= $1 AND started_at < $2",
                    from_ms,
                    to_ms,
                )
                .await?,
            streamed_ms: self
                .count(
                    "SELECT CAST(SUM(CASE WHEN COALESCE(ended_at, $2) < $2 THEN COALESCE(ended_at, $2) ELSE $2 END \
                     - CASE WHEN started_at > $1 THEN started_at ELSE $1 END) AS BIGINT) \
                     FROM streams WHERE started_at < $2 AND COALESCE(ended_at, $2) > $1",
                    from_ms,
                    to_ms,
                )
                .await?,
            views: self
                .count(
                    &between("stream_viewers", "first_seen_at", ""),
                    from_ms,
                    to_ms,
                )
                .await?,
            page_views: page_views.unwrap_or(0),
            visitor_days: visitor_days.unwrap_or(0),
            platform_subscription_cents: self
                .count(&revenue("'platform_subscription'"), from_ms, to_ms)
                .await?,
            channel_subscription_cents: self
                .count(
                    &revenue("'channel_subscription', 'gift_subscription'"),
                    from_ms,
                    to_ms,
                )
                .await?,
            donation_cents: self.count(&revenue("'donation'"), from_ms, to_ms).await?,
            egress_bytes: self
                .count(
                    "SELECT CAST(SUM(viewers * bitrate * 60 / 8) AS BIGINT) FROM stream_minutes \
                     WHERE minute_at >= $1 AND minute_at < $2",
                    from_ms,
                    to_ms,
                )
                .await?,
        })
    }

    /// Each day of `[from_ms, to_ms)` with anything in it: new users, streams started,
    /// viewer sessions and money received.
    pub async fn growth_days(&self, from_ms: i64, to_ms: i64) -> Result<Vec<GrowthDay>> {
        let per_day = |table: &str, column: &str, value: &str| {
            format!(
                "SELECT {column} / {DAY_MS} AS day, CAST({value} AS BIGINT) FROM {table} \
                 WHERE {column} >= $1 AND {column} < $2 GROUP BY {column} / {DAY_MS}"
            )
        };
        let mut days = std::collections::BTreeMap::<i64, GrowthDay>::new();
        for (index, query) in [
            per_day("users", "created_at", "COUNT(*)"),
            per_day("streams", "started_at", "COUNT(*)"),
            per_day("stream_viewers", "first_seen_at", "COUNT(*)"),
            per_day("payments", "created_at", "SUM(gross_cents)"),
        ]
        .iter()
        .enumerate()
        {
            let rows: Vec<(i64, i64)> = sqlx::query_as(query)
                .bind(from_ms)
                .bind(to_ms)
                .fetch_all(&self.pool)
                .await?;
            for (day, value) in rows {
                let entry = days.entry(day).or_insert(GrowthDay {
                    day,
                    ..GrowthDay::default()
                });
                match index {
                    0 => entry.new_users = value,
                    1 => entry.streams = value,
                    2 => entry.views = value,
                    _ => entry.revenue_cents = value,
                }
            }
        }
        Ok(days.into_values().collect())
    }

    /// Monthly recurring revenue at `at_ms`: paid subscriptions made before then and not
    /// ended by then.
    pub async fn mrr_cents_at(&self, at_ms: i64) -> Result<i64> {
        let value: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(amount_cents) AS BIGINT) FROM subscriptions \
             WHERE created_at < $1 AND stripe_subscription_id NOT LIKE 'gift:%' \
             AND (status <> 'ended' OR updated_at >= $1)",
        )
        .bind(at_ms)
        .fetch_one(&self.pool)
        .await?;
        Ok(value.unwrap_or(0))
    }

    /// What payday would pay now: every payable not yet paid out.
    pub async fn pending_payout_cents(&self) -> Result<i64> {
        let value: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(payout_cents) AS BIGINT) FROM payables WHERE status = 'pending'",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(value.unwrap_or(0))
    }
}
