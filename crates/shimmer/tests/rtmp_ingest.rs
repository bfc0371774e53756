//! RTMP ingest end to end: Debian's ffmpeg publishes H.264 + AAC to a real server, and the
//! channel goes live and offline with the stream recorded like any other ingest.

mod support;

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use shimmer_testkit::media::{ffmpeg, publish_rtmp, Clip};
use sqlx::Row;
use support::{shimmer, test_media, wait_until, Browser, Server};

const FAST: &[(&str, &str)] = &[("SHIMMER_FTL__METADATA_INTERVAL_MS", "1000")];

/// A clip made now ([`Clip`]): H.264 with `bframes` B-frames (0: none) and AAC-LC.
fn make_clip(dir: &Path, seconds: u32, bframes: u32) -> PathBuf {
    let out = dir.join(format!("clip-bf{bframes}.mkv"));
    Clip::new(seconds)
        .b_frames(bframes)
        .write(&out)
        .expect("ffmpeg could not make the clip");
    out
}

/// `ffmpeg -re -i clip -c copy -f flv rtmp://127.0.0.1:PORT/live/KEY`.
fn publish(clip: &Path, port: u16, key: &str) -> Child {
    let url = format!("rtmp://127.0.0.1:{port}/live/{key}");
    publish_rtmp(clip, &url, true).expect("start ffmpeg")
}

fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        let _ = stderr.read_to_string(&mut text);
    }
    text
}

#[tokio::test]
async fn ffmpeg_over_rtmp_goes_live_reports_metadata_and_ends_when_it_stops() {
    let temp = tempfile::tempdir().unwrap();
    let clip = make_clip(temp.path(), 6, 0);
    let server = Server::start_in(temp.path(), FAST);
    let port = server.rtmp_port.expect("RTMP is on by default");
    server.create_user("rtmpcaster", "password123", true);
    let key = server.stream_key("rtmpcaster");

    let mut ffmpeg = publish(&clip, port, &key);
    assert!(
        wait_until(10, || server
            .channel_status("rtmpcaster")
            .starts_with("live ")),
        "the channel goes live"
    );
    let status = ffmpeg.wait().unwrap();
    assert!(
        status.success(),
        "ffmpeg failed: {}",
        stderr_of(&mut ffmpeg)
    );
    assert!(
        wait_until(5, || server.channel_status("rtmpcaster") == "offline"),
        "offline within 5 s of the publisher stopping"
    );
    let metrics = server.metrics().await;
    for line in [
        "shimmer_rtmp_streams_started_total 1",
        "shimmer_rtmp_streams 0",
        "shimmer_rtmp_streams_ended_total{reason=\"disconnect\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} in the metrics:\n{metrics}");
    }
    assert!(metrics.contains("shimmer_rtmp_bytes_received_total "));

    let mut database = server.database().await;
    let streams = sqlx::query("SELECT id, ended_at, end_reason FROM streams")
        .fetch_all(&mut database)
        .await
        .unwrap();
    assert_eq!(streams.len(), 1);
    assert!(streams[0].get::<Option<i64>, _>(1).is_some());
    assert_eq!(
        streams[0].get::<Option<String>, _>(2).as_deref(),
        Some("disconnect")
    );
    let rows = sqlx::query(
        "SELECT video_width, video_height, video_codec, audio_codec, vendor_name, frame_rate, \
         keyframe_interval_ms, source_bitrate, ingest_protocol, video_b_frames \
         FROM stream_metadata WHERE stream_id = $1 ORDER BY recorded_at",
    )
    .bind(streams[0].get::<i64, _>(0))
    .fetch_all(&mut database)
    .await
    .unwrap();
    assert!(
        rows.len() >= 3,
        "a metadata record every second: {}",
        rows.len()
    );
    let last = &rows[rows.len() - 2];
    assert_eq!(
        (last.get::<i64, _>(0), last.get::<i64, _>(1)),
        (320, 240),
        "resolution from the SPS in the AVC sequence header"
    );
    assert_eq!(last.get::<String, _>(2), "H264");
    assert_eq!(last.get::<String, _>(3), "OPUS", "AAC-LC is transcoded");
    assert!(
        last.get::<String, _>(4).starts_with("Lavf"),
        "the encoder named in onMetaData: {}",
        last.get::<String, _>(4)
    );
    let fps = last.get::<f64, _>(5);
    assert!((20.0..30.0).contains(&fps), "about 25 fps, got {fps}");
    assert_eq!(last.get::<i64, _>(6), 1000, "a keyframe every second");
    assert!(last.get::<i64, _>(7) > 0);
    assert_eq!(last.get::<String, _>(8), "rtmp");
    assert_eq!(last.get::<i64, _>(9), 0, "no B-frames in this clip");
}

