//! One control connection and, once the handshake succeeds, its stream: this task owns the
//! control machine, the media session and the hub handle until the stream ends.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use metrics::Counter;
use rand::RngCore;
use shimmer_media::hub::{StreamHub, StreamInfo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{sleep_until, timeout, Instant};
use tokio_util::sync::CancellationToken;

use super::demux::{Datagram, DemuxCommand};
use super::{LiveEntry, Shared};
use crate::control::{ControlMachine, MediaAnnounce, Step, NONCE_LEN};
use crate::ingest_control::{ControlError, StreamEndReason, StreamStartInfo};
use crate::line::LineFramer;
use crate::reply::ReplyCode;
use crate::session::{Handled, MediaOutput, MediaSession};

/// Longest wait for a reply to be written (replies are tiny; a peer that does not read is dead).
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);
/// Datagrams handled per wake-up before other events get a turn.
const DATAGRAM_BATCH: usize = 64;
/// Queue between the UDP task and this session.
const DATAGRAM_QUEUE: usize = 4096;

struct Conn {
    rd: OwnedReadHalf,
    wr: OwnedWriteHalf,
    peer: SocketAddr,
    framer: LineFramer,
    machine: ControlMachine,
    buf: Vec<u8>,
}

impl Conn {
    async fn send(&mut self, line: &str) -> bool {
        let mut data = Vec::with_capacity(line.len() + 1);
        data.extend_from_slice(line.as_bytes());
        data.push(b'\n');
        matches!(
            timeout(WRITE_TIMEOUT, self.wr.write_all(&data)).await,
            Ok(Ok(()))
        )
    }

    async fn fail(&mut self, code: ReplyCode, reason: &str) {
        tracing::info!(peer = %self.peer, code = code.as_u16(), reason, "FTL connection refused or ended");
        let _ = self.send(&code.line()).await;
        let _ = self.wr.shutdown().await;
    }
}

/// What happened while reading the control connection.
enum Event {
    Step(Step),
    Closed,
}

/// Serves one control connection.
pub(crate) async fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    shutdown: CancellationToken,
) {
    let (rd, wr) = stream.into_split();
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let mut conn = Conn {
        rd,
        wr,
        peer,
        framer: LineFramer::new(shared.config.max_line_len),
        machine: ControlMachine::new(
            shared.config.control_limits(),
            nonce,
            Instant::now().into_std(),
        ),
        buf: vec![0u8; 4096],
    };
    let Some((channel_id, announce)) = handshake(&mut conn, &shared, &shutdown).await else {
        return;
    };
    stream_session(conn, &shared, &shutdown, channel_id, announce).await;
}

/// Reads the next control event: a step from a buffered line, or waits for bytes, the deadline
/// or shutdown (returned as `None`).
async fn next_event(conn: &mut Conn, shutdown: &CancellationToken) -> Option<Event> {
    loop {
        match conn.framer.next_line() {
            Ok(Some(line)) => {
                return Some(Event::Step(
                    conn.machine.handle_line(&line, Instant::now().into_std()),
                ))
            }
            Ok(None) => {}
            Err(_) => {
                return Some(Event::Step(Step::Fail {
                    code: ReplyCode::BadRequest,
                    reason: "oversized or non-UTF-8 line",
                }))
            }
        }
        let deadline = conn
            .machine
            .next_deadline()
            .map(Instant::from_std)
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            _ = shutdown.cancelled() => return None,
            _ = sleep_until(deadline) => {
                if let Some(t) = conn.machine.poll_timeout(Instant::now().into_std()) {
                    return Some(Event::Step(Step::Fail { code: t.reply_code(), reason: "handshake timeout" }));
                }
            }
            r = conn.rd.read(&mut conn.buf) => match r {
                Ok(0) | Err(_) => return Some(Event::Closed),
                Ok(n) => {
                    let data = conn.buf[..n].to_vec();
                    conn.framer.extend(&data);
                }
            },
        }
    }
}

