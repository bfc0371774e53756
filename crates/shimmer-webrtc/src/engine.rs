//! The WebRTC playback engine: the shared UDP socket, its demux task, and the viewer sessions.
//!
//! ```text
//!  POST offer ─► Engine::create_session ─► Rtc (ICE-lite, RTP mode) + answer
//!                                             │ hand over (least busy driver)
//!  UDP :8189 ─► demux (ufrag / source addr) ─► viewer driver ◄── one hub subscription per
//!                (tagged with the viewer's key)  (many viewers)   stream it serves
//!                                             │
//!                                             └─► SRTP datagrams out of the same socket
//!                                                 (sendmmsg, GSO runs)
//! ```
//!
//! Start it with [`Engine::start`], stop it with [`Engine::shutdown`] (ends every session,
//! telling each viewer, and waits for them with a deadline).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use shimmer_bus::{Bus, Event as BusEvent};
use shimmer_media::{HubRegistry, MediaKind, StreamHub};
use str0m::config::DtlsCert;
use str0m::format::{Codec, CodecSpec, FormatParams};
use str0m::media::{Frequency, Mid};
use str0m::rtp::Extension;
use str0m::{Candidate, Output, Rtc, RtcConfig};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, watch, Notify};

use crate::candidates::candidate_addrs;
use crate::config::WebRtcConfig;
use crate::demux::{self, Datagram, DemuxCommand};
use crate::metrics::{ChannelMetrics, NodeCounters};
use crate::offer::ValidOffer;
use crate::profile::{choose_h264, Fit, H264Choice};
use crate::rewrite::Rewriter;
use crate::viewer::machine::{CoreParts, ViewerCore};
use crate::viewer::shard::{Driver, DriverIo, NewViewer, SessionObserver};
use crate::viewer::{EndReason, TrackOut};

/// Payload types our local codec config proposes (the browser's own PTs win in the answer,
/// since a recvonly offer states what the browser will receive).
const PT_H264: u8 = 102;
const PT_H264_RTX: u8 = 103;
const PT_OPUS: u8 = 111;
/// Our id for the MID header extension (the one Chrome uses; an offer's own id wins).
const MID_EXTENSION_ID: u8 = 4;

/// Datagrams queued for a publisher session between the demux and its task.
const SESSION_INBOX: usize = 256;

/// Longest time a POST waits for a just-started stream's first SPS (needed for the answer's
/// profile-level-id).
const SPS_WAIT: Duration = Duration::from_secs(3);

/// Why the engine could not start.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The UDP socket could not be bound.
    #[error("could not bind the WebRTC UDP socket on {addr}: {source}")]
    Bind {
        /// The configured address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// No address to announce to viewers.
    #[error("no ICE candidate address: set webrtc.public_ip or webrtc.candidate_ips")]
    NoCandidates,
    /// The DTLS certificate could not be generated.
    #[error("could not generate the DTLS certificate")]
    Certificate,
}

/// Why a viewer session could not be created. The HTTP layer maps each to a status code.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The channel has no live stream (404).
    #[error("channel is offline")]
    Offline,
    /// The stream has not produced an SPS yet (503, retry).
    #[error("the stream has not sent its first keyframe yet")]
    NotReady,
    /// The session cap is reached (503).
    #[error("too many viewer sessions on this server")]
    Full,
    /// The engine is shutting down (503).
    #[error("the server is shutting down")]
    ShuttingDown,
    /// The offer cannot be answered (400): no usable H.264 format, str0m refused it, ...
    #[error("cannot answer the offer: {0}")]
    Negotiation(String),
    /// Answering panicked inside str0m (500): a defect on our side, logged by the process's
    /// panic hook; the offer is not the viewer's fault.
    #[error("the server could not answer this offer (an internal error, logged)")]
    Internal,
}

/// A created session: what the WHEP POST returns.
#[derive(Debug, Clone)]
pub struct CreatedSession {
    /// Opaque, unguessable id (32 hex digits); part of the session URL.
    pub session_id: String,
    /// The SDP answer.
    pub answer_sdp: String,
    /// The stream has B-frames (the hub saw frames out of order): the viewer will see them
    /// jitter, and a player that can should switch to HLS.
    pub b_frames: bool,
}

