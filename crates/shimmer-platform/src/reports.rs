//! Reports about accounts: filed by signed-in people, kept in a queue with a status for staff,
//! and announced to staff by email. Filing is rate-limited per reporter. Staff reading the queue
//! and changing a status are written to the audit log.

use std::time::Duration;

use crate::rate_limits::Rate;
use crate::UserView;
use shimmer_store::{NewReport, Report};

use crate::mail::OutgoingMail;
use crate::staff::audit::{AuditStep, AuditTarget};
use crate::{FieldError, Platform, PlatformError};

/// Where the reported behaviour happened: form value and label.
pub const LOCATIONS: &[(&str, &str)] = &[
    ("stream", "Stream video"),
    ("chat", "Stream chat"),
    ("profile", "Profile text or avatar"),
    ("username", "Username"),
    ("elsewhere", "Somewhere else"),
];

/// Why it is reported: form value and label.
pub const REASONS: &[(&str, &str)] = &[
    ("hate", "Hate speech or harassment"),
    ("inappropriate", "Inappropriate or unmarked mature content"),
    ("copyright", "Copyright infringement or breaking the law"),
    ("spam", "Spam or scams"),
    ("other", "Something else"),
];

/// The statuses a report moves between.
pub const STATUSES: &[&str] = &["open", "resolved", "dismissed"];

/// Longest notes, in characters.
pub const NOTES_MAX: usize = 2000;

/// What the report form submits.
#[derive(Debug, Clone, Default)]
pub struct ReportForm {
    pub username: String,
    pub location: String,
    pub reason: String,
    pub notes: String,
    pub chat_message_id: Option<i64>,
}

/// Five reports at once, then one every two minutes, per reporter: enough to stop floods of
/// the staff queue.
pub(crate) const REPORT_RATE: Rate = Rate::new(5, Duration::from_secs(120));

/// The label of a location or reason value, for pages and mail.
pub fn label(options: &[(&'static str, &'static str)], value: &str) -> &'static str {
    options
        .iter()
        .find(|(key, _)| *key == value)
        .map_or("Unknown", |(_, label)| label)
}

impl Platform {
    /// Files a report about the account `form.username`.
    pub async fn file_report(
        &self,
        reporter: &UserView,
        form: &ReportForm,
    ) -> Result<i64, PlatformError> {
        let mut errors = Vec::new();
        if !LOCATIONS.iter().any(|(key, _)| *key == form.location) {
            errors.push(FieldError::new("location", "Choose where this happened."));
        }
        if !REASONS.iter().any(|(key, _)| *key == form.reason) {
            errors.push(FieldError::new("reason", "Choose a reason."));
        }
        let notes = form.notes.trim();
        if notes.chars().count() > NOTES_MAX {
            errors.push(FieldError::new(
                "notes",
                format!("Notes can be at most {NOTES_MAX} characters long."),
            ));
        }
        if !errors.is_empty() {
            return Err(PlatformError::Invalid(errors));
        }
        let reported =
            self.user_by_username(form.username.trim())
                .await?
                .ok_or(PlatformError::NotFound(
                    "There is no account with that name.",
                ))?;
        if reported.id == reporter.id {
            return Err(PlatformError::invalid(
                "username",
                "You cannot report yourself.",
            ));
        }
        let chat_message_id = match form.chat_message_id {
            Some(id) => {
                let message = self.store.chat_message(id).await?;
                if message.is_none_or(|message| message.user_id != Some(reported.id)) {
                    return Err(PlatformError::invalid(
                        "chat_message_id",
                        "That chat message is not from this account.",
                    ));
                }
                Some(id)
            }
            None => None,
        };
        self.report_limits
            .check(&reporter.id.to_string())
            .await
            .map_err(|retry_after| PlatformError::RateLimited { retry_after })?;
        let id = self
            .store
            .create_report(&NewReport {
                reporter_id: reporter.id,
                reported_user_id: reported.id,
                reported_username: &reported.username,
                location: &form.location,
                reason: &form.reason,
                notes,
                chat_message_id,
            })
            .await?;
        tracing::info!(report_id = id, reporter = reporter.id, "report filed");
        self.alert_staff(id, reporter, &reported, form, notes).await;
        Ok(id)
    }

