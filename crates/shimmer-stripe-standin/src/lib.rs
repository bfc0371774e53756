//! A local stand-in for the parts of Stripe that Shimmer uses, for development
//! (`shimmer dev stripe`) and tests: the API endpoints Shimmer's Stripe client calls (with
//! Stripe's error shapes and idempotency keys), the hosted pages a buyer and a streamer visit
//! (checkout, customer portal, Connect onboarding), and webhooks signed as Stripe signs them.
//! It keeps everything in memory.
//!
//! Controls for tests, beside Stripe's API: `POST /_standin/webhook` (`{"url": ...}`) sets
//! where events go; `POST /_standin/subscriptions/<id>/renew`, `.../fail` and `.../end`
//! bill the next month, fail a renewal or end a subscription; `GET /_standin/events` lists
//! what was sent with each delivery's answer; `POST /_standin/events/<id>/resend` sends one
//! again, byte for byte, with a fresh signature; `POST /_standin/accounts/<id>/disable` takes a
//! connected account's payouts away; `GET /_standin/transfers` lists the transfers made;
//! `POST /_standin/transfers/<id>/reverse` reverses one; `POST /_standin/accounts/<id>/payouts`
//! reports a payout to the account's bank (paid or failed); `POST /_standin/fees` sets the card
//! fee charged on later payments (each payment's fee is on its balance transaction, as in
//! Stripe).

mod api;
mod form;
mod objects;
mod pages;
mod state;
mod webhooks;

use std::sync::Arc;

use axum::Router;
use parking_lot::Mutex;
use tokio::net::TcpListener;

pub use state::SentEvent;

/// What the stand-in accepts and signs with.
#[derive(Debug, Clone)]
pub struct StandinConfig {
    /// The secret key clients must send (`Authorization: Bearer ...`).
    pub api_key: String,
    /// The webhook signing secret (`whsec_...`).
    pub webhook_secret: String,
    /// The Connect endpoint's signing secret, for events about connected accounts; None signs
    /// them with `webhook_secret` (one endpoint for both).
    pub connect_webhook_secret: Option<String>,
    /// Where events are delivered; set later with `POST /_standin/webhook` when unknown yet.
    pub webhook_url: Option<String>,
}

impl Default for StandinConfig {
    fn default() -> Self {
        Self {
            api_key: "sk_test_standin".into(),
            webhook_secret: "whsec_standin".into(),
            connect_webhook_secret: None,
            webhook_url: None,
        }
    }
}

/// The shared state of a running stand-in.
#[derive(Clone)]
pub(crate) struct Standin {
    pub objects: Arc<Mutex<state::Objects>>,
    pub config: Arc<StandinConfig>,
    /// This server's own URL, for the hosted pages' links.
    pub base: Arc<str>,
    pub deliveries: webhooks::Deliveries,
}

/// Serves the stand-in on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, config: StandinConfig) -> std::io::Result<()> {
    let base = format!("http://{}", listener.local_addr()?);
    let mut objects = state::Objects::default();
    objects.webhook_url = config.webhook_url.clone();
    let objects = Arc::new(Mutex::new(objects));
    let standin = Standin {
        deliveries: webhooks::Deliveries::start(
            objects.clone(),
            config.webhook_secret.clone(),
            config.connect_webhook_secret.clone(),
        ),
        objects,
        config: Arc::new(config),
        base: base.into(),
    };
    axum::serve(listener, router(standin)).await
}

fn router(standin: Standin) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .merge(webhooks::control_routes())
        .with_state(standin)
}
