//! Splitting NAL units into RTP payloads, as the FTL reference client does.

/// Largest RTP payload the FTL client puts in one datagram: 1392-byte datagrams minus the 12-byte
/// RTP header.
pub const MAX_FTL_RTP_PAYLOAD: usize = 1380;

/// Splits one NAL unit (header byte first, no start code) into RTP payloads of at most
/// `max_payload` bytes: the NAL itself if it fits, otherwise FU-A fragments. Empty NALs yield
/// nothing. `max_payload` below 3 is raised to 3 so fragmentation always makes progress.
pub fn packetize_nal(nal: &[u8], max_payload: usize) -> Vec<Vec<u8>> {
    let max_payload = max_payload.max(3);
    let Some((&header, body)) = nal.split_first() else {
        return Vec::new();
    };
    if nal.len() <= max_payload {
        return vec![nal.to_vec()];
    }
    let indicator = (header & 0xe0) | super::NAL_FU_A;
    let chunk = max_payload - 2;
    let count = body.len().div_ceil(chunk);
    body.chunks(chunk)
        .enumerate()
        .map(|(i, part)| {
            let mut fu_header = header & 0x1f;
            if i == 0 {
                fu_header |= 0x80;
            }
            if i + 1 == count {
                fu_header |= 0x40;
            }
            let mut p = Vec::with_capacity(part.len() + 2);
            p.push(indicator);
            p.push(fu_header);
            p.extend_from_slice(part);
            p
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_nal_is_single() {
        assert_eq!(packetize_nal(&[0x67, 1, 2], 1380), vec![vec![0x67, 1, 2]]);
        assert!(packetize_nal(&[], 1380).is_empty());
    }

    #[test]
    fn large_nal_is_fu_a_with_ftl_sizes() {
        let mut nal = vec![0x65];
        nal.extend((0..4000).map(|i| i as u8));
        let parts = packetize_nal(&nal, MAX_FTL_RTP_PAYLOAD);
        assert_eq!(parts.len(), 3); // 1378 + 1378 + 1243
        assert!(parts.iter().all(|p| p.len() <= MAX_FTL_RTP_PAYLOAD));
        assert_eq!(parts[0][..2], [0x7c, 0x85]);
        assert_eq!(parts[1][..2], [0x7c, 0x05]);
        assert_eq!(parts[2][..2], [0x7c, 0x45]);
        let mut d = crate::h264::Depacketizer::default();
        let mut out = Vec::new();
        for p in &parts {
            out.extend(d.push(p));
        }
        assert_eq!(out, vec![nal]);
    }
}
