//! The first fields of a slice header (H.264 7.3.3): enough to tell a B slice, a frame coded
//! from a later one, which a WebRTC player shows out of order because it cannot reorder frames.
//! Ingest reads it to warn the streamer that their encoder sends B-frames.

use super::sps::{unescape, BitReader};
use super::{nal_type, payload_kind, stap_a_units, PayloadKind, NAL_IDR, NAL_SLICE};

/// A slice's coding type (`slice_type` modulo 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SliceType {
    /// Predicted from earlier frames.
    P,
    /// Predicted from earlier and later frames: decoded before it is shown.
    B,
    /// Intra-coded.
    I,
    /// Switching P (Extended profile).
    Sp,
    /// Switching I (Extended profile).
    Si,
}

/// The slice bytes needed to reach `slice_type`: two exp-Golomb codes of at most 63 bits each.
const HEADER_PREFIX: usize = 24;

/// The type of a coded slice NAL unit (header byte included); None for other NAL units or a
/// header too short to read.
pub fn slice_type(nal: &[u8]) -> Option<SliceType> {
    let &header = nal.first()?;
    if !matches!(nal_type(header), NAL_SLICE | NAL_IDR) {
        return None;
    }
    slice_type_of_body(&nal[1..])
}

/// Reads `first_mb_in_slice` and `slice_type` from the bytes after the NAL header.
fn slice_type_of_body(body: &[u8]) -> Option<SliceType> {
    let rbsp = unescape(&body[..body.len().min(HEADER_PREFIX)]);
    let mut bits = BitReader::new(&rbsp);
    bits.ue().ok()?;
    Some(match bits.ue().ok()? % 5 {
        0 => SliceType::P,
        1 => SliceType::B,
        2 => SliceType::I,
        3 => SliceType::Sp,
        _ => SliceType::Si,
    })
}

/// True if an H.264 RTP payload carries the start of a B slice: a whole slice NAL unit, one
/// inside a STAP-A, or the first fragment of a fragmented one. Never panics.
pub fn carries_b_slice(payload: &[u8]) -> bool {
    match payload_kind(payload) {
        PayloadKind::Single(_) => slice_type(payload) == Some(SliceType::B),
        PayloadKind::StapA(_) => {
            stap_a_units(payload).any(|nal| slice_type(nal) == Some(SliceType::B))
        }
        PayloadKind::FuA {
            start: true,
            nal_type: NAL_SLICE | NAL_IDR,
            ..
        } => slice_type_of_body(&payload[2..]) == Some(SliceType::B),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A slice NAL unit whose header starts with first_mb_in_slice = 0 ("1") and the given
    /// slice_type as exp-Golomb, padded with ones.
    fn slice(nal_header: u8, slice_type: u32) -> Vec<u8> {
        let code = slice_type + 1;
        let width = 32 - code.leading_zeros();
        let mut bits = String::from("1");
        bits.push_str(&"0".repeat(width as usize - 1));
        bits.push_str(&format!("{code:0width$b}", width = width as usize));
        while bits.len() % 8 != 0 || bits.len() < 32 {
            bits.push('1');
        }
        let mut nal = vec![nal_header];
        for chunk in bits.as_bytes().chunks(8) {
            nal.push(u8::from_str_radix(std::str::from_utf8(chunk).unwrap(), 2).unwrap());
        }
        nal
    }

    #[test]
    fn slice_types_are_read_modulo_five() {
        assert_eq!(slice_type(&slice(0x41, 0)), Some(SliceType::P));
        assert_eq!(slice_type(&slice(0x01, 1)), Some(SliceType::B));
        assert_eq!(slice_type(&slice(0x01, 6)), Some(SliceType::B));
        assert_eq!(slice_type(&slice(0x65, 7)), Some(SliceType::I));
        assert_eq!(
            slice_type(&[0x67, 0x64, 0x00, 0x1f]),
            None,
            "an SPS is no slice"
        );
        assert_eq!(slice_type(&[0x41]), None, "truncated");
        assert_eq!(slice_type(&[]), None);
    }

    #[test]
    fn b_slices_are_found_in_single_stap_a_and_first_fragments() {
        let b = slice(0x01, 1);
        let p = slice(0x41, 5);
        assert!(carries_b_slice(&b));
        assert!(!carries_b_slice(&p));

        let mut stap = vec![24];
        for nal in [&p, &b] {
            stap.extend_from_slice(&(nal.len() as u16).to_be_bytes());
            stap.extend_from_slice(nal);
        }
        assert!(carries_b_slice(&stap));

        let fragment = |start: bool, nal: &[u8]| {
            let mut fu = vec![
                (nal[0] & 0xe0) | 28,
                (nal[0] & 0x1f) | if start { 0x80 } else { 0 },
            ];
            fu.extend_from_slice(&nal[1..]);
            fu
        };
        assert!(carries_b_slice(&fragment(true, &b)));
        assert!(
            !carries_b_slice(&fragment(false, &b)),
            "only the first fragment has the header"
        );
        assert!(!carries_b_slice(&fragment(true, &p)));
        assert!(!carries_b_slice(&[28]));
    }
}
