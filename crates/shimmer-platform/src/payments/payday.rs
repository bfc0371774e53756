//! Payday: every payables not yet paid out is grouped by streamer into one line each; staff
//! with the payouts permission review the batch (totals, each streamer, anything odd flagged
//! and held back) and approve it; then each line becomes one transfer, keyed so that a retry
//! can never pay twice; its payables are marked paid out with the transfer's id and the
//! streamer gets an email with the breakdown. Failed transfers are listed and retried with
//! the same key. Payday prepares itself on a schedule (`payday_interval_days`).

use serde_json::json;
use shimmer_store::{NewPayoutLine, PayoutLine};

use super::buying::format_money;
use super::{PaymentsError, TransferRequest};
use crate::mail::OutgoingMail;
use crate::staff::audit::{AuditStep, AuditTarget};
use crate::staff::Permission;
use crate::{now_ms, Platform, PlatformError, UserView};

/// A payday as staff review it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaydayView {
    pub id: i64,
    /// prepared, approved or paid.
    pub status: String,
    pub created_at: i64,
    pub approved_by: Option<String>,
    pub total: String,
    pub held_total: String,
    pub lines: Vec<PayoutLineView>,
}

/// One streamer's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutLineView {
    pub username: String,
    pub amount: String,
    pub payables: i64,
    pub withholding: String,
    /// pending, sending, paid, failed or held.
    pub status: String,
    /// Why the line is held, when it is.
    pub flags: String,
    pub transfer_id: Option<String>,
    pub last_error: String,
    /// What Stripe took back of the transfer, when anything.
    pub reversed: Option<String>,
}

impl Platform {
    /// Whether the schedule calls for a payday now: none is open and the last was prepared
    /// `payday_interval_days` ago (or there was none and payables wait).
    pub async fn payday_due(&self) -> Result<bool, PaymentsError> {
        let config = &self.payments()?.config;
        if self.store.open_payday().await?.is_some() {
            return Ok(false);
        }
        let interval_ms = config.payday_interval_days * 24 * 3600 * 1000;
        Ok(match self.store.last_payday_at().await? {
            Some(last) => now_ms() - last >= interval_ms,
            None => !self.store.pending_payouts().await?.is_empty(),
        })
    }

    /// Prepares a payday from every payable not yet paid out; `actor` is the staff member who
    /// asked (audited), None for the schedule. None when a payday is still open or nothing
    /// waits.
    pub async fn prepare_payday(
        &self,
        actor: Option<&UserView>,
    ) -> Result<Option<i64>, PaymentsError> {
        let config = &self.payments()?.config;
        if let Some(actor) = actor {
            Self::authorize_staff(actor, Permission::Payouts)?;
        }
        if let Some(open) = self.store.open_payday().await? {
            return Err(PaymentsError::Refused(format!(
                "Payday {} is still open: finish it first.",
                open.id
            )));
        }
        let pending = self.store.pending_payouts().await?;
        if pending.is_empty() {
            return Ok(None);
        }
        let mut lines = Vec::with_capacity(pending.len());
        for streamer in pending {
            let account = self.store.payout_account(streamer.streamer_id).await?;
            let mut flags = Vec::new();
            if streamer.amount_cents <= 0 {
                flags.push("nothing to pay (the sum is zero or negative)".to_owned());
            }
            match &account {
                None => flags.push("no payout account".to_owned()),
                Some(account) if !account.payouts_enabled => {
                    flags.push("payout account not ready".to_owned())
                }
                Some(account) if !account.paused_reason.is_empty() => {
                    flags.push(format!("paused by staff: {}", account.paused_reason))
                }
                Some(_) => {}
            }
            lines.push(NewPayoutLine {
                streamer_id: streamer.streamer_id,
                account_id: account
                    .map(|account| account.account_id)
                    .unwrap_or_default(),
                flags: flags.join("; "),
            });
        }
        let Some(id) = self.store.create_payday(&config.currency, &lines).await? else {
            return Err(PaymentsError::Refused(
                "Another payday was prepared at the same moment.".into(),
            ));
        };
        if let Some(actor) = actor {
            self.audit(
                actor,
                AuditStep {
                    action: "payday_prepare",
                    after: Some(json!({ "payday": id, "streamers": lines.len() })),
                    ..AuditStep::default()
                },
            )
            .await?;
        }
        tracing::info!(payday = id, streamers = lines.len(), "payday prepared");
        Ok(Some(id))
    }