/// Where the engine finds a channel's hub that is not on this node. An edge of a cluster pulls
/// it from the channel's ingest node; without a source only local hubs play.
#[async_trait::async_trait]
pub trait HubSource: Send + Sync + 'static {
    /// The channel's hub, now on this node, or None if the channel is not live anywhere.
    async fn hub(&self, channel_id: i64) -> Option<Arc<StreamHub>>;
}

struct SessionEntry {
    channel_id: i64,
    /// Its driver (index in [`Inner::drivers`]) and its key there.
    driver: usize,
    key: u64,
    /// A DELETE was passed on; the driver is ending it.
    ending: bool,
}

struct Inner {
    config: WebRtcConfig,
    hubs: Arc<HubRegistry>,
    bus: Arc<dyn Bus>,
    socket: Arc<UdpSocket>,
    /// The tasks that run the viewers ([`crate::viewer::shard`]).
    drivers: Vec<Driver>,
    next_key: AtomicU64,
    local_addr: SocketAddr,
    candidates: Vec<SocketAddr>,
    cert: DtlsCert,
    demux: mpsc::Sender<DemuxCommand>,
    sessions: Mutex<HashMap<String, SessionEntry>>,
    sessions_changed: Notify,
    shutdown: watch::Sender<bool>,
    node: Arc<NodeCounters>,
    hub_source: std::sync::OnceLock<Arc<dyn HubSource>>,
}

/// Handle to the running engine. Cheap to clone; all clones control the same engine.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("local_addr", &self.inner.local_addr)
            .field("candidates", &self.inner.candidates)
            .finish()
    }
}

