//! `shimmer-bench whep`: N WHEP viewers (str0m, real ICE/DTLS/SRTP over UDP) watching one
//! stream, and one JSON line of what they got.
//!
//! By default the server runs in this process on its own tokio runtime: a StreamHub fed in real
//! time with ffmpeg-made H.264 + Opus at `--bitrate-kbps`, the WebRTC engine and the WHEP router
//! on loopback. The server's CPU time is read per thread from /proc apart from the viewers', and
//! its ingest-to-egress delay (hub publish to datagram handed to the socket) comes from the
//! engine's histogram. With `--url` the viewers watch a running server instead (`--server-pid`
//! then measures its CPU).
//!
//! The first `--checked` viewers decrypt and check everything (keyframe first, NACK repair);
//! the others count SRTP packets from their clear RTP headers (a GSO run of the server arrives
//! whole through UDP GRO), so the generator stays cheap. Its CPU is reported apart from the
//! server's. `--sweep` runs several viewer counts and reports the largest meeting the criteria.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use async_trait::async_trait;
use serde::Serialize;
use shimmer_media::hub::HubConfig;
use shimmer_media::{HubRegistry, StreamInfo};
use shimmer_testkit::stream::TestStream;
use shimmer_testkit::whep_client::{run_viewer, ViewerOptions, ViewerReport};
use shimmer_webrtc::metrics::{DelayHistogram, DelaySummary};
use shimmer_webrtc::{whep_router, ChannelResolver, Engine, WebRtcConfig};

use crate::cpu;
use crate::netlink::Links;

/// Options of the WHEP fan-out benchmark.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// WHEP endpoint of a running server; default: an in-process server.
    #[arg(long)]
    url: Option<String>,
    /// Concurrent viewers.
    #[arg(long, default_value_t = 10)]
    viewers: usize,
    /// Viewer counts to run one after another (in-process server, stream encoded once), e.g.
    /// `100,200,400`: one JSON line each, then one line with the largest N meeting the criteria
    /// (every viewer connected, loss under 0.5 %, no hub queue overflow, p99 ingest-to-egress
    /// delay under 50 ms).
    #[arg(long, value_delimiter = ',')]
    sweep: Vec<usize>,
    /// Pace each video frame at this rate like an FTL client with `peak_kbps` (0: unpaced, a
    /// keyframe reaches the hub as one burst).
    #[arg(long, default_value_t = 0)]
    peak_kbps: u32,
    /// Seconds measured once every viewer has joined.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Viewers that decrypt and check every packet; the rest count clear RTP headers.
    #[arg(long, default_value_t = 4)]
    checked: usize,
    /// In-process stream bitrate (video + 128 kbit/s audio), kbit/s.
    #[arg(long, default_value_t = 4000)]
    bitrate_kbps: u32,
    /// Worker threads of the in-process server's runtime.
    #[arg(long, default_value_t = 2)]
    server_threads: usize,
    /// Worker threads of the viewers' runtime.
    #[arg(long, default_value_t = 2)]
    client_threads: usize,
    /// Delay between viewer joins, ms.
    #[arg(long, default_value_t = 5)]
    ramp_ms: u64,
    /// PID of the server when using --url, to measure its CPU.
    #[arg(long)]
    server_pid: Option<u32>,
    /// x264 profile of the in-process stream: `baseline`, `main` or `high` (OBS's and x264's
    /// default; 4:2:0 in every case).
    #[arg(long, default_value = "main")]
    profile: String,
    /// H.264 profile-level-ids the viewers offer, in hex: default Chrome's list (High
    /// included); `42001f,42e01f,4d001f,f4001f` is Debian's Chromium, `42e01f` Firefox.
    #[arg(long, value_delimiter = ',', value_parser = parse_profile_level_id)]
    viewer_h264: Vec<u32>,
    /// Put each viewer behind its own link of this many Mbit/s from the server (a network
    /// namespace, a veth pair and `tbf rate R burst 32kbit latency 50ms` on the server's end).
    /// Needs root; in-process server only.
    #[arg(long)]
    link_mbit: Option<f64>,
    /// The server's `webrtc.pace_multiplier` (0: no pacing); default: the server's default.
    #[arg(long)]
    pace_multiplier: Option<f64>,
    /// The server's `webrtc.pace_first_burst_kib`; default: the server's default.
    #[arg(long)]
    pace_first_burst_kib: Option<usize>,
    /// The server's `webrtc.pace_burst_ms`; default: the server's default.
    #[arg(long)]
    pace_burst_ms: Option<u64>,
}

