//! Shimmer split over several processes on one machine, as an operator runs it on several:
//! PostgreSQL, NATS with JetStream, a web node, an ingest node and two edges, each a real
//! `shimmer serve --roles ...` with its own ports and data directory.

mod support;

use std::time::{Duration, Instant};

use shimmer_testkit::whep_client::{run_viewer, ViewerOptions, ViewerReport};
use sqlx::Connection;
use support::chat::{channel_of, connect, next_of, until_heard};
use support::services::{self, Nats, Postgres};
use support::{push, wait_until, Browser, Server};

const PASSWORD: &str = "correct horse battery";

struct Cluster {
    web: Server,
    ingest: Server,
    edges: Vec<Server>,
    dirs: Vec<tempfile::TempDir>,
    nats: Nats,
    postgres: Postgres,
}

/// One node of the cluster with `roles`, named `node_id`, plus extra settings.
fn node(
    dirs: &mut Vec<tempfile::TempDir>,
    database: &str,
    bus: &str,
    roles: &str,
    node_id: &str,
    extra: &[(&str, &str)],
) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut env = vec![
        ("SHIMMER_DATABASE_URL", database),
        ("SHIMMER_NATS_URL", bus),
        ("SHIMMER_ROLES", roles),
        ("SHIMMER_NODE_ID", node_id),
    ];
    env.extend_from_slice(extra);
    let server = Server::start_in(dir.path(), &env);
    dirs.push(dir);
    server
}

/// Web first (it migrates the database), then ingest, then two edges; `edge_a` settings apply
/// to the first edge only.
fn start(edge_a: &[(&str, &str)]) -> Cluster {
    let postgres = Postgres::start();
    let nats = Nats::start();
    let (database, bus) = (postgres.url(), nats.url());
    let mut dirs = Vec::new();
    // Viewer samples every second, so a short test sees one stored.
    let web = node(
        &mut dirs,
        &database,
        &bus,
        "web",
        "web",
        &[("SHIMMER_COMMUNITY__VIEWER_SAMPLE_SECS", "1")],
    );
    let ingest = node(&mut dirs, &database, &bus, "ingest", "ingest", &[]);
    let edges = vec![
        node(&mut dirs, &database, &bus, "edge", "edge-a", edge_a),
        node(&mut dirs, &database, &bus, "edge", "edge-b", &[]),
    ];
    Cluster {
        web,
        ingest,
        edges,
        dirs,
        nats,
        postgres,
    }
}

/// A new streamer `username` live on the ingest node with `shimmer push --loop`: their stream
/// key and the push process.
fn go_live(cluster: &Cluster, username: &str) -> (String, std::process::Child) {
    cluster.web.create_user(username, PASSWORD, true);
    let key = cluster.web.stream_key(username);
    let streamer = push(cluster.ingest.ftl_port, &key, &["--loop"]);
    assert!(
        wait_until(20, || is_live(&cluster.web, username)),
        "{username} goes live on the ingest node"
    );
    (key, streamer)
}

fn is_live(server: &Server, username: &str) -> bool {
    server.channel_status(username).starts_with("live")
}

async fn watch(url: String, viewer: &str, seconds: u64) -> ViewerReport {
    let mut options = ViewerOptions::new(url, Duration::from_secs(seconds));
    options.viewer_key = Some(viewer.to_owned());
    run_viewer(&reqwest::Client::new(), &options).await
}

