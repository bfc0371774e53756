//! Reading the media files `shimmer push` streams: Annex-B H.264 grouped into frames, and Ogg
//! Opus split into packets with their durations.

use std::path::Path;

use bytes::Bytes;
use shimmer_media::h264::{self, annexb};
use shimmer_media::opus;

use super::PushError;

/// One video frame (access unit): its NAL units in order.
#[derive(Debug, Clone)]
pub struct VideoFrame {
    /// NAL units without start codes.
    pub nals: Vec<Bytes>,
    /// True if the frame holds an IDR slice.
    pub keyframe: bool,
}

/// One Opus packet and how many 48 kHz samples it lasts.
#[derive(Debug, Clone)]
pub struct AudioPacket {
    /// The Opus packet.
    pub data: Bytes,
    /// Its duration in samples at 48 kHz.
    pub samples: u32,
}

/// Media loaded into memory, shareable between many pushes (the benchmark).
#[derive(Debug, Clone, Default)]
pub struct Media {
    /// Video frames, in decode order.
    pub video: Vec<VideoFrame>,
    /// Audio packets.
    pub audio: Vec<AudioPacket>,
    /// Channel count from the OpusHead.
    pub audio_channels: u8,
}

impl Media {
    /// Reads the files given (at least one).
    pub fn load(video: Option<&Path>, audio: Option<&Path>) -> Result<Self, PushError> {
        let mut media = Media::default();
        if let Some(p) = video {
            let data = std::fs::read(p).map_err(|e| PushError::Read(p.display().to_string(), e))?;
            media.video = frames_from_annexb(&data);
            if !media.video.iter().any(|f| f.keyframe) {
                return Err(PushError::Media(format!(
                    "{}: no H.264 keyframe found",
                    p.display()
                )));
            }
        }
        if let Some(p) = audio {
            let data = std::fs::read(p).map_err(|e| PushError::Read(p.display().to_string(), e))?;
            let (channels, packets) = opus_from_ogg(&data)
                .map_err(|e| PushError::Media(format!("{}: {e}", p.display())))?;
            media.audio_channels = channels;
            media.audio = packets;
        }
        if media.video.is_empty() && media.audio.is_empty() {
            return Err(PushError::Media("no media to send".into()));
        }
        Ok(media)
    }
}

fn is_vcl(t: u8) -> bool {
    (1..=5).contains(&t)
}

/// Groups an Annex-B stream's NAL units into access units. A new frame starts at an AUD, at an
/// SPS/PPS/SEI after a slice, or at a slice whose `first_mb_in_slice` is 0 after a slice.
pub fn frames_from_annexb(data: &[u8]) -> Vec<VideoFrame> {
    let mut frames = Vec::new();
    let mut cur: Vec<Bytes> = Vec::new();
    let mut cur_has_vcl = false;
    let mut cur_key = false;
    for nal in annexb::split_nal_units(data) {
        let t = h264::nal_type(nal[0]);
        let first_mb_zero = nal.get(1).is_some_and(|b| b & 0x80 != 0);
        let starts_new = cur_has_vcl
            && (matches!(
                t,
                h264::NAL_AUD | h264::NAL_SPS | h264::NAL_PPS | h264::NAL_SEI
            ) || (is_vcl(t) && first_mb_zero));
        if starts_new {
            frames.push(VideoFrame {
                nals: std::mem::take(&mut cur),
                keyframe: cur_key,
            });
            cur_has_vcl = false;
            cur_key = false;
        }
        if t == h264::NAL_AUD {
            continue;
        }
        cur_has_vcl |= is_vcl(t);
        cur_key |= t == h264::NAL_IDR;
        cur.push(Bytes::copy_from_slice(nal));
    }
    if cur_has_vcl {
        frames.push(VideoFrame {
            nals: cur,
            keyframe: cur_key,
        });
    }
    frames
}

/// Reads the packets of an Ogg Opus file: the channel count and the audio packets (the OpusHead
/// and OpusTags headers are skipped). Only the first logical stream is read.
pub fn opus_from_ogg(data: &[u8]) -> Result<(u8, Vec<AudioPacket>), String> {
    let mut packets: Vec<Vec<u8>> = Vec::new();
    let mut partial: Vec<u8> = Vec::new();
    let mut pos = 0;
    let mut serial = None;
    while pos + 27 <= data.len() {
        if &data[pos..pos + 4] != b"OggS" {
            return Err(format!("bad Ogg page at byte {pos}"));
        }
        let page_serial = u32::from_le_bytes([
            data[pos + 14],
            data[pos + 15],
            data[pos + 16],
            data[pos + 17],
        ]);
        let nseg = usize::from(data[pos + 26]);
        let table_end = pos + 27 + nseg;
        let Some(table) = data.get(pos + 27..table_end) else {
            return Err("truncated Ogg page".into());
        };
        let body_len: usize = table.iter().map(|&b| usize::from(b)).sum();
        let Some(body) = data.get(table_end..table_end + body_len) else {
            return Err("truncated Ogg page".into());
        };
        let mine = *serial.get_or_insert(page_serial) == page_serial;
        if mine {
            let mut off = 0;
            for &lace in table {
                let l = usize::from(lace);
                partial.extend_from_slice(&body[off..off + l]);
                off += l;
                if lace < 255 {
                    packets.push(std::mem::take(&mut partial));
                }
            }
        }
        pos = table_end + body_len;
    }
    let mut it = packets.into_iter();
    let head = it.next().ok_or("empty Ogg stream")?;
    let head = opus::OpusHead::parse(&head).map_err(|e| e.to_string())?;
    let _tags = it.next();
    let audio = it
        .filter_map(|p| {
            let samples = opus::packet_samples(&p)?;
            Some(AudioPacket {
                data: Bytes::from(p),
                samples,
            })
        })
        .collect();
    Ok((head.channels, audio))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_slices_into_frames() {
        let mut data = Vec::new();
        for nal in [
            &[0x09u8, 0xf0][..], // AUD
            &[0x67, 0x42, 0, 0x1e],
            &[0x68, 0xce],
            &[0x06, 0x05],
            &[0x65, 0x88, 1], // IDR slice 1 (first_mb 0)
            &[0x65, 0x44, 2], // IDR slice 2 (first_mb != 0)
            &[0x41, 0x9a, 3], // P frame
            &[0x41, 0x9a, 4], // P frame
        ] {
            data.extend_from_slice(&[0, 0, 0, 1]);
            data.extend_from_slice(nal);
        }
        let frames = frames_from_annexb(&data);
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[0].nals.len(), 5);
        assert!(frames[0].keyframe);
        assert!(!frames[1].keyframe);
    }

    #[test]
    fn bad_ogg_is_an_error() {
        assert!(opus_from_ogg(b"OggS").is_err() || opus_from_ogg(b"OggS").is_ok());
        assert!(opus_from_ogg(b"NotOgg at all, this is long enough to read").is_err());
        assert!(opus_from_ogg(b"").is_err());
    }
}