fn parse_profile_level_id(text: &str) -> Result<u32, String> {
    match u32::from_str_radix(text.trim(), 16) {
        Ok(id) if text.trim().len() == 6 => Ok(id),
        _ => Err(format!(
            "{text:?} is not a profile-level-id (six hex digits, such as 42e01f)"
        )),
    }
}

/// The JSON summary line.
#[derive(Debug, Serialize)]
struct Summary {
    mode: &'static str,
    /// 1-minute load average of the machine when the run started (shared machines).
    load_average: Option<f64>,
    viewers: usize,
    connected: usize,
    failed: usize,
    checked: usize,
    seconds: f64,
    stream_kbps: u32,
    video_packets: u64,
    audio_packets: u64,
    lost_packets: u64,
    loss_pct: f64,
    hub_queue_overflows: u64,
    /// Video packets the server's pacers dropped (a viewer's pacer queue overflowed).
    pace_drops: u64,
    hub_packets_published: u64,
    worst_viewer_loss_pct: f64,
    checked_first_packet_keyframe: bool,
    /// The stream's x264 profile (in-process server) and the H.264 profile-level-ids the
    /// server answered the viewers with.
    profile: Option<String>,
    answered_h264: Vec<String>,
    time_to_first_keyframe_ms_p50: Option<f64>,
    time_to_first_keyframe_ms_p99: Option<f64>,
    connect_ms_p50: Option<f64>,
    connect_ms_p99: Option<f64>,
    ingest_to_egress: Option<DelaySummary>,
    server_cpu_cores: Option<f64>,
    server_cpu_pct_per_viewer: Option<f64>,
    server_cpu_us_per_packet: Option<f64>,
    egress_pps: Option<f64>,
    egress_mbps_per_viewer: Option<f64>,
    client_cpu_cores: f64,
    client_cpu_pct_per_viewer: Option<f64>,
    client_cpu_us_per_packet: Option<f64>,
    peak_kbps: u32,
    /// Each viewer's link from the server, Mbit/s (`--link-mbit`).
    link_mbit: Option<f64>,
    /// The server's pacing multiplier (0: off), burst and first-keyframe allowance
    /// (in-process).
    pace_multiplier: Option<f64>,
    pace_burst_ms: Option<u64>,
    pace_first_burst_kib: Option<usize>,
    /// Loss (%) of each connected viewer, in join order, all packets of its session.
    per_viewer_loss_pct: Vec<f64>,
    /// When the first frame (a keyframe) was whole at the viewer, ms after the offer, over the
    /// viewers whose first frame arrived whole (in arrival order, repairs not counted).
    first_frame_ms_p50: Option<f64>,
    first_frame_ms_p99: Option<f64>,
    /// Viewers whose first frame missed packets, and how many it missed over all of them.
    first_frame_lossy_viewers: usize,
    first_frame_lost_packets: u64,
    meets_criteria: bool,
    errors: Vec<String>,
}

/// Loss (%) and p99 ingest-to-egress delay (ms) a run must stay under.
const MAX_LOSS_PCT: f64 = 0.5;
const MAX_P99_MS: f64 = 50.0;

/// The last line of a sweep.
#[derive(Debug, Serialize)]
struct SweepResult {
    sweep: Vec<usize>,
    passed: Vec<usize>,
    largest_n_meeting_criteria: Option<usize>,
}

struct OneChannel;

#[async_trait]
impl ChannelResolver for OneChannel {
    async fn resolve(&self, name_or_id: &str) -> Option<i64> {
        (name_or_id.eq_ignore_ascii_case("bench") || name_or_id == "1").then_some(1)
    }
}

struct InProcess {
    url: String,
    engine: Engine,
    hub: Arc<shimmer_media::StreamHub>,
    tids: Arc<Mutex<Vec<u32>>>,
    _rt: tokio::runtime::Runtime,
}

fn runtime(
    threads: usize,
    name: &str,
    tids: Arc<Mutex<Vec<u32>>>,
) -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .thread_name(name)
        .on_thread_start(move || {
            if let (Some(t), Ok(mut v)) = (cpu::current_tid(), tids.lock()) {
                v.push(t);
            }
        })
        .enable_all()
        .build()?)
}

