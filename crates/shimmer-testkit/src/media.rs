//! Test media made by Debian's ffmpeg at test time, as TESTING.md describes: one place for every
//! variant the suites and benchmarks use, so a change of encoder settings happens once.
//!
//! - [`H264`]: an Annex-B elementary stream as a live encoder sends it over FTL or WHIP (x264
//!   `veryfast`, `zerolatency`, a fixed GOP), with the profile, size, length, B-frames, bitrate
//!   and picture a test needs.
//! - [`Opus`]: a 440 Hz tone as 20 ms stereo Opus packets in Ogg.
//! - [`Clip`]: H.264 and AAC-LC muxed in one file (Matroska, FLV: the file's extension says
//!   which), what an RTMP encoder sends.
//! - [`noisy_aac`]: ADTS AAC with something for an encoder to do (a tone over pink noise).
//! - [`stream_files`]: the noisy constant-bitrate H.264 + Opus pair the WebRTC tests and
//!   benchmarks publish.
//! - [`publish_rtmp`]: ffmpeg publishing a clip over RTMP.
//!
//! Files that several tests of one process share are made once: `cached()` on a builder keeps
//! one file per distinct setting until the process ends, and [`test_media`] is the pair most
//! suites push.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

/// Why ffmpeg could not make a file.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// ffmpeg could not be started.
    #[error("could not run ffmpeg (scripts/test.sh installs it): {0}")]
    Spawn(#[source] std::io::Error),
    /// ffmpeg ran and failed.
    #[error("ffmpeg {args} failed: {stderr}")]
    Failed {
        /// Its arguments.
        args: String,
        /// What it wrote to stderr.
        stderr: String,
    },
    /// The process-wide cache directory could not be made.
    #[error("could not make a directory for test media: {0}")]
    CacheDir(#[source] std::io::Error),
}

/// Runs ffmpeg quietly (`-hide_banner -loglevel error -y`, then `args`).
pub fn ffmpeg<I, S>(args: I) -> Result<(), MediaError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let output = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .map_err(MediaError::Spawn)?;
    if output.status.success() {
        return Ok(());
    }
    Err(MediaError::Failed {
        args: args
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" "),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// ffmpeg's test picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// `testsrc`: colour bars, a counter and a moving gradient (mostly static, compresses well).
    TestSrc,
    /// `testsrc2`: more motion and colour.
    TestSrc2,
}

/// How x264 spends bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bitrate {
    /// A target average (`-b:v`); a test pattern uses a fraction of it.
    Average(u32),
    /// An average with the peak capped over one second (`-maxrate`, `-bufsize`).
    Capped(u32),
    /// Constant bitrate with HRD signalling (`nal-hrd=cbr`): with [`H264::noise`] the stream
    /// really uses it.
    Constant(u32),
}

/// An H.264 Annex-B elementary stream at 30 fps as a live encoder makes it: x264 `veryfast`
/// with `zerolatency`, a keyframe every `gop` frames and never in between.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct H264 {
    width: u32,
    height: u32,
    seconds: u32,
    pattern: Pattern,
    noise: bool,
    profile: Option<String>,
    yuv420: bool,
    gop: u32,
    b_frames: u32,
    bitrate: Bitrate,
}

impl H264 {
    /// `seconds` of `width`×`height` testsrc: Main profile, 4:2:0, a keyframe every 2 s, no
    /// B-frames, an average of 2,500 kbit/s.
    pub fn new(width: u32, height: u32, seconds: u32) -> Self {
        Self {
            width,
            height,
            seconds,
            pattern: Pattern::TestSrc,
            noise: false,
            profile: Some("main".into()),
            yuv420: true,
            gop: 60,
            b_frames: 0,
            bitrate: Bitrate::Average(2500),
        }
    }

    /// Another x264 profile (`baseline`, `main`, `high`), still 4:2:0 so browsers decode it.
    pub fn profile(mut self, profile: &str) -> Self {
        self.profile = Some(profile.into());
        self.yuv420 = true;
        self
    }

    /// No profile and no pixel format: x264 keeps testsrc's RGB as 4:4:4, which makes High
    /// 4:4:4 Predictive (what the README's old command made; browsers cannot decode it).
    pub fn source_chroma(mut self) -> Self {
        self.profile = None;
        self.yuv420 = false;
        self
    }

    /// A keyframe every `frames` frames.
    pub fn gop(mut self, frames: u32) -> Self {
        self.gop = frames;
        self
    }

