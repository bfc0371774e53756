//! The platform ban and its cascade. Banning ends the account's sessions, revokes its OAuth
//! tokens, ends its live stream, hides its chat messages in every channel (announced like a
//! moderator's hide, so open chats drop them), closes its open chat and API sockets (through
//! `Event::AccountBanned`) and keeps its address from signing up again; while banned it cannot
//! sign in or go live. Each step is written to the audit log. Unbanning lifts the ban; the
//! account signs in again as before (sessions and tokens stay gone).

use serde_json::json;
use shimmer_bus::{Event, StreamEndReason};

use super::audit::{AuditStep, AuditTarget};
use super::Permission;
use crate::{Platform, PlatformError, UserView};

/// Longest reason of a staff step (a ban, an unban, an ended stream), in characters.
pub const REASON_MAX: usize = 500;

/// The refusal a banned account meets at sign-in.
pub const BANNED_SIGN_IN: &str =
    "This account is banned from the platform. Contact support if you think this is a mistake.";

/// The refusal a sign-up with a banned account's address meets.
pub const BANNED_SIGN_UP: &str =
    "This email address belongs to an account that is banned from the platform, so it cannot sign up again.";

/// The reason recorded on chat messages a platform ban hid.
const HIDDEN_REASON: &str = "platform_ban";

/// A staff step's reason, trimmed: refused when longer than [`REASON_MAX`], or empty where one
/// is `required`.
pub(crate) fn checked_reason(reason: &str, required: bool) -> Result<&str, PlatformError> {
    let reason = reason.trim();
    if required && reason.is_empty() {
        return Err(PlatformError::invalid(
            "reason",
            "Give a reason; it goes into the audit log.",
        ));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(PlatformError::invalid(
            "reason",
            format!("The reason can be at most {REASON_MAX} characters long."),
        ));
    }
    Ok(reason)
}

impl Platform {
    /// Bans the account from the platform with a reason; see the module documentation for the
    /// cascade.
    pub async fn ban_account(
        &self,
        actor: &UserView,
        username: &str,
        reason: &str,
    ) -> Result<(), PlatformError> {
        let (target, _) = self.staff_target(username).await?;
        Self::authorize_staff_on(actor, Permission::Ban, &target)?;
        let reason = checked_reason(reason, true)?;
        if !self
            .store
            .create_platform_ban(target.id, &target.email, reason, actor.id)
            .await?
        {
            return Err(PlatformError::Refused(format!(
                "{} is already banned.",
                target.username
            )));
        }
        let channel = self.channel_of_user(target.id).await?;
        let step = |action, before, after| AuditStep {
            action,
            target: AuditTarget::channel(&target, channel.id),
            before,
            after,
            reason,
        };
        self.audit(
            actor,
            step(
                "ban",
                Some(json!({ "banned": false })),
                Some(json!({ "banned": true, "email": target.email })),
            ),
        )
        .await?;

        let sessions = self.store.delete_other_sessions(target.id, None).await?;
        self.audit(
            actor,
            step(
                "ban_end_sessions",
                None,
                Some(json!({ "sessions_ended": sessions })),
            ),
        )
        .await?;

        let tokens = self.store.revoke_oauth_tokens_of_user(target.id).await?;
        self.audit(
            actor,
            step(
                "ban_revoke_tokens",
                None,
                Some(json!({ "tokens_revoked": tokens })),
            ),
        )
        .await?;

        if let Some(stream_id) = channel.current_stream_id {
            self.end_stream(channel.id, stream_id, StreamEndReason::Staff)
                .await?;
            self.audit(
                actor,
                step(
                    "ban_end_stream",
                    Some(json!({ "stream_id": stream_id, "live": true })),
                    Some(json!({ "live": false })),
                ),
            )
            .await?;
        }

        let hidden = self
            .store
            .hide_chat_messages_everywhere(target.id, HIDDEN_REASON)
            .await?;
        let hidden_count: usize = hidden.iter().map(|(_, ids)| ids.len()).sum();
        let channels = hidden.len();
        for (channel_id, message_ids) in hidden {
            self.publish(Event::ChatMessagesHidden {
                channel_id,
                message_ids,
                user_id: Some(target.id),
            })
            .await;
        }
        self.audit(
            actor,
            step(
                "ban_hide_messages",
                None,
                Some(json!({ "messages_hidden": hidden_count, "channels": channels })),
            ),
        )
        .await?;

        self.publish(Event::AccountBanned {
            channel_id: channel.id,
            user_id: target.id,
        })
        .await;
        self.audit(
            actor,
            step(
                "ban_close_chat",
                None,
                Some(json!({ "chat_sockets": "closed" })),
            ),
        )
        .await?;
        tracing::info!(user_id = target.id, staff = actor.id, "account banned");
        Ok(())
    }

    /// Lifts the account's ban: it may sign in and sign up addresses again.
    pub async fn unban_account(
        &self,
        actor: &UserView,
        username: &str,
        reason: &str,
    ) -> Result<(), PlatformError> {
        let (target, _) = self.staff_target(username).await?;
        Self::authorize_staff_on(actor, Permission::Ban, &target)?;
        let reason = checked_reason(reason, false)?;
        if !self.store.lift_platform_ban(target.id, actor.id).await? {
            return Err(PlatformError::Refused(format!(
                "{} is not banned.",
                target.username
            )));
        }
        self.audit(
            actor,
            AuditStep {
                action: "unban",
                target: AuditTarget::user(&target),
                before: Some(json!({ "banned": true })),
                after: Some(json!({ "banned": false })),
                reason,
            },
        )
        .await?;
        tracing::info!(user_id = target.id, staff = actor.id, "account unbanned");
        Ok(())
    }

    /// Refuses a banned account (sign-in and going live ask this).
    pub(crate) async fn refuse_banned(&self, user_id: i64) -> Result<(), PlatformError> {
        if self.store.active_platform_ban(user_id).await?.is_some() {
            return Err(PlatformError::Refused(BANNED_SIGN_IN.into()));
        }
        Ok(())
    }
}
