//! Sans-IO pacing of one viewer's video: a token bucket that releases queued packets at a
//! multiple of the stream's measured bitrate.
//!
//! A keyframe is a burst of a hundred or more packets that the hub hands out at once; sent at
//! line rate it overflows small receive buffers and the queues of routers in front of slow
//! links. The pacer spreads such a burst at `multiplier × bitrate` (never below
//! [`MIN_RATE_BYTES`] per second) in bursts of [`PaceSettings::burst`] worth of bytes, so a
//! driver wakes once per burst and still sends each burst as one GSO run.
//!
//! The bitrate is measured from the bytes of the stream ([`Pacer::record`], audio included) over
//! the last one to two seconds of their ingest times, not of when they reach the pacer: a joining
//! viewer gets the cached GOP at once, and its ingest times give the stream's rate from the first
//! moment. Over less than a second it is the bytes so far over at least 250 ms, which
//! overestimates a start that begins with a keyframe (less pacing, never more).
//!
//! A new viewer's first keyframe gets a one-off allowance ([`Pacer::grant`]): bytes that may go
//! at once, on top of the bucket, valid for [`GRANT_WINDOW`]. With the default allowance a
//! typical keyframe goes out whole, as without pacing, so the first picture is not delayed.
//!
//! The pacer knows nothing of packets beyond their size: it queues items of any type, and the
//! caller asks it what is due ([`Pacer::release`]) and when the next release is
//! ([`Pacer::next_release`]).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The lowest pacing rate, bytes per second (2 Mbit/s): a small stream's frames (and a stream
/// whose bitrate is not known yet) are never held for long.
pub(crate) const MIN_RATE_BYTES: f64 = 250_000.0;
/// The longest a full queue may take to leave at the pacing rate; more is an overflow.
pub(crate) const MAX_QUEUE_DELAY: Duration = Duration::from_secs(1);
/// How long a [`Pacer::grant`] stays usable.
pub(crate) const GRANT_WINDOW: Duration = Duration::from_millis(100);
/// The smallest bucket: two full-size datagrams.
const MIN_BUCKET_BYTES: f64 = 2.0 * 1_250.0;
/// Length of one bitrate measurement window.
const WINDOW: Duration = Duration::from_secs(1);
/// The shortest time the first measurement divides by.
const FIRST_WINDOW_MIN: Duration = Duration::from_millis(250);

/// How a pacer paces.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PaceSettings {
    /// Rate as a multiple of the measured bitrate; 0 turns pacing off.
    pub(crate) multiplier: f64,
    /// Bytes that may leave back to back, as time at the pacing rate.
    pub(crate) burst: Duration,
    /// The one-off allowance of a new viewer's first keyframe, bytes.
    pub(crate) first_burst_bytes: usize,
    /// Most packets queued; one more is an overflow (as is a queue that would take longer than
    /// [`MAX_QUEUE_DELAY`] to leave).
    pub(crate) max_packets: usize,
}

impl PaceSettings {
    /// Whether these settings pace at all.
    pub(crate) fn enabled(&self) -> bool {
        self.multiplier > 0.0
    }
}

/// The stream's bitrate over the last one to two seconds.
#[derive(Debug)]
struct RateMeter {
    /// Start of the current window: the first recorded time until then.
    start: Option<Instant>,
    current: u64,
    previous: Option<u64>,
}

impl RateMeter {
    fn new() -> Self {
        Self {
            start: None,
            current: 0,
            previous: None,
        }
    }

    fn roll(&mut self, now: Instant) {
        let start = *self.start.get_or_insert(now);
        let elapsed = now.saturating_duration_since(start);
        if elapsed < WINDOW {
            return;
        }
        // A window with a gap after it (nothing offered for a while) counts as empty.
        self.previous = Some(if elapsed < WINDOW * 2 {
            self.current
        } else {
            0
        });
        self.current = 0;
        self.start = Some(now);
    }

    fn record(&mut self, now: Instant, bytes: usize) {
        self.roll(now);
        self.current += bytes as u64;
    }

    /// Bytes per second.
    fn rate(&self, now: Instant) -> f64 {
        let Some(start) = self.start else {
            return 0.0;
        };
        let elapsed = now.saturating_duration_since(start);
        match self.previous {
            None => self.current as f64 / elapsed.max(FIRST_WINDOW_MIN).as_secs_f64(),
            Some(p) => (p + self.current) as f64 / (WINDOW + elapsed.min(WINDOW)).as_secs_f64(),
        }
    }
}

