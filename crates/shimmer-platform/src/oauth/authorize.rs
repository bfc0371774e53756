//! The authorization step: checking a client's request, issuing a one-minute code when the
//! signed-in user approves, and the user's list of apps they authorized (with revocation).
//!
//! Nothing is kept between showing the consent page and the user's answer: the answer carries
//! the request's parameters again and they are checked again.

use shimmer_store::{now_ms, NewOAuthCode, OAuthApp, User};

use super::{random_credential, Scope, Scopes, CODE_LIFETIME};
use crate::{hash_token, Platform, PlatformError};

/// The parameters of `GET /oauth/authorize` (and of the consent form that answers it).
#[derive(Debug, Clone, Default)]
pub struct AuthorizeParams {
    pub client_id: String,
    pub redirect_uri: String,
    pub response_type: String,
    pub scope: String,
    pub state: String,
    pub code_challenge: String,
    pub code_challenge_method: String,
}

/// A checked authorization request, ready for the user's answer.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    pub app: OAuthApp,
    /// Where the browser returns: the one given, or the app's only registered URI.
    pub redirect_uri: String,
    /// Whether the request named `redirect_uri`; if it did, the code exchange must name the
    /// same one (RFC 6749 section 4.1.3).
    pub redirect_uri_given: bool,
    pub scopes: Scopes,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
}

/// Why an authorization request cannot go ahead.
#[derive(Debug, thiserror::Error)]
pub enum AuthorizeError {
    /// The client or redirect URI cannot be trusted, so the user is told on our own page and
    /// never sent anywhere.
    #[error("{0}")]
    Page(String),
    /// The client is known and the redirect URI registered: the error goes back to it.
    #[error("{description}")]
    Redirect {
        redirect_uri: String,
        error: &'static str,
        description: String,
        state: Option<String>,
    },
    #[error(transparent)]
    Internal(#[from] PlatformError),
}

/// One app a user has authorized, with every scope its live tokens carry.
#[derive(Debug, Clone)]
pub struct AuthorizedApp {
    pub app: OAuthApp,
    pub scopes: Scopes,
    /// When the newest live token was issued (milliseconds since the epoch).
    pub last_granted_at: i64,
}

const MAX_STATE: usize = 1024;

/// `base` with the query parameters appended (keeping any it already has).
fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(base) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(pairs);
            url.to_string()
        }
        Err(_) => base.to_owned(),
    }
}

impl AuthorizeRequest {
    /// Where the browser goes when the user denies access.
    pub fn denied_redirect(&self) -> String {
        redirect_error(
            &self.redirect_uri,
            "access_denied",
            "The user denied access to the application.",
            self.state.as_deref(),
        )
    }
}

