//! The sans-IO viewer core; see the module docs of [`super`].

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

use shimmer_media::{MediaKind, MediaPacket};
use str0m::media::KeyframeRequest;
use str0m::net::{Protocol, Receive};
use str0m::rtp::RtpWrite;
use str0m::{Event, IceConnectionState, Input, Output, Rtc};

use super::pacer::{PaceSettings, Pacer, Pushed};
use super::{EndReason, TrackOut};
use crate::metrics::{ChannelMetrics, NodeCounters};
use crate::nominate::EarlyNomination;

/// What a core needs besides its `Rtc`: its tracks and its policy's settings.
pub(crate) struct CoreParts {
    pub(crate) rtc: Rtc,
    pub(crate) video: Option<TrackOut>,
    pub(crate) audio: Option<TrackOut>,
    /// The address viewers send to (the candidate announced first): str0m's `destination`.
    pub(crate) local_addr: SocketAddr,
    pub(crate) connect_timeout: Duration,
    pub(crate) replay_interval: Duration,
    pub(crate) nack_cache_packets: usize,
    /// How the video is paced (multiplier 0: sent as it comes).
    pub(crate) pacing: PaceSettings,
    pub(crate) metrics: ChannelMetrics,
    pub(crate) node: Arc<NodeCounters>,
}

/// What the core asks its driver to do, besides sending datagrams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// ICE and DTLS are up: the viewer has joined.
    Connected,
    /// (Re)subscribe to the hub, which starts the viewer on the cached keyframe; then call
    /// [`ViewerCore::subscribed`]. `join` is true for the first subscription, false for a
    /// keyframe replay the viewer asked for.
    Subscribe { join: bool },
    /// Pass the viewer's keyframe request on to a publisher that can make one.
    RequestKeyframe,
}

/// Bytes a forwarded packet adds on the wire besides its payload (RTP header and extensions,
/// SRTP tag, UDP and IPv4 headers), for pacing.
const WIRE_OVERHEAD: usize = 60;

/// One viewer session's state and policy, without IO. See the module docs of [`super`].
pub(crate) struct ViewerCore {
    rtc: Rtc,
    video: Option<TrackOut>,
    audio: Option<TrackOut>,
    local_addr: SocketAddr,
    connect_deadline: Instant,
    replay_interval: Duration,
    nack_cache_packets: usize,
    metrics: ChannelMetrics,
    node: Arc<NodeCounters>,
    connected: bool,
    subscribed_at: Instant,
    last_replay: Option<Instant>,
    nacks_seen: u64,
    forwarded: u64,
    /// str0m's next deadline.
    rtc_timeout: Instant,
    /// The time of the latest input: the core's clock.
    clock: Instant,
    ended: Option<EndReason>,
    finished: bool,
    outbox: Vec<(SocketAddr, Vec<u8>)>,
    actions: VecDeque<Action>,
    /// Paces the video when pacing is on; audio, RTCP, DTLS and STUN never wait in it.
    pacer: Option<Pacer<Arc<MediaPacket>>>,
    /// The allowance of a new viewer's first keyframe, bytes.
    first_burst_bytes: usize,
    /// The pacer's queue overflowed: video is dropped until the next keyframe starts.
    video_until_keyframe: bool,
    /// Packets of one step to hand to str0m (reused).
    scratch: Vec<Arc<MediaPacket>>,
    /// Nominates the path the viewer's DTLS comes on until the viewer is connected.
    nomination: EarlyNomination,
}

impl ViewerCore {
    /// A core created at `now` (the connect deadline counts from here).
    pub(crate) fn new(parts: CoreParts, now: Instant) -> Self {
        let mut rtc = parts.rtc;
        let password = rtc.direct_api().local_ice_credentials().pass;
        let mut core = Self {
            rtc,
            video: parts.video,
            audio: parts.audio,
            local_addr: parts.local_addr,
            connect_deadline: now + parts.connect_timeout,
            replay_interval: parts.replay_interval,
            nack_cache_packets: parts.nack_cache_packets,
            metrics: parts.metrics,
            node: parts.node,
            connected: false,
            subscribed_at: now,
            last_replay: None,
            nacks_seen: 0,
            forwarded: 0,
            rtc_timeout: now,
            clock: now,
            ended: None,
            finished: false,
            outbox: Vec::new(),
            actions: VecDeque::new(),
            pacer: parts
                .pacing
                .enabled()
                .then(|| Pacer::new(parts.pacing, now)),
            first_burst_bytes: parts.pacing.first_burst_bytes,
            video_until_keyframe: false,
            scratch: Vec::new(),
            nomination: EarlyNomination::new(password),
        };
        core.handle_timeout(now);
        core
    }

