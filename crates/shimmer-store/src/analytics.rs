//! Site analytics as daily aggregates: page views per UTC day, and unique visitors counted
//! from per-day salted hashes that are deleted (with their salt) when the day is closed.
//! Days are `YYYY-MM-DD` strings, which sort as dates.

use crate::{Result, Store};

/// One day's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsDay {
    pub day: String,
    pub page_views: i64,
    pub unique_visitors: i64,
}

impl Store {
    /// The salt of `day`: the one stored, or `candidate` when the day has none yet (every
    /// node ends up with the same salt).
    pub async fn analytics_salt(&self, day: &str, candidate: &str) -> Result<String> {
        sqlx::query(
            "INSERT INTO analytics_salts (day, salt) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
        )
        .bind(day)
        .bind(candidate)
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT salt FROM analytics_salts WHERE day = $1")
                .bind(day)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Adds `page_views` to a day and records its visitors (each once), in one transaction.
    pub async fn add_page_views(
        &self,
        day: &str,
        page_views: i64,
        visitors: &[String],
    ) -> Result<()> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO analytics_daily (day, page_views) VALUES ($1, $2) \
             ON CONFLICT (day) DO UPDATE SET page_views = analytics_daily.page_views + $2",
        )
        .bind(day)
        .bind(page_views)
        .execute(&mut *transaction)
        .await?;
        for visitor in visitors {
            sqlx::query(
                "INSERT INTO analytics_visitors (day, visitor) VALUES ($1, $2) \
                 ON CONFLICT (day, visitor) DO NOTHING",
            )
            .bind(day)
            .bind(visitor)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Closes every day before `first_open_day`: its unique visitors are counted into its
    /// row, and its visitor hashes and salt are deleted. Returns how many days were closed.
    pub async fn close_analytics_days(&self, first_open_day: &str) -> Result<u64> {
        let mut transaction = self.pool.begin().await?;
        let closed = sqlx::query(
            "UPDATE analytics_daily SET unique_visitors = \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM analytics_visitors v WHERE v.day = analytics_daily.day) \
             WHERE day < $1 AND EXISTS (SELECT 1 FROM analytics_visitors v WHERE v.day = analytics_daily.day)",
        )
        .bind(first_open_day)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM analytics_visitors WHERE day < $1")
            .bind(first_open_day)
            .execute(&mut *transaction)
            .await?;
        sqlx::query("DELETE FROM analytics_salts WHERE day < $1")
            .bind(first_open_day)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(closed)
    }

    /// The figures of the days from `from` to `to` (inclusive) that had page views, oldest
    /// first; an open day's visitors are counted as they stand.
    pub async fn analytics_days(&self, from: &str, to: &str) -> Result<Vec<AnalyticsDay>> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT d.day, d.page_views, d.unique_visitors + \
             (SELECT CAST(COUNT(*) AS BIGINT) FROM analytics_visitors v WHERE v.day = d.day) \
             FROM analytics_daily d WHERE d.day >= $1 AND d.day <= $2 ORDER BY d.day",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(day, page_views, unique_visitors)| AnalyticsDay {
                day,
                page_views,
                unique_visitors,
            })
            .collect())
    }
}
