//! The relay's wire format, sans-IO: what an edge and an ingest node say on one QUIC stream.
//!
//! One bidirectional stream carries one channel. The edge opens it and writes the channel id
//! (8 bytes, big-endian); the ingest answers [`Frame::Offline`] and finishes, or
//! [`Frame::Info`] followed by [`Frame::Packet`]s, starting with the hub's keyframe cache, and
//! finishes the stream when the channel's stream ends. The edge may write [`KEYFRAME_REQUEST`]
//! bytes at any time (a viewer asked for a keyframe). Every frame starts with a one-byte tag;
//! numbers are big-endian.
//!
//! | tag | frame | body |
//! | --- | --- | --- |
//! | `I` | info | flags (1: video, 2: audio), video PT, video SSRC (4), audio PT, audio SSRC (4), audio channels |
//! | `P` | packet | kind (0 audio, 1 video), sequence (2), timestamp (4), flags (1: marker, 2: keyframe start), PT, SSRC (4), length (2), payload |
//! | `R` | resync | none: the edge fell behind and packets were skipped; video resumes at a keyframe start |
//! | `O` | offline | none: the channel is not live on this node |

use bytes::{Buf, BufMut, Bytes, BytesMut};
use shimmer_media::hub::{MediaKind, MediaPacket, StreamInfo};

/// What an edge writes to ask the ingest for a keyframe.
pub const KEYFRAME_REQUEST: u8 = b'K';
/// Size of the channel request an edge writes first.
pub const REQUEST_LEN: usize = 8;
/// Size of an info frame's body.
const INFO_BODY: usize = 12;
/// Size of a packet frame's header after the tag.
const PACKET_HEADER: usize = 15;

/// A frame from the ingest to the edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// The stream's tracks; the first frame of a live channel.
    Info(RelayInfo),
    /// One media packet, with its original RTP fields.
    Packet(RelayPacket),
    /// Packets were skipped for this edge (it fell behind); drop video until a keyframe start.
    Resync,
    /// The channel is not live on this node.
    Offline,
}

/// The tracks of a relayed stream: what the edge's hub needs before the first packet. The
/// profile and size are learnt again from the SPS in the keyframe cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RelayInfo {
    /// Video payload type and SSRC.
    pub video: Option<(u8, u32)>,
    /// Audio payload type, SSRC and channel count.
    pub audio: Option<(u8, u32, u8)>,
}

impl RelayInfo {
    /// The tracks of a hub's stream.
    pub fn of(info: &StreamInfo) -> Self {
        Self {
            video: info.video.as_ref().map(|v| (v.payload_type, v.ssrc)),
            audio: info
                .audio
                .as_ref()
                .map(|a| (a.payload_type, a.ssrc, a.channels)),
        }
    }

    /// The stream info an edge's hub starts with.
    pub fn to_stream_info(self) -> StreamInfo {
        StreamInfo {
            video: self.video.map(|(pt, ssrc)| StreamInfo::h264(pt, ssrc)),
            audio: self
                .audio
                .map(|(pt, ssrc, channels)| StreamInfo::opus(pt, ssrc, channels)),
        }
    }
}

/// A media packet on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayPacket {
    pub kind: MediaKind,
    pub sequence: u16,
    pub timestamp: u32,
    pub marker: bool,
    pub payload_type: u8,
    pub ssrc: u32,
    /// The first packet of a keyframe, as the ingest's hub marked it.
    pub keyframe_start: bool,
    pub payload: Bytes,
}

impl RelayPacket {
    /// The wire form of a hub packet.
    pub fn of(packet: &MediaPacket) -> Self {
        Self {
            kind: packet.kind,
            sequence: packet.sequence,
            timestamp: packet.timestamp,
            marker: packet.marker,
            payload_type: packet.payload_type,
            ssrc: packet.ssrc,
            keyframe_start: packet.keyframe_start,
            payload: packet.payload.clone(),
        }
    }

    /// A hub packet received now.
    pub fn into_media_packet(self, received_at: std::time::Instant) -> MediaPacket {
        let header = shimmer_media::rtp::RtpHeader::new(
            self.payload_type,
            self.sequence,
            self.timestamp,
            self.ssrc,
            self.marker,
        );
        MediaPacket::new(self.kind, &header, self.payload, received_at)
    }
}

/// Why bytes from the other node are not a frame. The stream is closed on any of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("unknown relay frame tag {0:#04x}")]
    UnknownTag(u8),
    #[error("unknown media kind {0}")]
    UnknownKind(u8),
    #[error("a relay packet has no payload")]
    EmptyPayload,
}

/// Appends a frame's bytes to `out`.
pub fn encode(frame: &Frame, out: &mut BytesMut) {
    match frame {
        Frame::Offline => out.put_u8(b'O'),
        Frame::Resync => out.put_u8(b'R'),
        Frame::Info(info) => {
            out.put_u8(b'I');
            let flags = u8::from(info.video.is_some()) | (u8::from(info.audio.is_some()) << 1);
            out.put_u8(flags);
            let (vpt, vssrc) = info.video.unwrap_or_default();
            out.put_u8(vpt);
            out.put_u32(vssrc);
            let (apt, assrc, channels) = info.audio.unwrap_or_default();
            out.put_u8(apt);
            out.put_u32(assrc);
            out.put_u8(channels);
        }
        Frame::Packet(packet) => {
            out.reserve(1 + PACKET_HEADER + packet.payload.len());
            out.put_u8(b'P');
            out.put_u8(match packet.kind {
                MediaKind::Audio => 0,
                MediaKind::Video => 1,
            });
            out.put_u16(packet.sequence);
            out.put_u32(packet.timestamp);
            out.put_u8(u8::from(packet.marker) | (u8::from(packet.keyframe_start) << 1));
            out.put_u8(packet.payload_type);
            out.put_u32(packet.ssrc);
            // RTP payloads are far below 64 KiB; a longer one would be a defect upstream and is
            // cut rather than corrupting the stream.
            let len = packet.payload.len().min(usize::from(u16::MAX));
            out.put_u16(len as u16);
            out.put_slice(&packet.payload[..len]);
        }
    }
}

