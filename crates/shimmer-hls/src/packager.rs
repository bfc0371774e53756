//! The sans-IO packager of one live stream: hub packets in, init segment, parts and segments out,
//! kept in a sliding window.
//!
//! Video drives the cuts. A part closes before the video sample that would take it past the part
//! target; a segment closes before a keyframe once it is at least the segment target long, or
//! before any sample that would take it past the segment limit (a stream whose keyframes are
//! further apart than that gets segments that do not start with one). Each part is one `moof` +
//! `mdat` with a video run and the audio that falls in its time span; a segment's bytes are its
//! parts' bytes one after another. A stream without video is cut by its audio alone.
//!
//! Both tracks are placed on one timeline by when the ingest received their first packets (RTP
//! timestamps of different tracks share no clock), then advance by their own timestamps.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use bytes::Bytes;
use shimmer_media::hub::{HubEvent, MediaKind, StreamInfo};

use crate::assemble::{AacAssembler, AudioAssembler, AudioFrame, VideoAssembler, VideoFrame};
use crate::fmp4::{
    self, AacConfig, AudioParams, Fmp4Error, Sample, TrackRun, VideoParams, AUDIO_TRACK,
    OPUS_TIMESCALE, VIDEO_TIMESCALE, VIDEO_TRACK,
};
use crate::timeline::{DecodeClock, Timed};
use shimmer_media::hub::AacFrame;

/// Where both tracks' decode times start (10 s), so that audio received a little before the
/// first video frame still has a positive time.
const TIMELINE_START_SECS: i64 = 10;

/// Audio held while no video has come yet, at most (a stream announced with video that sends
/// audio only keeps memory bounded).
const MAX_WAITING_AUDIO: usize = 250;

/// Sizes of parts and segments, and how much is kept.
#[derive(Debug, Clone)]
pub struct PackagerConfig {
    /// Part duration to aim for (the playlists' PART-TARGET). About 200 ms.
    pub part_target: Duration,
    /// A segment closes at the first keyframe once it is this long. About 1 s.
    pub segment_target: Duration,
    /// No segment gets longer (the playlists' TARGETDURATION, whole seconds).
    pub segment_limit: Duration,
    /// Complete segments kept.
    pub segments_kept: usize,
    /// Complete segments whose parts stay listed and served (the newest ones).
    pub segments_with_parts: usize,
}

impl Default for PackagerConfig {
    fn default() -> Self {
        Self {
            part_target: Duration::from_millis(200),
            segment_target: Duration::from_secs(1),
            segment_limit: Duration::from_secs(2),
            segments_kept: 16,
            segments_with_parts: 3,
        }
    }
}

/// One part of a segment.
#[derive(Debug, Clone)]
pub struct Part {
    /// Seconds of media (the video run's, or the audio's without video).
    pub duration: f64,
    /// Starts with a keyframe.
    pub independent: bool,
    /// The `moof` + `mdat`.
    pub data: Bytes,
}

/// A segment, complete or in progress.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Media sequence number.
    pub msn: u64,
    /// Its parts; emptied once the segment is older than the parts window.
    pub parts: Vec<Part>,
    /// Seconds of media.
    pub duration: f64,
    /// Starts with a keyframe.
    pub independent: bool,
    /// The whole segment, once complete.
    pub data: Option<Bytes>,
}

/// What a call to [`Packager::push`] made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// The init segment is ready.
    Init,
    /// A part is ready.
    Part {
        /// Its segment.
        msn: u64,
        /// Its index in the segment.
        index: usize,
        /// Bytes.
        bytes: usize,
        /// When the ingest received its first sample (the one that waited longest).
        first_received: Option<Instant>,
    },
    /// A segment is complete; the next one has begun.
    Segment {
        /// The complete segment's number.
        msn: u64,
    },
}

/// Packages one stream.
#[derive(Debug)]
pub struct Packager {
    config: PackagerConfig,
    has_video: bool,
    audio_track: Option<AudioParams>,
    video: VideoAssembler,
    clock: DecodeClock<VideoFrame>,
    audio: AudioAssembler,
    aac: Option<AacAssembler>,
    anchors: Anchors,
    last_video: Option<Timed<VideoFrame>>,
    last_video_duration: u32,
    video_params: Option<VideoParams>,
    init: Option<Bytes>,
    part_video: Vec<(Sample, Instant)>,
    audio_queue: VecDeque<(Sample, Instant)>,
    part_ticks: u64,
    segment_ticks: u64,
    fragment_sequence: u32,
    current: Segment,
    complete: VecDeque<Segment>,
    reorders: bool,
}

