//! FTL ingest end to end: `shimmer push` streams ffmpeg-made H.264 and Opus into a real server,
//! and the channel goes live and offline in the database, on the channel page and on the bus.

mod support;

use std::io::Read;
use std::time::Duration;

use sqlx::Row;
use support::{push, wait_until, Browser, Server};

const FAST: &[(&str, &str)] = &[
    ("SHIMMER_FTL__METADATA_INTERVAL_MS", "1000"),
    ("SHIMMER_FTL__BITRATE_WINDOW_MS", "3000"),
    ("SHIMMER_FTL__MEDIA_TIMEOUT_MS", "2000"),
];

async fn stream_rows(server: &Server) -> Vec<(i64, Option<i64>, Option<String>)> {
    let mut database = server.database().await;
    sqlx::query("SELECT id, ended_at, end_reason FROM streams ORDER BY id")
        .fetch_all(&mut database)
        .await
        .unwrap()
        .into_iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect()
}

#[tokio::test]
async fn a_pushed_stream_goes_live_reports_metadata_and_ends_on_disconnect() {
    let (server, port) = Server::start_with_ftl(FAST);
    server.create_user("caster", "password123", true);
    server.create_user("bystander", "password123", true);
    let key = server.stream_key("caster");
    let channel_id = key.split_once('-').unwrap().0.to_owned();
    let (_, home) = Browser::new(&server).get("/").await;
    assert!(
        !home.contains("/caster\"") && !home.contains("/bystander\""),
        "accounts that never streamed are not listed as channels"
    );

    // Listen on the channel's event feed (the bus, as pages see it) before going live.
    let mut response = reqwest::get(server.url(&format!("/api/channels/{channel_id}/events")))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let events = tokio::spawn(async move {
        let mut feed = String::new();
        let read = async {
            while let Ok(Some(chunk)) = response.chunk().await {
                feed.push_str(&String::from_utf8_lossy(&chunk));
                if feed.contains("stream_ended") {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(30), read).await;
        feed
    });

    let mut client = push(port, &key, &["--loop", "--duration", "7"]);
    assert!(
        wait_until(10, || server.channel_status("caster").starts_with("live ")),
        "the channel goes live"
    );
    let browser = Browser::new(&server);
    let (_, page) = browser.get("/caster").await;
    assert!(page.contains("data-live=\"true\""));
    let (_, home) = browser.get("/").await;
    assert!(home.contains("Live now"));

    let status = client.wait().unwrap();
    let mut output = String::new();
    client
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut output)
        .unwrap();
    assert!(status.success(), "push failed: {output}");
    assert!(
        wait_until(5, || server.channel_status("caster") == "offline"),
        "offline after DISCONNECT"
    );
    let (_, home) = Browser::new(&server).get("/").await;
    assert!(
        home.contains("Recently live") && home.contains("href=\"/caster\""),
        "the streamer is listed once they have streamed"
    );
    assert!(!home.contains("href=\"/bystander\""), "a viewer is not");
    let streams = stream_rows(&server).await;
    assert_eq!(streams.len(), 1);
    assert!(streams[0].1.is_some(), "the stream record is closed");
    assert_eq!(streams[0].2.as_deref(), Some("disconnect"));

    let mut database = server.database().await;
    let rows = sqlx::query(
        "SELECT video_width, video_height, video_codec, audio_codec, source_bitrate, vendor_name \
         FROM stream_metadata WHERE stream_id = $1 ORDER BY recorded_at",
    )
    .bind(streams[0].0)
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
        (1280, 720),
        "resolution from the SPS"
    );
    assert_eq!(
        (
            last.get::<String, _>(2).as_str(),
            last.get::<String, _>(3).as_str()
        ),
        ("H264", "OPUS")
    );
    assert_eq!(last.get::<String, _>(5), "shimmer-push");
    let (video, audio) = support::test_media();
    let file_bits =
        (std::fs::metadata(video).unwrap().len() + std::fs::metadata(audio).unwrap().len()) * 8;
    let file_bitrate = file_bits as f64 / 6.0;
    let measured = last.get::<i64, _>(4) as f64;
    assert!(
        (measured - file_bitrate).abs() / file_bitrate < 0.10,
        "bitrate {measured} within 10% of the file's {file_bitrate}"
    );

    let feed = events.await.unwrap();
    assert!(feed.contains("\"type\":\"status\""), "{feed}");
    assert!(feed.contains("\"type\":\"stream_started\""), "{feed}");
    assert!(
        feed.contains("\"type\":\"stream_ended\"") && feed.contains("\"reason\":\"disconnect\""),
        "{feed}"
    );
}

