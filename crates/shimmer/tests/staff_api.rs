//! The staff fields and lookups of the GraphQL API against a real server: every staff field and
//! lookup × visitor (no credential, a client id), member, channel moderator, streamer and each
//! staff level 1–5, over real HTTP with tokens minted at `/api/oauth/token`; the token rules (the
//! `staff` scope, a staff account with two-factor sign-in, never the ingest credential); and
//! one audit row per API lookup, as the `/staff` pages write.

mod api_support;
mod support;

use api_support::{create_app, graphql, token, Auth};
use serde_json::{json, Value};
use support::{Browser, Server};

const PASSWORD: &str = "correct horse battery";

/// The scopes every role's token holds, so only the account's level differs.
const SCOPES: &str = "public email chat staff";

/// Signs `username` in and returns the browser.
async fn signed_in(server: &Server, username: &str) -> Browser {
    let browser = Browser::new(server);
    assert_eq!(browser.login(username, PASSWORD).await, 303);
    browser
}

/// Makes an existing account staff at `level` with the operator CLI.
fn make_staff(server: &Server, username: &str, level: u8) {
    let output = server.cli(&["user", "staff", username, "--level", &level.to_string()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A confirmed staff account at `level` with two-factor sign-in enrolled, as staff must.
async fn staff_member(server: &Server, username: &str, level: u8) {
    server.create_user(username, PASSWORD, true);
    make_staff(server, username, level);
    let browser = signed_in(server, username).await;
    support::enrol_two_factor(&browser).await;
}

/// A client_credentials token (acting as `owner`) with `scopes`.
async fn token_of(server: &Server, owner: &str, scopes: &str) -> String {
    let app = create_app(server, owner, false);
    token(server, &app, scopes).await
}

/// One staff field or lookup: the document, the path of the value it reads, the lowest staff
/// level allowed it, what an allowed caller reads there, and whether the legacy API (`/api`,
/// which names some arguments differently) takes the same document.
struct StaffField {
    document: &'static str,
    path: &'static [&'static str],
    lowest_level: u8,
    expected: fn() -> Value,
    legacy: bool,
}

impl StaffField {
    fn endpoints(&self) -> &'static [&'static str] {
        if self.legacy {
            &["/api/graph", "/api"]
        } else {
            &["/api/graph"]
        }
    }
}

const FIELDS: &[StaffField] = &[
    StaffField {
        document: r#"{ user(username: "target") { email } }"#,
        path: &["user", "email"],
        lowest_level: 1,
        expected: || json!("target@example.com"),
        legacy: true,
    },
    StaffField {
        document: r#"{ user(username: "target") { isAdmin } }"#,
        path: &["user", "isAdmin"],
        lowest_level: 1,
        expected: || json!(false),
        legacy: true,
    },
    StaffField {
        document: r#"{ user(username: "target") { staffLevel } }"#,
        path: &["user", "staffLevel"],
        lowest_level: 1,
        expected: || Value::Null,
        legacy: true,
    },
    StaffField {
        document: r#"{ user(username: "target") { canStream } }"#,
        path: &["user", "canStream"],
        lowest_level: 1,
        expected: || json!(true),
        legacy: true,
    },
    StaffField {
        document: r#"{ user(username: "target") { twoFactorEnabled } }"#,
        path: &["user", "twoFactorEnabled"],
        lowest_level: 1,
        expected: || json!(false),
        legacy: true,
    },
    StaffField {
        document: r#"{ user(username: "target") { platformBan { reason } } }"#,
        path: &["user", "platformBan"],
        lowest_level: 1,
        expected: || Value::Null,
        legacy: true,
    },
    StaffField {
        document: r#"{ user(username: "target") { sessions { rememberMe } } }"#,
        path: &["user", "sessions"],
        lowest_level: 1,
        expected: || json!([{ "rememberMe": false }]),
        legacy: true,
    },
    StaffField {
        document: r#"{ user(username: "target") { reports { reason notes reporter { username } } } }"#,
        path: &["user", "reports"],
        lowest_level: 1,
        expected: || json!([{ "reason": "hate", "notes": "Slurs in the bio", "reporter": { "username": "plain" } }]),
        legacy: true,
    },
    StaffField {
        document: r#"{ user(username: "target") { moderationHistory { action } } }"#,
        path: &["user", "moderationHistory"],
        lowest_level: 1,
        expected: || json!([]),
        legacy: true,
    },
    StaffField {
        document: r#"{ user(username: "target") { chatHistory { message hiddenReason channel { streamer { username } } } } }"#,
        path: &["user", "chatHistory"],
        lowest_level: 1,
        expected: || json!([{ "message": "Hello from the target", "hiddenReason": null, "channel": { "streamer": { "username": "target" } } }]),
        legacy: true,
    },
    StaffField {
        document: r#"{ user(username: "target") { chatHistory(page: 2) { message } } }"#,
        path: &["user", "chatHistory"],
        lowest_level: 1,
        expected: || json!([]),
        legacy: true,
    },
    StaffField {
        document: r#"{ user(username: "target") { supportTickets { subject status } } }"#,
        path: &["user", "supportTickets"],
        lowest_level: 2,
        expected: || json!([{ "subject": "My stream will not start", "status": "open" }]),
        legacy: true,
    },
    StaffField {
        document: r#"{ channel(streamerUsername: "target") { hiddenFromDiscovery } }"#,
        path: &["channel", "hiddenFromDiscovery"],
        lowest_level: 1,
        expected: || json!(false),
        legacy: false,
    },
    StaffField {
        document: r#"{ user(email: "TARGET@example.com") { username } }"#,
        path: &["user"],
        lowest_level: 1,
        expected: || json!({ "username": "target" }),
        legacy: true,
    },
    StaffField {
        document: r#"{ staffSearch(query: "targ") { username } }"#,
        path: &["staffSearch"],
        lowest_level: 1,
        expected: || json!([{ "username": "target" }]),
        legacy: true,
    },
];

fn at<'a>(body: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(&body["data"], |value, key| &value[*key])
}