    /// `count` consecutive B-frames, always used (`b-adapt=0`), as some encoders send them.
    pub fn b_frames(mut self, count: u32) -> Self {
        self.b_frames = count;
        self
    }

    /// How bits are spent.
    pub fn bitrate(mut self, bitrate: Bitrate) -> Self {
        self.bitrate = bitrate;
        self
    }

    /// Another test picture.
    pub fn pattern(mut self, pattern: Pattern) -> Self {
        self.pattern = pattern;
        self
    }

    /// Temporal noise on the picture, so that it does not compress to a fraction of the
    /// bitrate.
    pub fn noise(mut self) -> Self {
        self.noise = true;
        self
    }

    fn args(&self) -> Vec<String> {
        let source = match self.pattern {
            Pattern::TestSrc => "testsrc",
            Pattern::TestSrc2 => "testsrc2",
        };
        let mut args: Vec<String> = vec![
            "-f".into(),
            "lavfi".into(),
            "-i".into(),
            format!("{source}=size={}x{}:rate=30", self.width, self.height),
            "-t".into(),
            self.seconds.to_string(),
        ];
        if self.noise {
            args.extend(["-vf".into(), "noise=alls=12:allf=t".into()]);
        }
        args.extend(["-c:v".into(), "libx264".into()]);
        if let Some(profile) = &self.profile {
            args.extend(["-profile:v".into(), profile.clone()]);
        }
        let (gop, b_frames) = (self.gop.to_string(), self.b_frames.to_string());
        #[rustfmt::skip]
        let encoder = [
            "-preset", "veryfast", "-tune", "zerolatency", "-g", &gop, "-keyint_min", &gop,
            "-sc_threshold", "0", "-bf", &b_frames,
        ];
        args.extend(encoder.map(String::from));
        if self.yuv420 {
            args.extend(["-pix_fmt".into(), "yuv420p".into()]);
        }
        let mut x264_params = Vec::new();
        if self.b_frames > 0 {
            x264_params.push("b-adapt=0");
        }
        let rate = |kbps: u32| format!("{kbps}k");
        match self.bitrate {
            Bitrate::Average(kbps) => args.extend(["-b:v".into(), rate(kbps)]),
            Bitrate::Capped(kbps) => {
                for option in ["-b:v", "-maxrate", "-bufsize"] {
                    args.extend([option.into(), rate(kbps)]);
                }
            }
            Bitrate::Constant(kbps) => {
                for option in ["-b:v", "-minrate", "-maxrate", "-bufsize"] {
                    args.extend([option.into(), rate(kbps)]);
                }
                x264_params.push("nal-hrd=cbr");
            }
        }
        if !x264_params.is_empty() {
            args.extend(["-x264-params".into(), x264_params.join(":")]);
        }
        args.extend(["-f".into(), "h264".into()]);
        args
    }

    /// Encodes into `path`.
    pub fn write(&self, path: &Path) -> Result<(), MediaError> {
        ffmpeg(self.args().iter().map(OsStr::new).chain([path.as_os_str()]))
    }

    /// The file for these settings, encoded once per process.
    pub fn cached(&self) -> Result<PathBuf, MediaError> {
        cached(self.args(), "h264", |path| self.write(path))
    }
}

/// A 440 Hz tone at 48 kHz as stereo Opus in Ogg: 20 ms packets, `lowdelay`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Opus {
    seconds: u32,
    kbps: u32,
}

impl Opus {
    /// `seconds` of the tone at 128 kbit/s.
    pub fn new(seconds: u32) -> Self {
        Self { seconds, kbps: 128 }
    }

    /// Another bitrate.
    pub fn kbps(mut self, kbps: u32) -> Self {
        self.kbps = kbps;
        self
    }

    fn args(&self) -> Vec<String> {
        #[rustfmt::skip]
        let args = [
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t",
            &self.seconds.to_string(), "-ac", "2", "-c:a", "libopus", "-b:a",
            &format!("{}k", self.kbps), "-frame_duration", "20", "-application", "lowdelay",
            "-f", "ogg",
        ];
        args.map(String::from).to_vec()
    }

    /// Encodes into `path`.
    pub fn write(&self, path: &Path) -> Result<(), MediaError> {
        ffmpeg(self.args().iter().map(OsStr::new).chain([path.as_os_str()]))
    }

    /// The file for these settings, encoded once per process.
    pub fn cached(&self) -> Result<PathBuf, MediaError> {
        cached(self.args(), "opus", |path| self.write(path))
    }
}

