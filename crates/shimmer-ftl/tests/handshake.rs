//! Control-connection behaviour against the real server on ephemeral ports.

mod common;

use std::time::Duration;

use common::*;
use shimmer_ftl::ingest_control::StreamEndReason;
use shimmer_ftl::StartError;

#[tokio::test]
async fn happy_path_ping_and_disconnect() {
    let s = start_server(test_config(), MemoryControl::with_channels(&[42])).await;
    let mut c = Raw::connect(s.control_addr).await;
    let reply = c.handshake(42).await.unwrap();
    assert!(reply.starts_with("200 hi. Use UDP port "), "{reply}");
    assert_eq!(port_of(&reply), s.media_port);
    assert!(s.hubs.get(42).is_some(), "hub created");
    c.send("PING 42").await;
    assert_eq!(c.reply().await.as_deref(), Some("201"));
    c.send("DISCONNECT").await;
    assert_eq!(
        s.platform.wait_ends(1).await,
        vec![(42, StreamEndReason::Disconnect)]
    );
    assert!(s.hubs.get(42).is_none(), "hub removed");
}

async fn refused(s: &TestServer, f: impl AsyncFnOnce(&mut Raw) -> Option<String>) -> String {
    let mut c = Raw::connect(s.control_addr).await;
    let r = f(&mut c).await.unwrap_or_default();
    assert!(c.closed().await, "connection closed after {r}");
    r
}

#[tokio::test]
async fn every_failure_code() {
    let s = start_server(test_config(), MemoryControl::with_channels(&[42, 50])).await;
    // 405: wrong key, unknown channel.
    assert_eq!(
        refused(&s, async |c| c.auth(42, "wrong").await).await,
        "405"
    );
    assert_eq!(refused(&s, async |c| c.auth(7, SECRET).await).await, "405");
    // 400: malformed CONNECT, garbage, binary, oversized line, bad announcement.
    assert_eq!(
        refused(&s, async |c| {
            c.send("HMAC").await;
            c.reply().await;
            c.send("CONNECT 42 nothex").await;
            c.reply().await
        })
        .await,
        "400"
    );
    assert_eq!(
        refused(&s, async |c| {
            c.send("GET / HTTP/1.1").await;
            c.reply().await
        })
        .await,
        "400"
    );
    assert_eq!(
        refused(&s, async |c| {
            use tokio::io::AsyncWriteExt;
            c.stream
                .write_all(&[0xff, 0xfe, 0x00, b'\n'])
                .await
                .unwrap();
            c.reply().await
        })
        .await,
        "400"
    );
    assert_eq!(
        refused(&s, async |c| {
            use tokio::io::AsyncWriteExt;
            // 100 kB without a newline.
            let _ = c.stream.write_all(&vec![b'A'; 100_000]).await;
            c.reply().await
        })
        .await,
        "400"
    );
    assert_eq!(
        refused(&s, async |c| {
            c.auth(42, SECRET).await;
            c.send("Video: true").await;
            c.send("VideoCodec: VP8").await;
            c.send(".").await;
            c.reply().await
        })
        .await,
        "400"
    );
    // 401: '.' before authentication; platform refuses the channel.
    assert_eq!(
        refused(&s, async |c| {
            c.send(".").await;
            c.reply().await
        })
        .await,
        "401"
    );
    *s.platform.refuse.lock().unwrap() =
        Some(StartError::NotAuthorized("email unconfirmed".into()));
    assert_eq!(refused(&s, async |c| c.handshake(42).await).await, "401");
    *s.platform.refuse.lock().unwrap() = Some(StartError::Internal("db down".into()));
    assert_eq!(refused(&s, async |c| c.handshake(42).await).await, "500");
    *s.platform.refuse.lock().unwrap() = None;
    // 404: another live stream from this address already uses the video SSRC.
    let mut live = Raw::connect(s.control_addr).await;
    assert!(live.handshake(42).await.unwrap().starts_with("200 hi"));
    assert_eq!(
        refused(&s, async |c| {
            c.auth(50, SECRET).await;
            for a in [
                "Video: true",
                "VideoCodec: H264",
                "VideoPayloadType: 96",
                "VideoIngestSSRC: 43",
            ] {
                c.send(a).await;
            }
            c.send(".").await;
            c.reply().await
        })
        .await,
        "404"
    );
    // The live stream was unaffected by all of this.
    live.send("PING 42").await;
    assert_eq!(live.reply().await.as_deref(), Some("201"));
    assert!(s.platform.ends().is_empty());
}

