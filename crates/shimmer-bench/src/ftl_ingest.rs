//! `shimmer-bench ingest`: N concurrent FTL streams at a given bitrate, pushed with the real FTL
//! client into the real server.
//!
//! By default the server runs in this process on its own tokio runtime, with an in-memory
//! [`IngestControl`] that accepts every channel, and one hub subscriber per stream checks that
//! every packet the clients made reached the hub (in order, no gaps). The server's CPU time is
//! read per thread from /proc, separately from the clients'. With `--target HOST:PORT` the
//! streams go to a running server instead (keys `<first_channel + i>-<secret>`), and only the
//! client side is measured.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use shimmer_ftl::client::{push_media, Media, PushOptions, PushSummary};
use shimmer_ftl::ingest_control::StreamEndReason;
use shimmer_ftl::{
    ControlError, FtlConfig, FtlServer, IngestControl, StartError, StreamStartInfo, StreamStats,
};
use shimmer_media::{HubEvent, HubRegistry, MediaKind, SubscriberOptions};
use shimmer_testkit::media::{Bitrate, Opus, Pattern, H264};
use tokio_util::sync::CancellationToken;

use crate::cpu;

/// Options of the ingest benchmark.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Concurrent streams.
    #[arg(long, default_value_t = 10)]
    streams: usize,
    /// Seconds each stream pushes.
    #[arg(long, default_value_t = 20)]
    duration: u64,
    /// Total bitrate per stream (video + 128 kbit/s audio), in kbit/s, for generated media.
    #[arg(long, default_value_t = 4000)]
    bitrate_kbps: u64,
    /// Push to a running server (`host:port` of its control port) instead of an in-process one.
    #[arg(long)]
    target: Option<String>,
    /// Stream-key secret of every channel.
    #[arg(long, default_value = "benchsecret")]
    secret: String,
    /// Channel id of the first stream; stream i uses first_channel + 2*i.
    #[arg(long, default_value_t = 1000)]
    first_channel: i64,
    /// Packet loss the clients simulate, in percent.
    #[arg(long, default_value_t = 0.0)]
    loss: f64,
    /// Delay between stream starts, in milliseconds.
    #[arg(long, default_value_t = 10)]
    ramp_ms: u64,
    /// Annex-B H.264 file to push instead of generated media.
    #[arg(long)]
    video: Option<PathBuf>,
    /// Ogg Opus file to push instead of generated media.
    #[arg(long)]
    audio: Option<PathBuf>,
    /// Worker threads of the in-process server's runtime.
    #[arg(long, default_value_t = 2)]
    server_threads: usize,
    /// Worker threads of the clients' runtime.
    #[arg(long, default_value_t = 2)]
    client_threads: usize,
}

/// Accepts every channel with one secret.
struct BenchControl {
    secret: String,
    started: AtomicU64,
    ended: AtomicU64,
    abnormal_ends: Mutex<Vec<(i64, StreamEndReason)>>,
}

#[async_trait::async_trait]
impl IngestControl for BenchControl {
    async fn channel_secret(&self, _channel_id: i64) -> Result<Option<String>, ControlError> {
        Ok(Some(self.secret.clone()))
    }
    async fn start_stream(&self, channel_id: i64, _: &StreamStartInfo) -> Result<i64, StartError> {
        self.started.fetch_add(1, Ordering::Relaxed);
        Ok(channel_id)
    }
    async fn report_metadata(&self, _: i64, _: i64, _: &StreamStats) -> Result<(), ControlError> {
        Ok(())
    }
    async fn end_stream(
        &self,
        channel_id: i64,
        _: i64,
        reason: StreamEndReason,
    ) -> Result<(), ControlError> {
        self.ended.fetch_add(1, Ordering::Relaxed);
        if reason != StreamEndReason::Disconnect {
            if let Ok(mut v) = self.abnormal_ends.lock() {
                v.push((channel_id, reason));
            }
        }
        Ok(())
    }
}

