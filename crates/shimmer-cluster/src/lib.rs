//! Many machines: what lets Shimmer outgrow one node.
//!
//! - [`Roles`]: which parts a node runs (`shimmer serve --roles ingest,edge,web`).
//! - [`registry`]: nodes and live streams on NATS JetStream KV, each entry a lease its node
//!   renews, so a dead node's entries vanish by themselves.
//! - [`relay`]: the ingest → edge media relay (QUIC), which an edge uses to pull a channel on
//!   its first viewer; it never delays the ingest.
//! - [`routing`]: which edge serves a viewer.
//!
//! Everything else that crosses nodes (chat, moderation, live status, viewer counts) already
//! travels on the platform's bus (`shimmer-bus`), and shared state lives in PostgreSQL.

pub mod registry;
pub mod relay;
mod roles;
pub mod routing;

pub use roles::{Roles, RolesError};