#[derive(Debug, Default)]
struct Anchors {
    /// First video frame: its presentation time and arrival.
    video: Option<(i64, Instant)>,
    /// First audio frame placed: its time and where it lands on the audio timeline.
    audio: Option<(i64, i64)>,
}

impl Packager {
    /// A packager for a stream with the hub's tracks.
    pub fn new(info: &StreamInfo, config: PackagerConfig) -> Self {
        Self {
            config,
            has_video: info.video.is_some(),
            audio_track: info.audio.as_ref().map(|audio| AudioParams::Opus {
                channels: audio.channels.clamp(1, 2),
            }),
            video: VideoAssembler::default(),
            clock: DecodeClock::default(),
            audio: AudioAssembler::default(),
            aac: None,
            anchors: Anchors::default(),
            last_video: None,
            last_video_duration: 3000,
            video_params: None,
            init: None,
            part_video: Vec::new(),
            audio_queue: VecDeque::new(),
            part_ticks: 0,
            segment_ticks: 0,
            fragment_sequence: 0,
            current: Segment {
                msn: 0,
                parts: Vec::new(),
                duration: 0.0,
                independent: true,
                data: None,
            },
            complete: VecDeque::new(),
            reorders: false,
        }
    }

    /// The init segment, once the first keyframe (or, without video, the first audio) came.
    pub fn init(&self) -> Option<&Bytes> {
        self.init.as_ref()
    }

    /// The video track's codec parameters, once known.
    pub fn video_params(&self) -> Option<&VideoParams> {
        self.video_params.as_ref()
    }

    /// The audio track, if the stream has audio.
    pub fn audio(&self) -> Option<&AudioParams> {
        self.audio_track.as_ref()
    }

    /// Packages the encoder's AAC (given to [`Packager::push_aac`]) instead of the hub's Opus.
    /// Only before the init segment is written; false after.
    pub fn use_aac(&mut self, config: AacConfig) -> bool {
        if self.init.is_some() {
            return false;
        }
        self.aac = Some(AacAssembler::new(config.sample_rate));
        self.audio_track = Some(AudioParams::Aac(config));
        true
    }

    /// Takes one AAC frame (after [`Packager::use_aac`]).
    pub fn push_aac(&mut self, frame: &AacFrame) -> Result<Vec<Output>, Fmp4Error> {
        let mut out = Vec::new();
        if let Some(assembler) = self.aac.as_mut() {
            let frame = assembler.push(frame);
            self.take_audio_frame(frame, &mut out)?;
        }
        Ok(out)
    }

    fn audio_timescale(&self) -> u32 {
        self.audio_track
            .as_ref()
            .map_or(OPUS_TIMESCALE, AudioParams::timescale)
    }

    /// True once the video was seen to reorder frames (B-frames).
    pub fn reorders(&self) -> bool {
        self.reorders
    }

    /// The configuration.
    pub fn config(&self) -> &PackagerConfig {
        &self.config
    }