/// 10 s of 1280×720 testsrc2 as Main-profile H.264 at a constant bitrate (the Opus's 128
/// kbit/s taken from `bitrate_kbps`), and 10 s of Opus.
fn generate_media(dir: &Path, bitrate_kbps: u64) -> anyhow::Result<(PathBuf, PathBuf)> {
    let v = dir.join("bench.h264");
    let a = dir.join("bench.opus");
    let video_kbps = u32::try_from(bitrate_kbps.saturating_sub(128).max(100))?;
    H264::new(1280, 720, 10)
        .pattern(Pattern::TestSrc2)
        .bitrate(Bitrate::Constant(video_kbps))
        .write(&v)?;
    Opus::new(10).write(&a)?;
    Ok((v, a))
}

/// Counts what one hub subscriber saw.
#[derive(Default, Debug, Clone, Copy)]
struct Seen {
    /// Packets the hub published over the stream's life (its own counter).
    published: u64,
    /// Packets this subscriber received.
    packets: u64,
    /// Sequence discontinuities this subscriber saw.
    gaps: u64,
}

async fn watch_hub(hubs: Arc<HubRegistry>, channel: i64, give_up: Instant) -> Seen {
    let hub = loop {
        if let Some(h) = hubs.get(channel) {
            break h;
        }
        if Instant::now() > give_up {
            return Seen::default();
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let mut sub = hub.subscribe(SubscriberOptions {
        queue_capacity: Some(50_000),
        ..Default::default()
    });
    let mut seen = Seen::default();
    let mut last = [None::<u16>; 2];
    while let Some(ev) = sub.recv().await {
        if let HubEvent::Packet(p) = ev {
            seen.packets += 1;
            let k = usize::from(p.kind == MediaKind::Video);
            if let Some(prev) = last[k] {
                if p.sequence != prev.wrapping_add(1) {
                    seen.gaps += 1;
                }
            }
            last[k] = Some(p.sequence);
        }
    }
    seen.published = hub.stats().packets;
    seen
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let tmp = std::env::temp_dir().join(format!("shimmer-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let (video, audio) = match (&args.video, &args.audio) {
        (Some(v), Some(a)) => (v.clone(), a.clone()),
        _ => generate_media(&tmp, args.bitrate_kbps)?,
    };
    let media = Arc::new(Media::load(Some(&video), Some(&audio))?);
    let file_bits = (std::fs::metadata(&video)?.len() + std::fs::metadata(&audio)?.len()) * 8;
    let media_kbps = file_bits as f64 / 10.0 / 1000.0;

    let server_tids = Arc::new(Mutex::new(Vec::<u32>::new()));
    let hubs = Arc::new(HubRegistry::default());
    let control = Arc::new(BenchControl {
        secret: args.secret.clone(),
        started: AtomicU64::new(0),
        ended: AtomicU64::new(0),
        abnormal_ends: Mutex::new(Vec::new()),
    });
    let shutdown = CancellationToken::new();
    let mut server_rt = None;
    let mut server_task = None;
    let target = match &args.target {
        Some(t) => t.clone(),
        None => {
            let tids = Arc::clone(&server_tids);
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(args.server_threads)
                .thread_name("ftl-server")
                .on_thread_start(move || {
                    if let (Some(t), Ok(mut v)) = (cpu::current_tid(), tids.lock()) {
                        v.push(t);
                    }
                })
                .enable_all()
                .build()?;
            let config = FtlConfig {
                bind_address: "127.0.0.1".parse()?,
                control_port: 0,
                media_port: 0,
                max_bitrate_bps: 0,
                ..Default::default()
            };
            let server = rt.block_on(FtlServer::bind(
                config,
                control.clone() as Arc<dyn IngestControl>,
                hubs.clone(),
            ))?;
            let addr = server.control_addr().to_string();
            server_task = Some(rt.spawn(server.run(shutdown.clone())));
            server_rt = Some(rt);
            addr
        }
    };

    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.client_threads)
        .thread_name("ftl-clients")
        .enable_all()
        .build()?;
    let cpu_start = cpu::process();
    let server_cpu_start = cpu::threads(&server_tids.lock().map(|v| v.clone()).unwrap_or_default());
    let wall = Instant::now();
    let in_process = args.target.is_none();
    let (results, seen): (Vec<Result<PushSummary, String>>, Vec<Seen>) =
        client_rt.block_on(async {
            let mut pushes = Vec::new();
            let mut watchers = Vec::new();
            for i in 0..args.streams {
                let channel = args.first_channel + 2 * i as i64;
                let opts = PushOptions {
                    server: target.clone(),
                    key: format!("{channel}-{}", args.secret),
                    looping: true,
                    loss_percent: args.loss,
                    max_duration: Some(Duration::from_secs(args.duration)),
                    vendor_name: "shimmer-bench".into(),
                    ..Default::default()
                };
                let media = Arc::clone(&media);
                let delay = Duration::from_millis(args.ramp_ms * i as u64);
                if in_process {
                    let give_up = Instant::now() + delay + Duration::from_secs(30);
                    watchers.push(tokio::spawn(watch_hub(hubs.clone(), channel, give_up)));
                }
                pushes.push(tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    push_media(&opts, media).await.map_err(|e| e.to_string())
                }));
            }
            let mut results = Vec::new();
            for p in pushes {
                results.push(p.await.unwrap_or_else(|e| Err(e.to_string())));
            }
            let mut seen = Vec::new();
            for w in watchers {
                let s = tokio::time::timeout(Duration::from_secs(30), w).await;
                seen.push(s.ok().and_then(|r| r.ok()).unwrap_or_default());
            }
            (results, seen)
        });
    let wall_s = wall.elapsed().as_secs_f64();
    let server_cpu = cpu::threads(&server_tids.lock().map(|v| v.clone()).unwrap_or_default())
        .saturating_sub(server_cpu_start);
    let process_cpu = cpu::process().saturating_sub(cpu_start);
    shutdown.cancel();
    if let (Some(rt), Some(task)) = (server_rt.as_ref(), server_task) {
        let _ = rt.block_on(task);
    }

    let ok: Vec<&PushSummary> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    let made: u64 = ok.iter().map(|s| s.media_packets).sum();
    let received: u64 = seen.iter().map(|s| s.published).sum();
    let subscriber_received: u64 = seen.iter().map(|s| s.packets).sum();
    let gaps: u64 = seen.iter().map(|s| s.gaps).sum();
    let stream_seconds = (args.streams as u64 * args.duration) as f64;
    let rtts: Vec<f64> = ok.iter().filter_map(|s| s.rtt_ms).collect();
    let abnormal = control.abnormal_ends.lock().map(|v| v.len()).unwrap_or(0);
    let out = serde_json::json!({
        "bench": "ingest",
        "mode": if in_process { "in-process" } else { "remote" },
        "streams": args.streams,
        "streams_ok": ok.len(),
        "handshake_or_push_failures": failures.len(),
        "first_failure": failures.first(),
        "duration_s": args.duration,
        "media_kbps": (media_kbps * 10.0).round() / 10.0,
        "loss_percent": args.loss,
        "packets_made": made,
        "packets_sent": ok.iter().map(|s| s.packets_sent).sum::<u64>(),
        "packets_dropped_by_client": ok.iter().map(|s| s.packets_dropped).sum::<u64>(),
        "nacked_seqs": ok.iter().map(|s| s.nacks_received).sum::<u64>(),
        "packets_resent": ok.iter().map(|s| s.packets_resent).sum::<u64>(),
        "packets_received_by_hubs": if in_process { Some(received) } else { None },
        "unrecovered_loss": if in_process { Some(made.saturating_sub(received)) } else { None },
        "subscriber_received": if in_process { Some(subscriber_received) } else { None },
        "subscriber_sequence_gaps": if in_process { Some(gaps) } else { None },
        "abnormal_stream_ends": abnormal,
        "ended_by_server": ok.iter().filter(|s| s.ended_by_server.is_some()).count(),
        "mean_rtt_ms": if rtts.is_empty() { None } else { Some(rtts.iter().sum::<f64>() / rtts.len() as f64) },
        "wall_s": (wall_s * 100.0).round() / 100.0,
        "server_cpu_s": if in_process { Some(server_cpu.as_secs_f64()) } else { None },
        "server_cpu_ms_per_stream_second": if in_process { Some(server_cpu.as_secs_f64() * 1000.0 / stream_seconds) } else { None },
        "process_cpu_s": process_cpu.as_secs_f64(),
        "process_cpu_ms_per_stream_second": process_cpu.as_secs_f64() * 1000.0 / stream_seconds,
    });
    println!("{out}");
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}
