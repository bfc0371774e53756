//! What a chatter is told before they type: the channel's rules in words, and, when one of them
//! (or a ban or timeout) keeps them out right now, why and until when. The same rules decide
//! as when a message is sent, so the page never promises what a send would refuse.

use shimmer_i18n::Locale;
use shimmer_store::ChatSettings;

use super::rules::{AccountAge, ChatRule, NotBanned, SubscribersOnly, VerifiedEmail};
use super::{Badge, ChatRefusal, SendContext};
use crate::views::UserView;
use crate::{Platform, PlatformError};

/// The chat's rules for one person, as the chat input shows them.
#[derive(Debug, Clone)]
pub struct ChatGate {
    /// Why this person cannot chat now, if they cannot: the refusal a message would get.
    pub blocked: Option<ChatRefusal>,
    /// The channel's rules, one sentence each (empty when it has none).
    pub rules: Vec<String>,
}

/// The channel's rules, one sentence each, in `locale`.
pub fn rules_in_words(settings: &ChatSettings, locale: Locale) -> Vec<String> {
    let mut rules = Vec::new();
    if settings.min_account_age_hours > 0 {
        rules.push(locale.message(
            "chat-rule-age",
            &[("hours", settings.min_account_age_hours.into())],
        ));
    }
    if settings.require_verified_email {
        rules.push(locale.t("chat-rule-email"));
    }
    if settings.subscribers_only {
        rules.push(locale.t("chat-rule-subscribers"));
    }
    if settings.block_links {
        rules.push(locale.t("chat-rule-links"));
    }
    if settings.slow_mode_seconds > 0 {
        rules.push(locale.message(
            "chat-rule-slow",
            &[("seconds", settings.slow_mode_seconds.into())],
        ));
    }
    rules
}

impl Platform {
    /// The chat's rules for `user` in a channel, and what keeps them from chatting now, in
    /// `locale`.
    pub async fn chat_gate(
        &self,
        user: &UserView,
        channel_id: i64,
        locale: Locale,
    ) -> Result<ChatGate, PlatformError> {
        let room = self.rooms.room(&self.store, channel_id).await?;
        let room = room.lock();
        let now_ms = shimmer_store::now_ms();
        let privileged = room
            .badges_for(user)
            .iter()
            .any(|badge| matches!(badge, Badge::Streamer | Badge::Moderator | Badge::Staff));
        let context = SendContext {
            sender: user,
            settings: &room.settings,
            ban: room.ban_of(user.id, now_ms),
            privileged,
            subscriber: room.subscribers.contains(&user.id),
            has_link: false,
            body_hash: 0,
            last_body: None,
            last_sent_at: None,
            now_ms,
        };
        let who_may_enter: [&dyn ChatRule; 4] =
            [&NotBanned, &VerifiedEmail, &AccountAge, &SubscribersOnly];
        let blocked = who_may_enter
            .iter()
            .find_map(|rule| rule.check(&context).err());
        Ok(ChatGate {
            blocked,
            rules: rules_in_words(&room.settings, locale),
        })
    }
}
