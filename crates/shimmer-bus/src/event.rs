use serde::{Deserialize, Serialize};

use crate::chat::ChatMessage;

/// Why a stream ended, as recorded on the stream and told to listeners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamEndReason {
    /// The encoder said goodbye.
    Disconnect,
    /// The encoder stopped sending pings or media.
    Timeout,
    /// A protocol or server error ended the session.
    Error,
    /// The server shut down while the stream was live.
    Shutdown,
    /// The stream was found open at start-up after a crash.
    Recovered,
    /// The stream exceeded the configured bitrate cap.
    BitrateExceeded,
    /// A newer session for the same channel replaced this one.
    Replaced,
    /// The ingest node holding the stream left the cluster without ending it (its lease ran out).
    NodeLost,
    /// Staff ended it (a "bounce", or a platform ban of the streamer).
    Staff,
}

impl StreamEndReason {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disconnect => "disconnect",
            Self::Timeout => "timeout",
            Self::Error => "error",
            Self::Shutdown => "shutdown",
            Self::Recovered => "recovered",
            Self::BitrateExceeded => "bitrate_exceeded",
            Self::Replaced => "replaced",
            Self::NodeLost => "node_lost",
            Self::Staff => "staff",
        }
    }
}

/// Something that happened on the platform.
///
/// Events carry ids and the few fields listeners need to react without a database round trip;
/// anything more is read from the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A channel's public settings (title, language, mature flag, ...) changed.
    ChannelUpdated { channel_id: i64 },
    /// A channel went live.
    StreamStarted { channel_id: i64, stream_id: i64 },
    /// A channel's stream ended and the channel is offline.
    StreamEnded {
        channel_id: i64,
        stream_id: i64,
        reason: StreamEndReason,
    },
    /// A viewer's playback session began.
    ViewerJoined {
        channel_id: i64,
        session_id: String,
        viewer_key: Option<String>,
    },
    /// A viewer's playback session ended.
    ViewerLeft { channel_id: i64, session_id: String },
    /// A chat message was posted.
    ChatMessage {
        channel_id: i64,
        message: ChatMessage,
    },
    /// Chat messages were hidden: one deleted by a moderator, or all of a user's after a
    /// timeout or ban (`user_id` set). Clients remove exactly these; the rest of the chat stays.
    ChatMessagesHidden {
        channel_id: i64,
        message_ids: Vec<i64>,
        user_id: Option<i64>,
    },
    /// A user followed a streamer. `channel_id` is the streamer's channel, so the event is
    /// routed like every other channel event.
    FollowerAdded {
        channel_id: i64,
        streamer_id: i64,
        follower_id: i64,
    },
    /// A moderator acted: `action` is short_timeout, long_timeout, ban, unban or delete_message.
    ModerationAction {
        channel_id: i64,
        moderator_id: i64,
        target_user_id: Option<i64>,
        action: String,
        /// When a timeout ends (milliseconds since the epoch); None for bans and other actions.
        expires_at: Option<i64>,
    },
    /// Staff banned the account from the platform: every node closes its open chat and API
    /// sockets.
    /// `channel_id` is the account's own channel, so the event is routed like the others.
    AccountBanned { channel_id: i64, user_id: i64 },
    /// Someone paid to support a channel: `kind` is subscribed, donated or gifted; `amount`
    /// is formatted for people (`$5.00`); `message` is a donation's message or the display name
    /// of a gift's recipient. Chats show it as a line of its own.
    ChannelSupported {
        channel_id: i64,
        user_id: i64,
        display_name: String,
        kind: String,
        amount: String,
        message: String,
    },
    /// A subscription to the channel began (`subscribed`) or ended: chat badges follow it.
    SubscriberChanged {
        channel_id: i64,
        user_id: i64,
        subscribed: bool,
    },
    /// A streamer raided another live channel with their viewers. Published twice, once
    /// routed to each channel (`channel_id` is the raider's or the target's): the raider's
    /// pages follow it to the target, both chats show it.
    Raid {
        channel_id: i64,
        from_channel_id: i64,
        from_display_name: String,
        to_channel_id: i64,
        to_username: String,
        to_display_name: String,
        viewers: i64,
    },
}

impl Event {
    /// The channel the event is about.
    pub fn channel_id(&self) -> i64 {
        match self {
            Self::ChannelUpdated { channel_id }
            | Self::StreamStarted { channel_id, .. }
            | Self::StreamEnded { channel_id, .. }
            | Self::ViewerJoined { channel_id, .. }
            | Self::ViewerLeft { channel_id, .. }
            | Self::ChatMessage { channel_id, .. }
            | Self::ChatMessagesHidden { channel_id, .. }
            | Self::FollowerAdded { channel_id, .. }
            | Self::ModerationAction { channel_id, .. }
            | Self::AccountBanned { channel_id, .. }
            | Self::ChannelSupported { channel_id, .. }
            | Self::SubscriberChanged { channel_id, .. }
            | Self::Raid { channel_id, .. } => *channel_id,
        }
    }

    /// A short name for subjects and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ChannelUpdated { .. } => "channel_updated",
            Self::StreamStarted { .. } => "stream_started",
            Self::StreamEnded { .. } => "stream_ended",
            Self::ViewerJoined { .. } => "viewer_joined",
            Self::ViewerLeft { .. } => "viewer_left",
            Self::ChatMessage { .. } => "chat_message",
            Self::ChatMessagesHidden { .. } => "chat_messages_hidden",
            Self::FollowerAdded { .. } => "follower_added",
            Self::ModerationAction { .. } => "moderation_action",
            Self::AccountBanned { .. } => "account_banned",
            Self::ChannelSupported { .. } => "channel_supported",
            Self::SubscriberChanged { .. } => "subscriber_changed",
            Self::Raid { .. } => "raid",
        }
    }
}
