use super::*;
use crate::control::TrackAnnounce;
use shimmer_media::rtp::RtpHeader;

const SPS_720P: [u8; 23] = [
    0x67, 0x4d, 0x40, 0x1f, 0xda, 0x01, 0x40, 0x16, 0xec, 0x04, 0x40, 0x00, 0x00, 0x03, 0x00, 0x40,
    0x00, 0x00, 0x0f, 0x23, 0xc6, 0x0c, 0xa8,
];

fn announce() -> MediaAnnounce {
    MediaAnnounce {
        vendor_name: Some("test".into()),
        video: Some(TrackAnnounce {
            codec: "H264".into(),
            payload_type: 96,
            ssrc: 43,
        }),
        audio: Some(TrackAnnounce {
            codec: "OPUS".into(),
            payload_type: 97,
            ssrc: 42,
        }),
        ..Default::default()
    }
}

fn rtp(pt: u8, seq: u16, ts: u32, ssrc: u32, marker: bool, payload: &[u8]) -> Bytes {
    RtpPacket {
        header: RtpHeader::new(pt, seq, ts, ssrc, marker),
        payload: Bytes::copy_from_slice(payload),
    }
    .to_bytes()
}

fn outputs(s: &mut MediaSession) -> (Vec<MediaPacket>, Vec<Bytes>) {
    let mut packets = Vec::new();
    let mut sent = Vec::new();
    while let Some(o) = s.poll_output() {
        match o {
            MediaOutput::Packet(p) => packets.push(p),
            MediaOutput::Transmit(b) => sent.push(b),
        }
    }
    (packets, sent)
}

#[test]
fn classifies_by_second_byte_before_parsing() {
    // A 12-byte Windows ping is too short for RTP with CC=1 but must still be echoed.
    let windows_ping = [0x81, 250, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8];
    assert_eq!(classify(&windows_ping), Some(DatagramKind::Ping));
    assert_eq!(
        classify(&[0x80, 200, 0, 6]),
        Some(DatagramKind::SenderReport)
    );
    assert_eq!(classify(&[0x80, 96]), Some(DatagramKind::Rtp));
    assert_eq!(classify(&[0x80]), None);
    let mut s = MediaSession::new(announce(), MediaSessionConfig::default());
    let now = Instant::now();
    assert_eq!(
        s.handle_datagram(Bytes::copy_from_slice(&windows_ping), now),
        Handled::Ping
    );
    let mut linux_ping = vec![0x81, 250, 0, 24];
    linux_ping.extend_from_slice(&[9; 20]);
    s.handle_datagram(Bytes::from(linux_ping.clone()), now);
    let (_, sent) = outputs(&mut s);
    assert_eq!(
        sent,
        vec![
            Bytes::copy_from_slice(&windows_ping),
            Bytes::from(linux_ping)
        ]
    );
}

