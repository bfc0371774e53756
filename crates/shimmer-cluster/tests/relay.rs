//! The relay over real QUIC on loopback: an ingest's hub fed by an ffmpeg-made stream, an edge
//! that pulls it, and what viewers on the edge see.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use shimmer_cluster::relay::{Locate, Origin, RelayClient, RelayClientConfig, RelayServer};
use shimmer_media::hub::{
    HubConfig, HubEvent, HubRegistry, MediaKind, StreamInfo, SubscriberOptions,
};
use shimmer_testkit::stream::TestStream;
use tokio_util::sync::CancellationToken;

const CHANNEL: i64 = 7;

/// Knows one origin for every channel.
struct Fixed(Origin);

#[async_trait]
impl Locate for Fixed {
    async fn origin(&self, _channel_id: i64) -> Option<Origin> {
        Some(self.0.clone())
    }
}

struct Ingest {
    hubs: Arc<HubRegistry>,
    origin: Origin,
    shutdown: CancellationToken,
}

async fn ingest(dir: &std::path::Path) -> Ingest {
    let hubs = Arc::new(HubRegistry::new(HubConfig::default()));
    let hub = hubs.create(
        CHANNEL,
        StreamInfo {
            video: Some(StreamInfo::h264(96, 1111)),
            audio: Some(StreamInfo::opus(97, 2222, 2)),
        },
    );
    let stream = Arc::new(
        TestStream::generate_profile(dir, "high", 640, 360, 2, 30, 1500)
            .expect("ffmpeg makes the test stream"),
    );
    tokio::spawn(stream.publish(hub, None));
    let server = RelayServer::bind("127.0.0.1:0".parse().unwrap(), hubs.clone()).unwrap();
    let origin = Origin {
        node_id: "ingest".into(),
        relay_addr: server.local_addr(),
        fingerprint: server.fingerprint().to_owned(),
    };
    let shutdown = CancellationToken::new();
    tokio::spawn(server.run(shutdown.clone()));
    Ingest {
        hubs,
        origin,
        shutdown,
    }
}

fn edge(origin: Origin, linger: Duration) -> (RelayClient, Arc<HubRegistry>) {
    let hubs = Arc::new(HubRegistry::new(HubConfig::default()));
    let bind: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let client = RelayClient::new(
        bind,
        hubs.clone(),
        Arc::new(Fixed(origin)),
        RelayClientConfig { linger },
        CancellationToken::new(),
    )
    .unwrap();
    (client, hubs)
}

async fn next_packet(
    subscriber: &mut shimmer_media::hub::Subscriber,
) -> Arc<shimmer_media::hub::MediaPacket> {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), subscriber.recv()).await {
            Ok(Some(HubEvent::Packet(packet))) => return packet,
            Ok(Some(HubEvent::Resync { .. })) => continue,
            other => panic!("no packet from the relayed hub: {other:?}"),
        }
    }
}

#[tokio::test]
async fn an_edge_pulls_a_live_channel_keyframe_first_and_lets_go_after_its_last_viewer() {
    let dir = tempfile::tempdir().unwrap();
    let ingest = ingest(dir.path()).await;
    let (client, edge_hubs) = edge(ingest.origin.clone(), Duration::from_millis(300));

    let started = Instant::now();
    let hub = client
        .pull(CHANNEL)
        .await
        .expect("the live channel is pulled");
    let mut viewer = hub.subscribe(SubscriberOptions::default());
    let first = next_packet(&mut viewer).await;
    let first_after = started.elapsed();
    assert_eq!(first.kind, MediaKind::Video);
    assert!(
        first.keyframe_start,
        "the edge's first packet starts a keyframe"
    );
    assert!(
        first_after < Duration::from_secs(1),
        "first packet after {first_after:?}"
    );
    let info = hub.info();
    assert_eq!(
        info.video.as_ref().map(|v| (v.payload_type, v.ssrc)),
        Some((96, 1111))
    );
    assert_eq!(
        info.audio
            .as_ref()
            .map(|a| (a.payload_type, a.ssrc, a.channels)),
        Some((97, 2222, 2))
    );

    // Packets arrive in order, each once, with the ingest's own numbering.
    let mut last_video = first.sequence;
    let mut audio = 0;
    for _ in 0..400 {
        let packet = next_packet(&mut viewer).await;
        match packet.kind {
            MediaKind::Video => {
                assert_eq!(packet.sequence, last_video.wrapping_add(1));
                last_video = packet.sequence;
            }
            MediaKind::Audio => audio += 1,
        }
    }
    assert!(audio > 20, "audio is relayed too ({audio} packets)");
    let ingest_hub = ingest.hubs.get(CHANNEL).unwrap();
    assert_eq!(
        ingest_hub.stats().subscribers,
        1,
        "one relay subscription for the edge"
    );

    // A second viewer on the same edge shares the pull.
    let again = client.pull(CHANNEL).await.unwrap();
    assert!(Arc::ptr_eq(&again, &hub));
    assert_eq!(ingest_hub.stats().subscribers, 1);

    // A viewer's keyframe request reaches the ingest.
    hub.request_keyframe();
    tokio::time::timeout(Duration::from_secs(2), ingest_hub.keyframe_requested())
        .await
        .expect("the keyframe request is forwarded to the ingest");

    // After the last viewer leaves and the linger passes, the edge lets go.
    drop(viewer);
    let deadline = Instant::now() + Duration::from_secs(5);
    while edge_hubs.get(CHANNEL).is_some() || ingest_hub.stats().subscribers > 0 {
        assert!(
            Instant::now() < deadline,
            "the edge still holds the channel"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    ingest.shutdown.cancel();
}

#[tokio::test]
async fn the_end_of_a_stream_reaches_the_edge_and_an_offline_channel_is_not_pulled() {
    let dir = tempfile::tempdir().unwrap();
    let ingest = ingest(dir.path()).await;
    let (client, edge_hubs) = edge(ingest.origin.clone(), Duration::from_secs(30));
    assert!(
        client.pull(CHANNEL + 1).await.is_none(),
        "not live on the ingest"
    );
    assert!(edge_hubs.get(CHANNEL + 1).is_none());

    let hub = client.pull(CHANNEL).await.unwrap();
    let mut viewer = hub.subscribe(SubscriberOptions::default());
    next_packet(&mut viewer).await;
    let ingest_hub = ingest.hubs.get(CHANNEL).unwrap();
    ingest.hubs.remove(&ingest_hub);
    let ended = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(_event) = viewer.recv().await {}
    })
    .await;
    assert!(ended.is_ok(), "the edge's viewers see the end within 2 s");
    assert!(edge_hubs.get(CHANNEL).is_none());
    ingest.shutdown.cancel();
}