    /// True once ICE and DTLS are up.
    pub(crate) fn is_connected(&self) -> bool {
        self.connected
    }

    /// Why the session must end, once it must.
    pub(crate) fn ended(&self) -> Option<EndReason> {
        self.ended
    }

    /// When [`Self::handle_timeout`] must be called next: str0m's deadline, the pacer's next
    /// release, and the connect deadline until the viewer is connected.
    pub(crate) fn timeout(&self) -> Instant {
        let mut t = self.rtc_timeout;
        if let Some(release) = self.pacer.as_ref().and_then(Pacer::next_release) {
            t = t.min(release);
        }
        if self.connected {
            t
        } else {
            t.min(self.connect_deadline)
        }
    }

    /// The next action for the driver, if any.
    pub(crate) fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// Moves the datagrams to send, in order, to the end of `out`.
    pub(crate) fn take_transmits(&mut self, out: &mut Vec<(SocketAddr, Vec<u8>)>) {
        out.append(&mut self.outbox);
    }

    /// A datagram from the viewer, received at `received_at`.
    pub(crate) fn handle_datagram(
        &mut self,
        received_at: Instant,
        source: SocketAddr,
        data: &[u8],
    ) {
        self.clock = self.clock.max(received_at);
        if !self.connected {
            // Parses untrusted bytes: a panic there must not take the process down.
            let nominating =
                catch_unwind(AssertUnwindSafe(|| self.nomination.before(source, data)));
            if let Ok(Some(check)) = nominating {
                self.receive(received_at, source, &check);
            }
        }
        self.receive(received_at, source, data);
    }

    /// Hands str0m one datagram.
    fn receive(&mut self, received_at: Instant, source: SocketAddr, data: &[u8]) {
        let destination = self.local_addr;
        self.mutate(|core| {
            let Ok(contents) = data.try_into() else {
                // Not STUN, DTLS or RTP: ignored, the Rtc is unchanged.
                return Ok(());
            };
            let input = Input::Receive(
                received_at,
                Receive {
                    proto: Protocol::Udp,
                    source,
                    destination,
                    contents,
                },
            );
            core.rtc.handle_input(input).map_err(|_| EndReason::Failed)
        });
    }

    /// Time passed: str0m's timers, the paced video that is due, and the connect deadline.
    pub(crate) fn handle_timeout(&mut self, now: Instant) {
        if self.ended.is_some() {
            return;
        }
        self.clock = self.clock.max(now);
        if !self.connected && now >= self.connect_deadline {
            self.ended = Some(EndReason::ConnectTimeout);
            return;
        }
        let mut due = std::mem::take(&mut self.scratch);
        if let Some(pacer) = self.pacer.as_mut() {
            pacer.release(now, &mut due);
        }
        if due.is_empty() {
            self.mutate(|core| {
                core.rtc
                    .handle_input(Input::Timeout(now))
                    .map_err(|_| EndReason::Failed)
            });
        } else {
            self.send(now, &due);
        }
        due.clear();
        self.scratch = due;
    }

    /// Hub packets to forward, headers rewritten for this viewer. With pacing on, video waits
    /// in the pacer until it is due (see [`super::pacer`]); audio goes at once.
    pub(crate) fn forward(&mut self, now: Instant, packets: &[Arc<MediaPacket>]) {
        if packets.is_empty() {
            return;
        }
        self.clock = self.clock.max(now);
        if self.pacer.is_none() {
            self.send(now, packets);
            return;
        }
        let mut due = std::mem::take(&mut self.scratch);
        self.pace(now, packets, &mut due);
        self.send(now, &due);
        due.clear();
        self.scratch = due;
    }

