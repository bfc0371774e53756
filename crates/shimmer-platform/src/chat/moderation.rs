//! Moderation: who may time out, ban, unban and delete in a channel, the actions themselves,
//! the moderation log, moderator management and the channel's chat settings.

use crate::channels::manages;
use crate::UserView;
use shimmer_bus::Event;
use shimmer_store::{
    Channel, ChannelBan, ChatSettings, ModerationLogEntry, Moderator, ModeratorPermissions,
};

use crate::{FieldError, Platform, PlatformError};

pub const SHORT_TIMEOUT_MS: i64 = 5 * 60 * 1000;
pub const LONG_TIMEOUT_MS: i64 = 15 * 60 * 1000;
/// The longest `/timeout`: 14 days.
pub const MAX_TIMEOUT_SECONDS: i64 = 14 * 24 * 3600;
/// The longest slow mode, as on the chat settings page.
pub const MAX_SLOW_MODE_SECONDS: i64 = 3600;

/// A moderation action against a chatter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModerationKind {
    ShortTimeout,
    LongTimeout,
    Ban,
    Unban,
}

impl ModerationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShortTimeout => "short_timeout",
            Self::LongTimeout => "long_timeout",
            Self::Ban => "ban",
            Self::Unban => "unban",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "short_timeout" => Self::ShortTimeout,
            "long_timeout" => Self::LongTimeout,
            "ban" => Self::Ban,
            "unban" => Self::Unban,
            _ => return None,
        })
    }

    fn allowed_by(self, permissions: &ModeratorPermissions) -> bool {
        match self {
            Self::ShortTimeout => permissions.short_timeout,
            Self::LongTimeout => permissions.long_timeout,
            Self::Ban => permissions.ban,
            Self::Unban => permissions.unban,
        }
    }
}

/// The outcome of a moderation action: the log entry written, whom it hit, and when a timeout
/// ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moderated {
    pub log_id: i64,
    pub target_user_id: Option<i64>,
    pub expires_at: Option<i64>,
}

/// What a user may do in a channel's chat; pages use it to show only the controls that work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChatPermissions {
    pub can_send: bool,
    /// Owner or staff: may also manage moderators and settings.
    pub is_manager: bool,
    pub moderation: ModeratorPermissions,
}

impl ChatPermissions {
    pub fn is_moderator(&self) -> bool {
        let m = self.moderation;
        m.short_timeout || m.long_timeout || m.ban || m.unban || m.delete
    }
}

