//! The deadlines of a driver's viewers in one queue, so a wake-up touches only the viewers whose
//! time has come.
//!
//! A viewer's deadline moves on nearly every input (str0m's timers, the pacer's next release),
//! mostly later. The queue keeps one entry per viewer for the earliest deadline asked for and
//! adds another only when a deadline moves earlier; an entry that comes due early is checked
//! against the viewer's real deadline by the caller and simply scheduled again. So the heap
//! holds about one entry per viewer however often deadlines move.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

/// Deadlines keyed by viewer; see the module docs.
#[derive(Debug, Default)]
pub(crate) struct Timers {
    heap: BinaryHeap<Reverse<(Instant, u64)>>,
}

/// Where a viewer stands in the queue: the earliest deadline it has an entry for.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Scheduled(Option<Instant>);

impl Timers {
    /// Makes sure `key` comes due no later than `at`.
    pub(crate) fn schedule(&mut self, key: u64, at: Instant, scheduled: &mut Scheduled) {
        if scheduled.0.is_some_and(|s| s <= at) {
            return;
        }
        scheduled.0 = Some(at);
        self.heap.push(Reverse((at, key)));
    }

    /// The earliest entry's time.
    pub(crate) fn next(&self) -> Option<Instant> {
        self.heap.peek().map(|Reverse((at, _))| *at)
    }

    /// Takes the next entry due at `now`: its key and time. The caller passes the time to
    /// [`Self::fired`] with the viewer's [`Scheduled`] to learn whether the entry is current.
    pub(crate) fn pop_due(&mut self, now: Instant) -> Option<(u64, Instant)> {
        match self.heap.peek() {
            Some(Reverse((at, _))) if *at <= now => {
                let Reverse((at, key)) = self.heap.pop()?;
                Some((key, at))
            }
            _ => None,
        }
    }

    /// Whether the entry for `at` is the viewer's current one (a superseded entry is not);
    /// when it is, the viewer has no entry left and must be scheduled again.
    pub(crate) fn fired(at: Instant, scheduled: &mut Scheduled) -> bool {
        if scheduled.0 == Some(at) {
            scheduled.0 = None;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn later_deadlines_reuse_the_entry_and_earlier_ones_add_one() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut timers = Timers::default();
        let (mut a, mut b) = (Scheduled::default(), Scheduled::default());
        timers.schedule(1, ms(10), &mut a);
        for n in 11..100 {
            timers.schedule(1, ms(n), &mut a); // moved later: no new entry
        }
        timers.schedule(2, ms(20), &mut b);
        timers.schedule(2, ms(5), &mut b); // moved earlier: a new entry, the old one stale
        assert_eq!(timers.heap.len(), 3);
        assert_eq!(timers.next(), Some(ms(5)));
        assert_eq!(timers.pop_due(ms(4)), None);

        let (key, at) = timers.pop_due(ms(10)).unwrap();
        assert_eq!((key, at), (2, ms(5)));
        assert!(Timers::fired(at, &mut b));
        let (key, at) = timers.pop_due(ms(10)).unwrap();
        assert_eq!((key, at), (1, ms(10)));
        assert!(Timers::fired(at, &mut a));
        assert_eq!(timers.pop_due(ms(10)), None);
        // The stale entry of 2 comes due later and is recognised as such.
        timers.schedule(2, ms(50), &mut b);
        let (key, at) = timers.pop_due(ms(30)).unwrap();
        assert_eq!((key, at), (2, ms(20)));
        assert!(!Timers::fired(at, &mut b));
        assert_eq!(timers.next(), Some(ms(50)));
    }
}
