//! The viewer core against a str0m peer playing the browser, in virtual time: no sockets, no
//! clock, so a session's minutes run in milliseconds.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use shimmer_media::rtp::RtpHeader;
use shimmer_media::{MediaKind, MediaPacket};
use str0m::format::Codec;
use str0m::ice::StunMessage;
use str0m::media::{Direction, Frequency, KeyframeRequestKind, MediaKind as Kind};
use str0m::net::{Protocol, Receive};
use str0m::rtp::Ssrc;
use str0m::{Candidate, Event, Input, Output, Rtc, RtcConfig};

use super::machine::{Action, CoreParts, ViewerCore};
use super::pacer::PaceSettings;
use super::EndReason;
use crate::engine::negotiate;
use crate::metrics::{ChannelMetrics, NodeCounters};
use crate::offer::validate_offer;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REPLAY_INTERVAL: Duration = Duration::from_secs(1);
/// Constrained Baseline 3.1, a profile every browser answers.
const PROFILE: u32 = 0x42e01f;

/// The viewer core on one side, a str0m "browser" on the other, and the time they share.
struct Pair {
    core: ViewerCore,
    browser: Rtc,
    browser_timeout: Instant,
    now: Instant,
    created: Instant,
    server: SocketAddr,
    viewer: SocketAddr,
    /// Whether the browser's datagrams reach the core (false: the viewer vanished).
    link_up: bool,
    /// Holds back the browser's nominating checks, like Chromium, which nominates only on
    /// the check after the first answered one.
    hold_nominations: bool,
    /// Nominating checks that reached the core.
    nominations_delivered: usize,
    received: Vec<(Kind, u16, Vec<u8>)>,
    /// When each of `received` arrived.
    arrived: Vec<Instant>,
    /// The SSRC the browser receives video on.
    video_ssrc: Option<Ssrc>,
    actions: Vec<Action>,
}

/// No pacing: everything leaves as it comes.
const UNPACED: PaceSettings = PaceSettings {
    multiplier: 0.0,
    burst: Duration::from_millis(5),
    first_burst_bytes: 0,
    max_packets: 1024,
};

impl Pair {
    fn new() -> Self {
        Self::with_pacing(UNPACED)
    }

    fn with_pacing(pacing: PaceSettings) -> Self {
        Self::build(pacing, false)
    }

    fn build(pacing: PaceSettings, hold_nominations: bool) -> Self {
        let now = Instant::now();
        let server: SocketAddr = "192.0.2.1:8189".parse().unwrap();
        let viewer: SocketAddr = "198.51.100.7:50000".parse().unwrap();
        let mut cfg = RtcConfig::new().set_rtp_mode(true).clear_codecs();
        let codecs = cfg.codec_config();
        codecs.add_h264(96.into(), Some(97.into()), true, PROFILE);
        codecs.add_config(
            111.into(),
            None,
            Codec::Opus,
            Frequency::FORTY_EIGHT_KHZ,
            Some(2),
            Default::default(),
        );
        let mut browser = cfg.build(now);
        browser.add_local_candidate(Candidate::host(viewer, "udp").unwrap());
        let mut api = browser.sdp_api();
        api.add_media(Kind::Video, Direction::RecvOnly, None, None, None);
        api.add_media(Kind::Audio, Direction::RecvOnly, None, None, None);
        let (offer, pending) = api.apply().unwrap();
        let offer = validate_offer(offer.to_sdp_string().as_bytes()).unwrap();
        let negotiated = negotiate(None, &[server], offer, PROFILE).unwrap();
        let answer = str0m::change::SdpAnswer::from_sdp_string(&negotiated.answer).unwrap();
        browser.sdp_api().accept_answer(pending, answer).unwrap();
        let core = ViewerCore::new(
            CoreParts {
                rtc: negotiated.rtc,
                video: negotiated.video,
                audio: negotiated.audio,
                local_addr: server,
                connect_timeout: CONNECT_TIMEOUT,
                replay_interval: REPLAY_INTERVAL,
                nack_cache_packets: 64,
                pacing,
                metrics: ChannelMetrics::new(1),
                node: Arc::new(NodeCounters::default()),
            },
            now,
        );
        let mut pair = Self {
            core,
            browser,
            browser_timeout: now,
            now,
            created: now,
            server,
            viewer,
            link_up: true,
            hold_nominations,
            nominations_delivered: 0,
            received: Vec::new(),
            arrived: Vec::new(),
            video_ssrc: None,
            actions: Vec::new(),
        };
        pair.exchange();
        pair
    }