#[tokio::test]
async fn b_frames_are_flagged_on_the_stream_and_the_dashboard() {
    let temp = tempfile::tempdir().unwrap();
    let clip = make_clip(temp.path(), 8, 3);
    let server = Server::start_in(temp.path(), FAST);
    let port = server.rtmp_port.expect("RTMP is on by default");
    server.create_user("bframer", "password123", true);
    let key = server.stream_key("bframer");
    let browser = Browser::new(&server);
    assert_eq!(browser.login("bframer", "password123").await, 303);

    let mut ffmpeg = publish(&clip, port, &key);
    assert!(
        wait_until(10, || server.channel_status("bframer").starts_with("live ")),
        "a stream with B-frames still goes live"
    );
    let mut page = String::new();
    for _ in 0..50 {
        page = browser.get("/users/settings/dashboard").await.1;
        if page.contains("data-testid=\"b-frames-warning\"") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        page.contains("data-testid=\"b-frames-warning\""),
        "the dashboard warns: {page}"
    );
    assert!(page.contains("Set B-frames to 0"), "{page}");
    assert!(page.contains("zerolatency"), "names the x264 tune: {page}");
    assert!(
        page.contains("live over <strong data-testid=\"ingest-protocol\">RTMP</strong>"),
        "{page}"
    );
    let status = ffmpeg.wait().unwrap();
    assert!(
        status.success(),
        "ffmpeg failed: {}",
        stderr_of(&mut ffmpeg)
    );
    assert!(wait_until(5, || server.channel_status("bframer") == "offline"));

    let mut database = server.database().await;
    let flagged: i64 = sqlx::query_scalar("SELECT MAX(video_b_frames) FROM stream_metadata")
        .fetch_one(&mut database)
        .await
        .unwrap();
    assert_eq!(flagged, 1, "recorded on the stream's metadata");
    let page = browser.get("/users/settings/dashboard").await.1;
    assert!(
        !page.contains("data-testid=\"b-frames-warning\""),
        "the warning goes with the stream"
    );
}

#[tokio::test]
async fn a_wrong_key_is_refused_and_nothing_is_recorded() {
    let temp = tempfile::tempdir().unwrap();
    let clip = make_clip(temp.path(), 2, 0);
    let server = Server::start_in(temp.path(), FAST);
    let port = server.rtmp_port.unwrap();
    server.create_user("keyholder", "password123", true);
    let key = server.stream_key("keyholder");
    let (channel, _) = key.split_once('-').unwrap();

    for wrong in [
        format!("{channel}-{}", "x".repeat(64)),
        "nonsense".to_string(),
    ] {
        let mut ffmpeg = publish(&clip, port, &wrong);
        let status = ffmpeg.wait().unwrap();
        assert!(!status.success(), "ffmpeg must fail with key {wrong}");
        assert!(
            !stderr_of(&mut ffmpeg).is_empty(),
            "ffmpeg reports the refusal"
        );
    }
    assert_eq!(server.channel_status("keyholder"), "offline");
    let mut database = server.database().await;
    let count: i64 = sqlx::query("SELECT COUNT(*) FROM streams")
        .fetch_one(&mut database)
        .await
        .unwrap()
        .get(0);
    assert_eq!(count, 0, "no stream recorded for a refused key");

    // Garbage instead of a handshake: the connection is closed, the server carries on.
    let mut socket = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    socket.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    let mut reply = Vec::new();
    let read = socket.read_to_end(&mut reply);
    assert!(read.is_ok() && reply.is_empty(), "closed without a reply");
    assert!(server.channel_status("keyholder") == "offline");
}

#[test]
fn rtmp_can_be_switched_off() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_in(temp.path(), &[("SHIMMER_RTMP_ENABLED", "false")]);
    assert_eq!(server.rtmp_port, None);
}

/// `shimmer push --protocol rtmp` with `media` arguments, for `seconds`.
fn rtmp_push(port: u16, key: &str, media: &[&std::ffi::OsStr], seconds: &str) -> Child {
    shimmer()
        .args(["push", "--protocol", "rtmp", "--server"])
        .arg(format!("rtmp://127.0.0.1:{port}/live"))
        .args(["--key", key, "--duration", seconds])
        .args(media)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The latest metadata record's (protocol, audio codec, width, height).
async fn last_metadata(server: &Server) -> (String, String, i64, i64) {
    let mut database = server.database().await;
    sqlx::query_as(
        "SELECT ingest_protocol, audio_codec, video_width, video_height FROM stream_metadata \
         ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&mut database)
    .await
    .unwrap()
}

fn finished(mut child: Child) -> (bool, String, String) {
    let status = child.wait().unwrap();
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut out);
    }
    (status.success(), out, stderr_of(&mut child))
}

