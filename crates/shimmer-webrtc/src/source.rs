//! A looping test stream: H.264 (Annex B) and Opus (Ogg) files packetized once into RTP and
//! published into a hub in real time, as an ingest would. Used by the integration tests and by
//! `shimmer-bench whep` (which needs a publisher when no encoder is attached).

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use shimmer_media::h264::{self, annexb::split_nal_units, packetize_nal};
use shimmer_media::rtp::RtpHeader;
use shimmer_media::{MediaKind, MediaPacket, StreamHub};

/// Video payload size: a common WebRTC-safe RTP payload.
pub const VIDEO_PAYLOAD: usize = 1200;

/// Why a test stream could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file could not be read.
    #[error("could not read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// ffmpeg failed.
    #[error("ffmpeg failed: {0}")]
    Ffmpeg(String),
    /// No frames or packets found.
    #[error("no media in {0}")]
    Empty(String),
}

/// One packet ready to publish, with its offset from the start of the loop.
#[derive(Debug, Clone)]
struct Timed {
    at: Duration,
    kind: MediaKind,
    timestamp: u32,
    marker: bool,
    payload: Bytes,
}

/// A stream loaded in memory, packetized once.
#[derive(Debug, Clone)]
pub struct TestStream {
    packets: Vec<Timed>,
    length: Duration,
    video_timestamp_span: u32,
    audio_timestamp_span: u32,
    peak_kbps: Option<u32>,
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

impl TestStream {
    /// Packetizes H.264 at `fps` and 20 ms Opus packets.
    pub fn from_bytes(h264_data: &[u8], ogg_opus: &[u8], fps: u32) -> Result<Self, SourceError> {
        let fps = fps.max(1);
        let mut packets = Vec::new();
        let frame_ticks = 90_000 / fps;
        let units = access_units(h264_data);
        if units.is_empty() {
            return Err(SourceError::Empty("h264".into()));
        }
        for (i, unit) in units.iter().enumerate() {
            let at = Duration::from_secs_f64(i as f64 / f64::from(fps));
            let ts = frame_ticks * i as u32;
            let mut payloads = Vec::new();
            for nal in unit {
                payloads.extend(packetize_nal(nal, VIDEO_PAYLOAD));
            }
            let n = payloads.len();
            for (k, p) in payloads.into_iter().enumerate() {
                packets.push(Timed {
                    at,
                    kind: MediaKind::Video,
                    timestamp: ts,
                    marker: k + 1 == n,
                    payload: Bytes::from(p),
                });
            }
        }
        let video_len = Duration::from_secs_f64(units.len() as f64 / f64::from(fps));
        let audio = ogg_opus_packets(ogg_opus);
        let audio_frames = audio.len();
        for (i, p) in audio.into_iter().enumerate() {
            let at = Duration::from_millis(20 * i as u64);
            if at >= video_len {
                break;
            }
            packets.push(Timed {
                at,
                kind: MediaKind::Audio,
                timestamp: 960 * i as u32,
                marker: false,
                payload: Bytes::from(p),
            });
        }
        packets.sort_by_key(|p| p.at);
        Ok(Self {
            packets,
            length: video_len,
            video_timestamp_span: frame_ticks * units.len() as u32,
            audio_timestamp_span: 960
                * (audio_frames as u32).min((video_len.as_millis() / 20) as u32),
            peak_kbps: None,
        })
    }

    /// Encodes a test stream with ffmpeg (as TESTING.md describes): `seconds` of 30 fps H.264
    /// (main profile, no B-frames, keyframe every `gop` frames) at `kbps`, and stereo Opus. The
    /// test pattern gets temporal noise and the encoder runs in CBR mode, so the stream really
    /// uses `kbps` (a plain test pattern compresses to a fraction of it).
    pub fn generate(
        dir: &std::path::Path,
        width: u32,
        height: u32,
        seconds: u32,
        gop: u32,
        kbps: u32,
    ) -> Result<Self, SourceError> {
        Self::generate_profile(dir, "main", width, height, seconds, gop, kbps)
    }