    /// Prepares a payday when the schedule says so (web nodes call this periodically).
    pub async fn run_payday_schedule(&self) -> Result<Option<i64>, PaymentsError> {
        if !self.payday_due().await? {
            return Ok(None);
        }
        match self.prepare_payday(None).await {
            Err(PaymentsError::Refused(_)) => Ok(None),
            other => other,
        }
    }

    /// The newest paydays, for staff with the payouts permission.
    pub async fn paydays(&self, actor: &UserView) -> Result<Vec<PaydayView>, PaymentsError> {
        Self::authorize_staff(actor, Permission::Payouts)?;
        let mut views = Vec::new();
        for payday in self.store.recent_paydays(20).await? {
            views.push(self.payday_view_of(payday).await?);
        }
        Ok(views)
    }

    /// One payday with its lines, for staff with the payouts permission.
    pub async fn payday(&self, actor: &UserView, id: i64) -> Result<PaydayView, PaymentsError> {
        Self::authorize_staff(actor, Permission::Payouts)?;
        let payday = self.store.payday(id).await?.ok_or(PlatformError::NotFound(
            "There is no payday with that number.",
        ))?;
        self.payday_view_of(payday).await
    }

    async fn payday_view_of(
        &self,
        payday: shimmer_store::Payday,
    ) -> Result<PaydayView, PaymentsError> {
        let lines = self.store.payday_lines(payday.id).await?;
        let sum = |held: bool| {
            lines
                .iter()
                .filter(|line| (line.status == "held") == held)
                .map(|line| line.amount_cents)
                .sum::<i64>()
        };
        Ok(PaydayView {
            id: payday.id,
            status: payday.status,
            created_at: payday.created_at,
            approved_by: payday.approved_by,
            total: format_money(sum(false), &payday.currency),
            held_total: format_money(sum(true), &payday.currency),
            lines: lines
                .iter()
                .map(|line| PayoutLineView {
                    username: line.username.clone(),
                    amount: format_money(line.amount_cents, &payday.currency),
                    payables: line.payables,
                    withholding: format_money(line.withholding_cents, &payday.currency),
                    status: line.status.clone(),
                    flags: line.flags.clone(),
                    transfer_id: line.transfer_id.clone(),
                    last_error: line.last_error.clone(),
                    reversed: (line.reversed_cents > 0)
                        .then(|| format_money(line.reversed_cents, &payday.currency)),
                })
                .collect(),
        })
    }

    /// Approves a prepared payday and sends its transfers (staff with the payouts permission;
    /// audited). Returns how many lines failed.
    pub async fn approve_payday(&self, actor: &UserView, id: i64) -> Result<usize, PaymentsError> {
        Self::authorize_staff(actor, Permission::Payouts)?;
        if !self.store.approve_payday(id, actor.id).await? {
            return Err(PaymentsError::Refused(
                "Only a prepared payday can be approved, and only once.".into(),
            ));
        }
        self.audit(
            actor,
            AuditStep {
                action: "payday_approve",
                after: Some(json!({ "payday": id })),
                ..AuditStep::default()
            },
        )
        .await?;
        self.send_payday_transfers(id).await
    }

    /// Sends a payday's failed transfers again, with their original keys (staff with the
    /// payouts permission; audited). Returns how many lines still failed.
    pub async fn retry_payday(&self, actor: &UserView, id: i64) -> Result<usize, PaymentsError> {
        Self::authorize_staff(actor, Permission::Payouts)?;
        let payday = self.store.payday(id).await?.ok_or(PlatformError::NotFound(
            "There is no payday with that number.",
        ))?;
        if payday.status != "approved" {
            return Err(PaymentsError::Refused(
                "Only an approved payday with failed transfers can be retried.".into(),
            ));
        }
        let retried = self.store.retry_failed_payouts(id).await?;
        self.audit(
            actor,
            AuditStep {
                action: "payday_retry",
                after: Some(json!({ "payday": id, "lines": retried })),
                ..AuditStep::default()
            },
        )
        .await?;
        self.send_payday_transfers(id).await
    }

