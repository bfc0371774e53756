//! The FTL control protocol ("Charon") as a sans-IO state machine.
//!
//! The driver feeds it complete lines ([`crate::line::LineFramer`]) and the results of its
//! asynchronous calls (secret lookup, stream start), and sends the replies it returns. Deadlines
//! are computed from the `now` passed in; the driver sleeps until [`ControlMachine::next_deadline`]
//! and then calls [`ControlMachine::poll_timeout`]. Nothing here blocks, allocates without bound
//! or panics on input.
//!
//! ```text
//! C: HMAC                         S: 200 <256 hex: 128-byte nonce>
//! C: CONNECT <channel> $<hmac>    (driver looks up the secret)   S: 200 | 405
//! C: Key: Value ... (at most max_attributes lines)
//! C: .                            (driver starts the stream)     S: 200 hi. Use UDP port N
//! C: PING <channel>               S: 201          (every 5 s; 30 s without ends the stream)
//! C: DISCONNECT                   (the stream ends)
//! ```

use std::collections::HashMap;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sha2::Sha512;
use subtle::ConstantTimeEq;

use crate::reply::ReplyCode;

/// Bytes in the HMAC challenge.
pub const NONCE_LEN: usize = 128;

/// Limits and deadlines of one control connection.
#[derive(Debug, Clone)]
pub struct ControlLimits {
    /// Most attribute lines accepted between `CONNECT` and `.`.
    pub max_attributes: usize,
    /// From connection to the `.` reply.
    pub handshake_timeout: Duration,
    /// From the `.` reply to the first media packet.
    pub media_start_timeout: Duration,
    /// Longest silence of media once it started.
    pub media_timeout: Duration,
    /// Longest time without a `PING` once streaming.
    pub keepalive_timeout: Duration,
}

impl Default for ControlLimits {
    fn default() -> Self {
        Self {
            max_attributes: 32,
            handshake_timeout: Duration::from_secs(5),
            media_start_timeout: Duration::from_secs(10),
            media_timeout: Duration::from_secs(10),
            keepalive_timeout: Duration::from_secs(30),
        }
    }
}

/// One announced track (from the attribute lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackAnnounce {
    /// Codec name as announced, upper-cased (`H264`, `OPUS`).
    pub codec: String,
    /// RTP payload type.
    pub payload_type: u8,
    /// RTP SSRC (clients print it signed; it is reinterpreted as u32).
    pub ssrc: u32,
}

/// What the client announced, validated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MediaAnnounce {
    /// `ProtocolVersion`.
    pub protocol_version: Option<String>,
    /// `VendorName` (the encoder software).
    pub vendor_name: Option<String>,
    /// `VendorVersion`.
    pub vendor_version: Option<String>,
    /// The video track, if `Video: true`.
    pub video: Option<TrackAnnounce>,
    /// The audio track, if `Audio: true`.
    pub audio: Option<TrackAnnounce>,
}

/// What the driver must do after feeding the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Nothing to send.
    Continue,
    /// Send this line (the driver appends the single `\n`).
    Reply(String),
    /// Look up the channel's secret and call [`ControlMachine::on_secret`].
    LookupSecret {
        /// The channel from `CONNECT`.
        channel_id: i64,
    },
    /// The handshake is complete: start the stream and call [`ControlMachine::on_started`] or
    /// [`ControlMachine::on_start_failed`].
    Start {
        /// The authenticated channel.
        channel_id: i64,
        /// The validated announcement.
        announce: MediaAnnounce,
    },
    /// The client said `DISCONNECT`: end the stream and close.
    Disconnect,
    /// Send the code's line, then close the connection.
    Fail {
        /// The code to send.
        code: ReplyCode,
        /// Why, for the log.
        reason: &'static str,
    },
}

impl Step {
    fn fail(code: ReplyCode, reason: &'static str) -> Self {
        Step::Fail { code, reason }
    }
}

/// Which deadline expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeout {
    /// The handshake did not complete in time.
    Handshake,
    /// No media after the handshake.
    MediaStart,
    /// Media stopped.
    Media,
    /// No `PING`.
    Keepalive,
}

