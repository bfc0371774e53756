//! `shimmer-bench thumbnail`: the CPU cost of one live thumbnail — decode a 1280×720 keyframe
//! (OpenH264), letterbox to 832×468 and scale to 416×234, encode both JPEGs — measured stage by
//! stage on one thread, the way the thumbnailer runs it on a blocking thread.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use shimmer_images::encode::encode_jpeg;
use shimmer_images::frame::{fit, Fit};
use shimmer_media::h264::{self, annexb};
use shimmer_testkit::media::H264;
use shimmer_thumbnail::{decode, render_keyframe};

#[derive(Debug, Parser)]
pub struct Args {
    /// An Annex-B H.264 file (ffmpeg `-f h264`); its first keyframe is used. Without it, 2 s of
    /// ffmpeg's 1280×720 testsrc is made (as the tests do; needs ffmpeg).
    #[arg(long)]
    video: Option<PathBuf>,
    /// Thumbnails to make.
    #[arg(long, default_value_t = 50)]
    iterations: u32,
}

/// The first keyframe's access unit (SPS, PPS, SEI and IDR slices up to the next picture),
/// re-joined with four-byte start codes.
fn first_keyframe(stream: &[u8]) -> Option<Vec<u8>> {
    let nals = annexb::split_nal_units(stream);
    let kind = |nal: &[u8]| nal.first().map_or(0, |h| h264::nal_type(*h));
    let start = nals.iter().position(|n| kind(n) == h264::NAL_SPS)?;
    let mut out = Vec::new();
    let mut seen_idr = false;
    for nal in &nals[start..] {
        match kind(nal) {
            h264::NAL_IDR => seen_idr = true,
            _ if seen_idr => break,
            _ => {}
        }
        out.extend_from_slice(&[0, 0, 0, 1]);
        out.extend_from_slice(nal);
    }
    seen_idr.then_some(out)
}

/// 2 s of 1280×720 testsrc as Main-profile H.264 (a keyframe every 2 s, no B-frames).
fn make_test_video() -> anyhow::Result<Vec<u8>> {
    let path =
        std::env::temp_dir().join(format!("shimmer-bench-thumb-{}.h264", std::process::id()));
    H264::new(1280, 720, 2)
        .write(&path)
        .context("ffmpeg is needed to make test video (or pass --video)")?;
    let bytes = std::fs::read(&path)?;
    let _ = std::fs::remove_file(&path);
    Ok(bytes)
}

fn mean_ms(samples: &[Duration]) -> f64 {
    samples.iter().map(Duration::as_secs_f64).sum::<f64>() * 1000.0 / samples.len().max(1) as f64
}

fn percentile_ms(samples: &[Duration], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let stream = match &args.video {
        Some(path) => std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        None => make_test_video()?,
    };
    let keyframe = first_keyframe(&stream).context("no keyframe (SPS ... IDR) in the video")?;
    let iterations = args.iterations.max(1);
    let tid = crate::cpu::current_tid();
    let (mut decode_t, mut scale_t, mut encode_t, mut total_t) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut size = (0, 0);
    let mut bytes = (0, 0);
    // Stage by stage, exactly as render_keyframe composes them.
    for _ in 0..iterations {
        let t0 = Instant::now();
        let picture = decode::decode_keyframe(&keyframe)?;
        let t1 = Instant::now();
        let large = fit(&picture, 832, 468, Fit::Letterbox);
        let small = fit(&large, 416, 234, Fit::Letterbox);
        let t2 = Instant::now();
        let (large_jpeg, small_jpeg) = (encode_jpeg(&large)?, encode_jpeg(&small)?);
        let t3 = Instant::now();
        decode_t.push(t1 - t0);
        scale_t.push(t2 - t1);
        encode_t.push(t3 - t2);
        size = picture.dimensions();
        bytes = (large_jpeg.bytes.len(), small_jpeg.bytes.len());
    }
    // The whole job as the thumbnailer runs it, with CPU time of this thread.
    let cpu_before = tid.map(|t| crate::cpu::threads(&[t]));
    let wall = Instant::now();
    for _ in 0..iterations {
        let t = Instant::now();
        render_keyframe(&keyframe)?;
        total_t.push(t.elapsed());
    }
    let wall = wall.elapsed();
    let cpu = match (tid, cpu_before) {
        (Some(t), Some(before)) => crate::cpu::threads(&[t]).saturating_sub(before),
        _ => wall,
    };
    let result = serde_json::json!({
        "bench": "thumbnail",
        "iterations": iterations,
        "source": format!("{}x{}", size.0, size.1),
        "keyframe_bytes": keyframe.len(),
        "decode_ms_mean": mean_ms(&decode_t),
        "scale_ms_mean": mean_ms(&scale_t),
        "encode_ms_mean": mean_ms(&encode_t),
        "total_ms_mean": mean_ms(&total_t),
        "total_ms_p50": percentile_ms(&total_t, 0.5),
        "total_ms_p95": percentile_ms(&total_t, 0.95),
        "cpu_ms_per_thumbnail": cpu.as_secs_f64() * 1000.0 / f64::from(iterations),
        "jpeg_bytes_832": bytes.0,
        "jpeg_bytes_416": bytes.1,
    });
    println!("{result}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_keyframe_stops_at_the_next_picture() {
        let stream = [
            0, 0, 0, 1, 0x09, 0xf0, // AUD before the SPS is skipped
            0, 0, 0, 1, 0x67, 1, 0, 0, 1, 0x68, 2, 0, 0, 1, 0x06, 3, // SPS PPS SEI
            0, 0, 1, 0x65, 4, 0, 0, 1, 0x65, 5, // two IDR slices
            0, 0, 1, 0x41, 6, // next picture
        ];
        let au = first_keyframe(&stream).unwrap();
        let nals = annexb::split_nal_units(&au);
        assert_eq!(
            nals,
            vec![
                &[0x67, 1][..],
                &[0x68, 2],
                &[0x06, 3],
                &[0x65, 4],
                &[0x65, 5]
            ]
        );
        assert_eq!(first_keyframe(&[0, 0, 1, 0x41, 1]), None);
    }
}
