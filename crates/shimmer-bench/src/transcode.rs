//! `shimmer-bench transcode`: the CPU cost of RTMP audio for WebRTC viewers — AAC-LC decode,
//! resampling to 48 kHz and Opus encoding, once per stream — with N streams transcoding at once
//! on their own threads, the way the RTMP server runs one audio thread per stream. The figure
//! is CPU time per second of audio (the share of one core a live stream costs); the goal is
//! 2 % of a core for a 128 kbit/s stereo stream.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use bytes::Bytes;
use clap::Parser;
use shimmer_rtmp::client::tags::parse_adts;
use shimmer_rtmp::transcode::{AacToOpus, OpusSettings};
use shimmer_testkit::media::noisy_aac;

#[derive(Debug, Parser)]
pub struct Args {
    /// Streams transcoding at once, one thread each.
    #[arg(long, default_value_t = 4)]
    streams: usize,
    /// Seconds of audio each stream transcodes (the clip repeats).
    #[arg(long, default_value_t = 60)]
    seconds: u32,
    /// Opus bitrate in bit/s.
    #[arg(long, default_value_t = 128_000)]
    bitrate: u32,
    /// An ADTS AAC file (ffmpeg `-c:a aac -f adts`). Without it, 10 s of 44.1 kHz stereo (a tone
    /// over pink noise, so the encoders have something to do) is made with ffmpeg.
    #[arg(long)]
    audio: Option<PathBuf>,
}

fn make_test_audio() -> anyhow::Result<Vec<u8>> {
    let path = std::env::temp_dir().join(format!("shimmer-bench-aac-{}.aac", std::process::id()));
    noisy_aac(&path, 10).context("ffmpeg is needed to make test audio (or pass --audio)")?;
    let bytes = std::fs::read(&path)?;
    let _ = std::fs::remove_file(&path);
    Ok(bytes)
}

/// One stream's run: CPU seconds of its thread, Opus frames and bytes made.
struct StreamRun {
    cpu_seconds: f64,
    opus_frames: u64,
    opus_bytes: u64,
}

fn transcode_stream(
    config: [u8; 2],
    frames: &[Bytes],
    count: usize,
    bitrate: u32,
) -> anyhow::Result<StreamRun> {
    let settings = OpusSettings {
        bitrate,
        ..OpusSettings::default()
    };
    let mut transcoder = AacToOpus::new(&config, settings)?;
    let rate = u64::from(transcoder.source_rate());
    let started = crate::cpu::thread_self();
    let (mut opus_frames, mut opus_bytes) = (0u64, 0u64);
    for i in 0..count {
        let timestamp = (i as u64 * 1024 * 1000 / rate) as u32;
        for frame in transcoder.push(&frames[i % frames.len()], timestamp)? {
            opus_frames += 1;
            opus_bytes += frame.data.len() as u64;
        }
    }
    Ok(StreamRun {
        cpu_seconds: (crate::cpu::thread_self() - started).as_secs_f64(),
        opus_frames,
        opus_bytes,
    })
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let data = match &args.audio {
        Some(path) => std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        None => make_test_audio()?,
    };
    let audio = parse_adts(&data).map_err(anyhow::Error::msg)?;
    let count = (u64::from(args.seconds) * u64::from(audio.sample_rate) / 1024) as usize;
    let audio_seconds = count as f64 * 1024.0 / f64::from(audio.sample_rate);
    let wall = Instant::now();
    let runs = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..args.streams.max(1))
            .map(|_| {
                scope.spawn(|| transcode_stream(audio.config, &audio.frames, count, args.bitrate))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("a transcode thread panicked"))?
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    let wall_seconds = wall.elapsed().as_secs_f64();
    let cpu: Vec<f64> = runs.iter().map(|r| r.cpu_seconds).collect();
    let mean_cpu = cpu.iter().sum::<f64>() / cpu.len() as f64;
    let max_cpu = cpu.iter().cloned().fold(0.0, f64::max);
    let opus_kbps = runs.iter().map(|r| r.opus_bytes).sum::<u64>() as f64 * 8.0
        / (audio_seconds * runs.len() as f64)
        / 1000.0;
    let result = serde_json::json!({
        "streams": runs.len(),
        "source": format!("AAC-LC {} Hz stereo", audio.sample_rate),
        "audio_seconds_per_stream": (audio_seconds * 10.0).round() / 10.0,
        "opus_bitrate": args.bitrate,
        "opus_kbps_measured": (opus_kbps * 10.0).round() / 10.0,
        "opus_frames_per_stream": runs[0].opus_frames,
        "cpu_seconds_per_stream_mean": (mean_cpu * 1000.0).round() / 1000.0,
        "core_share_per_stream_mean_pct": (mean_cpu / audio_seconds * 100.0 * 1000.0).round() / 1000.0,
        "core_share_per_stream_max_pct": (max_cpu / audio_seconds * 100.0 * 1000.0).round() / 1000.0,
        "goal_pct": 2.0,
        "wall_seconds": (wall_seconds * 100.0).round() / 100.0,
    });
    println!("{result}");
    Ok(())
}
