//! The NATS bus against a real nats-server (started by the README's test command and named by
//! `SHIMMER_TEST_NATS_URL`): events published on one connection reach another.

use futures::StreamExt;
use shimmer_bus::{Bus, Event, NatsBus, StreamEndReason};

#[tokio::test]
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
    ];
    for event in sent.clone() {
        publisher.publish(event).await.unwrap();
    }
    publisher.flush().await.unwrap();
    for expected in sent {
        let received = tokio::time::timeout(std::time::Duration::from_secs(15), events.next())
            .await
            .expect("event within 15 s");
        assert_eq!(received, Some(expected));
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
