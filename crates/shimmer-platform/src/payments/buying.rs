//! Buying: who may pay for what, checked before any money moves, and the hosted checkout
//! that takes the payment.

use super::{CheckoutMode, CheckoutRequest, PaymentsError, PlatformTier};
use crate::{ChannelView, Platform, UserView};

/// The longest message a donation carries into chat.
pub const MAX_DONATION_MESSAGE_CHARS: usize = 200;

/// What a viewer asks to buy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckoutKind {
    /// A monthly platform subscription.
    Platform(PlatformTier),
    /// A monthly subscription to the channel.
    Channel,
    /// A single payment to the channel, with a message shown in its chat.
    Donation { amount_cents: i64, message: String },
    /// One month of the channel's subscription for someone else, paid once.
    Gift { recipient: UserView },
}

impl CheckoutKind {
    /// The name carried in the processor's metadata and stored with the payment.
    pub fn metadata_name(&self) -> &'static str {
        match self {
            Self::Platform(_) => "platform_subscription",
            Self::Channel => "channel_subscription",
            Self::Donation { .. } => "donation",
            Self::Gift { .. } => "gift_subscription",
        }
    }
}

/// What a channel page offers a viewer: the subscription's price and whether they may
/// subscribe (else why not), and the donation range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportOffer {
    pub subscription_price: String,
    /// Already subscribed to this channel (the button becomes "Subscribed").
    pub subscribed: bool,
    /// Why the viewer may not subscribe or donate, when they may not.
    pub refusal: Option<String>,
    pub donation_min: String,
    pub donation_max: String,
    pub donation_min_cents: i64,
    pub donation_max_cents: i64,
}

/// A subscription as its holder sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionView {
    /// "Supporter", "Founder", or the channel's display name.
    pub name: String,
    /// The channel's username, for channel subscriptions.
    pub channel_username: Option<String>,
    pub price: String,
    /// active, canceling, past_due (as stored).
    pub status: String,
    /// When the paid period ends (milliseconds since the epoch).
    pub period_end: i64,
}

/// A subscription as the API shows it to its subscriber or its streamer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionRecord {
    pub id: i64,
    pub user_id: i64,
    /// The channel's owner; None for platform subscriptions.
    pub streamer_id: Option<i64>,
    pub product_name: String,
    pub price_cents: i64,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An amount for people: `$5.00` for dollars, `5.00 EUR` otherwise.
pub fn format_money(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.abs();
    let amount = format!("{}.{:02}", cents / 100, cents % 100);
    if currency.eq_ignore_ascii_case("usd") {
        format!("{sign}${amount}")
    } else {
        format!("{sign}{amount} {}", currency.to_uppercase())
    }
}

impl Platform {
    /// What the channel page shows about supporting the channel; None when payments are off
    /// or the streamer hid the Subscribe button or cannot be paid yet.
    pub async fn support_offer(
        &self,
        viewer: Option<&UserView>,
        channel: &ChannelView,
    ) -> Result<Option<SupportOffer>, PaymentsError> {
        let Ok(payments) = self.payments() else {
            return Ok(None);
        };
        if self.channel_refusal(channel).await?.is_some() {
            return Ok(None);
        }
        let config = &payments.config;
        let mut offer = SupportOffer {
            subscription_price: format_money(config.prices.channel_cents, &config.currency),
            subscribed: false,
            refusal: None,
            donation_min: format_money(config.donation_min_cents, &config.currency),
            donation_max: format_money(config.donation_max_cents, &config.currency),
            donation_min_cents: config.donation_min_cents,
            donation_max_cents: config.donation_max_cents,
        };
        if let Some(viewer) = viewer {
            offer.subscribed = self.subscribes_to(viewer.id, channel.id).await?;
            offer.refusal = self.buyer_refusal(viewer).await?;
            if viewer.id == channel.user_id {
                offer.refusal = Some("This is your own channel.".into());
            }
        }
        Ok(Some(offer))
    }

