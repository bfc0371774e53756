//! Media made by Debian's ffmpeg at test time (the test kit's [`Clip`]).

use std::path::{Path, PathBuf};

use shimmer_testkit::media::Clip;

/// Makes a clip in `dir`: H.264 with `bframes` B-frames (keyframe every second) and a 440 Hz
/// tone as AAC-LC at `audio_rate` Hz stereo; `name`'s extension picks the container.
pub fn make_clip(dir: &Path, name: &str, seconds: u32, bframes: u32, audio_rate: u32) -> PathBuf {
    let out = dir.join(name);
    Clip::new(seconds)
        .b_frames(bframes)
        .audio_rate(audio_rate)
        .write(&out)
        .expect("ffmpeg makes the clip");
    out
}
