//! The latest thumbnail of every live channel, in memory, plus the placeholder. The thumbnailer
//! writes, the website reads; each entry is an `Arc`, so a reader copies a pointer under a lock
//! held for a map lookup only.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use crate::{placeholder, Renditions, ThumbnailError};

/// One live channel's latest thumbnail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveThumbnail {
    /// Both card sizes.
    pub renditions: Renditions,
    /// When it was made (served as `Last-Modified`).
    pub made_at: SystemTime,
}

/// See the module docs.
#[derive(Debug)]
pub struct LiveThumbnails {
    by_channel: Mutex<HashMap<i64, Arc<LiveThumbnail>>>,
    placeholder: Renditions,
    placeholder_made_at: SystemTime,
}

impl LiveThumbnails {
    /// An empty set; draws and encodes the placeholder (a few milliseconds, once).
    pub fn new() -> Result<Self, ThumbnailError> {
        Ok(Self {
            by_channel: Mutex::new(HashMap::new()),
            placeholder: placeholder::renditions_of_placeholder()?,
            placeholder_made_at: SystemTime::now(),
        })
    }

    fn map(&self) -> MutexGuard<'_, HashMap<i64, Arc<LiveThumbnail>>> {
        // Single inserts and removes cannot leave the map inconsistent, so a poisoned lock is
        // still usable.
        self.by_channel.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The latest thumbnail of a live channel, if one was made in this process.
    pub fn get(&self, channel_id: i64) -> Option<Arc<LiveThumbnail>> {
        self.map().get(&channel_id).cloned()
    }

    /// The neutral picture for channels with neither a live thumbnail nor a poster.
    pub fn placeholder(&self) -> &Renditions {
        &self.placeholder
    }

    /// When the placeholder was drawn (served as its `Last-Modified`).
    pub fn placeholder_made_at(&self) -> SystemTime {
        self.placeholder_made_at
    }

    /// Number of channels with a live thumbnail.
    pub fn len(&self) -> usize {
        self.map().len()
    }

    /// True when no channel has a live thumbnail.
    pub fn is_empty(&self) -> bool {
        self.map().is_empty()
    }

    pub(crate) fn insert(&self, channel_id: i64, renditions: Renditions) {
        let entry = Arc::new(LiveThumbnail {
            renditions,
            made_at: SystemTime::now(),
        });
        self.map().insert(channel_id, entry);
    }

    pub(crate) fn remove(&self, channel_id: i64) {
        self.map().remove(&channel_id);
    }
}
