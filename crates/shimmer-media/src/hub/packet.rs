//! The unit the hub fans out: one RTP packet, parsed once, shared by pointer.

use std::sync::{Arc, OnceLock};
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
    /// The payload as `Arc<[u8]>`, made on first use (see [`MediaPacket::shared_payload`]).
    shared: SharedPayload,
    /// The packet's place in its hub's publication order (see [`MediaPacket::hub_index`]).
    index: HubIndex,
}

/// A packet's place in its hub's publication order: 0 until published, then 1, 2, ... Derived
/// data like [`SharedPayload`]: two hubs number the same packet differently, so it never makes
/// two packets unequal.
#[derive(Debug, Clone, Copy, Default)]
struct HubIndex(u64);

impl PartialEq for HubIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for HubIndex {}

/// A lazily made `Arc<[u8]>` copy of a packet's payload. Derived data: it never makes two
/// packets unequal, and it is not printed.
#[derive(Clone, Default)]
struct SharedPayload(OnceLock<Arc<[u8]>>);

impl PartialEq for SharedPayload {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for SharedPayload {}

impl std::fmt::Debug for SharedPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedPayload")
    }
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
            shared: SharedPayload::default(),
            index: HubIndex::default(),
        }
    }

    /// The packet's place in the publication order of the hub that published it: 1 for its first
    /// packet, counting every track; 0 for a packet not published. A consumer that joins a
    /// shared subscription with a [`JoinPoint`](crate::hub::JoinPoint) skips what it already
    /// has by this number.
    pub fn hub_index(&self) -> u64 {
        self.index.0
    }

    pub(crate) fn set_hub_index(&mut self, index: u64) {
        self.index = HubIndex(index);
    }

    /// The payload as an `Arc<[u8]>`: copied once, on the first call, and shared by every later
    /// call on this packet (all subscribers see the same `Arc<MediaPacket>`). For forwarders whose
    /// RTP stack takes `Arc<[u8]>` (str0m), so the payload is not copied once per viewer.
    pub fn shared_payload(&self) -> Arc<[u8]> {
        Arc::clone(self.shared.0.get_or_init(|| Arc::from(&self.payload[..])))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_payload_is_copied_once_and_does_not_affect_equality() {
        let h = RtpHeader::new(96, 7, 3000, 1, true);
        let p = Arc::new(MediaPacket::new(
            MediaKind::Video,
            &h,
            Bytes::from_static(&[1, 2, 3]),
            Instant::now(),
        ));
        let fresh = (*p).clone();
        let a = p.shared_payload();
        let b = Arc::clone(&p).shared_payload();
        assert_eq!(&a[..], &[1, 2, 3]);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(*p, fresh);
        assert!(!format!("{p:?}").is_empty());
    }
}
