//! One viewer: a str0m `Rtc` (ICE-lite, RTP mode) driven by its own task, fed by the demux and
//! by its hub subscription.
//!
//! The task is the only owner of the `Rtc`, so no lock is involved. Every mutation of the `Rtc`
//! (`handle_input`, `write_rtp`) is followed by draining `poll_output` until `Timeout`, as str0m
//! requires, and each of those steps runs inside `catch_unwind`: a bug that makes str0m panic
//! ends this one session, never the process or other viewers.

use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

use shimmer_media::{HubEvent, MediaKind, MediaPacket, StreamHub, Subscriber, SubscriberOptions};
use str0m::media::{KeyframeRequest, Mid, Pt};
use str0m::net::{Protocol, Receive};
use str0m::rtp::{RtpWrite, Ssrc};
use str0m::{Event, IceConnectionState, Input, Output, Rtc};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot, watch};

use crate::demux::Datagram;
use crate::metrics::{ChannelMetrics, NodeCounters};
use crate::rewrite::Rewriter;

/// Why a session ended (logged, and useful in tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// DELETE on the session URL.
    Deleted,
    /// The engine is shutting down.
    Shutdown,
    /// The stream ended (hub ended).
    StreamEnded,
    /// ICE and DTLS did not complete in time.
    ConnectTimeout,
    /// ICE consent lost (the viewer went away without DELETE).
    IceDisconnected,
    /// The peer closed DTLS, or str0m reported the session dead.
    Closed,
    /// str0m returned an error or panicked.
    Failed,
}

/// Where one outgoing track goes.
#[derive(Debug, Clone)]
pub(crate) struct TrackOut {
    pub(crate) mid: Mid,
    pub(crate) pt: Pt,
    pub(crate) ssrc: Ssrc,
    pub(crate) rewriter: Rewriter,
}

/// Everything a session task needs; built by the engine when the offer is accepted.
pub(crate) struct SessionParts {
    pub(crate) id: String,
    pub(crate) channel_id: i64,
    pub(crate) viewer_key: Option<String>,
    pub(crate) hub: Arc<StreamHub>,
    pub(crate) rtc: Rtc,
    pub(crate) video: Option<TrackOut>,
    pub(crate) audio: Option<TrackOut>,
    pub(crate) inbox: mpsc::Receiver<Datagram>,
    pub(crate) cancel: oneshot::Receiver<()>,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) socket: Arc<UdpSocket>,
    /// UDP GSO on the shared socket, when the kernel supports it.
    pub(crate) gso: Option<Arc<quinn_udp::UdpSocketState>>,
    pub(crate) local_addr: SocketAddr,
    pub(crate) queue_packets: usize,
    pub(crate) connect_timeout: Duration,
    pub(crate) replay_interval: Duration,
    pub(crate) nack_cache_packets: usize,
    pub(crate) metrics: ChannelMetrics,
    pub(crate) node: Arc<NodeCounters>,
}

/// Most hub packets forwarded in one wake-up before the task checks its other inputs.
const FORWARD_BATCH: usize = 64;

enum Step<'a> {
    Datagram(&'a Datagram),
    Timeout,
    Forward(&'a [Arc<MediaPacket>]),
}

/// Callbacks out of a session (join/leave), so the task does not know about the bus.
pub(crate) trait SessionObserver: Send + Sync + 'static {
    fn connected(&self, id: &str, channel_id: i64, viewer_key: Option<String>);
    fn ended(&self, id: &str, channel_id: i64, ufrag: &str, joined: bool, reason: EndReason);
}

pub(crate) struct ViewerSession {
    p: SessionParts,
    ufrag: String,
    subscriber: Option<Subscriber>,
    subscribed_at: Instant,
    connected: bool,
    last_replay: Option<Instant>,
    created_at: Instant,
    /// Datagrams of the current drain, sent together (GSO runs) after it.
    outbox: Vec<(SocketAddr, Vec<u8>)>,
    /// Concatenated segments of one GSO send.
    scratch: Vec<u8>,
    pending: Vec<(SocketAddr, Vec<u8>)>,
    ended: Option<EndReason>,
    nacks_seen: u64,
    forwarded: u64,
}

impl ViewerSession {
    pub(crate) fn new(p: SessionParts, ufrag: String) -> Self {
        let now = Instant::now();
        Self {
            p,
            ufrag,
            subscriber: None,
            subscribed_at: now,
            connected: false,
            last_replay: None,
            created_at: now,
            outbox: Vec::new(),
            scratch: Vec::new(),
            pending: Vec::new(),
            ended: None,
            nacks_seen: 0,
            forwarded: 0,
        }
    }

