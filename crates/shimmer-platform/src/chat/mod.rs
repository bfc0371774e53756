//! Chat: sending messages through the safety rules, history, and the per-channel state that
//! makes checks cheap (bans, moderators, settings and each chatter's last message are kept in
//! memory per room, so a message costs one database write).

mod cards;
pub mod colors;
pub mod commands;
mod gate;
mod moderation;
mod rooms;
pub mod rules;
pub mod tokenize;

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use crate::UserView;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use shimmer_bus::chat::{Badge, ChatMessage, ChatToken, LineKind, ReplyTo};
use shimmer_bus::Event;
use shimmer_store::{ChatSettings, NewChatLine, StoredChatMessage, StoredReplyParent};

use crate::{Platform, PlatformError};

pub(crate) use cards::CARD_RATE;
pub use cards::{ChatterCard, ChatterModeration, ModerationStep};
pub use commands::{ChatCommand, CommandOutcome};
pub use gate::{rules_in_words, ChatGate};
pub use moderation::{ChatPermissions, Moderated, ModerationKind};
pub use rooms::Rooms;

/// Limits of the chat, from the configuration.
#[derive(Debug, Clone)]
pub struct ChatConfig {
    /// Longest message, in characters.
    pub max_message_chars: usize,
    /// Messages shown on join.
    pub history_messages: i64,
    /// Per chatter: messages allowed at once, then one per `user_interval`.
    pub user_burst: u32,
    pub user_interval: Duration,
    /// Per client address: messages allowed at once, then one per `ip_interval`.
    pub ip_burst: u32,
    pub ip_interval: Duration,
}

impl Default for ChatConfig {
    fn default() -> Self {
        Self {
            max_message_chars: 500,
            history_messages: 50,
            user_burst: 8,
            user_interval: Duration::from_millis(700),
            ip_burst: 40,
            ip_interval: Duration::from_millis(100),
        }
    }
}

/// Why a message was not accepted, worded for the chatter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatRefusal {
    /// A stable code for programs: banned, timed_out, email_unverified, account_too_new,
    /// links_blocked, slow_mode, duplicate, rate_limited, empty, too_long, not_signed_in.
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<Duration>,
    /// The catalogue key and arguments of the words, when the catalogue words them.
    pub words: Option<(&'static str, Vec<(&'static str, shimmer_i18n::Arg)>)>,
}

impl ChatRefusal {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retry_after: None,
            words: None,
        }
    }

    /// A refusal worded by the catalogue: `key` with `args`, in English as `message` (for the
    /// API) and in each chatter's language through [`ChatRefusal::message_in`].
    pub fn worded(
        code: &'static str,
        key: &'static str,
        args: Vec<(&'static str, shimmer_i18n::Arg)>,
    ) -> Self {
        Self {
            code,
            message: shimmer_i18n::Locale::En.message(key, &args),
            retry_after: None,
            words: Some((key, args)),
        }
    }

    /// The refusal's words in `locale`: its catalogue key, else the English `message` as the
    /// catalogue words it (`errors.ftl`), else the English `message` as it is.
    pub fn message_in(&self, locale: shimmer_i18n::Locale) -> String {
        match &self.words {
            Some((key, args)) => locale.message(key, args),
            None => locale.words(&self.message),
        }
    }

    pub fn retry_after(mut self, after: Duration) -> Self {
        self.retry_after = Some(after);
        self
    }
}

/// A failed send: refused by a rule, or a fault of the platform.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error("{}", .0.message)]
    Refused(ChatRefusal),
    #[error(transparent)]
    Platform(#[from] PlatformError),
}

impl From<shimmer_store::StoreError> for ChatError {
    fn from(error: shimmer_store::StoreError) -> Self {
        Self::Platform(error.into())
    }
}

