//! The platform's [`PaymentProcessor`] over Stripe's API with the `async-stripe` client, pointed
//! at `api_base` (Stripe itself, or the stand-in in development and tests).
//!
//! Payouts use Stripe Connect **Express** accounts made through the v1 Accounts API: Stripe
//! hosts onboarding and the streamer's dashboard, and the platform sends each streamer one
//! transfer per payday. Stripe now recommends its Accounts v2 API for new platforms; the
//! client library's generated API covers v1 accounts and account links, which Stripe keeps
//! supporting, so v1 Express is used until the library generates v2.

use std::time::Duration;

use shimmer_platform::payments::{
    CheckoutMode, CheckoutRequest, FeeSource, PaymentProcessor, ProcessorError, TransferRequest,
};
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_billing::billing_portal_session::CreateBillingPortalSession;
use stripe_billing::invoice_payment::ListInvoicePayment;
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    CreateCheckoutSessionLineItemsPriceDataRecurring,
    CreateCheckoutSessionLineItemsPriceDataRecurringInterval,
    CreateCheckoutSessionPaymentIntentData, CreateCheckoutSessionSubscriptionData, ProductData,
    RetrieveCheckoutSession,
};
use stripe_checkout::CheckoutSessionMode;
use stripe_connect::account::{
    CreateAccount, CreateAccountCapabilities, CreateAccountCapabilitiesTransfers, CreateAccountType,
};
use stripe_connect::account_link::{CreateAccountLink, CreateAccountLinkType};
use stripe_connect::transfer::CreateTransfer;
use stripe_core::customer::CreateCustomer;
use stripe_core::payment_intent::RetrievePaymentIntent;
use stripe_shared::PaymentIntent;
use stripe_types::Expandable;

/// Each request's deadline; the client retries nothing on its own.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Stripe's production API.
pub const STRIPE_API_BASE: &str = "https://api.stripe.com";

/// The origins of the hosted pages buyers and streamers are sent to: Stripe's checkout,
/// billing portal and Connect onboarding, or the API base's own origin for a stand-in.
pub fn hosted_page_origins(api_base: &str) -> Vec<String> {
    if api_base.trim_end_matches('/') == STRIPE_API_BASE {
        ["checkout", "billing", "connect"]
            .iter()
            .map(|host| format!("https://{host}.stripe.com"))
            .collect()
    } else {
        vec![api_base.trim_end_matches('/').to_owned()]
    }
}

/// A Stripe client for the platform.
pub struct StripeProcessor {
    client: Client,
}

impl StripeProcessor {
    /// A client with the platform's secret key, talking to `api_base`.
    pub fn new(secret_key: &str, api_base: &str) -> Result<Self, ProcessorError> {
        let client = ClientBuilder::new(secret_key)
            .url(api_base.trim_end_matches('/'))
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|error| ProcessorError::Unavailable(error.to_string()))?;
        Ok(Self { client })
    }
}

fn processor_error(error: StripeError) -> ProcessorError {
    match error {
        StripeError::Stripe(api, status) => ProcessorError::Refused(format!(
            "{status}: {}",
            api.message.as_deref().unwrap_or("no message")
        )),
        other => ProcessorError::Unavailable(other.to_string()),
    }
}

/// The fee of a payment intent's charge, when its charge and balance transaction were
/// expanded and exist.
fn fee_of_intent(intent: &PaymentIntent) -> Option<i64> {
    let charge = intent.latest_charge.as_ref()?.as_object()?;
    Some(charge.balance_transaction.as_ref()?.as_object()?.fee)
}

/// Expands a payment intent down to its charge's balance transaction (three levels; Stripe
/// allows four).
const FEE_PATH: &str = "latest_charge.balance_transaction";

fn metadata_map(pairs: &[(String, String)]) -> std::collections::HashMap<String, String> {
    pairs.iter().cloned().collect()
}

#[async_trait::async_trait]
impl PaymentProcessor for StripeProcessor {
    async fn create_customer(&self, email: &str, user_id: i64) -> Result<String, ProcessorError> {
        let customer = CreateCustomer::new()
            .email(email)
            .metadata(metadata_map(&[(
                "shimmer_user_id".into(),
                user_id.to_string(),
            )]))
            .send(&self.client)
            .await
            .map_err(processor_error)?;
        Ok(customer.id.to_string())
    }