impl Platform {
    async fn channel_row(&self, channel_id: i64) -> Result<Channel, PlatformError> {
        self.store
            .channel_by_id(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))
    }

    /// What `actor` may do in the channel's chat: owners and staff everything, moderators what
    /// their flags allow, signed-in users send, visitors only read.
    pub async fn chat_permissions(
        &self,
        actor: Option<&UserView>,
        channel_id: i64,
    ) -> Result<ChatPermissions, PlatformError> {
        let channel = self.channel_row(channel_id).await?;
        let Some(actor) = actor else {
            return Ok(ChatPermissions::default());
        };
        if manages(actor, channel.user_id) {
            return Ok(ChatPermissions {
                can_send: true,
                is_manager: true,
                moderation: ModeratorPermissions::ALL,
            });
        }
        let moderation = self
            .store
            .moderator_permissions(channel_id, actor.id)
            .await?
            .unwrap_or_default();
        Ok(ChatPermissions {
            can_send: true,
            is_manager: false,
            moderation,
        })
    }

    pub(crate) async fn require_channel_manager(
        &self,
        actor: &UserView,
        channel_id: i64,
    ) -> Result<Channel, PlatformError> {
        let channel = self.channel_row(channel_id).await?;
        if manages(actor, channel.user_id) {
            Ok(channel)
        } else {
            Err(PlatformError::Forbidden)
        }
    }

    /// The user's ban (`Some(None)`) or timeout (`Some(Some(until))`) in the channel, if any,
    /// so a chat can say so as soon as it opens.
    pub async fn chat_restriction(
        &self,
        user: &UserView,
        channel_id: i64,
    ) -> Result<Option<Option<i64>>, PlatformError> {
        let room = self.rooms.room(&self.store, channel_id).await?;
        let restriction = room.lock().ban_of(user.id, shimmer_store::now_ms());
        Ok(restriction)
    }

    /// Times out, bans or unbans a chatter. A timeout or ban hides that chatter's messages (and
    /// only theirs); every action is logged and announced. Returns when a timeout ends.
    pub async fn moderate_user(
        &self,
        actor: &UserView,
        channel_id: i64,
        target_user_id: i64,
        kind: ModerationKind,
    ) -> Result<Option<i64>, PlatformError> {
        Ok(self
            .moderate_user_logged(actor, channel_id, target_user_id, kind)
            .await?
            .expires_at)
    }

    /// [`Platform::moderate_user`], also naming the moderation log entry it wrote (the API
    /// answers with that entry).
    pub async fn moderate_user_logged(
        &self,
        actor: &UserView,
        channel_id: i64,
        target_user_id: i64,
        kind: ModerationKind,
    ) -> Result<Moderated, PlatformError> {
        self.moderate(actor, channel_id, target_user_id, kind, None)
            .await
    }

    /// Times a chatter out for `seconds` (`/timeout`): up to five minutes needs the short
    /// timeout permission, longer the long one, and the checks of [`Platform::moderate_user`]
    /// apply.
    pub async fn timeout_user(
        &self,
        actor: &UserView,
        channel_id: i64,
        target_user_id: i64,
        seconds: i64,
    ) -> Result<Moderated, PlatformError> {
        if !(1..=MAX_TIMEOUT_SECONDS).contains(&seconds) {
            return Err(PlatformError::Refused(format!(
                "A timeout lasts 1 to {MAX_TIMEOUT_SECONDS} seconds (14 days)."
            )));
        }
        let duration_ms = seconds * 1000;
        let kind = if duration_ms <= SHORT_TIMEOUT_MS {
            ModerationKind::ShortTimeout
        } else {
            ModerationKind::LongTimeout
        };
        self.moderate(actor, channel_id, target_user_id, kind, Some(duration_ms))
            .await
    }

    /// Turns slow mode on (`seconds` between one chatter's messages) or off (0): the owner,
    /// staff and the channel's moderators may.
    pub async fn set_slow_mode(
        &self,
        actor: &UserView,
        channel_id: i64,
        seconds: i64,
    ) -> Result<(), PlatformError> {
        let permissions = self.chat_permissions(Some(actor), channel_id).await?;
        if !permissions.is_manager && !permissions.is_moderator() {
            return Err(PlatformError::Forbidden);
        }
        if !(0..=MAX_SLOW_MODE_SECONDS).contains(&seconds) {
            return Err(PlatformError::Refused(format!(
                "Slow mode is 1 to {MAX_SLOW_MODE_SECONDS} seconds, or off."
            )));
        }
        let mut settings = self
            .store
            .chat_settings(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        settings.slow_mode_seconds = seconds;
        self.store
            .update_chat_settings(channel_id, &settings)
            .await?;
        self.store
            .log_moderation(channel_id, actor.id, None, "slow_mode", None)
            .await?;
        self.rooms.apply(&Event::ChannelUpdated { channel_id });
        self.publish(Event::ChannelUpdated { channel_id }).await;
        Ok(())
    }

    /// Removes every message shown in the channel's chat (`/clear`): those with the delete
    /// permission may. Returns how many were removed.
    pub async fn clear_chat(
        &self,
        actor: &UserView,
        channel_id: i64,
    ) -> Result<usize, PlatformError> {
        let permissions = self.chat_permissions(Some(actor), channel_id).await?;
        if !permissions.moderation.delete {
            return Err(PlatformError::Forbidden);
        }
        let hidden = self
            .store
            .hide_channel_chat_messages(channel_id, "cleared")
            .await?;
        self.store
            .log_moderation(channel_id, actor.id, None, "clear_chat", None)
            .await?;
        let count = hidden.len();
        self.publish(Event::ChatMessagesHidden {
            channel_id,
            message_ids: hidden,
            user_id: None,
        })
        .await;
        Ok(count)
    }

    async fn moderate(
        &self,
        actor: &UserView,
        channel_id: i64,
        target_user_id: i64,
        kind: ModerationKind,
        timeout_ms: Option<i64>,
    ) -> Result<Moderated, PlatformError> {
        let channel = self.channel_row(channel_id).await?;
        let permissions = self.chat_permissions(Some(actor), channel_id).await?;
        if !kind.allowed_by(&permissions.moderation) {
            return Err(PlatformError::Forbidden);
        }
        let target = self
            .store
            .user_by_id(target_user_id)
            .await?
            .ok_or(PlatformError::NotFound("That user does not exist."))?;
        if target.id == actor.id {
            return Err(PlatformError::Refused(
                "You cannot moderate yourself.".into(),
            ));
        }
        if target.id == channel.user_id {
            return Err(PlatformError::Refused(
                "The streamer cannot be moderated in their own channel.".into(),
            ));
        }
        let target_is_moderator = self
            .store
            .moderator_permissions(channel_id, target.id)
            .await?
            .is_some();
        if (target.is_admin || target_is_moderator) && !permissions.is_manager {
            return Err(PlatformError::Refused(
                "Only the streamer or staff can moderate moderators and staff.".into(),
            ));
        }
        let now = shimmer_store::now_ms();
        let expires_at = match kind {
            ModerationKind::ShortTimeout => Some(now + timeout_ms.unwrap_or(SHORT_TIMEOUT_MS)),
            ModerationKind::LongTimeout => Some(now + timeout_ms.unwrap_or(LONG_TIMEOUT_MS)),
            ModerationKind::Ban | ModerationKind::Unban => None,
        };
        if kind == ModerationKind::Unban {
            self.store
                .remove_channel_bans(channel_id, target.id)
                .await?;
        } else {
            self.store
                .add_channel_ban(channel_id, target.id, expires_at, actor.id)
                .await?;
        }
        let log_id = self
            .store
            .log_moderation(channel_id, actor.id, Some(target.id), kind.as_str(), None)
            .await?;
        let event = Event::ModerationAction {
            channel_id,
            moderator_id: actor.id,
            target_user_id: Some(target.id),
            action: kind.as_str().to_owned(),
            expires_at,
        };
        self.rooms.apply(&event);
        if kind != ModerationKind::Unban {
            let hidden = self
                .store
                .hide_user_chat_messages(channel_id, target.id, kind.as_str())
                .await?;
            self.publish(Event::ChatMessagesHidden {
                channel_id,
                message_ids: hidden,
                user_id: Some(target.id),
            })
            .await;
        }
        self.publish(event).await;
        tracing::info!(
            channel_id,
            moderator = actor.id,
            target = target.id,
            action = kind.as_str(),
            "moderation"
        );
        Ok(Moderated {
            log_id,
            target_user_id: Some(target.id),
            expires_at,
        })
    }

    /// Deletes (hides) one message; logged and announced.
    pub async fn delete_chat_message(
        &self,
        actor: &UserView,
        channel_id: i64,
        message_id: i64,
    ) -> Result<(), PlatformError> {
        self.delete_chat_message_logged(actor, channel_id, message_id)
            .await
            .map(drop)
    }

    /// [`Platform::delete_chat_message`], also naming the moderation log entry it wrote.
    pub async fn delete_chat_message_logged(
        &self,
        actor: &UserView,
        channel_id: i64,
        message_id: i64,
    ) -> Result<Moderated, PlatformError> {
        let permissions = self.chat_permissions(Some(actor), channel_id).await?;
        if !permissions.moderation.delete {
            return Err(PlatformError::Forbidden);
        }
        let message = self
            .store
            .chat_message(message_id)
            .await?
            .filter(|message| message.channel_id == channel_id)
            .ok_or(PlatformError::NotFound("That message does not exist."))?;
        if let (Some(author_id), false) = (message.user_id, permissions.is_manager) {
            let channel = self.channel_row(channel_id).await?;
            let author_is_staff = self
                .store
                .user_by_id(author_id)
                .await?
                .is_some_and(|author| author.is_admin);
            let author_is_moderator = self
                .store
                .moderator_permissions(channel_id, author_id)
                .await?
                .is_some();
            if author_id != actor.id
                && (author_id == channel.user_id || author_is_staff || author_is_moderator)
            {
                return Err(PlatformError::Refused(
                    "Only the streamer or staff can delete messages of the streamer, moderators and staff.".into(),
                ));
            }
        }
        if !self
            .store
            .hide_chat_message(channel_id, message_id, "deleted")
            .await?
        {
            return Err(PlatformError::NotFound("That message was already removed."));
        }
        let log_id = self
            .store
            .log_moderation(
                channel_id,
                actor.id,
                message.user_id,
                "delete_message",
                Some(message_id),
            )
            .await?;
        self.publish(Event::ChatMessagesHidden {
            channel_id,
            message_ids: vec![message_id],
            user_id: None,
        })
        .await;
        self.publish(Event::ModerationAction {
            channel_id,
            moderator_id: actor.id,
            target_user_id: message.user_id,
            action: "delete_message".into(),
            expires_at: None,
        })
        .await;
        Ok(Moderated {
            log_id,
            target_user_id: message.user_id,
            expires_at: None,
        })
    }

    /// The moderation log, for the channel's owner, moderators and staff.
    pub async fn moderation_log(
        &self,
        actor: &UserView,
        channel_id: i64,
    ) -> Result<Vec<ModerationLogEntry>, PlatformError> {
        if !self
            .chat_permissions(Some(actor), channel_id)
            .await?
            .is_moderator()
        {
            return Err(PlatformError::Forbidden);
        }
        Ok(self.store.moderation_log(channel_id, 200).await?)
    }

    /// Bans and timeouts in force, for the channel's owner, moderators and staff.
    pub async fn channel_bans(
        &self,
        actor: &UserView,
        channel_id: i64,
    ) -> Result<Vec<ChannelBan>, PlatformError> {
        if !self
            .chat_permissions(Some(actor), channel_id)
            .await?
            .is_moderator()
        {
            return Err(PlatformError::Forbidden);
        }
        Ok(self.store.active_channel_bans(channel_id).await?)
    }

    pub async fn moderators(
        &self,
        actor: &UserView,
        channel_id: i64,
    ) -> Result<Vec<Moderator>, PlatformError> {
        self.require_channel_manager(actor, channel_id).await?;
        Ok(self.store.moderators(channel_id).await?)
    }

    /// The channel's moderators for anyone who asks: the legacy API's `Channel.moderators`,
    /// public as on Glimesh (chat badges show who moderates anyway).
    pub async fn public_moderators(
        &self,
        channel_id: i64,
    ) -> Result<Vec<Moderator>, PlatformError> {
        Ok(self.store.moderators(channel_id).await?)
    }

    /// Makes `username` a moderator of the channel with these permissions (or changes them).
    pub async fn set_moderator(
        &self,
        actor: &UserView,
        channel_id: i64,
        username: &str,
        permissions: ModeratorPermissions,
    ) -> Result<(), PlatformError> {
        let channel = self.require_channel_manager(actor, channel_id).await?;
        let user = self
            .store
            .user_by_username(username.trim())
            .await?
            .ok_or_else(|| {
                PlatformError::invalid("username", "There is no user with that name.")
            })?;
        if user.id == channel.user_id {
            return Err(PlatformError::invalid(
                "username",
                "The streamer already has every permission.",
            ));
        }
        self.store
            .upsert_moderator(channel_id, user.id, permissions)
            .await?;
        // This node's rooms first: open chats re-read their rules when the event arrives.
        self.rooms.apply(&Event::ChannelUpdated { channel_id });
        self.publish(Event::ChannelUpdated { channel_id }).await;
        Ok(())
    }

    pub async fn remove_moderator(
        &self,
        actor: &UserView,
        channel_id: i64,
        user_id: i64,
    ) -> Result<(), PlatformError> {
        self.require_channel_manager(actor, channel_id).await?;
        if !self.store.remove_moderator(channel_id, user_id).await? {
            return Err(PlatformError::NotFound(
                "That user is not a moderator here.",
            ));
        }
        // This node's rooms first: open chats re-read their rules when the event arrives.
        self.rooms.apply(&Event::ChannelUpdated { channel_id });
        self.publish(Event::ChannelUpdated { channel_id }).await;
        Ok(())
    }

    /// Saves the channel's chat safety settings.
    pub async fn update_chat_settings(
        &self,
        actor: &UserView,
        channel_id: i64,
        settings: &ChatSettings,
    ) -> Result<(), PlatformError> {
        self.require_channel_manager(actor, channel_id).await?;
        let mut errors = Vec::new();
        if !(0..=720).contains(&settings.min_account_age_hours) {
            errors.push(FieldError::new(
                "min_account_age_hours",
                "The minimum account age is 0 to 720 hours.",
            ));
        }
        if !(0..=3600).contains(&settings.slow_mode_seconds) {
            errors.push(FieldError::new(
                "slow_mode_seconds",
                "Slow mode is 0 to 3600 seconds.",
            ));
        }
        if !errors.is_empty() {
            return Err(PlatformError::Invalid(errors));
        }
        self.store
            .update_chat_settings(channel_id, settings)
            .await?;
        // This node's rooms first: open chats re-read their rules when the event arrives.
        self.rooms.apply(&Event::ChannelUpdated { channel_id });
        self.publish(Event::ChannelUpdated { channel_id }).await;
        Ok(())
    }
}
