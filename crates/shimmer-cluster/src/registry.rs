//! The node and stream registry on NATS JetStream KV: which nodes are up, with their roles,
//! addresses and load, and which ingest node holds each live channel.
//!
//! Both buckets keep entries for [`LEASE`]; each node re-announces itself and its streams every
//! [`RENEW_EVERY`], so a node that dies (kill -9, a cut cable) vanishes from both within one
//! lease, and nothing else has to notice it. Every node reads the buckets directly: a KV read is
//! one NATS request (well under a millisecond on a LAN), and there is no cache to go stale.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, kv};
use async_trait::async_trait;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use shimmer_media::hub::HubRegistry;
use tokio_util::sync::CancellationToken;

use crate::relay::{Locate, Origin};
use crate::Roles;

/// How long an announcement lasts without renewal.
pub const LEASE: Duration = Duration::from_secs(3);
/// How often a node renews its own and its streams' entries.
pub const RENEW_EVERY: Duration = Duration::from_secs(1);
/// Longest a listing of a bucket's keys may take.
const LISTING_TIMEOUT: Duration = Duration::from_secs(2);
/// How often an ingest node looks for streams it has not announced yet.
const NEW_STREAM_CHECK: Duration = Duration::from_millis(200);
const NODES_BUCKET: &str = "shimmer_nodes";
const STREAMS_BUCKET: &str = "shimmer_streams";
const THUMBNAILS_BUCKET: &str = "shimmer_thumbnails";
const JOBS_BUCKET: &str = "shimmer_jobs";
/// How long a periodic job's claim on one round is remembered: longer than any job's period.
const JOB_CLAIM_TTL: Duration = Duration::from_secs(24 * 3600);
/// How long a shared live thumbnail lasts without a newer one (they are rendered every 45 s by
/// default, and deleted when their stream ends).
const THUMBNAIL_TTL: Duration = Duration::from_secs(10 * 60);

/// What a node says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeRecord {
    pub node_id: String,
    pub roles: Roles,
    /// Where its website / WHEP endpoint answers (the node's `base_url`).
    pub base_url: String,
    /// Its relay (ingest nodes).
    pub relay: Option<RelayEndpoint>,
    /// Viewer sessions it serves now (edges).
    pub viewers: usize,
    /// Viewer sessions it takes at most (edges).
    pub capacity: usize,
    /// Live streams it ingests.
    pub streams: usize,
    /// Channels it relays from ingest nodes (edges).
    #[serde(default)]
    pub relayed: Vec<i64>,
    /// Shutting down: takes no new viewers or streams.
    pub draining: bool,
    /// A placement hint (a region or rack name); an edge in the ingest's zone is preferred.
    pub zone: String,
}

/// An ingest node's relay, as edges reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelayEndpoint {
    pub addr: SocketAddr,
    pub fingerprint: String,
}

/// Which node holds a live channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamRecord {
    pub node_id: String,
}

/// Why the registry could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("could not open the {bucket} bucket (is JetStream enabled?): {reason}")]
    Bucket {
        bucket: &'static str,
        reason: String,
    },
    #[error("the registry could not be read: {0}")]
    Read(String),
    #[error("the registry could not be written: {0}")]
    Write(String),
    #[error(
        "node id {0:?} cannot be a registry key: use letters, digits, '-' and '_' (at most 64)"
    )]
    NodeId(String),
}

/// A live thumbnail one node shared, or its removal (`bytes` None).
#[derive(Debug, Clone)]
pub struct SharedThumbnail {
    pub channel_id: i64,
    /// The node that made it.
    pub node_id: String,
    pub bytes: Option<bytes::Bytes>,
}

/// The buckets.
#[derive(Clone)]
pub struct Registry {
    nodes: kv::Store,
    streams: kv::Store,
    thumbnails: kv::Store,
    jobs: kv::Store,
}

