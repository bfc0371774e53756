//! The receiving end of a hub subscription.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::mpsc;

use super::{MediaPacket, StreamHub};

/// What a subscriber receives, in order.
#[derive(Debug, Clone)]
pub enum HubEvent {
    /// The next packet.
    Packet(Arc<MediaPacket>),
    /// The subscriber fell behind (its queue overflowed) and `skipped` packets were dropped for it;
    /// the next event is a keyframe start. A forwarder should treat the sequence gap as intentional
    /// (rewrite sequence numbers so the viewer does not NACK the skipped packets).
    Resync {
        /// How many packets were not delivered.
        skipped: u64,
    },
}

/// Counters a subscriber shares with the hub.
#[derive(Debug, Default)]
pub(crate) struct SubscriberCounters {
    pub(crate) overflows: AtomicU64,
    pub(crate) skipped: AtomicU64,
}

/// Options for [`StreamHub::subscribe`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SubscriberOptions {
    /// Queue length in packets; None uses the hub's default. About one second of video is a good
    /// size: long enough for scheduling hiccups, short enough that a stuck viewer costs little.
    pub queue_capacity: Option<usize>,
    /// Deliver video in runs: a frame's packets wait at the hub until its last packet (the
    /// marker), [`FRAME_RUN_PACKETS`](super::FRAME_RUN_PACKETS) of them, the next frame's first packet or an audio packet
    /// arrives, so the subscriber wakes once per frame (or per run of a large one) instead of
    /// once per packet when an encoder spreads its frames over time, as FTL clients pacing at
    /// their peak rate do. For consumers that can do nothing useful with part of a frame sooner,
    /// such as a WebRTC viewer (its browser decodes a frame once the last packet is in); the
    /// run limit keeps a large keyframe flowing in pieces, so a viewer's pacer is not handed
    /// all of it at its end.
    pub frame_runs: bool,
}

/// A subscription to a [`StreamHub`]. It first yields the cached GOP (starting at the last
/// keyframe), then live packets. [`Subscriber::recv`] returns None once the hub has ended (the
/// stream is over) and everything queued has been read. Dropping it unsubscribes.
#[derive(Debug)]
pub struct Subscriber {
    pub(crate) id: u64,
    pub(crate) backlog: VecDeque<Arc<MediaPacket>>,
    pub(crate) rx: mpsc::Receiver<HubEvent>,
    pub(crate) counters: Arc<SubscriberCounters>,
    pub(crate) hub: Arc<StreamHub>,
}

/// Why [`Subscriber::try_recv`] returned nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryRecvError {
    /// Nothing queued right now.
    Empty,
    /// The stream ended and everything was read.
    Ended,
}

impl Subscriber {
    /// This subscription's id, unique within its hub.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The hub this subscription reads from (for stream info and the packet history).
    pub fn hub(&self) -> &Arc<StreamHub> {
        &self.hub
    }

    /// Times this subscriber's queue overflowed.
    pub fn overflows(&self) -> u64 {
        self.counters.overflows.load(Ordering::Relaxed)
    }

    /// Packets not delivered to this subscriber because it was behind.
    pub fn skipped(&self) -> u64 {
        self.counters.skipped.load(Ordering::Relaxed)
    }

    /// Waits for the next event; None when the stream has ended.
    pub async fn recv(&mut self) -> Option<HubEvent> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls for the next event: for a task that waits on many subscriptions at once.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<HubEvent>> {
        if let Some(p) = self.backlog.pop_front() {
            return Poll::Ready(Some(HubEvent::Packet(p)));
        }
        self.rx.poll_recv(cx)
    }

    /// The next event if one is ready, without waiting.
    pub fn try_recv(&mut self) -> Result<HubEvent, TryRecvError> {
        if let Some(p) = self.backlog.pop_front() {
            return Ok(HubEvent::Packet(p));
        }
        self.rx.try_recv().map_err(|e| match e {
            mpsc::error::TryRecvError::Empty => TryRecvError::Empty,
            mpsc::error::TryRecvError::Disconnected => TryRecvError::Ended,
        })
    }
}
