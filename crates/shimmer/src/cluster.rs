//! The binary's side of the cluster: connects the registry, the relay and edge routing of
//! `shimmer-cluster` to this node's engine, hubs and domain. Translation only; the rules live in
//! `shimmer-cluster` (routing, leases) and `shimmer-platform` (ending a lost node's streams).

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use shimmer_cluster::registry::{Announcement, NodeRecord, Registry, RelayEndpoint};
use shimmer_cluster::relay::{RelayClient, RelayClientConfig, RelayServer};
use shimmer_cluster::routing::{self, Route};
use shimmer_cluster::Roles;
use shimmer_images::live::ThumbnailObserver;
use shimmer_images::{LiveThumbnail, LiveThumbnails};
use shimmer_media::hub::{HubRegistry, StreamHub};
use shimmer_platform::Platform;
use shimmer_webrtc::{Engine, HubSource, Placement, ViewerPlacement};
use tokio_util::sync::CancellationToken;

use crate::config::Config;

/// How often a web node looks for streams whose ingest node is gone.
const LOST_NODE_SWEEP: Duration = Duration::from_secs(1);
/// How long a node must stay missing (after its lease ran out) before its streams are ended:
/// two renewals, so one late renewal of a loaded node ends nothing.
const LOST_NODE_GRACE: Duration = Duration::from_secs(2);

/// What this node announces, read afresh at each renewal.
pub struct ThisNode {
    pub node_id: String,
    pub roles: Roles,
    pub base_url: String,
    pub zone: String,
    pub relay: Option<RelayEndpoint>,
    /// None on a web-only node, which serves no viewers itself.
    pub engine: Option<Engine>,
    pub hubs: Arc<HubRegistry>,
    pub capacity: usize,
    /// Set when shutdown begins: edges take no new viewers.
    pub draining: AtomicBool,
}

impl ThisNode {
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::Relaxed);
    }
}

impl Announcement for ThisNode {
    fn record(&self) -> NodeRecord {
        NodeRecord {
            node_id: self.node_id.clone(),
            roles: self.roles,
            base_url: self.base_url.clone(),
            relay: self.relay.clone(),
            viewers: self.engine.as_ref().map_or(0, Engine::session_count),
            capacity: if self.roles.edge { self.capacity } else { 0 },
            streams: if self.roles.ingest {
                self.hubs.len()
            } else {
                0
            },
            relayed: if self.roles.edge && !self.roles.ingest {
                self.hubs.channels()
            } else {
                Vec::new()
            },
            draining: self.draining.load(Ordering::Relaxed),
            zone: self.zone.clone(),
        }
    }
}

/// The registry's node list as of its last renewal, read once a second by one task, so placing
/// a viewer costs no registry listing (which, on NATS, means making a consumer). On a web node
/// it also keeps the site's `connect-src` open to the edges its players may be redirected to.
pub struct NodeDirectory {
    nodes: std::sync::RwLock<Arc<Vec<NodeRecord>>>,
    /// This node's id and the site's playback origins, on a web node.
    edge_origins: Option<(String, shimmer_web::PlaybackOrigins)>,
}

impl NodeDirectory {
    /// An empty directory; `edge_origins` (this node's id and the site's playback origins) on a
    /// web node.
    pub fn new(edge_origins: Option<(String, shimmer_web::PlaybackOrigins)>) -> Self {
        Self {
            nodes: Default::default(),
            edge_origins,
        }
    }

    /// The nodes as last read.
    pub fn nodes(&self) -> Arc<Vec<NodeRecord>> {
        self.nodes.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Re-reads the node list every renewal until shutdown. A failed read keeps the last list.
    pub async fn follow(self: Arc<Self>, registry: Registry, shutdown: CancellationToken) {
        let mut ticker = tokio::time::interval(shimmer_cluster::registry::RENEW_EVERY);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                _ = ticker.tick() => {}
            }
            match registry.nodes().await {
                Ok(nodes) => self.replace(nodes),
                Err(error) => tracing::warn!(%error, "could not read the node list"),
            }
        }
    }

    fn replace(&self, nodes: Vec<NodeRecord>) {
        if let Some((me, origins)) = &self.edge_origins {
            origins.set(
                nodes
                    .iter()
                    .filter(|node| node.roles.edge && &node.node_id != me)
                    .map(|node| node.base_url.clone()),
            );
        }
        *self.nodes.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(nodes);
    }
}

