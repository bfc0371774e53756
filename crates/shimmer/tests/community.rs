//! Community features end to end on a real server: categories, subcategories and tags with
//! their validation, editors, follows and their authorization, live-notification emails (one
//! per stream, hourly and daily caps, unsubscribe), discovery pages and viewer counts over real
//! WHEP sessions.

mod support;

use std::time::Duration;

use sqlx::Row;
use support::{push, wait_until, Browser, Server};

const PASSWORD: &str = "password123";

async fn signed_in(server: &Server, username: &str) -> Browser {
    let browser = Browser::new(server);
    assert_eq!(browser.login(username, PASSWORD).await, 303);
    browser
}

/// Submits the channel settings form with these community fields.
async fn save_channel(
    browser: &Browser,
    title: &str,
    category: &str,
    subcategory: &str,
    tags: &str,
) -> (u16, String) {
    let (status, _, body) = browser
        .post_form(
            "/users/settings/channel",
            "/users/settings/channel",
            &[
                ("title", title),
                ("language", "en"),
                ("category", category),
                ("subcategory", subcategory),
                ("tags", tags),
            ],
        )
        .await;
    (status, body)
}

fn channel_id_of(page: &str) -> i64 {
    let marker = "data-channel-id=\"";
    let start = page.find(marker).expect("a channel page") + marker.len();
    page[start..start + page[start..].find('"').unwrap()]
        .parse()
        .unwrap()
}

#[tokio::test]
async fn stream_information_is_validated_before_anything_is_written() {
    let server = Server::start();
    server.create_user("painter", PASSWORD, true);
    let browser = signed_in(&server, "painter").await;

    let (status, body) = save_channel(&browser, "New title", "cooking", "", "").await;
    assert_eq!(status, 422);
    assert!(body.contains("Choose a category from the list"), "{body}");
    let (status, body) = save_channel(&browser, "New title", "art", "", "Nice, <script>").await;
    assert_eq!(status, 422);
    assert!(body.contains("contains “&#60;”"), "{body}");
    let (status, body) =
        save_channel(&browser, "New title", "art", "", "nineteen characters").await;
    assert_eq!(status, 422);
    assert!(body.contains("2 to 18 characters"), "{body}");
    let (status, body) = save_channel(&browser, "New title", "art", "Oil/Acrylic", "").await;
    assert_eq!(status, 422);
    assert!(body.contains("Subcategory names cannot contain"), "{body}");
    let (status, body) = save_channel(&browser, "New title", "", "Portraits", "").await;
    assert_eq!(status, 422);
    assert!(
        body.contains("Choose a category before a subcategory"),
        "{body}"
    );
    let many = (0..11)
        .map(|n| format!("tag{n}"))
        .collect::<Vec<_>>()
        .join(",");
    let (status, body) = save_channel(&browser, "New title", "art", "", &many).await;
    assert_eq!(status, 422);
    assert!(body.contains("at most 10 tags"), "{body}");
    // Nothing of the refused forms was written.
    let (_, page) = browser.get("/painter").await;
    assert!(!page.contains("New title"));
    let (_, subcategories) = browser.get("/api/categories/art/subcategories?q=").await;
    assert!(
        subcategories.contains("\"subcategories\":[]"),
        "{subcategories}"
    );

    let (status, _) = save_channel(
        &browser,
        "Painting live",
        "art",
        "Oil Painting",
        "Landscapes, Chill: relaxed, landscapes",
    )
    .await;
    assert_eq!(status, 303);
    let (_, page) = browser.get("/painter").await;
    assert!(page.contains("Painting live"));
    assert!(
        page.contains("href=\"/streams/art?subcategory=oil-painting\""),
        "{page}"
    );
    assert!(page.contains(">Landscapes</a>") && page.contains(">Chill: relaxed</a>"));

    let visitor = Browser::new(&server);
    let (status, tags) = visitor.get("/api/categories/art/tags?q=land").await;
    assert_eq!(status, 200);
    assert!(
        tags.contains("\"name\":\"Landscapes\"") && tags.contains("\"count\":1"),
        "{tags}"
    );
    let (_, odd) = visitor.get("/api/categories/art/tags?q=%25_%27").await;
    assert!(
        odd.contains("\"tags\":["),
        "odd characters are only a query: {odd}"
    );
    let (_, subs) = visitor.get("/api/categories/art/subcategories?q=oil").await;
    assert!(subs.contains("Oil Painting"), "{subs}");
    let (status, unknown) = visitor.get("/api/categories/cooking/tags?q=a").await;
    assert_eq!(status, 404);
    assert!(unknown.contains("no such category"), "{unknown}");
    assert_eq!(visitor.get("/streams/cooking").await.0, 404);
    assert_eq!(visitor.get("/streams/art?tag=nope").await.0, 404);
    let (status, body) = visitor.get("/streams?language=xx").await;
    assert_eq!(status, 422);
    assert!(body.contains("Choose a language from the list"));
}

