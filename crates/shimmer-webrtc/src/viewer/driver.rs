//! The tokio task that runs one [`ViewerCore`]: the clock, the session's inbox, its hub
//! subscription and the shared socket.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shimmer_media::{HubEvent, MediaPacket, StreamHub, Subscriber, SubscriberOptions};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot, watch};

use super::machine::{Action, ViewerCore};
use super::EndReason;
use crate::demux::Datagram;
use crate::metrics::NodeCounters;

/// Most hub packets forwarded in one wake-up before the task checks its other inputs.
const FORWARD_BATCH: usize = 64;

/// Everything the task needs besides the core; built by the engine when the offer is accepted.
pub(crate) struct SessionIo {
    pub(crate) id: String,
    pub(crate) channel_id: i64,
    pub(crate) viewer_key: Option<String>,
    pub(crate) ufrag: String,
    pub(crate) hub: Arc<StreamHub>,
    pub(crate) inbox: mpsc::Receiver<Datagram>,
    pub(crate) cancel: oneshot::Receiver<()>,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) socket: Arc<UdpSocket>,
    /// UDP GSO on the shared socket, when the kernel supports it.
    pub(crate) gso: Option<Arc<quinn_udp::UdpSocketState>>,
    pub(crate) queue_packets: usize,
    pub(crate) node: Arc<NodeCounters>,
}

/// Callbacks out of a session (join/leave), so the task does not know about the bus.
pub(crate) trait SessionObserver: Send + Sync + 'static {
    fn connected(&self, id: &str, channel_id: i64, viewer_key: Option<String>);
    fn ended(&self, id: &str, channel_id: i64, ufrag: &str, joined: bool, reason: EndReason);
}

/// One viewer session's task: a core and its IO.
pub(crate) struct ViewerSession {
    core: ViewerCore,
    io: SessionIo,
    subscriber: Option<Subscriber>,
    /// Datagrams of the current step, sent together (GSO runs) after it.
    outbox: Vec<(SocketAddr, Vec<u8>)>,
    /// Concatenated segments of one GSO send.
    scratch: Vec<u8>,
    /// What the socket refused, sent by [`Self::flush_pending`] in order.
    pending: Vec<(SocketAddr, Vec<u8>)>,
}

