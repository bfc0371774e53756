//! Rate limits on the token, revoke and introspect endpoints: per client address (checked first,
//! so unknown client ids cannot fill memory) and per application.

use std::net::IpAddr;
use std::time::Duration;

use super::OAuthError;
use crate::rate_limits::{LimitBackend, Limiter, Rate};

pub(crate) struct TokenLimits {
    per_ip: Limiter,
    per_app: Limiter,
}

impl TokenLimits {
    pub(crate) fn new(backend: &LimitBackend) -> Self {
        Self {
            // 120 requests at once, then two a second: room for many apps behind one address.
            per_ip: Limiter::new(
                "oauth per address",
                Rate::new(120, Duration::from_millis(500)),
                backend,
            ),
            // 30 requests at once, then one every 2 s: far more than a well-behaved client,
            // which refreshes once a day.
            per_app: Limiter::new(
                "oauth per app",
                Rate::new(30, Duration::from_secs(2)),
                backend,
            ),
        }
    }

    pub(crate) async fn check_ip(&self, ip: IpAddr) -> Result<(), OAuthError> {
        self.per_ip
            .check(&ip.to_string())
            .await
            .map_err(|retry_after| OAuthError::RateLimited {
                who: "from your address",
                retry_after,
            })
    }

    pub(crate) async fn check_app(&self, app_id: i64) -> Result<(), OAuthError> {
        self.per_app
            .check(&app_id.to_string())
            .await
            .map_err(|retry_after| OAuthError::RateLimited {
                who: "for this client",
                retry_after,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn addresses_and_apps_are_limited_separately() {
        let limits = TokenLimits::new(&LimitBackend::Local);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..120 {
            limits.check_ip(ip).await.unwrap();
        }
        let refused = limits.check_ip(ip).await.unwrap_err();
        assert_eq!(refused.status(), 429);
        assert!(refused.to_string().contains("from your address"));
        limits.check_ip("192.0.2.2".parse().unwrap()).await.unwrap();
        for _ in 0..30 {
            limits.check_app(7).await.unwrap();
        }
        assert!(limits
            .check_app(7)
            .await
            .unwrap_err()
            .to_string()
            .contains("for this client"));
        limits.check_app(8).await.unwrap();
    }
}
