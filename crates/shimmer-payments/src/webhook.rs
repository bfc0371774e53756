//! `POST /api/webhooks/stripe`: Stripe's deliveries. The signature is checked on the raw body,
//! the event is stored by its id (a second delivery of one event changes nothing) and the
//! answer is 200 at once; the worker applies it afterwards, so a slow database step never
//! makes Stripe time out and send it again.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;
use shimmer_platform::Platform;
use tokio::sync::Notify;

use crate::signature;

/// The largest delivery accepted; Stripe's events are a few kilobytes.
const MAX_BODY_BYTES: usize = 256 * 1024;

#[derive(Clone)]
struct WebhookState {
    platform: Platform,
    /// The signing secrets of the endpoints that deliver here: the platform's own events and,
    /// when configured, the Connect endpoint's (connected accounts' payouts).
    secrets: Arc<[String]>,
    /// Wakes the worker when a new event is stored.
    wake: Arc<Notify>,
}

/// The webhook route, taking deliveries signed with any of `secrets`. `wake` is notified
/// after each new event is stored.
pub fn router(platform: Platform, secrets: Vec<String>, wake: Arc<Notify>) -> Router {
    Router::new()
        .route("/api/webhooks/stripe", post(receive))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(WebhookState {
            platform,
            secrets: secrets.into(),
            wake,
        })
}

fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

async fn receive(State(state): State<WebhookState>, headers: HeaderMap, body: Bytes) -> Response {
    let header = headers
        .get("stripe-signature")
        .and_then(|value| value.to_str().ok());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64);
    let mut verdict = Err(signature::SignatureError::Mismatch);
    for secret in state.secrets.iter() {
        verdict = signature::verify(header, &body, secret, now);
        if verdict.is_ok() {
            break;
        }
    }
    if let Err(error) = verdict {
        metrics::counter!("shimmer_payment_webhooks_refused_total").increment(1);
        tracing::warn!(%error, "refused a Stripe webhook delivery");
        return refuse(StatusCode::BAD_REQUEST, error.to_string());
    }
    let Ok(payload) = std::str::from_utf8(&body) else {
        return refuse(StatusCode::BAD_REQUEST, "the body is not UTF-8 JSON");
    };
    let event: serde_json::Value = match serde_json::from_str(payload) {
        Ok(event) => event,
        Err(error) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!("the body is not JSON: {error}"),
            )
        }
    };
    let (Some(id), Some(event_type)) = (event["id"].as_str(), event["type"].as_str()) else {
        return refuse(StatusCode::BAD_REQUEST, "the event has no id or type");
    };
    if id.len() > 255 || event_type.len() > 255 {
        return refuse(
            StatusCode::BAD_REQUEST,
            "the event's id or type is too long",
        );
    }
    match state
        .platform
        .receive_payment_event(id, event_type, payload)
        .await
    {
        Ok(stored) => {
            if stored {
                state.wake.notify_one();
            }
            (
                StatusCode::OK,
                Json(json!({ "received": true, "duplicate": !stored })),
            )
                .into_response()
        }
        Err(error) => {
            // Not stored: a non-2xx answer makes Stripe deliver it again later.
            tracing::error!(%error, event = id, "could not store a Stripe event");
            refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "the event could not be stored; deliver it again",
            )
        }
    }
}
