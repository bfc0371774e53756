//! A WHEP viewer on str0m: POSTs an offer, completes ICE, DTLS and SRTP over real UDP, and
//! reports what it received. The integration tests and `shimmer-bench whep` both use it, so the
//! benchmark measures exactly what the tests check.
//!
//! Two ways to look at media:
//! - **checked** (`decrypt: true`): every datagram goes through str0m; packets are decrypted,
//!   NACKed when missing, and their payloads inspected (keyframe starts).
//! - **counted** (`decrypt: false`): after DTLS, SRTP packets are counted from their clear RTP
//!   header (SSRC, sequence) without decrypting, so one load generator can hold many viewers.
//!   STUN and DTLS still go through str0m, which keeps ICE consent alive.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use serde::Serialize;
use shimmer_webrtc::publisher::absolute_location;
use std::io::IoSliceMut;
use str0m::change::SdpAnswer;
use str0m::format::{Codec, FormatParams};
use str0m::media::{Direction, Frequency, KeyframeRequestKind, MediaKind, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};

use quinn_udp::{RecvMeta, UdpSockRef, UdpSocketState};
use tokio::io::Interest;
use tokio::net::UdpSocket;

/// What a viewer does.
#[derive(Debug, Clone)]
pub struct ViewerOptions {
    /// The WHEP endpoint, e.g. `http://127.0.0.1:8080/api/whep/alice`.
    pub url: String,
    /// Sent as `X-Shimmer-Viewer`.
    pub viewer_key: Option<String>,
    /// Local address for the viewer's UDP socket (its ICE host candidate).
    pub bind_ip: IpAddr,
    /// A network namespace (a name under `/run/netns`, as `ip netns add` makes them) to create
    /// the viewer's UDP socket in, e.g. one behind a rate-limited link; None: the process's.
    /// Needs root. The HTTP requests still go from the process's namespace.
    pub netns: Option<String>,
    /// Decrypt and check every packet (see the module docs).
    pub decrypt: bool,
    /// Drop every n-th incoming video RTP datagram before str0m sees it (forces NACKs).
    pub drop_every_nth_video: Option<u32>,
    /// Send a PLI this long after connecting.
    pub pli_after: Option<Duration>,
    /// Stop reading the socket this long after connecting (a stuck viewer).
    pub stop_reading_after: Option<Duration>,
    /// How long to stay after connecting.
    pub duration: Duration,
    /// DELETE the session at the end.
    pub delete_at_end: bool,
    /// Give up if ICE and DTLS take longer than this.
    pub connect_timeout: Duration,
    /// Leave (and DELETE the session) as soon as this turns true, whatever `duration` says:
    /// load generators make many viewers leave at one moment, however late they connected.
    pub leave: Option<tokio::sync::watch::Receiver<bool>>,
    /// The H.264 `profile-level-id`s offered (packetization mode 1, each with RTX), in order
    /// of preference; at most [`MAX_H264_FORMATS`]. Default: [`CHROME_H264`].
    pub h264_profiles: Vec<u32>,
}

/// The H.264 formats Google Chrome offers (High included).
pub const CHROME_H264: [u32; 5] = [0x42e01f, 0x42001f, 0x4d001f, 0x640c1f, 0x64001f];
/// The H.264 formats Debian's Chromium offers: no High, but High 4:4:4.
pub const DEBIAN_CHROMIUM_H264: [u32; 4] = [0x42001f, 0x42e01f, 0x4d001f, 0xf4001f];
/// The H.264 format Firefox offers: Constrained Baseline only.
pub const FIREFOX_H264: [u32; 1] = [0x42e01f];

/// Opus's payload type in the offer (Chrome's choice too).
const OPUS_PT: u8 = 111;
/// H.264 formats an offer can carry: pairs of dynamic payload types (format, RTX) besides Opus's.
pub const MAX_H264_FORMATS: usize = 15;

impl ViewerOptions {
    /// A checked viewer of `url` for `duration`, on loopback, deleting its session at the end.
    pub fn new(url: impl Into<String>, duration: Duration) -> Self {
        Self {
            url: url.into(),
            viewer_key: None,
            bind_ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            netns: None,
            decrypt: true,
            drop_every_nth_video: None,
            pli_after: None,
            stop_reading_after: None,
            duration,
            delete_at_end: true,
            connect_timeout: Duration::from_secs(10),
            leave: None,
            h264_profiles: CHROME_H264.to_vec(),
        }
    }
}

