//! What a playback session needs to describe the stream (the SDP): codecs, payload types, SSRCs,
//! and what the hub learned from the media itself (H.264 profile and size, Opus channels).

use crate::h264::SpsInfo;

/// Video codecs the hub carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoCodec {
    /// H.264, packetization mode 1 (single NAL, STAP-A, FU-A).
    H264,
}

/// Audio codecs the hub carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioCodec {
    /// Opus at 48 kHz.
    Opus,
}

/// The video track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoTrackInfo {
    /// The codec.
    pub codec: VideoCodec,
    /// The publisher's payload type.
    pub payload_type: u8,
    /// The publisher's SSRC.
    pub ssrc: u32,
    /// RTP clock rate (90 000 for H.264).
    pub clock_rate: u32,
    /// Profile, level and size from the latest SPS; None until the first SPS arrives.
    pub sps: Option<SpsInfo>,
}

/// The audio track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioTrackInfo {
    /// The codec.
    pub codec: AudioCodec,
    /// The publisher's payload type.
    pub payload_type: u8,
    /// The publisher's SSRC.
    pub ssrc: u32,
    /// RTP clock rate (48 000 for Opus).
    pub clock_rate: u32,
    /// Channel count: starts at the publisher's claim (or 2) and becomes 2 as soon as a stereo
    /// Opus packet is seen, so SDPs can say `stereo=1` and browsers do not downmix.
    pub channels: u8,
}

/// Everything about a live stream that a subscriber needs before the first packet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StreamInfo {
    /// The video track, if the stream has one.
    pub video: Option<VideoTrackInfo>,
    /// The audio track, if the stream has one.
    pub audio: Option<AudioTrackInfo>,
}

impl StreamInfo {
    /// An H.264 video track with the usual 90 kHz clock and no SPS yet.
    pub fn h264(payload_type: u8, ssrc: u32) -> VideoTrackInfo {
        VideoTrackInfo {
            codec: VideoCodec::H264,
            payload_type,
            ssrc,
            clock_rate: 90_000,
            sps: None,
        }
    }

    /// An Opus audio track at 48 kHz with the given channel count.
    pub fn opus(payload_type: u8, ssrc: u32, channels: u8) -> AudioTrackInfo {
        AudioTrackInfo {
            codec: AudioCodec::Opus,
            payload_type,
            ssrc,
            clock_rate: 48_000,
            channels,
        }
    }
}