impl Timeout {
    /// The code sent to the client: 408 for media timeouts, 410 otherwise.
    pub fn reply_code(self) -> ReplyCode {
        match self {
            Timeout::MediaStart | Timeout::Media => ReplyCode::NoMediaTimeout,
            Timeout::Handshake | Timeout::Keepalive => ReplyCode::ServerTerminated,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    AwaitHmac,
    AwaitConnect,
    AwaitSecret { channel_id: i64, hmac: Vec<u8> },
    Attributes { channel_id: i64 },
    AwaitStart { channel_id: i64 },
    Streaming,
    Closed,
}

/// The control state of one connection. See the module docs.
#[derive(Debug)]
pub struct ControlMachine {
    limits: ControlLimits,
    nonce: [u8; NONCE_LEN],
    phase: Phase,
    handshake_deadline: Instant,
    attributes: HashMap<String, String>,
    attribute_lines: usize,
    channel_id: Option<i64>,
    streaming_since: Option<Instant>,
    last_ping: Option<Instant>,
    last_media: Option<Instant>,
}

/// Computes the HMAC a client must send: HMAC-SHA512 keyed by the secret over the nonce bytes.
pub fn compute_hmac(secret: &[u8], nonce: &[u8]) -> [u8; 64] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(nonce);
    mac.finalize().into_bytes().into()
}

fn parse_connect(args: &str) -> Option<(i64, Vec<u8>)> {
    let mut parts = args.split_whitespace();
    let channel = parts.next()?;
    let hmac = parts.next()?.strip_prefix('$')?;
    if parts.next().is_some() || !channel.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let channel_id: i64 = channel.parse().ok()?;
    if channel_id <= 0 || hmac.len() != 128 {
        return None;
    }
    let hmac = hex::decode(hmac).ok()?;
    Some((channel_id, hmac))
}

impl ControlMachine {
    /// A machine for a new connection; `nonce` must come from a CSPRNG.
    pub fn new(limits: ControlLimits, nonce: [u8; NONCE_LEN], now: Instant) -> Self {
        Self {
            handshake_deadline: now + limits.handshake_timeout,
            limits,
            nonce,
            phase: Phase::AwaitHmac,
            attributes: HashMap::new(),
            attribute_lines: 0,
            channel_id: None,
            streaming_since: None,
            last_ping: None,
            last_media: None,
        }
    }

    /// The authenticated channel, once `CONNECT` was verified.
    pub fn channel_id(&self) -> Option<i64> {
        self.channel_id
    }

    /// True between the `.` reply and the end.
    pub fn is_streaming(&self) -> bool {
        self.phase == Phase::Streaming
    }

    fn close(&mut self, step: Step) -> Step {
        if matches!(step, Step::Fail { .. } | Step::Disconnect) {
            self.phase = Phase::Closed;
        }
        step
    }

    /// Handles one line from the client.
    pub fn handle_line(&mut self, line: &str, now: Instant) -> Step {
        let step = self.handle_line_inner(line.trim(), now);
        self.close(step)
    }

    fn handle_line_inner(&mut self, line: &str, now: Instant) -> Step {
        let (cmd, args) = line.split_once(' ').unwrap_or((line, ""));
        match (&self.phase, cmd) {
            (Phase::Closed, _) => Step::Continue,
            (Phase::AwaitSecret { .. } | Phase::AwaitStart { .. }, _) => {
                Step::fail(ReplyCode::BadRequest, "command while a reply is pending")
            }
            (Phase::AwaitHmac, "HMAC") if args.is_empty() => {
                self.phase = Phase::AwaitConnect;
                Step::Reply(format!("200 {}", hex::encode(self.nonce)))
            }
            (Phase::AwaitConnect, "CONNECT") => match parse_connect(args) {
                Some((channel_id, hmac)) => {
                    self.phase = Phase::AwaitSecret { channel_id, hmac };
                    Step::LookupSecret { channel_id }
                }
                None => Step::fail(ReplyCode::BadRequest, "malformed CONNECT"),
            },
            (Phase::AwaitHmac | Phase::AwaitConnect, ".") => {
                Step::fail(ReplyCode::Unauthorized, "'.' before authentication")
            }
            (Phase::AwaitHmac | Phase::AwaitConnect, _) => Step::fail(
                ReplyCode::BadRequest,
                "unexpected command before authentication",
            ),
            (Phase::Attributes { .. } | Phase::Streaming, "PING") => {
                self.last_ping = Some(now);
                Step::Reply(ReplyCode::Pong.line())
            }
            (Phase::Attributes { .. } | Phase::Streaming, "DISCONNECT") => Step::Disconnect,
            (Phase::Attributes { channel_id }, ".") => {
                let channel_id = *channel_id;
                match self.validate() {
                    Ok(announce) => {
                        self.phase = Phase::AwaitStart { channel_id };
                        Step::Start {
                            channel_id,
                            announce,
                        }
                    }
                    Err(reason) => Step::fail(ReplyCode::BadRequest, reason),
                }
            }
            (Phase::Attributes { .. }, _) => {
                self.attribute_lines += 1;
                if self.attribute_lines > self.limits.max_attributes {
                    return Step::fail(ReplyCode::BadRequest, "too many attributes");
                }
                let Some((key, value)) = line.split_once(':') else {
                    return Step::fail(ReplyCode::BadRequest, "malformed attribute line");
                };
                let key = key.trim();
                if key.is_empty() || key.contains(char::is_whitespace) {
                    return Step::fail(ReplyCode::BadRequest, "malformed attribute name");
                }
                self.attributes
                    .insert(key.to_ascii_lowercase(), value.trim().to_string());
                Step::Continue
            }
            // Once streaming, unknown commands are ignored: clients are known to send extras.
            (Phase::Streaming, _) => Step::Continue,
        }
    }

