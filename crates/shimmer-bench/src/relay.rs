//! `shimmer-bench relay`: the ingest → edge relay on loopback, over QUIC (the product's relay)
//! or over NATS subjects (the alternative the transport was chosen against), with one JSON line
//! of the result.
//!
//! In one process: `--streams` ingest hubs fed in real time by an ffmpeg-made stream, and
//! `--edges` edges, each with its own hub per stream and one subscriber on it. The delay is per
//! video packet: from its publication into the ingest's hub to its publication into the edge's
//! hub (the relay's whole path: subscription, framing, transport, decoding). CPU is this
//! process's (and, with `--nats-pid`, the NATS server's) over the measured window, first without
//! any relay (the streams and a local subscriber only), then with it; the difference per relayed
//! stream (stream × edge) is what the relay costs.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use async_trait::async_trait;
use bytes::BytesMut;
use futures::StreamExt;
use serde::Serialize;
use shimmer_cluster::relay::frame::{self, Frame, RelayPacket};
use shimmer_cluster::relay::{Locate, Origin, RelayClient, RelayClientConfig, RelayServer};
use shimmer_media::hub::{
    HubConfig, HubEvent, HubRegistry, MediaKind, StreamHub, StreamInfo, SubscriberOptions,
};
use shimmer_testkit::stream::TestStream;
use tokio_util::sync::CancellationToken;

/// Options of the relay benchmark.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// `quic` (the product's relay) or `nats` (one subject per channel).
    #[arg(long, default_value = "quic")]
    transport: String,
    /// NATS server for `--transport nats`.
    #[arg(long)]
    nats_url: Option<String>,
    /// The NATS server's process id, to count its CPU too.
    #[arg(long)]
    nats_pid: Option<u32>,
    /// Live streams on the ingest.
    #[arg(long, default_value_t = 1)]
    streams: usize,
    /// Edges relaying every stream.
    #[arg(long, default_value_t = 2)]
    edges: usize,
    /// Seconds measured in each phase (without relay, with relay).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Video bitrate of each stream, kbit/s.
    #[arg(long, default_value_t = 2500)]
    bitrate_kbps: u32,
}

#[derive(Debug, Serialize)]
struct Summary {
    transport: String,
    load_average: Option<f64>,
    streams: usize,
    edges: usize,
    seconds: u64,
    bitrate_kbps: u32,
    video_packets_relayed: u64,
    delay_p50_us: u64,
    delay_p99_us: u64,
    delay_max_us: u64,
    cpu_percent_without_relay: f64,
    cpu_percent_with_relay: f64,
    nats_server_cpu_percent: Option<f64>,
    cpu_percent_per_relayed_stream: f64,
    meets_p99_goal: bool,
}

/// The goal for the relay's p99 added delay on loopback, µs.
const P99_GOAL_US: u64 = 5_000;

/// Ingest publication times of video packets, per stream, by sequence number (µs since start).
struct Published {
    start: Instant,
    times: Vec<Box<[AtomicU64]>>,
}

impl Published {
    fn new(streams: usize) -> Self {
        Self {
            start: Instant::now(),
            times: (0..streams)
                .map(|_| (0..65_536).map(|_| AtomicU64::new(0)).collect())
                .collect(),
        }
    }

    fn record(&self, stream: usize, sequence: u16, at: Instant) {
        let micros = at.duration_since(self.start).as_micros() as u64;
        self.times[stream][usize::from(sequence)].store(micros, Ordering::Relaxed);
    }

    fn delay(&self, stream: usize, sequence: u16, at: Instant) -> Option<u64> {
        let published = self.times[stream][usize::from(sequence)].load(Ordering::Relaxed);
        let now = at.duration_since(self.start).as_micros() as u64;
        (published > 0 && now >= published).then(|| now - published)
    }
}

struct Fixed(Origin);

#[async_trait]
impl Locate for Fixed {
    async fn origin(&self, _channel_id: i64) -> Option<Origin> {
        Some(self.0.clone())
    }
}

fn channel(stream: usize) -> i64 {
    stream as i64 + 1
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let load_average = crate::cpu::load_average();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(measure(args, load_average))
}