/// The in-process stream: ffmpeg-made, at `--bitrate-kbps`, paced at `--peak-kbps`.
fn encode_stream(args: &Args) -> anyhow::Result<Arc<TestStream>> {
    let tmp = std::env::temp_dir().join(format!("shimmer-bench-whep-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let video_kbps = args.bitrate_kbps.saturating_sub(128).max(100);
    let stream = TestStream::generate_profile(&tmp, &args.profile, 1280, 720, 10, 60, video_kbps)
        .context("encoding test media");
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(Arc::new(stream?.paced(args.peak_kbps)))
}

fn start_server(
    args: &Args,
    stream: Arc<TestStream>,
    links: Option<&Links>,
) -> anyhow::Result<InProcess> {
    let config = server_config(args, links);
    let tids = Arc::new(Mutex::new(Vec::new()));
    let rt = runtime(args.server_threads, "whep-server", Arc::clone(&tids))?;
    let (engine, http, hub) = rt.block_on(async {
        let hubs = Arc::new(HubRegistry::new(HubConfig::default()));
        let bus: Arc<dyn shimmer_bus::Bus> = Arc::new(shimmer_bus::InProcessBus::new());
        let engine = Engine::start(config, Arc::clone(&hubs), bus).await?;
        let hub = hubs.create(
            1,
            StreamInfo {
                video: Some(StreamInfo::h264(96, 0x5eed)),
                audio: Some(StreamInfo::opus(97, 0x0a0d, 2)),
            },
        );
        tokio::spawn(stream.publish(Arc::clone(&hub), None));
        for _ in 0..200 {
            if hub.has_keyframe() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let router = whep_router(engine.clone(), Arc::new(OneChannel));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let http = listener.local_addr()?;
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        anyhow::Ok((engine, http, hub))
    })?;
    Ok(InProcess {
        url: format!("http://{http}/api/whep/bench"),
        engine,
        hub,
        tids,
        _rt: rt,
    })
}

/// The in-process server's WebRTC settings: loopback, or the links' server address.
fn server_config(args: &Args, links: Option<&Links>) -> WebRtcConfig {
    let mut config = WebRtcConfig {
        max_sessions: 100_000,
        ..WebRtcConfig::loopback()
    };
    if let Some(links) = links {
        config.bind = SocketAddr::from(([0, 0, 0, 0], 0));
        config.candidate_ips = vec![links.server_ip()];
    }
    if let Some(m) = args.pace_multiplier {
        config.pace_multiplier = m;
    }
    if let Some(k) = args.pace_first_burst_kib {
        config.pace_first_burst_kib = k;
    }
    if let Some(ms) = args.pace_burst_ms {
        config.pace_burst_ms = ms;
    }
    config
}

fn pid_cpu(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_secs_f64(ticks as f64 / 100.0))
}

fn percentile(mut v: Vec<f64>, q: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1;
    Some((v[i] * 10.0).round() / 10.0)
}

/// Runs the benchmark and prints one JSON line per viewer count (and a sweep's result).
pub fn run(mut args: Args) -> anyhow::Result<()> {
    if args.sweep.is_empty() {
        let stream = match args.url {
            Some(_) => None,
            None => Some(encode_stream(&args)?),
        };
        println!("{}", serde_json::to_string(&run_one(&args, stream)?)?);
        return Ok(());
    }
    anyhow::ensure!(args.url.is_none(), "--sweep needs the in-process server");
    let stream = encode_stream(&args)?;
    let mut passed = Vec::new();
    for n in args.sweep.clone() {
        args.viewers = n;
        let summary = run_one(&args, Some(Arc::clone(&stream)))?;
        println!("{}", serde_json::to_string(&summary)?);
        if summary.meets_criteria {
            passed.push(n);
        }
    }
    let result = SweepResult {
        largest_n_meeting_criteria: passed.iter().copied().max(),
        sweep: args.sweep,
        passed,
    };
    println!("{}", serde_json::to_string(&result)?);
    Ok(())
}

/// One run with `args.viewers` viewers; an in-process server when `stream` is given.
fn run_one(args: &Args, stream: Option<Arc<TestStream>>) -> anyhow::Result<Summary> {
    let load_average = crate::cpu::load_average();
    let links = match args.link_mbit {
        None => None,
        Some(mbit) => {
            anyhow::ensure!(
                stream.is_some(),
                "--link-mbit needs the in-process server (no --url)"
            );
            Some(Links::create(args.viewers, mbit)?)
        }
    };
    let server = match stream {
        None => None,
        Some(stream) => Some(start_server(args, stream, links.as_ref())?),
    };
    let url = args
        .url
        .clone()
        .or_else(|| server.as_ref().map(|s| s.url.clone()))
        .context("no URL")?;
    let client_tids = Arc::new(Mutex::new(Vec::new()));
    let clients = runtime(args.client_threads, "whep-viewer", Arc::clone(&client_tids))?;
    let ramp = Duration::from_millis(args.ramp_ms * args.viewers as u64);
    let warmup = Duration::from_secs(2);
    let window = Duration::from_secs(args.seconds.max(1));

    let reports: Vec<ViewerReport> = clients.block_on(async {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()
            .unwrap_or_default();
        let begin = Instant::now();
        let mut tasks = Vec::with_capacity(args.viewers);
        for i in 0..args.viewers {
            let offset = Duration::from_millis(args.ramp_ms * i as u64);
            let mut opts = ViewerOptions::new(url.clone(), Duration::ZERO);
            opts.decrypt = i < args.checked;
            opts.viewer_key = Some(format!("bench-{i}"));
            if let Some(links) = &links {
                opts.netns = Some(links.netns(i));
                opts.bind_ip = links.viewer_ip(i);
            }
            if !args.viewer_h264.is_empty() {
                opts.h264_profiles = args.viewer_h264.clone();
            }
            // Everyone stays until the end of the measured window.
            opts.duration =
                (ramp + warmup + window + Duration::from_millis(500)).saturating_sub(offset);
            opts.connect_timeout = Duration::from_secs(20);
            let http = http.clone();
            tasks.push(tokio::spawn(async move {
                tokio::time::sleep_until((begin + offset).into()).await;
                run_viewer(&http, &opts).await
            }));
        }
        // The measured window: after the ramp and a warm-up.
        tokio::time::sleep_until((begin + ramp + warmup).into()).await;
        let before = measure(server.as_ref(), args.server_pid);
        let cpu_clients_before =
            cpu::threads(&client_tids.lock().map(|v| v.clone()).unwrap_or_default());
        tokio::time::sleep(window).await;
        let after = measure(server.as_ref(), args.server_pid);
        let cpu_clients_after =
            cpu::threads(&client_tids.lock().map(|v| v.clone()).unwrap_or_default());
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap_or_default());
        }
        WINDOW.with(|w| {
            *w.borrow_mut() = Some((
                before,
                after,
                cpu_clients_after.saturating_sub(cpu_clients_before),
            ));
        });
        out
    });
    let (before, after, client_cpu) = WINDOW
        .with(|w| w.borrow_mut().take())
        .context("no window")?;
    let secs = window.as_secs_f64();

    let connected = reports.iter().filter(|r| r.connected).count();
    let mut errors: Vec<String> = reports.iter().filter_map(|r| r.error.clone()).collect();
    errors.sort();
    errors.dedup();
    errors.truncate(5);
    let (mut video, mut audio, mut lost, mut expected, mut worst) = (0, 0, 0, 0, 0.0f64);
    let mut per_viewer_loss_pct = Vec::new();
    for r in reports.iter().filter(|r| r.connected) {
        video += r.video.packets;
        audio += r.audio.packets;
        let l = r.video.lost + r.audio.lost;
        let e = r.video.expected + r.audio.expected;
        lost += l;
        expected += e;
        if e > 0 {
            worst = worst.max(100.0 * l as f64 / e as f64);
        }
        per_viewer_loss_pct.push(if e > 0 {
            (10_000.0 * l as f64 / e as f64).round() / 100.0
        } else {
            0.0
        });
    }
    let checked: Vec<&ViewerReport> = reports
        .iter()
        .take(args.checked)
        .filter(|r| r.connected)
        .collect();
    let server_cpu = match (before.cpu, after.cpu) {
        (Some(b), Some(a)) => Some(a.saturating_sub(b).as_secs_f64()),
        _ => None,
    };
    let packets = after.datagrams.saturating_sub(before.datagrams) as f64;
    let delay = match (&before.delay, &after.delay) {
        (Some(b), Some(a)) => Some(DelayHistogram::summarize(a, Some(b))),
        _ => None,
    };
    let loss_pct = if expected > 0 {
        100.0 * lost as f64 / expected as f64
    } else {
        0.0
    };
    let client_cpu = client_cpu.as_secs_f64();
    let summary = Summary {
        load_average,
        mode: if server.is_some() {
            "in-process"
        } else {
            "remote"
        },
        viewers: args.viewers,
        connected,
        failed: args.viewers - connected,
        checked: checked.len(),
        seconds: secs,
        stream_kbps: args.bitrate_kbps,
        video_packets: video,
        audio_packets: audio,
        lost_packets: lost,
        hub_queue_overflows: after.overflows.saturating_sub(before.overflows),
        pace_drops: server.as_ref().map_or(0, |s| s.engine.pace_drops()),
        hub_packets_published: after.published.saturating_sub(before.published),
        loss_pct,
        worst_viewer_loss_pct: worst,
        checked_first_packet_keyframe: checked
            .iter()
            .all(|r| r.first_video_is_keyframe == Some(true)),
        profile: server.as_ref().map(|_| args.profile.clone()),
        answered_h264: {
            let mut answered: Vec<String> = reports
                .iter()
                .filter_map(|r| r.answer_h264.clone())
                .collect();
            answered.sort();
            answered.dedup();
            answered
        },
        time_to_first_keyframe_ms_p50: percentile(
            checked.iter().filter_map(|r| r.first_video_ms).collect(),
            0.5,
        ),
        time_to_first_keyframe_ms_p99: percentile(
            checked.iter().filter_map(|r| r.first_video_ms).collect(),
            0.99,
        ),
        connect_ms_p50: percentile(reports.iter().filter_map(|r| r.connect_ms).collect(), 0.5),
        connect_ms_p99: percentile(reports.iter().filter_map(|r| r.connect_ms).collect(), 0.99),
        ingest_to_egress: delay,
        server_cpu_cores: server_cpu.map(|c| c / secs),
        server_cpu_pct_per_viewer: server_cpu
            .filter(|_| connected > 0)
            .map(|c| 100.0 * c / secs / connected as f64),
        server_cpu_us_per_packet: server_cpu
            .filter(|_| packets > 0.0)
            .map(|c| c * 1e6 / packets),
        egress_pps: (packets > 0.0).then(|| packets / secs),
        egress_mbps_per_viewer: server.as_ref().filter(|_| connected > 0).map(|_| {
            after.bytes.saturating_sub(before.bytes) as f64 * 8.0 / 1e6 / secs / connected as f64
        }),
        client_cpu_cores: client_cpu / secs,
        client_cpu_pct_per_viewer: (connected > 0)
            .then(|| 100.0 * client_cpu / secs / connected as f64),
        client_cpu_us_per_packet: (packets > 0.0).then(|| client_cpu * 1e6 / packets),
        peak_kbps: args.peak_kbps,
        link_mbit: args.link_mbit,
        pace_multiplier: server
            .as_ref()
            .map(|_| server_config(args, None).pace_multiplier),
        pace_burst_ms: server
            .as_ref()
            .map(|_| server_config(args, None).pace_burst_ms),
        pace_first_burst_kib: server
            .as_ref()
            .map(|_| server_config(args, None).pace_first_burst_kib),
        per_viewer_loss_pct,
        first_frame_ms_p50: percentile(
            reports
                .iter()
                .filter_map(|r| r.first_frame_end_ms)
                .collect(),
            0.5,
        ),
        first_frame_ms_p99: percentile(
            reports
                .iter()
                .filter_map(|r| r.first_frame_end_ms)
                .collect(),
            0.99,
        ),
        first_frame_lossy_viewers: reports
            .iter()
            .filter(|r| r.first_frame_lost.is_some_and(|n| n > 0))
            .count(),
        first_frame_lost_packets: reports.iter().filter_map(|r| r.first_frame_lost).sum(),
        // A hub (or pacer) queue overflow skips a viewer to the next keyframe: a visible freeze, so it
        // fails the run like loss does (the skipped packets leave no sequence gap to count).
        meets_criteria: connected == args.viewers
            && loss_pct < MAX_LOSS_PCT
            && after.overflows == before.overflows
            && server.as_ref().is_none_or(|s| s.engine.pace_drops() == 0)
            && delay.is_some_and(|d| d.count > 0 && d.p99_ms < MAX_P99_MS),
        errors,
    };
    if let Some(s) = server {
        let rt = s._rt;
        let engine = s.engine;
        rt.block_on(async { engine.shutdown(Duration::from_secs(2)).await });
        rt.shutdown_timeout(Duration::from_secs(1));
    }
    clients.shutdown_timeout(Duration::from_secs(1));
    drop(links);
    Ok(summary)
}

thread_local! {
    static WINDOW: std::cell::RefCell<Option<(Sample, Sample, Duration)>> = const { std::cell::RefCell::new(None) };
}

#[derive(Default)]
struct Sample {
    cpu: Option<Duration>,
    datagrams: u64,
    bytes: u64,
    delay: Option<Vec<u64>>,
    overflows: u64,
    published: u64,
}

fn measure(server: Option<&InProcess>, pid: Option<u32>) -> Sample {
    match server {
        Some(s) => Sample {
            cpu: Some(cpu::threads(
                &s.tids.lock().map(|v| v.clone()).unwrap_or_default(),
            )),
            datagrams: s.engine.egress_datagrams(),
            bytes: s.engine.egress_bytes(),
            delay: Some(s.engine.delay_histogram().snapshot()),
            overflows: s.hub.stats().overflows,
            published: s.hub.stats().packets,
        },
        None => Sample {
            cpu: pid.and_then(pid_cpu),
            ..Sample::default()
        },
    }
}
