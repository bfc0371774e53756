//! The layers every request passes through, outermost first: request id, tracing, panic
//! catching, metrics, security headers, then sessions and CSRF checks, then the count of pages
//! seen for the site's analytics.

mod analytics;
pub mod metrics;
mod request_id;
pub mod security_headers;
mod session;

use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::AppState;

pub(crate) use session::{
    session_removal_cookie, LOCALE_COOKIE, MATURE_COOKIE, SESSION_COOKIE, THEME_COOKIE,
    TIMESTAMPS_COOKIE, VISITOR_CSRF_COOKIE,
};

pub fn wrap(router: Router, state: AppState) -> Router {
    let strict_transport = security_headers::strict_transport(state.config.secure_cookies);
    let playback_origins = state.config.playback_origins.clone();
    router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            analytics::count,
        ))
        .layer(axum::middleware::from_fn_with_state(state, session::attach))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(
                    request_id::HEADER.clone(),
                    request_id::RandomId,
                ))
                .layer(TraceLayer::new_for_http().make_span_with(request_id::span))
                .layer(PropagateRequestIdLayer::new(request_id::HEADER.clone()))
                .layer(CatchPanicLayer::custom(crate::error::panic_response))
                .layer(axum::middleware::from_fn(metrics::record))
                .layer(axum::middleware::from_fn_with_state(
                    playback_origins,
                    security_headers::widen_connect_src,
                ))
                .layer(security_headers::layer())
                .layer(strict_transport),
        )
}