    /// One transfer per pending line; the payday closes once every line is paid or held.
    async fn send_payday_transfers(&self, id: i64) -> Result<usize, PaymentsError> {
        let payments = self.payments()?;
        let payday = self.store.payday(id).await?.ok_or(PlatformError::NotFound(
            "There is no payday with that number.",
        ))?;
        let mut failed = 0;
        for line in self.store.payday_lines(id).await? {
            if line.status != "pending" || !self.store.start_payout_attempt(line.id).await? {
                continue;
            }
            let request = TransferRequest {
                account_id: line.account_id.clone(),
                amount_cents: line.amount_cents,
                currency: payday.currency.clone(),
                description: format!("{} payout, payday {id}", self.settings.site_name),
                idempotency_key: line.idempotency_key.clone(),
                metadata: vec![
                    ("shimmer_payday".into(), id.to_string()),
                    ("shimmer_user_id".into(), line.streamer_id.to_string()),
                    ("shimmer_payout_line".into(), line.id.to_string()),
                ],
            };
            match payments.processor.create_transfer(&request).await {
                Ok(transfer_id) => {
                    // The processor's transfer.created event may have recorded it first (and
                    // sent the email); only the one that records it mails.
                    if self.store.payout_paid(line.id, &transfer_id).await? {
                        self.mail_payout(&line, &payday.currency, &transfer_id)
                            .await;
                    }
                    metrics::counter!("shimmer_payouts_total", "result" => "paid").increment(1);
                }
                Err(error) => {
                    failed += 1;
                    tracing::warn!(%error, payday = id, streamer = line.streamer_id, "payout failed");
                    metrics::counter!("shimmer_payouts_total", "result" => "failed").increment(1);
                    let message: String = error.to_string().chars().take(500).collect();
                    self.store.payout_failed(line.id, &message).await?;
                }
            }
        }
        if self.store.finish_payday_if_done(id).await? {
            tracing::info!(payday = id, "payday paid");
        }
        Ok(failed)
    }

    /// Tells a streamer what they were paid and how it adds up; a lost email loses no money.
    pub(super) async fn mail_payout(&self, line: &PayoutLine, currency: &str, transfer_id: &str) {
        let payables = match self.store.payables_of(line.streamer_id, 500).await {
            Ok(payables) => payables,
            Err(error) => {
                tracing::warn!(%error, "could not read payables for a payout email");
                return;
            }
        };
        let locale = self.mail_locale(line.streamer_id).await;
        let amount = format_money(line.amount_cents, currency);
        let args = [
            ("username", line.username.as_str().into()),
            ("amount", amount.as_str().into()),
            ("transfer", transfer_id.into()),
            ("site", self.settings.site_name.as_str().into()),
            (
                "link",
                format!("{}/users/settings/payouts", self.settings.base_url).into(),
            ),
        ];
        let mut body = format!("{}\n\n", locale.message("mail-payout-intro", &args));
        for payable in payables
            .iter()
            .filter(|payable| payable.transfer_id.as_deref() == Some(transfer_id))
        {
            let kind = locale.t(&format!(
                "payments-kind-{}",
                payable.payment_kind.replace('_', "-")
            ));
            let money = |cents| format_money(cents, currency).into();
            body.push_str(&locale.message(
                "mail-payout-line",
                &[
                    ("kind", kind.into()),
                    ("gross", money(payable.gross_cents)),
                    ("cut", money(payable.platform_cut_cents)),
                    ("withheld", money(payable.withholding_cents)),
                    ("payout", money(payable.payout_cents)),
                ],
            ));
            body.push('\n');
        }
        body.push_str(&format!(
            "\n{}\n",
            locale.message("mail-payout-earnings", &args)
        ));
        let mail = OutgoingMail {
            to: line.email.clone(),
            subject: locale.message("mail-payout-subject", &args),
            body,
        };
        if let Err(error) = self.mailer.send(mail).await {
            tracing::warn!(%error, streamer = line.streamer_id, "could not send a payout email");
        }
    }

    /// Pauses a streamer's payouts (a reason) or resumes them (empty), for staff with the
    /// payouts permission; audited.
    pub async fn set_payouts_paused(
        &self,
        actor: &UserView,
        target: &UserView,
        reason: &str,
    ) -> Result<(), PaymentsError> {
        Self::authorize_staff_on(actor, Permission::Payouts, target)?;
        let reason = reason.trim();
        if reason.chars().count() > 500 {
            return Err(PaymentsError::Refused(
                "A reason is at most 500 characters.".into(),
            ));
        }
        let before = self
            .store
            .payout_account(target.id)
            .await?
            .map(|account| account.paused_reason)
            .ok_or_else(|| {
                PaymentsError::Refused(format!("{} has no payout account.", target.username))
            })?;
        self.store.set_payouts_paused(target.id, reason).await?;
        self.audit(
            actor,
            AuditStep {
                action: if reason.is_empty() {
                    "payouts_resume"
                } else {
                    "payouts_pause"
                },
                target: AuditTarget::user(target),
                before: Some(json!({ "paused_reason": before })),
                after: Some(json!({ "paused_reason": reason })),
                reason,
            },
        )
        .await?;
        Ok(())
    }
}