    /// Complete segments, oldest first.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.complete.iter()
    }

    /// The segment being filled.
    pub fn current(&self) -> &Segment {
        &self.current
    }

    /// A segment by number, complete or current.
    pub fn segment(&self, msn: u64) -> Option<&Segment> {
        if msn == self.current.msn {
            return Some(&self.current);
        }
        self.complete.iter().find(|segment| segment.msn == msn)
    }

    /// Takes one hub event.
    pub fn push(&mut self, event: &HubEvent) -> Result<Vec<Output>, Fmp4Error> {
        let mut out = Vec::new();
        match event {
            HubEvent::Resync { .. } => self.video.resync(),
            HubEvent::Packet(packet) => match packet.kind {
                MediaKind::Video if self.has_video => {
                    for frame in self.video.push(packet) {
                        self.take_video_frame(frame, &mut out)?;
                    }
                }
                MediaKind::Video => {}
                MediaKind::Audio if self.aac.is_some() => {}
                MediaKind::Audio => {
                    if let Some(frame) = self.audio.push(packet) {
                        self.take_audio_frame(frame, &mut out)?;
                    }
                }
            },
        }
        Ok(out)
    }

    fn take_video_frame(
        &mut self,
        frame: VideoFrame,
        out: &mut Vec<Output>,
    ) -> Result<(), Fmp4Error> {
        if self.video_params.is_none() {
            let Some((sps, pps)) = frame.parameter_sets.clone() else {
                return Ok(());
            };
            if !frame.keyframe {
                return Ok(());
            }
            let info = shimmer_media::h264::parse_sps(&sps);
            let (width, height, chroma_format, bit_depth) = info
                .map(|info| {
                    (
                        info.width,
                        info.height,
                        info.chroma_format_idc,
                        info.bit_depth,
                    )
                })
                .unwrap_or((0, 0, 1, 8));
            self.video_params = Some(VideoParams {
                sps,
                pps,
                width,
                height,
                chroma_format,
                bit_depth,
            });
            self.anchors.video = Some((frame.pts, frame.received_at));
            self.write_init(out)?;
        }
        let keyframe = frame.keyframe;
        for timed in self.clock.push(frame.pts, keyframe, frame) {
            self.take_timed_video(timed, out)?;
        }
        self.reorders = self.clock.reorders();
        Ok(())
    }

    fn write_init(&mut self, out: &mut Vec<Output>) -> Result<(), Fmp4Error> {
        self.init = Some(Bytes::from(fmp4::init_segment(
            self.video_params.as_ref(),
            self.audio_track.as_ref(),
        )?));
        out.push(Output::Init);
        Ok(())
    }

    fn video_time(&self, time: i64) -> u64 {
        let (origin, _) = self.anchors.video.expect("video times follow the anchor");
        (time - origin + TIMELINE_START_SECS * i64::from(VIDEO_TIMESCALE)).max(0) as u64
    }

    /// A frame whose decode time is known: the one before it now knows its duration.
    fn take_timed_video(
        &mut self,
        timed: Timed<VideoFrame>,
        out: &mut Vec<Output>,
    ) -> Result<(), Fmp4Error> {
        if let Some(previous) = self.last_video.take() {
            let duration = u32::try_from((timed.dts - previous.dts).clamp(1, 900_000)).unwrap_or(1);
            self.last_video_duration = duration;
            self.add_video_sample(previous, duration, out)?;
        }
        self.last_video = Some(timed);
        Ok(())
    }

    fn add_video_sample(
        &mut self,
        timed: Timed<VideoFrame>,
        duration: u32,
        out: &mut Vec<Output>,
    ) -> Result<(), Fmp4Error> {
        let sync = timed.frame.keyframe;
        let sample = Sample {
            dts: self.video_time(timed.dts),
            duration,
            composition_offset: i32::try_from(timed.pts - timed.dts).unwrap_or(0),
            sync,
            data: timed.frame.data,
        };
        let part_limit = ticks(self.config.part_target, VIDEO_TIMESCALE);
        let segment_target = ticks(self.config.segment_target, VIDEO_TIMESCALE);
        let segment_limit = ticks(self.config.segment_limit, VIDEO_TIMESCALE);
        let segment_ticks = self.segment_ticks + self.part_ticks;
        let new_segment = !self.part_video.is_empty()
            && ((sync && segment_ticks >= segment_target)
                || segment_ticks + u64::from(duration) > segment_limit);
        if new_segment {
            self.close_part(sample.dts, VIDEO_TIMESCALE, out)?;
            self.close_segment(sync, out);
        } else if !self.part_video.is_empty() && self.part_ticks + u64::from(duration) > part_limit
        {
            self.close_part(sample.dts, VIDEO_TIMESCALE, out)?;
        }
        self.part_ticks += u64::from(duration);
        self.part_video.push((sample, timed.frame.received_at));
        Ok(())
    }

    fn take_audio_frame(
        &mut self,
        frame: AudioFrame,
        out: &mut Vec<Output>,
    ) -> Result<(), Fmp4Error> {
        if self.audio_track.is_none() {
            return Ok(());
        }
        let timescale = self.audio_timescale();
        if !self.has_video && self.init.is_none() {
            self.anchors.video = Some((0, frame.received_at));
            self.write_init(out)?;
        }
        let Some((_, video_arrival)) = self.anchors.video else {
            return Ok(());
        };
        let (first_time, first_position) = *self.anchors.audio.get_or_insert_with(|| {
            let offset = signed_seconds(frame.received_at, video_arrival);
            let position = (TIMELINE_START_SECS as f64 + offset) * f64::from(timescale);
            (frame.time, position.max(0.0) as i64)
        });
        let sample = Sample {
            dts: (frame.time - first_time + first_position).max(0) as u64,
            duration: frame.duration,
            composition_offset: 0,
            sync: true,
            data: frame.data,
        };
        if self.has_video {
            if self.audio_queue.len() >= MAX_WAITING_AUDIO {
                self.audio_queue.pop_front();
            }
            self.audio_queue.push_back((sample, frame.received_at));
            return Ok(());
        }
        let part_limit = ticks(self.config.part_target, timescale);
        let segment_target = ticks(self.config.segment_target, timescale);
        if !self.audio_queue.is_empty() && self.part_ticks + u64::from(sample.duration) > part_limit
        {
            let end = sample.dts;
            self.close_part(end, timescale, out)?;
            if self.segment_ticks >= segment_target {
                self.close_segment(true, out);
            }
        }
        self.part_ticks += u64::from(sample.duration);
        self.audio_queue.push_back((sample, frame.received_at));
        Ok(())
    }

    /// Closes the part being filled; `end` is where the next sample starts, in `timescale`.
    fn close_part(
        &mut self,
        end: u64,
        timescale: u32,
        out: &mut Vec<Output>,
    ) -> Result<(), Fmp4Error> {
        let end_seconds = end as f64 / f64::from(timescale);
        let audio_timescale = f64::from(self.audio_timescale());
        let mut audio = Vec::new();
        if self.has_video {
            while let Some((sample, _)) = self.audio_queue.front() {
                if sample.dts as f64 / audio_timescale >= end_seconds {
                    break;
                }
                audio.push(self.audio_queue.pop_front().expect("front exists"));
            }
        } else {
            audio.extend(self.audio_queue.drain(..));
        }
        let video: Vec<(Sample, Instant)> = std::mem::take(&mut self.part_video);
        let first_arrival = video.first().or(audio.first()).map(|(_, arrival)| *arrival);
        let video_samples: Vec<Sample> = video.into_iter().map(|(sample, _)| sample).collect();
        let audio_samples: Vec<Sample> = audio.into_iter().map(|(sample, _)| sample).collect();
        if video_samples.is_empty() && audio_samples.is_empty() {
            return Ok(());
        }
        self.fragment_sequence += 1;
        let data = fmp4::fragment(
            self.fragment_sequence,
            &[
                TrackRun {
                    track_id: VIDEO_TRACK,
                    samples: &video_samples,
                },
                TrackRun {
                    track_id: AUDIO_TRACK,
                    samples: &audio_samples,
                },
            ],
        )?;
        let duration = self.part_ticks as f64
            / if self.has_video {
                f64::from(VIDEO_TIMESCALE)
            } else {
                audio_timescale
            };
        let independent = video_samples.first().is_some_and(|sample| sample.sync)
            || (!self.has_video && !audio_samples.is_empty());
        if self.current.parts.is_empty() {
            self.current.independent = independent;
        }
        self.segment_ticks += self.part_ticks;
        self.part_ticks = 0;
        self.current.duration += duration;
        let bytes = data.len();
        self.current.parts.push(Part {
            duration,
            independent,
            data: Bytes::from(data),
        });
        out.push(Output::Part {
            msn: self.current.msn,
            index: self.current.parts.len() - 1,
            bytes,
            first_received: first_arrival,
        });
        Ok(())
    }

    fn close_segment(&mut self, next_independent: bool, out: &mut Vec<Output>) {
        let next = Segment {
            msn: self.current.msn + 1,
            parts: Vec::new(),
            duration: 0.0,
            independent: next_independent,
            data: None,
        };
        let mut done = std::mem::replace(&mut self.current, next);
        self.segment_ticks = 0;
        let mut whole = Vec::with_capacity(done.parts.iter().map(|part| part.data.len()).sum());
        for part in &done.parts {
            whole.extend_from_slice(&part.data);
        }
        done.data = Some(Bytes::from(whole));
        out.push(Output::Segment { msn: done.msn });
        self.complete.push_back(done);
        while self.complete.len() > self.config.segments_kept {
            self.complete.pop_front();
        }
        let keep_parts = self.config.segments_with_parts;
        let count = self.complete.len();
        for segment in self
            .complete
            .iter_mut()
            .take(count.saturating_sub(keep_parts))
        {
            segment.parts = Vec::new();
        }
    }
}