/// One track as the viewer saw it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TrackReport {
    /// Packets received on the main SSRC (retransmissions included when checked).
    pub packets: u64,
    /// Payload (checked) or datagram (counted) bytes.
    pub bytes: u64,
    /// The main SSRC (most packets).
    pub ssrc: Option<u32>,
    /// Sequence numbers expected between the first and last received.
    pub expected: u64,
    /// Of those, never received.
    pub lost: u64,
    /// First few extended sequence numbers, in arrival order (for continuity checks).
    pub first_seqs: Vec<u64>,
}

/// What one viewer saw.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ViewerReport {
    /// HTTP status of the POST.
    pub status: u16,
    /// ICE and DTLS completed.
    pub connected: bool,
    /// POST sent to DTLS connected, ms.
    pub connect_ms: Option<f64>,
    /// POST sent to the first video packet, ms (checked: the first keyframe start).
    pub first_video_ms: Option<f64>,
    /// When the first video frame (a keyframe) had arrived whole, ms after the offer was sent:
    /// its last packet (the first marker bit) arrived and none before it was missing (in
    /// arrival order: a repair that comes later does not count). None if it was not whole.
    pub first_frame_end_ms: Option<f64>,
    /// Packets of the first video frame missing when its last packet arrived.
    pub first_frame_lost: Option<u64>,
    /// Checked mode: whether the very first video packet began a keyframe.
    pub first_video_is_keyframe: Option<bool>,
    /// Checked mode: keyframe starts received (distinct frames).
    pub keyframe_starts: u64,
    /// Checked mode: keyframe starts received after the PLI was sent.
    pub keyframes_after_pli: u64,
    /// Video track.
    pub video: TrackReport,
    /// Audio track.
    pub audio: TrackReport,
    /// The session URL (Location).
    pub session_url: Option<String>,
    /// The H.264 `profile-level-id` of the answer (hex), which says the format chosen.
    pub answer_h264: Option<String>,
    /// The server ended the session (DTLS close or ICE disconnect) before our end.
    pub ended_by_server: bool,
    /// Status of the DELETE, if sent.
    pub delete_status: Option<u16>,
    /// What went wrong, if anything.
    pub error: Option<String>,
}

/// Sequence numbers of one SSRC: the range seen and how many distinct ones arrived, with a
/// bitmap of the last [`WINDOW`] to recognise duplicates (constant cost per packet, so a load
/// generator can hold many viewers).
#[derive(Default)]
struct SeqTracker {
    packets: u64,
    bytes: u64,
    lo: u64,
    hi: u64,
    distinct: u64,
    window: Vec<u64>,
}

/// Sequence numbers remembered for duplicate detection.
const WINDOW: u64 = 4096;

impl SeqTracker {
    fn bit(&mut self, ext: u64) -> (&mut u64, u64) {
        let i = ext % WINDOW;
        (&mut self.window[(i / 64) as usize], 1 << (i % 64))
    }

    fn insert(&mut self, ext: u64) {
        if self.window.is_empty() {
            self.window = vec![0; (WINDOW / 64) as usize];
            (self.lo, self.hi) = (ext, ext);
        } else if ext > self.hi {
            // Forget what falls out of the window.
            if ext - self.hi >= WINDOW {
                self.window.iter_mut().for_each(|w| *w = 0);
            } else {
                for s in self.hi + 1..ext {
                    let (w, m) = self.bit(s);
                    *w &= !m;
                }
                let (w, m) = self.bit(ext);
                *w &= !m;
            }
            self.hi = ext;
        } else if self.hi - ext >= WINDOW {
            // Too old to tell: counted as new.
            self.lo = self.lo.min(ext);
            self.distinct += 1;
            return;
        }
        self.lo = self.lo.min(ext);
        let (w, m) = self.bit(ext);
        if *w & m == 0 {
            *w |= m;
            self.distinct += 1;
        }
    }
}

#[derive(Default)]
struct TrackStats {
    per_ssrc: HashMap<u32, SeqTracker>,
    first: Vec<u64>,
}

