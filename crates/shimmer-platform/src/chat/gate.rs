//! What a chatter is told before they type: the channel's rules in words, and, when one of them
//! (or a ban or timeout) keeps them out right now, why and until when. The same rules decide
//! as when a message is sent, so the page never promises what a send would refuse.

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

/// The channel's rules, one sentence each.
pub fn rules_in_words(settings: &ChatSettings) -> Vec<String> {
    let mut rules = Vec::new();
    if settings.min_account_age_hours > 0 {
        rules.push(format!(
            "Accounts can chat once they are {} hours old.",
            settings.min_account_age_hours
        ));
    }
    if settings.require_verified_email {
        rules.push("A confirmed email address is needed to chat.".to_owned());
    }
    if settings.subscribers_only {
        rules.push("Only subscribers can chat.".to_owned());
    }
    if settings.block_links {
        rules.push("Links are not allowed.".to_owned());
    }
    if settings.slow_mode_seconds > 0 {
        rules.push(format!(
            "Slow mode: one message every {} seconds.",
            settings.slow_mode_seconds
        ));
    }
    rules
}

impl Platform {
    /// The chat's rules for `user` in a channel, and what keeps them from chatting now.
    pub async fn chat_gate(
        &self,
        user: &UserView,
        channel_id: i64,
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
            rules: rules_in_words(&room.settings),
        })
    }
}
