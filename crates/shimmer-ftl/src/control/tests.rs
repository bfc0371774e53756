use super::*;

const SECRET: &str = "aBcDeFgHiJkLmNoPqRsTuVwXyZ123456";

fn machine(now: Instant) -> ControlMachine {
    ControlMachine::new(ControlLimits::default(), [7u8; NONCE_LEN], now)
}

fn connect_line(secret: &str) -> String {
    format!(
        "CONNECT 42 ${}",
        hex::encode(compute_hmac(secret.as_bytes(), &[7u8; NONCE_LEN]))
    )
}

const ATTRS: &[&str] = &[
    "ProtocolVersion: 0.9",
    "VendorName: ftl_app",
    "VendorVersion: 0.0.1",
    "Video: true",
    "VideoCodec: H264",
    "VideoHeight: 720",
    "VideoWidth: 1280",
    "VideoPayloadType: 96",
    "VideoIngestSSRC: 43",
    "Audio: true",
    "AudioCodec: OPUS",
    "AudioPayloadType: 97",
    "AudioIngestSSRC: 42",
];

/// Runs HMAC + CONNECT with the right key; returns the machine in the attributes phase.
fn authenticated(now: Instant) -> ControlMachine {
    let mut m = machine(now);
    let Step::Reply(r) = m.handle_line("HMAC", now) else {
        panic!()
    };
    assert_eq!(r.len(), 4 + 256);
    assert!(r.starts_with("200 "));
    assert_eq!(
        m.handle_line(&connect_line(SECRET), now),
        Step::LookupSecret { channel_id: 42 }
    );
    assert_eq!(m.on_secret(Some(SECRET)), Step::Reply("200".into()));
    m
}

#[test]
fn happy_path() {
    let now = Instant::now();
    let mut m = authenticated(now);
    for a in ATTRS {
        assert_eq!(m.handle_line(a, now), Step::Continue);
    }
    let Step::Start {
        channel_id,
        announce,
    } = m.handle_line(".", now)
    else {
        panic!("expected Start")
    };
    assert_eq!(channel_id, 42);
    assert_eq!(announce.vendor_name.as_deref(), Some("ftl_app"));
    assert_eq!(
        announce.video,
        Some(TrackAnnounce {
            codec: "H264".into(),
            payload_type: 96,
            ssrc: 43
        })
    );
    assert_eq!(announce.audio.as_ref().map(|a| a.ssrc), Some(42));
    assert_eq!(
        m.on_started(9000, now),
        Step::Reply("200 hi. Use UDP port 9000".into())
    );
    assert!(m.is_streaming());
    assert_eq!(m.handle_line("PING 42", now), Step::Reply("201".into()));
    assert_eq!(m.handle_line("SOMETHING new", now), Step::Continue);
    assert_eq!(m.handle_line("DISCONNECT", now), Step::Disconnect);
}

fn fail_code(step: Step) -> u16 {
    match step {
        Step::Fail { code, .. } => code.as_u16(),
        other => panic!("expected failure, got {other:?}"),
    }
}

#[test]
fn wrong_key_and_unknown_channel_are_405() {
    let now = Instant::now();
    let mut m = machine(now);
    m.handle_line("HMAC", now);
    m.handle_line(&connect_line("not the key"), now);
    assert_eq!(fail_code(m.on_secret(Some(SECRET))), 405);
    assert_eq!(m.handle_line("PING 42", now), Step::Continue, "closed");
    let mut m = machine(now);
    m.handle_line("HMAC", now);
    m.handle_line(&connect_line(SECRET), now);
    assert_eq!(fail_code(m.on_secret(None)), 405);
}

#[test]
fn malformed_connect_is_400() {
    let now = Instant::now();
    for bad in [
        "CONNECT",
        "CONNECT 42",
        "CONNECT 42 abcd",
        "CONNECT x $00",
        "CONNECT -1 $00",
        "CONNECT 42 $zz",
        "CONNECT 42 $0000",
        "CONNECT 99999999999999999999 $00",
    ] {
        let mut m = machine(now);
        m.handle_line("HMAC", now);
        assert_eq!(fail_code(m.handle_line(bad, now)), 400, "{bad}");
    }
}

#[test]
fn commands_out_of_order() {
    let now = Instant::now();
    let mut m = machine(now);
    assert_eq!(fail_code(m.handle_line("GET / HTTP/1.1", now)), 400);
    let mut m = machine(now);
    assert_eq!(fail_code(m.handle_line(".", now)), 401);
    let mut m = machine(now);
    assert_eq!(fail_code(m.handle_line("Video: true", now)), 400);
    let mut m = machine(now);
    m.handle_line("HMAC", now);
    assert_eq!(fail_code(m.handle_line("HMAC", now)), 400);
}

