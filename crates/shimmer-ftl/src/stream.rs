//! One FTL connection and its stream, sans-IO: every decision from the accepted control
//! connection to the stream's end.
//!
//! [`StreamMachine`] joins the [`ControlMachine`] (handshake, keepalive, media deadlines) and,
//! once the platform started the stream, the [`MediaSession`], and adds the stream's policy: when
//! to sample counters and report metadata (every `metadata_interval`, at most one report in
//! flight), the bitrate cap (only once the rolling window is full), and how each ending is told
//! to the client and the platform. The driver feeds it bytes, datagrams, the platform's answers
//! and `now`, and carries out its [`Output`]s; it never reads a clock, so tests run minutes of a
//! stream in milliseconds.
//!
//! How a connection ends, as [`Close`] says it:
//!
//! | cause | reply | stream end reason |
//! | --- | --- | --- |
//! | `DISCONNECT`, the control connection closed, a reply could not be written | none | `Disconnect` |
//! | malformed or oversized line while streaming | 400 | `Error` |
//! | no media within `media_start_timeout`, media silent for `media_timeout` | 408 | `Timeout` |
//! | no `PING` for `keepalive_timeout` | 410 | `Timeout` |
//! | replaced by a newer session of the channel | 410 | `Replaced` |
//! | over the bitrate cap once the window is full | 410 | `BitrateExceeded` |
//! | the platform answers a report with "stream ended" | 410 | `Error` |
//! | server shutdown | 410 | `Shutdown` |
//!
//! Before the stream starts the same causes close the connection without a stream to end, and
//! the handshake adds its own codes (see the crate's Decisions).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use shimmer_media::recovery::RecoveryStats;
use shimmer_media::MediaPacket;

use crate::control::{ControlLimits, ControlMachine, MediaAnnounce, Step, NONCE_LEN};
use crate::ingest_control::{ControlError, StartError, StreamEndReason};
use crate::line::LineFramer;
use crate::live::SsrcCollision;
use crate::reply::ReplyCode;
use crate::session::{Handled, MediaOutput, MediaSession, MediaSessionConfig};
use crate::stats::StreamStats;

/// How often counters are sampled and the bitrate cap and report schedule are checked.
pub const SAMPLE_INTERVAL: Duration = Duration::from_secs(1);

/// The settings of one connection's machine.
#[derive(Debug, Clone)]
pub struct StreamConfig {
    /// Handshake, media and keepalive deadlines.
    pub control: ControlLimits,
    /// Loss recovery and rate windows (the bitrate cap's window is `media.rate_window`).
    pub media: MediaSessionConfig,
    /// Longest control line accepted.
    pub max_line_len: usize,
    /// The UDP port told to the client.
    pub media_port: u16,
    /// Time between metadata reports.
    pub metadata_interval: Duration,
    /// Streams above this many bits per second over a full window are ended; 0 disables the cap.
    pub max_bitrate_bps: u64,
    /// This node's name in the metadata.
    pub ingest_name: String,
}

/// A platform call that did not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallFailed {
    /// The platform returned an error.
    Error,
    /// The call missed its deadline.
    TimedOut,
}

/// How the driver's attempt to start the stream went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartOutcome {
    /// The platform started it: the driver created the hub and routes the SSRCs to this machine.
    Started,
    /// Another live stream from the same IP holds every SSRC of this one.
    Collision(SsrcCollision),
    /// The platform refused the stream.
    Refused(StartError),
    /// `start_stream` missed its deadline.
    TimedOut,
}

/// Counters sampled every [`SAMPLE_INTERVAL`] while streaming, for the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Loss recovery counters summed over tracks.
    pub recovery: RecoveryStats,
    /// Bits per second over the rolling window.
    pub bitrate_bps: u64,
    /// Smoothed round-trip time, once measured.
    pub rtt: Option<Duration>,
}

/// The end of the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Close {
    /// Send this code's line before closing.
    pub reply: Option<ReplyCode>,
    /// Why, for the log.
    pub reason: &'static str,
    /// The stream had started: end it on the platform with this reason.
    pub end: Option<StreamEndReason>,
}

/// Something the driver must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Write this line on the control connection (the driver appends `\n`); if the write fails,
    /// call [`StreamMachine::on_write_failed`].
    Reply(String),
    /// Look up the channel's stream-key secret and answer with [`StreamMachine::on_secret`].
    LookupSecret {
        /// The channel from `CONNECT`.
        channel_id: i64,
    },
    /// Admit the stream (replacement, SSRC collisions), start it on the platform, and answer
    /// with [`StreamMachine::on_start`].
    StartStream {
        /// The authenticated channel.
        channel_id: i64,
        /// The validated announcement.
        announce: MediaAnnounce,
    },
    /// Send this datagram to the client's media address (a ping echo or a NACK); drop it rather
    /// than wait if the socket is busy.
    Transmit {
        /// The client's media address (where its latest datagram came from).
        to: SocketAddr,
        /// The datagram.
        data: Bytes,
    },
    /// The next media packet in order: publish it to the channel's hub.
    Publish(MediaPacket),
    /// Counters for the metrics.
    Sample(Sample),
    /// Report these stats to the platform, off the packet path, and answer with
    /// [`StreamMachine::on_report_done`].
    ReportMetadata(StreamStats),
    /// The last output: close the connection (after the reply, if any) and end the stream if
    /// one was started.
    Close(Close),
}

