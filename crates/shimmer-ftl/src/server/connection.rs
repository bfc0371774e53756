//! One control connection and, once the handshake succeeds, its stream. The [`StreamMachine`]
//! decides everything; this task only moves bytes between it and the TCP connection, the
//! datagram queue, the UDP socket and the hub, runs the platform calls it asks for under their
//! deadlines, and feeds back their answers and the time.

use std::future::pending;
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
use tokio::time::{sleep_until, timeout, Instant};
use tokio_util::sync::CancellationToken;

use super::demux::{Datagram, DemuxCommand};
use super::{LiveHandle, Shared};
use crate::control::{MediaAnnounce, NONCE_LEN};
use crate::ingest_control::{ControlError, StreamEndReason, StreamStartInfo};
use crate::live::StreamSsrcs;
use crate::stats::StreamStats;
use crate::stream::{CallFailed, Close, Output, Sample, StartOutcome, StreamMachine};

/// Longest wait for a reply to be written (replies are tiny; a peer that does not read is dead).
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);
/// Datagrams handled per wake-up before other events get a turn.
const DATAGRAM_BATCH: usize = 64;
/// Queue between the UDP task and this session.
const DATAGRAM_QUEUE: usize = 4096;
/// How long to sleep when the machine has no deadline.
const FAR: Duration = Duration::from_secs(3600);

/// The machine's clock: tokio's, so paused-time tests move it too.
fn now() -> std::time::Instant {
    Instant::now().into_std()
}

/// What a started stream holds until it ends.
struct Started {
    channel_id: i64,
    stream_id: i64,
    session: u64,
    hub: Arc<StreamHub>,
    handle: LiveHandle,
    metrics: StreamMetrics,
}

struct Driver {
    rd: OwnedReadHalf,
    wr: OwnedWriteHalf,
    peer: SocketAddr,
    shared: Arc<Shared>,
    machine: StreamMachine,
    buf: Vec<u8>,
    stream: Option<Started>,
    /// Datagrams routed to the stream, once started.
    media: Option<mpsc::Receiver<Datagram>>,
    /// Cancelled when a newer session replaces the stream.
    replace: Option<CancellationToken>,
    reports_tx: mpsc::Sender<Result<(), ControlError>>,
    reports_rx: mpsc::Receiver<Result<(), ControlError>>,
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
    let machine = StreamMachine::new(shared.config.stream_config(shared.media_port), nonce, now());
    // One report is in flight at most, so one slot never makes a report task wait.
    let (reports_tx, reports_rx) = mpsc::channel(1);
    let mut driver = Driver {
        rd,
        wr,
        peer,
        shared,
        machine,
        buf: vec![0u8; 4096],
        stream: None,
        media: None,
        replace: None,
        reports_tx,
        reports_rx,
    };
    driver.run(&shutdown).await;
}

impl Driver {
    async fn run(&mut self, shutdown: &CancellationToken) {
        loop {
            while let Some(out) = self.machine.poll_output() {
                match out {
                    Output::Reply(line) => {
                        if !self.write_line(&line).await {
                            self.machine.on_write_failed();
                        }
                    }
                    Output::LookupSecret { channel_id } => {
                        let secret = self.lookup_secret(channel_id).await;
                        self.machine.on_secret(
                            secret.as_ref().map(Option::as_deref).map_err(|e| *e),
                            now(),
                        );
                    }
                    Output::StartStream {
                        channel_id,
                        announce,
                    } => {
                        let outcome = self.start(channel_id, announce).await;
                        self.machine.on_start(outcome, now());
                    }
                    Output::Transmit { to, data } => {
                        // Never wait on the socket: a NACK or ping echo that cannot go now is
                        // dropped.
                        let _ = self.shared.socket.try_send_to(&data, to);
                    }
                    Output::Publish(packet) => {
                        if let Some(s) = &self.stream {
                            s.hub.publish(packet);
                        }
                    }
                    Output::Sample(sample) => {
                        if let Some(s) = &mut self.stream {
                            s.metrics.record(sample);
                        }
                    }
                    Output::ReportMetadata(stats) => self.report(stats),
                    Output::Close(close) => {
                        self.close(close).await;
                        return;
                    }
                }
            }
            self.wait(shutdown).await;
        }
    }

