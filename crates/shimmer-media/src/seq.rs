//! Extended RTP sequence numbers (RFC 3550 appendix A.1).
//!
//! RTP sequence numbers are 16 bits and wrap every 65536 packets (about three minutes of a
//! 4 Mbit/s stream). Loss detection and NACKs work on a 64-bit "extended" number that keeps
//! counting across wraps, so a wrap never looks like an enormous gap (the bug janus-ftl-plugin
//! had to disable NACKs for).

/// A jump forward of at least this many packets is treated as a possible source restart.
pub const MAX_DROPOUT: u16 = 3000;
/// A packet at most this far behind the highest seen is a late packet (reordered, or a
/// retransmission), never a restart. RFC 3550 suggests 100, but a retransmission answering a
/// NACK under load easily arrives more than 100 packets late, and two of them in a row would then
/// look like a sender restart; so the late window is as wide as the dropout window.
pub const MAX_MISORDER: u16 = 3000;
/// This many consecutive, sequential packets inside the late window mean the sender really
/// restarted its numbering a little behind where it was (more than a NACK burst can produce,
/// which is bounded by the outstanding-NACK limit).
pub const LATE_RUN_RESTART: u32 = 512;

/// What one sequence number means for the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqUpdate {
    /// A packet in the normal range: in order, a forward jump below [`MAX_DROPOUT`], or a late
    /// packet; carries its extended number.
    Valid(u64),
    /// Two consecutive packets after a large jump: the sender restarted its numbering (the FTL
    /// client does this after its speed test). The extended number continues above every number
    /// seen before, so it stays monotonic; receivers should flush their state.
    Restarted(u64),
    /// A large jump not (yet) confirmed by a following packet, or a packet too far in the past:
    /// drop it.
    Invalid,
}

/// The RFC 3550 A.1 extension state for one SSRC. The first packet is accepted without the RFC's
/// probation because the SSRC is already known from signalling (FTL's first packet is the SPS).
#[derive(Debug, Clone, Default)]
pub struct ExtendedSeq {
    started: bool,
    max_seq: u16,
    /// Extended value of `max_seq` minus `max_seq`: a multiple of 65536.
    cycles: u64,
    bad_seq: Option<u16>,
    /// The last late packet and how many sequential late packets led up to it.
    late_run: Option<(u16, u32)>,
}

impl ExtendedSeq {
    /// A tracker that has seen nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The highest extended sequence number seen, if any.
    pub fn highest(&self) -> Option<u64> {
        self.started
            .then_some(self.cycles + u64::from(self.max_seq))
    }

    /// Classifies one received sequence number and returns its extended value.
    pub fn update(&mut self, seq: u16) -> SeqUpdate {
        if !self.started {
            self.started = true;
            self.max_seq = seq;
            return SeqUpdate::Valid(u64::from(seq));
        }
        let udelta = seq.wrapping_sub(self.max_seq);
        if udelta < MAX_DROPOUT {
            if seq < self.max_seq {
                self.cycles += 1 << 16;
            }
            self.max_seq = seq;
            self.bad_seq = None;
            self.late_run = None;
            SeqUpdate::Valid(self.cycles + u64::from(seq))
        } else if udelta <= u16::MAX - MAX_MISORDER {
            if self.bad_seq == Some(seq) {
                // Restart: start a fresh cycle above everything seen so the value stays monotonic.
                self.cycles += 1 << 16;
                if seq <= self.max_seq {
                    self.cycles += 1 << 16;
                }
                self.max_seq = seq;
                self.bad_seq = None;
                SeqUpdate::Restarted(self.cycles + u64::from(seq))
            } else {
                self.bad_seq = Some(seq.wrapping_add(1));
                SeqUpdate::Invalid
            }
        } else {
            // Late or duplicate: up to MAX_MISORDER behind the highest.
            let run = match self.late_run {
                Some((last, n)) if seq == last.wrapping_add(1) => n + 1,
                _ => 1,
            };
            if run >= LATE_RUN_RESTART {
                self.late_run = None;
                self.cycles += 2 << 16;
                self.max_seq = seq;
                return SeqUpdate::Restarted(self.cycles + u64::from(seq));
            }
            self.late_run = Some((seq, run));
            let back = u64::from(u16::MAX - udelta) + 1;
            let highest = self.cycles + u64::from(self.max_seq);
            match highest.checked_sub(back) {
                Some(ext) => SeqUpdate::Valid(ext),
                None => SeqUpdate::Invalid,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_without_a_gap() {
        let mut s = ExtendedSeq::new();
        assert_eq!(s.update(65534), SeqUpdate::Valid(65534));
        assert_eq!(s.update(65535), SeqUpdate::Valid(65535));
        assert_eq!(s.update(0), SeqUpdate::Valid(65536));
        assert_eq!(s.update(65535), SeqUpdate::Valid(65535)); // late, before the wrap
        assert_eq!(s.update(2), SeqUpdate::Valid(65538));
        assert_eq!(s.highest(), Some(65538));
    }

    #[test]
    fn restart_needs_two_sequential_packets() {
        let mut s = ExtendedSeq::new();
        for q in 0..=5000u16 {
            s.update(q);
        }
        assert_eq!(s.update(0), SeqUpdate::Invalid);
        match s.update(1) {
            SeqUpdate::Restarted(ext) => assert!(ext > 5000 && ext as u16 == 1),
            other => panic!("{other:?}"),
        }
        assert!(matches!(s.update(2), SeqUpdate::Valid(_)));
    }

    #[test]
    fn late_retransmissions_in_a_row_are_not_a_restart() {
        let mut s = ExtendedSeq::new();
        for q in 0..=1000u16 {
            s.update(q);
        }
        // Resends of 500 and 501 arrive 500 packets late, one after the other.
        assert_eq!(s.update(500), SeqUpdate::Valid(500));
        assert_eq!(s.update(501), SeqUpdate::Valid(501));
        assert_eq!(s.update(1001), SeqUpdate::Valid(1001));
    }

    #[test]
    fn restart_slightly_behind_is_detected_by_a_long_run() {
        let mut s = ExtendedSeq::new();
        for q in 0..=2000u16 {
            s.update(q);
        }
        let mut restarted = None;
        for q in 1000..2000u16 {
            if let SeqUpdate::Restarted(e) = s.update(q) {
                restarted = Some((q, e));
                break;
            }
        }
        let (q, e) = restarted.unwrap();
        assert_eq!(q, 1000 + LATE_RUN_RESTART as u16 - 1);
        assert!(e > 2000);
    }

    #[test]
    fn single_wild_jump_is_dropped() {
        let mut s = ExtendedSeq::new();
        s.update(10);
        assert_eq!(s.update(30000), SeqUpdate::Invalid);
        assert_eq!(s.update(11), SeqUpdate::Valid(11));
    }
}
