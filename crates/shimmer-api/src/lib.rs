//! Shimmer's Glimesh-compatible public API.
//!
//! Two GraphQL endpoints over one domain: the current API at `/api/graph` (Relay connections)
//! and the legacy API at `/api` (plain lists, its own argument names), each also reachable over
//! WebSockets speaking Phoenix channels (as Glimesh's Absinthe server did) or the standard
//! `graphql-transport-ws` protocol. Documents are normalised to Absinthe's naming rules before
//! they run ([`names`]), callers are authenticated through one seam ([`auth`]), and every
//! operation is rate limited per credential and measured.

pub mod auth;
mod events;
mod execute;
mod http;
mod limits;
pub mod names;
mod schema;
mod socket;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::{any, get};
use axum::Router;
use shimmer_platform::Platform;

use events::EventHub;
pub use schema::Api;

/// The client's address, as the site determined it (trusted proxies considered).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

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
}

/// Why the API could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the {api} GraphQL schema is inconsistent: {reason}")]
    Schema { api: &'static str, reason: String },
}

impl ApiState {
    /// Builds both schemas once; requests reuse them.
    pub fn new(platform: Platform, config: ApiConfig) -> Result<Self, ApiError> {
        let events = Arc::new(EventHub::default());
        let limits = schema::DocumentLimits {
            max_complexity: config.max_complexity,
            max_depth: config.max_depth,
        };
        let build = |api: Api| {
            schema::build(api, platform.clone(), events.clone(), limits).map_err(|error| {
                ApiError::Schema {
                    api: api.as_str(),
                    reason: error.0,
                }
            })
        };
        Ok(Self(Arc::new(Inner {
            graph: build(Api::Graph)?,
            legacy: build(Api::Legacy)?,
            limits: limits::RateLimits::new(config.requests_per_second, config.burst),
            platform,
            config,
            events,
        })))
    }

    /// Feeds subscriptions from the bus until it closes; `shimmer serve` spawns this.
    pub async fn follow_bus(self) {
        let bus = self.0.platform.bus.clone();
        self.0.events.clone().follow(bus).await;
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
