//! The stream's policy in virtual time: an encoder script drives the machine through minutes of
//! a stream without a socket or a clock, and every ending is checked at the instant it happens.

use super::*;
use crate::config::FtlConfig;
use crate::control::compute_hmac;
use shimmer_media::rtp::{RtpHeader, RtpPacket};

const SECRET: &str = "0123456789abcdef";
const NONCE: [u8; NONCE_LEN] = [7; NONCE_LEN];
const VIDEO_SSRC: u32 = 43;
const VIDEO_PT: u8 = 96;

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn client() -> SocketAddr {
    "192.0.2.1:40000".parse().unwrap()
}

fn config() -> StreamConfig {
    FtlConfig::default().stream_config(8084)
}

/// An encoder and the platform around one machine, in virtual time.
struct Script {
    m: StreamMachine,
    /// When the connection was accepted.
    t0: Instant,
    now: Instant,
    /// When the platform started the stream.
    started: Option<Instant>,
    seq: u16,
    /// Bytes of each media packet; one goes out every `media_every`.
    media_bytes: usize,
    media_every: Option<Duration>,
    next_media: Option<Instant>,
    last_media: Option<Instant>,
    ping_every: Option<Duration>,
    next_ping: Option<Instant>,
    /// Answer reports at once (else the test answers them).
    answer_reports: bool,
    replies: Vec<String>,
    calls: Vec<Output>,
    /// Reports, with their time since the stream started.
    reports: Vec<(Duration, StreamStats)>,
    samples: Vec<(Duration, Sample)>,
    published: usize,
    transmitted: Vec<(SocketAddr, Bytes)>,
    /// The close, with its time since the stream started (or since accept, if it never did).
    closed: Option<(Duration, Close)>,
}

impl Script {
    fn connect(config: StreamConfig) -> Self {
        let t0 = Instant::now();
        Self {
            m: StreamMachine::new(config, NONCE, t0),
            t0,
            now: t0,
            started: None,
            seq: 0,
            media_bytes: 1250,
            media_every: Some(Duration::from_millis(20)),
            next_media: None,
            last_media: None,
            ping_every: Some(secs(5)),
            next_ping: None,
            answer_reports: true,
            replies: Vec::new(),
            calls: Vec::new(),
            reports: Vec::new(),
            samples: Vec::new(),
            published: 0,
            transmitted: Vec::new(),
            closed: None,
        }
    }

    /// A stream that passed the handshake and was started by the platform.
    fn streaming(config: StreamConfig) -> Self {
        let mut s = Self::connect(config);
        s.send("HMAC");
        s.send(&format!(
            "CONNECT 42 ${}",
            hex::encode(compute_hmac(SECRET.as_bytes(), &NONCE))
        ));
        s.m.on_secret(Ok(Some(SECRET)), s.now);
        s.drain();
        for line in [
            "ProtocolVersion: 0.9",
            "VendorName: script",
            "Video: true",
            "VideoCodec: H264",
            "VideoPayloadType: 96",
            "VideoIngestSSRC: 43",
            ".",
        ] {
            s.send(line);
        }
        s.start(StartOutcome::Started);
        assert_eq!(s.replies.last().unwrap(), "200 hi. Use UDP port 8084");
        assert!(s.m.is_streaming());
        s
    }

    fn start(&mut self, outcome: StartOutcome) {
        if outcome == StartOutcome::Started {
            self.started = Some(self.now);
            self.next_media = self.media_every.map(|_| self.now);
            self.next_ping = self.ping_every.map(|every| self.now + every);
        }
        self.m.on_start(outcome, self.now);
        self.drain();
    }

    fn send(&mut self, line: &str) {
        self.m
            .handle_control_bytes(format!("{line}\r\n").as_bytes(), self.now);
        self.drain();
    }

    fn since_start(&self) -> Duration {
        self.now - self.started.unwrap_or(self.t0)
    }

