//! The edge side of the relay: pulls a channel from its ingest node when the first viewer asks
//! for it, into a local hub that this edge's viewers subscribe to like any other, and lets go
//! after the last viewer has been gone for a while. One QUIC connection per ingest node serves
//! every channel this edge pulls from it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use bytes::BytesMut;
use shimmer_media::hub::{HubRegistry, MediaKind, StreamHub};
use tokio_util::sync::CancellationToken;

use super::frame::{self, Frame, RelayInfo, KEYFRAME_REQUEST};
use super::{tls, RelayError};

/// Where a channel's stream is ingested, as the registry knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The ingest node's id.
    pub node_id: String,
    /// Its relay's UDP address.
    pub relay_addr: SocketAddr,
    /// Its relay certificate's fingerprint.
    pub fingerprint: String,
}

/// Answers where a live channel is ingested: the node registry in a cluster.
#[async_trait]
pub trait Locate: Send + Sync + 'static {
    /// The channel's origin, or None if it is not live anywhere.
    async fn origin(&self, channel_id: i64) -> Option<Origin>;
}

/// How long [`RelayClient::pull`] waits for the stream's first frame.
const PULL_TIMEOUT: Duration = Duration::from_secs(5);
/// How often the pump checks whether anyone still watches.
const IDLE_CHECK: Duration = Duration::from_secs(1);
/// How long an edge looks for the ingest node of a channel the registry does not list yet.
const CLAIM_GRACE: Duration = Duration::from_secs(1);
/// How long a lost relay is retried before the edge gives the channel up.
const RECONNECT_FOR: Duration = Duration::from_secs(5);

/// Settings of an edge's relay client.
#[derive(Debug, Clone)]
pub struct RelayClientConfig {
    /// How long a pulled channel is kept after its last viewer left (a viewer reloading the page
    /// finds it still there).
    pub linger: Duration,
}

impl Default for RelayClientConfig {
    fn default() -> Self {
        Self {
            linger: Duration::from_secs(10),
        }
    }
}

/// Pulls channels from ingest nodes into this node's hubs.
#[derive(Clone)]
pub struct RelayClient {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: quinn::Endpoint,
    hubs: Arc<HubRegistry>,
    locator: Arc<dyn Locate>,
    config: RelayClientConfig,
    /// One connection per ingest node (by fingerprint: a restarted node is a new one).
    connections: Mutex<HashMap<String, quinn::Connection>>,
    /// One pull at a time per channel.
    pulls: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
    shutdown: CancellationToken,
}

impl RelayClient {
    /// A client on an ephemeral UDP port of `bind_ip`'s family.
    pub fn new(
        bind: SocketAddr,
        hubs: Arc<HubRegistry>,
        locator: Arc<dyn Locate>,
        config: RelayClientConfig,
        shutdown: CancellationToken,
    ) -> Result<Self, RelayError> {
        let endpoint = quinn::Endpoint::client(bind).map_err(RelayError::Bind)?;
        Ok(Self {
            inner: Arc::new(Inner {
                endpoint,
                hubs,
                locator,
                config,
                connections: Mutex::new(HashMap::new()),
                pulls: Mutex::new(HashMap::new()),
                shutdown,
            }),
        })
    }

    /// The channel's hub on this node: the one already here, or one pulled from its ingest node
    /// now. None if the channel is not live anywhere or its ingest cannot be reached in time.
    pub async fn pull(&self, channel_id: i64) -> Option<Arc<StreamHub>> {
        if let Some(hub) = self.inner.hubs.get(channel_id) {
            return Some(hub);
        }
        let gate = self
            .inner
            .pulls
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(channel_id)
            .or_default()
            .clone();
        let _one_at_a_time = gate.lock().await;
        if let Some(hub) = self.inner.hubs.get(channel_id) {
            return Some(hub);
        }
        let started = Instant::now();
        match tokio::time::timeout(PULL_TIMEOUT, self.open(channel_id)).await {
            Ok(Ok(Some((origin, stream, info)))) => {
                let hub = self.inner.hubs.create(channel_id, info.to_stream_info());
                metrics::histogram!("shimmer_relay_pull_seconds")
                    .record(started.elapsed().as_secs_f64());
                tracing::info!(channel_id, origin = %origin.node_id, "pulling a channel from its ingest node");
                tokio::spawn(pump(self.clone(), hub.clone(), origin, stream));
                Some(hub)
            }
            Ok(Ok(None)) => None,
            Ok(Err(error)) => {
                tracing::warn!(channel_id, %error, "could not pull a channel from its ingest node");
                None
            }
            Err(_) => {
                tracing::warn!(channel_id, "pulling a channel timed out");
                None
            }
        }
    }

