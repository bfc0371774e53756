//! What the payment processor tells the platform, in the platform's words, and how each fact
//! changes subscriptions, the ledger and chat. Applying a fact twice changes nothing the
//! second time: payments are keyed by the processor's object id, subscriptions by theirs.

use std::collections::HashMap;

use shimmer_bus::Event;
use shimmer_store::{NewPayment, SubscriptionUpsert};

use super::buying::format_money;
use super::ledger::{split, FeeBorneBy};
use super::{PaymentsError, PlatformTier};
use crate::Platform;

/// A subscription's state, as kept for the subscriber's benefits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubscriptionState {
    Active,
    /// Cancelled by the subscriber; benefits last until the period's end.
    Canceling,
    /// A renewal payment failed; the processor retries it.
    PastDue,
    Ended,
}

impl SubscriptionState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Canceling => "canceling",
            Self::PastDue => "past_due",
            Self::Ended => "ended",
        }
    }
}

/// One thing the processor reports. `metadata` is what Shimmer attached when it opened the
/// checkout (`shimmer_kind`, `shimmer_user_id`, `shimmer_channel_id`, `shimmer_product`,
/// `shimmer_message`); an object without it is not Shimmer's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentFact {
    /// A one-off checkout (a donation or a gift month) was paid.
    CheckoutPaid {
        checkout_id: String,
        amount_cents: i64,
        currency: String,
        metadata: HashMap<String, String>,
    },
    /// A subscription began or changed state.
    SubscriptionChanged {
        subscription_id: String,
        state: SubscriptionState,
        amount_cents: i64,
        currency: String,
        current_period_end_ms: i64,
        metadata: HashMap<String, String>,
    },
    /// A subscription's invoice was paid (`first` for the invoice that started it).
    InvoicePaid {
        invoice_id: String,
        subscription_id: String,
        amount_cents: i64,
        currency: String,
        period_end_ms: i64,
        first: bool,
        metadata: HashMap<String, String>,
    },
    /// A subscription's renewal payment failed.
    InvoiceFailed { subscription_id: String },
    /// A streamer's connected account changed (onboarding finished, capabilities changed).
    PayoutAccountChanged {
        account_id: String,
        charges_enabled: bool,
        payouts_enabled: bool,
        details_submitted: bool,
    },
    /// A payday transfer exists at the processor. `line_id` is the payday line its metadata
    /// names (`shimmer_payout_line`); a line whose answer was lost is recorded paid by it.
    TransferMade {
        transfer_id: String,
        line_id: Option<i64>,
    },
    /// The processor took back `amount_reversed_cents` of a transfer in all (staff or Stripe
    /// reversed it from the dashboard).
    TransferReversed {
        transfer_id: String,
        amount_reversed_cents: i64,
    },
    /// A connected account paid its owner's bank, or failed to.
    BankPayout {
        account_id: String,
        paid: bool,
        amount_cents: i64,
        currency: String,
        /// When the money was due to arrive (Stripe's `arrival_date`); later payouts arrive
        /// later, so it also orders reports.
        at_ms: i64,
        /// Why it failed, as the processor put it.
        failure: String,
    },
}

/// What applying a fact did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactOutcome {
    Applied,
    /// Applied before (a replayed or duplicated event).
    AlreadyApplied,
    /// It names nothing Shimmer knows (why, for the log).
    UnknownObject(String),
}

/// How long a gift subscription lasts.
const GIFT_MONTH_MS: i64 = 30 * 24 * 3600 * 1000;

/// The Shimmer ids an object's metadata names.
struct Owner {
    user_id: i64,
    product: String,
    channel_id: Option<i64>,
}

fn owner_of(metadata: &HashMap<String, String>) -> Option<Owner> {
    let user_id = metadata.get("shimmer_user_id")?.parse().ok()?;
    let product = metadata.get("shimmer_product").cloned().unwrap_or_default();
    let channel_id = match metadata.get("shimmer_channel_id") {
        Some(id) => Some(id.parse().ok()?),
        None => None,
    };
    Some(Owner {
        user_id,
        product,
        channel_id,
    })
}

