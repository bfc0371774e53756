//! One RTMP connection: the session, the stream-key check, and once the publish is accepted
//! the stream (hub, audio thread, metadata reports) until it ends.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use rand::RngCore;
use shimmer_ftl::control::{MediaAnnounce, TrackAnnounce};
use shimmer_ftl::{ControlError, IngestProtocol, StreamStartInfo, StreamStats};
use shimmer_media::h264;
use shimmer_media::hub::{AacFrame, StreamHub, StreamInfo};
use subtle::ConstantTimeEq;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio::time::{sleep_until, timeout, Instant};
use tokio_util::sync::CancellationToken;

use super::audio::{AudioJob, AudioThread};
use super::{LiveEntry, Shared};
use crate::flv::{AudioCodec, AudioPacket};
use crate::rtp::{VideoPacketizer, AUDIO_PAYLOAD_TYPE, VIDEO_PAYLOAD_TYPE};
use crate::session::{PublishRefusal, ServerSession, SessionError, SessionEvent};
use crate::transcode::UnsupportedAudio;
use shimmer_ftl::ingest_control::parse_stream_key;
use shimmer_ftl::ingest_control::StreamEndReason;

/// Longest wait for a write (a peer that does not read is dead).
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// Socket read size.
const READ_BUFFER: usize = 64 * 1024;

/// A started stream, owned by its connection task.
struct Live {
    channel_id: i64,
    stream_id: i64,
    session_id: u64,
    hub: Arc<StreamHub>,
    video: VideoPacketizer,
    audio: AudioThread,
    replace: CancellationToken,
    done: CancellationToken,
    started: Instant,
    stats: Counters,
}

/// What the metadata reports are made from.
#[derive(Default)]
struct Counters {
    vendor: Option<String>,
    frames: u64,
    last_keyframe_ms: Option<u32>,
    keyframe_interval_ms: Option<u32>,
    reordered: bool,
    audio_codec: Option<AudioCodec>,
    video_issue_logged: bool,
    /// Bytes and frames at the last report, for rates over the interval.
    last_bytes: u64,
    last_frames: u64,
    last_report: Option<Instant>,
    /// Bytes received and when, at the last bitrate-cap check.
    cap_bytes: u64,
    cap_checked: Option<Instant>,
}

async fn write(wr: &mut OwnedWriteHalf, bytes: &[u8]) -> bool {
    bytes.is_empty()
        || matches!(
            timeout(WRITE_TIMEOUT, wr.write_all(bytes)).await,
            Ok(Ok(()))
        )
}

