//! A WHIP publisher on str0m: POSTs a sendonly offer with the stream key as bearer token,
//! completes ICE and DTLS over real UDP, sends H.264 access units and Opus packets in real time
//! (str0m packetizes, answers NACKs), counts the server's keyframe requests, and DELETEs its
//! resource at the end. Behind `shimmer push --protocol whip`, the integration tests and
//! `shimmer-bench whip-delay`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use str0m::change::SdpAnswer;
use str0m::media::{Direction, Frequency, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};
use tokio::net::UdpSocket;
use tokio::sync::watch;

use crate::source::TestFrames;

/// What a publisher does.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// The WHIP endpoint, e.g. `http://127.0.0.1:8080/api/whip`.
    pub url: String,
    /// Sent as `Authorization: Bearer <key>` when given.
    pub bearer: Option<String>,
    /// Sent as `User-Agent`.
    pub user_agent: String,
    /// Local address for the UDP socket (its ICE host candidate).
    pub bind_ip: IpAddr,
    /// The media to send.
    pub frames: Arc<TestFrames>,
    /// Start over at the end of the frames (timestamps keep counting).
    pub looping: bool,
    /// Stop this long after connecting (None: at the end of the frames, or when told).
    pub duration: Option<Duration>,
    /// Stop as soon as this turns true.
    pub stop: Option<watch::Receiver<bool>>,
    /// Give up if ICE and DTLS take longer than this.
    pub connect_timeout: Duration,
    /// DELETE the resource at the end.
    pub delete_at_end: bool,
    /// Told the resource URL as soon as the POST succeeded (tests act on the live session).
    pub resource_url_to: Option<Arc<watch::Sender<Option<String>>>>,
}

impl PublishOptions {
    /// A publisher of `frames` to `url` with `bearer`, on loopback, once through the frames.
    pub fn new(url: impl Into<String>, bearer: Option<String>, frames: Arc<TestFrames>) -> Self {
        Self {
            url: url.into(),
            bearer,
            user_agent: format!("shimmer-push/{}", env!("CARGO_PKG_VERSION")),
            bind_ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            frames,
            looping: false,
            duration: None,
            stop: None,
            connect_timeout: Duration::from_secs(10),
            delete_at_end: true,
            resource_url_to: None,
        }
    }
}

/// What the publisher saw.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PublishReport {
    /// HTTP status of the POST.
    pub status: u16,
    /// The POST's body when it was not 201 (the server's JSON error).
    pub refusal: Option<String>,
    /// The resource URL (Location, made absolute).
    pub resource_url: Option<String>,
    /// ICE and DTLS completed.
    pub connected: bool,
    /// POST sent to DTLS connected, ms.
    pub connect_ms: Option<f64>,
    /// Access units written.
    pub video_frames: u64,
    /// Opus packets written.
    pub audio_packets: u64,
    /// PLIs and FIRs received from the server.
    pub keyframe_requests: u64,
    /// The server ended the session (DTLS close or ICE disconnect) before our end.
    pub ended_by_server: bool,
    /// Status of the DELETE, if sent.
    pub delete_status: Option<u16>,
    /// What went wrong, if anything.
    pub error: Option<String>,
}

/// The publisher's str0m: the stream's own H.264 profile (packetization mode 1, with RTX) and
/// Opus.
fn publisher_rtc(profile_level_id: u32) -> Rtc {
    let mut cfg = RtcConfig::new().clear_codecs();
    let codecs = cfg.codec_config();
    codecs.add_h264(96.into(), Some(97.into()), true, profile_level_id);
    codecs.enable_opus(true, false);
    cfg.build(Instant::now())
}

/// Runs one publisher to the end and reports. Never panics on server behaviour.
pub async fn run_publisher(http: &reqwest::Client, opts: &PublishOptions) -> PublishReport {
    let mut report = PublishReport::default();
    if let Err(e) = run_inner(http, opts, &mut report).await {
        report.error = Some(e);
    }
    report
}

