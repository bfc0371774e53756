//! Log-in attempt limits, per client address and per account, so that guessing passwords is slow
//! from one address and against one account from many.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::PlatformError;

pub(crate) struct LoginLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
}

fn quota(burst: u32, every: Duration) -> Quota {
    Quota::with_period(every)
        .expect("a non-zero period")
        .allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"))
}

impl LoginLimits {
    pub(crate) fn new() -> Self {
        Self {
            // 30 attempts at once, then one every 4 s: room for a household behind one address.
            per_ip: DefaultKeyedRateLimiter::keyed(quota(30, Duration::from_secs(4))),
            // 10 attempts at once, then one every 30 s for any single account.
            per_account: DefaultKeyedRateLimiter::keyed(quota(10, Duration::from_secs(30))),
        }
    }

    pub(crate) fn check_ip(&self, ip: IpAddr) -> Result<(), PlatformError> {
        self.per_ip
            .check_key(&ip)
            .map_err(|not_until| PlatformError::RateLimited {
                retry_after: not_until.wait_time_from(DefaultClock::default().now()),
            })
    }

    pub(crate) fn check_account(&self, account: &str) -> Result<(), PlatformError> {
        self.per_account
            .check_key(&account.to_owned())
            .map_err(|not_until| PlatformError::RateLimited {
                retry_after: not_until.wait_time_from(DefaultClock::default().now()),
            })
    }
}
