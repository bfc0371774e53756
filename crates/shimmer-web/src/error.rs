//! How failures become responses: a readable page with the right status, never a bare 500 for
//! something the visitor can fix. Internal faults are logged with detail and shown vaguely.

use std::any::Any;

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use shimmer_i18n::Locale;
use shimmer_platform::PlatformError;

use crate::templates::{ErrorPage, PageContext};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Platform(#[from] PlatformError),
    #[error("page not found")]
    NotFound,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("{1}")]
    Status(StatusCode, String),
}

impl WebError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::Status(StatusCode::BAD_REQUEST, message.into())
    }
}

/// Marks a response as an error page, so the session middleware (which knows the visitor) can
/// render it again with the visitor's theme, language and account links.
#[derive(Debug, Clone)]
pub struct ErrorPageMarker {
    /// A catalogue key, or words already written for the visitor.
    pub message: String,
}

/// An error page without knowledge of the visitor; see [`ErrorPageMarker`]. `message` is a
/// catalogue key, or words already written for the visitor.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let mut response = render_error_page(
        status,
        message,
        PageContext::bare(title_for(Locale::En, status)),
    );
    response.extensions_mut().insert(ErrorPageMarker {
        message: message.to_owned(),
    });
    response
}

/// The error page's title for `status` in `locale`.
pub fn title_for(locale: Locale, status: StatusCode) -> String {
    let key = format!("status-{}", status.as_u16());
    match locale.t(&key) {
        title if title != key => title,
        _ => locale.t("error-title"),
    }
}

/// The error page for `status` within the given page context.
pub fn render_error_page(status: StatusCode, message: &str, page: PageContext) -> Response {
    let message = page.locale.words(message);
    let page = ErrorPage {
        page,
        status: status.as_u16(),
        message: &message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message).into_response(),
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            Self::NotFound => error_page(StatusCode::NOT_FOUND, "error-not-found"),
            Self::PayloadTooLarge => error_page(StatusCode::PAYLOAD_TOO_LARGE, "error-too-large"),
            Self::Status(status, message) => error_page(status, &message),
            Self::Platform(error) => platform_error(error),
        }
    }
}

fn platform_error(error: PlatformError) -> Response {
    let status = match &error {
        PlatformError::Unauthenticated => return Redirect::to("/users/login").into_response(),
        PlatformError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        PlatformError::NotFound(_) => StatusCode::NOT_FOUND,
        PlatformError::Forbidden | PlatformError::Denied(_) => StatusCode::FORBIDDEN,
        PlatformError::BadCredentials => StatusCode::UNAUTHORIZED,
        PlatformError::TokenUnusable { .. } => StatusCode::GONE,
        PlatformError::Refused(_) => StatusCode::CONFLICT,
        PlatformError::RateLimited { retry_after }
        | PlatformError::Throttled { retry_after, .. } => {
            let mut response = error_page(StatusCode::TOO_MANY_REQUESTS, &error.to_string());
            if let Ok(value) = HeaderValue::from_str(&retry_after.as_secs().max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
        PlatformError::Store(_) if error.is_unavailable() => {
            tracing::warn!(%error, "the database is unavailable");
            return database_unavailable();
        }
        PlatformError::Store(_) | PlatformError::Mail(_) | PlatformError::Internal(_) => {
            tracing::error!(%error, "request failed");
            return error_page(StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
        }
    };
    let message = match &error {
        PlatformError::Forbidden => "error-forbidden".to_owned(),
        PlatformError::BadCredentials => "error-bad-credentials".to_owned(),
        other => other.to_string(),
    };
    error_page(status, &message)
}

/// What a visitor sees while the database cannot be reached: 503 with a hint of when to come
/// back, at once rather than after a long wait.
pub fn database_unavailable() -> Response {
    let mut response = error_page(StatusCode::SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    response
}

/// The catalogue key of [`database_unavailable`]'s words.
pub const DATABASE_UNAVAILABLE: &str = "error-database";

/// The response when a handler panics: a 500 page instead of a dropped connection. The panic
/// itself is logged once, with its location, by the process's panic hook (the `shimmer`
/// binary's telemetry), so nothing is logged here.
pub fn panic_response(_panic: Box<dyn Any + Send + 'static>) -> Response {
    error_page(StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
}