    fn drain(&mut self) {
        while let Some(out) = self.m.poll_output() {
            assert!(self.closed.is_none(), "output after close: {out:?}");
            match out {
                Output::Reply(line) => self.replies.push(line),
                Output::LookupSecret { .. } | Output::StartStream { .. } => self.calls.push(out),
                Output::Transmit { to, data } => self.transmitted.push((to, data)),
                Output::Publish(_) => self.published += 1,
                Output::Sample(sample) => self.samples.push((self.since_start(), sample)),
                Output::ReportMetadata(stats) => {
                    self.reports.push((self.since_start(), stats));
                    if self.answer_reports {
                        self.m.on_report_done(Ok(()));
                    }
                }
                Output::Close(close) => self.closed = Some((self.since_start(), close)),
            }
        }
    }

    fn media(&mut self) {
        let packet = RtpPacket {
            header: RtpHeader::new(
                VIDEO_PT,
                self.seq,
                u32::from(self.seq) * 3000,
                VIDEO_SSRC,
                true,
            ),
            payload: Bytes::from(vec![0x41; self.media_bytes.saturating_sub(12)]),
        };
        self.seq = self.seq.wrapping_add(1);
        self.m
            .handle_datagram(client(), packet.to_bytes(), self.now);
        self.last_media = Some(self.now);
    }

    /// Runs the encoder and the machine's deadlines until `at` after the stream started (or
    /// after accept), or until the connection closes.
    fn run_until(&mut self, at: Duration) {
        let end = self.started.unwrap_or(self.t0) + at;
        while self.closed.is_none() {
            let next = [self.m.poll_timeout(), self.next_media, self.next_ping]
                .into_iter()
                .flatten()
                .min();
            let Some(t) = next.filter(|t| *t <= end) else {
                break;
            };
            self.now = t;
            if self.m.poll_timeout().is_some_and(|d| d <= t) {
                self.m.handle_timeout(t);
                self.drain();
            }
            if self.closed.is_some() {
                break;
            }
            if self.next_media == Some(t) {
                self.media();
                self.next_media = self.media_every.map(|every| t + every);
            }
            if self.next_ping == Some(t) {
                self.send("PING 42");
                self.next_ping = self.ping_every.map(|every| t + every);
            }
            self.drain();
        }
        if self.closed.is_none() {
            self.now = end;
        }
    }

    fn stop_media(&mut self) {
        self.media_every = None;
        self.next_media = None;
    }

    fn close(&self) -> Close {
        self.closed.expect("connection closed").1
    }

    fn closed_at(&self) -> Duration {
        self.closed.expect("connection closed").0
    }
}

#[test]
fn handshake_lines_wait_for_each_platform_answer() {
    let mut s = Script::connect(config());
    let connect = format!(
        "CONNECT 42 ${}",
        hex::encode(compute_hmac(SECRET.as_bytes(), &NONCE))
    );
    // An encoder that sends its whole handshake in one write.
    let burst = format!(
        "HMAC\r\n\r\n{connect}\r\n\r\nVideo: true\r\nVideoCodec: H264\r\nVideoPayloadType: 96\r\nVideoIngestSSRC: 43\r\n.\r\n\r\nPING 42\r\n"
    );
    s.m.handle_control_bytes(burst.as_bytes(), s.now);
    s.drain();
    assert_eq!(s.replies, vec![format!("200 {}", hex::encode(NONCE))]);
    assert_eq!(s.calls, vec![Output::LookupSecret { channel_id: 42 }]);
    s.m.on_secret(Ok(Some(SECRET)), s.now);
    s.drain();
    assert_eq!(s.replies[1], "200");
    let Some(Output::StartStream {
        channel_id: 42,
        announce,
    }) = s.calls.get(1)
    else {
        panic!("no start: {:?}", s.calls)
    };
    assert_eq!(announce.video.as_ref().map(|v| v.ssrc), Some(43));
    assert_eq!(s.replies.len(), 2, "the PING waits for the start");
    s.start(StartOutcome::Started);
    assert_eq!(s.replies[2..], ["200 hi. Use UDP port 8084", "201"]);
    assert!(s.closed.is_none());
}

