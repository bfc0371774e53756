//! The WHEP router's answers to good and bad requests.

mod support;

use std::time::Duration;

use shimmer_webrtc::WebRtcConfig;
use support::Server;

const OFFER: &str = include_str!("offer_chrome.sdp");

async fn post(
    server: &Server,
    name: &str,
    ctype: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url(name))
        .header("content-type", ctype)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn json_error(res: reqwest::Response) -> String {
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let v: serde_json::Value = res.json().await.unwrap();
    v["error"].as_str().expect("error field").to_owned()
}

#[tokio::test]
async fn offline_and_unknown_channels_are_404_json() {
    let server = Server::start(WebRtcConfig::loopback()).await;
    let res = post(&server, "alice", "application/sdp", OFFER).await;
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert!(json_error(res).await.contains("offline"));
    let res = post(&server, "nobody", "application/sdp", OFFER).await;
    assert_eq!(res.status(), 404);
    assert!(json_error(res).await.contains("no such channel"));
}

#[tokio::test]
async fn bad_offers_are_refused_with_clear_errors() {
    let server = Server::start(WebRtcConfig::loopback()).await;
    let _hub = server.go_live(1).await;
    let res = post(&server, "alice", "text/plain", OFFER).await;
    assert_eq!(res.status(), 415);
    json_error(res).await;
    let res = post(
        &server,
        "alice",
        "application/sdp",
        "v=0\r\nthis is not sdp",
    )
    .await;
    assert_eq!(res.status(), 400);
    let message = json_error(res).await;
    assert!(message.contains("not valid SDP"), "{message}");
    assert!(
        !message.contains("Pointer") && !message.contains("0x"),
        "no parser internals: {message}"
    );
    let res = post(
        &server,
        "alice",
        "application/sdp",
        OFFER.replace("H264/90000", "AV1/90000"),
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(json_error(res).await.contains("H.264"));
    let res = post(
        &server,
        "alice",
        "application/sdp",
        OFFER.replace("opus/48000/2", "PCMA/8000"),
    )
    .await;
    assert_eq!(res.status(), 400);
    assert!(json_error(res).await.contains("Opus"));
    let huge = format!("{OFFER}{}", "a=x-padding:0123456789abcdef\r\n".repeat(4000));
    let res = post(&server, "alice", "application/sdp", huge).await;
    assert_eq!(res.status(), 413);
    json_error(res).await;
    let res = post(&server, "alice", "application/sdp", vec![0xffu8; 100]).await;
    assert_eq!(res.status(), 400);
    // Nothing above created a session, and the server still answers good offers.
    assert_eq!(server.engine.session_count(), 0);
    let res = post(&server, "alice", "application/sdp", OFFER).await;
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn good_offer_gets_answer_location_and_session_lifecycle() {
    let server = Server::start(WebRtcConfig::loopback()).await;
    let _hub = server.go_live(1).await;
    let res = post(&server, "Alice", "application/sdp; charset=utf-8", OFFER).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["content-type"], "application/sdp");
    assert!(res.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("Location"));
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/api/whep/Alice/sessions/"),
        "{location}"
    );
    let answer = res.text().await.unwrap();
    // profile-level-id from the stream's SPS (x264 main profile, level 3.1), not a constant.
    let sps = server
        .hubs
        .get(1)
        .unwrap()
        .info()
        .video
        .unwrap()
        .sps
        .unwrap();
    assert!(
        answer.contains(&format!("profile-level-id={}", sps.profile_level_id())),
        "{answer}"
    );
    assert!(answer.contains("stereo=1"), "{answer}");
    assert!(answer.contains("a=ice-lite"));
    assert!(answer.contains(&format!("{} typ host", server.engine.local_addr().port())));

    let client = reqwest::Client::new();
    let base = format!("http://{}", server.http);
    // PATCH (trickle) is refused clearly.
    let res = client
        .patch(format!("{base}{location}"))
        .header("content-type", "application/trickle-ice-sdpfrag")
        .body("a=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "DELETE, OPTIONS");
    // Another channel's URL cannot end it.
    let other = location.replace("/Alice/", "/bob/");
    let res = client
        .delete(format!("{base}{other}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = client
        .delete(format!("{base}{location}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(server.wait_sessions(0, Duration::from_secs(2)).await, 0);
    let res = client
        .delete(format!("{base}{location}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn unknown_sessions_are_404_and_preflight_has_cors() {
    let server = Server::start(WebRtcConfig::loopback()).await;
    let client = reqwest::Client::new();
    let base = format!("http://{}/api/whep/alice/sessions", server.http);
    for url in [
        format!("{base}/0123456789abcdef0123456789abcdef"),
        format!("{base}/x"),
    ] {
        let res = client.delete(&url).send().await.unwrap();
        assert_eq!(res.status(), 404);
        json_error(res).await;
        let res = client.patch(&url).body("x").send().await.unwrap();
        assert_eq!(res.status(), 404);
    }
    let res = client
        .request(reqwest::Method::OPTIONS, server.url("alice"))
        .header("origin", "https://elsewhere.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    assert!(h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("Content-Type"));
    let res = client
        .request(
            reqwest::Method::OPTIONS,
            format!("{base}/0123456789abcdef0123456789abcdef"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert!(res.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("DELETE"));
}

#[tokio::test]
async fn post_floods_are_limited_without_hurting_the_server() {
    let config = WebRtcConfig {
        offers_per_ip_per_second: 1,
        offers_per_ip_burst: 3,
        max_sessions: 2,
        ..WebRtcConfig::loopback()
    };
    let server = Server::start(config).await;
    let _hub = server.go_live(1).await;
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(
            post(&server, "alice", "application/sdp", OFFER)
                .await
                .status()
                .as_u16(),
        );
    }
    // Two sessions fit, the third offer hits the session cap, the rest the per-IP limiter.
    assert_eq!(&statuses[..3], &[201, 201, 503], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(server.engine.session_count(), 2);
}