/// The redirect carrying an error back to the client.
pub fn redirect_error(
    redirect_uri: &str,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> String {
    let mut pairs = vec![("error", error), ("error_description", description)];
    if let Some(state) = state {
        pairs.push(("state", state));
    }
    with_query(redirect_uri, &pairs)
}

impl Platform {
    /// Checks an authorization request: the client must exist and the redirect URI match one it
    /// registered exactly (or be left out when it registered exactly one); those failures are
    /// shown to the user. Later failures go back to the client's redirect URI.
    pub async fn check_authorize(
        &self,
        params: &AuthorizeParams,
    ) -> Result<AuthorizeRequest, AuthorizeError> {
        let client_id = params.client_id.trim();
        if client_id.is_empty() {
            return Err(AuthorizeError::Page(
                "The application's link is incomplete: it does not say which application (client_id) is asking."
                    .into(),
            ));
        }
        let app = match client_id.len() {
            0..=128 => self.store.oauth_app_by_client_id(client_id).await.map_err(PlatformError::from)?,
            _ => None,
        }
        .ok_or_else(|| {
            AuthorizeError::Page(
                "No application has that client_id. The link you followed may be wrong or the application deleted."
                    .into(),
            )
        })?;
        let redirect_uri_given = !params.redirect_uri.trim().is_empty();
        let redirect_uri = match params.redirect_uri.trim() {
            "" if app.redirect_uris.len() == 1 => app.redirect_uris[0].clone(),
            "" => {
                return Err(AuthorizeError::Page(
                    "The application's link does not say where to return (redirect_uri).".into(),
                ))
            }
            given if app.redirect_uris.iter().any(|uri| uri == given) => given.to_owned(),
            _ => {
                return Err(AuthorizeError::Page(
                    "The redirect_uri is not one the application registered, so we will not send you there."
                        .into(),
                ))
            }
        };
        let state = (!params.state.is_empty()).then(|| params.state.clone());
        let refuse = |error: &'static str, description: String| AuthorizeError::Redirect {
            redirect_uri: redirect_uri.clone(),
            error,
            description,
            state: state.clone(),
        };
        if state.as_ref().is_some_and(|state| state.len() > MAX_STATE) {
            return Err(refuse(
                "invalid_request",
                format!("The state parameter can be at most {MAX_STATE} bytes."),
            ));
        }
        // RFC 6749 4.1.2.1: with a trusted redirect URI, even an unsupported flow (the implicit
        // grant, response_type=token) is refused by redirecting back with the state.
        match params.response_type.as_str() {
            "code" => {}
            "" => {
                return Err(refuse(
                    "invalid_request",
                    "The parameter response_type is missing; use response_type=code.".into(),
                ))
            }
            _ => {
                return Err(refuse(
                    "unsupported_response_type",
                    "Only response_type=code is supported; the implicit flow (response_type=token) is not offered."
                        .into(),
                ))
            }
        }
        let scopes = Scopes::parse(&params.scope)
            .map_err(|error| refuse("invalid_scope", error.to_string()))?;
        let scopes = if scopes.is_empty() {
            Scopes::only(Scope::Public)
        } else {
            scopes
        };
        let code_challenge = match (
            params.code_challenge.as_str(),
            params.code_challenge_method.as_str(),
        ) {
            ("", "") => None,
            (challenge, "S256")
                if challenge.len() == 43
                    && challenge.bytes().all(|byte| {
                        byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'
                    }) =>
            {
                Some(challenge.to_owned())
            }
            (_, "S256") => return Err(refuse(
                "invalid_request",
                "The code_challenge must be the 43-character base64url SHA-256 of the verifier."
                    .into(),
            )),
            _ => {
                return Err(refuse(
                    "invalid_request",
                    "Only the S256 code_challenge_method is supported, with a code_challenge."
                        .into(),
                ))
            }
        };
        Ok(AuthorizeRequest {
            app,
            redirect_uri,
            redirect_uri_given,
            scopes,
            state,
            code_challenge,
        })
    }

    /// The user approved: issues a one-minute code and returns where to send the browser.
    pub async fn approve_authorization(
        &self,
        user: &User,
        request: &AuthorizeRequest,
    ) -> Result<String, PlatformError> {
        let code = random_credential(48);
        self.store
            .create_oauth_code(&NewOAuthCode {
                code_hash: &hash_token(&code),
                app_id: request.app.id,
                user_id: user.id,
                // Empty when the request named none: then the exchange need not name one.
                redirect_uri: if request.redirect_uri_given {
                    &request.redirect_uri
                } else {
                    ""
                },
                scopes: &request.scopes.to_string(),
                code_challenge: request.code_challenge.as_deref(),
                expires_at: now_ms() + CODE_LIFETIME.as_millis() as i64,
            })
            .await?;
        let expires_in = CODE_LIFETIME.as_secs().to_string();
        let mut pairs = vec![("code", code.as_str()), ("expires_in", expires_in.as_str())];
        if let Some(state) = &request.state {
            pairs.push(("state", state));
        }
        Ok(with_query(&request.redirect_uri, &pairs))
    }

    /// The apps the user has authorized that still hold a usable token.
    pub async fn authorized_apps(&self, user: &User) -> Result<Vec<AuthorizedApp>, PlatformError> {
        let mut apps: Vec<AuthorizedApp> = Vec::new();
        for grant in self.store.oauth_grants_of_user(user.id).await? {
            let scopes = Scopes::parse_lenient(&grant.scopes);
            if let Some(existing) = apps.iter_mut().find(|app| app.app.id == grant.app_id) {
                existing.scopes = existing.scopes.union(scopes);
                continue;
            }
            if let Some(app) = self.store.oauth_app(grant.app_id).await? {
                apps.push(AuthorizedApp {
                    app,
                    scopes,
                    last_granted_at: grant.created_at,
                });
            }
        }
        Ok(apps)
    }

    /// Revokes every token the user granted the app. Only the user's own grants are touched.
    pub async fn revoke_authorization(
        &self,
        user: &User,
        app_id: i64,
    ) -> Result<u64, PlatformError> {
        Ok(self.store.revoke_oauth_grant(user.id, app_id).await?)
    }
}
