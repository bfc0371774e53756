//! Decode times for video frames that arrive with presentation times only.
//!
//! The hub carries RTP, whose timestamp is a frame's presentation time. fMP4 needs each sample's
//! decode time too (its position in decode order), and for a stream with B-frames the two differ:
//! frames arrive in decode order, their presentation times out of order. Over any run of frames
//! the decode times are the same set of instants as the presentation times, in rising order, so
//! the n-th frame to arrive decodes at the n-th smallest presentation time. [`DecodeClock`] holds
//! back a few frames (enough for the encoder's reordering depth) and hands them out with that
//! decode time. A frame that shows before its decode time gets a negative composition offset,
//! which a version 1 `trun` carries.
//!
//! Streams without reordering are not held back at all: the clock looks at the first frames it is
//! given and holds frames only once it has seen a presentation time go backwards. Reordering that
//! first shows later takes effect from the next keyframe; until then decode times are kept
//! rising by nudging them forward a tick.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Frames held back once a stream is known to reorder: x264's deepest B-pyramid needs 2, four
/// covers every common encoder setting.
pub const REORDER_DEPTH: usize = 4;

/// Frames looked at before the first one is released, to learn whether the stream reorders.
const PROBE_FRAMES: usize = 8;

/// Extends 32-bit RTP timestamps to a 64-bit timeline (wrap-around aware).
#[derive(Debug, Default, Clone)]
pub struct Unwrapper {
    last: Option<(u32, i64)>,
}

impl Unwrapper {
    /// The timestamp on the extended timeline. The first timestamp maps to itself; later ones
    /// move by the shortest signed distance from the previous one.
    pub fn unwrap(&mut self, timestamp: u32) -> i64 {
        let extended = match self.last {
            None => i64::from(timestamp),
            Some((raw, extended)) => extended + i64::from(timestamp.wrapping_sub(raw) as i32),
        };
        self.last = Some((timestamp, extended));
        extended
    }
}

/// A frame with its decode time assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timed<T> {
    /// Decode time on the presentation timeline.
    pub dts: i64,
    /// Presentation time.
    pub pts: i64,
    /// The frame.
    pub frame: T,
}

/// Assigns decode times to frames given in decode order with their presentation times.
#[derive(Debug)]
pub struct DecodeClock<T> {
    held: VecDeque<(i64, bool, T)>,
    pending: BinaryHeap<Reverse<i64>>,
    depth: usize,
    probing: bool,
    reorder_seen: bool,
    max_pts: Option<i64>,
    last_dts: Option<i64>,
}

impl<T> Default for DecodeClock<T> {
    fn default() -> Self {
        Self {
            held: VecDeque::new(),
            pending: BinaryHeap::new(),
            depth: 0,
            probing: true,
            reorder_seen: false,
            max_pts: None,
            last_dts: None,
        }
    }
}

impl<T> DecodeClock<T> {
    /// True once a presentation time went backwards (the stream has B-frames).
    pub fn reorders(&self) -> bool {
        self.reorder_seen
    }

    /// Takes the next frame in decode order; returns the frames whose decode time is now known.
    pub fn push(&mut self, pts: i64, keyframe: bool, frame: T) -> Vec<Timed<T>> {
        if keyframe && self.reorder_seen && !self.probing {
            self.depth = REORDER_DEPTH;
        }
        if self.max_pts.is_some_and(|max| pts < max) {
            self.reorder_seen = true;
        }
        self.max_pts = Some(self.max_pts.map_or(pts, |max| max.max(pts)));
        self.held.push_back((pts, keyframe, frame));
        self.pending.push(Reverse(pts));
        if self.probing {
            if self.held.len() < PROBE_FRAMES {
                return Vec::new();
            }
            self.probing = false;
            if self.reorder_seen {
                self.depth = REORDER_DEPTH;
            }
        }
        let mut out = Vec::new();
        while self.held.len() > self.depth {
            out.push(self.release());
        }
        out
    }