impl Engine {
    /// Binds the UDP socket and starts the demux task. Must be called inside a tokio runtime.
    pub async fn start(
        config: WebRtcConfig,
        hubs: Arc<HubRegistry>,
        bus: Arc<dyn Bus>,
    ) -> Result<Self, EngineError> {
        let socket = bind_socket(&config).map_err(|source| EngineError::Bind {
            addr: config.bind,
            source,
        })?;
        let local_addr = socket.local_addr().map_err(|source| EngineError::Bind {
            addr: config.bind,
            source,
        })?;
        let candidates = candidate_addrs(&config, local_addr);
        if candidates.is_empty() {
            return Err(EngineError::NoCandidates);
        }
        let provider = str0m::crypto::from_feature_flags();
        let cert = provider
            .dtls_provider
            .generate_certificate()
            .ok_or(EngineError::Certificate)?;
        let driver_count = config.drivers();
        let senders = (0..driver_count)
            .map(|_| shimmer_udp::BatchSender::new(&socket))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|source| EngineError::Bind {
                addr: config.bind,
                source,
            })?;
        tracing::debug!(
            drivers = driver_count,
            gso = senders.first().is_some_and(|s| s.gso()),
            "udp egress"
        );
        let socket = Arc::new(socket);
        let (demux_tx, demux_rx) = mpsc::channel(1024);
        let (shutdown, shutdown_rx) = watch::channel(false);
        let shutdown_rx_drivers = shutdown_rx.clone();
        let node = Arc::new(NodeCounters::default());
        tokio::spawn(demux::run(
            Arc::clone(&socket),
            demux_rx,
            shutdown_rx.clone(),
        ));
        tokio::spawn(crate::metrics::report_node(Arc::clone(&node), shutdown_rx));
        tracing::info!(%local_addr, ?candidates, "webrtc engine listening");
        let queue_packets = config.viewer_queue_packets;
        // Drivers report to the engine through a weak handle: dropping the engine ends them.
        let inner = Arc::new_cyclic(|weak: &Weak<Inner>| {
            let observer: Arc<dyn SessionObserver> = Arc::new(EngineObserver(weak.clone()));
            let drivers = senders
                .into_iter()
                .map(|sender| {
                    Driver::spawn(
                        DriverIo {
                            socket: Arc::clone(&socket),
                            shutdown: shutdown_rx_drivers.clone(),
                            queue_packets,
                            node: Arc::clone(&node),
                            observer: Arc::clone(&observer),
                        },
                        sender,
                    )
                })
                .collect();
            Inner {
                config,
                hubs,
                bus,
                socket,
                drivers,
                next_key: AtomicU64::new(1),
                local_addr,
                candidates,
                cert,
                demux: demux_tx,
                sessions: Mutex::new(HashMap::new()),
                sessions_changed: Notify::new(),
                shutdown,
                node,
                hub_source: std::sync::OnceLock::new(),
            }
        });
        Ok(Self { inner })
    }

    /// The bound UDP address (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.inner.local_addr
    }

    /// The addresses announced as ICE candidates.
    pub fn candidates(&self) -> &[SocketAddr] {
        &self.inner.candidates
    }

    /// The engine's configuration.
    pub fn config(&self) -> &WebRtcConfig {
        &self.inner.config
    }

    /// The hub registry sessions subscribe to.
    pub fn hubs(&self) -> &Arc<HubRegistry> {
        &self.inner.hubs
    }

    /// Current sessions (connecting or connected).
    pub fn session_count(&self) -> usize {
        self.inner.lock_sessions().len()
    }

    /// True while the session exists.
    pub fn has_session(&self, session_id: &str) -> bool {
        self.inner.lock_sessions().contains_key(session_id)
    }

    /// Video packets dropped so far because a viewer's pacer queue overflowed (bench and tests).
    pub fn pace_drops(&self) -> u64 {
        self.inner
            .node
            .pace_drops
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Total datagrams sent by all sessions so far (bench and tests).
    pub fn egress_datagrams(&self) -> u64 {
        self.inner
            .node
            .egress_datagrams
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Ingest-to-egress delay histogram (hub publish to socket), sampled from all sessions.
    /// Take two [`crate::metrics::DelayHistogram::snapshot`]s to measure a window.
    pub fn delay_histogram(&self) -> &crate::metrics::DelayHistogram {
        &self.inner.node.delay
    }

    /// Total bytes sent by all sessions so far (bench and tests).
    pub fn egress_bytes(&self) -> u64 {
        self.inner
            .node
            .egress_bytes
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// True once shutdown began.
    pub fn is_shutting_down(&self) -> bool {
        *self.inner.shutdown.borrow()
    }

    /// Whether another viewer session fits now (not shutting down, below `max_sessions`).
    pub fn has_room(&self) -> bool {
        !self.is_shutting_down() && self.session_count() < self.inner.config.max_sessions
    }

    /// Sets where hubs not on this node come from (once; later calls are ignored).
    pub fn set_hub_source(&self, source: Arc<dyn HubSource>) {
        let _ = self.inner.hub_source.set(source);
    }

    /// The channel's hub: this node's, or one its hub source (an edge's relay) pulls.
    pub async fn find_hub(&self, channel_id: i64) -> Option<Arc<StreamHub>> {
        if let Some(hub) = self.inner.hubs.get(channel_id) {
            return Some(hub);
        }
        self.inner.hub_source.get()?.hub(channel_id).await
    }

    /// Answers a viewer's offer for a live channel and starts the session.
    pub async fn create_session(
        &self,
        channel_id: i64,
        offer: ValidOffer,
        viewer_key: Option<String>,
    ) -> Result<CreatedSession, SessionError> {
        if self.is_shutting_down() {
            return Err(SessionError::ShuttingDown);
        }
        let hub = self
            .find_hub(channel_id)
            .await
            .ok_or(SessionError::Offline)?;
        let profile_level_id = wait_for_profile(&hub).await?;
        if self.session_count() >= self.inner.config.max_sessions {
            return Err(SessionError::Full);
        }
        let info = hub.info();
        let b_frames = hub.reorders();
        let (cert, candidates) = (&self.inner.cert, &self.inner.candidates);
        // Should str0m panic on an offer, the session is not built, the viewer gets a 500 and
        // the panic hook logs one line.
        let negotiated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            negotiate(Some(cert), candidates, offer, profile_level_id)
        }))
        .map_err(|_| SessionError::Internal)??;
        let Negotiated {
            mut rtc,
            answer,
            video,
            audio,
            h264,
        } = negotiated;
        let video = if info.video.is_some() { video } else { None };
        let audio = if info.audio.is_some() { audio } else { None };
        if video.is_none() && audio.is_none() {
            return Err(SessionError::Negotiation(
                "no negotiated track matches the stream".into(),
            ));
        }
        if video.is_some() && h264.fit != Fit::Exact {
            count_profile_mismatch(&h264);
        }
        let ufrag = rtc.direct_api().local_ice_credentials().ufrag;
        let session_id = format!("{:032x}", rand::random::<u128>());
        let key = self.inner.next_key.fetch_add(1, Ordering::Relaxed);
        let (driver_index, driver) = self
            .inner
            .drivers
            .iter()
            .enumerate()
            .filter(|(_, d)| d.is_running())
            .min_by_key(|(_, d)| d.load())
            .ok_or(SessionError::ShuttingDown)?;
        {
            let mut sessions = self.inner.lock_sessions();
            if sessions.len() >= self.inner.config.max_sessions {
                return Err(SessionError::Full);
            }
            sessions.insert(
                session_id.clone(),
                SessionEntry {
                    channel_id,
                    driver: driver_index,
                    key,
                    ending: false,
                },
            );
        }
        metrics::gauge!("shimmer_webrtc_sessions").increment(1.0);
        if self
            .inner
            .demux
            .send(DemuxCommand::Register {
                ufrag: ufrag.clone(),
                inbox: driver.inbox(),
                route: key,
            })
            .await
            .is_err()
        {
            self.inner.remove_session(&session_id);
            return Err(SessionError::ShuttingDown);
        }
        let core = ViewerCore::new(
            CoreParts {
                rtc,
                video,
                audio,
                local_addr: self.inner.candidates[0],
                connect_timeout: self.inner.config.connect_timeout(),
                replay_interval: self.inner.config.keyframe_replay_interval(),
                nack_cache_packets: self.inner.config.nack_cache_packets,
                pacing: self.inner.config.pacing(),
                metrics: ChannelMetrics::new(channel_id),
                node: Arc::clone(&self.inner.node),
            },
            Instant::now(),
        );
        let handed_over = driver.add(NewViewer {
            key,
            core,
            id: session_id.clone(),
            channel_id,
            viewer_key,
            ufrag: ufrag.clone(),
            hub,
        });
        if !handed_over {
            self.detach(&ufrag);
            self.inner.remove_session(&session_id);
            return Err(SessionError::ShuttingDown);
        }
        Ok(CreatedSession {
            session_id,
            answer_sdp: answer,
            b_frames,
        })
    }

    /// Ends a session (WHEP DELETE). Returns false for an unknown session. The session's
    /// channel must match when `channel_id` is given, so one channel's URL cannot end another's.
    pub fn end_session(&self, session_id: &str, channel_id: Option<i64>) -> bool {
        let mut sessions = self.inner.lock_sessions();
        let Some(entry) = sessions.get_mut(session_id) else {
            return false;
        };
        if channel_id.is_some_and(|c| c != entry.channel_id) {
            return false;
        }
        if !entry.ending {
            entry.ending = true;
            self.inner.drivers[entry.driver].end(entry.key);
        }
        true
    }

    /// The channel a session belongs to.
    pub fn session_channel(&self, session_id: &str) -> Option<i64> {
        self.inner
            .lock_sessions()
            .get(session_id)
            .map(|e| e.channel_id)
    }

    /// Ends every session and stops the engine's tasks; waits up to `deadline` for sessions
    /// to finish (each sends a DTLS close to its viewer). Returns the sessions still open.
    pub async fn shutdown(&self, deadline: Duration) -> usize {
        let _ = self.inner.shutdown.send(true);
        let until = Instant::now() + deadline;
        loop {
            let notified = self.inner.sessions_changed.notified();
            let open = self.session_count();
            if open == 0 {
                return 0;
            }
            if tokio::time::timeout_at(until.into(), notified)
                .await
                .is_err()
            {
                return self.session_count();
            }
        }
    }
}