/// What [`Pacer::push`] did with an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pushed {
    /// Queued.
    Queued,
    /// The queue was full: it was emptied (this many items dropped, the new one included).
    Overflow(usize),
}

/// A token bucket in front of a FIFO queue. See the module docs.
#[derive(Debug)]
pub(crate) struct Pacer<T> {
    settings: PaceSettings,
    meter: RateMeter,
    /// Bytes that may leave now; negative after a packet larger than what was left.
    tokens: f64,
    /// A one-off allowance above the bucket and when it lapses.
    grant_until: Option<Instant>,
    last: Instant,
    queue: VecDeque<(T, usize)>,
    queued_bytes: usize,
}

impl<T> Pacer<T> {
    /// An empty pacer with a full bucket, created at `now`.
    pub(crate) fn new(settings: PaceSettings, now: Instant) -> Self {
        let mut pacer = Self {
            settings,
            meter: RateMeter::new(),
            tokens: 0.0,
            grant_until: None,
            last: now,
            queue: VecDeque::new(),
            queued_bytes: 0,
        };
        pacer.tokens = pacer.bucket(now);
        pacer
    }

    /// The pacing rate now, bytes per second.
    pub(crate) fn rate(&self, now: Instant) -> f64 {
        (self.settings.multiplier * self.meter.rate(now)).max(MIN_RATE_BYTES)
    }

    /// The bucket's size now, bytes.
    fn bucket(&self, now: Instant) -> f64 {
        (self.rate(now) * self.settings.burst.as_secs_f64()).max(MIN_BUCKET_BYTES)
    }

    /// Counts `bytes` of the stream, ingested at `ingested`, in the bitrate (paced or not).
    pub(crate) fn record(&mut self, ingested: Instant, bytes: usize) {
        self.meter.record(ingested, bytes);
    }

    /// Queues `item` of `bytes` (on the wire; count them with [`Self::record`]). The queue overflows
    /// when it is full or would take longer than [`MAX_QUEUE_DELAY`] to leave: a viewer that
    /// joined with a whole cached GOP (up to a keyframe interval of the stream) fits easily.
    pub(crate) fn push(&mut self, now: Instant, item: T, bytes: usize) -> Pushed {
        let backlog = (self.queued_bytes + bytes) as f64 - self.tokens.max(0.0);
        if self.queue.len() >= self.settings.max_packets
            || backlog > self.rate(now) * MAX_QUEUE_DELAY.as_secs_f64()
        {
            let dropped = self.clear() + 1;
            return Pushed::Overflow(dropped);
        }
        self.queue.push_back((item, bytes));
        self.queued_bytes += bytes;
        Pushed::Queued
    }

    /// Drops everything queued; returns how many items were dropped.
    pub(crate) fn clear(&mut self) -> usize {
        let n = self.queue.len();
        self.queue.clear();
        self.queued_bytes = 0;
        n
    }

