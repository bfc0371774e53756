//! Money: platform and channel subscriptions, donations, the payables ledger and streamers'
//! payout accounts.
//!
//! The rules live here; the payment processor (Stripe) is reached through
//! [`PaymentProcessor`], which the `shimmer-payments` crate implements with a Stripe client.
//! Money moves in two steps: a viewer pays the platform through a hosted checkout; the
//! processor's events (webhooks, stored and queued by `shimmer-payments`) are read into
//! [`PaymentFact`]s and applied by [`Platform::apply_payment_fact`], which keeps subscription
//! state and writes each payment with its payable (what it owes the streamer, split by
//! [`ledger::split`]). Amounts are integer cents throughout.
//!
//! Everything is off unless the operator turns it on (`[payments] enabled = true`, with
//! Stripe keys): without it no page shows a money feature and every call here answers
//! [`PaymentsError::Disabled`].

mod buying;
mod config;
mod facts;
pub mod ledger;
mod payday;
mod payouts;
mod queue;
mod reconcile;

use std::sync::Arc;

pub use buying::{format_money, CheckoutKind, SubscriptionRecord, SubscriptionView, SupportOffer};
pub use config::{CutChange, PaymentsConfig, Prices};
pub use facts::{FactOutcome, PaymentFact, SubscriptionState};
pub use payday::{PaydayView, PayoutLineView};
pub use payouts::{
    BankPayoutView, Earnings, PayableView, PayoutStatus, PayoutSupport, TransferView,
};
pub use queue::{EventView, QueuedEvent};
pub use reconcile::{FeeSource, MAX_FEE_CHECKS};

/// A platform subscription, shown as a mark beside the holder's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformTier {
    Supporter,
    Founder,
}

impl PlatformTier {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supporter => "supporter",
            Self::Founder => "founder",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "supporter" => Some(Self::Supporter),
            "founder" => Some(Self::Founder),
            _ => None,
        }
    }
}

/// Why the processor could not do what was asked; the message is for logs, not for people.
#[derive(Debug, thiserror::Error)]
pub enum ProcessorError {
    /// The processor refused the request (its error message).
    #[error("the payment processor refused: {0}")]
    Refused(String),
    /// The processor could not be reached or answered nonsense.
    #[error("the payment processor is unavailable: {0}")]
    Unavailable(String),
}

/// Whether a hosted checkout takes a recurring payment or a single one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckoutMode {
    Subscription,
    Payment,
}

/// A hosted checkout to open: one line, priced inline.
#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    pub customer_id: String,
    pub mode: CheckoutMode,
    pub item_name: String,
    pub amount_cents: i64,
    pub currency: String,
    /// Carried on the checkout, and for subscriptions on the subscription and its invoices,
    /// so that each event names the account and channel it belongs to.
    pub metadata: Vec<(String, String)>,
    pub success_url: String,
    pub cancel_url: String,
}

/// The payment processor's operations the platform uses. Implemented over Stripe's API by
/// `shimmer-payments`; every call has a deadline there.
#[async_trait::async_trait]
pub trait PaymentProcessor: Send + Sync + 'static {
    /// Makes a customer for an account, returning its id.
    async fn create_customer(&self, email: &str, user_id: i64) -> Result<String, ProcessorError>;
    /// Opens a hosted checkout, returning the URL to send the buyer to.
    async fn create_checkout(&self, request: &CheckoutRequest) -> Result<String, ProcessorError>;
    /// Opens the customer portal (change card, cancel), returning its URL.
    async fn create_portal(
        &self,
        customer_id: &str,
        return_url: &str,
    ) -> Result<String, ProcessorError>;
    /// Makes a connected account for a streamer's payouts, returning its id.
    async fn create_payout_account(
        &self,
        email: &str,
        user_id: i64,
    ) -> Result<String, ProcessorError>;
    /// A single-use link to the processor's onboarding for a connected account.
    async fn create_onboarding_link(
        &self,
        account_id: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> Result<String, ProcessorError>;
    /// Moves `amount_cents` from the platform's balance to a connected account, returning the
    /// transfer's id. The processor runs a request with an `idempotency_key` it has seen
    /// before only once and answers it the same again, so a retry never pays twice.
    async fn create_transfer(&self, transfer: &TransferRequest) -> Result<String, ProcessorError>;
    /// The processor's own fee on a payment, from its charge's balance transaction; None
    /// while the processor has not settled it yet.
    async fn settled_fee(&self, source: FeeSource<'_>) -> Result<Option<i64>, ProcessorError>;
}

/// One payday transfer.
#[derive(Debug, Clone)]
pub struct TransferRequest {
    pub account_id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub description: String,
    pub idempotency_key: String,
    pub metadata: Vec<(String, String)>,
}

/// Why a money operation was refused; the message is worded for the person who asked.
#[derive(Debug, thiserror::Error)]
pub enum PaymentsError {
    #[error("Payments are not enabled on this site.")]
    Disabled,
    #[error("{0}")]
    Refused(String),
    #[error("The payment provider is not answering right now. Nothing was charged; try again in a minute.")]
    Processor(#[from] ProcessorError),
    #[error(transparent)]
    Platform(#[from] crate::PlatformError),
}

impl From<shimmer_store::StoreError> for PaymentsError {
    fn from(error: shimmer_store::StoreError) -> Self {
        Self::Platform(error.into())
    }
}

/// The payments part of the platform: its settings and the processor.
pub(crate) struct Payments {
    pub config: PaymentsConfig,
    pub processor: Arc<dyn PaymentProcessor>,
}

impl crate::Platform {
    /// The same platform with money features on, over this processor.
    pub fn with_payments(
        mut self,
        config: PaymentsConfig,
        processor: Arc<dyn PaymentProcessor>,
    ) -> Self {
        self.payments = Some(Arc::new(Payments { config, processor }));
        self
    }

    /// The payment settings, when payments are on.
    pub fn payments_config(&self) -> Option<&PaymentsConfig> {
        self.payments.as_deref().map(|payments| &payments.config)
    }

    pub(crate) fn payments(&self) -> Result<&Payments, PaymentsError> {
        self.payments.as_deref().ok_or(PaymentsError::Disabled)
    }
}