/// What the rules see about a message being sent.
pub struct SendContext<'a> {
    pub sender: &'a UserView,
    pub settings: &'a ChatSettings,
    /// The chatter's ban in this channel: None, Some(None) for a ban, Some(Some(until)).
    pub ban: Option<Option<i64>>,
    /// Owner, moderators and staff skip the channel's gating rules.
    pub privileged: bool,
    /// The chatter subscribes to the channel.
    pub subscriber: bool,
    pub has_link: bool,
    pub body_hash: u64,
    pub last_body: Option<(u64, i64)>,
    pub last_sent_at: Option<i64>,
    pub now_ms: i64,
}

/// Rate limiters for chat, per chatter and per address.
pub(crate) struct ChatLimits {
    per_user: DefaultKeyedRateLimiter<i64>,
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota(burst: u32, interval: Duration) -> Quota {
    Quota::with_period(interval.max(Duration::from_micros(1)))
        .expect("a non-zero period")
        .allow_burst(NonZeroU32::new(burst.max(1)).expect("a non-zero burst"))
}

impl ChatLimits {
    pub(crate) fn new(config: &ChatConfig) -> Self {
        Self {
            per_user: DefaultKeyedRateLimiter::keyed(quota(
                config.user_burst,
                config.user_interval,
            )),
            per_ip: DefaultKeyedRateLimiter::keyed(quota(config.ip_burst, config.ip_interval)),
        }
    }

    fn check(&self, user_id: i64, ip: IpAddr) -> Result<(), ChatRefusal> {
        let refusal = |wait: Duration| {
            ChatRefusal::new(
                "rate_limited",
                "You are sending messages too quickly. Wait a moment.",
            )
            .retry_after(wait)
        };
        let now = DefaultClock::default().now();
        self.per_user
            .check_key(&user_id)
            .map_err(|not_until| refusal(not_until.wait_time_from(now)))?;
        self.per_ip
            .check_key(&ip)
            .map_err(|not_until| refusal(not_until.wait_time_from(now)))?;
        Ok(())
    }
}

fn body_hash(body: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    body.trim().to_lowercase().hash(&mut hasher);
    hasher.finish()
}

/// The start of a message, quoted in refusals so the sender knows which message failed.
pub fn excerpt(body: &str) -> String {
    const SHOWN: usize = 40;
    let mut shown: String = body.chars().take(SHOWN).collect();
    if body.chars().nth(SHOWN).is_some() {
        shown.push('…');
    }
    shown
}

/// The refusal of a message the bus could not carry to the other nodes.
fn not_delivered(body: &str) -> ChatRefusal {
    ChatRefusal::new(
        "not_delivered",
        format!(
            "Your message \"{}\" was not sent: chat is reconnecting. Send it again in a moment.",
            excerpt(body)
        ),
    )
    .retry_after(Duration::from_secs(2))
}

/// A database fault while storing a message: refused by name when the database cannot be
/// reached (the sender may try again), else passed on.
fn unavailable_or(error: shimmer_store::StoreError, body: &str) -> ChatError {
    if error.is_unavailable() {
        tracing::warn!(%error, "a chat message was refused: the database is unavailable");
        ChatError::Refused(
            ChatRefusal::new(
                "unavailable",
                format!(
                    "Your message \"{}\" was not sent: the database is unavailable. Try again \
                     in a minute.",
                    excerpt(body)
                ),
            )
            .retry_after(Duration::from_secs(60)),
        )
    } else {
        ChatError::Platform(error.into())
    }
}

/// Turns a stored row into the message listeners see.
pub fn message_from_row(row: StoredChatMessage) -> ChatMessage {
    let tokens: Vec<ChatToken> = serde_json::from_str(&row.tokens).unwrap_or_else(|_| {
        vec![ChatToken::Text {
            text: row.body.clone(),
        }]
    });
    ChatMessage {
        id: row.id,
        channel_id: row.channel_id,
        user_id: row.user_id,
        username: row
            .username
            .clone()
            .unwrap_or_else(|| "deleted-user".into()),
        display_name: row
            .display_name
            .or(row.username)
            .unwrap_or_else(|| "Deleted user".into()),
        badges: row.badges.split(',').filter_map(Badge::parse).collect(),
        tokens,
        created_at: row.created_at,
        kind: LineKind::parse(&row.kind),
        color: row
            .user_id
            .map(|id| colors::color_for(id, row.color.as_deref()).to_owned()),
        reply: row.reply_to.map(reply_from_parent),
    }
}

/// How a reply shows its parent: the author and the start of the text.
fn reply_from_parent(parent: StoredReplyParent) -> ReplyTo {
    ReplyTo {
        id: parent.id,
        user_id: parent.user_id,
        username: parent
            .username
            .clone()
            .unwrap_or_else(|| "deleted-user".into()),
        display_name: parent
            .display_name
            .or(parent.username)
            .unwrap_or_else(|| "Deleted user".into()),
        excerpt: parent.body.as_deref().map(excerpt),
    }
}

/// How a message is sent besides its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct SendOptions {
    /// The message this one answers: it must be a visible message of the same channel.
    pub reply_to: Option<i64>,
    /// A typed message, or a `/me` action.
    pub kind: LineKind,
}

