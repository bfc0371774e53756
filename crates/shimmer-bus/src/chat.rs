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
    /// Holds the platform's Supporter subscription.
    PlatformSupporter,
    /// Holds the platform's Founder subscription.
    PlatformFounder,
}

impl Badge {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Streamer => "streamer",
            Self::Moderator => "moderator",
            Self::Subscriber => "subscriber",
            Self::Staff => "staff",
            Self::PlatformSupporter => "platform_supporter",
            Self::PlatformFounder => "platform_founder",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "streamer" => Self::Streamer,
            "moderator" => Self::Moderator,
            "subscriber" => Self::Subscriber,
            "staff" => Self::Staff,
            "platform_supporter" => Self::PlatformSupporter,
            "platform_founder" => Self::PlatformFounder,
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
    /// A typed message, a `/me` action or a follow announcement.
    #[serde(default)]
    pub kind: LineKind,
    /// The key of the author's name colour in the chat palette.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// The message this one answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<ReplyTo>,
}

/// What a stored chat line is. Follow announcements are stored with the messages (the API
/// lists them as messages), but our own chat shows them as system lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    #[default]
    Message,
    /// `/me waves`: shown as the author doing something.
    Action,
    /// "<user> just followed the channel!"
    Follow,
}

impl LineKind {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Message => "message",
            Self::Action => "action",
            Self::Follow => "follow",
        }
    }

    /// The kind a stored name means; unknown names are messages.
    pub fn parse(name: &str) -> Self {
        match name {
            "action" => Self::Action,
            "follow" => Self::Follow,
            _ => Self::Message,
        }
    }
}

/// The message a reply answers, as the reply shows it: its author and a short excerpt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTo {
    pub id: i64,
    pub user_id: Option<i64>,
    pub username: String,
    pub display_name: String,
    /// The start of the parent's text; None once the parent was removed by a moderator.
    pub excerpt: Option<String>,
}

impl ChatMessage {
    /// Whether the message is exactly one emote (shown large).
    pub fn is_single_emote(&self) -> bool {
        matches!(self.tokens.as_slice(), [ChatToken::Emote { .. }])
    }
}