    /// Delivers datagrams both ways until both sides are quiet at the current time.
    fn exchange(&mut self) {
        loop {
            let mut to_browser = Vec::new();
            self.core.take_transmits(&mut to_browser);
            while let Some(a) = self.core.poll_action() {
                if let Action::Subscribe { join } = a {
                    self.core.subscribed(self.now, join, true);
                }
                self.actions.push(a);
            }
            for (to, data) in &to_browser {
                assert_eq!(*to, self.viewer);
                self.deliver_to_browser(data);
                self.drain_browser();
            }
            let to_core = self.drain_browser();
            if to_browser.is_empty() && to_core == 0 {
                return;
            }
        }
    }

    /// One datagram from the core to the browser, at the current time.
    fn deliver_to_browser(&mut self, data: &[u8]) {
        let input = Input::Receive(
            self.now,
            Receive {
                proto: Protocol::Udp,
                source: self.server,
                destination: self.viewer,
                contents: data.try_into().unwrap(),
            },
        );
        self.browser.handle_input(input).unwrap();
    }

    /// Polls the browser until its next timeout; returns how many datagrams reached the core.
    fn drain_browser(&mut self) -> usize {
        let mut sent = 0;
        loop {
            match self.browser.poll_output().unwrap() {
                Output::Timeout(t) => {
                    self.browser_timeout = t;
                    return sent;
                }
                Output::Transmit(t) => {
                    let nominating = StunMessage::parse(&t.contents)
                        .is_ok_and(|m| m.is_binding_request() && m.use_candidate());
                    if nominating && self.hold_nominations {
                        continue;
                    }
                    if self.link_up {
                        self.nominations_delivered += usize::from(nominating);
                        self.core.handle_datagram(self.now, t.source, &t.contents);
                        sent += 1;
                    }
                }
                Output::Event(Event::RtpPacket(p)) => {
                    let kind = if p.header.payload_type == 111.into() {
                        Kind::Audio
                    } else {
                        self.video_ssrc = Some(p.header.ssrc);
                        Kind::Video
                    };
                    self.received
                        .push((kind, p.header.sequence_number, p.payload.to_vec()));
                    self.arrived.push(self.now);
                }
                Output::Event(_) => {}
            }
        }
    }

    /// Advances virtual time to the next deadline of either side (at most `max_step` ahead).
    fn tick(&mut self, max_step: Duration) {
        let next = self
            .core
            .timeout()
            .min(self.browser_timeout)
            .min(self.now + max_step)
            .max(self.now);
        self.now = next;
        self.core.handle_timeout(self.now);
        self.browser.handle_input(Input::Timeout(self.now)).unwrap();
        self.drain_browser();
        self.exchange();
    }

    /// Runs until `done` holds or `limit` of virtual time passed; returns the time it took.
    fn run_until(&mut self, limit: Duration, mut done: impl FnMut(&Self) -> bool) -> Duration {
        let start = self.now;
        while !done(self) {
            assert!(
                self.now - start <= limit,
                "not done after {limit:?}: ended {:?}",
                self.core.ended()
            );
            self.tick(Duration::from_millis(50));
        }
        self.now - start
    }

    fn connect(&mut self) -> Duration {
        self.run_until(Duration::from_secs(5), |p| p.core.is_connected())
    }

    /// Forwards hub packets with sequence numbers `seqs` (one per video frame, 33 ms apart).
    fn forward_video(&mut self, seqs: impl IntoIterator<Item = u16>) {
        for seq in seqs {
            let header = RtpHeader::new(96, seq, u32::from(seq) * 3000, 1234, true);
            let payload = Bytes::from(vec![0x41, 0x9a, seq as u8, (seq >> 8) as u8]);
            let packet = MediaPacket::new(MediaKind::Video, &header, payload, self.now);
            self.core.forward(self.now, &[Arc::new(packet)]);
            self.exchange();
            self.tick(Duration::from_millis(33));
        }
    }

    fn video_seqs(&self) -> Vec<u16> {
        self.received
            .iter()
            .filter(|(k, _, _)| *k == Kind::Video)
            .map(|(_, s, _)| *s)
            .collect()
    }