/// `later - earlier` in seconds, negative when `later` came first.
fn signed_seconds(later: Instant, earlier: Instant) -> f64 {
    later.saturating_duration_since(earlier).as_secs_f64()
        - earlier.saturating_duration_since(later).as_secs_f64()
}

fn ticks(duration: Duration, timescale: u32) -> u64 {
    (duration.as_secs_f64() * f64::from(timescale)).round() as u64
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use shimmer_media::hub::MediaPacket;
    use shimmer_media::rtp::RtpHeader;

    use super::*;

    /// A 30 fps stream with a keyframe every `gop` frames and 20 ms Opus packets, as hub events.
    fn stream(seconds: u32, gop: u32) -> Vec<HubEvent> {
        let start = Instant::now();
        let mut events = Vec::new();
        let mut sequence = 0u16;
        let mut audio_sequence = 0u16;
        let mut audio_time = 0u32;
        for frame in 0..seconds * 30 {
            let at = start + Duration::from_millis(u64::from(frame) * 1000 / 30);
            let timestamp = 1_000 + frame * 3000;
            let keyframe = frame % gop == 0;
            let nals: Vec<&[u8]> = if keyframe {
                vec![
                    &[0x67, 0x42, 0x00, 0x1e],
                    &[0x68, 0xce],
                    &[0x65, 0x88, 0x80],
                ]
            } else {
                vec![&[0x41, 0x9a, 0x00]]
            };
            let count = nals.len();
            for (index, nal) in nals.into_iter().enumerate() {
                let header = RtpHeader::new(96, sequence, timestamp, 1, index + 1 == count);
                sequence = sequence.wrapping_add(1);
                let mut packet =
                    MediaPacket::new(MediaKind::Video, &header, Bytes::copy_from_slice(nal), at);
                packet.keyframe_start = keyframe && index == 0;
                events.push(HubEvent::Packet(Arc::new(packet)));
            }
            while u64::from(audio_time) * 30 <= u64::from(frame + 1) * 48_000 {
                let header = RtpHeader::new(97, audio_sequence, 50_000 + audio_time, 2, false);
                audio_sequence = audio_sequence.wrapping_add(1);
                let packet = MediaPacket::new(
                    MediaKind::Audio,
                    &header,
                    Bytes::from_static(&[0xfc, 0x01, 0x02]),
                    at,
                );
                events.push(HubEvent::Packet(Arc::new(packet)));
                audio_time += 960;
            }
        }
        events
    }

    fn info() -> StreamInfo {
        StreamInfo {
            video: Some(StreamInfo::h264(96, 1)),
            audio: Some(StreamInfo::opus(97, 2, 2)),
        }
    }

    fn run(events: &[HubEvent], config: PackagerConfig) -> (Packager, Vec<Output>) {
        let mut packager = Packager::new(&info(), config);
        let mut outputs = Vec::new();
        for event in events {
            outputs.extend(packager.push(event).unwrap());
        }
        (packager, outputs)
    }

    #[test]
    fn segments_are_cut_at_keyframes_into_parts_of_the_target() {
        let (packager, outputs) = run(&stream(6, 30), PackagerConfig::default());
        assert_eq!(outputs.first(), Some(&Output::Init));
        let segments: Vec<&Segment> = packager.segments().collect();
        assert_eq!(
            segments.len(),
            5,
            "one segment per 1 s GOP (the last still open)"
        );
        for segment in &segments {
            assert!(
                (segment.duration - 1.0).abs() < 1e-9,
                "{}",
                segment.duration
            );
            assert!(segment.independent);
            assert!(segment.data.is_some());
        }
        let with_parts: Vec<usize> = segments.iter().map(|segment| segment.parts.len()).collect();
        assert_eq!(
            with_parts,
            [0, 0, 5, 5, 5],
            "parts kept for the newest three"
        );
        for part in &segments[4].parts {
            assert!((part.duration - 0.2).abs() < 1e-9);
        }
        assert!(segments[4].parts[0].independent);
        assert!(!segments[4].parts[1].independent);
        let part_outputs = outputs
            .iter()
            .filter(|output| matches!(output, Output::Part { .. }))
            .count();
        assert!(part_outputs >= 25, "{part_outputs} parts");
        let whole = segments[4].data.as_ref().unwrap().len();
        let parts: usize = segments[4].parts.iter().map(|part| part.data.len()).sum();
        assert_eq!(whole, parts, "a segment is its parts one after another");
    }

    #[test]
    fn long_gops_are_cut_at_the_segment_limit() {
        let (packager, _) = run(&stream(9, 120), PackagerConfig::default());
        let durations: Vec<f64> = packager
            .segments()
            .map(|segment| segment.duration)
            .collect();
        assert!(
            durations.iter().all(|duration| *duration <= 2.0 + 1e-9),
            "{durations:?}"
        );
        let independent: Vec<bool> = packager
            .segments()
            .map(|segment| segment.independent)
            .collect();
        assert!(independent[0]);
        assert!(independent.contains(&false), "{independent:?}");
    }

    #[test]
    fn an_encoders_aac_replaces_the_opus_and_fills_the_parts() {
        let events = stream(3, 30);
        let mut packager = Packager::new(&info(), PackagerConfig::default());
        let config = AacConfig::parse(&[0x11, 0x90]).unwrap();
        assert!(packager.use_aac(config.clone()));
        let start = match &events[0] {
            HubEvent::Packet(packet) => packet.received_at,
            HubEvent::Resync { .. } => unreachable!(),
        };
        let mut next_aac = 0u32;
        let mut audio_bytes = 0;
        for event in &events {
            packager.push(event).unwrap();
            let HubEvent::Packet(packet) = event else {
                continue;
            };
            // AAC at 48 kHz: a frame every 21.33 ms, stamped in whole milliseconds.
            while u64::from(next_aac) * 1024 * 1000 / 48_000
                <= packet.received_at.duration_since(start).as_millis() as u64
            {
                let ms = (u64::from(next_aac) * 1024 * 1000 / 48_000) as u32;
                let frame = AacFrame {
                    timestamp_ms: 5_000 + ms,
                    data: Bytes::from_static(&[0x21, 0x10, 0x04]),
                    received_at: start + Duration::from_millis(u64::from(ms)),
                };
                audio_bytes += 3;
                packager.push_aac(&frame).unwrap();
                next_aac += 1;
            }
        }
        assert_eq!(packager.audio(), Some(&AudioParams::Aac(config)));
        assert!(
            !packager.use_aac(AacConfig::parse(&[0x12, 0x10]).unwrap()),
            "not once begun"
        );
        let multivariant = crate::playlist::multivariant(&packager);
        assert!(
            multivariant.contains("CODECS=\"avc1.42001e,mp4a.40.2\""),
            "{multivariant}"
        );
        let video_only = {
            let mut plain = Packager::new(
                &StreamInfo {
                    video: Some(StreamInfo::h264(96, 1)),
                    audio: None,
                },
                PackagerConfig::default(),
            );
            for event in &events {
                plain.push(event).unwrap();
            }
            plain
                .segments()
                .map(|s| s.data.as_ref().unwrap().len())
                .sum::<usize>()
        };
        let with_aac: usize = packager
            .segments()
            .map(|s| s.data.as_ref().unwrap().len())
            .sum();
        assert!(
            with_aac > video_only + audio_bytes / 2,
            "AAC frames are in the segments: {with_aac} against {video_only} without audio"
        );
    }

    #[test]
    fn the_window_keeps_the_configured_segments() {
        let config = PackagerConfig {
            segments_kept: 4,
            ..PackagerConfig::default()
        };
        let (packager, _) = run(&stream(10, 30), config);
        let numbers: Vec<u64> = packager.segments().map(|segment| segment.msn).collect();
        assert_eq!(numbers, [5, 6, 7, 8]);
        assert!(packager.segment(4).is_none());
        assert_eq!(packager.current().msn, 9);
    }
}
