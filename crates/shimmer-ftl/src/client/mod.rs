//! The FTL client behind `shimmer push`: it streams an H.264 file and an Opus file to an FTL
//! server the way ftl-sdk does, so users can check their server and tests can stream real media.
//!
//! - Handshake: `HMAC`, `CONNECT <channel> $<HMAC-SHA512(key, nonce)>`, attributes, `.`.
//! - Media: one UDP socket to the announced port; video SSRC = channel + 1 (PT 96), audio SSRC =
//!   channel (PT 97); sequence numbers and timestamps start at 0. Each NAL goes in its own packet
//!   or in FU-A fragments (datagrams of at most 1392 bytes); the marker bit ends a frame.
//! - Pacing by timestamps: frame k at k / fps, audio by its sample count.
//! - A 2048-packet ring per SSRC answers NACKs with the original bytes; FTL pings every 25 ms give
//!   the RTT; a sender report per SSRC every second; `PING` on the control connection every 5 s.
//! - `loss_percent` drops that share of outgoing media packets (first sends and resends) to test
//!   NACK recovery.

mod media;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use rand::{Rng, SeedableRng};
use shimmer_media::h264::{packetize_nal, MAX_FTL_RTP_PAYLOAD};
use shimmer_media::rtcp::{GenericNack, SenderReport};
use shimmer_media::rtp::{RtpHeader, RTP_FIXED_HEADER_LEN};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::{sleep_until, timeout, Instant};
use tokio_util::sync::CancellationToken;

pub use media::{frames_from_annexb, opus_from_ogg, AudioPacket, Media, VideoFrame};

use crate::control::compute_hmac;
use crate::line::LineFramer;
use crate::session::{FTL_PING, SENDER_REPORT};

/// Video payload type, as ftl-sdk uses.
pub const VIDEO_PT: u8 = 96;
/// Audio payload type, as ftl-sdk uses.
pub const AUDIO_PT: u8 = 97;
const RING: usize = 2048;
const REPLY_TIMEOUT: Duration = Duration::from_secs(5);

/// What to push and how.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// `host` or `host:port` of the control connection (port 8084 if omitted).
    pub server: String,
    /// The stream key, `<channel_id>-<secret>` (also `,` or `_` as separator, optional `re_`).
    pub key: String,
    /// Annex-B H.264 file.
    pub video: Option<std::path::PathBuf>,
    /// Ogg Opus file.
    pub audio: Option<std::path::PathBuf>,
    /// Start over at the end of the files (timestamps and sequence numbers keep counting).
    pub looping: bool,
    /// Video frame rate used for pacing and timestamps.
    pub fps: f64,
    /// Share of outgoing media packets to drop, in percent (0–100).
    pub loss_percent: f64,
    /// Stop (with `DISCONNECT`) after this long.
    pub max_duration: Option<Duration>,
    /// Stop (with `DISCONNECT`) when cancelled.
    pub stop: Option<CancellationToken>,
    /// Interval of FTL RTT pings (ftl-sdk: 25 ms).
    pub ping_interval: Duration,
    /// `VendorName` attribute.
    pub vendor_name: String,
    /// `VendorVersion` attribute.
    pub vendor_version: String,
}