async fn measure(args: Args, load_average: Option<f64>) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let stream = Arc::new(
        TestStream::generate_profile(dir.path(), "high", 1280, 720, 4, 60, args.bitrate_kbps)
            .context("ffmpeg could not make the test stream")?,
    );
    let ingest = Arc::new(HubRegistry::new(HubConfig::default()));
    let published = Arc::new(Published::new(args.streams));
    let stop = CancellationToken::new();
    for index in 0..args.streams {
        let hub = ingest.create(
            channel(index),
            StreamInfo {
                video: Some(StreamInfo::h264(96, 1000 + index as u32)),
                audio: Some(StreamInfo::opus(97, 2000 + index as u32, 2)),
            },
        );
        tokio::spawn(stream.clone().publish(hub.clone(), None));
        tokio::spawn(record_published(
            hub,
            index,
            published.clone(),
            stop.clone(),
        ));
    }
    // Warm-up, then the baseline: streams and the recorders, no relay.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let without = crate::cpu::process_percent_over(Duration::from_secs(args.seconds)).await;

    let delays = Arc::new(Mutex::new(Vec::<u64>::new()));
    match args.transport.as_str() {
        "quic" => start_quic(&args, &ingest, &published, &delays, &stop).await?,
        "nats" => start_nats(&args, &ingest, &published, &delays, &stop).await?,
        other => anyhow::bail!("unknown transport {other:?}: quic or nats"),
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    delays.lock().unwrap().clear();
    let (with, nats) = {
        let server = args.nats_pid.map(crate::cpu::of_process);
        let with = crate::cpu::process_percent_over(Duration::from_secs(args.seconds)).await;
        let nats = args.nats_pid.zip(server).map(|(pid, before)| {
            (crate::cpu::of_process(pid) - before).as_secs_f64() / args.seconds as f64 * 100.0
        });
        (with, nats)
    };
    stop.cancel();
    // The edges' viewers hand in what they still hold.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut delays = std::mem::take(&mut *delays.lock().unwrap());
    delays.sort_unstable();
    let percentile = |p: f64| -> u64 {
        if delays.is_empty() {
            return 0;
        }
        delays[((delays.len() - 1) as f64 * p).round() as usize]
    };
    let relayed = (args.streams * args.edges).max(1) as f64;
    let summary = Summary {
        transport: args.transport.clone(),
        load_average,
        streams: args.streams,
        edges: args.edges,
        seconds: args.seconds,
        bitrate_kbps: args.bitrate_kbps,
        video_packets_relayed: delays.len() as u64,
        delay_p50_us: percentile(0.5),
        delay_p99_us: percentile(0.99),
        delay_max_us: delays.last().copied().unwrap_or(0),
        cpu_percent_without_relay: without,
        cpu_percent_with_relay: with,
        nats_server_cpu_percent: nats,
        cpu_percent_per_relayed_stream: (with - without + nats.unwrap_or(0.0)) / relayed,
        meets_p99_goal: percentile(0.99) < P99_GOAL_US && !delays.is_empty(),
    };
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}

/// Notes when each video packet entered the ingest's hub.
async fn record_published(
    hub: Arc<StreamHub>,
    index: usize,
    published: Arc<Published>,
    stop: CancellationToken,
) {
    let mut subscriber = hub.subscribe(SubscriberOptions {
        queue_capacity: Some(8192),
        ..Default::default()
    });
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            event = subscriber.recv() => match event {
                Some(HubEvent::Packet(packet)) if packet.kind == MediaKind::Video => {
                    published.record(index, packet.sequence, packet.received_at);
                }
                Some(_) => {}
                None => return,
            },
        }
    }
}

/// One viewer on an edge's hub, measuring each video packet's delay since the ingest.
async fn measure_edge(
    hub: Arc<StreamHub>,
    index: usize,
    published: Arc<Published>,
    delays: Arc<Mutex<Vec<u64>>>,
    stop: CancellationToken,
) {
    let mut subscriber = hub.subscribe(SubscriberOptions {
        queue_capacity: Some(8192),
        ..Default::default()
    });
    let mut local = Vec::with_capacity(4096);
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            event = subscriber.recv() => match event {
                Some(HubEvent::Packet(packet)) if packet.kind == MediaKind::Video => {
                    if let Some(delay) = published.delay(index, packet.sequence, packet.received_at) {
                        local.push(delay);
                        if local.len() >= 256 {
                            delays.lock().unwrap().append(&mut local);
                        }
                    }
                }
                Some(_) => {}
                None => break,
            },
        }
    }
    delays.lock().unwrap().append(&mut local);
}

