//! The unit the hub fans out: one RTP packet, parsed once, shared by pointer.

use std::time::Instant;

use bytes::Bytes;

use crate::rtp::RtpHeader;

/// Which track a packet belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// Opus audio.
    Audio,
    /// H.264 video.
    Video,
}

/// One media packet as received from the publisher, with the original RTP header fields so a
/// forwarder can rewrite them per viewer (sequence offsets after a skip, its own SSRC/PT).
///
/// Fan-out hands out `Arc<MediaPacket>`: every subscriber sees the same allocation, and the payload
/// is a [`Bytes`] slice of the received datagram, so no payload bytes are copied per viewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaPacket {
    /// Audio or video.
    pub kind: MediaKind,
    /// Original RTP sequence number (use it to answer viewers' NACKs via the packet history).
    pub sequence: u16,
    /// Original RTP timestamp.
    pub timestamp: u32,
    /// Original marker bit (video: last packet of a frame).
    pub marker: bool,
    /// Original payload type.
    pub payload_type: u8,
    /// Original SSRC.
    pub ssrc: u32,
    /// The RTP payload (no header, no padding).
    pub payload: Bytes,
    /// True on the first packet of a keyframe (the first SPS/PPS/IDR packet of the access unit).
    /// Set by the hub when the packet is published; a viewer can start decoding here.
    pub keyframe_start: bool,
    /// When the ingest received the packet (for latency measurements).
    pub received_at: Instant,
}

impl MediaPacket {
    /// Builds a packet from a parsed RTP header and payload. `keyframe_start` starts false; the
    /// hub decides it.
    pub fn new(kind: MediaKind, header: &RtpHeader, payload: Bytes, received_at: Instant) -> Self {
        Self {
            kind,
            sequence: header.sequence,
            timestamp: header.timestamp,
            marker: header.marker,
            payload_type: header.payload_type,
            ssrc: header.ssrc,
            payload,
            keyframe_start: false,
            received_at,
        }
    }

    /// The RTP header to send this packet with its original fields.
    pub fn rtp_header(&self) -> RtpHeader {
        RtpHeader::new(
            self.payload_type,
            self.sequence,
            self.timestamp,
            self.ssrc,
            self.marker,
        )
    }
}
