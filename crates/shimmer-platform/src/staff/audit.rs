//! The staff audit log: who did what to whom, when, with the state before and after and the
//! reason. Rows are only ever appended (the store has no other write, and the table refuses
//! changes); staff read them with [`Platform::audit_log`].

use serde_json::Value;
use shimmer_store::{AuditEntry, AuditFilter, NewAuditEntry};

use super::Permission;
use crate::{Platform, PlatformError, UserView};

/// Rows per page of `/staff/audit`.
pub const AUDIT_PAGE: i64 = 50;

/// The operator at the shell, named in rows written by `shimmer user staff`.
pub const SHELL_ACTOR: &str = "(shell)";

/// Whom an audited step concerns.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditTarget<'a> {
    pub user: Option<&'a UserView>,
    pub channel_id: Option<i64>,
}

impl<'a> AuditTarget<'a> {
    pub fn user(user: &'a UserView) -> Self {
        Self {
            user: Some(user),
            channel_id: None,
        }
    }

    pub fn channel(user: &'a UserView, channel_id: i64) -> Self {
        Self {
            user: Some(user),
            channel_id: Some(channel_id),
        }
    }
}

/// One step to record.
#[derive(Debug, Clone, Default)]
pub struct AuditStep<'a> {
    pub action: &'a str,
    pub target: AuditTarget<'a>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: &'a str,
}

impl Platform {
    /// Appends one row for `actor`. Callers await it before they answer, so a step is never
    /// reported done without its row.
    pub(crate) async fn audit(
        &self,
        actor: &UserView,
        step: AuditStep<'_>,
    ) -> Result<(), PlatformError> {
        self.append_audit(actor.id, &actor.username, step).await
    }

    pub(crate) async fn append_audit(
        &self,
        actor_id: i64,
        actor_username: &str,
        step: AuditStep<'_>,
    ) -> Result<(), PlatformError> {
        let id = self
            .store
            .append_audit(&NewAuditEntry {
                actor_id,
                actor_username,
                action: step.action,
                target_user_id: step.target.user.map(|user| user.id),
                target_username: step.target.user.map(|user| user.username.as_str()),
                target_channel_id: step.target.channel_id,
                before: step.before.map(|value| value.to_string()),
                after: step.after.map(|value| value.to_string()),
                reason: step.reason,
            })
            .await?;
        tracing::info!(
            audit_id = id,
            actor = actor_id,
            action = step.action,
            "staff audit"
        );
        Ok(())
    }

    /// One page (newest first, [`AUDIT_PAGE`] rows) of the audit log matching `filter`. Any
    /// staff level may read it: it is how staff see each other's work.
    pub async fn audit_log(
        &self,
        actor: &UserView,
        filter: &AuditFilter,
        page: i64,
    ) -> Result<Vec<AuditEntry>, PlatformError> {
        Self::authorize_staff(actor, Permission::LookUp)?;
        let page = page.clamp(1, 10_000);
        Ok(self
            .store
            .audit_entries(filter, (page - 1) * AUDIT_PAGE, AUDIT_PAGE)
            .await?)
    }
}