#[tokio::test]
async fn only_the_streamer_and_editors_edit_stream_information() {
    let server = Server::start();
    server.create_user("owner", PASSWORD, true);
    server.create_user("helper", PASSWORD, true);
    server.create_user("stranger", PASSWORD, true);
    let owner = signed_in(&server, "owner").await;
    assert_eq!(
        save_channel(&owner, "Owner title", "tech", "", "Rust")
            .await
            .0,
        303
    );
    let edit = |title: &'static str| {
        [
            ("title", title),
            ("tags", "Rust, Async"),
            ("category", "music"),
        ]
    };

    let stranger = signed_in(&server, "stranger").await;
    let (status, _, _) = stranger
        .post_form("/owner", "/owner/stream-info", &edit("Hijacked"))
        .await;
    assert_eq!(status, 403);
    let visitor = Browser::new(&server);
    let (status, location, _) = visitor
        .post_form("/owner", "/owner/stream-info", &edit("Hijacked"))
        .await;
    assert_eq!((status, location.as_deref()), (303, Some("/users/login")));

    // A moderator is not an editor until the streamer says so.
    let (status, _, _) = owner
        .post_form(
            "/users/settings/moderators",
            "/users/settings/moderators",
            &[("username", "helper"), ("delete", "on")],
        )
        .await;
    assert_eq!(status, 303);
    let helper = signed_in(&server, "helper").await;
    let (status, _, _) = helper
        .post_form("/owner", "/owner/stream-info", &edit("By a moderator"))
        .await;
    assert_eq!(status, 403);
    let (_, page) = helper.get("/owner").await;
    assert!(!page.contains("data-testid=\"stream-edit\""));

    owner
        .post_form(
            "/users/settings/moderators",
            "/users/settings/moderators",
            &[("username", "helper"), ("delete", "on"), ("editor", "on")],
        )
        .await;
    let (_, page) = helper.get("/owner").await;
    assert!(page.contains("data-testid=\"stream-edit\""));
    let (status, location, _) = helper
        .post_form("/owner", "/owner/stream-info", &edit("Edited by an editor"))
        .await;
    assert_eq!(status, 303, "editors may edit");
    assert_eq!(location.as_deref(), Some("/owner?notice=stream_saved"));
    let (_, page) = visitor.get("/owner").await;
    assert!(page.contains("Edited by an editor"));
    assert!(page.contains(">Async</a>"));
    assert!(
        page.contains("data-testid=\"channel-category\">Tech"),
        "an editor cannot change the category"
    );
    let (_, log) = owner.get("/owner/moderation").await;
    assert!(
        log.contains("<td>helper</td><td>edit title and tags</td>"),
        "{log}"
    );

    let (status, _, body) = helper
        .post_raw(
            "/owner/stream-info",
            &[
                ("_csrf", &helper.csrf("/owner").await),
                ("title", "x"),
                ("tags", "b@d"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("tags may use only letters"), "{body}");
}

#[tokio::test]
async fn follows_need_a_session_and_are_listed() {
    let server = Server::start();
    server.create_user("streamer", PASSWORD, true);
    server.create_user("fan", PASSWORD, true);
    let visitor = Browser::new(&server);
    let (status, location, _) = visitor
        .post_form("/streamer", "/streamer/follow", &[])
        .await;
    assert_eq!((status, location.as_deref()), (303, Some("/users/login")));
    let fan = signed_in(&server, "fan").await;
    let (status, _, _) = fan.post_raw("/streamer/follow", &[]).await;
    assert_eq!(status, 403, "no CSRF token, no follow");
    let (status, _, body) = fan.post_form("/fan", "/fan/follow", &[]).await;
    assert_eq!(status, 409);
    assert!(body.contains("cannot follow yourself"));
    assert_eq!(fan.post_form("/fan", "/nobody/follow", &[]).await.0, 404);

    let token = fan.csrf("/streamer").await;
    let response = fan
        .client
        .post(server.url("/streamer/follow"))
        .header("accept", "application/json")
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let state: serde_json::Value = response.json().await.unwrap();
    assert_eq!(state["following"], true);
    assert_eq!(state["notifications"], false);
    assert_eq!(state["followers"], 1);
    // Following again changes nothing.
    assert_eq!(
        fan.post_form("/streamer", "/streamer/follow", &[]).await.0,
        303
    );
    let (_, followers) = visitor.get("/streamer/followers").await;
    assert!(followers.contains("1 follower<") && followers.contains("href=\"/fan\""));
    let (_, following) = visitor.get("/fan/following").await;
    assert!(following.contains("href=\"/streamer\""));
    let (_, page) = fan.get("/streamer").await;
    assert!(page.contains(">Unfollow</button>"));
    let mut database = server.database().await;
    let lines: i64 = sqlx::query("SELECT COUNT(*) FROM chat_messages WHERE body = $1")
        .bind("just followed the channel!")
        .fetch_one(&mut database)
        .await
        .unwrap()
        .get(0);
    assert_eq!(lines, 1, "one \"just followed\" line");
    fan.post_form("/streamer", "/streamer/unfollow", &[]).await;
    fan.post_form("/streamer", "/streamer/follow", &[]).await;
    let lines: i64 = sqlx::query("SELECT COUNT(*) FROM chat_messages WHERE body = $1")
        .bind("just followed the channel!")
        .fetch_one(&mut database)
        .await
        .unwrap()
        .get(0);
    assert_eq!(lines, 1, "at most one line per 6 hours");
    let (status, _, _) = fan.post_form("/streamer", "/streamer/unfollow", &[]).await;
    assert_eq!(status, 303);
    let (_, followers) = visitor.get("/streamer/followers").await;
    assert!(followers.contains("0 followers"));
    let (status, _, body) = fan
        .post_form("/streamer", "/streamer/notifications", &[("enabled", "on")])
        .await;
    assert_eq!(status, 404);
    assert!(body.contains("Follow the streamer first"));
}

fn live_mails(server: &Server, to: &str) -> Vec<String> {
    server
        .mails()
        .into_iter()
        .filter(|(address, body)| address == to && body.contains("is live now"))
        .map(|(_, body)| body)
        .collect()
}

/// Pushes a short stream for `username` and waits until it has gone live and offline again.
fn stream_once(server: &Server, port: u16, username: &str) {
    let mut client = push(port, &server.stream_key(username), &["--duration", "2"]);
    assert!(
        wait_until(15, || server.channel_status(username).starts_with("live ")),
        "{username} goes live"
    );
    assert!(wait_until(20, || server.channel_status(username) == "offline"));
    let _ = client.wait();
}

#[tokio::test]
async fn live_notifications_once_per_stream_within_caps_with_unsubscribe() {
    let (server, port) = Server::start_with_ftl(&[
        ("SHIMMER_COMMUNITY__NOTIFY_DELAY_SECS", "0"),
        ("SHIMMER_COMMUNITY__DAILY_CAP", "2"),
        ("SHIMMER_FTL__MEDIA_TIMEOUT_MS", "2000"),
    ]);
    for name in ["first", "second", "third", "fan", "quiet"] {
        server.create_user(name, PASSWORD, true);
    }
    let fan = signed_in(&server, "fan").await;
    for streamer in ["first", "second", "third"] {
        let page = format!("/{streamer}");
        fan.post_form(&page, &format!("/{streamer}/follow"), &[])
            .await;
        let (status, _, _) = fan
            .post_form(
                &page,
                &format!("/{streamer}/notifications"),
                &[("enabled", "on")],
            )
            .await;
        assert_eq!(status, 303);
    }
    let quiet = signed_in(&server, "quiet").await;
    quiet.post_form("/first", "/first/follow", &[]).await;

    stream_once(&server, port, "first");
    assert!(wait_until(10, || live_mails(&server, "fan@example.com")
        .len()
        == 1));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mails = live_mails(&server, "fan@example.com");
    assert_eq!(mails.len(), 1, "exactly one email for the stream");
    assert!(mails[0].contains("first is live now"));
    assert!(
        live_mails(&server, "quiet@example.com").is_empty(),
        "no opt-in, no email"
    );

    // A second stream of the same streamer within the hour: no second email.
    stream_once(&server, port, "first");
    // Another streamer: the second email of the day, the last one the cap allows.
    stream_once(&server, port, "second");
    assert!(wait_until(10, || live_mails(&server, "fan@example.com")
        .len()
        == 2));
    stream_once(&server, port, "third");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mails = live_mails(&server, "fan@example.com");
    assert_eq!(
        mails.len(),
        2,
        "one email per streamer per hour, two per day: {mails:?}"
    );
    assert!(mails.iter().any(|mail| mail.contains("second is live now")));

    let link = server.link_for("fan@example.com", "/follows/unsubscribe");
    let path = link.trim_start_matches(&server.url(""));
    let tampered = path.replace("sig=", "sig=0");
    let visitor = Browser::new(&server);
    let (status, body) = visitor.get(&tampered).await;
    assert_eq!(status, 410);
    assert!(body.contains("not valid"));
    let (status, body) = visitor.get(&format!("{path}x")).await;
    assert_eq!(status, 410, "{body}");
    let (status, body) = visitor.get(path).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("data-testid=\"unsubscribed\""));
    let mut database = server.database().await;
    let enabled: Vec<i64> = sqlx::query(
        "SELECT f.live_notifications FROM follows f JOIN users u ON u.id = f.streamer_id \
         WHERE u.username = 'second'",
    )
    .fetch_all(&mut database)
    .await
    .unwrap()
    .into_iter()
    .map(|row| row.get(0))
    .collect();
    assert_eq!(
        enabled,
        vec![0],
        "the newest email was second's; its link turned it off"
    );
}

