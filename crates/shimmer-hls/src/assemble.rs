//! From the hub's RTP packets to whole samples: H.264 access units (as length-prefixed NAL units,
//! the form `avc1` samples take) and Opus packets.

use std::time::Instant;

use bytes::Bytes;
use shimmer_media::h264::{self, Depacketizer};
use shimmer_media::hub::MediaPacket;

use crate::timeline::Unwrapper;

const NAL_SPS: u8 = 7;
const NAL_PPS: u8 = 8;
const NAL_AUD: u8 = 9;
const NAL_IDR: u8 = 5;

/// One H.264 access unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoFrame {
    /// Presentation time on the 90 kHz timeline (extended from RTP).
    pub pts: i64,
    /// Starts with an IDR picture: a player can start here.
    pub keyframe: bool,
    /// The NAL units, each behind a four-byte big-endian length; parameter sets and access unit
    /// delimiters left out (they travel in the init segment).
    pub data: Bytes,
    /// The sequence and picture parameter sets this frame carried, if any.
    pub parameter_sets: Option<(Vec<u8>, Vec<u8>)>,
    /// When the ingest received the frame's first packet.
    pub received_at: Instant,
}

/// Gathers an access unit's packets. A lost packet (a gap in sequence numbers) drops the frame
/// it belongs to and everything up to the next keyframe, since the frames in between refer to
/// pictures the player will not have.
#[derive(Debug)]
pub struct VideoAssembler {
    depacketizer: Depacketizer,
    unwrapper: Unwrapper,
    next_sequence: Option<u16>,
    current: Option<Building>,
    waiting_for_keyframe: bool,
    /// Frames dropped for a loss so far.
    pub dropped: u64,
}

impl Default for VideoAssembler {
    /// An assembler that starts at the first keyframe it is given.
    fn default() -> Self {
        Self {
            depacketizer: Depacketizer::default(),
            unwrapper: Unwrapper::default(),
            next_sequence: None,
            current: None,
            waiting_for_keyframe: true,
            dropped: 0,
        }
    }
}

#[derive(Debug)]
struct Building {
    timestamp: u32,
    received_at: Instant,
    nals: Vec<Vec<u8>>,
    broken: bool,
}

impl VideoAssembler {
    /// Forgets everything in progress and waits for a keyframe (after a skip in the hub).
    pub fn resync(&mut self) {
        self.depacketizer.reset();
        self.current = None;
        self.next_sequence = None;
        self.waiting_for_keyframe = true;
    }

    /// Takes a video packet; returns the frames it completes (at most two: the one a new
    /// timestamp ends without its marker, and the one the marker ends).
    pub fn push(&mut self, packet: &MediaPacket) -> Vec<VideoFrame> {
        let mut out = Vec::new();
        let lost = self
            .next_sequence
            .is_some_and(|expected| expected != packet.sequence);
        self.next_sequence = Some(packet.sequence.wrapping_add(1));
        if lost {
            self.depacketizer.reset();
            if let Some(current) = self.current.as_mut() {
                current.broken = true;
            }
        }
        if self
            .current
            .as_ref()
            .is_some_and(|current| current.timestamp != packet.timestamp)
        {
            out.extend(self.finish());
        }
        if lost && !packet.keyframe_start {
            self.waiting_for_keyframe = true;
        }
        if self.waiting_for_keyframe {
            if !packet.keyframe_start {
                self.current = None;
                return out;
            }
            self.waiting_for_keyframe = false;
        }
        let current = self.current.get_or_insert_with(|| Building {
            timestamp: packet.timestamp,
            received_at: packet.received_at,
            nals: Vec::new(),
            broken: false,
        });
        current.nals.extend(self.depacketizer.push(&packet.payload));
        if packet.marker {
            out.extend(self.finish());
        }
        out
    }

    fn finish(&mut self) -> Option<VideoFrame> {
        let building = self.current.take()?;
        if building.broken {
            self.dropped += 1;
            self.waiting_for_keyframe = true;
            return None;
        }
        let pts = self.unwrapper.unwrap(building.timestamp);
        let mut keyframe = false;
        let mut sps = None;
        let mut pps = None;
        let size: usize = building.nals.iter().map(|nal| nal.len() + 4).sum();
        let mut data = Vec::with_capacity(size);
        for nal in building.nals {
            let Some(&header) = nal.first() else { continue };
            match h264::nal_type(header) {
                NAL_SPS => sps = Some(nal),
                NAL_PPS => pps = Some(nal),
                NAL_AUD => {}
                kind => {
                    keyframe |= kind == NAL_IDR;
                    data.extend_from_slice(&(nal.len() as u32).to_be_bytes());
                    data.extend_from_slice(&nal);
                }
            }
        }
        if data.is_empty() {
            return None;
        }
        Some(VideoFrame {
            pts,
            keyframe,
            data: Bytes::from(data),
            parameter_sets: sps.zip(pps),
            received_at: building.received_at,
        })
    }
}

/// One audio sample (an Opus packet or an AAC frame) with its time on its track's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioFrame {
    /// Decode (= presentation) time in the track's timescale.
    pub time: i64,
    /// Samples the frame holds.
    pub duration: u32,
    /// The coded frame.
    pub data: Bytes,
    /// When the ingest received it.
    pub received_at: Instant,
}

/// Turns Opus RTP packets into samples (one packet, one sample).
#[derive(Debug, Default)]
pub struct AudioAssembler {
    unwrapper: Unwrapper,
}

impl AudioAssembler {
    /// The sample an Opus packet makes, or None for an empty or malformed packet.
    pub fn push(&mut self, packet: &MediaPacket) -> Option<AudioFrame> {
        let duration = shimmer_media::opus::packet_samples(&packet.payload)?;
        Some(AudioFrame {
            time: self.unwrapper.unwrap(packet.timestamp),
            duration,
            data: packet.payload.clone(),
            received_at: packet.received_at,
        })
    }
}

/// Samples in one AAC frame.
const AAC_FRAME_SAMPLES: u32 = 1024;

/// Places AAC frames, which RTMP stamps in whole milliseconds, on a sample timeline: each frame
/// follows the one before it by exactly 1024 samples while the encoder's timestamps agree within
/// a frame; a larger jump (a gap, a restart) is taken from the timestamp.
#[derive(Debug)]
pub struct AacAssembler {
    sample_rate: u32,
    unwrapper: Unwrapper,
    next: Option<i64>,
}

impl AacAssembler {
    /// An assembler for frames at `sample_rate`.
    pub fn new(sample_rate: u32) -> Self {
        Self {
            sample_rate,
            unwrapper: Unwrapper::default(),
            next: None,
        }
    }

    /// The sample an AAC frame makes.
    pub fn push(&mut self, frame: &shimmer_media::hub::AacFrame) -> AudioFrame {
        let ms = self.unwrapper.unwrap(frame.timestamp_ms);
        let stamped = ms * i64::from(self.sample_rate) / 1000;
        let time = match self.next {
            Some(next) if (stamped - next).abs() <= i64::from(AAC_FRAME_SAMPLES) => next,
            _ => stamped,
        };
        self.next = Some(time + i64::from(AAC_FRAME_SAMPLES));
        AudioFrame {
            time,
            duration: AAC_FRAME_SAMPLES,
            data: frame.data.clone(),
            received_at: frame.received_at,
        }
    }
}