    async fn create_checkout(&self, request: &CheckoutRequest) -> Result<String, ProcessorError> {
        let mut price = CreateCheckoutSessionLineItemsPriceData::new(
            request
                .currency
                .parse::<stripe_types::Currency>()
                .unwrap_or(stripe_types::Currency::USD),
        );
        price.unit_amount = Some(request.amount_cents);
        price.product_data = Some(ProductData::new(request.item_name.clone()));
        let metadata = metadata_map(&request.metadata);
        let mut session = CreateCheckoutSession::new()
            .customer(request.customer_id.clone())
            .success_url(request.success_url.clone())
            .cancel_url(request.cancel_url.clone())
            .metadata(metadata.clone());
        match request.mode {
            CheckoutMode::Subscription => {
                price.recurring = Some(CreateCheckoutSessionLineItemsPriceDataRecurring::new(
                    CreateCheckoutSessionLineItemsPriceDataRecurringInterval::Month,
                ));
                let mut subscription = CreateCheckoutSessionSubscriptionData::new();
                subscription.metadata = Some(metadata);
                session = session
                    .mode(CheckoutSessionMode::Subscription)
                    .subscription_data(subscription);
            }
            CheckoutMode::Payment => {
                let mut payment = CreateCheckoutSessionPaymentIntentData::new();
                payment.metadata = Some(metadata);
                session = session
                    .mode(CheckoutSessionMode::Payment)
                    .payment_intent_data(payment);
            }
        }
        let mut item = CreateCheckoutSessionLineItems::new();
        item.price_data = Some(price);
        item.quantity = Some(1);
        let created = session
            .line_items(vec![item])
            .send(&self.client)
            .await
            .map_err(processor_error)?;
        created.url.ok_or_else(|| {
            ProcessorError::Unavailable("the checkout came back without a URL".into())
        })
    }

    async fn create_portal(
        &self,
        customer_id: &str,
        return_url: &str,
    ) -> Result<String, ProcessorError> {
        let portal = CreateBillingPortalSession::new()
            .customer(customer_id)
            .return_url(return_url)
            .send(&self.client)
            .await
            .map_err(processor_error)?;
        Ok(portal.url)
    }

    async fn create_payout_account(
        &self,
        email: &str,
        user_id: i64,
    ) -> Result<String, ProcessorError> {
        let mut transfers = CreateAccountCapabilitiesTransfers::new();
        transfers.requested = Some(true);
        let mut capabilities = CreateAccountCapabilities::new();
        capabilities.transfers = Some(transfers);
        let account = CreateAccount::new()
            .type_(CreateAccountType::Express)
            .email(email)
            .capabilities(capabilities)
            .metadata(metadata_map(&[(
                "shimmer_user_id".into(),
                user_id.to_string(),
            )]))
            .send(&self.client)
            .await
            .map_err(processor_error)?;
        Ok(account.id.to_string())
    }

    async fn create_onboarding_link(
        &self,
        account_id: &str,
        refresh_url: &str,
        return_url: &str,
    ) -> Result<String, ProcessorError> {
        let link = CreateAccountLink::new(account_id, CreateAccountLinkType::AccountOnboarding)
            .refresh_url(refresh_url)
            .return_url(return_url)
            .send(&self.client)
            .await
            .map_err(processor_error)?;
        Ok(link.url)
    }

    async fn create_transfer(&self, transfer: &TransferRequest) -> Result<String, ProcessorError> {
        let key = IdempotencyKey::new(&transfer.idempotency_key)
            .map_err(|error| ProcessorError::Refused(error.to_string()))?;
        let created = CreateTransfer::new(
            transfer
                .currency
                .parse::<stripe_types::Currency>()
                .unwrap_or(stripe_types::Currency::USD),
            transfer.account_id.clone(),
        )
        .amount(transfer.amount_cents)
        .description(transfer.description.clone())
        .metadata(metadata_map(&transfer.metadata))
        .customize()
        .request_strategy(RequestStrategy::Idempotent(key))
        .send(&self.client)
        .await
        .map_err(processor_error)?;
        Ok(created.id.to_string())
    }

    async fn settled_fee(&self, source: FeeSource<'_>) -> Result<Option<i64>, ProcessorError> {
        let intent = match source {
            FeeSource::Checkout(session) => {
                let session = RetrieveCheckoutSession::new(session)
                    .expand(vec![format!("payment_intent.{FEE_PATH}")])
                    .send(&self.client)
                    .await
                    .map_err(processor_error)?;
                match session.payment_intent {
                    Some(Expandable::Object(intent)) => *intent,
                    _ => return Ok(None),
                }
            }
            FeeSource::Invoice(invoice) => {
                let payments = ListInvoicePayment::new()
                    .invoice(invoice)
                    .send(&self.client)
                    .await
                    .map_err(processor_error)?;
                let Some(intent_id) = payments
                    .data
                    .iter()
                    .filter(|payment| payment.status == "paid")
                    .find_map(|payment| payment.payment.payment_intent.as_ref())
                    .map(|intent| intent.id().clone())
                else {
                    return Ok(None);
                };
                RetrievePaymentIntent::new(intent_id)
                    .expand(vec![FEE_PATH.to_owned()])
                    .send(&self.client)
                    .await
                    .map_err(processor_error)?
            }
        };
        Ok(fee_of_intent(&intent))
    }
}
