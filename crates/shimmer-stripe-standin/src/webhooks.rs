//! Events: made when the stand-in's objects change, delivered in order to the webhook URL with
//! a `Stripe-Signature` header, retried a few times like Stripe does (sooner), and the test
//! controls that list, resend and drive them.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use parking_lot::Mutex;
use serde_json::{json, Value};
use tokio::sync::mpsc;

use crate::objects;
use crate::state::{now, Objects, SentEvent, PERIOD_SECS};
use crate::Standin;

/// Attempts per delivery, and the wait between them.
const ATTEMPTS: usize = 3;
const RETRY_AFTER: Duration = Duration::from_millis(500);

/// The queue of events to deliver, in order.
#[derive(Clone)]
pub(crate) struct Deliveries {
    queue: mpsc::UnboundedSender<String>,
}

impl Deliveries {
    /// Delivers events signed with `secret`, or with `connect_secret` (when given) for events
    /// about a connected account, as Stripe signs a Connect endpoint's deliveries with its own.
    pub fn start(
        objects: Arc<Mutex<Objects>>,
        secret: String,
        connect_secret: Option<String>,
    ) -> Self {
        let (queue, mut pending) = mpsc::unbounded_channel::<String>();
        tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("a plain HTTP client builds");
            while let Some(id) = pending.recv().await {
                deliver(&client, &objects, &secret, connect_secret.as_deref(), &id).await;
            }
        });
        Self { queue }
    }

    /// Records an event about `object` and queues its delivery.
    pub fn emit(&self, objects: &mut Objects, event_type: &str, object: Value) -> String {
        self.emit_for(objects, None, event_type, object)
    }

    /// Records an event, about a connected account's object when `account` is given.
    pub fn emit_for(
        &self,
        objects: &mut Objects,
        account: Option<&str>,
        event_type: &str,
        object: Value,
    ) -> String {
        let id = objects.id("evt");
        let mut payload = json!({
            "id": id, "object": "event", "api_version": "2026-09-30.endive",
            "created": now(), "livemode": false, "pending_webhooks": 1,
            "request": { "id": null, "idempotency_key": null },
            "type": event_type, "data": { "object": object },
        });
        if let Some(account) = account {
            payload["account"] = json!(account);
        }
        objects.events.push(SentEvent {
            id: id.clone(),
            event_type: event_type.to_owned(),
            payload,
            deliveries: Vec::new(),
        });
        // The delivery task outlives every handler; a send fails only at process exit.
        let _ = self.queue.send(id.clone());
        id
    }

    fn resend(&self, id: &str) {
        let _ = self.queue.send(id.to_owned());
    }
}

async fn deliver(
    client: &reqwest::Client,
    objects: &Mutex<Objects>,
    secret: &str,
    connect_secret: Option<&str>,
    id: &str,
) {
    let (url, body, connected) = {
        let objects = objects.lock();
        let Some(event) = objects.events.iter().find(|event| event.id == id) else {
            return;
        };
        (
            objects.webhook_url.clone(),
            event.payload.to_string(),
            event.payload.get("account").is_some(),
        )
    };
    let secret = match connect_secret {
        Some(connect_secret) if connected => connect_secret,
        _ => secret,
    };
    let Some(url) = url else {
        tracing::warn!(
            event = id,
            "no webhook URL set: the event is kept, not delivered"
        );
        return;
    };
    for attempt in 0..ATTEMPTS {
        let signature = shimmer_payments::signature::sign(body.as_bytes(), secret, now());
        let status = client
            .post(&url)
            .header("content-type", "application/json")
            .header("stripe-signature", signature)
            .body(body.clone())
            .send()
            .await
            .map_or(0, |response| response.status().as_u16());
        if let Some(event) = objects
            .lock()
            .events
            .iter_mut()
            .find(|event| event.id == id)
        {
            event.deliveries.push(status);
        }
        if (200..300).contains(&status) {
            return;
        }
        if attempt + 1 < ATTEMPTS {
            tokio::time::sleep(RETRY_AFTER).await;
        }
    }
}

pub(crate) fn control_routes() -> Router<Standin> {
    Router::new()
        .route("/_standin/webhook", post(set_webhook))
        .route("/_standin/events", get(list_events))
        .route("/_standin/events/{id}/resend", post(resend))
        .route(
            "/_standin/subscriptions/{id}/{action}",
            post(drive_subscription),
        )
        .route("/_standin/accounts/{id}/disable", post(disable_account))
        .route("/_standin/transfers", get(list_transfers))
        .route("/_standin/transfers/{id}/reverse", post(reverse_transfer))
        .route("/_standin/accounts/{id}/payouts", post(bank_payout))
        .route("/_standin/fees", post(set_fees))
}

/// `{"amount": cents}` (default: all that is left) taken back from a transfer, with its
/// `transfer.reversed` event.
async fn reverse_transfer(
    State(standin): State<Standin>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let mut objects = standin.objects.lock();
    let Some(transfer) = objects.transfers.get_mut(&id) else {
        return (StatusCode::NOT_FOUND, "no such transfer").into_response();
    };
    let left = transfer.amount - transfer.amount_reversed;
    let amount = body["amount"].as_i64().unwrap_or(left);
    if amount <= 0 || amount > left {
        return (
            StatusCode::BAD_REQUEST,
            format!("reverse between 1 and {left} cents"),
        )
            .into_response();
    }
    transfer.amount_reversed += amount;
    let json = objects::transfer(&id, transfer);
    standin
        .deliveries
        .emit(&mut objects, "transfer.reversed", json);
    StatusCode::ACCEPTED.into_response()
}