async fn viewers(server: &Server, channel_id: i64) -> serde_json::Value {
    reqwest::get(server.url(&format!("/api/channels/{channel_id}/viewers")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn channel_id(server: &Server, username: &str) -> i64 {
    let page = reqwest::get(server.url(&format!("/{username}")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page.find("data-channel-id=\"").expect("a channel page") + 17;
    page[start..].split('"').next().unwrap().parse().unwrap()
}

/// Share of strongly coloured pixels of a JPEG: ffmpeg's test card is mostly saturated bars,
/// the placeholders have next to none.
fn colourful_share(jpeg: &[u8]) -> f64 {
    let image = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)
        .expect("a JPEG")
        .to_rgb8();
    let colourful = image
        .pixels()
        .filter(|p| p.0.iter().max().unwrap() - p.0.iter().min().unwrap() > 100)
        .count();
    colourful as f64 / f64::from(image.width() * image.height())
}

/// The node that answered a viewer's offer, by its base URL.
fn served_by<'a>(report: &ViewerReport, cluster: &'a Cluster) -> &'a Server {
    let session = report.session_url.as_deref().expect("a session URL");
    cluster
        .edges
        .iter()
        .chain([&cluster.web, &cluster.ingest])
        .find(|server| session.starts_with(&server.base_url))
        .unwrap_or_else(|| panic!("no node serves {session}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_on_the_ingest_node_plays_on_the_edges_the_web_node_sends_viewers_to() {
    if !services::available("a_stream_on_the_ingest_node_plays_on_the_edges") {
        return;
    }
    // Edge A takes one viewer at most, so the second viewer the web node places goes to B.
    let mut cluster = start(&[("SHIMMER_WEBRTC__MAX_SESSIONS", "1")]);
    // The web node places viewers and serves none itself: it opens no WebRTC socket.
    assert_eq!(cluster.web.webrtc_addr, None);
    assert!(cluster.edges.iter().all(|edge| edge.webrtc_addr.is_some()));
    let (_, mut streamer) = go_live(&cluster, "ana");
    let channel = channel_id(&cluster.web, "ana").await;

    // A viewer asks the web node, which is no edge: 307 to an edge, which pulls the channel
    // from the ingest node over the relay and plays it from a keyframe.
    let first = tokio::spawn(watch(cluster.web.url("/api/whep/ana"), "viewer-one", 8));
    // Registry entries carry each edge's viewers, renewed every second.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let second = watch(cluster.web.url("/api/whep/ana"), "viewer-two", 3).await;
    // The web node, which counts the edges' viewers from the bus, stores the samples.
    let sampled = {
        sqlx::any::install_default_drivers();
        let mut connection = sqlx::AnyConnection::connect(&cluster.postgres.url())
            .await
            .unwrap();
        sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COALESCE(MAX(m.viewers), 0) AS BIGINT) FROM stream_minutes m \
             JOIN streams s ON s.id = m.stream_id WHERE s.channel_id = $1",
        )
        .bind(channel)
        .fetch_one(&mut connection)
        .await
        .unwrap()
    };
    assert!(sampled >= 1, "a viewer sample was stored: {sampled}");
    let first = first.await.unwrap();
    for (name, report) in [("first", &first), ("second", &second)] {
        assert_eq!(report.status, 201, "{name}: {report:?}");
        assert!(report.connected, "{name} connected: {report:?}");
        assert_eq!(
            report.first_video_is_keyframe,
            Some(true),
            "{name}: {report:?}"
        );
        assert!(
            report.video.packets > 50 && report.audio.packets > 20,
            "{name}: {report:?}"
        );
    }
    let (first_edge, second_edge) = (served_by(&first, &cluster), served_by(&second, &cluster));
    assert!(
        cluster
            .edges
            .iter()
            .any(|edge| std::ptr::eq(edge, first_edge))
            && cluster
                .edges
                .iter()
                .any(|edge| std::ptr::eq(edge, second_edge)),
        "both viewers are on edges"
    );
    assert!(
        !std::ptr::eq(first_edge, second_edge),
        "the full edge is skipped: {:?} then {:?}",
        first.session_url,
        second.session_url
    );
    // HLS through the web node, which packages nothing: 307 to an edge, which packages the
    // relayed stream and serves the playlists and parts itself.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let asked = client
        .get(cluster.web.url("/hls/ana/index.m3u8"))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 307);
    let location = asked.headers()["location"].to_str().unwrap().to_string();
    assert!(
        cluster
            .edges
            .iter()
            .any(|edge| location == edge.url("/hls/ana/index.m3u8")),
        "an edge serves HLS: {location}"
    );
    let multivariant = client.get(&location).send().await.unwrap();
    assert_eq!(multivariant.status(), 200);
    let multivariant = multivariant.text().await.unwrap();
    assert!(multivariant.contains("\nstream.m3u8\n"), "{multivariant}");
    let media = client
        .get(location.replace("index.m3u8", "stream.m3u8"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(media.contains("#EXT-X-PART:"), "{media}");
    assert_eq!(
        client
            .get(cluster.web.url("/hls/nobody/index.m3u8"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // Chat sent on the web node reaches a socket on a second web node, through NATS.
    let mut second_web = node(
        &mut cluster.dirs,
        &cluster.postgres.url(),
        &cluster.nats.url(),
        "web",
        "web-b",
        &[],
    );
    let chat_channel = channel_of(&cluster.web, "ana");
    let cookie = Browser::new(&cluster.web)
        .session_cookie("ana", PASSWORD)
        .await;
    let mut sender = connect(&cluster.web, &chat_channel, Some(&cookie)).await;
    let mut reader = connect(&second_web, &chat_channel, None).await;
    next_of(&mut sender, "welcome").await;
    next_of(&mut reader, "welcome").await;
    until_heard(&mut sender, &mut reader, "hello from the first web node").await;
    let (exit, _) = second_web
        .terminate_within(Duration::from_secs(12))
        .expect("the second web node exits after SIGTERM");
    assert!(exit.success());

    let figures = viewers(&cluster.web, channel).await;
    assert_eq!(
        figures["peak"], 2,
        "viewers on both edges are counted once each: {figures}"
    );
    assert_eq!(figures["unique"], 2, "{figures}");

    // The ingest node renders the live thumbnail; the web node serves it.
    let thumbnail = cluster
        .web
        .url(&format!("/channels/{channel}/thumbnail/416.jpg"));
    let rendered = Instant::now();
    loop {
        let bytes = reqwest::get(&thumbnail)
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        if colourful_share(&bytes) > 0.3 {
            break;
        }
        assert!(
            rendered.elapsed() < Duration::from_secs(10),
            "the web node serves the frame the ingest node rendered"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // Operators see the nodes, their roles and who relays the stream.
    let status = cluster.web.cli(&["cluster", "status", "--json"]);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    let roles: Vec<(String, String)> = status["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| {
            (
                node["node_id"].as_str().unwrap().to_owned(),
                node["roles"].to_string(),
            )
        })
        .collect();
    assert_eq!(roles.len(), 4, "{status}");
    assert_eq!(status["streams"][0]["channel_id"], channel, "{status}");
    assert_eq!(status["streams"][0]["ingest_node"], "ingest", "{status}");
    let metrics = cluster.edges[1].metrics().await;
    assert!(
        metrics.contains("shimmer_node_info{node_id=\"edge-b\",roles=\"edge\"} 1"),
        "each node's metrics name it and its roles"
    );

    // An edge stopped with SIGTERM drains: it leaves the registry at once, so no viewer is
    // sent to it any more, and exits within the shutdown bound.
    let (exit, took) = cluster.edges[1]
        .terminate_within(Duration::from_secs(12))
        .expect("the edge exits after SIGTERM");
    assert!(exit.success(), "clean exit after {took:?}");
    let status = cluster.web.cli(&["cluster", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    let ids: Vec<&str> = status["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|node| node["node_id"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["edge-a", "ingest", "web"],
        "the drained edge is gone from the registry"
    );

    // The stream ends on the ingest node: offline everywhere.
    let _ = streamer.kill();
    let _ = streamer.wait();
    assert!(wait_until(20, || !is_live(&cluster.web, "ana")));
    let bytes = reqwest::get(&thumbnail)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        colourful_share(&bytes) < 0.05,
        "offline: the placeholder again, not the last frame"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_ingest_node_takes_its_channels_offline_and_a_crashed_edge_is_routed_around() {
    if !services::available("a_crashed_ingest_node_takes_its_channels_offline") {
        return;
    }
    let mut cluster = start(&[]);
    let (key, mut streamer) = go_live(&cluster, "bob");

    // Edge A is killed: within 5 s the web node sends new viewers to edge B only.
    let a_url = cluster.edges[0].base_url.clone();
    let watching = watch(cluster.edges[0].url("/api/whep/bob"), "on-a", 2).await;
    assert!(watching.connected, "{watching:?}");
    cluster.edges[0].kill();
    let killed = Instant::now();
    let mut report;
    loop {
        report = watch(cluster.web.url("/api/whep/bob"), "after-a", 2).await;
        if report.connected {
            break;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(5),
            "no edge took the viewer: {report:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        killed.elapsed() < Duration::from_secs(7),
        "playing again after {:?}",
        killed.elapsed()
    );
    assert!(!report.session_url.as_deref().unwrap().starts_with(&a_url));

    // The ingest node is killed: the channel is offline within 10 s, its stream record closed
    // as lost, and the streamer goes live at once on another ingest node.
    cluster.ingest.kill();
    let _ = streamer.kill();
    let _ = streamer.wait();
    let killed = Instant::now();
    assert!(
        wait_until(12, || !is_live(&cluster.web, "bob")),
        "offline after the ingest died"
    );
    assert!(
        killed.elapsed() < Duration::from_secs(10),
        "offline after {:?}",
        killed.elapsed()
    );
    let postgres_url = cluster.postgres.url();
    let mut dirs = Vec::new();
    let replacement = node(
        &mut dirs,
        &postgres_url,
        &cluster.nats.url(),
        "ingest",
        "ingest-2",
        &[],
    );
    let mut streamer = push(replacement.ftl_port, &key, &["--loop"]);
    assert!(
        wait_until(20, || is_live(&cluster.web, "bob")),
        "live again on the other ingest node"
    );
    let report = watch(cluster.web.url("/api/whep/bob"), "after-ingest", 2).await;
    assert!(report.connected && report.video.packets > 20, "{report:?}");
    let _ = streamer.kill();
    let _ = streamer.wait();
    let reasons: Vec<Option<String>> = {
        use sqlx::Connection;
        let mut db = sqlx::PgConnection::connect(&postgres_url).await.unwrap();
        sqlx::query_scalar("SELECT end_reason FROM streams ORDER BY id")
            .fetch_all(&mut db)
            .await
            .unwrap()
    };
    assert_eq!(
        reasons.first().cloned().flatten().as_deref(),
        Some("node_lost"),
        "{reasons:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_edge_never_delays_the_other_and_a_nats_restart_heals_by_itself() {
    if !services::available("a_stalled_edge_never_delays_the_other") {
        return;
    }
    let mut cluster = start(&[]);
    let (_, mut streamer) = go_live(&cluster, "cyd");

    // Both edges relay the channel; edge A is frozen (SIGSTOP) for 5 s while B's viewer
    // watches: B's viewer loses nothing.
    let a_viewer = tokio::spawn(watch(cluster.edges[0].url("/api/whep/cyd"), "on-a", 2));
    assert!(a_viewer.await.unwrap().connected);
    let b_viewer = tokio::spawn(watch(cluster.edges[1].url("/api/whep/cyd"), "on-b", 9));
    tokio::time::sleep(Duration::from_secs(2)).await;
    cluster.edges[0].signal("STOP");
    tokio::time::sleep(Duration::from_secs(5)).await;
    cluster.edges[0].signal("CONT");
    let b = b_viewer.await.unwrap();
    assert!(b.connected, "{b:?}");
    assert_eq!(
        b.video.lost, 0,
        "the other edge's viewer lost nothing: {b:?}"
    );
    assert!(b.video.packets > 150, "{b:?}");
    // The thawed edge serves again.
    let mut a_again = watch(cluster.edges[0].url("/api/whep/cyd"), "on-a-again", 2).await;
    if !a_again.connected {
        tokio::time::sleep(Duration::from_secs(2)).await;
        a_again = watch(cluster.edges[0].url("/api/whep/cyd"), "on-a-again", 2).await;
    }
    assert!(
        a_again.connected && a_again.video.packets > 20,
        "{a_again:?}"
    );

    // NATS restarts under the running cluster: no node restarts, the stream stays live, and
    // viewers are placed and served again.
    cluster.nats.stop();
    tokio::time::sleep(Duration::from_secs(2)).await;
    cluster.nats.resume();
    let restarted = Instant::now();
    let report = loop {
        let report = watch(cluster.web.url("/api/whep/cyd"), "after-nats", 2).await;
        if report.connected || restarted.elapsed() > Duration::from_secs(15) {
            break report;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert!(report.connected && report.video.packets > 20, "{report:?}");
    assert!(is_live(&cluster.web, "cyd"), "the stream was never ended");
    assert!(
        streamer.try_wait().unwrap().is_none(),
        "the streamer stayed connected"
    );
    let _ = streamer.kill();
    let _ = streamer.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_keeps_flowing_through_a_database_outage_while_pages_answer_503() {
    if !services::available("media_keeps_flowing_through_a_database_outage") {
        return;
    }
    let cluster = start(&[]);
    let (_, mut streamer) = go_live(&cluster, "dee");
    let edge = cluster.edges[0].url("/api/whep/1");
    let before = watch(edge.clone(), "before", 3).await;
    assert!(before.connected, "{before:?}");
    let rate = before.video.packets as f64 / 3.0;

    // A viewer watches for 24 s; 2 s in, PostgreSQL stops for 20 s.
    let during = tokio::spawn(watch(edge, "during", 24));
    tokio::time::sleep(Duration::from_secs(2)).await;
    cluster.postgres.stop();
    let stopped = Instant::now();
    let page = reqwest::get(cluster.web.url("/")).await.unwrap();
    let status = page.status().as_u16();
    let text = page.text().await.unwrap();
    assert_eq!(status, 503, "pages answer 503 while the database is down");
    assert!(
        text.contains("database"),
        "with a message that says why: {text}"
    );
    tokio::time::sleep(Duration::from_secs(20).saturating_sub(stopped.elapsed())).await;
    cluster.postgres.resume();
    let during = during.await.unwrap();
    assert!(during.connected, "{during:?}");
    let kept = during.video.packets as f64 / 24.0 / rate;
    assert!(
        kept > 0.8,
        "media kept flowing: {:.0}% of the normal packet rate, {during:?}",
        kept * 100.0
    );
    assert_eq!(during.video.lost, 0, "{during:?}");

    // Everything comes back without a restart; the stream was never ended.
    let back = Instant::now();
    loop {
        let status = reqwest::get(cluster.web.url("/"))
            .await
            .map(|r| r.status().as_u16())
            .ok();
        if status == Some(200) {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(15),
            "pages still answer {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        is_live(&cluster.web, "dee"),
        "the stream outlived the outage"
    );
    assert!(
        streamer.try_wait().unwrap().is_none(),
        "the streamer stayed connected"
    );
    let _ = streamer.kill();
    let _ = streamer.wait();
}
