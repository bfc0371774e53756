//! A looping test stream: H.264 (Annex B) and Opus (Ogg) packetized once into RTP and
//! published into a hub in real time, as an ingest would. The WebRTC tests and
//! `shimmer-bench whep` use it where no encoder is attached.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use shimmer_media::h264::{annexb::split_nal_units, packetize_nal};
use shimmer_media::rtp::RtpHeader;
use shimmer_media::{MediaKind, MediaPacket, StreamHub};
use shimmer_webrtc::source::{SourceError, TestFrames, VIDEO_PAYLOAD};

use crate::media::{self, MediaError};

/// Why a test stream could not be made.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// ffmpeg could not encode it.
    #[error(transparent)]
    Media(#[from] MediaError),
    /// A file could not be read.
    #[error("could not read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The media held no frames or packets.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The media held no video.
    #[error("no H.264 frames in the test stream")]
    NoVideo,
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

impl TestStream {
    /// Packetizes H.264 at `fps` and 20 ms Opus packets (the frames [`TestFrames`] finds).
    pub fn from_bytes(h264_data: &[u8], ogg_opus: &[u8], fps: u32) -> Result<Self, StreamError> {
        let fps = fps.max(1);
        let frames = TestFrames::from_bytes(h264_data, ogg_opus, f64::from(fps))?;
        if frames.video.is_empty() {
            return Err(StreamError::NoVideo);
        }
        let mut packets = Vec::new();
        let frame_ticks = 90_000 / fps;
        for (i, (at, unit)) in frames.video.iter().enumerate() {
            let ts = frame_ticks * i as u32;
            let mut payloads = Vec::new();
            for nal in split_nal_units(unit) {
                payloads.extend(packetize_nal(nal, VIDEO_PAYLOAD));
            }
            let n = payloads.len();
            for (k, p) in payloads.into_iter().enumerate() {
                packets.push(Timed {
                    at: *at,
                    kind: MediaKind::Video,
                    timestamp: ts,
                    marker: k + 1 == n,
                    payload: Bytes::from(p),
                });
            }
        }
        // The audio ends with the video: a loop is the video's length.
        let video_len = frames.length;
        let audio_frames = frames.audio.len();
        for (i, (at, p)) in frames.audio.into_iter().enumerate() {
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
            video_timestamp_span: frame_ticks * frames.video.len() as u32,
            audio_timestamp_span: 960
                * (audio_frames as u32).min((video_len.as_millis() / 20) as u32),
            peak_kbps: None,
        })
    }

    /// Encodes a test stream with ffmpeg ([`media::stream_files`]): `seconds` of 30 fps H.264
    /// in x264 `profile` (`baseline`, `main`, `high`; 4:2:0 whatever the profile, so browsers
    /// decode it; no B-frames, keyframe every `gop` frames) at `kbps`, and stereo Opus. The
    /// test pattern gets temporal noise and the encoder runs in CBR mode, so the stream really
    /// uses `kbps` (a plain test pattern compresses to a fraction of it).
    pub fn generate_profile(
        dir: &Path,
        profile: &str,
        width: u32,
        height: u32,
        seconds: u32,
        gop: u32,
        kbps: u32,
    ) -> Result<Self, StreamError> {
        let (video, audio) =
            media::stream_files(dir, profile, (width, height), seconds, gop, kbps)?;
        let read = |p: &Path| {
            std::fs::read(p).map_err(|source| StreamError::Read {
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

#[cfg(test)]
mod rate_tests {
    use super::*;

    /// The generated stream really has the requested bitrate and frame timing.
    #[test]
    fn generated_stream_has_its_bitrate() {
        let dir = tempfile::tempdir().unwrap();
        let s = TestStream::generate_profile(dir.path(), "main", 1280, 720, 2, 60, 3000).unwrap();
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
