//! `shimmer-bench hls`: LL-HLS packaging and serving, in one process, with one JSON line of the
//! result.
//!
//! - **Packaging**: `--streams` hubs fed in real time by an ffmpeg-made 720p30 stream at
//!   `--bitrate-kbps` (keyframe every 2 s), each with one draining subscriber. CPU is measured
//!   first like that, then with a packager per stream (the product's sans-IO packager on its own
//!   subscriber, as the service runs it); the difference per stream is what packaging costs. The
//!   delay is per part: from the ingest receiving the part's first sample (the one that waited
//!   longest) to the part being ready to serve.
//! - **Serving**: the product's HLS routes on loopback for the first stream, and `--clients`
//!   clients playing as hls.js does in low-latency mode: a blocking playlist reload for the next
//!   part (`_HLS_msn`/`_HLS_part`), then that part, again and again. Requests/s and bytes/s
//!   served; the blocking reload's latency after the part existed (each answer's arrival minus
//!   the first answer's arrival for the same part, over all clients), and the part fetch time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use async_trait::async_trait;
use serde::Serialize;
use shimmer_hls::packager::Output;
use shimmer_hls::{HlsConfig, HlsService, Packager, PackagerConfig, StreamSource};
use shimmer_media::hub::{HubConfig, HubRegistry, StreamHub, StreamInfo, SubscriberOptions};
use shimmer_testkit::stream::TestStream;
use tokio_util::sync::CancellationToken;

/// Options of the HLS benchmark.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Live streams packaged at once.
    #[arg(long, default_value_t = 4)]
    streams: usize,
    /// HLS clients on the first stream.
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Seconds measured in each phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Video bitrate of each stream, kbit/s.
    #[arg(long, default_value_t = 4000)]
    bitrate_kbps: u32,
}

#[derive(Debug, Serialize)]
struct Summary {
    load_average: Option<f64>,
    streams: usize,
    clients: usize,
    seconds: u64,
    bitrate_kbps: u32,
    parts_packaged: usize,
    part_delay_p50_ms: f64,
    part_delay_p99_ms: f64,
    cpu_percent_without_packaging: f64,
    cpu_percent_with_packaging: f64,
    cpu_percent_per_packaged_stream: f64,
    requests: u64,
    requests_per_second: f64,
    megabits_per_second_served: f64,
    errors: u64,
    blocking_reload_after_part_p50_ms: f64,
    blocking_reload_after_part_p99_ms: f64,
    part_fetch_p50_ms: f64,
    part_fetch_p99_ms: f64,
    meets_delay_goal: bool,
}

/// The goal for ingest → part available, p50.
const DELAY_GOAL_MS: f64 = 1000.0;

pub fn run(args: Args) -> anyhow::Result<()> {
    let load_average = crate::cpu::load_average();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(measure(args, load_average))
}

struct Hubs(Arc<HubRegistry>);

#[async_trait]
impl StreamSource for Hubs {
    async fn channel(&self, name: &str) -> Option<i64> {
        name.strip_prefix("bench")?.parse().ok()
    }

    async fn hub(&self, channel_id: i64) -> Option<Arc<StreamHub>> {
        self.0.get(channel_id)
    }
}

