//! The fault suite: real `shimmer serve` processes crashed, stopped with clients attached, and
//! cut off from their PostgreSQL and NATS servers (which the tests own, so they can stop and
//! restart them), and nodes sharing one database started and stopped in turn. Each test is a
//! short form of the probe that found the defect it keeps fixed.

mod api_support;
mod support;

use std::time::{Duration, Instant};

use api_support::{create_app, graphql, Auth};
use futures::StreamExt;
use serde_json::Value;
use sqlx::Connection;
use support::chat::{channel_of, connect, frames_within, next_of, send, texts, until_heard};
use support::services::{self, Nats, Postgres};
use support::{push, wait_until, Browser, Server};
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "correct horse battery";

/// Chat limits loose enough for a test that sends a message every few hundred milliseconds.
const LOOSE_CHAT: [(&str, &str); 2] = [
    ("SHIMMER_CHAT__USER_BURST", "100"),
    ("SHIMMER_CHAT__USER_INTERVAL_MS", "10"),
];

/// `(stream id, end reason, node id)` of every stream of the database, oldest first.
async fn streams_in(url: &str) -> Vec<(i64, Option<String>, Option<String>)> {
    sqlx::any::install_default_drivers();
    let mut connection = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::query_as("SELECT id, end_reason, node_id FROM streams ORDER BY id")
        .fetch_all(&mut connection)
        .await
        .unwrap()
}

fn sqlite_url(server: &Server) -> String {
    format!("sqlite://{}/shimmer.db", server.data_dir.display())
}

fn is_live(server: &Server, username: &str) -> bool {
    server.channel_status(username).starts_with("live ")
}

/// `/healthz?detail` of a server, with how long it took to answer.
async fn health(server: &Server) -> (u16, Value, Duration) {
    let started = Instant::now();
    let response = reqwest::Client::new()
        .get(server.url("/healthz?detail"))
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, started.elapsed())
}

/// Whether `/healthz?detail` says all is well (database and bus) within `seconds`.
async fn healthy_within(server: &Server, seconds: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        let (status, detail, _) = health(server).await;
        if status == 200 && detail["status"] == "ok" {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

/// Defect 1 of issue 13, and nodes starting and stopping in turn: a node's start-up used to
/// close every open stream in the shared database, taking the other node's channels offline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_sharing_a_database_never_end_each_others_streams() {
    if !services::available("nodes_sharing_a_database_never_end_each_others_streams") {
        return;
    }
    let postgres = Postgres::start();
    let url = postgres.url();
    let env = [("SHIMMER_DATABASE_URL", url.as_str())];
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut first = Server::start_in(dir_a.path(), &env);
    first.create_user("ana", PASSWORD, true);
    let mut streamer = push(first.ftl_port, &first.stream_key("ana"), &["--loop"]);
    assert!(wait_until(20, || is_live(&first, "ana")), "ana goes live");
    let live = first.channel_status("ana");

    for turn in 0..2 {
        let mut second = Server::start_in(dir_b.path(), &env);
        assert_eq!(
            second.channel_status("ana"),
            live,
            "turn {turn}: still live with the same stream after the other node started"
        );
        assert!(second.stop(), "turn {turn}: the other node stops cleanly");
        assert_eq!(
            first.channel_status("ana"),
            live,
            "turn {turn}: after it stopped"
        );
    }
    assert!(
        streamer.try_wait().unwrap().is_none(),
        "the streamer is still connected to the first node"
    );
    let open = streams_in(&url).await;
    assert_eq!(open.len(), 1);
    let (stream_id, reason, owner) = open[0].clone();
    assert_eq!(reason, None, "the stream is open");
    assert!(owner.is_some(), "the stream records its node");

    // The first node crashes: the other node's start-up leaves its stream alone (closing a
    // crashed node's streams is its own restart's job, or a lease's), and the first node's
    // restart closes it.
    first.kill();
    let _ = streamer.kill();
    let _ = streamer.wait();
    let mut second = Server::start_in(dir_b.path(), &env);
    assert_eq!(
        streams_in(&url).await[0].1,
        None,
        "another node never closes it"
    );
    assert!(second.stop());
    let restarted = Server::start_in(dir_a.path(), &env);
    assert_eq!(
        streams_in(&url).await,
        vec![(stream_id, Some("recovered".into()), owner)]
    );
    assert_eq!(restarted.channel_status("ana"), "offline");
}

/// SIGKILL mid-stream, then a restart: the stream record is closed and the channel can go
/// live again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_mid_stream_is_recovered_on_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(dir.path(), &[]);
    server.create_user("kit", PASSWORD, true);
    let key = server.stream_key("kit");
    let mut streamer = push(server.ftl_port, &key, &["--loop"]);
    assert!(wait_until(20, || is_live(&server, "kit")));
    server.kill();
    let _ = streamer.kill();
    let _ = streamer.wait();

    let mut server = Server::start_in(dir.path(), &[]);
    let url = sqlite_url(&server);
    let streams = streams_in(&url).await;
    assert_eq!(streams.len(), 1);
    assert_eq!(streams[0].1.as_deref(), Some("recovered"));
    assert_eq!(server.channel_status("kit"), "offline");

    let mut streamer = push(server.ftl_port, &key, &["--loop"]);
    assert!(wait_until(20, || is_live(&server, "kit")), "live again");
    assert!(server.stop());
    let _ = streamer.kill();
    let _ = streamer.wait();
    let streams = streams_in(&url).await;
    assert_eq!(streams.len(), 2);
    assert!(streams.iter().all(|(_, reason, _)| reason.is_some()));
}