    /// Waits for the next input and feeds it to the machine.
    async fn wait(&mut self, shutdown: &CancellationToken) {
        let deadline = self
            .machine
            .poll_timeout()
            .map(Instant::from_std)
            .unwrap_or_else(|| Instant::now() + FAR);
        let replace = self.replace.as_ref();
        let media = self.media.as_mut();
        tokio::select! {
            biased;
            _ = shutdown.cancelled() => self.machine.on_shutdown(),
            _ = async { match replace { Some(t) => t.cancelled().await, None => pending().await } } => {
                self.machine.on_replaced();
            }
            d = async { match media { Some(rx) => rx.recv().await, None => pending().await } } => {
                let Some((from, data)) = d else {
                    self.machine.on_media_closed();
                    return;
                };
                let now = now();
                self.machine.handle_datagram(from, data, now);
                if let Some(rx) = self.media.as_mut() {
                    for _ in 0..DATAGRAM_BATCH {
                        let Ok((from, data)) = rx.try_recv() else { break };
                        self.machine.handle_datagram(from, data, now);
                    }
                }
            }
            Some(result) = self.reports_rx.recv() => self.machine.on_report_done(result),
            r = self.rd.read(&mut self.buf) => match r {
                Ok(0) | Err(_) => self.machine.on_control_closed(),
                Ok(n) => self.machine.handle_control_bytes(&self.buf[..n], now()),
            },
            _ = sleep_until(deadline) => self.machine.handle_timeout(now()),
        }
    }

    async fn write_line(&mut self, line: &str) -> bool {
        let mut data = Vec::with_capacity(line.len() + 1);
        data.extend_from_slice(line.as_bytes());
        data.push(b'\n');
        matches!(
            timeout(WRITE_TIMEOUT, self.wr.write_all(&data)).await,
            Ok(Ok(()))
        )
    }

    async fn lookup_secret(&self, channel_id: i64) -> Result<Option<String>, CallFailed> {
        match timeout(
            self.shared.config.call_timeout(),
            self.shared.control.channel_secret(channel_id),
        )
        .await
        {
            Ok(Ok(secret)) => Ok(secret),
            Ok(Err(e)) => {
                tracing::warn!(channel_id, error = %e, "stream key lookup failed");
                Err(CallFailed::Error)
            }
            Err(_) => Err(CallFailed::TimedOut),
        }
    }

