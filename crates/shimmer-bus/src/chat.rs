//! Chat payloads carried on the bus, shared by the chat service, the sockets and the API so a
//! message is parsed and serialised once.

use serde::{Deserialize, Serialize};

/// One piece of a message, parsed once when the message is written. Renderers build elements
/// from these and never interpret a message as HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChatToken {
    Text {
        text: String,
    },
    /// A link; `clickable` is false when the channel shows links as plain text.
    Link {
        text: String,
        url: String,
        clickable: bool,
    },
    Emote {
        text: String,
        src: String,
    },
}

/// A role a chatter held in the channel when they sent the message. Several may apply at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Badge {
    Streamer,
    Moderator,
    Subscriber,
    Staff,
}

impl Badge {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Streamer => "streamer",
            Self::Moderator => "moderator",
            Self::Subscriber => "subscriber",
            Self::Staff => "staff",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "streamer" => Self::Streamer,
            "moderator" => Self::Moderator,
            "subscriber" => Self::Subscriber,
            "staff" => Self::Staff,
            _ => return None,
        })
    }
}

/// A chat message as every listener sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub id: i64,
    pub channel_id: i64,
    /// None once the author's account is deleted (the message is anonymised).
    pub user_id: Option<i64>,
    pub username: String,
    pub display_name: String,
    pub badges: Vec<Badge>,
    pub tokens: Vec<ChatToken>,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}

impl ChatMessage {
    /// Whether the message is exactly one emote (shown large).
    pub fn is_single_emote(&self) -> bool {
        matches!(self.tokens.as_slice(), [ChatToken::Emote { .. }])
    }
}
