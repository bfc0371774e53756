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

#[cfg(test)]
mod tests {
    use super::*;

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
