//! Shared rate limits, counted in the database so every node sees the same allowance. Each
//! key's row holds the theoretical arrival time (TAT) of the generic cell rate algorithm; one
//! upsert checks and spends an allowance atomically on both backends (PostgreSQL locks the row
//! and re-checks the condition on conflict; SQLite has a single writer).

use crate::{Result, Store};

/// One check against a shared limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowanceCheck {
    /// The moment of the request, in milliseconds since the epoch.
    pub now_ms: i64,
    /// Milliseconds between two allowed requests once the burst is spent.
    pub interval_ms: i64,
    /// How many requests may come at once.
    pub burst: i64,
}

impl Store {
    /// Spends one allowance of the limit `id`: `Ok(None)` when the request is allowed, or how
    /// many milliseconds remain until it would be.
    pub async fn take_allowance(&self, id: &str, check: AllowanceCheck) -> Result<Option<i64>> {
        let tolerance = check.interval_ms * (check.burst.max(1) - 1);
        let taken: Option<i64> = sqlx::query_scalar(
            "INSERT INTO rate_allowances (id, tat_ms) VALUES ($1, $2 + $3) \
             ON CONFLICT (id) DO UPDATE SET tat_ms = \
               (CASE WHEN rate_allowances.tat_ms > $2 THEN rate_allowances.tat_ms ELSE $2 END) + $3 \
             WHERE rate_allowances.tat_ms - $4 <= $2 \
             RETURNING tat_ms",
        )
        .bind(id)
        .bind(check.now_ms)
        .bind(check.interval_ms)
        .bind(tolerance)
        .fetch_optional(&self.pool)
        .await?;
        if taken.is_some() {
            return Ok(None);
        }
        let tat: Option<i64> =
            sqlx::query_scalar("SELECT tat_ms FROM rate_allowances WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(Some(
            tat.map_or(0, |tat| tat - tolerance - check.now_ms).max(1),
        ))
    }
}
