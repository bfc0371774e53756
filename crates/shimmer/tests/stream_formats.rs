//! Streams in H.264 formats browsers cannot play (High 4:4:4) or may not all offer (High) go
//! live as before, but the streamer's dashboard says so while they are live, and the server log
//! has a WARN line with the channel (FTL gives no way to write into the encoder's own log).
//! The media is made by ffmpeg at test time and pushed with `shimmer push` into a real server.

mod support;

use std::path::{Path, PathBuf};
use std::process::Child;

use shimmer_testkit::media::{Bitrate, H264};
use support::{push, push_media, wait_until, Browser, Server};

const NOT_PLAYABLE: &str =
    "profile High 4:4:4 is not playable in browsers: set your encoder to yuv420p / 4:2:0";
const NOT_EVERYWHERE: &str = "Some browsers (Firefox, some Chromium builds) do not offer H.264 \
                              High; Main is the safe choice";
const THUMBNAIL_WARNING: &str = "no thumbnail from this stream's keyframe";

const FAST: &[(&str, &str)] = &[
    ("SHIMMER_FTL__METADATA_INTERVAL_MS", "1000"),
    ("SHIMMER_FTL__MEDIA_TIMEOUT_MS", "2000"),
];

/// 4 s of 640x360 H.264 from ffmpeg's testsrc at 800 kbit/s, keyframes every second, as
/// `settings` make it.
fn video(dir: &Path, name: &str, settings: impl FnOnce(H264) -> H264) -> PathBuf {
    let path = dir.join(name);
    settings(
        H264::new(640, 360, 4)
            .gop(30)
            .bitrate(Bitrate::Average(800)),
    )
    .write(&path)
    .expect("ffmpeg makes the video");
    path
}

/// The log without terminal colour codes.
fn log_text(log: &Path) -> String {
    let raw = std::fs::read_to_string(log).unwrap_or_default();
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            text.push(c);
        }
    }
    text
}

/// Lines of the ingest's format warning (the thumbnail failure line quotes it too).
fn format_warnings(text: &str) -> usize {
    text.lines()
        .filter(|line| line.contains(NOT_PLAYABLE) && !line.contains(THUMBNAIL_WARNING))
        .count()
}

async fn dashboard(browser: &Browser) -> String {
    let (status, page) = browser.get("/users/settings/dashboard").await;
    assert_eq!(status, 200);
    page
}

/// Stops a push by its PID and waits until the channel is offline.
fn stop_push(server: &Server, mut client: Child) {
    let _ = client.kill();
    let _ = client.wait();
    assert!(
        wait_until(10, || server.channel_status("caster") == "offline"),
        "the channel goes offline once the push stops"
    );
}

