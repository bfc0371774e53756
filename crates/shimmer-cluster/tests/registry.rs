//! The registry against a real NATS server with JetStream (`scripts/with-services.sh` provides
//! one in SHIMMER_TEST_NATS_URL; without it the test is skipped, unless the run requires it).

use shimmer_cluster::registry::{NodeRecord, Registry};
use shimmer_cluster::Roles;

async fn registry() -> Option<Registry> {
    let Ok(url) = std::env::var("SHIMMER_TEST_NATS_URL") else {
        assert!(
            std::env::var("SHIMMER_REQUIRE_POSTGRES").is_err(),
            "SHIMMER_TEST_NATS_URL is required"
        );
        eprintln!("skipped: no SHIMMER_TEST_NATS_URL");
        return None;
    };
    let client = async_nats::connect(&url).await.expect("NATS answers");
    Some(Registry::open(client).await.expect("the buckets open"))
}

#[tokio::test]
async fn each_round_of_a_periodic_job_goes_to_exactly_one_node() {
    let Some(registry) = registry().await else {
        return;
    };
    let job = format!("test-job-{}", std::process::id());
    assert!(registry.claim_round(&job, 7, "node-a").await.unwrap());
    assert!(!registry.claim_round(&job, 7, "node-b").await.unwrap());
    assert!(
        !registry.claim_round(&job, 7, "node-a").await.unwrap(),
        "once, even for its owner"
    );
    assert!(
        registry.claim_round(&job, 8, "node-b").await.unwrap(),
        "the next round is free"
    );
    // Two nodes racing for one round: one wins.
    let (a, b) = tokio::join!(
        registry.claim_round(&job, 9, "node-a"),
        registry.claim_round(&job, 9, "node-b")
    );
    assert!(a.unwrap() ^ b.unwrap());
}

#[tokio::test]
async fn announced_nodes_are_listed_and_a_withdrawn_one_is_gone() {
    let Some(registry) = registry().await else {
        return;
    };
    let id = format!("registry-test-{}", std::process::id());
    let record = NodeRecord {
        node_id: id.clone(),
        roles: "edge".parse::<Roles>().unwrap(),
        base_url: "http://edge.example".into(),
        relay: None,
        viewers: 3,
        capacity: 100,
        streams: 0,
        relayed: vec![5],
        draining: false,
        zone: "eu".into(),
    };
    registry.announce(&record).await.unwrap();
    assert_eq!(registry.node(&id).await.unwrap(), Some(record.clone()));
    assert!(registry.nodes().await.unwrap().contains(&record));
    registry.withdraw(&id).await.unwrap();
    assert_eq!(registry.node(&id).await.unwrap(), None);
    assert!(!registry
        .nodes()
        .await
        .unwrap()
        .iter()
        .any(|node| node.node_id == id));
    // An id that cannot be a key is refused by name.
    let mut bad = record;
    bad.node_id = "has a space".into();
    assert!(registry
        .announce(&bad)
        .await
        .unwrap_err()
        .to_string()
        .contains("letters, digits"));
}
