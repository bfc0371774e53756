//! The viewer core against a str0m peer playing the browser, in virtual time: no sockets, no
//! clock, so a session's minutes run in milliseconds.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use shimmer_media::rtp::RtpHeader;
use shimmer_media::{MediaKind, MediaPacket};
use str0m::format::Codec;
use str0m::media::{Direction, Frequency, KeyframeRequestKind, MediaKind as Kind};
use str0m::net::{Protocol, Receive};
use str0m::rtp::Ssrc;
use str0m::{Candidate, Event, Input, Output, Rtc, RtcConfig};

use super::machine::{Action, CoreParts, ViewerCore};
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
    received: Vec<(Kind, u16, Vec<u8>)>,
    /// The SSRC the browser receives video on.
    video_ssrc: Option<Ssrc>,
    actions: Vec<Action>,
}

impl Pair {
    fn new() -> Self {
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
            received: Vec::new(),
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
                let input = Input::Receive(
                    self.now,
                    Receive {
                        proto: Protocol::Udp,
                        source: self.server,
                        destination: self.viewer,
                        contents: data.as_slice().try_into().unwrap(),
                    },
                );
                self.browser.handle_input(input).unwrap();
                self.drain_browser();
            }
            let to_core = self.drain_browser();
            if to_browser.is_empty() && to_core == 0 {
                return;
            }
        }
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
                    if self.link_up {
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
    // The viewer's queue overflowed: 50 packets skipped, it resumes at a later keyframe.
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
        let input = Input::Receive(
            pair.now,
            Receive {
                proto: Protocol::Udp,
                source: pair.server,
                destination: pair.viewer,
                contents: data.as_slice().try_into().unwrap(),
            },
        );
        pair.browser.handle_input(input).unwrap();
    }
    pair.link_up = false;
    pair.drain_browser();
    assert!(
        !pair.browser.is_alive(),
        "the browser saw the session close"
    );
}
