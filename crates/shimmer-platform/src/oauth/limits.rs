//! Rate limits on the token, revoke and introspect endpoints: per client address (checked first,
//! so unknown client ids cannot fill memory) and per application.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use super::OAuthError;

pub(crate) struct TokenLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_app: DefaultKeyedRateLimiter<i64>,
}

fn quota(burst: u32, every: Duration) -> Quota {
    Quota::with_period(every)
        .expect("a non-zero period")
        .allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"))
}

impl TokenLimits {
    pub(crate) fn new() -> Self {
        Self {
            // 120 requests at once, then two a second: room for many apps behind one address.
            per_ip: DefaultKeyedRateLimiter::keyed(quota(120, Duration::from_millis(500))),
            // 30 requests at once, then one every 2 s: far more than a well-behaved client,
            // which refreshes once a day.
            per_app: DefaultKeyedRateLimiter::keyed(quota(30, Duration::from_secs(2))),
        }
    }

    pub(crate) fn check_ip(&self, ip: IpAddr) -> Result<(), OAuthError> {
        self.per_ip
            .check_key(&ip)
            .map_err(|not_until| OAuthError::RateLimited {
                who: "from your address",
                retry_after: not_until.wait_time_from(DefaultClock::default().now()),
            })
    }

    pub(crate) fn check_app(&self, app_id: i64) -> Result<(), OAuthError> {
        self.per_app
            .check_key(&app_id)
            .map_err(|not_until| OAuthError::RateLimited {
                who: "for this client",
                retry_after: not_until.wait_time_from(DefaultClock::default().now()),
            })
    }
}
