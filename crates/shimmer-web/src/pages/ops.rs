//! Operational endpoints (`/healthz`, `/metrics`), the theme preference, and the 404 page.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use crate::error::WebError;
use crate::forms::ParsedForm;
use crate::middleware::THEME_COOKIE;
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

pub async fn metrics(State(state): State<AppState>) -> Response {
    match &state.metrics {
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
        _ => {
            return Err(WebError::bad_request(
                "Choose a theme: light, dark or system.",
            ))
        }
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