/// What a publisher (WHIP) session shares with the viewers: the socket, the DTLS certificate,
/// the announced candidates and the shutdown signal, and its own route in the demux.
pub(crate) struct SharedTransport {
    pub(crate) socket: Arc<UdpSocket>,
    pub(crate) local_addr: SocketAddr,
    pub(crate) inbox: mpsc::Receiver<Datagram>,
    pub(crate) shutdown: watch::Receiver<bool>,
}

impl Engine {
    /// The DTLS certificate and the ICE candidate addresses every session announces.
    pub(crate) fn identity(&self) -> (&DtlsCert, &[SocketAddr]) {
        (&self.inner.cert, &self.inner.candidates)
    }

    /// Routes the datagrams of ICE ufrag `ufrag` to a new inbox (a publisher session on the
    /// viewers' socket). None when the engine is shutting down.
    pub(crate) async fn attach(&self, ufrag: String) -> Option<SharedTransport> {
        if self.is_shutting_down() {
            return None;
        }
        let (inbox_tx, inbox) = mpsc::channel(SESSION_INBOX);
        self.inner
            .demux
            .send(DemuxCommand::Register {
                ufrag,
                inbox: inbox_tx,
                route: 0,
            })
            .await
            .ok()?;
        Some(SharedTransport {
            socket: Arc::clone(&self.inner.socket),
            local_addr: self.inner.candidates[0],
            inbox,
            shutdown: self.inner.shutdown.subscribe(),
        })
    }