    /// Checks that `buyer` may buy `kind` (on `channel` for channel purchases) and opens a
    /// hosted checkout for it, returning the URL to send the buyer to. Every refusal says why
    /// in words the buyer understands; nothing is charged.
    pub async fn start_checkout(
        &self,
        buyer: &UserView,
        channel: Option<&ChannelView>,
        kind: CheckoutKind,
    ) -> Result<String, PaymentsError> {
        let payments = self.payments()?;
        let config = &payments.config;
        if let Some(refusal) = self.buyer_refusal(buyer).await? {
            return Err(PaymentsError::Refused(refusal));
        }
        let base = &self.settings.base_url;
        let mut metadata = vec![
            ("shimmer_kind".to_owned(), kind.metadata_name().to_owned()),
            ("shimmer_user_id".to_owned(), buyer.id.to_string()),
        ];
        let (mode, item_name, amount_cents, success_url, cancel_url) = match (&kind, channel) {
            (CheckoutKind::Platform(tier), _) => {
                if let Some(existing) = self
                    .store
                    .live_subscriptions_of(buyer.id)
                    .await?
                    .into_iter()
                    .find(|sub| sub.channel_id.is_none())
                {
                    return Err(PaymentsError::Refused(format!(
                        "You already have a platform subscription ({}). Change or cancel it under Settings → Subscriptions.",
                        title_case(&existing.product)
                    )));
                }
                metadata.push(("shimmer_product".into(), tier.as_str().into()));
                let (name, cents) = match tier {
                    PlatformTier::Supporter => ("Supporter", config.prices.supporter_cents),
                    PlatformTier::Founder => ("Founder", config.prices.founder_cents),
                };
                (
                    CheckoutMode::Subscription,
                    format!("{} {name} (monthly)", self.settings.site_name),
                    cents,
                    format!("{base}/users/settings/subscriptions?checkout=done"),
                    format!("{base}/users/settings/subscriptions"),
                )
            }
            (CheckoutKind::Channel, Some(channel)) => {
                self.refuse_channel_purchase(buyer, channel, "subscribe to")
                    .await?;
                if self.subscribes_to(buyer.id, channel.id).await? {
                    return Err(PaymentsError::Refused(format!(
                        "You already subscribe to {}. Manage it under Settings → Subscriptions.",
                        channel.display_name
                    )));
                }
                metadata.push(("shimmer_product".into(), "channel".into()));
                metadata.push(("shimmer_channel_id".into(), channel.id.to_string()));
                (
                    CheckoutMode::Subscription,
                    format!("Subscription to {} (monthly)", channel.display_name),
                    config.prices.channel_cents,
                    format!("{base}/{}?notice=thanks_subscribed", channel.username),
                    format!("{base}/{}", channel.username),
                )
            }
            (
                CheckoutKind::Donation {
                    amount_cents,
                    message,
                },
                Some(channel),
            ) => {
                self.refuse_channel_purchase(buyer, channel, "donate to")
                    .await?;
                if !(config.donation_min_cents..=config.donation_max_cents).contains(amount_cents) {
                    return Err(PaymentsError::Refused(format!(
                        "A donation is between {} and {}.",
                        format_money(config.donation_min_cents, &config.currency),
                        format_money(config.donation_max_cents, &config.currency)
                    )));
                }
                let message = message.trim();
                if message.chars().count() > MAX_DONATION_MESSAGE_CHARS {
                    return Err(PaymentsError::Refused(format!(
                        "A donation message is at most {MAX_DONATION_MESSAGE_CHARS} characters."
                    )));
                }
                metadata.push(("shimmer_channel_id".into(), channel.id.to_string()));
                metadata.push(("shimmer_message".into(), message.to_owned()));
                (
                    CheckoutMode::Payment,
                    format!("Donation to {}", channel.display_name),
                    *amount_cents,
                    format!("{base}/{}?notice=thanks_donated", channel.username),
                    format!("{base}/{}", channel.username),
                )
            }
            (CheckoutKind::Gift { recipient }, Some(channel)) => {
                self.refuse_channel_purchase(buyer, channel, "give a subscription to")
                    .await?;
                self.refuse_gift(buyer, recipient, channel).await?;
                metadata.push(("shimmer_product".into(), "channel".into()));
                metadata.push(("shimmer_channel_id".into(), channel.id.to_string()));
                metadata.push(("shimmer_recipient_id".into(), recipient.id.to_string()));
                (
                    CheckoutMode::Payment,
                    format!(
                        "Gift: one month of {} for {}",
                        channel.display_name, recipient.display_name
                    ),
                    config.prices.channel_cents,
                    format!("{base}/{}?notice=thanks_gifted", channel.username),
                    format!("{base}/{}", channel.username),
                )
            }
            (_, None) => return Err(PaymentsError::Refused("Choose a channel first.".into())),
        };
        let customer_id = self.customer_of(buyer).await?;
        let url = payments
            .processor
            .create_checkout(&CheckoutRequest {
                customer_id,
                mode,
                item_name,
                amount_cents,
                currency: config.currency.clone(),
                metadata,
                success_url,
                cancel_url,
            })
            .await?;
        tracing::info!(
            user_id = buyer.id,
            kind = kind.metadata_name(),
            "checkout opened"
        );
        Ok(url)
    }

