//! Channels by streamer name, remembered for a moment. `channel(streamerUsername:)` is the
//! public API's busiest read (bots and overlays poll it), and on SQLite each lookup is a round
//! trip to a connection's worker thread that costs more than the rest of the request.
//!
//! Freshness: this node forgets a channel the moment it publishes a change to it (settings,
//! stream start or end, moderation, key rotation, rename), and every node forgets it when the
//! change's bus event arrives, so an entry outlives a change only if that change published
//! nothing; [`TTL`] bounds that case.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::ChannelView;
use hashlink::LruCache;
use shimmer_bus::Event;

/// The longest a remembered channel is used without asking the database again.
pub const TTL: Duration = Duration::from_secs(1);
/// Names remembered; the least recently used goes first. Names that match no channel are
/// never remembered, so random names cannot fill it.
const CAPACITY: usize = 4096;

/// See the module docs.
pub(crate) struct ChannelLookups {
    by_name: Mutex<LruCache<String, (ChannelView, Instant)>>,
}

impl Default for ChannelLookups {
    fn default() -> Self {
        Self {
            by_name: Mutex::new(LruCache::new(CAPACITY)),
        }
    }
}

impl ChannelLookups {
    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, (ChannelView, Instant)>> {
        self.by_name
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The channel of this (lower-cased) name, when it was read less than [`TTL`] ago.
    pub(crate) fn get(&self, name: &str, now: Instant) -> Option<ChannelView> {
        let mut by_name = self.lock();
        match by_name.get(name) {
            Some((channel, read_at)) if now.duration_since(*read_at) < TTL => Some(channel.clone()),
            Some(_) => {
                by_name.remove(name);
                None
            }
            None => None,
        }
    }

    /// Remembers a channel read from the database at `read_at` (taken before the read, so a
    /// change racing the read is never hidden for longer than [`TTL`]).
    pub(crate) fn insert(&self, name: String, channel: ChannelView, read_at: Instant) {
        self.lock().insert(name, (channel, read_at));
    }

    /// Forgets a channel that changed.
    pub(crate) fn forget(&self, channel_id: i64) {
        self.forget_where(|channel| channel.id == channel_id);
    }

    /// Forgets the channel of an account that was renamed or deleted.
    pub(crate) fn forget_user(&self, user_id: i64) {
        self.forget_where(|channel| channel.user_id == user_id);
    }

    fn forget_where(&self, stale: impl Fn(&ChannelView) -> bool) {
        let mut by_name = self.lock();
        let names: Vec<String> = by_name
            .iter()
            .filter(|(_, (channel, _))| stale(channel))
            .map(|(name, _)| name.clone())
            .collect();
        for name in names {
            by_name.remove(&name);
        }
    }

    /// Forgets whatever a bus event says changed.
    pub(crate) fn apply(&self, event: &Event) {
        match event {
            Event::ChannelUpdated { channel_id }
            | Event::StreamStarted { channel_id, .. }
            | Event::StreamEnded { channel_id, .. } => self.forget(*channel_id),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use shimmer_store::LiveStatus;

    use super::*;

    fn channel(id: i64) -> ChannelView {
        ChannelView {
            id,
            user_id: id,
            username: format!("user{id}"),
            display_name: format!("User{id}"),
            title: String::new(),
            language: "en".into(),
            mature: false,
            status: LiveStatus::Offline,
            current_stream_id: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn remembers_for_the_ttl_only() {
        let lookups = ChannelLookups::default();
        let now = Instant::now();
        lookups.insert("user1".into(), channel(1), now);
        assert_eq!(lookups.get("user1", now + TTL / 2).map(|c| c.id), Some(1));
        assert!(lookups.get("user1", now + TTL).is_none());
        assert!(lookups.get("user1", now).is_none(), "expired entries go");
    }

    #[test]
    fn changes_forget_the_channel_under_every_name() {
        let lookups = ChannelLookups::default();
        let now = Instant::now();
        lookups.insert("user1".into(), channel(1), now);
        lookups.insert("old-name".into(), channel(1), now);
        lookups.insert("user2".into(), channel(2), now);
        lookups.apply(&Event::StreamStarted {
            channel_id: 1,
            stream_id: 9,
        });
        assert!(lookups.get("user1", now).is_none());
        assert!(lookups.get("old-name", now).is_none());
        assert!(lookups.get("user2", now).is_some());
        lookups.apply(&Event::ChannelUpdated { channel_id: 2 });
        assert!(lookups.get("user2", now).is_none());
        lookups.insert("user3".into(), channel(3), now);
        lookups.forget_user(3);
        assert!(lookups.get("user3", now).is_none());
    }
}
