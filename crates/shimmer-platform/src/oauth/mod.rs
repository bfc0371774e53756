//! The OAuth2 provider behind the public API: developer applications, the authorization-code
//! flow (with PKCE), refresh and client-credentials grants, revocation, introspection, and the
//! question every API request asks: which app, on whose behalf, with which scopes?
//!
//! The wire behaviour follows what Glimesh clients depend on (parameters from the query string
//! or the body, `created_at` as a naive timestamp, `Client-ID` read-only access). Codes, tokens
//! and client secrets are random and stored only as SHA-256 hashes.

mod apps;
mod authorize;
mod client_ids;
mod expired_grants;
mod grants;
mod limits;
mod scopes;

use std::time::Duration;

use rand::distributions::{Alphanumeric, DistString};
use rand::RngCore;

use crate::{hash_token, Platform, PlatformError};

pub use apps::{app_logo_src, AppForm, NewAppSecret, MAX_APPS_PER_USER, MAX_LOGO_BYTES};
pub use authorize::{
    redirect_error, AuthorizeError, AuthorizeParams, AuthorizeRequest, AuthorizedApp,
};
pub(crate) use client_ids::ClientIdCache;
pub use expired_grants::EXPIRED_GRACE;
pub use grants::{Introspection, IssuedToken, OAuthError};
pub(crate) use limits::TokenLimits;
pub use scopes::{Scope, Scopes, UnknownScope};

/// How long an authorization code can be exchanged (Glimesh: one minute).
pub const CODE_LIFETIME: Duration = Duration::from_secs(60);
/// How long an access token works (Glimesh: 24 hours; clients read `expires_in`).
pub const ACCESS_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// How long a refresh token works (Glimesh: 30 days).
pub const REFRESH_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// What an API request may do: the app it comes through, the user it acts for (none for
/// client-id access and client_credentials tokens) and the scopes granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiGrant {
    pub app_id: i64,
    pub user_id: Option<i64>,
    pub scopes: Scopes,
    /// The dedicated ingest credential's client_credentials token: the only grant that may use
    /// the ingest mutations and read stream keys.
    pub ingest: bool,
}

/// A random opaque credential (codes, tokens, secrets): letters and digits from the CSPRNG, so
/// it survives query strings and form bodies unescaped.
fn random_credential(length: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rngs::OsRng, length)
}

/// A random version-4 UUID, the format Glimesh clients expect of client ids.
fn random_client_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// A time (milliseconds since the epoch) as a naive UTC timestamp `YYYY-MM-DDTHH:MM:SS`, with
/// no zone and no fraction: the only form some Glimesh clients parse.
pub fn naive_utc(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|moment| {
            moment
                .format(time::macros::format_description!(
                    "[year]-[month]-[day]T[hour]:[minute]:[second]"
                ))
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00".into())
}

impl Platform {
    /// The grant behind an `Authorization: Bearer` token, if it is a live access token.
    pub async fn authenticate_bearer(
        &self,
        token: &str,
    ) -> Result<Option<ApiGrant>, PlatformError> {
        if token.is_empty() || token.len() > 512 {
            return Ok(None);
        }
        let Some(stored) = self.store.oauth_token_by_access(&hash_token(token)).await? else {
            return Ok(None);
        };
        if !stored.access_active(shimmer_store::now_ms()) {
            return Ok(None);
        }
        Ok(Some(ApiGrant {
            app_id: stored.app_id,
            user_id: stored.user_id,
            scopes: Scopes::parse_lenient(&stored.scopes),
            ingest: stored.app_ingest && stored.user_id.is_none(),
        }))
    }

    /// The grant for `Authorization: Client-ID`: read-only public access as the app, for no
    /// user. Unknown client ids get `None`.
    pub async fn authenticate_client_id(
        &self,
        client_id: &str,
    ) -> Result<Option<ApiGrant>, PlatformError> {
        if client_id.is_empty() || client_id.len() > 128 {
            return Ok(None);
        }
        let now = std::time::Instant::now();
        let app_id = match self.client_ids.get(client_id, now) {
            Some(app_id) => app_id,
            None => match self.store.oauth_app_by_client_id(client_id).await? {
                Some(app) => {
                    self.client_ids.insert(client_id, app.id, now);
                    app.id
                }
                None => return Ok(None),
            },
        };
        Ok(Some(ApiGrant {
            app_id,
            user_id: None,
            scopes: Scopes::only(Scope::Public),
            ingest: false,
        }))
    }

    /// The application by its id, for an API that needs its owner or name.
    pub async fn oauth_app(&self, app_id: i64) -> Result<crate::AppView, PlatformError> {
        self.store
            .oauth_app(app_id)
            .await?
            .map(crate::AppView::from)
            .ok_or(PlatformError::NotFound("No such application."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_naive_to_the_second() {
        assert_eq!(naive_utc(1_616_355_141_999), "2021-03-21T19:32:21");
        assert_eq!(naive_utc(0), "1970-01-01T00:00:00");
    }

    #[test]
    fn client_ids_look_like_uuids() {
        let id = random_client_id();
        assert_eq!(id.len(), 36);
        assert_eq!(id.as_bytes()[14], b'4');
        assert_eq!(id.matches('-').count(), 4);
        assert_ne!(id, random_client_id());
        assert!(random_credential(64)
            .chars()
            .all(|c| c.is_ascii_alphanumeric()));
    }
}