    /// Removes the route [`Engine::attach`] made.
    pub(crate) fn detach(&self, ufrag: &str) {
        let _ = self.inner.demux.try_send(DemuxCommand::Unregister {
            ufrag: ufrag.to_owned(),
        });
    }
}

/// The str0m configuration of every viewer session: ICE-lite, RTP mode, H.264 at the
/// profile-level-id chosen for the viewer (with RTX for NACKs) and stereo Opus.
///
/// The only RTP header extension offered back is the MID (BUNDLE demux). Transport-wide
/// congestion control and abs-send-time serve a sender's bandwidth estimation, which a forwarder
/// of one fixed-rate stream does not do; without them str0m skips a per-packet send-register
/// entry and writes a shorter header for every packet to every viewer.
pub(crate) fn viewer_rtc_config(profile_level_id: u32) -> RtcConfig {
    let mut cfg = RtcConfig::new()
        .set_ice_lite(true)
        .set_rtp_mode(true)
        .clear_extension_map()
        .set_extension(MID_EXTENSION_ID, Extension::RtpMid)
        .clear_codecs()
        .set_stats_interval(Some(Duration::from_secs(1)));
    let codecs = cfg.codec_config();
    codecs.add_h264(
        PT_H264.into(),
        Some(PT_H264_RTX.into()),
        true,
        profile_level_id,
    );
    codecs.add_config(
        PT_OPUS.into(),
        None,
        Codec::Opus,
        Frequency::FORTY_EIGHT_KHZ,
        Some(2),
        FormatParams {
            min_p_time: Some(10),
            use_inband_fec: Some(true),
            stereo: Some(true),
            sprop_stereo: Some(true),
            ..Default::default()
        },
    );
    cfg
}

/// An answered offer: the session's Rtc, the answer's SDP, the tracks and the H.264 format.
pub(crate) struct Negotiated {
    pub(crate) rtc: Rtc,
    pub(crate) answer: String,
    pub(crate) video: Option<TrackOut>,
    pub(crate) audio: Option<TrackOut>,
    pub(crate) h264: H264Choice,
}

