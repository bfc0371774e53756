//! Deleting authorization codes and tokens nobody can use any more, so the tables hold what is
//! live rather than everything ever issued.

use std::time::Duration;

use shimmer_store::{now_ms, ExpiredOAuthRows};

use crate::{Platform, PlatformError};

/// How long a code or token stays after it expired. A used code that is still on record lets
/// a replay revoke the tokens issued from it; an hour is far beyond a code's one minute.
pub const EXPIRED_GRACE: Duration = Duration::from_secs(3600);

/// Rows deleted per statement: small enough that SQLite's write lock is held only briefly.
const BATCH: u32 = 1000;

impl Platform {
    /// Deletes codes and tokens that expired more than [`EXPIRED_GRACE`] ago (a token only once
    /// its refresh token expired too) and says how many went. Run it now and then.
    pub async fn delete_expired_oauth(&self) -> Result<ExpiredOAuthRows, PlatformError> {
        let before = now_ms() - EXPIRED_GRACE.as_millis() as i64;
        Ok(self.store.delete_expired_oauth(before, BATCH).await?)
    }
}
