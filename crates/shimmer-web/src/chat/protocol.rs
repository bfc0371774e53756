//! The chat socket's frames: JSON text, one object per frame, tagged by `type`.
//!
//! Client to server: `send {text, reply_to?}` (`reply_to`: the id of a message of this chat
//! the new one answers; a text starting with `/` is a slash command, `//` sends a literal `/`),
//! `moderate {action, user_id}` (action: short_timeout, long_timeout, ban, unban),
//! `delete {message_id}`, `ping`.
//! Server to client: `welcome` (with the picker's `emotes` and the name `colors` palette),
//! `history {messages, system}`, `message {message}` (a message has `kind` message or action,
//! `color`, a palette key, and `reply {id, user_id, username, display_name, excerpt}` when it
//! answers another), `system {kind, text, id, user, created_at}`, `hidden {message_ids, user_id}`,
//! `moderation {action, target_user_id, expires_at}`,
//! `refused {code, message, retry_after_ms, text}` (`text`: the refused message's, when the
//! refusal answers a `send`; `not_delivered` and `unavailable` refusals quote it too), `error {message}`, `lagged {skipped}`, `pong`,
//! and `batch {frames}`.
//!
//! `batch` carries, in order, frames that would otherwise have come one by one: a room of 100 or
//! more listeners sends at most one frame per tick (its listeners × 10 µs, at most 50 ms), so
//! frames arriving within a tick of the last one are gathered (see [`super::coalesce`]). Each
//! element is a complete frame of the kinds above (never `batch`, `welcome`, `history` or
//! `gate`); a client handles them as if they had arrived alone. Message ids and order are kept.
//!
//! `system` lines are events shown apart from messages. `kind` says which: `follow` (someone
//! followed the channel; `id` orders it among the messages and `user` names them) and
//! `command` (the answer to a slash command, sent to its author only, without `id` or `user`).
//! Later event kinds (subscriptions, donations, raids) use the same frame with their own
//! `kind`; pages show unknown kinds as plain system lines.

use serde::{Deserialize, Serialize};
use shimmer_bus::chat::ChatMessage;

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Send {
        text: String,
        #[serde(default)]
        reply_to: Option<i64>,
    },
    Moderate {
        action: String,
        user_id: i64,
    },
    Delete {
        message_id: i64,
    },
    Ping,
}

#[derive(Debug, Serialize)]
pub struct Permissions {
    pub short_timeout: bool,
    pub long_timeout: bool,
    pub ban: bool,
    pub unban: bool,
    pub delete: bool,
}

/// An emote the picker offers; global (platform) emotes come first.
#[derive(Debug, Serialize)]
pub struct PickerEmote {
    pub name: String,
    pub src: String,
    pub global: bool,
    pub animated: bool,
}

/// A ban (no expiry) or timeout in force for the connecting chatter.
#[derive(Debug, Serialize)]
pub struct Restriction {
    pub banned: bool,
    pub expires_at: Option<i64>,
}

/// What keeps the connecting chatter from chatting now: a ban, a timeout, or a channel rule they
/// do not meet yet, with the message a send would be refused with.
#[derive(Debug, Serialize)]
pub struct Blocked {
    pub code: &'static str,
    pub message: String,
    /// When it ends by itself (ms since the epoch), if it does.
    pub until: Option<i64>,
}

/// A colour of the chat's name palette, with its shade for each theme.
#[derive(Debug, Serialize)]
pub struct PaletteColor {
    pub key: &'static str,
    pub light: &'static str,
    pub dark: &'static str,
}

/// Who a system line is about.
#[derive(Debug, Clone, Serialize)]
pub struct SystemUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub color: Option<String>,
}