/// Answers an offer for a stream of `stream_profile_level_id`: picks the viewer's H.264 format
/// ([`choose_h264`]), configures the Rtc's H.264 entry with it, and lets str0m answer.
pub(crate) fn negotiate(
    cert: Option<&DtlsCert>,
    candidates: &[SocketAddr],
    offer: ValidOffer,
    stream_profile_level_id: u32,
) -> Result<Negotiated, SessionError> {
    let h264 =
        choose_h264(stream_profile_level_id, &offer.summary.h264_formats).ok_or_else(|| {
            SessionError::Negotiation(
                "the offer has no H.264 format with packetization-mode=1 and a known \
                 profile-level-id"
                    .into(),
            )
        })?;
    let mut config = viewer_rtc_config(h264.profile_level_id);
    if let Some(cert) = cert {
        config = config.set_dtls_cert(cert.clone());
    }
    let mut rtc = config.build(Instant::now());
    for addr in candidates {
        if let Ok(c) = Candidate::host(*addr, "udp") {
            rtc.add_local_candidate(c);
        }
    }
    let answer = rtc
        .sdp_api()
        .accept_offer(offer.sdp)
        .map_err(|e| SessionError::Negotiation(e.to_string()))?;
    let (video, audio) = plan_tracks(&mut rtc, &offer.summary.mids)?;
    Ok(Negotiated {
        rtc,
        answer: answer.to_sdp_string(),
        video,
        audio,
        h264,
    })
}

/// Counts a session answered with another H.264 profile than its stream's (viewers whose
/// browser does not list the stream's profile), by both profiles and by how well they fit.
fn count_profile_mismatch(h264: &H264Choice) {
    let stream = h264.stream.map_or("unknown", |p| p.label());
    let fit = match h264.fit {
        Fit::Exact => "exact",
        Fit::Decodes => "decodes",
        Fit::Fallback => "fallback",
    };
    metrics::counter!(
        "shimmer_webrtc_profile_mismatch_sessions_total",
        "stream_profile" => stream,
        "answered_profile" => h264.answered.label(),
        "fit" => fit
    )
    .increment(1);
    tracing::debug!(
        stream,
        answered = h264.answered.label(),
        fit,
        "H.264 profile differs from the stream's"
    );
}

/// Negotiates an offer exactly as [`Engine::create_session`] does, without a network, hub or
/// panic guard (for the fuzz target, which must see panics). Returns the answer.
pub(crate) fn negotiate_offline(
    offer: ValidOffer,
    profile_level_id: u32,
) -> Result<String, SessionError> {
    let candidates = [SocketAddr::from(([127, 0, 0, 1], 8189))];
    negotiate(None, &candidates, offer, profile_level_id).map(|n| n.answer)
}

impl Inner {
    fn lock_sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, SessionEntry>> {
        // Inserts and removes only; a poisoned map is still consistent.
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn remove_session(&self, id: &str) {
        if self.lock_sessions().remove(id).is_some() {
            metrics::gauge!("shimmer_webrtc_sessions").decrement(1.0);
        }
        self.sessions_changed.notify_waiters();
    }

    fn publish(&self, event: BusEvent) {
        let bus = Arc::clone(&self.bus);
        // Never make a session wait on the bus; bounded by a deadline.
        tokio::spawn(async move {
            match tokio::time::timeout(Duration::from_secs(5), bus.publish(event)).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "could not publish viewer event"),
                Err(_) => tracing::warn!("publishing a viewer event timed out"),
            }
        });
    }
}

/// The drivers' line back to the engine, weak so the engine's drop ends them.
struct EngineObserver(Weak<Inner>);

impl SessionObserver for EngineObserver {
    fn connected(&self, id: &str, channel_id: i64, viewer_key: Option<String>) {
        if let Some(inner) = self.0.upgrade() {
            inner.connected(id, channel_id, viewer_key);
        }
    }

    fn ended(&self, id: &str, channel_id: i64, ufrag: &str, joined: bool, reason: EndReason) {
        if let Some(inner) = self.0.upgrade() {
            inner.ended(id, channel_id, ufrag, joined, reason);
        }
    }
}

impl Inner {
    fn connected(&self, id: &str, channel_id: i64, viewer_key: Option<String>) {
        self.publish(BusEvent::ViewerJoined {
            channel_id,
            session_id: id.to_owned(),
            viewer_key,
        });
    }

