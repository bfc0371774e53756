//! RTP packets (RFC 3550 section 5.1): parse and serialize.
//!
//! Parsing slices a [`Bytes`] buffer, so the payload of a received datagram is never copied: the
//! same bytes travel from the socket buffer to every viewer.

use bytes::{BufMut, Bytes};
use thiserror::Error;

/// The fixed part of every RTP header, in bytes.
pub const RTP_FIXED_HEADER_LEN: usize = 12;

/// Why a buffer is not a valid RTP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RtpError {
    /// Fewer bytes than the header (fixed part, CSRCs or extension) claims.
    #[error("RTP packet too short: {0} bytes")]
    TooShort(usize),
    /// The version field is not 2.
    #[error("unsupported RTP version {0}")]
    BadVersion(u8),
    /// The padding count is zero or larger than the bytes after the header.
    #[error("invalid RTP padding")]
    BadPadding,
}

/// A header extension (RFC 3550 5.3.1): the profile word and the raw extension body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtpExtension {
    /// The "defined by profile" 16-bit value (0xBEDE for RFC 8285 one-byte headers).
    pub profile: u16,
    /// The extension body, a multiple of 4 bytes long.
    pub data: Bytes,
}

/// The RTP header fields Shimmer uses. CSRCs are kept (up to 15) so a parse/serialize round trip
/// is lossless.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtpHeader {
    /// The marker bit: for H.264 the last packet of a frame.
    pub marker: bool,
    /// The 7-bit payload type that says which codec the payload is.
    pub payload_type: u8,
    /// The 16-bit sequence number (extend it with [`crate::seq::ExtendedSeq`]).
    pub sequence: u16,
    /// The media timestamp (90 kHz for video, 48 kHz for Opus).
    pub timestamp: u32,
    /// The synchronisation source: which stream this packet belongs to.
    pub ssrc: u32,
    csrc_count: u8,
    csrcs: [u32; 15],
    /// The header extension, if the X bit was set.
    pub extension: Option<RtpExtension>,
}

impl RtpHeader {
    /// A header with no CSRCs and no extension, the shape FTL and most senders use.
    pub fn new(payload_type: u8, sequence: u16, timestamp: u32, ssrc: u32, marker: bool) -> Self {
        Self {
            marker,
            payload_type: payload_type & 0x7f,
            sequence,
            timestamp,
            ssrc,
            csrc_count: 0,
            csrcs: [0; 15],
            extension: None,
        }
    }

    /// The contributing sources listed in the header.
    pub fn csrcs(&self) -> &[u32] {
        &self.csrcs[..usize::from(self.csrc_count)]
    }

    /// Sets the contributing sources; at most 15 are kept because the field is four bits.
    pub fn set_csrcs(&mut self, csrcs: &[u32]) {
        let n = csrcs.len().min(15);
        self.csrcs[..n].copy_from_slice(&csrcs[..n]);
        self.csrc_count = n as u8;
    }

    /// The serialized header length in bytes.
    pub fn len(&self) -> usize {
        RTP_FIXED_HEADER_LEN
            + 4 * usize::from(self.csrc_count)
            + self
                .extension
                .as_ref()
                .map_or(0, |e| 4 + e.data.len().div_ceil(4) * 4)
    }

    /// Always false: a header has at least 12 bytes. Present for clippy's `len` convention.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Appends the serialized header (no padding) to `out`.
    pub fn write_to(&self, out: &mut impl BufMut) {
        let x = u8::from(self.extension.is_some());
        out.put_u8(0x80 | (x << 4) | self.csrc_count);
        out.put_u8((u8::from(self.marker) << 7) | (self.payload_type & 0x7f));
        out.put_u16(self.sequence);
        out.put_u32(self.timestamp);
        out.put_u32(self.ssrc);
        for c in self.csrcs() {
            out.put_u32(*c);
        }
        if let Some(ext) = &self.extension {
            let words = ext.data.len().div_ceil(4);
            out.put_u16(ext.profile);
            out.put_u16(words.min(usize::from(u16::MAX)) as u16);
            out.put_slice(&ext.data);
            for _ in ext.data.len()..words * 4 {
                out.put_u8(0);
            }
        }
    }
}

/// A parsed RTP packet: header plus payload (padding removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtpPacket {
    /// The header fields.
    pub header: RtpHeader,
    /// The payload, a zero-copy slice of the parsed buffer.
    pub payload: Bytes,
}