/// Where the sender is in the frames: loop round and index of the next video and audio frame.
struct Cursor {
    round: u32,
    video: usize,
    audio: usize,
}

async fn run_inner(
    http: &reqwest::Client,
    opts: &PublishOptions,
    report: &mut PublishReport,
) -> Result<(), String> {
    let socket = UdpSocket::bind(SocketAddr::new(opts.bind_ip, 0))
        .await
        .map_err(|e| format!("bind: {e}"))?;
    let local = socket.local_addr().map_err(|e| e.to_string())?;
    let frames = &opts.frames;
    let mut rtc = publisher_rtc(frames.profile_level_id().unwrap_or(0x42e01f));
    rtc.add_local_candidate(Candidate::host(local, "udp").map_err(|e| e.to_string())?);
    let mut api = rtc.sdp_api();
    let audio_mid: Mid = api.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
    let video_mid: Mid = api.add_media(MediaKind::Video, Direction::SendOnly, None, None, None);
    let (offer, pending) = api.apply().ok_or("no offer")?;

    let started = Instant::now();
    let mut req = http
        .post(&opts.url)
        .header("content-type", "application/sdp")
        .header("user-agent", opts.user_agent.as_str())
        .body(offer.to_sdp_string());
    if let Some(key) = &opts.bearer {
        req = req.bearer_auth(key);
    }
    let res = req.send().await.map_err(|e| format!("POST: {e}"))?;
    report.status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = res.text().await.map_err(|e| format!("POST body: {e}"))?;
    if report.status != 201 {
        report.refusal = Some(body.clone());
        return Err(format!("POST returned {}: {body}", report.status));
    }
    let resource_url = location
        .map(|l| absolute_location(&opts.url, &l))
        .ok_or("201 without Location")?;
    report.resource_url = Some(resource_url.clone());
    if let Some(to) = &opts.resource_url_to {
        let _ = to.send(Some(resource_url.clone()));
    }
    let answer = SdpAnswer::from_sdp_string(&body).map_err(|e| format!("answer: {e}"))?;
    rtc.sdp_api()
        .accept_answer(pending, answer)
        .map_err(|e| format!("accept answer: {e}"))?;

    let mut connected_at: Option<Instant> = None;
    let mut end_at = started + opts.connect_timeout;
    let mut cursor = Cursor {
        round: 0,
        video: 0,
        audio: 0,
    };
    let mut buf = vec![0u8; 2048];
    let (mut video_pt, mut audio_pt) = (None, None);
    loop {
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
                        report.connect_ms = Some(now.duration_since(started).as_secs_f64() * 1e3);
                        end_at = match opts.duration {
                            Some(d) => now + d,
                            None => now + Duration::from_secs(86_400 * 365),
                        };
                        let mut pt_of = |mid| {
                            rtc.writer(mid)
                                .and_then(|w| w.payload_params().next().map(|p| p.pt()))
                        };
                        video_pt = pt_of(video_mid);
                        audio_pt = pt_of(audio_mid);
                    }
                    Event::KeyframeRequest(_) => report.keyframe_requests += 1,
                    Event::IceConnectionStateChange(IceConnectionState::Disconnected)
                    | Event::Closed => report.ended_by_server = true,
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
                return Err("ICE/DTLS did not complete".into());
            }
            break;
        }
        if opts.stop.as_ref().is_some_and(|s| *s.borrow()) {
            break;
        }
        let mut wake = timeout.min(end_at);
        if let Some(start) = connected_at {
            match send_due(
                &mut rtc,
                frames,
                &mut cursor,
                start,
                now,
                opts.looping,
                report,
                (video_mid, video_pt),
                (audio_mid, audio_pt),
            ) {
                Some(next) => wake = wake.min(next),
                None => break,
            }
        }
        let mut stop = opts.stop.clone();
        tokio::select! {
            res = tokio::time::timeout_at(wake.into(), socket.recv_from(&mut buf)) => match res {
                Ok(Ok((n, source))) => {
                    let Ok(contents) = buf[..n].try_into() else { continue };
                    rtc.handle_input(Input::Receive(Instant::now(), Receive {
                        proto: Protocol::Udp,
                        source,
                        destination: local,
                        contents,
                    })).map_err(|e| format!("str0m input: {e}"))?;
                }
                Ok(Err(e)) => return Err(format!("recv: {e}")),
                Err(_) => {
                    rtc.handle_input(Input::Timeout(Instant::now()))
                        .map_err(|e| format!("str0m timeout: {e}"))?;
                }
            },
            _ = async { match stop.as_mut() { Some(s) => { let _ = s.changed().await; } None => std::future::pending().await } } => {}
        }
    }
    if opts.delete_at_end && !report.ended_by_server {
        if let Ok(res) = http.delete(&resource_url).send().await {
            report.delete_status = Some(res.status().as_u16());
        }
    }
    Ok(())
}