impl TrackStats {
    fn add(&mut self, ssrc: u32, ext_seq: Option<u64>, seq16: u16, bytes: usize) {
        let e = self.per_ssrc.entry(ssrc).or_default();
        e.packets += 1;
        e.bytes += bytes as u64;
        let ext = ext_seq.unwrap_or_else(|| {
            let last = (!e.window.is_empty()).then_some(e.hi);
            extend_seq(last, seq16)
        });
        e.insert(ext);
        if self.first.len() < 64 {
            self.first.push(ext);
        }
    }

    fn report(&self) -> TrackReport {
        let Some((&ssrc, t)) = self.per_ssrc.iter().max_by_key(|(_, t)| t.packets) else {
            return TrackReport::default();
        };
        let expected = t.hi - t.lo + 1;
        TrackReport {
            packets: t.packets,
            bytes: t.bytes,
            ssrc: Some(ssrc),
            expected,
            lost: expected.saturating_sub(t.distinct),
            first_seqs: self.first.clone(),
        }
    }
}

/// Extends a 16-bit sequence number next to the highest extended one seen.
fn extend_seq(last: Option<u64>, seq: u16) -> u64 {
    let Some(last) = last else {
        return u64::from(seq) + 65536;
    };
    let base = last & !0xffff;
    let candidates = [base.wrapping_sub(65536), base, base + 65536];
    candidates
        .into_iter()
        .map(|b| b + u64::from(seq))
        .min_by_key(|c| c.abs_diff(last))
        .unwrap_or(last)
}

/// The viewer's str0m: one H.264 format per profile, each with its RTX, and Opus. Every payload
/// type names one format in the whole offer (the WHEP server refuses offers that reuse one).
fn client_rtc(h264_profiles: &[u32]) -> Rtc {
    let mut cfg = RtcConfig::new().set_rtp_mode(true).clear_codecs();
    let codecs = cfg.codec_config();
    let pairs = (96u8..=126)
        .step_by(2)
        .filter(|pt| *pt != OPUS_PT && pt + 1 != OPUS_PT);
    for (pt, plid) in pairs.zip(h264_profiles) {
        codecs.add_h264(pt.into(), Some((pt + 1).into()), true, *plid);
    }
    codecs.add_config(
        OPUS_PT.into(),
        None,
        Codec::Opus,
        Frequency::FORTY_EIGHT_KHZ,
        Some(2),
        FormatParams {
            min_p_time: Some(10),
            use_inband_fec: Some(true),
            ..Default::default()
        },
    );
    cfg.build(Instant::now())
}

/// Runs one viewer to the end and reports. Never panics on server behaviour.
pub async fn run_viewer(http: &reqwest::Client, opts: &ViewerOptions) -> ViewerReport {
    let mut report = ViewerReport::default();
    if let Err(e) = run_inner(http, opts, &mut report).await {
        report.error = Some(e);
    }
    report
}

