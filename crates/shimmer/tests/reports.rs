//! Reports against a real server: filing from a channel, a profile and a chat message, the
//! staff queue and its statuses, staff email, rate limits, bad input, and who may see what.

mod support;

use futures::SinkExt;
use serde_json::json;
use support::chat::{channel_of, connect, next_of};
use support::{Browser, Server};
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "correct horse battery";

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} missing"))
        + start.len();
    &text[from..from + text[from..].find(end).unwrap()]
}

/// Creates a staff account with two-factor sign-in and returns its signed-in browser.
async fn staff(server: &Server) -> Browser {
    let output = server.cli(&[
        "user",
        "create",
        "--username",
        "queue_keeper",
        "--email",
        "keeper@example.com",
        "--password",
        PASSWORD,
        "--confirmed",
        "--admin",
    ]);
    assert!(output.status.success());
    let browser = Browser::new(server);
    assert_eq!(browser.login("queue_keeper", PASSWORD).await, 303);
    support::enrol_two_factor(&browser).await;
    browser
}

async fn report(
    browser: &Browser,
    username: &str,
    location: &str,
    reason: &str,
    notes: &str,
    message_id: &str,
) -> (u16, String) {
    let (status, _, page) = browser
        .post_form(
            &format!("/report?username={username}&location={location}"),
            "/report",
            &[
                ("username", username),
                ("location", location),
                ("reason", reason),
                ("notes", notes),
                ("message_id", message_id),
            ],
        )
        .await;
    (status, page)
}