impl Platform {
    /// Sends a chat message after every check: length, rate limits, then the channel's rules.
    pub async fn send_chat_message(
        &self,
        sender: &UserView,
        channel_id: i64,
        body: &str,
        client_ip: IpAddr,
    ) -> Result<ChatMessage, ChatError> {
        self.send_chat_line(sender, channel_id, body, client_ip, SendOptions::default())
            .await
    }

    /// [`Platform::send_chat_message`], as a reply or an action.
    pub async fn send_chat_line(
        &self,
        sender: &UserView,
        channel_id: i64,
        body: &str,
        client_ip: IpAddr,
        options: SendOptions,
    ) -> Result<ChatMessage, ChatError> {
        let body = body.trim();
        let length = body.chars().count();
        if length == 0 {
            return Err(ChatError::Refused(ChatRefusal::new(
                "empty",
                "Type a message first.",
            )));
        }
        if length > self.chat_config.max_message_chars {
            return Err(ChatError::Refused(ChatRefusal::new(
                "too_long",
                format!(
                    "Messages can be at most {} characters.",
                    self.chat_config.max_message_chars
                ),
            )));
        }
        if body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(ChatError::Refused(ChatRefusal::new(
                "invalid",
                "Messages cannot contain control characters.",
            )));
        }
        let body = body.replace(['\n', '\t'], " ");
        if !self.bus.health().connected {
            return Err(ChatError::Refused(not_delivered(&body)));
        }
        self.chat_limits
            .check(sender.id, client_ip)
            .map_err(ChatError::Refused)?;
        let reply = match options.reply_to {
            Some(parent_id) => Some(self.reply_parent(channel_id, parent_id).await?),
            None => None,
        };
        let choice = self
            .store
            .preferences(sender.id)
            .await?
            .and_then(|p| p.chat_color);
        let color = colors::color_for(sender.id, choice.as_deref());