/// Serves one connection to its end.
pub(super) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    shutdown: CancellationToken,
) {
    let (mut rd, mut wr) = stream.into_split();
    let mut random = [0u8; 64];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let mut session = ServerSession::new(
        shared.config.session.clone(),
        Instant::now().into_std(),
        &random,
    );
    let mut buf = vec![0u8; READ_BUFFER];
    let mut live: Option<Live> = None;
    let mut vendor: Option<String> = None;
    let never = CancellationToken::new();
    let mut report: Option<JoinHandle<Result<(), ControlError>>> = None;
    let far = Duration::from_secs(3600);

    let reason = 'conn: loop {
        let housekeeping = live
            .as_ref()
            .map(|l| l.stats.last_report.unwrap_or(l.started) + shared.config.metadata_interval);
        let deadline = [session.next_deadline().map(Instant::from_std), housekeeping]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or_else(|| Instant::now() + far);
        let replace = live.as_ref().map_or(&never, |l| &l.replace);
        let events = tokio::select! {
            biased;
            _ = shutdown.cancelled() => break StreamEndReason::Shutdown,
            _ = replace.cancelled() => break StreamEndReason::Replaced,
            read = rd.read(&mut buf) => match read {
                Ok(0) | Err(_) => break StreamEndReason::Disconnect,
                Ok(n) => {
                    metrics::counter!("shimmer_rtmp_bytes_received_total").increment(n as u64);
                    session.handle_input(Instant::now().into_std(), &buf[..n])
                }
            },
            _ = sleep_until(deadline) => {
                let now = Instant::now();
                if let Some(l) = live.as_mut() {
                    if now >= l.stats.last_report.unwrap_or(l.started) + shared.config.metadata_interval {
                        if let Some(h) = report.take_if(|h| h.is_finished()) {
                            if let Ok(Err(ControlError::StreamEnded)) = h.await {
                                break StreamEndReason::Error;
                            }
                        }
                        let since = l.stats.cap_checked.unwrap_or(l.started);
                        let received = session.bytes_received();
                        let bitrate = (received - l.stats.cap_bytes) as f64 * 8.0
                            / (now - since).as_secs_f64().max(0.001);
                        (l.stats.cap_bytes, l.stats.cap_checked) = (received, Some(now));
                        let cap = shared.config.max_bitrate_bps;
                        if cap > 0 && bitrate > cap as f64 {
                            tracing::warn!(channel_id = l.channel_id, bitrate, cap, "RTMP stream exceeded the bitrate cap; ending it");
                            break StreamEndReason::BitrateExceeded;
                        }
                        if report.is_none() {
                            report = Some(spawn_report(&shared, l, received, now));
                        }
                        l.stats.last_report = Some(now);
                    }
                }
                session.handle_timeout(now.into_std()).map(|()| Vec::new())
            }
        };
        let events = match events {
            Ok(events) => events,
            Err(error) => {
                tracing::info!(peer = %peer, %error, "RTMP connection closed");
                let _ = write(&mut wr, &session.take_transmit()).await;
                break match error {
                    SessionError::Timeout(_) => StreamEndReason::Timeout,
                    _ => StreamEndReason::Error,
                };
            }
        };
        for event in events {
            match event {
                SessionEvent::Connected { app, flash_ver, .. } => {
                    tracing::debug!(peer = %peer, app, flash_ver, "RTMP connect");
                    vendor = flash_ver;
                }
                SessionEvent::PublishRequested { name, .. } => {
                    match authorize(&shared, peer, &name, vendor.clone()).await {
                        Ok(started) => {
                            session.accept_publish();
                            live = Some(started);
                        }
                        Err((refusal, why)) => {
                            tracing::info!(peer = %peer, reason = why, "RTMP publish refused");
                            session.reject_publish(refusal, why);
                            let _ = write(&mut wr, &session.take_transmit()).await;
                            let _ = wr.shutdown().await;
                            return;
                        }
                    }
                }
                SessionEvent::Metadata(props) => {
                    if let Some(l) = live.as_mut() {
                        let encoder = props
                            .iter()
                            .find(|(k, _)| k == "encoder")
                            .and_then(|(_, v)| v.as_str());
                        if let Some(encoder) = encoder {
                            l.stats.vendor = Some(encoder.to_string());
                        }
                    }
                }
                SessionEvent::Video { timestamp, tag } => {
                    if let Some(l) = live.as_mut() {
                        on_video(l, timestamp, &tag);
                    }
                }
                SessionEvent::Audio { timestamp, tag } => {
                    if let Some(l) = live.as_mut() {
                        on_audio(l, timestamp, tag.codec, tag.packet);
                    }
                }
                SessionEvent::Unpublished => break 'conn StreamEndReason::Disconnect,
                SessionEvent::Ignored(what) => {
                    tracing::debug!(peer = %peer, ?what, "RTMP message ignored");
                }
            }
        }
        if !write(&mut wr, &session.take_transmit()).await {
            break StreamEndReason::Disconnect;
        }
    };
    let _ = wr.shutdown().await;
    if let Some(live) = live {
        end(&shared, live, reason).await;
    }
}