    /// Runs the session to its end.
    pub(crate) async fn run(mut self, observer: Arc<dyn SessionObserver>) -> EndReason {
        let mut batch: Vec<Arc<MediaPacket>> = Vec::with_capacity(FORWARD_BATCH);
        let mut timeout = self.step(Step::Timeout).unwrap_or_else(Instant::now);
        let connect_deadline = self.created_at + self.p.connect_timeout;
        // One timer for the session's life, moved only when str0m's next deadline changes (a
        // fresh `sleep_until` per wake-up would register and cancel a timer every time).
        let sleep = tokio::time::sleep_until(timeout.into());
        tokio::pin!(sleep);
        let reason = loop {
            if let Some(r) = self.ended {
                break r;
            }
            self.flush_pending().await;
            if !self.connected && Instant::now() >= connect_deadline {
                break EndReason::ConnectTimeout;
            }
            let wake = if self.connected {
                timeout
            } else {
                timeout.min(connect_deadline)
            };
            if sleep.deadline() != wake.into() {
                sleep.as_mut().reset(wake.into());
            }
            let sub = self.subscriber.as_mut();
            tokio::select! {
                biased;
                _ = &mut self.p.cancel => break EndReason::Deleted,
                _ = self.p.shutdown.changed() => break EndReason::Shutdown,
                d = self.p.inbox.recv() => match d {
                    Some(d) => {
                        let was_connected = self.connected;
                        if let Some(t) = self.step(Step::Datagram(&d)) { timeout = t; }
                        if self.connected && !was_connected {
                            self.subscribe(true);
                            observer.connected(&self.p.id, self.p.channel_id, self.p.viewer_key.clone());
                        }
                    }
                    None => break EndReason::Closed,
                },
                ev = next_event(sub) => {
                    let mut ev = ev;
                    loop {
                        match ev {
                            None => { self.ended = Some(EndReason::StreamEnded); break; }
                            Some(HubEvent::Packet(p)) => batch.push(p),
                            Some(HubEvent::Resync { skipped }) => {
                                self.p.metrics.queue_drops.increment(skipped);
                                self.flush_batch(&mut batch, &mut timeout);
                                for t in [self.p.video.as_mut(), self.p.audio.as_mut()].into_iter().flatten() {
                                    t.rewriter.discontinuity();
                                }
                            }
                        }
                        if batch.len() >= FORWARD_BATCH { break; }
                        match self.subscriber.as_mut().map(|s| s.try_recv()) {
                            Some(Ok(e)) => ev = Some(e),
                            Some(Err(shimmer_media::hub::TryRecvError::Ended)) => ev = None,
                            _ => break,
                        }
                    }
                    self.flush_batch(&mut batch, &mut timeout);
                }
                _ = &mut sleep => {
                    if let Some(t) = self.step(Step::Timeout) { timeout = t; }
                    if !self.connected && self.p.hub.is_ended() {
                        break EndReason::StreamEnded;
                    }
                }
            }
        };
        // Best effort: tell the peer (DTLS close_notify, RTCP BYE) before going.
        if matches!(
            reason,
            EndReason::Deleted | EndReason::Shutdown | EndReason::StreamEnded
        ) {
            let _ = catch_unwind(AssertUnwindSafe(|| {
                if self.p.rtc.close().is_ok() {
                    let _ = self.drain();
                    let _ = self.p.rtc.handle_input(Input::Timeout(Instant::now()));
                    let _ = self.drain();
                }
            }));
            self.transmit();
            self.flush_pending().await;
        }
        if self.connected {
            self.p.metrics.viewers.decrement(1.0);
        }
        observer.ended(
            &self.p.id,
            self.p.channel_id,
            &self.ufrag,
            self.connected,
            reason,
        );
        tracing::debug!(session = %self.p.id, channel = self.p.channel_id, ?reason, "viewer session ended");
        reason
    }

    fn flush_batch(&mut self, batch: &mut Vec<Arc<MediaPacket>>, timeout: &mut Instant) {
        if batch.is_empty() {
            return;
        }
        let packets = std::mem::take(batch);
        if let Some(t) = self.step(Step::Forward(&packets)) {
            *timeout = t;
        }
        *batch = packets;
        batch.clear();
    }

    /// (Re)subscribes to the hub; the new subscription starts with the cached keyframe.
    fn subscribe(&mut self, join: bool) {
        let sub = self.p.hub.subscribe(SubscriberOptions {
            queue_capacity: Some(self.p.queue_packets),
        });
        self.subscribed_at = Instant::now();
        for t in [self.p.video.as_mut(), self.p.audio.as_mut()]
            .into_iter()
            .flatten()
        {
            t.rewriter.discontinuity();
        }
        if self.p.hub.has_keyframe() {
            if join {
                self.p.metrics.replays_join.increment(1);
            } else {
                self.p.metrics.replays_pli.increment(1);
            }
        }
        self.subscriber = Some(sub);
    }

