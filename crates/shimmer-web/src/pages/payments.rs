//! Money pages: subscribing to and donating to a channel (each a hosted checkout), the
//! account's subscriptions and billing, the streamer's payouts and earnings, and the staff
//! view of the payment event queue. Every page answers 404 while payments are off.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shimmer_platform::payments::{
    BankPayoutView, CheckoutKind, EventView, PayableView, PaymentsError, PayoutStatus,
    PlatformTier, SubscriptionView,
};

use super::{render, require_user};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::ParsedForm;
use crate::middleware::security_headers::allow_form_action;
use crate::templates::{format_time, PageContext};
use crate::AppState;

impl From<PaymentsError> for WebError {
    fn from(error: PaymentsError) -> Self {
        match error {
            PaymentsError::Disabled => WebError::NotFound,
            PaymentsError::Refused(message) => WebError::Status(StatusCode::CONFLICT, message),
            PaymentsError::Processor(processor) => {
                tracing::warn!(%processor, "the payment processor failed a request");
                WebError::Status(
                    StatusCode::SERVICE_UNAVAILABLE,
                    PaymentsError::Processor(processor).to_string(),
                )
            }
            PaymentsError::Platform(error) => WebError::Platform(error),
        }
    }
}

/// Sends the buyer to the processor's hosted page (303, so the browser follows with GET).
fn to_processor(url: String) -> Response {
    Redirect::to(&url).into_response()
}

pub async fn subscribe(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state
        .platform
        .channel_by_username(&username)
        .await?
        .ok_or(WebError::NotFound)?;
    let url = state
        .platform
        .start_checkout(user, Some(&channel), CheckoutKind::Channel)
        .await?;
    Ok(to_processor(url))
}

#[derive(Debug, Deserialize)]
pub struct DonationForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    message: String,
}

