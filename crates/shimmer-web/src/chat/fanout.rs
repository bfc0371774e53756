//! One bus subscription per node feeds per-channel broadcast channels of frames serialised
//! once, so a message costs one serialisation however many sockets are watching.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;
use futures::StreamExt;
use parking_lot::Mutex;
use shimmer_bus::{Bus, Event};
use tokio::sync::broadcast;

use super::protocol::ServerFrame;

/// Frames a slow socket may lag behind before it skips ahead.
const ROOM_CAPACITY: usize = 1024;

/// The chat frames of every channel with listeners on this node.
#[derive(Default)]
pub struct ChatFanout {
    rooms: Mutex<HashMap<i64, broadcast::Sender<Utf8Bytes>>>,
}

impl ChatFanout {
    /// A receiver of the channel's frames from now on.
    pub fn subscribe(&self, channel_id: i64) -> broadcast::Receiver<Utf8Bytes> {
        self.rooms
            .lock()
            .entry(channel_id)
            .or_insert_with(|| broadcast::channel(ROOM_CAPACITY).0)
            .subscribe()
    }

    fn deliver(&self, channel_id: i64, frame: &ServerFrame<'_>) {
        let mut rooms = self.rooms.lock();
        let Some(sender) = rooms.get(&channel_id) else {
            return;
        };
        if sender.receiver_count() == 0 {
            rooms.remove(&channel_id);
            return;
        }
        if let Ok(text) = serde_json::to_string(frame) {
            // Reference-counted: every socket's copy of the frame shares these bytes.
            let _ = sender.send(Utf8Bytes::from(text));
        }
    }

    /// Routes chat events from the bus to the rooms until the bus closes.
    pub async fn run(self: Arc<Self>, bus: Arc<dyn Bus>) {
        let mut events = match bus.subscribe().await {
            Ok(events) => events,
            Err(error) => {
                tracing::error!(%error, "chat fan-out could not subscribe to the bus");
                return;
            }
        };
        while let Some(event) = events.next().await {
            match &event {
                Event::ChatMessage {
                    channel_id,
                    message,
                } => {
                    self.deliver(*channel_id, &ServerFrame::Message { message });
                }
                Event::ChatMessagesHidden {
                    channel_id,
                    message_ids,
                    user_id,
                } => {
                    self.deliver(
                        *channel_id,
                        &ServerFrame::Hidden {
                            message_ids,
                            user_id: *user_id,
                        },
                    );
                }
                Event::ModerationAction {
                    channel_id,
                    target_user_id,
                    action,
                    expires_at,
                    ..
                } => {
                    self.deliver(
                        *channel_id,
                        &ServerFrame::Moderation {
                            action,
                            target_user_id: *target_user_id,
                            expires_at: *expires_at,
                        },
                    );
                }
                _ => {}
            }
        }
    }
}
