//! `shimmer-bench api-http`: the public API's hottest read, `channel(streamerUsername:)` over
//! HTTP with a client id, as overlays and bots poll it. `--concurrency` clients send requests
//! back to back for `--seconds`; prints requests, requests/s, latency percentiles and errors.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;

/// Options of the API HTTP benchmark.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Base URL of a running server (http://127.0.0.1:PORT).
    #[arg(long)]
    url: String,
    /// An app's client id (sent as `Authorization: Client-ID`).
    #[arg(long)]
    client_id: String,
    /// The channel looked up, by its streamer's username.
    #[arg(long)]
    username: String,
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Worker threads of the bench's runtime.
    #[arg(long, default_value_t = 1)]
    threads: usize,
}

#[derive(Debug, Serialize)]
struct Summary {
    requests: usize,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: usize,
    concurrency: usize,
    seconds: f64,
}

fn percentile(sorted: &[Duration], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index].as_secs_f64() * 1000.0
}

pub fn run(args: Args) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()?
        .block_on(bench(args))
}

async fn bench(args: Args) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let url = format!("{}/api/graph", args.url.trim_end_matches('/'));
    let body = Arc::new(
        serde_json::json!({
            "query": "query($u: String) { channel(streamerUsername: $u) { id title status streamer { username } } }",
            "variables": {"u": args.username},
        })
        .to_string(),
    );
    let auth = Arc::new(format!("Client-ID {}", args.client_id));
    // One request first, so a wrong URL or credential fails loudly instead of as errors.
    let probe = client
        .post(&url)
        .header("authorization", auth.as_str())
        .header("content-type", "application/json")
        .body(body.as_str().to_owned())
        .send()
        .await
        .context("the API did not answer")?;
    anyhow::ensure!(
        probe.status().is_success(),
        "the API answered {}",
        probe.status()
    );
    let text = probe.text().await?;
    anyhow::ensure!(text.contains("\"channel\":{"), "no such channel: {text}");

    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.seconds);
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        let (client, url, body, auth) = (client.clone(), url.clone(), body.clone(), auth.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            while Instant::now() < deadline {
                let sent = Instant::now();
                let result = client
                    .post(&url)
                    .header("authorization", auth.as_str())
                    .header("content-type", "application/json")
                    .body(body.as_str().to_owned())
                    .send()
                    .await;
                let ok = match result {
                    Ok(response) if response.status().is_success() => response
                        .bytes()
                        .await
                        .is_ok_and(|bytes| !bytes.windows(9).any(|w| w == b"\"errors\":")),
                    _ => false,
                };
                latencies.push(sent.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (mut part, part_errors) = task.await?;
        latencies.append(&mut part);
        errors += part_errors;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let summary = Summary {
        requests: latencies.len(),
        rps: latencies.len() as f64 / elapsed,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        errors,
        concurrency: args.concurrency,
        seconds: elapsed,
    };
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}
