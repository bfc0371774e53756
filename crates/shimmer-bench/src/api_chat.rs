//! `shimmer-bench api-chat`: chat through the API's sockets. `--sockets` Phoenix sockets on
//! `/api/socket/websocket` (client id) each join and subscribe to `chatMessage(channelId:)`;
//! one sender posts `createChatMessage` over HTTP at `--rate` messages/s with a bearer token
//! whose text carries its sequence number and send time (µs since the bench started), and every
//! socket measures the delivery latency of every push. The server's chat and API limits must
//! allow the sender's rate (see BENCHMARKS.md for the settings used).
//!
//! Prints one JSON line: subscribed sockets, messages sent per second, deliveries, losses and
//! delivery latency percentiles.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use futures::{SinkExt, StreamExt};
use serde::Serialize;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::websocket::Socket;

/// Options of the API chat benchmark.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Base URL of a running server (http://127.0.0.1:PORT).
    #[arg(long)]
    url: String,
    /// An app's client id, for the subscribing sockets.
    #[arg(long)]
    client_id: String,
    /// A token with the `chat` scope, for the sender.
    #[arg(long)]
    token: String,
    /// The channel chatted in.
    #[arg(long)]
    channel_id: i64,
    #[arg(long, default_value_t = 1000)]
    sockets: usize,
    /// Messages per second.
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Seconds to wait for late deliveries after the last send.
    #[arg(long, default_value_t = 3.0)]
    drain: f64,
    /// Worker threads of the bench's runtime.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Also ask for the author's `avatarUrl` in every push (as chat overlays do), which costs
    /// the server an avatar lookup per subscriber per message.
    #[arg(long)]
    avatars: bool,
}

#[derive(Debug, Serialize)]
struct Summary {
    sockets: usize,
    subscribed: usize,
    messages_sent: u64,
    messages_per_second: f64,
    deliveries: usize,
    expected_deliveries: u64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    send_errors: u64,
}

fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len()) - 1]
}

pub fn run(args: Args) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()?
        .block_on(bench(args))
}

/// Opens a socket, joins and subscribes; returns it once the subscription is confirmed.
async fn subscribe(url: &str, channel_id: i64, avatars: bool) -> anyhow::Result<Socket> {
    let mut socket = crate::websocket::connect(url).await?;
    let join = json!(["1", "1", "__absinthe__:control", "phx_join", {}]);
    let user_fields = if avatars {
        "username avatarUrl"
    } else {
        "username"
    };
    let doc = json!(["1", "2", "__absinthe__:control", "doc", {
        "query": format!("subscription {{ chatMessage(channelId: {channel_id}) {{ message user {{ {user_fields} }} }} }}")
    }]);
    socket.send(Message::Text(join.to_string().into())).await?;
    socket.send(Message::Text(doc.to_string().into())).await?;
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(30), socket.next())
            .await
            .context("no subscription reply within 30 s")?
            .context("the socket closed")??;
        if let Message::Text(text) = frame {
            let value: Value = serde_json::from_str(&text)?;
            if value[1] == "2" {
                anyhow::ensure!(value[4]["status"] == "ok", "subscription refused: {value}");
                return Ok(socket);
            }
        }
    }
}

async fn bench(args: Args) -> anyhow::Result<()> {
    let base = args.url.trim_end_matches('/').to_owned();
    let socket_url = format!(
        "{}/api/socket/websocket?vsn=2.0.0&client_id={}",
        base.replace("http://", "ws://"),
        args.client_id
    );
    let clock = Instant::now();
    let latencies = Arc::new(Mutex::new(Vec::<f64>::new()));
    let mut sockets = Vec::new();
    let mut subscribed = 0;
    for chunk in (0..args.sockets).collect::<Vec<_>>().chunks(50) {
        let opened = futures::future::join_all(
            chunk
                .iter()
                .map(|_| subscribe(&socket_url, args.channel_id, args.avatars)),
        )
        .await;
        for socket in opened {
            match socket {
                Ok(socket) => {
                    subscribed += 1;
                    sockets.push(socket);
                }
                Err(error) => eprintln!("a socket failed: {error:#}"),
            }
        }
    }
    let stop = tokio_util::sync::CancellationToken::new();
    let mut readers = Vec::new();
    for mut socket in sockets {
        let latencies = latencies.clone();
        let stop = stop.clone();
        readers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                tokio::select! {
                    _ = stop.cancelled() => break,
                    frame = socket.next() => match frame {
                        Some(Ok(Message::Text(text))) => {
                            let now = clock.elapsed().as_micros() as f64;
                            if let Ok(value) = serde_json::from_str::<Value>(&text) {
                                let message = value[4]["result"]["data"]["chatMessage"]["message"].as_str().unwrap_or_default();
                                if let Some(sent) = message.split(' ').nth(2).and_then(|t| t.parse::<f64>().ok()) {
                                    mine.push((now - sent) / 1000.0);
                                }
                            }
                        }
                        Some(Ok(_)) => {}
                        _ => break,
                    }
                }
            }
            latencies.lock().map(|mut all| all.extend(mine)).ok();
        }));
    }

    let client = reqwest::Client::new();
    let sent = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let interval = Duration::from_secs_f64(1.0 / args.rate.max(0.1));
    let mut ticker = tokio::time::interval(interval);
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.seconds);
    let mut sends = Vec::new();
    let mut sequence = 0u64;
    while Instant::now() < deadline {
        ticker.tick().await;
        sequence += 1;
        let body = json!({
            "query": "mutation($c: ID!, $t: String) { createChatMessage(channelId: $c, message: {message: $t}) { id } }",
            "variables": {"c": args.channel_id, "t": format!("ab {sequence} {}", clock.elapsed().as_micros())},
        });
        let request = client
            .post(format!("{base}/api/graph"))
            .bearer_auth(&args.token)
            .json(&body);
        let (sent, errors) = (sent.clone(), errors.clone());
        sends.push(tokio::spawn(async move {
            let ok = match request.send().await {
                Ok(response) => response
                    .text()
                    .await
                    .is_ok_and(|text| text.contains("\"createChatMessage\":{")),
                Err(_) => false,
            };
            if ok {
                sent.fetch_add(1, Ordering::Relaxed);
            } else {
                errors.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for send in sends {
        send.await?;
    }
    let send_seconds = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs_f64(args.drain)).await;
    stop.cancel();
    for reader in readers {
        reader.await?;
    }
    let mut all = latencies.lock().map(|all| all.clone()).unwrap_or_default();
    all.sort_by(f64::total_cmp);
    let messages_sent = sent.load(Ordering::Relaxed);
    let summary = Summary {
        sockets: args.sockets,
        subscribed,
        messages_sent,
        messages_per_second: messages_sent as f64 / send_seconds,
        deliveries: all.len(),
        expected_deliveries: messages_sent * subscribed as u64,
        p50_ms: percentile(&all, 0.50),
        p99_ms: percentile(&all, 0.99),
        max_ms: all.last().copied().unwrap_or(0.0),
        send_errors: errors.load(Ordering::Relaxed),
    };
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}
