//! The account lifecycle against a real server: renaming with a cool-down and a held old name,
//! the data export, and self-service deletion that anonymises chat messages; nobody can reach
//! another account's export or deletion.

mod support;

use std::io::Read;

use futures::SinkExt;
use serde_json::{json, Value};
use support::chat::{channel_of, connect, next_of};
use support::{Browser, Server};
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "correct horse battery";

/// Logs in with a fresh browser and returns it with its session cookie header.
async fn signed_in(server: &Server, username: &str) -> (Browser, String) {
    let browser = Browser::new(server);
    let cookie = browser.session_cookie(username, PASSWORD).await;
    (browser, cookie)
}

#[tokio::test]
async fn renaming_has_a_cool_down_and_holds_the_old_name() {
    let server = Server::start();
    server.create_user("old_name", PASSWORD, true);
    server.create_user("taken_name", PASSWORD, true);
    let (browser, _) = signed_in(&server, "old_name").await;

    for (new_username, password, message) in [
        (
            "new_name",
            "wrong password",
            "current password is not correct",
        ),
        ("taken_name", PASSWORD, "taken or was given up recently"),
        ("bad name!", PASSWORD, "only letters, digits"),
        ("admin", PASSWORD, "reserved"),
    ] {
        let (status, _, page) = browser
            .post_form(
                "/users/settings/account",
                "/users/settings/account/username",
                &[
                    ("new_username", new_username),
                    ("current_password", password),
                ],
            )
            .await;
        assert_eq!(status, 422, "{new_username}");
        assert!(
            page.contains(message),
            "{message:?} missing for {new_username}"
        );
    }
    let (status, location, _) = browser
        .post_form(
            "/users/settings/account",
            "/users/settings/account/username",
            &[("new_username", "New_Name"), ("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.unwrap().contains("username_changed"));
    assert_eq!(browser.get("/New_Name").await.0, 200);
    assert_eq!(browser.get("/old_name").await.0, 404);
    // The same session continues under the new name; logging in uses it too.
    let (_, page) = browser.get("/users/settings/account").await;
    assert!(page.contains("<strong>New_Name</strong>"));
    let (fresh, _) = signed_in(&server, "new_name").await;
    assert_eq!(fresh.get("/users/settings/account").await.0, 200);

    // Once per cool-down.
    let (status, _, page) = browser
        .post_form(
            "/users/settings/account",
            "/users/settings/account/username",
            &[
                ("new_username", "third_name"),
                ("current_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 409);
    assert!(page.contains("changed your username recently"));

    // Nobody else can take the old name for a while.
    let stranger = Browser::new(&server);
    let (status, _, page) = stranger
        .post_form(
            "/users/register",
            "/users/register",
            &[
                ("username", "old_name"),
                ("email", "imposter@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("not available yet"));
}

#[tokio::test]
async fn export_then_delete_anonymises_chat_and_removes_the_channel() {
    let server = Server::start();
    server.create_user("leaver", PASSWORD, true);
    server.create_user("host_channel", PASSWORD, true);
    server.create_user("bystander", PASSWORD, true);
    let channel = channel_of(&server, "host_channel");
    let (leaver, leaver_cookie) = signed_in(&server, "leaver").await;
    let (bystander, _) = signed_in(&server, "bystander").await;

    let mut socket = connect(&server, &channel, Some(&leaver_cookie)).await;
    next_of(&mut socket, "history").await;
    socket
        .send(Message::Text(
            json!({"type": "send", "text": "goodbye everyone"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    let sent = next_of(&mut socket, "message").await;
    assert_eq!(sent["message"]["username"], "leaver");
    drop(socket);
    let (status, _, _) = leaver
        .post_form("/host_channel", "/host_channel/follow", &[])
        .await;
    assert!(status < 400, "follow: {status}");
    let (_, profile) = bystander.get("/host_channel/profile").await;
    assert!(profile.contains("1 follower<"), "{profile}");

    // The export is a zip of JSON files with the profile, channel and chat messages.
    let token = leaver.csrf("/users/settings/account").await;
    let response = leaver
        .client
        .post(server.url("/users/settings/account/export"))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |name: &str| -> Value {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    assert_eq!(read("profile.json")["username"], "leaver");
    assert_eq!(read("profile.json")["email"], "leaver@example.com");
    assert!(read("channel.json")["title"].is_string());
    let messages = read("chat_messages.json");
    let goodbye = messages
        .as_array()
        .unwrap()
        .iter()
        .find(|message| message["body"] == "goodbye everyone")
        .expect("the chat message is exported");
    assert_eq!(goodbye["channel"], "host_channel");
    assert_eq!(
        read("follows.json")["following"][0]["username"],
        "host_channel"
    );
    // The export carries no secrets.
    let raw = String::from_utf8_lossy(&bytes).to_string();
    assert!(!raw.contains(&server.stream_key("leaver")));

    // Deletion needs the password and the confirmation box.
    for (fields, status, message) in [
        (vec![("delete_password", PASSWORD)], 422, "Tick the box"),
        (
            vec![("delete_password", "nope nope"), ("confirm", "yes")],
            422,
            "current password is not correct",
        ),
    ] {
        let (got, _, page) = leaver
            .post_form(
                "/users/settings/account",
                "/users/settings/account/delete",
                &fields,
            )
            .await;
        assert_eq!(got, status);
        assert!(page.contains(message), "{message:?}");
    }
    let (status, location, _) = leaver
        .post_form(
            "/users/settings/account",
            "/users/settings/account/delete",
            &[("delete_password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some("/?notice=account_deleted"));

    // Gone: the session, the channel, the profile, the log-in.
    assert_eq!(leaver.get("/users/settings/account").await.0, 303);
    assert_eq!(bystander.get("/leaver").await.0, 404);
    assert_eq!(bystander.get("/leaver/profile").await.0, 404);
    assert_eq!(Browser::new(&server).login("leaver", PASSWORD).await, 401);
    // The message stays, from a deleted user.
    let mut socket = connect(&server, &channel, None).await;
    let history = next_of(&mut socket, "history").await;
    let message = history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|message| message["tokens"][0]["text"] == "goodbye everyone")
        .expect("the message is kept");
    assert_eq!(message["username"], "deleted-user");
    assert_eq!(message["display_name"], "Deleted user");
    assert!(message["user_id"].is_null());
}

#[tokio::test]
async fn another_accounts_export_and_deletion_are_unreachable() {
    let server = Server::start();
    server.create_user("victim", PASSWORD, true);
    server.create_user("prowler", PASSWORD, true);
    let (prowler, _) = signed_in(&server, "prowler").await;

    // The endpoints act only on the signed-in account; there is no way to name another.
    let token = prowler.csrf("/users/settings/account").await;
    let response = prowler
        .client
        .post(server.url("/users/settings/account/export?username=victim&user_id=1"))
        .form(&[
            ("_csrf", token.as_str()),
            ("username", "victim"),
            ("user_id", "1"),
        ])
        .send()
        .await
        .unwrap();
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut text = String::new();
    archive
        .by_name("profile.json")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.contains("prowler") && !text.contains("victim"));
    // The victim's password does not delete anything for the prowler, and the victim stays.
    let (status, _, _) = prowler
        .post_form(
            "/users/settings/account",
            "/users/settings/account/delete",
            &[
                ("delete_password", "not the prowler's"),
                ("confirm", "yes"),
                ("username", "victim"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(prowler.get("/victim").await.0, 200);

    // Without a session (or without the CSRF token) nothing happens.
    let visitor = Browser::new(&server);
    let (status, location, _) = visitor
        .post_form("/", "/users/settings/account/export", &[])
        .await;
    assert_eq!((status, location.as_deref()), (303, Some("/users/login")));
    let (status, _, _) = prowler
        .post_raw(
            "/users/settings/account/delete",
            &[("delete_password", PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(prowler.get("/prowler").await.0, 200);
}

#[tokio::test]
async fn email_changes_only_when_the_new_address_confirms() {
    let server = Server::start();
    server.create_user("mover", PASSWORD, true);
    server.create_user("holder", PASSWORD, true);
    let browser = Browser::new(&server);
    assert_eq!(browser.login("mover", PASSWORD).await, 303);
    let other_device = Browser::new(&server);
    assert_eq!(other_device.login("mover", PASSWORD).await, 303);

    let change = |email: &'static str, password: &'static str| {
        let browser = &browser;
        async move {
            browser
                .post_form(
                    "/users/settings/security",
                    "/users/settings/email",
                    &[("email", email), ("current_password", password)],
                )
                .await
        }
    };
    for (email, password, message) in [
        (
            "new@example.com",
            "wrong password!",
            "current password is not correct",
        ),
        (
            "holder@example.com",
            PASSWORD,
            "Another account already uses",
        ),
        ("MOVER@example.com", PASSWORD, "already your email address"),
        ("not an address", PASSWORD, "email"),
    ] {
        let (status, _, body) = change(email, password).await;
        assert_eq!(status, 422, "{email}");
        assert!(body.contains(message), "{email}: {body}");
    }
    assert!(server.mails().iter().all(|(to, _)| to != "new@example.com"));

    let (status, location, _) = change("new@example.com", PASSWORD).await;
    assert_eq!(status, 303);
    assert!(location.unwrap().contains("email_change_sent"));
    // Nothing changed yet: the old address still logs in, the new one does not; the old
    // address was told; the other device was logged out.
    let (_, security) = browser.get("/users/settings/security").await;
    assert!(security.contains("mover@example.com"), "{security}");
    assert!(server
        .mails()
        .iter()
        .any(|(to, body)| to == "mover@example.com" && body.contains("new@example.com")));
    assert_eq!(
        Browser::new(&server)
            .login("new@example.com", PASSWORD)
            .await,
        401
    );
    assert_eq!(other_device.get("/users/settings/security").await.0, 303);

    let link = server.link_for("new@example.com", "/users/confirm/");
    let path = &link[link.find("/users/confirm/").unwrap()..];
    let (status, _, body) = browser.post_form(path, path, &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("new@example.com"));
    assert_eq!(
        Browser::new(&server)
            .login("new@example.com", PASSWORD)
            .await,
        303
    );
    assert_eq!(
        Browser::new(&server)
            .login("mover@example.com", PASSWORD)
            .await,
        401
    );
    // The link works once.
    let (status, _, body) = browser.post_form(path, path, &[]).await;
    assert!(status >= 400, "{status}");
    assert!(body.contains("already been used"), "{body}");
}
