//! One bus subscription per node feeds per-channel broadcast channels of frames serialised
//! once: chat frames for the chat sockets, and stream status for the pages' live-update feed.
//! A message costs one serialisation however many sockets are watching, and listeners never see
//! (or clone) other channels' events.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;
use futures::StreamExt;
use parking_lot::Mutex;
use shimmer_bus::{Bus, Event};
use tokio::sync::broadcast;

use crate::chat::protocol::{ServerFrame, SystemLine};
use shimmer_bus::chat::LineKind;

/// Frames a slow listener may lag behind before it skips ahead.
const ROOM_CAPACITY: usize = 1024;

/// Per-channel broadcast senders, created when the first listener arrives and dropped when the
/// last one has gone.
#[derive(Default)]
struct Rooms {
    senders: Mutex<HashMap<i64, broadcast::Sender<Utf8Bytes>>>,
}

impl Rooms {
    fn subscribe(&self, channel_id: i64) -> broadcast::Receiver<Utf8Bytes> {
        self.senders
            .lock()
            .entry(channel_id)
            .or_insert_with(|| broadcast::channel(ROOM_CAPACITY).0)
            .subscribe()
    }

    fn deliver(&self, channel_id: i64, frame: &impl serde::Serialize) {
        let mut senders = self.senders.lock();
        let Some(sender) = senders.get(&channel_id) else {
            return;
        };
        if sender.receiver_count() == 0 {
            senders.remove(&channel_id);
            return;
        }
        if let Ok(text) = serde_json::to_string(frame) {
            // Reference-counted: every listener's copy of the frame shares these bytes.
            let _ = sender.send(Utf8Bytes::from(text));
        }
    }
}

/// Accounts banned from the platform that could still have sockets open on this node.
struct Bans {
    sender: broadcast::Sender<i64>,
}

impl Default for Bans {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(BANS_CAPACITY).0,
        }
    }
}

/// Bans a slow socket may lag behind; bans are rare, so this is never reached in practice.
const BANS_CAPACITY: usize = 256;

/// Live frames of every channel with listeners on this node.
#[derive(Default)]
pub struct Fanout {
    chat: Rooms,
    status: Rooms,
    bans: Bans,
}

impl Fanout {
    /// The channel's chat frames from now on.
    pub fn subscribe_chat(&self, channel_id: i64) -> broadcast::Receiver<Utf8Bytes> {
        self.chat.subscribe(channel_id)
    }

    /// The channel's stream status events (started, ended, settings changed) from now on, as
    /// the bus's JSON.
    pub fn subscribe_status(&self, channel_id: i64) -> broadcast::Receiver<Utf8Bytes> {
        self.status.subscribe(channel_id)
    }

    /// The user ids of accounts banned from the platform from now on; every chat socket of
    /// such an account closes.
    pub fn subscribe_bans(&self) -> broadcast::Receiver<i64> {
        self.bans.sender.subscribe()
    }

    /// Routes events from the bus to the rooms until the bus closes.
    pub async fn run(self: Arc<Self>, bus: Arc<dyn Bus>) {
        let mut events = match bus.subscribe().await {
            Ok(events) => events,
            Err(error) => {
                tracing::error!(%error, "live fan-out could not subscribe to the bus");
                return;
            }
        };
        while let Some(event) = events.next().await {
            match &event {
                Event::ChatMessage {
                    channel_id,
                    message,
                } => {
                    if message.kind == LineKind::Follow {
                        self.chat.deliver(
                            *channel_id,
                            &ServerFrame::System(SystemLine::from_follow(message)),
                        );
                    } else {
                        self.chat
                            .deliver(*channel_id, &ServerFrame::Message { message });
                    }
                }
                Event::ChatMessagesHidden {
                    channel_id,
                    message_ids,
                    user_id,
                } => {
                    self.chat.deliver(
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
                    self.chat.deliver(
                        *channel_id,
                        &ServerFrame::Moderation {
                            action,
                            target_user_id: *target_user_id,
                            expires_at: *expires_at,
                        },
                    );
                }
                Event::ChannelUpdated { channel_id } => {
                    self.status.deliver(*channel_id, &event);
                    self.chat.deliver(*channel_id, &ServerFrame::RulesChanged);
                }
                Event::StreamStarted { channel_id, .. } | Event::StreamEnded { channel_id, .. } => {
                    self.status.deliver(*channel_id, &event)
                }
                Event::AccountBanned { user_id, .. } => {
                    // No socket listening is fine: there is nothing to close.
                    let _ = self.bans.sender.send(*user_id);
                }
                Event::ChannelSupported {
                    channel_id,
                    display_name,
                    kind,
                    amount,
                    message,
                    ..
                } => {
                    self.chat.deliver(
                        *channel_id,
                        &ServerFrame::Support {
                            display_name,
                            kind,
                            amount,
                            message,
                        },
                    );
                }
                Event::Raid {
                    channel_id,
                    from_channel_id,
                    from_display_name,
                    to_display_name,
                    viewers,
                    ..
                } => {
                    let outgoing = channel_id == from_channel_id;
                    if outgoing {
                        // The raider's pages take their viewers to the target.
                        self.status.deliver(*channel_id, &event);
                    }
                    self.chat.deliver(
                        *channel_id,
                        &ServerFrame::System(SystemLine::raid(
                            from_display_name,
                            to_display_name,
                            *viewers,
                            outgoing,
                        )),
                    );
                }
                Event::ViewerJoined { .. }
                | Event::ViewerLeft { .. }
                | Event::FollowerAdded { .. }
                | Event::SubscriberChanged { .. } => {}
            }
        }
    }
}