    async fn connection(&self, origin: &Origin) -> Result<quinn::Connection, RelayError> {
        let cached = self
            .inner
            .connections
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&origin.fingerprint)
            .cloned();
        if let Some(connection) = cached.filter(|c| c.close_reason().is_none()) {
            return Ok(connection);
        }
        let config = tls::client_config(&origin.fingerprint)?;
        let connection = self
            .inner
            .endpoint
            .connect_with(config, origin.relay_addr, tls::SERVER_NAME)
            .map_err(|error| RelayError::Connect(error.to_string()))?
            .await
            .map_err(|error| RelayError::Connect(error.to_string()))?;
        self.inner
            .connections
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(origin.fingerprint.clone(), connection.clone());
        Ok(connection)
    }

    /// Where the channel is ingested. A channel that has just gone live may reach the viewer
    /// (through the live status) a moment before its ingest node's claim reaches the registry,
    /// so an unknown channel is looked up again for [`CLAIM_GRACE`].
    async fn locate(&self, channel_id: i64) -> Option<Origin> {
        let until = Instant::now() + CLAIM_GRACE;
        loop {
            if let Some(origin) = self.inner.locator.origin(channel_id).await {
                return Some(origin);
            }
            if Instant::now() >= until {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Asks the channel's origin for it. Ok(None) when it is not live there.
    async fn open(
        &self,
        channel_id: i64,
    ) -> Result<Option<(Origin, Stream, RelayInfo)>, RelayError> {
        let Some(origin) = self.locate(channel_id).await else {
            return Ok(None);
        };
        let connection = self.connection(&origin).await?;
        let (mut send, recv) = connection
            .open_bi()
            .await
            .map_err(|error| RelayError::Connect(error.to_string()))?;
        send.write_all(&channel_id.to_be_bytes())
            .await
            .map_err(|error| RelayError::Connect(error.to_string()))?;
        let mut stream = Stream {
            send,
            recv,
            buffer: BytesMut::with_capacity(64 * 1024),
        };
        match stream.next().await? {
            Some(Frame::Info(info)) => Ok(Some((origin, stream, info))),
            Some(Frame::Offline) | None => Ok(None),
            Some(_) => Err(RelayError::Protocol(
                "the stream did not start with its info",
            )),
        }
    }
}

/// One channel's relay stream, as the edge reads it.
struct Stream {
    send: quinn::SendStream,
    recv: quinn::RecvStream,
    buffer: BytesMut,
}

impl Stream {
    /// The next frame; None when the ingest finished the stream.
    async fn next(&mut self) -> Result<Option<Frame>, RelayError> {
        loop {
            if let Some(frame) = frame::decode(&mut self.buffer).map_err(RelayError::Frame)? {
                return Ok(Some(frame));
            }
            let mut chunk = [0u8; 16 * 1024];
            match self.recv.read(&mut chunk).await {
                Ok(Some(n)) => self.buffer.extend_from_slice(&chunk[..n]),
                Ok(None) if self.buffer.is_empty() => return Ok(None),
                Ok(None) => return Err(RelayError::Protocol("the stream ended inside a frame")),
                Err(error) => return Err(RelayError::Connect(error.to_string())),
            }
        }
    }
}

/// How a pump ended.
enum Ending {
    /// The stream ended on its ingest node.
    StreamEnded,
    /// No viewer for the linger time.
    Idle,
    /// The edge is shutting down.
    Shutdown,
    /// The relay broke (connection lost, bad frame).
    Lost(RelayError),
}

/// Moves one channel's packets from the relay stream into the local hub, forwards viewers'
/// keyframe requests, reconnects a lost relay to the same origin, and ends the hub when the
/// stream ends or nobody watches any more.
async fn pump(client: RelayClient, hub: Arc<StreamHub>, mut origin: Origin, mut stream: Stream) {
    let channel_id = hub.channel_id();
    let mut order = PacketOrder::default();
    metrics::gauge!("shimmer_relay_channels_pulled").increment(1.0);
    loop {
        match pump_stream(&client, &hub, &mut stream, &mut order).await {
            Ending::Lost(error) => {
                tracing::warn!(channel_id, %error, "the relay of a channel broke; reconnecting");
                match reconnect(&client, channel_id, &origin).await {
                    Some((again, new_stream)) => {
                        origin = again;
                        // The ingest starts again at its keyframe cache; `order` drops what
                        // this hub has already published.
                        stream = new_stream;
                        continue;
                    }
                    None => {
                        tracing::warn!(channel_id, "gave up a channel whose relay was lost");
                        break;
                    }
                }
            }
            Ending::StreamEnded => {
                tracing::info!(channel_id, "a relayed stream ended on its ingest node");
                break;
            }
            Ending::Idle => {
                tracing::info!(
                    channel_id,
                    "no viewers left; letting go of a relayed channel"
                );
                let _ = stream.send.finish();
                break;
            }
            Ending::Shutdown => break,
        }
    }
    client.inner.hubs.remove(&hub);
    metrics::gauge!("shimmer_relay_channels_pulled").decrement(1.0);
}

async fn reconnect(
    client: &RelayClient,
    channel_id: i64,
    lost: &Origin,
) -> Option<(Origin, Stream)> {
    let until = Instant::now() + RECONNECT_FOR;
    let mut wait = Duration::from_millis(100);
    while Instant::now() < until && !client.inner.shutdown.is_cancelled() {
        match client.open(channel_id).await {
            // Only the same origin continues the same hub: another ingest node means a new
            // stream (new sequence numbers), which viewers pick up from the live status.
            Ok(Some((origin, stream, _))) if origin.node_id == lost.node_id => {
                return Some((origin, stream))
            }
            Ok(_) => return None,
            Err(error) => tracing::debug!(channel_id, %error, "relay reconnect failed"),
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(1));
    }
    None
}

async fn pump_stream(
    client: &RelayClient,
    hub: &Arc<StreamHub>,
    stream: &mut Stream,
    order: &mut PacketOrder,
) -> Ending {
    let mut idle_since: Option<Instant> = None;
    let mut idle_check = tokio::time::interval(IDLE_CHECK);
    loop {
        tokio::select! {
            () = client.inner.shutdown.cancelled() => return Ending::Shutdown,
            frame = stream.next() => match frame {
                Ok(Some(Frame::Packet(packet))) => {
                    if order.accept(packet.kind, packet.sequence, packet.keyframe_start) {
                        metrics::counter!("shimmer_relay_packets_received_total").increment(1);
                        hub.publish(packet.into_media_packet(std::time::Instant::now()));
                    }
                }
                Ok(Some(Frame::Resync)) => order.wait_for_keyframe(),
                Ok(Some(Frame::Info(_))) => {
                    return Ending::Lost(RelayError::Protocol("a second info frame"))
                }
                Ok(Some(Frame::Offline) | None) => return Ending::StreamEnded,
                Err(error) => return Ending::Lost(error),
            },
            () = hub.keyframe_requested() => {
                if let Err(error) = stream.send.write_all(&[KEYFRAME_REQUEST]).await {
                    return Ending::Lost(RelayError::Connect(error.to_string()));
                }
            }
            _ = idle_check.tick() => {
                if hub.stats().subscribers > 0 {
                    idle_since = None;
                } else if idle_since.get_or_insert_with(Instant::now).elapsed() >= client.inner.config.linger {
                    return Ending::Idle;
                }
            }
        }
    }
}

/// Which relayed packets the edge's hub takes: each packet once, in order, and after a skip
/// or a reconnect, video only from a keyframe start.
#[derive(Debug, Default)]
struct PacketOrder {
    last_video: Option<u16>,
    last_audio: Option<u16>,
    waiting_keyframe: bool,
}

impl PacketOrder {
    fn accept(&mut self, kind: MediaKind, sequence: u16, keyframe_start: bool) -> bool {
        let last = match kind {
            MediaKind::Video => &mut self.last_video,
            MediaKind::Audio => &mut self.last_audio,
        };
        // Within half the sequence space ahead is newer; anything else was seen already.
        if let Some(previous) = *last {
            let ahead = sequence.wrapping_sub(previous);
            if ahead == 0 || ahead >= 0x8000 {
                return false;
            }
        }
        if kind == MediaKind::Video && self.waiting_keyframe {
            if !keyframe_start {
                return false;
            }
            self.waiting_keyframe = false;
        }
        *last = Some(sequence);
        true
    }

    fn wait_for_keyframe(&mut self) {
        self.waiting_keyframe = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_are_taken_once_in_order_and_video_resumes_at_a_keyframe() {
        let mut order = PacketOrder::default();
        assert!(order.accept(MediaKind::Video, 65_534, true));
        assert!(order.accept(MediaKind::Video, 65_535, false));
        assert!(order.accept(MediaKind::Video, 0, false), "across the wrap");
        assert!(!order.accept(MediaKind::Video, 65_535, false), "a replay");
        assert!(!order.accept(MediaKind::Video, 0, false), "a duplicate");
        assert!(
            order.accept(MediaKind::Audio, 10, false),
            "tracks are apart"
        );
        order.wait_for_keyframe();
        assert!(!order.accept(MediaKind::Video, 5, false));
        assert!(order.accept(MediaKind::Audio, 11, false), "audio goes on");
        assert!(order.accept(MediaKind::Video, 9, true));
        assert!(order.accept(MediaKind::Video, 10, false));
    }
}
