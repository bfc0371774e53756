//! The `[webrtc]` section of the server configuration.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::Deserialize;

use crate::viewer::pacer::PaceSettings;

/// Default UDP port for all WebRTC media. 8189 is next to the HTTP-ish ports self-hosters already
/// open, is not claimed by another common service, and is easy to remember in a firewall rule.
pub const DEFAULT_UDP_PORT: u16 = 8189;

/// Configuration of the WebRTC playback engine (`[webrtc]` in the TOML config).
///
/// Every field has a default, so an empty section (or none) gives a working single-host setup:
/// one UDP port (8189) on all interfaces, a host candidate for every non-loopback interface.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WebRtcConfig {
    /// Address of the one UDP socket that carries every session (ICE, DTLS, SRTP). Port 0 picks
    /// an ephemeral port (tests).
    pub bind: SocketAddr,
    /// The public address of this host when it sits behind NAT (1:1 port forwarding of `bind`'s
    /// port). When set it is announced as a candidate before the interface addresses.
    pub public_ip: Option<IpAddr>,
    /// Explicit candidate addresses. Empty means: one per local interface (non-loopback; the
    /// loopback address too when `bind` is a loopback address).
    pub candidate_ips: Vec<IpAddr>,
    /// Upper bound of concurrent viewer sessions on this node; further offers get 503.
    pub max_sessions: usize,
    /// New sessions per client IP: sustained rate per second.
    pub offers_per_ip_per_second: u32,
    /// New sessions per client IP: burst size.
    pub offers_per_ip_burst: u32,
    /// Largest accepted SDP offer in bytes (413 above).
    pub max_offer_bytes: usize,
    /// Hub queue of each viewer driver, per stream it serves, in packets (about a second of a
    /// 4 Mbit/s stream by default). A driver that falls further behind resynchronises its viewers
    /// of that stream at the next keyframe.
    pub viewer_queue_packets: usize,
    /// How long a new session may take to complete ICE and DTLS before it is dropped, seconds.
    pub connect_timeout_secs: u64,
    /// Minimum time between two keyframe replays for one viewer (PLI/FIR storms), milliseconds.
    pub keyframe_replay_interval_ms: u64,
    /// Packets each viewer keeps for answering its NACKs (video).
    pub nack_cache_packets: usize,
    /// Socket buffer sizes requested from the OS, bytes (the kernel may cap them).
    pub socket_buffer_bytes: usize,
    /// Pacing of each viewer's video: bursts (keyframes) leave at this multiple of the stream's
    /// measured bitrate (at least 2 Mbit/s), so they do not overflow small receive buffers and
    /// the queues in front of slow links. 0 turns pacing off (everything at line rate).
    pub pace_multiplier: f64,
    /// How much video may leave back to back while pacing, as milliseconds at the pacing rate.
    /// Each burst is one wake-up and one GSO run per viewer: 10 ms lets a typical 4 Mbit/s
    /// P-frame go in one, with no loss behind a 10 Mbit/s link after the first frame
    /// (BENCHMARKS.md, "Pacing").
    pub pace_burst_ms: u64,
    /// KiB of a new viewer's first keyframe that leave at once, unpaced, so the first picture is
    /// not delayed (the default covers a typical 1080p keyframe). Lower it when many viewers sit
    /// behind slow links: their first keyframe then loses fewer packets but arrives later.
    pub pace_first_burst_kib: usize,
    /// Tasks that run the viewers, each serving many (one hub subscription per stream, one
    /// batch of sends per pass). 0: one per CPU the process may use.
    pub viewer_drivers: usize,
}

impl Default for WebRtcConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([0, 0, 0, 0], DEFAULT_UDP_PORT)),
            public_ip: None,
            candidate_ips: Vec::new(),
            max_sessions: 2000,
            offers_per_ip_per_second: 5,
            offers_per_ip_burst: 20,
            max_offer_bytes: 64 * 1024,
            viewer_queue_packets: 1024,
            connect_timeout_secs: 15,
            keyframe_replay_interval_ms: 1000,
            nack_cache_packets: 512,
            socket_buffer_bytes: 8 * 1024 * 1024,
            pace_multiplier: 3.0,
            pace_burst_ms: 10,
            pace_first_burst_kib: 256,
            viewer_drivers: 0,
        }
    }
}

impl WebRtcConfig {
    /// A configuration for tests and benchmarks: loopback, ephemeral port, generous limits.
    pub fn loopback() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            offers_per_ip_per_second: 10_000,
            offers_per_ip_burst: 10_000,
            ..Self::default()
        }
    }

    /// How many viewer drivers to start: [`Self::viewer_drivers`], or one per usable CPU.
    pub(crate) fn drivers(&self) -> usize {
        match self.viewer_drivers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }

    pub(crate) fn connect_timeout(&self) -> Duration {
        Duration::from_secs(self.connect_timeout_secs.max(1))
    }

    pub(crate) fn keyframe_replay_interval(&self) -> Duration {
        Duration::from_millis(self.keyframe_replay_interval_ms)
    }

    /// The pacing settings of one viewer (a negative or NaN multiplier is off).
    pub(crate) fn pacing(&self) -> PaceSettings {
        PaceSettings {
            multiplier: if self.pace_multiplier.is_finite() {
                self.pace_multiplier.max(0.0)
            } else {
                0.0
            },
            burst: Duration::from_millis(self.pace_burst_ms.max(1)),
            first_burst_bytes: self.pace_first_burst_kib.saturating_mul(1024),
            // Memory bound only: the pacer also overflows at a second's worth at its rate, and a
            // joining viewer gets a whole cached GOP at once.
            max_packets: self.viewer_queue_packets.saturating_mul(4).max(256),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_section_is_default() {
        let c: WebRtcConfig = serde_json::from_str("{}").unwrap();
        assert_eq!(c, WebRtcConfig::default());
        assert_eq!(c.bind.port(), DEFAULT_UDP_PORT);
        assert_eq!(c.pacing().multiplier, 3.0);
    }

    #[test]
    fn pacing_parses_and_zero_or_nonsense_is_off() {
        let c: WebRtcConfig =
            serde_json::from_str(r#"{"pace_multiplier":2.5,"pace_first_burst_kib":64}"#).unwrap();
        assert_eq!(c.pacing().multiplier, 2.5);
        assert_eq!(c.pacing().first_burst_bytes, 64 * 1024);
        for off in ["0", "-1"] {
            let c: WebRtcConfig =
                serde_json::from_str(&format!(r#"{{"pace_multiplier":{off}}}"#)).unwrap();
            assert!(!c.pacing().enabled());
        }
    }

    #[test]
    fn public_ip_parses() {
        let c: WebRtcConfig =
            serde_json::from_str(r#"{"public_ip":"203.0.113.7","bind":"0.0.0.0:9000"}"#).unwrap();
        assert_eq!(c.public_ip, Some("203.0.113.7".parse().unwrap()));
        assert_eq!(c.bind.port(), 9000);
    }
}