#[tokio::test]
async fn loss_is_recovered_and_counted() {
    let (server, port) = Server::start_with_ftl(FAST);
    server.create_user("lossy", "password123", true);
    let mut client = push(
        port,
        &server.stream_key("lossy"),
        &["--loop", "--duration", "5", "--loss", "5"],
    );
    let status = client.wait().unwrap();
    let mut output = String::new();
    client
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut output)
        .unwrap();
    assert!(status.success(), "{output}");
    let summary: serde_json::Value = serde_json::from_str(output.trim()).unwrap();
    assert!(
        summary["packets_dropped"].as_u64().unwrap() > 20,
        "{summary}"
    );
    assert!(
        summary["packets_resent"].as_u64().unwrap() > 0,
        "the server asked for the drops: {summary}"
    );

    let streams = stream_rows(&server).await;
    let mut database = server.database().await;
    let row = sqlx::query(
        "SELECT lost_packets, recovered_packets, nack_packets FROM stream_metadata WHERE stream_id = $1 \
         ORDER BY recorded_at DESC LIMIT 1",
    )
    .bind(streams[0].0)
    .fetch_one(&mut database)
    .await
    .unwrap();
    let (lost, recovered, nacked): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    assert!(
        lost > 0 && recovered > 0 && nacked >= lost,
        "lost {lost}, recovered {recovered}, nacked {nacked}"
    );
    assert!(
        recovered as f64 >= lost as f64 * 0.95,
        "nearly every loss is recovered: {lost} lost, {recovered} recovered"
    );
}

#[tokio::test]
async fn a_killed_client_times_out_and_a_stopped_server_closes_the_stream() {
    let (mut server, port) = Server::start_with_ftl(FAST);
    server.create_user("quitter", "password123", true);
    let key = server.stream_key("quitter");

    let mut client = push(port, &key, &["--loop"]);
    assert!(wait_until(10, || server
        .channel_status("quitter")
        .starts_with("live ")));
    client.kill().unwrap();
    client.wait().unwrap();
    assert!(
        wait_until(10, || server.channel_status("quitter") == "offline"),
        "a vanished client ends the stream"
    );
    // The kernel closes the killed client's TCP connection, so the server sees it go (rather
    // than waiting out the media timeout).
    let first = &stream_rows(&server).await[0];
    assert!(first.1.is_some());
    assert!(
        matches!(first.2.as_deref(), Some("disconnect" | "timeout")),
        "{first:?}"
    );

    let mut client = push(port, &key, &["--loop"]);
    assert!(wait_until(10, || server
        .channel_status("quitter")
        .starts_with("live ")));
    assert!(
        server.stop(),
        "the server shuts down cleanly while a stream is live"
    );
    let _ = client.kill();
    let _ = client.wait();
    assert_eq!(server.channel_status("quitter"), "offline");
    let streams = stream_rows(&server).await;
    assert_eq!(streams.len(), 2);
    assert_eq!(streams[1].2.as_deref(), Some("shutdown"));
}

#[tokio::test]
async fn unconfirmed_accounts_and_wrong_keys_cannot_stream() {
    let (server, port) = Server::start_with_ftl(FAST);
    server.create_user("newbie", "password123", false);
    server.create_user("other", "password123", true);
    let mut client = push(port, &server.stream_key("newbie"), &["--duration", "2"]);
    assert!(!client.wait().unwrap().success());
    let mut stderr = String::new();
    client
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("401"), "{stderr}");
    assert_eq!(server.channel_status("newbie"), "offline");

    let other_key = server.stream_key("other");
    let (channel, _) = other_key.split_once('-').unwrap();
    let forged = format!("{channel}-{}", "x".repeat(64));
    let mut client = push(port, &forged, &["--duration", "2"]);
    assert!(!client.wait().unwrap().success());
    let mut stderr = String::new();
    client
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("405") || stderr.contains("401"), "{stderr}");
    assert_eq!(server.channel_status("other"), "offline");
    std::thread::sleep(Duration::from_millis(10));
}

#[tokio::test]
async fn adjacent_channels_stream_from_one_host_at_once() {
    // Encoders number audio and video SSRCs from the channel id, so channels 1 and 2 share
    // SSRC 2 when both stream from one address.
    let (server, port) = Server::start_with_ftl(FAST);
    server.create_user("first", "password123", true);
    server.create_user("second", "password123", true);
    assert!(
        server.stream_key("first").starts_with("1-")
            && server.stream_key("second").starts_with("2-")
    );
    let mut one = push(
        port,
        &server.stream_key("first"),
        &["--loop", "--duration", "4"],
    );
    let mut two = push(
        port,
        &server.stream_key("second"),
        &["--loop", "--duration", "4"],
    );
    assert!(wait_until(10, || {
        server.channel_status("first").starts_with("live ")
            && server.channel_status("second").starts_with("live ")
    }));
    for client in [&mut one, &mut two] {
        let status = client.wait().unwrap();
        let mut stderr = String::new();
        client
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert!(status.success(), "{stderr}");
    }
    let mut database = server.database().await;
    let rows = sqlx::query(
        "SELECT s.channel_id, MAX(m.recv_packets), MAX(m.video_width) FROM streams s \
         JOIN stream_metadata m ON m.stream_id = s.id GROUP BY s.channel_id ORDER BY s.channel_id",
    )
    .fetch_all(&mut database)
    .await
    .unwrap();
    assert_eq!(rows.len(), 2, "both streams reported metadata");
    for row in rows {
        assert!(
            row.get::<i64, _>(1) > 100,
            "channel {} received media",
            row.get::<i64, _>(0)
        );
        assert_eq!(row.get::<i64, _>(2), 1280);
    }
}