async fn measure(args: Args, load_average: Option<f64>) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let stream = Arc::new(
        TestStream::generate_profile(dir.path(), "high", 1280, 720, 4, 60, args.bitrate_kbps)
            .context("ffmpeg could not make the test stream")?,
    );
    let hubs = Arc::new(HubRegistry::new(HubConfig::default()));
    let stop = CancellationToken::new();
    for index in 0..args.streams {
        let hub = hubs.create(
            index as i64,
            StreamInfo {
                video: Some(StreamInfo::h264(96, 1000 + index as u32)),
                audio: Some(StreamInfo::opus(97, 2000 + index as u32, 2)),
            },
        );
        tokio::spawn(stream.clone().publish(hub.clone(), None));
        tokio::spawn(drain(hub, stop.clone()));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let window = Duration::from_secs(args.seconds);
    let without = crate::cpu::process_percent_over(window).await;

    let delays = Arc::new(Mutex::new(Vec::<f64>::new()));
    for index in 0..args.streams {
        let hub = hubs.get(index as i64).context("the hub")?;
        tokio::spawn(package(hub, delays.clone(), stop.clone()));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    delays.lock().unwrap().clear();
    let with = crate::cpu::process_percent_over(window).await;
    let mut delays = std::mem::take(&mut *delays.lock().unwrap());
    delays.sort_by(f64::total_cmp);

    let service = HlsService::new(
        HlsConfig::default(),
        Arc::new(Hubs(hubs.clone())),
        None,
        stop.clone(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let app = shimmer_hls::router(service).layer(axum::middleware::from_fn(
        |mut request: axum::extract::Request, next: axum::middleware::Next| async move {
            request
                .extensions_mut()
                .insert(shimmer_http::ClientIp(std::net::Ipv4Addr::LOCALHOST.into()));
            next.run(request).await
        },
    ));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let base = format!("http://{address}/hls/bench0");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients * 2)
        .build()?;
    let start = client.get(format!("{base}/index.m3u8")).send().await?;
    anyhow::ensure!(
        start.status() == 200,
        "the playlist answered {}",
        start.status()
    );
    let served = Arc::new(Served::default());
    let until = Instant::now() + window;
    let mut players = Vec::new();
    for _ in 0..args.clients {
        players.push(tokio::spawn(play(
            client.clone(),
            base.clone(),
            until,
            served.clone(),
        )));
    }
    for player in players {
        let _ = player.await;
    }
    stop.cancel();
    let served =
        Arc::try_unwrap(served).map_err(|_| anyhow::anyhow!("players still hold the results"))?;
    let requests = served.requests.into_inner().unwrap();
    let bytes = served.bytes.into_inner().unwrap();
    let errors = served.errors.into_inner().unwrap();
    let mut after_part = Vec::new();
    for arrivals in served.arrivals.into_inner().unwrap().into_values() {
        let first = arrivals.iter().min().copied();
        if let Some(first) = first {
            after_part.extend(
                arrivals
                    .iter()
                    .map(|arrival| arrival.duration_since(first).as_secs_f64() * 1000.0),
            );
        }
    }
    after_part.sort_by(f64::total_cmp);
    let mut fetches = served.part_fetches.into_inner().unwrap();
    fetches.sort_by(f64::total_cmp);
    let per_stream = (with - without) / args.streams.max(1) as f64;
    let summary = Summary {
        load_average,
        streams: args.streams,
        clients: args.clients,
        seconds: args.seconds,
        bitrate_kbps: args.bitrate_kbps,
        parts_packaged: delays.len(),
        part_delay_p50_ms: percentile(&delays, 0.5),
        part_delay_p99_ms: percentile(&delays, 0.99),
        cpu_percent_without_packaging: without,
        cpu_percent_with_packaging: with,
        cpu_percent_per_packaged_stream: per_stream,
        requests,
        requests_per_second: requests as f64 / args.seconds as f64,
        megabits_per_second_served: bytes as f64 * 8.0 / 1e6 / args.seconds as f64,
        errors,
        blocking_reload_after_part_p50_ms: percentile(&after_part, 0.5),
        blocking_reload_after_part_p99_ms: percentile(&after_part, 0.99),
        part_fetch_p50_ms: percentile(&fetches, 0.5),
        part_fetch_p99_ms: percentile(&fetches, 0.99),
        meets_delay_goal: !delays.is_empty() && percentile(&delays, 0.5) < DELAY_GOAL_MS,
    };
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let value = sorted[((sorted.len() - 1) as f64 * p).round() as usize];
    (value * 100.0).round() / 100.0
}

async fn drain(hub: Arc<StreamHub>, stop: CancellationToken) {
    let mut subscriber = hub.subscribe(SubscriberOptions::default());
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            event = subscriber.recv() => if event.is_none() { return },
        }
    }
}