impl Platform {
    /// Applies one fact from the processor. Errors are worth retrying (the database or bus
    /// failed); facts about unknown objects are reported, not retried.
    pub async fn apply_payment_fact(
        &self,
        fact: PaymentFact,
    ) -> Result<FactOutcome, PaymentsError> {
        let payments = self.payments()?;
        let config = &payments.config;
        match fact {
            PaymentFact::CheckoutPaid {
                checkout_id,
                amount_cents,
                currency,
                metadata,
            } => {
                match metadata.get("shimmer_kind").map(String::as_str) {
                    Some("donation") => {}
                    Some("gift_subscription") => {
                        return self
                            .apply_gift(&checkout_id, amount_cents, &currency, &metadata)
                            .await
                    }
                    _ => {
                        return Ok(FactOutcome::UnknownObject(format!(
                            "checkout {checkout_id} is not a Shimmer donation or gift"
                        )))
                    }
                }
                let Some(Owner {
                    user_id,
                    channel_id: Some(channel_id),
                    ..
                }) = owner_of(&metadata)
                else {
                    return Ok(FactOutcome::UnknownObject(format!(
                        "checkout {checkout_id} names no account and channel"
                    )));
                };
                let Some(channel) = self.store.channel_by_id(channel_id).await? else {
                    return Ok(FactOutcome::UnknownObject(format!(
                        "checkout {checkout_id}: channel {channel_id} is gone"
                    )));
                };
                let fee = config.fee_for(amount_cents);
                let withholding = self.withholding_of(channel.user_id).await?;
                let message = metadata.get("shimmer_message").cloned().unwrap_or_default();
                let payable = split(
                    channel.user_id,
                    amount_cents,
                    fee,
                    0,
                    withholding,
                    FeeBorneBy::Streamer,
                );
                let recorded = self
                    .store
                    .record_payment(&NewPayment {
                        stripe_object_id: &checkout_id,
                        kind: "donation",
                        payer_id: Some(user_id),
                        channel_id: Some(channel_id),
                        subscription_id: None,
                        gross_cents: amount_cents,
                        fee_cents: fee,
                        currency: &currency,
                        message: &message,
                        payable: Some(payable),
                    })
                    .await?;
                if recorded.is_none() {
                    return Ok(FactOutcome::AlreadyApplied);
                }
                metrics::counter!("shimmer_payments_total", "kind" => "donation").increment(1);
                self.announce_support(
                    channel_id,
                    user_id,
                    "donated",
                    format_money(amount_cents, &currency),
                    message,
                )
                .await;
                Ok(FactOutcome::Applied)
            }
            PaymentFact::SubscriptionChanged {
                subscription_id,
                state,
                amount_cents,
                currency,
                current_period_end_ms,
                metadata,
            } => {
                let Some(owner) = owner_of(&metadata) else {
                    return Ok(FactOutcome::UnknownObject(format!(
                        "subscription {subscription_id} names no account"
                    )));
                };
                self.keep_subscription(
                    &subscription_id,
                    &owner,
                    state,
                    amount_cents,
                    &currency,
                    current_period_end_ms,
                )
                .await
            }
            PaymentFact::InvoicePaid {
                invoice_id,
                subscription_id,
                amount_cents,
                currency,
                period_end_ms,
                first,
                metadata,
            } => {
                let Some(owner) = owner_of(&metadata) else {
                    return Ok(FactOutcome::UnknownObject(format!(
                        "invoice {invoice_id} names no account"
                    )));
                };
                let subscription = self
                    .keep_subscription(
                        &subscription_id,
                        &owner,
                        SubscriptionState::Active,
                        amount_cents,
                        &currency,
                        period_end_ms,
                    )
                    .await?;
                if let FactOutcome::UnknownObject(why) = subscription {
                    return Ok(FactOutcome::UnknownObject(why));
                }
                let stored = self
                    .store
                    .subscription_by_stripe_id(&subscription_id)
                    .await?;
                let fee = config.fee_for(amount_cents);
                let (kind, payable) = match owner.channel_id {
                    Some(channel_id) => {
                        let Some(channel) = self.store.channel_by_id(channel_id).await? else {
                            return Ok(FactOutcome::UnknownObject(format!(
                                "invoice {invoice_id}: channel {channel_id} is gone"
                            )));
                        };
                        let withholding = self.withholding_of(channel.user_id).await?;
                        let cut = config.cut_at(crate::now_ms());
                        (
                            "channel_subscription",
                            Some(split(
                                channel.user_id,
                                amount_cents,
                                fee,
                                cut,
                                withholding,
                                FeeBorneBy::Platform,
                            )),
                        )
                    }
                    None => ("platform_subscription", None),
                };
                let recorded = self
                    .store
                    .record_payment(&NewPayment {
                        stripe_object_id: &invoice_id,
                        kind,
                        payer_id: Some(owner.user_id),
                        channel_id: owner.channel_id,
                        subscription_id: stored.map(|sub| sub.id),
                        gross_cents: amount_cents,
                        fee_cents: fee,
                        currency: &currency,
                        message: "",
                        payable,
                    })
                    .await?;
                if recorded.is_none() {
                    return Ok(FactOutcome::AlreadyApplied);
                }
                metrics::counter!("shimmer_payments_total", "kind" => kind).increment(1);
                if let (true, Some(channel_id)) = (first, owner.channel_id) {
                    self.announce_support(
                        channel_id,
                        owner.user_id,
                        "subscribed",
                        format_money(amount_cents, &currency),
                        String::new(),
                    )
                    .await;
                }
                Ok(FactOutcome::Applied)
            }
            PaymentFact::InvoiceFailed { subscription_id } => {
                let Some(existing) = self
                    .store
                    .subscription_by_stripe_id(&subscription_id)
                    .await?
                else {
                    return Ok(FactOutcome::UnknownObject(format!(
                        "subscription {subscription_id} is not known"
                    )));
                };
                let owner = Owner {
                    user_id: existing.user_id,
                    product: existing.product.clone(),
                    channel_id: existing.channel_id,
                };
                self.keep_subscription(
                    &subscription_id,
                    &owner,
                    SubscriptionState::PastDue,
                    existing.amount_cents,
                    &existing.currency,
                    existing.current_period_end,
                )
                .await
            }
            PaymentFact::PayoutAccountChanged {
                account_id,
                charges_enabled,
                payouts_enabled,
                details_submitted,
            } => {
                match self
                    .store
                    .update_payout_account(
                        &account_id,
                        charges_enabled,
                        payouts_enabled,
                        details_submitted,
                    )
                    .await?
                {
                    Some(user_id) => {
                        tracing::info!(user_id, payouts_enabled, "payout account updated");
                        Ok(FactOutcome::Applied)
                    }
                    None => Ok(FactOutcome::UnknownObject(format!(
                        "connected account {account_id} is not known"
                    ))),
                }
            }
            PaymentFact::TransferMade {
                transfer_id,
                line_id,
            } => self.confirm_transfer(&transfer_id, line_id).await,
            PaymentFact::TransferReversed {
                transfer_id,
                amount_reversed_cents,
            } => {
                match self
                    .store
                    .transfer_reversed(&transfer_id, amount_reversed_cents)
                    .await?
                {
                    Some(streamer_id) => {
                        tracing::warn!(
                            streamer_id,
                            %transfer_id,
                            amount_reversed_cents,
                            "a payout transfer was reversed"
                        );
                        Ok(FactOutcome::Applied)
                    }
                    None => Ok(FactOutcome::UnknownObject(format!(
                        "transfer {transfer_id} paid no payday line"
                    ))),
                }
            }
            PaymentFact::BankPayout {
                account_id,
                paid,
                amount_cents,
                currency,
                at_ms,
                failure,
            } => {
                self.keep_bank_payout(&account_id, paid, amount_cents, &currency, at_ms, &failure)
                    .await
            }
        }
    }