/// Asserts that `auth` was refused `field` the way Glimesh refused its admin-only fields: the
/// value is null and an `unauthorized` error names its path.
async fn assert_refused(server: &Server, who: &str, auth: Auth<'_>, field: &StaffField) {
    for endpoint in field.endpoints() {
        let (status, body) = graphql(server, endpoint, auth, field.document, Value::Null).await;
        assert_eq!(status, 200, "{who} at {endpoint}: {body}");
        assert_eq!(at(&body, field.path), &Value::Null, "{who}: {body}");
        let error = &body["errors"][0];
        assert_eq!(error["message"], "unauthorized", "{who}: {body}");
        assert_eq!(
            error["path"].as_array().map(Vec::len),
            Some(field.path.len()),
            "{who}: the error names the field: {body}"
        );
    }
}

/// A document and its `/api/graph` answer, which must carry no errors.
async fn query_ok(server: &Server, auth: Auth<'_>, document: &str) -> Value {
    let (status, body) = graphql(server, "/api/graph", auth, document, Value::Null).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{document}: {body}");
    body
}

#[tokio::test]
async fn every_staff_field_answers_each_role_as_the_permission_table_says() {
    let server = Server::start();
    for name in ["target", "plain", "chanmod", "streamer"] {
        server.create_user(name, PASSWORD, true);
    }
    // The target streams (a channel moderated by chanmod), was reported by plain, filed a
    // support request and has one signed-in device: each staff field has something to read.
    let target = signed_in(&server, "target").await;
    let (status, _, _) = target
        .post_form(
            "/users/settings/moderators",
            "/users/settings/moderators",
            &[("username", "chanmod"), ("delete", "on"), ("ban", "on")],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, page) = target
        .post_form(
            "/support",
            "/support",
            &[
                ("category", "streaming"),
                ("subject", "My stream will not start"),
                ("body", "The encoder says the key is wrong."),
            ],
        )
        .await;
    assert_eq!(status, 201, "{page}");
    let plain = signed_in(&server, "plain").await;
    let (status, _, page) = plain
        .post_form(
            "/report?username=target&location=profile",
            "/report",
            &[
                ("username", "target"),
                ("location", "profile"),
                ("reason", "hate"),
                ("notes", "Slurs in the bio"),
                ("message_id", ""),
            ],
        )
        .await;
    assert_eq!(status, 201, "{page}");
    // One chat message of the target's, in its own channel.
    let channel = api_support::channel_id(
        &server,
        Auth::ClientId(&create_app(&server, "target", false).client_id),
        "target",
    )
    .await;
    let mut database = server.database().await;
    sqlx::query(
        "INSERT INTO chat_messages (channel_id, user_id, badges, body, tokens, created_at) \
         SELECT ?, id, 'streamer', 'Hello from the target', '[]', 0 FROM users WHERE username = 'target'",
    )
    .bind(channel)
    .execute(&mut database)
    .await
    .unwrap();

    // Not staff: no credential is refused outright (Glimesh's 401), a client id and every
    // member's token get null and `unauthorized`.
    let anonymous = create_app(&server, "plain", false);
    for field in FIELDS {
        let (status, body) = graphql(
            &server,
            "/api/graph",
            Auth::None,
            field.document,
            Value::Null,
        )
        .await;
        assert_eq!(status, 401, "{body}");
        assert_refused(
            &server,
            "a client id",
            Auth::ClientId(&anonymous.client_id),
            field,
        )
        .await;
    }
    for name in ["plain", "chanmod", "streamer", "target"] {
        let token = token_of(&server, name, SCOPES).await;
        for field in FIELDS {
            if name == "target" && field.path == ["user", "email"] {
                // One's own address with the `email` scope, as on Glimesh.
                let body = query_ok(&server, Auth::Bearer(&token), field.document).await;
                assert_eq!(at(&body, field.path), "target@example.com");
                continue;
            }
            assert_refused(&server, name, Auth::Bearer(&token), field).await;
        }
    }

    // Staff: each level reads what its permissions allow.
    for (level, name) in [
        (1, "trial"),
        (2, "member"),
        (3, "lead"),
        (4, "manager"),
        (5, "site_admin"),
    ] {
        staff_member(&server, name, level).await;
        let token = token_of(&server, name, SCOPES).await;
        for field in FIELDS {
            if level >= field.lowest_level {
                for endpoint in field.endpoints() {
                    let (status, body) = graphql(
                        &server,
                        endpoint,
                        Auth::Bearer(&token),
                        field.document,
                        Value::Null,
                    )
                    .await;
                    assert_eq!(status, 200, "{body}");
                    assert!(
                        body.get("errors").is_none(),
                        "level {level} at {endpoint}: {}: {body}",
                        field.document
                    );
                    assert_eq!(
                        at(&body, field.path),
                        &(field.expected)(),
                        "level {level}: {}",
                        field.document
                    );
                }
            } else {
                assert_refused(
                    &server,
                    &format!("level {level}"),
                    Auth::Bearer(&token),
                    field,
                )
                .await;
            }
        }
    }

    // A staff account's token needs the `staff` scope; the default grant leaves it out.
    let admin_without_scope = token_of(&server, "site_admin", "public email chat").await;
    let admin_default = {
        let app = create_app(&server, "site_admin", false);
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
        let body: Value = response.json().await.unwrap();
        assert!(!body["scope"].as_str().unwrap().contains("staff"), "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    };
    // Staff without two-factor sign-in, and the ingest credential, are refused too.
    server.create_user("unenrolled", PASSWORD, true);
    make_staff(&server, "unenrolled", 5);
    let unenrolled = token_of(&server, "unenrolled", SCOPES).await;
    let ingest = {
        let app = create_app(&server, "site_admin", true);
        token(&server, &app, "").await
    };
    for (who, token) in [
        (
            "an admin token without the staff scope",
            &admin_without_scope,
        ),
        ("an admin token with the default scopes", &admin_default),
        ("staff without two-factor sign-in", &unenrolled),
        ("the ingest credential", &ingest),
    ] {
        for field in FIELDS {
            assert_refused(&server, who, Auth::Bearer(token), field).await;
        }
    }
}

/// The staff audit rows written after row `after`: (actor, action, target, after).
async fn audit_rows(server: &Server, after: i64) -> Vec<(String, String, Option<String>, String)> {
    let mut database = server.database().await;
    sqlx::query_as(
        "SELECT actor_username, action, target_username, COALESCE(after_json, '') \
         FROM staff_audit WHERE id > ? ORDER BY id",
    )
    .bind(after)
    .fetch_all(&mut database)
    .await
    .unwrap()
}

async fn last_audit_id(server: &Server) -> i64 {
    let mut database = server.database().await;
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM staff_audit")
        .fetch_one(&mut database)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_api_lookup_writes_one_audit_row_like_the_pages() {
    let server = Server::start();
    server.create_user("target", PASSWORD, true);
    server.create_user("other", PASSWORD, true);
    staff_member(&server, "keeper", 2).await;
    let app = create_app(&server, "keeper", false);
    let staff_token = token(&server, &app, SCOPES).await;
    let auth = Auth::Bearer(&staff_token);

    // Several staff fields of one account are one look at it.
    let start = last_audit_id(&server).await;
    query_ok(
        &server,
        auth,
        r#"{ user(username: "target") { email canStream sessions { userAgent } platformBan { reason } } }"#,
    )
    .await;
    let rows = audit_rows(&server, start).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let (actor, action, target, after) = &rows[0];
    assert_eq!(
        (actor.as_str(), action.as_str(), target.as_deref()),
        ("keeper", "view_account", Some("target"))
    );
    let after: Value = serde_json::from_str(after).unwrap();
    assert_eq!(after["via"], "api", "{after}");
    assert_eq!(after["messages_page"], 1, "{after}");
    assert!(after["app_id"].as_i64().is_some(), "{after}");

    // Two accounts in one document are two looks; public fields alone are none.
    let start = last_audit_id(&server).await;
    query_ok(
        &server,
        auth,
        r#"{ a: user(username: "target") { email } b: user(username: "other") { canStream } c: user(username: "other") { username } }"#,
    )
    .await;
    // (Root fields resolve side by side, so the rows come in either order.)
    let rows = audit_rows(&server, start).await;
    let mut looked_at: Vec<_> = rows
        .iter()
        .map(|(_, action, target, _)| (action.as_str(), target.as_deref()))
        .collect();
    looked_at.sort();
    assert_eq!(
        looked_at,
        [
            ("view_account", Some("other")),
            ("view_account", Some("target"))
        ]
    );

    // A search and a lookup by email are each a search row; a channel's staff field is a
    // look at its streamer; a support request list is its own row.
    let start = last_audit_id(&server).await;
    query_ok(
        &server,
        auth,
        r#"{ staffSearch(query: "ta") { username } }"#,
    )
    .await;
    query_ok(
        &server,
        auth,
        r#"{ user(email: "target@example.com") { username } }"#,
    )
    .await;
    query_ok(
        &server,
        auth,
        r#"{ channel(streamerUsername: "target") { hiddenFromDiscovery } }"#,
    )
    .await;
    query_ok(
        &server,
        auth,
        r#"{ user(username: "target") { supportTickets { id } } }"#,
    )
    .await;
    query_ok(
        &server,
        auth,
        r#"{ user(username: "target") { chatHistory(page: 2) { id } } }"#,
    )
    .await;
    let rows = audit_rows(&server, start).await;
    let looked_at: Vec<_> = rows
        .iter()
        .map(|(_, action, target, after)| {
            let after: Value = serde_json::from_str(after).unwrap();
            assert_eq!(after["via"], "api", "{after}");
            (action.as_str(), target.as_deref())
        })
        .collect();
    assert_eq!(
        looked_at,
        [
            ("search", None),
            ("search", Some("target")),
            ("view_account", Some("target")),
            ("support_view_requester", Some("target")),
            ("view_account", Some("target")),
        ]
    );
    let page_two: Value = serde_json::from_str(&rows[4].3).unwrap();
    assert_eq!(page_two["messages_page"], 2, "{page_two}");

    // A refused lookup writes nothing.
    let member = token_of(&server, "other", SCOPES).await;
    let start = last_audit_id(&server).await;
    let (_, body) = graphql(
        &server,
        "/api/graph",
        Auth::Bearer(&member),
        r#"{ user(username: "target") { email } }"#,
        Value::Null,
    )
    .await;
    assert_eq!(body["errors"][0]["message"], "unauthorized");
    assert!(audit_rows(&server, start).await.is_empty());
}
