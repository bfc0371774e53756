//! The NATS bus against a real nats-server (started by the README's test command and named by
//! `SHIMMER_TEST_NATS_URL`): events published on one connection reach another.

use futures::StreamExt;
use shimmer_bus::{Bus, Event, NatsBus, StreamEndReason};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_cross_connections() {
    let Ok(url) = std::env::var("SHIMMER_TEST_NATS_URL") else {
        assert!(
            std::env::var("SHIMMER_REQUIRE_POSTGRES").is_err(),
            "the service script ran but SHIMMER_TEST_NATS_URL is unset"
        );
        eprintln!("NATS bus test skipped: SHIMMER_TEST_NATS_URL is unset");
        return;
    };
    let publisher = NatsBus::connect(&url).await.unwrap();
    let listener = NatsBus::connect(&url).await.unwrap();
    let mut events = listener.subscribe().await.unwrap();
    // Announce until the listener hears it: the subscription's interest reaches the server
    // asynchronously, and core NATS drops messages nobody is subscribed to yet.
    let probe = Event::ChannelUpdated { channel_id: 1 };
    let mut heard = false;
    for _ in 0..30 {
        publisher.publish(probe.clone()).await.unwrap();
        publisher.flush().await.unwrap();
        if let Ok(Some(event)) =
            tokio::time::timeout(std::time::Duration::from_millis(500), events.next()).await
        {
            assert_eq!(event, probe);
            heard = true;
            break;
        }
    }
    assert!(heard, "the listener hears the publisher within 15 s");
    while let Ok(Some(_)) =
        tokio::time::timeout(std::time::Duration::from_millis(200), events.next()).await
    {}

    let sent = [
        Event::StreamStarted {
            channel_id: 7,
            stream_id: 1,
        },
        Event::StreamEnded {
            channel_id: 7,
            stream_id: 1,
            reason: StreamEndReason::Timeout,
        },
        Event::FollowerAdded {
            channel_id: 7,
            streamer_id: 3,
            follower_id: 4,
        },
    ];
    for event in sent.clone() {
        publisher.publish(event).await.unwrap();
    }
    publisher.flush().await.unwrap();
    for expected in sent {
        let received = tokio::time::timeout(std::time::Duration::from_secs(5), events.next())
            .await
            .expect("event within 5 s");
        assert_eq!(received, Some(expected), "events arrive in order");
    }
}

#[tokio::test]
async fn connecting_to_nothing_is_a_clear_error() {
    let error = NatsBus::connect("nats://127.0.0.1:1")
        .await
        .err()
        .expect("no server there");
    assert!(
        error.to_string().contains("could not connect to NATS"),
        "{error}"
    );
}
