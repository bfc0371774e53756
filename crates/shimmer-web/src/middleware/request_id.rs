//! A random id per request, returned in `x-request-id` and attached to every log line of it.

use axum::http::{HeaderName, Request};
use tower_http::request_id::{MakeRequestId, RequestId};

pub static HEADER: HeaderName = HeaderName::from_static("x-request-id");

#[derive(Clone, Copy)]
pub struct RandomId;

impl MakeRequestId for RandomId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        shimmer_platform::random_token(12)
            .parse()
            .ok()
            .map(RequestId::new)
    }
}

pub fn span<B>(request: &Request<B>) -> tracing::Span {
    let request_id = request
        .headers()
        .get(&HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %request_id,
    )
}
