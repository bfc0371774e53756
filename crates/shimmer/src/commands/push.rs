//! `shimmer push`: an encoder in the binary (FTL by default, RTMP with `--protocol rtmp`, WHIP
//! with `--protocol whip`, [`super::push_whip`]), so streamers can check their server and tests
//! can stream real media. Stops with a goodbye on Ctrl-C or after `--duration`.

use std::time::Duration;

use anyhow::Context;
use shimmer_ftl::client::{push, PushOptions};
use shimmer_rtmp::client::{push as rtmp_push, RtmpPushOptions};
use tokio_util::sync::CancellationToken;

use crate::cli::{PushArgs, PushProtocol};

use super::push_whip;

pub async fn run(args: PushArgs) -> anyhow::Result<()> {
    crate::telemetry::init("text");
    if args.video.is_none() && args.audio.is_none() && args.flv.is_none() {
        anyhow::bail!("give --video, --audio or both (or, for RTMP, --flv)");
    }
    if args.flv.is_some() && args.protocol != PushProtocol::Rtmp {
        anyhow::bail!("--flv needs --protocol rtmp");
    }
    if args.loss != 0.0 && args.protocol != PushProtocol::Ftl {
        anyhow::bail!("--loss applies to FTL only");
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
    let max_duration = args
        .duration
        .filter(|seconds| *seconds > 0.0)
        .map(Duration::from_secs_f64);
    if args.protocol == PushProtocol::Rtmp {
        let options = RtmpPushOptions {
            server: args.server,
            key: args.key,
            flv: args.flv,
            video: args.video,
            audio: args.audio,
            looping: args.looping,
            fps: args.fps,
            max_duration,
            stop: Some(stop),
        };
        let summary = rtmp_push(options).await.context("push failed")?;
        println!("{}", serde_json::to_string(&summary)?);
        return Ok(());
    }
    let options = PushOptions {
        server: args.server,
        key: args.key,
        video: args.video,
        audio: args.audio,
        looping: args.looping,
        fps: args.fps,
        loss_percent: args.loss,
        max_duration,
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
