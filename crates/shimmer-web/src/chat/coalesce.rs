//! Busy rooms' chat frames gathered into one `batch` frame per tick.
//!
//! Every frame a room sends costs one wake-up and one socket write per listener, so a room of
//! 5,000 listeners pays 5,000 writes per message. A room whose tick (its listeners × 10 µs, at
//! most 50 ms, by default: [`BatchTiming`]) is 1 ms or more sends frames at one per tick on
//! average, with a burst of [`BURST`] at once: a frame beyond that waits, with everything after
//! it, until the room may send again, and they go out together as
//! `{"type":"batch","frames":[...]}`, in order. A room whose messages come no faster than one a
//! tick (even unevenly) sends each at once, so batching adds delay only where it saves work;
//! rooms under 100 listeners never batch. Sans-IO: time is an argument.

use std::time::{Duration, Instant};

use axum::extract::ws::Utf8Bytes;

/// Rooms with a shorter tick send every frame at once.
const MIN_TICK: Duration = Duration::from_millis(1);
/// Frames in one batch at most; a full batch goes at once.
pub const MAX_BATCH: usize = 256;

/// How long busy rooms wait between frames (`chat.batch_us_per_listener`, `chat.batch_max_ms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchTiming {
    /// How much one listener stretches its room's tick; zero never batches.
    pub per_listener: Duration,
    /// The longest a frame waits for its batch.
    pub max: Duration,
}

impl Default for BatchTiming {
    fn default() -> Self {
        Self {
            per_listener: Duration::from_micros(10),
            max: Duration::from_millis(50),
        }
    }
}

impl BatchTiming {
    /// The time a room of `listeners` waits between frames when busy; zero for rooms whose
    /// tick would be under 1 ms.
    pub fn tick(&self, listeners: usize) -> Duration {
        let tick = self
            .per_listener
            .saturating_mul(u32::try_from(listeners).unwrap_or(u32::MAX))
            .min(self.max);
        if tick < MIN_TICK {
            Duration::ZERO
        } else {
            tick
        }
    }
}

/// Frames a busy room may send back to back before it waits for its tick.
pub const BURST: u32 = 3;

/// One room's frames on their way out: a GCRA limiter (one frame per tick, a burst of
/// [`BURST`]) in front of a batch.
#[derive(Debug, Default)]
pub struct Coalescer {
    /// The room's theoretical next send time: a frame may go once `now` is within the burst's
    /// allowance of it.
    next_send: Option<Instant>,
    /// The tick the room had at its last frame.
    tick: Duration,
    /// Frames waiting for the room's turn, oldest first.
    pending: Vec<Utf8Bytes>,
    /// When the waiting frames go.
    due: Option<Instant>,
}

impl Coalescer {
    /// Takes the room's next frame; what must be sent now goes into `out`, oldest first.
    /// `tick` is the room's ([`BatchTiming::tick`]). `alone` frames are never put in a batch (the
    /// sockets recognise them by their text): the frames waiting before one go first.
    pub fn offer(
        &mut self,
        now: Instant,
        frame: Utf8Bytes,
        tick: Duration,
        alone: bool,
        out: &mut Vec<Utf8Bytes>,
    ) {
        self.tick = tick;
        if alone || tick.is_zero() {
            self.flush(now, out);
            self.send(now, frame, out);
            return;
        }
        if self.pending.is_empty() && self.may_send_at(now) <= now {
            self.send(now, frame, out);
            return;
        }
        self.pending.push(frame);
        if self.pending.len() >= MAX_BATCH {
            self.flush(now, out);
        } else if self.due.is_none() {
            self.due = Some(self.may_send_at(now).max(now));
        }
    }

    /// When the waiting frames are due, if any wait.
    pub fn due(&self) -> Option<Instant> {
        self.due
    }

    /// Sends the waiting frames when they are due by `now`.
    pub fn poll(&mut self, now: Instant, out: &mut Vec<Utf8Bytes>) {
        if self.due.is_some_and(|due| due <= now) {
            self.flush(now, out);
        }
    }

