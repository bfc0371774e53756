//! Low-Latency HLS end to end: Debian's ffmpeg publishes H.264 with B-frames and AAC over RTMP,
//! and the stream is read back over HLS by our own checks of Apple's rules and by ffprobe (with
//! the encoder's AAC); an FTL stream's Opus is packaged as Opus.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use shimmer_testkit::media::{publish_rtmp, Clip};
use support::{push, wait_until, Server};

const FAST: &[(&str, &str)] = &[("SHIMMER_FTL__METADATA_INTERVAL_MS", "1000")];

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A media playlist, read line by line.
#[derive(Debug, Default)]
struct MediaPlaylist {
    target_duration: f64,
    part_target: f64,
    server_control: String,
    map: String,
    media_sequence: u64,
    /// (duration, uri)
    segments: Vec<(f64, String)>,
    /// (duration, uri, independent)
    parts: Vec<(f64, String, bool)>,
    preload_hint: String,
    skipped: u64,
}

fn attribute<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let start = line.find(&format!("{name}="))? + name.len() + 1;
    let rest = &line[start..];
    if let Some(quoted) = rest.strip_prefix('"') {
        return quoted.split('"').next();
    }
    rest.split(',').next()
}

fn parse_media(text: &str) -> MediaPlaylist {
    let mut playlist = MediaPlaylist::default();
    let mut pending_duration = None;
    assert!(text.starts_with("#EXTM3U\n"), "a playlist:\n{text}");
    for line in text.lines() {
        if let Some(value) = line.strip_prefix("#EXT-X-TARGETDURATION:") {
            playlist.target_duration = value.parse().unwrap();
        } else if let Some(value) = line.strip_prefix("#EXT-X-PART-INF:") {
            playlist.part_target = attribute(value, "PART-TARGET").unwrap().parse().unwrap();
        } else if let Some(value) = line.strip_prefix("#EXT-X-SERVER-CONTROL:") {
            playlist.server_control = value.to_string();
        } else if let Some(value) = line.strip_prefix("#EXT-X-MAP:") {
            playlist.map = attribute(value, "URI").unwrap().to_string();
        } else if let Some(value) = line.strip_prefix("#EXT-X-MEDIA-SEQUENCE:") {
            playlist.media_sequence = value.parse().unwrap();
        } else if let Some(value) = line.strip_prefix("#EXT-X-SKIP:") {
            playlist.skipped = attribute(value, "SKIPPED-SEGMENTS")
                .unwrap()
                .parse()
                .unwrap();
        } else if let Some(value) = line.strip_prefix("#EXT-X-PART:") {
            playlist.parts.push((
                attribute(value, "DURATION").unwrap().parse().unwrap(),
                attribute(value, "URI").unwrap().to_string(),
                value.contains("INDEPENDENT=YES"),
            ));
        } else if let Some(value) = line.strip_prefix("#EXT-X-PRELOAD-HINT:") {
            assert_eq!(attribute(value, "TYPE"), Some("PART"));
            playlist.preload_hint = attribute(value, "URI").unwrap().to_string();
        } else if let Some(value) = line.strip_prefix("#EXTINF:") {
            pending_duration = Some(value.trim_end_matches(',').parse::<f64>().unwrap());
        } else if !line.starts_with('#') && !line.is_empty() {
            let duration = pending_duration
                .take()
                .expect("EXTINF before a segment URI");
            playlist.segments.push((duration, line.to_string()));
        }
    }
    playlist
}

/// Checks the rules of RFC 8216bis and Apple's authoring spec the packager promises.
fn check_rules(playlist: &MediaPlaylist, text: &str) {
    assert!(text.contains("#EXT-X-VERSION:9"), "{text}");
    assert!(
        playlist.server_control.contains("CAN-BLOCK-RELOAD=YES"),
        "{text}"
    );
    let hold_back: f64 = attribute(&playlist.server_control, "PART-HOLD-BACK")
        .expect("PART-HOLD-BACK")
        .parse()
        .unwrap();
    assert!(hold_back >= 2.0 * playlist.part_target, "{text}");
    assert!(!playlist.map.is_empty(), "EXT-X-MAP: {text}");
    assert!(!playlist.preload_hint.is_empty(), "a preload hint: {text}");
    assert!(!playlist.parts.is_empty(), "parts: {text}");
    for (duration, uri, _) in &playlist.parts {
        assert!(
            *duration <= playlist.part_target + 0.001,
            "part {uri} of {duration} s is longer than PART-TARGET {}",
            playlist.part_target
        );
    }
    for (duration, uri) in &playlist.segments {
        assert!(
            duration.round() <= playlist.target_duration,
            "segment {uri} of {duration} s is longer than the target duration"
        );
    }
}

async fn get(url: &str) -> reqwest::Response {
    client().get(url).send().await.unwrap()
}

