//! Staff actions on an account and its channel: edit username and email, the can-stream
//! switch, resetting two-factor sign-in, ending a live stream ("bounce"), hiding the channel
//! from discovery, and setting staff levels from the shell. Each is decided by
//! `authorize_staff_on` and recorded in the audit log, with the state before and after, before
//! it returns.

use serde_json::json;
use shimmer_bus::StreamEndReason;
use shimmer_store::StoreError;

use super::audit::{AuditStep, AuditTarget, SHELL_ACTOR};
use super::{Permission, StaffLevel};
use crate::accounts::{validation, USERNAME_HOLD};
use crate::{Platform, PlatformError, UserView};

/// What `shimmer user staff` changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelChange {
    pub before: Option<StaffLevel>,
    pub after: Option<StaffLevel>,
}

fn level_json(level: Option<StaffLevel>) -> serde_json::Value {
    json!({ "staff_level": level.map_or(0, StaffLevel::number) })
}

impl Platform {
    /// The account named `username`, for an action.
    pub(crate) async fn staff_target(
        &self,
        username: &str,
    ) -> Result<(UserView, bool), PlatformError> {
        let row =
            self.store
                .user_by_username(username.trim())
                .await?
                .ok_or(PlatformError::NotFound(
                    "There is no account with that name.",
                ))?;
        let can_stream = row.can_stream;
        Ok((UserView::from(row), can_stream))
    }

