//! WHIP ingest end to end against a real `shimmer serve`: `shimmer push --protocol whip` goes
//! live, the metadata records the stream, a str0m WHEP viewer receives video and Opus, a
//! viewer's PLI reaches the publisher, DELETE ends the stream; bad keys, bad SDP and unusable
//! codecs are refused clearly; a second publisher replaces the first (the FTL/RTMP rule); only
//! the resource's own URL (and, when a bearer is sent, its own key) ends a session.

mod support;

use std::process::{Child, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use shimmer_testkit::whep_client::{run_viewer, ViewerOptions};
use shimmer_webrtc::publisher::{run_publisher, PublishOptions, PublishReport};
use shimmer_webrtc::source::TestFrames;
use sqlx::Row;
use support::{shimmer, test_media, wait_until, Server};
use tokio::sync::watch;

const FAST: &[(&str, &str)] = &[("SHIMMER_FTL__METADATA_INTERVAL_MS", "1000")];

/// `shimmer push --protocol whip --loop` of the test media.
fn push_whip(server: &Server, key: &str) -> Child {
    let (video, audio) = test_media();
    shimmer()
        .args(["push", "--protocol", "whip", "--loop", "--server"])
        .arg(server.url("/api/whip"))
        .args(["--key", key, "--video"])
        .arg(video)
        .arg("--audio")
        .arg(audio)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn frames() -> Arc<TestFrames> {
    let (video, audio) = test_media();
    let frames = TestFrames::from_bytes(
        &std::fs::read(video).unwrap(),
        &std::fs::read(audio).unwrap(),
        30.0,
    )
    .unwrap();
    Arc::new(frames)
}

/// An in-process publisher that loops until told to stop; returns the task, its stop switch
/// and a receiver of its resource URL.
fn publisher(
    server: &Server,
    key: &str,
) -> (
    tokio::task::JoinHandle<PublishReport>,
    watch::Sender<bool>,
    watch::Receiver<Option<String>>,
) {
    let (stop_tx, stop_rx) = watch::channel(false);
    let (url_tx, url_rx) = watch::channel(None);
    let mut options = PublishOptions::new(server.url("/api/whip"), Some(key.into()), frames());
    options.looping = true;
    options.stop = Some(stop_rx);
    options.resource_url_to = Some(Arc::new(url_tx));
    let task = tokio::spawn(async move { run_publisher(&reqwest::Client::new(), &options).await });
    (task, stop_tx, url_rx)
}

async fn resource_url(rx: &mut watch::Receiver<Option<String>>) -> String {
    let url = tokio::time::timeout(Duration::from_secs(10), rx.wait_for(|u| u.is_some()))
        .await
        .expect("the POST answered in time")
        .expect("the publisher is running");
    url.clone().unwrap()
}

async fn stream_rows(server: &Server) -> Vec<(i64, Option<String>)> {
    let mut database = server.database().await;
    sqlx::query("SELECT id, end_reason FROM streams ORDER BY id")
        .fetch_all(&mut database)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// An OBS-like offer (sendonly Opus and video, one host candidate) with the given video codec.
fn offer_with_video(rtpmap: &str, fmtp: &str) -> String {
    format!(
        "v=0\r\no=rtc 2937419162 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
a=group:BUNDLE 0 1\r\na=msid-semantic:WMS *\r\na=setup:actpass\r\n\
a=ice-ufrag:Wb3y\r\na=ice-pwd:n2eHYZg4Nv3oq2DzVn6fjc\r\n\
a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n\
m=audio 50000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 127.0.0.1\r\na=mid:0\r\na=sendonly\r\n\
a=ssrc:1001 cname:obs\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n\
a=fmtp:111 minptime=10;useinbandfec=1\r\n\
a=candidate:1 1 UDP 2122317823 127.0.0.1 50000 typ host\r\n\
m=video 50000 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 127.0.0.1\r\na=mid:1\r\na=sendonly\r\n\
a=ssrc:1002 cname:obs\r\na=rtcp-mux\r\na=rtpmap:96 {rtpmap}\r\na=rtcp-fb:96 nack\r\n\
a=rtcp-fb:96 nack pli\r\n{fmtp}"
    )
}

async fn post_offer(
    server: &Server,
    path: &str,
    bearer: Option<&str>,
    body: &str,
) -> (u16, String, reqwest::header::HeaderMap) {
    let mut req = reqwest::Client::new()
        .post(server.url(path))
        .header("content-type", "application/sdp")
        .body(body.to_owned());
    if let Some(b) = bearer {
        req = req.bearer_auth(b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, res.text().await.unwrap(), headers)
}

fn json_error(body: &str) -> String {
    let value: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|_| panic!("a JSON error, got {body:?}"));
    value["error"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn push_over_whip_goes_live_plays_reports_and_ends_on_delete() {
    let server = Server::start_with_ftl(FAST).0;
    server.create_user("whipcaster", "password123", true);
    let key = server.stream_key("whipcaster");
    let mut push = push_whip(&server, &key);
    assert!(
        wait_until(15, || server
            .channel_status("whipcaster")
            .starts_with("live ")),
        "the channel goes live"
    );

    // A WHEP viewer gets video from a keyframe on, and Opus; its PLI reaches the publisher.
    let mut viewer = ViewerOptions::new(server.url("/api/whep/whipcaster"), Duration::from_secs(4));
    viewer.pli_after = Some(Duration::from_millis(1500));
    let seen = run_viewer(&reqwest::Client::new(), &viewer).await;
    assert_eq!(seen.status, 201, "{seen:?}");
    assert!(seen.connected, "{seen:?}");
    assert_eq!(seen.first_video_is_keyframe, Some(true), "{seen:?}");
    assert!(seen.video.packets > 100, "video: {:?}", seen.video);
    assert!(seen.audio.packets > 100, "audio: {:?}", seen.audio);
    assert!(
        seen.keyframes_after_pli >= 1,
        "a keyframe follows the PLI: {seen:?}"
    );

    // Metrics per protocol, labelled by channel like FTL's.
    let metrics = server.metrics().await;
    for name in [
        "shimmer_whip_sessions 1",
        "shimmer_whip_packets_received_total{",
        "shimmer_whip_plis_sent_total{",
        "shimmer_whip_bitrate_bps{",
    ] {
        assert!(metrics.contains(name), "{name} in /metrics");
    }

    // Metadata: the resolution from the SPS, codecs, the vendor from the User-Agent.
    let mut database = server.database().await;
    let rows = sqlx::query(
        "SELECT video_width, video_height, video_codec, audio_codec, vendor_name, \
         source_bitrate, frame_rate, ingest_protocol, video_b_frames FROM stream_metadata \
         ORDER BY recorded_at",
    )
    .fetch_all(&mut database)
    .await
    .unwrap();
    assert!(
        rows.len() >= 2,
        "a metadata record every second: {}",
        rows.len()
    );
    let last = rows.last().unwrap();
    assert_eq!(
        (last.get::<i64, _>(0), last.get::<i64, _>(1)),
        (1280, 720),
        "resolution from the SPS"
    );
    assert_eq!(last.get::<String, _>(2), "H264");
    assert_eq!(last.get::<String, _>(3), "OPUS");
    assert_eq!(last.get::<String, _>(4), "shimmer-push");
    assert!(
        last.get::<i64, _>(5) > 500_000,
        "bitrate {}",
        last.get::<i64, _>(5)
    );
    let fps = last.get::<f64, _>(6);
    assert!((15.0..45.0).contains(&fps), "about 30 fps, got {fps}");
    assert_eq!(last.get::<String, _>(7), "whip");
    assert!(!last.get::<bool, _>(8), "x264 without B-frames");

    // Ctrl-C: push DELETEs its resource; the channel is offline within 5 s.
    let stopped = Instant::now();
    let _ = std::process::Command::new("kill")
        .args(["-INT", &push.id().to_string()])
        .status();
    let output = tokio::task::spawn_blocking(move || {
        let status = push.wait().unwrap();
        let mut out = String::new();
        use std::io::Read;
        push.stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        (status, out)
    })
    .await
    .unwrap();
    assert!(output.0.success(), "push exits cleanly: {}", output.1);
    let report: serde_json::Value = serde_json::from_str(output.1.trim()).unwrap();
    assert_eq!(report["delete_status"], 200, "{report}");
    assert!(
        report["keyframe_requests"].as_u64().unwrap() >= 1,
        "the viewer's PLI reached the encoder: {report}"
    );
    assert!(
        wait_until(5, || server.channel_status("whipcaster") == "offline"),
        "offline within 5 s"
    );
    assert!(stopped.elapsed() < Duration::from_secs(5));
    let streams = stream_rows(&server).await;
    assert_eq!(streams.len(), 1);
    assert_eq!(streams[0].1.as_deref(), Some("disconnect"));
}

#[tokio::test]
async fn bad_keys_bad_sdp_and_unusable_codecs_are_refused_clearly() {
    let server = Server::start_with_ftl(FAST).0;
    server.create_user("refused", "password123", true);
    let key = server.stream_key("refused");
    let (channel, _) = key.split_once('-').unwrap();
    let h264 = offer_with_video(
        "H264/90000",
        "a=fmtp:96 profile-level-id=640c1f;packetization-mode=1;level-asymmetry-allowed=1\r\n",
    );

    let wrong = format!("{channel}-{}", "x".repeat(40));
    for (path, bearer) in [
        ("/api/whip", None),
        ("/api/whip", Some(wrong.as_str())),
        ("/api/whip", Some("nonsense")),
        ("/api/whip/nonsense", None),
    ] {
        let (status, body, headers) = post_offer(&server, path, bearer, &h264).await;
        assert_eq!(status, 401, "{path} {bearer:?}: {body}");
        assert_eq!(headers["content-type"], "application/json");
        assert!(json_error(&body).contains("stream key"), "{body}");
    }

    let (status, body, _) = post_offer(&server, "/api/whip", Some(&key), "hello, world").await;
    assert_eq!(status, 400, "{body}");
    assert!(json_error(&body).contains("not valid SDP"), "{body}");

    let vp8 = offer_with_video("VP8/90000", "");
    let (status, body, _) = post_offer(&server, "/api/whip", Some(&key), &vp8).await;
    assert_eq!(status, 400, "{body}");
    let message = json_error(&body);
    assert!(
        message.contains("VP8") && message.contains("H.264"),
        "names the codec offered and the one needed: {message}"
    );

    let res = reqwest::Client::new()
        .post(server.url("/api/whip"))
        .bearer_auth(&key)
        .header("content-type", "text/plain")
        .body(h264.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);

    // CORS preflight, as for WHEP.
    let res = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, server.url("/api/whip"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert!(res.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("Authorization"));

    assert_eq!(server.channel_status("refused"), "offline");
    assert!(stream_rows(&server).await.is_empty(), "nothing recorded");

    // The key in the path works as well as the bearer: 201, SDP answer, Location.
    let (status, body, headers) =
        post_offer(&server, &format!("/api/whip/{key}"), None, &h264).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(headers["content-type"], "application/sdp");
    assert!(body.starts_with("v=0"), "{body}");
    let location = headers["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/api/whip/sessions/"), "{location}");
    // Trickle candidates: 204; an ICE restart: 405 with the reason.
    let patch = |body: &'static str| {
        reqwest::Client::new()
            .patch(server.url(&location))
            .header("content-type", "application/trickle-ice-sdpfrag")
            .body(body)
            .send()
    };
    let res = patch("a=mid:0\r\na=candidate:2 1 UDP 1 127.0.0.1 50001 typ host\r\n")
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = patch("a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n")
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert!(json_error(&res.text().await.unwrap()).contains("ICE restart"));
    let res = reqwest::Client::new()
        .delete(server.url(&location))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(wait_until(5, || server.channel_status("refused") == "offline"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_publisher_replaces_the_first_and_only_the_resource_url_ends_it() {
    let server = Server::start_with_ftl(FAST).0;
    server.create_user("owner", "password123", true);
    server.create_user("other", "password123", true);
    let key = server.stream_key("owner");
    let other_key = server.stream_key("other");
    let http = reqwest::Client::new();

    let (first, _stop_first, mut first_url) = publisher(&server, &key);
    let first_url = resource_url(&mut first_url).await;
    assert!(wait_until(10, || server
        .channel_status("owner")
        .starts_with("live ")));

    // Unknown resource, another channel's key, a wrong key: refused; the stream stays live.
    let unknown = server.url(&format!("/api/whip/sessions/{}", "0".repeat(32)));
    assert_eq!(http.delete(&unknown).send().await.unwrap().status(), 404);
    let wrong = format!("{}-wrong", key.split_once('-').unwrap().0);
    for bearer in [other_key.as_str(), wrong.as_str()] {
        let res = http
            .delete(&first_url)
            .bearer_auth(bearer)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "bearer {bearer}");
    }
    assert!(server.channel_status("owner").starts_with("live "));

    // A second publisher with the key: 201, it replaces the first (as FTL and RTMP do).
    let (second, stop_second, mut second_url) = publisher(&server, &key);
    let second_url = resource_url(&mut second_url).await;
    let first = tokio::time::timeout(Duration::from_secs(10), first)
        .await
        .expect("the replaced publisher is told")
        .unwrap();
    assert!(first.ended_by_server, "{first:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let rows = loop {
        let rows = stream_rows(&server).await;
        if rows.len() == 2 || Instant::now() > deadline {
            break rows;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].1.as_deref(), Some("replaced"), "{rows:?}");
    assert_eq!(rows[1].1, None, "{rows:?}");
    assert!(server.channel_status("owner").starts_with("live "));
    assert_eq!(http.delete(&first_url).send().await.unwrap().status(), 404);

    // The resource's own URL with its own key ends it.
    let res = http
        .delete(&second_url)
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(wait_until(5, || server.channel_status("owner") == "offline"));
    let _ = stop_second.send(true);
    let second = second.await.unwrap();
    assert!(second.connected, "{second:?}");
    let rows = stream_rows(&server).await;
    assert_eq!(rows[1].1.as_deref(), Some("disconnect"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_ends_a_whip_stream() {
    let mut server = Server::start_with_ftl(FAST).0;
    server.create_user("shutdown", "password123", true);
    let key = server.stream_key("shutdown");
    let (task, _stop, mut url) = publisher(&server, &key);
    resource_url(&mut url).await;
    assert!(wait_until(10, || server
        .channel_status("shutdown")
        .starts_with("live ")));
    assert!(server.stop(), "a clean exit");
    let report = tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .unwrap()
        .unwrap();
    assert!(report.ended_by_server, "{report:?}");
    let rows = stream_rows(&server).await;
    assert_eq!(rows[0].1.as_deref(), Some("shutdown"));
}

#[tokio::test]
async fn whip_can_be_switched_off() {
    let server = Server::start_with_ftl(&[("SHIMMER_WHIP_ENABLED", "false")]).0;
    server.create_user("nowhip", "password123", true);
    let key = server.stream_key("nowhip");
    let h264 = offer_with_video(
        "H264/90000",
        "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1\r\n",
    );
    let (status, _, _) = post_offer(&server, "/api/whip", Some(&key), &h264).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_whip_stream_over_the_bitrate_cap_is_ended() {
    // The test media is 2.5 Mbit/s; the cap (FTL's, shared by every protocol) is 500 kbit/s.
    let server = Server::start_with_ftl(&[
        ("SHIMMER_FTL__METADATA_INTERVAL_MS", "1000"),
        ("SHIMMER_FTL__MAX_BITRATE_BPS", "500000"),
    ])
    .0;
    server.create_user("greedy", "password123", true);
    let key = server.stream_key("greedy");
    let mut push = push_whip(&server, &key);
    assert!(wait_until(10, || server
        .channel_status("greedy")
        .starts_with("live ")));
    assert!(
        wait_until(10, || server.channel_status("greedy") == "offline"),
        "ended within a few metadata intervals"
    );
    let _ = push.kill();
    let _ = push.wait();
    assert_eq!(
        stream_rows(&server).await.last().unwrap().1.as_deref(),
        Some("bitrate_exceeded")
    );
}
