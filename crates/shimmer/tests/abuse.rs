//! Sign-up and log-in under abuse, against a real server process: sign-ups limited per address
//! and site-wide, the bot check (honeypot and minimum fill time), emails limited per recipient,
//! and log-in limits that count an account once whichever identifier is typed, without locking
//! its owner out.

mod support;

use std::time::Duration;

use support::{Browser, Server};

const PASSWORD: &str = "correct horse battery staple";

/// The value of the hidden `name` input on a page.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} on the page"))
        + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_owned()
}

struct Answer {
    status: u16,
    retry_after: Option<u64>,
    body: String,
}

/// Opens the sign-up page, waits `fill`, and sends it with `fields` (plus the page's CSRF token
/// and form stamp unless `fields` gives them), as `forwarded_for` behind a trusted proxy.
async fn sign_up(
    browser: &Browser,
    server: &Server,
    fields: &[(&str, &str)],
    fill: Duration,
    forwarded_for: Option<&str>,
) -> Answer {
    let (_, page) = browser.get("/users/register").await;
    let csrf = hidden(&page, "_csrf");
    // A build without the bot check has no stamp: the test then fails on what it checks.
    let stamp = match page.contains("name=\"form_stamp\"") {
        true => hidden(&page, "form_stamp"),
        false => String::new(),
    };
    tokio::time::sleep(fill).await;
    let mut all = vec![("_csrf", csrf.as_str())];
    if !fields.iter().any(|(name, _)| *name == "form_stamp") {
        all.push(("form_stamp", &stamp));
    }
    all.extend_from_slice(fields);
    let mut request = browser
        .client
        .post(server.url("/users/register"))
        .form(&all);
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    let response = request.send().await.unwrap();
    Answer {
        status: response.status().as_u16(),
        retry_after: response
            .headers()
            .get("retry-after")
            .map(|value| value.to_str().unwrap().parse().unwrap()),
        body: response.text().await.unwrap(),
    }
}

fn account(name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("username", name.to_owned()),
        ("email", format!("{name}@example.com")),
        ("password", PASSWORD.to_owned()),
    ]
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn sign_ups_from_one_address_are_limited() {
    let server = Server::start();
    let browser = Browser::new(&server);
    // The probe made 25 accounts in 1.7 s from one address; 10 is the default allowance.
    let mut created = 0;
    let mut refused = None;
    for n in 0..25 {
        let answer = sign_up(
            &browser,
            &server,
            &borrowed(&account(&format!("bulk{n}"))),
            Duration::ZERO,
            None,
        )
        .await;
        match answer.status {
            303 => created += 1,
            429 => refused = Some((n, answer)),
            other => panic!("unexpected {other}: {}", answer.body),
        }
    }
    assert_eq!(created, 10, "ten sign-ups from one address at once");
    let (n, answer) = refused.expect("the rest are refused");
    assert!(
        answer
            .body
            .contains("Too many accounts were made from your network recently"),
        "{}",
        answer.body
    );
    assert!(answer.retry_after.unwrap() > 60, "a wait of minutes");
    assert!(
        answer.body.contains(&format!("value=\"bulk{n}\""))
            && answer
                .body
                .contains(&format!("value=\"bulk{n}@example.com\"")),
        "what was typed is kept"
    );
    assert_eq!(
        server.mails().len(),
        10,
        "refused sign-ups send no confirmation email"
    );
    // Mistakes in the form count against nothing: the field errors still show.
    let answer = sign_up(
        &browser,
        &server,
        &[("username", "x"), ("email", "bad"), ("password", "short")],
        Duration::ZERO,
        None,
    )
    .await;
    assert_eq!(answer.status, 422, "{}", answer.body);
}