    /// The browser asks for a keyframe on the video it receives.
    fn send_pli(&mut self) {
        let ssrc = self.video_ssrc.expect("receiving video");
        self.browser
            .direct_api()
            .stream_rx(&ssrc)
            .unwrap()
            .request_keyframe(KeyframeRequestKind::Pli);
        self.browser.handle_input(Input::Timeout(self.now)).unwrap();
        self.drain_browser();
        self.exchange();
    }
}

#[test]
fn connects_joins_and_forwards_with_headers_rewritten() {
    let mut pair = Pair::new();
    let took = pair.connect();
    assert!(took < Duration::from_secs(1), "connected after {took:?}");
    assert_eq!(
        pair.actions,
        vec![Action::Connected, Action::Subscribe { join: true }]
    );
    pair.forward_video(1000..1030);
    let seqs = pair.video_seqs();
    assert_eq!(seqs.len(), 30, "every packet arrived");
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0].wrapping_add(1)),
        "contiguous: {seqs:?}"
    );
    assert!(seqs[0] < 0x8000, "the viewer's own sequence space");
    assert_ne!(seqs[0], 1000);
    let first = &pair.received.iter().find(|r| r.0 == Kind::Video).unwrap().2;
    assert_eq!(first, &vec![0x41, 0x9a, 0xe8, 0x03], "payload unchanged");
}

#[test]
fn dtls_starts_on_the_first_answered_check_without_waiting_for_a_nomination() {
    // Without the core's own nomination this viewer could never connect: every nominating
    // check is held back.
    let mut pair = Pair::build(UNPACED, true);
    let took = pair.run_until(Duration::from_millis(200), |p| p.core.is_connected());
    assert_eq!(pair.nominations_delivered, 0);
    assert!(
        took < Duration::from_millis(100),
        "connected after {took:?}"
    );
    assert!(pair.actions.contains(&Action::Connected));
}

#[test]
fn a_viewer_that_never_connects_ends_at_the_connect_deadline() {
    let mut pair = Pair::new();
    let start = pair.now;
    assert_eq!(
        pair.core.timeout(),
        start + CONNECT_TIMEOUT,
        "the driver sleeps until then"
    );
    pair.core
        .handle_timeout(start + CONNECT_TIMEOUT - Duration::from_millis(1));
    assert_eq!(pair.core.ended(), None, "not a moment early");
    pair.core.handle_timeout(start + CONNECT_TIMEOUT);
    assert_eq!(pair.core.ended(), Some(EndReason::ConnectTimeout));
    assert_eq!(
        pair.core.finish(pair.now, EndReason::Shutdown),
        EndReason::ConnectTimeout,
        "the first reason stands"
    );
    let mut told = Vec::new();
    pair.core.take_transmits(&mut told);
    assert!(
        told.is_empty(),
        "nothing is sent to a viewer that never connected"
    );
}

#[test]
fn a_viewer_that_vanishes_is_ended_by_ice_consent_within_a_minute() {
    let mut pair = Pair::new();
    pair.connect();
    pair.forward_video(0..10);
    pair.link_up = false;
    let gone = pair.now;
    pair.run_until(Duration::from_secs(60), |p| p.core.ended().is_some());
    assert_eq!(pair.core.ended(), Some(EndReason::IceDisconnected));
    let after = pair.now - gone;
    assert!(
        after >= Duration::from_secs(2),
        "not before consent had a chance: {after:?}"
    );
}

#[test]
fn a_connected_viewer_is_not_ended_by_the_connect_deadline() {
    let mut pair = Pair::new();
    pair.connect();
    pair.run_until(CONNECT_TIMEOUT * 3, |p| {
        p.now - p.created > CONNECT_TIMEOUT * 2
    });
    assert_eq!(pair.core.ended(), None);
}

#[test]
fn overflow_resync_hides_the_skip_but_real_loss_stays_visible() {
    let mut pair = Pair::new();
    pair.connect();
    pair.forward_video(0..10);
    // The hub queue overflowed: 50 packets skipped, it resumes at a later keyframe.
    pair.core.resync(50);
    pair.forward_video(60..70);
    let seqs = pair.video_seqs();
    assert_eq!(seqs.len(), 20);
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0].wrapping_add(1)),
        "no gap for the browser to NACK or wait for: {seqs:?}"
    );
    // A packet lost upstream (no resync) stays a gap, so the browser asks for a keyframe.
    pair.forward_video(71..73);
    let seqs = pair.video_seqs();
    assert_eq!(seqs[20], seqs[19].wrapping_add(2), "{seqs:?}");
}

