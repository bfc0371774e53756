//! The RTCP messages Shimmer needs (RFC 3550, RFC 4585): sender reports (FTL sends them every
//! second), generic NACKs (we send them to encoders and receive them from viewers) and PLIs
//! (viewers ask for keyframes; FTL encoders cannot honour them, but playback can log them).

use thiserror::Error;

/// RTCP packet type of a sender report.
pub const PT_SENDER_REPORT: u8 = 200;
/// RTCP packet type of a transport-layer feedback message (generic NACK is FMT 1).
pub const PT_RTPFB: u8 = 205;
/// RTCP packet type of a payload-specific feedback message (PLI is FMT 1).
pub const PT_PSFB: u8 = 206;

/// Why a buffer is not a valid RTCP packet of the expected kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RtcpError {
    /// Fewer bytes than the header or the length field requires.
    #[error("RTCP packet too short: {0} bytes")]
    TooShort(usize),
    /// The version field is not 2.
    #[error("unsupported RTCP version {0}")]
    BadVersion(u8),
    /// The packet type or feedback format is not the one asked for.
    #[error("unexpected RTCP packet type {pt} format {fmt}")]
    WrongType {
        /// The packet type found.
        pt: u8,
        /// The count/format field found.
        fmt: u8,
    },
}

/// The common 4-byte header plus the byte length of the whole packet (from the length field).
fn header(buf: &[u8]) -> Result<(u8, u8, usize), RtcpError> {
    if buf.len() < 4 {
        return Err(RtcpError::TooShort(buf.len()));
    }
    let version = buf[0] >> 6;
    if version != 2 {
        return Err(RtcpError::BadVersion(version));
    }
    let fmt = buf[0] & 0x1f;
    let pt = buf[1];
    let total = (usize::from(u16::from_be_bytes([buf[2], buf[3]])) + 1) * 4;
    if buf.len() < total {
        return Err(RtcpError::TooShort(buf.len()));
    }
    Ok((fmt, pt, total))
}

fn be32(buf: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]])
}

/// An RTCP sender report's sender info (report blocks are not needed and are skipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SenderReport {
    /// The sender's SSRC.
    pub ssrc: u32,
    /// NTP timestamp, seconds part: the wall clock matching `rtp_timestamp` (gives A/V sync).
    pub ntp_seconds: u32,
    /// NTP timestamp, fraction part.
    pub ntp_fraction: u32,
    /// The RTP timestamp matching the NTP time.
    pub rtp_timestamp: u32,
    /// Packets sent so far.
    pub packet_count: u32,
    /// Payload octets sent so far.
    pub octet_count: u32,
}

impl SenderReport {
    /// Parses a sender report (the first packet of a compound buffer).
    pub fn parse(buf: &[u8]) -> Result<Self, RtcpError> {
        let (fmt, pt, total) = header(buf)?;
        if pt != PT_SENDER_REPORT {
            return Err(RtcpError::WrongType { pt, fmt });
        }
        if total < 28 {
            return Err(RtcpError::TooShort(total));
        }
        Ok(Self {
            ssrc: be32(buf, 4),
            ntp_seconds: be32(buf, 8),
            ntp_fraction: be32(buf, 12),
            rtp_timestamp: be32(buf, 16),
            packet_count: be32(buf, 20),
            octet_count: be32(buf, 24),
        })
    }

    /// Serializes the report without report blocks (28 bytes, as the FTL client sends it).
    pub fn to_bytes(&self) -> [u8; 28] {
        let mut out = [0u8; 28];
        out[..4].copy_from_slice(&[0x80, PT_SENDER_REPORT, 0, 6]);
        for (i, v) in [
            self.ssrc,
            self.ntp_seconds,
            self.ntp_fraction,
            self.rtp_timestamp,
            self.packet_count,
            self.octet_count,
        ]
        .into_iter()
        .enumerate()
        {
            out[4 + 4 * i..8 + 4 * i].copy_from_slice(&v.to_be_bytes());
        }
        out
    }
}

