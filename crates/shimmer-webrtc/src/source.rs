//! Media files as the frames a sender that packetizes itself sends: H.264 (Annex B) split into
//! access units and Opus (Ogg) into packets, each at its time from the start of the loop. Behind
//! `shimmer push --protocol whip` (the [`publisher`](crate::publisher)); the test kit's looping
//! hub stream packetizes the same frames.

use std::time::Duration;

use shimmer_media::h264::{self, annexb::split_nal_units};

/// Video payload size: a common WebRTC-safe RTP payload.
pub const VIDEO_PAYLOAD: usize = 1200;

/// Why media could not be split into frames.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// No frames or packets found.
    #[error("no media in {0}")]
    Empty(String),
}

/// H.264 access units from an Annex-B stream: a new unit starts at a parameter set / SEI / AUD
/// after a slice, or at a slice whose first_mb_in_slice is 0 after a slice.
fn access_units(data: &[u8]) -> Vec<Vec<&[u8]>> {
    let mut units: Vec<Vec<&[u8]>> = Vec::new();
    let mut cur: Vec<&[u8]> = Vec::new();
    let mut has_slice = false;
    for nal in split_nal_units(data) {
        let t = h264::nal_type(nal[0]);
        let is_slice = t == h264::NAL_SLICE || t == h264::NAL_IDR;
        let starts_frame = if is_slice {
            // first_mb_in_slice == 0 is ue(v) "1": the top bit of the next byte.
            nal.get(1).is_some_and(|b| b & 0x80 != 0)
        } else {
            matches!(
                t,
                h264::NAL_SPS | h264::NAL_PPS | h264::NAL_SEI | h264::NAL_AUD
            )
        };
        if starts_frame && has_slice {
            units.push(std::mem::take(&mut cur));
            has_slice = false;
        }
        cur.push(nal);
        has_slice |= is_slice;
    }
    if has_slice {
        units.push(cur);
    }
    units
}

/// Opus packets from an Ogg file (the two header packets skipped). Never panics.
fn ogg_opus_packets(data: &[u8]) -> Vec<Vec<u8>> {
    let mut packets = Vec::new();
    let mut cur = Vec::new();
    let mut pos = 0;
    while pos + 27 <= data.len() && &data[pos..pos + 4] == b"OggS" {
        let nseg = usize::from(data[pos + 26]);
        let Some(table) = data.get(pos + 27..pos + 27 + nseg) else {
            break;
        };
        let mut body = pos + 27 + nseg;
        for &lace in table {
            let end = (body + usize::from(lace)).min(data.len());
            cur.extend_from_slice(&data[body..end]);
            body = end;
            if lace < 255 {
                packets.push(std::mem::take(&mut cur));
            }
        }
        pos = body;
    }
    packets.into_iter().skip(2).collect()
}

/// A test stream as frames, for senders that packetize themselves (a WebRTC publisher): H.264
/// access units in Annex B and Opus packets, each with its offset from the start of the loop.
#[derive(Debug, Clone)]
pub struct TestFrames {
    /// Access units (Annex B, start codes included) at their frame times.
    pub video: Vec<(Duration, Vec<u8>)>,
    /// 20 ms Opus packets.
    pub audio: Vec<(Duration, Vec<u8>)>,
    /// One loop's duration (the video's, or the audio's without video).
    pub length: Duration,
}

impl TestFrames {
    /// Splits Annex-B H.264 at `fps` into access units and an Ogg Opus file into packets.
    pub fn from_bytes(h264_data: &[u8], ogg_opus: &[u8], fps: f64) -> Result<Self, SourceError> {
        let fps = if fps > 0.0 { fps } else { 30.0 };
        let video: Vec<(Duration, Vec<u8>)> = access_units(h264_data)
            .into_iter()
            .enumerate()
            .map(|(i, unit)| {
                let mut au = Vec::new();
                for nal in unit {
                    au.extend_from_slice(&[0, 0, 0, 1]);
                    au.extend_from_slice(nal);
                }
                (Duration::from_secs_f64(i as f64 / fps), au)
            })
            .collect();
        let audio: Vec<(Duration, Vec<u8>)> = ogg_opus_packets(ogg_opus)
            .into_iter()
            .enumerate()
            .map(|(i, p)| (Duration::from_millis(20 * i as u64), p))
            .collect();
        if video.is_empty() && audio.is_empty() {
            return Err(SourceError::Empty("h264 and opus".into()));
        }
        let length = if video.is_empty() {
            Duration::from_millis(20 * audio.len() as u64)
        } else {
            Duration::from_secs_f64(video.len() as f64 / fps)
        };
        let audio = audio.into_iter().filter(|(at, _)| *at < length).collect();
        Ok(Self {
            video,
            audio,
            length,
        })
    }

    /// The profile-level-id of the first SPS (what a publisher offers), if any.
    pub fn profile_level_id(&self) -> Option<u32> {
        self.video.iter().find_map(|(_, au)| {
            let sps = split_nal_units(au)
                .into_iter()
                .find(|n| h264::nal_type(n[0]) == h264::NAL_SPS)?;
            let info = h264::parse_sps(sps).ok()?;
            Some(
                (u32::from(info.profile_idc) << 16)
                    | (u32::from(info.constraint_flags) << 8)
                    | u32::from(info.level_idc),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_slices_into_frames() {
        // SPS, PPS, IDR slice (first_mb 0), IDR slice (first_mb != 0), P slice (first_mb 0).
        let data = [
            0, 0, 0, 1, 0x67, 1, 0, 0, 1, 0x68, 2, 0, 0, 1, 0x65, 0x88, 0, 0, 1, 0x65, 0x40, 0, 0,
            1, 0x41, 0x9a,
        ];
        let units = access_units(&data);
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].len(), 4);
        assert_eq!(units[1], vec![&[0x41, 0x9a][..]]);
    }

    #[test]
    fn reads_ogg_packets() {
        // Two pages: headers (2 packets), then 2 audio packets.
        let page = |segs: &[&[u8]]| {
            let mut p = b"OggS".to_vec();
            p.extend_from_slice(&[0; 22]);
            p.push(segs.len() as u8);
            p.extend(segs.iter().map(|s| s.len() as u8));
            for s in segs {
                p.extend_from_slice(s);
            }
            p
        };
        let mut data = page(&[b"OpusHead", b"OpusTags"]);
        data.extend(page(&[&[0xfc, 1, 2], &[0xfc, 3]]));
        assert_eq!(
            ogg_opus_packets(&data),
            vec![vec![0xfc, 1, 2], vec![0xfc, 3]]
        );
    }
}
