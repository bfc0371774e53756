//! Debian's ffmpeg publishing over a real TCP socket to a minimal blocking driver around
//! [`ServerSession`]: the handshake, the command sequence and the media it sends.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Child;
use std::time::{Duration, Instant};

use shimmer_rtmp::flv::{AudioPacket, VideoPacket};
use shimmer_rtmp::{PublishRefusal, ServerSession, SessionConfig, SessionEvent};
use shimmer_testkit::media::publish_rtmp;

/// Starts `ffmpeg -i clip -c copy -f flv rtmp://127.0.0.1:port/live/key`.
fn publish(clip: &std::path::Path, port: u16, key: &str) -> Child {
    let url = format!("rtmp://127.0.0.1:{port}/live/{key}");
    publish_rtmp(clip, &url, false).expect("ffmpeg must be installed (scripts/test.sh installs it)")
}

/// Serves one connection until it closes (or the session fails); `accept` decides the key.
fn serve(
    listener: &TcpListener,
    accept: impl Fn(&str) -> bool,
) -> (Vec<SessionEvent>, Option<String>) {
    let (mut socket, _) = listener.accept().unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut session = ServerSession::new(SessionConfig::default(), Instant::now(), &[0x5A; 64]);
    let mut events = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match socket.read(&mut buf) {
            Ok(0) | Err(_) => return (events, None),
            Ok(n) => n,
        };
        let result = session.handle_input(Instant::now(), &buf[..n]);
        let new = match result {
            Ok(new) => new,
            Err(e) => return (events, Some(e.to_string())),
        };
        for event in &new {
            if let SessionEvent::PublishRequested { name, .. } = event {
                if accept(name) {
                    session.accept_publish();
                } else {
                    session.reject_publish(PublishRefusal::BadName, "Unknown stream key.");
                    let _ = socket.write_all(&session.take_transmit());
                    events.extend(new);
                    return (events, Some("rejected".into()));
                }
            }
        }
        events.extend(new);
        if socket.write_all(&session.take_transmit()).is_err() {
            return (events, None);
        }
    }
}

#[test]
fn ffmpeg_publishes_h264_and_aac_through_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let clip = common::make_clip(dir.path(), "clip.mkv", 2, 0, 44100);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut ffmpeg = publish(&clip, port, "7-abcdef");
    let (events, error) = serve(&listener, |key| key == "7-abcdef");
    let status = ffmpeg.wait().unwrap();
    assert!(status.success(), "ffmpeg failed");
    assert_eq!(error, None);

    assert!(matches!(&events[0], SessionEvent::Connected { app, .. } if app == "live"));
    assert!(events.iter().any(
        |e| matches!(e, SessionEvent::PublishRequested { app, name } if app == "live" && name == "7-abcdef")
    ));
    let metadata = events
        .iter()
        .find_map(|e| match e {
            SessionEvent::Metadata(m) => Some(m),
            _ => None,
        })
        .expect("onMetaData");
    let width = metadata
        .iter()
        .find(|(k, _)| k == "width")
        .and_then(|(_, v)| v.as_number());
    assert_eq!(width, Some(320.0));

    let video: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            SessionEvent::Video { timestamp, tag } => Some((*timestamp, tag)),
            _ => None,
        })
        .collect();
    assert!(matches!(video[0].1.packet, VideoPacket::SequenceStart(_)));
    let frames = video
        .iter()
        .filter(|(_, t)| matches!(t.packet, VideoPacket::CodedFrames { .. }))
        .count();
    assert_eq!(frames, 50, "every frame of 2 s at 25 fps arrives");
    assert!(
        video.windows(2).all(|w| w[0].0 <= w[1].0),
        "decode timestamps rise"
    );
    assert!(video.last().unwrap().0 >= 1900);

    let audio: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            SessionEvent::Audio { tag, .. } => Some(tag),
            _ => None,
        })
        .collect();
    assert!(matches!(audio[0].packet, AudioPacket::SequenceStart(_)));
    assert!(audio.len() > 80, "about 86 AAC frames in 2 s at 44.1 kHz");
    assert!(
        !events.iter().any(|e| matches!(e, SessionEvent::Ignored(_))),
        "nothing ffmpeg sends is dropped: {:?}",
        events
            .iter()
            .filter(|e| matches!(e, SessionEvent::Ignored(_)))
            .collect::<Vec<_>>()
    );
    assert!(
        events.contains(&SessionEvent::Unpublished),
        "ffmpeg unpublishes when done"
    );
}

#[test]
fn a_refused_key_makes_ffmpeg_fail() {
    let dir = tempfile::tempdir().unwrap();
    let clip = common::make_clip(dir.path(), "clip.mkv", 1, 0, 44100);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let ffmpeg = publish(&clip, port, "wrong");
    let (events, error) = serve(&listener, |_| false);
    assert_eq!(error.as_deref(), Some("rejected"));
    assert!(!events
        .iter()
        .any(|e| matches!(e, SessionEvent::Video { .. })));
    let output = ffmpeg.wait_with_output().unwrap();
    assert!(!output.status.success(), "ffmpeg must report the refusal");
}
