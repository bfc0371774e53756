//! Rate limits per credential: each token and each client id has its own allowance, so one
//! busy bot cannot starve the others.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// How often (in checks) idle keys are forgotten, so the table does not grow without bound.
const SWEEP_EVERY: u64 = 8192;

pub struct RateLimits {
    limiter: DefaultKeyedRateLimiter<String>,
    per_second: u32,
    checks: AtomicU64,
}

impl RateLimits {
    pub fn new(per_second: u32, burst: u32) -> Self {
        let per_second = NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: DefaultKeyedRateLimiter::keyed(
                Quota::per_second(per_second).allow_burst(burst),
            ),
            per_second: per_second.get(),
            checks: AtomicU64::new(0),
        }
    }

    /// Counts one request against `key`; when the allowance is spent, says how long to wait.
    pub fn check(&self, key: &str) -> Result<(), RateLimited> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| RateLimited {
                retry_after: not_until.wait_time_from(DefaultClock::default().now()),
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
    fn each_key_has_its_own_allowance() {
        let limits = RateLimits::new(1, 2);
        assert!(limits.check("a").is_ok());
        assert!(limits.check("a").is_ok());
        let refused = limits.check("a").unwrap_err();
        assert!(refused.retry_after_secs() >= 1);
        assert!(refused.message().contains("1 requests per second"));
        assert!(limits.check("b").is_ok());
    }
}
