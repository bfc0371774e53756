//! Viewer counting: semi-unique viewers, concurrent counts, peaks and the per-minute series.
//!
//! A viewer is a key, never an IP address: `u:<user id>` for a signed-in user, or a random
//! per-browser id for a visitor (the web layer derives both and hands them to WHEP). Several
//! sessions of one key (tabs) count once. The counter follows `ViewerJoined`/`ViewerLeft` and
//! the stream lifecycle on the bus, so every node that runs it agrees, and it records each
//! distinct viewer once per stream in the store (unique count) along with the peak.

use std::collections::{HashMap, HashSet};

use crate::channels::manages;
use crate::UserView;
use serde::Serialize;
use shimmer_bus::Event;
use shimmer_store::{Stream, StreamMinute, ViewerStats};
use tokio::sync::broadcast;

use crate::{Platform, PlatformError};

/// A channel's concurrent viewers changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ViewerCount {
    pub channel_id: i64,
    pub viewers: i64,
}

/// How many left-before-joined sessions a channel remembers (their events may cross).
const MAX_DEPARTED: usize = 10_000;

#[derive(Default)]
struct Audience {
    stream_id: Option<i64>,
    /// Session id to viewer key.
    sessions: HashMap<String, String>,
    /// Viewer key to its number of sessions.
    keys: HashMap<String, usize>,
    /// Sessions whose `ViewerLeft` arrived before their `ViewerJoined`.
    departed: HashSet<String>,
    peak: i64,
}

impl Audience {
    fn concurrent(&self) -> i64 {
        self.keys.len() as i64
    }
}

/// A database write the counter decided on, done after its lock is released.
enum Write {
    Viewer { stream_id: i64, key: String },
    Peak { stream_id: i64, viewers: i64 },
}

/// The live audience of every channel, kept from bus events.
pub struct ViewerCounter {
    audiences: parking_lot::Mutex<HashMap<i64, Audience>>,
    changes: broadcast::Sender<ViewerCount>,
}

impl Default for ViewerCounter {
    fn default() -> Self {
        Self {
            audiences: parking_lot::Mutex::new(HashMap::new()),
            changes: broadcast::channel(1024).0,
        }
    }
}

impl ViewerCounter {
    /// Concurrent viewers of the channel now.
    pub fn concurrent(&self, channel_id: i64) -> i64 {
        self.audiences
            .lock()
            .get(&channel_id)
            .map_or(0, Audience::concurrent)
    }

    /// Count changes of every channel from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ViewerCount> {
        self.changes.subscribe()
    }

    fn knows_stream(&self, channel_id: i64) -> bool {
        self.audiences
            .lock()
            .get(&channel_id)
            .is_some_and(|audience| audience.stream_id.is_some())
    }

    /// Applies one event; returns the writes it calls for.
    fn apply(&self, event: &Event, current_stream: Option<i64>) -> Vec<Write> {
        let mut writes = Vec::new();
        let mut audiences = self.audiences.lock();
        let before;
        let channel_id = event.channel_id();
        match event {
            Event::ViewerJoined {
                session_id,
                viewer_key,
                ..
            } => {
                let audience = audiences.entry(channel_id).or_default();
                before = audience.concurrent();
                if audience.stream_id.is_none() {
                    audience.stream_id = current_stream;
                }
                if audience.departed.remove(session_id) {
                    return writes;
                }
                let key = viewer_key
                    .clone()
                    .unwrap_or_else(|| format!("s:{session_id}"));
                if audience.sessions.contains_key(session_id) {
                    return writes;
                }
                audience.sessions.insert(session_id.clone(), key.clone());
                let tabs = audience.keys.entry(key.clone()).or_insert(0);
                *tabs += 1;
                if *tabs == 1 {
                    if let Some(stream_id) = audience.stream_id {
                        writes.push(Write::Viewer { stream_id, key });
                    }
                }
                if audience.concurrent() > audience.peak {
                    audience.peak = audience.concurrent();
                    if let Some(stream_id) = audience.stream_id {
                        writes.push(Write::Peak {
                            stream_id,
                            viewers: audience.peak,
                        });
                    }
                }
            }
            Event::ViewerLeft { session_id, .. } => {
                let audience = audiences.entry(channel_id).or_default();
                before = audience.concurrent();
                match audience.sessions.remove(session_id) {
                    Some(key) => {
                        if let Some(tabs) = audience.keys.get_mut(&key) {
                            *tabs -= 1;
                            if *tabs == 0 {
                                audience.keys.remove(&key);
                            }
                        }
                    }
                    None if audience.departed.len() < MAX_DEPARTED => {
                        audience.departed.insert(session_id.clone());
                    }
                    None => {}
                }
            }
            Event::StreamStarted { stream_id, .. } => {
                let audience = audiences.entry(channel_id).or_default();
                before = audience.concurrent();
                audience.stream_id = Some(*stream_id);
                audience.departed.clear();
                audience.peak = audience.concurrent();
                for key in audience.keys.keys() {
                    writes.push(Write::Viewer {
                        stream_id: *stream_id,
                        key: key.clone(),
                    });
                }
                if audience.peak > 0 {
                    writes.push(Write::Peak {
                        stream_id: *stream_id,
                        viewers: audience.peak,
                    });
                }
            }
            Event::StreamEnded { stream_id, .. } => {
                let Some(audience) = audiences.get(&channel_id) else {
                    return writes;
                };
                if audience
                    .stream_id
                    .is_some_and(|current| current != *stream_id)
                {
                    return writes;
                }
                before = audience.concurrent();
                audiences.remove(&channel_id);
            }
            _ => return writes,
        }
        let after = audiences.get(&channel_id).map_or(0, Audience::concurrent);
        drop(audiences);
        if after != before {
            let _ = self.changes.send(ViewerCount {
                channel_id,
                viewers: after,
            });
        }
        writes
    }

    /// The channels with a known live stream and their concurrent viewers.
    fn snapshot(&self) -> Vec<(i64, i64)> {
        self.audiences
            .lock()
            .values()
            .filter_map(|audience| audience.stream_id.map(|id| (id, audience.concurrent())))
            .collect()
    }
}

