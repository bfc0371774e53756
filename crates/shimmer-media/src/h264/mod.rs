//! H.264 over RTP (RFC 6184): NAL unit types, what an RTP payload carries, keyframe detection,
//! packetization (single NAL or FU-A, like the FTL reference client) and depacketization, the
//! Annex-B byte stream reader, the SPS parser that yields resolution and profile, and which
//! formats browsers play.

pub mod annexb;
mod depacketize;
mod packetize;
mod playback;
mod slice;
pub mod sps;

pub use depacketize::{access_unit_annexb, Depacketizer};
pub use packetize::{packetize_nal, MAX_FTL_RTP_PAYLOAD};
pub use playback::{H264Format, PlaybackWarning};
pub use slice::{carries_b_slice, slice_type, SliceType};
pub use sps::{parse_sps, SpsError, SpsInfo};

/// NAL unit type: coded slice of a non-IDR picture.
pub const NAL_SLICE: u8 = 1;
/// NAL unit type: coded slice of an IDR picture (a keyframe).
pub const NAL_IDR: u8 = 5;
/// NAL unit type: supplemental enhancement information (x264 puts one before its first IDR).
pub const NAL_SEI: u8 = 6;
/// NAL unit type: sequence parameter set (resolution, profile, level).
pub const NAL_SPS: u8 = 7;
/// NAL unit type: picture parameter set.
pub const NAL_PPS: u8 = 8;
/// NAL unit type: access unit delimiter.
pub const NAL_AUD: u8 = 9;
/// RTP payload type: single-time aggregation packet (several NALs in one packet).
pub const NAL_STAP_A: u8 = 24;
/// RTP payload type: fragmentation unit A (one NAL split over several packets).
pub const NAL_FU_A: u8 = 28;

/// The NAL unit type in the low five bits of a NAL header byte.
pub fn nal_type(header: u8) -> u8 {
    header & 0x1f
}

/// What an H.264 RTP payload carries, read from its first bytes only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadKind {
    /// One whole NAL unit of this type.
    Single(u8),
    /// An aggregation packet; the types of the NAL units inside (at most 16 are listed).
    StapA(Vec<u8>),
    /// A fragment of a NAL unit of type `nal_type`; `start`/`end` mark the first and last fragment.
    FuA {
        /// First fragment of the NAL unit.
        start: bool,
        /// Last fragment of the NAL unit.
        end: bool,
        /// The type of the fragmented NAL unit.
        nal_type: u8,
    },
    /// Empty payload, or a packetization mode Shimmer does not accept (STAP-B, MTAP, FU-B).
    Unsupported,
}

/// Classifies an RTP payload. Never panics.
pub fn payload_kind(payload: &[u8]) -> PayloadKind {
    let Some(&first) = payload.first() else {
        return PayloadKind::Unsupported;
    };
    match nal_type(first) {
        t @ 1..=23 => PayloadKind::Single(t),
        NAL_STAP_A => {
            let mut types = Vec::new();
            for nal in stap_a_units(payload) {
                if types.len() == 16 {
                    break;
                }
                if let Some(&h) = nal.first() {
                    types.push(nal_type(h));
                }
            }
            PayloadKind::StapA(types)
        }
        NAL_FU_A => match payload.get(1) {
            Some(&fu) => PayloadKind::FuA {
                start: fu & 0x80 != 0,
                end: fu & 0x40 != 0,
                nal_type: nal_type(fu),
            },
            None => PayloadKind::Unsupported,
        },
        _ => PayloadKind::Unsupported,
    }
}

/// Iterates the NAL units inside a STAP-A payload (skipping its header byte); stops at the first
/// length that runs past the end.
pub fn stap_a_units(payload: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = payload.get(1..).unwrap_or(&[]);
    std::iter::from_fn(move || {
        if rest.len() < 2 {
            return None;
        }
        let n = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        if n == 0 || rest.len() < 2 + n {
            rest = &[];
            return None;
        }
        let nal = &rest[2..2 + n];
        rest = &rest[2 + n..];
        Some(nal)
    })
}

/// True if this payload begins a NAL unit that only appears in keyframes: SPS, PPS or an IDR
/// slice (whole, first FU-A fragment, or inside a STAP-A). Used to find where a keyframe starts.
pub fn begins_keyframe_nal(payload: &[u8]) -> bool {
    let is_key = |t: u8| matches!(t, NAL_SPS | NAL_PPS | NAL_IDR);
    match payload_kind(payload) {
        PayloadKind::Single(t) => is_key(t),
        PayloadKind::StapA(types) => types.into_iter().any(is_key),
        PayloadKind::FuA {
            start: true,
            nal_type,
            ..
        } => is_key(nal_type),
        _ => false,
    }
}

/// True if this payload carries (part of) an IDR slice: the proof that a frame is a keyframe.
pub fn contains_idr(payload: &[u8]) -> bool {
    match payload_kind(payload) {
        PayloadKind::Single(t) => t == NAL_IDR,
        PayloadKind::StapA(types) => types.contains(&NAL_IDR),
        PayloadKind::FuA { nal_type, .. } => nal_type == NAL_IDR,
        PayloadKind::Unsupported => false,
    }
}

/// Returns the SPS NAL unit (header byte included) if the payload carries one whole.
pub fn find_sps(payload: &[u8]) -> Option<&[u8]> {
    match payload_kind(payload) {
        PayloadKind::Single(NAL_SPS) => Some(payload),
        PayloadKind::StapA(_) => {
            stap_a_units(payload).find(|n| n.first().map(|h| nal_type(*h)) == Some(NAL_SPS))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_payloads() {
        assert_eq!(payload_kind(&[0x67, 1, 2]), PayloadKind::Single(7));
        assert_eq!(
            payload_kind(&[0x7c, 0x85, 0]),
            PayloadKind::FuA {
                start: true,
                end: false,
                nal_type: 5
            }
        );
        assert_eq!(payload_kind(&[0x7c]), PayloadKind::Unsupported);
        assert_eq!(payload_kind(&[]), PayloadKind::Unsupported);
        let stap = [0x78, 0, 2, 0x67, 1, 0, 1, 0x68, 0, 9];
        assert_eq!(payload_kind(&stap), PayloadKind::StapA(vec![7, 8]));
        assert!(begins_keyframe_nal(&stap));
        assert_eq!(find_sps(&stap), Some(&[0x67u8, 1][..]));
        assert!(begins_keyframe_nal(&[0x65, 0]));
        assert!(!begins_keyframe_nal(&[0x7c, 0x05, 0])); // FU-A continuation of IDR
        assert!(contains_idr(&[0x7c, 0x05, 0]));
        assert!(!begins_keyframe_nal(&[0x41, 0]));
        assert!(!begins_keyframe_nal(&[0x06, 0]));
    }
}
