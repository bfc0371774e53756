//! The playlists, written from the packager's window (RFC 8216bis, Low-Latency HLS).

use std::fmt::Write;

use crate::packager::Packager;

/// How a stream's files are named. Every name starts with an id chosen when packaging starts, so
/// a cache in front of the server never mixes two runs of one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The run's id (hex).
    pub run: String,
}

impl Names {
    /// The init segment's file name.
    pub fn init(&self) -> String {
        format!("{}-init.mp4", self.run)
    }

    /// A segment's file name.
    pub fn segment(&self, msn: u64) -> String {
        format!("{}-{msn}.m4s", self.run)
    }

    /// A part's file name.
    pub fn part(&self, msn: u64, index: usize) -> String {
        format!("{}-{msn}.{index}.m4s", self.run)
    }
}

/// The media playlist's file name.
pub const MEDIA_PLAYLIST: &str = "stream.m3u8";

/// The multivariant playlist of a stream: its one variant with codecs, resolution and a
/// bandwidth measured from the segments so far (or assumed until there are any).
pub fn multivariant(packager: &Packager) -> String {
    let mut codecs = Vec::new();
    if let Some(video) = packager.video_params() {
        codecs.push(video.codec_string());
    }
    if let Some(audio) = packager.audio() {
        codecs.push(audio.codec_string());
    }
    let bandwidth = packager
        .segments()
        .filter_map(|segment| {
            let bytes = segment.data.as_ref()?.len() as f64;
            (segment.duration > 0.0).then(|| bytes * 8.0 / segment.duration)
        })
        .fold(0.0_f64, f64::max);
    let bandwidth = if bandwidth > 0.0 {
        bandwidth.ceil() as u64
    } else {
        5_000_000
    };
    let mut out = String::from("#EXTM3U\n#EXT-X-VERSION:9\n");
    let _ = write!(
        out,
        "#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},CODECS=\"{}\"",
        codecs.join(",")
    );
    if let Some(video) = packager.video_params() {
        if video.width > 0 && video.height > 0 {
            let _ = write!(out, ",RESOLUTION={}x{}", video.width, video.height);
        }
    }
    let _ = write!(out, "\n{MEDIA_PLAYLIST}\n");
    out
}

/// The longest a client may skip (CAN-SKIP-UNTIL), in target durations (the spec's minimum).
const SKIP_TARGET_DURATIONS: f64 = 6.0;

/// Part hold-back in part targets (Apple asks for at least three).
const PART_HOLD_BACK_PARTS: f64 = 3.0;

/// The media playlist; with `skip`, older segments are left out as a delta update.
pub fn media(packager: &Packager, names: &Names, skip: bool) -> String {
    let config = packager.config();
    let target = config.segment_limit.as_secs().max(1);
    let part_target = config.part_target.as_secs_f64();
    let skip_until = target as f64 * SKIP_TARGET_DURATIONS;
    let segments: Vec<_> = packager.segments().collect();
    let current = packager.current();
    let first_msn = segments.first().map_or(current.msn, |segment| segment.msn);
    let mut skipped = 0;
    if skip {
        let mut from_end = current.duration;
        let mut keep = 0;
        for segment in segments.iter().rev() {
            from_end += segment.duration;
            if from_end > skip_until {
                break;
            }
            keep += 1;
        }
        skipped = segments.len() - keep;
    }
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:{target}\n\
         #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL={skip_until:.1},\
         PART-HOLD-BACK={:.3}\n#EXT-X-PART-INF:PART-TARGET={part_target:.3}\n\
         #EXT-X-MEDIA-SEQUENCE:{first_msn}\n#EXT-X-MAP:URI=\"{}\"\n",
        part_target * PART_HOLD_BACK_PARTS,
        names.init(),
    );
    if skipped > 0 {
        let _ = writeln!(out, "#EXT-X-SKIP:SKIPPED-SEGMENTS={skipped}");
    }
    for segment in segments.iter().skip(skipped) {
        write_parts(&mut out, names, segment.msn, &segment.parts);
        let _ = write!(
            out,
            "#EXTINF:{:.5},\n{}\n",
            segment.duration,
            names.segment(segment.msn)
        );
    }
    write_parts(&mut out, names, current.msn, &current.parts);
    let _ = writeln!(
        out,
        "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"{}\"",
        names.part(current.msn, current.parts.len())
    );
    out
}

fn write_parts(out: &mut String, names: &Names, msn: u64, parts: &[crate::packager::Part]) {
    for (index, part) in parts.iter().enumerate() {
        let _ = write!(
            out,
            "#EXT-X-PART:DURATION={:.5},URI=\"{}\"",
            part.duration,
            names.part(msn, index)
        );
        if part.independent {
            out.push_str(",INDEPENDENT=YES");
        }
        out.push('\n');
    }
}