/// What an RTMP encoder sends, muxed in one file whose extension names the container (`.mkv`,
/// `.flv`): a 320×240 testsrc at 25 fps as H.264 (x264 `veryfast`, a keyframe every second)
/// and a 440 Hz tone as stereo AAC-LC at 128 kbit/s.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Clip {
    seconds: u32,
    b_frames: u32,
    audio_rate: u32,
}

impl Clip {
    /// `seconds` long, no B-frames, 44.1 kHz audio.
    pub fn new(seconds: u32) -> Self {
        Self {
            seconds,
            b_frames: 0,
            audio_rate: 44_100,
        }
    }

    /// `count` consecutive B-frames, always used (`b-adapt=0`).
    pub fn b_frames(mut self, count: u32) -> Self {
        self.b_frames = count;
        self
    }

    /// The audio's sample rate, in Hz.
    pub fn audio_rate(mut self, hz: u32) -> Self {
        self.audio_rate = hz;
        self
    }

    /// Encodes into `path`.
    pub fn write(&self, path: &Path) -> Result<(), MediaError> {
        let tone = format!("sine=frequency=440:sample_rate={}", self.audio_rate);
        let (seconds, b_frames) = (self.seconds.to_string(), self.b_frames.to_string());
        #[rustfmt::skip]
        let mut args: Vec<&OsStr> = [
            "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", &tone,
            "-t", &seconds, "-c:v", "libx264", "-preset", "veryfast", "-g", "25",
            "-sc_threshold", "0", "-bf", &b_frames, "-pix_fmt", "yuv420p",
        ].map(OsStr::new).to_vec();
        if self.b_frames > 0 {
            args.extend(["-x264-params", "b-adapt=0"].map(OsStr::new));
        }
        args.extend(["-c:a", "aac", "-ac", "2", "-b:a", "128k"].map(OsStr::new));
        args.push(path.as_os_str());
        ffmpeg(args)
    }
}

/// `seconds` of 44.1 kHz stereo ADTS AAC at 160 kbit/s: a 440 Hz tone over pink noise, so an
/// audio encoder has something to do.
pub fn noisy_aac(path: &Path, seconds: u32) -> Result<(), MediaError> {
    let seconds = seconds.to_string();
    #[rustfmt::skip]
    let args = [
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-f", "lavfi", "-i",
        "anoisesrc=color=pink:amplitude=0.2:sample_rate=44100", "-filter_complex",
        "amix=inputs=2", "-t", &seconds, "-ac", "2", "-c:a", "aac", "-b:a", "160k", "-f", "adts",
    ];
    ffmpeg(args.iter().map(OsStr::new).chain([path.as_os_str()]))
}

/// The stream the WebRTC tests and benchmarks publish, into `dir/test.h264` and
/// `dir/test.opus`: `seconds` of noisy `width`×`height` H.264 in `profile` at a constant `kbps`
/// with a keyframe every `gop` frames, and 128 kbit/s Opus. Returns both paths.
pub fn stream_files(
    dir: &Path,
    profile: &str,
    (width, height): (u32, u32),
    seconds: u32,
    gop: u32,
    kbps: u32,
) -> Result<(PathBuf, PathBuf), MediaError> {
    let (video, audio) = (dir.join("test.h264"), dir.join("test.opus"));
    H264::new(width, height, seconds)
        .profile(profile)
        .gop(gop)
        .bitrate(Bitrate::Constant(kbps))
        .noise()
        .write(&video)?;
    Opus::new(seconds).write(&audio)?;
    Ok((video, audio))
}

/// The pair most suites push with `shimmer push`, made once per process: 6 s of 1280×720 Main
/// profile H.264 (a keyframe every 2 s, no B-frames, capped at 2,500 kbit/s) and 6 s of Opus.
/// Panics with ffmpeg's complaint when it cannot be made.
pub fn test_media() -> (PathBuf, PathBuf) {
    let video = H264::new(1280, 720, 6)
        .bitrate(Bitrate::Capped(2500))
        .cached()
        .unwrap_or_else(|e| panic!("{e}"));
    let audio = Opus::new(6).cached().unwrap_or_else(|e| panic!("{e}"));
    (video, audio)
}

