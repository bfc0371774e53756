//! Shimmer's Glimesh-compatible public API.
//!
//! Two GraphQL endpoints over one domain: the current API at `/api/graph` (Relay connections)
//! and the legacy API at `/api` (plain lists, its own argument names), each also reachable over
//! WebSockets speaking Phoenix channels (as Glimesh's Absinthe server did) or the standard
//! `graphql-transport-ws` protocol. Documents are normalised to Absinthe's naming rules before
//! they run ([`names`]), callers are authenticated through one seam ([`auth`]), and every
//! operation is rate limited per credential and measured.

pub mod auth;
mod documents;
mod events;
mod execute;
mod http;
mod limits;
mod local_tasks;
pub mod names;
mod schema;
mod socket;
mod upload;

use std::sync::Arc;
use std::time::Duration;

use axum::routing::{any, get};
use axum::Router;
use futures::StreamExt;
use shimmer_images::LiveThumbnails;
use shimmer_platform::Platform;
use tokio_util::sync::CancellationToken;

use events::EventHub;
pub use schema::Api;

/// Limits and thresholds of the API, from the configuration.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Requests (HTTP requests and socket documents) per second per token or client id.
    pub requests_per_second: u32,
    /// Requests allowed at once before the per-second rate applies.
    pub burst: u32,
    /// Open subscriptions per socket.
    pub max_subscriptions_per_socket: usize,
    /// Largest request body or socket frame, in bytes.
    pub max_document_bytes: usize,
    /// Largest `multipart/form-data` body (a file upload such as `uploadStreamThumbnail`'s
    /// picture, with its operation), in bytes. Its document still obeys `max_document_bytes`.
    pub max_upload_bytes: usize,
    pub max_complexity: usize,
    pub max_depth: usize,
    /// Operations slower than this are logged.
    pub slow_operation: Duration,
    /// A socket with no inbound frame for this long is closed.
    pub socket_idle_timeout: Duration,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            requests_per_second: 50,
            burst: 100,
            max_subscriptions_per_socket: 50,
            max_document_bytes: 64 * 1024,
            max_upload_bytes: 2 * 1024 * 1024,
            max_complexity: 500,
            max_depth: 15,
            slow_operation: Duration::from_millis(500),
            socket_idle_timeout: Duration::from_secs(60),
        }
    }
}

/// Everything the API's handlers share. Cheap to clone.
#[derive(Clone)]
pub struct ApiState(Arc<Inner>);

struct Inner {
    platform: Platform,
    config: ApiConfig,
    graph: async_graphql::dynamic::Schema,
    legacy: async_graphql::dynamic::Schema,
    events: Arc<EventHub>,
    limits: limits::RateLimits,
    documents: documents::DocumentCache,
    thumbnails: Arc<LiveThumbnails>,
    /// Cancelled when the server shuts down: sockets close with "server restarting".
    shutdown: CancellationToken,
}

/// Why the API could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the {api} GraphQL schema is inconsistent: {reason}")]
    Schema { api: &'static str, reason: String },
}

impl ApiState {
    /// Builds both schemas once; requests reuse them. `thumbnails` is the set the website
    /// serves live thumbnails from, shared so that `uploadStreamThumbnail` shows on the cards.
    /// Cancelling `shutdown` closes every socket (close code 1012, "server restarting").
    pub fn new(
        platform: Platform,
        config: ApiConfig,
        thumbnails: Arc<LiveThumbnails>,
        shutdown: CancellationToken,
    ) -> Result<Self, ApiError> {
        let events = Arc::new(EventHub::default());
        let limits = schema::DocumentLimits {
            max_complexity: config.max_complexity,
            max_depth: config.max_depth,
        };
        let build = |api: Api| {
            let shared = schema::Shared {
                platform: platform.clone(),
                events: events.clone(),
                thumbnails: thumbnails.clone(),
            };
            schema::build(api, shared, limits).map_err(|error| ApiError::Schema {
                api: api.as_str(),
                reason: error.0,
            })
        };
        Ok(Self(Arc::new(Inner {
            graph: build(Api::Graph)?,
            legacy: build(Api::Legacy)?,
            limits: limits::RateLimits::new(&platform, config.requests_per_second, config.burst),
            documents: documents::DocumentCache::default(),
            platform,
            config,
            events,
            thumbnails,
            shutdown,
        })))
    }

    /// Feeds subscriptions from the bus until it closes, and forgets uploaded thumbnails when
    /// their stream ends however it ends; `shimmer serve` spawns this.
    pub async fn follow_bus(self) {
        let bus = self.0.platform.bus.clone();
        let ended = events::filtered(self.0.events.subscribe(), |event| match event {
            shimmer_bus::Event::StreamEnded {
                channel_id,
                stream_id,
                ..
            } => Some((*channel_id, *stream_id)),
            _ => None,
        });
        let thumbnails = self.0.thumbnails.clone();
        let forget = ended.for_each(move |(channel_id, stream_id)| {
            thumbnails.forget_stream(channel_id, stream_id);
            futures::future::ready(())
        });
        tokio::select! {
            () = self.0.events.clone().follow(bus) => {}
            () = forget => {}
        }
    }

    fn schema(&self, api: Api) -> &async_graphql::dynamic::Schema {
        match api {
            Api::Graph => &self.0.graph,
            Api::Legacy => &self.0.legacy,
        }
    }
}

/// The API's routes. `//api` is `/api`, as clients that join a base URL ending in `/` with
/// `/api` send it.
pub fn router(state: ApiState) -> Router {
    Router::new()
        .route("/api", any(http::legacy))
        .route("//api", any(http::legacy))
        .route("/api/graph", any(http::graph))
        .route("/api/socket/websocket", get(socket::legacy))
        .route("/api/graph/websocket", get(socket::graph))
        .with_state(state)
}
