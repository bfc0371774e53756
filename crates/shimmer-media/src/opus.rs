//! Opus helpers: the channel count (for the SDP's `stereo=1`) and packet durations (for RTP
//! timestamps when reading Ogg files).

use thiserror::Error;

/// Why an `OpusHead` header could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum OpusError {
    /// Shorter than the 19 bytes of an `OpusHead`.
    #[error("OpusHead too short")]
    TooShort,
    /// Does not start with the magic `OpusHead`.
    #[error("not an OpusHead")]
    BadMagic,
    /// Zero channels.
    #[error("invalid channel count")]
    BadChannels,
}

/// The identification header of an Ogg Opus stream (RFC 7845 5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpusHead {
    /// Output channel count.
    pub channels: u8,
    /// Samples (at 48 kHz) to discard at the start.
    pub pre_skip: u16,
    /// The original input sample rate (informational only; Opus always runs at 48 kHz).
    pub input_sample_rate: u32,
}

impl OpusHead {
    /// Parses an `OpusHead` packet.
    pub fn parse(buf: &[u8]) -> Result<Self, OpusError> {
        if buf.len() < 19 {
            return Err(OpusError::TooShort);
        }
        if &buf[..8] != b"OpusHead" {
            return Err(OpusError::BadMagic);
        }
        let channels = buf[9];
        if channels == 0 {
            return Err(OpusError::BadChannels);
        }
        Ok(Self {
            channels,
            pre_skip: u16::from_le_bytes([buf[10], buf[11]]),
            input_sample_rate: u32::from_le_bytes([buf[12], buf[13], buf[14], buf[15]]),
        })
    }
}

/// Channel count signalled by an Opus packet's TOC byte (1 mono, 2 stereo); None if empty.
pub fn toc_channels(packet: &[u8]) -> Option<u8> {
    packet
        .first()
        .map(|toc| if toc & 0x04 != 0 { 2 } else { 1 })
}

/// Samples at 48 kHz in one frame of this TOC configuration (RFC 6716 3.1).
fn frame_samples(toc: u8) -> u32 {
    let config = toc >> 3;
    match config {
        0..=11 => [480, 960, 1920, 2880][usize::from(config % 4)],
        12..=15 => [480, 960][usize::from(config % 2)],
        _ => [120, 240, 480, 960][usize::from(config % 4)],
    }
}

/// Total samples at 48 kHz in an Opus packet (frame size times frame count), which is how far
/// the RTP timestamp advances after it. None if the packet is empty or malformed.
pub fn packet_samples(packet: &[u8]) -> Option<u32> {
    let toc = *packet.first()?;
    let frames = match toc & 0x03 {
        0 => 1,
        1 | 2 => 2,
        _ => u32::from(*packet.get(1)? & 0x3f),
    };
    if frames == 0 {
        return None;
    }
    let total = frame_samples(toc) * frames;
    // RFC 6716: a packet lasts at most 120 ms.
    (total <= 5760).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_and_toc() {
        let mut head = b"OpusHead".to_vec();
        head.extend_from_slice(&[1, 2, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0]);
        let h = OpusHead::parse(&head).unwrap();
        assert_eq!(h.channels, 2);
        assert_eq!(h.pre_skip, 312);
        assert_eq!(h.input_sample_rate, 48000);
        assert_eq!(OpusHead::parse(&head[..10]), Err(OpusError::TooShort));
        assert_eq!(toc_channels(&[0xfc]), Some(2));
        assert_eq!(toc_channels(&[0xf8]), Some(1));
        assert_eq!(toc_channels(&[]), None);
    }

    #[test]
    fn durations() {
        // config 31 (CELT FB 20 ms), one frame.
        assert_eq!(packet_samples(&[0xf8]), Some(960));
        // config 1 (SILK NB 20 ms), code 1: two frames.
        assert_eq!(packet_samples(&[0x09]), Some(1920));
        // code 3 with 3 frames of 20 ms.
        assert_eq!(packet_samples(&[0xfb, 0x03]), Some(2880));
        assert_eq!(packet_samples(&[0xfb]), None);
        assert_eq!(packet_samples(&[0xfb, 0x3f]), None);
    }
}
