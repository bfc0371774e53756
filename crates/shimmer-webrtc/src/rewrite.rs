//! Per-viewer RTP header rewriting: each viewer gets its own sequence numbers and timestamps,
//! continuous across the keyframe-cache replay at the start, PLI replays and queue-overflow
//! skips, so the viewer's jitter buffer never sees a jump it would NACK or wait for.
//!
//! - **Sequence numbers** follow the source's deltas (a real loss upstream stays visible as a
//!   gap, so the browser discards the broken frame and asks for a keyframe) except across a
//!   deliberate discontinuity (start, replay, skip), where they simply continue by one.
//! - **Timestamps.** Cached packets replayed to a new viewer (those the ingest received before the
//!   viewer subscribed) are old: with their real timestamps the browser would schedule their
//!   playout seconds ahead and keep that delay for the whole session. So replayed video frames
//!   are packed 1 ms apart, and the first live frame after them is placed by the wall-clock time
//!   that really passed. Replayed audio is dropped (stale sound is worthless and would add the
//!   same delay to the audio path). Live packets keep the source's timestamp deltas.

use std::time::Instant;

use shimmer_media::{MediaKind, MediaPacket};

/// Largest source timestamp step treated as continuous (10 s); beyond it (or backwards) the
/// wall clock decides.
const MAX_CONTINUOUS_SECS: u32 = 10;

/// One rewritten header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rewritten {
    /// Extended (64-bit) outgoing sequence number; its low 16 bits go on the wire.
    pub seq: u64,
    /// Outgoing RTP timestamp.
    pub timestamp: u32,
    /// True if the packet was received by the ingest before this viewer subscribed (a replay).
    pub replayed: bool,
}

/// Rewriting state of one track of one viewer.
#[derive(Debug, Clone)]
pub struct Rewriter {
    clock_rate: u32,
    kind: MediaKind,
    next_seq: u64,
    last_in_seq: Option<u16>,
    last_in_ts: u32,
    last_out_ts: u32,
    last_frame_at: Option<Instant>,
    last_frame_replayed: bool,
    discontinuity: bool,
}

impl Rewriter {
    /// A rewriter starting at random-looking `first_seq` (below 2^15, so the SRTP rollover counter
    /// starts at 0) and `first_ts`.
    pub fn new(kind: MediaKind, clock_rate: u32, first_seq: u16, first_ts: u32) -> Self {
        Self {
            clock_rate,
            kind,
            next_seq: u64::from(first_seq & 0x7fff),
            last_in_seq: None,
            last_in_ts: 0,
            last_out_ts: first_ts,
            last_frame_at: None,
            last_frame_replayed: false,
            discontinuity: true,
        }
    }

    /// Marks a deliberate gap (replay or skip): the next packet continues the sequence by one.
    pub fn discontinuity(&mut self) {
        self.discontinuity = true;
    }

    fn ticks_since(&self, then: Option<Instant>, now: Instant) -> u32 {
        let ms = then.map_or(0, |t| now.saturating_duration_since(t).as_millis());
        let ticks = (ms as u64).saturating_mul(u64::from(self.clock_rate)) / 1000;
        ticks.clamp(1, u64::from(u32::MAX / 2)) as u32
    }