/// A connected account's payout to its bank: `{"status": "paid"|"failed", "amount": cents,
/// "failure_message": ...}`, sent as `payout.paid` or `payout.failed` on the account.
async fn bank_payout(
    State(standin): State<Standin>,
    Path(account): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let mut objects = standin.objects.lock();
    if !objects.accounts.contains_key(&account) {
        return (StatusCode::NOT_FOUND, "no such account").into_response();
    }
    let status = body["status"].as_str().unwrap_or("paid");
    if status != "paid" && status != "failed" {
        return (StatusCode::BAD_REQUEST, "status is paid or failed").into_response();
    }
    let id = objects.id("po");
    let created = now();
    let payout = json!({
        "id": id, "object": "payout", "amount": body["amount"].as_i64().unwrap_or(0),
        "currency": body["currency"].as_str().unwrap_or("usd"),
        "arrival_date": created + 2 * 24 * 3600, "created": created, "livemode": false,
        "status": status, "method": "standard", "type": "bank_account",
        "failure_code": if status == "failed" { json!("account_closed") } else { Value::Null },
        "failure_message": if status == "failed" {
            json!(body["failure_message"].as_str().unwrap_or("The bank account has been closed."))
        } else {
            Value::Null
        },
    });
    standin.deliveries.emit_for(
        &mut objects,
        Some(&account),
        &format!("payout.{status}"),
        payout,
    );
    StatusCode::ACCEPTED.into_response()
}

/// `{"percent_bp": 340, "fixed_cents": 30}`: the card fee on payments from now on.
async fn set_fees(State(standin): State<Standin>, Json(body): Json<Value>) -> Response {
    let (Some(percent_bp), Some(fixed_cents)) =
        (body["percent_bp"].as_i64(), body["fixed_cents"].as_i64())
    else {
        return (StatusCode::BAD_REQUEST, "give percent_bp and fixed_cents").into_response();
    };
    let mut objects = standin.objects.lock();
    objects.fee_percent_bp = percent_bp;
    objects.fee_fixed_cents = fixed_cents;
    StatusCode::NO_CONTENT.into_response()
}

/// Takes an account's payouts away (as when Stripe wants more details), with its
/// `account.updated` event; onboarding again gives them back.
async fn disable_account(State(standin): State<Standin>, Path(id): Path<String>) -> StatusCode {
    let mut objects = standin.objects.lock();
    let Some(account) = objects.accounts.get_mut(&id) else {
        return StatusCode::NOT_FOUND;
    };
    account.onboarded = false;
    let json = objects::account(&id, account);
    standin
        .deliveries
        .emit(&mut objects, "account.updated", json);
    StatusCode::ACCEPTED
}

/// Every transfer made, as Stripe's JSON.
async fn list_transfers(State(standin): State<Standin>) -> Json<Vec<Value>> {
    let objects = standin.objects.lock();
    let mut transfers: Vec<Value> = objects
        .transfers
        .iter()
        .map(|(id, transfer)| objects::transfer(id, transfer))
        .collect();
    transfers.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    Json(transfers)
}

async fn set_webhook(State(standin): State<Standin>, Json(body): Json<Value>) -> Response {
    let Some(url) = body["url"].as_str() else {
        return (StatusCode::BAD_REQUEST, "give {\"url\": ...}").into_response();
    };
    standin.objects.lock().webhook_url = Some(url.to_owned());
    StatusCode::NO_CONTENT.into_response()
}

async fn list_events(State(standin): State<Standin>) -> Json<Vec<SentEvent>> {
    Json(standin.objects.lock().events.clone())
}

async fn resend(State(standin): State<Standin>, Path(id): Path<String>) -> StatusCode {
    if !standin
        .objects
        .lock()
        .events
        .iter()
        .any(|event| event.id == id)
    {
        return StatusCode::NOT_FOUND;
    }
    standin.deliveries.resend(&id);
    StatusCode::ACCEPTED
}

/// `renew` bills the next period (invoice.paid), `fail` fails it (invoice.payment_failed,
/// past_due), `end` ends the subscription (customer.subscription.deleted).
async fn drive_subscription(
    State(standin): State<Standin>,
    Path((id, action)): Path<(String, String)>,
) -> Response {
    let mut objects = standin.objects.lock();
    let Some(mut subscription) = objects.subscriptions.get(&id).cloned() else {
        return (StatusCode::NOT_FOUND, "no such subscription").into_response();
    };
    match action.as_str() {
        "renew" => {
            subscription.period_start = subscription.period_end;
            subscription.period_end += PERIOD_SECS;
            subscription.status = "active".into();
            let invoice_id = objects.id("in");
            objects.pay_invoice(&invoice_id, subscription.amount, &subscription.currency);
            let invoice =
                objects::invoice(&invoice_id, &id, &subscription, "subscription_cycle", true);
            objects
                .subscriptions
                .insert(id.clone(), subscription.clone());
            standin.deliveries.emit(
                &mut objects,
                "customer.subscription.updated",
                objects::subscription(&id, &subscription),
            );
            standin
                .deliveries
                .emit(&mut objects, "invoice.paid", invoice);
        }
        "fail" => {
            subscription.status = "past_due".into();
            let invoice_id = objects.id("in");
            let invoice =
                objects::invoice(&invoice_id, &id, &subscription, "subscription_cycle", false);
            objects.subscriptions.insert(id.clone(), subscription);
            standin
                .deliveries
                .emit(&mut objects, "invoice.payment_failed", invoice);
        }
        "end" => {
            subscription.status = "canceled".into();
            objects
                .subscriptions
                .insert(id.clone(), subscription.clone());
            standin.deliveries.emit(
                &mut objects,
                "customer.subscription.deleted",
                objects::subscription(&id, &subscription),
            );
        }
        _ => return (StatusCode::NOT_FOUND, "renew, fail or end").into_response(),
    }
    StatusCode::ACCEPTED.into_response()
}