    /// [`TestStream::generate`] with another x264 profile (`baseline`, `main`, `high`; 4:2:0
    /// whatever the profile, so browsers decode it).
    pub fn generate_profile(
        dir: &std::path::Path,
        profile: &str,
        width: u32,
        height: u32,
        seconds: u32,
        gop: u32,
        kbps: u32,
    ) -> Result<Self, SourceError> {
        let (video, audio) = generate_files(dir, profile, width, height, seconds, gop, kbps)?;
        let read = |p: &std::path::Path| {
            std::fs::read(p).map_err(|source| SourceError::Read {
                path: p.display().to_string(),
                source,
            })
        };
        Self::from_bytes(&read(&video)?, &read(&audio)?, 30)
    }

    /// Publishes each video frame's packets at most at `peak_kbps` instead of all at once, as
    /// an FTL client does when its `peak_kbps` is set (ftl-sdk's leaky bucket). Without it a
    /// keyframe reaches the hub as one burst, as from an unpaced encoder.
    pub fn paced(mut self, peak_kbps: u32) -> Self {
        self.peak_kbps = (peak_kbps > 0).then_some(peak_kbps);
        self
    }

    /// Packets per loop.
    pub fn packet_count(&self) -> usize {
        self.packets.len()
    }

    /// One loop's duration.
    pub fn length(&self) -> Duration {
        self.length
    }