impl Registry {
    /// Opens (or creates) the buckets on the NATS server `client` is connected to.
    pub async fn open(client: async_nats::Client) -> Result<Self, RegistryError> {
        let jetstream = jetstream::new(client);
        Ok(Self {
            nodes: bucket(&jetstream, NODES_BUCKET, LEASE).await?,
            streams: bucket(&jetstream, STREAMS_BUCKET, LEASE).await?,
            thumbnails: bucket(&jetstream, THUMBNAILS_BUCKET, THUMBNAIL_TTL).await?,
            jobs: bucket(&jetstream, JOBS_BUCKET, JOB_CLAIM_TTL).await?,
        })
    }

    /// Claims round `round` of the periodic job `job` for `node_id`: true for the one node that
    /// claims it first, false for every other, so a job meant to run once per cluster per round
    /// (housekeeping) does. A node that dies mid-round leaves that round undone; the next round
    /// is claimed afresh.
    pub async fn claim_round(
        &self,
        job: &str,
        round: u64,
        node_id: &str,
    ) -> Result<bool, RegistryError> {
        let key = format!("{job}.{round}");
        match self.jobs.create(&key, node_id.to_owned().into()).await {
            Ok(_) => Ok(true),
            Err(error) if error.kind() == kv::CreateErrorKind::AlreadyExists => Ok(false),
            Err(error) => Err(RegistryError::Write(error.to_string())),
        }
    }

    /// Shares a channel's live thumbnail (an encoded `LiveThumbnail`) made on `node_id`.
    pub async fn put_thumbnail(
        &self,
        channel_id: i64,
        node_id: &str,
        thumbnail: &[u8],
    ) -> Result<(), RegistryError> {
        let mut value = Vec::with_capacity(1 + node_id.len() + thumbnail.len());
        value.push(node_id.len().min(255) as u8);
        value.extend_from_slice(&node_id.as_bytes()[..node_id.len().min(255)]);
        value.extend_from_slice(thumbnail);
        self.thumbnails
            .put(channel_id.to_string(), value.into())
            .await
            .map(drop)
            .map_err(|e| RegistryError::Write(e.to_string()))
    }

    /// Withdraws a channel's shared thumbnail (its stream ended).
    pub async fn delete_thumbnail(&self, channel_id: i64) -> Result<(), RegistryError> {
        self.thumbnails
            .delete(channel_id.to_string())
            .await
            .map_err(|e| RegistryError::Write(e.to_string()))
    }

    /// Every shared thumbnail now, then each change as it happens. The stream ends when the
    /// connection to NATS is lost; watch again.
    pub async fn watch_thumbnails(
        &self,
    ) -> Result<futures::stream::BoxStream<'static, SharedThumbnail>, RegistryError> {
        use futures::StreamExt;
        let watch = self
            .thumbnails
            .watch_all()
            .await
            .map_err(|e| RegistryError::Read(e.to_string()))?;
        Ok(watch
            .take_while(|entry| std::future::ready(entry.is_ok()))
            .filter_map(|entry| async move {
                let entry = entry.ok()?;
                let channel_id = entry.key.parse().ok()?;
                if entry.operation != kv::Operation::Put {
                    return Some(SharedThumbnail {
                        channel_id,
                        node_id: String::new(),
                        bytes: None,
                    });
                }
                let value = entry.value;
                let len = usize::from(*value.first()?);
                let node_id = std::str::from_utf8(value.get(1..1 + len)?).ok()?.to_owned();
                Some(SharedThumbnail {
                    channel_id,
                    node_id,
                    bytes: Some(value.slice(1 + len..)),
                })
            })
            .boxed())
    }

    /// Every node up now.
    pub async fn nodes(&self) -> Result<Vec<NodeRecord>, RegistryError> {
        let keys = keys(&self.nodes).await?;
        let mut nodes = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(node) = self.node(&key).await? {
                nodes.push(node);
            }
        }
        nodes.sort_by(|a, b| a.node_id.cmp(&b.node_id));
        Ok(nodes)
    }

    /// One node, if it is up.
    pub async fn node(&self, node_id: &str) -> Result<Option<NodeRecord>, RegistryError> {
        read(&self.nodes, node_id).await
    }

    /// The node holding a live channel.
    pub async fn stream(&self, channel_id: i64) -> Result<Option<StreamRecord>, RegistryError> {
        read(&self.streams, &channel_id.to_string()).await
    }

    /// Every live channel with its node.
    pub async fn streams(&self) -> Result<HashMap<i64, StreamRecord>, RegistryError> {
        let keys = keys(&self.streams).await?;
        let mut streams = HashMap::new();
        for key in keys {
            let Ok(channel_id) = key.parse::<i64>() else {
                continue;
            };
            if let Some(record) = self.stream(channel_id).await? {
                streams.insert(channel_id, record);
            }
        }
        Ok(streams)
    }

    /// Announces a node (or renews its announcement).
    pub async fn announce(&self, node: &NodeRecord) -> Result<(), RegistryError> {
        check_node_id(&node.node_id)?;
        write(&self.nodes, &node.node_id, node).await
    }

    /// Removes a node's announcement (clean shutdown).
    pub async fn withdraw(&self, node_id: &str) -> Result<(), RegistryError> {
        self.nodes
            .delete(node_id)
            .await
            .map_err(|e| RegistryError::Write(e.to_string()))
    }

    async fn claim(&self, channel_id: i64, node_id: &str) -> Result<(), RegistryError> {
        let record = StreamRecord {
            node_id: node_id.to_owned(),
        };
        write(&self.streams, &channel_id.to_string(), &record).await
    }

    /// Removes a channel's entry if it still names `node_id` (a newer owner keeps its claim).
    async fn release(&self, channel_id: i64, node_id: &str) -> Result<(), RegistryError> {
        match self.stream(channel_id).await? {
            Some(record) if record.node_id == node_id => self
                .streams
                .delete(channel_id.to_string())
                .await
                .map_err(|e| RegistryError::Write(e.to_string())),
            _ => Ok(()),
        }
    }
}