    fn ended(&self, id: &str, channel_id: i64, ufrag: &str, joined: bool, reason: EndReason) {
        let _ = self.demux.try_send(DemuxCommand::Unregister {
            ufrag: ufrag.to_owned(),
        });
        self.remove_session(id);
        if joined {
            self.publish(BusEvent::ViewerLeft {
                channel_id,
                session_id: id.to_owned(),
            });
        }
        tracing::debug!(session = id, ?reason, "session removed");
    }
}

/// The stream's H.264 profile-level-id as str0m wants it (24 bits), waiting briefly for the
/// first SPS of a stream that just started.
async fn wait_for_profile(hub: &Arc<StreamHub>) -> Result<u32, SessionError> {
    let until = Instant::now() + SPS_WAIT;
    loop {
        let info = hub.info();
        let Some(video) = info.video else {
            // Audio-only stream: the H.264 entry is irrelevant; use Constrained Baseline 3.1 for
            // the unused codec line.
            return Ok(0x42e01f);
        };
        if let Some(sps) = video.sps {
            return Ok((u32::from(sps.profile_idc) << 16)
                | (u32::from(sps.constraint_flags) << 8)
                | u32::from(sps.level_idc));
        }
        if hub.is_ended() {
            return Err(SessionError::Offline);
        }
        if Instant::now() >= until {
            return Err(SessionError::NotReady);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// After accepting the offer: which mid, payload type and SSRC carry video and audio.
fn plan_tracks(
    rtc: &mut Rtc,
    mids: &[(bool, String)],
) -> Result<(Option<TrackOut>, Option<TrackOut>), SessionError> {
    // Drain after the accept (str0m's invariant); nothing is sent before ICE starts.
    loop {
        match rtc.poll_output() {
            Ok(Output::Timeout(_)) => break,
            Ok(_) => {}
            Err(e) => return Err(SessionError::Negotiation(e.to_string())),
        }
    }
    let mut video = None;
    let mut audio = None;
    for (is_video, mid) in mids {
        let mid = Mid::from(mid.as_str());
        let Some(media) = rtc.media(mid) else {
            continue;
        };
        if !media.direction().is_sending() {
            continue;
        }
        let want = if *is_video { Codec::H264 } else { Codec::Opus };
        let remote_pts = media.remote_pts().to_vec();
        let pt = rtc
            .codec_config()
            .params()
            .iter()
            .find(|p| {
                let spec: CodecSpec = p.spec();
                spec.codec == want && remote_pts.contains(&p.pt())
            })
            .map(|p| p.pt());
        let Some(pt) = pt else { continue };
        let Some(ssrc) = rtc
            .direct_api()
            .stream_tx_by_mid(mid, None)
            .map(|tx| tx.ssrc())
        else {
            continue;
        };
        let (kind, clock) = if *is_video {
            (MediaKind::Video, 90_000)
        } else {
            (MediaKind::Audio, 48_000)
        };
        let track = TrackOut {
            mid,
            pt,
            ssrc,
            rewriter: Rewriter::new(kind, clock, rand::random(), rand::random()),
        };
        match kind {
            MediaKind::Video if video.is_none() => video = Some(track),
            MediaKind::Audio if audio.is_none() => audio = Some(track),
            _ => {}
        }
    }
    Ok((video, audio))
}

/// Binds the shared socket with large buffers (bursts of a keyframe to many viewers).
fn bind_socket(config: &WebRtcConfig) -> std::io::Result<UdpSocket> {
    use socket2::{Domain, Protocol, Socket, Type};
    let domain = if config.bind.is_ipv4() {
        Domain::IPV4
    } else {
        Domain::IPV6
    };
    let socket = Socket::new(domain, Type::DGRAM, Some(Protocol::UDP))?;
    let _ = socket.set_send_buffer_size(config.socket_buffer_bytes);
    let _ = socket.set_recv_buffer_size(config.socket_buffer_bytes);
    socket.set_nonblocking(true)?;
    socket.bind(&config.bind.into())?;
    UdpSocket::from_std(socket.into())
}

/// Datagrams cross tasks, so they must stay `Send` (checked at compile time).
const _: fn() = || {
    fn assert_send<T: Send>() {}
    assert_send::<Datagram>();
};
