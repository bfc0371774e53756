//! The token endpoint's grants (authorization_code with optional PKCE S256, refresh_token with
//! rotation, client_credentials), revocation (RFC 7009) and introspection (RFC 7662).
//!
//! Requests arrive as a flat map of parameters: the web layer merges the query string, the body
//! and HTTP Basic credentials, because Glimesh clients use every one of those.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Duration;

use base64::Engine;
use sha2::{Digest, Sha256};
use shimmer_store::{now_ms, NewOAuthToken, OAuthApp, OAuthToken};
use subtle::ConstantTimeEq;

use super::{random_credential, Scope, Scopes, ACCESS_LIFETIME, REFRESH_LIFETIME};
use crate::{hash_token, Platform, PlatformError};

/// A refusal in RFC 6749 terms: the `error` code, a description a developer understands, and
/// (through [`OAuthError::status`]) the HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("{0}")]
    InvalidRequest(String),
    #[error("{0}")]
    InvalidClient(String),
    #[error("{0}")]
    InvalidGrant(String),
    #[error("{0}")]
    InvalidScope(String),
    #[error("The grant_type \"{0}\" is not supported. Use authorization_code, refresh_token or client_credentials.")]
    UnsupportedGrantType(String),
    #[error("Too many token requests {who}. Try again in {} seconds.", .retry_after.as_secs().max(1))]
    RateLimited {
        who: &'static str,
        retry_after: Duration,
    },
    #[error(transparent)]
    Internal(#[from] PlatformError),
}

impl From<shimmer_store::StoreError> for OAuthError {
    fn from(error: shimmer_store::StoreError) -> Self {
        Self::Internal(error.into())
    }
}

impl OAuthError {
    /// The RFC 6749 `error` code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidClient(_) => "invalid_client",
            Self::InvalidGrant(_) => "invalid_grant",
            Self::InvalidScope(_) => "invalid_scope",
            Self::UnsupportedGrantType(_) => "unsupported_grant_type",
            Self::RateLimited { .. } => "too_many_requests",
            Self::Internal(_) => "server_error",
        }
    }

    /// The HTTP status: 401 for client authentication failures, 429 when rate limited, 500 for
    /// our own faults, 400 otherwise.
    pub fn status(&self) -> u16 {
        match self {
            Self::InvalidClient(_) => 401,
            Self::RateLimited { .. } => 429,
            Self::Internal(_) => 500,
            _ => 400,
        }
    }
}

/// A freshly issued token, everything the token response shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub access_token: String,
    /// `None` for client_credentials.
    pub refresh_token: Option<String>,
    pub scopes: Scopes,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    /// Seconds the access token lasts.
    pub expires_in: i64,
}

/// What introspection reports about a token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Introspection {
    pub active: bool,
    pub scopes: Option<Scopes>,
    pub client_id: Option<String>,
    pub username: Option<String>,
    pub user_id: Option<i64>,
    /// Expiry and issue time, seconds since the epoch.
    pub expires_at: Option<i64>,
    pub issued_at: Option<i64>,
}

/// The longest value accepted for any token endpoint parameter.
const MAX_PARAMETER: usize = 2048;
/// Scopes a client_credentials request without `scope` gets: every scope but the stream key
/// and staff.
fn default_client_scopes() -> Scopes {
    Scope::ALL
        .into_iter()
        .filter(|scope| !matches!(scope, Scope::Streamkey | Scope::Staff))
        .fold(Scopes::empty(), Scopes::with)
}

/// A view over the merged request parameters.
struct Params<'a>(&'a HashMap<String, String>);

impl Params<'_> {
    /// A present, non-empty parameter, or `None`; over-long values are refused.
    fn optional(&self, name: &'static str) -> Result<Option<&str>, OAuthError> {
        match self.0.get(name).map(|value| value.trim()) {
            Some("") | None => Ok(None),
            Some(value) if value.len() > MAX_PARAMETER => Err(OAuthError::InvalidRequest(format!(
                "The parameter {name} is too long."
            ))),
            Some(value) => Ok(Some(value)),
        }
    }

    fn required(&self, name: &'static str) -> Result<&str, OAuthError> {
        self.optional(name)?
            .ok_or_else(|| OAuthError::InvalidRequest(format!("The parameter {name} is missing.")))
    }
}

