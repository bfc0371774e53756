//! What both socket protocols share: the caller, the per-credential allowance, running
//! documents in order, and the socket's subscriptions.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;
use std::time::Instant;

use async_graphql::parser::types::OperationType;
use async_graphql::{Response, ServerError};
use futures::StreamExt;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::auth::Caller;
use crate::execute::{self, Submission};
use crate::{Api, ApiState};
use shimmer_http::ClientIp;

/// What running a document gave.
pub enum Outcome {
    /// A query's or mutation's result, or the errors that stopped a document.
    Done(Response),
    /// A subscription is open under this id.
    Subscribed(String),
}

/// Turns one subscription result into the frame the protocol pushes.
pub type PushFormat = Box<dyn Fn(&str, &Response) -> String + Send + Sync>;

static SUBSCRIPTION_COUNTER: AtomicU64 = AtomicU64::new(1);

pub struct Session {
    pub state: ApiState,
    pub api: Api,
    pub caller: Option<Caller>,
    pub ip: ClientIp,
    /// The protocol's handshake is done (Phoenix: the control channel is joined;
    /// graphql-transport-ws: the connection is acknowledged).
    pub ready: bool,
    /// The protocol's own names for open subscriptions (graphql-transport-ws operation ids).
    pub aliases: HashMap<String, String>,
    rate_key: Option<String>,
    outbox: mpsc::Sender<String>,
    subscriptions: HashMap<String, AbortHandle>,
}

impl Session {
    pub fn new(state: ApiState, api: Api, ip: ClientIp, outbox: mpsc::Sender<String>) -> Self {
        Self {
            state,
            api,
            caller: None,
            ip,
            ready: false,
            aliases: HashMap::new(),
            rate_key: None,
            outbox,
            subscriptions: HashMap::new(),
        }
    }

    /// Sets the caller and the key its allowance is counted under.
    pub fn authenticate(&mut self, caller: Caller, rate_key: String) {
        self.caller = Some(caller);
        self.rate_key = Some(rate_key);
    }

    /// Queues a frame; false when the socket is gone.
    pub async fn send(&self, frame: String) -> bool {
        self.outbox.send(frame).await.is_ok()
    }

    fn refusal(message: &str) -> Outcome {
        Outcome::Done(Response::from_errors(vec![ServerError::new(message, None)]))
    }

    /// Runs a document: a query or mutation to completion, or opens a subscription whose
    /// results are pushed as `push` formats them.
    pub async fn run(&mut self, submission: Submission, push: PushFormat) -> Outcome {
        let Some(caller) = self.caller.clone() else {
            return Self::refusal(crate::auth::UNAUTHORIZED);
        };
        if submission.query.len() > self.state.0.config.max_document_bytes {
            return Self::refusal("The document is too large.");
        }
        let key = self
            .rate_key
            .clone()
            .unwrap_or_else(|| format!("app:{}", caller.grant.app_id));
        if let Err(limited) = self.state.0.limits.check(&key).await {
            return Self::refusal(&limited.message());
        }
        let prepared = match execute::prepare(&self.state, submission, caller, self.ip) {
            Ok(prepared) => prepared,
            Err(response) => return Outcome::Done(*response),
        };
        if prepared.kind != OperationType::Subscription {
            return Outcome::Done(execute::run(&self.state, self.api, prepared).await);
        }
        let cap = self.state.0.config.max_subscriptions_per_socket;
        if self.subscriptions.len() >= cap {
            return Self::refusal(&format!(
                "This socket already has {cap} subscriptions; unsubscribe from one first."
            ));
        }
        let started = Instant::now();
        let label = prepared.label;
        let id = subscription_id(prepared.fingerprint.as_deref().unwrap_or_default());
        let mut results = prepared
            .tasks
            .drive(self.state.schema(self.api).execute_stream(prepared.request));
        // The first poll validates the document and opens the subscription's bus receiver, so
        // nothing published after the reply is missed.
        let first = futures::poll!(results.next());
        if let Poll::Ready(first) = first {
            let response = first.unwrap_or_default();
            execute::record(&self.state, self.api, label, &response, started);
            return Outcome::Done(response);
        }
        execute::record(&self.state, self.api, label, &Response::default(), started);
        let outbox = self.outbox.clone();
        let push_id = id.clone();
        let task = tokio::spawn(async move {
            while let Some(response) = results.next().await {
                if outbox.send(push(&push_id, &response)).await.is_err() {
                    return;
                }
            }
        });
        self.subscriptions.insert(id.clone(), task.abort_handle());
        metrics::gauge!("api_subscriptions_open").increment(1.0);
        Outcome::Subscribed(id)
    }

    /// Ends a subscription; false when there was none with that id.
    pub fn unsubscribe(&mut self, id: &str) -> bool {
        match self.subscriptions.remove(id) {
            Some(task) => {
                task.abort();
                metrics::gauge!("api_subscriptions_open").decrement(1.0);
                true
            }
            None => false,
        }
    }

    /// Ends every subscription (the socket is closing).
    pub fn close(&mut self) {
        let ids: Vec<String> = self.subscriptions.keys().cloned().collect();
        for id in ids {
            self.unsubscribe(&id);
        }
    }
}

/// Absinthe's subscription id shape, `__absinthe__:doc:<unique>:<SHA-256 of the document and
/// variables>`, which clients match pushes on.
fn subscription_id(fingerprint: &str) -> String {
    let digest = Sha256::digest(fingerprint.as_bytes());
    format!(
        "__absinthe__:doc:{}:{}",
        SUBSCRIPTION_COUNTER.fetch_add(1, Ordering::Relaxed),
        hex::encode_upper(digest)
    )
}
