//! End-to-end playback over real UDP: str0m viewers against the engine, media from ffmpeg.

mod support;

use std::time::Duration;

use futures::StreamExt;
use shimmer_bus::{Bus, Event};
use shimmer_media::SubscriberOptions;
use shimmer_testkit::whep_client::{run_viewer, ViewerOptions};
use shimmer_webrtc::WebRtcConfig;
use support::Server;

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

/// Loopback with every viewer on one driver, so the viewers of a test share it.
fn one_driver() -> WebRtcConfig {
    WebRtcConfig {
        viewer_drivers: 1,
        ..WebRtcConfig::loopback()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewer_starts_on_keyframe_gets_audio_and_rewritten_headers() {
    let server = Server::start(WebRtcConfig::loopback()).await;
    let mut events = server.bus.subscribe().await.unwrap();
    let _hub = server.go_live(1).await;
    // Let the GOP grow so the join replays a cached keyframe plus following frames.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let mut opts = ViewerOptions::new(server.url("alice"), Duration::from_secs(3));
    opts.viewer_key = Some("viewer-1".into());
    let r = run_viewer(&http(), &opts).await;
    assert_eq!(r.error, None, "{r:?}");
    assert!(r.connected);
    assert_eq!(
        r.first_video_is_keyframe,
        Some(true),
        "first packet must be the cached keyframe"
    );
    let first = r.first_video_ms.unwrap();
    assert!(first < 1500.0, "first video after {first} ms");
    assert!(r.video.packets > 300, "video packets: {}", r.video.packets);
    assert!(r.audio.packets > 100, "audio packets: {}", r.audio.packets);
    assert_eq!(r.video.lost, 0, "{:?}", r.video);
    assert_eq!(r.audio.lost, 0, "{:?}", r.audio);
    // Rewritten: our own SSRCs, sequence numbers continuous from the first packet.
    assert_ne!(r.video.ssrc, Some(0x1111));
    assert_ne!(r.audio.ssrc, Some(0x2222));
    let seqs = &r.video.first_seqs;
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
    // DELETE ended it.
    assert_eq!(r.delete_status, Some(204));
    assert_eq!(server.wait_sessions(0, Duration::from_secs(2)).await, 0);
    // Join and leave went on the bus.
    let mut joined = false;
    let mut left = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while !(joined && left) {
        let Ok(Some(e)) = tokio::time::timeout_at(deadline, events.next()).await else {
            break;
        };
        match e {
            Event::ViewerJoined {
                channel_id: 1,
                viewer_key,
                ..
            } => {
                assert_eq!(viewer_key.as_deref(), Some("viewer-1"));
                joined = true;
            }
            Event::ViewerLeft { channel_id: 1, .. } => left = true,
            _ => {}
        }
    }
    assert!(joined && left, "joined {joined} left {left}");
}

/// Viewers that join one after another on the same driver share its one subscription to the
/// stream, yet each starts on the cached keyframe and gets every packet after it exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_joining_a_shared_driver_each_start_on_a_keyframe_without_gaps() {
    let server = Server::start(one_driver()).await;
    let _hub = server.go_live(1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let client = http();
    let viewer = |delay_ms: u64, seconds: u64| {
        let opts = ViewerOptions::new(server.url("alice"), Duration::from_secs(seconds));
        let client = client.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            run_viewer(&client, &opts).await
        }
    };
    let (a, b, c) = tokio::join!(viewer(0, 4), viewer(900, 3), viewer(1700, 2));
    for (name, r) in [("first", &a), ("second", &b), ("third", &c)] {
        assert_eq!(r.error, None, "{name}: {r:?}");
        assert_eq!(r.first_video_is_keyframe, Some(true), "{name}: {r:?}");
        assert!(r.video.packets > 100, "{name}: {:?}", r.video);
        assert_eq!(r.video.lost, 0, "{name}: {:?}", r.video);
        assert_eq!(r.audio.lost, 0, "{name}: {:?}", r.audio);
        let seqs = &r.video.first_seqs;
        assert!(
            seqs.windows(2).all(|w| w[1] == w[0] + 1),
            "{name}: {seqs:?}"
        );
    }
    assert_eq!(server.wait_sessions(0, Duration::from_secs(2)).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_packets_are_retransmitted_after_nack() {
    let server = Server::start(WebRtcConfig::loopback()).await;
    let _hub = server.go_live(1).await;
    let mut opts = ViewerOptions::new(server.url("1"), Duration::from_secs(3));
    opts.drop_every_nth_video = Some(20);
    let r = run_viewer(&http(), &opts).await;
    assert_eq!(r.error, None, "{r:?}");
    assert!(r.video.packets > 300, "{:?}", r.video);
    // About 5% were dropped on arrival; NACK repair leaves at most the last one or two open.
    assert!(r.video.lost <= 2, "unrepaired losses: {:?}", r.video);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pli_is_answered_with_a_keyframe_replay() {
    let server = Server::start(WebRtcConfig::loopback()).await;
    let _hub = server.go_live(2).await;
    let mut opts = ViewerOptions::new(server.url("bob"), Duration::from_millis(900));
    opts.pli_after = Some(Duration::from_millis(500));
    let r = run_viewer(&http(), &opts).await;
    assert_eq!(r.error, None, "{r:?}");
    assert!(r.keyframe_starts >= 2, "{r:?}");
    assert!(r.keyframes_after_pli >= 1, "no keyframe after PLI: {r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_end_ends_sessions() {
    let server = Server::start(WebRtcConfig::loopback()).await;
    let hub = server.go_live(1).await;
    let hubs = server.hubs.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        hubs.remove(&hub);
    });
    let opts = ViewerOptions::new(server.url("alice"), Duration::from_secs(6));
    let started = std::time::Instant::now();
    let r = run_viewer(&http(), &opts).await;
    assert!(r.connected, "{r:?}");
    assert!(r.ended_by_server, "{r:?}");
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(server.wait_sessions(0, Duration::from_secs(2)).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_viewer_does_not_disturb_others() {
    // One driver: the stuck viewer and the good one share it and its hub subscription.
    let server = Server::start(one_driver()).await;
    let hub = server.go_live(1).await;
    // A subscriber that never reads: its queue overflows at once.
    let _stuck_sub = hub.subscribe(SubscriberOptions {
        queue_capacity: Some(8),
        ..Default::default()
    });
    let mut stuck = ViewerOptions::new(server.url("alice"), Duration::from_secs(3));
    stuck.stop_reading_after = Some(Duration::from_millis(200));
    stuck.decrypt = false;
    let good = ViewerOptions::new(server.url("alice"), Duration::from_secs(3));
    let client = http();
    let (s, g) = tokio::join!(run_viewer(&client, &stuck), run_viewer(&client, &good));
    assert!(s.connected, "{s:?}");
    assert_eq!(g.error, None, "{g:?}");
    assert!(g.video.packets > 300, "{:?}", g.video);
    assert_eq!(g.video.lost, 0, "{:?}", g.video);
    assert_eq!(g.audio.lost, 0, "{:?}", g.audio);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_that_never_connect_time_out() {
    let config = WebRtcConfig {
        connect_timeout_secs: 1,
        ..WebRtcConfig::loopback()
    };
    let server = Server::start(config).await;
    let _hub = server.go_live(1).await;
    let offer = include_str!("offer_chrome.sdp");
    let res = http()
        .post(server.url("alice"))
        .header("content-type", "application/sdp")
        .body(offer)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(server.engine.session_count(), 1);
    assert_eq!(server.wait_sessions(0, Duration::from_secs(3)).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_ends_every_session() {
    let server = Server::start(WebRtcConfig::loopback()).await;
    let _hub = server.go_live(1).await;
    let engine = server.engine.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(engine.shutdown(Duration::from_secs(2)).await, 0);
    });
    let r = run_viewer(
        &http(),
        &ViewerOptions::new(server.url("alice"), Duration::from_secs(6)),
    )
    .await;
    assert!(r.connected && r.ended_by_server, "{r:?}");
}
