//! Streamers' side of the money: the connected account that receives payouts (Stripe Connect
//! Express, onboarded on the processor's hosted pages) and what they have earned.

use super::buying::format_money;
use super::PaymentsError;
use crate::staff::audit::{AuditStep, AuditTarget};
use crate::staff::Permission;
use crate::{Platform, UserView};

/// Where a streamer's payout account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayoutStatus {
    /// No account yet.
    NotStarted,
    /// Onboarding started and not finished (or the processor wants more details).
    Pending,
    /// The processor pays out to this account: viewers may subscribe and donate.
    Ready,
}

/// One payable as its streamer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayableView {
    pub kind: String,
    pub gross: String,
    /// Stripe's fee on the payment (borne by the streamer on donations only).
    pub fee: String,
    /// The fee is still the configured estimate, not Stripe's own figure yet.
    pub fee_estimated: bool,
    pub platform_cut: String,
    pub withholding: String,
    pub payout: String,
    pub status: String,
    pub created_at: i64,
}

/// A streamer's earnings page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earnings {
    pub status: PayoutStatus,
    pub pending: String,
    pub paid_out: String,
    /// What Stripe took back of past transfers, when anything.
    pub reversed: Option<String>,
    /// The latest payout from the streamer's Stripe balance to their bank.
    pub bank_payout: Option<BankPayoutView>,
    pub recent: Vec<PayableView>,
}

/// A payout to a streamer's bank, as Stripe reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankPayoutView {
    pub paid: bool,
    pub amount: String,
    /// When it arrives (or was due to), in milliseconds.
    pub at: Option<i64>,
    /// Why it failed.
    pub failure: String,
}

/// A payday transfer as its streamer's support page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferView {
    pub payday_id: i64,
    pub amount: String,
    /// pending, sending, paid, failed or held.
    pub status: String,
    pub flags: String,
    pub transfer_id: Option<String>,
    pub last_error: String,
    /// What Stripe took back of it, when anything.
    pub reversed: Option<String>,
}

/// What staff see of a streamer's payouts when helping them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutSupport {
    pub earnings: Earnings,
    /// The connected account's id at the processor, to look it up there.
    pub account_id: Option<String>,
    pub paused_reason: String,
    pub transfers: Vec<TransferView>,
}

impl Platform {
    /// A streamer's payout status, payables and transfers, for staff with the payouts
    /// permission; the look is audited.
    pub async fn payout_support(
        &self,
        actor: &UserView,
        target: &UserView,
    ) -> Result<PayoutSupport, PaymentsError> {
        Self::authorize_staff(actor, Permission::Payouts)?;
        let currency = self.payments()?.config.currency.clone();
        let account = self.store.payout_account(target.id).await?;
        let transfers = self
            .store
            .payout_lines_of(target.id, 50)
            .await?
            .into_iter()
            .map(|line| TransferView {
                payday_id: line.payday_id,
                amount: format_money(line.amount_cents, &currency),
                status: line.status,
                flags: line.flags,
                transfer_id: line.transfer_id,
                last_error: line.last_error,
                reversed: (line.reversed_cents > 0)
                    .then(|| format_money(line.reversed_cents, &currency)),
            })
            .collect();
        let earnings = self.earnings(target).await?;
        self.audit(
            actor,
            AuditStep {
                action: "payouts_view",
                target: AuditTarget::user(target),
                ..AuditStep::default()
            },
        )
        .await?;
        Ok(PayoutSupport {
            earnings,
            account_id: account.as_ref().map(|account| account.account_id.clone()),
            paused_reason: account
                .map(|account| account.paused_reason)
                .unwrap_or_default(),
            transfers,
        })
    }

    /// The streamer's payout status and earnings.
    pub async fn earnings(&self, user: &UserView) -> Result<Earnings, PaymentsError> {
        let currency = self.payments()?.config.currency.clone();
        let account = self.store.payout_account(user.id).await?;
        let status = match &account {
            None => PayoutStatus::NotStarted,
            Some(account) if account.payouts_enabled => PayoutStatus::Ready,
            Some(_) => PayoutStatus::Pending,
        };
        let bank_payout = account
            .filter(|account| !account.bank_payout_status.is_empty())
            .map(|account| BankPayoutView {
                paid: account.bank_payout_status == "paid",
                amount: format_money(account.bank_payout_cents, &currency),
                at: account.bank_payout_at,
                failure: account.bank_payout_note,
            });
        let (pending, paid_out) = self.store.payout_totals(user.id).await?;
        let reversed = self.store.reversed_total(user.id).await?;
        let recent = self
            .store
            .payables_of(user.id, 50)
            .await?
            .into_iter()
            .map(|payable| PayableView {
                kind: payable.payment_kind.replace('_', " "),
                gross: format_money(payable.gross_cents, &payable.currency),
                fee: format_money(payable.fee_cents, &payable.currency),
                fee_estimated: !payable.fee_settled,
                platform_cut: format_money(payable.platform_cut_cents, &payable.currency),
                withholding: format_money(payable.withholding_cents, &payable.currency),
                payout: format_money(payable.payout_cents, &payable.currency),
                status: payable.status.replace('_', " "),
                created_at: payable.created_at,
            })
            .collect();
        Ok(Earnings {
            status,
            pending: format_money(pending, &currency),
            paid_out: format_money(paid_out, &currency),
            reversed: (reversed > 0).then(|| format_money(reversed, &currency)),
            bank_payout,
            recent,
        })
    }

    /// Whether the streamer's channel offers subscriptions, donations and gifts.
    pub async fn shows_subscribe_button(&self, user: &UserView) -> Result<bool, PaymentsError> {
        let channel = self.channel_of_user(user.id).await?;
        Ok(self
            .store
            .channel_shows_subscribe_button(channel.id)
            .await?)
    }

    /// Shows or hides the streamer's Subscribe, Donate and Gift buttons. Existing
    /// subscriptions continue; nobody can start a new one while hidden.
    pub async fn set_subscribe_button(
        &self,
        user: &UserView,
        shown: bool,
    ) -> Result<(), PaymentsError> {
        self.payments()?;
        let channel = self.channel_of_user(user.id).await?;
        Ok(self.store.set_subscribe_button(channel.id, shown).await?)
    }

    /// Starts or continues a streamer's payout onboarding: makes their connected account on
    /// first use and returns a fresh single-use link to the processor's onboarding pages.
    pub async fn payout_onboarding_link(&self, user: &UserView) -> Result<String, PaymentsError> {
        let payments = self.payments()?;
        if self.store.active_platform_ban(user.id).await?.is_some() {
            return Err(PaymentsError::Refused(
                "Your account is banned from this site, so it cannot receive payouts.".into(),
            ));
        }
        if !user.email_confirmed() {
            return Err(PaymentsError::Refused(
                "Confirm your email address first: payout notices go there.".into(),
            ));
        }
        let account_id = match self.store.payout_account(user.id).await? {
            Some(account) => account.account_id,
            None => {
                let created = payments
                    .processor
                    .create_payout_account(&user.email, user.id)
                    .await?;
                self.store.save_payout_account(user.id, &created).await?
            }
        };
        let page = format!("{}/users/settings/payouts", self.settings.base_url);
        Ok(payments
            .processor
            .create_onboarding_link(&account_id, &format!("{page}?onboarding=again"), &page)
            .await?)
    }
}