    /// Emails every staff account about a new report. A failed email does not lose the report:
    /// it is in the queue either way.
    async fn alert_staff(
        &self,
        id: i64,
        reporter: &UserView,
        reported: &UserView,
        form: &ReportForm,
        notes: &str,
    ) {
        let staff = match self.store.staff_emails().await {
            Ok(staff) => staff,
            Err(error) => {
                tracing::error!(%error, "listing staff for a report alert failed");
                return;
            }
        };
        for to in staff {
            let locale = match self.store.user_by_email(&to).await {
                Ok(Some(member)) => self.mail_locale(member.id).await,
                _ => shimmer_i18n::Locale::En,
            };
            let args = [
                ("id", id.into()),
                ("reporter", reporter.username.as_str().into()),
                ("name", reported.username.as_str().into()),
                (
                    "location",
                    locale
                        .t(&format!("report-location-{}", form.location))
                        .into(),
                ),
                (
                    "reason",
                    locale.t(&format!("report-reason-{}", form.reason)).into(),
                ),
                ("notes", notes.into()),
                (
                    "link",
                    format!("{}/staff/reports", self.settings.base_url).into(),
                ),
            ];
            let mail = OutgoingMail {
                to,
                subject: locale.message("mail-report-subject", &args),
                body: locale.message("mail-report-body", &args),
            };
            if let Err(error) = self.send_mail(mail).await {
                tracing::error!(%error, report_id = id, "report alert not sent");
            }
        }
    }

    /// The staff queue: reports with `status`. Staff with the `reports` permission only.
    pub async fn reports(
        &self,
        actor: &UserView,
        status: &str,
    ) -> Result<Vec<Report>, PlatformError> {
        Self::authorize_staff(actor, crate::staff::Permission::Reports)?;
        if !STATUSES.contains(&status) {
            return Err(PlatformError::NotFound("There is no such report status."));
        }
        let reports = self.store.reports_with_status(status, 500).await?;
        self.audit(
            actor,
            AuditStep {
                action: "view_reports",
                after: Some(serde_json::json!({ "status": status, "reports": reports.len() })),
                ..AuditStep::default()
            },
        )
        .await?;
        Ok(reports)
    }

    /// Moves a report to another status. Staff with the `reports` permission only.
    pub async fn set_report_status(
        &self,
        actor: &UserView,
        id: i64,
        status: &str,
    ) -> Result<(), PlatformError> {
        Self::authorize_staff(actor, crate::staff::Permission::Reports)?;
        if !STATUSES.contains(&status) {
            return Err(PlatformError::invalid(
                "status",
                "Choose open, resolved or dismissed.",
            ));
        }
        let before = self
            .store
            .report(id)
            .await?
            .ok_or(PlatformError::NotFound("There is no such report."))?;
        if !self.store.set_report_status(id, status, actor.id).await? {
            return Err(PlatformError::NotFound("There is no such report."));
        }
        let reported = match before.reported_user_id {
            Some(user_id) => self.user(user_id).await?,
            None => None,
        };
        self.audit(
            actor,
            AuditStep {
                action: "set_report_status",
                target: AuditTarget {
                    user: reported.as_ref(),
                    channel_id: None,
                },
                before: Some(serde_json::json!({ "report": id, "status": before.status })),
                after: Some(serde_json::json!({ "report": id, "status": status })),
                ..AuditStep::default()
            },
        )
        .await?;
        tracing::info!(
            report_id = id,
            staff = actor.id,
            status,
            "report status changed"
        );
        Ok(())
    }
}