async fn wait_for_dashboard(browser: &Browser, needle: &str) -> String {
    for _ in 0..100 {
        let page = dashboard(browser).await;
        if page.contains(needle) {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    dashboard(browser).await
}

#[tokio::test]
async fn the_dashboard_and_the_log_warn_about_formats_browsers_cannot_play() {
    let media = tempfile::tempdir().unwrap();
    // What the README's old command made: x264 keeps testsrc's RGB as 4:4:4.
    let high_444 = video(media.path(), "high444.h264", H264::source_chroma);
    let high = video(media.path(), "high.h264", |video| video.profile("high"));
    let (_, audio) = support::test_media();

    let (server, log) = Server::start_with_log(FAST);
    server.create_user("caster", "password123", true);
    let key = server.stream_key("caster");
    let channel_id = key.split_once('-').unwrap().0.to_owned();
    let browser = Browser::new(&server);
    let card = format!("/channels/{channel_id}/thumbnail/416.jpg");
    let (status, offline_card) = browser.get_bytes(&card).await;
    assert_eq!(status, 200);
    assert_eq!(browser.login("caster", "password123").await, 303);
    assert!(!dashboard(&browser)
        .await
        .contains("data-testid=\"video-warning\""));

    // High 4:4:4: live, but nobody sees video.
    let client = push_media(server.ftl_port, &key, &high_444, &audio, &["--loop"]);
    assert!(
        wait_until(10, || server.channel_status("caster").starts_with("live ")),
        "a High 4:4:4 stream still goes live"
    );
    let page = wait_for_dashboard(&browser, NOT_PLAYABLE).await;
    assert!(page.contains(NOT_PLAYABLE), "dashboard warns: {page}");
    assert!(page.contains("Viewers get audio only"));
    assert!(
        wait_until(10, || log_text(&log).contains(THUMBNAIL_WARNING)),
        "the thumbnail failure is logged at WARN:\n{}",
        log_text(&log)
    );
    // No frame can be rendered: the card is the live placeholder, never the offline one.
    let (status, live_card) = browser.get_bytes(&card).await;
    assert_eq!(status, 200);
    assert_ne!(
        live_card, offline_card,
        "a live card without a frame is not the offline one"
    );
    let picture = image::load_from_memory(&live_card).unwrap().to_rgb8();
    let centre = picture.get_pixel(208, 117).0;
    assert!(
        centre[0] > 180 && centre[1] < 90 && centre[2] < 90,
        "the live placeholder's red dot: {centre:?}"
    );
    let text = log_text(&log);
    let line = text
        .lines()
        .find(|line| line.contains(NOT_PLAYABLE) && !line.contains(THUMBNAIL_WARNING))
        .unwrap_or_else(|| panic!("no format warning in the log:\n{text}"));
    assert!(line.contains("WARN"), "{line}");
    assert!(line.contains(&format!("channel_id={channel_id}")), "{line}");
    // A looped file repeats its SPS at every keyframe: one warning per stream, not per SPS,
    // and one thumbnail failure at WARN however often the thumbnailer retries.
    std::thread::sleep(std::time::Duration::from_secs(5));
    let text = log_text(&log);
    assert_eq!(format_warnings(&text), 1, "{text}");
    assert_eq!(text.matches(THUMBNAIL_WARNING).count(), 1, "{text}");
    stop_push(&server, client);
    assert!(
        !dashboard(&browser).await.contains(NOT_PLAYABLE),
        "the warning goes with the stream"
    );

    // High 4:2:0: plays where the browser offers High; the dashboard says Main is safer.
    let client = push_media(server.ftl_port, &key, &high, &audio, &["--loop"]);
    assert!(wait_until(10, || server
        .channel_status("caster")
        .starts_with("live ")));
    let page = wait_for_dashboard(&browser, NOT_EVERYWHERE).await;
    assert!(page.contains(NOT_EVERYWHERE), "dashboard warns: {page}");
    assert!(!page.contains(NOT_PLAYABLE));
    assert!(page.contains("Some viewers may get audio only"));
    stop_push(&server, client);

    // Main: no warning at all, once its metadata is in.
    let client = push(server.ftl_port, &key, &["--loop"]);
    assert!(wait_until(10, || server
        .channel_status("caster")
        .starts_with("live ")));
    std::thread::sleep(std::time::Duration::from_secs(3));
    let page = dashboard(&browser).await;
    assert!(page.contains("badge-live"), "{page}");
    assert!(!page.contains("data-testid=\"video-warning\""), "{page}");
    stop_push(&server, client);
    assert_eq!(
        format_warnings(&log_text(&log)),
        1,
        "High and Main streams log no such warning"
    );
}

#[tokio::test]
async fn an_ftl_encoder_sending_b_frames_is_flagged_on_the_stream_and_the_dashboard() {
    let media = tempfile::tempdir().unwrap();
    let with_b_frames = video(media.path(), "bframes.h264", |video| video.b_frames(3));
    let (_, audio) = support::test_media();
    let server = Server::start_in(media.path(), FAST);
    server.create_user("caster", "password123", true);
    let key = server.stream_key("caster");
    let browser = Browser::new(&server);
    assert_eq!(browser.login("caster", "password123").await, 303);

    let client = push_media(server.ftl_port, &key, &with_b_frames, &audio, &["--loop"]);
    assert!(wait_until(10, || server
        .channel_status("caster")
        .starts_with("live ")));
    let page = wait_for_dashboard(&browser, "data-testid=\"b-frames-warning\"").await;
    assert!(
        page.contains("data-testid=\"b-frames-warning\""),
        "dashboard warns: {page}"
    );
    assert!(
        page.contains("live over <strong data-testid=\"ingest-protocol\">FTL</strong>"),
        "{page}"
    );
    stop_push(&server, client);
    let mut database = server.database().await;
    let recorded: Vec<(String, i64)> =
        sqlx::query_as("SELECT ingest_protocol, video_b_frames FROM stream_metadata")
            .fetch_all(&mut database)
            .await
            .unwrap();
    assert!(recorded.contains(&("ftl".to_owned(), 1)), "{recorded:?}");

    // The same encoder with B-frames off: no warning.
    let client = push(server.ftl_port, &key, &["--loop"]);
    assert!(wait_until(10, || server
        .channel_status("caster")
        .starts_with("live ")));
    std::thread::sleep(std::time::Duration::from_secs(3));
    let page = dashboard(&browser).await;
    assert!(page.contains("data-testid=\"ingest-protocol\""), "{page}");
    assert!(!page.contains("data-testid=\"b-frames-warning\""), "{page}");
    stop_push(&server, client);
}
