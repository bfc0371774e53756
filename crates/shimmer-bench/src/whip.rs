//! `shimmer-bench whip-delay`: the delay WHIP ingest adds on its way to WHEP viewers, on
//! loopback, and one JSON line of the result.
//!
//! In one process: the WebRTC engine with WHIP ingest and the WHEP endpoint (their own tokio
//! runtime), a str0m WHIP publisher sending ffmpeg-made H.264 + Opus in real time, and str0m
//! WHEP viewers (another runtime). The delay is the engine's histogram: from the moment the
//! first datagram of a frame (video) or packet (audio) reaches the shared socket's demux, through
//! the publisher session (SRTP, reordering, depacketizing, packetizing), the hub and a viewer
//! session, to the datagram handed to the socket for that viewer; every 8th packet is sampled.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use serde::Serialize;
use shimmer_ftl::{ControlError, IngestControl, StartError, StreamStartInfo, StreamStats};
use shimmer_media::hub::HubConfig;
use shimmer_media::HubRegistry;
use shimmer_testkit::media::stream_files;
use shimmer_testkit::whep_client::{run_viewer, ViewerOptions};
use shimmer_webrtc::metrics::{DelayHistogram, DelaySummary};
use shimmer_webrtc::publisher::{run_publisher, PublishOptions};
use shimmer_webrtc::source::TestFrames;
use shimmer_webrtc::{
    whep_router, whip_router, ChannelResolver, Engine, WebRtcConfig, WhipConfig, WhipIngest,
};

/// Options of the WHIP delay benchmark.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Seconds measured after the warm-up.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// WHEP viewers of the published stream.
    #[arg(long, default_value_t = 1)]
    viewers: usize,
    /// Stream bitrate (video), kbit/s.
    #[arg(long, default_value_t = 2500)]
    bitrate_kbps: u32,
    /// x264 profile of the published stream (`baseline`, `main`, `high`).
    #[arg(long, default_value = "high")]
    profile: String,
}

#[derive(Debug, Serialize)]
struct Summary {
    mode: &'static str,
    load_average: Option<f64>,
    seconds: u64,
    viewers: usize,
    viewers_connected: usize,
    profile: String,
    bitrate_kbps: u32,
    publisher_connected: bool,
    publisher_video_frames: u64,
    video_packets_received: u64,
    audio_packets_received: u64,
    lost_packets: u64,
    ingest_to_egress: DelaySummary,
    meets_criteria: bool,
    errors: Vec<String>,
}

/// The p99 added delay a run must stay under, ms.
const MAX_P99_MS: f64 = 50.0;

/// The platform side for one channel (id 1, secret `bench`): every stream may start.
struct OneStreamer;

#[async_trait]
impl IngestControl for OneStreamer {
    async fn channel_secret(&self, channel_id: i64) -> Result<Option<String>, ControlError> {
        Ok((channel_id == 1).then(|| "bench".into()))
    }
    async fn start_stream(&self, _: i64, _: &StreamStartInfo) -> Result<i64, StartError> {
        Ok(1)
    }
    async fn report_metadata(&self, _: i64, _: i64, _: &StreamStats) -> Result<(), ControlError> {
        Ok(())
    }
    async fn end_stream(
        &self,
        _: i64,
        _: i64,
        _: shimmer_ftl::ingest_control::StreamEndReason,
    ) -> Result<(), ControlError> {
        Ok(())
    }
}

struct OneChannel;

#[async_trait]
impl ChannelResolver for OneChannel {
    async fn resolve(&self, name_or_id: &str) -> Option<i64> {
        (name_or_id == "bench" || name_or_id == "1").then_some(1)
    }
}

fn runtime(name: &str) -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()?)
}