    /// One mutation of the Rtc and the complete drain after it, shielded from panics.
    /// Returns the next timeout, or None when the session must end (`self.ended` is set).
    fn step(&mut self, step: Step<'_>) -> Option<Instant> {
        let result = catch_unwind(AssertUnwindSafe(|| -> Result<Instant, EndReason> {
            match step {
                Step::Datagram(d) => {
                    let Ok(contents) = d.data.as_slice().try_into() else {
                        // Not STUN/DTLS/RTP: ignore, the Rtc is unchanged.
                        return self.drain();
                    };
                    let input = Input::Receive(
                        d.received_at,
                        Receive {
                            proto: Protocol::Udp,
                            source: d.source,
                            destination: self.p.local_addr,
                            contents,
                        },
                    );
                    if self.p.rtc.handle_input(input).is_err() {
                        return Err(EndReason::Failed);
                    }
                    self.drain()
                }
                Step::Timeout => {
                    if self
                        .p
                        .rtc
                        .handle_input(Input::Timeout(Instant::now()))
                        .is_err()
                    {
                        return Err(EndReason::Failed);
                    }
                    self.drain()
                }
                Step::Forward(packets) => {
                    let now = Instant::now();
                    // `write_rtp` only queues the packet (stamped "not yet"), so the whole batch
                    // is queued first and drained once: one `poll_output` pass per batch instead
                    // of one per packet (each pass recomputes every str0m timer).
                    self.write_batch(packets, now);
                    // Timestamp the queued packets so str0m releases them now.
                    if self.p.rtc.handle_input(Input::Timeout(now)).is_err() {
                        return Err(EndReason::Failed);
                    }
                    let next = self.drain();
                    self.sample_delays(packets);
                    next
                }
            }
        }));
        self.transmit();
        match result {
            Ok(Ok(t)) => Some(t),
            Ok(Err(reason)) => {
                self.ended = Some(reason);
                None
            }
            Err(_) => {
                tracing::error!(session = %self.p.id, "str0m panicked; ending this session only");
                self.ended = Some(EndReason::Failed);
                None
            }
        }
    }

    /// Records the ingest-to-egress delay of every 8th live packet (replays excluded).
    fn sample_delays(&mut self, packets: &[Arc<MediaPacket>]) {
        let sent = Instant::now();
        for p in packets {
            self.forwarded += 1;
            if self.forwarded % 8 == 0 && p.received_at >= self.subscribed_at {
                self.p
                    .node
                    .delay
                    .record(sent.saturating_duration_since(p.received_at));
            }
        }
    }

    /// Queues hub packets on the matching outgoing streams, headers rewritten for this viewer.
    /// The str0m stream is looked up once per run of same-kind packets, and the channel counters
    /// are bumped once per batch (they are shared by every viewer of the channel).
    fn write_batch(&mut self, packets: &[Arc<MediaPacket>], now: Instant) {
        let subscribed_at = self.subscribed_at;
        let (mut count, mut bytes) = (0u64, 0u64);
        let mut rest = packets;
        while let Some(first) = rest.first() {
            let kind = first.kind;
            let run = rest.iter().take_while(|p| p.kind == kind).count();
            let (same, next) = rest.split_at(run);
            rest = next;
            let track = match kind {
                MediaKind::Video => self.p.video.as_mut(),
                MediaKind::Audio => self.p.audio.as_mut(),
            };
            let Some(track) = track else { continue };
            let mut api = self.p.rtc.direct_api();
            let Some(tx) = api.stream_tx(&track.ssrc) else {
                continue;
            };
            for p in same {
                let Some(out) = track.rewriter.rewrite(p, subscribed_at, now) else {
                    continue;
                };
                let wallclock = if out.replayed { now } else { p.received_at };
                tx.write_rtp(
                    // The packet's shared `Arc<[u8]>`: made once per hub packet, not per viewer.
                    RtpWrite::new(
                        track.pt,
                        out.seq.into(),
                        out.timestamp,
                        wallclock,
                        p.shared_payload(),
                    )
                    .marker(p.marker)
                    .nackable(kind == MediaKind::Video),
                );
                count += 1;
                bytes += p.payload.len() as u64;
            }
        }
        if count > 0 {
            self.p.metrics.packets.increment(count);
            self.p.metrics.bytes.increment(bytes);
        }
    }

