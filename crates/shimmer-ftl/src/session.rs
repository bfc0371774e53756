//! The FTL media session, sans-IO: datagrams in, ordered media packets and datagrams to send back
//! out.
//!
//! Each datagram is classified by its second byte **before** any RTP parsing (the FTL ping's first
//! byte would otherwise make it look like RTP with a CSRC and fail a parser): 200 is a sender
//! report, 250 an FTL ping (echoed unchanged), anything else RTP, routed by SSRC to its track.
//! Each track has a [`RecoveryBuffer`]: extended sequence numbers, a small reorder window, NACKs
//! back to the client with bounded retries, and in-order release, so the hub sees every packet in
//! order with retransmissions in their place.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use bytes::Bytes;
use shimmer_media::h264::{self, SpsInfo};
use shimmer_media::recovery::{NackBudget, Pushed, RecoveryBuffer, RecoveryConfig, RecoveryStats};
use shimmer_media::rtcp::{GenericNack, SenderReport};
use shimmer_media::rtp::RtpPacket;
use shimmer_media::{opus, MediaKind, MediaPacket};

use crate::control::MediaAnnounce;
use crate::rolling::RollingWindow;
use crate::stats::{IngestProtocol, StreamStats};

/// Second byte of an RTCP sender report.
pub const SENDER_REPORT: u8 = 200;
/// Second byte of an FTL ping.
pub const FTL_PING: u8 = 250;
/// Sequence numbers a stream may NACK per second by default: a lost keyframe (~140 packets at
/// 4 Mbit/s) and a few percent of a 20 Mbit/s stream, with retries, fit; asking for more than
/// this means the loss is not something retransmission will fix.
pub const DEFAULT_NACK_BUDGET: u32 = 500;

/// Most sequence numbers put in one NACK message.
const MAX_NACKS_PER_MESSAGE: usize = 64;

/// What a datagram is, judged by its second byte alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatagramKind {
    /// RTCP sender report (byte 1 = 200).
    SenderReport,
    /// FTL ping (byte 1 = 250): echo it back unchanged.
    Ping,
    /// Anything else: RTP, to be parsed and routed by SSRC.
    Rtp,
}

/// Classifies a datagram; None if it is shorter than two bytes.
pub fn classify(datagram: &[u8]) -> Option<DatagramKind> {
    match *datagram.get(1)? {
        SENDER_REPORT => Some(DatagramKind::SenderReport),
        FTL_PING => Some(DatagramKind::Ping),
        _ => Some(DatagramKind::Rtp),
    }
}

/// Tuning of a media session.
#[derive(Debug, Clone)]
pub struct MediaSessionConfig {
    /// Loss detection and NACK bounds per track.
    pub recovery: RecoveryConfig,
    /// Send NACKs to the client (false: only detect loss).
    pub nack: bool,
    /// Sequence numbers the stream may NACK per second, over all its tracks (0: no limit).
    pub nack_budget_per_second: u32,
    /// Window of the bitrate and frame-rate measurements.
    pub rate_window: Duration,
}

impl Default for MediaSessionConfig {
    fn default() -> Self {
        Self {
            recovery: RecoveryConfig::default(),
            nack: true,
            nack_budget_per_second: DEFAULT_NACK_BUDGET,
            rate_window: Duration::from_secs(5),
        }
    }
}

/// Something the driver must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaOutput {
    /// Send this datagram to the client (a ping echo or a NACK).
    Transmit(Bytes),
    /// The next media packet in order: publish it to the hub.
    Packet(MediaPacket),
}

/// What a datagram turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// A media packet of a known track (resets the media deadline).
    Media,
    /// An FTL ping (echo queued).
    Ping,
    /// A sender report.
    SenderReport,
    /// Dropped: shorter than 2 bytes, not valid RTP/RTCP, unknown SSRC or payload type, or audio
    /// before the first video packet (the client's speed test).
    Ignored(Ignored),
}

/// Why a datagram was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    /// Not parseable.
    Malformed,
    /// SSRC not announced, or payload type not the track's.
    UnknownSsrc,
    /// Audio before video started (speed-test burst).
    AudioBeforeVideo,
}

