//! One publisher: a str0m `Rtc` (ICE-lite, frame mode) driven by its own task, fed by the
//! demux; its media goes into the channel's hub, its stream's metadata to the platform.
//!
//! As with viewers, the task is the only owner of the `Rtc`, every mutation is followed by a
//! full drain of `poll_output`, and each step runs inside `catch_unwind` (a str0m panic ends
//! this stream, never the process).

use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use shimmer_ftl::ingest_control::StreamEndReason;
use shimmer_ftl::{ControlError, IngestProtocol, StreamStats};
use shimmer_media::h264::{self, annexb::split_nal_units, packetize_nal};
use shimmer_media::rtp::RtpHeader;
use shimmer_media::{MediaKind, MediaPacket, StreamHub};
use str0m::change::SdpOffer;
use str0m::config::DtlsCert;
use str0m::format::Codec;
use str0m::media::{Frequency, KeyframeRequestKind, MediaData, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};
use tokio::task::JoinHandle;

use super::{Inner, Resource};
use crate::demux::Datagram;
use crate::engine::SharedTransport;
use crate::nominate::EarlyNomination;
use crate::source::VIDEO_PAYLOAD;

/// Payload types of the hub's tracks (this ingest's own numbering, like RTMP's).
pub(crate) const HUB_VIDEO_PT: u8 = 96;
pub(crate) const HUB_AUDIO_PT: u8 = 111;

/// H.264 formats a publisher may send: Baseline, Constrained Baseline, Main, High and
/// Constrained High (str0m answers an offered level with the offer's own level).
const H264_PROFILES: [u32; 5] = [0x42001f, 0x42e01f, 0x4d001f, 0x64001f, 0x640c1f];

/// The str0m configuration of a publisher session: ICE-lite, frame mode, every H.264 profile
/// with RTX, and Opus.
fn publisher_rtc_config() -> RtcConfig {
    let mut cfg = RtcConfig::new()
        .set_ice_lite(true)
        .clear_codecs()
        .set_stats_interval(Some(Duration::from_secs(1)));
    let codecs = cfg.codec_config();
    for (i, plid) in H264_PROFILES.iter().enumerate() {
        let pt = 96 + 2 * i as u8;
        codecs.add_h264(pt.into(), Some((pt + 1).into()), true, *plid);
    }
    codecs.enable_opus(true, false);
    cfg
}

/// An answered publisher offer.
pub(crate) struct Answered {
    pub(crate) rtc: Rtc,
    pub(crate) answer: String,
    pub(crate) ufrag: String,
    pub(crate) video: Option<Mid>,
    pub(crate) audio: Option<Mid>,
}

