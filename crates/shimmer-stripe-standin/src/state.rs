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
    /// The payment intent a paid one-off checkout charged.
    pub payment_intent: Option<String>,
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

/// A card payment: its payment intent `pi_<n>`, charge `ch_<n>` and balance transaction
/// `txn_<n>` share one number.
#[derive(Debug, Clone)]
pub struct Charge {
    pub amount: i64,
    pub currency: String,
    pub fee: i64,
    pub created: i64,
}

#[derive(Debug, Clone)]
pub struct Transfer {
    pub amount: i64,
    /// What was taken back of it.
    pub amount_reversed: i64,
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

#[derive(Debug)]
pub struct Objects {
    next_id: u64,
    pub customers: HashMap<String, Customer>,
    pub sessions: HashMap<String, Session>,
    pub subscriptions: HashMap<String, Subscription>,
    pub accounts: HashMap<String, Account>,
    pub transfers: HashMap<String, Transfer>,
    /// Card payments by their number (the part after `pi_`).
    pub charges: HashMap<String, Charge>,
    /// The payment intent that paid each invoice.
    pub invoice_payments: HashMap<String, String>,
    /// The card fee charged on each payment: hundredths of a percent and a fixed part.
    pub fee_percent_bp: i64,
    pub fee_fixed_cents: i64,
    /// Idempotency keys of POSTs and the answer each got, as Stripe replays them.
    pub idempotent: HashMap<String, Value>,
    pub events: Vec<SentEvent>,
    pub webhook_url: Option<String>,
}

impl Default for Objects {
    fn default() -> Self {
        Self {
            next_id: 0,
            customers: HashMap::new(),
            sessions: HashMap::new(),
            subscriptions: HashMap::new(),
            accounts: HashMap::new(),
            transfers: HashMap::new(),
            charges: HashMap::new(),
            invoice_payments: HashMap::new(),
            // Stripe's standard card pricing in the United States: 2.9 % + 30 cents.
            fee_percent_bp: 290,
            fee_fixed_cents: 30,
            idempotent: HashMap::new(),
            events: Vec::new(),
            webhook_url: None,
        }
    }
}

impl Objects {
    /// Charges a card for an invoice, recording which payment intent paid it.
    pub fn pay_invoice(&mut self, invoice_id: &str, amount: i64, currency: &str) {
        let intent = self.charge(amount, currency);
        self.invoice_payments.insert(invoice_id.to_owned(), intent);
    }

    /// Charges a card `amount`, returning the payment intent's id.
    pub fn charge(&mut self, amount: i64, currency: &str) -> String {
        let id = self.id("pi");
        let number = id.trim_start_matches("pi_").to_owned();
        let fee =
            ((amount * self.fee_percent_bp + 5_000) / 10_000 + self.fee_fixed_cents).min(amount);
        self.charges.insert(
            number,
            Charge {
                amount,
                currency: currency.to_owned(),
                fee,
                created: now(),
            },
        );
        id
    }

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