#[test]
fn keyframe_requests_replay_at_most_once_per_interval() {
    let mut pair = Pair::new();
    pair.connect();
    pair.forward_video(0..5);
    pair.actions.clear();
    pair.send_pli();
    assert_eq!(
        pair.actions,
        vec![Action::RequestKeyframe, Action::Subscribe { join: false }]
    );
    pair.actions.clear();
    pair.forward_video(5..10);
    pair.send_pli();
    assert!(pair.actions.is_empty(), "{:?}", pair.actions);
    let later = pair.now + REPLAY_INTERVAL;
    pair.run_until(REPLAY_INTERVAL * 2, |p| p.now >= later);
    pair.send_pli();
    assert_eq!(
        pair.actions,
        vec![Action::RequestKeyframe, Action::Subscribe { join: false }]
    );
}

#[test]
fn a_session_the_server_ends_tells_the_viewer() {
    let mut pair = Pair::new();
    pair.connect();
    pair.forward_video(0..3);
    assert_eq!(
        pair.core.finish(pair.now, EndReason::StreamEnded),
        EndReason::StreamEnded
    );
    let mut told = Vec::new();
    pair.core.take_transmits(&mut told);
    assert!(
        !told.is_empty(),
        "DTLS close_notify and RTCP BYE are queued"
    );
    for (_, data) in &told {
        pair.deliver_to_browser(data);
    }
    pair.link_up = false;
    pair.drain_browser();
    assert!(
        !pair.browser.is_alive(),
        "the browser saw the session close"
    );
}

/// Pacing at 3× with a 5 ms burst.
fn paced(first_burst_bytes: usize) -> PaceSettings {
    PaceSettings {
        multiplier: 3.0,
        burst: Duration::from_millis(5),
        first_burst_bytes,
        max_packets: 1024,
    }
}

impl Pair {
    /// One media packet of `len` payload bytes.
    fn packet(&self, kind: MediaKind, seq: u16, len: usize, keyframe: bool) -> Arc<MediaPacket> {
        let pt = if kind == MediaKind::Video { 96 } else { 111 };
        let header = RtpHeader::new(pt, seq, u32::from(seq) * 3000, 1234, true);
        let mut payload = vec![0x41; len];
        payload[1] = seq as u8;
        let mut packet = MediaPacket::new(kind, &header, Bytes::from(payload), self.now);
        packet.keyframe_start = keyframe;
        Arc::new(packet)
    }

    /// A stream of 20 ms audio packets of 1,000 bytes (400 kbit/s) for `secs` seconds.
    fn audio_for(&mut self, first_seq: u16, secs: u64) -> u16 {
        let mut seq = first_seq;
        let end = self.now + Duration::from_secs(secs);
        while self.now < end {
            let p = self.packet(MediaKind::Audio, seq, 1_000, false);
            self.core.forward(self.now, &[p]);
            self.exchange();
            let next = self.now + Duration::from_millis(20);
            self.run_until(Duration::from_millis(25), |p| p.now >= next);
            seq = seq.wrapping_add(1);
        }
        seq
    }

    /// A keyframe of `n` packets of 1,100 bytes from the hub at once.
    fn keyframe(&mut self, first_seq: u16, n: u16) {
        let packets: Vec<_> = (0..n)
            .map(|i| self.packet(MediaKind::Video, first_seq + i, 1_100, i == 0))
            .collect();
        self.core.forward(self.now, &packets);
        self.exchange();
    }

    /// Arrival times of video after `from`, relative to it.
    fn video_arrivals(&self, from: Instant) -> Vec<Duration> {
        self.received
            .iter()
            .zip(&self.arrived)
            .filter(|((k, _, _), at)| *k == Kind::Video && **at >= from)
            .map(|(_, at)| *at - from)
            .collect()
    }
}