/// Writes every frame due by `now`; returns when the next one is due, or None at the end of
/// the frames (without looping).
#[allow(clippy::too_many_arguments)]
fn send_due(
    rtc: &mut Rtc,
    frames: &TestFrames,
    cursor: &mut Cursor,
    start: Instant,
    now: Instant,
    looping: bool,
    report: &mut PublishReport,
    (video_mid, video_pt): (Mid, Option<str0m::media::Pt>),
    (audio_mid, audio_pt): (Mid, Option<str0m::media::Pt>),
) -> Option<Instant> {
    loop {
        let base = frames.length * cursor.round;
        let video = frames.video.get(cursor.video);
        let audio = frames.audio.get(cursor.audio);
        let next = match (video, audio) {
            (Some(v), Some(a)) if a.0 < v.0 => (false, a),
            (Some(v), _) => (true, v),
            (None, Some(a)) => (false, a),
            (None, None) => {
                if !looping {
                    return None;
                }
                cursor.round += 1;
                cursor.video = 0;
                cursor.audio = 0;
                continue;
            }
        };
        let (is_video, (at, data)) = next;
        let offset = base + *at;
        let due = start + offset;
        if due > now {
            return Some(due);
        }
        let (mid, pt, clock) = if is_video {
            cursor.video += 1;
            (video_mid, video_pt, Frequency::NINETY_KHZ)
        } else {
            cursor.audio += 1;
            (audio_mid, audio_pt, Frequency::FORTY_EIGHT_KHZ)
        };
        let Some(pt) = pt else { continue };
        let ticks = (offset.as_secs_f64() * clock.get() as f64) as u64;
        let Some(writer) = rtc.writer(mid) else {
            continue;
        };
        if writer
            .write(pt, due, MediaTime::new(ticks, clock), data.clone())
            .is_ok()
        {
            if is_video {
                report.video_frames += 1;
            } else {
                report.audio_packets += 1;
            }
        }
    }
}

/// Resolves a WHIP or WHEP `Location` header against the endpoint URL (an absolute path or an
/// absolute URL), as both kinds of client need.
pub fn absolute_location(endpoint: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_owned();
    }
    let scheme_end = endpoint.find("://").map_or(0, |i| i + 3);
    let host_end = endpoint[scheme_end..]
        .find('/')
        .map_or(endpoint.len(), |i| scheme_end + i);
    format!("{}{}", &endpoint[..host_end], location)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_is_resolved() {
        assert_eq!(
            absolute_location("http://127.0.0.1:80/api/whep/a", "/api/whep/a/sessions/x"),
            "http://127.0.0.1:80/api/whep/a/sessions/x"
        );
        assert_eq!(
            absolute_location("http://h/x", "https://o/y"),
            "https://o/y"
        );
    }
}
