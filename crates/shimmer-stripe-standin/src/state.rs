//! What the stand-in remembers: every object it made, and every event it sent.

use std::collections::HashMap;

use serde_json::Value;

/// A month, as the stand-in bills it.
pub const PERIOD_SECS: i64 = 30 * 24 * 3600;

#[derive(Debug, Clone)]
pub struct Customer {
    pub email: String,
    pub metadata: HashMap<String, String>,
    pub created: i64,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub mode: String,
    pub customer: String,
    pub item_name: String,
    pub amount: i64,
    pub currency: String,
    pub recurring: bool,
    pub metadata: HashMap<String, String>,
    /// `subscription_data[metadata]` or `payment_intent_data[metadata]`.
    pub object_metadata: HashMap<String, String>,
    pub success_url: String,
    pub cancel_url: String,
    /// open, complete or expired.
    pub status: String,
    pub subscription: Option<String>,
    pub created: i64,
}

#[derive(Debug, Clone)]
pub struct Subscription {
    pub customer: String,
    pub amount: i64,
    pub currency: String,
    pub metadata: HashMap<String, String>,
    /// Stripe's status: active, past_due, canceled.
    pub status: String,
    pub cancel_at_period_end: bool,
    pub period_start: i64,
    pub period_end: i64,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub email: String,
    pub metadata: HashMap<String, String>,
    pub onboarded: bool,
    pub created: i64,
}

#[derive(Debug, Clone)]
pub struct Transfer {
    pub amount: i64,
    pub currency: String,
    pub destination: String,
    pub metadata: HashMap<String, String>,
    pub created: i64,
}

/// An event as sent, with what the endpoint answered to each attempt.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SentEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub payload: Value,
    /// HTTP statuses of the delivery attempts (0: not reachable).
    pub deliveries: Vec<u16>,
}

#[derive(Debug, Default)]
pub struct Objects {
    next_id: u64,
    pub customers: HashMap<String, Customer>,
    pub sessions: HashMap<String, Session>,
    pub subscriptions: HashMap<String, Subscription>,
    pub accounts: HashMap<String, Account>,
    pub transfers: HashMap<String, Transfer>,
    /// Idempotency keys of POSTs and the answer each got, as Stripe replays them.
    pub idempotent: HashMap<String, Value>,
    pub events: Vec<SentEvent>,
    pub webhook_url: Option<String>,
}

impl Objects {
    /// A new id with Stripe's prefix for the kind of object (`cus`, `cs`, `sub`, ...).
    pub fn id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        format!("{prefix}_standin{:06}", self.next_id)
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}
