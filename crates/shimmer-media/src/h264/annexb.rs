//! The Annex-B byte stream (`.h264` files, ffmpeg's `-f h264`): NAL units separated by start
//! codes `00 00 01` or `00 00 00 01`.

/// Splits an Annex-B byte stream into NAL units (start codes removed). Bytes before the first
/// start code are skipped; trailing zero bytes of a unit (the leading zero of a 4-byte start
/// code) are trimmed. Never panics.
pub fn split_nal_units(data: &[u8]) -> Vec<&[u8]> {
    let mut starts = Vec::new();
    let mut i = 0;
    while i + 3 <= data.len() {
        if data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 {
            starts.push(i + 3);
            i += 3;
        } else {
            i += 1;
        }
    }
    let mut out = Vec::with_capacity(starts.len());
    for (k, &s) in starts.iter().enumerate() {
        let mut end = starts.get(k + 1).map_or(data.len(), |&n| n - 3);
        while end > s && data[end - 1] == 0 {
            end -= 1;
        }
        if end > s {
            out.push(&data[s..end]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_both_start_code_lengths() {
        let data = [
            0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 0,
        ];
        let nals = split_nal_units(&data);
        assert_eq!(
            nals,
            vec![&[0x67, 1, 2][..], &[0x68, 3][..], &[0x65, 4][..]]
        );
        assert!(split_nal_units(&[0, 0]).is_empty());
        assert!(split_nal_units(&[0, 0, 1]).is_empty());
    }
}
