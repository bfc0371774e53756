//! The chat socket's frames: JSON text, one object per frame, tagged by `type`.
//!
//! Client to server: `send {text}`, `moderate {action, user_id}` (action: short_timeout,
//! long_timeout, ban, unban), `delete {message_id}`, `ping`.
//! Server to client: `welcome` (with the picker's `emotes`), `history {messages}`, `message {message}`,
//! `hidden {message_ids, user_id}`, `moderation {action, target_user_id, expires_at}`,
//! `refused {code, message, retry_after_ms, text}` (`text`: the refused message's, when the
//! refusal answers a `send`; `not_delivered` and `unavailable` refusals quote it too), `error {message}`, `lagged {skipped}`, `pong`.

use serde::{Deserialize, Serialize};
use shimmer_bus::chat::ChatMessage;

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Send { text: String },
    Moderate { action: String, user_id: i64 },
    Delete { message_id: i64 },
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
    },
    History {
        messages: &'a [ChatMessage],
    },
    Message {
        message: &'a ChatMessage,
    },
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