#[test]
fn refusals_before_the_stream_starts_close_with_their_code_and_end_nothing() {
    let refused = |outcome: StartOutcome| {
        let mut s = Script::connect(config());
        s.send("HMAC");
        s.send(&format!(
            "CONNECT 42 ${}",
            hex::encode(compute_hmac(SECRET.as_bytes(), &NONCE))
        ));
        s.m.on_secret(Ok(Some(SECRET)), s.now);
        s.send("Audio: true");
        s.send("AudioCodec: OPUS");
        s.send("AudioPayloadType: 97");
        s.send("AudioIngestSSRC: 42");
        s.send(".");
        s.start(outcome);
        let close = s.close();
        assert_eq!(close.end, None);
        close.reply.map(ReplyCode::as_u16)
    };
    assert_eq!(
        refused(StartOutcome::Collision(SsrcCollision::Video)),
        Some(404)
    );
    assert_eq!(
        refused(StartOutcome::Collision(SsrcCollision::Audio)),
        Some(403)
    );
    let no = |why: &str| why.to_string();
    assert_eq!(
        refused(StartOutcome::Refused(StartError::NotAuthorized(no("x")))),
        Some(401)
    );
    assert_eq!(
        refused(StartOutcome::Refused(StartError::Blocked(no("x")))),
        Some(409)
    );
    assert_eq!(
        refused(StartOutcome::Refused(StartError::Internal(no("x")))),
        Some(500)
    );
    assert_eq!(refused(StartOutcome::TimedOut), Some(500));

    let lookup = |answer: Result<Option<&str>, CallFailed>| {
        let mut s = Script::connect(config());
        s.send("HMAC");
        s.send(&format!("CONNECT 7 ${}", "ab".repeat(64)));
        s.m.on_secret(answer, s.now);
        s.drain();
        s.close().reply.map(ReplyCode::as_u16)
    };
    assert_eq!(lookup(Ok(None)), Some(405), "unknown channel");
    assert_eq!(lookup(Ok(Some(SECRET))), Some(405), "wrong key");
    assert_eq!(lookup(Err(CallFailed::Error)), Some(500));
    assert_eq!(lookup(Err(CallFailed::TimedOut)), Some(500));
}

#[test]
fn a_silent_connection_is_closed_410_at_the_handshake_deadline() {
    let mut s = Script::connect(config());
    s.run_until(secs(60));
    assert_eq!(s.closed_at(), secs(5));
    assert_eq!(
        s.close(),
        Close {
            reply: Some(ReplyCode::ServerTerminated),
            reason: "handshake timeout",
            end: None,
        }
    );
}

#[test]
fn no_media_after_the_handshake_ends_the_stream_408_after_ten_seconds() {
    let mut s = Script::streaming(config());
    s.stop_media();
    s.run_until(secs(120));
    assert_eq!(s.closed_at(), secs(10));
    let close = s.close();
    assert_eq!(close.reply, Some(ReplyCode::NoMediaTimeout));
    assert_eq!(close.end, Some(StreamEndReason::Timeout));
}

#[test]
fn media_silent_for_ten_seconds_ends_the_stream_408_then_and_not_before() {
    let mut s = Script::streaming(config());
    s.run_until(secs(180));
    assert!(s.closed.is_none(), "three minutes of media and pings");
    assert_eq!(s.published, 180 * 50 + 1);
    s.stop_media();
    let last = s.last_media.unwrap() - s.started.unwrap();
    s.run_until(secs(600));
    assert_eq!(s.closed_at(), last + secs(10));
    let close = s.close();
    assert_eq!(close.reply, Some(ReplyCode::NoMediaTimeout));
    assert_eq!(close.end, Some(StreamEndReason::Timeout));
}