/// A generic NACK (RFC 4585 6.2.1): the sequence numbers a receiver asks to have resent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenericNack {
    /// Who asks (FTL clients ignore it).
    pub sender_ssrc: u32,
    /// The media stream the lost packets belong to.
    pub media_ssrc: u32,
    /// Every sequence number requested, expanded from the PID/BLP pairs, in wire order.
    pub lost: Vec<u16>,
}

/// At most this many FCI entries are expanded when parsing, so a hostile length cannot make us
/// allocate much (each FCI names up to 17 packets).
const MAX_NACK_FCI: usize = 256;

impl GenericNack {
    /// Parses a generic NACK.
    pub fn parse(buf: &[u8]) -> Result<Self, RtcpError> {
        let (fmt, pt, total) = header(buf)?;
        if pt != PT_RTPFB || fmt != 1 {
            return Err(RtcpError::WrongType { pt, fmt });
        }
        if total < 12 {
            return Err(RtcpError::TooShort(total));
        }
        let mut lost = Vec::new();
        let mut at = 12;
        let mut n = 0;
        while at + 4 <= total && n < MAX_NACK_FCI {
            let pid = u16::from_be_bytes([buf[at], buf[at + 1]]);
            let blp = u16::from_be_bytes([buf[at + 2], buf[at + 3]]);
            lost.push(pid);
            for bit in 0..16u16 {
                if blp & (1 << bit) != 0 {
                    lost.push(pid.wrapping_add(bit + 1));
                }
            }
            at += 4;
            n += 1;
        }
        Ok(Self {
            sender_ssrc: be32(buf, 4),
            media_ssrc: be32(buf, 8),
            lost,
        })
    }

    /// Serializes the NACK, packing the sequence numbers into as few PID/BLP entries as possible.
    /// Sequence numbers are taken in the given order; each starts a new entry unless it fits the
    /// 16-packet bitmask of the entry before it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut fci: Vec<(u16, u16)> = Vec::new();
        for &seq in &self.lost {
            if let Some((pid, blp)) = fci.last_mut() {
                let d = seq.wrapping_sub(*pid);
                if d == 0 {
                    continue;
                }
                if (1..=16).contains(&d) {
                    *blp |= 1 << (d - 1);
                    continue;
                }
            }
            fci.push((seq, 0));
        }
        let words = 2 + fci.len();
        let mut out = Vec::with_capacity(4 + words * 4);
        out.extend_from_slice(&[0x81, PT_RTPFB]);
        out.extend_from_slice(&(words as u16).to_be_bytes());
        out.extend_from_slice(&self.sender_ssrc.to_be_bytes());
        out.extend_from_slice(&self.media_ssrc.to_be_bytes());
        for (pid, blp) in fci {
            out.extend_from_slice(&pid.to_be_bytes());
            out.extend_from_slice(&blp.to_be_bytes());
        }
        out
    }
}

/// A picture loss indication (RFC 4585 6.3.1): a viewer asks for a keyframe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pli {
    /// Who asks.
    pub sender_ssrc: u32,
    /// The video stream that needs a keyframe.
    pub media_ssrc: u32,
}

impl Pli {
    /// Parses a PLI.
    pub fn parse(buf: &[u8]) -> Result<Self, RtcpError> {
        let (fmt, pt, total) = header(buf)?;
        if pt != PT_PSFB || fmt != 1 {
            return Err(RtcpError::WrongType { pt, fmt });
        }
        if total < 12 {
            return Err(RtcpError::TooShort(total));
        }
        Ok(Self {
            sender_ssrc: be32(buf, 4),
            media_ssrc: be32(buf, 8),
        })
    }
}