/// A line of the chat that is not a message: an event (a follow) or an answer to a command.
#[derive(Debug, Clone, Serialize)]
pub struct SystemLine {
    /// `follow`, `command`, `raid`; later kinds reuse the frame.
    pub kind: &'static str,
    pub text: String,
    /// Stored lines share the messages' ids, which order them.
    pub id: Option<i64>,
    pub user: Option<SystemUser>,
    pub created_at: i64,
    /// A raid's facts, so each page words the line in its own language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raid: Option<RaidFacts>,
}

/// Who raids whom with how many viewers, and whether this chat is the raider's.
#[derive(Debug, Clone, Serialize)]
pub struct RaidFacts {
    pub from: String,
    pub to: String,
    pub viewers: i64,
    pub outgoing: bool,
}

impl SystemLine {
    /// The line a raid is announced with: in the raider's chat (`outgoing`) or the target's.
    pub fn raid(from: &str, to: &str, viewers: i64, outgoing: bool) -> Self {
        let people = if viewers == 1 {
            "1 viewer".to_owned()
        } else {
            format!("{viewers} viewers")
        };
        Self {
            kind: "raid",
            text: if outgoing {
                format!("{from} is raiding {to} with {people}!")
            } else {
                format!("{from} is raiding with {people}!")
            },
            id: None,
            user: None,
            created_at: shimmer_platform::now_ms(),
            raid: Some(RaidFacts {
                from: from.to_owned(),
                to: to.to_owned(),
                viewers,
                outgoing,
            }),
        }
    }

    /// The system line a stored follow announcement is shown as.
    pub fn from_follow(message: &ChatMessage) -> Self {
        Self {
            kind: "follow",
            text: format!("{} just followed the channel!", message.display_name),
            id: Some(message.id),
            user: message.user_id.map(|id| SystemUser {
                id,
                username: message.username.clone(),
                display_name: message.display_name.clone(),
                color: message.color.clone(),
            }),
            created_at: message.created_at,
            raid: None,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Me<'a> {
    pub id: i64,
    pub username: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame<'a> {
    Welcome {
        channel_id: i64,
        user: Option<Me<'a>>,
        can_send: bool,
        permissions: Permissions,
        max_chars: usize,
        /// Emotes usable here, for the picker; empty for visitors, who cannot chat.
        emotes: Vec<PickerEmote>,
        /// Set when I am banned (`expires_at` null) or timed out in this chat right now.
        restriction: Option<Restriction>,
        /// The channel's chat rules in words, shown before the first message.
        rules: Vec<String>,
        /// Set when I cannot chat right now, and why.
        blocked: Option<Blocked>,
        /// The palette `color` keys of messages name.
        colors: Vec<PaletteColor>,
    },
    History {
        messages: &'a [ChatMessage],
        /// System lines among them (follows), ordered with the messages by `id`.
        system: &'a [SystemLine],
    },
    Message {
        message: &'a ChatMessage,
    },
    System(SystemLine),
    Hidden {
        message_ids: &'a [i64],
        user_id: Option<i64>,
    },
    Moderation {
        action: &'a str,
        target_user_id: Option<i64>,
        expires_at: Option<i64>,
    },
    Refused {
        code: &'a str,
        message: &'a str,
        retry_after_ms: Option<u64>,
        /// The text of the refused message, when the refusal answers a `send`.
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<&'a str>,
    },
    Error {
        message: &'a str,
    },
    /// Someone paid to support the channel: `kind` is subscribed, donated or gifted, `amount`
    /// is formatted for people, `message` is a donation's message or a gift's recipient
    /// (empty otherwise).
    Support {
        display_name: &'a str,
        kind: &'a str,
        amount: &'a str,
        message: &'a str,
    },
    /// This socket fell behind and `skipped` frames were dropped for it.
    Lagged {
        skipped: u64,
    },
    /// The channel's settings changed: each socket answers its own chatter with [`ServerFrame::Gate`].
    /// Never sent to a page as it is.
    RulesChanged,
    /// The chat's rules and what keeps me out now, after the channel changed them.
    Gate {
        rules: Vec<String>,
        blocked: Option<Blocked>,
    },
    Pong,
}