async fn run_inner(
    http: &reqwest::Client,
    opts: &ViewerOptions,
    report: &mut ViewerReport,
) -> Result<(), String> {
    let addr = SocketAddr::new(opts.bind_ip, 0);
    let socket = match &opts.netns {
        None => bind(addr),
        Some(ns) => bind_in_netns(ns, addr),
    }
    .map_err(|e| format!("bind: {e}"))?;
    let local = socket.local_addr().map_err(|e| e.to_string())?;
    let mut rtc = client_rtc(&opts.h264_profiles);
    let cand = Candidate::host(local, "udp").map_err(|e| e.to_string())?;
    rtc.add_local_candidate(cand);
    let mut api = rtc.sdp_api();
    let video_mid: Mid = api.add_media(MediaKind::Video, Direction::RecvOnly, None, None, None);
    let _audio_mid: Mid = api.add_media(MediaKind::Audio, Direction::RecvOnly, None, None, None);
    let (offer, pending) = api.apply().ok_or("no offer")?;

    let started = Instant::now();
    let mut req = http
        .post(&opts.url)
        .header("content-type", "application/sdp")
        .body(offer.to_sdp_string());
    if let Some(k) = &opts.viewer_key {
        req = req.header("x-shimmer-viewer", k.as_str());
    }
    let res = req.send().await.map_err(|e| format!("POST: {e}"))?;
    report.status = res.status().as_u16();
    // The offer may have been redirected (a cluster sends viewers to an edge): the session
    // lives where the answer came from.
    let answered_by = res.url().to_string();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = res.text().await.map_err(|e| format!("POST body: {e}"))?;
    if report.status != 201 {
        return Err(format!("POST returned {}: {body}", report.status));
    }
    let session_url = location
        .map(|l| absolute_location(&answered_by, &l))
        .ok_or("201 without Location")?;
    report.session_url = Some(session_url.clone());
    report.answer_h264 = answered_h264(&body);
    let answer = SdpAnswer::from_sdp_string(&body).map_err(|e| format!("answer: {e}"))?;
    rtc.sdp_api()
        .accept_answer(pending, answer)
        .map_err(|e| format!("accept answer: {e}"))?;

    let mut video = TrackStats::default();
    let mut audio = TrackStats::default();
    let mut connected_at: Option<Instant> = None;
    let mut pli_sent_at: Option<Instant> = None;
    let mut last_key_ts: Option<u32> = None;
    let mut video_datagrams: u64 = 0;
    let mut first_frame = FirstFrame::default();
    // With UDP GRO (quinn-udp turns it on) one read returns a whole GSO run from the server.
    let gro = UdpSocketState::new(UdpSockRef::from(&socket)).ok();
    let mut buf = vec![0u8; if gro.is_some() { GRO_BUFFER } else { 2048 }];
    let mut read = Read {
        len: 0,
        stride: 1,
        pos: 0,
        source: local,
        at: started,
    };
    let mut end_at = started + opts.connect_timeout;

    loop {
        // Drain.
        let timeout = loop {
            match rtc.poll_output() {
                Ok(Output::Timeout(t)) => break t,
                Ok(Output::Transmit(t)) => {
                    let _ = socket.send_to(&t.contents, t.destination).await;
                }
                Ok(Output::Event(e)) => match e {
                    Event::Connected => {
                        let now = Instant::now();
                        connected_at = Some(now);
                        report.connected = true;
                        report.connect_ms = Some(ms(started, now));
                        end_at = now + opts.duration;
                    }
                    Event::IceConnectionStateChange(IceConnectionState::Disconnected)
                    | Event::Closed => {
                        report.ended_by_server = true;
                    }
                    Event::RtpPacket(p) => {
                        let ssrc: u32 = *p.header.ssrc;
                        let is_video = *p.header.payload_type != OPUS_PT;
                        let seq = *p.seq_no;
                        if is_video {
                            if report.first_video_ms.is_none() {
                                report.first_video_ms = Some(ms(started, p.timestamp));
                                report.first_video_is_keyframe =
                                    Some(shimmer_media::h264::begins_keyframe_nal(&p.payload));
                            }
                            if shimmer_media::h264::begins_keyframe_nal(&p.payload)
                                && last_key_ts != Some(p.header.timestamp)
                            {
                                last_key_ts = Some(p.header.timestamp);
                                report.keyframe_starts += 1;
                                if pli_sent_at.is_some() {
                                    report.keyframes_after_pli += 1;
                                }
                            }
                            first_frame.add(
                                seq as u16,
                                p.header.marker,
                                ms(started, p.timestamp),
                                report,
                            );
                            video.add(ssrc, Some(seq), seq as u16, p.payload.len());
                        } else {
                            audio.add(ssrc, Some(seq), seq as u16, p.payload.len());
                        }
                    }
                    _ => {}
                },
                Err(e) => return Err(format!("str0m: {e}")),
            }
        };
        if report.ended_by_server || !rtc.is_alive() {
            report.ended_by_server = true;
            break;
        }
        let now = Instant::now();
        if now >= end_at {
            if connected_at.is_none() {
                report.error = Some("ICE/DTLS did not complete".into());
            }
            break;
        }
        if opts.leave.as_ref().is_some_and(|leave| *leave.borrow()) {
            break;
        }
        if let (Some(c), Some(after), None) = (connected_at, opts.pli_after, pli_sent_at) {
            if now >= c + after {
                pli_sent_at = Some(now);
                if let Some(rx) = rtc.direct_api().stream_rx_by_mid(video_mid, None) {
                    rx.request_keyframe(KeyframeRequestKind::Pli);
                }
                continue;
            }
        }
        if let (Some(c), Some(after)) = (connected_at, opts.stop_reading_after) {
            if now >= c + after {
                // Stuck: neither read nor answer anything until the end.
                tokio::time::sleep_until(end_at.into()).await;
                break;
            }
        }
        let mut wake = timeout.min(end_at);
        if let (Some(c), Some(after), None) = (connected_at, opts.pli_after, pli_sent_at) {
            wake = wake.min(c + after);
        }
        if read.pos >= read.len {
            let res =
                tokio::time::timeout_at(wake.into(), recv(&socket, gro.as_ref(), &mut buf)).await;
            let input_time = Instant::now();
            match res {
                Ok(Ok((len, stride, source))) => {
                    read = Read {
                        len,
                        stride: stride.clamp(1, len.max(1)),
                        pos: 0,
                        source,
                        at: input_time,
                    };
                }
                Ok(Err(e)) => return Err(format!("recv: {e}")),
                Err(_) => {
                    rtc.handle_input(Input::Timeout(input_time))
                        .map_err(|e| format!("str0m timeout: {e}"))?;
                    continue;
                }
            }
        }
        // The read's datagrams (several when GRO coalesced a GSO run): counted ones here, up to
        // the first one str0m must see, which is handed over before the next drain.
        while read.pos < read.len {
            let end = (read.pos + read.stride).min(read.len);
            let data = &buf[read.pos..end];
            read.pos = end;
            let n = data.len();
            let is_rtp = n >= 12 && (128..192).contains(&data[0]) && !(192..224).contains(&data[1]);
            if is_rtp && (data[1] & 0x7f) != OPUS_PT {
                video_datagrams += 1;
                if opts
                    .drop_every_nth_video
                    .is_some_and(|k| k > 0 && video_datagrams % u64::from(k) == 0)
                {
                    continue;
                }
            }
            if is_rtp && !opts.decrypt && connected_at.is_some() {
                let seq = u16::from_be_bytes([data[2], data[3]]);
                let ssrc = u32::from_be_bytes([data[8], data[9], data[10], data[11]]);
                let stats = if (data[1] & 0x7f) == OPUS_PT {
                    &mut audio
                } else {
                    if report.first_video_ms.is_none() {
                        report.first_video_ms = Some(ms(started, read.at));
                    }
                    first_frame.add(seq, data[1] & 0x80 != 0, ms(started, read.at), report);
                    &mut video
                };
                stats.add(ssrc, None, seq, n);
                continue;
            }
            let Ok(contents) = data.try_into() else {
                continue;
            };
            let input = Input::Receive(
                read.at,
                Receive {
                    proto: Protocol::Udp,
                    source: read.source,
                    destination: local,
                    contents,
                },
            );
            rtc.handle_input(input)
                .map_err(|e| format!("str0m input: {e}"))?;
            break;
        }
    }
    report.video = video.report();
    report.audio = audio.report();
    if opts.delete_at_end && !report.ended_by_server {
        if let Ok(res) = http.delete(&session_url).send().await {
            report.delete_status = Some(res.status().as_u16());
        }
    }
    Ok(())
}