impl RtpPacket {
    /// Parses a datagram. Never panics; every length is checked against the buffer.
    pub fn parse(buf: Bytes) -> Result<Self, RtpError> {
        let len = buf.len();
        if len < RTP_FIXED_HEADER_LEN {
            return Err(RtpError::TooShort(len));
        }
        let b0 = buf[0];
        let version = b0 >> 6;
        if version != 2 {
            return Err(RtpError::BadVersion(version));
        }
        let padding = b0 & 0x20 != 0;
        let has_ext = b0 & 0x10 != 0;
        let cc = b0 & 0x0f;
        let b1 = buf[1];
        let mut header = RtpHeader::new(
            b1 & 0x7f,
            u16::from_be_bytes([buf[2], buf[3]]),
            u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]),
            u32::from_be_bytes([buf[8], buf[9], buf[10], buf[11]]),
            b1 & 0x80 != 0,
        );
        let mut pos = RTP_FIXED_HEADER_LEN;
        let csrc_end = pos + 4 * usize::from(cc);
        if len < csrc_end {
            return Err(RtpError::TooShort(len));
        }
        for i in 0..usize::from(cc) {
            let o = pos + 4 * i;
            header.csrcs[i] = u32::from_be_bytes([buf[o], buf[o + 1], buf[o + 2], buf[o + 3]]);
        }
        header.csrc_count = cc;
        pos = csrc_end;
        if has_ext {
            if len < pos + 4 {
                return Err(RtpError::TooShort(len));
            }
            let profile = u16::from_be_bytes([buf[pos], buf[pos + 1]]);
            let words = usize::from(u16::from_be_bytes([buf[pos + 2], buf[pos + 3]]));
            let end = pos + 4 + words * 4;
            if len < end {
                return Err(RtpError::TooShort(len));
            }
            header.extension = Some(RtpExtension {
                profile,
                data: buf.slice(pos + 4..end),
            });
            pos = end;
        }
        let mut end = len;
        if padding {
            let pad = usize::from(buf[len - 1]);
            if pad == 0 || pad > len - pos {
                return Err(RtpError::BadPadding);
            }
            end = len - pad;
        }
        Ok(Self {
            header,
            payload: buf.slice(pos..end),
        })
    }

    /// Serializes header and payload into a new buffer.
    pub fn to_bytes(&self) -> Bytes {
        let mut out = Vec::with_capacity(self.header.len() + self.payload.len());
        self.header.write_to(&mut out);
        out.extend_from_slice(&self.payload);
        Bytes::from(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_plain() {
        let h = RtpHeader::new(96, 65535, 90000, 0xdeadbeef, true);
        let p = RtpPacket {
            header: h,
            payload: Bytes::from_static(b"hello"),
        };
        let bytes = p.to_bytes();
        assert_eq!(bytes.len(), 17);
        assert_eq!(&bytes[..2], &[0x80, 0x80 | 96]);
        assert_eq!(RtpPacket::parse(bytes).unwrap(), p);
    }

    #[test]
    fn round_trip_csrc_and_extension() {
        let mut h = RtpHeader::new(97, 1, 2, 3, false);
        h.set_csrcs(&[10, 20]);
        h.extension = Some(RtpExtension {
            profile: 0xbede,
            data: Bytes::from_static(&[1, 2, 3, 4, 5, 6, 7, 8]),
        });
        let p = RtpPacket {
            header: h,
            payload: Bytes::from_static(b"xyz"),
        };
        let parsed = RtpPacket::parse(p.to_bytes()).unwrap();
        assert_eq!(parsed, p);
        assert_eq!(parsed.header.csrcs(), &[10, 20]);
    }

    #[test]
    fn padding_is_removed_and_checked() {
        let mut raw = RtpPacket {
            header: RtpHeader::new(96, 1, 2, 3, false),
            payload: Bytes::from_static(b"ab"),
        }
        .to_bytes()
        .to_vec();
        raw[0] |= 0x20;
        raw.extend_from_slice(&[0, 0, 3]);
        let p = RtpPacket::parse(Bytes::from(raw.clone())).unwrap();
        assert_eq!(&p.payload[..], b"ab");
        let last = raw.len() - 1;
        raw[last] = 200;
        assert_eq!(
            RtpPacket::parse(Bytes::from(raw.clone())),
            Err(RtpError::BadPadding)
        );
        raw[last] = 0;
        assert_eq!(
            RtpPacket::parse(Bytes::from(raw)),
            Err(RtpError::BadPadding)
        );
    }

    #[test]
    fn rejects_short_and_bad_version() {
        assert_eq!(
            RtpPacket::parse(Bytes::from_static(&[0x80; 11])),
            Err(RtpError::TooShort(11))
        );
        assert_eq!(
            RtpPacket::parse(Bytes::from_static(&[0x40; 12])),
            Err(RtpError::BadVersion(1))
        );
        // CC = 15 but no CSRC bytes.
        assert!(RtpPacket::parse(Bytes::from_static(&[0x8f; 12])).is_err());
        // Extension bit with a huge length.
        let mut raw = vec![
            0x90, 96, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0xff, 0xff,
        ];
        raw.extend_from_slice(&[0; 8]);
        assert!(RtpPacket::parse(Bytes::from(raw)).is_err());
    }

    #[test]
    fn never_panics_on_any_short_input() {
        for len in 0..64 {
            for fill in [0u8, 0x80, 0x9f, 0xbf, 0xff] {
                let _ = RtpPacket::parse(Bytes::from(vec![fill; len]));
            }
        }
    }
}
