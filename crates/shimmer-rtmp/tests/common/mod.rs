//! Media made by Debian's ffmpeg at test time, and a reader for the FLV files it writes.

use std::path::{Path, PathBuf};
use std::process::Command;

use bytes::Bytes;

/// One tag of an FLV file: type (8 audio, 9 video, 18 script), timestamp, body.
pub struct FlvFileTag {
    pub tag_type: u8,
    pub timestamp: u32,
    pub body: Bytes,
}

/// Reads the tags of an FLV file (header, then tag + previous-tag-size pairs).
pub fn read_flv(path: &Path) -> Vec<FlvFileTag> {
    let data = std::fs::read(path).expect("read FLV");
    assert_eq!(&data[..3], b"FLV", "not an FLV file");
    let header_len = u32::from_be_bytes(data[5..9].try_into().unwrap()) as usize;
    let mut pos = header_len + 4;
    let mut tags = Vec::new();
    while pos + 11 <= data.len() {
        let tag_type = data[pos] & 0x1F;
        let size = u32::from_be_bytes([0, data[pos + 1], data[pos + 2], data[pos + 3]]) as usize;
        let timestamp =
            u32::from_be_bytes([data[pos + 7], data[pos + 4], data[pos + 5], data[pos + 6]]);
        let body = Bytes::copy_from_slice(&data[pos + 11..pos + 11 + size]);
        tags.push(FlvFileTag {
            tag_type,
            timestamp,
            body,
        });
        pos += 11 + size + 4;
    }
    tags
}

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
