//! Live hubs by channel: ingest creates and removes them, playback finds them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{HubConfig, StreamHub, StreamInfo};

/// Maps channel ids to their live [`StreamHub`]. Cheap to share (`Arc<HubRegistry>`); the lock is
/// held only to look up or swap an entry, never on the packet path.
#[derive(Debug, Default)]
pub struct HubRegistry {
    hubs: Mutex<HashMap<i64, Arc<StreamHub>>>,
    config: HubConfig,
}

impl HubRegistry {
    /// An empty registry whose hubs use `config`.
    pub fn new(config: HubConfig) -> Self {
        Self {
            hubs: Mutex::new(HashMap::new()),
            config,
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<StreamHub>>> {
        // A panic while holding this lock cannot leave the map inconsistent (single inserts and
        // removes), so a poisoned lock is still usable.
        self.hubs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates the hub for a channel going live. An existing hub for the channel (a previous
    /// session that was replaced) is ended first, so its subscribers see the end and resubscribe.
    pub fn create(&self, channel_id: i64, info: StreamInfo) -> Arc<StreamHub> {
        let hub = Arc::new(StreamHub::new(channel_id, info, self.config.clone()));
        let old = self.map().insert(channel_id, Arc::clone(&hub));
        if let Some(old) = old {
            old.end();
        }
        hub
    }

    /// The live hub of a channel, if any.
    pub fn get(&self, channel_id: i64) -> Option<Arc<StreamHub>> {
        self.map().get(&channel_id).cloned()
    }

    /// Ends `hub` and removes it if it is still the channel's current hub (a replaced session's
    /// removal must not remove its successor). Returns whether it was removed.
    pub fn remove(&self, hub: &Arc<StreamHub>) -> bool {
        hub.end();
        let mut map = self.map();
        match map.get(&hub.channel_id()) {
            Some(cur) if Arc::ptr_eq(cur, hub) => {
                map.remove(&hub.channel_id());
                true
            }
            _ => false,
        }
    }

    /// Channel ids with a live hub.
    pub fn channels(&self) -> Vec<i64> {
        self.map().keys().copied().collect()
    }

    /// Number of live hubs.
    pub fn len(&self) -> usize {
        self.map().len()
    }

    /// True if no channel is live.
    pub fn is_empty(&self) -> bool {
        self.map().is_empty()
    }
}