    /// Items queued.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.queue.len()
    }

    /// Lets `bytes` leave at once from `now` on, on top of the bucket, until they are used or
    /// [`GRANT_WINDOW`] passed (a new viewer's first keyframe).
    pub(crate) fn grant(&mut self, now: Instant, bytes: usize) {
        self.refill(now);
        self.tokens = self.tokens.max(0.0) + bytes as f64;
        self.grant_until = Some(now + GRANT_WINDOW);
    }

    fn refill(&mut self, now: Instant) {
        let bucket = self.bucket(now);
        if self.grant_until.is_some_and(|t| now >= t) {
            self.grant_until = None;
            self.tokens = self.tokens.min(bucket);
        }
        let dt = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = self.last.max(now);
        // Never above the bucket by refilling; an unexpired grant keeps what it has.
        let cap = if self.grant_until.is_some() {
            bucket.max(self.tokens)
        } else {
            bucket
        };
        self.tokens = (self.tokens + dt * self.rate(now)).min(cap);
    }

    /// Moves the items due at `now` to the end of `out`, in order.
    pub(crate) fn release(&mut self, now: Instant, out: &mut Vec<T>) {
        self.refill(now);
        while self.tokens > 0.0 {
            let Some((item, bytes)) = self.queue.pop_front() else {
                break;
            };
            self.tokens -= bytes as f64;
            self.queued_bytes -= bytes;
            out.push(item);
        }
    }

    /// When [`Self::release`] has something to release: when the bucket has refilled to a
    /// burst (or to what is queued, if less). None when nothing is queued.
    pub(crate) fn next_release(&self) -> Option<Instant> {
        if self.queue.is_empty() {
            return None;
        }
        if self.tokens > 0.0 {
            return Some(self.last);
        }
        let rate = self.rate(self.last);
        let want = (self.queued_bytes as f64).min(self.bucket(self.last)) - self.tokens;
        let wait = Duration::from_secs_f64(want / rate).max(Duration::from_micros(1));
        Some(self.last + wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKET: usize = 1_200;

    fn settings(multiplier: f64) -> PaceSettings {
        PaceSettings {
            multiplier,
            burst: Duration::from_millis(5),
            first_burst_bytes: 0,
            max_packets: 1000,
        }
    }

    /// A pacer that has measured `kbps` for two seconds (the stream's audio, say).
    fn warmed(multiplier: f64, kbps: u64, start: Instant) -> (Pacer<u32>, Instant) {
        let mut p = Pacer::new(settings(multiplier), start);
        let mut now = start;
        for _ in 0..200 {
            p.record(now, (kbps * 1000 / 8 / 100) as usize);
            now += Duration::from_millis(10);
        }
        p.release(now, &mut Vec::new());
        (p, now)
    }

    /// Runs the pacer like a driver does: release, then sleep until `next_release`; returns
    /// each item's release time after `start`.
    fn drive(p: &mut Pacer<u32>, start: Instant) -> Vec<Duration> {
        let mut now = start;
        let mut times = Vec::new();
        let mut out = Vec::new();
        while p.len() > 0 {
            p.release(now, &mut out);
            times.extend(out.drain(..).map(|_| now - start));
            if let Some(next) = p.next_release() {
                assert!(next >= now, "the next release is not in the past");
                now = next;
            }
        }
        times
    }

    #[test]
    fn the_bitrate_is_measured_over_the_last_seconds() {
        let start = Instant::now();
        let (p, now) = warmed(3.0, 4_000, start);
        let rate = p.rate(now);
        let want = 3.0 * 4_000_000.0 / 8.0;
        assert!((rate - want).abs() / want < 0.05, "{rate} vs {want}");
        // A long silence forgets the old rate: the floor remains.
        let later = now + Duration::from_secs(5);
        let mut p = p;
        p.record(later, 0);
        let later = later + Duration::from_secs(1);
        p.record(later, 0);
        assert_eq!(p.rate(later), MIN_RATE_BYTES);
    }

    #[test]
    fn a_cached_gop_gives_the_rate_at_once_by_its_ingest_times() {
        let now = Instant::now() + Duration::from_secs(10);
        let mut p: Pacer<u32> = Pacer::new(settings(3.0), now);
        // 1.5 s of a 4 Mbit/s stream, handed over at once when a viewer joins.
        let per_10ms = 4_000_000 / 8 / 100;
        for i in (1..=150).rev() {
            p.record(now - Duration::from_millis(10 * i), per_10ms);
        }
        let rate = p.rate(now);
        let want = 3.0 * 4_000_000.0 / 8.0;
        assert!((rate - want).abs() / want < 0.1, "{rate} vs {want}");
    }

    #[test]
    fn a_keyframe_burst_is_spread_at_the_configured_rate() {
        let start = Instant::now();
        let (mut p, now) = warmed(3.0, 4_000, start);
        for i in 0..140 {
            p.record(now, PACKET);
            assert_eq!(p.push(now, i, PACKET), Pushed::Queued);
        }
        let times = drive(&mut p, now);
        assert_eq!(times.len(), 140);
        // 140 × 1200 bytes at 3 × 4 Mbit/s take about 112 ms (a burst's worth less).
        let bytes = 140.0 * PACKET as f64;
        let rate = p.rate(now);
        let expected = Duration::from_secs_f64(bytes / rate);
        let last = *times.last().unwrap();
        assert!(
            last > expected.mul_f64(0.85) && last <= expected,
            "last at {last:?}, expected about {expected:?}"
        );
        // In bursts of about 5 ms worth: 7–8 packets at 12 Mbit/s, each burst at one instant.
        let mut bursts = times.clone();
        bursts.dedup();
        let per_burst = times.len() as f64 / bursts.len() as f64;
        assert!((5.0..=9.0).contains(&per_burst), "{per_burst} per burst");
        // No window of 20 ms carries more than the rate allows (plus one burst).
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..]
                .iter()
                .take_while(|u| **u < *t + Duration::from_millis(20))
                .count();
            let allowed = (rate * 0.025 / PACKET as f64).ceil() as usize + 1;
            assert!(in_window <= allowed, "{in_window} > {allowed} at {t:?}");
        }
    }

    #[test]
    fn a_grant_lets_the_first_keyframe_go_at_once() {
        let start = Instant::now();
        let mut p = Pacer::new(settings(3.0), start);
        p.grant(start, 200 * 1_000);
        for i in 0..140 {
            p.push(start, i, PACKET);
        }
        let mut out = Vec::new();
        p.release(start, &mut out);
        assert_eq!(out.len(), 140, "the whole keyframe at once");
        assert_eq!(p.next_release(), None);
        // What is left of the grant lapses: the next burst is paced again.
        let later = start + GRANT_WINDOW + Duration::from_millis(1);
        for i in 0..50 {
            p.push(later, i, PACKET);
        }
        out.clear();
        p.release(later, &mut out);
        assert!(out.len() <= 15, "{} released at once", out.len());
        assert!(p.next_release().is_some_and(|t| t > later));
    }

    #[test]
    fn a_small_grant_sends_its_part_and_paces_the_rest() {
        let start = Instant::now();
        let mut p = Pacer::new(settings(3.0), start);
        p.grant(start, 60 * PACKET);
        for i in 0..140 {
            p.push(start, i, PACKET);
        }
        let mut out = Vec::new();
        p.release(start, &mut out);
        assert!(
            (60..=64).contains(&out.len()),
            "{} released at once",
            out.len()
        );
        assert!(p.next_release().unwrap() > start);
    }

    #[test]
    fn a_slow_stream_is_paced_no_slower_than_the_floor() {
        let start = Instant::now();
        let (mut p, now) = warmed(3.0, 64, start);
        assert_eq!(p.rate(now), MIN_RATE_BYTES);
        // A 10-packet frame of a tiny stream is out within 60 ms.
        for i in 0..10 {
            p.push(now, i, PACKET);
        }
        let times = drive(&mut p, now);
        assert!(
            *times.last().unwrap() < Duration::from_millis(60),
            "{times:?}"
        );
        // A single packet goes at once.
        let later = now + Duration::from_secs(1);
        p.push(later, 99, 200);
        let mut out = Vec::new();
        p.release(later, &mut out);
        assert_eq!(out, vec![99]);
    }

    #[test]
    fn a_full_queue_overflows_and_empties() {
        let start = Instant::now();
        let mut p = Pacer::new(
            PaceSettings {
                max_packets: 3,
                ..settings(3.0)
            },
            start,
        );
        for i in 0..3 {
            assert_eq!(p.push(start, i, PACKET), Pushed::Queued);
        }
        assert_eq!(p.push(start, 3, PACKET), Pushed::Overflow(4));
        assert_eq!(p.len(), 0);
        assert_eq!(p.next_release(), None);
    }

    #[test]
    fn a_queue_longer_than_a_second_at_the_rate_overflows() {
        let start = Instant::now();
        let (mut p, now) = warmed(3.0, 4_000, start);
        // A whole 2 s GOP of the stream at once (a join) fits: it leaves within 1 s at 3×.
        let gop = 2 * 4_000_000 / 8 / PACKET;
        for i in 0..gop {
            assert_eq!(p.push(now, i as u32, PACKET), Pushed::Queued, "packet {i}");
        }
        // Five more seconds of it do not.
        let mut overflowed = false;
        for i in 0..5 * gop / 2 {
            if let Pushed::Overflow(n) = p.push(now, i as u32, PACKET) {
                assert!(n > gop);
                overflowed = true;
                break;
            }
        }
        assert!(overflowed);
    }
}
