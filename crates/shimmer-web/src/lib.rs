//! Shimmer's website: the axum router with its middleware (request ids, metrics, sessions and
//! CSRF checks, security headers, body limits), the server-rendered pages and the embedded
//! static assets. Domain decisions live in `shimmer-platform`; this crate only translates HTTP.

mod assets;
pub mod chat;
mod conditional;
mod context;
mod error;
pub mod fanout;
mod forms;
mod middleware;

pub use middleware::security_headers::PlaybackOrigins;
mod pages;
mod templates;
mod viewer_identity;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;
use shimmer_platform::Platform;

pub use context::RequestContext;
pub use middleware::metrics::install_prometheus;
pub use pages::metrics_router;
pub use viewer_identity::viewer_identity;

/// Web settings from the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Development conveniences: the `/dev/mailbox` page that lists the outbox.
    pub dev_mode: bool,
    /// Where the outbox mailer writes, listed by `/dev/mailbox`.
    pub outbox_dir: PathBuf,
    /// Whether cookies get the `Secure` flag (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` is believed. Anyone else's is ignored.
    pub trusted_proxies: Vec<IpAddr>,
    /// Largest request body accepted by forms, in bytes.
    pub max_form_bytes: usize,
    /// The host name encoders should dial, shown next to the stream key.
    pub ingest_host: String,
    /// The FTL control port encoders should dial.
    pub ingest_port: u16,
    /// The RTMP port encoders should dial; `None` when RTMP ingest is off.
    pub rtmp_port: Option<u16>,
    /// The WHIP endpoint encoders post to (`<base URL>/api/whip`); `None` when WHIP ingest is off.
    pub whip_url: Option<String>,
    /// A bearer token that opens `/metrics` on the site (and on the metrics listener).
    pub metrics_token: Option<String>,
    /// Edges' origins the player may be redirected to (a cluster's), allowed in `connect-src`.
    pub playback_origins: middleware::security_headers::PlaybackOrigins,
    /// Origins of the payment processor's hosted pages (checkout, portal, onboarding), which
    /// the money forms redirect to; empty while payments are off.
    pub payment_page_origins: Vec<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            dev_mode: false,
            outbox_dir: PathBuf::from("shimmer-data/outbox"),
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            max_form_bytes: 64 * 1024,
            ingest_host: "127.0.0.1".into(),
            ingest_port: 8084,
            rtmp_port: Some(1935),
            whip_url: None,
            metrics_token: None,
            playback_origins: Default::default(),
            payment_page_origins: Vec::new(),
        }
    }
}

/// Everything a request handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub platform: Platform,
    pub config: Arc<WebConfig>,
    pub metrics: Option<PrometheusHandle>,
    /// Live frames per channel (chat, stream status); `shimmer serve` runs its bus feed
    /// (`Fanout::run`).
    pub fanout: Arc<fanout::Fanout>,
    /// Live channels' latest thumbnails and the placeholder; `shimmer serve` runs the
    /// thumbnailer that fills it.
    pub thumbnails: Arc<shimmer_images::LiveThumbnails>,
    /// Cancelled when the server begins shutting down: live-status streams end and chat
    /// sockets close with "server restarting", so the graceful shutdown never waits on them.
    pub shutdown: tokio_util::sync::CancellationToken,
}

/// The WebSocket close code for a server going down for a restart (RFC 6455 registry: 1012,
/// Service Restart); clients reconnect.
pub const CLOSE_RESTARTING: u16 = 1012;
/// The close reason sent with [`CLOSE_RESTARTING`], shown by the chat.
pub const CLOSE_RESTARTING_REASON: &str = "server restarting";

/// The whole site. `extra` routes (such as WHEP playback) are merged in before the middleware,
/// so they get request ids, metrics and security headers too.
pub fn router(state: AppState, extra: Router) -> Router {
    middleware::wrap(
        pages::routes().with_state(state.clone()).merge(extra),
        state,
    )
}

/// What a node without the web role serves over HTTP: `/healthz` and the `extra` routes (WHEP
/// on an edge, WHIP on an ingest node), with the same middleware as the site.
pub fn node_router(state: AppState, extra: Router) -> Router {
    let ops = Router::new()
        .route("/healthz", axum::routing::get(pages::ops::healthz))
        .with_state(state.clone());
    middleware::wrap(ops.merge(extra), state)
}