    /// Drains `poll_output` until `Timeout`: sends datagrams, handles events.
    fn drain(&mut self) -> Result<Instant, EndReason> {
        loop {
            let out = self.p.rtc.poll_output().map_err(|_| EndReason::Failed)?;
            match out {
                Output::Timeout(t) => {
                    if !self.p.rtc.is_alive() {
                        return Err(EndReason::Closed);
                    }
                    return Ok(t);
                }
                Output::Transmit(t) => self.send(t.destination, t.contents.into()),
                Output::Event(e) => self.on_event(e)?,
            }
        }
    }

    fn on_event(&mut self, e: Event) -> Result<(), EndReason> {
        match e {
            Event::Connected => {
                self.connected = true;
                self.p.metrics.viewers.increment(1.0);
                self.configure_streams();
            }
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                return Err(EndReason::IceDisconnected);
            }
            Event::Closed => return Err(EndReason::Closed),
            Event::KeyframeRequest(KeyframeRequest { mid, .. })
                if self.p.video.as_ref().is_some_and(|v| v.mid == mid) =>
            {
                self.replay_keyframe();
            }
            Event::MediaEgressStats(s) if self.p.video.as_ref().is_some_and(|v| v.mid == s.mid) => {
                let new = s.nacks.saturating_sub(self.nacks_seen);
                self.nacks_seen = s.nacks;
                self.p.metrics.nacks.increment(new);
            }
            _ => {}
        }
        Ok(())
    }

    /// Bounds each viewer's retransmission cache (its memory is per viewer).
    fn configure_streams(&mut self) {
        let n = self.p.nack_cache_packets.max(16);
        let mut api = self.p.rtc.direct_api();
        if let Some(v) = &self.p.video {
            if let Some(tx) = api.stream_tx(&v.ssrc) {
                tx.set_rtx_cache(n, Duration::from_millis(1500), Some(0.15));
            }
        }
        if let Some(a) = &self.p.audio {
            if let Some(tx) = api.stream_tx(&a.ssrc) {
                tx.set_rtx_cache(16, Duration::from_millis(500), Some(0.15));
            }
        }
    }

    /// Answers a PLI/FIR: the viewer gets the cached keyframe again at once through a fresh
    /// subscription, and the hub passes the request on to a publisher that can make a new
    /// keyframe (WHIP; FTL and RTMP encoders cannot be asked). Rate-limited per viewer.
    fn replay_keyframe(&mut self) {
        if !self.connected {
            return;
        }
        let now = Instant::now();
        if self
            .last_replay
            .is_some_and(|t| now.saturating_duration_since(t) < self.p.replay_interval)
        {
            return;
        }
        self.last_replay = Some(now);
        self.p.hub.request_keyframe();
        self.subscribe(false);
    }

    /// Queues a datagram of the current drain; [`Self::transmit`] sends them after it.
    fn send(&mut self, to: SocketAddr, data: Vec<u8>) {
        self.outbox.push((to, data));
    }

    /// Sends the current drain's datagrams at once, in order, as GSO runs where possible (the
    /// packets of a video frame to this viewer in one `sendmsg`). What the socket refuses is kept
    /// for the async flush, and so is everything after it (order is kept).
    fn transmit(&mut self) {
        if self.outbox.is_empty() {
            return;
        }
        let mut out = std::mem::take(&mut self.outbox);
        if !self.pending.is_empty() {
            self.pending.append(&mut out);
            self.outbox = out;
            return;
        }
        let gso = self.p.gso.as_deref();
        let max = crate::egress::max_segments(gso);
        let mut i = 0;
        while i < out.len() {
            let n = crate::egress::run_length(&out[i..], max);
            let run = &out[i..i + n];
            let mut result = crate::egress::send_run(&self.p.socket, gso, run, &mut self.scratch);
            if result
                .as_ref()
                .is_err_and(|e| e.kind() != std::io::ErrorKind::WouldBlock)
                && n > 1
            {
                // GSO refused (quinn-udp turns it off after EIO/EINVAL): send them singly.
                let mut k = 0;
                while k < n {
                    match self.p.socket.try_send_to(&run[k].1, run[k].0) {
                        Ok(bytes) => self.p.node.sent(1, bytes as u64),
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
                    self.p.node.sent(n as u64, bytes);
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
        self.p
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
            let sent =
                tokio::time::timeout(Duration::from_millis(200), self.p.socket.send_to(&data, to))
                    .await;
            match sent {
                Ok(Ok(n)) => self.p.node.sent(1, n as u64),
                _ => {
                    self.p
                        .node
                        .send_errors
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
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