#[tokio::test]
async fn sign_ups_are_limited_site_wide_whatever_the_address() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_in(
        temp.path(),
        &[
            ("SHIMMER_TRUSTED_PROXIES", "[\"127.0.0.1\"]"),
            ("SHIMMER_SIGNUP__GLOBAL_BURST", "4"),
            ("SHIMMER_SIGNUP__GLOBAL_INTERVAL_SECS", "3600"),
        ],
    );
    let browser = Browser::new(&server);
    for n in 0..4 {
        let address = format!("198.51.100.{}", n + 1);
        let answer = sign_up(
            &browser,
            &server,
            &borrowed(&account(&format!("spread{n}"))),
            Duration::ZERO,
            Some(&address),
        )
        .await;
        assert_eq!(answer.status, 303, "{}", answer.body);
    }
    let answer = sign_up(
        &browser,
        &server,
        &borrowed(&account("spread9")),
        Duration::ZERO,
        Some("203.0.113.50"),
    )
    .await;
    assert_eq!(answer.status, 429, "{}", answer.body);
    assert!(
        answer.body.contains("sign-ups are paused for a moment"),
        "{}",
        answer.body
    );
    assert!(answer.retry_after.is_some());
}

#[tokio::test]
async fn the_bot_check_refuses_honeypots_and_forms_sent_too_fast() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_in(temp.path(), &[("SHIMMER_SIGNUP__MIN_FILL_SECS", "2")]);
    let browser = Browser::new(&server);
    let fields = account("human1");

    let answer = sign_up(&browser, &server, &borrowed(&fields), Duration::ZERO, None).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(
        answer
            .body
            .contains("quicker than anyone can fill in this form"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("value=\"human1@example.com\""));

    let mut trapped = borrowed(&fields);
    trapped.push(("website", "http://spam.example"));
    let answer = sign_up(
        &browser,
        &server,
        &trapped,
        Duration::from_millis(2100),
        None,
    )
    .await;
    assert_eq!(answer.status, 422);
    assert!(answer.body.contains("leave this empty"), "{}", answer.body);

    for stamp in ["", "12345.00ff", &format!("{}.abcd", 1)] {
        let mut forged = borrowed(&fields);
        forged.push(("form_stamp", stamp));
        let answer = sign_up(&browser, &server, &forged, Duration::ZERO, None).await;
        assert_eq!(answer.status, 422, "stamp {stamp:?}");
        assert!(answer.body.contains("out of date"), "{}", answer.body);
    }
    assert!(server.mails().is_empty(), "no refused form sent an email");

    let answer = sign_up(
        &browser,
        &server,
        &borrowed(&fields),
        Duration::from_millis(2100),
        None,
    )
    .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
}

#[tokio::test]
async fn confirmation_emails_to_one_address_are_limited() {
    let server = Server::start();
    server.create_user("resender", PASSWORD, false);
    let browser = Browser::new(&server);
    assert_eq!(browser.login("resender", PASSWORD).await, 303);
    for _ in 0..3 {
        let (status, location, _) = browser
            .post_form("/users/settings/security", "/users/confirm/resend", &[])
            .await;
        assert_eq!(status, 303);
        assert!(location.unwrap().contains("confirmation_sent"));
    }
    let token = browser.csrf("/users/settings/security").await;
    let response = browser
        .client
        .post(server.url("/users/confirm/resend"))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let page = response.text().await.unwrap();
    assert!(
        page.contains("We sent several emails to resender@example.com recently"),
        "{page}"
    );
    assert_eq!(server.mails().len(), 3);
}

