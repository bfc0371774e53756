//! The statistics a live stream reports to the platform (the fields of Glimesh's
//! `StreamMetadata`, plus loss recovery and timing details).

use serde::Serialize;

/// A snapshot of one live stream, sent with `IngestControl::report_metadata` every 10–15 s.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StreamStats {
    /// Name of the ingest node (config `ftl.ingest_name`).
    pub ingest_server: String,
    /// Seconds since the stream started.
    pub stream_time_seconds: u64,
    /// Bits per second received (RTP incl. headers, audio + video) over the rolling window.
    pub source_bitrate: u64,
    /// Round-trip time to the encoder in milliseconds, measured from NACK round trips (FTL's own
    /// pings carry the client's clock only, so the server cannot time them); None until measured.
    pub source_ping_ms: Option<u32>,
    /// Unique RTP packets received.
    pub recv_packets: u64,
    /// Packets found missing (sequence gaps).
    pub lost_packets: u64,
    /// Sequence numbers requested in NACKs (retries included).
    pub nack_packets: u64,
    /// Missing packets that were retransmitted in time.
    pub recovered_packets: u64,
    /// Missing packets given up (a viewer sees a glitch).
    pub unrecovered_packets: u64,
    /// Encoder software (`VendorName`).
    pub vendor_name: Option<String>,
    /// Encoder version (`VendorVersion`).
    pub vendor_version: Option<String>,
    /// `H264` if the stream has video.
    pub video_codec: Option<String>,
    /// `OPUS` if the stream has audio.
    pub audio_codec: Option<String>,
    /// Width from the SPS (not the announced, always-1280 value).
    pub video_width: Option<u32>,
    /// Height from the SPS.
    pub video_height: Option<u32>,
    /// SDP profile-level-id from the SPS.
    pub video_profile: Option<String>,
    /// chroma_format_idc from the SPS (1 = 4:2:0; browsers play nothing else).
    pub video_chroma_format: Option<u8>,
    /// Sample bit depth from the SPS (browsers play 8 only).
    pub video_bit_depth: Option<u8>,
    /// Frames per second over the rolling window.
    pub fps: f64,
    /// Time between the last two keyframes, in milliseconds (from RTP timestamps).
    pub keyframe_interval_ms: Option<u32>,
    /// Opus channel count seen.
    pub audio_channels: Option<u8>,
    /// The protocol the encoder speaks.
    pub ingest_protocol: IngestProtocol,
    /// The encoder sends B-frames (frames shown in a different order than they are sent), which
    /// WebRTC players cannot reorder.
    pub video_b_frames: bool,
}

/// The ingest protocols, each an adapter in front of the same hub and stream lifecycle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IngestProtocol {
    /// FTL (TCP control + UDP RTP), the default.
    #[default]
    Ftl,
    /// RTMP and Enhanced RTMP.
    Rtmp,
    /// WHIP (WebRTC-HTTP ingestion).
    Whip,
}

impl IngestProtocol {
    /// The name recorded with the stream's metadata and shown to its streamer.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ftl => "ftl",
            Self::Rtmp => "rtmp",
            Self::Whip => "whip",
        }
    }
}