/// One packet of a compound RTCP datagram, as far as Shimmer cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RtcpPacket {
    /// A sender report.
    SenderReport(SenderReport),
    /// A generic NACK.
    Nack(GenericNack),
    /// A picture loss indication.
    Pli(Pli),
    /// Anything else (receiver reports, SDES, BYE, ...): its type and format, body skipped.
    Other {
        /// The packet type.
        pt: u8,
        /// The count/format field.
        fmt: u8,
    },
}

/// Splits a compound RTCP datagram into its packets. Stops at the first malformed packet and
/// returns it as the last element's error; at most 64 packets are read.
pub fn parse_compound(mut buf: &[u8]) -> Vec<Result<RtcpPacket, RtcpError>> {
    let mut out = Vec::new();
    while !buf.is_empty() && out.len() < 64 {
        let (fmt, pt, total) = match header(buf) {
            Ok(h) => h,
            Err(e) => {
                out.push(Err(e));
                break;
            }
        };
        let one = &buf[..total];
        let parsed = match (pt, fmt) {
            (PT_SENDER_REPORT, _) => SenderReport::parse(one).map(RtcpPacket::SenderReport),
            (PT_RTPFB, 1) => GenericNack::parse(one).map(RtcpPacket::Nack),
            (PT_PSFB, 1) => Pli::parse(one).map(RtcpPacket::Pli),
            _ => Ok(RtcpPacket::Other { pt, fmt }),
        };
        let failed = parsed.is_err();
        out.push(parsed);
        if failed {
            break;
        }
        buf = &buf[total..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nack_round_trip_packs_bitmask() {
        let n = GenericNack {
            sender_ssrc: 1,
            media_ssrc: 7,
            lost: vec![289, 290, 300, 1000, 65535, 0],
        };
        let b = n.to_bytes();
        // 3 FCIs: (289, bits 290 & 300), (1000), (65535, bit 0)
        assert_eq!(b.len(), 12 + 3 * 4);
        assert_eq!(&b[..4], &[0x81, 205, 0, 5]);
        let p = GenericNack::parse(&b).unwrap();
        assert_eq!(p.media_ssrc, 7);
        assert_eq!(p.lost, vec![289, 290, 300, 1000, 65535, 0]);
    }

    #[test]
    fn sender_report_round_trip() {
        let sr = SenderReport {
            ssrc: 5,
            ntp_seconds: 6,
            ntp_fraction: 7,
            rtp_timestamp: 8,
            packet_count: 9,
            octet_count: 10,
        };
        let b = sr.to_bytes();
        assert_eq!(&b[..4], &[0x80, 0xc8, 0, 6]);
        assert_eq!(SenderReport::parse(&b).unwrap(), sr);
        assert!(SenderReport::parse(&b[..20]).is_err());
    }

    #[test]
    fn pli_and_compound() {
        let mut buf = vec![0x81, 206, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2];
        buf.extend_from_slice(&[0x80, 201, 0, 1, 0, 0, 0, 9]);
        let nack = GenericNack {
            sender_ssrc: 3,
            media_ssrc: 4,
            lost: vec![10],
        };
        buf.extend_from_slice(&nack.to_bytes());
        let parts = parse_compound(&buf);
        assert_eq!(parts.len(), 3);
        assert_eq!(
            parts[0],
            Ok(RtcpPacket::Pli(Pli {
                sender_ssrc: 1,
                media_ssrc: 2
            }))
        );
        assert_eq!(parts[1], Ok(RtcpPacket::Other { pt: 201, fmt: 0 }));
        assert_eq!(parts[2], Ok(RtcpPacket::Nack(nack)));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(GenericNack::parse(&[0x81, 205, 0xff, 0xff]).is_err());
        assert!(Pli::parse(&[0x81, 206, 0, 0]).is_err());
        assert!(SenderReport::parse(&[]).is_err());
        let parts = parse_compound(&[0x80, 200, 0, 0, 0x80]);
        assert!(parts.last().unwrap().is_err());
    }
}