#[test]
fn garbage_unknown_ssrc_and_sender_reports() {
    let now = Instant::now();
    let mut s = MediaSession::new(announce(), MediaSessionConfig::default());
    assert_eq!(
        s.handle_datagram(Bytes::from_static(&[1]), now),
        Handled::Ignored(Ignored::Malformed)
    );
    assert_eq!(
        s.handle_datagram(
            Bytes::from_static(&[0x00, 0x60, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
            now
        ),
        Handled::Ignored(Ignored::Malformed)
    );
    assert_eq!(
        s.handle_datagram(rtp(96, 0, 0, 999, true, &[0x65]), now),
        Handled::Ignored(Ignored::UnknownSsrc)
    );
    // Right SSRC, wrong payload type.
    assert_eq!(
        s.handle_datagram(rtp(100, 0, 0, 43, true, &[0x65]), now),
        Handled::Ignored(Ignored::UnknownSsrc)
    );
    let sr = SenderReport {
        ssrc: 43,
        ntp_seconds: 1,
        ntp_fraction: 2,
        rtp_timestamp: 3,
        packet_count: 4,
        octet_count: 5,
    };
    assert_eq!(
        s.handle_datagram(Bytes::copy_from_slice(&sr.to_bytes()), now),
        Handled::SenderReport
    );
    assert_eq!(
        s.handle_datagram(Bytes::from_static(&[0x80, 200, 0]), now),
        Handled::Ignored(Ignored::Malformed)
    );
    let (packets, sent) = outputs(&mut s);
    assert!(packets.is_empty() && sent.is_empty());
    let c = s.counters();
    assert_eq!((c.malformed, c.unknown_ssrc, c.sender_reports), (3, 2, 1));
}

#[test]
fn speed_test_audio_before_video_is_ignored_and_seq_reset_tolerated() {
    let now = Instant::now();
    let mut s = MediaSession::new(announce(), MediaSessionConfig::default());
    for seq in 0..4000u16 {
        assert_eq!(
            s.handle_datagram(rtp(97, seq, 0, 42, false, &[0u8; 1380]), now),
            Handled::Ignored(Ignored::AudioBeforeVideo)
        );
    }
    s.handle_datagram(rtp(96, 0, 0, 43, true, &SPS_720P), now);
    for seq in 0..50u16 {
        assert_eq!(
            s.handle_datagram(
                rtp(97, seq, u32::from(seq) * 960, 42, false, &[0xfc, 1]),
                now
            ),
            Handled::Media
        );
    }
    let (packets, _) = outputs(&mut s);
    assert_eq!(packets.len(), 51);
    assert_eq!(s.recovery_stats().lost, 0);
}

#[test]
fn loss_is_nacked_and_recovered_in_order() {
    let t0 = Instant::now();
    let mut s = MediaSession::new(announce(), MediaSessionConfig::default());
    for seq in (0..20u16).filter(|q| *q != 7 && *q != 8) {
        s.handle_datagram(
            rtp(96, seq, u32::from(seq) * 3000, 43, true, &[0x41, 0]),
            t0,
        );
    }
    let (packets, sent) = outputs(&mut s);
    assert_eq!(packets.len(), 7, "released up to the gap");
    let mut lost = Vec::new();
    for d in &sent {
        let nack = GenericNack::parse(d).unwrap();
        assert_eq!(nack.media_ssrc, 43);
        lost.extend(nack.lost);
    }
    assert_eq!(lost, vec![7, 8]);
    let t1 = t0 + Duration::from_millis(20);
    s.handle_datagram(rtp(96, 8, 8 * 3000, 43, true, &[0x41, 0]), t1);
    s.handle_datagram(rtp(96, 7, 7 * 3000, 43, true, &[0x41, 0]), t1);
    let (packets, _) = outputs(&mut s);
    let seqs: Vec<u16> = packets.iter().map(|p| p.sequence).collect();
    assert_eq!(seqs, (7..20).collect::<Vec<_>>());
    let r = s.recovery_stats();
    assert_eq!((r.lost, r.recovered, r.unrecovered, r.nacked), (2, 2, 0, 2));
    let st = s.stats(t1, Duration::from_secs(1), "node");
    assert_eq!(st.source_ping_ms, Some(20));
    assert_eq!(st.lost_packets, 2);
    assert_eq!(st.recovered_packets, 2);
}

#[test]
fn unrecovered_loss_is_given_up_by_time() {
    let t0 = Instant::now();
    let mut s = MediaSession::new(announce(), MediaSessionConfig::default());
    s.handle_datagram(rtp(96, 0, 0, 43, true, &[0x41]), t0);
    s.handle_datagram(rtp(96, 2, 6000, 43, true, &[0x41]), t0);
    let mut t = t0;
    let mut nacks = 0;
    while t < t0 + Duration::from_secs(2) {
        t += Duration::from_millis(10);
        if s.next_deadline().is_some_and(|d| d <= t) {
            s.handle_timeout(t);
        }
        nacks += outputs(&mut s).1.len();
    }
    let r = s.recovery_stats();
    assert_eq!(r.unrecovered, 1);
    assert_eq!(nacks as u32, RecoveryConfig::default().max_retries);
}

/// A stream losing far more than its NACK budget asks for at most the budget each second and
/// skips the rest; its deadlines never spin while the budget is spent.
#[test]
fn nacks_stay_within_the_streams_budget() {
    let t0 = Instant::now();
    let config = MediaSessionConfig {
        nack_budget_per_second: 50,
        ..MediaSessionConfig::default()
    };
    let mut s = MediaSession::new(announce(), config);
    let mut seq = 0u16;
    let mut nack_messages = 0;
    // Two seconds of 400 packets a second, every other one lost.
    for n in 0..800u32 {
        let t = t0 + Duration::from_micros(u64::from(n) * 2_500);
        if n % 2 == 0 {
            s.handle_datagram(rtp(96, seq, n * 225, 43, true, &[0x41]), t);
        }
        seq = seq.wrapping_add(1);
        if s.next_deadline().is_some_and(|d| d <= t) {
            s.handle_timeout(t);
            assert!(
                s.next_deadline().is_none_or(|d| d > t),
                "the driver would spin at {n}"
            );
        }
        nack_messages += outputs(&mut s).1.len();
    }
    let r = s.recovery_stats();
    assert!(r.lost >= 390, "{r:?}");
    assert!(
        r.nacked <= 50 * 3,
        "at most the burst and two seconds of tokens: {}",
        r.nacked
    );
    assert!(nack_messages > 0);
    assert!(s.counters().nacks_deferred > 0);
}

#[test]
fn learns_resolution_fps_and_keyframe_interval() {
    let t0 = Instant::now();
    let mut s = MediaSession::new(announce(), MediaSessionConfig::default());
    let mut seq = 0u16;
    for frame in 0..150u32 {
        let now = t0 + Duration::from_millis(u64::from(frame) * 1000 / 30);
        let ts = frame * 3000;
        if frame % 60 == 0 {
            for p in [&SPS_720P[..], &[0x68, 0xee], &[0x65, 0x88]] {
                s.handle_datagram(rtp(96, seq, ts, 43, p[0] == 0x65, p), now);
                seq += 1;
            }
        } else {
            s.handle_datagram(rtp(96, seq, ts, 43, true, &[0x41, 0x9a]), now);
            seq += 1;
        }
        s.handle_datagram(
            rtp(97, frame as u16, frame * 1600, 42, false, &[0xfc, 0]),
            now,
        );
    }
    let st = s.stats(t0 + Duration::from_secs(5), Duration::from_secs(5), "node");
    assert_eq!((st.video_width, st.video_height), (Some(1280), Some(720)));
    assert_eq!(st.video_profile.as_deref(), Some("4d401f"));
    assert_eq!(st.keyframe_interval_ms, Some(2000));
    assert!((st.fps - 30.0).abs() < 1.5, "{}", st.fps);
    assert_eq!(st.audio_channels, Some(2));
    assert_eq!(st.video_codec.as_deref(), Some("H264"));
    assert!(st.source_bitrate > 0);
}