#[test]
fn thirty_seconds_without_a_ping_ends_the_stream_410() {
    let mut s = Script::streaming(config());
    s.run_until(secs(62));
    assert!(s.closed.is_none());
    s.ping_every = None;
    s.next_ping = None;
    // The last PING went out at 60 s.
    s.run_until(secs(600));
    assert_eq!(s.closed_at(), secs(90));
    let close = s.close();
    assert_eq!(close.reply, Some(ReplyCode::ServerTerminated));
    assert_eq!(close.end, Some(StreamEndReason::Timeout));
}

#[test]
fn the_bitrate_cap_ends_a_stream_only_once_its_window_is_full() {
    let config = StreamConfig {
        max_bitrate_bps: 1_000_000,
        ..config()
    };
    let mut s = Script::streaming(config);
    // 1250-byte packets every 20 ms: 500 kbit/s.
    s.run_until(secs(300));
    assert!(s.closed.is_none(), "five minutes under the cap");
    // Now 2 Mbit/s: the 30 s window must fill with the faster rate before it counts.
    s.media_bytes = 5000;
    s.run_until(secs(600));
    let close = s.close();
    assert_eq!(close.reply, Some(ReplyCode::ServerTerminated));
    assert_eq!(close.end, Some(StreamEndReason::BitrateExceeded));
    let (at, last) = *s.samples.last().unwrap();
    assert_eq!(at, s.closed_at(), "the cap is checked on a sample");
    assert!(last.bitrate_bps > 1_000_000, "{last:?}");
    // The window's average reaches the cap after 10 s of the faster rate (20 s at 0.5 plus 10 s
    // at 2 Mbit/s), passes it just after, and the next sample ends the stream.
    assert_eq!(s.closed_at(), secs(311));
}

#[test]
fn over_the_cap_from_the_first_packet_ends_when_the_window_first_fills() {
    let config = StreamConfig {
        max_bitrate_bps: 1_000_000,
        ..config()
    };
    let mut s = Script::streaming(config);
    s.media_bytes = 5000;
    s.run_until(secs(600));
    let over: Vec<_> = s
        .samples
        .iter()
        .filter(|(_, x)| x.bitrate_bps > 1_000_000)
        .map(|(at, _)| *at)
        .collect();
    assert_eq!(over.first(), Some(&secs(1)), "over the cap from the start");
    assert_eq!(
        s.closed_at(),
        secs(30),
        "but not ended before the window is full"
    );
    assert_eq!(s.close().end, Some(StreamEndReason::BitrateExceeded));
}

#[test]
fn metadata_is_reported_every_interval() {
    let mut s = Script::streaming(config());
    s.run_until(secs(300));
    let at: Vec<Duration> = s.reports.iter().map(|(at, _)| *at).collect();
    assert_eq!(at, (1..=30).map(|i| secs(10 * i)).collect::<Vec<_>>());
    let (_, last) = s.reports.last().unwrap();
    assert_eq!(last.stream_time_seconds, 300);
    assert_eq!(last.vendor_name.as_deref(), Some("script"));
    // The packet sent at the report's instant comes after it.
    assert_eq!(last.recv_packets, 300 * 50);
    assert!(
        (490_000..=510_000).contains(&last.source_bitrate),
        "{}",
        last.source_bitrate
    );
    assert_eq!(s.samples.len(), 300, "one sample a second");
}

#[test]
fn at_most_one_report_is_in_flight() {
    let mut s = Script::streaming(config());
    s.answer_reports = false;
    s.run_until(secs(120));
    assert_eq!(s.reports.len(), 1, "the first report never came back");
    assert_eq!(s.reports[0].0, secs(10));
    // A failed report is only logged; the next one goes out at the next sample.
    s.m.on_report_done(Err(ControlError::Failed("database down".into())));
    s.answer_reports = true;
    s.run_until(secs(150));
    let at: Vec<Duration> = s.reports.iter().map(|(at, _)| *at).collect();
    assert_eq!(at, vec![secs(10), secs(121), secs(131), secs(141)]);
    assert!(s.closed.is_none());
}

