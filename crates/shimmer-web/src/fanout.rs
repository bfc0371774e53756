//! One bus subscription per node feeds per-channel broadcast channels of frames serialised
//! once: chat frames for the chat sockets, and stream status for the pages' live-update feed.
//! A message costs one serialisation however many sockets are watching, and listeners never see
//! (or clone) other channels' events.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use std::time::Instant;

use axum::extract::ws::Utf8Bytes;
use futures::StreamExt;
use parking_lot::Mutex;
use shimmer_bus::{Bus, Event};
use tokio::sync::broadcast;

use crate::chat::coalesce::{BatchTiming, Coalescer};
use crate::chat::protocol::{ServerFrame, SystemLine};
use shimmer_bus::chat::LineKind;

/// Frames a slow listener may lag behind before it skips ahead.
const ROOM_CAPACITY: usize = 1024;

/// Per-channel broadcast senders, created when the first listener arrives and dropped when the
/// last one has gone. Chat rooms gather frames into batches when busy ([`Coalescer`]); the
/// status rooms send each event at once.
#[derive(Default)]
struct Rooms {
    table: Mutex<RoomTable>,
    /// How a chat room's frames are gathered; none for rooms that send every frame at once.
    batching: Option<BatchTiming>,
}

#[derive(Default)]
struct RoomTable {
    rooms: HashMap<i64, Room>,
    /// Rooms with frames waiting for their tick.
    waiting: Vec<i64>,
}

struct Room {
    sender: broadcast::Sender<Utf8Bytes>,
    coalescer: Coalescer,
}

impl Rooms {
    fn batched(timing: BatchTiming) -> Self {
        Self {
            table: Mutex::default(),
            batching: Some(timing),
        }
    }

    fn subscribe(&self, channel_id: i64) -> broadcast::Receiver<Utf8Bytes> {
        self.table
            .lock()
            .rooms
            .entry(channel_id)
            .or_insert_with(|| Room {
                sender: broadcast::channel(ROOM_CAPACITY).0,
                coalescer: Coalescer::default(),
            })
            .sender
            .subscribe()
    }

    fn deliver(&self, channel_id: i64, frame: &impl serde::Serialize) {
        if let Ok(text) = serde_json::to_string(frame) {
            self.deliver_text(channel_id, Utf8Bytes::from(text), false);
        }
    }

    /// Sends a frame to the room, or keeps it for the room's next batch. `alone` frames are
    /// never batched.
    fn deliver_text(&self, channel_id: i64, text: Utf8Bytes, alone: bool) {
        let mut table = self.table.lock();
        let RoomTable { rooms, waiting } = &mut *table;
        let Some(room) = rooms.get_mut(&channel_id) else {
            return;
        };
        let listeners = room.sender.receiver_count();
        if listeners == 0 {
            rooms.remove(&channel_id);
            return;
        }
        let Some(timing) = self.batching else {
            // Reference-counted: every listener's copy of the frame shares these bytes.
            let _ = room.sender.send(text);
            return;
        };
        let mut out = Vec::new();
        let tick = timing.tick(listeners);
        room.coalescer
            .offer(Instant::now(), text, tick, alone, &mut out);
        for frame in out {
            let _ = room.sender.send(frame);
        }
        if room.coalescer.due().is_some() && !waiting.contains(&channel_id) {
            waiting.push(channel_id);
        }
    }

    /// When the next waiting room's frames are due.
    fn next_due(&self) -> Option<Instant> {
        let table = self.table.lock();
        table
            .waiting
            .iter()
            .filter_map(|id| table.rooms.get(id)?.coalescer.due())
            .min()
    }

    /// Sends every batch due by now.
    fn send_due(&self) {
        let now = Instant::now();
        let mut out = Vec::new();
        let mut table = self.table.lock();
        let RoomTable { rooms, waiting } = &mut *table;
        waiting.retain(|id| {
            let Some(room) = rooms.get_mut(id) else {
                return false;
            };
            room.coalescer.poll(now, &mut out);
            for frame in out.drain(..) {
                let _ = room.sender.send(frame);
            }
            room.coalescer.due().is_some()
        });
    }
}

/// The frame that tells a room the channel's settings changed; each socket answers it with its
/// own chatter's gate, so it always travels alone.
pub(crate) static RULES_CHANGED: LazyLock<Utf8Bytes> = LazyLock::new(|| {
    Utf8Bytes::from(serde_json::to_string(&ServerFrame::RulesChanged).unwrap_or_default())
});

/// Sleeps until `due`; never, without one.
async fn sleep_until(due: Option<Instant>) {
    match due {
        Some(due) => tokio::time::sleep_until(due.into()).await,
        None => std::future::pending().await,
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
pub struct Fanout {
    chat: Rooms,
    status: Rooms,
    bans: Bans,
}

impl Default for Fanout {
    fn default() -> Self {
        Self::new(BatchTiming::default())
    }
}

impl Fanout {
    /// A fan-out whose busy chat rooms send their frames in batches as `timing` says.
    pub fn new(timing: BatchTiming) -> Self {
        Self {
            chat: Rooms::batched(timing),
            status: Rooms::default(),
            bans: Bans::default(),
        }
    }
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
        loop {
            let due = self.chat.next_due();
            tokio::select! {
                event = events.next() => match event {
                    Some(event) => self.route(&event),
                    None => break,
                },
                () = sleep_until(due), if due.is_some() => self.chat.send_due(),
            }
        }
    }

    /// Sends an event from the bus to the rooms it concerns.
    fn route(&self, event: &Event) {
        match event {
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
                self.status.deliver(*channel_id, event);
                self.chat
                    .deliver_text(*channel_id, RULES_CHANGED.clone(), true);
            }
            Event::StreamStarted { channel_id, .. } | Event::StreamEnded { channel_id, .. } => {
                self.status.deliver(*channel_id, event)
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
                    self.status.deliver(*channel_id, event);
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
