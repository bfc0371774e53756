//! Media path against the real server: real ffmpeg-made media pushed with the FTL client, loss
//! recovery, and hostile datagrams.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use common::*;
use shimmer_ftl::client::{push, PushOptions};
use shimmer_ftl::ingest_control::StreamEndReason;
use shimmer_media::rtp::{RtpHeader, RtpPacket};
use shimmer_media::{HubEvent, MediaKind, StreamHub, SubscriberOptions};
use tokio::net::UdpSocket;

/// Subscribes as soon as the channel's hub exists and collects everything until the end.
fn collect(
    hubs: Arc<shimmer_media::HubRegistry>,
    channel: i64,
) -> tokio::task::JoinHandle<Vec<Arc<shimmer_media::MediaPacket>>> {
    tokio::spawn(async move {
        let hub: Arc<StreamHub> = loop {
            if let Some(h) = hubs.get(channel) {
                break h;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        };
        let mut sub = hub.subscribe(SubscriberOptions {
            queue_capacity: Some(100_000),
            ..Default::default()
        });
        let mut got = Vec::new();
        while let Some(e) = sub.recv().await {
            if let HubEvent::Packet(p) = e {
                got.push(p);
            }
        }
        got
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_with_5_percent_loss_delivers_every_packet() {
    let (video, audio) = test_media();
    let s = start_server(test_config(), MemoryControl::with_channels(&[42])).await;
    let collector = collect(s.hubs.clone(), 42);
    let summary = push(PushOptions {
        server: s.control_addr.to_string(),
        key: format!("42-{SECRET}"),
        video: Some(video.clone()),
        audio: Some(audio.clone()),
        loss_percent: 5.0,
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(
        s.platform.wait_ends(1).await,
        vec![(42, StreamEndReason::Disconnect)]
    );
    let got = tokio::time::timeout(Duration::from_secs(5), collector)
        .await
        .unwrap()
        .unwrap();

    assert!(summary.packets_dropped > 0, "{summary:?}");
    assert_eq!(summary.video_frames, 120);
    // Every packet arrived once, in order, per track (first sends: sent + dropped-on-first-send).
    for kind in [MediaKind::Video, MediaKind::Audio] {
        let seqs: Vec<u16> = got
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.sequence)
            .collect();
        let expected: Vec<u16> = (0..seqs.len() as u16).collect();
        assert_eq!(seqs, expected, "{kind:?} contiguous from 0");
        let unique: BTreeSet<u16> = seqs.iter().copied().collect();
        assert_eq!(unique.len(), seqs.len());
    }
    assert_eq!(
        got.len() as u64,
        summary.media_packets,
        "the hub got every packet made"
    );
    assert_eq!(
        got.iter().filter(|p| p.kind == MediaKind::Audio).count() as u64,
        summary.audio_packets
    );
    // The keyframe starts were marked (every 2 s: frames 0, 60).
    assert_eq!(got.iter().filter(|p| p.keyframe_start).count(), 2);

    let metadata = s.platform.metadata.lock().unwrap().clone();
    let last = &metadata.last().expect("metadata reported").1;
    assert_eq!(
        (last.video_width, last.video_height),
        (Some(640), Some(360))
    );
    assert_eq!(last.video_codec.as_deref(), Some("H264"));
    assert_eq!(last.audio_codec.as_deref(), Some("OPUS"));
    assert_eq!(last.vendor_name.as_deref(), Some("shimmer-push"));
    assert!(last.lost_packets > 0, "{last:?}");
    assert_eq!(last.unrecovered_packets, 0, "{last:?}");
    // Reports are periodic snapshots, so a loss detected just before the last one may not be
    // NACKed or recovered yet when it is taken; every packet's arrival is proved by the
    // contiguous sequences above.
    let in_flight = 2;
    assert!(last.recovered_packets <= last.lost_packets, "{last:?}");
    assert!(
        last.lost_packets <= last.recovered_packets + in_flight,
        "more than a retransmission round trip's worth outstanding: {last:?}"
    );
    assert!(
        last.nack_packets + in_flight >= last.lost_packets,
        "{last:?}"
    );
    assert!((last.fps - 30.0).abs() < 3.0, "{}", last.fps);
    // Bitrate within 10% of the files' (plus RTP headers).
    let file_bits =
        (std::fs::metadata(&video).unwrap().len() + std::fs::metadata(&audio).unwrap().len()) * 8;
    let file_bps = file_bits as f64 / 4.0;
    let ratio = last.source_bitrate as f64 / file_bps;
    assert!(
        (0.9..1.15).contains(&ratio),
        "bitrate {} vs file {file_bps}",
        last.source_bitrate
    );
    assert!(summary.packets_resent > 0);
}

async fn raw_stream(s: &TestServer, channel: i64, local: &str) -> (Raw, std::net::SocketAddr) {
    let mut c = Raw::connect_from(s.control_addr, local).await;
    let reply = c.handshake(channel).await.unwrap();
    let addr = format!("127.0.0.1:{}", port_of(&reply)).parse().unwrap();
    (c, addr)
}

fn rtp(pt: u8, seq: u16, ssrc: u32, payload: &'static [u8]) -> Bytes {
    RtpPacket {
        header: RtpHeader::new(pt, seq, u32::from(seq) * 3000, ssrc, true),
        payload: Bytes::from_static(payload),
    }
    .to_bytes()
}

#[tokio::test]
async fn hostile_datagrams_are_ignored_and_other_streams_unaffected() {
    let s = start_server(test_config(), MemoryControl::with_channels(&[42, 50])).await;
    // The stream's control connection comes from 127.0.0.2.
    let (_c, media) = raw_stream(&s, 42, "127.0.0.2").await;
    let hub = s.hubs.get(42).unwrap();
    let mut sub = hub.subscribe(SubscriberOptions::default());
    let sps: &'static [u8] = &[
        0x67, 0x4d, 0x40, 0x1f, 0xda, 0x01, 0x40, 0x16, 0xec, 0x04, 0x40, 0x00, 0x00, 0x03, 0x00,
        0x40, 0x00, 0x00, 0x0f, 0x23, 0xc6, 0x0c, 0xa8,
    ];
    // From another address (127.0.0.1) with the right SSRC: dropped.
    let other = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    other.send_to(&rtp(96, 0, 43, sps), media).await.unwrap();
    // Garbage of every size, from both addresses.
    let good = UdpSocket::bind("127.0.0.2:0").await.unwrap();
    for len in 0..64usize {
        let junk: Vec<u8> = (0..len).map(|i| (i * 37 + len) as u8).collect();
        other.send_to(&junk, media).await.unwrap();
        good.send_to(&junk, media).await.unwrap();
    }
    // Unknown SSRC from the right address.
    good.send_to(&rtp(96, 0, 999, sps), media).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(hub.stats().packets, 0, "nothing reached the hub");
    // Now real media from the right address: SPS, PPS, IDR; then a ping is echoed.
    good.send_to(&rtp(96, 0, 43, sps), media).await.unwrap();
    good.send_to(&rtp(96, 1, 43, &[0x68, 0xee, 0x3c, 0x80]), media)
        .await
        .unwrap();
    good.send_to(&rtp(96, 2, 43, &[0x65, 0x88, 0x84]), media)
        .await
        .unwrap();
    let ping = [0x81, 250, 0, 12, 1, 2, 3, 4, 5, 6, 7, 8];
    good.send_to(&ping, media).await.unwrap();
    let mut echo = [0u8; 64];
    let (n, _) = tokio::time::timeout(Duration::from_secs(2), good.recv_from(&mut echo))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&echo[..n], &ping);
    // ...and garbage after binding is still ignored.
    good.send_to(&[0x80, 96, 0, 3], media).await.unwrap();
    good.send_to(&rtp(96, 3, 999, &[0x41, 0]), media)
        .await
        .unwrap();
    other
        .send_to(&rtp(96, 3, 43, &[0x41, 0]), media)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut got = Vec::new();
    while let Ok(HubEvent::Packet(p)) = sub.try_recv() {
        got.push(p.sequence);
    }
    assert_eq!(got, vec![0, 1, 2]);
    let info = hub.info();
    assert_eq!(
        info.video.unwrap().sps.map(|s| (s.width, s.height)),
        Some((1280, 720))
    );
    // A second stream still works.
    let (mut c2, _) = raw_stream(&s, 50, "127.0.0.1").await;
    c2.send("PING 50").await;
    assert_eq!(c2.reply().await.as_deref(), Some("201"));
}

#[tokio::test]
async fn bitrate_cap_ends_the_stream() {
    let (video, audio) = test_media();
    let config = shimmer_ftl::FtlConfig {
        max_bitrate_bps: 200_000,
        bitrate_window_ms: 1000,
        ..test_config()
    };
    let s = start_server(config, MemoryControl::with_channels(&[42])).await;
    let summary = push(PushOptions {
        server: s.control_addr.to_string(),
        key: format!("42-{SECRET}"),
        video: Some(video),
        audio: Some(audio),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(summary.ended_by_server, Some(410));
    assert_eq!(
        s.platform.wait_ends(1).await,
        vec![(42, StreamEndReason::BitrateExceeded)]
    );
}

#[tokio::test]
async fn killed_client_without_goodbye_ends_the_stream() {
    let s = start_server(test_config(), MemoryControl::with_channels(&[42])).await;
    let (c, _) = raw_stream(&s, 42, "127.0.0.1").await;
    drop(c);
    assert_eq!(
        s.platform.wait_ends(1).await,
        vec![(42, StreamEndReason::Disconnect)]
    );
}
