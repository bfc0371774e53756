//! WHEP playback of a High-profile stream (what x264 and OBS send by default) from a real
//! `shimmer serve`, pushed with `shimmer push`: offers that reuse a payload type are refused
//! with a 400 naming it (they made str0m panic: a 500), and viewers whose browser does not
//! offer High get video in a format they offered.

mod support;

use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::Duration;

use shimmer_testkit::media::H264;
use shimmer_testkit::whep_client::{
    run_viewer, ViewerOptions, CHROME_H264, DEBIAN_CHROMIUM_H264, FIREFOX_H264,
};
use support::{shimmer, test_media, wait_until, Server};

/// 6 s of 1280x720 H.264 High (4:2:0, no B-frames, keyframe every 2 s), made once per process.
fn high_profile_video() -> PathBuf {
    H264::new(1280, 720, 6)
        .profile("high")
        .cached()
        .expect("ffmpeg makes the High-profile video")
}

/// A server with `streamer` live on the High-profile video, and the push process.
fn live_high_profile_stream(streamer: &str) -> (Server, Child) {
    let (server, port) = Server::start_with_ftl(&[]);
    server.create_user(streamer, "correct horse battery", true);
    let (_, audio) = test_media();
    let push = shimmer()
        .args(["push", "--server", &format!("127.0.0.1:{port}"), "--loop"])
        .args(["--key", &server.stream_key(streamer), "--video"])
        .arg(high_profile_video())
        .arg("--audio")
        .arg(audio)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(
        wait_until(15, || server.channel_status(streamer).starts_with("live ")),
        "the High-profile push went live"
    );
    (server, push)
}

/// A Chrome-style recvonly offer whose video section lists `h264` (profile-level-id, payload
/// type, RTX payload type) and whose audio section has Opus at `opus_pt`.
fn offer(h264: &[(&str, u8, u8)], opus_pt: u8) -> String {
    let common = "c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\n\
        a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n\
        a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n\
        a=setup:actpass\r\n";
    let pts: Vec<String> = h264
        .iter()
        .flat_map(|(_, pt, rtx)| [pt.to_string(), rtx.to_string()])
        .collect();
    let mut sdp = format!(
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n\
         m=video 9 UDP/TLS/RTP/SAVPF {}\r\n{common}a=mid:0\r\na=recvonly\r\na=rtcp-mux\r\n",
        pts.join(" ")
    );
    for (profile, pt, rtx) in h264 {
        sdp.push_str(&format!(
            "a=rtpmap:{pt} H264/90000\r\na=rtcp-fb:{pt} nack\r\na=rtcp-fb:{pt} nack pli\r\n\
             a=fmtp:{pt} level-asymmetry-allowed=1;packetization-mode=1;profile-level-id={profile}\r\n\
             a=rtpmap:{rtx} rtx/90000\r\na=fmtp:{rtx} apt={pt}\r\n"
        ));
    }
    sdp.push_str(&format!(
        "m=audio 9 UDP/TLS/RTP/SAVPF {opus_pt}\r\n{common}a=mid:1\r\na=recvonly\r\na=rtcp-mux\r\n\
         a=rtpmap:{opus_pt} opus/48000/2\r\na=fmtp:{opus_pt} minptime=10;useinbandfec=1\r\n"
    ));
    sdp
}

async fn post_offer(server: &Server, channel: &str, sdp: String) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url(&format!("/api/whep/{channel}")))
        .header("content-type", "application/sdp")
        .body(sdp)
        .send()
        .await
        .unwrap()
}