    /// A paid gift: a payment (split like a subscription's) and one month of the channel for
    /// the recipient that does not renew.
    async fn apply_gift(
        &self,
        checkout_id: &str,
        amount_cents: i64,
        currency: &str,
        metadata: &HashMap<String, String>,
    ) -> Result<FactOutcome, PaymentsError> {
        let config = &self.payments()?.config;
        let recipient_id = metadata
            .get("shimmer_recipient_id")
            .and_then(|id| id.parse::<i64>().ok());
        let (
            Some(Owner {
                user_id: gifter_id,
                channel_id: Some(channel_id),
                ..
            }),
            Some(recipient_id),
        ) = (owner_of(metadata), recipient_id)
        else {
            return Ok(FactOutcome::UnknownObject(format!(
                "gift {checkout_id} names no gifter, recipient and channel"
            )));
        };
        let Some(channel) = self.store.channel_by_id(channel_id).await? else {
            return Ok(FactOutcome::UnknownObject(format!(
                "gift {checkout_id}: channel {channel_id} is gone"
            )));
        };
        let Some(recipient) = self.store.user_by_id(recipient_id).await? else {
            return Ok(FactOutcome::UnknownObject(format!(
                "gift {checkout_id}: account {recipient_id} is gone"
            )));
        };
        let fee = config.fee_for(amount_cents);
        let withholding = self.withholding_of(channel.user_id).await?;
        let payable = split(
            channel.user_id,
            amount_cents,
            fee,
            config.cut_at(crate::now_ms()),
            withholding,
            FeeBorneBy::Platform,
        );
        let recorded = self
            .store
            .record_payment(&NewPayment {
                stripe_object_id: checkout_id,
                kind: "gift_subscription",
                payer_id: Some(gifter_id),
                channel_id: Some(channel_id),
                subscription_id: None,
                gross_cents: amount_cents,
                fee_cents: fee,
                currency,
                message: "",
                payable: Some(payable),
            })
            .await?;
        if recorded.is_none() {
            return Ok(FactOutcome::AlreadyApplied);
        }
        let owner = Owner {
            user_id: recipient_id,
            product: "channel".into(),
            channel_id: Some(channel_id),
        };
        self.keep_subscription(
            &format!("gift:{checkout_id}"),
            &owner,
            SubscriptionState::Canceling,
            amount_cents,
            currency,
            crate::now_ms() + GIFT_MONTH_MS,
        )
        .await?;
        metrics::counter!("shimmer_payments_total", "kind" => "gift_subscription").increment(1);
        self.announce_support(
            channel_id,
            gifter_id,
            "gifted",
            format_money(amount_cents, currency),
            recipient.display_name,
        )
        .await;
        Ok(FactOutcome::Applied)
    }