/// Checks the stream key, replaces a live session of the channel, starts the stream.
async fn authorize(
    shared: &Shared,
    peer: SocketAddr,
    name: &str,
    vendor: Option<String>,
) -> Result<Live, (PublishRefusal, &'static str)> {
    let bad_key = (PublishRefusal::BadName, "Unknown stream key.");
    let (channel_id, secret) = parse_stream_key(name).ok_or(bad_key)?;
    let call = shared.config.call_timeout;
    let expected = match timeout(call, shared.control.channel_secret(channel_id)).await {
        Ok(Ok(Some(expected))) => expected,
        Ok(Ok(None)) => return Err(bad_key),
        Ok(Err(error)) => {
            tracing::warn!(channel_id, %error, "stream key lookup failed");
            return Err((
                PublishRefusal::Denied,
                "The server could not check the key.",
            ));
        }
        Err(_) => {
            return Err((
                PublishRefusal::Denied,
                "The server could not check the key.",
            ))
        }
    };
    if !bool::from(expected.as_bytes().ct_eq(secret.as_bytes())) {
        return Err(bad_key);
    }

    let previous = shared
        .live()
        .get(&channel_id)
        .map(|e| (e.replace.clone(), e.done.clone()));
    if let Some((replace, done)) = previous {
        tracing::info!(channel_id, "new RTMP publish replaces the live session");
        replace.cancel();
        let _ = timeout(call * 2, done.cancelled()).await;
    }

    let (video_ssrc, audio_ssrc) = (rand::random::<u32>(), rand::random::<u32>());
    let announce = MediaAnnounce {
        protocol_version: None,
        vendor_name: vendor.clone(),
        vendor_version: None,
        video: Some(TrackAnnounce {
            codec: "H264".into(),
            payload_type: VIDEO_PAYLOAD_TYPE,
            ssrc: video_ssrc,
        }),
        audio: Some(TrackAnnounce {
            codec: "OPUS".into(),
            payload_type: AUDIO_PAYLOAD_TYPE,
            ssrc: audio_ssrc,
        }),
    };
    let info = StreamStartInfo {
        channel_id,
        client_addr: peer,
        announce,
    };
    let stream_id = match timeout(call, shared.control.start_stream(channel_id, &info)).await {
        Ok(Ok(id)) => id,
        Ok(Err(error)) => {
            tracing::info!(channel_id, %error, "platform refused the stream");
            return Err((PublishRefusal::Denied, "The channel may not stream now."));
        }
        Err(_) => {
            return Err((
                PublishRefusal::Denied,
                "The server could not start the stream.",
            ))
        }
    };
    let session_id = shared.next_session.fetch_add(1, Ordering::Relaxed);
    let replace = CancellationToken::new();
    let done = CancellationToken::new();
    let old = shared.live().insert(
        channel_id,
        LiveEntry {
            session: session_id,
            replace: replace.clone(),
            done: done.clone(),
        },
    );
    if let Some(old) = old {
        old.replace.cancel();
    }
    let hub = shared.hubs.create(
        channel_id,
        StreamInfo {
            video: Some(StreamInfo::h264(VIDEO_PAYLOAD_TYPE, video_ssrc)),
            audio: Some(StreamInfo::opus(AUDIO_PAYLOAD_TYPE, audio_ssrc, 2)),
        },
    );
    let audio = AudioThread::spawn(Arc::clone(&hub), audio_ssrc, shared.config.opus, channel_id);
    tracing::info!(channel_id, stream_id, peer = %peer, "RTMP stream started");
    metrics::counter!("shimmer_rtmp_streams_started_total").increment(1);
    metrics::gauge!("shimmer_rtmp_streams").increment(1.0);
    Ok(Live {
        channel_id,
        stream_id,
        session_id,
        hub,
        video: VideoPacketizer::new(video_ssrc, rand::random()),
        audio,
        replace,
        done,
        started: Instant::now(),
        stats: Counters {
            vendor,
            ..Counters::default()
        },
    })
}

fn on_video(live: &mut Live, timestamp: u32, tag: &crate::flv::VideoTag) {
    match live.video.push(timestamp, tag, std::time::Instant::now()) {
        Ok(out) => {
            if out.packets.is_empty() {
                return;
            }
            live.stats.frames += 1;
            if out.reordered && !live.stats.reordered {
                live.stats.reordered = true;
                tracing::warn!(
                    channel_id = live.channel_id,
                    "the encoder sends B-frames, which WebRTC viewers cannot reorder: set B-frames to 0 (OBS: Settings → Output → Keyframe/B-frames, or the x264 'zerolatency' tune)"
                );
            }
            if out.keyframe {
                if let Some(last) = live.stats.last_keyframe_ms {
                    live.stats.keyframe_interval_ms = Some(timestamp.wrapping_sub(last));
                }
                live.stats.last_keyframe_ms = Some(timestamp);
            }
            for packet in out.packets {
                live.hub.publish(packet);
            }
        }
        Err(issue) => {
            if !live.stats.video_issue_logged {
                live.stats.video_issue_logged = true;
                tracing::warn!(channel_id = live.channel_id, %issue, "RTMP video dropped");
            }
        }
    }
}

