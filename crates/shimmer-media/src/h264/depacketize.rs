//! Turning H.264 RTP payloads back into NAL units: the reassembly boundaries of STAP-A and FU-A.

/// Largest NAL unit reassembled from FU-A fragments; a longer one is dropped (bounds memory).
const MAX_NAL: usize = 4 * 1024 * 1024;

/// Reassembles NAL units from payloads given in sequence order. Call [`Depacketizer::reset`] when
/// a packet was lost, so a half-built FU-A is dropped rather than glued to unrelated bytes.
#[derive(Debug, Default)]
pub struct Depacketizer {
    fu: Option<Vec<u8>>,
}

impl Depacketizer {
    /// Forgets a partially reassembled NAL unit.
    pub fn reset(&mut self) {
        self.fu = None;
    }

    /// Feeds one payload and returns the NAL units it completes (header byte first).
    pub fn push(&mut self, payload: &[u8]) -> Vec<Vec<u8>> {
        use super::PayloadKind;
        match super::payload_kind(payload) {
            PayloadKind::Single(_) => {
                self.fu = None;
                vec![payload.to_vec()]
            }
            PayloadKind::StapA(_) => {
                self.fu = None;
                super::stap_a_units(payload).map(<[u8]>::to_vec).collect()
            }
            PayloadKind::FuA {
                start,
                end,
                nal_type,
            } => {
                let body = payload.get(2..).unwrap_or(&[]);
                if start {
                    let mut nal = Vec::with_capacity(body.len() * 4 + 1);
                    nal.push((payload[0] & 0xe0) | nal_type);
                    self.fu = Some(nal);
                }
                let Some(nal) = self.fu.as_mut() else {
                    return Vec::new();
                };
                if nal.len() + body.len() > MAX_NAL {
                    self.fu = None;
                    return Vec::new();
                }
                nal.extend_from_slice(body);
                if end {
                    self.fu.take().into_iter().collect()
                } else {
                    Vec::new()
                }
            }
            PayloadKind::Unsupported => {
                self.fu = None;
                Vec::new()
            }
        }
    }
}

/// Rebuilds one access unit (all NAL units of one frame: SPS, PPS, IDR slices...) as an Annex-B
/// byte stream, each NAL unit behind a four-byte start code, from its RTP packets given as
/// (sequence number, payload) in sequence order. A sequence gap drops the fragment being
/// reassembled, so a lost FU-A piece never yields a spliced NAL unit. Decoders (the thumbnailer's)
/// take this format. Never panics; unusable input gives an empty result.
pub fn access_unit_annexb<'a>(packets: impl IntoIterator<Item = (u16, &'a [u8])>) -> Vec<u8> {
    let mut depacketizer = Depacketizer::default();
    let mut out = Vec::new();
    let mut expected: Option<u16> = None;
    for (sequence, payload) in packets {
        if expected.is_some_and(|e| e != sequence) {
            depacketizer.reset();
        }
        expected = Some(sequence.wrapping_add(1));
        for nal in depacketizer.push(payload) {
            out.extend_from_slice(&[0, 0, 0, 1]);
            out.extend_from_slice(&nal);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_unit_round_trips_through_packetization() {
        let sps = vec![0x67, 0x4d, 0x40, 0x1f];
        let pps = vec![0x68, 0xee, 0x3c, 0x80];
        let mut idr = vec![0x65];
        idr.extend((0..5000u32).map(|i| (i % 251) as u8));
        let mut payloads = Vec::new();
        for nal in [&sps, &pps, &idr] {
            payloads.extend(crate::h264::packetize_nal(nal, 1380));
        }
        let packets = payloads
            .iter()
            .enumerate()
            .map(|(i, p)| (65530u16.wrapping_add(i as u16), p.as_slice()));
        let annexb = access_unit_annexb(packets);
        let nals = crate::h264::annexb::split_nal_units(&annexb);
        assert_eq!(nals, vec![&sps[..], &pps[..], &idr[..]]);
        assert!(annexb.starts_with(&[0, 0, 0, 1, 0x67]));
    }

    #[test]
    fn a_lost_fragment_drops_that_nal_only() {
        let sps = vec![0x67, 1, 2];
        let mut idr = vec![0x65];
        idr.extend(std::iter::repeat_n(7u8, 3000));
        let mut payloads = crate::h264::packetize_nal(&sps, 1380);
        payloads.extend(crate::h264::packetize_nal(&idr, 1380));
        let packets: Vec<(u16, &[u8])> = payloads
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 2)
            .map(|(i, p)| (i as u16, p.as_slice()))
            .collect();
        let annexb = access_unit_annexb(packets);
        assert_eq!(
            crate::h264::annexb::split_nal_units(&annexb),
            vec![&sps[..]]
        );
        assert!(access_unit_annexb(Vec::<(u16, &[u8])>::new()).is_empty());
    }

    #[test]
    fn fu_a_without_start_is_dropped() {
        let mut d = Depacketizer::default();
        assert!(d.push(&[0x7c, 0x05, 1, 2]).is_empty());
        assert!(d.push(&[0x7c, 0x45, 3]).is_empty());
        assert_eq!(d.push(&[0x7c, 0x85, 1]), Vec::<Vec<u8>>::new());
        assert_eq!(d.push(&[0x7c, 0x45, 2]), vec![vec![0x65, 1, 2]]);
    }

    #[test]
    fn stap_a_splits() {
        let mut d = Depacketizer::default();
        let out = d.push(&[0x78, 0, 2, 0x67, 1, 0, 1, 0x68, 0, 0]);
        assert_eq!(out, vec![vec![0x67, 1], vec![0x68]]);
    }
}
