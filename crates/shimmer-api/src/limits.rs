//! Rate limits per credential: each token and each client id has its own allowance, so one
//! busy bot cannot starve the others.

use std::time::Duration;

use shimmer_platform::rate_limits::{Limiter, Rate};
use shimmer_platform::Platform;

pub struct RateLimits {
    limiter: Limiter,
    per_second: u32,
}

impl RateLimits {
    /// `per_second` requests a second per key after a burst of `burst`, counted where the
    /// platform counts its limits (across every node when they share a database).
    pub fn new(platform: &Platform, per_second: u32, burst: u32) -> Self {
        let per_second = per_second.max(1);
        let rate = Rate::new(burst.max(1), Duration::from_secs(1) / per_second);
        Self {
            limiter: platform.limiter("api requests", rate),
            per_second,
        }
    }

    /// Counts one request against `key`; when the allowance is spent, says how long to wait.
    pub async fn check(&self, key: &str) -> Result<(), RateLimited> {
        self.limiter
            .check(key)
            .await
            .map_err(|retry_after| RateLimited {
                retry_after,
                per_second: self.per_second,
            })
    }
}

/// A refused request: the allowance and when to try again.
#[derive(Debug, Clone, Copy)]
pub struct RateLimited {
    pub retry_after: Duration,
    pub per_second: u32,
}

impl RateLimited {
    /// Whole seconds to wait, at least one (for `Retry-After`).
    pub fn retry_after_secs(&self) -> u64 {
        self.retry_after.as_secs_f64().ceil().max(1.0) as u64
    }

    pub fn message(&self) -> String {
        format!(
            "Too many requests: this token or client id may make {} requests per second. Try again in {} s.",
            self.per_second,
            self.retry_after_secs()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_allowance_and_whole_seconds_to_wait() {
        let refused = RateLimited {
            retry_after: Duration::from_millis(1_200),
            per_second: 1,
        };
        assert_eq!(refused.retry_after_secs(), 2);
        assert!(refused.message().contains("1 requests per second"));
        let soon = RateLimited {
            retry_after: Duration::from_millis(5),
            per_second: 1,
        };
        assert_eq!(soon.retry_after_secs(), 1);
    }
}
