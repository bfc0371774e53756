//! Loss detection, NACK scheduling and in-order release for one RTP stream (one SSRC).
//!
//! Packets go in as they arrive; they come out in sequence order. A missing packet holds back
//! the ones after it until it is retransmitted or given up, so downstream (the hub, viewers)
//! always sees an ordered stream, with retransmissions filling their gaps in place.
//!
//! Time is an input: every call that depends on it takes `now`, and [`RecoveryBuffer::next_timeout`]
//! tells the driver when to call again, so tests can run minutes of NACK ageing in milliseconds.
//!
//! Bounds (all in [`RecoveryConfig`]): at most `max_outstanding` gaps are NACKed at once, each at
//! most `max_retries` times and only for `max_age` after it was noticed; at most `capacity`
//! packets are held behind gaps.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use crate::seq::{ExtendedSeq, SeqUpdate};

/// Tuning for loss detection and NACKs.
#[derive(Debug, Clone)]
pub struct RecoveryConfig {
    /// A gap is NACKed once this many later packets have arrived (reorder allowance)...
    pub reorder_packets: u64,
    /// ...or once it has been noticed for this long, whichever comes first.
    pub reorder_delay: Duration,
    /// Shortest wait before repeating a NACK; the actual wait is max(this, 1.5 x RTT), doubled
    /// for each retry already sent (so retries cover a stalled encoder, not just one RTT).
    pub min_retry_interval: Duration,
    /// How many NACKs are sent for one packet at most.
    pub max_retries: u32,
    /// A gap not filled this long after it was noticed is given up and skipped.
    pub max_age: Duration,
    /// At most this many gaps are waited for at once; gaps beyond are given up at once.
    pub max_outstanding: usize,
    /// At most this many packets are held behind gaps; beyond, gaps are given up.
    pub capacity: usize,
}

impl Default for RecoveryConfig {
    fn default() -> Self {
        Self {
            reorder_packets: 3,
            reorder_delay: Duration::from_millis(10),
            min_retry_interval: Duration::from_millis(30),
            max_retries: 4,
            max_age: Duration::from_millis(800),
            max_outstanding: 128,
            capacity: 4096,
        }
    }
}

/// Counters for one stream, cumulative since creation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecoveryStats {
    /// Unique packets accepted.
    pub received: u64,
    /// Packets received twice (a retransmission after the original arrived late).
    pub duplicates: u64,
    /// Packets that arrived after their gap had been given up or released.
    pub late: u64,
    /// Sequence numbers found missing (gaps detected).
    pub lost: u64,
    /// Missing packets that arrived in time to be released in order.
    pub recovered: u64,
    /// Missing packets given up and skipped.
    pub unrecovered: u64,
    /// Sequence numbers requested in NACKs, retries included.
    pub nacked: u64,
    /// Packets dropped by sequence validation (wild jumps).
    pub invalid: u64,
    /// Times the sender restarted its numbering.
    pub restarts: u64,
}

/// What happened to a pushed packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pushed {
    /// Stored for in-order release; `recovered` if it filled a known gap.
    Accepted {
        /// It filled a gap (a retransmission or a reordered packet).
        recovered: bool,
    },
    /// Already held or released: dropped.
    Duplicate,
    /// Its slot was already released or given up: dropped.
    Late,
    /// Sequence validation rejected it (a wild jump): dropped.
    Invalid,
}

#[derive(Debug, Clone, Copy)]
struct Gap {
    noticed: Instant,
    last_nack: Option<Instant>,
    tries: u32,
    abandoned: bool,
}

/// The per-SSRC receive buffer. `T` is whatever the caller wants back in order (a parsed packet).
#[derive(Debug)]
pub struct RecoveryBuffer<T> {
    config: RecoveryConfig,
    seq: ExtendedSeq,
    /// Extended number of `window[0]`.
    head: u64,
    started: bool,
    window: VecDeque<Option<T>>,
    gaps: BTreeMap<u64, Gap>,
    active_gaps: usize,
    /// Packets released by a flush (restart, overflow), waiting for `pop`.
    flushed: VecDeque<(u64, T)>,
    rtt: Duration,
    stats: RecoveryStats,
}

