//! Rate limits that hold for the whole site, however many nodes serve it. A single node counts
//! in memory (governor); nodes that share a database and a bus ([`LimitBackend::Shared`]) count
//! in the database, so a client cannot multiply its allowance by spreading requests over web
//! nodes. Log-ins, sign-ups, emails per recipient, reports, support requests, OAuth token
//! requests and API requests all go through a [`Limiter`]; chat's per-socket limits stay local,
//! as each socket lives on one node.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use shimmer_store::{AllowanceCheck, Store};

use crate::hash_token;

/// How often (in checks) a local limiter forgets idle keys, so its table stays small.
const SWEEP_EVERY: u64 = 8192;

/// Where allowances are counted.
#[derive(Clone, Default)]
pub enum LimitBackend {
    /// In this process's memory: right for one node.
    #[default]
    Local,
    /// In the database every node shares.
    Shared(Store),
}

/// `burst` requests at once, then one every `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub every: Duration,
}

impl Rate {
    pub const fn new(burst: u32, every: Duration) -> Self {
        Self { burst, every }
    }

    fn quota(self) -> Quota {
        Quota::with_period(self.every.max(Duration::from_millis(1)))
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(self.burst.max(1)).unwrap_or(NonZeroU32::MIN))
    }
}

/// One named limit, counted per key.
pub struct Limiter {
    name: &'static str,
    rate: Rate,
    counter: Counter,
}

enum Counter {
    Local {
        limiter: DefaultKeyedRateLimiter<String>,
        checks: AtomicU64,
    },
    Shared(Store),
}

impl Limiter {
    /// A limit called `name` (unique per limit: keys of different limits never meet).
    pub fn new(name: &'static str, rate: Rate, backend: &LimitBackend) -> Self {
        let counter = match backend {
            LimitBackend::Local => Counter::Local {
                limiter: DefaultKeyedRateLimiter::keyed(rate.quota()),
                checks: AtomicU64::new(0),
            },
            LimitBackend::Shared(store) => Counter::Shared(store.clone()),
        };
        Self {
            name,
            rate,
            counter,
        }
    }

    /// The rate this limit allows.
    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// Spends one allowance of `key`, or says how long until there is one. When the shared
    /// count cannot be reached, the request is let through (and a warning logged): a limit
    /// must not turn a database hiccup into refusals, and whatever the request does next
    /// needs the database anyway.
    pub async fn check(&self, key: &str) -> Result<(), Duration> {
        match &self.counter {
            Counter::Local { limiter, checks } => {
                if checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
                    limiter.retain_recent();
                    limiter.shrink_to_fit();
                }
                limiter
                    .check_key(&key.to_owned())
                    .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
            }
            Counter::Shared(store) => {
                // Hashed: the table holds no address, account or email address.
                let id = hash_token(&format!("{}\0{key}", self.name));
                let check = AllowanceCheck {
                    now_ms: crate::now_ms(),
                    interval_ms: (self.rate.every.as_millis() as i64).max(1),
                    burst: i64::from(self.rate.burst.max(1)),
                };
                match store.take_allowance(&id, check).await {
                    Ok(None) => Ok(()),
                    Ok(Some(wait_ms)) => Err(Duration::from_millis(wait_ms.max(1) as u64)),
                    Err(error) => {
                        tracing::warn!(limit = self.name, %error, "shared rate limit unavailable; request allowed");
                        Ok(())
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_local_limit_counts_each_key_alone() {
        let limiter = Limiter::new(
            "test",
            Rate::new(2, Duration::from_secs(60)),
            &LimitBackend::Local,
        );
        assert!(limiter.check("a").await.is_ok());
        assert!(limiter.check("a").await.is_ok());
        let wait = limiter.check("a").await.unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60));
        assert!(limiter.check("b").await.is_ok());
    }
}