/// Takes the next whole frame off the front of `buffer`, or returns None until more bytes
/// arrive. Never panics, whatever the bytes.
pub fn decode(buffer: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
    let Some(&tag) = buffer.first() else {
        return Ok(None);
    };
    match tag {
        b'O' => {
            buffer.advance(1);
            Ok(Some(Frame::Offline))
        }
        b'R' => {
            buffer.advance(1);
            Ok(Some(Frame::Resync))
        }
        b'I' => {
            if buffer.len() < 1 + INFO_BODY {
                return Ok(None);
            }
            buffer.advance(1);
            let flags = buffer.get_u8();
            let (vpt, vssrc) = (buffer.get_u8(), buffer.get_u32());
            let (apt, assrc, channels) = (buffer.get_u8(), buffer.get_u32(), buffer.get_u8());
            Ok(Some(Frame::Info(RelayInfo {
                video: (flags & 1 != 0).then_some((vpt, vssrc)),
                audio: (flags & 2 != 0).then_some((apt, assrc, channels)),
            })))
        }
        b'P' => {
            if buffer.len() < 1 + PACKET_HEADER {
                return Ok(None);
            }
            let len = usize::from(u16::from_be_bytes([buffer[14], buffer[15]]));
            if buffer.len() < 1 + PACKET_HEADER + len {
                return Ok(None);
            }
            let kind = match buffer[1] {
                0 => MediaKind::Audio,
                1 => MediaKind::Video,
                other => return Err(FrameError::UnknownKind(other)),
            };
            if len == 0 {
                return Err(FrameError::EmptyPayload);
            }
            buffer.advance(2);
            let sequence = buffer.get_u16();
            let timestamp = buffer.get_u32();
            let flags = buffer.get_u8();
            let payload_type = buffer.get_u8();
            let ssrc = buffer.get_u32();
            buffer.advance(2);
            let payload = buffer.split_to(len).freeze();
            Ok(Some(Frame::Packet(RelayPacket {
                kind,
                sequence,
                timestamp,
                marker: flags & 1 != 0,
                payload_type,
                ssrc,
                keyframe_start: flags & 2 != 0,
                payload,
            })))
        }
        other => Err(FrameError::UnknownTag(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(sequence: u16, payload: &'static [u8]) -> Frame {
        Frame::Packet(RelayPacket {
            kind: MediaKind::Video,
            sequence,
            timestamp: 90_000,
            marker: true,
            payload_type: 96,
            ssrc: 0xdead_beef,
            keyframe_start: sequence == 0,
            payload: Bytes::from_static(payload),
        })
    }

    #[test]
    fn frames_survive_the_wire_whole_and_byte_by_byte() {
        let frames = vec![
            Frame::Info(RelayInfo {
                video: Some((96, 7)),
                audio: Some((97, 8, 2)),
            }),
            Frame::Info(RelayInfo {
                video: None,
                audio: Some((111, 9, 1)),
            }),
            packet(65_535, b"\x65abc"),
            packet(0, b"\x41"),
            Frame::Resync,
            Frame::Offline,
        ];
        let mut wire = BytesMut::new();
        for frame in &frames {
            encode(frame, &mut wire);
        }
        let mut whole = wire.clone();
        let mut decoded = Vec::new();
        while let Some(frame) = decode(&mut whole).unwrap() {
            decoded.push(frame);
        }
        assert_eq!(decoded, frames);
        assert!(whole.is_empty());

        // The same bytes arriving one at a time give the same frames.
        let mut trickle = BytesMut::new();
        let mut decoded = Vec::new();
        for byte in wire {
            trickle.put_u8(byte);
            while let Some(frame) = decode(&mut trickle).unwrap() {
                decoded.push(frame);
            }
        }
        assert_eq!(decoded, frames);
    }

    #[test]
    fn garbage_is_refused_by_name_never_a_panic() {
        let mut bytes = BytesMut::from(&b"Zjunk"[..]);
        assert_eq!(decode(&mut bytes), Err(FrameError::UnknownTag(b'Z')));
        let mut bad_kind = BytesMut::new();
        encode(&packet(1, b"x"), &mut bad_kind);
        bad_kind[1] = 9;
        assert_eq!(decode(&mut bad_kind), Err(FrameError::UnknownKind(9)));
        let mut empty = BytesMut::new();
        encode(&packet(1, b"x"), &mut empty);
        empty[15] = 0;
        empty.truncate(16);
        assert_eq!(decode(&mut empty), Err(FrameError::EmptyPayload));
        // Every prefix of a valid frame is "wait for more", not an error.
        let mut wire = BytesMut::new();
        encode(&packet(3, b"\x65payload"), &mut wire);
        for cut in 0..wire.len() {
            let mut prefix = BytesMut::from(&wire[..cut]);
            assert_eq!(decode(&mut prefix), Ok(None), "prefix of {cut} bytes");
        }
    }

    #[test]
    fn stream_info_keeps_tracks_and_learns_the_profile_again() {
        let mut info = StreamInfo {
            video: Some(StreamInfo::h264(102, 11)),
            audio: Some(StreamInfo::opus(111, 12, 2)),
        };
        let relayed = RelayInfo::of(&info).to_stream_info();
        info.video.as_mut().unwrap().sps = None;
        assert_eq!(relayed, info);
    }
}
