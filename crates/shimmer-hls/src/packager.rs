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

use crate::assemble::{AudioAssembler, AudioFrame, VideoAssembler, VideoFrame};
use crate::fmp4::{
    self, AudioParams, Fmp4Error, Sample, TrackRun, VideoParams, AUDIO_TIMESCALE, AUDIO_TRACK,
    VIDEO_TIMESCALE, VIDEO_TRACK,
};
use crate::timeline::{DecodeClock, Timed};

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
    audio_channels: Option<u8>,
    video: VideoAssembler,
    clock: DecodeClock<VideoFrame>,
    audio: AudioAssembler,
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
            audio_channels: info.audio.as_ref().map(|audio| audio.channels.clamp(1, 2)),
            video: VideoAssembler::default(),
            clock: DecodeClock::default(),
            audio: AudioAssembler::default(),
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

    /// The audio track's channel count, if the stream has audio.
    pub fn audio_channels(&self) -> Option<u8> {
        self.audio_channels
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
                .map(|info| (info.width, info.height, info.chroma_format_idc, info.bit_depth))
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
        let audio = self.audio_channels.map(|channels| AudioParams { channels });
        self.init = Some(Bytes::from(fmp4::init_segment(
            self.video_params.as_ref(),
            audio,
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
        } else if !self.part_video.is_empty()
            && self.part_ticks + u64::from(duration) > part_limit
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
        if self.audio_channels.is_none() {
            return Ok(());
        }
        if !self.has_video && self.init.is_none() {
            self.anchors.video = Some((0, frame.received_at));
            self.write_init(out)?;
        }
        let Some((_, video_arrival)) = self.anchors.video else {
            return Ok(());
        };
        let (first_time, first_position) = *self.anchors.audio.get_or_insert_with(|| {
            let offset = signed_seconds(frame.received_at, video_arrival);
            let position = (TIMELINE_START_SECS as f64 + offset) * f64::from(AUDIO_TIMESCALE);
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
        let part_limit = ticks(self.config.part_target, AUDIO_TIMESCALE);
        let segment_target = ticks(self.config.segment_target, AUDIO_TIMESCALE);
        if !self.audio_queue.is_empty() && self.part_ticks + u64::from(sample.duration) > part_limit
        {
            let end = sample.dts;
            self.close_part(end, AUDIO_TIMESCALE, out)?;
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
        let mut audio = Vec::new();
        if self.has_video {
            while let Some((sample, _)) = self.audio_queue.front() {
                if sample.dts as f64 / f64::from(AUDIO_TIMESCALE) >= end_seconds {
                    break;
                }
                audio.push(self.audio_queue.pop_front().expect("front exists"));
            }
        } else {
            audio.extend(self.audio_queue.drain(..));
        }
        let video: Vec<(Sample, Instant)> = std::mem::take(&mut self.part_video);
        let first_arrival = video
            .first()
            .or(audio.first())
            .map(|(_, arrival)| *arrival);
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
            / f64::from(if self.has_video {
                VIDEO_TIMESCALE
            } else {
                AUDIO_TIMESCALE
            });
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
        for segment in self.complete.iter_mut().take(count.saturating_sub(keep_parts)) {
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