    /// Renames the account (no password, no cool-down: staff rename abusive names), keeping
    /// the old name held like any rename.
    pub async fn staff_rename(
        &self,
        actor: &UserView,
        username: &str,
        new_username: &str,
    ) -> Result<(), PlatformError> {
        let (target, _) = self.staff_target(username).await?;
        Self::authorize_staff_on(actor, Permission::EditUsers, &target)?;
        let new_username = new_username.trim();
        validation::username(new_username)
            .map_err(|error| PlatformError::invalid("username", error.message))?;
        if new_username == target.username {
            return Err(PlatformError::invalid(
                "username",
                "That is already the username.",
            ));
        }
        if !new_username.eq_ignore_ascii_case(&target.username) {
            self.refuse_held_username(new_username).await?;
        }
        let hold_since = shimmer_store::now_ms() - USERNAME_HOLD.as_millis() as i64;
        self.store
            .rename_user(target.id, new_username, hold_since)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => PlatformError::invalid(
                    "username",
                    "That username is taken or was given up recently.",
                ),
                other => other.into(),
            })?;
        self.channel_lookups.forget_user(target.id);
        self.audit(
            actor,
            AuditStep {
                action: "edit_username",
                target: AuditTarget::user(&target),
                before: Some(json!({ "username": target.username })),
                after: Some(json!({ "username": new_username })),
                ..AuditStep::default()
            },
        )
        .await
    }

    /// Changes the account's email address; staff have checked it with the owner, so it counts
    /// as confirmed.
    pub async fn staff_change_email(
        &self,
        actor: &UserView,
        username: &str,
        new_email: &str,
    ) -> Result<(), PlatformError> {
        let (target, _) = self.staff_target(username).await?;
        Self::authorize_staff_on(actor, Permission::EditUsers, &target)?;
        let new_email = new_email.trim();
        validation::email(new_email).map_err(|error| PlatformError::Invalid(vec![error]))?;
        if new_email == target.email {
            return Err(PlatformError::invalid(
                "email",
                "That is already the address.",
            ));
        }
        self.store
            .set_confirmed_email(target.id, new_email)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => PlatformError::invalid(
                    "email",
                    "Another account already has that email address.",
                ),
                other => other.into(),
            })?;
        self.audit(
            actor,
            AuditStep {
                action: "edit_email",
                target: AuditTarget::user(&target),
                before: Some(json!({ "email": target.email })),
                after: Some(json!({ "email": new_email })),
                ..AuditStep::default()
            },
        )
        .await
    }

    /// Allows or stops the account going live. Stopping does not end a live stream (that is
    /// [`Platform::staff_end_stream`]); the next start is refused.
    pub async fn staff_set_can_stream(
        &self,
        actor: &UserView,
        username: &str,
        can_stream: bool,
    ) -> Result<(), PlatformError> {
        let (target, before) = self.staff_target(username).await?;
        Self::authorize_staff_on(actor, Permission::StreamControl, &target)?;
        self.store.set_can_stream(target.id, can_stream).await?;
        self.audit(
            actor,
            AuditStep {
                action: "set_can_stream",
                target: AuditTarget::user(&target),
                before: Some(json!({ "can_stream": before })),
                after: Some(json!({ "can_stream": can_stream })),
                ..AuditStep::default()
            },
        )
        .await
    }

    /// Removes two-factor sign-in and the recovery codes, for an owner who lost both. A staff
    /// account is asked to enrol again at its next page.
    pub async fn staff_reset_two_factor(
        &self,
        actor: &UserView,
        username: &str,
    ) -> Result<(), PlatformError> {
        let (target, _) = self.staff_target(username).await?;
        Self::authorize_staff_on(actor, Permission::EditUsers, &target)?;
        let before = self.store.two_factor_enabled(target.id).await?;
        self.store.disable_two_factor(target.id).await?;
        self.audit(
            actor,
            AuditStep {
                action: "reset_two_factor",
                target: AuditTarget::user(&target),
                before: Some(json!({ "two_factor": before })),
                after: Some(json!({ "two_factor": false })),
                ..AuditStep::default()
            },
        )
        .await
    }

    /// Ends the channel's live stream now ("bounce"); its ingest learns it at its next report
    /// and stops. Refused when the channel is offline.
    pub async fn staff_end_stream(
        &self,
        actor: &UserView,
        username: &str,
        reason: &str,
    ) -> Result<(), PlatformError> {
        let (target, _) = self.staff_target(username).await?;
        Self::authorize_staff_on(actor, Permission::StreamControl, &target)?;
        let reason = super::ban::checked_reason(reason, false)?;
        let channel = self.channel_of_user(target.id).await?;
        let Some(stream_id) = channel.current_stream_id else {
            return Err(PlatformError::Refused(format!(
                "{} is not live.",
                target.username
            )));
        };
        self.end_stream(channel.id, stream_id, StreamEndReason::Staff)
            .await?;
        self.audit(
            actor,
            AuditStep {
                action: "end_stream",
                target: AuditTarget::channel(&target, channel.id),
                before: Some(json!({ "stream_id": stream_id, "live": true })),
                after: Some(json!({ "live": false })),
                reason,
            },
        )
        .await
    }

    /// Hides the channel from (or shows it again in) the live directory; the channel page
    /// stays reachable by its address.
    pub async fn staff_set_hidden_from_discovery(
        &self,
        actor: &UserView,
        username: &str,
        hidden: bool,
    ) -> Result<(), PlatformError> {
        let (target, _) = self.staff_target(username).await?;
        Self::authorize_staff_on(actor, Permission::StreamControl, &target)?;
        let channel = self.channel_of_user(target.id).await?;
        let before = self.store.channel_hidden_from_discovery(channel.id).await?;
        self.store
            .set_channel_hidden_from_discovery(channel.id, hidden)
            .await?;
        self.audit(
            actor,
            AuditStep {
                action: "set_hidden_from_discovery",
                target: AuditTarget::channel(&target, channel.id),
                before: Some(json!({ "hidden_from_discovery": before })),
                after: Some(json!({ "hidden_from_discovery": hidden })),
                ..AuditStep::default()
            },
        )
        .await
    }

    /// Sets an account's staff level from the operator's shell (0 ends staff membership). The
    /// shell is trusted like the database it opens; a change is audited as `(shell)`.
    pub async fn set_staff_level_from_shell(
        &self,
        username: &str,
        level: i64,
    ) -> Result<LevelChange, PlatformError> {
        let after = match level {
            0 => None,
            number => Some(StaffLevel::from_number(number).ok_or_else(|| {
                PlatformError::invalid(
                    "level",
                    "The level is 0 (not staff) or 1 to 5 (trial member, member, lead, manager, admin).",
                )
            })?),
        };
        let (target, _) = self.staff_target(username).await?;
        let change = LevelChange {
            before: target.staff_level,
            after,
        };
        if change.before == change.after {
            return Ok(change);
        }
        self.store.set_staff_level(target.id, level).await?;
        self.append_audit(
            0,
            SHELL_ACTOR,
            AuditStep {
                action: "set_staff_level",
                target: AuditTarget::user(&target),
                before: Some(level_json(target.staff_level)),
                after: Some(level_json(after)),
                ..AuditStep::default()
            },
        )
        .await?;
        Ok(change)
    }
}
