//! FLV tag bodies a publisher sends, and the files `shimmer push --protocol rtmp` reads them
//! from: AVC sequence headers and frames (length-prefixed NAL units), Opus over Enhanced RTMP
//! (FourCC `Opus`), AAC from an ADTS file, and the tags of an FLV file as they are.

use bytes::Bytes;
use shimmer_media::h264::{nal_type, NAL_AUD, NAL_PPS, NAL_SPS};

use crate::protocol::message_type;

/// One tag to send: audio (8) or video (9), its timestamp in milliseconds, its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// RTMP message type (`message_type::AUDIO` or `VIDEO`).
    pub type_id: u8,
    /// Milliseconds from the start of the media.
    pub timestamp: u32,
    /// The FLV tag body.
    pub body: Bytes,
}

/// The AVC sequence header: an AVCDecoderConfigurationRecord with one SPS and one PPS.
pub fn avc_sequence_header(sps: &[u8], pps: &[u8]) -> Option<Bytes> {
    if sps.len() < 4 || pps.is_empty() || sps.len() > 0xFFFF || pps.len() > 0xFFFF {
        return None;
    }
    let mut body = vec![0x17, 0x00, 0, 0, 0];
    body.extend_from_slice(&[1, sps[1], sps[2], sps[3], 0xFF, 0xE1]);
    body.extend_from_slice(&(sps.len() as u16).to_be_bytes());
    body.extend_from_slice(sps);
    body.push(1);
    body.extend_from_slice(&(pps.len() as u16).to_be_bytes());
    body.extend_from_slice(pps);
    Some(body.into())
}

/// One AVC frame: its NAL units with four-byte lengths (parameter sets and access unit
/// delimiters left out: the sequence header carries the former).
pub fn avc_frame(keyframe: bool, nals: &[Bytes]) -> Bytes {
    let mut body = vec![if keyframe { 0x17 } else { 0x27 }, 0x01, 0, 0, 0];
    for nal in nals {
        let Some(&header) = nal.first() else { continue };
        if matches!(nal_type(header), NAL_SPS | NAL_PPS | NAL_AUD) {
            continue;
        }
        body.extend_from_slice(&(nal.len() as u32).to_be_bytes());
        body.extend_from_slice(nal);
    }
    body.into()
}

/// Enhanced RTMP audio header byte: sound format 9 (ExHeader) and the packet type.
fn opus_header(packet_type: u8) -> Vec<u8> {
    let mut body = vec![0x90 | packet_type];
    body.extend_from_slice(b"Opus");
    body
}

/// The Opus sequence start: an OpusHead (RFC 7845) for 48 kHz and `channels`.
pub fn opus_sequence_header(channels: u8) -> Bytes {
    let mut body = opus_header(0);
    body.extend_from_slice(b"OpusHead");
    body.push(1);
    body.push(channels.clamp(1, 2));
    body.extend_from_slice(&312u16.to_le_bytes());
    body.extend_from_slice(&48_000u32.to_le_bytes());
    body.extend_from_slice(&[0, 0, 0]);
    body.into()
}

/// One Opus packet over Enhanced RTMP.
pub fn opus_frame(packet: &[u8]) -> Bytes {
    let mut body = opus_header(1);
    body.extend_from_slice(packet);
    body.into()
}

/// Sampling rates by the ADTS/AudioSpecificConfig index.
const AAC_RATES: [u32; 13] = [
    96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000,
    7_350,
];

/// An ADTS (`.aac`) file: its AudioSpecificConfig and raw AAC frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdtsAudio {
    /// The two-byte AudioSpecificConfig for the AAC sequence header.
    pub config: [u8; 2],
    /// Sampling rate in Hz.
    pub sample_rate: u32,
    /// Raw AAC frames (ADTS headers removed), 1024 samples each.
    pub frames: Vec<Bytes>,
}

/// Reads an ADTS stream (what ffmpeg writes for `-c:a aac -f adts`).
pub fn parse_adts(data: &[u8]) -> Result<AdtsAudio, String> {
    let mut frames = Vec::new();
    let mut config = None;
    let mut pos = 0;
    while pos + 7 <= data.len() {
        let h = &data[pos..pos + 7];
        if h[0] != 0xFF || h[1] & 0xF0 != 0xF0 {
            return Err(format!("no ADTS sync word at byte {pos}"));
        }
        let protection_absent = h[1] & 1 == 1;
        let object_type = (h[2] >> 6) + 1;
        let rate_index = (h[2] >> 2) & 0x0F;
        let channels = ((h[2] & 1) << 2) | (h[3] >> 6);
        let length =
            (usize::from(h[3] & 0x03) << 11) | (usize::from(h[4]) << 3) | usize::from(h[5] >> 5);
        let header_len = if protection_absent { 7 } else { 9 };
        if length < header_len || pos + length > data.len() {
            return Err(format!("ADTS frame at byte {pos} is truncated"));
        }
        let sample_rate = *AAC_RATES
            .get(usize::from(rate_index))
            .ok_or_else(|| format!("ADTS sampling rate index {rate_index} is reserved"))?;
        let asc = (u16::from(object_type) << 11)
            | (u16::from(rate_index) << 7)
            | (u16::from(channels) << 3);
        config.get_or_insert((asc.to_be_bytes(), sample_rate));
        frames.push(Bytes::copy_from_slice(
            &data[pos + header_len..pos + length],
        ));
        pos += length;
    }
    let (config, sample_rate) = config.ok_or("no ADTS frame found")?;
    Ok(AdtsAudio {
        config,
        sample_rate,
        frames,
    })
}