/// Where a node runs and what it offers, re-read at every renewal (its load changes).
pub trait Announcement: Send + Sync + 'static {
    fn record(&self) -> NodeRecord;
}

/// Keeps a node's announcement and its live channels' claims renewed until `shutdown`, then
/// withdraws them. `hubs` is the ingest's hub registry (None on nodes without ingest).
pub async fn keep_announced(
    registry: Registry,
    announcement: Arc<dyn Announcement>,
    hubs: Option<Arc<HubRegistry>>,
    shutdown: CancellationToken,
) {
    let node_id = announcement.record().node_id;
    let mut claimed: HashSet<i64> = HashSet::new();
    let mut renew = tokio::time::interval(RENEW_EVERY);
    let mut check = tokio::time::interval(NEW_STREAM_CHECK);
    for ticker in [&mut renew, &mut check] {
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    }
    loop {
        let full = tokio::select! {
            () = shutdown.cancelled() => break,
            _ = renew.tick() => true,
            _ = check.tick() => false,
        };
        if full {
            if let Err(error) = registry.announce(&announcement.record()).await {
                tracing::warn!(%error, "could not renew this node's announcement");
            }
        }
        let Some(hubs) = &hubs else { continue };
        let live: HashSet<i64> = hubs.channels().into_iter().collect();
        for &channel_id in &live {
            if full || !claimed.contains(&channel_id) {
                match registry.claim(channel_id, &node_id).await {
                    Ok(()) => {
                        claimed.insert(channel_id);
                    }
                    Err(error) => tracing::warn!(channel_id, %error, "could not claim a stream"),
                }
            }
        }
        for channel_id in claimed.difference(&live).copied().collect::<Vec<_>>() {
            if let Err(error) = registry.release(channel_id, &node_id).await {
                tracing::warn!(channel_id, %error, "could not release a stream");
            }
            claimed.remove(&channel_id);
        }
    }
    for channel_id in claimed {
        let _ = registry.release(channel_id, &node_id).await;
    }
    if let Err(error) = registry.withdraw(&node_id).await {
        tracing::warn!(%error, "could not withdraw this node's announcement");
    }
}

/// Edges find a channel's origin here.
#[async_trait]
impl Locate for Registry {
    async fn origin(&self, channel_id: i64) -> Option<Origin> {
        let stream = self.stream(channel_id).await.ok()??;
        let node = self.node(&stream.node_id).await.ok()??;
        let relay = node.relay?;
        Some(Origin {
            node_id: node.node_id,
            relay_addr: relay.addr,
            fingerprint: relay.fingerprint,
        })
    }
}