    /// Queues the video of `packets` in the pacer and moves the audio, then the video that is
    /// due, to `due`.
    fn pace(
        &mut self,
        now: Instant,
        packets: &[Arc<MediaPacket>],
        due: &mut Vec<Arc<MediaPacket>>,
    ) {
        let Some(pacer) = self.pacer.as_mut() else {
            return;
        };
        for p in packets {
            let bytes = p.payload.len() + WIRE_OVERHEAD;
            // Timed by ingest: a joining viewer's cached GOP counts at the stream's own rate.
            pacer.record(p.received_at.min(now), bytes);
            if p.kind == MediaKind::Audio || self.video.is_none() {
                due.push(Arc::clone(p));
                continue;
            }
            if self.video_until_keyframe && !p.keyframe_start {
                continue;
            }
            self.video_until_keyframe = false;
            if let Pushed::Overflow(dropped) = pacer.push(now, Arc::clone(p), bytes) {
                // Like a hub queue overflow: the viewer resumes at a keyframe, without a
                // sequence gap (nothing dropped was rewritten yet).
                self.metrics.queue_drops.increment(dropped as u64);
                self.node
                    .pace_drops
                    .fetch_add(dropped as u64, std::sync::atomic::Ordering::Relaxed);
                if let Some(v) = self.video.as_mut() {
                    v.rewriter.discontinuity();
                }
                if p.keyframe_start {
                    pacer.push(now, Arc::clone(p), bytes);
                } else {
                    self.video_until_keyframe = true;
                }
            }
        }
        pacer.release(now, due);
    }

    /// Hands `packets` to str0m and sends them now.
    fn send(&mut self, now: Instant, packets: &[Arc<MediaPacket>]) {
        if packets.is_empty() {
            return;
        }
        self.mutate(|core| {
            // `write_rtp` only queues the packet (stamped "not yet"), so the whole batch is
            // queued first and drained once: one `poll_output` pass per batch instead of one per
            // packet (each pass recomputes every str0m timer).
            core.write_batch(packets, now);
            // Timestamp the queued packets so str0m releases them now.
            core.rtc
                .handle_input(Input::Timeout(now))
                .map_err(|_| EndReason::Failed)
        });
        self.sample_delays(packets, now);
    }

    /// The hub queue feeding the viewer (its driver's, for the stream) overflowed and `skipped`
    /// packets were dropped; it resumes at the next keyframe, and its outgoing headers continue
    /// without a gap.
    pub(crate) fn resync(&mut self, skipped: u64) {
        // What the pacer holds comes before the gap: dropped too, so the headers stay gapless.
        let held = self.pacer.as_mut().map_or(0, Pacer::clear) as u64;
        self.video_until_keyframe = false;
        self.metrics.queue_drops.increment(skipped + held);
        self.discontinuity();
    }

    /// The driver subscribed to the hub at `now` as asked by [`Action::Subscribe`];
    /// `has_keyframe` says whether the subscription starts with a cached keyframe.
    ///
    /// With pacing on, what the pacer still holds is dropped (the subscription starts over at a
    /// keyframe), and a first subscription with a keyframe gets the first keyframe's allowance.
    pub(crate) fn subscribed(&mut self, now: Instant, join: bool, has_keyframe: bool) {
        self.subscribed_at = now;
        self.discontinuity();
        self.video_until_keyframe = false;
        if let Some(pacer) = self.pacer.as_mut() {
            pacer.clear();
            if join && has_keyframe {
                pacer.grant(now, self.first_burst_bytes);
            }
        }
        if has_keyframe {
            if join {
                self.metrics.replays_join.increment(1);
            } else {
                self.metrics.replays_pli.increment(1);
            }
        }
    }

    /// Ends the session for `reason` (or for the reason it already ended for) and returns it.
    /// When the server ends it, the viewer is told (DTLS close, RTCP BYE) through the outbox.
    /// Call once, last.
    pub(crate) fn finish(&mut self, now: Instant, reason: EndReason) -> EndReason {
        let reason = *self.ended.get_or_insert(reason);
        if self.finished {
            return reason;
        }
        self.finished = true;
        if reason.tells_viewer() {
            // Best effort: a failure here changes nothing for the viewer.
            let _ = catch_unwind(AssertUnwindSafe(|| {
                if self.rtc.close().is_ok() {
                    let _ = self.drain();
                    let _ = self.rtc.handle_input(Input::Timeout(now));
                    let _ = self.drain();
                }
            }));
        }
        if self.connected {
            self.metrics.viewers.decrement(1.0);
        }
        reason
    }