/// Starts ffmpeg publishing `clip` as it is (`-c copy`) to `url` (`rtmp://…`), at its own pace
/// with `realtime` (`-re`), else as fast as the server reads. Its stderr is piped, for tests
/// that check what it reports.
pub fn publish_rtmp(clip: &Path, url: &str, realtime: bool) -> Result<Child, MediaError> {
    let mut command = Command::new("ffmpeg");
    command.args(["-hide_banner", "-loglevel", "error"]);
    if realtime {
        command.arg("-re");
    }
    command
        .arg("-i")
        .arg(clip)
        .args(["-c", "copy", "-f", "flv", url])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(MediaError::Spawn)
}

/// Files made once per process, one per distinct ffmpeg argument list, kept in one temporary
/// directory until the process ends.
fn cached(
    key: Vec<String>,
    extension: &str,
    make: impl FnOnce(&Path) -> Result<(), MediaError>,
) -> Result<PathBuf, MediaError> {
    type Slot = Arc<Mutex<Option<PathBuf>>>;
    static DIR: OnceLock<Result<tempfile::TempDir, String>> = OnceLock::new();
    static FILES: OnceLock<Mutex<HashMap<Vec<String>, Slot>>> = OnceLock::new();
    let dir = DIR
        .get_or_init(|| tempfile::tempdir().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| MediaError::CacheDir(std::io::Error::other(e.clone())))?;
    let (slot, index) = {
        let mut files = FILES
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let index = files.len();
        (Arc::clone(files.entry(key).or_default()), index)
    };
    // One encode per setting; different settings encode side by side.
    let mut file = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(path) = &*file {
        return Ok(path.clone());
    }
    let path = dir.path().join(format!("media-{index}.{extension}"));
    make(&path)?;
    *file = Some(path.clone());
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings each suite relied on reach ffmpeg: a fixed GOP, B-frames only when asked
    /// (and then always), and the rate control asked for.
    #[test]
    fn h264_settings_become_x264_options() {
        let plain = H264::new(640, 360, 4).args().join(" ");
        assert!(
            plain.contains("testsrc=size=640x360:rate=30 -t 4"),
            "{plain}"
        );
        assert!(plain.contains("-profile:v main"), "{plain}");
        assert!(
            plain.contains("-g 60 -keyint_min 60 -sc_threshold 0 -bf 0"),
            "{plain}"
        );
        assert!(plain.ends_with("-b:v 2500k -f h264"), "{plain}");
        assert!(!plain.contains("x264-params"), "{plain}");

        let rgb = H264::new(640, 360, 4).source_chroma().args().join(" ");
        assert!(
            !rgb.contains("-profile:v") && !rgb.contains("-pix_fmt"),
            "{rgb}"
        );

        let cbr = H264::new(1280, 720, 2)
            .b_frames(3)
            .bitrate(Bitrate::Constant(3000))
            .noise()
            .args()
            .join(" ");
        assert!(cbr.contains("-vf noise=alls=12:allf=t"), "{cbr}");
        assert!(
            cbr.contains("-minrate 3000k -maxrate 3000k -bufsize 3000k"),
            "{cbr}"
        );
        assert!(cbr.contains("-x264-params b-adapt=0:nal-hrd=cbr"), "{cbr}");
    }

    /// Files are made once per setting: the same settings give the same file, others another.
    #[test]
    fn cached_media_is_made_once_per_setting() {
        let made = std::sync::atomic::AtomicU32::new(0);
        let make = |path: &Path| {
            made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            std::fs::write(path, b"x").map_err(MediaError::Spawn)
        };
        let key = |name: &str| vec!["cached-test".to_owned(), name.to_owned()];
        let a = cached(key("a"), "bin", make).unwrap();
        let again = cached(key("a"), "bin", make).unwrap();
        let b = cached(key("b"), "bin", make).unwrap();
        assert_eq!(a, again);
        assert_ne!(a, b);
        assert_eq!(made.into_inner(), 2);
    }

    /// ffmpeg really makes the shared pair: Annex B with an SPS first, Ogg with Opus.
    #[test]
    fn the_shared_pair_is_annex_b_and_ogg_opus() {
        let (video, audio) = test_media();
        let video = std::fs::read(video).unwrap();
        let audio = std::fs::read(audio).unwrap();
        assert_eq!(&video[..4], &[0, 0, 0, 1]);
        assert_eq!(audio.get(..4), Some(&b"OggS"[..]));
        assert!(audio.windows(8).any(|w| w == b"OpusHead"));
        assert_eq!(test_media().0, test_media().0, "made once");
    }
}
