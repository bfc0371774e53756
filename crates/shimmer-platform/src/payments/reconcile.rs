//! Keeping the ledger true to the processor after the fact: each payment's fee is first the
//! configured estimate and then replaced by the processor's own figure (from the payment's
//! balance transaction), re-splitting its payable while no payday has taken it; transfers
//! the processor reports are matched to payday lines (a line whose answer was lost is
//! recorded paid, never sent twice), reversals are recorded on the line, and each payout to a
//! streamer's bank is kept on their payout account (a failure is mailed to them).

use shimmer_store::TransferConfirmation;

use super::buying::format_money;
use super::facts::FactOutcome;
use super::ledger::{split, FeeBorneBy};
use super::PaymentsError;
use crate::mail::OutgoingMail;
use crate::{now_ms, Platform};

/// Where the processor keeps a payment's charge: a one-off checkout, or a subscription's
/// invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeSource<'a> {
    Checkout(&'a str),
    Invoice(&'a str),
}

/// How often a payment's fee is asked for before its estimate stands for good.
pub const MAX_FEE_CHECKS: i64 = 8;
/// Payments looked at per round.
const FEE_BATCH: i64 = 20;

/// The wait before asking again after the `checks`-th unanswered check: 1, 2, 4, ... minutes,
/// at most 4 hours (about 4 hours over all checks).
fn next_fee_check_delay_ms(checks: i64) -> i64 {
    let minutes = 1_i64 << checks.clamp(0, 8);
    minutes.min(240) * 60_000
}

impl Platform {
    /// Asks the processor for the fee of each payment still carrying the estimate and records
    /// it. Returns how many were settled; a processor that cannot answer now is asked again
    /// later.
    pub async fn reconcile_fees(&self) -> Result<usize, PaymentsError> {
        let payments = self.payments()?;
        let due = self
            .store
            .unsettled_fees(now_ms(), MAX_FEE_CHECKS, FEE_BATCH)
            .await?;
        let mut settled = 0;
        for payment in due {
            let source = match payment.kind.as_str() {
                "donation" | "gift_subscription" => FeeSource::Checkout(&payment.stripe_object_id),
                _ => FeeSource::Invoice(&payment.stripe_object_id),
            };
            let asked = payments.processor.settled_fee(source).await;
            if let Err(error) = &asked {
                tracing::warn!(%error, payment = payment.payment_id, "could not read a payment's fee");
            }
            let Ok(Some(fee)) = asked else {
                self.store
                    .fee_check_later(
                        payment.payment_id,
                        now_ms() + next_fee_check_delay_ms(payment.fee_checks),
                    )
                    .await?;
                continue;
            };
            let payable = self.store.payable_of_payment(payment.payment_id).await?;
            let resplit = payable.as_ref().map(|payable| {
                let borne_by = if payable.payment_kind == "donation" {
                    FeeBorneBy::Streamer
                } else {
                    FeeBorneBy::Platform
                };
                split(
                    payable.streamer_id,
                    payable.gross_cents,
                    fee,
                    payable.platform_cut_bp,
                    payable.withholding_bp,
                    borne_by,
                )
            });
            let changed = self
                .store
                .settle_fee(payment.payment_id, fee, resplit.as_ref())
                .await?;
            if payable.is_some() && !changed && fee != payment.fee_cents {
                tracing::warn!(
                    payment = payment.payment_id,
                    estimate = payment.fee_cents,
                    fee,
                    "a payment's fee settled after a payday took its payable; the payable keeps the estimate"
                );
            }
            settled += 1;
        }
        Ok(settled)
    }

    /// A transfer the processor reports, matched to the payday line it names.
    pub(super) async fn confirm_transfer(
        &self,
        transfer_id: &str,
        line_id: Option<i64>,
    ) -> Result<FactOutcome, PaymentsError> {
        let Some(line_id) = line_id else {
            return Ok(FactOutcome::UnknownObject(format!(
                "transfer {transfer_id} names no payday line"
            )));
        };
        match self.store.confirm_transfer(line_id, transfer_id).await? {
            TransferConfirmation::AlreadyPaid => Ok(FactOutcome::AlreadyApplied),
            TransferConfirmation::Recovered(line) => {
                tracing::info!(line = line.id, %transfer_id, "a payday line was recorded paid from the processor's report");
                let payday = self.store.payday(line.payday_id).await?;
                if let Some(payday) = payday {
                    self.mail_payout(&line, &payday.currency, transfer_id).await;
                    self.store.finish_payday_if_done(payday.id).await?;
                }
                Ok(FactOutcome::Applied)
            }
            TransferConfirmation::Unknown => Ok(FactOutcome::UnknownObject(format!(
                "transfer {transfer_id}: payday line {line_id} is not waiting for it"
            ))),
        }
    }

    /// Keeps the latest bank payout on the streamer's payout account; tells them by email
    /// when it failed.
    pub(super) async fn keep_bank_payout(
        &self,
        account_id: &str,
        paid: bool,
        amount_cents: i64,
        currency: &str,
        at_ms: i64,
        failure: &str,
    ) -> Result<FactOutcome, PaymentsError> {
        let failure: String = failure.chars().take(500).collect();
        let Some(user_id) = self
            .store
            .record_bank_payout(
                account_id,
                if paid { "paid" } else { "failed" },
                amount_cents,
                &failure,
                at_ms,
            )
            .await?
        else {
            return Ok(FactOutcome::UnknownObject(format!(
                "connected account {account_id} is not known"
            )));
        };
        if !paid {
            self.mail_bank_payout_failure(user_id, amount_cents, currency, &failure)
                .await;
        }
        Ok(FactOutcome::Applied)
    }

    async fn mail_bank_payout_failure(
        &self,
        user_id: i64,
        amount_cents: i64,
        currency: &str,
        failure: &str,
    ) {
        let Ok(Some(user)) = self.store.user_by_id(user_id).await else {
            return;
        };
        let locale = self.mail_locale(user.id).await;
        let reason = if failure.is_empty() {
            locale.t("mail-bank-failure-no-reason")
        } else {
            failure.to_owned()
        };
        let args = [
            ("username", user.username.as_str().into()),
            ("amount", format_money(amount_cents, currency).into()),
            ("site", self.settings.site_name.as_str().into()),
            ("reason", reason.into()),
            (
                "link",
                format!("{}/users/settings/payouts", self.settings.base_url).into(),
            ),
        ];
        let mail = OutgoingMail {
            to: user.email.clone(),
            subject: locale.message("mail-bank-failure-subject", &args),
            body: locale.message("mail-bank-failure-body", &args),
        };
        if let Err(error) = self.mailer.send(mail).await {
            tracing::warn!(%error, user_id, "could not send a bank payout failure email");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fee_checks_back_off_to_four_hours() {
        let delays: Vec<i64> = (0..MAX_FEE_CHECKS)
            .map(|checks| next_fee_check_delay_ms(checks) / 60_000)
            .collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 64, 128]);
        assert_eq!(next_fee_check_delay_ms(20), 240 * 60_000);
        assert_eq!(next_fee_check_delay_ms(-1), 60_000);
    }
}