impl ViewerSession {
    pub(crate) fn new(core: ViewerCore, io: SessionIo) -> Self {
        Self {
            core,
            io,
            subscriber: None,
            outbox: Vec::new(),
            scratch: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// Runs the session to its end.
    pub(crate) async fn run(mut self, observer: Arc<dyn SessionObserver>) -> EndReason {
        let mut batch: Vec<Arc<MediaPacket>> = Vec::with_capacity(FORWARD_BATCH);
        self.after_step(&*observer);
        // One timer for the session's life, moved only when the core's next deadline changes (a
        // fresh `sleep_until` per wake-up would register and cancel a timer every time).
        let sleep = tokio::time::sleep_until(self.core.timeout().into());
        tokio::pin!(sleep);
        let reason = loop {
            if let Some(r) = self.core.ended() {
                break r;
            }
            self.flush_pending().await;
            let wake = self.core.timeout();
            if sleep.deadline() != wake.into() {
                sleep.as_mut().reset(wake.into());
            }
            let sub = self.subscriber.as_mut();
            tokio::select! {
                biased;
                _ = &mut self.io.cancel => break EndReason::Deleted,
                _ = self.io.shutdown.changed() => break EndReason::Shutdown,
                d = self.io.inbox.recv() => match d {
                    Some(d) => self.core.handle_datagram(d.received_at, d.source, &d.data),
                    // Only the engine closes an inbox: its receive loop stops at shutdown (or
                    // when the engine is dropped). The shutdown signal and this closure race,
                    // and either way the server ends the session, so the viewer is told.
                    None => break EndReason::Shutdown,
                },
                ev = next_event(sub) => {
                    if self.on_hub_events(ev, &mut batch) {
                        self.after_step(&*observer);
                        break EndReason::StreamEnded;
                    }
                }
                _ = &mut sleep => {
                    if !self.core.is_connected() && self.io.hub.is_ended() {
                        break EndReason::StreamEnded;
                    }
                    self.core.handle_timeout(Instant::now());
                }
            }
            self.after_step(&*observer);
        };
        let joined = self.core.is_connected();
        let reason = self.core.finish(Instant::now(), reason);
        self.transmit();
        self.flush_pending().await;
        observer.ended(
            &self.io.id,
            self.io.channel_id,
            &self.io.ufrag,
            joined,
            reason,
        );
        tracing::debug!(session = %self.io.id, channel = self.io.channel_id, ?reason, "viewer session ended");
        reason
    }

    /// Forwards `first` and whatever else the subscription holds, up to a batch. Returns true
    /// when the stream ended.
    fn on_hub_events(
        &mut self,
        first: Option<HubEvent>,
        batch: &mut Vec<Arc<MediaPacket>>,
    ) -> bool {
        let mut ev = first;
        let mut stream_ended = false;
        loop {
            match ev {
                None => {
                    stream_ended = true;
                    break;
                }
                Some(HubEvent::Packet(p)) => batch.push(p),
                Some(HubEvent::Resync { skipped }) => {
                    self.forward(batch);
                    self.core.resync(skipped);
                }
            }
            if batch.len() >= FORWARD_BATCH {
                break;
            }
            match self.subscriber.as_mut().map(|s| s.try_recv()) {
                Some(Ok(e)) => ev = Some(e),
                Some(Err(shimmer_media::hub::TryRecvError::Ended)) => ev = None,
                _ => break,
            }
        }
        self.forward(batch);
        stream_ended
    }

    /// Hands a batch of hub packets to the core.
    fn forward(&mut self, batch: &mut Vec<Arc<MediaPacket>>) {
        if batch.is_empty() {
            return;
        }
        self.core.forward(Instant::now(), batch);
        batch.clear();
    }

    /// Sends what the core queued and carries out its actions.
    fn after_step(&mut self, observer: &dyn SessionObserver) {
        self.transmit();
        while let Some(action) = self.core.poll_action() {
            match action {
                Action::Connected => {
                    observer.connected(&self.io.id, self.io.channel_id, self.io.viewer_key.clone())
                }
                Action::Subscribe { join } => {
                    self.subscriber = Some(self.io.hub.subscribe(SubscriberOptions {
                        queue_capacity: Some(self.io.queue_packets),
                        frame_runs: true,
                    }));
                    self.core
                        .subscribed(Instant::now(), join, self.io.hub.has_keyframe());
                }
                Action::RequestKeyframe => self.io.hub.request_keyframe(),
            }
        }
    }

    /// Sends the core's queued datagrams at once, in order, as GSO runs where possible (the
    /// packets of a video frame to this viewer in one `sendmsg`). What the socket refuses is kept
    /// for the async flush, and so is everything after it (order is kept).
    fn transmit(&mut self) {
        let mut out = std::mem::take(&mut self.outbox);
        self.core.take_transmits(&mut out);
        if out.is_empty() || !self.pending.is_empty() {
            self.pending.append(&mut out);
            self.outbox = out;
            return;
        }
        let gso = self.io.gso.as_deref();
        let max = crate::egress::max_segments(gso);
        let mut i = 0;
        while i < out.len() {
            let n = crate::egress::run_length(&out[i..], max);
            let run = &out[i..i + n];
            let mut result = crate::egress::send_run(&self.io.socket, gso, run, &mut self.scratch);
            if result
                .as_ref()
                .is_err_and(|e| e.kind() != std::io::ErrorKind::WouldBlock)
                && n > 1
            {
                // GSO refused (quinn-udp turns it off after EIO/EINVAL): send them singly.
                let mut k = 0;
                while k < n {
                    match self.io.socket.try_send_to(&run[k].1, run[k].0) {
                        Ok(bytes) => self.io.node.sent(1, bytes as u64),
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                        Err(_) => self.send_error(1),
                    }
                    k += 1;
                }
                if k == n {
                    i += n;
                    continue;
                }
                i += k;
                result = Err(std::io::ErrorKind::WouldBlock.into());
            }
            match result {
                Ok(()) => {
                    let bytes = run.iter().map(|(_, d)| d.len() as u64).sum();
                    self.io.node.sent(n as u64, bytes);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    self.pending.extend(out.drain(i..));
                    break;
                }
                Err(_) => self.send_error(n as u64),
            }
            i += n;
        }
        out.clear();
        self.outbox = out;
    }

    fn send_error(&self, n: u64) {
        self.io
            .node
            .send_errors
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// Sends what the socket refused earlier, waiting for it to become writable (bounded).
    async fn flush_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        for (to, data) in pending {
            let sent = tokio::time::timeout(
                Duration::from_millis(200),
                self.io.socket.send_to(&data, to),
            )
            .await;
            match sent {
                Ok(Ok(n)) => self.io.node.sent(1, n as u64),
                _ => self.send_error(1),
            }
        }
    }
}

/// The next hub event, or never when not subscribed yet.
async fn next_event(sub: Option<&mut Subscriber>) -> Option<HubEvent> {
    match sub {
        Some(s) => s.recv().await,
        None => std::future::pending().await,
    }
}