/// A labelled counter's value on the metrics listener's `/metrics` (0 when never counted).
async fn counter(server: &Server, name: &str, labels: &[(&str, &str)]) -> u64 {
    let text = server.metrics().await;
    text.lines()
        .filter(|line| line.starts_with(&format!("{name}{{")))
        .filter(|line| {
            labels
                .iter()
                .all(|(k, v)| line.contains(&format!("{k}=\"{v}\"")))
        })
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_reusing_a_payload_type_is_refused_with_400_naming_it() {
    let (mut server, mut push) = live_high_profile_stream("highprofile");
    // What `shimmer-bench whep` used to send: five H.264 formats from 102, the last one's RTX
    // at 111, where Opus is too.
    let h264 = [
        ("42e01f", 102, 103),
        ("42001f", 104, 105),
        ("4d001f", 106, 107),
        ("640c1f", 108, 109),
        ("64001f", 110, 111),
    ];
    let res = post_offer(&server, "highprofile", offer(&h264, 111)).await;
    let status = res.status().as_u16();
    let body = res.text().await.unwrap();
    assert_eq!(status, 400, "{body}");
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    let message = error["error"].as_str().unwrap();
    assert!(message.contains("payload type 111"), "{message}");
    assert!(
        message.contains("rtx/90000") && message.contains("opus/48000/2"),
        "{message}"
    );
    // The same formats with Opus elsewhere are answered, with High.
    let res = post_offer(&server, "highprofile", offer(&h264, 100)).await;
    assert_eq!(res.status(), 201);
    let answer = res.text().await.unwrap();
    assert!(answer.contains("profile-level-id=6400"), "{answer}");
    // The server survived both and still serves viewers.
    let options = ViewerOptions::new(server.url("/api/whep/highprofile"), Duration::from_secs(2));
    let report = run_viewer(&reqwest::Client::new(), &options).await;
    assert_eq!(report.error, None, "{report:?}");
    assert!(report.video.packets > 50, "{report:?}");
    let _ = push.kill();
    let _ = push.wait();
    assert!(server.stop(), "the server exits cleanly");
}

/// A browser's H.264 offer, the profile-level-id it must be answered with, and the mismatch
/// metric's labels (stream profile, fit) when that answer is not the stream's own profile.
type BrowserCase = (
    &'static [u32],
    &'static str,
    Option<(&'static str, &'static str)>,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn viewers_without_high_in_their_offer_get_video_of_a_high_stream() {
    let (mut server, mut push) = live_high_profile_stream("obsdefault");
    let whep = server.url("/api/whep/obsdefault");
    let http = reqwest::Client::new();
    // (offered list, the profile-level-id answered, mismatch label)
    let browsers: [BrowserCase; 3] = [
        (&CHROME_H264, "6400", None),
        (
            &DEBIAN_CHROMIUM_H264,
            "f4001f",
            Some(("high_444", "decodes")),
        ),
        (
            &FIREFOX_H264,
            "42e01f",
            Some(("constrained_baseline", "fallback")),
        ),
    ];
    for (profiles, answered, mismatch) in browsers {
        let mut options = ViewerOptions::new(whep.clone(), Duration::from_secs(2));
        options.h264_profiles = profiles.to_vec();
        let report = run_viewer(&http, &options).await;
        assert_eq!(report.error, None, "{profiles:06x?}: {report:?}");
        assert!(
            report
                .answer_h264
                .as_deref()
                .is_some_and(|a| a.starts_with(answered)),
            "{profiles:06x?} answered {:?}",
            report.answer_h264
        );
        assert_eq!(report.first_video_is_keyframe, Some(true), "{report:?}");
        assert!(report.video.packets > 50, "{profiles:06x?}: {report:?}");
        assert!(report.audio.packets > 20, "{profiles:06x?}: {report:?}");
        if let Some((profile, fit)) = mismatch {
            let labels = [
                ("stream_profile", "high"),
                ("answered_profile", profile),
                ("fit", fit),
            ];
            let counted = counter(
                &server,
                "shimmer_webrtc_profile_mismatch_sessions_total",
                &labels,
            )
            .await;
            assert_eq!(counted, 1, "{labels:?}");
        }
    }
    let exact = counter(
        &server,
        "shimmer_webrtc_profile_mismatch_sessions_total",
        &[("answered_profile", "high")],
    )
    .await;
    assert_eq!(exact, 0, "an exact answer is no mismatch");
    let _ = push.kill();
    let _ = push.wait();
    assert!(server.stop(), "the server exits cleanly");
}

/// Offers are limited per client address as the site decides it (the one trusted-proxy rule):
/// behind a trusted proxy each forwarded address has its own allowance; from anyone else a
/// forwarded address is ignored and every offer counts against the peer's.
#[tokio::test]
async fn offers_are_limited_per_client_address_the_site_decided() {
    let limits = [
        ("SHIMMER_WEBRTC__OFFERS_PER_IP_PER_SECOND", "1"),
        ("SHIMMER_WEBRTC__OFFERS_PER_IP_BURST", "2"),
    ];
    let http = reqwest::Client::new();
    let offer = |server: &Server, from: &str| {
        http.post(server.url("/api/whep/nobody"))
            .header("content-type", "application/sdp")
            .header("x-forwarded-for", from)
            .body("v=0\r\n")
            .send()
    };
    let status = |response: reqwest::Result<reqwest::Response>| response.unwrap().status();

    // An offer within the allowance is judged (400: "v=0" is no offer); past it, 429.
    let behind_proxy = tempfile::tempdir().unwrap();
    let mut env = vec![("SHIMMER_TRUSTED_PROXIES", "[\"127.0.0.1\"]")];
    env.extend(limits);
    let server = Server::start_in(behind_proxy.path(), &env);
    for _ in 0..2 {
        assert_eq!(status(offer(&server, "198.51.100.1").await), 400);
    }
    assert_eq!(status(offer(&server, "198.51.100.1").await), 429);
    assert_eq!(
        status(offer(&server, "198.51.100.2").await),
        400,
        "another address behind the proxy has its own allowance"
    );

    let direct = tempfile::tempdir().unwrap();
    let server = Server::start_in(direct.path(), &limits);
    for from in ["198.51.100.1", "198.51.100.2"] {
        assert_eq!(status(offer(&server, from).await), 400);
    }
    assert_eq!(
        status(offer(&server, "198.51.100.3").await),
        429,
        "X-Forwarded-For from a peer that is not a trusted proxy changes nothing"
    );
}