/// Reads "5", "5.5" or "5.00" (with an optional leading `$`) as cents.
fn parse_amount(text: &str) -> Option<i64> {
    let text = text.trim().trim_start_matches('$').trim();
    // A decimal comma (5,50) as most of the site's languages write it.
    let (whole, fraction) = text
        .split_once('.')
        .or_else(|| text.split_once(','))
        .unwrap_or((text, ""));
    if whole.is_empty() || whole.len() > 7 || fraction.len() > 2 {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents = format!("{fraction:0<2}");
    Some(whole.parse::<i64>().ok()? * 100 + cents.parse::<i64>().ok()?)
}

pub async fn donate(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<DonationForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state
        .platform
        .channel_by_username(&username)
        .await?
        .ok_or(WebError::NotFound)?;
    let Some(amount_cents) = parse_amount(&form.amount) else {
        return Err(WebError::bad_request("payments-error-amount"));
    };
    let url = state
        .platform
        .start_checkout(
            user,
            Some(&channel),
            CheckoutKind::Donation {
                amount_cents,
                message: form.message,
            },
        )
        .await?;
    Ok(to_processor(url))
}

#[derive(Debug, Deserialize)]
pub struct GiftForm {
    #[serde(default)]
    recipient: String,
}

pub async fn gift(
    State(state): State<AppState>,
    context: RequestContext,
    Path(username): Path<String>,
    ParsedForm(form): ParsedForm<GiftForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state
        .platform
        .channel_by_username(&username)
        .await?
        .ok_or(WebError::NotFound)?;
    let name = form.recipient.trim().trim_start_matches('@');
    if name.is_empty() || name.len() > 64 {
        return Err(WebError::bad_request("payments-error-recipient"));
    }
    let recipient = state
        .platform
        .user_by_username(name)
        .await?
        .ok_or_else(|| {
            WebError::bad_request(
                context.message("payments-error-no-such-recipient", &[("name", name.into())]),
            )
        })?;
    let url = state
        .platform
        .start_checkout(user, Some(&channel), CheckoutKind::Gift { recipient })
        .await?;
    Ok(to_processor(url))
}

/// A form of one checkbox named `enabled`.
#[derive(Debug, Deserialize)]
pub struct ToggleForm {
    #[serde(default)]
    enabled: Option<String>,
}

impl ToggleForm {
    pub(crate) fn is_on(&self) -> bool {
        self.enabled.as_deref() == Some("on")
    }
}

pub async fn set_gifts(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<ToggleForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    state.platform.set_accepts_gifts(user, form.is_on()).await?;
    Ok(Redirect::to("/users/settings/subscriptions?notice=gifts_saved").into_response())
}

#[derive(Template)]
#[template(path = "settings/subscriptions.html")]
struct SubscriptionsPage {
    page: PageContext,
    section: &'static str,
    subscriptions: Vec<(SubscriptionView, String)>,
    has_platform: bool,
    supporter_price: String,
    founder_price: String,
    checkout_done: bool,
    accepts_gifts: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct CheckoutQuery {
    #[serde(default)]
    checkout: Option<String>,
}

pub async fn subscriptions_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<CheckoutQuery>,
    Query(notice): Query<super::NoticeQuery>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let config = state
        .platform
        .payments_config()
        .ok_or(WebError::NotFound)?
        .clone();
    let subscriptions = state.platform.subscriptions_of(user).await?;
    let money = |cents| shimmer_platform::payments::format_money(cents, &config.currency);
    let mut response = render(
        StatusCode::OK,
        &SubscriptionsPage {
            page: PageContext::new("title-subscriptions", &context, state.config.dev_mode)
                .with_notice(notice.message()),
            accepts_gifts: state.platform.accepts_gifts(user).await?,
            section: "subscriptions",
            has_platform: subscriptions
                .iter()
                .any(|sub| sub.channel_username.is_none()),
            subscriptions: subscriptions
                .into_iter()
                .map(|sub| {
                    let until = format_time(context.locale, sub.period_end);
                    (sub, until)
                })
                .collect(),
            supporter_price: money(config.prices.supporter_cents),
            founder_price: money(config.prices.founder_cents),
            checkout_done: query.checkout.as_deref() == Some("done"),
        },
    );
    allow_form_action(&mut response, &state.config.payment_page_origins);
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct TierForm {
    #[serde(default)]
    tier: String,
}

pub async fn subscribe_platform(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<TierForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let tier = PlatformTier::parse(&form.tier)
        .ok_or_else(|| WebError::bad_request("payments-error-tier"))?;
    let url = state
        .platform
        .start_checkout(user, None, CheckoutKind::Platform(tier))
        .await?;
    Ok(to_processor(url))
}

pub async fn billing_portal(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    Ok(to_processor(state.platform.billing_portal(user).await?))
}

#[derive(Template)]
#[template(path = "settings/payouts.html")]
struct PayoutsPage {
    page: PageContext,
    section: &'static str,
    status: &'static str,
    ready: bool,
    started: bool,
    pending: String,
    paid_out: String,
    reversed: Option<String>,
    /// The latest bank payout with its date, formatted.
    bank_payout: Option<(BankPayoutView, String)>,
    recent: Vec<(PayableView, String)>,
    button_shown: bool,
}

pub async fn payouts_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<super::NoticeQuery>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let earnings = state.platform.earnings(user).await?;
    let button_shown = state.platform.shows_subscribe_button(user).await?;
    let status = match earnings.status {
        PayoutStatus::NotStarted => "payments-status-not-started",
        PayoutStatus::Pending => "payments-status-pending",
        PayoutStatus::Ready => "payments-status-ready",
    };
    let mut response = render(
        StatusCode::OK,
        &PayoutsPage {
            page: PageContext::new("title-payouts", &context, state.config.dev_mode)
                .with_notice(notice.message()),
            button_shown,
            section: "payouts",
            status,
            ready: earnings.status == PayoutStatus::Ready,
            started: earnings.status != PayoutStatus::NotStarted,
            pending: earnings.pending,
            paid_out: earnings.paid_out,
            reversed: earnings.reversed,
            bank_payout: earnings.bank_payout.map(|payout| {
                let when = payout
                    .at
                    .map(|at| format_time(context.locale, at))
                    .unwrap_or_default();
                (payout, when)
            }),
            recent: earnings
                .recent
                .into_iter()
                .map(|payable| {
                    let when = format_time(context.locale, payable.created_at);
                    (payable, when)
                })
                .collect(),
        },
    );
    allow_form_action(&mut response, &state.config.payment_page_origins);
    Ok(response)
}

pub async fn set_button(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<ToggleForm>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    state
        .platform
        .set_subscribe_button(user, form.is_on())
        .await?;
    Ok(Redirect::to("/users/settings/payouts?notice=button_saved").into_response())
}

pub async fn start_onboarding(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    Ok(to_processor(
        state.platform.payout_onboarding_link(user).await?,
    ))
}

#[derive(Template)]
#[template(path = "staff/payments.html")]
struct StaffPaymentsPage {
    page: PageContext,
    events: Vec<(EventView, String)>,
    only_failed: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct EventsQuery {
    #[serde(default)]
    status: Option<String>,
}

pub async fn staff_events(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<EventsQuery>,
    Query(notice): Query<super::NoticeQuery>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let only_failed = query.status.as_deref() == Some("failed");
    let events = state
        .platform
        .payment_events(user, only_failed.then_some("failed"))
        .await?;
    Ok(render(
        StatusCode::OK,
        &StaffPaymentsPage {
            page: PageContext::new("title-payment-events", &context, state.config.dev_mode)
                .with_notice(notice.message()),
            events: events
                .into_iter()
                .map(|event| {
                    let when = format_time(context.locale, event.received_at);
                    (event, when)
                })
                .collect(),
            only_failed,
        },
    ))
}

pub async fn replay_event(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    state.platform.replay_payment_event(user, &id).await?;
    Ok(Redirect::to("/staff/payments?notice=event_replayed").into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_amount;

    #[test]
    fn amounts_read_as_people_type_them() {
        assert_eq!(parse_amount("5"), Some(500));
        assert_eq!(parse_amount("$5.5"), Some(550));
        assert_eq!(parse_amount(" 12.34 "), Some(1234));
        assert_eq!(parse_amount("0.99"), Some(99));
        assert_eq!(parse_amount("5,00"), Some(500));
        assert_eq!(parse_amount("7,5"), Some(750));
        for bad in [
            "", "5.123", "-5", "1,000", "1,000.00", "1e3", "abc", ".5", "99999999",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad:?}");
        }
    }
}
