//! A sum over a sliding time window, in 100 ms buckets: bitrate and frame rate.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

const BUCKET: Duration = Duration::from_millis(100);

/// Sums values added over the last `window`.
#[derive(Debug, Clone)]
pub struct RollingWindow {
    window: Duration,
    start: Option<Instant>,
    buckets: VecDeque<(Instant, u64)>,
    total: u64,
}

impl RollingWindow {
    /// A window of the given length (at least one bucket).
    pub fn new(window: Duration) -> Self {
        Self {
            window: window.max(BUCKET),
            start: None,
            buckets: VecDeque::new(),
            total: 0,
        }
    }

    fn expire(&mut self, now: Instant) {
        while let Some(&(t, v)) = self.buckets.front() {
            if now.saturating_duration_since(t) >= self.window {
                self.buckets.pop_front();
                self.total -= v;
            } else {
                break;
            }
        }
    }

    /// Adds `value` at `now`.
    pub fn add(&mut self, now: Instant, value: u64) {
        self.start.get_or_insert(now);
        self.expire(now);
        match self.buckets.back_mut() {
            Some((t, v)) if now.saturating_duration_since(*t) < BUCKET => *v += value,
            _ => self.buckets.push_back((now, value)),
        }
        self.total += value;
    }

    /// True once values have been added for at least a whole window.
    pub fn is_full(&self, now: Instant) -> bool {
        self.start
            .is_some_and(|s| now.saturating_duration_since(s) >= self.window)
    }

    /// The per-second rate over the window (or over the time since the first value, if shorter).
    pub fn rate_per_sec(&mut self, now: Instant) -> f64 {
        self.expire(now);
        let Some(start) = self.start else { return 0.0 };
        let span = now.saturating_duration_since(start).min(self.window);
        if span < BUCKET {
            return 0.0;
        }
        self.total as f64 / span.as_secs_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steady_rate() {
        let t0 = Instant::now();
        let mut w = RollingWindow::new(Duration::from_secs(2));
        for i in 0..100 {
            w.add(t0 + Duration::from_millis(50 * i), 500);
        }
        let now = t0 + Duration::from_secs(5);
        assert!(w.is_full(now));
        // Last 2 s of a 10 kB/s stream ended at 4.95 s: only the tail remains.
        let r = w.rate_per_sec(t0 + Duration::from_millis(4950));
        assert!((r - 10_000.0).abs() < 600.0, "{r}");
        assert_eq!(w.rate_per_sec(t0 + Duration::from_secs(60)), 0.0);
    }
}