#[tokio::test]
async fn attribute_flood_is_refused() {
    let s = start_server(test_config(), MemoryControl::with_channels(&[42])).await;
    let mut c = Raw::connect(s.control_addr).await;
    c.auth(42, SECRET).await;
    for i in 0..10_000 {
        c.send(&format!("Flood{i}: x")).await;
    }
    assert_eq!(c.reply().await.as_deref(), Some("400"));
    assert!(c.closed().await);
    assert!(s.platform.calls().is_empty(), "no stream started");
}

#[tokio::test]
async fn missing_dot_times_out_the_handshake() {
    let config = shimmer_ftl::FtlConfig {
        handshake_timeout_ms: 300,
        ..test_config()
    };
    let s = start_server(config, MemoryControl::with_channels(&[42])).await;
    let mut c = Raw::connect(s.control_addr).await;
    c.auth(42, SECRET).await;
    c.send("Video: true").await;
    let t = std::time::Instant::now();
    assert_eq!(c.reply().await.as_deref(), Some("410"));
    assert!(t.elapsed() < Duration::from_secs(2));
    assert!(c.closed().await);
    // A silent connection is closed too.
    let mut idle = Raw::connect(s.control_addr).await;
    assert_eq!(idle.reply().await.as_deref(), Some("410"));
}

#[tokio::test]
async fn no_media_ends_the_stream_with_408() {
    let config = shimmer_ftl::FtlConfig {
        media_start_timeout_ms: 300,
        ..test_config()
    };
    let s = start_server(config, MemoryControl::with_channels(&[42])).await;
    let mut c = Raw::connect(s.control_addr).await;
    assert!(c.handshake(42).await.unwrap().starts_with("200 hi"));
    assert_eq!(c.reply().await.as_deref(), Some("408"));
    assert_eq!(
        s.platform.wait_ends(1).await,
        vec![(42, StreamEndReason::Timeout)]
    );
}

#[tokio::test]
async fn new_connection_replaces_the_live_one() {
    let s = start_server(test_config(), MemoryControl::with_channels(&[42])).await;
    let mut first = Raw::connect(s.control_addr).await;
    assert!(first.handshake(42).await.unwrap().starts_with("200 hi"));
    let hub1 = s.hubs.get(42).unwrap();
    let mut second = Raw::connect(s.control_addr).await;
    assert!(second.handshake(42).await.unwrap().starts_with("200 hi"));
    assert_eq!(first.reply().await.as_deref(), Some("410"));
    assert!(hub1.is_ended());
    let hub2 = s.hubs.get(42).unwrap();
    assert!(!hub2.is_ended());
    use common::Call;
    let calls = s.platform.calls();
    assert_eq!(calls[0], Call::Start(42));
    assert_eq!(
        calls[1],
        Call::End(42, 1, StreamEndReason::Replaced),
        "old ended before new started"
    );
    assert_eq!(calls[2], Call::Start(42));
}

#[tokio::test]
async fn shutdown_ends_every_live_stream_before_returning() {
    let s = start_server(test_config(), MemoryControl::with_channels(&[42, 50])).await;
    let mut a = Raw::connect(s.control_addr).await;
    let mut b = Raw::connect(s.control_addr).await;
    assert!(a.handshake(42).await.unwrap().starts_with("200 hi"));
    assert!(b.handshake(50).await.unwrap().starts_with("200 hi"));
    s.shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(5), s.task)
        .await
        .unwrap()
        .unwrap();
    let mut ends = s.platform.ends();
    ends.sort_by_key(|e| e.0);
    assert_eq!(
        ends,
        vec![
            (42, StreamEndReason::Shutdown),
            (50, StreamEndReason::Shutdown)
        ]
    );
    assert_eq!(a.reply().await.as_deref(), Some("410"));
    assert!(s.hubs.is_empty());
}