    /// The customer portal (change card, cancel at the period's end, resubscribe until then)
    /// for an account that has bought something.
    pub async fn billing_portal(&self, user: &UserView) -> Result<String, PaymentsError> {
        let payments = self.payments()?;
        let Some(customer_id) = self.store.payment_customer(user.id).await? else {
            return Err(PaymentsError::Refused(
                "You have not bought anything yet, so there is no billing to manage.".into(),
            ));
        };
        let return_url = format!("{}/users/settings/subscriptions", self.settings.base_url);
        Ok(payments
            .processor
            .create_portal(&customer_id, &return_url)
            .await?)
    }

    /// The account's subscriptions that have not ended, newest first.
    pub async fn subscriptions_of(
        &self,
        user: &UserView,
    ) -> Result<Vec<SubscriptionView>, PaymentsError> {
        self.payments()?;
        let mut views = Vec::new();
        for sub in self.store.live_subscriptions_of(user.id).await? {
            let channel = match sub.channel_id {
                Some(id) => self.store.channel_by_id(id).await?,
                None => None,
            };
            views.push(SubscriptionView {
                name: channel.as_ref().map_or_else(
                    || title_case(&sub.product),
                    |channel| channel.display_name.clone(),
                ),
                channel_username: channel.map(|channel| channel.username),
                price: format!("{} a month", format_money(sub.amount_cents, &sub.currency)),
                status: sub.status,
                period_end: sub.current_period_end,
            });
        }
        Ok(views)
    }

    /// Subscriptions to `streamer`'s channel and/or of `user`, as `caller` may see them: a
    /// streamer sees their channel's subscribers, an account its own subscriptions, and nobody
    /// anyone else's (an empty list, as when there are none).
    pub async fn visible_subscriptions(
        &self,
        caller: Option<&UserView>,
        streamer: Option<&UserView>,
        user: Option<&UserView>,
    ) -> Result<Vec<SubscriptionRecord>, PaymentsError> {
        let Some(caller) = caller else {
            return Ok(Vec::new());
        };
        let allowed = streamer.is_some_and(|streamer| streamer.id == caller.id)
            || user.is_some_and(|user| user.id == caller.id);
        if self.payments.is_none() || !allowed {
            return Ok(Vec::new());
        }
        let channel_id = match streamer {
            Some(streamer) => match self.store.channel_by_user(streamer.id).await? {
                Some(channel) => Some(channel.id),
                None => return Ok(Vec::new()),
            },
            None => None,
        };
        let mut records = Vec::new();
        for sub in self
            .store
            .subscriptions_matching(channel_id, user.map(|user| user.id), 100)
            .await?
        {
            let channel = match sub.channel_id {
                Some(id) => self.store.channel_by_id(id).await?,
                None => None,
            };
            records.push(SubscriptionRecord {
                id: sub.id,
                user_id: sub.user_id,
                streamer_id: channel.as_ref().map(|channel| channel.user_id),
                product_name: channel.map_or_else(
                    || title_case(&sub.product),
                    |channel| format!("Channel subscription: {}", channel.display_name),
                ),
                price_cents: sub.amount_cents,
                active: sub.status != "ended",
                created_at: sub.created_at,
                updated_at: sub.updated_at,
            });
        }
        Ok(records)
    }

    /// Whether `user_id` holds a subscription to `channel_id` that has not ended.
    pub async fn subscribes_to(
        &self,
        user_id: i64,
        channel_id: i64,
    ) -> Result<bool, PaymentsError> {
        Ok(self
            .store
            .live_subscriptions_of(user_id)
            .await?
            .iter()
            .any(|sub| sub.channel_id == Some(channel_id)))
    }

