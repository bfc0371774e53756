//! What the middleware learns about a request before the handler runs: who is signed in, the
//! CSRF token their forms must carry, the client's address, their theme and their language.

use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use shimmer_i18n::{Arg, Locale};
use shimmer_platform::accounts::SignedIn;

/// The visitor's colour theme; `System` follows the browser's preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn from_cookie(value: Option<&str>) -> Self {
        match value {
            Some("light") => Self::Light,
            Some("dark") => Self::Dark,
            _ => Self::System,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }
}

/// Per-request facts, inserted by the session middleware.
#[derive(Clone)]
pub struct RequestContext {
    pub signed_in: Option<SignedIn>,
    /// The token forms must echo: the session's when signed in, else the visitor cookie's.
    pub csrf_token: String,
    pub client_ip: IpAddr,
    pub theme: Theme,
    pub user_agent: String,
    /// Whether chat shows message times (preference cookie).
    pub chat_timestamps: bool,
    /// Whether mature channels open without the interstitial (preference cookie).
    pub show_mature: bool,
    /// Whether the site has money features on (pages show their links only then).
    pub payments: bool,
    /// The language pages are written in: the saved preference, else the browser's
    /// `Accept-Language`, else English.
    pub locale: Locale,
}

impl RequestContext {
    /// The context of a request that authenticates with a token, not a session: only the
    /// client's address is known.
    pub(crate) fn token_only(client_ip: IpAddr) -> Self {
        Self {
            signed_in: None,
            csrf_token: String::new(),
            client_ip,
            theme: Theme::from_cookie(None),
            user_agent: String::new(),
            chat_timestamps: false,
            show_mature: false,
            payments: false,
            locale: Locale::En,
        }
    }

    /// The message `key` in the visitor's language.
    pub fn t(&self, key: &str) -> String {
        self.locale.t(key)
    }

    /// The message `key` with arguments, in the visitor's language.
    pub fn message(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.locale.message(key, args)
    }

    pub fn user(&self) -> Option<&shimmer_platform::UserView> {
        self.signed_in.as_ref().map(|signed_in| &signed_in.user)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or((StatusCode::INTERNAL_SERVER_ERROR, "request context missing"))
    }
}
