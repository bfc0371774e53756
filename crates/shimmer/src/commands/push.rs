//! `shimmer push`: an FTL (or WHIP, [`super::push_whip`]) encoder in the binary, so streamers
//! can check their server and tests can stream real media. Stops with a goodbye on Ctrl-C or
//! after `--duration`.

use std::time::Duration;

use anyhow::Context;
use shimmer_ftl::client::{push, PushOptions};
use tokio_util::sync::CancellationToken;

use crate::cli::{PushArgs, PushProtocol};

use super::push_whip;

pub async fn run(args: PushArgs) -> anyhow::Result<()> {
    crate::telemetry::init("text");
    if args.video.is_none() && args.audio.is_none() {
        anyhow::bail!("give --video, --audio or both");
    }
    if !(0.0..=100.0).contains(&args.loss) {
        anyhow::bail!("--loss is a percentage from 0 to 100");
    }
    if !(args.fps > 0.0 && args.fps <= 240.0) {
        anyhow::bail!("--fps must be between 0 and 240");
    }
    if args.protocol == PushProtocol::Whip {
        return push_whip::run(args).await;
    }
    let stop = CancellationToken::new();
    let on_signal = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_signal.cancel();
        }
    });
    let options = PushOptions {
        server: args.server,
        key: args.key,
        video: args.video,
        audio: args.audio,
        looping: args.looping,
        fps: args.fps,
        loss_percent: args.loss,
        max_duration: args
            .duration
            .filter(|seconds| *seconds > 0.0)
            .map(Duration::from_secs_f64),
        stop: Some(stop),
        ..PushOptions::default()
    };
    let summary = push(options).await.context("push failed")?;
    println!(
        "{}",
        serde_json::to_string(&summary).unwrap_or_else(|_| format!("{summary:?}"))
    );
    Ok(())
}