/// Places each WHEP offer: here when this node is an edge with room, else on the edge closest
/// to the channel's ingest node.
pub struct EdgePlacement {
    registry: Registry,
    directory: Arc<NodeDirectory>,
    node: Arc<ThisNode>,
    /// Viewers sent to each edge since its registry entry last changed, counted as its load
    /// until the edge's next renewal says how many it has: a burst of viewers is spread over
    /// the edges instead of all going to the one that looked emptiest a second ago.
    sent: std::sync::Mutex<HashMap<String, (usize, usize)>>,
}

impl EdgePlacement {
    pub fn new(registry: Registry, directory: Arc<NodeDirectory>, node: Arc<ThisNode>) -> Self {
        Self {
            registry,
            directory,
            node,
            sent: Default::default(),
        }
    }

    /// The registry's view with this node's recent redirects added to each edge's viewers.
    fn with_recent_redirects(&self, nodes: &[NodeRecord]) -> Vec<NodeRecord> {
        let mut nodes = nodes.to_vec();
        let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
        sent.retain(|id, _| nodes.iter().any(|node| &node.node_id == id));
        for node in &mut nodes {
            let entry = sent
                .entry(node.node_id.clone())
                .or_insert((node.viewers, 0));
            if entry.0 != node.viewers {
                *entry = (node.viewers, 0);
            }
            node.viewers += entry.1;
        }
        nodes
    }

    fn note_redirect(&self, base_url: &str, nodes: &[NodeRecord]) {
        if let Some(node) = nodes.iter().find(|node| node.base_url == base_url) {
            let mut sent = self.sent.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(entry) = sent.get_mut(&node.node_id) {
                entry.1 += 1;
            }
        }
    }
}

#[async_trait::async_trait]
impl ViewerPlacement for EdgePlacement {
    async fn place(&self, channel_id: i64) -> Placement {
        let node = &self.node;
        let here = node.roles.edge
            && node.engine.as_ref().is_some_and(Engine::has_room)
            && !node.draining.load(Ordering::Relaxed);
        if here {
            return Placement::Here;
        }
        let ingest = match self.registry.stream(channel_id).await {
            Ok(stream) => stream.map(|record| record.node_id),
            Err(error) => {
                tracing::debug!(%error, "the stream registry is unavailable; placing by load");
                None
            }
        };
        let mut nodes = self.with_recent_redirects(&self.directory.nodes());
        let mut route = routing::choose(&nodes, &node.node_id, false, ingest.as_deref());
        if route == Route::Full {
            // The list may be a renewal old (an edge just started, or this node just did):
            // read it afresh before refusing anyone.
            if let Ok(fresh) = self.registry.nodes().await {
                self.directory.replace(fresh);
                nodes = self.with_recent_redirects(&self.directory.nodes());
                route = routing::choose(&nodes, &node.node_id, false, ingest.as_deref());
            }
        }
        match route {
            Route::Here => Placement::Here,
            Route::To(base_url) => {
                self.note_redirect(&base_url, &nodes);
                Placement::Elsewhere(base_url)
            }
            Route::Full => Placement::Full,
        }
    }
}

/// Where a web node sends HLS players: the edge the cluster's placement picks for a viewer.
pub struct HlsEdges {
    pub resolver: Arc<crate::ingest_adapter::StoreChannelResolver>,
    pub placement: Arc<dyn shimmer_webrtc::ViewerPlacement>,
}

#[async_trait::async_trait]
impl shimmer_hls::EdgeRedirect for HlsEdges {
    async fn channel(&self, name: &str) -> Option<i64> {
        use shimmer_webrtc::ChannelResolver;
        self.resolver.resolve(name).await
    }

    async fn edge(&self, channel_id: i64) -> Option<String> {
        match self.placement.place(channel_id).await {
            shimmer_webrtc::Placement::Elsewhere(base) => Some(base),
            shimmer_webrtc::Placement::Here | shimmer_webrtc::Placement::Full => None,
        }
    }
}

/// An edge's source of hubs it does not hold: the relay.
pub struct RelaySource(pub RelayClient);

