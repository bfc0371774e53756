//! The bus as the API's subscriptions hear it: one bus subscription per process, shared by every
//! socket through a broadcast channel, so a thousand subscribers cost one bus consumer.

use std::sync::Arc;

use futures::StreamExt;
use shimmer_bus::{Bus, Event};
use tokio::sync::broadcast;

/// How many events a slow subscription may lag before it skips ahead.
const CAPACITY: usize = 4096;

/// Platform events for the API's subscriptions.
pub struct EventHub {
    sender: broadcast::Sender<Arc<Event>>,
}

impl Default for EventHub {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
        }
    }
}

impl EventHub {
    /// Every event from now on. Subscribe before answering a subscribe request, so nothing
    /// published after the answer is missed.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.sender.subscribe()
    }

    /// Feeds the hub from the bus until the bus closes; `shimmer serve` spawns this.
    pub async fn follow(self: Arc<Self>, bus: Arc<dyn Bus>) {
        let mut events = match bus.subscribe().await {
            Ok(events) => events,
            Err(error) => {
                tracing::error!(%error, "API subscriptions cannot follow the bus");
                return;
            }
        };
        while let Some(event) = events.next().await {
            // An error only means no subscription is open right now.
            let _ = self.sender.send(Arc::new(event));
        }
    }
}

/// The events of one subscription, as a stream: those `keep` accepts. A subscription that falls
/// behind skips what it missed (and says so in the log) rather than slowing anyone down.
pub fn filtered<T: Send + 'static>(
    receiver: broadcast::Receiver<Arc<Event>>,
    keep: impl Fn(&Event) -> Option<T> + Send + 'static,
) -> impl futures::Stream<Item = T> + Send + 'static {
    futures::stream::unfold((receiver, keep), |(mut receiver, keep)| async move {
        loop {
            match receiver.recv().await {
                Ok(event) => {
                    if let Some(item) = keep(&event) {
                        return Some((item, (receiver, keep)));
                    }
                }
                Err(broadcast::error::RecvError::Lagged(lost)) => {
                    tracing::warn!(lost, "an API subscription fell behind and skipped events");
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
}
