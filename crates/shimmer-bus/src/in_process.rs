use async_trait::async_trait;
use futures::StreamExt;
use tokio::sync::broadcast;

use crate::{Bus, BusError, Event, EventStream};

/// How many events a slow subscriber may lag before it starts losing the oldest ones.
const CAPACITY: usize = 4096;

/// The bus of a single-process deployment: a broadcast channel.
#[derive(Clone)]
pub struct InProcessBus {
    sender: broadcast::Sender<Event>,
}

impl Default for InProcessBus {
    fn default() -> Self {
        Self::new()
    }
}

impl InProcessBus {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        Self { sender }
    }
}

#[async_trait]
impl Bus for InProcessBus {
    async fn publish(&self, event: Event) -> Result<(), BusError> {
        // An error only means nobody is listening right now, which is fine.
        let _ = self.sender.send(event);
        Ok(())
    }

    async fn subscribe(&self) -> Result<EventStream, BusError> {
        let receiver = self.sender.subscribe();
        Ok(broadcast_stream(receiver).boxed())
    }
}

/// Turns a broadcast receiver into a stream that logs and skips over lost events.
fn broadcast_stream(receiver: broadcast::Receiver<Event>) -> impl futures::Stream<Item = Event> {
    futures::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(event) => return Some((event, receiver)),
                Err(broadcast::error::RecvError::Lagged(lost)) => {
                    tracing::warn!(lost, "bus subscriber fell behind and lost events");
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_subscriber_sees_events_in_order() {
        let bus = InProcessBus::new();
        let mut first = bus.subscribe().await.unwrap();
        let mut second = bus.subscribe().await.unwrap();
        for channel_id in 1..=3 {
            bus.publish(Event::ChannelUpdated { channel_id })
                .await
                .unwrap();
        }
        for stream in [&mut first, &mut second] {
            for channel_id in 1..=3 {
                assert_eq!(
                    stream.next().await,
                    Some(Event::ChannelUpdated { channel_id })
                );
            }
        }
    }

    #[tokio::test]
    async fn a_lagging_subscriber_skips_ahead_instead_of_blocking() {
        let bus = InProcessBus::new();
        let mut slow = bus.subscribe().await.unwrap();
        for channel_id in 0..(CAPACITY as i64 + 10) {
            bus.publish(Event::ChannelUpdated { channel_id })
                .await
                .unwrap();
        }
        assert_eq!(
            slow.next().await,
            Some(Event::ChannelUpdated { channel_id: 10 })
        );
    }
}
