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