    async fn customer_of(&self, buyer: &UserView) -> Result<String, PaymentsError> {
        if let Some(customer) = self.store.payment_customer(buyer.id).await? {
            return Ok(customer);
        }
        let created = self
            .payments()?
            .processor
            .create_customer(&buyer.email, buyer.id)
            .await?;
        Ok(self.store.save_payment_customer(buyer.id, &created).await?)
    }

    /// Why this account may not buy anything, if it may not.
    async fn buyer_refusal(&self, buyer: &UserView) -> Result<Option<String>, PaymentsError> {
        if self.store.active_platform_ban(buyer.id).await?.is_some() {
            return Ok(Some(
                "Your account is banned from this site, so it cannot pay for anything.".into(),
            ));
        }
        if !buyer.email_confirmed() {
            return Ok(Some(
                "Confirm your email address first: receipts and payment notices go there.".into(),
            ));
        }
        Ok(None)
    }

    /// Why nobody may pay this channel now, if so.
    async fn channel_refusal(
        &self,
        channel: &ChannelView,
    ) -> Result<Option<String>, PaymentsError> {
        if !self
            .store
            .channel_shows_subscribe_button(channel.id)
            .await?
        {
            return Ok(Some(format!(
                "{} has turned off subscriptions and donations.",
                channel.display_name
            )));
        }
        let ready = self
            .store
            .payout_account(channel.user_id)
            .await?
            .is_some_and(|account| account.payouts_enabled);
        if !ready {
            return Ok(Some(format!(
                "{} cannot receive payments yet: they have not finished setting up payouts.",
                channel.display_name
            )));
        }
        Ok(None)
    }

    /// Why `recipient` may not be given a month of `channel`, if so.
    async fn refuse_gift(
        &self,
        buyer: &UserView,
        recipient: &UserView,
        channel: &ChannelView,
    ) -> Result<(), PaymentsError> {
        let name = &recipient.display_name;
        let refusal = if recipient.id == buyer.id {
            Some("To subscribe yourself, use Subscribe.".to_owned())
        } else if recipient.id == channel.user_id {
            Some(format!("{name} is this channel's streamer."))
        } else if self
            .store
            .active_platform_ban(recipient.id)
            .await?
            .is_some()
            || !self.store.accepts_gifts(recipient.id).await?
        {
            Some(format!("{name} does not accept gift subscriptions."))
        } else if self.subscribes_to(recipient.id, channel.id).await? {
            Some(format!(
                "{name} already subscribes to {}.",
                channel.display_name
            ))
        } else {
            None
        };
        refusal.map_or(Ok(()), |refusal| Err(PaymentsError::Refused(refusal)))
    }

    /// Whether others may give the account gift subscriptions.
    pub async fn accepts_gifts(&self, user: &UserView) -> Result<bool, PaymentsError> {
        Ok(self.store.accepts_gifts(user.id).await?)
    }

    /// Lets others give the account gift subscriptions, or not.
    pub async fn set_accepts_gifts(
        &self,
        user: &UserView,
        accepts: bool,
    ) -> Result<(), PaymentsError> {
        self.payments()?;
        Ok(self.store.set_accepts_gifts(user.id, accepts).await?)
    }

    async fn refuse_channel_purchase(
        &self,
        buyer: &UserView,
        channel: &ChannelView,
        verb: &str,
    ) -> Result<(), PaymentsError> {
        if buyer.id == channel.user_id {
            return Err(PaymentsError::Refused(format!(
                "You cannot {verb} your own channel."
            )));
        }
        if let Some(refusal) = self.channel_refusal(channel).await? {
            return Err(PaymentsError::Refused(refusal));
        }
        Ok(())
    }
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::format_money;

    #[test]
    fn money_reads_as_people_write_it() {
        assert_eq!(format_money(500, "usd"), "$5.00");
        assert_eq!(format_money(1005, "usd"), "$10.05");
        assert_eq!(format_money(7, "eur"), "0.07 EUR");
        assert_eq!(format_money(-250, "usd"), "-$2.50");
    }
}
