//! Money against a real server process and the Stripe stand-in: the server's Stripe client
//! talks to the stand-in over HTTP, and the stand-in delivers signed webhooks back, as Stripe
//! would. Checkouts are paid by posting the stand-in's hosted checkout form.

mod api_support;
mod support;

use std::time::Duration;

use futures::SinkExt;
use serde_json::{json, Value};
use sqlx::Connection;
use support::chat::{channel_of, connect, next_of};
use support::{Browser, Server};
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "correct horse battery staple";
const API_KEY: &str = "sk_test_suite";
const WEBHOOK_SECRET: &str = "whsec_suite";
/// The Connect endpoint's secret: connected accounts' events (payouts to banks) are signed
/// with it.
const CONNECT_SECRET: &str = "whsec_suite_connect";

/// A server with payments on, pointed at a stand-in that delivers its events back to it.
struct Money {
    server: Server,
    standin: String,
    http: reqwest::Client,
}

impl Money {
    async fn start(extra_env: &[(&str, &str)]) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let standin = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(shimmer_stripe_standin::serve(
            listener,
            shimmer_stripe_standin::StandinConfig {
                api_key: API_KEY.into(),
                webhook_secret: WEBHOOK_SECRET.into(),
                connect_webhook_secret: Some(CONNECT_SECRET.into()),
                webhook_url: None,
            },
        ));
        let mut env = vec![
            ("SHIMMER_PAYMENTS__ENABLED", "true"),
            ("SHIMMER_STRIPE__API_BASE", standin.as_str()),
            ("SHIMMER_STRIPE__SECRET_KEY", API_KEY),
            ("SHIMMER_STRIPE__WEBHOOK_SECRET", WEBHOOK_SECRET),
            ("SHIMMER_STRIPE__CONNECT_WEBHOOK_SECRET", CONNECT_SECRET),
        ];
        env.extend_from_slice(extra_env);
        let (server, _) = Server::start_with_ftl(&env);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let response = http
            .post(format!("{standin}/_standin/webhook"))
            .json(&json!({ "url": server.url("/api/webhooks/stripe") }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
        Self {
            server,
            standin,
            http,
        }
    }

    async fn user(&self, username: &str) -> Browser {
        self.server.create_user(username, PASSWORD, true);
        let browser = Browser::new(&self.server);
        assert_eq!(browser.login(username, PASSWORD).await, 303);
        browser
    }

    /// Pays the stand-in's hosted checkout at `url` with `card`; the status and Location.
    async fn pay(&self, url: &str, card: &str) -> (u16, Option<String>) {
        assert!(
            url.starts_with(&self.standin),
            "{url} is not the stand-in's"
        );
        let response = self
            .http
            .post(format!("{url}/pay"))
            .form(&[("card", card)])
            .send()
            .await
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|value| value.to_str().unwrap().to_owned());
        (response.status().as_u16(), location)
    }

    /// Follows a streamer's onboarding to its end on the stand-in.
    async fn onboard(&self, streamer: &Browser) {
        let (status, location, body) = streamer
            .post_form(
                "/users/settings/payouts",
                "/users/settings/payouts/onboard",
                &[],
            )
            .await;
        assert_eq!(status, 303, "{body}");
        let link = location.unwrap();
        let (path, query) = link.split_once('?').unwrap();
        let response = self
            .http
            .post(format!("{path}/finish?{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let ready = wait_for(|| async {
            streamer
                .get("/users/settings/payouts")
                .await
                .1
                .contains("Ready:")
        })
        .await;
        assert!(
            ready,
            "the account.updated event did not make payouts ready"
        );
    }