/// Whether the first video frame arrived whole (see [`ViewerReport::first_frame_end_ms`]).
#[derive(Default)]
struct FirstFrame {
    first_seq: Option<u16>,
    received: u64,
    done: bool,
}

impl FirstFrame {
    fn add(&mut self, seq: u16, marker: bool, at_ms: f64, report: &mut ViewerReport) {
        if self.done {
            return;
        }
        let first = *self.first_seq.get_or_insert(seq);
        self.received += 1;
        if marker {
            self.done = true;
            let span = u64::from(seq.wrapping_sub(first)) + 1;
            let lost = span.saturating_sub(self.received);
            report.first_frame_lost = Some(lost);
            if lost == 0 {
                report.first_frame_end_ms = Some(at_ms);
            }
        }
    }
}

/// The first `profile-level-id` of an SDP.
fn answered_h264(sdp: &str) -> Option<String> {
    let at = sdp.find("profile-level-id=")? + "profile-level-id=".len();
    sdp.get(at..at + 6).map(str::to_ascii_lowercase)
}

/// Largest read with GRO: a GSO run of the server is below 64 KiB.
const GRO_BUFFER: usize = 64 * 1024;

/// One read from the socket: `len` bytes of datagrams `stride` bytes apart (the last may be
/// shorter), of which those before `pos` are handled.
struct Read {
    len: usize,
    stride: usize,
    pos: usize,
    source: SocketAddr,
    at: Instant,
}