/// What the machine waits for from the platform before reading further lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Awaiting {
    Nothing,
    Secret,
    Start,
}

/// The live part: exists from the platform's start to the end.
#[derive(Debug)]
struct Live {
    started: Instant,
    media: MediaSession,
    client: Option<SocketAddr>,
    next_sample: Instant,
    next_report: Instant,
    report_in_flight: bool,
}

/// One connection's state. See the module docs.
#[derive(Debug)]
pub struct StreamMachine {
    config: StreamConfig,
    control: ControlMachine,
    framer: LineFramer,
    awaiting: Awaiting,
    announce: Option<MediaAnnounce>,
    live: Option<Live>,
    closed: bool,
    out: VecDeque<Output>,
}

impl StreamMachine {
    /// A machine for a connection accepted at `now`; `nonce` must come from a CSPRNG.
    pub fn new(config: StreamConfig, nonce: [u8; NONCE_LEN], now: Instant) -> Self {
        Self {
            control: ControlMachine::new(config.control.clone(), nonce, now),
            framer: LineFramer::new(config.max_line_len),
            config,
            awaiting: Awaiting::Nothing,
            announce: None,
            live: None,
            closed: false,
            out: VecDeque::new(),
        }
    }

    /// True once the platform started the stream and until the connection closes.
    pub fn is_streaming(&self) -> bool {
        self.live.is_some() && !self.closed
    }

    /// Loss recovery counters of the stream so far (zero before it started).
    pub fn recovery_stats(&self) -> RecoveryStats {
        self.live
            .as_ref()
            .map(|l| l.media.recovery_stats())
            .unwrap_or_default()
    }

    /// Bytes read from the control connection.
    pub fn handle_control_bytes(&mut self, data: &[u8], now: Instant) {
        if self.closed {
            return;
        }
        self.framer.extend(data);
        self.read_lines(now);
    }

