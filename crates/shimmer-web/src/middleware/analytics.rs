//! Counts the pages people see, for the site's first-party analytics: a successful HTML page
//! answered to a GET that is not a prefetch. The domain leaves automated clients out and keeps
//! neither the address nor the user agent (see `shimmer_platform::analytics`).

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use shimmer_http::ClientIp;

use crate::AppState;

pub async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let wanted = request.method() == Method::GET && !is_prefetch(request.headers());
    let client = request.extensions().get::<ClientIp>().copied();
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let response = next.run(request).await;
    if let (true, Some(ClientIp(address))) = (wanted && is_page(&response), client) {
        if let Err(error) = state.platform.count_page_view(address, &user_agent).await {
            tracing::warn!(%error, "could not count a page view");
        }
    }
    response
}

/// A browser fetching a page ahead of a click (it may never be shown).
fn is_prefetch(headers: &HeaderMap) -> bool {
    ["sec-purpose", "purpose", "x-moz"].iter().any(|name| {
        headers
            .get(*name)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.contains("prefetch") || value.contains("prerender"))
    })
}

fn is_page(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"))
}