/// Runs the benchmark and prints its JSON line.
pub fn run(args: Args) -> anyhow::Result<()> {
    let load_average = crate::cpu::load_average();
    let dir = std::env::temp_dir().join(format!("shimmer-bench-whip-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let files = stream_files(&dir, &args.profile, (1280, 720), 10, 60, args.bitrate_kbps);
    let frames = files
        .map_err(anyhow::Error::from)
        .and_then(|(video, audio)| {
            let read = |p: &std::path::Path| std::fs::read(p).unwrap_or_default();
            Ok(TestFrames::from_bytes(&read(&video), &read(&audio), 30.0)?)
        });
    let _ = std::fs::remove_dir_all(&dir);
    let frames = Arc::new(frames.context("encoding test media")?);

    let server = runtime("whip-server")?;
    let (engine, http) = server.block_on(async {
        let hubs = Arc::new(HubRegistry::new(HubConfig::default()));
        let bus: Arc<dyn shimmer_bus::Bus> = Arc::new(shimmer_bus::InProcessBus::new());
        let engine = Engine::start(WebRtcConfig::loopback(), Arc::clone(&hubs), bus).await?;
        let whip = WhipIngest::new(
            engine.clone(),
            Arc::new(OneStreamer),
            hubs,
            WhipConfig::default(),
        );
        let router = whep_router(engine.clone(), Arc::new(OneChannel)).merge(whip_router(whip));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let http = listener.local_addr()?;
        tokio::spawn(async move {
            let _ = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await;
        });
        anyhow::Ok((engine, http))
    })?;

    let clients = runtime("whip-clients")?;
    let warmup = Duration::from_secs(3);
    let window = Duration::from_secs(args.seconds.max(1));
    let before: Arc<Mutex<Option<Vec<u64>>>> = Arc::default();
    let histogram_engine = engine.clone();
    let (publisher, viewers, after) = clients.block_on(async {
        let http_client = reqwest::Client::new();
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut options = PublishOptions::new(
            format!("http://{http}/api/whip"),
            Some("1-bench".into()),
            frames,
        );
        options.looping = true;
        options.stop = Some(stop_rx);
        let publisher = {
            let client = http_client.clone();
            tokio::spawn(async move { run_publisher(&client, &options).await })
        };
        // Viewers join once the stream is live, stay through the warm-up and the window.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let mut tasks = Vec::new();
        for _ in 0..args.viewers.max(1) {
            let opts = ViewerOptions::new(
                format!("http://{http}/api/whep/bench"),
                warmup + window + Duration::from_millis(500),
            );
            let client = http_client.clone();
            tasks.push(tokio::spawn(
                async move { run_viewer(&client, &opts).await },
            ));
        }
        tokio::time::sleep(warmup).await;
        *before.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(histogram_engine.delay_histogram().snapshot());
        tokio::time::sleep(window).await;
        let after = histogram_engine.delay_histogram().snapshot();
        let mut viewers = Vec::new();
        for t in tasks {
            if let Ok(r) = t.await {
                viewers.push(r);
            }
        }
        let _ = stop_tx.send(true);
        let publisher = publisher.await.unwrap_or_default();
        (publisher, viewers, after)
    });
    drop(engine);
    let before = before.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let delay = DelayHistogram::summarize(&after, before.as_deref());
    let mut errors: Vec<String> = viewers.iter().filter_map(|v| v.error.clone()).collect();
    errors.extend(publisher.error.clone());
    let connected = viewers.iter().filter(|v| v.connected).count();
    let summary = Summary {
        mode: "in-process",
        load_average,
        seconds: args.seconds,
        viewers: args.viewers.max(1),
        viewers_connected: connected,
        profile: args.profile.clone(),
        bitrate_kbps: args.bitrate_kbps,
        publisher_connected: publisher.connected,
        publisher_video_frames: publisher.video_frames,
        video_packets_received: viewers.iter().map(|v| v.video.packets).sum(),
        audio_packets_received: viewers.iter().map(|v| v.audio.packets).sum(),
        lost_packets: viewers.iter().map(|v| v.video.lost + v.audio.lost).sum(),
        meets_criteria: publisher.connected
            && connected == args.viewers.max(1)
            && delay.count > 0
            && delay.p99_ms < MAX_P99_MS,
        ingest_to_egress: delay,
        errors,
    };
    println!("{}", serde_json::to_string(&summary)?);
    drop(server);
    Ok(())
}
