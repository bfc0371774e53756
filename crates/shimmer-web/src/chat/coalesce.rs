//! Busy rooms' chat frames gathered into one `batch` frame per tick.
//!
//! Every frame a room sends costs one wake-up and one socket write per listener, so a room of
//! 5,000 listeners pays 5,000 writes per message. A room whose tick (its listeners × 10 µs, at
//! most 50 ms, by default: [`BatchTiming`]) is 1 ms or more sends at most one frame per tick: a frame arriving less than a
//! tick after the last one waits, with everything after it, until the tick has passed, and they
//! go out together as `{"type":"batch","frames":[...]}`, in order. A frame that arrives after a
//! quiet tick goes at once, so a quiet room adds no delay, and rooms under 100 listeners never
//! batch. Sans-IO: time is an argument.

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

/// One room's frames on their way out.
#[derive(Debug, Default)]
pub struct Coalescer {
    /// When the room last sent a frame.
    last_sent: Option<Instant>,
    /// Frames waiting for the tick to pass, oldest first.
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
        if alone || tick.is_zero() {
            self.flush(now, out);
            self.send(now, frame, out);
            return;
        }
        let quiet = self
            .last_sent
            .is_none_or(|last| now.saturating_duration_since(last) >= tick);
        if self.pending.is_empty() && quiet {
            self.send(now, frame, out);
            return;
        }
        self.pending.push(frame);
        if self.pending.len() >= MAX_BATCH {
            self.flush(now, out);
        } else if self.due.is_none() {
            let after = self.last_sent.map_or(now, |last| last + tick);
            self.due = Some(after.max(now));
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
        self.last_sent = Some(now);
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
    fn a_busy_room_sends_one_batch_per_tick_in_order() {
        let start = Instant::now();
        let room_tick = tick(2_000); // 20 ms
        let mut room = Coalescer::default();
        let mut out = Vec::new();
        room.offer(start, frame(0), room_tick, false, &mut out);
        assert_eq!(
            numbers(&out),
            vec![vec![0]],
            "the first frame after quiet goes at once"
        );
        for n in 1..5 {
            room.offer(
                start + Duration::from_millis(u64::from(n)),
                frame(n),
                room_tick,
                false,
                &mut out,
            );
        }
        assert_eq!(out.len(), 1, "the rest wait for the tick");
        assert_eq!(room.due(), Some(start + Duration::from_millis(20)));
        room.poll(start + Duration::from_millis(19), &mut out);
        assert_eq!(out.len(), 1, "not before the tick");
        room.poll(start + Duration::from_millis(20), &mut out);
        assert_eq!(numbers(&out), vec![vec![0], vec![1, 2, 3, 4]]);
        assert_eq!(room.due(), None);

        // After a quiet tick the next frame goes at once again.
        out.clear();
        room.offer(
            start + Duration::from_millis(45),
            frame(5),
            room_tick,
            false,
            &mut out,
        );
        assert_eq!(numbers(&out), vec![vec![5]]);
    }

    #[test]
    fn a_single_waiting_frame_goes_as_itself() {
        let start = Instant::now();
        let mut room = Coalescer::default();
        let mut out = Vec::new();
        room.offer(start, frame(0), tick(1_000), false, &mut out);
        room.offer(
            start + Duration::from_millis(2),
            frame(1),
            tick(1_000),
            false,
            &mut out,
        );
        room.poll(start + Duration::from_millis(10), &mut out);
        assert_eq!(out[1].as_str(), frame(1).as_str());
    }

    #[test]
    fn frames_sent_alone_keep_their_place() {
        let start = Instant::now();
        let mut room = Coalescer::default();
        let mut out = Vec::new();
        room.offer(start, frame(0), tick(1_000), false, &mut out);
        room.offer(start, frame(1), tick(1_000), false, &mut out);
        room.offer(start, frame(2), tick(1_000), false, &mut out);
        room.offer(start, frame(3), tick(1_000), true, &mut out);
        assert_eq!(numbers(&out), vec![vec![0], vec![1, 2], vec![3]]);
        assert_eq!(room.due(), None);
    }

    #[test]
    fn a_full_batch_goes_at_once() {
        let start = Instant::now();
        let mut room = Coalescer::default();
        let mut out = Vec::new();
        for n in 0..=MAX_BATCH as u32 {
            room.offer(start, frame(n), tick(5_000), false, &mut out);
        }
        let sent = numbers(&out);
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[1].len(), MAX_BATCH);
        assert_eq!(sent[1][MAX_BATCH - 1], MAX_BATCH as u64);
    }
}
