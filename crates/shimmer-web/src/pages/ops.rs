//! Operational endpoints (`/healthz`, `/metrics`), the theme preference, and the 404 page.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::{Cookie, SameSite};
use metrics_exporter_prometheus::PrometheusHandle;
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::error::WebError;
use crate::forms::ParsedForm;
use crate::middleware::{LOCALE_COOKIE, THEME_COOKIE};
use crate::AppState;

/// How long the health check waits for the database before answering 503.
const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(Deserialize)]
pub struct HealthQuery {
    detail: Option<String>,
}

/// `ok` (200) while the database answers, else 503 at once. With `?detail` (or when JSON is
/// asked for), a JSON body with the database's and the bus's state: a bus outage leaves the
/// node serving pages, so it shows there and in metrics rather than failing the check.
pub async fn healthz(
    State(state): State<AppState>,
    Query(query): Query<HealthQuery>,
    headers: HeaderMap,
) -> Response {
    let database = match tokio::time::timeout(HEALTH_TIMEOUT, state.platform.check_database()).await
    {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err("no answer within 2 s".to_owned()),
    };
    if let Err(error) = &database {
        tracing::warn!(%error, "health check failed: the database is unavailable");
    }
    let status = if database.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"));
    if query.detail.is_none() && !wants_json {
        let body = if database.is_ok() {
            "ok\n"
        } else {
            "database unavailable\n"
        };
        return (status, body).into_response();
    }
    let bus = state.platform.bus.health();
    let detail = serde_json::json!({
        "status": match (&database, bus.connected) {
            (Err(_), _) => "unavailable",
            (Ok(()), false) => "degraded",
            (Ok(()), true) => "ok",
        },
        "database": match &database {
            Ok(()) => serde_json::json!({ "ok": true }),
            Err(error) => serde_json::json!({ "ok": false, "error": error }),
        },
        "bus": bus,
    });
    (status, axum::Json(detail)).into_response()
}

/// `/metrics` on the site itself: with `metrics_token` set, for requests bearing it; otherwise
/// only in development mode. Production scrapes the metrics listener (`metrics_bind`).
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let allowed = match &state.config.metrics_token {
        Some(token) => bearer_matches(&headers, token),
        None => state.config.dev_mode,
    };
    match (&state.config.metrics_token, allowed) {
        (_, true) => prometheus_text(state.metrics.as_ref()),
        (Some(_), false) => token_required(),
        (None, false) => WebError::NotFound.into_response(),
    }
}

fn token_required() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
        "metrics need the bearer token configured as metrics_token\n",
    )
        .into_response()
}

/// Whether `Authorization: Bearer <token>` carries exactly `token` (compared in constant time).
fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        })
        .is_some_and(|(_, given)| bool::from(given.trim().as_bytes().ct_eq(token.as_bytes())))
}

fn prometheus_text(handle: Option<&PrometheusHandle>) -> Response {
    match handle {
        Some(handle) => {
            // Sampled when scraped: soak runs watch the task count stay flat over hours.
            let tasks = tokio::runtime::Handle::current()
                .metrics()
                .num_alive_tasks();
            metrics::gauge!("shimmer_runtime_alive_tasks").set(tasks as f64);
            (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; version=0.0.4"),
                )],
                handle.render(),
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "metrics are not enabled\n").into_response(),
    }
}

/// The metrics listener's whole site: `GET /metrics`, behind the bearer token when one is
/// configured. It is meant for a private address (`metrics_bind`, loopback by default).
pub fn metrics_router(handle: Option<PrometheusHandle>, token: Option<String>) -> Router {
    let token = Arc::new(token);
    Router::new().route(
        "/metrics",
        get(move |headers: HeaderMap| {
            let handle = handle.clone();
            let token = token.clone();
            async move {
                match token.as_deref() {
                    Some(token) if !bearer_matches(&headers, token) => token_required(),
                    _ => prometheus_text(handle.as_ref()),
                }
            }
        }),
    )
}

#[derive(Deserialize)]
pub struct ThemeForm {
    #[serde(default)]
    theme: String,
}

/// Remembers the theme in a cookie (for visitors and users alike; users' saved preferences
/// too) and returns to the page.
pub async fn set_theme(
    State(state): State<AppState>,
    context: crate::context::RequestContext,
    headers: HeaderMap,
    ParsedForm(form): ParsedForm<ThemeForm>,
) -> Result<Response, WebError> {
    let theme = match form.theme.as_str() {
        "light" | "dark" | "system" => form.theme,
        _ => return Err(WebError::bad_request(context.t("error-theme"))),
    };
    if let Some(user) = context.user() {
        let mut preferences = state.platform.preferences(user.id).await?;
        preferences.theme = theme.clone();
        state
            .platform
            .save_preferences(user.id, &preferences)
            .await?;
    }
    let cookie = Cookie::build((THEME_COOKIE, theme))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies)
        .max_age(time::Duration::days(365))
        .build();
    let mut response = Redirect::to(&same_site_referer(&headers)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct LocaleForm {
    #[serde(default)]
    locale: String,
}

/// The footer's language menu: remembers the language in a cookie (and in a signed-in
/// person's saved preferences) and returns to the page, now in that language.
pub async fn set_locale(
    State(state): State<AppState>,
    context: crate::context::RequestContext,
    headers: HeaderMap,
    ParsedForm(form): ParsedForm<LocaleForm>,
) -> Result<Response, WebError> {
    let locale = shimmer_i18n::Locale::from_tag(&form.locale)
        .ok_or_else(|| WebError::bad_request(context.t("error-locale")))?;
    if let Some(user) = context.user() {
        let mut preferences = state.platform.preferences(user.id).await?;
        preferences.locale = locale.code().to_owned();
        state
            .platform
            .save_preferences(user.id, &preferences)
            .await?;
    }
    let cookie = Cookie::build((LOCALE_COOKIE, locale.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies)
        .http_only(true)
        .max_age(time::Duration::days(365))
        .build();
    let mut response = Redirect::to(&same_site_referer(&headers)).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// The path of the referring page when it is on this site, else the home page: never a
/// redirect to somewhere else.
fn same_site_referer(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    headers
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|referer| {
            let rest = referer
                .strip_prefix("http://")
                .or_else(|| referer.strip_prefix("https://"))?;
            let path = rest.strip_prefix(host)?;
            (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_owned())
        })
        .unwrap_or_else(|| "/".to_owned())
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}
