//! Metric names and handles. Handles are registered once per session so the packet path only
//! bumps atomics.
//!
//! Per channel (label `channel`):
//! - `shimmer_webrtc_viewers` (gauge): connected viewer sessions.
//! - `shimmer_webrtc_packets_sent_total`, `shimmer_webrtc_bytes_sent_total`: media packets and
//!   their payload bytes handed to viewers' SRTP.
//! - `shimmer_webrtc_nacks_total`: NACK requests viewers sent (answered from each viewer's
//!   retransmission cache).
//! - `shimmer_webrtc_keyframe_replays_total` (label `reason` = `join` | `pli`): cached keyframes
//!   replayed to a viewer.
//! - `shimmer_webrtc_queue_drops_total`: packets a viewer missed because its queue overflowed
//!   (it was resynchronised at the next keyframe).
//!
//! Per node: `shimmer_webrtc_sessions` (gauge, every session including those still connecting),
//! `shimmer_webrtc_egress_bytes_total` (every datagram sent) and `shimmer_webrtc_egress_bitrate_bps`
//! (gauge, updated every second).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use metrics::{Counter, Gauge};
use tokio::sync::watch;

/// Handles for one viewer session's channel.
#[derive(Clone)]
pub(crate) struct ChannelMetrics {
    pub(crate) viewers: Gauge,
    pub(crate) packets: Counter,
    pub(crate) bytes: Counter,
    pub(crate) nacks: Counter,
    pub(crate) replays_join: Counter,
    pub(crate) replays_pli: Counter,
    pub(crate) queue_drops: Counter,
}

impl ChannelMetrics {
    pub(crate) fn new(channel_id: i64) -> Self {
        let ch = channel_id.to_string();
        Self {
            viewers: metrics::gauge!("shimmer_webrtc_viewers", "channel" => ch.clone()),
            packets: metrics::counter!("shimmer_webrtc_packets_sent_total", "channel" => ch.clone()),
            bytes: metrics::counter!("shimmer_webrtc_bytes_sent_total", "channel" => ch.clone()),
            nacks: metrics::counter!("shimmer_webrtc_nacks_total", "channel" => ch.clone()),
            replays_join: metrics::counter!("shimmer_webrtc_keyframe_replays_total", "channel" => ch.clone(), "reason" => "join"),
            replays_pli: metrics::counter!("shimmer_webrtc_keyframe_replays_total", "channel" => ch.clone(), "reason" => "pli"),
            queue_drops: metrics::counter!("shimmer_webrtc_queue_drops_total", "channel" => ch),
        }
    }
}

/// Node-wide counters shared by all sessions (atomics, no lock).
#[derive(Debug, Default)]
pub(crate) struct NodeCounters {
    pub(crate) egress_bytes: AtomicU64,
    pub(crate) egress_datagrams: AtomicU64,
    pub(crate) send_errors: AtomicU64,
}

impl NodeCounters {
    pub(crate) fn sent(&self, bytes: usize) {
        self.egress_bytes.fetch_add(bytes as u64, Ordering::Relaxed);
        self.egress_datagrams.fetch_add(1, Ordering::Relaxed);
    }
}

/// Publishes node counters as metrics once a second until shutdown.
pub(crate) async fn report_node(counters: Arc<NodeCounters>, mut shutdown: watch::Receiver<bool>) {
    let bytes_total = metrics::counter!("shimmer_webrtc_egress_bytes_total");
    let bitrate = metrics::gauge!("shimmer_webrtc_egress_bitrate_bps");
    let mut last = counters.egress_bytes.load(Ordering::Relaxed);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            _ = tick.tick() => {
                let now = counters.egress_bytes.load(Ordering::Relaxed);
                let delta = now.saturating_sub(last);
                bytes_total.increment(delta);
                bitrate.set((delta * 8) as f64);
                last = now;
            }
        }
    }
}