/// Runs the product's packager on a stream, noting each part's delay since ingest.
async fn package(hub: Arc<StreamHub>, delays: Arc<Mutex<Vec<f64>>>, stop: CancellationToken) {
    let mut packager = Packager::new(&hub.info(), PackagerConfig::default());
    let mut subscriber = hub.subscribe(SubscriberOptions {
        queue_capacity: Some(4096),
        ..Default::default()
    });
    loop {
        let event = tokio::select! {
            () = stop.cancelled() => return,
            event = subscriber.recv() => match event {
                Some(event) => event,
                None => return,
            },
        };
        let Ok(outputs) = packager.push(&event) else {
            return;
        };
        for output in outputs {
            if let Output::Part {
                first_received: Some(received),
                ..
            } = output
            {
                delays
                    .lock()
                    .unwrap()
                    .push(received.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
}

#[derive(Default)]
struct Served {
    requests: Mutex<u64>,
    bytes: Mutex<u64>,
    errors: Mutex<u64>,
    /// Arrival of each blocking reload's answer, by the part it waited for.
    arrivals: Mutex<HashMap<String, Vec<Instant>>>,
    part_fetches: Mutex<Vec<f64>>,
}

/// The preload hint's part, as (uri, msn, part).
fn hint(playlist: &str) -> Option<(String, u64, usize)> {
    let line = playlist
        .lines()
        .find(|line| line.starts_with("#EXT-X-PRELOAD-HINT:"))?;
    let uri = line.split("URI=\"").nth(1)?.split('"').next()?.to_string();
    let numbers = uri.strip_suffix(".m4s")?.rsplit_once('-')?.1;
    let (msn, part) = numbers.split_once('.')?;
    Some((uri.clone(), msn.parse().ok()?, part.parse().ok()?))
}

/// The newest part a playlist lists.
fn last_part(playlist: &str) -> Option<String> {
    let line = playlist
        .lines()
        .rev()
        .find(|line| line.starts_with("#EXT-X-PART:"))?;
    Some(line.split("URI=\"").nth(1)?.split('"').next()?.to_string())
}

/// One low-latency player: blocking reload for the hinted part, then the part.
async fn play(client: reqwest::Client, base: String, until: Instant, served: Arc<Served>) {
    let mut next: Option<(String, u64, usize)> = None;
    while Instant::now() < until {
        let url = match &next {
            Some((_, msn, part)) => format!("{base}/stream.m3u8?_HLS_msn={msn}&_HLS_part={part}"),
            None => format!("{base}/stream.m3u8"),
        };
        let Ok(response) = client.get(url).send().await else {
            *served.errors.lock().unwrap() += 1;
            continue;
        };
        let ok = response.status() == 200;
        let Ok(text) = response.text().await else {
            *served.errors.lock().unwrap() += 1;
            continue;
        };
        let arrived = Instant::now();
        *served.requests.lock().unwrap() += 1;
        *served.bytes.lock().unwrap() += text.len() as u64;
        if !ok {
            *served.errors.lock().unwrap() += 1;
            next = None;
            continue;
        }
        if let Some((hinted, _, _)) = &next {
            // The awaited part, or, when its segment closed first, the newest part listed.
            let uri = if text.contains(hinted.as_str()) {
                hinted.clone()
            } else {
                last_part(&text).unwrap_or_else(|| hinted.clone())
            };
            served
                .arrivals
                .lock()
                .unwrap()
                .entry(uri.clone())
                .or_default()
                .push(arrived);
            let asked = Instant::now();
            match client.get(format!("{base}/{uri}")).send().await {
                Ok(response) if response.status() == 200 => {
                    let body = response.bytes().await.map(|body| body.len()).unwrap_or(0);
                    served
                        .part_fetches
                        .lock()
                        .unwrap()
                        .push(asked.elapsed().as_secs_f64() * 1000.0);
                    *served.requests.lock().unwrap() += 1;
                    *served.bytes.lock().unwrap() += body as u64;
                }
                _ => *served.errors.lock().unwrap() += 1,
            }
        }
        next = hint(&text);
    }
}