async fn handshake(
    conn: &mut Conn,
    shared: &Shared,
    shutdown: &CancellationToken,
) -> Option<(i64, MediaAnnounce)> {
    loop {
        let mut step = match next_event(conn, shutdown).await {
            None => {
                conn.fail(ReplyCode::ServerTerminated, "server shutting down")
                    .await;
                return None;
            }
            Some(Event::Closed) => return None,
            Some(Event::Step(s)) => s,
        };
        loop {
            match step {
                Step::Continue => break,
                Step::Reply(r) => {
                    if !conn.send(&r).await {
                        return None;
                    }
                    break;
                }
                Step::LookupSecret { channel_id } => {
                    match timeout(
                        shared.config.call_timeout(),
                        shared.control.channel_secret(channel_id),
                    )
                    .await
                    {
                        Ok(Ok(secret)) => step = conn.machine.on_secret(secret.as_deref()),
                        Ok(Err(e)) => {
                            tracing::warn!(channel_id, error = %e, "stream key lookup failed");
                            conn.fail(ReplyCode::InternalError, "key lookup failed")
                                .await;
                            return None;
                        }
                        Err(_) => {
                            conn.fail(ReplyCode::InternalError, "key lookup timed out")
                                .await;
                            return None;
                        }
                    }
                }
                Step::Start {
                    channel_id,
                    announce,
                } => return Some((channel_id, announce)),
                Step::Disconnect => return None,
                Step::Fail { code, reason } => {
                    conn.fail(code, reason).await;
                    return None;
                }
            }
        }
    }
}

fn stream_info(announce: &MediaAnnounce) -> StreamInfo {
    StreamInfo {
        video: announce
            .video
            .as_ref()
            .map(|v| StreamInfo::h264(v.payload_type, v.ssrc)),
        audio: announce
            .audio
            .as_ref()
            .map(|a| StreamInfo::opus(a.payload_type, a.ssrc, 2)),
    }
}

/// Per-stream metric handles, updated once a second from the session's counters.
struct StreamMetrics {
    received: Counter,
    lost: Counter,
    recovered: Counter,
    unrecovered: Counter,
    nacked: Counter,
    bitrate: metrics::Gauge,
    rtt_ms: metrics::Histogram,
    last: shimmer_media::recovery::RecoveryStats,
}

impl StreamMetrics {
    fn new(channel_id: i64) -> Self {
        let c = channel_id.to_string();
        Self {
            received: metrics::counter!("shimmer_ftl_packets_received_total", "channel" => c.clone()),
            lost: metrics::counter!("shimmer_ftl_packets_lost_total", "channel" => c.clone()),
            recovered: metrics::counter!("shimmer_ftl_packets_recovered_total", "channel" => c.clone()),
            unrecovered: metrics::counter!("shimmer_ftl_packets_unrecovered_total", "channel" => c.clone()),
            nacked: metrics::counter!("shimmer_ftl_packets_nacked_total", "channel" => c.clone()),
            bitrate: metrics::gauge!("shimmer_ftl_bitrate_bps", "channel" => c.clone()),
            rtt_ms: metrics::histogram!("shimmer_ftl_rtt_ms", "channel" => c),
            last: Default::default(),
        }
    }

    fn update(&mut self, s: shimmer_media::recovery::RecoveryStats) {
        self.received.increment(s.received - self.last.received);
        self.lost.increment(s.lost - self.last.lost);
        self.recovered.increment(s.recovered - self.last.recovered);
        self.unrecovered
            .increment(s.unrecovered - self.last.unrecovered);
        self.nacked.increment(s.nacked - self.last.nacked);
        self.last = s;
    }
}

/// Ends any live session of the channel and checks SSRC collisions; then starts the stream.
async fn start(
    conn: &mut Conn,
    shared: &Shared,
    session_id: u64,
    channel_id: i64,
    announce: &MediaAnnounce,
) -> Option<(i64, CancellationToken, CancellationToken)> {
    let ip = conn.peer.ip();
    let ssrc_of = |t: &Option<crate::control::TrackAnnounce>| t.as_ref().map(|t| t.ssrc);
    let (vssrc, assrc) = (ssrc_of(&announce.video), ssrc_of(&announce.audio));
    let (collision, previous) = {
        let live = shared.live();
        let mut collision = None;
        for (other, e) in live.iter() {
            if *other == channel_id || e.ip != ip {
                continue;
            }
            // Overlap is fine while one of the new stream's SSRCs is its own: the media
            // demultiplexer binds on that one. Only a stream with no SSRC of its own could never
            // be told apart from the other.
            let overlaps = |s: Option<u32>| s.is_none_or(|s| e.ssrcs.contains(&s));
            if overlaps(vssrc) && overlaps(assrc) {
                collision = Some(if vssrc.is_some() {
                    (ReplyCode::VideoSsrcCollision, "video SSRC in use")
                } else {
                    (ReplyCode::AudioSsrcCollision, "audio SSRC in use")
                });
            }
        }
        let previous = live
            .get(&channel_id)
            .map(|e| (e.replace.clone(), e.done.clone()));
        (collision, previous)
    };
    if let Some((code, reason)) = collision {
        conn.fail(code, reason).await;
        return None;
    }
    // Policy: a new authenticated connection replaces the live one (encoders reconnect after
    // network blips faster than the old session times out). Wait for the old one to end first,
    // so the platform sees end(old) before start(new).
    if let Some((replace, done)) = previous {
        tracing::info!(channel_id, "new FTL connection replaces the live session");
        replace.cancel();
        let _ = timeout(shared.config.call_timeout() * 2, done.cancelled()).await;
    }
    let info = StreamStartInfo {
        channel_id,
        client_addr: conn.peer,
        announce: announce.clone(),
    };
    let stream_id = match timeout(
        shared.config.call_timeout(),
        shared.control.start_stream(channel_id, &info),
    )
    .await
    {
        Ok(Ok(id)) => id,
        Ok(Err(e)) => {
            tracing::info!(channel_id, error = %e, "platform refused the stream");
            conn.fail(e.reply_code(), "platform refused the stream")
                .await;
            return None;
        }
        Err(_) => {
            conn.fail(ReplyCode::InternalError, "start_stream timed out")
                .await;
            return None;
        }
    };
    let replace = CancellationToken::new();
    let done = CancellationToken::new();
    let old = shared.live().insert(
        channel_id,
        LiveEntry {
            session: session_id,
            ip,
            ssrcs: [vssrc, assrc].into_iter().flatten().collect(),
            replace: replace.clone(),
            done: done.clone(),
        },
    );
    if let Some(old) = old {
        old.replace.cancel();
    }
    Some((stream_id, replace, done))
}