fn same_hash(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The PKCE S256 transform of a verifier.
pub(crate) fn s256(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

impl Platform {
    /// Handles `POST /api/oauth/token`.
    pub async fn exchange_token(
        &self,
        parameters: &HashMap<String, String>,
        client_ip: IpAddr,
    ) -> Result<IssuedToken, OAuthError> {
        self.oauth_limits.check_ip(client_ip).await?;
        let params = Params(parameters);
        let grant_type = params.required("grant_type")?;
        if !matches!(
            grant_type,
            "authorization_code" | "refresh_token" | "client_credentials"
        ) {
            return Err(OAuthError::UnsupportedGrantType(
                grant_type.chars().take(40).collect(),
            ));
        }
        let (app, secret_checked) = self.client(&params).await?;
        self.oauth_limits.check_app(app.id).await?;
        match grant_type {
            "authorization_code" => self.code_grant(&params, &app, secret_checked).await,
            "refresh_token" => self.refresh_grant(&params, &app, secret_checked).await,
            _ => {
                self.client_credentials_grant(&params, &app, secret_checked)
                    .await
            }
        }
    }

    /// The client named by `client_id`, and whether a correct `client_secret` came with it. A
    /// wrong secret is always refused; a missing one only where the grant needs it.
    async fn client(&self, params: &Params<'_>) -> Result<(OAuthApp, bool), OAuthError> {
        let client_id = params.required("client_id")?;
        let app = self
            .store
            .oauth_app_by_client_id(client_id)
            .await?
            .ok_or_else(|| OAuthError::InvalidClient("The client_id is unknown.".into()))?;
        match params.optional("client_secret")? {
            Some(secret) if same_hash(&hash_token(secret), &app.secret_hash) => Ok((app, true)),
            Some(_) => Err(OAuthError::InvalidClient(
                "The client_secret is wrong for this client_id.".into(),
            )),
            None => Ok((app, false)),
        }
    }

    async fn code_grant(
        &self,
        params: &Params<'_>,
        app: &OAuthApp,
        secret_checked: bool,
    ) -> Result<IssuedToken, OAuthError> {
        let code = params.required("code")?;
        let stored = self
            .store
            .oauth_code_by_hash(&hash_token(code))
            .await?
            .filter(|stored| stored.app_id == app.id)
            .ok_or_else(|| {
                OAuthError::InvalidGrant(
                    "The authorization code is not valid for this client.".into(),
                )
            })?;
        if stored.used_at.is_some() {
            self.store.revoke_oauth_tokens_of_code(stored.id).await?;
            return Err(OAuthError::InvalidGrant(
                "This authorization code was already used; every token issued from it is now revoked."
                    .into(),
            ));
        }
        if stored.expires_at <= now_ms() {
            return Err(OAuthError::InvalidGrant(
                "The authorization code has expired (codes last 60 seconds). Start the authorization again."
                    .into(),
            ));
        }
        // RFC 6749 section 4.1.3: the redirect_uri of the authorization request, if it named
        // one (the stored URI is empty when it did not: then any registered one may be sent).
        let redirect_uri = params.optional("redirect_uri")?;
        if let Some(given) = redirect_uri {
            let matches = match stored.redirect_uri.as_str() {
                "" => app.redirect_uris.iter().any(|uri| uri == given),
                named => given == named,
            };
            if !matches {
                return Err(OAuthError::InvalidGrant(
                    "The redirect_uri differs from the one in the authorization request.".into(),
                ));
            }
        }
        match (&stored.code_challenge, params.optional("code_verifier")?) {
            (Some(challenge), Some(verifier)) => {
                if !same_hash(&s256(verifier), challenge) {
                    return Err(OAuthError::InvalidGrant(
                        "The code_verifier does not match the code_challenge.".into(),
                    ));
                }
            }
            (Some(_), None) => {
                return Err(OAuthError::InvalidRequest(
                    "The parameter code_verifier is missing (the authorization used PKCE).".into(),
                ))
            }
            (None, _) if !secret_checked => {
                return Err(OAuthError::InvalidClient(
                    "The client_secret is missing; it is required without PKCE.".into(),
                ))
            }
            (None, _) => {}
        }
        if redirect_uri.is_none() && !stored.redirect_uri.is_empty() {
            return Err(OAuthError::InvalidRequest(
                "The parameter redirect_uri is missing; send the one the authorization request named."
                    .into(),
            ));
        }
        if !self.store.consume_oauth_code(stored.id).await? {
            self.store.revoke_oauth_tokens_of_code(stored.id).await?;
            return Err(OAuthError::InvalidGrant(
                "This authorization code was already used; every token issued from it is now revoked."
                    .into(),
            ));
        }
        self.issue(
            app,
            Some(stored.user_id),
            Some(stored.id),
            !secret_checked,
            Scopes::parse_lenient(&stored.scopes),
            true,
        )
        .await
    }

    async fn refresh_grant(
        &self,
        params: &Params<'_>,
        app: &OAuthApp,
        secret_checked: bool,
    ) -> Result<IssuedToken, OAuthError> {
        let refresh_token = params.required("refresh_token")?;
        let stored = self
            .store
            .oauth_token_by_refresh(&hash_token(refresh_token))
            .await?
            .filter(|stored| stored.app_id == app.id)
            .ok_or_else(|| {
                OAuthError::InvalidGrant("The refresh token is not valid for this client.".into())
            })?;
        if !stored.refresh_active(now_ms()) {
            return Err(OAuthError::InvalidGrant(
                "The refresh token was revoked, already used, or has expired.".into(),
            ));
        }
        if !stored.public_client && !secret_checked {
            return Err(OAuthError::InvalidClient(
                "The client_secret is missing; this client must authenticate to refresh.".into(),
            ));
        }
        let granted = Scopes::parse_lenient(&stored.scopes);
        let scopes = match params.optional("scope")? {
            Some(requested) => {
                let requested = Scopes::parse(requested)
                    .map_err(|error| OAuthError::InvalidScope(error.to_string()))?;
                if !granted.covers(requested) {
                    return Err(OAuthError::InvalidScope(
                        "A refresh can only keep or narrow the scopes originally granted.".into(),
                    ));
                }
                requested
            }
            None => granted,
        };
        if !self.store.revoke_oauth_token(stored.id).await? {
            return Err(OAuthError::InvalidGrant(
                "The refresh token was revoked, already used, or has expired.".into(),
            ));
        }
        self.issue(
            app,
            stored.user_id,
            stored.code_id,
            stored.public_client,
            scopes,
            true,
        )
        .await
    }

    async fn client_credentials_grant(
        &self,
        params: &Params<'_>,
        app: &OAuthApp,
        secret_checked: bool,
    ) -> Result<IssuedToken, OAuthError> {
        if !secret_checked {
            return Err(OAuthError::InvalidClient(
                "The client_secret is missing; client_credentials needs it.".into(),
            ));
        }
        if self
            .store
            .active_platform_ban(app.owner_id)
            .await?
            .is_some()
        {
            return Err(OAuthError::InvalidClient(
                "The application's owner is banned from the platform.".into(),
            ));
        }
        let scopes = match params.optional("scope")? {
            Some(requested) => Scopes::parse(requested)
                .map_err(|error| OAuthError::InvalidScope(error.to_string()))?,
            None => default_client_scopes(),
        };
        let scopes = if scopes.is_empty() {
            default_client_scopes()
        } else {
            scopes
        };
        self.issue(app, None, None, false, scopes, false).await
    }

    async fn issue(
        &self,
        app: &OAuthApp,
        user_id: Option<i64>,
        code_id: Option<i64>,
        public_client: bool,
        scopes: Scopes,
        with_refresh: bool,
    ) -> Result<IssuedToken, OAuthError> {
        let access_token = random_credential(64);
        let refresh_token = with_refresh.then(|| random_credential(64));
        let now = now_ms();
        let refresh_hash = refresh_token.as_deref().map(hash_token);
        let stored: OAuthToken = self
            .store
            .create_oauth_token(&NewOAuthToken {
                access_hash: &hash_token(&access_token),
                refresh_hash: refresh_hash.as_deref(),
                app_id: app.id,
                user_id,
                code_id,
                public_client,
                scopes: &scopes.to_string(),
                expires_at: now + ACCESS_LIFETIME.as_millis() as i64,
                refresh_expires_at: with_refresh.then(|| now + REFRESH_LIFETIME.as_millis() as i64),
            })
            .await?;
        Ok(IssuedToken {
            access_token,
            refresh_token,
            scopes,
            created_at: stored.created_at,
            expires_in: ACCESS_LIFETIME.as_secs() as i64,
        })
    }

    /// The stored token an access or refresh token names, if it belongs to `app`, and whether
    /// it was named by its refresh token.
    async fn token_of_app(
        &self,
        token: &str,
        app: &OAuthApp,
    ) -> Result<Option<(OAuthToken, bool)>, OAuthError> {
        let hash = hash_token(token);
        let stored = match self.store.oauth_token_by_access(&hash).await? {
            Some(stored) => Some((stored, false)),
            None => self
                .store
                .oauth_token_by_refresh(&hash)
                .await?
                .map(|stored| (stored, true)),
        };
        Ok(stored.filter(|(stored, _)| stored.app_id == app.id))
    }

    /// Handles `POST /api/oauth/revoke`: revokes an access or refresh token (both halves) of the
    /// calling client. Unknown tokens succeed silently, as RFC 7009 asks.
    pub async fn revoke_token(
        &self,
        parameters: &HashMap<String, String>,
        client_ip: IpAddr,
    ) -> Result<(), OAuthError> {
        self.oauth_limits.check_ip(client_ip).await?;
        let params = Params(parameters);
        let token = params.required("token")?;
        let (app, _) = self.client(&params).await?;
        self.oauth_limits.check_app(app.id).await?;
        if let Some((stored, _)) = self.token_of_app(token, &app).await? {
            self.store.revoke_oauth_token(stored.id).await?;
        }
        Ok(())
    }

    /// Handles `POST /api/oauth/introspect`: what a token of the calling (authenticated) client
    /// grants. Tokens of other clients are reported inactive.
    pub async fn introspect_token(
        &self,
        parameters: &HashMap<String, String>,
        client_ip: IpAddr,
    ) -> Result<Introspection, OAuthError> {
        self.oauth_limits.check_ip(client_ip).await?;
        let params = Params(parameters);
        let token = params.required("token")?;
        let (app, secret_checked) = self.client(&params).await?;
        if !secret_checked {
            return Err(OAuthError::InvalidClient(
                "The client_secret is missing; introspection needs it.".into(),
            ));
        }
        self.oauth_limits.check_app(app.id).await?;
        let now = now_ms();
        let Some((stored, by_refresh)) =
            self.token_of_app(token, &app)
                .await?
                .filter(|(stored, by_refresh)| match by_refresh {
                    true => stored.refresh_active(now),
                    false => stored.access_active(now),
                })
        else {
            return Ok(Introspection::default());
        };
        let username = match stored.user_id {
            Some(user_id) => self
                .store
                .user_by_id(user_id)
                .await?
                .map(|user| user.username),
            None => None,
        };
        Ok(Introspection {
            active: true,
            scopes: Some(Scopes::parse_lenient(&stored.scopes)),
            client_id: Some(app.client_id.clone()),
            username,
            user_id: stored.user_id,
            expires_at: Some(match (by_refresh, stored.refresh_expires_at) {
                (true, Some(refresh_expires_at)) => refresh_expires_at / 1000,
                _ => stored.expires_at / 1000,
            }),
            issued_at: Some(stored.created_at / 1000),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        assert_eq!(
            s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn default_client_scopes_leave_out_the_stream_key() {
        let scopes = default_client_scopes();
        assert!(scopes.contains(Scope::Chat) && !scopes.contains(Scope::Streamkey));
    }
}