        let room = self.rooms.room(&self.store, channel_id).await?;
        let now_ms = shimmer_store::now_ms();
        let hash = body_hash(&body);
        let (tokens, badges) = {
            let mut room = room.lock();
            let badges = room.badges_for(sender);
            let privileged = badges
                .iter()
                .any(|badge| matches!(badge, Badge::Streamer | Badge::Moderator | Badge::Staff));
            let chatter = room.chatter(sender.id);
            let context = SendContext {
                sender,
                settings: &room.settings,
                ban: room.ban_of(sender.id, now_ms),
                privileged,
                subscriber: room.subscribers.contains(&sender.id),
                has_link: tokenize::contains_link(&body),
                body_hash: hash,
                last_body: chatter.last_body,
                last_sent_at: chatter.last_sent_at,
                now_ms,
            };
            for rule in self.chat_rules.iter() {
                rule.check(&context).map_err(ChatError::Refused)?;
            }
            let allowed_emotes;
            let emotes =
                if context.subscriber || context.privileged || room.subscriber_emotes.is_empty() {
                    &room.emotes
                } else {
                    allowed_emotes = room
                        .emotes
                        .iter()
                        .filter(|(name, _)| !room.subscriber_emotes.contains(*name))
                        .map(|(name, src)| (name.clone(), src.clone()))
                        .collect();
                    &allowed_emotes
                };
            let tokens = tokenize::parse(&body, room.settings.links_clickable, emotes);
            room.record_sent(sender.id, hash, now_ms);
            (tokens, badges)
        };
        let badge_names: Vec<&str> = badges.iter().map(|badge| badge.as_str()).collect();
        let tokens_json = serde_json::to_string(&tokens)
            .map_err(|error| PlatformError::Refused(error.to_string()))?;
        let badge_list = badge_names.join(",");
        let id = self
            .store
            .insert_chat_line(&NewChatLine {
                channel_id,
                user_id: sender.id,
                badges: &badge_list,
                body: &body,
                tokens: &tokens_json,
                created_at: now_ms,
                kind: options.kind.as_str(),
                color: Some(color),
                reply_to_id: reply.as_ref().map(|parent| parent.id),
            })
            .await
            .map_err(|error| unavailable_or(error, &body))?;
        let message = ChatMessage {
            id,
            channel_id,
            user_id: Some(sender.id),
            username: sender.username.clone(),
            display_name: sender.display_name.clone(),
            badges,
            tokens,
            created_at: now_ms,
            kind: options.kind,
            color: Some(color.to_owned()),
            reply,
        };
        // Published directly rather than through `publish`, which only logs a failure: the
        // sender must learn that this message reached nobody.
        let event = Event::ChatMessage {
            channel_id,
            message: message.clone(),
        };
        if let Err(error) = self.bus.publish(event).await {
            tracing::warn!(%error, channel_id, message_id = id, "a chat message was not delivered");
            metrics::counter!("chat_messages_undelivered_total").increment(1);
            if let Err(error) = self.store.remove_undelivered_chat_message(id).await {
                tracing::warn!(%error, message_id = id, "could not remove an undelivered chat message");
            }
            return Err(ChatError::Refused(not_delivered(&body)));
        }
        Ok(message)
    }

    /// The message a reply answers, checked: it must be a visible message of this channel
    /// (not a system line).
    async fn reply_parent(&self, channel_id: i64, parent_id: i64) -> Result<ReplyTo, ChatError> {
        let parent = self
            .store
            .visible_chat_message_in(channel_id, parent_id)
            .await?
            .filter(|parent| LineKind::parse(&parent.kind) != LineKind::Follow);
        let Some(parent) = parent else {
            return Err(ChatError::Refused(ChatRefusal::new(
                "reply_not_found",
                "The message you are replying to is not in this chat any more. Send yours \
                 without the reply.",
            )));
        };
        Ok(reply_from_parent(StoredReplyParent {
            id: parent.id,
            user_id: parent.user_id,
            username: parent.username,
            display_name: parent.display_name,
            body: Some(parent.body),
        }))
    }

    /// The messages a chatter sees on joining: the last ones, or only the last hour's when the
    /// channel shows recent messages only.
    pub async fn chat_history(&self, channel_id: i64) -> Result<Vec<ChatMessage>, PlatformError> {
        let settings = self
            .store
            .chat_settings(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        let since = settings
            .recent_only
            .then(|| shimmer_store::now_ms() - 3_600_000);
        let rows = self
            .store
            .recent_chat_messages(channel_id, self.chat_config.history_messages, since)
            .await?;
        Ok(rows.into_iter().map(message_from_row).collect())
    }
}
