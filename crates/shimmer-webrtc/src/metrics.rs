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
    pub(crate) delay: DelayHistogram,
    pub(crate) egress_bytes: AtomicU64,
    pub(crate) egress_datagrams: AtomicU64,
    pub(crate) send_errors: AtomicU64,
    /// Video packets dropped because a viewer's pacer queue overflowed (also counted in the
    /// channel's `queue_drops`).
    pub(crate) pace_drops: AtomicU64,
}

impl NodeCounters {
    /// Counts datagrams sent; callers add up a whole send first (these atomics are shared by
    /// every session, so fewer updates mean less cache-line traffic between cores).
    pub(crate) fn sent(&self, datagrams: u64, bytes: u64) {
        self.egress_bytes.fetch_add(bytes, Ordering::Relaxed);
        self.egress_datagrams
            .fetch_add(datagrams, Ordering::Relaxed);
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

/// Sub-buckets per power of two (about 9% resolution).
const SUB: usize = 8;
/// Octaves of microseconds covered (2^24 µs ≈ 16.8 s).
const OCTAVES: usize = 24;

/// A lock-free log-linear histogram of delays in microseconds, for the ingest-to-egress delay
/// (hub publish to datagram handed to the socket). Sessions record a sample of their packets.
#[derive(Debug)]
pub struct DelayHistogram {
    buckets: Vec<AtomicU64>,
}

impl Default for DelayHistogram {
    fn default() -> Self {
        Self {
            buckets: (0..SUB * (OCTAVES + 1))
                .map(|_| AtomicU64::new(0))
                .collect(),
        }
    }
}

/// Quantiles of a [`DelayHistogram`] snapshot, in milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct DelaySummary {
    /// Samples.
    pub count: u64,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Largest bucket seen.
    pub max_ms: f64,
}

impl DelayHistogram {
    fn index(us: u64) -> usize {
        if us < SUB as u64 {
            return us as usize;
        }
        let octave = 63 - us.leading_zeros() as usize; // >= 3
        let shift = octave - 3;
        let sub = ((us >> shift) as usize) & (SUB - 1);
        ((octave - 2) * SUB + sub).min(SUB * (OCTAVES + 1) - 1)
    }

    fn upper_us(index: usize) -> f64 {
        if index < SUB {
            return (index + 1) as f64;
        }
        let octave = index / SUB + 2;
        let sub = index % SUB;
        ((SUB + sub + 1) as f64) * (1u64 << (octave - 3)) as f64
    }

    /// Records one delay.
    pub fn record(&self, delay: Duration) {
        let us = delay.as_micros().min(u128::from(u64::MAX)) as u64;
        self.buckets[Self::index(us)].fetch_add(1, Ordering::Relaxed);
    }

    /// Current counts (subtract two snapshots to measure a window).
    pub fn snapshot(&self) -> Vec<u64> {
        self.buckets
            .iter()
            .map(|b| b.load(Ordering::Relaxed))
            .collect()
    }

    /// Quantiles of `after - before` (two snapshots), or of `after` alone.
    pub fn summarize(after: &[u64], before: Option<&[u64]>) -> DelaySummary {
        let counts: Vec<u64> = after
            .iter()
            .enumerate()
            .map(|(i, c)| c.saturating_sub(before.and_then(|b| b.get(i)).copied().unwrap_or(0)))
            .collect();
        let total: u64 = counts.iter().sum();
        if total == 0 {
            return DelaySummary::default();
        }
        let quantile = |q: f64| {
            let target = ((total as f64) * q).ceil().max(1.0) as u64;
            let mut seen = 0;
            for (i, c) in counts.iter().enumerate() {
                seen += c;
                if seen >= target {
                    return Self::upper_us(i) / 1000.0;
                }
            }
            0.0
        };
        let max = counts
            .iter()
            .rposition(|c| *c > 0)
            .map_or(0.0, |i| Self::upper_us(i) / 1000.0);
        DelaySummary {
            count: total,
            p50_ms: quantile(0.5),
            p99_ms: quantile(0.99),
            max_ms: max,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_are_close() {
        let h = DelayHistogram::default();
        for us in 1..=1000u64 {
            h.record(Duration::from_micros(us * 10)); // 10 µs .. 10 ms
        }
        let s = DelayHistogram::summarize(&h.snapshot(), None);
        assert_eq!(s.count, 1000);
        assert!((s.p50_ms - 5.0).abs() < 0.6, "{s:?}");
        assert!((s.p99_ms - 9.9).abs() < 1.0, "{s:?}");
        let before = h.snapshot();
        h.record(Duration::from_secs(1));
        let w = DelayHistogram::summarize(&h.snapshot(), Some(&before));
        assert_eq!(w.count, 1);
        assert!(w.p50_ms > 900.0 && w.p50_ms < 1200.0, "{w:?}");
    }
}