async fn stream_session(
    mut conn: Conn,
    shared: &Shared,
    shutdown: &CancellationToken,
    channel_id: i64,
    announce: MediaAnnounce,
) {
    let session_id = shared.next_session.fetch_add(1, Ordering::Relaxed);
    let Some((stream_id, replace, done)) =
        start(&mut conn, shared, session_id, channel_id, &announce).await
    else {
        return;
    };
    let hub = shared.hubs.create(channel_id, stream_info(&announce));
    let mut session = MediaSession::new(announce, shared.config.media_config());
    let (tx, rx) = mpsc::channel(DATAGRAM_QUEUE);
    let _ = shared.demux.send(DemuxCommand::Register {
        session: session_id,
        ip: conn.peer.ip(),
        ssrcs: session.ssrcs(),
        tx,
    });
    let reply = conn
        .machine
        .on_started(shared.media_port, Instant::now().into_std());
    tracing::info!(channel_id, stream_id, peer = %conn.peer, "FTL stream started");
    let reason = if let Step::Reply(r) = reply {
        if conn.send(&r).await {
            run_stream(
                &mut conn,
                shared,
                shutdown,
                &replace,
                &hub,
                &mut session,
                rx,
                channel_id,
                stream_id,
            )
            .await
        } else {
            StreamEndReason::Disconnect
        }
    } else {
        StreamEndReason::Error
    };
    let _ = shared.demux.send(DemuxCommand::Unregister {
        session: session_id,
    });
    shared.hubs.remove(&hub);
    {
        let mut live = shared.live();
        if live
            .get(&channel_id)
            .is_some_and(|e| e.session == session_id)
        {
            live.remove(&channel_id);
        }
    }
    let r = session.recovery_stats();
    tracing::info!(
        channel_id,
        stream_id,
        reason = reason.as_str(),
        received = r.received,
        lost = r.lost,
        recovered = r.recovered,
        unrecovered = r.unrecovered,
        "FTL stream ended"
    );
    match timeout(
        shared.config.call_timeout(),
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

fn flush(session: &mut MediaSession, shared: &Shared, hub: &StreamHub, client: Option<SocketAddr>) {
    while let Some(out) = session.poll_output() {
        match out {
            MediaOutput::Packet(p) => {
                hub.publish(p);
            }
            MediaOutput::Transmit(d) => {
                if let Some(addr) = client {
                    // Never wait on the socket: a NACK or ping echo that cannot go now is dropped.
                    let _ = shared.socket.try_send_to(&d, addr);
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn run_stream(
    conn: &mut Conn,
    shared: &Shared,
    shutdown: &CancellationToken,
    replace: &CancellationToken,
    hub: &Arc<StreamHub>,
    session: &mut MediaSession,
    mut rx: mpsc::Receiver<Datagram>,
    channel_id: i64,
    stream_id: i64,
) -> StreamEndReason {
    let started = Instant::now();
    let mut client: Option<SocketAddr> = None;
    let mut housekeeping = started + Duration::from_secs(1);
    let report_every = Duration::from_millis(shared.config.metadata_interval_ms.max(100));
    let mut next_report = started + report_every;
    let mut report: Option<JoinHandle<Result<(), ControlError>>> = None;
    let mut metrics = StreamMetrics::new(channel_id);
    let far = Duration::from_secs(3600);
    loop {
        // Control lines already buffered.
        loop {
            let line = match conn.framer.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(_) => {
                    conn.fail(ReplyCode::BadRequest, "oversized or non-UTF-8 line")
                        .await;
                    return StreamEndReason::Error;
                }
            };
            match conn.machine.handle_line(&line, Instant::now().into_std()) {
                Step::Reply(r) if !conn.send(&r).await => return StreamEndReason::Disconnect,
                Step::Disconnect => return StreamEndReason::Disconnect,
                Step::Fail { code, reason } => {
                    conn.fail(code, reason).await;
                    return StreamEndReason::Error;
                }
                _ => {}
            }
        }
        let deadline = [
            conn.machine.next_deadline(),
            session.next_deadline(),
            Some(housekeeping.into_std()),
        ]
        .into_iter()
        .flatten()
        .min()
        .map(Instant::from_std)
        .unwrap_or_else(|| Instant::now() + far);
        tokio::select! {
            biased;
            _ = shutdown.cancelled() => {
                conn.fail(ReplyCode::ServerTerminated, "server shutting down").await;
                return StreamEndReason::Shutdown;
            }
            _ = replace.cancelled() => {
                conn.fail(ReplyCode::ServerTerminated, "replaced by a new connection").await;
                return StreamEndReason::Replaced;
            }
            d = rx.recv() => {
                let Some((from, data)) = d else { return StreamEndReason::Error };
                let now = std::time::Instant::now();
                client = Some(from);
                let mut media = session.handle_datagram(data, now) == Handled::Media;
                for _ in 0..DATAGRAM_BATCH {
                    let Ok((_, data)) = rx.try_recv() else { break };
                    media |= session.handle_datagram(data, now) == Handled::Media;
                }
                if media {
                    conn.machine.on_media(now);
                }
                flush(session, shared, hub, client);
            }
            r = conn.rd.read(&mut conn.buf) => match r {
                Ok(0) | Err(_) => return StreamEndReason::Disconnect,
                Ok(n) => {
                    let data = conn.buf[..n].to_vec();
                    conn.framer.extend(&data);
                }
            },
            _ = sleep_until(deadline) => {
                let now = Instant::now();
                if let Some(t) = conn.machine.poll_timeout(now.into_std()) {
                    conn.fail(t.reply_code(), "stream timeout").await;
                    return StreamEndReason::Timeout;
                }
                session.handle_timeout(now.into_std());
                flush(session, shared, hub, client);
                if now >= housekeeping {
                    housekeeping = now + Duration::from_secs(1);
                    metrics.update(session.recovery_stats());
                    let (bps, full) = session.bitrate_bps(now.into_std());
                    metrics.bitrate.set(bps as f64);
                    if let Some(rtt) = session.rtt() {
                        metrics.rtt_ms.record(rtt.as_secs_f64() * 1000.0);
                    }
                    let cap = shared.config.max_bitrate_bps;
                    if cap > 0 && full && bps > cap {
                        tracing::warn!(channel_id, stream_id, bitrate = bps, cap, "stream exceeded the bitrate cap; ending it");
                        conn.fail(ReplyCode::ServerTerminated, "bitrate cap exceeded").await;
                        return StreamEndReason::BitrateExceeded;
                    }
                    if let Some(h) = report.take_if(|h| h.is_finished()) {
                        if let Ok(Err(ControlError::StreamEnded)) = h.await {
                            conn.fail(ReplyCode::ServerTerminated, "ended by the platform").await;
                            return StreamEndReason::Error;
                        }
                    }
                    if now >= next_report && report.is_none() {
                        next_report = now + report_every;
                        let stats = session.stats(now.into_std(), now - started, &shared.config.ingest_name);
                        let control = Arc::clone(&shared.control);
                        let call_timeout = shared.config.call_timeout();
                        report = Some(tokio::spawn(async move {
                            match timeout(call_timeout, control.report_metadata(channel_id, stream_id, &stats)).await {
                                Ok(r) => {
                                    if let Err(e) = &r {
                                        tracing::warn!(channel_id, stream_id, error = %e, "report_metadata failed");
                                    }
                                    r
                                }
                                Err(_) => {
                                    tracing::warn!(channel_id, stream_id, "report_metadata timed out");
                                    Ok(())
                                }
                            }
                        }));
                    }
                }
            }
        }
    }
}