/// Defect 2 of issue 13: SIGTERM never completed while a channel page was open (its
/// live-status stream held the graceful shutdown). With a live-status stream, a chat socket
/// and a WebRTC viewer attached, the server now exits within its bound, tells the chat it is
/// restarting, and closes the stream record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_with_open_clients_exits_within_the_bound() {
    const BOUND_SECS: u64 = 5;
    let bound = BOUND_SECS.to_string();
    let (mut server, log) = Server::start_with_log(&[("SHIMMER_SHUTDOWN_TIMEOUT_SECS", &bound)]);
    server.create_user("lou", PASSWORD, true);
    let channel = channel_of(&server, "lou");
    let mut streamer = push(server.ftl_port, &server.stream_key("lou"), &["--loop"]);
    assert!(wait_until(20, || is_live(&server, "lou")));

    let mut events = reqwest::Client::new()
        .get(server.url(&format!("/api/channels/{channel}/events")))
        .send()
        .await
        .unwrap();
    let first = String::from_utf8(events.chunk().await.unwrap().unwrap().to_vec()).unwrap();
    assert!(first.contains("\"status\""), "{first}");
    let cookie = Browser::new(&server).session_cookie("lou", PASSWORD).await;
    let mut chat = connect(&server, &channel, Some(&cookie)).await;
    next_of(&mut chat, "welcome").await;
    let viewer = tokio::spawn({
        let options = shimmer_testkit::whep_client::ViewerOptions::new(
            server.url("/api/whep/lou"),
            Duration::from_secs(60),
        );
        async move { shimmer_testkit::whep_client::run_viewer(&reqwest::Client::new(), &options).await }
    });
    tokio::time::sleep(Duration::from_secs(2)).await;

    let (status, took) = server
        .terminate_within(Duration::from_secs(BOUND_SECS + 10))
        .expect("the server exits after SIGTERM");
    eprintln!("SIGTERM to exit with SSE, chat and WHEP clients open: {took:?}");
    assert!(status.success(), "{status}");
    assert!(took < Duration::from_secs(BOUND_SECS + 1), "{took:?}");

    let close = loop {
        match tokio::time::timeout(Duration::from_secs(5), chat.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => break frame,
            Ok(Some(Ok(_))) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    let close = close.expect("a close frame with a reason");
    assert_eq!(u16::from(close.code), 1012);
    assert_eq!(close.reason.as_str(), "server restarting");
    let mut rest = String::new();
    while let Ok(Some(chunk)) = events.chunk().await {
        rest.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(rest.contains("\"restarting\""), "{rest}");
    let report = viewer.await.unwrap();
    assert!(report.connected, "the viewer was watching: {report:?}");

    let streams = streams_in(&sqlite_url(&server)).await;
    assert_eq!(streams.len(), 1);
    assert_eq!(streams[0].1.as_deref(), Some("shutdown"));
    // Every background task stopped in time, and none had stopped before the signal.
    let log = std::fs::read_to_string(log).unwrap();
    assert!(log.contains("stopped"), "{log}");
    for failure in ["background task", "background tasks still running"] {
        assert!(!log.contains(failure), "{failure}: {log}");
    }
    let _ = streamer.kill();
    let _ = streamer.wait();
}

/// Defect 4 of issue 13: chat across nodes lost messages silently while NATS was down (10 of
/// 25 in a 10 s outage, and the sender saw success). Now every message either reaches the
/// other node or its sender hears, by name, that it was not sent; the outage shows in
/// `/healthz?detail`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_across_nodes_loses_nothing_silently_while_nats_is_down() {
    if !services::available("chat_across_nodes_loses_nothing_silently_while_nats_is_down") {
        return;
    }
    let postgres = Postgres::start();
    let mut nats = Nats::start();
    let (database, bus) = (postgres.url(), nats.url());
    let mut env = vec![
        ("SHIMMER_DATABASE_URL", database.as_str()),
        ("SHIMMER_NATS_URL", bus.as_str()),
    ];
    env.extend(LOOSE_CHAT);
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = Server::start_in(dir_a.path(), &env);
    let second = Server::start_in(dir_b.path(), &env);
    first.create_user("mia", PASSWORD, true);
    let channel = channel_of(&first, "mia");
    let cookie = Browser::new(&first).session_cookie("mia", PASSWORD).await;
    let mut sender = connect(&first, &channel, Some(&cookie)).await;
    let mut reader = connect(&second, &channel, None).await;
    next_of(&mut sender, "welcome").await;
    next_of(&mut reader, "welcome").await;
    until_heard(&mut sender, &mut reader, "warm-up").await;
    let _ = frames_within(&mut sender, Duration::from_millis(300)).await;

    nats.stop();
    let outage = Instant::now();
    let mut sent = Vec::new();
    let mut sender_frames = Vec::new();
    let mut reader_frames = Vec::new();
    for n in 0..25 {
        let text = format!("outage message {n}");
        send(&mut sender, &text).await;
        sent.push(text);
        sender_frames.extend(frames_within(&mut sender, Duration::from_millis(200)).await);
        reader_frames.extend(frames_within(&mut reader, Duration::from_millis(200)).await);
    }
    let (_, outage_health, _) = health(&first).await;
    assert!(outage.elapsed() >= Duration::from_secs(10));
    nats.resume();

    // Until the bus is back, these are refused or (JetStream) held and delivered late.
    until_heard(&mut sender, &mut reader, "after the outage").await;
    sender_frames.extend(frames_within(&mut sender, Duration::from_secs(2)).await);
    reader_frames.extend(frames_within(&mut reader, Duration::from_secs(2)).await);

    let delivered = texts(&reader_frames);
    let refused: Vec<&Value> = sender_frames
        .iter()
        .filter(|frame| frame["type"] == "refused" && frame["code"] == "not_delivered")
        .collect();
    let mut silent = Vec::new();
    let mut reported_count = 0;
    for text in &sent {
        let reported = refused.iter().any(|frame| {
            frame["text"] == text.as_str()
                && frame["message"].as_str().unwrap_or_default().contains(text)
        });
        reported_count += usize::from(reported);
        if !delivered.contains(text) && !reported {
            silent.push(text.clone());
        }
    }
    eprintln!(
        "NATS outage: {} sent, {} delivered, {} refused by name, {} lost silently",
        sent.len(),
        sent.iter().filter(|text| delivered.contains(text)).count(),
        reported_count,
        silent.len()
    );
    assert!(
        silent.is_empty(),
        "lost without a word to the sender: {silent:?}"
    );
    assert_eq!(outage_health["bus"]["connected"], false, "{outage_health}");
    assert_eq!(outage_health["status"], "degraded", "{outage_health}");
    assert!(healthy_within(&first, 20).await, "the bus is back");
}

/// Defect 9 of issue 13: during a PostgreSQL outage `/healthz` and pages hung instead of
/// answering 503, and a chat sender got a vague error ~10 s later. Now both answer 503 at
/// once, every chat message sent under load is delivered or refused by name, and all is well
/// once the database is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_answers_503_at_once_and_names_refused_messages() {
    if !services::available("a_database_outage_answers_503_at_once_and_names_refused_messages") {
        return;
    }
    let postgres = Postgres::start();
    let url = postgres.url();
    let mut env = vec![("SHIMMER_DATABASE_URL", url.as_str())];
    env.extend(LOOSE_CHAT);
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_in(dir.path(), &env);
    server.create_user("noa", PASSWORD, true);
    let channel = channel_of(&server, "noa");
    let cookie = Browser::new(&server).session_cookie("noa", PASSWORD).await;
    let mut sender = connect(&server, &channel, Some(&cookie)).await;
    let mut reader = connect(&server, &channel, None).await;
    next_of(&mut sender, "welcome").await;
    next_of(&mut reader, "welcome").await;
    until_heard(&mut sender, &mut reader, "before the outage").await;

    postgres.stop();
    let (status, detail, took) = health(&server).await;
    eprintln!("/healthz during a PostgreSQL outage: {status} in {took:?}");
    assert_eq!(status, 503, "{detail}");
    assert!(took < Duration::from_secs(4), "{took:?}");
    assert_eq!(detail["database"]["ok"], false, "{detail}");
    let started = Instant::now();
    let page = reqwest::Client::new()
        .get(server.url("/"))
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(page.status().as_u16(), 503);
    let body = page.text().await.unwrap();
    assert!(body.contains("The database is unavailable"), "{body}");
    assert!(took < Duration::from_secs(4), "{took:?}");

    let mut sent = Vec::new();
    let mut sender_frames = Vec::new();
    let mut reader_frames = Vec::new();
    for n in 0..5 {
        let text = format!("message {n} while the database is down");
        let started = Instant::now();
        send(&mut sender, &text).await;
        let refusal = next_of(&mut sender, "refused").await;
        let took = started.elapsed();
        assert_eq!(refusal["code"], "unavailable", "{refusal}");
        assert_eq!(refusal["text"], text.as_str(), "{refusal}");
        let message = refusal["message"].as_str().unwrap();
        assert!(message.contains("database is unavailable"), "{message}");
        assert!(message.contains(&text[..20]), "{message}");
        eprintln!("chat refusal during the outage after {took:?}");
        assert!(took < Duration::from_secs(4), "{took:?}");
        sent.push(text);
        sender_frames.push(refusal);
        reader_frames.extend(frames_within(&mut reader, Duration::from_millis(100)).await);
    }

    postgres.resume();
    assert!(healthy_within(&server, 30).await, "the database comes back");
    until_heard(&mut sender, &mut reader, "after the outage").await;
    let delivered = texts(&reader_frames);
    for text in &sent {
        let refused = sender_frames
            .iter()
            .any(|frame| frame["type"] == "refused" && frame["text"] == text.as_str());
        assert!(delivered.contains(text) || refused, "{text:?} vanished");
    }
    let (status, _) = Browser::new(&server).get("/").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn rate_limits_hold_for_the_site_not_per_node() {
    if !services::available("rate_limits_hold_for_the_site_not_per_node") {
        return;
    }
    let postgres = Postgres::start();
    let nats = Nats::start();
    let (database, bus) = (postgres.url(), nats.url());
    let env = [
        ("SHIMMER_DATABASE_URL", database.as_str()),
        ("SHIMMER_NATS_URL", bus.as_str()),
        ("SHIMMER_API__REQUESTS_PER_SECOND", "1"),
        ("SHIMMER_API__BURST", "4"),
    ];
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = Server::start_in(dir_a.path(), &env);
    let second = Server::start_in(dir_b.path(), &env);
    first.create_user("target", PASSWORD, true);

    // Ten wrong passwords for one account are allowed at once, spread over both nodes...
    async fn wrong_password(node: &Server) -> u16 {
        Browser::new(node).login("target", "not the password").await
    }
    for n in 0..10 {
        let node = if n % 2 == 0 { &first } else { &second };
        assert_eq!(wrong_password(node).await, 401, "attempt {n}");
    }
    // ...and the eleventh is refused on either node: one allowance for the site.
    for node in [&first, &second] {
        assert_eq!(wrong_password(node).await, 429);
    }

    // An API client's burst is shared too: four requests over two nodes spend it.
    let app = create_app(&first, "target", false);
    async fn ask(node: &Server, client_id: &str) -> (u16, Value) {
        let query = "{ categories { id } }";
        graphql(
            node,
            "/api/graph",
            Auth::ClientId(client_id),
            query,
            Value::Null,
        )
        .await
    }
    for n in 0..4 {
        let node = if n % 2 == 0 { &first } else { &second };
        let (status, body) = ask(node, &app.client_id).await;
        assert_eq!(status, 200, "request {n}: {body}");
    }
    for node in [&first, &second] {
        let (status, body) = ask(node, &app.client_id).await;
        assert_eq!(status, 429, "{body}");
    }
    // Limits are counted under hashed keys: no address or name in the table.
    sqlx::any::install_default_drivers();
    let mut connection = sqlx::AnyConnection::connect(&database).await.unwrap();
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM rate_allowances")
        .fetch_all(&mut connection)
        .await
        .unwrap();
    assert!(ids.len() >= 3, "{ids:?}");
    assert!(ids
        .iter()
        .all(|id| id.len() == 64 && id.chars().all(|c| c.is_ascii_hexdigit())));
}