    /// Releases every held frame (the stream ended or lost its place).
    pub fn flush(&mut self) -> Vec<Timed<T>> {
        let mut out = Vec::with_capacity(self.held.len());
        while !self.held.is_empty() {
            out.push(self.release());
        }
        self.probing = self.last_dts.is_none();
        out
    }

    fn release(&mut self) -> Timed<T> {
        let (pts, _, frame) = self.held.pop_front().expect("release needs a held frame");
        let Reverse(smallest) = self.pending.pop().expect("one pending time per held frame");
        let dts = match self.last_dts {
            Some(last) if smallest <= last => last + 1,
            _ => smallest,
        };
        self.last_dts = Some(dts);
        Timed { dts, pts, frame }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(frames: &[(i64, bool)]) -> Vec<(i64, i64)> {
        let mut clock = DecodeClock::default();
        let mut out = Vec::new();
        for &(pts, key) in frames {
            out.extend(clock.push(pts, key, ()));
        }
        out.extend(clock.flush());
        out.into_iter().map(|t| (t.dts, t.pts)).collect()
    }

    #[test]
    fn unwrapping_crosses_the_wrap() {
        let mut unwrapper = Unwrapper::default();
        assert_eq!(unwrapper.unwrap(u32::MAX - 10), i64::from(u32::MAX - 10));
        assert_eq!(unwrapper.unwrap(5), i64::from(u32::MAX) + 6);
        assert_eq!(unwrapper.unwrap(u32::MAX - 1), i64::from(u32::MAX) - 1);
    }

    #[test]
    fn in_order_frames_decode_when_shown_and_are_not_held_after_the_probe() {
        let frames: Vec<(i64, bool)> = (0..20).map(|i| (i * 3000, i % 10 == 0)).collect();
        let timed = run(&frames);
        assert_eq!(timed.len(), 20);
        assert!(timed.iter().all(|(dts, pts)| dts == pts));
        let mut clock = DecodeClock::default();
        for &(pts, key) in &frames[..PROBE_FRAMES] {
            clock.push(pts, key, ());
        }
        assert_eq!(clock.push(PROBE_FRAMES as i64 * 3000, false, ()).len(), 1);
        assert!(!clock.reorders());
    }

    #[test]
    fn b_pyramid_gets_rising_decode_times_from_the_sorted_presentation_times() {
        // x264 -bf 3 with b-pyramid: decode order I0 P4 B2 b1 b3 P8 B6 b5 b7 ...
        let t = 3000;
        let order = [0, 4, 2, 1, 3, 8, 6, 5, 7, 12, 10, 9, 11, 16, 14, 13, 15];
        let frames: Vec<(i64, bool)> = order.iter().map(|&n| (n * t, n == 0)).collect();
        let timed = run(&frames);
        assert_eq!(timed.len(), order.len());
        let dts: Vec<i64> = timed.iter().map(|(dts, _)| *dts).collect();
        assert_eq!(
            dts,
            (0..order.len() as i64).map(|n| n * t).collect::<Vec<_>>()
        );
        let pts: Vec<i64> = timed.iter().map(|(_, pts)| *pts).collect();
        assert_eq!(pts, frames.iter().map(|(pts, _)| *pts).collect::<Vec<_>>());
        let clock_reorders = {
            let mut clock = DecodeClock::default();
            for &(pts, key) in &frames {
                clock.push(pts, key, ());
            }
            clock.reorders()
        };
        assert!(clock_reorders);
    }

    #[test]
    fn reordering_seen_late_keeps_decode_times_rising() {
        let t = 3000;
        let mut frames: Vec<(i64, bool)> = (0..10).map(|i| (i * t, i == 0)).collect();
        // B-frames start after the probe, then a keyframe.
        frames.extend([(12 * t, false), (10 * t, false), (11 * t, false)]);
        frames.extend([
            (13 * t, true),
            (15 * t, false),
            (14 * t, false),
            (16 * t, false),
        ]);
        let timed = run(&frames);
        assert_eq!(timed.len(), frames.len());
        assert!(timed.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }
}