#[test]
fn the_platform_ending_the_stream_ends_it_410_as_an_error() {
    let mut s = Script::streaming(config());
    s.answer_reports = false;
    s.run_until(secs(15));
    s.m.on_report_done(Err(ControlError::StreamEnded));
    s.drain();
    assert_eq!(
        s.close(),
        Close {
            reply: Some(ReplyCode::ServerTerminated),
            reason: "ended by the platform",
            end: Some(StreamEndReason::Error),
        }
    );
}

#[test]
fn a_replaced_stream_ends_410_as_replaced() {
    let mut s = Script::streaming(config());
    s.run_until(secs(240));
    s.m.on_replaced();
    s.drain();
    assert_eq!(s.closed_at(), secs(240));
    assert_eq!(
        s.close(),
        Close {
            reply: Some(ReplyCode::ServerTerminated),
            reason: "replaced by a new connection",
            end: Some(StreamEndReason::Replaced),
        }
    );
    // Nothing happens after the close.
    s.m.on_shutdown();
    s.m.handle_timeout(s.now + secs(60));
    assert_eq!(s.m.poll_timeout(), None);
    s.drain();
}

#[test]
fn shutdown_ends_a_stream_and_refuses_a_handshake_with_410() {
    let mut s = Script::streaming(config());
    s.run_until(secs(3));
    s.m.on_shutdown();
    s.drain();
    assert_eq!(s.close().reply, Some(ReplyCode::ServerTerminated));
    assert_eq!(s.close().end, Some(StreamEndReason::Shutdown));

    let mut h = Script::connect(config());
    h.send("HMAC");
    h.m.on_shutdown();
    h.drain();
    assert_eq!(h.close().reply, Some(ReplyCode::ServerTerminated));
    assert_eq!(h.close().end, None);
}

#[test]
fn the_client_leaving_ends_the_stream_as_a_disconnect() {
    let leave = |how: &dyn Fn(&mut Script)| {
        let mut s = Script::streaming(config());
        s.run_until(secs(2));
        how(&mut s);
        s.drain();
        s.close()
    };
    let disconnect = leave(&|s| s.send("DISCONNECT"));
    assert_eq!(disconnect.reply, None);
    assert_eq!(disconnect.end, Some(StreamEndReason::Disconnect));
    assert_eq!(
        leave(&|s| s.m.on_control_closed()).end,
        Some(StreamEndReason::Disconnect)
    );
    assert_eq!(
        leave(&|s| s.m.on_write_failed()).end,
        Some(StreamEndReason::Disconnect)
    );
    let oversized = leave(&|s| s.m.handle_control_bytes(&[b'A'; 5000], s.now));
    assert_eq!(oversized.reply, Some(ReplyCode::BadRequest));
    assert_eq!(oversized.end, Some(StreamEndReason::Error));
}

#[test]
fn pings_are_echoed_and_losses_nacked_to_the_latest_client_address() {
    let mut s = Script::streaming(config());
    s.run_until(secs(1));
    let moved: SocketAddr = "192.0.2.1:40002".parse().unwrap();
    let ping = Bytes::from_static(&[0x81, 250, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8]);
    s.m.handle_datagram(moved, ping.clone(), s.now);
    s.drain();
    assert_eq!(s.transmitted, vec![(moved, ping)]);
    // Two packets lost: the NACK goes back to the address media comes from.
    s.seq += 2;
    s.run_until(secs(3));
    let nacks: Vec<_> = s.transmitted[1..].iter().collect();
    assert!(!nacks.is_empty(), "no NACK");
    assert!(
        nacks.iter().all(|(to, d)| *to == client() && d[1] == 205),
        "{nacks:?}"
    );
    assert_eq!(s.m.recovery_stats().lost, 2);
}