impl Default for PushOptions {
    fn default() -> Self {
        Self {
            server: "127.0.0.1".into(),
            key: String::new(),
            video: None,
            audio: None,
            looping: false,
            fps: 30.0,
            loss_percent: 0.0,
            max_duration: None,
            stop: None,
            ping_interval: Duration::from_millis(25),
            vendor_name: "shimmer-push".into(),
            vendor_version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct PushSummary {
    /// The channel pushed to.
    pub channel_id: i64,
    /// The UDP port the server assigned.
    pub media_port: u16,
    /// Video frames sent.
    pub video_frames: u64,
    /// Audio packets sent.
    pub audio_packets: u64,
    /// Distinct RTP media packets made (each has its own sequence number).
    pub media_packets: u64,
    /// RTP packets handed to the socket (first sends; resends counted separately).
    pub packets_sent: u64,
    /// RTP bytes handed to the socket.
    pub bytes_sent: u64,
    /// Packets deliberately dropped by `loss_percent`.
    pub packets_dropped: u64,
    /// Sequence numbers the server asked for in NACKs.
    pub nacks_received: u64,
    /// Packets resent from the ring.
    pub packets_resent: u64,
    /// Mean RTT from FTL pings, in milliseconds.
    pub rtt_ms: Option<f64>,
    /// Wall time streamed.
    pub duration_ms: u64,
    /// Set if the server ended the stream with this code.
    pub ended_by_server: Option<u16>,
}

/// Why a push failed.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// A media file could not be read.
    #[error("reading {0}: {1}")]
    Read(String, std::io::Error),
    /// A media file is not usable.
    #[error("media: {0}")]
    Media(String),
    /// The stream key is not `<channel_id>-<secret>`.
    #[error("stream key must look like <channel_id>-<secret>")]
    BadKey,
    /// Network failure.
    #[error("{0}: {1}")]
    Io(&'static str, std::io::Error),
    /// The server refused the handshake with this code.
    #[error("server refused the stream with code {code} at {step}")]
    Refused {
        /// The handshake step.
        step: &'static str,
        /// The reply code.
        code: u16,
    },
    /// The server answered something unexpected or nothing in time.
    #[error("protocol error: {0}")]
    Protocol(String),
}

/// Splits a stream key into channel id and secret, as ftl-sdk does.
pub fn parse_stream_key(key: &str) -> Option<(i64, &str)> {
    let key = key.strip_prefix("re_").unwrap_or(key);
    let sep = key.find(['-', ',', '_'])?;
    let channel: i64 = key[..sep].parse().ok()?;
    let secret = &key[sep + 1..];
    (channel > 0 && !secret.is_empty()).then_some((channel, secret))
}

/// `host`, `host:port`, `ip`, `[v6]:port` or a bare IPv6 address, with port 8084 by default.
fn control_target(server: &str) -> String {
    let colons = server.matches(':').count();
    if server.contains("]:") || (colons == 1 && !server.starts_with('[')) {
        server.to_string()
    } else if server.starts_with('[') {
        format!("{server}:8084")
    } else if colons > 1 {
        format!("[{server}]:8084")
    } else {
        format!("{server}:8084")
    }
}

/// Loads the files and pushes them. This is `shimmer push`.
pub async fn push(options: PushOptions) -> Result<PushSummary, PushError> {
    let media = Media::load(options.video.as_deref(), options.audio.as_deref())?;
    push_media(&options, Arc::new(media)).await
}

struct Control {
    stream: TcpStream,
    framer: LineFramer,
    buf: Vec<u8>,
}

impl Control {
    async fn send(&mut self, cmd: &str) -> Result<(), PushError> {
        let data = format!("{cmd}\r\n\r\n");
        self.stream
            .write_all(data.as_bytes())
            .await
            .map_err(|e| PushError::Io("control write", e))
    }

    async fn line(&mut self) -> Result<String, PushError> {
        loop {
            match self.framer.next_line() {
                Ok(Some(l)) => return Ok(l),
                Ok(None) => {}
                Err(e) => return Err(PushError::Protocol(e.to_string())),
            }
            let n = timeout(REPLY_TIMEOUT, self.stream.read(&mut self.buf))
                .await
                .map_err(|_| PushError::Protocol("no reply from server".into()))?
                .map_err(|e| PushError::Io("control read", e))?;
            if n == 0 {
                return Err(PushError::Protocol("server closed the connection".into()));
            }
            self.framer.extend(&self.buf[..n]);
        }
    }

    async fn expect_200(&mut self, step: &'static str) -> Result<String, PushError> {
        let line = self.line().await?;
        let code: u16 = line
            .get(..3)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| PushError::Protocol(format!("bad reply {line:?}")))?;
        if code != 200 {
            return Err(PushError::Refused { step, code });
        }
        Ok(line)
    }
}

async fn handshake(
    options: &PushOptions,
    media: &Media,
    channel_id: i64,
    secret: &str,
) -> Result<(Control, SocketAddr), PushError> {
    let target = control_target(&options.server);
    let stream = timeout(REPLY_TIMEOUT, TcpStream::connect(&target))
        .await
        .map_err(|_| PushError::Protocol(format!("connecting to {target} timed out")))?
        .map_err(|e| PushError::Io("connect", e))?;
    let _ = stream.set_nodelay(true);
    let peer = stream
        .peer_addr()
        .map_err(|e| PushError::Io("peer address", e))?;
    let mut c = Control {
        stream,
        framer: LineFramer::new(4096),
        buf: vec![0; 4096],
    };
    c.send("HMAC").await?;
    let line = c.expect_200("HMAC").await?;
    let nonce = hex::decode(line.get(4..).unwrap_or("").trim())
        .map_err(|_| PushError::Protocol("bad HMAC challenge".into()))?;
    let hmac = compute_hmac(secret.as_bytes(), &nonce);
    c.send(&format!("CONNECT {channel_id} ${}", hex::encode(hmac)))
        .await?;
    c.expect_200("CONNECT").await?;
    let mut attrs = vec![
        "ProtocolVersion: 0.9".to_string(),
        format!("VendorName: {}", options.vendor_name),
        format!("VendorVersion: {}", options.vendor_version),
    ];
    if !media.video.is_empty() {
        attrs.extend([
            "Video: true".into(),
            "VideoCodec: H264".into(),
            "VideoHeight: 720".into(),
            "VideoWidth: 1280".into(),
            format!("VideoPayloadType: {VIDEO_PT}"),
            format!("VideoIngestSSRC: {}", (channel_id + 1) as i32),
        ]);
    } else {
        attrs.push("Video: false".into());
    }
    if !media.audio.is_empty() {
        attrs.extend([
            "Audio: true".into(),
            "AudioCodec: OPUS".into(),
            format!("AudioPayloadType: {AUDIO_PT}"),
            format!("AudioIngestSSRC: {}", channel_id as i32),
        ]);
    } else {
        attrs.push("Audio: false".into());
    }
    for a in attrs {
        c.send(&a).await?;
    }
    c.send(".").await?;
    let line = c.expect_200(".").await?;
    let port: u16 = line
        .rsplit_once("Use UDP port ")
        .and_then(|(_, p)| p.trim().parse().ok())
        .ok_or_else(|| PushError::Protocol(format!("no media port in {line:?}")))?;
    Ok((c, SocketAddr::new(peer.ip(), port)))
}

/// Per-SSRC sending state.
struct Track {
    ssrc: u32,
    pt: u8,
    seq: u16,
    ring: Vec<Option<(u16, Bytes)>>,
    packets: u32,
    octets: u32,
    last_ts: u32,
    started: bool,
}

impl Track {
    fn new(ssrc: u32, pt: u8) -> Self {
        Self {
            ssrc,
            pt,
            seq: 0,
            ring: vec![None; RING],
            packets: 0,
            octets: 0,
            last_ts: 0,
            started: false,
        }
    }

    fn packet(&mut self, ts: u32, marker: bool, payload: &[u8]) -> Bytes {
        let mut out = Vec::with_capacity(RTP_FIXED_HEADER_LEN + payload.len());
        RtpHeader::new(self.pt, self.seq, ts, self.ssrc, marker).write_to(&mut out);
        out.extend_from_slice(payload);
        let b = Bytes::from(out);
        self.ring[usize::from(self.seq) % RING] = Some((self.seq, b.clone()));
        self.seq = self.seq.wrapping_add(1);
        self.packets = self.packets.wrapping_add(1);
        self.octets = self.octets.wrapping_add(payload.len() as u32);
        self.last_ts = ts;
        self.started = true;
        b
    }

    /// The newest packet, for the tail repeat before goodbye.
    fn last(&self) -> Option<Bytes> {
        self.started
            .then(|| self.resend(self.seq.wrapping_sub(1)))
            .flatten()
    }

    fn resend(&self, seq: u16) -> Option<Bytes> {
        match &self.ring[usize::from(seq) % RING] {
            Some((s, b)) if *s == seq => Some(b.clone()),
            _ => None,
        }
    }
}

struct Sender {
    socket: UdpSocket,
    rng: rand::rngs::StdRng,
    loss: f64,
    summary: PushSummary,
}

impl Sender {
    async fn send_media(&mut self, d: &Bytes, resend: bool) {
        // A track's first packet is never dropped: no receiver can notice a loss before the
        // first packet it sees, so dropping it would test nothing but luck.
        let first_of_track = !resend && d.get(2..4).is_some_and(|seq| seq == [0, 0]);
        if self.loss > 0.0 && !first_of_track && self.rng.gen::<f64>() * 100.0 < self.loss {
            self.summary.packets_dropped += 1;
            return;
        }
        if self.socket.send(d).await.is_ok() {
            if resend {
                self.summary.packets_resent += 1;
            } else {
                self.summary.packets_sent += 1;
                self.summary.bytes_sent += d.len() as u64;
            }
        }
    }
}

fn ntp_now() -> (u32, u32) {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = d.as_secs() + 2_208_988_800;
    let frac = (u64::from(d.subsec_nanos()) << 32) / 1_000_000_000;
    (secs as u32, frac as u32)
}

/// Pushes already-loaded media (the benchmark shares one [`Media`] between many pushes).
pub async fn push_media(
    options: &PushOptions,
    media: Arc<Media>,
) -> Result<PushSummary, PushError> {
    let (channel_id, secret) = parse_stream_key(&options.key).ok_or(PushError::BadKey)?;
    let (mut control, media_addr) = handshake(options, &media, channel_id, secret).await?;
    let bind: SocketAddr = if media_addr.is_ipv4() {
        "0.0.0.0:0".parse().unwrap_or_else(|_| unreachable!())
    } else {
        "[::]:0".parse().unwrap_or_else(|_| unreachable!())
    };
    let socket = UdpSocket::bind(bind)
        .await
        .map_err(|e| PushError::Io("UDP bind", e))?;
    socket
        .connect(media_addr)
        .await
        .map_err(|e| PushError::Io("UDP connect", e))?;
    let mut tx = Sender {
        socket,
        rng: rand::rngs::StdRng::from_entropy(),
        loss: options.loss_percent.clamp(0.0, 100.0),
        summary: PushSummary {
            channel_id,
            media_port: media_addr.port(),
            ..Default::default()
        },
    };
    let mut video = Track::new((channel_id + 1) as u32, VIDEO_PT);
    let mut audio = Track::new(channel_id as u32, AUDIO_PT);
    let fps = if options.fps > 0.0 { options.fps } else { 30.0 };
    let start = Instant::now();
    let end_at = options.max_duration.map(|d| start + d);
    let stop = options.stop.clone().unwrap_or_default();
    let (mut vi, mut ai) = (0u64, 0u64);
    let mut audio_samples: u64 = 0;
    let mut next_ping = start;
    let mut next_sr = start + Duration::from_secs(1);
    let mut next_keepalive = start + Duration::from_secs(5);
    let (mut rtt_sum, mut rtt_n) = (0.0f64, 0u64);
    let mut rbuf = vec![0u8; 2048];
    let mut cbuf = vec![0u8; 1024];
    let vlen = media.video.len() as u64;
    let alen = media.audio.len() as u64;
    let mut ended_by_server = None;
    loop {
        let video_done = vlen == 0 || (!options.looping && vi >= vlen);
        let audio_done = alen == 0 || (!options.looping && ai >= alen);
        if video_done && audio_done {
            break;
        }
        let next_video = (!video_done).then(|| start + Duration::from_secs_f64(vi as f64 / fps));
        let next_audio =
            (!audio_done).then(|| start + Duration::from_secs_f64(audio_samples as f64 / 48_000.0));
        let next_media = [next_video, next_audio].into_iter().flatten().min();
        let wake = [
            next_media,
            Some(next_ping),
            Some(next_sr),
            Some(next_keepalive),
            end_at,
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(start);
        tokio::select! {
            biased;
            _ = stop.cancelled() => break,
            r = tx.socket.recv(&mut rbuf) => {
                let Ok(n) = r else { continue };
                let d = &rbuf[..n];
                match d.get(1) {
                    Some(&FTL_PING) if n >= 24 => {
                        let secs = u64::from_le_bytes(d[8..16].try_into().unwrap_or_default());
                        let usecs = u64::from_le_bytes(d[16..24].try_into().unwrap_or_default());
                        let sent = Duration::from_secs(secs) + Duration::from_micros(usecs);
                        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
                        if let Some(rtt) = now.checked_sub(sent) {
                            rtt_sum += rtt.as_secs_f64() * 1000.0;
                            rtt_n += 1;
                        }
                    }
                    Some(205) => {
                        if let Ok(nack) = GenericNack::parse(d) {
                            tx.summary.nacks_received += nack.lost.len() as u64;
                            let track = if nack.media_ssrc == video.ssrc { &video } else if nack.media_ssrc == audio.ssrc { &audio } else { continue };
                            let resend: Vec<Bytes> = nack.lost.iter().filter_map(|s| track.resend(*s)).collect();
                            for p in resend {
                                tx.send_media(&p, true).await;
                            }
                        }
                    }
                    _ => {}
                }
            }
            r = control.stream.read(&mut cbuf) => {
                match r {
                    Ok(0) | Err(_) => { ended_by_server = Some(0); break; }
                    Ok(n) => {
                        control.framer.extend(&cbuf[..n]);
                        while let Ok(Some(line)) = control.framer.next_line() {
                            let code: u16 = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
                            if code != 201 && code != 200 {
                                ended_by_server = Some(code);
                            }
                        }
                        if ended_by_server.is_some() { break; }
                    }
                }
            }
            _ = sleep_until(wake) => {
                let now = Instant::now();
                if end_at.is_some_and(|e| now >= e) {
                    break;
                }
                if now >= next_keepalive {
                    next_keepalive += Duration::from_secs(5);
                    control.send(&format!("PING {channel_id}")).await?;
                }
                if now >= next_ping {
                    next_ping = now + options.ping_interval;
                    let t = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
                    let mut p = vec![0x81, FTL_PING, 0, 24, 0, 0, 0, 0];
                    p.extend_from_slice(&t.as_secs().to_le_bytes());
                    p.extend_from_slice(&u64::from(t.subsec_micros()).to_le_bytes());
                    let _ = tx.socket.send(&p).await;
                }
                if now >= next_sr {
                    next_sr += Duration::from_secs(1);
                    let (s, f) = ntp_now();
                    for t in [&video, &audio] {
                        if t.started {
                            let sr = SenderReport { ssrc: t.ssrc, ntp_seconds: s, ntp_fraction: f, rtp_timestamp: t.last_ts, packet_count: t.packets, octet_count: t.octets };
                            let _ = tx.socket.send(&sr.to_bytes()).await;
                        }
                    }
                    debug_assert_eq!(SENDER_REPORT, 200);
                }
                if next_video.is_some_and(|t| now >= t) {
                    let frame = &media.video[(vi % vlen) as usize];
                    let ts = ((vi as f64) * 90_000.0 / fps).round() as u64 as u32;
                    let mut payloads = Vec::new();
                    for nal in &frame.nals {
                        payloads.extend(packetize_nal(nal, MAX_FTL_RTP_PAYLOAD));
                    }
                    let last = payloads.len().saturating_sub(1);
                    for (i, p) in payloads.iter().enumerate() {
                        let d = video.packet(ts, i == last, p);
                        tx.summary.media_packets += 1;
                        tx.send_media(&d, false).await;
                    }
                    vi += 1;
                    tx.summary.video_frames += 1;
                }
                if next_audio.is_some_and(|t| now >= t) && (vlen == 0 || vi > 0) {
                    let pkt = &media.audio[(ai % alen) as usize];
                    let d = audio.packet(audio_samples as u32, false, &pkt.data);
                    tx.summary.media_packets += 1;
                    tx.send_media(&d, false).await;
                    audio_samples += u64::from(pkt.samples);
                    ai += 1;
                    tx.summary.audio_packets += 1;
                }
            }
        }
    }
    if ended_by_server.is_none() {
        // A lost final packet leaves no gap for the server to notice, so repeat each track's
        // newest packet (twice, as the loss simulation may drop either); a receiver ignores
        // copies it already has.
        for packet in [video.last(), audio.last()].into_iter().flatten() {
            for _ in 0..2 {
                tx.send_media(&packet, true).await;
            }
        }
        // Answer NACKs until none came for 500 ms (at most 2 s), so the tail is complete.
        let hard_stop = Instant::now() + Duration::from_secs(2);
        let mut linger = Instant::now() + Duration::from_millis(500);
        while let Ok(Ok(n)) =
            tokio::time::timeout_at(linger.min(hard_stop), tx.socket.recv(&mut rbuf)).await
        {
            if let Ok(nack) = GenericNack::parse(&rbuf[..n]) {
                linger = Instant::now() + Duration::from_millis(500);
                tx.summary.nacks_received += nack.lost.len() as u64;
                let track = if nack.media_ssrc == video.ssrc {
                    &video
                } else {
                    &audio
                };
                let resend: Vec<Bytes> =
                    nack.lost.iter().filter_map(|s| track.resend(*s)).collect();
                for p in resend {
                    tx.send_media(&p, true).await;
                }
            }
        }
        let _ = control.send("DISCONNECT").await;
        let _ = control.stream.shutdown().await;
    }
    tx.summary.ended_by_server = ended_by_server;
    tx.summary.duration_ms = start.elapsed().as_millis() as u64;
    tx.summary.rtt_ms = (rtt_n > 0).then(|| rtt_sum / rtt_n as f64);
    Ok(tx.summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_keys() {
        assert_eq!(parse_stream_key("42-abc"), Some((42, "abc")));
        assert_eq!(parse_stream_key("re_42_abc-d"), Some((42, "abc-d")));
        assert_eq!(parse_stream_key("42,abc"), Some((42, "abc")));
        assert_eq!(parse_stream_key("abc"), None);
        assert_eq!(parse_stream_key("x-abc"), None);
        assert_eq!(parse_stream_key("42-"), None);
        assert_eq!(control_target("example.com"), "example.com:8084");
        assert_eq!(control_target("127.0.0.1:9"), "127.0.0.1:9");
        assert_eq!(control_target("::1"), "[::1]:8084");
        assert_eq!(control_target("[::1]:9"), "[::1]:9");
    }
}