#[async_trait::async_trait]
impl HubSource for RelaySource {
    async fn hub(&self, channel_id: i64) -> Option<Arc<StreamHub>> {
        self.0.pull(channel_id).await
    }
}

/// Ends the streams of ingest nodes that left the cluster without ending them, until shutdown.
///
/// A node counts as gone once its lease ran out and it stayed missing for [`LOST_NODE_GRACE`] while
/// the registry answered and listed this node itself (so a NATS restart, which may empty the
/// registry for a moment, ends nothing).
pub async fn end_streams_of_lost_nodes(
    platform: Platform,
    registry: Registry,
    me: String,
    shutdown: CancellationToken,
) {
    let mut ticker = tokio::time::interval(LOST_NODE_SWEEP);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut missing_since: HashMap<String, Instant> = HashMap::new();
    let mut registry_whole_since: Option<Instant> = None;
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = ticker.tick() => {}
        }
        let live: HashSet<String> = match registry.nodes().await {
            Ok(nodes) => nodes.into_iter().map(|node| node.node_id).collect(),
            Err(error) => {
                tracing::debug!(%error, "registry unavailable; no lost-node sweep");
                registry_whole_since = None;
                continue;
            }
        };
        if !live.contains(&me) {
            registry_whole_since = None;
            continue;
        }
        let whole_since = *registry_whole_since.get_or_insert_with(Instant::now);
        let open = match platform.open_stream_nodes().await {
            Ok(open) => open,
            Err(error) => {
                tracing::debug!(%error, "database unavailable; no lost-node sweep");
                continue;
            }
        };
        let now = Instant::now();
        missing_since.retain(|node, _| open.contains(node) && !live.contains(node));
        let mut keep = live.clone();
        for node in open.difference(&live) {
            let since = *missing_since.entry(node.clone()).or_insert(now);
            let gone_for = now.duration_since(since.max(whole_since));
            if gone_for < LOST_NODE_GRACE {
                keep.insert(node.clone());
            }
        }
        match platform.end_streams_of_lost_nodes(&keep).await {
            Ok(0) => {}
            Ok(ended) => {
                tracing::warn!(ended, "ended streams of ingest nodes that left the cluster")
            }
            Err(error) => tracing::warn!(%error, "could not end the streams of lost nodes"),
        }
    }
}

/// Shares this node's live thumbnails (rendered here, or uploaded through its API) with the
/// other nodes: the observer queues each change, a task writes it to the registry. A full
/// queue drops the change; the next rendering (every `thumbnails.interval_ms`) repairs it.
pub struct ThumbnailSharer {
    changes: tokio::sync::mpsc::Sender<(i64, Option<Arc<LiveThumbnail>>)>,
}

impl ThumbnailSharer {
    pub fn start(registry: Registry, node_id: String) -> Arc<Self> {
        let (changes, mut queued) = tokio::sync::mpsc::channel(64);
        tokio::spawn(async move {
            while let Some((channel_id, thumbnail)) = queued.recv().await {
                let written = match thumbnail {
                    Some(thumbnail) => {
                        let thumbnail: Arc<LiveThumbnail> = thumbnail;
                        registry
                            .put_thumbnail(channel_id, &node_id, &thumbnail.to_bytes())
                            .await
                    }
                    None => registry.delete_thumbnail(channel_id).await,
                };
                if let Err(error) = written {
                    tracing::warn!(channel_id, %error, "could not share a live thumbnail");
                }
            }
        });
        Arc::new(Self { changes })
    }
}

impl ThumbnailObserver for ThumbnailSharer {
    fn changed(&self, channel_id: i64, thumbnail: Option<Arc<LiveThumbnail>>) {
        let _ = self.changes.try_send((channel_id, thumbnail));
    }
}