fn on_audio(live: &mut Live, timestamp: u32, codec: AudioCodec, packet: AudioPacket) {
    if live.stats.audio_codec != Some(codec) {
        live.stats.audio_codec = Some(codec);
        if !matches!(codec, AudioCodec::Aac | AudioCodec::Opus) {
            let reason = UnsupportedAudio::codec(codec);
            tracing::warn!(channel_id = live.channel_id, %reason, "RTMP audio cannot be played; the stream goes on with video only");
            *live.audio.warning.lock().unwrap_or_else(|e| e.into_inner()) = Some(reason);
        }
    }
    let job = match (codec, packet) {
        (AudioCodec::Aac, AudioPacket::SequenceStart(config)) => {
            // HLS keeps the encoder's own AAC beside the Opus made for WebRTC.
            live.hub.set_aac_config(&config);
            AudioJob::AacConfig(config)
        }
        (AudioCodec::Aac, AudioPacket::CodedFrames(frame)) => {
            live.hub.publish_aac(AacFrame {
                timestamp_ms: timestamp,
                data: frame.clone(),
                received_at: std::time::Instant::now(),
            });
            AudioJob::Aac(frame, timestamp)
        }
        (AudioCodec::Opus, AudioPacket::CodedFrames(frame)) => AudioJob::Opus(frame, timestamp),
        _ => return,
    };
    live.audio.send(job);
}

fn spawn_report(
    shared: &Arc<Shared>,
    live: &mut Live,
    bytes_received: u64,
    now: Instant,
) -> JoinHandle<Result<(), ControlError>> {
    let since = live.stats.last_report.unwrap_or(live.started);
    let secs = (now - since).as_secs_f64().max(0.001);
    let bitrate = ((bytes_received - live.stats.last_bytes) as f64 * 8.0 / secs) as u64;
    let fps = (live.stats.frames - live.stats.last_frames) as f64 / secs;
    live.stats.last_bytes = bytes_received;
    live.stats.last_frames = live.stats.frames;
    let sps = live
        .video
        .config()
        .and_then(|c| c.sps.first())
        .and_then(|sps| h264::parse_sps(sps).ok());
    let audio_ok = live
        .audio
        .warning
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .is_none();
    let stats = StreamStats {
        ingest_server: shared.config.ingest_name.clone(),
        stream_time_seconds: (now - live.started).as_secs(),
        source_bitrate: bitrate,
        vendor_name: live.stats.vendor.clone(),
        video_codec: Some("H264".into()),
        audio_codec: match live.stats.audio_codec {
            Some(_) if audio_ok => Some("OPUS".into()),
            _ => None,
        },
        video_width: sps.as_ref().map(|s| s.width),
        video_height: sps.as_ref().map(|s| s.height),
        video_profile: sps.as_ref().map(|s| s.profile_level_id()),
        video_chroma_format: sps.as_ref().map(|s| s.chroma_format_idc),
        video_bit_depth: sps.as_ref().map(|s| s.bit_depth),
        fps,
        keyframe_interval_ms: live.stats.keyframe_interval_ms,
        audio_channels: audio_ok.then_some(2),
        ingest_protocol: IngestProtocol::Rtmp,
        video_b_frames: live.stats.reordered,
        ..StreamStats::default()
    };
    let control = Arc::clone(&shared.control);
    let call = shared.config.call_timeout;
    let (channel_id, stream_id) = (live.channel_id, live.stream_id);
    tokio::spawn(async move {
        match timeout(call, control.report_metadata(channel_id, stream_id, &stats)).await {
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

async fn end(shared: &Shared, live: Live, reason: StreamEndReason) {
    let Live {
        channel_id,
        stream_id,
        session_id,
        hub,
        audio,
        done,
        ..
    } = live;
    shared.hubs.remove(&hub);
    // Dropping the handle closes the queue and joins the thread, off the async runtime.
    let _ = tokio::task::spawn_blocking(move || drop(audio)).await;
    {
        let mut map = shared.live();
        if map
            .get(&channel_id)
            .is_some_and(|e| e.session == session_id)
        {
            map.remove(&channel_id);
        }
    }
    tracing::info!(
        channel_id,
        stream_id,
        reason = reason.as_str(),
        "RTMP stream ended"
    );
    metrics::gauge!("shimmer_rtmp_streams").decrement(1.0);
    metrics::counter!("shimmer_rtmp_streams_ended_total", "reason" => reason.as_str()).increment(1);
    match timeout(
        shared.config.call_timeout,
        shared.control.end_stream(channel_id, stream_id, reason),
    )
    .await
    {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(channel_id, stream_id, error = %e, "end_stream failed"),
        Err(_) => tracing::warn!(channel_id, stream_id, "end_stream timed out"),
    }
    done.cancel();
}