impl<T> RecoveryBuffer<T> {
    /// An empty buffer.
    pub fn new(config: RecoveryConfig) -> Self {
        Self {
            config,
            seq: ExtendedSeq::new(),
            head: 0,
            started: false,
            window: VecDeque::new(),
            gaps: BTreeMap::new(),
            active_gaps: 0,
            flushed: VecDeque::new(),
            rtt: Duration::ZERO,
            stats: RecoveryStats::default(),
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> RecoveryStats {
        self.stats
    }

    /// Updates the round-trip time estimate used to space NACK retries.
    pub fn set_rtt(&mut self, rtt: Duration) {
        self.rtt = rtt;
    }

    fn retry_interval(&self) -> Duration {
        self.config
            .min_retry_interval
            .max(self.rtt.saturating_mul(3) / 2)
    }

    /// Gaps currently waited for (not given up).
    pub fn outstanding(&self) -> usize {
        self.active_gaps
    }

    /// Releases everything held (gaps skipped) and restarts the window at `ext`.
    fn flush_to(&mut self, ext: u64) {
        let mut n = self.head;
        while let Some(slot) = self.window.pop_front() {
            match slot {
                Some(item) => self.flushed.push_back((n, item)),
                None => self.stats.unrecovered += 1,
            }
            n += 1;
        }
        self.gaps.clear();
        self.active_gaps = 0;
        self.head = ext;
    }

    /// Accepts one packet with its 16-bit sequence number.
    pub fn push(&mut self, seq: u16, item: T, now: Instant) -> Pushed {
        let ext = match self.seq.update(seq) {
            SeqUpdate::Valid(ext) => ext,
            SeqUpdate::Restarted(ext) => {
                self.stats.restarts += 1;
                self.flush_to(ext);
                ext
            }
            SeqUpdate::Invalid => {
                self.stats.invalid += 1;
                return Pushed::Invalid;
            }
        };
        if !self.started {
            self.started = true;
            self.head = ext;
        }
        if ext < self.head {
            self.stats.late += 1;
            return Pushed::Late;
        }
        let idx = (ext - self.head) as usize;
        if idx >= self.config.capacity {
            // Too far ahead of the oldest gap: give up everything before and restart here.
            self.flush_to(ext);
            return self.push_at(ext, 0, item, now);
        }
        self.push_at(ext, idx, item, now)
    }

    fn push_at(&mut self, ext: u64, idx: usize, item: T, now: Instant) -> Pushed {
        if idx < self.window.len() {
            if self.window[idx].is_some() {
                self.stats.duplicates += 1;
                return Pushed::Duplicate;
            }
            self.window[idx] = Some(item);
            self.stats.received += 1;
            if let Some(g) = self.gaps.remove(&ext) {
                if !g.abandoned {
                    self.active_gaps -= 1;
                }
                self.stats.recovered += 1;
                return Pushed::Accepted { recovered: true };
            }
            return Pushed::Accepted { recovered: false };
        }
        // New highest: everything between the old end and this packet is missing.
        let first_missing = self.head + self.window.len() as u64;
        for missing in first_missing..ext {
            self.window.push_back(None);
            self.stats.lost += 1;
            let abandoned = self.active_gaps >= self.config.max_outstanding;
            if !abandoned {
                self.active_gaps += 1;
            }
            self.gaps.insert(
                missing,
                Gap {
                    noticed: now,
                    last_nack: None,
                    tries: 0,
                    abandoned,
                },
            );
        }
        self.window.push_back(Some(item));
        self.stats.received += 1;
        Pushed::Accepted { recovered: false }
    }

    /// A gap is given up only when it is over the bounds or too old: retries that all went
    /// unanswered may still be answered late (an encoder stalled for a moment), up to `max_age`.
    fn given_up(&self, g: &Gap, now: Instant) -> bool {
        g.abandoned || now >= g.noticed + self.config.max_age
    }

    /// Wait before retry number `tries + 1`: the base interval doubled per retry already sent.
    fn retry_after(&self, tries: u32) -> Duration {
        self.retry_interval()
            .saturating_mul(1 << tries.saturating_sub(1).min(6))
    }

    /// The next packet in sequence order, with its extended sequence number, if it can be released
    /// now. Gaps at the front that are given up (too old, out of retries, over the bounds) are
    /// skipped and counted as unrecovered.
    pub fn pop(&mut self, now: Instant) -> Option<(u64, T)> {
        if let Some(x) = self.flushed.pop_front() {
            return Some(x);
        }
        loop {
            match self.window.front() {
                None => return None,
                Some(Some(_)) => {
                    let item = self.window.pop_front().flatten()?;
                    let ext = self.head;
                    self.head += 1;
                    return Some((ext, item));
                }
                Some(None) => {
                    let gap = self.gaps.get(&self.head).copied();
                    let give_up = gap.is_none_or(|g| self.given_up(&g, now));
                    if !give_up {
                        return None;
                    }
                    if let Some(g) = self.gaps.remove(&self.head) {
                        if !g.abandoned {
                            self.active_gaps -= 1;
                        }
                    }
                    self.window.pop_front();
                    self.head += 1;
                    self.stats.unrecovered += 1;
                }
            }
        }
    }

    /// Appends to `out` the 16-bit sequence numbers to NACK now, and records that they were sent.
    /// Each takes one token of `budget`; once it is spent, the rest stay due (not counted as
    /// tries) until tokens come back or their gaps age out.
    pub fn poll_nacks(&mut self, now: Instant, budget: &mut NackBudget, out: &mut Vec<u16>) {
        let highest = self.head + self.window.len() as u64;
        let waits: Vec<Duration> = (0..=self.config.max_retries)
            .map(|t| self.retry_after(t))
            .collect();
        let cfg = &self.config;
        for (&ext, g) in self.gaps.iter_mut() {
            if g.abandoned || now >= g.noticed + cfg.max_age || g.tries >= cfg.max_retries {
                continue;
            }
            let due = match g.last_nack {
                None => {
                    highest.saturating_sub(ext + 1) >= cfg.reorder_packets
                        || now >= g.noticed + cfg.reorder_delay
                }
                Some(t) => now >= t + waits[g.tries as usize],
            };
            if due {
                if !budget.take(now) {
                    break;
                }
                g.tries += 1;
                g.last_nack = Some(now);
                self.stats.nacked += 1;
                out.push(ext as u16);
            }
        }
    }

    /// When `poll_nacks` or `pop` may have something new to do without a new packet arriving.
    pub fn next_timeout(&self) -> Option<Instant> {
        self.gaps
            .values()
            .filter(|g| !g.abandoned)
            .map(|g| {
                let age_out = g.noticed + self.config.max_age;
                match g.last_nack {
                    None => (g.noticed + self.config.reorder_delay).min(age_out),
                    Some(t) if g.tries < self.config.max_retries => {
                        (t + self.retry_after(g.tries)).min(age_out)
                    }
                    Some(_) => age_out,
                }
            })
            .min()
    }
}

/// How many sequence numbers one stream may NACK: a token bucket of `per_second` tokens that
/// holds a second's worth. A stream whose packets are lost wholesale (an overloaded receiver, a
/// collapsing link) would otherwise ask for every one again, several times, adding load where
/// there is already too much; within the budget, ordinary loss is always repaired.
#[derive(Debug, Clone)]
pub struct NackBudget {
    /// Tokens added per second; 0 means no limit.
    per_second: u32,
    tokens: f64,
    refilled: Option<Instant>,
    /// Times a due NACK found the budget spent.
    deferred: u64,
}

impl NackBudget {
    /// A full budget of `per_second` sequence numbers a second (0: unlimited).
    pub fn new(per_second: u32) -> Self {
        Self {
            per_second,
            tokens: f64::from(per_second),
            refilled: None,
            deferred: 0,
        }
    }

    /// Spends one token, if there is one.
    pub fn take(&mut self, now: Instant) -> bool {
        if self.per_second == 0 {
            return true;
        }
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            self.deferred += 1;
            false
        }
    }

    /// When the next token comes, if the budget was spent at its last use; `None` while
    /// tokens remain. (An instant already past means a token has come back since.)
    pub fn exhausted_until(&self) -> Option<Instant> {
        let at = self.refilled?;
        (self.per_second > 0 && self.tokens < 1.0)
            .then(|| at + Duration::from_secs_f64((1.0 - self.tokens) / f64::from(self.per_second)))
    }

    /// Times a due NACK found the budget spent and waited.
    pub fn deferred(&self) -> u64 {
        self.deferred
    }

    fn refill(&mut self, now: Instant) {
        if let Some(at) = self.refilled {
            let elapsed = now.saturating_duration_since(at).as_secs_f64();
            self.tokens = (self.tokens + elapsed * f64::from(self.per_second))
                .min(f64::from(self.per_second));
        }
        self.refilled = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unlimited() -> NackBudget {
        NackBudget::new(0)
    }

    fn drain(b: &mut RecoveryBuffer<u16>, now: Instant) -> Vec<u16> {
        std::iter::from_fn(|| b.pop(now)).map(|(_, v)| v).collect()
    }

    #[test]
    fn in_order_passes_straight_through() {
        let now = Instant::now();
        let mut b = RecoveryBuffer::new(RecoveryConfig::default());
        for s in 0..10u16 {
            assert_eq!(b.push(s, s, now), Pushed::Accepted { recovered: false });
        }
        assert_eq!(drain(&mut b, now), (0..10).collect::<Vec<_>>());
        let mut n = Vec::new();
        b.poll_nacks(now, &mut unlimited(), &mut n);
        assert!(n.is_empty());
    }

    #[test]
    fn gap_is_nacked_after_reorder_window_and_filled_in_order() {
        let t0 = Instant::now();
        let mut b = RecoveryBuffer::new(RecoveryConfig::default());
        b.push(0, 0, t0);
        b.push(2, 2, t0);
        assert_eq!(drain(&mut b, t0), vec![0]);
        let mut n = Vec::new();
        b.poll_nacks(t0, &mut unlimited(), &mut n);
        assert!(n.is_empty(), "within the reorder window");
        b.poll_nacks(t0 + Duration::from_millis(10), &mut unlimited(), &mut n);
        assert_eq!(n, vec![1]);
        assert_eq!(b.push(1, 1, t0), Pushed::Accepted { recovered: true });
        assert_eq!(drain(&mut b, t0), vec![1, 2]);
        let s = b.stats();
        assert_eq!((s.lost, s.recovered, s.unrecovered, s.nacked), (1, 1, 0, 1));
        assert_eq!(b.push(1, 1, t0), Pushed::Late);
    }

    #[test]
    fn reorder_packets_trigger_nack_without_time() {
        let t0 = Instant::now();
        let mut b = RecoveryBuffer::new(RecoveryConfig::default());
        for s in [0u16, 2, 3, 4] {
            b.push(s, s, t0);
        }
        let mut n = Vec::new();
        b.poll_nacks(t0, &mut unlimited(), &mut n);
        assert_eq!(n, vec![1]);
    }

    #[test]
    fn retries_then_gives_up_and_skips() {
        let t0 = Instant::now();
        let cfg = RecoveryConfig::default();
        let mut b = RecoveryBuffer::new(cfg.clone());
        b.push(0, 0, t0);
        b.push(5, 5, t0);
        let mut t = t0;
        let mut total = 0;
        // Drive two seconds of time in 5 ms steps.
        for _ in 0..400 {
            t += Duration::from_millis(5);
            let mut n = Vec::new();
            b.poll_nacks(t, &mut unlimited(), &mut n);
            total += n.len();
            let _ = drain(&mut b, t);
        }
        assert_eq!(total, 4 * cfg.max_retries as usize);
        assert_eq!(b.stats().unrecovered, 4);
        assert_eq!(b.outstanding(), 0);
        assert!(b.next_timeout().is_none());
    }

    #[test]
    fn held_packets_wait_until_gap_ages_out() {
        let t0 = Instant::now();
        let mut b = RecoveryBuffer::new(RecoveryConfig::default());
        b.push(0, 0, t0);
        b.push(2, 2, t0);
        assert_eq!(drain(&mut b, t0), vec![0]);
        assert_eq!(
            drain(&mut b, t0 + Duration::from_millis(100)),
            Vec::<u16>::new()
        );
        let deadline = b.next_timeout().unwrap();
        assert!(deadline <= t0 + Duration::from_millis(10));
        assert_eq!(drain(&mut b, t0 + Duration::from_secs(1)), vec![2]);
    }

    #[test]
    fn outstanding_is_bounded() {
        let t0 = Instant::now();
        let cfg = RecoveryConfig {
            max_outstanding: 8,
            ..Default::default()
        };
        let mut b = RecoveryBuffer::new(cfg);
        b.push(0, 0, t0);
        b.push(100, 100, t0);
        assert_eq!(b.outstanding(), 8);
        let mut n = Vec::new();
        b.poll_nacks(t0 + Duration::from_millis(20), &mut unlimited(), &mut n);
        assert_eq!(n.len(), 8);
        // The abandoned gaps are skipped at once, the 8 NACKed ones hold the rest back.
        assert_eq!(drain(&mut b, t0), vec![0]);
    }

    #[test]
    fn wrap_around_is_not_a_gap() {
        let t0 = Instant::now();
        let mut b = RecoveryBuffer::new(RecoveryConfig::default());
        for i in 0..200u32 {
            let s = (65_436 + i) as u16;
            b.push(s, s, t0);
        }
        assert_eq!(drain(&mut b, t0).len(), 200);
        assert_eq!(b.stats().lost, 0);
    }

    #[test]
    fn sender_restart_flushes_and_continues() {
        let t0 = Instant::now();
        let mut b = RecoveryBuffer::new(RecoveryConfig::default());
        for s in 0..5000u16 {
            b.push(s, s, t0);
        }
        drain(&mut b, t0);
        assert_eq!(b.push(0, 0, t0), Pushed::Invalid);
        assert_eq!(b.push(1, 1, t0), Pushed::Accepted { recovered: false });
        b.push(2, 2, t0);
        assert_eq!(drain(&mut b, t0), vec![1, 2]);
        assert_eq!(b.stats().restarts, 1);
    }

    #[test]
    fn the_budget_caps_nacks_and_refills() {
        let t0 = Instant::now();
        let mut budget = NackBudget::new(10);
        // One try each, so retries do not take the returning tokens.
        let mut b = RecoveryBuffer::new(RecoveryConfig {
            max_retries: 1,
            ..RecoveryConfig::default()
        });
        b.push(0, 0, t0);
        // Forty packets lost at once.
        b.push(41, 41, t0);
        for s in 42..45u16 {
            b.push(s, s, t0);
        }
        let mut n = Vec::new();
        b.poll_nacks(t0, &mut budget, &mut n);
        assert_eq!(
            n,
            (1..=10).collect::<Vec<u16>>(),
            "a second's worth at once"
        );
        assert_eq!(budget.deferred(), 1);
        let next = budget.exhausted_until().expect("spent");
        assert_eq!(next, t0 + Duration::from_millis(100));
        n.clear();
        b.poll_nacks(t0 + Duration::from_millis(50), &mut budget, &mut n);
        assert!(n.is_empty(), "no token yet");
        b.poll_nacks(t0 + Duration::from_millis(300), &mut budget, &mut n);
        assert_eq!(n, vec![11, 12, 13], "three tokens came back");
        assert_eq!(b.stats().nacked, 13);
        let mut unlimited = unlimited();
        assert_eq!(unlimited.exhausted_until(), None);
        assert!((0..10_000).all(|_| unlimited.take(t0)));
    }
}