    /// The earliest the room may send its next frame.
    fn may_send_at(&self, now: Instant) -> Instant {
        let allowance = self.tick.saturating_mul(BURST - 1);
        match self.next_send {
            Some(next) => next.checked_sub(allowance).unwrap_or(now),
            None => now,
        }
    }

    /// Sends whatever waits: one frame as it is, more as one batch.
    fn flush(&mut self, now: Instant, out: &mut Vec<Utf8Bytes>) {
        self.due = None;
        match self.pending.len() {
            0 => {}
            1 => {
                let frame = self.pending.remove(0);
                self.send(now, frame, out);
            }
            _ => {
                let frame = batch(&self.pending);
                self.pending.clear();
                self.send(now, frame, out);
            }
        }
    }

    fn send(&mut self, now: Instant, frame: Utf8Bytes, out: &mut Vec<Utf8Bytes>) {
        let from = self.next_send.map_or(now, |next| next.max(now));
        self.next_send = Some(from + self.tick);
        out.push(frame);
    }
}

/// The `batch` frame carrying `frames` (each a JSON object) in order.
fn batch(frames: &[Utf8Bytes]) -> Utf8Bytes {
    const OPEN: &str = "{\"type\":\"batch\",\"frames\":[";
    let length = OPEN.len() + frames.iter().map(|f| f.len() + 1).sum::<usize>() + 2;
    let mut text = String::with_capacity(length);
    text.push_str(OPEN);
    for (i, frame) in frames.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(frame.as_str());
    }
    text.push_str("]}");
    Utf8Bytes::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(n: u32) -> Utf8Bytes {
        Utf8Bytes::from(format!("{{\"type\":\"message\",\"n\":{n}}}"))
    }

    fn numbers(sent: &[Utf8Bytes]) -> Vec<Vec<u64>> {
        sent.iter()
            .map(|text| {
                let value: serde_json::Value = serde_json::from_str(text.as_str()).unwrap();
                if value["type"] == "batch" {
                    value["frames"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| f["n"].as_u64().unwrap())
                        .collect()
                } else {
                    vec![value["n"].as_u64().unwrap()]
                }
            })
            .collect()
    }

    /// The tick of a room of `listeners` with the default timing.
    fn tick(listeners: usize) -> Duration {
        BatchTiming::default().tick(listeners)
    }

    #[test]
    fn the_tick_grows_with_the_room_and_small_rooms_never_wait() {
        assert_eq!(tick(0), Duration::ZERO);
        assert_eq!(tick(99), Duration::ZERO);
        assert_eq!(tick(100), Duration::from_millis(1));
        assert_eq!(tick(1_000), Duration::from_millis(10));
        assert_eq!(tick(5_000), Duration::from_millis(50));
        assert_eq!(tick(1_000_000), Duration::from_millis(50));
        let off = BatchTiming {
            per_listener: Duration::ZERO,
            ..BatchTiming::default()
        };
        assert_eq!(off.tick(1_000_000), Duration::ZERO);
    }

    #[test]
    fn a_small_room_sends_every_frame_at_once() {
        let start = Instant::now();
        let mut room = Coalescer::default();
        let mut out = Vec::new();
        for n in 0..10 {
            room.offer(start, frame(n), tick(50), false, &mut out);
        }
        assert_eq!(out.len(), 10);
        assert_eq!(room.due(), None);
    }

    #[test]
    fn a_busy_room_sends_a_burst_then_one_batch_per_tick_in_order() {
        let start = Instant::now();
        let room_tick = tick(2_000); // 20 ms
        let mut room = Coalescer::default();
        let mut out = Vec::new();
        for n in 0..6 {
            room.offer(
                start + Duration::from_millis(u64::from(n)),
                frame(n),
                room_tick,
                false,
                &mut out,
            );
        }
        assert_eq!(
            numbers(&out),
            vec![vec![0], vec![1], vec![2]],
            "a burst goes at once"
        );
        // Three sends took the room's next turn to 60 ms; the burst allows 40 ms early.
        assert_eq!(room.due(), Some(start + Duration::from_millis(20)));
        room.poll(start + Duration::from_millis(19), &mut out);
        assert_eq!(out.len(), 3, "not before the room's turn");
        room.poll(start + Duration::from_millis(20), &mut out);
        assert_eq!(
            numbers(&out),
            vec![vec![0], vec![1], vec![2], vec![3, 4, 5]]
        );
        assert_eq!(room.due(), None);
    }

    #[test]
    fn messages_no_faster_than_the_tick_never_wait_even_unevenly() {
        let start = Instant::now();
        let room_tick = tick(5_000); // 50 ms
        let mut room = Coalescer::default();
        let mut out = Vec::new();
        // 20 a second on average, arriving up to 30 ms early or late.
        for n in 0..200u32 {
            let jitter = [0i64, 30, -30, 10, -10][n as usize % 5];
            let at = (i64::from(n) * 50 + jitter).max(0) as u64;
            room.offer(
                start + Duration::from_millis(at),
                frame(n),
                room_tick,
                false,
                &mut out,
            );
            assert_eq!(room.due(), None, "message {n} waited");
        }
        assert_eq!(out.len(), 200);
    }

    #[test]
    fn a_flood_is_held_to_one_frame_per_tick() {
        let start = Instant::now();
        let room_tick = tick(5_000); // 50 ms
        let mut room = Coalescer::default();
        let mut out = Vec::new();
        let mut now = start;
        // 1,000 messages a second for two seconds.
        for n in 0..2_000u32 {
            now = start + Duration::from_millis(u64::from(n));
            room.poll(now, &mut out);
            room.offer(now, frame(n), room_tick, false, &mut out);
        }
        room.poll(now + Duration::from_secs(1), &mut out);
        let sent = numbers(&out);
        assert!(
            sent.len() <= 2 + 40 + 1,
            "{} frames for 2 s at a 50 ms tick",
            sent.len()
        );
        let all: Vec<u64> = sent.into_iter().flatten().collect();
        assert_eq!(
            all,
            (0..2_000).collect::<Vec<u64>>(),
            "every message, in order"
        );
    }

    #[test]
    fn a_single_waiting_frame_goes_as_itself() {
        let start = Instant::now();
        let mut room = Coalescer::default();
        let mut out = Vec::new();
        for n in 0..4 {
            room.offer(start, frame(n), tick(1_000), false, &mut out);
        }
        assert_eq!(out.len(), 3);
        room.poll(start + Duration::from_millis(10), &mut out);
        assert_eq!(out[3].as_str(), frame(3).as_str());
    }

    #[test]
    fn frames_sent_alone_keep_their_place() {
        let start = Instant::now();
        let mut room = Coalescer::default();
        let mut out = Vec::new();
        for n in 0..5 {
            room.offer(start, frame(n), tick(1_000), false, &mut out);
        }
        room.offer(start, frame(5), tick(1_000), true, &mut out);
        assert_eq!(
            numbers(&out),
            vec![vec![0], vec![1], vec![2], vec![3, 4], vec![5]]
        );
        assert_eq!(room.due(), None);
    }

    #[test]
    fn a_full_batch_goes_at_once() {
        let start = Instant::now();
        let mut room = Coalescer::default();
        let mut out = Vec::new();
        let burst = BURST as usize;
        for n in 0..(burst + MAX_BATCH) as u32 {
            room.offer(start, frame(n), tick(5_000), false, &mut out);
        }
        let sent = numbers(&out);
        assert_eq!(sent.len(), burst + 1);
        assert_eq!(sent[burst].len(), MAX_BATCH);
        assert_eq!(sent[burst][MAX_BATCH - 1], (burst + MAX_BATCH - 1) as u64);
        assert_eq!(room.due(), None);
    }
}
