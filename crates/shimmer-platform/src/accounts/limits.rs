//! Limits on what one client, one account or one mailbox can set off: log-in attempts per client
//! address and per account (so guessing passwords is slow from one address and against one
//! account from many), sign-ups per client network and site-wide, and emails per recipient.

use std::net::{IpAddr, Ipv6Addr};
use std::time::Duration;

use super::signup::SignupConfig;
use crate::rate_limits::{LimitBackend, Limiter, Rate};
use crate::PlatformError;

/// The key for per-address limits: the address itself for IPv4, the /64 network for IPv6 (one
/// household or server holds a whole /64, so single IPv6 addresses cost nothing to change).
pub(crate) fn network_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(Ipv6Addr::from(segments))
            }
        },
    }
}

/// What an account-level log-in limit is counted against: the account itself, whichever
/// identifier (username or email) was typed; an identifier that names no account stands for
/// itself, so unknown names are limited alike and reveal nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum AccountKey {
    Account(i64),
    Unknown(String),
    TwoFactor(i64),
}

impl AccountKey {
    fn key(&self) -> String {
        match self {
            Self::Account(id) => format!("account:{id}"),
            Self::Unknown(identifier) => format!("unknown:{identifier}"),
            Self::TwoFactor(id) => format!("two-factor:{id}"),
        }
    }
}

pub(crate) struct LoginLimits {
    per_ip: Limiter,
    per_account: Limiter,
}

impl LoginLimits {
    pub(crate) fn new(backend: &LimitBackend) -> Self {
        Self {
            // 30 attempts at once, then one every 4 s: room for a household behind one address.
            per_ip: Limiter::new(
                "log-in per network",
                Rate::new(30, Duration::from_secs(4)),
                backend,
            ),
            // 10 attempts at once, then one every 30 s for any single account.
            per_account: Limiter::new(
                "log-in per account",
                Rate::new(10, Duration::from_secs(30)),
                backend,
            ),
        }
    }

    pub(crate) async fn check_ip(&self, ip: IpAddr) -> Result<(), PlatformError> {
        self.per_ip
            .check(&network_of(ip).to_string())
            .await
            .map_err(|retry_after| PlatformError::RateLimited { retry_after })
    }

    pub(crate) async fn check_account(&self, account: AccountKey) -> Result<(), Duration> {
        self.per_account.check(&account.key()).await
    }
}

/// Sign-ups per client network and site-wide, and emails per recipient address.
pub(crate) struct SignupLimits {
    per_network: Limiter,
    site_wide: Limiter,
    per_recipient: Limiter,
}

/// "5 minutes", "40 seconds": a wait as people say it.
fn in_words(wait: Duration) -> String {
    let seconds = wait.as_secs().max(1);
    match seconds {
        1 => "1 second".to_owned(),
        2..=90 => format!("{seconds} seconds"),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
}

impl SignupLimits {
    pub(crate) fn new(config: &SignupConfig, backend: &LimitBackend) -> Self {
        Self {
            per_network: Limiter::new(
                "sign-up per network",
                Rate::new(
                    config.per_address_burst,
                    Duration::from_secs(config.per_address_interval_secs),
                ),
                backend,
            ),
            site_wide: Limiter::new(
                "sign-up site-wide",
                Rate::new(
                    config.global_burst,
                    Duration::from_secs(config.global_interval_secs),
                ),
                backend,
            ),
            per_recipient: Limiter::new(
                "emails per recipient",
                Rate::new(
                    config.mails_per_recipient,
                    Duration::from_secs(config.mail_interval_secs),
                ),
                backend,
            ),
        }
    }

    /// One more sign-up from `ip`'s network, and one more on the whole site.
    pub(crate) async fn check_sign_up(&self, ip: IpAddr) -> Result<(), PlatformError> {
        self.per_network
            .check(&network_of(ip).to_string())
            .await
            .map_err(|retry_after| PlatformError::Throttled {
                message: format!(
                    "Too many accounts were made from your network recently. Try again in {}.",
                    in_words(retry_after)
                ),
                retry_after,
            })?;
        self.site_wide
            .check("site")
            .await
            .map_err(|retry_after| PlatformError::Throttled {
                message: format!(
                    "Unusually many people are signing up right now, so sign-ups are paused for \
                     a moment. Try again in {}.",
                    in_words(retry_after)
                ),
                retry_after,
            })
    }

    /// One more email to `address` (case does not make another mailbox).
    pub(crate) async fn check_recipient(&self, address: &str) -> Result<(), PlatformError> {
        self.per_recipient
            .check(&address.trim().to_lowercase())
            .await
            .map_err(|retry_after| PlatformError::Throttled {
                message: format!(
                    "We sent several emails to {} recently. Check that mailbox (and its spam \
                     folder), or try again in {}.",
                    address.trim(),
                    in_words(retry_after)
                ),
                retry_after,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_are_limited_per_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(network_of(a), network_of(b));
        assert_ne!(network_of(a), network_of(other));
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(network_of(v4), v4);
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(network_of(mapped), v4);
    }

    #[test]
    fn waits_read_as_people_say_them() {
        assert_eq!(in_words(Duration::from_millis(200)), "1 second");
        assert_eq!(in_words(Duration::from_secs(40)), "40 seconds");
        assert_eq!(in_words(Duration::from_secs(301)), "6 minutes");
    }

    #[tokio::test]
    async fn recipients_are_counted_whatever_the_case() {
        let limits = SignupLimits::new(
            &SignupConfig {
                mails_per_recipient: 1,
                ..SignupConfig::default()
            },
            &LimitBackend::Local,
        );
        assert!(limits.check_recipient("A@Example.com").await.is_ok());
        assert!(limits.check_recipient("a@example.com").await.is_err());
        assert!(limits.check_recipient("b@example.com").await.is_ok());
    }
}