#[tokio::test]
async fn shimmer_push_publishes_over_rtmp_from_h264_and_opus_aac_or_flv() {
    let temp = tempfile::tempdir().unwrap();
    let (video, opus) = test_media();
    let clip = make_clip(temp.path(), 4, 0);
    let aac = temp.path().join("tone.aac");
    let flv = temp.path().join("clip.flv");
    for (args, out) in [
        (&["-vn", "-c:a", "copy", "-f", "adts"][..], &aac),
        (&["-c", "copy", "-f", "flv"][..], &flv),
    ] {
        let input = [OsStr::new("-i"), clip.as_os_str()];
        let output = args.iter().map(OsStr::new).chain([out.as_os_str()]);
        ffmpeg(input.into_iter().chain(output)).unwrap();
    }
    let server = Server::start_in(temp.path(), FAST);
    let port = server.rtmp_port.expect("RTMP is on by default");
    server.create_user("pusher", "password123", true);
    let key = server.stream_key("pusher");

    // H.264 + Opus: Opus goes over Enhanced RTMP and is passed through.
    let push = rtmp_push(
        port,
        &key,
        &[
            "--video".as_ref(),
            video.as_os_str(),
            "--audio".as_ref(),
            opus.as_os_str(),
        ],
        "4",
    );
    assert!(
        wait_until(10, || server.channel_status("pusher").starts_with("live ")),
        "live from shimmer push"
    );
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(
        last_metadata(&server).await,
        ("rtmp".into(), "OPUS".into(), 1280, 720)
    );
    let (ok, out, err) = finished(push);
    assert!(ok, "push failed: {err}");
    assert!(out.contains("\"protocol\":\"rtmp\""), "{out}");
    assert!(
        wait_until(5, || server.channel_status("pusher") == "offline"),
        "offline when the push ends"
    );

    // H.264 + ADTS AAC: the AAC is transcoded.
    let push = rtmp_push(
        port,
        &key,
        &[
            "--video".as_ref(),
            video.as_os_str(),
            "--audio".as_ref(),
            aac.as_os_str(),
        ],
        "3",
    );
    assert!(wait_until(10, || server
        .channel_status("pusher")
        .starts_with("live ")));
    std::thread::sleep(Duration::from_millis(2000));
    assert_eq!(
        last_metadata(&server).await,
        ("rtmp".into(), "OPUS".into(), 1280, 720)
    );
    assert!(finished(push).0);
    assert!(wait_until(5, || server.channel_status("pusher") == "offline"));

    // An FLV file, sent as it is.
    let push = rtmp_push(port, &key, &["--flv".as_ref(), flv.as_os_str()], "3");
    assert!(wait_until(10, || server
        .channel_status("pusher")
        .starts_with("live ")));
    std::thread::sleep(Duration::from_millis(2000));
    assert_eq!(
        last_metadata(&server).await,
        ("rtmp".into(), "OPUS".into(), 320, 240)
    );
    assert!(finished(push).0);
    assert!(wait_until(5, || server.channel_status("pusher") == "offline"));

    // A wrong key: refused by name, non-zero exit.
    let wrong = format!("{}x", key);
    let (ok, _, err) = finished(rtmp_push(
        port,
        &wrong,
        &["--flv".as_ref(), flv.as_os_str()],
        "2",
    ));
    assert!(!ok);
    assert!(err.contains("NetStream.Publish.BadName"), "{err}");
}

#[tokio::test]
async fn an_rtmp_stream_over_the_bitrate_cap_is_ended() {
    let temp = tempfile::tempdir().unwrap();
    let (video, audio) = test_media();
    // The test media is 2.5 Mbit/s; the cap (FTL's, shared by every protocol) is 500 kbit/s.
    let server = Server::start_in(
        temp.path(),
        &[
            ("SHIMMER_FTL__METADATA_INTERVAL_MS", "1000"),
            ("SHIMMER_FTL__MAX_BITRATE_BPS", "500000"),
        ],
    );
    let port = server.rtmp_port.expect("RTMP is on by default");
    server.create_user("greedy", "password123", true);
    let key = server.stream_key("greedy");
    let push = rtmp_push(
        port,
        &key,
        &[
            "--video".as_ref(),
            video.as_os_str(),
            "--audio".as_ref(),
            audio.as_os_str(),
            "--loop".as_ref(),
        ],
        "20",
    );
    assert!(wait_until(10, || server
        .channel_status("greedy")
        .starts_with("live ")));
    assert!(
        wait_until(10, || server.channel_status("greedy") == "offline"),
        "ended within a few metadata intervals"
    );
    let _ = finished(push);
    let mut database = server.database().await;
    let reason: Option<String> = sqlx::query_scalar("SELECT end_reason FROM streams")
        .fetch_one(&mut database)
        .await
        .unwrap();
    assert_eq!(reason.as_deref(), Some("bitrate_exceeded"));
}
