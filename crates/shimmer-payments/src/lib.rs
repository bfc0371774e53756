//! Money plumbing between Shimmer's domain and Stripe: the Stripe client that implements the
//! platform's `PaymentProcessor` ([`client`]), the webhook endpoint that checks each delivery's
//! signature and stores it ([`webhook`], [`signature`]), and the worker that reads stored
//! events into the platform's facts and applies them ([`worker`], [`facts`]). The rules
//! (eligibility, the ledger, subscription state) live in `shimmer_platform::payments`.

pub mod client;
pub mod facts;
pub mod signature;
pub mod webhook;
pub mod worker;

pub use client::{hosted_page_origins, StripeProcessor, STRIPE_API_BASE};