#[derive(Debug)]
struct Track {
    kind: MediaKind,
    ssrc: u32,
    payload_type: u8,
    buffer: RecoveryBuffer<(RtpPacket, Instant)>,
}

/// Counters beyond the per-track recovery stats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionCounters {
    /// Pings echoed.
    pub pings: u64,
    /// Sender reports received.
    pub sender_reports: u64,
    /// Datagrams dropped as malformed.
    pub malformed: u64,
    /// Datagrams dropped for an unknown SSRC or payload type.
    pub unknown_ssrc: u64,
    /// Audio packets dropped before video started.
    pub early_audio: u64,
    /// NACK messages sent.
    pub nack_messages: u64,
    /// Times due NACKs waited because the stream's NACK budget was spent.
    pub nacks_deferred: u64,
    /// RTP bytes accepted (headers included).
    pub bytes: u64,
}

/// The media state of one FTL stream. See the module docs.
#[derive(Debug)]
pub struct MediaSession {
    config: MediaSessionConfig,
    announce: MediaAnnounce,
    tracks: Vec<Track>,
    video_started: bool,
    out: VecDeque<MediaOutput>,
    counters: SessionCounters,
    bitrate: RollingWindow,
    frames: RollingWindow,
    last_video_ts: Option<u32>,
    last_keyframe_ts: Option<u32>,
    keyframe_interval_ms: Option<u32>,
    sps: Option<SpsInfo>,
    last_sps: Vec<u8>,
    audio_channels: Option<u8>,
    /// A B slice was seen: the encoder reorders frames.
    b_frames: bool,
    nack_times: HashMap<(MediaKind, u16), Instant>,
    rtt: Option<Duration>,
    nack_scratch: Vec<u16>,
    /// The stream's NACKs, shared by its tracks.
    nack_budget: NackBudget,
}

impl MediaSession {
    /// A session for the validated announcement.
    pub fn new(announce: MediaAnnounce, config: MediaSessionConfig) -> Self {
        let mut tracks = Vec::new();
        for (kind, t) in [
            (MediaKind::Video, &announce.video),
            (MediaKind::Audio, &announce.audio),
        ] {
            if let Some(t) = t {
                tracks.push(Track {
                    kind,
                    ssrc: t.ssrc,
                    payload_type: t.payload_type,
                    buffer: RecoveryBuffer::new(config.recovery.clone()),
                });
            }
        }
        let video_started = announce.video.is_none();
        Self {
            nack_budget: NackBudget::new(config.nack_budget_per_second),
            bitrate: RollingWindow::new(config.rate_window),
            frames: RollingWindow::new(config.rate_window),
            config,
            announce,
            tracks,
            video_started,
            out: VecDeque::new(),
            counters: SessionCounters::default(),
            last_video_ts: None,
            last_keyframe_ts: None,
            keyframe_interval_ms: None,
            sps: None,
            last_sps: Vec::new(),
            audio_channels: None,
            b_frames: false,
            nack_times: HashMap::new(),
            rtt: None,
            nack_scratch: Vec::new(),
        }
    }

    /// The SSRCs this session accepts (used to bind the client's UDP address).
    pub fn ssrcs(&self) -> Vec<u32> {
        self.tracks.iter().map(|t| t.ssrc).collect()
    }

    /// Handles one datagram from the client.
    pub fn handle_datagram(&mut self, data: Bytes, now: Instant) -> Handled {
        match classify(&data) {
            None => {
                self.counters.malformed += 1;
                Handled::Ignored(Ignored::Malformed)
            }
            Some(DatagramKind::Ping) => {
                self.counters.pings += 1;
                self.out.push_back(MediaOutput::Transmit(data));
                Handled::Ping
            }
            Some(DatagramKind::SenderReport) => match SenderReport::parse(&data) {
                Ok(_) => {
                    self.counters.sender_reports += 1;
                    Handled::SenderReport
                }
                Err(_) => {
                    self.counters.malformed += 1;
                    Handled::Ignored(Ignored::Malformed)
                }
            },
            Some(DatagramKind::Rtp) => self.handle_rtp(data, now),
        }
    }

