//! Accounts and channels end to end against a real server process: sign-up, confirmation,
//! log-in, stream keys, restarts, bad input and authorization.

mod support;

use support::{Browser, Server};

#[tokio::test]
async fn sign_up_confirm_log_in_and_read_the_key_survive_a_restart() {
    let mut server = Server::start();
    let browser = Browser::new(&server);
    let (status, _, body) = browser
        .post_form(
            "/users/register",
            "/users/register",
            &[
                ("username", "Streamer_1"),
                ("email", "s1@example.com"),
                ("password", "hunter2hunter2"),
            ],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert!(body.contains("Check your email"));

    let link = server.link_for("s1@example.com", "/users/confirm/");
    let path = link.trim_start_matches(&server.base_url).to_owned();
    let (status, page) = browser.get(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Confirm my email"));
    let (status, _, body) = browser.post_form(&path, &path, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Email confirmed"));
    // The link is single use.
    let (status, _, body) = browser.post_form(&path, &path, &[]).await;
    assert_eq!(status, 410);
    assert!(body.contains("already been used or has expired"), "{body}");

    assert_eq!(browser.login("s1@example.com", "hunter2hunter2").await, 303);
    let (status, page) = browser.get("/users/settings/stream").await;
    assert_eq!(status, 200);
    let key = String::from_utf8(server.cli(&["channel", "key", "streamer_1"]).stdout).unwrap();
    assert!(
        page.contains(key.trim()),
        "the settings page shows the key the CLI prints"
    );
    let secret = key.trim().split_once('-').unwrap().1;
    assert_eq!(secret.len(), 64);
    let rtmp_port = server.rtmp_port.expect("RTMP ingest is on by default");
    assert!(
        page.contains(&format!("rtmp://127.0.0.1:{rtmp_port}/live")),
        "the stream key page gives the RTMP server to paste into OBS: {page}"
    );
    assert!(
        page.contains(&format!(
            "<code data-testid=\"whip-url\">{}/api/whip</code>",
            server.base_url
        )) && page.contains("Bearer Token")
            && page.contains("Service \"WHIP\""),
        "the stream key page gives the WHIP URL and OBS's WHIP steps: {page}"
    );
    assert!(
        page.contains(&format!(
            "shimmer push --server 127.0.0.1:{} ",
            server.ftl_port
        )) && page.contains("--loop"),
        "the push hint names the FTL port and loops"
    );

    assert!(server.stop(), "SIGTERM shuts the server down cleanly");
    let server = Server::start_in(&server.data_dir.clone(), &[]);
    let browser = Browser::new(&server);
    assert_eq!(browser.login("streamer_1", "hunter2hunter2").await, 303);
    let (_, page) = browser.get("/users/settings/stream").await;
    assert!(page.contains(key.trim()));
}

#[tokio::test]
async fn invalid_registrations_get_clear_messages_and_write_nothing() {
    let server = Server::start();
    server.create_user("taken", "password123", false);
    let browser = Browser::new(&server);
    let cases: &[(&str, &str, &str, &str)] = &[
        ("ab", "a@example.com", "password123", "3 to 24"),
        ("bad name", "a@example.com", "password123", "only letters"),
        ("<script>", "a@example.com", "password123", "only letters"),
        ("_lead", "a@example.com", "password123", "start or end"),
        ("dou..ble", "a@example.com", "password123", "in a row"),
        ("settings", "a@example.com", "password123", "reserved"),
        ("TAKEN", "a@example.com", "password123", "already taken"),
        (
            "fresh",
            "TAKEN@example.com",
            "password123",
            "already exists",
        ),
        (
            "fresh",
            "not-an-email",
            "password123",
            "does not look like an email",
        ),
        ("fresh", "a@example.com", "short", "at least 8"),
        ("fresh", "a@example.com", &"x".repeat(129), "at most 128"),
    ];
    for (username, email, password, message) in cases {
        let (status, _, body) = browser
            .post_form(
                "/users/register",
                "/users/register",
                &[
                    ("username", username),
                    ("email", email),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(status, 422, "{username} {email}");
        assert!(
            body.contains(message),
            "{username}/{email}: expected {message:?}"
        );
        assert!(
            !body.contains(password) || password.len() < 8,
            "passwords are never echoed back"
        );
    }
    // The typed email is kept, escaped.
    let (_, _, body) = browser
        .post_form(
            "/users/register",
            "/users/register",
            &[
                ("username", "x"),
                ("email", "\"><b>@example.com"),
                ("password", "password123"),
            ],
        )
        .await;
    assert!(
        body.contains("&#34;&#62;&#60;b&#62;@example.com")
            || body.contains("&quot;&gt;&lt;b&gt;@example.com"),
        "{body}"
    );
    assert!(!body.contains("\"><b>@"));
    // Nothing was half-written: only the one account and its channel exist.
    let mut database = server.database().await;
    let counts: (i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM channels)")
            .fetch_one(&mut database)
            .await
            .unwrap();
    assert_eq!(counts, (1, 1));
    assert!(
        server.mails().is_empty(),
        "no confirmation mail for refused sign-ups"
    );
}

#[tokio::test]
async fn wrong_passwords_tokens_and_csrf_are_refused() {
    let server = Server::start();
    server.create_user("alice", "password123", true);
    let browser = Browser::new(&server);
    for (login, password) in [
        ("alice", "wrong-password"),
        ("nobody", "password123"),
        ("", ""),
    ] {
        let (status, _, body) = browser
            .post_form(
                "/users/login",
                "/users/login",
                &[("login", login), ("password", password)],
            )
            .await;
        assert!(status == 401 || status == 422, "{login}: {status}");
        assert!(
            body.contains("Incorrect username, email or password.")
                || body.contains("Enter your username"),
            "{body}"
        );
    }
    let (status, _, body) = browser
        .post_raw(
            "/users/login",
            &[("login", "alice"), ("password", "password123")],
        )
        .await;
    assert_eq!(status, 403, "a missing CSRF token is refused");
    assert!(body.contains("form has expired"));
    let (status, _, _) = browser
        .post_raw(
            "/users/login",
            &[
                ("_csrf", "forged-token-000000000"),
                ("login", "alice"),
                ("password", "password123"),
            ],
        )
        .await;
    assert_eq!(status, 403, "a wrong CSRF token is refused");

    let (status, body) = browser.get("/users/confirm/not-a-real-token").await;
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = browser
        .post_form(
            "/users/confirm/not-a-real-token",
            "/users/confirm/not-a-real-token",
            &[],
        )
        .await;
    assert_eq!(status, 410);
    assert!(body.contains("not valid"));
    let (status, body) = browser.get("/users/reset-password/not-a-real-token").await;
    assert_eq!(status, 410);
    assert!(body.contains("not valid"));
}

#[tokio::test]
async fn password_reset_is_single_use_and_expires() {
    let server = Server::start();
    server.create_user("bob", "password123", true);
    let browser = Browser::new(&server);
    let (status, _, body) = browser
        .post_form(
            "/users/reset-password",
            "/users/reset-password",
            &[("email", "BOB@example.com")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(body.contains("If an account uses that address"));
    // The same answer for an unknown address, and no mail.
    let (_, _, unknown) = browser
        .post_form(
            "/users/reset-password",
            "/users/reset-password",
            &[("email", "ghost@example.com")],
        )
        .await;
    assert!(unknown.contains("If an account uses that address"));
    assert_eq!(server.mails().len(), 1);

    let path = server
        .link_for("bob@example.com", "/users/reset-password/")
        .trim_start_matches(&server.base_url)
        .to_owned();
    let (status, _, body) = browser
        .post_form(&path, &path, &[("password", "short")])
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, location, _) = browser
        .post_form(&path, &path, &[("password", "new-password-1")])
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/users/login?notice=password_reset"))
    );
    let (status, _) = browser.get(&path).await;
    assert_eq!(status, 410, "the reset link is single use");
    assert_eq!(browser.login("bob", "password123").await, 401);
    assert_eq!(browser.login("bob", "new-password-1").await, 303);

    // An expired link is refused: age the newest token in the database.
    browser
        .post_form(
            "/users/reset-password",
            "/users/reset-password",
            &[("email", "bob@example.com")],
        )
        .await;
    let expired_path = server
        .link_for("bob@example.com", "/users/reset-password/")
        .trim_start_matches(&server.base_url)
        .to_owned();
    assert_ne!(expired_path, path);
    age_all_tokens(&server).await;
    let (status, body) = browser.get(&expired_path).await;
    assert_eq!(status, 410);
    assert!(body.contains("already been used or has expired"));
}

async fn age_all_tokens(server: &Server) {
    use sqlx::Connection;
    let url = format!("sqlite://{}/shimmer.db", server.data_dir.display());
    let mut connection = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("UPDATE email_tokens SET expires_at = 1")
        .execute(&mut connection)
        .await
        .unwrap();
}

#[tokio::test]
async fn oversized_and_malformed_submissions_get_4xx() {
    let server = Server::start();
    let browser = Browser::new(&server);
    let token = browser.csrf("/users/register").await;
    let huge = "x".repeat(200 * 1024);
    let (status, _, _) = browser
        .post_raw("/users/register", &[("_csrf", &token), ("username", &huge)])
        .await;
    assert_eq!(status, 413);

    let response = browser
        .client
        .post(server.url("/users/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-csrf-token", &token)
        .body("username=%ZZ&email=%%%")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error(), "{}", response.status());
    let response = browser
        .client
        .post(server.url("/users/register"))
        .header("content-type", "application/json")
        .header("x-csrf-token", &token)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    let (status, body) = browser.get("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(body.contains("There is nothing at this address"));
    let (status, _) = browser.get("/nobody-here").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn one_user_cannot_touch_another_and_live_state_and_key_cannot_be_posted() {
    let server = Server::start();
    let alice_id = server.create_user("alice", "password123", true);
    server.create_user("mallory", "password123", true);
    let alice_key = String::from_utf8(server.cli(&["channel", "key", "alice"]).stdout).unwrap();
    let mallory_key = String::from_utf8(server.cli(&["channel", "key", "mallory"]).stdout).unwrap();

    let mallory = Browser::new(&server);
    assert_eq!(mallory.login("mallory", "password123").await, 303);
    let alice_channel = alice_key.trim().split_once('-').unwrap().0.to_owned();
    let (status, _, _) = mallory
        .post_form(
            "/users/settings/channel",
            "/users/settings/channel",
            &[
                ("title", "Mallory's title"),
                ("language", "en"),
                ("channel_id", &alice_channel),
                ("user_id", &alice_id.to_string()),
                ("status", "live"),
                ("current_stream_id", "99"),
                ("stream_key_secret", "chosen-by-attacker"),
                ("stream_key", "1-chosen"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, alice_page) = mallory.get("/alice").await;
    assert!(!alice_page.contains("Mallory&#39;s title") && !alice_page.contains("Mallory's title"));
    let (_, mallory_page) = mallory.get("/mallory").await;
    assert!(
        mallory_page.contains("Mallory&#39;s title")
            || mallory_page.contains("Mallory&#x27;s title"),
        "{mallory_page}"
    );
    assert_eq!(
        String::from_utf8(server.cli(&["channel", "status", "mallory"]).stdout)
            .unwrap()
            .trim(),
        "offline"
    );
    assert_eq!(
        String::from_utf8(server.cli(&["channel", "key", "mallory"]).stdout).unwrap(),
        mallory_key
    );
    assert_eq!(
        String::from_utf8(server.cli(&["channel", "key", "alice"]).stdout).unwrap(),
        alice_key
    );

    // Alice's session (the second one created; Mallory's is the first) cannot be revoked by
    // Mallory.
    let alice = Browser::new(&server);
    assert_eq!(alice.login("alice", "password123").await, 303);
    let (status, _, _) = mallory
        .post_form(
            "/users/settings/security",
            "/users/settings/sessions/2/revoke",
            &[],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        alice.get("/users/settings/stream").await.0,
        200,
        "Alice is still signed in"
    );

    // A visitor is sent to log in.
    let visitor = Browser::new(&server);
    let (status, _, _) = visitor
        .post_form(
            "/users/login",
            "/users/settings/channel",
            &[("title", "x"), ("language", "en")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(visitor.get("/users/settings/stream").await.0, 303);
}

#[tokio::test]
async fn password_change_ends_other_sessions_and_rotation_replaces_the_key() {
    let server = Server::start();
    server.create_user("carol", "password123", true);
    let laptop = Browser::new(&server);
    let phone = Browser::new(&server);
    assert_eq!(laptop.login("carol", "password123").await, 303);
    assert_eq!(phone.login("carol", "password123").await, 303);
    let (status, _, body) = laptop
        .post_form(
            "/users/settings/security",
            "/users/settings/password",
            &[
                ("current_password", "nope"),
                ("new_password", "password456"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("current password is not correct"));
    let (status, _, _) = laptop
        .post_form(
            "/users/settings/security",
            "/users/settings/password",
            &[
                ("current_password", "password123"),
                ("new_password", "password456"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(laptop.get("/users/settings/stream").await.0, 200);
    assert_eq!(
        phone.get("/users/settings/stream").await.0,
        303,
        "the other session ended"
    );

    let before = String::from_utf8(server.cli(&["channel", "key", "carol"]).stdout).unwrap();
    let (status, _, _) = laptop
        .post_form(
            "/users/settings/stream",
            "/users/settings/stream/rotate",
            &[],
        )
        .await;
    assert_eq!(status, 303);
    let after = String::from_utf8(server.cli(&["channel", "key", "carol"]).stdout).unwrap();
    assert_ne!(before, after);
    let (_, page) = laptop.get("/users/settings/stream").await;
    assert!(page.contains(after.trim()));
}

#[tokio::test]
async fn login_attempts_are_rate_limited() {
    let server = Server::start();
    server.create_user("dave", "password123", true);
    let browser = Browser::new(&server);
    let token = browser.csrf("/users/login").await;
    let mut limited = false;
    for _ in 0..15 {
        let (status, _, body) = browser
            .post_raw(
                "/users/login",
                &[
                    ("_csrf", &token),
                    ("login", "dave"),
                    ("password", "wrong-guess"),
                ],
            )
            .await;
        if status == 429 {
            assert!(body.contains("Too many attempts"), "{body}");
            limited = true;
            break;
        }
        assert_eq!(status, 401);
    }
    assert!(limited, "the account limit stops guessing");
}

#[tokio::test]
async fn operations_endpoints_and_cli() {
    let server = Server::start();
    let browser = Browser::new(&server);
    let response = browser
        .client
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    browser.get("/").await;
    let metrics = server.metrics().await;
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/\""));
    assert!(metrics.contains("http_request_duration_seconds_bucket"));

    let id = server.create_user("erin", "password123", false);
    assert!(id > 0);
    let duplicate = server.cli(&[
        "user",
        "create",
        "--username",
        "ERIN",
        "--email",
        "x@example.com",
        "--password",
        "password123",
    ]);
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already taken"));
    let missing = server.cli(&["channel", "key", "nobody"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no channel named nobody"));
    let help = support::shimmer()
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("--bind") && help.contains("database_url") && help.contains("SHIMMER_"));
}