    /// Admits the stream against the live table, ends the live session it replaces, starts it
    /// on the platform and sets up its hub and media route.
    async fn start(&mut self, channel_id: i64, announce: MediaAnnounce) -> StartOutcome {
        let shared = Arc::clone(&self.shared);
        let ip = self.peer.ip();
        let ssrcs = StreamSsrcs::of(&announce);
        let previous = match shared.live().admit(channel_id, ip, ssrcs) {
            Ok(previous) => previous.cloned(),
            Err(collision) => return StartOutcome::Collision(collision),
        };
        // Wait for the replaced session to end first, so the platform sees end(old) before
        // start(new).
        if let Some(previous) = previous {
            tracing::info!(channel_id, "new FTL connection replaces the live session");
            previous.replace.cancel();
            let _ = timeout(shared.config.call_timeout() * 2, previous.done.cancelled()).await;
        }
        let info = StreamStartInfo {
            channel_id,
            client_addr: self.peer,
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
                return StartOutcome::Refused(e);
            }
            Err(_) => return StartOutcome::TimedOut,
        };
        let session = shared.next_session.fetch_add(1, Ordering::Relaxed);
        let handle = LiveHandle::default();
        let raced = shared
            .live()
            .insert(channel_id, session, ip, ssrcs, handle.clone());
        if let Some(raced) = raced {
            raced.replace.cancel();
        }
        let hub = shared.hubs.create(channel_id, stream_info(&announce));
        let (tx, rx) = mpsc::channel(DATAGRAM_QUEUE);
        let _ = shared.demux.send(DemuxCommand::Register {
            session,
            ip,
            ssrcs: ssrcs.to_vec(),
            tx,
        });
        self.media = Some(rx);
        self.replace = Some(handle.replace.clone());
        self.stream = Some(Started {
            channel_id,
            stream_id,
            session,
            hub,
            handle,
            metrics: StreamMetrics::new(channel_id),
        });
        tracing::info!(channel_id, stream_id, peer = %self.peer, "FTL stream started");
        StartOutcome::Started
    }

    /// Reports metadata in its own task, so a slow platform never delays media.
    fn report(&self, stats: StreamStats) {
        let Some(s) = &self.stream else { return };
        let (channel_id, stream_id) = (s.channel_id, s.stream_id);
        let control = Arc::clone(&self.shared.control);
        let call_timeout = self.shared.config.call_timeout();
        let done = self.reports_tx.clone();
        tokio::spawn(async move {
            let result = match timeout(
                call_timeout,
                control.report_metadata(channel_id, stream_id, &stats),
            )
            .await
            {
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
            };
            let _ = done.send(result).await;
        });
    }

    /// Sends the closing reply, then tears the stream down and ends it on the platform.
    async fn close(&mut self, close: Close) {
        if let Some(code) = close.reply {
            tracing::info!(peer = %self.peer, code = code.as_u16(), reason = close.reason, "FTL connection refused or ended");
            let _ = self.write_line(&code.line()).await;
            let _ = self.wr.shutdown().await;
        }
        let Some(s) = self.stream.take() else {
            return;
        };
        let (channel_id, stream_id) = (s.channel_id, s.stream_id);
        let reason = close.end.unwrap_or(StreamEndReason::Error);
        if reason == StreamEndReason::BitrateExceeded {
            tracing::warn!(
                channel_id,
                stream_id,
                bitrate = s.metrics.last_bitrate,
                cap = self.shared.config.max_bitrate_bps,
                "stream exceeded the bitrate cap; ending it"
            );
        }
        let _ = self
            .shared
            .demux
            .send(DemuxCommand::Unregister { session: s.session });
        self.media = None;
        self.shared.hubs.remove(&s.hub);
        self.shared.live().remove(channel_id, s.session);
        let r = self.machine.recovery_stats();
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
            self.shared.config.call_timeout(),
            self.shared
                .control
                .end_stream(channel_id, stream_id, reason),
        )
        .await
        {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(channel_id, stream_id, error = %e, "end_stream failed"),
            Err(_) => tracing::warn!(channel_id, stream_id, "end_stream timed out"),
        }
        s.handle.done.cancel();
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

/// Per-stream metric handles, updated from the machine's samples.
struct StreamMetrics {
    received: Counter,
    lost: Counter,
    recovered: Counter,
    unrecovered: Counter,
    nacked: Counter,
    bitrate: metrics::Gauge,
    rtt_ms: metrics::Histogram,
    last: shimmer_media::recovery::RecoveryStats,
    last_bitrate: u64,
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
            last_bitrate: 0,
        }
    }

    fn record(&mut self, sample: Sample) {
        let s = sample.recovery;
        self.received.increment(s.received - self.last.received);
        self.lost.increment(s.lost - self.last.lost);
        self.recovered.increment(s.recovered - self.last.recovered);
        self.unrecovered
            .increment(s.unrecovered - self.last.unrecovered);
        self.nacked.increment(s.nacked - self.last.nacked);
        self.last = s;
        self.bitrate.set(sample.bitrate_bps as f64);
        self.last_bitrate = sample.bitrate_bps;
        if let Some(rtt) = sample.rtt {
            self.rtt_ms.record(rtt.as_secs_f64() * 1000.0);
        }
    }
}