#[tokio::test]
async fn live_channels_appear_on_home_category_and_tag_pages_with_viewer_counts() {
    let (server, port) = Server::start_with_ftl(&[("SHIMMER_FTL__MEDIA_TIMEOUT_MS", "2000")]);
    server.create_user("gamer", PASSWORD, true);
    server.create_user("watcher", PASSWORD, true);
    let gamer = signed_in(&server, "gamer").await;
    assert_eq!(
        save_channel(
            &gamer,
            "Speedrunning Celeste",
            "gaming",
            "Celeste",
            "Speedrun"
        )
        .await
        .0,
        303
    );
    let (_, page) = gamer.get("/gamer").await;
    let channel_id = channel_id_of(&page);
    let mut client = push(port, &server.stream_key("gamer"), &["--loop"]);
    assert!(wait_until(15, || server
        .channel_status("gamer")
        .starts_with("live ")));

    let visitor = Browser::new(&server);
    for path in [
        "/",
        "/streams",
        "/streams/gaming",
        "/streams/gaming?tag=speedrun",
        "/streams/gaming?subcategory=celeste",
        "/streams?q=celeste",
        "/streams?language=en",
    ] {
        let (status, body) = visitor.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            body.contains(&format!("/channels/{channel_id}/thumbnail/416.jpg")),
            "{path} lists the live channel"
        );
    }
    for path in [
        "/streams/music",
        "/streams?q=nothing-like-it",
        "/streams?language=fr",
    ] {
        let (_, body) = visitor.get(path).await;
        assert!(body.contains("data-testid=\"no-streams\""), "{path}");
    }

    // Viewers: two sessions of one browser count once; another browser makes two.
    let whep = server.url("/api/whep/gamer");
    let viewer = |http: reqwest::Client| {
        let whep = whep.clone();
        tokio::spawn(async move {
            let options =
                shimmer_testkit::whep_client::ViewerOptions::new(whep, Duration::from_secs(6));
            shimmer_testkit::whep_client::run_viewer(&http, &options).await
        })
    };
    let tabs = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    tabs.get(server.url("/gamer")).send().await.unwrap();
    let watcher = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let token = {
        let body = watcher
            .get(server.url("/users/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let marker = "name=\"_csrf\" value=\"";
        let start = body.find(marker).unwrap() + marker.len();
        body[start..start + body[start..].find('"').unwrap()].to_owned()
    };
    watcher
        .post(server.url("/users/login"))
        .form(&[
            ("_csrf", token.as_str()),
            ("login", "watcher"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let sessions = vec![viewer(tabs.clone()), viewer(tabs), viewer(watcher)];
    let counts = || async {
        let body: serde_json::Value =
            reqwest::get(server.url(&format!("/api/channels/{channel_id}/viewers")))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
        (
            body["viewers"].as_i64(),
            body["peak"].as_i64(),
            body["unique"].as_i64(),
        )
    };
    let mut seen = (None, None, None);
    for _ in 0..50 {
        seen = counts().await;
        if seen == (Some(2), Some(2), Some(2)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        seen,
        (Some(2), Some(2), Some(2)),
        "concurrent, peak, unique"
    );
    let (_, home) = visitor.get("/").await;
    assert!(home.contains("2 watching"), "the home page shows the count");
    for session in sessions {
        let report = session.await.unwrap();
        assert!(report.error.is_none(), "{:?}", report.error);
    }
    let mut ended = (None, None, None);
    for _ in 0..50 {
        ended = counts().await;
        if ended.0 == Some(0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        ended,
        (Some(0), Some(2), Some(2)),
        "everyone left; the figures stay"
    );

    // The streamer may hide the count.
    gamer
        .post_form(
            "/users/settings/channel",
            "/users/settings/channel",
            &[
                ("title", "Speedrunning Celeste"),
                ("language", "en"),
                ("category", "gaming"),
                ("subcategory", "Celeste"),
                ("tags", "Speedrun"),
                ("hide_viewer_count", "on"),
            ],
        )
        .await;
    assert_eq!(counts().await, (None, None, None));
    let (_, page) = visitor.get("/gamer").await;
    assert!(!page.contains("data-testid=\"viewer-count\""));
    let (status, dashboard) = gamer.get("/users/settings/dashboard").await;
    assert_eq!(status, 200);
    assert!(dashboard.contains("data-testid=\"stream-stats\""));
    let _ = client.kill();
    let _ = client.wait();
}