async fn start_quic(
    args: &Args,
    ingest: &Arc<HubRegistry>,
    published: &Arc<Published>,
    delays: &Arc<Mutex<Vec<u64>>>,
    stop: &CancellationToken,
) -> anyhow::Result<()> {
    let server = RelayServer::bind("127.0.0.1:0".parse()?, ingest.clone())?;
    let origin = Origin {
        node_id: "ingest".into(),
        relay_addr: server.local_addr(),
        fingerprint: server.fingerprint().to_owned(),
    };
    tokio::spawn(server.run(stop.clone()));
    for _ in 0..args.edges {
        let hubs = Arc::new(HubRegistry::new(HubConfig::default()));
        let bind: SocketAddr = "127.0.0.1:0".parse()?;
        let client = RelayClient::new(
            bind,
            hubs,
            Arc::new(Fixed(origin.clone())),
            RelayClientConfig::default(),
            stop.clone(),
        )?;
        for index in 0..args.streams {
            let hub = client
                .pull(channel(index))
                .await
                .context("an edge could not pull a stream")?;
            tokio::spawn(measure_edge(
                hub,
                index,
                published.clone(),
                delays.clone(),
                stop.clone(),
            ));
        }
    }
    Ok(())
}

/// The alternative: each stream's packets published on a NATS subject, every edge subscribed.
async fn start_nats(
    args: &Args,
    ingest: &Arc<HubRegistry>,
    published: &Arc<Published>,
    delays: &Arc<Mutex<Vec<u64>>>,
    stop: &CancellationToken,
) -> anyhow::Result<()> {
    let url = args
        .nats_url
        .as_deref()
        .context("--transport nats needs --nats-url")?;
    let publisher = async_nats::connect(url).await?;
    for _ in 0..args.edges {
        let client = async_nats::connect(url).await?;
        for index in 0..args.streams {
            let info = ingest.get(channel(index)).context("no ingest hub")?.info();
            let hub = Arc::new(StreamHub::new(channel(index), info, HubConfig::default()));
            let mut subscription = client
                .subscribe(format!("bench.relay.{}", channel(index)))
                .await?;
            let edge_hub = hub.clone();
            let edge_stop = stop.clone();
            tokio::spawn(async move {
                loop {
                    let message = tokio::select! {
                        () = edge_stop.cancelled() => return,
                        message = subscription.next() => match message {
                            Some(message) => message,
                            None => return,
                        },
                    };
                    let mut bytes = BytesMut::from(&message.payload[..]);
                    if let Ok(Some(Frame::Packet(packet))) = frame::decode(&mut bytes) {
                        edge_hub.publish(packet.into_media_packet(Instant::now()));
                    }
                }
            });
            tokio::spawn(measure_edge(
                hub,
                index,
                published.clone(),
                delays.clone(),
                stop.clone(),
            ));
        }
        client.flush().await?;
    }
    for index in 0..args.streams {
        let hub = ingest.get(channel(index)).context("no ingest hub")?;
        let publisher = publisher.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut subscriber = hub.subscribe(SubscriberOptions::default());
            let subject = format!("bench.relay.{}", channel(index));
            let mut out = BytesMut::new();
            loop {
                let event = tokio::select! {
                    () = stop.cancelled() => return,
                    event = subscriber.recv() => event,
                };
                match event {
                    Some(HubEvent::Packet(packet)) => {
                        out.clear();
                        frame::encode(&Frame::Packet(RelayPacket::of(&packet)), &mut out);
                        if publisher
                            .publish(subject.clone(), out.split().freeze())
                            .await
                            .is_err()
                        {
                            return;
                        }
                    }
                    Some(HubEvent::Resync { .. }) => {}
                    None => return,
                }
            }
        });
    }
    Ok(())
}