/// Logs in with a fresh browser; returns status, body and whether a session cookie was set.
async fn attempt(server: &Server, login: &str, password: &str) -> (u16, String, bool) {
    let browser = Browser::new(server);
    let token = browser.csrf("/users/login").await;
    let response = browser
        .client
        .post(server.url("/users/login"))
        .form(&[
            ("_csrf", token.as_str()),
            ("login", login),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let session = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|value| value.to_str().unwrap().starts_with("shimmer_session="));
    (status, response.text().await.unwrap(), session)
}

const THROTTLED: &str = "If the password was right, we emailed you a link to sign in";

#[tokio::test]
async fn the_account_limit_counts_username_and_email_as_one_account() {
    let server = Server::start();
    server.create_user("target", PASSWORD, true);
    for n in 0..10 {
        let login = if n % 2 == 0 {
            "target"
        } else {
            "TARGET@example.com"
        };
        let (status, _, _) = attempt(&server, login, "wrong password").await;
        assert_eq!(status, 401, "attempt {n}");
    }
    for login in ["target", "target@example.com"] {
        let (status, body, _) = attempt(&server, login, "wrong password").await;
        assert_eq!(status, 429, "{login}: {body}");
        assert!(body.contains(THROTTLED), "{body}");
    }
    // Names without an account are limited alike, so the answers reveal nothing.
    for _ in 0..10 {
        assert_eq!(attempt(&server, "nobody", "wrong password").await.0, 401);
    }
    let (status, body, _) = attempt(&server, "nobody", "wrong password").await;
    assert_eq!(status, 429);
    assert!(body.contains(THROTTLED));
}

#[tokio::test]
async fn a_correct_password_on_a_limited_account_emails_a_sign_in_link() {
    let server = Server::start();
    server.create_user("owner", PASSWORD, true);
    for _ in 0..10 {
        assert_eq!(attempt(&server, "owner", "guess").await.0, 401);
    }
    let (status, wrong, _) = attempt(&server, "owner", "guess").await;
    assert_eq!(status, 429);
    assert!(server.mails().is_empty(), "a wrong password sends nothing");

    let (status, right, session) = attempt(&server, "owner@example.com", PASSWORD).await;
    assert_eq!(status, 429, "{right}");
    assert!(!session, "no session without the link");
    assert!(right.contains(THROTTLED) && wrong.contains(THROTTLED));
    let link = server.link_for("owner@example.com", "/users/login/link/");
    let path = link.trim_start_matches(&server.base_url).to_owned();

    let browser = Browser::new(&server);
    let (status, page) = browser.get(&path).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Log in with your link"));
    let (status, location, _) = browser.post_form(&path, &path, &[]).await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some("/?notice=logged_in"));
    let (status, _) = browser.get("/users/settings/security").await;
    assert_eq!(status, 200, "signed in by the link");

    let again = Browser::new(&server);
    let (status, page) = again.get(&path).await;
    assert_eq!(status, 410, "the link works once: {page}");
}

#[tokio::test]
async fn a_sign_in_link_still_asks_two_factor_accounts_for_their_code() {
    let server = Server::start();
    server.create_user("guarded", PASSWORD, true);
    let owner = Browser::new(&server);
    assert_eq!(owner.login("guarded", PASSWORD).await, 303);
    let (authenticator, _) = support::enrol_two_factor(&owner).await;
    // Every attempt counts, the owner's own log-in above too: nine guesses use up the ten.
    for _ in 0..9 {
        assert_eq!(attempt(&server, "guarded", "guess").await.0, 401);
    }
    let (status, body, session) = attempt(&server, "guarded", PASSWORD).await;
    assert_eq!((status, session), (429, false), "{body}");
    let link = server.link_for("guarded@example.com", "/users/login/link/");
    let path = link.trim_start_matches(&server.base_url).to_owned();
    let browser = Browser::new(&server);
    let (status, location, _) = browser.post_form(&path, &path, &[]).await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    assert!(
        location.starts_with("/users/login/two-factor"),
        "{location}"
    );
    let (status, _) = browser.get("/users/settings/security").await;
    assert_ne!(status, 200, "not signed in before the code");
    let (status, _, page) = browser
        .post_form(
            &location,
            "/users/login/two-factor",
            &[("code", &support::totp_code(&authenticator, 1))],
        )
        .await;
    assert_eq!(status, 303, "{page}");
    let (status, _) = browser.get("/users/settings/security").await;
    assert_eq!(status, 200);
}