    /// One mutation of the Rtc and the complete drain after it, shielded from panics. Sets
    /// `ended` when the session must end.
    fn mutate(&mut self, f: impl FnOnce(&mut Self) -> Result<(), EndReason>) {
        if self.ended.is_some() {
            return;
        }
        let result = catch_unwind(AssertUnwindSafe(|| {
            f(self)?;
            self.drain()
        }));
        match result {
            Ok(Ok(t)) => self.rtc_timeout = t,
            Ok(Err(reason)) => self.ended = Some(reason),
            Err(_) => {
                tracing::error!("str0m panicked; ending this viewer session only");
                self.ended = Some(EndReason::Failed);
            }
        }
    }

    fn discontinuity(&mut self) {
        for t in [self.video.as_mut(), self.audio.as_mut()]
            .into_iter()
            .flatten()
        {
            t.rewriter.discontinuity();
        }
    }

    /// Records the ingest-to-egress delay of every 8th live packet (replays excluded).
    fn sample_delays(&mut self, packets: &[Arc<MediaPacket>], sent: Instant) {
        for p in packets {
            self.forwarded += 1;
            if self.forwarded % 8 == 0 && p.received_at >= self.subscribed_at {
                self.node
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
                MediaKind::Video => self.video.as_mut(),
                MediaKind::Audio => self.audio.as_mut(),
            };
            let Some(track) = track else { continue };
            let mut api = self.rtc.direct_api();
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
            self.metrics.packets.increment(count);
            self.metrics.bytes.increment(bytes);
        }
    }

    /// Drains `poll_output` until `Timeout`: queues datagrams, handles events.
    fn drain(&mut self) -> Result<Instant, EndReason> {
        loop {
            let out = self.rtc.poll_output().map_err(|_| EndReason::Failed)?;
            match out {
                Output::Timeout(t) => {
                    if !self.rtc.is_alive() {
                        return Err(EndReason::Closed);
                    }
                    return Ok(t);
                }
                Output::Transmit(t) => self.outbox.push((t.destination, t.contents.into())),
                Output::Event(e) => self.on_event(e)?,
            }
        }
    }

    fn on_event(&mut self, e: Event) -> Result<(), EndReason> {
        match e {
            Event::Connected => {
                self.connected = true;
                self.metrics.viewers.increment(1.0);
                self.configure_streams();
                self.actions.push_back(Action::Connected);
                self.actions.push_back(Action::Subscribe { join: true });
            }
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                return Err(EndReason::IceDisconnected);
            }
            Event::Closed => return Err(EndReason::Closed),
            Event::KeyframeRequest(KeyframeRequest { mid, .. })
                if self.video.as_ref().is_some_and(|v| v.mid == mid) =>
            {
                self.replay_keyframe();
            }
            Event::MediaEgressStats(s) if self.video.as_ref().is_some_and(|v| v.mid == s.mid) => {
                let new = s.nacks.saturating_sub(self.nacks_seen);
                self.nacks_seen = s.nacks;
                self.metrics.nacks.increment(new);
            }
            _ => {}
        }
        Ok(())
    }

    /// Bounds each viewer's retransmission cache (its memory is per viewer).
    fn configure_streams(&mut self) {
        let n = self.nack_cache_packets.max(16);
        let mut api = self.rtc.direct_api();
        if let Some(v) = &self.video {
            if let Some(tx) = api.stream_tx(&v.ssrc) {
                tx.set_rtx_cache(n, Duration::from_millis(1500), Some(0.15));
            }
        }
        if let Some(a) = &self.audio {
            if let Some(tx) = api.stream_tx(&a.ssrc) {
                tx.set_rtx_cache(16, Duration::from_millis(500), Some(0.15));
            }
        }
    }

    /// Answers a PLI/FIR: the viewer gets the cached keyframe again at once through a fresh
    /// subscription, and the hub passes the request on to a publisher that can make a new
    /// keyframe (WHIP; FTL and RTMP encoders cannot be asked). Rate-limited per viewer, timed
    /// by the input that carried the request.
    fn replay_keyframe(&mut self) {
        if !self.connected {
            return;
        }
        let now = self.clock;
        if self
            .last_replay
            .is_some_and(|t| now.saturating_duration_since(t) < self.replay_interval)
        {
            return;
        }
        self.last_replay = Some(now);
        self.actions.push_back(Action::RequestKeyframe);
        self.actions.push_back(Action::Subscribe { join: false });
    }
}
