//! WHIP ingest (RFC 9725): encoders (OBS 30+, browsers) publish H.264 and Opus over WebRTC on
//! the viewers' UDP socket, into the channel's `StreamHub`, under the same stream lifecycle as
//! FTL and RTMP.
//!
//! ```text
//!  POST /api/whip (Bearer key) ─► check key ─► replace a live WHIP session ─► start_stream
//!                                  │ offer checked (H.264 + Opus)            │
//!                                  ▼                                         ▼
//!                        Rtc (ICE-lite, frame mode) + answer (201)    hub created
//!                                  │ spawn
//!  UDP :8189 ─► demux (ufrag) ─► publisher task ─► H.264 access units ─► RTP ─► StreamHub
//!                                  ▲     │ NACKs (str0m), PLI on viewers' requests (≤ 1/s)
//!                                  └─────┘
//! ```
//!
//! It lives beside the viewers (not in its own crate) because it shares their socket, demux and
//! DTLS certificate. Decisions:
//!
//! - **Start at the POST.** The key is checked and `start_stream` called before the answer, so a
//!   refused channel gets its reason in the HTTP response (401/403), as an encoder's user sees it.
//!   A publisher that never completes ICE and DTLS ends the stream after the connect timeout.
//! - **Replacement, as FTL and RTMP:** a new authenticated publish for a live channel replaces
//!   the running one (its session ends with `Replaced`); the key holder is the owner, and
//!   encoders reconnect faster than a dead session times out. So WHIP never answers 409.
//! - **Frame mode**: str0m reorders, answers losses with NACKs and depacketizes; each H.264
//!   access unit is packetized again (FU-A, 1,200-byte payloads) with this stream's own
//!   SSRC and sequence numbers, exactly like the other ingests' output. A frame str0m marks as
//!   not contiguous (a loss it could not repair) is dropped with everything after it until the
//!   next keyframe, and a keyframe is requested.
//! - **Keyframes on request**: viewers' PLIs reach the hub ([`StreamHub::request_keyframe`]);
//!   the session sends the encoder a PLI, at most one per [`WhipConfig::pli_interval`].
//! - **The session ends** on DELETE of its resource, ICE disconnect, DTLS close, no media for
//!   [`WhipConfig::media_timeout`], replacement, or server shutdown; each calls `end_stream` once.
//!
//! [`StreamHub::request_keyframe`]: shimmer_media::StreamHub::request_keyframe

mod http;
pub mod offer;
mod session;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use shimmer_ftl::IngestControl;
use shimmer_media::HubRegistry;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::engine::Engine;

pub use http::whip_router;

/// Settings of WHIP ingest.
#[derive(Debug, Clone)]
pub struct WhipConfig {
    /// This node's name in stream metadata.
    pub ingest_name: String,
    /// Deadline of each platform call.
    pub call_timeout: Duration,
    /// Interval of metadata reports.
    pub metadata_interval: Duration,
    /// ICE and DTLS must complete within this after the answer.
    pub connect_timeout: Duration,
    /// The stream ends when no media arrived for this long.
    pub media_timeout: Duration,
    /// At most one PLI to the encoder per this interval.
    pub pli_interval: Duration,
    /// Largest SDP offer accepted, in bytes.
    pub max_offer_bytes: usize,
    /// A stream whose bitrate over a metadata interval exceeds this is ended (0: no cap); the
    /// same cap as FTL's `max_bitrate_bps`.
    pub max_bitrate_bps: u64,
}

impl Default for WhipConfig {
    fn default() -> Self {
        Self {
            ingest_name: "shimmer".into(),
            call_timeout: Duration::from_secs(5),
            metadata_interval: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(15),
            media_timeout: Duration::from_secs(10),
            pli_interval: Duration::from_secs(1),
            max_offer_bytes: 64 * 1024,
            max_bitrate_bps: 8_000_000,
        }
    }
}

/// A live WHIP session, as a replacing publish and the resource URL need to see it.
#[derive(Debug, Clone)]
struct Resource {
    channel_id: i64,
    /// The stream key's secret, for checking a DELETE's bearer.
    secret: String,
    /// Cancelled by DELETE.
    delete: CancellationToken,
    /// Cancelled by a replacing publish.
    replace: CancellationToken,
    /// Cancelled by the session once `end_stream` has returned.
    done: CancellationToken,
}

#[derive(Default)]
struct Registry {
    /// By resource id (32 hex digits, the unguessable part of the resource URL).
    resources: HashMap<String, Resource>,
    /// Channel id → its live resource id.
    by_channel: HashMap<i64, String>,
}

struct Inner {
    engine: Engine,
    control: Arc<dyn IngestControl>,
    hubs: Arc<HubRegistry>,
    config: WhipConfig,
    registry: Mutex<Registry>,
    tracker: TaskTracker,
    closing: CancellationToken,
}

/// Handle to WHIP ingest. Cheap to clone.
#[derive(Clone)]
pub struct WhipIngest {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for WhipIngest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhipIngest")
            .field("config", &self.inner.config)
            .finish()
    }
}

impl WhipIngest {
    /// WHIP ingest on `engine`'s socket, starting streams through `control`.
    pub fn new(
        engine: Engine,
        control: Arc<dyn IngestControl>,
        hubs: Arc<HubRegistry>,
        config: WhipConfig,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                engine,
                control,
                hubs,
                config,
                registry: Mutex::new(Registry::default()),
                tracker: TaskTracker::new(),
                closing: CancellationToken::new(),
            }),
        }
    }

    /// Live WHIP sessions.
    pub fn live_sessions(&self) -> usize {
        self.inner.registry().resources.len()
    }

    /// Ends every live session (`end_stream(.., Shutdown)`) and waits for them up to
    /// `deadline`. Returns the sessions still open.
    pub async fn shutdown(&self, deadline: Duration) -> usize {
        self.inner.closing.cancel();
        self.inner.tracker.close();
        let _ = tokio::time::timeout(deadline, self.inner.tracker.wait()).await;
        self.live_sessions()
    }
}

/// Answers a publisher's offer exactly as the POST does, without a network or panic guard
/// (for the fuzz target, which must see panics). Returns the answer.
pub(crate) fn answer_offline(offer: offer::PublishOffer) -> Result<String, String> {
    let candidates = [std::net::SocketAddr::from(([127, 0, 0, 1], 8189))];
    session::answer_offer(None, &candidates, offer.sdp, &offer.summary.mids).map(|a| a.answer)
}

impl Inner {
    fn registry(&self) -> std::sync::MutexGuard<'_, Registry> {
        // Single inserts and removes: a poisoned map is still consistent.
        self.registry.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets a resource (and its channel's entry if it is still this one).
    fn forget(&self, resource_id: &str) {
        let mut registry = self.registry();
        if let Some(resource) = registry.resources.remove(resource_id) {
            if registry
                .by_channel
                .get(&resource.channel_id)
                .is_some_and(|r| r == resource_id)
            {
                registry.by_channel.remove(&resource.channel_id);
            }
            metrics::gauge!("shimmer_whip_sessions").decrement(1.0);
        }
    }
}
