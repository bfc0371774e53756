//! One hub subscription shared by every viewer of a driver that watches the hub's stream.
//!
//! The hub delivers each packet once to the driver, not once per viewer; the driver hands the
//! batch to each member. A member joins where a subscription of its own would have started: the
//! hub's [`JoinPoint`] gives it the cached GOP, and packets of the shared subscription already in
//! that backlog (by [`MediaPacket::hub_index`]) are skipped for it. Without a cached keyframe
//! the member starts at the next sync point, as a subscriber of its own would.

use std::sync::Arc;

use shimmer_media::hub::JoinPoint;
use shimmer_media::{MediaKind, MediaPacket, StreamHub, Subscriber, SubscriberOptions};

/// Where one member stands in its group's stream.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Membership {
    /// Packets up to this hub index reached the member another way (its join backlog).
    after: u64,
    /// Nothing is forwarded to it before the next sync point (it joined without a keyframe).
    awaiting_sync: bool,
}

/// A shared subscription and the viewers (driver keys) it feeds.
pub(crate) struct Group {
    pub(crate) hub: Arc<StreamHub>,
    pub(crate) subscriber: Subscriber,
    pub(crate) members: Vec<u64>,
    /// The stream has no video: any audio packet is a sync point.
    audio_only: bool,
}

impl Group {
    /// Subscribes to `hub` for a driver: video in frame runs, `queue_packets` deep.
    pub(crate) fn new(hub: Arc<StreamHub>, queue_packets: usize) -> Self {
        let subscriber = hub.subscribe(SubscriberOptions {
            queue_capacity: Some(queue_packets),
            frame_runs: true,
        });
        let audio_only = hub.info().video.is_none();
        Self {
            hub,
            subscriber,
            members: Vec::new(),
            audio_only,
        }
    }

    /// Adds a member (or starts it over, for a keyframe replay): returns its place in the stream
    /// and the backlog to hand it first. The group's subscription exists before the join point
    /// is taken, so no packet published after the point misses the member.
    pub(crate) fn join(&mut self, key: u64) -> (Membership, Vec<Arc<MediaPacket>>) {
        if !self.members.contains(&key) {
            self.members.push(key);
        }
        let JoinPoint { backlog, after } = self.hub.join_point();
        let membership = Membership {
            after,
            awaiting_sync: backlog.is_empty(),
        };
        (membership, backlog)
    }

    /// Removes a member; true when none is left.
    pub(crate) fn leave(&mut self, key: u64) -> bool {
        self.members.retain(|k| *k != key);
        self.members.is_empty()
    }

    /// The part of `batch` that is new to the member, in `out` (cleared first); updates the
    /// membership. Returns false when the whole batch is new (then `out` is untouched and the
    /// batch itself is what to forward), true when `out` holds the part to forward.
    pub(crate) fn select(
        &self,
        membership: &mut Membership,
        batch: &[Arc<MediaPacket>],
        out: &mut Vec<Arc<MediaPacket>>,
    ) -> bool {
        let Some(first) = batch.first() else {
            return false;
        };
        if !membership.awaiting_sync && first.hub_index() > membership.after {
            return false;
        }
        out.clear();
        for p in batch {
            if p.hub_index() <= membership.after {
                continue;
            }
            if membership.awaiting_sync {
                let sync = p.keyframe_start || (self.audio_only && p.kind == MediaKind::Audio);
                if !sync {
                    continue;
                }
                membership.awaiting_sync = false;
            }
            out.push(Arc::clone(p));
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use bytes::Bytes;
    use shimmer_media::hub::HubConfig;
    use shimmer_media::rtp::RtpHeader;
    use shimmer_media::StreamInfo;

    use super::*;

    fn hub() -> Arc<StreamHub> {
        let info = StreamInfo {
            video: Some(StreamInfo::h264(96, 2)),
            audio: Some(StreamInfo::opus(97, 1, 2)),
        };
        Arc::new(StreamHub::new(1, info, HubConfig::default()))
    }

    /// A one-packet frame: an IDR slice (a keyframe start) or a P slice.
    fn frame(hub: &StreamHub, n: u16, key: bool) -> Arc<MediaPacket> {
        let nal = if key { 0x65 } else { 0x41 };
        let header = RtpHeader::new(96, n, u32::from(n) * 3000, 2, true);
        let packet = MediaPacket::new(
            MediaKind::Video,
            &header,
            Bytes::from(vec![nal, 0x88, n as u8]),
            Instant::now(),
        );
        hub.publish(packet).unwrap()
    }

    fn sequences(packets: &[Arc<MediaPacket>]) -> Vec<u16> {
        packets.iter().map(|p| p.sequence).collect()
    }

    #[test]
    fn a_member_joining_without_a_keyframe_waits_for_the_next() {
        let hub = hub();
        let mut group = Group::new(Arc::clone(&hub), 64);
        frame(&hub, 0, false);
        let (mut member, backlog) = group.join(7);
        assert!(backlog.is_empty());
        let batch: Vec<_> = (1..4).map(|n| frame(&hub, n, n == 2)).collect();
        let mut out = Vec::new();
        assert!(group.select(&mut member, &batch, &mut out));
        assert_eq!(sequences(&out), [2, 3], "from the keyframe on");
        // Caught up: later batches are forwarded whole, without a copy.
        let batch = vec![frame(&hub, 4, false)];
        assert!(!group.select(&mut member, &batch, &mut out));
        assert!(!group.leave(8) && group.leave(7));
    }

    #[test]
    fn a_member_skips_what_its_backlog_already_had() {
        let hub = hub();
        let mut group = Group::new(Arc::clone(&hub), 64);
        let early = [frame(&hub, 0, true), frame(&hub, 1, false)];
        let (mut member, backlog) = group.join(1);
        assert_eq!(sequences(&backlog), [0, 1]);
        let late = frame(&hub, 2, false);
        // The shared subscription still had the early packets queued when the member joined.
        let batch = vec![Arc::clone(&early[0]), Arc::clone(&early[1]), late];
        let mut out = Vec::new();
        assert!(group.select(&mut member, &batch, &mut out));
        assert_eq!(sequences(&out), [2]);
    }
}