    /// The result of the secret lookup after [`Step::LookupSecret`]: None if the channel does not
    /// exist. Verifies the HMAC in constant time.
    pub fn on_secret(&mut self, secret: Option<&str>) -> Step {
        let Phase::AwaitSecret { channel_id, hmac } = &self.phase else {
            return Step::Continue;
        };
        let channel_id = *channel_id;
        let step = match secret {
            None => Step::fail(ReplyCode::InvalidStreamKey, "unknown channel"),
            Some(secret) => {
                let expected = compute_hmac(secret.as_bytes(), &self.nonce);
                if bool::from(expected.as_slice().ct_eq(hmac.as_slice())) {
                    self.channel_id = Some(channel_id);
                    self.phase = Phase::Attributes { channel_id };
                    Step::Reply(ReplyCode::Ok.line())
                } else {
                    Step::fail(ReplyCode::InvalidStreamKey, "HMAC mismatch")
                }
            }
        };
        self.close(step)
    }

    /// The stream started: returns the final handshake reply telling the client its UDP port.
    pub fn on_started(&mut self, media_port: u16, now: Instant) -> Step {
        if !matches!(self.phase, Phase::AwaitStart { .. }) {
            return Step::Continue;
        }
        self.phase = Phase::Streaming;
        self.streaming_since = Some(now);
        self.last_ping = Some(now);
        Step::Reply(format!("200 hi. Use UDP port {media_port}"))
    }

    /// The stream could not start: the code to send before closing.
    pub fn on_start_failed(&mut self, code: ReplyCode, reason: &'static str) -> Step {
        self.close(Step::fail(code, reason))
    }

    /// Records that a media packet arrived (resets the media deadline).
    pub fn on_media(&mut self, now: Instant) {
        self.last_media = Some(now);
    }

    /// The earliest instant at which [`ControlMachine::poll_timeout`] may fire.
    pub fn next_deadline(&self) -> Option<Instant> {
        match self.phase {
            Phase::Closed => None,
            Phase::Streaming => {
                let since = self.streaming_since?;
                let media = match self.last_media {
                    None => since + self.limits.media_start_timeout,
                    Some(t) => t + self.limits.media_timeout,
                };
                let ping = self.last_ping.unwrap_or(since) + self.limits.keepalive_timeout;
                Some(media.min(ping))
            }
            _ => Some(self.handshake_deadline),
        }
    }

    /// Checks the deadlines; an expired one closes the machine.
    pub fn poll_timeout(&mut self, now: Instant) -> Option<Timeout> {
        let timeout = match self.phase {
            Phase::Closed => None,
            Phase::Streaming => {
                let since = self.streaming_since?;
                match self.last_media {
                    None if now >= since + self.limits.media_start_timeout => {
                        Some(Timeout::MediaStart)
                    }
                    Some(t) if now >= t + self.limits.media_timeout => Some(Timeout::Media),
                    _ if now >= self.last_ping.unwrap_or(since) + self.limits.keepalive_timeout => {
                        Some(Timeout::Keepalive)
                    }
                    _ => None,
                }
            }
            _ => (now >= self.handshake_deadline).then_some(Timeout::Handshake),
        };
        if timeout.is_some() {
            self.phase = Phase::Closed;
        }
        timeout
    }

    fn attr(&self, key: &str) -> Option<&str> {
        self.attributes.get(key).map(String::as_str)
    }

    fn track(&self, prefix: &str, codec: &str) -> Result<Option<TrackAnnounce>, &'static str> {
        let enabled = self.attr(prefix).map(str::to_ascii_lowercase);
        if enabled.as_deref() != Some("true") {
            return Ok(None);
        }
        let announced = self
            .attr(&format!("{prefix}codec"))
            .ok_or("track without codec")?
            .to_ascii_uppercase();
        if announced != codec {
            return Err("unsupported codec");
        }
        let payload_type: u8 = self
            .attr(&format!("{prefix}payloadtype"))
            .and_then(|v| v.parse().ok())
            .filter(|pt| (1..=127).contains(pt))
            .ok_or("missing or invalid payload type")?;
        let ssrc: i64 = self
            .attr(&format!("{prefix}ingestssrc"))
            .and_then(|v| v.parse().ok())
            .filter(|s| (i64::from(i32::MIN)..=i64::from(u32::MAX)).contains(s) && *s != 0)
            .ok_or("missing or invalid SSRC")?;
        Ok(Some(TrackAnnounce {
            codec: announced,
            payload_type,
            ssrc: ssrc as u32,
        }))
    }

    fn validate(&self) -> Result<MediaAnnounce, &'static str> {
        let video = self.track("video", "H264")?;
        let audio = self.track("audio", "OPUS")?;
        if video.is_none() && audio.is_none() {
            return Err("neither audio nor video");
        }
        if let (Some(v), Some(a)) = (&video, &audio) {
            if v.ssrc == a.ssrc {
                return Err("audio and video share an SSRC");
            }
            if v.payload_type == a.payload_type {
                return Err("audio and video share a payload type");
            }
        }
        let text = |k: &str| self.attr(k).map(|v| v.chars().take(64).collect::<String>());
        Ok(MediaAnnounce {
            protocol_version: text("protocolversion"),
            vendor_name: text("vendorname"),
            vendor_version: text("vendorversion"),
            video,
            audio,
        })
    }
}

#[cfg(test)]
mod tests;
