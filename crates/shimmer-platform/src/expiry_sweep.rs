//! The periodic sweep of rows that expired and that nothing needs any more: sessions, pending
//! two-factor log-ins, emailed one-time tokens, username holds, chat timeouts, the
//! live-notification log and OAuth2 codes and tokens. Without it these tables only grow.
//!
//! Each kind goes only once nothing can use it: a held username stays for its whole hold, a
//! used token stays through a grace period in which it still explains itself.

use std::time::Duration;

use shimmer_store::{now_ms, ExpiredOAuthRows, ExpiredRows, ExpiryCutoffs};

use crate::accounts::{RENAME_COOLDOWN, USERNAME_HOLD};
use crate::community::MAX_NOTIFY_WINDOW;
use crate::{Platform, PlatformError};

/// How long an emailed link stays on record after it expired or was used: opening it in that
/// time says "already used or expired" rather than "not valid".
pub const EMAIL_TOKEN_GRACE: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long a live-notification record is kept: beyond the longest window either cap looks
/// back over (the per-streamer window, at most [`MAX_NOTIFY_WINDOW`], and the daily cap's day).
pub const LIVE_NOTIFICATION_RECORDS: Duration =
    Duration::from_secs(MAX_NOTIFY_WINDOW.as_secs() + 24 * 3600);

/// The rename cool-down reads the latest username change from the same history the hold does;
/// the sweep may drop a change only if both are over with it.
const _: () = assert!(RENAME_COOLDOWN.as_secs() <= USERNAME_HOLD.as_secs());

/// Rows deleted per statement: small enough that SQLite's write lock is held only briefly.
const BATCH: u32 = 1000;

/// What one sweep deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub rows: ExpiredRows,
    pub oauth: ExpiredOAuthRows,
}

impl Swept {
    /// Rows deleted in all.
    pub fn total(&self) -> u64 {
        self.rows.total() + self.oauth.codes + self.oauth.tokens
    }
}

/// Which rows are no longer needed at `now` (milliseconds since the epoch).
pub fn cutoffs(now: i64) -> ExpiryCutoffs {
    let ago = |duration: Duration| now - duration.as_millis() as i64;
    ExpiryCutoffs {
        sessions: now,
        pending_logins: now,
        email_tokens: ago(EMAIL_TOKEN_GRACE),
        username_holds: ago(USERNAME_HOLD),
        channel_timeouts: now,
        live_notifications: ago(LIVE_NOTIFICATION_RECORDS),
        rate_allowances: now,
    }
}

impl Platform {
    /// Deletes, in small batches, every row that expired and that nothing needs any more (see
    /// [`cutoffs`] and [`Platform::delete_expired_oauth`]) and says how many went. Run it now
    /// and then; rows still valid or still needed stay.
    pub async fn sweep_expired(&self) -> Result<Swept, PlatformError> {
        let rows = self
            .store
            .delete_expired_rows(&cutoffs(now_ms()), BATCH)
            .await?;
        let oauth = self.delete_expired_oauth().await?;
        Ok(Swept { rows, oauth })
    }
}
