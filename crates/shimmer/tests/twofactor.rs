//! Two-factor sign-in against a real server: enrolment, log-in with a code and with recovery
//! codes, refusal of wrong and replayed codes, no way around the second step, encryption at
//! rest, turning it off, and staff being sent to enrolment.

mod support;

use support::{enrol_two_factor as enrol, totp_code as code, Browser, Server};

const PASSWORD: &str = "correct horse battery";

async fn count(database: &mut sqlx::SqliteConnection, query: &str) -> i64 {
    let (count,): (i64,) = sqlx::query_as(query).fetch_one(database).await.unwrap();
    count
}

async fn password_step(browser: &Browser, username: &str) -> (u16, Option<String>) {
    let (status, location, _) = browser
        .post_form(
            "/users/login",
            "/users/login",
            &[("login", username), ("password", PASSWORD)],
        )
        .await;
    (status, location)
}

#[tokio::test]
async fn enrol_log_in_with_codes_and_recovery_codes_once() {
    let server = Server::start();
    server.create_user("totp_user", PASSWORD, true);
    let browser = Browser::new(&server);
    assert_eq!(browser.login("totp_user", PASSWORD).await, 303);

    // The QR image is a real PNG, never cached.
    let response = browser
        .client
        .get(server.url("/users/settings/two-factor/qr.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let png = response.bytes().await.unwrap();
    assert!(image::load_from_memory(&png).is_ok());

    // A wrong code does not enrol.
    let (status, _, page) = browser
        .post_form(
            "/users/settings/two-factor",
            "/users/settings/two-factor/confirm",
            &[("code", "000000")],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("That code is not correct"));

    let elsewhere = Browser::new(&server);
    assert_eq!(elsewhere.login("totp_user", PASSWORD).await, 303);
    // The replay below must fall in the enrolment's 30 s step: start early in a step.
    let into_step = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        % 30;
    if into_step > 20 {
        tokio::time::sleep(std::time::Duration::from_secs(30 - into_step)).await;
    }
    let (totp, recovery) = enrol(&browser).await;
    // Sessions signed in with the password alone end when two-factor sign-in starts.
    assert_eq!(elsewhere.get("/users/settings/security").await.0, 303);
    assert_eq!(browser.get("/users/settings/security").await.0, 200);

    // The seed is encrypted at rest: its bytes appear nowhere in the database files, and the
    // key file is private.
    for file in ["shimmer.db", "shimmer.db-wal"] {
        let database = std::fs::read(server.data_dir.join(file)).unwrap_or_default();
        assert!(!database
            .windows(totp.secret.len())
            .any(|window| window == totp.secret.as_slice()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(server.data_dir.join("secret.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Log out, then log in: the password alone leads only to the code form.
    let (status, _, _) = browser.post_form("/", "/users/logout", &[]).await;
    assert_eq!(status, 303);
    let (status, location) = password_step(&browser, "totp_user").await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some("/users/login/two-factor"));

    // A replay of the enrolment code (same time step) is refused; so is a wrong code.
    let (status, _, page) = browser
        .post_form(
            "/users/login/two-factor",
            "/users/login/two-factor",
            &[("code", &code(&totp, 0))],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("already used"), "{page}");
    // The next step's code is accepted (clock drift allowance) and signs in.
    let (status, location, _) = browser
        .post_form(
            "/users/login/two-factor",
            "/users/login/two-factor",
            &[("code", &code(&totp, 1))],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some("/?notice=logged_in"));
    assert_eq!(browser.get("/users/settings/security").await.0, 200);

    // A recovery code works once.
    let other = Browser::new(&server);
    assert_eq!(password_step(&other, "totp_user").await.0, 303);
    let (status, _, page) = other
        .post_form(
            "/users/login/two-factor",
            "/users/login/two-factor",
            &[("code", &recovery[0].to_uppercase())],
        )
        .await;
    assert_eq!(status, 303, "{page}");
    let third = Browser::new(&server);
    assert_eq!(password_step(&third, "totp_user").await.0, 303);
    let (status, _, page) = third
        .post_form(
            "/users/login/two-factor",
            "/users/login/two-factor",
            &[("code", &recovery[0])],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("not correct"));
    assert_eq!(third.get("/users/settings/security").await.0, 303);

    // Turning it off needs the password and a code.
    let (status, _, page) = browser
        .post_form(
            "/users/settings/two-factor",
            "/users/settings/two-factor/disable",
            &[
                ("current_password", "wrong password"),
                ("code", &recovery[1]),
            ],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    let (status, _, page) = browser
        .post_form(
            "/users/settings/two-factor",
            "/users/settings/two-factor/disable",
            &[("current_password", PASSWORD), ("code", "123")],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    let (status, location, _) = browser
        .post_form(
            "/users/settings/two-factor",
            "/users/settings/two-factor/disable",
            &[("current_password", PASSWORD), ("code", &recovery[1])],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.unwrap().contains("two_factor_disabled"));
    let fresh = Browser::new(&server);
    assert_eq!(
        password_step(&fresh, "totp_user").await.1.as_deref(),
        Some("/?notice=logged_in")
    );
}

#[tokio::test]
async fn the_second_step_cannot_be_skipped_and_wrong_codes_are_limited() {
    let server = Server::start();
    server.create_user("skipper", PASSWORD, true);
    let owner = Browser::new(&server);
    assert_eq!(owner.login("skipper", PASSWORD).await, 303);
    enrol(&owner).await;

    let attacker = Browser::new(&server);
    assert_eq!(password_step(&attacker, "skipper").await.0, 303);
    // Every signed-in page still treats the browser as a visitor.
    for path in [
        "/users/settings/security",
        "/users/settings/profile",
        "/users/settings/stream",
        "/users/settings/two-factor",
        "/users/settings/account",
    ] {
        let (status, _) = attacker.get(path).await;
        assert_eq!(status, 303, "{path} was reachable before the second step");
    }
    let (_, home) = attacker.get("/").await;
    assert!(!home.contains("data-testid=\"logout\""));
    // Forms that need a session refuse too.
    let (status, location, _) = attacker
        .post_form("/", "/users/settings/account/export", &[])
        .await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some("/users/login"));
    // Without the pending cookie, the code form sends back to the password step.
    let stranger = Browser::new(&server);
    assert_eq!(
        stranger.get("/users/login/two-factor").await.0,
        303,
        "the code form needs a pending log-in"
    );
    let (status, location, _) = stranger
        .post_form(
            "/users/login",
            "/users/login/two-factor",
            &[("code", "123456")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        location.as_deref(),
        Some("/users/login?notice=login_expired")
    );

    // Wrong codes: refused with a clear message, then rate-limited.
    let mut limited = false;
    for attempt in 0..15 {
        let (status, _, page) = attacker
            .post_form(
                "/users/login/two-factor",
                "/users/login/two-factor",
                &[("code", &format!("{:06}", 100_000 + attempt))],
            )
            .await;
        if status == 429 {
            assert!(page.contains("Too many attempts"), "{page}");
            limited = true;
            break;
        }
        assert_eq!(status, 422, "{page}");
        assert!(page.contains("not correct") || page.contains("already used"));
    }
    assert!(limited, "wrong codes were never rate-limited");
}

#[tokio::test]
async fn staff_without_two_factor_are_sent_to_enrolment() {
    let server = Server::start();
    server.create_admin("ops_person", PASSWORD);
    let staff = Browser::new(&server);
    assert_eq!(staff.login("ops_person", PASSWORD).await, 303);
    for path in ["/", "/staff/reports", "/users/settings/profile"] {
        let response = staff.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(
            response.headers()["location"],
            "/users/settings/two-factor",
            "{path}"
        );
    }
    let (status, page) = staff.get("/users/settings/two-factor").await;
    assert_eq!(status, 200);
    assert!(page.contains("Staff accounts must use two-factor sign-in"));
    let (_, recovery) = enrol(&staff).await;
    assert_eq!(staff.get("/staff/reports").await.0, 200);
    // Staff cannot turn it off.
    let (status, _, _) = staff
        .post_form(
            "/users/settings/two-factor",
            "/users/settings/two-factor/disable",
            &[("current_password", PASSWORD), ("code", &recovery[0])],
        )
        .await;
    assert_eq!(status, 403);

    // Deleting the account needs a second factor too.
    let (status, _, page) = staff
        .post_form(
            "/users/settings/account",
            "/users/settings/account/delete",
            &[
                ("delete_password", PASSWORD),
                ("confirm", "yes"),
                ("code", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("not correct"));
    let (status, location, _) = staff
        .post_form(
            "/users/settings/account",
            "/users/settings/account/delete",
            &[
                ("delete_password", PASSWORD),
                ("confirm", "yes"),
                ("code", &recovery[1]),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some("/?notice=account_deleted"));
}

#[tokio::test]
async fn serve_sweeps_expired_sessions_and_pending_logins_but_keeps_live_ones() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_in(data.path(), &[("SHIMMER_HOUSEKEEPING__INTERVAL_SECS", "1")]);
    server.create_user("sweep_user", PASSWORD, true);
    let owner = Browser::new(&server);
    assert_eq!(owner.login("sweep_user", PASSWORD).await, 303);
    let (totp, recovery) = enrol(&owner).await;

    // A second browser signs in (with a recovery code); two more stop at the code form.
    let stale = Browser::new(&server);
    assert_eq!(password_step(&stale, "sweep_user").await.0, 303);
    let (status, location, _) = stale
        .post_form(
            "/users/login/two-factor",
            "/users/login/two-factor",
            &[("code", &recovery[0])],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/?notice=logged_in"))
    );
    assert_eq!(stale.get("/users/settings/security").await.0, 200);
    let abandoned = Browser::new(&server);
    assert_eq!(password_step(&abandoned, "sweep_user").await.0, 303);
    let waiting = Browser::new(&server);
    assert_eq!(password_step(&waiting, "sweep_user").await.0, 303);

    // Age the second browser's session and the first pending log-in past their expiry.
    let mut database = server.database().await;
    for statement in [
        "UPDATE sessions SET expires_at = 0 WHERE id = (SELECT MAX(id) FROM sessions)",
        "UPDATE pending_logins SET expires_at = 0 WHERE id = (SELECT MIN(id) FROM pending_logins)",
    ] {
        let result = sqlx::query(statement).execute(&mut database).await.unwrap();
        assert_eq!(result.rows_affected(), 1, "{statement}");
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let sessions = count(&mut database, "SELECT COUNT(*) FROM sessions").await;
        let pending = count(&mut database, "SELECT COUNT(*) FROM pending_logins").await;
        if (sessions, pending) == (1, 1) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "expired rows still there after 15 s: {sessions} sessions, {pending} pending log-ins"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }

    // The live session still works; the swept one is signed out.
    assert_eq!(owner.get("/users/settings/security").await.0, 200);
    assert_eq!(stale.get("/users/settings/security").await.0, 303);
    // The log-in under way still completes; the swept one has to start again.
    let (status, location, _) = waiting
        .post_form(
            "/users/login/two-factor",
            "/users/login/two-factor",
            &[("code", &code(&totp, 1))],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/?notice=logged_in"))
    );
    assert_eq!(waiting.get("/users/settings/security").await.0, 200);
    assert_eq!(abandoned.get("/users/login/two-factor").await.0, 303);
    let (status, location, _) = abandoned
        .post_form(
            "/users/login",
            "/users/login/two-factor",
            &[("code", &code(&totp, 1))],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        location.as_deref(),
        Some("/users/login?notice=login_expired")
    );
}