/// Answers a publisher's offer; the error is str0m's reason (a 400).
pub(crate) fn answer_offer(
    cert: Option<&DtlsCert>,
    candidates: &[SocketAddr],
    offer: SdpOffer,
    mids: &[(bool, String)],
) -> Result<Answered, String> {
    let mut config = publisher_rtc_config();
    if let Some(cert) = cert {
        config = config.set_dtls_cert(cert.clone());
    }
    let mut rtc = config.build(Instant::now());
    for addr in candidates {
        if let Ok(c) = Candidate::host(*addr, "udp") {
            rtc.add_local_candidate(c);
        }
    }
    let answer = rtc
        .sdp_api()
        .accept_offer(offer)
        .map_err(|e| e.to_string())?;
    loop {
        match rtc.poll_output() {
            Ok(Output::Timeout(_)) => break,
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    let (mut video, mut audio) = (None, None);
    for (is_video, mid) in mids {
        let mid = Mid::from(mid.as_str());
        let Some(media) = rtc.media(mid) else {
            continue;
        };
        if !media.direction().is_receiving() {
            continue;
        }
        let want = if *is_video { Codec::H264 } else { Codec::Opus };
        let negotiated = media.remote_pts().iter().any(|pt| {
            rtc.codec_config()
                .params()
                .iter()
                .any(|p| p.pt() == *pt && p.spec().codec == want)
        });
        match (*is_video, negotiated) {
            (true, true) if video.is_none() => video = Some(mid),
            (false, true) if audio.is_none() => audio = Some(mid),
            _ => {}
        }
    }
    if video.is_none() {
        return Err("no H.264 video section could be negotiated".into());
    }
    let ufrag = rtc.direct_api().local_ice_credentials().ufrag;
    Ok(Answered {
        rtc,
        answer: answer.to_sdp_string(),
        ufrag,
        video,
        audio,
    })
}

/// The encoder's name and version from its User-Agent (`OBS-Studio/30.1.2 ...` → both; a
/// browser's `Mozilla/5.0 ...` is kept as its first product only). Printable ASCII, bounded.
pub(crate) fn vendor_from_user_agent(ua: &str) -> (Option<String>, Option<String>) {
    let clean = |s: &str| {
        let s: String = s
            .chars()
            .filter(|c| c.is_ascii_graphic())
            .take(64)
            .collect();
        (!s.is_empty()).then_some(s)
    };
    let product = ua
        .split_whitespace()
        .find(|p| p.contains("OBS"))
        .or_else(|| ua.split_whitespace().next())
        .unwrap_or_default()
        .trim_matches(|c: char| c == '(' || c == ')' || c == ';');
    match product.split_once('/') {
        Some((name, version)) => (clean(name), clean(version)),
        None => (clean(product), None),
    }
}

/// Everything a publisher task needs; built by the POST handler.
pub(crate) struct PublisherParts {
    pub(crate) resource_id: String,
    pub(crate) resource: Resource,
    pub(crate) stream_id: i64,
    pub(crate) hub: Arc<StreamHub>,
    pub(crate) answered: Answered,
    pub(crate) transport: SharedTransport,
    pub(crate) video_ssrc: u32,
    pub(crate) audio_ssrc: u32,
    pub(crate) vendor: (Option<String>, Option<String>),
}

/// Per-channel counters (Prometheus), named like FTL's.
struct Meters {
    received: metrics::Counter,
    frames_dropped: metrics::Counter,
    nacks: metrics::Counter,
    plis: metrics::Counter,
    bitrate: metrics::Gauge,
}

impl Meters {
    fn new(channel_id: i64) -> Self {
        let c = channel_id.to_string();
        Self {
            received: metrics::counter!("shimmer_whip_packets_received_total", "channel" => c.clone()),
            frames_dropped: metrics::counter!("shimmer_whip_frames_dropped_total", "channel" => c.clone()),
            nacks: metrics::counter!("shimmer_whip_nacks_sent_total", "channel" => c.clone()),
            plis: metrics::counter!("shimmer_whip_plis_sent_total", "channel" => c.clone()),
            bitrate: metrics::gauge!("shimmer_whip_bitrate_bps", "channel" => c),
        }
    }
}

/// What the metadata reports are made from.
#[derive(Default)]
struct Counters {
    packets: u64,
    bytes: u64,
    frames: u64,
    nacks: u64,
    rtt_ms: Option<u32>,
    last_keyframe_ts: Option<u32>,
    keyframe_interval_ms: Option<u32>,
    /// The encoder sends B-frames (which WebRTC viewers cannot reorder).
    b_frames: bool,
    /// Bytes and frames at the last report, for rates over the interval.
    last_bytes: u64,
    last_frames: u64,
}

/// The running publisher.
struct Publisher {
    inner: Arc<Inner>,
    p: PublisherParts,
    channel_id: i64,
    connected: bool,
    created_at: Instant,
    started: Instant,
    last_media: Instant,
    last_report: Instant,
    /// When the bitrate cap was last checked, and the bytes received then.
    cap_checked: (Instant, u64),
    last_pli: Option<Instant>,
    video_seq: u16,
    audio_seq: u16,
    /// After an unrepaired loss: video is dropped until the next keyframe.
    waiting_keyframe: bool,
    counters: Counters,
    meters: Meters,
    ended: Option<StreamEndReason>,
    /// Nominates the path the publisher's DTLS comes on until it is connected.
    nomination: EarlyNomination,
}

/// Runs a publisher session to its end: media into the hub, metadata reports, then
/// `end_stream` with the reason.
pub(crate) async fn run(inner: Arc<Inner>, mut parts: PublisherParts) {
    let now = Instant::now();
    let password = parts.answered.rtc.direct_api().local_ice_credentials().pass;
    let channel_id = parts.resource.channel_id;
    let mut publisher = Publisher {
        inner,
        channel_id,
        connected: false,
        created_at: now,
        started: now,
        last_media: now,
        last_report: now,
        cap_checked: (now, 0),
        last_pli: None,
        video_seq: rand::random(),
        audio_seq: rand::random(),
        waiting_keyframe: true,
        counters: Counters::default(),
        meters: Meters::new(channel_id),
        ended: None,
        nomination: EarlyNomination::new(password),
        p: parts,
    };
    let reason = publisher.serve().await;
    publisher.finish(reason).await;
}

impl Publisher {
    async fn serve(&mut self) -> StreamEndReason {
        let config = self.inner.config.clone();
        let mut timeout = self.step(None).unwrap_or_else(Instant::now);
        let mut report: Option<JoinHandle<Result<(), ControlError>>> = None;
        let sleep = tokio::time::sleep_until(timeout.into());
        tokio::pin!(sleep);
        let delete = self.p.resource.delete.clone();
        let replace = self.p.resource.replace.clone();
        let closing = self.inner.closing.clone();
        let hub = Arc::clone(&self.p.hub);
        loop {
            if let Some(reason) = self.ended {
                return reason;
            }
            let now = Instant::now();
            if !self.connected && now >= self.created_at + config.connect_timeout {
                tracing::info!(
                    channel_id = self.channel_id,
                    "WHIP publisher did not complete ICE and DTLS"
                );
                return StreamEndReason::Timeout;
            }
            if self.connected && now >= self.last_media + config.media_timeout {
                tracing::info!(channel_id = self.channel_id, "WHIP publisher sent no media");
                return StreamEndReason::Timeout;
            }
            if self.connected && now >= self.last_report + config.metadata_interval {
                if let Some(h) = report.take_if(|h| h.is_finished()) {
                    if let Ok(Err(ControlError::StreamEnded)) = h.await {
                        return StreamEndReason::Error;
                    }
                }
                if report.is_none() {
                    report = Some(self.spawn_report(now));
                }
                self.last_report = now;
                let (since, bytes) = self.cap_checked;
                let bitrate = (self.counters.bytes - bytes) as f64 * 8.0
                    / now
                        .saturating_duration_since(since)
                        .as_secs_f64()
                        .max(0.001);
                self.cap_checked = (now, self.counters.bytes);
                let cap = config.max_bitrate_bps;
                if cap > 0 && bitrate > cap as f64 {
                    tracing::warn!(
                        channel_id = self.channel_id,
                        bitrate,
                        cap,
                        "WHIP stream exceeded the bitrate cap; ending it"
                    );
                    return StreamEndReason::BitrateExceeded;
                }
            }
            let mut wake = timeout;
            if self.connected {
                wake = wake
                    .min(self.last_media + config.media_timeout)
                    .min(self.last_report + config.metadata_interval);
            } else {
                wake = wake.min(self.created_at + config.connect_timeout);
            }
            if sleep.deadline() != wake.into() {
                sleep.as_mut().reset(wake.into());
            }
            tokio::select! {
                biased;
                _ = delete.cancelled() => return StreamEndReason::Disconnect,
                _ = replace.cancelled() => return StreamEndReason::Replaced,
                _ = closing.cancelled() => return StreamEndReason::Shutdown,
                _ = self.p.transport.shutdown.changed() => return StreamEndReason::Shutdown,
                d = self.p.transport.inbox.recv() => match d {
                    Some(d) => {
                        if let Some(t) = self.step(Some(&d)) { timeout = t; }
                    }
                    // Only the engine closes an inbox, when its receive loop stops at shutdown;
                    // that races the shutdown signal, and either way the stream ends because
                    // the server stops, not because the publisher failed.
                    None => return StreamEndReason::Shutdown,
                },
                () = hub.keyframe_requested(), if self.connected => self.request_keyframe(),
                _ = &mut sleep => {
                    if let Some(t) = self.step(None) { timeout = t; }
                }
            }
        }
    }

    /// Hands str0m one datagram (ignored when it is not STUN, DTLS or RTP) and drains it.
    fn receive(
        &mut self,
        received_at: Instant,
        source: SocketAddr,
        data: &[u8],
    ) -> Result<Instant, StreamEndReason> {
        let Ok(contents) = data.try_into() else {
            return self.drain();
        };
        let input = Input::Receive(
            received_at,
            Receive {
                proto: Protocol::Udp,
                source,
                destination: self.p.transport.local_addr,
                contents,
            },
        );
        self.p
            .answered
            .rtc
            .handle_input(input)
            .map_err(|_| StreamEndReason::Error)?;
        self.drain()
    }

    /// One input (a datagram, or a timeout when None) and the complete drain after it.
    fn step(&mut self, datagram: Option<&Datagram>) -> Option<Instant> {
        let result = catch_unwind(AssertUnwindSafe(|| -> Result<Instant, StreamEndReason> {
            match datagram {
                Some(d) => {
                    if !self.connected {
                        if let Some(check) = self.nomination.before(d.source, &d.data) {
                            self.receive(d.received_at, d.source, &check)?;
                        }
                    }
                    self.receive(d.received_at, d.source, &d.data)
                }
                None => {
                    self.p
                        .answered
                        .rtc
                        .handle_input(Input::Timeout(Instant::now()))
                        .map_err(|_| StreamEndReason::Error)?;
                    self.drain()
                }
            }
        }));
        match result {
            Ok(Ok(t)) => Some(t),
            Ok(Err(reason)) => {
                self.ended = Some(reason);
                None
            }
            Err(_) => {
                tracing::error!(
                    channel_id = self.channel_id,
                    "str0m panicked; ending this WHIP stream only"
                );
                self.ended = Some(StreamEndReason::Error);
                None
            }
        }
    }

    fn drain(&mut self) -> Result<Instant, StreamEndReason> {
        loop {
            let out = self
                .p
                .answered
                .rtc
                .poll_output()
                .map_err(|_| StreamEndReason::Error)?;
            match out {
                Output::Timeout(t) => {
                    if !self.p.answered.rtc.is_alive() {
                        return Err(StreamEndReason::Disconnect);
                    }
                    return Ok(t);
                }
                Output::Transmit(t) => {
                    // Feedback and ICE answers only: small and rare, so no queueing.
                    let _ = self
                        .p
                        .transport
                        .socket
                        .try_send_to(&t.contents, t.destination);
                }
                Output::Event(e) => self.on_event(e)?,
            }
        }
    }

    fn on_event(&mut self, e: Event) -> Result<(), StreamEndReason> {
        match e {
            Event::Connected => {
                let now = Instant::now();
                self.connected = true;
                self.started = now;
                self.last_media = now;
                self.last_report = now;
                tracing::info!(
                    channel_id = self.channel_id,
                    stream_id = self.p.stream_id,
                    "WHIP publisher connected"
                );
            }
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                return Err(StreamEndReason::Disconnect);
            }
            Event::Closed => return Err(StreamEndReason::Disconnect),
            Event::MediaData(data) => self.on_media(data),
            Event::MediaIngressStats(s) if Some(s.mid) == self.p.answered.video => {
                let new = s.nacks.saturating_sub(self.counters.nacks);
                self.meters.nacks.increment(new);
                self.counters.nacks = s.nacks;
                if let Some(rtt) = s.rtt {
                    self.counters.rtt_ms = Some(rtt.as_millis().min(u32::MAX as u128) as u32);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn on_media(&mut self, data: MediaData) {
        let received_at = data.network_time;
        self.last_media = Instant::now();
        let packets = (**data.seq_range.end()).saturating_sub(**data.seq_range.start()) + 1;
        self.counters.packets += packets;
        self.counters.bytes += data.data.len() as u64;
        self.meters.received.increment(packets);
        if Some(data.mid) == self.p.answered.video {
            self.on_video(&data, received_at);
        } else if Some(data.mid) == self.p.answered.audio {
            let timestamp = data.time.rebase(Frequency::FORTY_EIGHT_KHZ).numer() as u32;
            self.audio_seq = self.audio_seq.wrapping_add(1);
            let header = RtpHeader::new(
                HUB_AUDIO_PT,
                self.audio_seq,
                timestamp,
                self.p.audio_ssrc,
                false,
            );
            let payload = Bytes::copy_from_slice(&data.data);
            self.p.hub.publish(MediaPacket::new(
                MediaKind::Audio,
                &header,
                payload,
                received_at,
            ));
        }
    }

    fn on_video(&mut self, data: &MediaData, received_at: Instant) {
        let nals = split_nal_units(&data.data);
        let keyframe = nals
            .iter()
            .any(|n| matches!(h264::nal_type(n[0]), h264::NAL_IDR | h264::NAL_SPS));
        if !data.contiguous && !keyframe {
            // A loss str0m could not repair: this frame refers to what is missing.
            self.waiting_keyframe = true;
            self.request_keyframe();
        }
        if self.waiting_keyframe && !keyframe {
            self.meters.frames_dropped.increment(1);
            return;
        }
        self.waiting_keyframe = false;
        let timestamp = data.time.rebase(Frequency::NINETY_KHZ).numer() as u32;
        if keyframe {
            if let Some(last) = self.counters.last_keyframe_ts {
                self.counters.keyframe_interval_ms = Some(timestamp.wrapping_sub(last) / 90);
            }
            self.counters.last_keyframe_ts = Some(timestamp);
        }
        self.counters.frames += 1;
        if !self.counters.b_frames && nals.iter().any(|nal| h264::carries_b_slice(nal)) {
            self.counters.b_frames = true;
            tracing::warn!(
                channel_id = self.channel_id,
                "the WHIP encoder sends B-frames, which WebRTC viewers cannot reorder: set B-frames to 0 (x264's 'zerolatency' tune)"
            );
        }
        let payloads: Vec<Vec<u8>> = nals
            .iter()
            .flat_map(|nal| packetize_nal(nal, VIDEO_PAYLOAD))
            .collect();
        let n = payloads.len();
        for (i, payload) in payloads.into_iter().enumerate() {
            self.video_seq = self.video_seq.wrapping_add(1);
            let header = RtpHeader::new(
                HUB_VIDEO_PT,
                self.video_seq,
                timestamp,
                self.p.video_ssrc,
                i + 1 == n,
            );
            self.p.hub.publish(MediaPacket::new(
                MediaKind::Video,
                &header,
                Bytes::from(payload),
                received_at,
            ));
        }
    }

    /// Sends the encoder a PLI, at most once per `pli_interval`.
    fn request_keyframe(&mut self) {
        let now = Instant::now();
        let interval = self.inner.config.pli_interval;
        if self
            .last_pli
            .is_some_and(|t| now.saturating_duration_since(t) < interval)
        {
            return;
        }
        let Some(mid) = self.p.answered.video else {
            return;
        };
        let sent = catch_unwind(AssertUnwindSafe(|| {
            self.p
                .answered
                .rtc
                .writer(mid)
                .map(|mut w| w.request_keyframe(None, KeyframeRequestKind::Pli).is_ok())
        }));
        if let Ok(Some(true)) = sent {
            self.last_pli = Some(now);
            self.meters.plis.increment(1);
            // The request goes out with the next poll.
            let _ = self.step(None);
        }
    }

    fn spawn_report(&mut self, now: Instant) -> JoinHandle<Result<(), ControlError>> {
        let secs = now
            .saturating_duration_since(self.last_report)
            .as_secs_f64()
            .max(0.001);
        let bitrate = ((self.counters.bytes - self.counters.last_bytes) as f64 * 8.0 / secs) as u64;
        let fps = (self.counters.frames - self.counters.last_frames) as f64 / secs;
        self.counters.last_bytes = self.counters.bytes;
        self.counters.last_frames = self.counters.frames;
        self.meters.bitrate.set(bitrate as f64);
        let info = self.p.hub.info();
        let sps = info.video.as_ref().and_then(|v| v.sps);
        let has_audio = self.p.answered.audio.is_some();
        let stats = StreamStats {
            ingest_server: self.inner.config.ingest_name.clone(),
            stream_time_seconds: now.saturating_duration_since(self.started).as_secs(),
            source_bitrate: bitrate,
            source_ping_ms: self.counters.rtt_ms,
            recv_packets: self.counters.packets,
            nack_packets: self.counters.nacks,
            vendor_name: self.p.vendor.0.clone(),
            vendor_version: self.p.vendor.1.clone(),
            video_codec: Some("H264".into()),
            audio_codec: has_audio.then(|| "OPUS".into()),
            video_width: sps.map(|s| s.width),
            video_height: sps.map(|s| s.height),
            video_profile: sps.map(|s| s.profile_level_id()),
            video_chroma_format: sps.map(|s| s.chroma_format_idc),
            video_bit_depth: sps.map(|s| s.bit_depth),
            fps,
            keyframe_interval_ms: self.counters.keyframe_interval_ms,
            audio_channels: info.audio.map(|a| a.channels),
            ingest_protocol: IngestProtocol::Whip,
            video_b_frames: self.counters.b_frames,
            ..StreamStats::default()
        };
        let control = Arc::clone(&self.inner.control);
        let call = self.inner.config.call_timeout;
        let (channel_id, stream_id) = (self.channel_id, self.p.stream_id);
        tokio::spawn(async move {
            match tokio::time::timeout(call, control.report_metadata(channel_id, stream_id, &stats))
                .await
            {
                Ok(result) => {
                    if let Err(error) = &result {
                        tracing::warn!(channel_id, stream_id, %error, "report_metadata failed");
                    }
                    result
                }
                Err(_) => {
                    tracing::warn!(channel_id, stream_id, "report_metadata timed out");
                    Ok(())
                }
            }
        })
    }

    /// Ends the stream: tells the encoder (DTLS close), frees the route and the hub, and calls
    /// `end_stream` once.
    async fn finish(mut self, reason: StreamEndReason) {
        if matches!(
            reason,
            StreamEndReason::Disconnect | StreamEndReason::Replaced | StreamEndReason::Shutdown
        ) {
            let _ = catch_unwind(AssertUnwindSafe(|| {
                if self.p.answered.rtc.close().is_ok() {
                    let _ = self.drain();
                }
            }));
        }
        self.inner.engine.detach(&self.p.answered.ufrag);
        self.inner.hubs.remove(&self.p.hub);
        self.inner.forget(&self.p.resource_id);
        let (channel_id, stream_id) = (self.channel_id, self.p.stream_id);
        tracing::info!(
            channel_id,
            stream_id,
            reason = reason.as_str(),
            "WHIP stream ended"
        );
        metrics::counter!("shimmer_whip_streams_ended_total", "reason" => reason.as_str())
            .increment(1);
        match tokio::time::timeout(
            self.inner.config.call_timeout,
            self.inner.control.end_stream(channel_id, stream_id, reason),
        )
        .await
        {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(channel_id, stream_id, error = %e, "end_stream failed"),
            Err(_) => tracing::warn!(channel_id, stream_id, "end_stream timed out"),
        }
        self.p.resource.done.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whip::offer::{tests::obs_like_offer, validate_publish_offer};

    #[test]
    fn obs_offers_are_answered_in_every_profile() {
        let candidates = [SocketAddr::from(([127, 0, 0, 1], 8189))];
        for plid in ["42e01f", "42001f", "4d001f", "64001f", "640c1f", "640028"] {
            let offer = validate_publish_offer(obs_like_offer(plid).as_bytes()).unwrap();
            let answered = answer_offer(None, &candidates, offer.sdp, &offer.summary.mids)
                .unwrap_or_else(|e| panic!("{plid}: {e}"));
            assert_eq!(answered.video, Some(Mid::from("1")), "{plid}");
            assert_eq!(answered.audio, Some(Mid::from("0")), "{plid}");
            assert!(answered.answer.contains("H264/90000"), "{plid}");
            assert!(answered.answer.contains("a=recvonly"), "{plid}");
        }
    }

    #[test]
    fn vendor_comes_from_the_user_agent() {
        assert_eq!(
            vendor_from_user_agent("Mozilla/5.0 (OBS-Studio/30.1.2; Linux x86_64)"),
            (Some("OBS-Studio".into()), Some("30.1.2".into()))
        );
        assert_eq!(
            vendor_from_user_agent("shimmer-push/0.1"),
            (Some("shimmer-push".into()), Some("0.1".into()))
        );
        assert_eq!(vendor_from_user_agent(""), (None, None));
    }
}
