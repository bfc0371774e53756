//! Server configuration: the `[ftl]` table of Shimmer's TOML config.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::control::ControlLimits;
use crate::session::MediaSessionConfig;
use crate::stream::StreamConfig;

/// FTL ingest settings. Every field has a default, so `[ftl]` may be empty or absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FtlConfig {
    /// Address to listen on (TCP control and UDP media).
    pub bind_address: IpAddr,
    /// TCP control port. Encoders always dial 8084.
    pub control_port: u16,
    /// The one UDP port all streams send media to (demultiplexed by client address and SSRC).
    /// 0 picks a free port.
    pub media_port: u16,
    /// Kernel receive/send buffer of the media socket, in bytes (capped by net.core.rmem_max).
    pub udp_buffer_bytes: usize,
    /// Port announced to clients if it differs from `media_port` (NAT or container mapping).
    pub advertised_media_port: Option<u16>,
    /// This node's name in stream metadata.
    pub ingest_name: String,
    /// From TCP accept to the end of the handshake (covers the platform calls).
    pub handshake_timeout_ms: u64,
    /// From the handshake to the first media packet.
    pub media_start_timeout_ms: u64,
    /// Longest media silence.
    pub media_timeout_ms: u64,
    /// Longest time without a `PING`.
    pub keepalive_timeout_ms: u64,
    /// Deadline of each call to the platform (`IngestControl`).
    pub call_timeout_ms: u64,
    /// Interval of metadata reports (10–15 s).
    pub metadata_interval_ms: u64,
    /// Streams above this many bits per second (averaged over `bitrate_window_ms`) are ended;
    /// 0 disables the cap.
    pub max_bitrate_bps: u64,
    /// Window of the bitrate measurement.
    pub bitrate_window_ms: u64,
    /// Longest control line accepted.
    pub max_line_len: usize,
    /// Most attribute lines accepted in a handshake.
    pub max_attributes: usize,
    /// Ask encoders to retransmit lost packets.
    pub nack: bool,
    /// Longest time a lost packet is waited for before it is skipped (adds at most this much
    /// latency while a packet is missing).
    pub nack_max_age_ms: u64,
    /// Sequence numbers one stream may NACK per second (0: no limit); beyond, NACKs wait for
    /// the budget or their packets are skipped.
    pub nack_budget_per_second: u32,
}

impl Default for FtlConfig {
    fn default() -> Self {
        Self {
            bind_address: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            control_port: 8084,
            media_port: 8084,
            advertised_media_port: None,
            udp_buffer_bytes: 8 * 1024 * 1024,
            ingest_name: "shimmer".to_string(),
            handshake_timeout_ms: 5_000,
            media_start_timeout_ms: 10_000,
            media_timeout_ms: 10_000,
            keepalive_timeout_ms: 30_000,
            call_timeout_ms: 5_000,
            metadata_interval_ms: 10_000,
            max_bitrate_bps: 8_000_000,
            bitrate_window_ms: 30_000,
            max_line_len: 1024,
            max_attributes: 32,
            nack: true,
            nack_max_age_ms: 800,
            nack_budget_per_second: crate::session::DEFAULT_NACK_BUDGET,
        }
    }
}

impl FtlConfig {
    /// The control machine's limits.
    pub fn control_limits(&self) -> ControlLimits {
        ControlLimits {
            max_attributes: self.max_attributes,
            handshake_timeout: Duration::from_millis(self.handshake_timeout_ms),
            media_start_timeout: Duration::from_millis(self.media_start_timeout_ms),
            media_timeout: Duration::from_millis(self.media_timeout_ms),
            keepalive_timeout: Duration::from_millis(self.keepalive_timeout_ms),
        }
    }

    /// The media session's tuning.
    pub fn media_config(&self) -> MediaSessionConfig {
        let mut c = MediaSessionConfig {
            nack: self.nack,
            nack_budget_per_second: self.nack_budget_per_second,
            rate_window: Duration::from_millis(self.bitrate_window_ms),
            ..Default::default()
        };
        c.recovery.max_age = Duration::from_millis(self.nack_max_age_ms);
        c
    }

    /// The settings of each connection's machine; `media_port` is the port told to clients.
    pub fn stream_config(&self, media_port: u16) -> StreamConfig {
        StreamConfig {
            control: self.control_limits(),
            media: self.media_config(),
            max_line_len: self.max_line_len,
            media_port,
            // A floor keeps a misconfigured interval from flooding the platform.
            metadata_interval: Duration::from_millis(self.metadata_interval_ms.max(100)),
            max_bitrate_bps: self.max_bitrate_bps,
            ingest_name: self.ingest_name.clone(),
        }
    }

    /// Deadline of platform calls.
    pub fn call_timeout(&self) -> Duration {
        Duration::from_millis(self.call_timeout_ms)
    }
}