/// Reads one datagram, or with GRO one coalesced run: (bytes, segment size, source).
async fn recv(
    socket: &UdpSocket,
    gro: Option<&UdpSocketState>,
    buf: &mut [u8],
) -> std::io::Result<(usize, usize, SocketAddr)> {
    let Some(state) = gro else {
        let (n, from) = socket.recv_from(buf).await?;
        return Ok((n, n, from));
    };
    socket
        .async_io(Interest::READABLE, || {
            let mut meta = [RecvMeta::default()];
            state.recv(
                UdpSockRef::from(socket),
                &mut [IoSliceMut::new(&mut *buf)],
                &mut meta,
            )?;
            Ok((meta[0].len, meta[0].stride, meta[0].addr))
        })
        .await
}

/// A UDP socket with a receive buffer large enough for a keyframe burst (1 MiB, capped by the
/// kernel's rmem_max), so a busy load generator does not count its own drops as server loss.
fn bind(addr: SocketAddr) -> std::io::Result<UdpSocket> {
    UdpSocket::from_std(bind_std(addr)?)
}

/// [`bind`] in the network namespace `/run/netns/{ns}`: a short-lived thread enters it and makes
/// the socket, which stays in that namespace wherever it is used.
fn bind_in_netns(ns: &str, addr: SocketAddr) -> std::io::Result<UdpSocket> {
    use std::os::fd::AsRawFd;
    let path = format!("/run/netns/{ns}");
    let socket = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let file = std::fs::File::open(&path)
                    .map_err(|e| std::io::Error::new(e.kind(), format!("{path}: {e}")))?;
                // SAFETY: `setns` only switches this thread (which ends right after) to the
                // namespace behind a valid, open file descriptor.
                if unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                bind_std(addr)
            })
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("namespace thread panicked")))
    })?;
    UdpSocket::from_std(socket)
}

fn bind_std(addr: SocketAddr) -> std::io::Result<std::net::UdpSocket> {
    use socket2::{Domain, Protocol as SockProto, Socket, Type};
    let domain = if addr.is_ipv4() {
        Domain::IPV4
    } else {
        Domain::IPV6
    };
    let socket = Socket::new(domain, Type::DGRAM, Some(SockProto::UDP))?;
    let _ = socket.set_recv_buffer_size(1 << 20);
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    Ok(socket.into())
}

fn ms(from: Instant, to: Instant) -> f64 {
    to.saturating_duration_since(from).as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The offer a viewer sends, whichever profiles it lists, gives each payload type one
    /// format (it once put H.264 RTX and Opus both at 111).
    #[test]
    fn offers_pass_the_servers_validation() {
        let all: Vec<u32> = shimmer_webrtc::fuzzing::STREAM_PROFILES.to_vec();
        for profiles in [&CHROME_H264[..], &DEBIAN_CHROMIUM_H264, &FIREFOX_H264, &all] {
            let mut rtc = client_rtc(profiles);
            let local = SocketAddr::from(([127, 0, 0, 1], 5000));
            rtc.add_local_candidate(Candidate::host(local, "udp").unwrap());
            let mut api = rtc.sdp_api();
            api.add_media(MediaKind::Video, Direction::RecvOnly, None, None, None);
            api.add_media(MediaKind::Audio, Direction::RecvOnly, None, None, None);
            let (offer, _) = api.apply().unwrap();
            let sdp = offer.to_sdp_string();
            let valid = shimmer_webrtc::offer::validate_offer(sdp.as_bytes()).unwrap();
            let offered = valid.summary().h264_formats.len();
            assert_eq!(offered, profiles.len().min(MAX_H264_FORMATS), "{sdp}");
        }
    }

    #[test]
    fn loss_counts_gaps_not_duplicates_or_reordering() {
        let mut t = TrackStats::default();
        for s in [10u16, 11, 13, 12, 12, 16] {
            t.add(7, None, s, 100);
        }
        let r = t.report();
        assert_eq!((r.packets, r.expected, r.lost), (6, 7, 2)); // 14 and 15 missing
        let mut w = TrackStats::default();
        for s in [65534u16, 65535, 0, 2] {
            w.add(1, None, s, 1);
        }
        assert_eq!((w.report().expected, w.report().lost), (5, 1));
    }

    #[test]
    fn sequence_extension_wraps() {
        let a = extend_seq(None, 65530);
        let b = extend_seq(Some(a), 3);
        assert_eq!(b - a, 9);
        let c = extend_seq(Some(b), 65534);
        assert_eq!(b - c, 5);
    }
}