#[test]
fn paced_keyframes_are_spread_and_audio_does_not_wait() {
    let mut pair = Pair::with_pacing(paced(0));
    pair.connect();
    // Two seconds of 400 kbit/s: the pacer measures the bitrate (3× is 1.2 Mbit/s, under the
    // floor of 2 Mbit/s until the keyframe counts too).
    let seq = pair.audio_for(0, 2);
    let start = pair.now;
    pair.keyframe(100, 140);
    // Audio in the middle of the burst arrives at once.
    let audio_at = pair.received.len();
    pair.run_until(Duration::from_millis(20), |p| {
        p.now >= start + Duration::from_millis(10)
    });
    let sent = pair.now;
    let a = pair.packet(MediaKind::Audio, seq, 1_000, false);
    pair.core.forward(pair.now, &[a]);
    pair.exchange();
    let audio: Vec<_> = pair.received[audio_at..]
        .iter()
        .zip(&pair.arrived[audio_at..])
        .filter(|((k, _, _), _)| *k == Kind::Audio)
        .map(|(_, at)| *at)
        .collect();
    assert_eq!(audio, vec![sent], "audio is not delayed behind video");
    pair.run_until(Duration::from_secs(2), |p| p.video_seqs().len() == 140);
    let times = pair.video_arrivals(start);
    let last = *times.last().unwrap();
    // 140 × 1,160 bytes at 3× the measured (about 1.5 Mbit/s with the keyframe) ≈ 4.5 Mbit/s.
    assert!(
        last > Duration::from_millis(150) && last < Duration::from_millis(500),
        "keyframe spread over {last:?}"
    );
    for (i, t) in times.iter().enumerate() {
        let in_window = times[i..]
            .iter()
            .take_while(|u| **u < *t + Duration::from_millis(10))
            .count();
        assert!(in_window <= 16, "{in_window} packets within 10 ms at {t:?}");
    }
    let seqs = pair.video_seqs();
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0].wrapping_add(1)),
        "in order, no gap: {seqs:?}"
    );
}

#[test]
fn unpaced_keyframes_leave_at_once() {
    let mut pair = Pair::new();
    pair.connect();
    pair.audio_for(0, 2);
    let start = pair.now;
    pair.keyframe(100, 140);
    let times = pair.video_arrivals(start);
    assert_eq!(times.len(), 140);
    assert!(times.iter().all(|t| t.is_zero()), "{times:?}");
}

#[test]
fn a_new_viewers_first_keyframe_goes_at_once_within_its_allowance() {
    // The allowance covers the keyframe: no delay at all.
    let mut pair = Pair::with_pacing(paced(256 * 1024));
    pair.connect();
    let start = pair.now;
    pair.keyframe(100, 140);
    let times = pair.video_arrivals(start);
    assert_eq!(times.len(), 140, "all at the join");
    assert!(times.iter().all(|t| t.is_zero()));
    // The next keyframe (after the allowance lapsed) is paced.
    pair.run_until(Duration::from_secs(1), |p| {
        p.now >= start + Duration::from_millis(500)
    });
    let again = pair.now;
    pair.keyframe(300, 140);
    pair.run_until(Duration::from_secs(2), |p| p.video_seqs().len() == 280);
    let times = pair.video_arrivals(again);
    assert!(
        *times.last().unwrap() > Duration::from_millis(20),
        "{times:?}"
    );

    // A smaller allowance sends its part at once and paces the rest.
    let mut pair = Pair::with_pacing(paced(64 * 1024));
    pair.connect();
    let start = pair.now;
    pair.keyframe(100, 140);
    let at_once = pair.video_arrivals(start).len();
    assert!((56..=60).contains(&at_once), "{at_once} at once");
    pair.run_until(Duration::from_secs(2), |p| p.video_seqs().len() == 140);
}

#[test]
fn a_pacer_overflow_resumes_at_the_next_keyframe_without_a_gap() {
    let mut pair = Pair::with_pacing(PaceSettings {
        max_packets: 100,
        ..paced(0)
    });
    pair.connect();
    pair.forward_video(0..5);
    let before = pair.video_seqs().len();
    // 150 packets at once: the queue overflows and is dropped, so are the rest of this frame.
    pair.keyframe(100, 150);
    pair.run_until(Duration::from_secs(1), |p| {
        p.core.timeout() > p.now + Duration::from_millis(100)
    });
    let dropped = pair.video_seqs().len() - before;
    assert!(dropped < 20, "{dropped} sent from the overflowing burst");
    // The next keyframe is sent, continuing the sequence numbers.
    pair.keyframe(400, 10);
    pair.run_until(Duration::from_secs(1), |p| {
        p.video_seqs().len() == before + dropped + 10
    });
    let seqs = pair.video_seqs();
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0].wrapping_add(1)),
        "no gap: {seqs:?}"
    );
}