    /// Rewrites one packet. `subscribed_at` is when the current subscription began; packets
    /// received before it are replays. Returns None for packets that must not be sent (replayed
    /// audio).
    pub fn rewrite(
        &mut self,
        p: &MediaPacket,
        subscribed_at: Instant,
        now: Instant,
    ) -> Option<Rewritten> {
        let replayed = p.received_at < subscribed_at;
        if replayed && self.kind == MediaKind::Audio {
            return None;
        }
        let first = self.last_in_seq.is_none();
        // Sequence.
        let seq = match self.last_in_seq {
            Some(last) if !self.discontinuity => {
                let delta = p.sequence.wrapping_sub(last);
                if delta > 0 && delta < 1000 {
                    self.next_seq + u64::from(delta) - 1
                } else {
                    self.next_seq
                }
            }
            _ => self.next_seq,
        };
        self.next_seq = seq + 1;
        self.last_in_seq = Some(p.sequence);
        // Timestamp.
        let same_frame = !first
            && !self.discontinuity
            && p.timestamp == self.last_in_ts
            && self.kind == MediaKind::Video;
        let timestamp = if first || same_frame {
            self.last_out_ts
        } else if replayed {
            self.last_out_ts.wrapping_add(self.clock_rate / 1000)
        } else {
            let delta = p.timestamp.wrapping_sub(self.last_in_ts);
            let continuous = !self.discontinuity
                && !self.last_frame_replayed
                && delta > 0
                && delta < MAX_CONTINUOUS_SECS * self.clock_rate;
            if continuous {
                self.last_out_ts.wrapping_add(delta)
            } else {
                self.last_out_ts
                    .wrapping_add(self.ticks_since(self.last_frame_at, now))
            }
        };
        if !same_frame {
            self.last_frame_at = Some(now);
        }
        self.last_in_ts = p.timestamp;
        self.last_out_ts = timestamp;
        self.last_frame_replayed = replayed;
        self.discontinuity = false;
        Some(Rewritten {
            seq,
            timestamp,
            replayed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use std::time::Duration;

    fn pkt(kind: MediaKind, seq: u16, ts: u32, at: Instant) -> MediaPacket {
        let header = shimmer_media::rtp::RtpHeader::new(96, seq, ts, 1, false);
        MediaPacket::new(kind, &header, Bytes::from_static(&[1]), at)
    }

    #[test]
    fn live_video_keeps_deltas_and_gaps() {
        let t0 = Instant::now();
        let sub = t0;
        let mut r = Rewriter::new(MediaKind::Video, 90_000, 100, 5000);
        let a = r
            .rewrite(&pkt(MediaKind::Video, 65535, 1000, t0), sub, t0)
            .unwrap();
        let b = r
            .rewrite(&pkt(MediaKind::Video, 0, 1000, t0), sub, t0)
            .unwrap();
        let c = r
            .rewrite(&pkt(MediaKind::Video, 2, 4000, t0), sub, t0)
            .unwrap();
        assert_eq!((a.seq, b.seq, c.seq), (100, 101, 103)); // wrap is continuous, loss stays a gap
        assert_eq!((a.timestamp, b.timestamp, c.timestamp), (5000, 5000, 8000));
    }

    #[test]
    fn replayed_frames_are_packed_and_live_follows_wall_clock() {
        let t0 = Instant::now();
        let sub = t0 + Duration::from_secs(2);
        let now = sub;
        let mut r = Rewriter::new(MediaKind::Video, 90_000, 0, 0);
        // Three cached frames 1 s apart in source time.
        let f1 = r
            .rewrite(&pkt(MediaKind::Video, 10, 0, t0), sub, now)
            .unwrap();
        let f2 = r
            .rewrite(&pkt(MediaKind::Video, 11, 90_000, t0), sub, now)
            .unwrap();
        let f3 = r
            .rewrite(&pkt(MediaKind::Video, 12, 180_000, t0), sub, now)
            .unwrap();
        assert!(f1.replayed && f3.replayed);
        assert_eq!(
            (f2.timestamp - f1.timestamp, f3.timestamp - f2.timestamp),
            (90, 90)
        );
        // The first live frame 40 ms later in wall-clock time.
        let later = now + Duration::from_millis(40);
        let live = r
            .rewrite(&pkt(MediaKind::Video, 13, 183_000, later), sub, later)
            .unwrap();
        assert!(!live.replayed);
        assert_eq!(live.timestamp - f3.timestamp, 40 * 90);
        assert_eq!(live.seq, f3.seq + 1);
        let next = r
            .rewrite(&pkt(MediaKind::Video, 14, 186_000, later), sub, later)
            .unwrap();
        assert_eq!(next.timestamp - live.timestamp, 3000);
    }

    #[test]
    fn replayed_audio_is_dropped_and_discontinuity_continues_by_one() {
        let t0 = Instant::now();
        let sub = t0 + Duration::from_millis(500);
        let mut r = Rewriter::new(MediaKind::Audio, 48_000, 7, 0);
        assert!(r
            .rewrite(&pkt(MediaKind::Audio, 1, 0, t0), sub, sub)
            .is_none());
        let a = r
            .rewrite(&pkt(MediaKind::Audio, 30, 960 * 29, sub), sub, sub)
            .unwrap();
        let b = r
            .rewrite(&pkt(MediaKind::Audio, 31, 960 * 30, sub), sub, sub)
            .unwrap();
        assert_eq!((a.seq, b.seq), (7, 8));
        assert_eq!(b.timestamp.wrapping_sub(a.timestamp), 960);
        r.discontinuity();
        let c = r
            .rewrite(&pkt(MediaKind::Audio, 500, 960 * 499, sub), sub, sub)
            .unwrap();
        assert_eq!(c.seq, 9);
    }
}
