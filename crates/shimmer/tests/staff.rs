//! Staff tools against a real server: who may open each staff page and send each staff action
//! (visitors, members, a channel moderator, a streamer and every staff level), the level rules,
//! the platform ban's cascade (API token and socket, chat sockets, live stream, sign-up and
//! sign-in), and the audit log that records each step and cannot be edited; and, over
//! PostgreSQL and NATS, a ban made on one node closing the chat on another.

mod api_support;
mod support;

use futures::StreamExt;
use serde_json::Value;
use support::chat::{channel_of, connect, next_of};
use support::{push, wait_until, Browser, Server};
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "correct horse battery";

/// Signs `username` in and returns the browser.
async fn signed_in(server: &Server, username: &str) -> Browser {
    let browser = Browser::new(server);
    assert_eq!(browser.login(username, PASSWORD).await, 303);
    browser
}

/// Creates a confirmed account, makes it staff at `level` with the operator CLI, and signs it
/// in with two-factor sign-in enrolled, as staff must.
async fn staff_member(server: &Server, username: &str, level: u8) -> Browser {
    server.create_user(username, PASSWORD, true);
    let output = server.cli(&["user", "staff", username, "--level", &level.to_string()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let browser = signed_in(server, username).await;
    support::enrol_two_factor(&browser).await;
    browser
}

/// The staff pages, each with the lowest level that may open it.
const PAGES: &[(&str, u8)] = &[
    ("/staff", 1),
    ("/staff?q=target", 1),
    ("/staff/users/target", 1),
    ("/staff/users/target?page=2", 1),
    ("/staff/audit", 1),
    ("/staff/audit?actor=site&action=view", 1),
    ("/staff/reports", 1),
    ("/staff/emotes", 2),
    ("/staff/analytics", 1),
    ("/staff/analytics?days=7", 1),
    ("/staff/report", 4),
    ("/staff/report?from=2026-01-01&to=2026-01-31", 4),
];

/// An action, the lowest level allowed it, and what an allowed member gets: every form is
/// chosen to change nothing (the same value, an offline channel, no ban), so the matrix can
/// send them in any order.
struct Action {
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    lowest_level: u8,
    allowed_status: u16,
}

const ACTIONS: &[Action] = &[
    Action {
        path: "/staff/users/target/username",
        fields: &[("username", "target")],
        lowest_level: 3,
        allowed_status: 422,
    },
    Action {
        path: "/staff/users/target/email",
        fields: &[("email", "target@example.com")],
        lowest_level: 3,
        allowed_status: 422,
    },
    Action {
        path: "/staff/users/target/two-factor/reset",
        fields: &[],
        lowest_level: 3,
        allowed_status: 303,
    },
    Action {
        path: "/staff/users/target/can-stream",
        fields: &[("value", "on")],
        lowest_level: 3,
        allowed_status: 303,
    },
    Action {
        path: "/staff/users/target/discovery",
        fields: &[("value", "off")],
        lowest_level: 3,
        allowed_status: 303,
    },
    Action {
        path: "/staff/users/target/end-stream",
        fields: &[("reason", "")],
        lowest_level: 3,
        allowed_status: 409,
    },
    Action {
        path: "/staff/users/target/ban",
        fields: &[("reason", "")],
        lowest_level: 4,
        allowed_status: 422,
    },
    Action {
        path: "/staff/users/target/unban",
        fields: &[("reason", "")],
        lowest_level: 4,
        allowed_status: 409,
    },
];

#[tokio::test]
async fn every_staff_page_and_action_answers_each_role_as_the_permission_table_says() {
    let server = Server::start();
    server.create_user("target", PASSWORD, true);
    server.create_user("plain", PASSWORD, true);
    server.create_user("streamer", PASSWORD, true);
    server.create_user("chanmod", PASSWORD, true);
    let streamer = signed_in(&server, "streamer").await;
    let (status, _, _) = streamer
        .post_form(
            "/users/settings/moderators",
            "/users/settings/moderators",
            &[("username", "chanmod"), ("delete", "on"), ("ban", "on")],
        )
        .await;
    assert_eq!(status, 303);

    // Not staff: visitors are sent to log in, everyone else is refused.
    let visitor = Browser::new(&server);
    let members = [
        ("plain", signed_in(&server, "plain").await),
        ("chanmod", signed_in(&server, "chanmod").await),
        ("streamer", streamer),
    ];
    for (page, _) in PAGES {
        let (status, _) = visitor.get(page).await;
        assert_eq!(status, 303, "a visitor at {page}");
        for (name, browser) in &members {
            let (status, body) = browser.get(page).await;
            assert_eq!(status, 403, "{name} at {page}");
            assert!(body.contains("staff only"), "{name} at {page}: {body}");
        }
    }
    for action in ACTIONS {
        let (status, location, _) = visitor.post_form("/", action.path, action.fields).await;
        assert_eq!(
            (status, location.as_deref()),
            (303, Some("/users/login")),
            "a visitor sending {}",
            action.path
        );
        for (name, browser) in &members {
            let (status, _, _) = browser.post_form("/", action.path, action.fields).await;
            assert_eq!(status, 403, "{name} sending {}", action.path);
        }
    }

    // Pages and actions follow the table.
    let mut staff = Vec::new();
    for (level, name) in [
        (1, "trial"),
        (2, "member"),
        (3, "lead"),
        (4, "manager"),
        (5, "site_admin"),
    ] {
        let browser = staff_member(&server, name, level).await;
        for (page, lowest_level) in PAGES {
            let (status, body) = browser.get(page).await;
            let expected = if level >= *lowest_level { 200 } else { 403 };
            assert_eq!(status, expected, "level {level} at {page}: {body}");
        }
        let (_, home) = browser.get("/").await;
        assert!(home.contains("href=\"/staff\""), "staff find the tools");
        assert_eq!(
            home.contains("href=\"/staff/emotes\""),
            level >= 2,
            "only levels that review emotes are shown the queue"
        );
        for action in ACTIONS {
            let (status, _, body) = browser
                .post_form("/staff", action.path, action.fields)
                .await;
            if level >= action.lowest_level {
                assert_eq!(
                    status, action.allowed_status,
                    "level {level} sending {}: {body}",
                    action.path
                );
            } else {
                assert_eq!(status, 403, "level {level} sending {}", action.path);
                assert!(
                    body.contains("or above"),
                    "the refusal names the level needed: {body}"
                );
            }
        }
        staff.push(browser);
    }
    let (_, plain_home) = members[0].1.get("/").await;
    assert!(!plain_home.contains("href=\"/staff\""));

    // Forms without the CSRF token are refused before any rule is asked.
    let admin = staff.last().unwrap();
    let (status, _, _) = admin
        .post_raw("/staff/users/target/can-stream", &[("value", "off")])
        .await;
    assert_eq!(status, 403);
    let (_, page) = admin.get("/staff/users/target").await;
    assert!(page.contains("data-testid=\"can-stream\">Yes<"), "{page}");
}

#[tokio::test]
async fn staff_act_only_below_their_own_level_and_never_on_themselves() {
    let server = Server::start();
    let member = staff_member(&server, "member", 2).await;
    let lead = staff_member(&server, "lead", 3).await;
    let manager = staff_member(&server, "manager", 4).await;
    let admin = staff_member(&server, "site_admin", 5).await;
    server.create_user("someone", PASSWORD, true);

    // A member may look a manager up but not edit them.
    assert_eq!(member.get("/staff/users/manager").await.0, 200);
    let (status, _, body) = member
        .post_form(
            "/staff/users/manager",
            "/staff/users/manager/email",
            &[("email", "taken-over@example.com")],
        )
        .await;
    assert_eq!(status, 403, "{body}");
    // A lead may edit accounts, but not a manager or another lead.
    for target in ["manager", "site_admin"] {
        let (status, _, body) = lead
            .post_form(
                "/staff",
                &format!("/staff/users/{target}/email"),
                &[("email", "taken-over@example.com")],
            )
            .await;
        assert_eq!(status, 403, "{body}");
        assert!(
            body.contains("only a higher level may act on them"),
            "{body}"
        );
    }
    let (status, _, _) = manager
        .post_form(
            "/staff",
            "/staff/users/manager/can-stream",
            &[("value", "off")],
        )
        .await;
    assert_eq!(status, 403, "nobody acts on themselves");
    let (status, _, body) = admin
        .post_form(
            "/staff",
            "/staff/users/site_admin/ban",
            &[("reason", "testing")],
        )
        .await;
    assert_eq!(status, 403);
    assert!(body.contains("their own account"), "{body}");

    // Downward it works: the lead renames a member, the manager bans the lead.
    let (status, location, body) = lead
        .post_form(
            "/staff",
            "/staff/users/someone/username",
            &[("username", "someone_else")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location.as_deref(),
        Some("/staff/users/someone_else?notice=staff_done")
    );
    let (status, _, body) = lead
        .post_form(
            "/staff",
            "/staff/users/member/email",
            &[("email", "not-an-address")],
        )
        .await;
    assert_eq!(status, 422, "bad input is refused by name: {body}");
    assert!(
        body.contains("value=\"not-an-address\""),
        "what was typed stays"
    );
    let (status, _, body) = manager
        .post_form(
            "/staff",
            "/staff/users/lead/ban",
            &[("reason", "rogue lead")],
        )
        .await;
    assert_eq!(status, 303, "{body}");

    // Staff without two-factor sign-in are sent to enrol before any staff page or action.
    server.create_user("fresh", PASSWORD, true);
    server.cli(&["user", "staff", "fresh", "--level", "5"]);
    let fresh = signed_in(&server, "fresh").await;
    for page in ["/staff", "/staff/users/someone_else", "/staff/audit"] {
        let response = fresh.client.get(server.url(page)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{page}");
        assert_eq!(
            response.headers()["location"],
            "/users/settings/two-factor",
            "{page}"
        );
    }

    // The shell changes levels and says what changed.
    let output = server.cli(&["user", "staff", "member", "--level", "0"]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "member: staff level 2 (member) -> 0 (not staff)"
    );
    assert_eq!(member.get("/staff").await.0, 403, "no longer staff");
    let output = server.cli(&["user", "staff", "member", "--level", "9"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 to 5"));
}

/// The access token of a client_credentials grant of an app `owner` owns; it acts as `owner`.
async fn api_token(server: &Server, owner: &str) -> String {
    let app = api_support::create_app(server, owner, false);
    api_support::token(server, &app, "public email chat").await
}

/// Whether the token can still read its owner through the API.
async fn token_works(server: &Server, token: &str) -> bool {
    let (status, body) = api_support::graphql(
        server,
        "/api/graph",
        api_support::Auth::Bearer(token),
        "{ myself { username } }",
        Value::Null,
    )
    .await;
    status == 200 && body["data"]["myself"]["username"].is_string()
}

#[tokio::test]
async fn a_platform_ban_cascades_and_every_step_is_audited() {
    let (server, port) = Server::start_with_ftl(&[("SHIMMER_FTL__METADATA_INTERVAL_MS", "1000")]);
    let manager = staff_member(&server, "manager", 4).await;
    server.create_user("rulebreaker", PASSWORD, true);
    server.create_user("host", PASSWORD, true);
    server.create_user("onlooker", PASSWORD, true);

    // The rule breaker chats in the host's channel, holds an API token and is live.
    let token = api_token(&server, "rulebreaker").await;
    assert!(token_works(&server, &token).await);
    let mut api_socket = api_support::connect(
        &server,
        "/api/socket/websocket",
        &format!("vsn=2.0.0&token={token}"),
    )
    .await
    .unwrap();
    api_support::send(
        &mut api_socket,
        serde_json::json!(["1", "1", "__absinthe__:control", "phx_join", {}]),
    )
    .await;
    assert_eq!(api_support::next(&mut api_socket).await[3], "phx_reply");
    let host_channel = channel_of(&server, "host");
    let breaker_cookie = Browser::new(&server)
        .session_cookie("rulebreaker", PASSWORD)
        .await;
    let onlooker_cookie = Browser::new(&server)
        .session_cookie("onlooker", PASSWORD)
        .await;
    let mut breaker_socket = connect(&server, &host_channel, Some(&breaker_cookie)).await;
    next_of(&mut breaker_socket, "history").await;
    let mut onlooker_socket = connect(&server, &host_channel, Some(&onlooker_cookie)).await;
    next_of(&mut onlooker_socket, "history").await;
    use futures::SinkExt;
    breaker_socket
        .send(Message::Text(
            r#"{"type":"send","text":"buy followers here"}"#.into(),
        ))
        .await
        .unwrap();
    let sent = next_of(&mut onlooker_socket, "message").await;
    let message_id = sent["message"]["id"].as_i64().unwrap();
    let mut encoder = push(port, &server.stream_key("rulebreaker"), &["--loop"]);
    assert!(wait_until(15, || server
        .channel_status("rulebreaker")
        .starts_with("live ")));

    // The manager bans from the account page.
    let (status, page) = manager.get("/staff/users/rulebreaker").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("buy followers here"),
        "chat history is listed"
    );
    assert!(
        !page.contains(server.stream_key("rulebreaker").split_once('-').unwrap().1),
        "the stream key is never shown"
    );
    let (status, location, body) = manager
        .post_form(
            "/staff",
            "/staff/users/rulebreaker/ban",
            &[("reason", "Selling fake followers")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location.as_deref(),
        Some("/staff/users/rulebreaker?notice=staff_done")
    );

    // Their messages disappear for others, and their chat socket closes.
    let hidden = next_of(&mut onlooker_socket, "hidden").await;
    assert_eq!(hidden["message_ids"], serde_json::json!([message_id]));
    assert_eq!(
        closed(&mut breaker_socket).await,
        (1008, "account banned".into())
    );
    // So does the API socket that acts as the account.
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(5), api_socket.next())
            .await
            .expect("the banned account's API socket closes within 5 s")
        {
            Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            Some(Ok(_)) => continue,
        }
    }
    // The onlooker's socket stays open.
    onlooker_socket
        .send(Message::Text(r#"{"type":"ping"}"#.into()))
        .await
        .unwrap();
    next_of(&mut onlooker_socket, "pong").await;

    // The stream ended, the encoder was stopped and cannot come back.
    assert_eq!(server.channel_status("rulebreaker"), "offline");
    assert!(
        wait_until(15, || encoder.try_wait().unwrap().is_some()),
        "the ingest learns the stream ended and stops"
    );
    let mut again = push(
        port,
        &server.stream_key("rulebreaker"),
        &["--duration", "3"],
    );
    again.wait().unwrap();
    assert_eq!(server.channel_status("rulebreaker"), "offline");
    let _ = encoder.kill();

    // The API token stopped working, a new one cannot be minted, sessions are gone.
    assert!(!token_works(&server, &token).await);
    let app = api_support::create_app(&server, "rulebreaker", false);
    let response = reqwest::Client::new()
        .post(server.url("/api/oauth/token"))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let banned = Browser::new(&server);
    let (status, _, body) = banned
        .post_form(
            "/users/login",
            "/users/login",
            &[("login", "rulebreaker"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("banned from the platform"), "{body}");

    // The address cannot sign up again.
    let (status, _, body) = Browser::new(&server)
        .post_form(
            "/users/register",
            "/users/register",
            &[
                ("username", "rulebreaker2"),
                ("email", "RuleBreaker@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("banned from the platform"), "{body}");

    // Unbanning restores signing in.
    let (status, _, body) = manager
        .post_form(
            "/staff",
            "/staff/users/rulebreaker/unban",
            &[("reason", "Appeal accepted")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(banned.login("rulebreaker", PASSWORD).await, 303);

    // The audit log has every step, newest first, and searches narrow it.
    let (status, audit) = manager.get("/staff/audit?target=rulebreaker").await;
    assert_eq!(status, 200);
    let actions: Vec<&str> = audit
        .split("data-action=\"")
        .skip(1)
        .map(|part| &part[..part.find('"').unwrap()])
        .collect();
    assert_eq!(
        actions,
        [
            "unban",
            "ban_close_chat",
            "ban_hide_messages",
            "ban_end_stream",
            "ban_revoke_tokens",
            "ban_end_sessions",
            "ban",
            "view_account",
        ],
        "{audit}"
    );
    assert!(audit.contains("Selling fake followers"));
    assert!(audit.contains("&#34;messages_hidden&#34;:1"), "{audit}");
    let (_, bans) = manager.get("/staff/audit?action=ban_end").await;
    assert_eq!(bans.matches("data-testid=\"audit-entry\"").count(), 2);
    let (_, by_others) = manager.get("/staff/audit?actor=someone").await;
    assert!(!by_others.contains("data-testid=\"audit-entry\""));
}

#[tokio::test]
async fn the_audit_log_has_no_edit_path() {
    let server = Server::start();
    let admin = staff_member(&server, "site_admin", 5).await;
    let looked_at = server.create_user("looked_at", PASSWORD, true);
    // A streamer bans the account from their chat; staff see it on the account's page.
    server.create_user("chat_owner", PASSWORD, true);
    let owner_cookie = Browser::new(&server)
        .session_cookie("chat_owner", PASSWORD)
        .await;
    let mut owner_socket = connect(
        &server,
        &channel_of(&server, "chat_owner"),
        Some(&owner_cookie),
    )
    .await;
    next_of(&mut owner_socket, "history").await;
    use futures::SinkExt;
    owner_socket
        .send(Message::Text(
            serde_json::json!({"type": "moderate", "action": "ban", "user_id": looked_at})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    next_of(&mut owner_socket, "moderation").await;
    let (status, page) = admin.get("/staff/users/looked_at").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("ban in <a href=\"/chat_owner\">chat_owner</a> by chat_owner"),
        "{page}"
    );
    assert_eq!(admin.get("/staff?q=looked").await.0, 200);
    let (_, audit) = admin.get("/staff/audit").await;
    assert!(audit.contains("data-action=\"view_account\""));
    assert!(audit.contains("data-action=\"search\""));
    assert!(
        audit.contains("data-action=\"set_staff_level\""),
        "the shell's change"
    );

    // No route changes it...
    let (status, _, _) = admin
        .post_form("/staff/audit", "/staff/audit", &[("action", "nothing")])
        .await;
    assert_eq!(status, 405);
    let (status, _, _) = admin
        .post_form("/staff/audit", "/staff/audit/1/delete", &[])
        .await;
    assert_eq!(status, 404);
    // ...and the database refuses changes made behind the server's back.
    let mut database = server.database().await;
    for statement in [
        "UPDATE staff_audit SET action = 'nothing'",
        "DELETE FROM staff_audit",
    ] {
        let error = sqlx::query(statement)
            .execute(&mut database)
            .await
            .expect_err(statement);
        assert!(error.to_string().contains("append-only"), "{error}");
    }
    let (_, after) = admin.get("/staff/audit").await;
    assert!(after.contains("data-action=\"view_account\""));
}

#[tokio::test]
async fn stream_control_hides_from_discovery_ends_the_stream_and_stops_streaming() {
    let (server, port) = Server::start_with_ftl(&[("SHIMMER_FTL__METADATA_INTERVAL_MS", "1000")]);
    let lead = staff_member(&server, "lead", 3).await;
    server.create_user("caster", PASSWORD, true);
    let visitor = Browser::new(&server);
    let mut encoder = push(port, &server.stream_key("caster"), &["--loop"]);
    assert!(wait_until(15, || server
        .channel_status("caster")
        .starts_with("live ")));
    assert!(visitor.get("/streams").await.1.contains("href=\"/caster\""));

    // Hidden from the directory, still reachable by its address.
    let (status, _, _) = lead
        .post_form(
            "/staff",
            "/staff/users/caster/discovery",
            &[("value", "on")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(!visitor.get("/streams").await.1.contains("href=\"/caster\""));
    assert!(!visitor.get("/").await.1.contains("href=\"/caster\""));
    assert_eq!(visitor.get("/caster").await.0, 200);
    let (_, page) = lead.get("/staff/users/caster").await;
    assert!(page.contains("hidden from discovery"));

    // Streaming off, then the stream ended now: the encoder stops and cannot come back.
    let (status, _, _) = lead
        .post_form(
            "/staff",
            "/staff/users/caster/can-stream",
            &[("value", "off")],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, body) = lead
        .post_form(
            "/staff",
            "/staff/users/caster/end-stream",
            &[("reason", "Restreaming a sports broadcast")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(server.channel_status("caster"), "offline");
    assert!(
        wait_until(15, || encoder.try_wait().unwrap().is_some()),
        "the ingest learns the stream ended and stops"
    );
    let mut again = push(port, &server.stream_key("caster"), &["--duration", "3"]);
    again.wait().unwrap();
    assert_eq!(server.channel_status("caster"), "offline");
    let (status, _, body) = lead
        .post_form(
            "/staff",
            "/staff/users/caster/end-stream",
            &[("reason", "")],
        )
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("caster is not live"), "{body}");

    // Streaming on again: the channel goes live, still hidden until shown.
    lead.post_form(
        "/staff",
        "/staff/users/caster/can-stream",
        &[("value", "on")],
    )
    .await;
    let mut back = push(port, &server.stream_key("caster"), &["--loop"]);
    assert!(wait_until(15, || server
        .channel_status("caster")
        .starts_with("live ")));
    assert!(!visitor.get("/streams").await.1.contains("href=\"/caster\""));
    lead.post_form(
        "/staff",
        "/staff/users/caster/discovery",
        &[("value", "off")],
    )
    .await;
    assert!(visitor.get("/streams").await.1.contains("href=\"/caster\""));
    let _ = back.kill();
    let _ = back.wait();
    let _ = encoder.kill();

    let (_, audit) = lead.get("/staff/audit?target=caster&action=set_").await;
    assert_eq!(audit.matches("data-testid=\"audit-entry\"").count(), 4);
    let (_, audit) = lead.get("/staff/audit?action=end_stream").await;
    assert!(audit.contains("Restreaming a sports broadcast"));
}

/// Waits for the socket's close frame; returns its code and reason.
async fn closed(socket: &mut support::Socket) -> (u16, String) {
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
            .await
            .expect("the socket closes within 5 s")
        {
            Some(Ok(Message::Close(Some(frame)))) => {
                return (u16::from(frame.code), frame.reason.as_str().to_owned())
            }
            Some(Ok(_)) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

/// Over PostgreSQL and NATS with two nodes: a ban made on one node closes the account's chat
/// on the other and hides its messages there, and the staff pages read the shared database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ban_on_one_node_reaches_chats_on_another() {
    if !support::services::available("a_ban_on_one_node_reaches_chats_on_another") {
        return;
    }
    let postgres = support::services::Postgres::start();
    let nats = support::services::Nats::start();
    let (database, bus) = (postgres.url(), nats.url());
    let env = [
        ("SHIMMER_DATABASE_URL", database.as_str()),
        ("SHIMMER_NATS_URL", bus.as_str()),
    ];
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = Server::start_in(dir_a.path(), &env);
    let second = Server::start_in(dir_b.path(), &env);
    let manager = staff_member(&first, "manager", 4).await;
    second.create_user("spammer", PASSWORD, true);
    second.create_user("host", PASSWORD, true);
    let channel = channel_of(&second, "host");
    let cookie = Browser::new(&second)
        .session_cookie("spammer", PASSWORD)
        .await;
    let mut spammer = connect(&second, &channel, Some(&cookie)).await;
    let mut reader = connect(&second, &channel, None).await;
    next_of(&mut spammer, "history").await;
    next_of(&mut reader, "history").await;
    use futures::SinkExt;
    spammer
        .send(Message::Text(
            r#"{"type":"send","text":"spam spam"}"#.into(),
        ))
        .await
        .unwrap();
    let id = next_of(&mut reader, "message").await["message"]["id"]
        .as_i64()
        .unwrap();

    let (status, _, body) = manager
        .post_form("/staff", "/staff/users/spammer/ban", &[("reason", "Spam")])
        .await;
    assert_eq!(status, 303, "{body}");
    let hidden = next_of(&mut reader, "hidden").await;
    assert_eq!(hidden["message_ids"], serde_json::json!([id]));
    assert_eq!(closed(&mut spammer).await, (1008, "account banned".into()));
    let (_, audit) = manager.get("/staff/audit?target=spammer").await;
    assert!(audit.contains("data-action=\"ban_close_chat\""), "{audit}");
}