/// Node ids are registry keys: a small safe alphabet, checked when the node starts.
pub fn check_node_id(node_id: &str) -> Result<(), RegistryError> {
    let fine = !node_id.is_empty()
        && node_id.len() <= 64
        && node_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if fine {
        Ok(())
    } else {
        Err(RegistryError::NodeId(node_id.to_owned()))
    }
}

/// Opens a bucket, making its stream first if needed. The stream is made directly, in the
/// key-value layout (`KV_<bucket>` over `$KV.<bucket>.>`, one message per key, roll-ups and
/// direct reads allowed), because the client's own bucket creation cannot read the answer of
/// the NATS 2.9 servers Debian ships; reads and writes then go through the client's KV API.
async fn bucket(
    jetstream: &jetstream::Context,
    name: &'static str,
    max_age: Duration,
) -> Result<kv::Store, RegistryError> {
    let failed = |error: String| RegistryError::Bucket {
        bucket: name,
        reason: error,
    };
    let config = jetstream::stream::Config {
        name: format!("KV_{name}"),
        subjects: vec![format!("$KV.{name}.>")],
        max_messages_per_subject: 1,
        max_age,
        // The server refuses a duplicate window longer than the age limit.
        duplicate_window: max_age.min(Duration::from_secs(120)),
        allow_rollup: true,
        deny_delete: true,
        allow_direct: true,
        discard: jetstream::stream::DiscardPolicy::New,
        storage: jetstream::stream::StorageType::File,
        num_replicas: 1,
        ..Default::default()
    };
    // A create can fail although the stream exists (seen as "subjects overlap with an existing
    // stream" when a lookup missed it, e.g. with nodes starting together): looking again finds it.
    let mut attempt = 0;
    loop {
        attempt += 1;
        match jetstream.get_or_create_stream(config.clone()).await {
            Ok(_) => break,
            Err(_) if attempt < 3 => continue,
            Err(error) => return Err(failed(error.to_string())),
        }
    }
    jetstream
        .get_key_value(name)
        .await
        .map_err(|error| failed(error.to_string()))
}

/// Every key in a bucket now. Listing reads a consumer the client makes for it, which no
/// request timeout covers, so it gets its own deadline.
async fn keys(store: &kv::Store) -> Result<Vec<String>, RegistryError> {
    let listing = async {
        store
            .keys()
            .await
            .map_err(|e| RegistryError::Read(e.to_string()))?
            .try_collect()
            .await
            .map_err(|e| RegistryError::Read(e.to_string()))
    };
    tokio::time::timeout(LISTING_TIMEOUT, listing)
        .await
        .unwrap_or_else(|_| Err(RegistryError::Read("listing the keys timed out".into())))
}

async fn read<T: for<'de> Deserialize<'de>>(
    store: &kv::Store,
    key: &str,
) -> Result<Option<T>, RegistryError> {
    let Some(bytes) = store
        .get(key)
        .await
        .map_err(|e| RegistryError::Read(e.to_string()))?
    else {
        return Ok(None);
    };
    if bytes.is_empty() {
        return Ok(None);
    }
    match serde_json::from_slice(&bytes) {
        Ok(value) => Ok(Some(value)),
        Err(error) => {
            tracing::warn!(key, %error, "ignoring a registry entry this version cannot read");
            Ok(None)
        }
    }
}

async fn write<T: Serialize>(store: &kv::Store, key: &str, value: &T) -> Result<(), RegistryError> {
    let bytes = serde_json::to_vec(value).map_err(|e| RegistryError::Write(e.to_string()))?;
    store
        .put(key, bytes.into())
        .await
        .map(drop)
        .map_err(|e| RegistryError::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ids_are_checked_before_they_become_keys() {
        assert!(check_node_id("ingest-1_eu").is_ok());
        assert!(check_node_id("0123456789abcdef0123456789abcdef").is_ok());
        for bad in ["", "a.b", "a b", "nöde", &"x".repeat(65)] {
            assert!(check_node_id(bad).is_err(), "{bad:?}");
        }
    }
}