#[tokio::test]
async fn reports_are_queued_for_staff_who_are_emailed() {
    let server = Server::start();
    let keeper = staff(&server).await;
    server.create_user("troublemaker", PASSWORD, true);
    server.create_user("reporter_one", PASSWORD, true);
    let reporter = Browser::new(&server);
    assert_eq!(reporter.login("reporter_one", PASSWORD).await, 303);

    // The channel page and profile offer the action to signed-in people.
    let (_, channel) = reporter.get("/troublemaker").await;
    assert!(channel.contains("/report?username=troublemaker&amp;location=stream"));
    let (_, profile) = reporter.get("/troublemaker/profile").await;
    assert!(profile.contains("/report?username=troublemaker&amp;location=profile"));
    let (_, own) = reporter.get("/reporter_one/profile").await;
    assert!(!own.contains("Report reporter_one"));
    let (_, form) = reporter
        .get("/report?username=troublemaker&location=profile")
        .await;
    assert!(form.contains("value=\"profile\" checked"));

    let (status, page) = report(
        &reporter,
        "troublemaker",
        "profile",
        "hate",
        "Slurs in the bio <b>here</b>",
        "",
    )
    .await;
    assert_eq!(status, 201, "{page}");

    // Staff find the queue from the header; others do not see the link.
    let (_, home) = keeper.get("/").await;
    assert!(home.contains("href=\"/staff/reports\""));
    assert!(!reporter
        .get("/")
        .await
        .1
        .contains("href=\"/staff/reports\""));

    // Stored in the queue, escaped, and staff were emailed.
    let (status, queue) = keeper.get("/staff/reports").await;
    assert_eq!(status, 200);
    assert!(queue.contains("troublemaker"));
    assert!(queue.contains("Hate speech or harassment"));
    assert!(queue.contains("Profile text or avatar"));
    assert!(
        queue.contains("Slurs in the bio &#60;b&#62;here&#60;/b&#62;"),
        "{queue}"
    );
    assert!(queue.contains("Filed by reporter_one"));
    let mail = server
        .mails()
        .into_iter()
        .find(|(to, _)| to == "keeper@example.com")
        .expect("staff were emailed");
    assert!(mail.1.contains("reporter_one reported troublemaker"));
    assert!(mail.1.contains("/staff/reports"));

    // Staff resolve it; it leaves the open queue.
    let id = between(&queue, "/staff/reports/", "/status");
    let (status, _, _) = keeper
        .post_form(
            "/staff/reports",
            &format!("/staff/reports/{id}/status"),
            &[("status", "resolved")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, open) = keeper.get("/staff/reports").await;
    assert!(!open.contains("Slurs in the bio"));
    let (_, resolved) = keeper.get("/staff/reports?status=resolved").await;
    assert!(resolved.contains("Slurs in the bio"));
    let (status, _, _) = keeper
        .post_form(
            "/staff/reports",
            &format!("/staff/reports/{id}/status"),
            &[("status", "deleted-forever")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(keeper.get("/staff/reports?status=bogus").await.0, 404);
}

#[tokio::test]
async fn the_queue_is_staff_only_and_bad_reports_are_refused() {
    let server = Server::start();
    server.create_user("suspect", PASSWORD, true);
    server.create_user("curious", PASSWORD, true);
    let curious = Browser::new(&server);
    assert_eq!(curious.login("curious", PASSWORD).await, 303);

    // Not staff: no queue, no status changes.
    assert_eq!(curious.get("/staff/reports").await.0, 403);
    let (status, _, _) = curious
        .post_form("/", "/staff/reports/1/status", &[("status", "dismissed")])
        .await;
    assert_eq!(status, 403);
    // Visitors cannot file.
    let visitor = Browser::new(&server);
    assert_eq!(visitor.get("/report?username=suspect").await.0, 303);
    let (status, location, _) = visitor
        .post_form(
            "/",
            "/report",
            &[
                ("username", "suspect"),
                ("location", "chat"),
                ("reason", "spam"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some("/users/login"));

    // Bad input.
    let long_notes = "n".repeat(2001);
    for (username, location, reason, notes, message_id, expected_status, message) in [
        (
            "suspect",
            "moon",
            "spam",
            "",
            "",
            422,
            "Choose where this happened.",
        ),
        (
            "suspect",
            "chat",
            "because",
            "",
            "",
            422,
            "Choose a reason.",
        ),
        (
            "suspect",
            "chat",
            "spam",
            long_notes.as_str(),
            "",
            422,
            "at most 2000",
        ),
        (
            "nobody_at_all",
            "chat",
            "spam",
            "",
            "",
            404,
            "no account with that name",
        ),
        (
            "curious",
            "chat",
            "spam",
            "",
            "",
            422,
            "cannot report yourself",
        ),
        (
            "suspect",
            "chat",
            "spam",
            "",
            "999999",
            422,
            "not from this account",
        ),
        ("suspect", "chat", "spam", "", "abc", 400, "not valid"),
    ] {
        let (status, page) = report(&curious, username, location, reason, notes, message_id).await;
        assert_eq!(status, expected_status, "{username} {location} {reason}");
        assert!(page.contains(message), "{message:?} missing");
    }

    // Reporters are rate-limited.
    let mut limited = false;
    for _ in 0..8 {
        let (status, page) = report(&curious, "suspect", "chat", "spam", "again", "").await;
        if status == 429 {
            assert!(page.contains("Too many attempts"));
            limited = true;
            break;
        }
        assert_eq!(status, 201, "{page}");
    }
    assert!(limited, "reports were never rate-limited");
}

/// Sends `text` to `channel`'s chat as the holder of `cookie`; returns the message id.
async fn chat_message(server: &Server, cookie: &str, channel: &str, text: &str) -> i64 {
    let channel_id = channel_of(server, channel);
    let mut socket = connect(server, &channel_id, Some(cookie)).await;
    socket
        .send(Message::Text(
            json!({"type": "send", "text": text}).to_string().into(),
        ))
        .await
        .unwrap();
    loop {
        let value = next_of(&mut socket, "message").await;
        if value["message"]["tokens"][0]["text"] == text {
            return value["message"]["id"].as_i64().unwrap();
        }
    }
}

#[tokio::test]
async fn a_chat_message_is_reported_with_its_text() {
    let server = Server::start();
    let keeper = staff(&server).await;
    server.create_user("chatty", PASSWORD, true);
    server.create_user("listener", PASSWORD, true);
    let cookie = Browser::new(&server)
        .session_cookie("chatty", PASSWORD)
        .await;
    let id = chat_message(&server, &cookie, "listener", "buy cheap followers now").await;
    let listener = Browser::new(&server);
    assert_eq!(listener.login("listener", PASSWORD).await, 303);
    // The message must be the reported person's.
    let (status, page) = report(
        &listener,
        "queue_keeper",
        "chat",
        "spam",
        "",
        &id.to_string(),
    )
    .await;
    assert_eq!(status, 422, "{page}");
    let (status, page) = report(&listener, "chatty", "chat", "spam", "", &id.to_string()).await;
    assert_eq!(status, 201, "{page}");
    let (_, queue) = keeper.get("/staff/reports").await;
    assert!(
        queue.contains("chat message: “buy cheap followers now”"),
        "{queue}"
    );
    assert!(queue.contains("Stream chat"));
}