    /// Ends gift months whose 30 days are over, and takes their subscriber badges away.
    pub async fn end_lapsed_gifts(&self) -> Result<usize, PaymentsError> {
        self.payments()?;
        let ended = self.store.end_lapsed_gifts(crate::now_ms()).await?;
        for (user_id, channel_id) in &ended {
            let Some(channel_id) = channel_id else {
                continue;
            };
            let event = Event::SubscriberChanged {
                channel_id: *channel_id,
                user_id: *user_id,
                subscribed: false,
            };
            self.rooms.apply(&event);
            if let Err(error) = self.bus.publish(event).await {
                tracing::warn!(%error, "could not announce the end of a gift");
            }
        }
        Ok(ended.len())
    }

    /// Writes a subscription's state and what follows from it: the holder's platform mark, or
    /// the channel chat's subscriber badge.
    async fn keep_subscription(
        &self,
        subscription_id: &str,
        owner: &Owner,
        state: SubscriptionState,
        amount_cents: i64,
        currency: &str,
        current_period_end_ms: i64,
    ) -> Result<FactOutcome, PaymentsError> {
        let tier = match (owner.channel_id, owner.product.as_str()) {
            (Some(_), _) => None,
            (None, product) => match PlatformTier::parse(product) {
                Some(tier) => Some(tier),
                None => {
                    return Ok(FactOutcome::UnknownObject(format!(
                        "subscription {subscription_id} is for no known product"
                    )))
                }
            },
        };
        if self.store.user_by_id(owner.user_id).await?.is_none() {
            return Ok(FactOutcome::UnknownObject(format!(
                "subscription {subscription_id}: account {} is gone",
                owner.user_id
            )));
        }
        let before = self
            .store
            .subscription_by_stripe_id(subscription_id)
            .await?;
        let product = tier.map_or("channel", PlatformTier::as_str);
        self.store
            .upsert_subscription(&SubscriptionUpsert {
                user_id: owner.user_id,
                product,
                channel_id: owner.channel_id,
                stripe_subscription_id: subscription_id,
                status: state.as_str(),
                amount_cents,
                currency,
                current_period_end: current_period_end_ms,
            })
            .await?;
        let was_live = before.as_ref().is_some_and(|sub| sub.status != "ended");
        let is_live = state != SubscriptionState::Ended;
        if let Some(tier) = tier {
            self.store
                .set_platform_tier(owner.user_id, if is_live { tier.as_str() } else { "" })
                .await?;
        }
        if let (Some(channel_id), true) = (owner.channel_id, was_live != is_live) {
            let event = Event::SubscriberChanged {
                channel_id,
                user_id: owner.user_id,
                subscribed: is_live,
            };
            self.rooms.apply(&event);
            if let Err(error) = self.bus.publish(event).await {
                tracing::warn!(%error, channel_id, "could not announce a subscriber change");
            }
        }
        if before.is_some_and(|sub| sub.status == state.as_str()) {
            return Ok(FactOutcome::AlreadyApplied);
        }
        Ok(FactOutcome::Applied)
    }

    async fn withholding_of(&self, streamer_id: i64) -> Result<i64, PaymentsError> {
        Ok(self
            .store
            .payout_account(streamer_id)
            .await?
            .map_or(0, |account| account.withholding_bp))
    }

    /// Tells the channel's chat that someone supported it; a lost announcement loses no money,
    /// so failures are logged only.
    async fn announce_support(
        &self,
        channel_id: i64,
        user_id: i64,
        kind: &str,
        amount: String,
        message: String,
    ) {
        let display_name = match self.store.user_by_id(user_id).await {
            Ok(Some(user)) => user.display_name,
            _ => return,
        };
        let event = Event::ChannelSupported {
            channel_id,
            user_id,
            display_name,
            kind: kind.to_owned(),
            amount,
            message,
        };
        if let Err(error) = self.bus.publish(event).await {
            tracing::warn!(%error, channel_id, "could not announce support in chat");
        }
    }
}
