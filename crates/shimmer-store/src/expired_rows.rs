//! Deleting rows that expired and that nothing needs any more, a bounded batch per statement so
//! a large backlog never holds SQLite's write lock for long. The domain decides, per kind of
//! row, from when on a row is no longer needed; the store only deletes what is older.

use crate::{Result, Store};

/// For each kind of row, the moment (milliseconds since the epoch) before which it may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryCutoffs {
    /// Sessions that expired before this.
    pub sessions: i64,
    /// Pending two-factor log-ins that expired before this.
    pub pending_logins: i64,
    /// Emailed one-time tokens that expired, or were used or revoked, before this.
    pub email_tokens: i64,
    /// Given-up usernames released before this: their hold is over.
    pub username_holds: i64,
    /// Chat timeouts that ended before this (permanent bans never go).
    pub channel_timeouts: i64,
    /// Live-notification records sent before this.
    pub live_notifications: i64,
    /// Shared rate-limit rows whose allowance was whole again before this.
    pub rate_allowances: i64,
}

/// How many rows of each kind one pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpiredRows {
    pub sessions: u64,
    pub pending_logins: u64,
    pub email_tokens: u64,
    pub username_holds: u64,
    pub channel_timeouts: u64,
    pub live_notifications: u64,
    pub rate_allowances: u64,
}

impl ExpiredRows {
    /// Rows deleted in all.
    pub fn total(&self) -> u64 {
        self.sessions
            + self.pending_logins
            + self.email_tokens
            + self.username_holds
            + self.channel_timeouts
            + self.live_notifications
            + self.rate_allowances
    }
}

/// Each statement deletes at most `$2` rows older than `$1`, chosen through an index on the
/// time column (migration 0009).
const DELETE_SESSIONS: &str = "DELETE FROM sessions WHERE id IN \
     (SELECT id FROM sessions WHERE expires_at < $1 LIMIT $2)";
const DELETE_PENDING_LOGINS: &str = "DELETE FROM pending_logins WHERE id IN \
     (SELECT id FROM pending_logins WHERE expires_at < $1 LIMIT $2)";
/// A token goes by its expiry, and, used or revoked, by the time of that too.
const DELETE_EMAIL_TOKENS: [&str; 2] = [
    "DELETE FROM email_tokens WHERE id IN \
     (SELECT id FROM email_tokens WHERE expires_at < $1 LIMIT $2)",
    "DELETE FROM email_tokens WHERE id IN \
     (SELECT id FROM email_tokens WHERE used_at < $1 LIMIT $2)",
];
const DELETE_USERNAME_HOLDS: &str = "DELETE FROM username_history WHERE id IN \
     (SELECT id FROM username_history WHERE changed_at < $1 LIMIT $2)";
const DELETE_CHANNEL_TIMEOUTS: &str = "DELETE FROM channel_bans WHERE id IN \
     (SELECT id FROM channel_bans WHERE expires_at < $1 LIMIT $2)";
/// The table's key is (user_id, stream_id); both backends compare row values.
const DELETE_LIVE_NOTIFICATIONS: &str =
    "DELETE FROM live_notifications WHERE (user_id, stream_id) IN \
     (SELECT user_id, stream_id FROM live_notifications WHERE sent_at < $1 LIMIT $2)";
const DELETE_RATE_ALLOWANCES: &str = "DELETE FROM rate_allowances WHERE id IN \
     (SELECT id FROM rate_allowances WHERE tat_ms < $1 LIMIT $2)";

impl Store {
    /// Deletes every row older than its cutoff, `batch` rows per statement until none are left.
    pub async fn delete_expired_rows(
        &self,
        cutoffs: &ExpiryCutoffs,
        batch: u32,
    ) -> Result<ExpiredRows> {
        let batch = i64::from(batch.max(1));
        let mut deleted = ExpiredRows {
            sessions: self
                .delete_in_batches(DELETE_SESSIONS, cutoffs.sessions, batch)
                .await?,
            pending_logins: self
                .delete_in_batches(DELETE_PENDING_LOGINS, cutoffs.pending_logins, batch)
                .await?,
            username_holds: self
                .delete_in_batches(DELETE_USERNAME_HOLDS, cutoffs.username_holds, batch)
                .await?,
            channel_timeouts: self
                .delete_in_batches(DELETE_CHANNEL_TIMEOUTS, cutoffs.channel_timeouts, batch)
                .await?,
            live_notifications: self
                .delete_in_batches(DELETE_LIVE_NOTIFICATIONS, cutoffs.live_notifications, batch)
                .await?,
            rate_allowances: self
                .delete_in_batches(DELETE_RATE_ALLOWANCES, cutoffs.rate_allowances, batch)
                .await?,
            email_tokens: 0,
        };
        for statement in DELETE_EMAIL_TOKENS {
            deleted.email_tokens += self
                .delete_in_batches(statement, cutoffs.email_tokens, batch)
                .await?;
        }
        Ok(deleted)
    }

    /// Runs a `DELETE ... LIMIT $2` statement until it deletes less than a full batch.
    pub(crate) async fn delete_in_batches(
        &self,
        statement: &str,
        before: i64,
        batch: i64,
    ) -> Result<u64> {
        let mut total = 0;
        loop {
            let removed = sqlx::query(statement)
                .bind(before)
                .bind(batch)
                .execute(&self.pool)
                .await?
                .rows_affected();
            total += removed;
            if removed < batch as u64 {
                return Ok(total);
            }
        }
    }
}