    /// Handles buffered lines until one needs a platform answer or the connection closes.
    fn read_lines(&mut self, now: Instant) {
        while !self.closed && self.awaiting == Awaiting::Nothing {
            let line = match self.framer.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => return,
                Err(_) => {
                    self.fail(ReplyCode::BadRequest, "oversized or non-UTF-8 line");
                    return;
                }
            };
            let step = self.control.handle_line(&line, now);
            self.step(step);
        }
    }

    fn step(&mut self, step: Step) {
        match step {
            Step::Continue => {}
            Step::Reply(line) => self.out.push_back(Output::Reply(line)),
            Step::LookupSecret { channel_id } => {
                self.awaiting = Awaiting::Secret;
                self.out.push_back(Output::LookupSecret { channel_id });
            }
            Step::Start {
                channel_id,
                announce,
            } => {
                self.awaiting = Awaiting::Start;
                self.announce = Some(announce.clone());
                self.out.push_back(Output::StartStream {
                    channel_id,
                    announce,
                });
            }
            Step::Disconnect => {
                self.close(None, "client disconnected", StreamEndReason::Disconnect)
            }
            Step::Fail { code, reason } => self.fail(code, reason),
        }
    }

    /// Queues the last output. `end` applies only if the stream had started.
    fn close(&mut self, reply: Option<ReplyCode>, reason: &'static str, end: StreamEndReason) {
        if self.closed {
            return;
        }
        self.closed = true;
        self.out.push_back(Output::Close(Close {
            reply,
            reason,
            end: self.live.is_some().then_some(end),
        }));
    }

    /// A refusal or protocol error: its code, and the stream (if any) ends as `Error`.
    fn fail(&mut self, code: ReplyCode, reason: &'static str) {
        self.close(Some(code), reason, StreamEndReason::Error);
    }

    /// The answer to [`Output::LookupSecret`]: the secret, None for an unknown channel.
    pub fn on_secret(&mut self, secret: Result<Option<&str>, CallFailed>, now: Instant) {
        if self.closed || self.awaiting != Awaiting::Secret {
            return;
        }
        self.awaiting = Awaiting::Nothing;
        match secret {
            Ok(secret) => {
                let step = self.control.on_secret(secret);
                self.step(step);
            }
            Err(CallFailed::Error) => self.fail(ReplyCode::InternalError, "key lookup failed"),
            Err(CallFailed::TimedOut) => {
                self.fail(ReplyCode::InternalError, "key lookup timed out")
            }
        }
        self.read_lines(now);
    }

    /// The answer to [`Output::StartStream`].
    pub fn on_start(&mut self, outcome: StartOutcome, now: Instant) {
        if self.closed || self.awaiting != Awaiting::Start {
            return;
        }
        self.awaiting = Awaiting::Nothing;
        match outcome {
            StartOutcome::Started => {
                let announce = self.announce.take().unwrap_or_default();
                self.live = Some(Live {
                    started: now,
                    media: MediaSession::new(announce, self.config.media.clone()),
                    client: None,
                    next_sample: now + SAMPLE_INTERVAL,
                    next_report: now + self.config.metadata_interval,
                    report_in_flight: false,
                });
                match self.control.on_started(self.config.media_port, now) {
                    Step::Reply(line) => self.out.push_back(Output::Reply(line)),
                    _ => self.close(None, "stream started twice", StreamEndReason::Error),
                }
            }
            StartOutcome::Collision(c) => self.fail(c.reply_code(), c.reason()),
            StartOutcome::Refused(e) => self.fail(e.reply_code(), "platform refused the stream"),
            StartOutcome::TimedOut => self.fail(ReplyCode::InternalError, "start_stream timed out"),
        }
        self.read_lines(now);
    }

    /// A datagram routed to this stream, from `from`.
    pub fn handle_datagram(&mut self, from: SocketAddr, data: Bytes, now: Instant) {
        if self.closed {
            return;
        }
        let Some(live) = self.live.as_mut() else {
            return;
        };
        live.client = Some(from);
        if live.media.handle_datagram(data, now) == Handled::Media {
            self.control.on_media(now);
        }
    }

    /// When [`StreamMachine::handle_timeout`] must run next; None once closed.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.closed {
            return None;
        }
        let control = self.control.next_deadline();
        let Some(live) = &self.live else {
            return control;
        };
        [control, live.media.next_deadline(), Some(live.next_sample)]
            .into_iter()
            .flatten()
            .min()
    }

    /// Runs what is due at `now`: deadlines, loss recovery, sampling, the cap, reports.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.closed {
            return;
        }
        if let Some(t) = self.control.poll_timeout(now) {
            let reason = if self.live.is_some() {
                "stream timeout"
            } else {
                "handshake timeout"
            };
            self.close(Some(t.reply_code()), reason, StreamEndReason::Timeout);
            return;
        }
        let Some(live) = self.live.as_mut() else {
            return;
        };
        live.media.handle_timeout(now);
        if now < live.next_sample {
            return;
        }
        live.next_sample = now + SAMPLE_INTERVAL;
        let (bitrate_bps, window_full) = live.media.bitrate_bps(now);
        self.out.push_back(Output::Sample(Sample {
            recovery: live.media.recovery_stats(),
            bitrate_bps,
            rtt: live.media.rtt(),
        }));
        let cap = self.config.max_bitrate_bps;
        if cap > 0 && window_full && bitrate_bps > cap {
            self.close(
                Some(ReplyCode::ServerTerminated),
                "bitrate cap exceeded",
                StreamEndReason::BitrateExceeded,
            );
            return;
        }
        if now >= live.next_report && !live.report_in_flight {
            live.next_report = now + self.config.metadata_interval;
            live.report_in_flight = true;
            let stats = live.media.stats(
                now,
                now.saturating_duration_since(live.started),
                &self.config.ingest_name,
            );
            self.out.push_back(Output::ReportMetadata(stats));
        }
    }

    /// The answer to [`Output::ReportMetadata`]. A failure (the driver counts a missed deadline
    /// as one) is only logged; the platform saying the stream ended ends it.
    pub fn on_report_done(&mut self, result: Result<(), ControlError>) {
        if self.closed {
            return;
        }
        if let Some(live) = self.live.as_mut() {
            live.report_in_flight = false;
        }
        if result == Err(ControlError::StreamEnded) {
            self.close(
                Some(ReplyCode::ServerTerminated),
                "ended by the platform",
                StreamEndReason::Error,
            );
        }
    }

    /// A newer session of the channel started: this one ends.
    pub fn on_replaced(&mut self) {
        self.close(
            Some(ReplyCode::ServerTerminated),
            "replaced by a new connection",
            StreamEndReason::Replaced,
        );
    }

    /// The server is shutting down.
    pub fn on_shutdown(&mut self) {
        self.close(
            Some(ReplyCode::ServerTerminated),
            "server shutting down",
            StreamEndReason::Shutdown,
        );
    }

    /// The client closed the control connection (or it failed).
    pub fn on_control_closed(&mut self) {
        self.close(
            None,
            "control connection closed",
            StreamEndReason::Disconnect,
        );
    }

    /// A reply could not be written: the client is gone.
    pub fn on_write_failed(&mut self) {
        self.close(None, "reply not written", StreamEndReason::Disconnect);
    }

    /// The driver can no longer deliver datagrams to this stream.
    pub fn on_media_closed(&mut self) {
        self.close(None, "media routing stopped", StreamEndReason::Error);
    }

    /// The next thing to do. Media output comes first: it was produced before anything queued
    /// here that is still waiting (a close in particular).
    pub fn poll_output(&mut self) -> Option<Output> {
        if let Some(live) = self.live.as_mut() {
            while let Some(out) = live.media.poll_output() {
                match out {
                    MediaOutput::Packet(p) => return Some(Output::Publish(p)),
                    MediaOutput::Transmit(data) => {
                        if let Some(to) = live.client {
                            return Some(Output::Transmit { to, data });
                        }
                    }
                }
            }
        }
        self.out.pop_front()
    }
}

#[cfg(test)]
mod tests;