impl Platform {
    /// Concurrent viewers of the channel (distinct viewers, not sessions).
    pub fn viewer_count(&self, channel_id: i64) -> i64 {
        self.viewers.concurrent(channel_id)
    }

    /// Every change of any channel's concurrent viewers from now on.
    pub fn subscribe_viewer_counts(&self) -> broadcast::Receiver<ViewerCount> {
        self.viewers.subscribe()
    }

    /// Peak, unique and average viewers of a stream.
    pub async fn stream_viewer_stats(&self, stream_id: i64) -> Result<ViewerStats, PlatformError> {
        self.store
            .viewer_stats(stream_id)
            .await?
            .ok_or(PlatformError::NotFound("That stream does not exist."))
    }

    /// The channel's recent streams with their audience figures, for its owner or staff.
    pub async fn stream_history(
        &self,
        actor: &UserView,
        channel_id: i64,
    ) -> Result<Vec<(Stream, ViewerStats)>, PlatformError> {
        let channel = self
            .store
            .channel_by_id(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        if !manages(actor, channel.user_id) {
            return Err(PlatformError::Forbidden);
        }
        let mut history = Vec::new();
        for stream in self.store.streams_of_channel(channel.id, 20).await? {
            if let Some(stats) = self.store.viewer_stats(stream.id).await? {
                history.push((stream, stats));
            }
        }
        Ok(history)
    }

    /// A stream's per-minute series, for its channel's owner or staff.
    pub async fn stream_series(
        &self,
        actor: &UserView,
        stream_id: i64,
    ) -> Result<Vec<StreamMinute>, PlatformError> {
        let stream = self
            .store
            .stream_by_id(stream_id)
            .await?
            .ok_or(PlatformError::NotFound("That stream does not exist."))?;
        let channel = self
            .store
            .channel_by_id(stream.channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        if !manages(actor, channel.user_id) {
            return Err(PlatformError::Forbidden);
        }
        Ok(self.store.stream_minutes(stream_id).await?)
    }

    /// Counts viewers from the bus until it closes. Runs once per node, off the media path.
    /// Events are applied in memory at once (so no bus event is lost to a slow database);
    /// their database writes go to a writer task that stores whatever has accumulated in one
    /// transaction per stream.
    pub async fn count_viewers(&self) -> Result<(), shimmer_bus::BusError> {
        use futures::StreamExt;
        let mut events = self.bus.subscribe().await?;
        let (writes, pending) = tokio::sync::mpsc::unbounded_channel();
        let writer = tokio::spawn(store_viewer_writes(self.store.clone(), pending));
        while let Some(event) = events.next().await {
            let current_stream = match &event {
                Event::ViewerJoined { channel_id, .. }
                    if !self.viewers.knows_stream(*channel_id) =>
                {
                    match self.store.channel_by_id(*channel_id).await {
                        Ok(channel) => channel.and_then(|channel| channel.current_stream_id),
                        Err(error) => {
                            tracing::warn!(%error, "viewer counter could not read the channel");
                            None
                        }
                    }
                }
                _ => None,
            };
            for write in self.viewers.apply(&event, current_stream) {
                if writes.send(write).is_err() {
                    break;
                }
            }
        }
        drop(writes);
        let _ = writer.await;
        Ok(())
    }

    /// How often [`Platform::record_viewer_samples`] should run.
    pub fn viewer_sample_interval(&self) -> std::time::Duration {
        self.community.viewer_sample_interval()
    }

    /// Stores one sample per live stream for the current minute: concurrent viewers and the
    /// ingest's last bitrate. Run it every [`Platform::viewer_sample_interval`], on one node
    /// of a cluster per round (every web node counts the same viewers).
    pub async fn record_viewer_samples(&self) {
        let now = shimmer_store::now_ms();
        let minute_at = now - now.rem_euclid(60_000);
        for (stream_id, viewers) in self.viewers.snapshot() {
            let bitrate = match self.store.latest_bitrate(stream_id).await {
                Ok(bitrate) => bitrate,
                Err(error) => {
                    tracing::warn!(%error, "could not read the stream's bitrate");
                    0
                }
            };
            let minute = StreamMinute {
                minute_at,
                viewers,
                bitrate,
            };
            if let Err(error) = self.store.record_stream_minute(stream_id, minute).await {
                tracing::warn!(%error, "could not store a viewer sample");
            }
        }
    }
}

/// Stores the counter's writes: waits for one, takes every other one already queued, and
/// writes each stream's new viewers and highest peak in a single transaction.
async fn store_viewer_writes(
    store: shimmer_store::Store,
    mut pending: tokio::sync::mpsc::UnboundedReceiver<Write>,
) {
    while let Some(first) = pending.recv().await {
        let mut batch: HashMap<i64, (Vec<String>, i64)> = HashMap::new();
        let mut add = |write: Write| match write {
            Write::Viewer { stream_id, key } => batch.entry(stream_id).or_default().0.push(key),
            Write::Peak { stream_id, viewers } => {
                let peak = &mut batch.entry(stream_id).or_default().1;
                *peak = (*peak).max(viewers);
            }
        };
        add(first);
        while let Ok(write) = pending.try_recv() {
            add(write);
        }
        for (stream_id, (keys, peak)) in batch {
            let result = store
                .record_stream_viewers(stream_id, &keys, peak, shimmer_store::now_ms())
                .await;
            if let Err(error) = result {
                tracing::warn!(%error, stream_id, "could not store viewer statistics");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(session: &str, key: Option<&str>) -> Event {
        Event::ViewerJoined {
            channel_id: 1,
            session_id: session.into(),
            viewer_key: key.map(str::to_owned),
        }
    }

    fn left(session: &str) -> Event {
        Event::ViewerLeft {
            channel_id: 1,
            session_id: session.into(),
        }
    }

    #[test]
    fn tabs_count_once_and_crossed_events_cancel_out() {
        let counter = ViewerCounter::default();
        counter.apply(
            &Event::StreamStarted {
                channel_id: 1,
                stream_id: 9,
            },
            None,
        );
        let first = counter.apply(&joined("a", Some("u:1")), None);
        assert_eq!(first.len(), 2, "a new viewer and a new peak");
        assert!(counter.apply(&joined("b", Some("u:1")), None).is_empty());
        assert_eq!(counter.concurrent(1), 1);
        counter.apply(&joined("c", None), None);
        assert_eq!(counter.concurrent(1), 2);
        counter.apply(&left("a"), None);
        assert_eq!(counter.concurrent(1), 2, "one tab of u:1 is still open");
        counter.apply(&left("b"), None);
        assert_eq!(counter.concurrent(1), 1);
        counter.apply(&left("late"), None);
        counter.apply(&joined("late", Some("v:x")), None);
        assert_eq!(
            counter.concurrent(1),
            1,
            "a session that already left is not counted"
        );
        counter.apply(
            &Event::StreamEnded {
                channel_id: 1,
                stream_id: 9,
                reason: shimmer_bus::StreamEndReason::Disconnect,
            },
            None,
        );
        assert_eq!(counter.concurrent(1), 0);
    }
}