/// The AAC sequence header (legacy sound format 10, 44 kHz stereo 16-bit flags as encoders set).
pub fn aac_sequence_header(config: [u8; 2]) -> Bytes {
    Bytes::from(vec![0xAF, 0x00, config[0], config[1]])
}

/// One raw AAC frame.
pub fn aac_frame(frame: &[u8]) -> Bytes {
    let mut body = vec![0xAF, 0x01];
    body.extend_from_slice(frame);
    body.into()
}

/// Reads the audio and video tags of an FLV file (script tags are left out).
pub fn parse_flv(data: &[u8]) -> Result<Vec<Tag>, String> {
    if data.len() < 9 || &data[..3] != b"FLV" {
        return Err("not an FLV file (no FLV signature)".into());
    }
    let header_len = u32::from_be_bytes([data[5], data[6], data[7], data[8]]) as usize;
    let mut pos = header_len.max(9) + 4;
    let mut tags = Vec::new();
    while pos + 11 <= data.len() {
        let type_id = data[pos] & 0x1F;
        let size = u32::from_be_bytes([0, data[pos + 1], data[pos + 2], data[pos + 3]]) as usize;
        let timestamp =
            u32::from_be_bytes([data[pos + 7], data[pos + 4], data[pos + 5], data[pos + 6]]);
        let end = pos + 11 + size;
        if end > data.len() {
            return Err(format!("FLV tag at byte {pos} is truncated"));
        }
        if matches!(type_id, message_type::AUDIO | message_type::VIDEO) {
            tags.push(Tag {
                type_id,
                timestamp,
                body: Bytes::copy_from_slice(&data[pos + 11..end]),
            });
        }
        pos = end + 4;
    }
    if tags.is_empty() {
        return Err("the FLV file has no audio or video".into());
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flv::{self, AudioCodec, AudioPacket, AvcConfig, VideoPacket};

    #[test]
    fn what_the_client_writes_the_server_reads() {
        let sps = [0x67, 0x4d, 0x00, 0x1f, 0xab, 0xcd];
        let pps = [0x68, 0xee, 0x3c, 0x80];
        let header = avc_sequence_header(&sps, &pps).unwrap();
        let tag = flv::parse_video(&header).unwrap();
        let VideoPacket::SequenceStart(record) = tag.packet else {
            panic!("{:?}", tag.packet)
        };
        let config = AvcConfig::parse(&record).unwrap();
        assert_eq!(
            (config.sps[0].as_ref(), config.pps[0].as_ref()),
            (&sps[..], &pps[..])
        );

        let frame = avc_frame(
            true,
            &[
                Bytes::copy_from_slice(&sps),
                Bytes::from_static(&[0x65, 1, 2]),
            ],
        );
        let tag = flv::parse_video(&frame).unwrap();
        let VideoPacket::CodedFrames { data, .. } = tag.packet else {
            panic!("{:?}", tag.packet)
        };
        assert_eq!(
            data.as_ref(),
            &[0, 0, 0, 3, 0x65, 1, 2],
            "parameter sets left out"
        );

        let audio = flv::parse_audio(&opus_sequence_header(2)).unwrap();
        assert_eq!(audio.codec, AudioCodec::Opus);
        assert!(
            matches!(audio.packet, AudioPacket::SequenceStart(ref head) if head.starts_with(b"OpusHead"))
        );
        let audio = flv::parse_audio(&opus_frame(&[0xfc, 1, 2])).unwrap();
        assert_eq!(
            audio.packet,
            AudioPacket::CodedFrames(Bytes::from_static(&[0xfc, 1, 2]))
        );

        let audio = flv::parse_audio(&aac_sequence_header([0x12, 0x10])).unwrap();
        assert_eq!(audio.codec, AudioCodec::Aac);
    }

    #[test]
    fn adts_headers_give_the_audio_specific_config() {
        // AAC-LC, 44.1 kHz (index 4), stereo; a 10-byte frame (7 header + 3 payload).
        let frame = [0xFF, 0xF1, 0x50, 0x80, 0x01, 0x5F, 0xFC, 1, 2, 3];
        let mut data = frame.to_vec();
        data.extend_from_slice(&frame);
        let audio = parse_adts(&data).unwrap();
        assert_eq!(audio.config, [0x12, 0x10]);
        assert_eq!(audio.sample_rate, 44_100);
        assert_eq!(audio.frames, vec![Bytes::from_static(&[1, 2, 3]); 2]);
        assert!(parse_adts(&data[..8]).is_err(), "truncated");
        assert!(parse_adts(b"not adts").is_err());
        assert!(parse_flv(b"nope").is_err());
    }
}
