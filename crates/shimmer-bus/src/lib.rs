//! The platform's event bus.
//!
//! Every state transition that other parts of Shimmer care about (a stream started, a channel's
//! settings changed, a viewer joined) is published here as a typed [`Event`]. Pages, the API's
//! subscriptions and the player listen instead of polling the database.
//!
//! Two implementations share the [`Bus`] trait: [`InProcessBus`] for the single-binary deployment
//! and [`NatsBus`] for deployments split over several nodes. A publish that returns `Ok` for a
//! chat message means the message is stored on the bus and every node will see it, also after
//! an outage of the NATS server; an `Err` means it was not delivered and the sender must be
//! told.

pub mod chat;
mod event;
mod in_process;
mod nats;

use async_trait::async_trait;
use futures::stream::BoxStream;

pub use event::{Event, StreamEndReason};
pub use in_process::InProcessBus;
pub use nats::NatsBus;

/// Why the bus could not carry an event.
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("could not connect to NATS at {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("could not publish to the bus: {0}")]
    Publish(String),
    #[error("could not subscribe to the bus: {0}")]
    Subscribe(String),
    /// The bus is disconnected; nothing was published.
    #[error("the bus is disconnected")]
    Disconnected,
}

/// Whether the bus can carry events to other nodes right now, for `/healthz` and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct BusHealth {
    /// `in_process` or `nats`.
    pub backend: &'static str,
    pub connected: bool,
    /// Connections lost since start-up.
    pub disconnects: u64,
}

/// A stream of events as a subscriber sees them.
pub type EventStream = BoxStream<'static, Event>;

/// Publish and subscribe to platform events.
///
/// Publishing never waits for subscribers: a subscriber that falls behind loses the oldest events
/// (and is told so through a log line) rather than slowing the publisher down.
#[async_trait]
pub trait Bus: Send + Sync + 'static {
    /// Hands an event to every current subscriber, on this node and (for NATS) on the others.
    async fn publish(&self, event: Event) -> Result<(), BusError>;
    /// Every event published from now on, in publication order per publisher.
    async fn subscribe(&self) -> Result<EventStream, BusError>;
    /// The bus's connection state.
    fn health(&self) -> BusHealth {
        BusHealth {
            backend: "in_process",
            connected: true,
            disconnects: 0,
        }
    }
}