    /// Publishes into `hub` in real time, looping, until the hub ends or `until` passes.
    /// Sequence numbers and timestamps continue across loops. Returns packets published.
    pub async fn publish(self: Arc<Self>, hub: Arc<StreamHub>, until: Option<Instant>) -> u64 {
        let start = Instant::now();
        let (mut vseq, mut aseq) = (1000u16, 5000u16);
        let mut published = 0u64;
        let mut round = 0u32;
        let info = hub.info();
        let (vpt, vssrc) = info
            .video
            .as_ref()
            .map_or((96, 1), |v| (v.payload_type, v.ssrc));
        let (apt, assrc) = info
            .audio
            .as_ref()
            .map_or((97, 2), |a| (a.payload_type, a.ssrc));
        loop {
            let loop_start = start + self.length * round;
            // When the paced sender's link is free again.
            let mut link_free = loop_start;
            for p in &self.packets {
                let mut due = loop_start + p.at;
                if let (Some(kbps), MediaKind::Video) = (self.peak_kbps, p.kind) {
                    due = due.max(link_free);
                    let bits = (p.payload.len() as u64 + 12) * 8;
                    link_free = due + Duration::from_micros(bits * 1000 / u64::from(kbps));
                }
                if until.is_some_and(|u| due >= u) {
                    return published;
                }
                if due > Instant::now() {
                    tokio::time::sleep_until(due.into()).await;
                }
                let (seq, ts, pt, ssrc) = match p.kind {
                    MediaKind::Video => {
                        vseq = vseq.wrapping_add(1);
                        let base = self.video_timestamp_span.wrapping_mul(round);
                        (vseq, p.timestamp.wrapping_add(base), vpt, vssrc)
                    }
                    MediaKind::Audio => {
                        aseq = aseq.wrapping_add(1);
                        let base = self.audio_timestamp_span.wrapping_mul(round);
                        (aseq, p.timestamp.wrapping_add(base), apt, assrc)
                    }
                };
                let header = RtpHeader::new(pt, seq, ts, ssrc, p.marker);
                let packet = MediaPacket::new(p.kind, &header, p.payload.clone(), Instant::now());
                if hub.publish(packet).is_none() {
                    return published;
                }
                published += 1;
            }
            round += 1;
        }
    }
}

/// Encodes the test media with ffmpeg as TESTING.md describes, into `dir/test.h264` (Annex B,
/// 30 fps, no B-frames, a keyframe every `gop` frames, CBR at `kbps`, temporal noise so the
/// stream really uses its bitrate) and `dir/test.opus` (stereo 440 Hz, 20 ms packets). Returns
/// both paths.
pub fn generate_files(
    dir: &std::path::Path,
    profile: &str,
    width: u32,
    height: u32,
    seconds: u32,
    gop: u32,
    kbps: u32,
) -> Result<(std::path::PathBuf, std::path::PathBuf), SourceError> {
    let video = dir.join("test.h264");
    let audio = dir.join("test.opus");
    let run = |args: &[&str]| -> Result<(), SourceError> {
        let out = std::process::Command::new("ffmpeg")
            .args(["-hide_banner", "-loglevel", "error", "-y"])
            .args(args)
            .output()
            .map_err(|e| SourceError::Ffmpeg(e.to_string()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(SourceError::Ffmpeg(
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ))
        }
    };
    let size = format!("testsrc=size={width}x{height}:rate=30");
    let (secs, g, rate) = (seconds.to_string(), gop.to_string(), format!("{kbps}k"));
    let bufsize = format!("{}k", kbps);
    #[rustfmt::skip]
    let video_args = [
        "-f", "lavfi", "-i", &size, "-t", &secs, "-vf", "noise=alls=12:allf=t",
        "-c:v", "libx264", "-profile:v", profile, "-preset", "veryfast", "-tune", "zerolatency",
        "-bf", "0", "-g", &g, "-keyint_min", &g, "-sc_threshold", "0", "-pix_fmt", "yuv420p",
        "-b:v", &rate, "-minrate", &rate, "-maxrate", &rate, "-bufsize", &bufsize,
        "-x264-params", "nal-hrd=cbr", "-f", "h264", video.to_str().unwrap_or_default(),
    ];
    run(&video_args)?;
    run(&[
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=48000",
        "-t",
        &secs,
        "-ac",
        "2",
        "-c:a",
        "libopus",
        "-b:a",
        "128k",
        "-frame_duration",
        "20",
        "-application",
        "lowdelay",
        "-f",
        "ogg",
        audio.to_str().unwrap_or_default(),
    ])?;
    Ok((video, audio))
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

#[cfg(test)]
mod rate_tests {
    use super::*;

    /// The generated stream really has the requested bitrate and frame timing.
    #[test]
    fn generated_stream_has_its_bitrate() {
        let dir = tempfile::tempdir().unwrap();
        let s = TestStream::generate(dir.path(), 1280, 720, 2, 60, 3000).unwrap();
        let bytes: usize = s.packets.iter().map(|p| p.payload.len()).sum();
        let kbps = bytes as f64 * 8.0 / s.length.as_secs_f64() / 1000.0;
        assert!((s.length.as_secs_f64() - 2.0).abs() < 0.2, "{:?}", s.length);
        assert!(kbps > 2500.0 && kbps < 3600.0, "{kbps} kbit/s");
    }
}

#[cfg(test)]
mod pacing_tests {
    use super::*;
    use shimmer_media::hub::HubConfig;
    use shimmer_media::{HubEvent, StreamInfo, SubscriberOptions};

    /// Publish times of the first frame's packets (one 5,000-byte IDR: 5 packets).
    async fn first_frame_times(stream: TestStream) -> Vec<Duration> {
        let stream = Arc::new(stream);
        let hub = Arc::new(StreamHub::new(
            1,
            StreamInfo {
                video: Some(StreamInfo::h264(96, 1)),
                audio: None,
            },
            HubConfig::default(),
        ));
        let mut sub = hub.subscribe(SubscriberOptions::default());
        let start = Instant::now();
        stream
            .publish(Arc::clone(&hub), Some(start + Duration::from_millis(30)))
            .await;
        let mut times = Vec::new();
        while let Ok(HubEvent::Packet(p)) = sub.try_recv() {
            if p.timestamp == 0 {
                times.push(p.received_at.saturating_duration_since(start));
            }
        }
        times
    }

    fn one_idr() -> TestStream {
        let mut idr = vec![0, 0, 0, 1, 0x65, 0x88];
        idr.extend(std::iter::repeat_n(0x11, 5000));
        TestStream::from_bytes(&idr, &[], 30).unwrap()
    }

    #[tokio::test]
    async fn pacing_spreads_a_frame_at_the_peak_rate() {
        let burst = first_frame_times(one_idr()).await;
        assert_eq!(burst.len(), 5, "{burst:?}");
        assert!(burst[4] - burst[0] < Duration::from_millis(10), "{burst:?}");
        // 1,212 bytes at 2 Mbit/s: ~4.8 ms apart, so the fifth packet is due 19.4 ms after the
        // start (a timer never fires early; a busy machine may only make it later).
        let paced = first_frame_times(one_idr().paced(2000)).await;
        assert_eq!(paced.len(), 5, "{paced:?}");
        assert!(paced[4] >= Duration::from_millis(19), "{paced:?}");
    }
}
