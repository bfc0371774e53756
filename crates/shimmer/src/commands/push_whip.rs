//! `shimmer push --protocol whip`: publishes the H.264 and Opus files over WHIP (a str0m
//! publisher, [`shimmer_webrtc::publisher`]) with the key as bearer token, and DELETEs its
//! session on Ctrl-C, after `--duration`, or at the end of the files.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use shimmer_webrtc::publisher::{run_publisher, PublishOptions};
use shimmer_webrtc::source::TestFrames;

use crate::cli::PushArgs;

pub async fn run(args: PushArgs) -> anyhow::Result<()> {
    if !(args.server.starts_with("http://") || args.server.starts_with("https://")) {
        anyhow::bail!(
            "for WHIP, --server is the endpoint URL, e.g. http://HOST:8080/api/whip (got {:?})",
            args.server
        );
    }
    let read = |path: &Option<std::path::PathBuf>| -> anyhow::Result<Vec<u8>> {
        match path {
            Some(path) => {
                std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
            }
            None => Ok(Vec::new()),
        }
    };
    let frames = TestFrames::from_bytes(&read(&args.video)?, &read(&args.audio)?, args.fps)
        .context("no media to send")?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = stop_tx.send(true);
        }
    });
    let mut options = PublishOptions::new(args.server, Some(args.key), Arc::new(frames));
    options.looping = args.looping;
    options.duration = args
        .duration
        .filter(|seconds| *seconds > 0.0)
        .map(Duration::from_secs_f64);
    options.stop = Some(stop_rx);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .context("could not make an HTTP client")?;
    let report = run_publisher(&http, &options).await;
    println!(
        "{}",
        serde_json::to_string(&report).unwrap_or_else(|_| format!("{report:?}"))
    );
    match report.error {
        Some(error) => anyhow::bail!("push failed: {error}"),
        None => Ok(()),
    }
}