    fn handle_rtp(&mut self, data: Bytes, now: Instant) -> Handled {
        let len = data.len() as u64;
        let Ok(packet) = RtpPacket::parse(data) else {
            self.counters.malformed += 1;
            return Handled::Ignored(Ignored::Malformed);
        };
        let Some(i) = self.tracks.iter().position(|t| {
            t.ssrc == packet.header.ssrc && t.payload_type == packet.header.payload_type
        }) else {
            self.counters.unknown_ssrc += 1;
            return Handled::Ignored(Ignored::UnknownSsrc);
        };
        let kind = self.tracks[i].kind;
        if kind == MediaKind::Video {
            self.video_started = true;
        } else if !self.video_started {
            self.counters.early_audio += 1;
            return Handled::Ignored(Ignored::AudioBeforeVideo);
        }
        self.counters.bytes += len;
        self.bitrate.add(now, len * 8);
        let seq = packet.header.sequence;
        let pushed = self.tracks[i].buffer.push(seq, (packet, now), now);
        if pushed == (Pushed::Accepted { recovered: true }) {
            if let Some(sent) = self.nack_times.remove(&(kind, seq)) {
                self.observe_rtt(now.saturating_duration_since(sent));
            }
        }
        self.drain(i, now);
        Handled::Media
    }

    fn observe_rtt(&mut self, sample: Duration) {
        let rtt = match self.rtt {
            None => sample,
            Some(r) => (r * 7 + sample) / 8,
        };
        self.rtt = Some(rtt);
        for t in &mut self.tracks {
            t.buffer.set_rtt(rtt);
        }
    }

    /// Releases in-order packets and queues NACKs for track `i`.
    fn drain(&mut self, i: usize, now: Instant) {
        while let Some((_, (packet, received))) = self.tracks[i].buffer.pop(now) {
            let kind = self.tracks[i].kind;
            self.observe_media(kind, &packet, now);
            self.out.push_back(MediaOutput::Packet(MediaPacket::new(
                kind,
                &packet.header,
                packet.payload,
                received,
            )));
        }
        if !self.config.nack {
            return;
        }
        let mut seqs = std::mem::take(&mut self.nack_scratch);
        seqs.clear();
        self.tracks[i]
            .buffer
            .poll_nacks(now, &mut self.nack_budget, &mut seqs);
        self.counters.nacks_deferred = self.nack_budget.deferred();
        if !seqs.is_empty() {
            let kind = self.tracks[i].kind;
            let ssrc = self.tracks[i].ssrc;
            if self.nack_times.len() > 4096 {
                self.nack_times
                    .retain(|_, t| now.saturating_duration_since(*t) < Duration::from_secs(2));
            }
            for &s in &seqs {
                self.nack_times.entry((kind, s)).or_insert(now);
            }
            for chunk in seqs.chunks(MAX_NACKS_PER_MESSAGE) {
                let nack = GenericNack {
                    sender_ssrc: ssrc,
                    media_ssrc: ssrc,
                    lost: chunk.to_vec(),
                };
                self.counters.nack_messages += 1;
                self.out
                    .push_back(MediaOutput::Transmit(Bytes::from(nack.to_bytes())));
            }
        }
        self.nack_scratch = seqs;
    }

    /// Learns frame rate, keyframe interval, resolution and channels from released packets.
    fn observe_media(&mut self, kind: MediaKind, packet: &RtpPacket, now: Instant) {
        match kind {
            MediaKind::Video => {
                let ts = packet.header.timestamp;
                let new_frame = self.last_video_ts != Some(ts);
                if new_frame {
                    self.last_video_ts = Some(ts);
                    self.frames.add(now, 1);
                }
                if h264::begins_keyframe_nal(&packet.payload) && self.last_keyframe_ts != Some(ts) {
                    if let Some(prev) = self.last_keyframe_ts {
                        self.keyframe_interval_ms = Some(ts.wrapping_sub(prev) / 90);
                    }
                    self.last_keyframe_ts = Some(ts);
                }
                if !self.b_frames && h264::carries_b_slice(&packet.payload) {
                    self.b_frames = true;
                }
                if let Some(sps) = h264::find_sps(&packet.payload) {
                    if sps != self.last_sps.as_slice() {
                        self.last_sps = sps.to_vec();
                        if let Ok(info) = h264::parse_sps(sps) {
                            self.sps = Some(info);
                        }
                    }
                }
            }
            MediaKind::Audio => {
                if let Some(c) = opus::toc_channels(&packet.payload) {
                    self.audio_channels = Some(self.audio_channels.unwrap_or(1).max(c));
                }
            }
        }
    }