fn ffprobe(args: &[&str], url: &str) -> String {
    let output = Command::new("ffprobe")
        .args(["-v", "error"])
        .args(args)
        .arg(url)
        .output()
        .expect("run ffprobe");
    assert!(
        output.status.success(),
        "ffprobe failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn make_clip(dir: &Path, seconds: u32, b_frames: u32) -> std::path::PathBuf {
    let path = dir.join(format!("clip-bf{b_frames}.mkv"));
    Clip::new(seconds).b_frames(b_frames).write(&path).unwrap();
    path
}

#[tokio::test]
async fn a_b_frame_stream_over_rtmp_is_served_as_ll_hls_that_ffprobe_reads() {
    let temp = tempfile::tempdir().unwrap();
    let clip = make_clip(temp.path(), 14, 3);
    let server = Server::start_in(temp.path(), FAST);
    server.create_user("hlscaster", "password123", true);
    let key = server.stream_key("hlscaster");
    let base = server.url("/hls/hlscaster");

    let offline = get(&format!("{base}/index.m3u8")).await;
    assert_eq!(offline.status(), 404, "offline channels have no playlist");
    assert_eq!(
        get(&server.url("/hls/nobody/index.m3u8")).await.status(),
        404
    );

    let port = server.rtmp_port.unwrap();
    let mut ffmpeg = publish_rtmp(&clip, &format!("rtmp://127.0.0.1:{port}/live/{key}"), true)
        .expect("start ffmpeg");
    assert!(
        wait_until(10, || server
            .channel_status("hlscaster")
            .starts_with("live ")),
        "the channel goes live"
    );

    // The multivariant playlist: one variant with both codecs and the size.
    let response = get(&format!("{base}/index.m3u8")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.apple.mpegurl"
    );
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let multivariant = response.text().await.unwrap();
    assert!(
        multivariant.contains("CODECS=\"avc1.") && multivariant.contains(",mp4a.40.2\""),
        "the encoder's AAC-LC, not the Opus made for WebRTC: {multivariant}"
    );
    assert!(
        multivariant.contains("RESOLUTION=320x240"),
        "{multivariant}"
    );
    assert!(multivariant.contains("\nstream.m3u8\n"), "{multivariant}");

    // Wait for a couple of whole segments, then read the media playlist.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let text = get(&format!("{base}/stream.m3u8"))
        .await
        .text()
        .await
        .unwrap();
    let playlist = parse_media(&text);
    check_rules(&playlist, &text);
    assert!(playlist.segments.len() >= 2, "{text}");
    assert!(
        playlist
            .parts
            .iter()
            .any(|(_, _, independent)| *independent),
        "keyframe parts are marked independent: {text}"
    );

    // Segments, parts and the init segment are immutable; parts answer byte ranges.
    let init = get(&format!("{base}/{}", playlist.map)).await;
    assert_eq!(init.status(), 200);
    assert!(init.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let init = init.bytes().await.unwrap();
    assert_eq!(&init[4..8], b"ftyp");
    let (_, part_uri, _) = playlist.parts.last().unwrap();
    let whole = get(&format!("{base}/{part_uri}"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(&whole[4..8], b"moof");
    let ranged = client()
        .get(format!("{base}/{part_uri}"))
        .header("range", "bytes=4-7")
        .send()
        .await
        .unwrap();
    assert_eq!(ranged.status(), 206);
    assert_eq!(
        ranged.headers()["content-range"],
        format!("bytes 4-7/{}", whole.len()).as_str()
    );
    assert_eq!(ranged.bytes().await.unwrap().as_ref(), b"moof");
    let outside = client()
        .get(format!("{base}/{part_uri}"))
        .header("range", format!("bytes={}-", whole.len() + 10))
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), 416);

    // A blocking reload for the part after the newest one is answered once that part exists,
    // which is within about one part duration.
    let text = get(&format!("{base}/stream.m3u8"))
        .await
        .text()
        .await
        .unwrap();
    let now = parse_media(&text);
    let hint = now.preload_hint.clone();
    let (msn, part) = hint
        .trim_end_matches(".m4s")
        .rsplit_once('-')
        .map(|(_, numbers)| numbers.split_once('.').unwrap())
        .unwrap();
    let asked = Instant::now();
    let blocked = get(&format!(
        "{base}/stream.m3u8?_HLS_msn={msn}&_HLS_part={part}"
    ))
    .await;
    let waited = asked.elapsed();
    assert_eq!(blocked.status(), 200);
    let blocked = blocked.text().await.unwrap();
    let reloaded = parse_media(&blocked);
    let listed = reloaded.parts.iter().any(|(_, uri, _)| *uri == hint)
        || reloaded
            .segments
            .iter()
            .any(|(_, uri)| uri.ends_with(&format!("-{msn}.m4s")));
    assert!(
        listed,
        "the awaited part {hint} is in the answer:\n{blocked}"
    );
    assert!(
        waited < Duration::from_secs_f64(reloaded.part_target * 2.0 + 0.3),
        "a blocking reload took {waited:?}"
    );
    // The hinted part itself is served (held until it exists, if it is still the next one).
    let hinted = get(&format!("{base}/{}", reloaded.preload_hint)).await;
    assert!(
        hinted.status() == 200 || hinted.status() == 404,
        "the hinted part: {}",
        hinted.status()
    );

    // Refusals a player can read.
    for (query, status) in [
        ("_HLS_part=1", 400),
        ("_HLS_msn=999999", 400),
        ("_HLS_msn=abc", 400),
        ("_HLS_skip=maybe", 400),
    ] {
        let response = get(&format!("{base}/stream.m3u8?{query}")).await;
        assert_eq!(response.status(), status, "{query}");
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
    }
    assert_eq!(get(&format!("{base}/0000-1.m4s")).await.status(), 404);
    assert_eq!(get(&format!("{base}/../../index.m3u8")).await.status(), 404);

    // An independent reader: ffprobe sees H.264 at the source's size and AAC, and decodes
    // B-frames in order.
    let url = format!("{base}/index.m3u8");
    let streams = ffprobe(
        &[
            "-show_entries",
            "stream=codec_name,width,height",
            "-of",
            "csv=p=0",
        ],
        &url,
    );
    assert!(streams.contains("h264,320,240"), "ffprobe saw:\n{streams}");
    assert!(streams.contains("aac"), "ffprobe saw:\n{streams}");
    let frames = ffprobe(
        &[
            "-select_streams",
            "v:0",
            "-read_intervals",
            "%+2",
            "-show_entries",
            "frame=pict_type,pts",
            "-of",
            "csv=p=0",
        ],
        &url,
    );
    let frames: Vec<(&str, i64)> = frames
        .lines()
        .filter_map(|line| {
            let (pts, kind) = line.split_once(',')?;
            Some((kind.trim(), pts.trim().parse().ok()?))
        })
        .collect();
    assert!(frames.len() > 30, "decoded frames: {}", frames.len());
    assert!(
        frames.iter().any(|(kind, _)| *kind == "B"),
        "B-frames decoded: {frames:?}"
    );
    assert!(
        frames.windows(2).all(|pair| pair[0].1 < pair[1].1),
        "frames come out in presentation order: {frames:?}"
    );

    let metrics = server.metrics().await;
    for needle in [
        "shimmer_hls_requests_total{kind=\"part\"}",
        "shimmer_hls_bytes_total",
        "shimmer_hls_part_delay_seconds",
        "shimmer_hls_viewers{channel=",
    ] {
        assert!(metrics.contains(needle), "{needle} in the metrics");
    }

    let _ = ffmpeg.wait();
    assert!(
        wait_until(10, || server.channel_status("hlscaster") == "offline"),
        "the stream ends"
    );
    let ended = get(&format!("{base}/stream.m3u8")).await;
    assert_eq!(ended.status(), 404, "an ended stream has no playlist");
}

#[tokio::test]
async fn an_ftl_streams_opus_is_packaged_as_opus() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_in(temp.path(), FAST);
    server.create_user("ftlcaster", "password123", true);
    let key = server.stream_key("ftlcaster");
    let mut pusher = push(server.ftl_port, &key, &["--loop"]);
    assert!(
        wait_until(10, || server
            .channel_status("ftlcaster")
            .starts_with("live ")),
        "the channel goes live"
    );
    let url = server.url("/hls/ftlcaster/index.m3u8");
    let multivariant = get(&url).await.text().await.unwrap();
    assert!(multivariant.contains(",opus\""), "{multivariant}");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let streams = ffprobe(
        &[
            "-show_entries",
            "stream=codec_name,width,height",
            "-of",
            "csv=p=0",
        ],
        &url,
    );
    assert!(streams.contains("h264,1280,720"), "ffprobe saw:\n{streams}");
    assert!(streams.contains("opus"), "ffprobe saw:\n{streams}");
    // HLS viewers count with the WebRTC ones: this test's client and ffprobe (two browsers, by
    // their user agents) watched.
    let page = get(&server.url("/ftlcaster")).await.text().await.unwrap();
    let start = page.find("data-channel-id=\"").expect("a channel page") + 17;
    let channel: i64 = page[start..].split('"').next().unwrap().parse().unwrap();
    let counted = || async {
        get(&server.url(&format!("/api/channels/{channel}/viewers")))
            .await
            .json::<serde_json::Value>()
            .await
            .unwrap()
    };
    let mut figures = counted().await;
    for _ in 0..30 {
        if figures["viewers"].as_i64() == Some(2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        figures = counted().await;
    }
    assert_eq!(figures["viewers"], 2, "{figures}");
    let _ = pusher.kill();
    let _ = pusher.wait();
}
