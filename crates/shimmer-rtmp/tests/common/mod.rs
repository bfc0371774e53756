//! Media made by Debian's ffmpeg at test time.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs ffmpeg with `args` (after `-hide_banner -loglevel error -y`) and panics on failure.
pub fn ffmpeg(args: &[&str]) {
    let status = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .status()
        .expect("ffmpeg must be installed (scripts/test.sh installs it)");
    assert!(status.success(), "ffmpeg {args:?} failed");
}

/// Makes a clip in `dir`: 320x240 test pattern at 25 fps with H.264 (`bframes` B-frames,
/// keyframe every second) and a 440 Hz tone as AAC-LC at `audio_rate` Hz stereo.
pub fn make_clip(dir: &Path, name: &str, seconds: u32, bframes: u32, audio_rate: u32) -> PathBuf {
    let out = dir.join(name);
    let duration = seconds.to_string();
    let bf = bframes.to_string();
    let sine = format!("sine=frequency=440:sample_rate={audio_rate}");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x240:rate=25",
        "-f",
        "lavfi",
        "-i",
        &sine,
        "-t",
        &duration,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-bf",
        &bf,
        "-g",
        "25",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-ac",
        "2",
        "-b:a",
        "128k",
        out.to_str().unwrap(),
    ]);
    out
}