    async fn events(&self) -> Vec<Value> {
        self.http
            .get(format!("{}/_standin/events", self.standin))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn database(&self) -> sqlx::SqliteConnection {
        self.server.database().await
    }
}

async fn wait_for<F, Fut>(mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..100 {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn scalar(db: &mut sqlx::SqliteConnection, query: &str) -> i64 {
    sqlx::query_scalar::<_, Option<i64>>(query)
        .fetch_one(db)
        .await
        .unwrap()
        .unwrap_or(0)
}

#[tokio::test]
async fn a_month_of_subscriptions_and_donations_reaches_chat_and_balances_the_ledger() {
    let money = Money::start(&[]).await;
    let streamer = money.user("streamer").await;
    let viewer = money.user("viewer").await;

    // Before onboarding nobody can pay the streamer.
    let (status, _, body) = viewer
        .post_form("/viewer", "/payments/channels/streamer/subscribe", &[])
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("cannot receive payments yet"), "{body}");
    money.onboard(&streamer).await;

    let channel = channel_of(&money.server, "streamer");
    let cookie = Browser::new(&money.server)
        .session_cookie("viewer", PASSWORD)
        .await;
    let mut chat = connect(&money.server, &channel, Some(&cookie)).await;
    next_of(&mut chat, "welcome").await;

    // Subscribe: the channel page offers it, the checkout is the stand-in's, paying it returns
    // to the channel with thanks.
    let (_, page) = viewer.get("/streamer").await;
    assert!(page.contains("Subscribe ($5.00 a month)"), "{page}");
    let (status, location, _) = viewer
        .post_form("/streamer", "/payments/channels/streamer/subscribe", &[])
        .await;
    assert_eq!(status, 303);
    let (status, back) = money.pay(&location.unwrap(), "4242 4242 4242 4242").await;
    assert_eq!(status, 303);
    assert!(back
        .unwrap()
        .ends_with("/streamer?notice=thanks_subscribed"));
    let line = next_of(&mut chat, "support").await;
    assert_eq!(line["kind"], "subscribed");
    assert_eq!(line["display_name"], "viewer");

    // The viewer's next message carries the subscriber badge.
    chat.send(Message::Text(
        json!({"type": "send", "text": "hello as a sub"})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let message = next_of(&mut chat, "message").await;
    let badges = message["message"]["badges"].as_array().unwrap();
    assert!(badges.contains(&json!("subscriber")), "{message}");
    let (_, page) = viewer.get("/streamer").await;
    assert!(page.contains("data-testid=\"subscribed\""), "{page}");

    // The API shows the subscription to the streamer and to the subscriber, to nobody else.
    let query = "query { subscriptions(streamerUsername: \"streamer\") { isActive price productName user { username } streamer { username } } }";
    let streamer_app = api_support::create_app(&money.server, "streamer", false);
    let streamer_token = api_support::token(&money.server, &streamer_app, "public").await;
    let (status, body) = api_support::graphql(
        &money.server,
        "/api",
        api_support::Auth::Bearer(&streamer_token),
        query,
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let subscriptions = body["data"]["subscriptions"].as_array().unwrap();
    assert_eq!(subscriptions.len(), 1, "{body}");
    assert_eq!(subscriptions[0]["isActive"], true);
    assert_eq!(subscriptions[0]["price"], 500);
    assert_eq!(subscriptions[0]["user"]["username"], "viewer");
    assert_eq!(subscriptions[0]["streamer"]["username"], "streamer");
    money.server.create_user("bystander", PASSWORD, true);
    let bystander_app = api_support::create_app(&money.server, "bystander", false);
    let bystander_token = api_support::token(&money.server, &bystander_app, "public").await;
    for auth in [
        api_support::Auth::Bearer(&bystander_token),
        api_support::Auth::ClientId(&bystander_app.client_id),
    ] {
        let (_, body) = api_support::graphql(&money.server, "/api", auth, query, json!({})).await;
        assert_eq!(body["data"]["subscriptions"], json!([]), "{body}");
    }

    // Subscribers-only chat lets the subscriber speak and refuses anyone else by name.
    let (status, _, body) = streamer
        .post_form(
            "/users/settings/chat",
            "/users/settings/chat",
            &[
                ("min_account_age_hours", "0"),
                ("slow_mode_seconds", "0"),
                ("links_clickable", "on"),
                ("subscribers_only", "on"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    money.server.create_user("outsider", PASSWORD, true);
    let outsider_cookie = Browser::new(&money.server)
        .session_cookie("outsider", PASSWORD)
        .await;
    let mut outsider_chat = connect(&money.server, &channel, Some(&outsider_cookie)).await;
    let welcome = next_of(&mut outsider_chat, "welcome").await;
    assert_eq!(welcome["blocked"]["code"], "subscribers_only", "{welcome}");
    outsider_chat
        .send(Message::Text(
            json!({"type": "send", "text": "let me in"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    let refused = next_of(&mut outsider_chat, "refused").await;
    assert_eq!(refused["code"], "subscribers_only");
    chat.send(Message::Text(
        json!({"type": "send", "text": "subscribers only, and here I am"})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    next_of(&mut chat, "message").await;
    streamer
        .post_form(
            "/users/settings/chat",
            "/users/settings/chat",
            &[
                ("min_account_age_hours", "0"),
                ("slow_mode_seconds", "0"),
                ("links_clickable", "on"),
            ],
        )
        .await;

    // Subscribing again is refused by name.
    let (status, _, body) = viewer
        .post_form("/viewer", "/payments/channels/streamer/subscribe", &[])
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("You already subscribe to streamer"), "{body}");

    // A donation with a message, and a declined card that changes nothing.
    let (status, location, _) = viewer
        .post_form(
            "/streamer",
            "/payments/channels/streamer/donate",
            &[("amount", "10.00"), ("message", "keep it up")],
        )
        .await;
    assert_eq!(status, 303);
    let checkout = location.unwrap();
    assert_eq!(money.pay(&checkout, "4000 0000 0000 0002").await.0, 402);
    assert_eq!(money.pay(&checkout, "4242424242424242").await.0, 303);
    let line = next_of(&mut chat, "support").await;
    assert_eq!(line["kind"], "donated");
    assert_eq!(line["amount"], "$10.00");
    assert_eq!(line["message"], "keep it up");

    // Three more months of the subscription.
    let subscription = money
        .events()
        .await
        .iter()
        .find(|event| event["type"] == "customer.subscription.created")
        .map(|event| {
            event["payload"]["data"]["object"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .unwrap();
    for _ in 0..3 {
        let response = money
            .http
            .post(format!(
                "{}/_standin/subscriptions/{subscription}/renew",
                money.standin
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 202);
    }
    let mut db = money.database().await;
    let all_applied = wait_for(|| async {
        let mut db = money.database().await;
        scalar(&mut db, "SELECT COUNT(*) FROM payments").await == 5
            && scalar(
                &mut db,
                "SELECT COUNT(*) FROM payment_events WHERE status = 'pending'",
            )
            .await
                == 0
    })
    .await;
    assert!(
        all_applied,
        "four invoices and a donation were not all recorded"
    );

    // The ledger: a $5.00 subscription at the default 10 % cut pays 450 four times; the $10.00
    // donation bears its fee (2.9 % + 30 = 59) and pays 941. Every cent is accounted for.
    assert_eq!(
        scalar(&mut db, "SELECT SUM(payout_cents) FROM payables").await,
        4 * 450 + 941
    );
    assert_eq!(
        scalar(
            &mut db,
            "SELECT SUM(gross_cents - platform_cut_cents - withholding_cents - payout_cents) \
             FROM payables WHERE payment_id IN (SELECT id FROM payments WHERE kind = 'channel_subscription')"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &mut db,
            "SELECT SUM(gross_cents - fee_cents - platform_cut_cents - withholding_cents - payout_cents) \
             FROM payables WHERE payment_id IN (SELECT id FROM payments WHERE kind = 'donation')"
        )
        .await,
        0
    );
    assert_eq!(
        scalar(&mut db, "SELECT SUM(gross_cents) FROM payments").await,
        4 * 500 + 1000,
        "the payments match what the stand-in charged"
    );
    let (_, payouts) = streamer.get("/users/settings/payouts").await;
    assert!(payouts.contains("$27.41"), "pending earnings: {payouts}");
    // Nobody else sees them: the viewer's own payouts page is empty.
    let (_, other) = viewer.get("/users/settings/payouts").await;
    assert!(other.contains("No payments yet."), "{other}");
    assert!(!other.contains("$27.41"));

    // Cancelling in the portal keeps the badge until the period ends; the end removes it.
    let (status, location, _) = viewer
        .post_form(
            "/users/settings/subscriptions",
            "/users/settings/subscriptions/portal",
            &[],
        )
        .await;
    assert_eq!(status, 303);
    let portal = location.unwrap();
    let (path, query) = portal.split_once('?').unwrap();
    let response = money
        .http
        .post(format!("{path}/{subscription}/cancel?{query}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(
        wait_for(|| async {
            viewer
                .get("/users/settings/subscriptions")
                .await
                .1
                .contains("Ends at the end of the period")
        })
        .await
    );
    money
        .http
        .post(format!(
            "{}/_standin/subscriptions/{subscription}/end",
            money.standin
        ))
        .send()
        .await
        .unwrap();
    assert!(
        wait_for(|| async {
            viewer
                .get("/users/settings/subscriptions")
                .await
                .1
                .contains("You have no subscriptions.")
        })
        .await
    );
    chat.send(Message::Text(
        json!({"type": "send", "text": "after the end"})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let message = next_of(&mut chat, "message").await;
    assert!(
        !message["message"]["badges"]
            .as_array()
            .unwrap()
            .contains(&json!("subscriber")),
        "{message}"
    );
    db.close().await.unwrap();
}

#[tokio::test]
async fn who_may_buy_is_checked_before_money_moves() {
    let money = Money::start(&[]).await;
    let streamer = money.user("streamer").await;
    money.onboard(&streamer).await;

    let (status, _, body) = streamer
        .post_form("/streamer", "/payments/channels/streamer/subscribe", &[])
        .await;
    assert_eq!(status, 409);
    assert!(
        body.contains("You cannot subscribe to your own channel."),
        "{body}"
    );
    let (status, _, body) = streamer
        .post_form(
            "/streamer",
            "/payments/channels/streamer/donate",
            &[("amount", "5")],
        )
        .await;
    assert_eq!(status, 409);
    assert!(
        body.contains("You cannot donate to your own channel."),
        "{body}"
    );

    let viewer = money.user("viewer").await;
    // A streamer who hides the button gets no new subscribers, and says so.
    let (status, location, _) = streamer
        .post_form(
            "/users/settings/payouts",
            "/users/settings/payouts/button",
            &[],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        location.as_deref(),
        Some("/users/settings/payouts?notice=button_saved")
    );
    let (_, page) = viewer.get("/streamer").await;
    assert!(!page.contains("support-bar"), "{page}");
    let (status, _, body) = viewer
        .post_form("/streamer", "/payments/channels/streamer/subscribe", &[])
        .await;
    assert_eq!(status, 409);
    assert!(
        body.contains("has turned off subscriptions and donations"),
        "{body}"
    );
    streamer
        .post_form(
            "/users/settings/payouts",
            "/users/settings/payouts/button",
            &[("enabled", "on")],
        )
        .await;
    for (amount, expected) in [
        ("0.50", "A donation is between $1.00 and $100.00."),
        ("500", "A donation is between $1.00 and $100.00."),
        ("five", "Enter the amount as a number such as 5 or 5.00."),
    ] {
        let (status, _, body) = viewer
            .post_form(
                "/streamer",
                "/payments/channels/streamer/donate",
                &[("amount", amount)],
            )
            .await;
        assert!(status == 409 || status == 400, "{amount}: {status}");
        assert!(body.contains(expected), "{amount}: {body}");
    }
    let long = "x".repeat(201);
    let (status, _, body) = viewer
        .post_form(
            "/streamer",
            "/payments/channels/streamer/donate",
            &[("amount", "5"), ("message", &long)],
        )
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("at most 200 characters"), "{body}");

    for (recipient, expected) in [
        ("viewer", "To subscribe yourself, use Subscribe."),
        ("streamer", "streamer is this channel"),
        ("nobody_here", "Nobody is called nobody_here here."),
    ] {
        let (status, _, body) = viewer
            .post_form(
                "/streamer",
                "/payments/channels/streamer/gift",
                &[("recipient", recipient)],
            )
            .await;
        assert!(status == 409 || status == 400, "{recipient}: {status}");
        assert!(body.contains(expected), "{recipient}: {body}");
    }

    money.server.create_user("unconfirmed", PASSWORD, false);
    let unconfirmed = Browser::new(&money.server);
    unconfirmed.login("unconfirmed", PASSWORD).await;
    let (status, _, body) = unconfirmed
        .post_form("/streamer", "/payments/channels/streamer/subscribe", &[])
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("Confirm your email address first"), "{body}");

    // Visitors are sent to log in; nothing reached the stand-in but the streamer's account.
    let visitor = Browser::new(&money.server);
    let (status, location, _) = visitor
        .post_form("/streamer", "/payments/channels/streamer/subscribe", &[])
        .await;
    assert_eq!(status, 303);
    assert_eq!(location.as_deref(), Some("/users/login"));
    let mut db = money.database().await;
    assert_eq!(
        scalar(&mut db, "SELECT COUNT(*) FROM payment_customers").await,
        0
    );
}

/// A delivery as Stripe would send it, signed now with `secret`.
async fn deliver(money: &Money, body: &str, secret: &str) -> (u16, Value) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let response = money
        .http
        .post(money.server.url("/api/webhooks/stripe"))
        .header("content-type", "application/json")
        .header(
            "stripe-signature",
            shimmer_payments::signature::sign(body.as_bytes(), secret, now),
        )
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn event_status(money: &Money, id: &str) -> (String, i64, String) {
    let mut db = money.database().await;
    sqlx::query_as("SELECT status, attempts, last_error FROM payment_events WHERE id = ?")
        .bind(id)
        .fetch_one(&mut db)
        .await
        .unwrap()
}

#[tokio::test]
async fn webhooks_are_verified_stored_once_retried_and_shown_to_staff() {
    let money = Money::start(&[
        ("SHIMMER_PAYMENTS__EVENT_ATTEMPTS", "3"),
        ("SHIMMER_PAYMENTS__EVENT_RETRY_SECS", "1"),
    ])
    .await;
    let streamer = money.user("streamer").await;
    money.onboard(&streamer).await;
    let viewer_id = money.server.create_user("viewer", PASSWORD, true);
    let channel = channel_of(&money.server, "streamer");
    let donation = |id: &str, checkout: &str| {
        json!({
            "id": id, "object": "event", "type": "checkout.session.completed",
            "data": { "object": {
                "id": checkout, "object": "checkout.session", "mode": "payment",
                "payment_status": "paid", "amount_total": 700, "currency": "usd",
                "metadata": {
                    "shimmer_kind": "donation", "shimmer_user_id": viewer_id.to_string(),
                    "shimmer_channel_id": channel, "shimmer_message": ""
                }
            } }
        })
        .to_string()
    };

    // A bad signature, a missing one and a stale one: 400, nothing stored.
    let body = donation("evt_forged", "cs_forged");
    assert_eq!(deliver(&money, &body, "whsec_wrong").await.0, 400);
    let response = money
        .http
        .post(money.server.url("/api/webhooks/stripe"))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let stale = shimmer_payments::signature::sign(body.as_bytes(), WEBHOOK_SECRET, 1_000);
    let response = money
        .http
        .post(money.server.url("/api/webhooks/stripe"))
        .header("stripe-signature", stale)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let mut db = money.database().await;
    let stored = || async {
        let mut db = money.database().await;
        scalar(
            &mut db,
            "SELECT COUNT(*) FROM payment_events WHERE id LIKE 'evt_forged%' OR id LIKE 'evt_t%'",
        )
        .await
    };
    assert_eq!(stored().await, 0);

    // A good delivery, then the same event again (a replay) and a second event about the same
    // checkout: one payment, one payable.
    let body = donation("evt_t1", "cs_t1");
    let (status, answer) = deliver(&money, &body, WEBHOOK_SECRET).await;
    assert_eq!((status, answer["duplicate"].clone()), (200, json!(false)));
    let (status, answer) = deliver(&money, &body, WEBHOOK_SECRET).await;
    assert_eq!((status, answer["duplicate"].clone()), (200, json!(true)));
    assert_eq!(
        deliver(&money, &donation("evt_t2", "cs_t1"), WEBHOOK_SECRET)
            .await
            .0,
        200
    );
    assert!(
        wait_for(|| async {
            event_status(&money, "evt_t2").await.0 == "done"
                && event_status(&money, "evt_t1").await.0 == "done"
        })
        .await
    );
    assert_eq!(
        scalar(
            &mut db,
            "SELECT COUNT(*) FROM payments WHERE stripe_object_id = 'cs_t1'"
        )
        .await,
        1
    );
    assert_eq!(scalar(&mut db, "SELECT COUNT(*) FROM payables").await, 1);

    // An event about an object Shimmer does not know: 200, logged and ignored.
    let unknown = json!({
        "id": "evt_t3", "object": "event", "type": "invoice.payment_failed",
        "data": { "object": { "id": "in_x", "parent": { "subscription_details": { "subscription": "sub_nobody" } } } }
    })
    .to_string();
    assert_eq!(deliver(&money, &unknown, WEBHOOK_SECRET).await.0, 200);
    assert!(wait_for(|| async { event_status(&money, "evt_t3").await.0 == "ignored" }).await);

    // Processing fails while the database refuses payments: retried with backoff, then left
    // failed, visible to staff with the payouts permission, who replay it once it is fixed.
    sqlx::query(
        "CREATE TRIGGER refuse_payments BEFORE INSERT ON payments \
         BEGIN SELECT RAISE(ABORT, 'payments are refused for this test'); END",
    )
    .execute(&mut db)
    .await
    .unwrap();
    assert_eq!(
        deliver(&money, &donation("evt_t4", "cs_t4"), WEBHOOK_SECRET)
            .await
            .0,
        200
    );
    assert!(
        wait_for(|| async {
            let (status, attempts, _) = event_status(&money, "evt_t4").await;
            status == "pending" && attempts >= 1
        })
        .await,
        "the first attempt failed and waits for a retry"
    );
    assert!(
        wait_for(|| async { event_status(&money, "evt_t4").await.0 == "failed" }).await,
        "three attempts in about five seconds, then failed"
    );
    let (_, attempts, error) = event_status(&money, "evt_t4").await;
    assert_eq!(attempts, 3);
    assert!(
        error.contains("payments are refused for this test"),
        "{error}"
    );

    let (status, _) = streamer.get("/staff/payments").await;
    assert_eq!(status, 403, "not staff");
    money.server.create_user("lead", PASSWORD, true);
    money.server.cli(&["user", "staff", "lead", "--level", "3"]);
    let lead = Browser::new(&money.server);
    lead.login("lead", PASSWORD).await;
    support::enrol_two_factor(&lead).await;
    let (status, body) = lead.get("/staff/payments").await;
    assert_eq!(status, 403, "a lead may not handle payouts: {body}");
    money.server.create_user("paymaster", PASSWORD, true);
    money
        .server
        .cli(&["user", "staff", "paymaster", "--level", "5"]);
    let admin = Browser::new(&money.server);
    admin.login("paymaster", PASSWORD).await;
    support::enrol_two_factor(&admin).await;
    let (status, page) = admin.get("/staff/payments?status=failed").await;
    assert_eq!(status, 200);
    assert!(page.contains("evt_t4") && page.contains("payments are refused for this test"));
    assert!(!page.contains("evt_t1"), "only failed events: {page}");
    let (status, _, _) = lead
        .post_form("/staff", "/staff/payments/events/evt_t4/replay", &[])
        .await;
    assert_eq!(status, 403);

    sqlx::query("DROP TRIGGER refuse_payments")
        .execute(&mut db)
        .await
        .unwrap();
    let (status, location, _) = admin
        .post_form(
            "/staff/payments",
            "/staff/payments/events/evt_t4/replay",
            &[],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        location.as_deref(),
        Some("/staff/payments?notice=event_replayed")
    );
    assert!(wait_for(|| async { event_status(&money, "evt_t4").await.0 == "done" }).await);
    assert_eq!(
        scalar(
            &mut db,
            "SELECT COUNT(*) FROM payments WHERE stripe_object_id = 'cs_t4'"
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &mut db,
            "SELECT COUNT(*) FROM staff_audit WHERE action = 'payment_event_replay'"
        )
        .await,
        1,
        "the replay is in the audit log"
    );
}

#[tokio::test]
async fn without_payments_no_money_feature_shows() {
    let server = Server::start();
    server.create_user("streamer", PASSWORD, true);
    let viewer = Browser::new(&server);
    server.create_user("viewer", PASSWORD, true);
    viewer.login("viewer", PASSWORD).await;
    let (_, page) = viewer.get("/streamer").await;
    assert!(!page.contains("support-bar"), "{page}");
    let (_, settings) = viewer.get("/users/settings/profile").await;
    assert!(!settings.contains("/users/settings/payouts"));
    for path in ["/users/settings/payouts", "/users/settings/subscriptions"] {
        assert_eq!(viewer.get(path).await.0, 404, "{path}");
    }
    let (status, _, _) = viewer
        .post_form("/streamer", "/payments/channels/streamer/subscribe", &[])
        .await;
    assert_eq!(status, 404);
    let response = reqwest::Client::new()
        .post(server.url("/api/webhooks/stripe"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404, "no webhook endpoint");
}

/// Signs in a payouts admin (staff level 5 with two-factor sign-in, as staff must).
async fn paymaster(money: &Money, username: &str, level: u8) -> Browser {
    money.server.create_user(username, PASSWORD, true);
    let output = money
        .server
        .cli(&["user", "staff", username, "--level", &level.to_string()]);
    assert!(output.status.success());
    let browser = Browser::new(&money.server);
    browser.login(username, PASSWORD).await;
    support::enrol_two_factor(&browser).await;
    browser
}

async fn subscribe_and_pay(money: &Money, viewer: &Browser, channel: &str) {
    let (status, location, body) = viewer
        .post_form(
            &format!("/{channel}"),
            &format!("/payments/channels/{channel}/subscribe"),
            &[],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        money.pay(&location.unwrap(), "4242424242424242").await.0,
        303
    );
}

#[tokio::test]
async fn staff_approve_a_payday_that_pays_each_streamer_once_and_tells_them() {
    let money = Money::start(&[]).await;
    let alpha = money.user("alpha").await;
    let bravo = money.user("bravo").await;
    money.onboard(&alpha).await;
    money.onboard(&bravo).await;
    let viewer = money.user("viewer").await;
    subscribe_and_pay(&money, &viewer, "alpha").await;
    subscribe_and_pay(&money, &viewer, "bravo").await;
    let second = money.user("second").await;
    subscribe_and_pay(&money, &second, "alpha").await;
    let recorded = wait_for(|| async {
        let mut db = money.database().await;
        scalar(&mut db, "SELECT COUNT(*) FROM payables").await == 3
    })
    .await;
    assert!(recorded, "three subscriptions recorded");

    // Who may run payday: a lead may not, nor the streamer.
    let lead = paymaster(&money, "lead", 3).await;
    let (status, _) = lead.get("/staff/paydays").await;
    assert_eq!(status, 403);
    let (status, _, _) = lead
        .post_form("/staff", "/staff/paydays/prepare", &[])
        .await;
    assert_eq!(status, 403);
    assert_eq!(alpha.get("/staff/paydays").await.0, 403);

    // Bravo's account loses its payouts after the payday is prepared: the line is sent and
    // fails, then goes through once Bravo finishes onboarding again.
    let staff = paymaster(&money, "paymaster", 5).await;
    let (status, location, _) = staff
        .post_form("/staff/paydays", "/staff/paydays/prepare", &[])
        .await;
    assert_eq!(status, 303);
    let payday = location.unwrap();
    let (_, page) = staff.get(&payday).await;
    assert!(
        page.contains("$13.50"),
        "two subscriptions to alpha and one to bravo at 450: {page}"
    );
    let (status, _, body) = staff
        .post_form("/staff/paydays", "/staff/paydays/prepare", &[])
        .await;
    assert_eq!(status, 409, "one payday at a time: {body}");

    let bravo_account = {
        let mut db = money.database().await;
        sqlx::query_scalar::<_, String>(
            "SELECT account_id FROM payout_accounts a JOIN users u ON u.id = a.user_id WHERE u.username = 'bravo'",
        )
        .fetch_one(&mut db)
        .await
        .unwrap()
    };
    let response = money
        .http
        .post(format!(
            "{}/_standin/accounts/{bravo_account}/disable",
            money.standin
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        202,
        "{bravo_account}: {:?}",
        response.text().await
    );
    assert!(
        wait_for(|| async {
            bravo
                .get("/users/settings/payouts")
                .await
                .1
                .contains("Setup not finished")
        })
        .await
    );

    let (status, location, _) = staff
        .post_form(&payday, &format!("{payday}/approve"), &[])
        .await;
    assert_eq!(status, 303);
    assert!(location.unwrap().ends_with("notice=payday_failures"));
    let (_, page) = staff.get(&payday).await;
    assert!(page.contains("Retry failed transfers"), "{page}");
    assert!(
        page.contains("transfers"),
        "the stand-in's refusal is shown: {page}"
    );
    let (status, _, _) = staff
        .post_form(&payday, &format!("{payday}/approve"), &[])
        .await;
    assert_eq!(status, 409, "approved once only");

    let (path, query) = {
        let (status, location, _) = bravo
            .post_form(
                "/users/settings/payouts",
                "/users/settings/payouts/onboard",
                &[],
            )
            .await;
        assert_eq!(status, 303);
        let link = location.unwrap();
        let (path, query) = link.split_once('?').unwrap();
        (path.to_owned(), query.to_owned())
    };
    money
        .http
        .post(format!("{path}/finish?{query}"))
        .send()
        .await
        .unwrap();
    assert!(
        wait_for(|| async {
            bravo
                .get("/users/settings/payouts")
                .await
                .1
                .contains("Ready:")
        })
        .await
    );
    let (status, location, _) = staff
        .post_form(&payday, &format!("{payday}/retry"), &[])
        .await;
    assert_eq!(status, 303);
    assert!(location.unwrap().ends_with("notice=payday_paid"));

    // One transfer per streamer, each payable paid out with its transfer, an email each.
    let transfers: Vec<Value> = money
        .http
        .get(format!("{}/_standin/transfers", money.standin))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut amounts: Vec<i64> = transfers
        .iter()
        .map(|transfer| transfer["amount"].as_i64().unwrap())
        .collect();
    amounts.sort();
    assert_eq!(amounts, [450, 900], "{transfers:?}");
    let mut db = money.database().await;
    assert_eq!(
        scalar(
            &mut db,
            "SELECT COUNT(*) FROM payables WHERE status = 'paid_out' AND transfer_id IS NOT NULL"
        )
        .await,
        3
    );
    assert_eq!(
        scalar(
            &mut db,
            "SELECT COUNT(*) FROM paydays WHERE status = 'paid' AND open IS NULL"
        )
        .await,
        1
    );
    let mails = money.server.mails();
    let alpha_mail = mails
        .iter()
        .find(|(to, body)| to == "alpha@example.com" && body.contains("$9.00"))
        .expect("alpha's payout email");
    assert!(
        alpha_mail.1.contains("site's cut $0.50"),
        "{}",
        alpha_mail.1
    );
    assert!(mails
        .iter()
        .any(|(to, body)| to == "bravo@example.com" && body.contains("$4.50")));
    let (_, earnings) = alpha.get("/users/settings/payouts").await;
    assert!(earnings.contains("paid out"), "{earnings}");

    // Support: staff see a streamer's payouts (audited) and pause them with a reason; the next
    // payday holds that streamer's line back.
    let (status, support) = staff.get("/staff/users/alpha/payouts").await;
    assert_eq!(status, 200);
    assert!(
        support.contains("ready") && support.contains("$9.00"),
        "{support}"
    );
    assert_eq!(lead.get("/staff/users/alpha/payouts").await.0, 403);
    let (status, _, _) = staff
        .post_form(
            "/staff/users/alpha/payouts",
            "/staff/users/alpha/payouts/pause",
            &[("reason", "chargeback under review")],
        )
        .await;
    assert_eq!(status, 303);
    subscribe_and_pay(&money, &money.user("third").await, "alpha").await;
    assert!(
        wait_for(|| async {
            let mut db = money.database().await;
            scalar(
                &mut db,
                "SELECT COUNT(*) FROM payables WHERE status = 'pending'",
            )
            .await
                == 1
        })
        .await
    );
    let (_, location, _) = staff
        .post_form("/staff/paydays", "/staff/paydays/prepare", &[])
        .await;
    let (_, page) = staff.get(&location.unwrap()).await;
    assert!(
        page.contains("paused by staff: chargeback under review"),
        "{page}"
    );
    for action in [
        "payouts_view",
        "payouts_pause",
        "payday_prepare",
        "payday_approve",
        "payday_retry",
    ] {
        assert!(
            scalar(
                &mut db,
                &format!("SELECT COUNT(*) FROM staff_audit WHERE action = '{action}'")
            )
            .await
                >= 1,
            "{action} is audited"
        );
    }
}

#[tokio::test]
async fn subscriber_only_emotes_work_for_subscribers_only() {
    let money = Money::start(&[]).await;
    let streamer = money.user("streamer").await;
    money.onboard(&streamer).await;
    let fan = money.user("fan").await;
    subscribe_and_pay(&money, &fan, "streamer").await;
    money.server.create_user("other", PASSWORD, true);
    let staff = paymaster(&money, "reviewer", 5).await;

    // The streamer's emote, approved by staff, then made subscriber-only.
    let (status, _, _) = streamer
        .post_form(
            "/users/settings/emotes",
            "/users/settings/emotes/prefix",
            &[("prefix", "strmr")],
        )
        .await;
    assert_eq!(status, 303);
    let form = reqwest::multipart::Form::new().text("name", "hype").part(
        "file",
        reqwest::multipart::Part::bytes(support::png(112, 112, [200, 40, 90]))
            .file_name("emote.png"),
    );
    let (status, body) = streamer
        .post_multipart("/users/settings/emotes", "/users/settings/emotes", form)
        .await;
    assert_eq!(status, 303, "{body}");
    let emote_id = {
        let mut db = money.database().await;
        scalar(&mut db, "SELECT id FROM emotes WHERE name = 'strmrhype'").await
    };
    let review = format!("/staff/emotes/{emote_id}/review");
    let (status, _, _) = staff
        .post_form("/staff/emotes", &review, &[("decision", "approve")])
        .await;
    assert_eq!(status, 303);
    let toggle = format!("/users/settings/emotes/{emote_id}/subscribers");
    let (status, _, _) = fan
        .post_form("/streamer", &toggle, &[("enabled", "on")])
        .await;
    assert_eq!(status, 403, "only the channel's managers");
    let (status, location, _) = streamer
        .post_form("/users/settings/emotes", &toggle, &[("enabled", "on")])
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        location.as_deref(),
        Some("/users/settings/emotes?notice=emote_saved")
    );
    assert!(streamer
        .get("/users/settings/emotes")
        .await
        .1
        .contains("subscribers only"));
    let subscription_known = wait_for(|| async {
        let mut db = money.database().await;
        scalar(
            &mut db,
            "SELECT COUNT(*) FROM subscriptions WHERE status = 'active'",
        )
        .await
            == 1
    })
    .await;
    assert!(subscription_known);

    // The picker and the message: an emote for the subscriber and the streamer, text for
    // anyone else.
    let channel = channel_of(&money.server, "streamer");
    for (username, expects_emote) in [("fan", true), ("streamer", true), ("other", false)] {
        let cookie = Browser::new(&money.server)
            .session_cookie(username, PASSWORD)
            .await;
        let mut chat = connect(&money.server, &channel, Some(&cookie)).await;
        let welcome = next_of(&mut chat, "welcome").await;
        let in_picker = welcome["emotes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|emote| emote["name"] == "strmrhype");
        assert_eq!(in_picker, expects_emote, "{username}: {welcome}");
        chat.send(Message::Text(
            json!({"type": "send", "text": "strmrhype"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
        let message = loop {
            let frame = next_of(&mut chat, "message").await;
            if frame["message"]["username"] == username {
                break frame;
            }
        };
        let token = &message["message"]["tokens"][0];
        assert_eq!(
            token["type"] == "emote",
            expects_emote,
            "{username}: {message}"
        );
    }
}

/// Posts a JSON control to the stand-in, expecting `status`.
async fn control(money: &Money, path: &str, body: Value, status: u16) {
    let response = money
        .http
        .post(format!("{}{path}", money.standin))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), status, "{path}");
}

#[tokio::test]
async fn fees_transfers_and_bank_payouts_follow_what_stripe_reports() {
    let money = Money::start(&[]).await;
    // Stripe charges more than the configured estimate (2.9 % + 30): 3.4 % + 35.
    control(
        &money,
        "/_standin/fees",
        json!({ "percent_bp": 340, "fixed_cents": 35 }),
        204,
    )
    .await;
    let streamer = money.user("gamma").await;
    money.onboard(&streamer).await;
    let viewer = money.user("viewer").await;
    subscribe_and_pay(&money, &viewer, "gamma").await;
    let (status, location, _) = viewer
        .post_form(
            "/gamma",
            "/payments/channels/gamma/donate",
            &[("amount", "10.00")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        money.pay(&location.unwrap(), "4242424242424242").await.0,
        303
    );

    // Both fees settle from the payments' balance transactions: the donation's $10.00 costs
    // 34 + 35 = 69 (the estimate said 59), borne by the streamer: 931 is theirs. The $5.00
    // subscription's fee is 17 + 35 = 52 (estimate 45), borne by the platform: 450 stays.
    let mut db = money.database().await;
    let settled = wait_for(|| async {
        let mut db = money.database().await;
        scalar(
            &mut db,
            "SELECT COUNT(*) FROM payments WHERE fee_settled = 1",
        )
        .await
            == 2
    })
    .await;
    assert!(settled, "both fees settle");
    let fee_and_payout = |kind: &'static str| {
        format!(
            "SELECT m.fee_cents * 10000 + p.payout_cents FROM payments m \
             JOIN payables p ON p.payment_id = m.id WHERE m.kind = '{kind}'"
        )
    };
    assert_eq!(
        scalar(&mut db, &fee_and_payout("donation")).await,
        69 * 10000 + 931
    );
    assert_eq!(
        scalar(&mut db, &fee_and_payout("channel_subscription")).await,
        52 * 10000 + 450
    );
    assert_eq!(
        scalar(
            &mut db,
            "SELECT COUNT(*) FROM payables p JOIN payments m ON m.id = p.payment_id \
             WHERE p.fee_cents <> m.fee_cents"
        )
        .await,
        0,
        "payables carry the settled fee"
    );
    let (_, earnings) = streamer.get("/users/settings/payouts").await;
    assert!(
        earnings.contains("$0.69") && earnings.contains("$9.31"),
        "{earnings}"
    );
    assert!(!earnings.contains("(est.)"), "{earnings}");

    // Payday pays 931 + 450 in one transfer; Stripe's transfer.created confirms the line
    // (already recorded from the API's answer) and no second email goes out.
    let staff = paymaster(&money, "paymaster", 5).await;
    let (_, location, _) = staff
        .post_form("/staff/paydays", "/staff/paydays/prepare", &[])
        .await;
    let payday = location.unwrap();
    let (status, _, _) = staff
        .post_form(&payday, &format!("{payday}/approve"), &[])
        .await;
    assert_eq!(status, 303);
    let transfer_id =
        sqlx::query_scalar::<_, String>("SELECT transfer_id FROM payouts WHERE status = 'paid'")
            .fetch_one(&mut db)
            .await
            .unwrap();
    assert_eq!(
        scalar(&mut db, "SELECT amount_cents FROM payouts").await,
        1381
    );
    let confirmed = wait_for(|| async {
        let mut db = money.database().await;
        scalar(
            &mut db,
            "SELECT COUNT(*) FROM payment_events WHERE event_type = 'transfer.created' AND status = 'done'",
        )
        .await
            == 1
    })
    .await;
    assert!(confirmed, "transfer.created applied");
    let payout_mails = money
        .server
        .mails()
        .into_iter()
        .filter(|(to, body)| to == "gamma@example.com" && body.contains("$13.81"))
        .count();
    assert_eq!(payout_mails, 1, "one payout email");

    // Stripe reverses $4.00 of the transfer: staff and the streamer see it.
    control(
        &money,
        &format!("/_standin/transfers/{transfer_id}/reverse"),
        json!({ "amount": 400 }),
        202,
    )
    .await;
    assert!(
        wait_for(|| async {
            let mut db = money.database().await;
            scalar(&mut db, "SELECT reversed_cents FROM payouts").await == 400
        })
        .await,
        "the reversal is recorded"
    );
    let (_, page) = staff.get(&payday).await;
    assert!(page.contains("$4.00 reversed"), "{page}");
    let (_, earnings) = streamer.get("/users/settings/payouts").await;
    assert!(earnings.contains("$4.00 reversed"), "{earnings}");

    // Stripe pays the account's bank, and a later payout fails: the streamer sees it on the
    // page and by email. These events come from the Connect endpoint, signed with its secret.
    let account = sqlx::query_scalar::<_, String>("SELECT account_id FROM payout_accounts")
        .fetch_one(&mut db)
        .await
        .unwrap();
    let payouts = format!("/_standin/accounts/{account}/payouts");
    control(
        &money,
        &payouts,
        json!({ "status": "paid", "amount": 981 }),
        202,
    )
    .await;
    assert!(
        wait_for(|| async {
            streamer
                .get("/users/settings/payouts")
                .await
                .1
                .contains("$9.81, arriving")
        })
        .await,
        "the paid bank payout shows"
    );
    control(
        &money,
        &payouts,
        json!({ "status": "failed", "amount": 981, "failure_message": "The bank account has been closed." }),
        202,
    )
    .await;
    assert!(
        wait_for(|| async {
            streamer
                .get("/users/settings/payouts")
                .await
                .1
                .contains("The bank account has been closed.")
        })
        .await,
        "the failed bank payout shows"
    );
    assert!(money
        .server
        .mails()
        .iter()
        .any(|(to, body)| to == "gamma@example.com"
            && body.contains("could not pay $9.81 into your bank account")));
    let (_, support) = staff.get("/staff/users/gamma/payouts").await;
    assert!(
        support.contains("$9.81 failed: The bank account has been closed.")
            && support.contains("$4.00"),
        "{support}"
    );
    let events = money.events().await;
    let connect_events: Vec<&Value> = events
        .iter()
        .filter(|event| event["payload"]["account"].is_string())
        .collect();
    assert_eq!(connect_events.len(), 2);
    for event in connect_events {
        assert_eq!(event["deliveries"], json!([200]), "{event}");
    }
    // Nobody else sees a streamer's payout facts.
    let (_, other) = viewer.get("/users/settings/payouts").await;
    assert!(!other.contains("bank account"), "{other}");
    db.close().await.unwrap();
}