/// Keeps a web node's thumbnails current with the ones other nodes share, until shutdown.
pub async fn follow_thumbnails(
    registry: Registry,
    me: String,
    thumbnails: Arc<LiveThumbnails>,
    shutdown: CancellationToken,
) {
    use futures::StreamExt;
    while !shutdown.is_cancelled() {
        match registry.watch_thumbnails().await {
            Ok(mut changes) => loop {
                let change = tokio::select! {
                    () = shutdown.cancelled() => return,
                    change = changes.next() => change,
                };
                let Some(change) = change else { break };
                if change.node_id == me {
                    continue;
                }
                let thumbnail = change.bytes.as_deref().and_then(LiveThumbnail::from_bytes);
                thumbnails.copy_from_cluster(change.channel_id, thumbnail);
            },
            Err(error) => tracing::debug!(%error, "cannot watch shared thumbnails yet"),
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

/// Starts this node's part in the cluster: the relay on an ingest node, the relay client on an
/// edge, and the announcement of the node and its streams in the registry (the returned task
/// withdraws them when shutdown begins; await it before going on).
pub async fn join(
    config: &Config,
    roles: Roles,
    node_id: &str,
    registry: &Registry,
    engine: Option<&shimmer_webrtc::Engine>,
    hubs: &Arc<shimmer_media::hub::HubRegistry>,
    tasks: &crate::tasks::Tasks,
) -> anyhow::Result<(Arc<ThisNode>, tokio::task::JoinHandle<()>)> {
    let shutdown = tasks.shutdown();
    let relay = if roles.ingest {
        let bind: SocketAddr = config.relay_bind.parse().with_context(|| {
            format!("relay_bind {:?} is not an address:port", config.relay_bind)
        })?;
        let server = RelayServer::bind(bind, hubs.clone()).context("could not start the relay")?;
        let addr = advertised_relay(config, server.local_addr()).await?;
        let endpoint = RelayEndpoint {
            addr,
            fingerprint: server.fingerprint().to_owned(),
        };
        tracing::info!(bind = %server.local_addr(), advertised = %addr, "relay listening");
        tasks.spawn("relay server", server.run(shutdown.clone()));
        Some(endpoint)
    } else {
        None
    };
    if let (true, Some(engine)) = (roles.edge, engine) {
        let bind: SocketAddr = if engine.local_addr().is_ipv6() {
            "[::]:0".parse()?
        } else {
            "0.0.0.0:0".parse()?
        };
        let client = RelayClient::new(
            bind,
            hubs.clone(),
            Arc::new(registry.clone()),
            RelayClientConfig::default(),
            shutdown.clone(),
        )
        .context("could not start the relay client")?;
        engine.set_hub_source(Arc::new(RelaySource(client)));
    }
    let node = Arc::new(ThisNode {
        node_id: node_id.to_owned(),
        roles,
        base_url: config.base_url().trim_end_matches('/').to_owned(),
        zone: config.zone.clone(),
        relay,
        engine: engine.cloned(),
        hubs: hubs.clone(),
        capacity: engine.map_or(0, |engine| engine.config().max_sessions),
        draining: Default::default(),
    });
    // Announced before ingest takes streams, so no other node takes this one's streams for a
    // lost node's.
    registry
        .announce(&shimmer_cluster::registry::Announcement::record(&*node))
        .await
        .context("could not announce this node in the registry")?;
    let announcer = tasks.spawn(
        "registry announcer",
        shimmer_cluster::registry::keep_announced(
            registry.clone(),
            node.clone(),
            roles.ingest.then(|| hubs.clone()),
            shutdown.clone(),
        ),
    );
    Ok((node, announcer))
}

/// The relay address edges use: `relay_advertise` (resolved once, at start-up), else the bound address with an unspecified
/// IP replaced by loopback (fine on one machine; a real cluster sets `relay_advertise`).
async fn advertised_relay(config: &Config, bound: SocketAddr) -> anyhow::Result<SocketAddr> {
    if let Some(advertise) = &config.relay_advertise {
        return tokio::net::lookup_host(advertise.as_str())
            .await
            .ok()
            .and_then(|mut addresses| addresses.next())
            .with_context(|| {
                format!(
                    "relay_advertise {advertise:?} is not a reachable host:port or address:port"
                )
            });
    }
    if bound.ip().is_unspecified() {
        tracing::warn!(
            %bound,
            "relay_bind listens on every address; edges are told 127.0.0.1 (set relay_advertise \
             to this node's address for edges on other machines)"
        );
        let loopback: std::net::IpAddr = if bound.is_ipv6() {
            std::net::Ipv6Addr::LOCALHOST.into()
        } else {
            std::net::Ipv4Addr::LOCALHOST.into()
        };
        return Ok(SocketAddr::new(loopback, bound.port()));
    }
    Ok(bound)
}