#[test]
fn invalid_announcements_are_400() {
    let now = Instant::now();
    let cases: &[(&[&str], &str)] = &[
        (&[], "no tracks"),
        (
            &[
                "Video: true",
                "VideoCodec: VP8",
                "VideoPayloadType: 96",
                "VideoIngestSSRC: 1",
            ],
            "vp8",
        ),
        (
            &["Video: true", "VideoCodec: H264", "VideoIngestSSRC: 1"],
            "no pt",
        ),
        (
            &[
                "Video: true",
                "VideoCodec: H264",
                "VideoPayloadType: 200",
                "VideoIngestSSRC: 1",
            ],
            "pt range",
        ),
        (
            &[
                "Video: true",
                "VideoCodec: H264",
                "VideoPayloadType: 96",
                "VideoIngestSSRC: 0",
            ],
            "ssrc 0",
        ),
        (
            &[
                "Audio: true",
                "AudioCodec: AAC",
                "AudioPayloadType: 97",
                "AudioIngestSSRC: 1",
            ],
            "aac",
        ),
        (
            &[
                "Video: true",
                "VideoCodec: H264",
                "VideoPayloadType: 96",
                "VideoIngestSSRC: 5",
                "Audio: true",
                "AudioCodec: OPUS",
                "AudioPayloadType: 97",
                "AudioIngestSSRC: 5",
            ],
            "shared ssrc",
        ),
        (&["garbage without colon"], "garbage"),
    ];
    for (attrs, what) in cases {
        let mut m = authenticated(now);
        let mut step = Step::Continue;
        for a in *attrs {
            step = m.handle_line(a, now);
            if step != Step::Continue {
                break;
            }
        }
        if step == Step::Continue {
            step = m.handle_line(".", now);
        }
        assert_eq!(fail_code(step), 400, "{what}");
    }
}

#[test]
fn signed_ssrc_and_case_insensitive_codecs() {
    let now = Instant::now();
    let mut m = authenticated(now);
    for a in [
        "audio: TRUE",
        "audiocodec: opus",
        "AudioPayloadType: 97",
        "AudioIngestSSRC: -5",
    ] {
        m.handle_line(a, now);
    }
    let Step::Start { announce, .. } = m.handle_line(".", now) else {
        panic!()
    };
    assert_eq!(announce.audio.unwrap().ssrc, (-5i32) as u32);
    assert!(announce.video.is_none());
}

#[test]
fn attribute_flood_is_refused() {
    let now = Instant::now();
    let mut m = authenticated(now);
    let mut last = Step::Continue;
    for i in 0..1000 {
        last = m.handle_line(&format!("X-Attr-{i}: {i}"), now);
        if last != Step::Continue {
            assert_eq!(i, ControlLimits::default().max_attributes);
            break;
        }
    }
    assert_eq!(fail_code(last), 400);
}

#[test]
fn handshake_deadline_including_missing_dot() {
    let t0 = Instant::now();
    let mut m = authenticated(t0);
    for a in ATTRS {
        m.handle_line(a, t0);
    }
    // No '.': the deadline is 5 s after the connection opened.
    assert_eq!(m.next_deadline(), Some(t0 + Duration::from_secs(5)));
    assert_eq!(m.poll_timeout(t0 + Duration::from_millis(4999)), None);
    let t = m.poll_timeout(t0 + Duration::from_secs(5)).unwrap();
    assert_eq!(t, Timeout::Handshake);
    assert_eq!(t.reply_code().as_u16(), 410);
    assert_eq!(m.next_deadline(), None);
}

fn streaming(t0: Instant) -> ControlMachine {
    let mut m = authenticated(t0);
    for a in ATTRS {
        m.handle_line(a, t0);
    }
    m.handle_line(".", t0);
    m.on_started(1, t0);
    m
}

#[test]
fn media_start_and_media_timeouts() {
    let t0 = Instant::now();
    let mut m = streaming(t0);
    assert_eq!(m.poll_timeout(t0 + Duration::from_millis(9999)), None);
    assert_eq!(
        m.poll_timeout(t0 + Duration::from_secs(10)),
        Some(Timeout::MediaStart)
    );

    let mut m = streaming(t0);
    // Media flows for a minute with pings every 5 s, then stops.
    let mut t = t0;
    for i in 0..600 {
        t = t0 + Duration::from_millis(100 * i);
        m.on_media(t);
        if i % 50 == 0 {
            m.handle_line("PING 42", t);
        }
        assert_eq!(m.poll_timeout(t), None);
    }
    assert_eq!(m.next_deadline(), Some(t + Duration::from_secs(10)));
    assert_eq!(
        m.poll_timeout(t + Duration::from_secs(10)),
        Some(Timeout::Media)
    );
    assert_eq!(Timeout::Media.reply_code().as_u16(), 408);
}

#[test]
fn keepalive_timeout() {
    let t0 = Instant::now();
    let mut m = streaming(t0);
    let mut t = t0;
    // Media but no PING for 30 s.
    while t < t0 + Duration::from_secs(29) {
        t += Duration::from_secs(1);
        m.on_media(t);
        assert_eq!(m.poll_timeout(t), None);
    }
    m.on_media(t0 + Duration::from_secs(30));
    assert_eq!(
        m.poll_timeout(t0 + Duration::from_secs(30)),
        Some(Timeout::Keepalive)
    );
}
