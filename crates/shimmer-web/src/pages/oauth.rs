//! The OAuth2 endpoints: the token, revoke and introspect API (JSON, parameters from the query
//! string and/or the body, as Glimesh clients send them) and the browser's consent page.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine;
use serde::Serialize;
use shimmer_platform::oauth::{naive_utc, IssuedToken, OAuthError};

use crate::context::RequestContext;
use crate::AppState;

/// Token requests are small; anything larger is refused before parsing.
const MAX_BODY: usize = 16 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/oauth/token", post(token))
        .route("/api/oauth/revoke", post(revoke))
        .route("/api/oauth/introspect", post(introspect))
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// The token response exactly as Glimesh clients parse it.
#[derive(Serialize)]
struct TokenJson {
    access_token: String,
    created_at: String,
    expires_in: i64,
    refresh_token: Option<String>,
    scope: String,
    token_type: &'static str,
}

impl From<IssuedToken> for TokenJson {
    fn from(token: IssuedToken) -> Self {
        Self {
            access_token: token.access_token,
            created_at: naive_utc(token.created_at),
            expires_in: token.expires_in,
            refresh_token: token.refresh_token,
            scope: token.scopes.to_string(),
            token_type: "bearer",
        }
    }
}

#[derive(Serialize)]
struct IntrospectionJson {
    active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exp: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    iat: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_type: Option<&'static str>,
}

/// Headers every OAuth API answer carries: never cached, readable from any origin.
fn api_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

fn error_response(error: OAuthError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let description = match &error {
        OAuthError::Internal(internal) => {
            tracing::error!(error = %internal, "OAuth request failed");
            "Something went wrong on our side. Please try again in a moment.".to_owned()
        }
        other => other.to_string(),
    };
    let mut response = (
        status,
        Json(serde_json::json!({"error": error.code(), "error_description": description})),
    )
        .into_response();
    if let OAuthError::RateLimited { retry_after, .. } = &error {
        if let Ok(value) = HeaderValue::from_str(&retry_after.as_secs().max(1).to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    api_headers(response)
}

/// Every parameter of a token-endpoint request: the query string, then the body (a form, or a
/// JSON object, whatever the content type says), then HTTP Basic client credentials for
/// whichever of client_id and client_secret are still missing.
fn parameters(
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<HashMap<String, String>, OAuthError> {
    let unreadable =
        |what: &str| OAuthError::InvalidRequest(format!("The {what} could not be read."));
    let mut parameters: HashMap<String, String> = HashMap::new();
    let mut put = |key: String, value: String| {
        if !value.is_empty() || !parameters.contains_key(&key) {
            parameters.insert(key, value);
        }
    };
    if let Some(query) = uri.query() {
        for (key, value) in serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .map_err(|_| unreadable("query string"))?
        {
            put(key, value);
        }
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"))
        || body.trim_ascii_start().starts_with(b"{");
    if is_json {
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).map_err(|_| unreadable("JSON body"))?;
        for (key, value) in object {
            match value {
                serde_json::Value::String(text) => put(key, text),
                serde_json::Value::Number(number) => put(key, number.to_string()),
                serde_json::Value::Bool(flag) => put(key, flag.to_string()),
                _ => {}
            }
        }
    } else if !body.trim_ascii().is_empty() {
        for (key, value) in serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .map_err(|_| unreadable("form body"))?
        {
            put(key, value);
        }
    }
    if let Some((client_id, client_secret)) = basic_credentials(headers) {
        parameters.entry("client_id".into()).or_insert(client_id);
        parameters
            .entry("client_secret".into())
            .or_insert(client_secret);
    }
    Ok(parameters)
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

async fn token(
    State(state): State<AppState>,
    context: RequestContext,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = match parameters(&uri, &headers, &body) {
        Ok(parameters) => {
            state
                .platform
                .exchange_token(&parameters, context.client_ip)
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(issued) => api_headers(Json(TokenJson::from(issued)).into_response()),
        Err(error) => error_response(error),
    }
}

async fn revoke(
    State(state): State<AppState>,
    context: RequestContext,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = match parameters(&uri, &headers, &body) {
        Ok(parameters) => {
            state
                .platform
                .revoke_token(&parameters, context.client_ip)
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => api_headers(StatusCode::OK.into_response()),
        Err(error) => error_response(error),
    }
}

async fn introspect(
    State(state): State<AppState>,
    context: RequestContext,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let result = match parameters(&uri, &headers, &body) {
        Ok(parameters) => {
            state
                .platform
                .introspect_token(&parameters, context.client_ip)
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(found) => api_headers(
            Json(IntrospectionJson {
                active: found.active,
                scope: found.scopes.map(|scopes| scopes.to_string()),
                client_id: found.client_id,
                username: found.username,
                sub: found.user_id,
                exp: found.expires_at,
                iat: found.issued_at,
                token_type: found.active.then_some("bearer"),
            })
            .into_response(),
        ),
        Err(error) => error_response(error),
    }
}
