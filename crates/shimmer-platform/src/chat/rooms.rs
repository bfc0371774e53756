//! In-memory state per chat room (channel): settings, bans, moderators, emotes and each
//! chatter's last message. Loaded from the database on first use and kept current by the chat
//! service's own writes and by bus events from other nodes.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::payments::PlatformTier;
use crate::UserView;
use parking_lot::Mutex;
use shimmer_bus::chat::Badge;
use shimmer_bus::Event;
use shimmer_store::{ChatSettings, ModeratorPermissions, Store};

use crate::PlatformError;

/// Chatters remembered per room for slow mode and duplicate checks; the oldest are forgotten.
const MAX_CHATTERS: usize = 50_000;

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ChatterState {
    pub last_sent_at: Option<i64>,
    pub last_body: Option<(u64, i64)>,
}

pub(crate) struct Room {
    pub owner_id: i64,
    pub settings: ChatSettings,
    pub moderators: HashMap<i64, ModeratorPermissions>,
    /// user id -> expiry (None for a permanent ban).
    pub bans: HashMap<i64, Option<i64>>,
    pub emotes: HashMap<String, String>,
    /// Names of the emotes only subscribers (and the privileged) may use.
    pub subscriber_emotes: HashSet<String>,
    /// Accounts whose subscription to the channel has not ended.
    pub subscribers: HashSet<i64>,
    chatters: HashMap<i64, ChatterState>,
}

impl Room {
    pub fn badges_for(&self, user: &UserView) -> Vec<Badge> {
        let mut badges = Vec::new();
        if user.id == self.owner_id {
            badges.push(Badge::Streamer);
        }
        if self.moderators.contains_key(&user.id) {
            badges.push(Badge::Moderator);
        }
        if user.is_admin {
            badges.push(Badge::Staff);
        }
        if self.subscribers.contains(&user.id) {
            badges.push(Badge::Subscriber);
        }
        match user.platform_tier {
            Some(PlatformTier::Supporter) => badges.push(Badge::PlatformSupporter),
            Some(PlatformTier::Founder) => badges.push(Badge::PlatformFounder),
            None => {}
        }
        badges
    }

    /// The user's ban in force at `now`: None, Some(None) for a ban, Some(Some(until)).
    pub fn ban_of(&self, user_id: i64, now_ms: i64) -> Option<Option<i64>> {
        match self.bans.get(&user_id) {
            Some(None) => Some(None),
            Some(Some(until)) if *until > now_ms => Some(Some(*until)),
            _ => None,
        }
    }

    pub fn chatter(&self, user_id: i64) -> ChatterState {
        self.chatters.get(&user_id).copied().unwrap_or_default()
    }

    pub fn record_sent(&mut self, user_id: i64, body_hash: u64, now_ms: i64) {
        if self.chatters.len() >= MAX_CHATTERS && !self.chatters.contains_key(&user_id) {
            // Forget chatters whose last message is older than any rule looks back.
            self.chatters
                .retain(|_, state| state.last_sent_at.is_some_and(|at| now_ms - at < 3_600_000));
        }
        self.chatters.insert(
            user_id,
            ChatterState {
                last_sent_at: Some(now_ms),
                last_body: Some((body_hash, now_ms)),
            },
        );
    }
}

/// Every loaded room on this node.
#[derive(Default)]
pub struct Rooms {
    rooms: Mutex<HashMap<i64, Arc<Mutex<Room>>>>,
}

impl Rooms {
    pub(crate) async fn room(
        &self,
        store: &Store,
        channel_id: i64,
    ) -> Result<Arc<Mutex<Room>>, PlatformError> {
        if let Some(room) = self.rooms.lock().get(&channel_id) {
            return Ok(room.clone());
        }
        let channel = store
            .channel_by_id(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        let settings = store.chat_settings(channel_id).await?.unwrap_or_default();
        let moderators = store
            .moderators(channel_id)
            .await?
            .into_iter()
            .map(|moderator| (moderator.user_id, moderator.permissions))
            .collect();
        let bans = store
            .active_channel_bans(channel_id)
            .await?
            .into_iter()
            .map(|ban| (ban.user_id, ban.expires_at))
            .collect();
        let mut emotes: Vec<shimmer_store::Emote> = store.emotes_of(None).await?;
        emotes.extend(store.emotes_of(Some(channel_id)).await?);
        emotes.retain(|emote| emote.status == shimmer_store::EmoteStatus::Approved);
        let subscriber_emotes = emotes
            .iter()
            .filter(|emote| emote.subscribers_only)
            .map(|emote| emote.name.clone())
            .collect();
        let emotes = emotes
            .into_iter()
            .map(|emote| (emote.name.clone(), crate::emotes::emote_src(&emote)))
            .collect();
        let subscribers = store
            .channel_subscriber_ids(channel_id)
            .await?
            .into_iter()
            .collect();
        let room = Arc::new(Mutex::new(Room {
            owner_id: channel.user_id,
            settings,
            moderators,
            bans,
            emotes,
            subscriber_emotes,
            subscribers,
            chatters: HashMap::new(),
        }));
        Ok(self.rooms.lock().entry(channel_id).or_insert(room).clone())
    }

    /// Forgets every loaded room (for changes that touch all channels, such as global emotes).
    pub fn clear(&self) {
        self.rooms.lock().clear();
    }

    /// Applies a bus event (from this node or another) to the loaded rooms.
    pub fn apply(&self, event: &Event) {
        match event {
            Event::ModerationAction {
                channel_id,
                target_user_id: Some(user_id),
                action,
                expires_at,
                ..
            } => {
                let Some(room) = self.rooms.lock().get(channel_id).cloned() else {
                    return;
                };
                let mut room = room.lock();
                match action.as_str() {
                    "ban" => {
                        room.bans.insert(*user_id, None);
                    }
                    // A timeout never shortens a standing ban.
                    "short_timeout" | "long_timeout" if room.bans.get(user_id) != Some(&None) => {
                        room.bans.insert(*user_id, *expires_at);
                    }
                    "unban" => {
                        room.bans.remove(user_id);
                    }
                    _ => {}
                }
            }
            Event::SubscriberChanged {
                channel_id,
                user_id,
                subscribed,
            } => {
                let Some(room) = self.rooms.lock().get(channel_id).cloned() else {
                    return;
                };
                let mut room = room.lock();
                if *subscribed {
                    room.subscribers.insert(*user_id);
                } else {
                    room.subscribers.remove(user_id);
                }
            }
            // Settings or moderators changed: load the room afresh on its next use.
            Event::ChannelUpdated { channel_id } => {
                self.rooms.lock().remove(channel_id);
            }
            _ => {}
        }
    }
}