    /// Runs time-based work: NACK retries and giving up old gaps.
    pub fn handle_timeout(&mut self, now: Instant) {
        for i in 0..self.tracks.len() {
            self.drain(i, now);
        }
    }

    /// When [`MediaSession::handle_timeout`] should run next. While the NACK budget is spent,
    /// not before its next token (NACKs due meanwhile wait for it; gaps age out at most that
    /// much later).
    pub fn next_deadline(&self) -> Option<Instant> {
        let next = self
            .tracks
            .iter()
            .filter_map(|t| t.buffer.next_timeout())
            .min()?;
        Some(match self.nack_budget.exhausted_until() {
            Some(token) => next.max(token),
            None => next,
        })
    }

    /// The next output to act on.
    pub fn poll_output(&mut self) -> Option<MediaOutput> {
        self.out.pop_front()
    }

    /// The bitrate over the rolling window, and whether the window is full (a fair measure).
    pub fn bitrate_bps(&mut self, now: Instant) -> (u64, bool) {
        (
            self.bitrate.rate_per_sec(now) as u64,
            self.bitrate.is_full(now),
        )
    }

    /// The smoothed round-trip time to the client, from NACK round trips; None until measured.
    pub fn rtt(&self) -> Option<Duration> {
        self.rtt
    }

    /// Counters beyond loss recovery.
    pub fn counters(&self) -> SessionCounters {
        self.counters
    }

    /// Loss recovery counters summed over tracks.
    pub fn recovery_stats(&self) -> RecoveryStats {
        let mut s = RecoveryStats::default();
        for t in &self.tracks {
            let x = t.buffer.stats();
            s.received += x.received;
            s.duplicates += x.duplicates;
            s.late += x.late;
            s.lost += x.lost;
            s.recovered += x.recovered;
            s.unrecovered += x.unrecovered;
            s.nacked += x.nacked;
            s.invalid += x.invalid;
            s.restarts += x.restarts;
        }
        s
    }

    /// The stats snapshot for the platform.
    pub fn stats(
        &mut self,
        now: Instant,
        stream_time: Duration,
        ingest_server: &str,
    ) -> StreamStats {
        let r = self.recovery_stats();
        let (bitrate, _) = self.bitrate_bps(now);
        StreamStats {
            ingest_server: ingest_server.to_string(),
            stream_time_seconds: stream_time.as_secs(),
            source_bitrate: bitrate,
            source_ping_ms: self
                .rtt
                .map(|d| d.as_millis().min(u128::from(u32::MAX)) as u32),
            recv_packets: r.received,
            lost_packets: r.lost,
            nack_packets: r.nacked,
            recovered_packets: r.recovered,
            unrecovered_packets: r.unrecovered,
            vendor_name: self.announce.vendor_name.clone(),
            vendor_version: self.announce.vendor_version.clone(),
            video_codec: self.announce.video.as_ref().map(|t| t.codec.clone()),
            audio_codec: self.announce.audio.as_ref().map(|t| t.codec.clone()),
            video_width: self.sps.map(|s| s.width),
            video_height: self.sps.map(|s| s.height),
            video_profile: self.sps.map(|s| s.profile_level_id()),
            video_chroma_format: self.sps.map(|s| s.chroma_format_idc),
            video_bit_depth: self.sps.map(|s| s.bit_depth),
            fps: self.frames.rate_per_sec(now),
            keyframe_interval_ms: self.keyframe_interval_ms,
            audio_channels: self.audio_channels,
            ingest_protocol: IngestProtocol::Ftl,
            video_b_frames: self.b_frames,
        }
    }
}

#[cfg(test)]
mod tests;
