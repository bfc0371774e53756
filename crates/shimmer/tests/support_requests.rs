//! Support requests against a real server: a visitor's request followed through the private
//! link in its emails, a signed-in requester's tickets (and nobody else's), the staff queue and
//! each step on a ticket (assign, reply by email, close, reopen) with its audit row, who may
//! open each page and send each form, and the refusals of bad input and floods; the emails to
//! support staff about new requests and to requesters about closings, and lists past one page.

mod support;

use std::io::Read;

use sqlx::Row;
use support::{Browser, Server};

const PASSWORD: &str = "correct horse battery";

/// Signs `username` in and returns the browser.
async fn signed_in(server: &Server, username: &str) -> Browser {
    let browser = Browser::new(server);
    assert_eq!(browser.login(username, PASSWORD).await, 303);
    browser
}

/// Creates a confirmed account, makes it staff at `level` and signs it in with two-factor
/// sign-in enrolled, as staff must.
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

/// Sends the support form; returns status and page.
async fn file(browser: &Browser, fields: &[(&str, &str)]) -> (u16, String) {
    let (status, _, page) = browser.post_form("/support", "/support", fields).await;
    (status, page)
}

/// The ticket number on the confirmation page.
fn ticket_number(page: &str) -> i64 {
    let start = page.find("Request #").expect("a ticket number") + "Request #".len();
    page[start..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The path of the newest emailed link to `to` that contains `needle`.
fn emailed_path(server: &Server, to: &str, needle: &str) -> String {
    let link = server.link_for(to, needle);
    link.strip_prefix(&server.base_url).unwrap().to_owned()
}

/// The audit rows about support, oldest first: (actor, action, target, before, after, reason).
async fn support_audit(
    server: &Server,
) -> Vec<(String, String, Option<String>, String, String, String)> {
    let mut database = server.database().await;
    sqlx::query(
        "SELECT actor_username, action, target_username, COALESCE(before_json, ''), \
         COALESCE(after_json, ''), reason FROM staff_audit WHERE action LIKE 'support%' \
         ORDER BY id",
    )
    .fetch_all(&mut database)
    .await
    .unwrap()
    .iter()
    .map(|row| {
        (
            row.get(0),
            row.get(1),
            row.get(2),
            row.get(3),
            row.get(4),
            row.get(5),
        )
    })
    .collect()
}

#[tokio::test]
async fn a_visitor_follows_a_request_from_the_form_to_closed_through_the_private_link() {
    let server = Server::start();
    let helper = staff_member(&server, "helper", 2).await;

    // Every page links the form; signed out, it asks for an address.
    let visitor = Browser::new(&server);
    let (_, home) = visitor.get("/").await;
    assert!(
        home.contains("href=\"/support\""),
        "the footer links the form"
    );
    let (status, form) = visitor.get("/support").await;
    assert_eq!(status, 200);
    assert!(form.contains("name=\"email\""));
    let (status, page) = file(
        &visitor,
        &[
            ("email", "someone@example.com"),
            ("category", "payments"),
            ("subject", "Charged twice <script>"),
            ("body", "My card was charged twice for one subscription."),
        ],
    )
    .await;
    assert_eq!(status, 201, "{page}");
    let id = ticket_number(&page);
    assert!(page.contains("someone@example.com"));

    // The acknowledgement carries the number and the private link.
    let acknowledgement = server
        .mails()
        .into_iter()
        .find(|(to, _)| to == "someone@example.com")
        .expect("the requester is emailed")
        .1;
    assert!(
        acknowledgement.contains(&format!("number {id}")),
        "{acknowledgement}"
    );
    let link = emailed_path(&server, "someone@example.com", "/support/t/");
    let (status, ticket) = visitor.get(&link).await;
    assert_eq!(status, 200);
    assert!(
        ticket.contains("Charged twice &#60;script&#62;"),
        "escaped: {ticket}"
    );
    assert!(ticket.contains("Open: waiting on staff"));
    assert!(ticket.contains("My card was charged twice"));
    // Any other token finds nothing, and a visitor has no list of tickets.
    assert_eq!(visitor.get("/support/t/not-the-token").await.0, 404);
    assert_eq!(visitor.get("/support/tickets").await.0, 303);

    // Staff find it in the queue, take it and reply; the reply is emailed with the same link.
    let (status, queue) = helper.get("/staff/support").await;
    assert_eq!(status, 200);
    assert!(
        queue.contains(&format!("href=\"/staff/support/{id}\"")),
        "{queue}"
    );
    assert!(queue.contains("From someone@example.com"));
    let (_, unassigned) = helper.get("/staff/support?assignee=unassigned").await;
    assert!(unassigned.contains(&format!("/staff/support/{id}\"")));
    let ticket_page = format!("/staff/support/{id}");
    let (status, staff_view) = helper.get(&ticket_page).await;
    assert_eq!(status, 200);
    assert!(staff_view.contains("someone@example.com (no account)"));
    let (status, location, _) = helper
        .post_form(
            &ticket_page,
            &format!("{ticket_page}/assign"),
            &[("to", "me")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        location.as_deref(),
        Some(format!("{ticket_page}?notice=staff_done").as_str())
    );
    let (_, mine) = helper.get("/staff/support?assignee=mine").await;
    assert!(mine.contains(&format!("/staff/support/{id}\"")));
    let (status, _, body) = helper
        .post_form(
            &ticket_page,
            &format!("{ticket_page}/reply"),
            &[("reply", "We refunded the second charge.")],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let reply_mail = server
        .mails()
        .into_iter()
        .find(|(to, body)| to == "someone@example.com" && body.contains("refunded"))
        .expect("the reply is emailed")
        .1;
    assert!(
        reply_mail.contains(&link),
        "the reply links the conversation: {reply_mail}"
    );
    let (_, answered) = helper.get("/staff/support?status=answered").await;
    assert!(answered.contains(&format!("/staff/support/{id}\"")));

    // The requester sees the answer signed by the team, answers, and the ticket opens again.
    let (_, ticket) = visitor.get(&link).await;
    assert!(ticket.contains("Answered"));
    assert!(ticket.contains("We refunded the second charge."));
    assert!(ticket.contains("Shimmer support"));
    assert!(
        !ticket.contains("helper"),
        "staff names stay private: {ticket}"
    );
    let (status, location, _) = visitor
        .post_form(
            &link,
            &format!("{link}/reply"),
            &[("body", "Thank you, it arrived.")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, Some(format!("{link}?notice=support_sent")));
    let (_, ticket) = visitor.get(&link).await;
    assert!(ticket.contains("Open: waiting on staff"));
    assert!(ticket.contains("Thank you, it arrived."));
    assert!(
        server
            .mails()
            .iter()
            .any(|(to, body)| to == "helper@example.com" && body.contains(&ticket_page)),
        "the assignee hears of the answer"
    );

    // Staff close it with a note only staff read; the requester sees it closed.
    let (status, _, _) = helper
        .post_form(
            &ticket_page,
            &format!("{ticket_page}/close"),
            &[("note", "Refund confirmed by the requester")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, ticket) = visitor.get(&link).await;
    assert!(ticket.contains("Closed"));
    assert!(!ticket.contains("Refund confirmed by the requester"));
    let (_, staff_view) = helper.get(&ticket_page).await;
    assert!(staff_view.contains("Refund confirmed by the requester"));
    assert!(staff_view.contains("Reopen the request"));
    // The requester is emailed that it is closed, with the private link and without the note.
    let closed_mail = server
        .mails()
        .into_iter()
        .find(|(to, body)| to == "someone@example.com" && body.contains("is closed"))
        .expect("the requester is told of the closing")
        .1;
    assert!(closed_mail.contains(&link), "{closed_mail}");
    assert!(!closed_mail.contains("Refund confirmed"), "{closed_mail}");

    // Each look and each step is in the audit log, oldest first (each form is sent from the
    // ticket page, itself a look).
    let audit = support_audit(&server).await;
    let actions: Vec<&str> = audit.iter().map(|row| row.1.as_str()).collect();
    assert_eq!(
        actions,
        [
            "support_view_queue",
            "support_view_queue",
            "support_view_ticket",
            "support_view_ticket",
            "support_assign",
            "support_view_queue",
            "support_view_ticket",
            "support_reply",
            "support_view_queue",
            "support_view_ticket",
            "support_close",
            "support_view_ticket",
        ],
        "{audit:?}"
    );
    assert!(audit.iter().all(|row| row.0 == "helper"));
    let assign = &audit[4];
    assert_eq!(assign.3, format!("{{\"assignee\":null,\"ticket\":{id}}}"));
    assert_eq!(
        assign.4,
        format!("{{\"assignee\":\"helper\",\"ticket\":{id}}}")
    );
    let close = &audit[10];
    assert_eq!(close.3, format!("{{\"status\":\"open\",\"ticket\":{id}}}"));
    assert_eq!(
        close.4,
        format!("{{\"note_to_requester\":false,\"status\":\"closed\",\"ticket\":{id}}}")
    );
    assert_eq!(close.5, "Refund confirmed by the requester");
    let reply = &audit[7];
    assert!(reply.3.contains("\"status\":\"open\""));
    assert!(reply.4.contains("\"status\":\"answered\""));
}

#[tokio::test]
async fn signed_in_requesters_see_their_own_tickets_and_nobody_else_does() {
    let server = Server::start();
    server.create_user("asker", PASSWORD, true);
    server.create_user("nosy", PASSWORD, true);
    let asker = signed_in(&server, "asker").await;
    let nosy = signed_in(&server, "nosy").await;
    let helper = staff_member(&server, "helper", 3).await;

    // Signed in, the form asks no address: the account's is used.
    let (_, form) = asker.get("/support").await;
    assert!(!form.contains("name=\"email\""), "{form}");
    let (status, page) = file(
        &asker,
        &[
            ("email", "ignored@example.com"),
            ("category", "streaming"),
            ("subject", "My stream stutters"),
            ("body", "Every few seconds the picture freezes."),
        ],
    )
    .await;
    assert_eq!(status, 201, "{page}");
    let id = ticket_number(&page);
    assert!(page.contains("asker@example.com"));
    assert!(server
        .mails()
        .iter()
        .all(|(to, _)| to != "ignored@example.com"));
    let own = format!("/support/tickets/{id}");
    assert_eq!(emailed_path(&server, "asker@example.com", "/support/"), own);

    let (status, list) = asker.get("/support/tickets").await;
    assert_eq!(status, 200);
    assert!(list.contains("My stream stutters"));
    assert!(list.contains("Open: waiting on staff"));
    assert_eq!(asker.get(&own).await.0, 200);

    // Another account, and staff on the requester's pages, find nothing.
    let (_, others) = nosy.get("/support/tickets").await;
    assert!(!others.contains("My stream stutters"));
    for browser in [&nosy, &helper] {
        assert_eq!(browser.get(&own).await.0, 404);
        let (status, _, _) = browser
            .post_form("/support", &format!("{own}/reply"), &[("body", "mine now")])
            .await;
        assert_eq!(status, 404);
    }
    assert_eq!(Browser::new(&server).get(&own).await.0, 303);

    // The staff page links the requester's account; the reply goes to the account's address.
    let staff_page = format!("/staff/support/{id}");
    let (_, view) = helper.get(&staff_page).await;
    assert!(view.contains("href=\"/staff/users/asker\""), "{view}");
    let (status, _, _) = helper
        .post_form(
            &staff_page,
            &format!("{staff_page}/reply"),
            &[("reply", "Lower the bitrate to 4500 kbps.")],
        )
        .await;
    assert_eq!(status, 303);
    let reply = server
        .mails()
        .into_iter()
        .find(|(to, body)| to == "asker@example.com" && body.contains("4500 kbps"))
        .expect("the reply is emailed to the account")
        .1;
    assert!(reply.contains(&own));
    let (_, list) = asker.get("/support/tickets").await;
    assert!(list.contains("Answered"));

    // Closed, then reopened by the requester's answer.
    let (status, _, _) = helper
        .post_form(&staff_page, &format!("{staff_page}/close"), &[("note", "")])
        .await;
    assert_eq!(status, 303);
    let (_, ticket) = asker.get(&own).await;
    assert!(ticket.contains("Closed"));
    assert!(ticket.contains("sending a message opens it again"));
    let (status, location, _) = asker
        .post_form(
            &own,
            &format!("{own}/reply"),
            &[("body", "It happens again.")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, Some(format!("{own}?notice=support_sent")));
    let (_, ticket) = asker.get(&format!("{own}?notice=support_sent")).await;
    assert!(ticket.contains("Open: waiting on staff"));
    assert!(ticket.contains("Your message was added."));

    // The account's data export holds the request as the requester sees it.
    let token = asker.csrf("/users/settings/account").await;
    let response = asker
        .client
        .post(server.url("/users/settings/account/export"))
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut text = String::new();
    archive
        .by_name("support_requests.json")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let exported: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(exported[0]["id"], id);
    assert_eq!(exported[0]["subject"], "My stream stutters");
    assert_eq!(exported[0]["status"], "open");
    let messages = exported[0]["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(messages[1]["from"], "Shimmer support");
    assert_eq!(messages[1]["body"], "Lower the bitrate to 4500 kbps.");

    // The audit rows name the requester as the target.
    let audit = support_audit(&server).await;
    assert!(audit
        .iter()
        .filter(|row| row.1 != "support_view_queue")
        .all(|row| row.2.as_deref() == Some("asker")));
}

/// The staff support pages with a ticket's number in them.
fn pages(id: i64) -> Vec<String> {
    vec![
        "/staff/support".into(),
        "/staff/support?status=closed&assignee=mine".into(),
        format!("/staff/support/{id}"),
    ]
}

/// The staff support forms, in an order that each one succeeds (303) for allowed staff.
fn actions(id: i64) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    vec![
        (format!("/staff/support/{id}/assign"), vec![("to", "me")]),
        (
            format!("/staff/support/{id}/reply"),
            vec![("reply", "Looking into it.")],
        ),
        (format!("/staff/support/{id}/close"), vec![("note", "")]),
        (format!("/staff/support/{id}/reopen"), vec![("note", "")]),
        (
            format!("/staff/support/{id}/assign"),
            vec![("to", "nobody")],
        ),
    ]
}

#[tokio::test]
async fn every_support_page_and_action_answers_each_role_as_the_permission_table_says() {
    let server = Server::start();
    server.create_user("asker", PASSWORD, true);
    server.create_user("plain", PASSWORD, true);
    server.create_user("streamer", PASSWORD, true);
    server.create_user("chanmod", PASSWORD, true);
    let asker = signed_in(&server, "asker").await;
    let (status, page) = file(
        &asker,
        &[
            ("category", "account"),
            ("subject", "Locked out"),
            ("body", "Please help."),
        ],
    )
    .await;
    assert_eq!(status, 201, "{page}");
    let id = ticket_number(&page);
    let streamer = signed_in(&server, "streamer").await;
    let (status, _, _) = streamer
        .post_form(
            "/users/settings/moderators",
            "/users/settings/moderators",
            &[("username", "chanmod"), ("delete", "on"), ("ban", "on")],
        )
        .await;
    assert_eq!(status, 303);

    // Not staff: visitors are sent to log in, everyone else is refused, the requester too.
    let visitor = Browser::new(&server);
    let members = [
        ("plain", signed_in(&server, "plain").await),
        ("chanmod", signed_in(&server, "chanmod").await),
        ("streamer", streamer),
        ("asker", asker),
    ];
    for page in pages(id) {
        assert_eq!(visitor.get(&page).await.0, 303, "a visitor at {page}");
        for (name, browser) in &members {
            let (status, body) = browser.get(&page).await;
            assert_eq!(status, 403, "{name} at {page}");
            assert!(body.contains("staff only"), "{name} at {page}: {body}");
        }
    }
    for (path, fields) in actions(id) {
        let (status, location, _) = visitor.post_form("/support", &path, &fields).await;
        assert_eq!(
            (status, location.as_deref()),
            (303, Some("/users/login")),
            "a visitor sending {path}"
        );
        for (name, browser) in &members {
            let (status, _, _) = browser.post_form("/support", &path, &fields).await;
            assert_eq!(status, 403, "{name} sending {path}");
        }
    }

    // Staff: a trial member is refused by name; members and above work the queue.
    for (level, name) in [
        (1, "trial"),
        (2, "member"),
        (3, "lead"),
        (4, "manager"),
        (5, "site_admin"),
    ] {
        let browser = staff_member(&server, name, level).await;
        for page in pages(id) {
            let (status, body) = browser.get(&page).await;
            let expected = if level >= 2 { 200 } else { 403 };
            assert_eq!(status, expected, "level {level} at {page}: {body}");
            if level < 2 {
                assert!(body.contains("member or above"), "{body}");
            }
        }
        let (_, home) = browser.get("/").await;
        assert_eq!(
            home.contains("href=\"/staff/support\""),
            level >= 2,
            "only levels that work support are shown the queue"
        );
        for (path, fields) in actions(id) {
            let (status, _, body) = browser.post_form("/support", &path, &fields).await;
            let expected = if level >= 2 { 303 } else { 403 };
            assert_eq!(status, expected, "level {level} sending {path}: {body}");
        }
    }
    let (_, plain_home) = members[0].1.get("/").await;
    assert!(!plain_home.contains("href=\"/staff/support\""));

    // Each allowed step wrote its row; refused ones wrote none.
    let audit = support_audit(&server).await;
    let steps = |action: &str| audit.iter().filter(|row| row.1 == action).count();
    assert_eq!(steps("support_reply"), 4);
    assert_eq!(steps("support_close"), 4);
    assert_eq!(steps("support_reopen"), 4);
    assert_eq!(steps("support_assign"), 8);
    assert_eq!(steps("support_view_ticket"), 4);
    assert!(audit.iter().all(|row| row.0 != "trial"));
    assert_eq!(
        server
            .mails()
            .iter()
            .filter(|(to, body)| to == "asker@example.com" && body.contains("Looking into it."))
            .count(),
        4,
        "each reply is emailed"
    );
}

#[tokio::test]
async fn bad_input_is_refused_by_name_and_floods_are_limited() {
    let server = Server::start();
    let helper = staff_member(&server, "helper", 2).await;
    let visitor = Browser::new(&server);
    let long_subject = "s".repeat(201);
    let long_body = "b".repeat(5001);
    let good = |field: &str| match field {
        "email" => "fine@example.com",
        "category" => "technical",
        "subject" => "The page is blank",
        _ => "Nothing loads after I log in.",
    };
    for (field, value, message) in [
        ("email", "", "Please enter your email address."),
        (
            "email",
            "not-an-address",
            "does not look like an email address",
        ),
        ("category", "gossip", "Choose what your request is about."),
        ("subject", "   ", "Write a short subject."),
        ("subject", long_subject.as_str(), "at most 200 characters"),
        ("body", "", "Write a message."),
        ("body", long_body.as_str(), "at most 5000 characters"),
    ] {
        let fields: Vec<(&str, &str)> = ["email", "category", "subject", "body"]
            .into_iter()
            .map(|name| (name, if name == field { value } else { good(name) }))
            .collect();
        let (status, page) = file(&visitor, &fields).await;
        assert_eq!(status, 422, "{field}={value:?}");
        assert!(page.contains(message), "{message:?} missing for {field}");
        assert!(
            page.contains("The page is blank") || field == "subject",
            "what was typed stays"
        );
    }
    // Without the CSRF token, or with bytes that are not UTF-8: refused, never a 500.
    let (status, _, _) = visitor
        .post_raw("/support", &[("email", "fine@example.com")])
        .await;
    assert_eq!(status, 403);
    let token = visitor.csrf("/support").await;
    let response = visitor
        .client
        .post(server.url("/support"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={token}&subject=%FF"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);

    // Staff steps with bad input.
    let (status, page) = file(
        &visitor,
        &[
            ("email", "fine@example.com"),
            ("category", "other"),
            ("subject", "Hello"),
            ("body", "Just a question."),
        ],
    )
    .await;
    assert_eq!(status, 201, "{page}");
    let id = ticket_number(&page);
    let ticket = format!("/staff/support/{id}");
    let (status, _, body) = helper
        .post_form(&ticket, &format!("{ticket}/reply"), &[("reply", "  ")])
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Write a message."));
    let long_note = "n".repeat(2001);
    let (status, _, body) = helper
        .post_form(
            &ticket,
            &format!("{ticket}/close"),
            &[("note", long_note.as_str())],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("at most 2000 characters"));
    let (status, _, body) = helper
        .post_form(&ticket, &format!("{ticket}/reopen"), &[("note", "")])
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("not closed"), "{body}");
    let (status, _, _) = helper
        .post_form(&ticket, &format!("{ticket}/assign"), &[("to", "someone")])
        .await;
    assert_eq!(status, 400);
    for page in [
        "/staff/support/abc",
        "/staff/support/999999",
        "/staff/support?status=bogus",
        "/staff/support?assignee=everybody",
    ] {
        assert_eq!(helper.get(page).await.0, 404, "{page}");
    }
    let (status, _, _) = helper
        .post_form(
            "/staff/support",
            "/staff/support/999999/close",
            &[("note", "")],
        )
        .await;
    assert_eq!(status, 404);
    let link = emailed_path(&server, "fine@example.com", "/support/t/");
    let (status, _, body) = visitor
        .post_form(&link, &format!("{link}/reply"), &[("body", "")])
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("Write a message."));

    // A visitor's network may file a few requests, then waits (the one above counted too).
    let mut limited = false;
    for attempt in 0..8 {
        let email = format!("flood{attempt}@example.com");
        let (status, page) = file(
            &visitor,
            &[
                ("email", email.as_str()),
                ("category", "other"),
                ("subject", "Again"),
                ("body", "And again."),
            ],
        )
        .await;
        if status == 429 {
            assert!(page.contains("Too many attempts"), "{page}");
            limited = true;
            break;
        }
        assert_eq!(status, 201, "{page}");
    }
    assert!(limited, "requests were never rate-limited");
}

/// The support alerts the outbox holds for `to` about ticket `id`.
fn alerts(server: &Server, to: &str, id: i64) -> usize {
    server
        .mails()
        .iter()
        .filter(|(mail_to, body)| {
            mail_to == to
                && body.contains("asked for help")
                && body.contains(&format!("/staff/support/{id}\n"))
        })
        .count()
}

#[tokio::test]
async fn support_staff_hear_of_new_requests_and_requesters_of_closings() {
    let server = Server::start();
    server.create_user("asker", PASSWORD, true);
    let asker = signed_in(&server, "asker").await;
    let _trial = staff_member(&server, "trial", 1).await;
    let helper = staff_member(&server, "helper", 2).await;
    staff_member(&server, "boss", 4).await;

    // Every staff account with the support permission is emailed; a trial member is not.
    let (status, page) = file(
        &asker,
        &[
            ("category", "account"),
            ("subject", "Locked out"),
            ("body", "My authenticator app was reset."),
        ],
    )
    .await;
    assert_eq!(status, 201, "{page}");
    let id = ticket_number(&page);
    assert_eq!(alerts(&server, "helper@example.com", id), 1);
    assert_eq!(alerts(&server, "boss@example.com", id), 1);
    assert_eq!(alerts(&server, "trial@example.com", id), 0);
    assert_eq!(alerts(&server, "asker@example.com", id), 0);
    let alert = server
        .mails()
        .into_iter()
        .find(|(to, body)| to == "boss@example.com" && body.contains("Locked out"))
        .unwrap()
        .1;
    assert!(alert.contains("asker asked for help"), "{alert}");

    // A staff member asking for help is not alerted about their own request.
    let (status, page) = file(
        &helper,
        &[
            ("category", "technical"),
            ("subject", "The queue is slow"),
            ("body", "It takes seconds to load."),
        ],
    )
    .await;
    assert_eq!(status, 201, "{page}");
    let own = ticket_number(&page);
    assert_eq!(alerts(&server, "helper@example.com", own), 0);
    assert_eq!(alerts(&server, "boss@example.com", own), 1);

    // Closing with a note for the requester: kept on the ticket as a reply and emailed.
    let staff_page = format!("/staff/support/{id}");
    let (status, _, body) = helper
        .post_form(
            &staff_page,
            &format!("{staff_page}/close"),
            &[
                ("note", "We reset your second factor; sign in again."),
                ("to_requester", "on"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let closed = |needle: &'static str| {
        server
            .mails()
            .into_iter()
            .filter(move |(to, body)| to == "asker@example.com" && body.contains(needle))
            .map(|(_, body)| body)
            .collect::<Vec<_>>()
    };
    let mails = closed("is closed");
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].contains("We reset your second factor"),
        "{}",
        mails[0]
    );
    assert!(
        mails[0].contains(&format!("/support/tickets/{id}")),
        "{}",
        mails[0]
    );
    let (_, ticket) = asker.get(&format!("/support/tickets/{id}")).await;
    assert!(ticket.contains("We reset your second factor"), "{ticket}");
    let audit = support_audit(&server).await;
    let close = audit
        .iter()
        .rev()
        .find(|row| row.1 == "support_close")
        .unwrap();
    assert!(close.4.contains("\"note_to_requester\":true"), "{close:?}");

    // Reopening with a note for staff only tells the requester nothing; closing again with a
    // staff note emails the closing without the note.
    for (action, note) in [("reopen", "Reopened to check"), ("close", "Checked: fine")] {
        let (status, _, body) = helper
            .post_form(
                &staff_page,
                &format!("{staff_page}/{action}"),
                &[("note", note)],
            )
            .await;
        assert_eq!(status, 303, "{body}");
    }
    assert!(closed("open again").is_empty());
    let mails = closed("is closed");
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(mails
        .iter()
        .all(|body| !body.contains("Reopened to check") && !body.contains("Checked: fine")));
    let (_, ticket) = asker.get(&format!("/support/tickets/{id}")).await;
    assert!(!ticket.contains("Checked: fine"), "{ticket}");
}

#[tokio::test]
async fn staff_alerts_can_be_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_in(dir.path(), &[("SHIMMER_SUPPORT__ALERT_STAFF", "false")]);
    server.create_user("asker", PASSWORD, true);
    let asker = signed_in(&server, "asker").await;
    staff_member(&server, "helper", 2).await;
    let (status, page) = file(
        &asker,
        &[
            ("category", "account"),
            ("subject", "Locked out"),
            ("body", "My authenticator app was reset."),
        ],
    )
    .await;
    assert_eq!(status, 201, "{page}");
    let id = ticket_number(&page);
    assert_eq!(alerts(&server, "helper@example.com", id), 0);
    assert!(
        server
            .mails()
            .iter()
            .any(|(to, _)| to == "asker@example.com"),
        "the requester is still acknowledged"
    );
}

/// Inserts `count` open tickets filed by the account `requester_id`, the way the form stores
/// them (the form itself is rate limited).
async fn insert_tickets(server: &Server, requester_id: i64, count: i64) {
    let mut database = server.database().await;
    for n in 0..count {
        sqlx::query(
            "INSERT INTO support_tickets (requester_id, email, category, subject, status, \
             created_at, updated_at) VALUES (?, 'asker@example.com', 'other', ?, 'open', ?, ?)",
        )
        .bind(requester_id)
        .bind(format!("Question {n}"))
        .bind(1_700_000_000_000 + n)
        .bind(1_700_000_000_000 + n)
        .execute(&mut database)
        .await
        .unwrap();
    }
}

fn ticket_rows(page: &str) -> usize {
    page.matches("data-testid=\"ticket\"").count()
}

#[tokio::test]
async fn ticket_lists_page_past_two_hundred() {
    let server = Server::start();
    let asker_id = server.create_user("asker", PASSWORD, true);
    let asker = signed_in(&server, "asker").await;
    let helper = staff_member(&server, "helper", 2).await;
    insert_tickets(&server, asker_id, 205).await;

    // The requester's list: newest first, 200 a page, Next and Previous between pages.
    let (status, first) = asker.get("/support/tickets").await;
    assert_eq!(status, 200);
    assert_eq!(ticket_rows(&first), 200);
    assert!(first.contains("Question 204<"), "newest first");
    assert!(
        first.contains("href=\"/support/tickets?page=2\" rel=\"next\""),
        "{first}"
    );
    assert!(!first.contains("rel=\"prev\""));
    let (_, second) = asker.get("/support/tickets?page=2").await;
    assert_eq!(ticket_rows(&second), 5);
    assert!(second.contains("Question 0<"));
    assert!(
        second.contains("href=\"/support/tickets?page=1\" rel=\"prev\""),
        "{second}"
    );
    assert!(!second.contains("rel=\"next\""));

    // The staff queue: the longest waiting first, with the filters kept in the links.
    let queue = "/staff/support?status=open&assignee=all";
    let (status, first) = helper.get(queue).await;
    assert_eq!(status, 200);
    assert_eq!(ticket_rows(&first), 200);
    assert!(first.contains("Question 0<"), "the longest waiting first");
    assert!(
        first.contains(
            "href=\"/staff/support?status=open&#38;assignee=all&#38;page=2\" rel=\"next\""
        ),
        "{first}"
    );
    let (_, second) = helper.get(&format!("{queue}&page=2")).await;
    assert_eq!(ticket_rows(&second), 5);
    assert!(second.contains("Question 204<"));
    assert!(second.contains("rel=\"prev\""));
    assert!(!second.contains("rel=\"next\""));
    let (_, beyond) = helper.get(&format!("{queue}&page=3")).await;
    assert_eq!(ticket_rows(&beyond), 0);
}
